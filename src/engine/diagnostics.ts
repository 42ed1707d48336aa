// The diagnostics sink and the neutral hooks that mask checks build on.
// Like warn() in errors.ts this is a sink the interpreter installs; unlike
// warnings, diagnostics never change what an evaluation prints or returns.
// The engine knows no consumer or mask vocabulary: the checks, their wording
// and the consumers' names live in src/masks/ (checks.ts, consumers.ts).
// The sink and the storage-keyed records stay here because both ends sit
// below the mask module: the interpreter's entry installs the sink (and may
// not import masks), and engine tensors are what the records are keyed by.

import { Tensor } from './tensor';
import { getSlot, setSlot, slot } from './context';

export type DiagnosticSeverity = 'error' | 'warning' | 'info';

export interface EngineDiagnostic {
  code: string;
  severity: DiagnosticSeverity;
  message: string;
}

/**
 * Which consumer read a storage, keyed by storage so views share it
 * (`mask.unsqueeze(1)` handed to a consumer still marks the variable `mask`).
 * `consumer` is an opaque name here; the mask module gives it meaning.
 */
export interface ConsumerUse {
  consumer: string;
  /** dtype of the tensor as consumed: bool and float masks mean different things to one consumer. */
  dtype: Tensor['dtype'];
}

/** One evaluation's diagnostic sink and the consumers recorded during it. */
interface DiagnosticState {
  sink: ((d: EngineDiagnostic) => void) | null;
  consumers: Map<object, ConsumerUse>;
}

const STATE = slot<DiagnosticState>('diagnostics', () => ({ sink: null, consumers: new Map() }));

/** Install (or, with null, remove) the current evaluation's sink; checks are skipped without one. */
export function setDiagnosticSink(s: ((d: EngineDiagnostic) => void) | null): void {
  setSlot(STATE, { sink: s, consumers: new Map() });
}

export function diagnose(code: string, severity: DiagnosticSeverity, message: string): void {
  getSlot(STATE).sink?.({ code, severity, message });
}

/** Whether anyone listens (checks skip their work otherwise). */
export function diagnosing(): boolean {
  return getSlot(STATE).sink !== null;
}

/** Run a check only when someone listens, and never let a bug in it break evaluation. */
export function guarded(check: () => void): void {
  if (!getSlot(STATE).sink) return;
  try {
    check();
  } catch {
    // a diagnostic is advice; losing one is better than failing the snippet
  }
}

/** Record that `t` was consumed by `consumer`; the first consumer of a storage wins. */
export function noteConsumer(t: Tensor, consumer: string): void {
  const { sink, consumers } = getSlot(STATE);
  if (!sink || consumers.has(t.storage)) return;
  consumers.set(t.storage, { consumer, dtype: t.dtype });
}

/** The consumer that read this storage since the sink was installed, if any. */
export function consumerOf(storage: object): ConsumerUse | undefined {
  return getSlot(STATE).consumers.get(storage);
}

// Storages drawn from a random generator, and masks compared out of them
// (torch.rand(...) < 0.15 for MLM, bernoulli/dropout keep-masks). Random
// integers (randint token ids, randperm) are data, not draws of a mask: a
// padding mask compared out of random token ids is still a padding mask.
const randomStorages = new WeakSet<object>();

export function noteRandom(t: Tensor): Tensor {
  randomStorages.add(t.storage);
  return t;
}

export function isRandom(storage: object): boolean {
  return randomStorages.has(storage);
}

/**
 * A result computed element by element from a random operand (a comparison with p,
 * a cast, `&` with another mask, a gather through argsort of noise) is random too.
 * An operand broadcast up to the result (`arange(T) < lengths[:, None]` with random
 * lengths) draws no element of it: the result's pattern is the code's, not the draw's.
 */
export function propagateRandom(result: Tensor, ...inputs: unknown[]): Tensor {
  if (inputs.some((x) => x instanceof Tensor && x.numel === result.numel && randomStorages.has(x.storage))) randomStorages.add(result.storage);
  return result;
}
