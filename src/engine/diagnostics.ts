// The diagnostics sink and the neutral hooks that mask checks build on.
// Like warn() in errors.ts this is a sink the interpreter installs; unlike
// warnings, diagnostics never change what an evaluation prints or returns.
// The engine knows no consumer or mask vocabulary: the checks, their wording
// and the consumers' names live in src/python/maskChecks.ts.

import { Tensor } from './tensor';

export type DiagnosticSeverity = 'error' | 'warning' | 'info';

export interface EngineDiagnostic {
  code: string;
  severity: DiagnosticSeverity;
  message: string;
}

let sink: ((d: EngineDiagnostic) => void) | null = null;
const resetHooks: (() => void)[] = [];

/** Install (or, with null, remove) the sink; checks are skipped without one. Either way state recorded so far is forgotten. */
export function setDiagnosticSink(s: ((d: EngineDiagnostic) => void) | null): void {
  sink = s;
  consumers.clear();
  for (const reset of resetHooks) reset();
}

/** Run `reset` whenever a sink is installed or removed (per-evaluation state of a check). */
export function onDiagnosticSinkReset(reset: () => void): void {
  resetHooks.push(reset);
}

export function diagnose(code: string, severity: DiagnosticSeverity, message: string): void {
  sink?.({ code, severity, message });
}

/** Whether anyone listens (checks skip their work otherwise). */
export function diagnosing(): boolean {
  return sink !== null;
}

/** Run a check only when someone listens, and never let a bug in it break evaluation. */
export function guarded(check: () => void): void {
  if (!sink) return;
  try {
    check();
  } catch {
    // a diagnostic is advice; losing one is better than failing the snippet
  }
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

const consumers = new Map<object, ConsumerUse>();

/** Record that `t` was consumed by `consumer`; the first consumer of a storage wins. */
export function noteConsumer(t: Tensor, consumer: string): void {
  if (!sink || consumers.has(t.storage)) return;
  consumers.set(t.storage, { consumer, dtype: t.dtype });
}

/** The consumer that read this storage since the sink was installed, if any. */
export function consumerOf(storage: object): ConsumerUse | undefined {
  return consumers.get(storage);
}

// Storages drawn from a random generator, and masks compared out of them
// (torch.rand(...) < 0.15 for MLM, bernoulli/dropout keep-masks).
const randomStorages = new WeakSet<object>();

export function noteRandom(t: Tensor): Tensor {
  randomStorages.add(t.storage);
  return t;
}

export function isRandom(storage: object): boolean {
  return randomStorages.has(storage);
}

/** A result computed from a random operand (a comparison with p) is random too. */
export function propagateRandom(result: Tensor, ...inputs: unknown[]): Tensor {
  if (inputs.some((x) => x instanceof Tensor && randomStorages.has(x.storage))) randomStorages.add(result.storage);
  return result;
}
