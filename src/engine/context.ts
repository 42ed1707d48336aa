// One evaluation's state: limits, sinks and every per-run setting (default
// dtype, RNGs, print options, grad mode, diagnostic bookkeeping). Layers keep
// their part in a slot of the current context instead of a module-level
// `let`, so two evaluations never see each other's state. The interpreter
// creates one context per evaluation and installs it with `withContext` for
// exactly as long as that evaluation runs; nothing here knows Python.

import { EngineError } from './errors';

export interface ContextOptions {
  /** Largest single allocation, in elements (tensor elements, list items, string characters, int bits). */
  maxElements?: number;
  /** performance.now() deadline in ms, or Infinity. */
  deadline?: number;
  /** The user-visible setting that `maxElements` comes from, named in MemoryError messages. */
  budgetSetting?: string;
  /** Python `warnings.warn` from anywhere below the interpreter. */
  warn?: (message: string) => void;
  /** The total memory bound (where the host can measure memory); without it only single allocations are bounded. */
  memory?: MemoryProbe;
}

/**
 * The memory an evaluation's worker holds, for the bound on its total (issue
 * #16): the element budget bounds each allocation, this bounds their sum.
 * The worker supplies it (handler.ts): in Node, its isolate's JS heap plus
 * the buffers behind typed arrays, which the heap cap does not cover.
 */
export interface MemoryProbe {
  /** Largest `used()` an allocation may leave, in bytes. */
  readonly capBytes: number;
  /** The setting capBytes comes from, named in MemoryError messages. */
  readonly setting: string;
  /** Bytes in use now (live values and not yet collected garbage). */
  used(): number;
  /** Free what can be freed (other evaluations' kept values, garbage); called once before an allocation is refused. */
  reclaim(): void;
}

/**
 * Largest allocation when nobody says otherwise (unit tests, direct engine
 * use): 2^28 elements, 2 GiB as float64, past which V8 refuses typed arrays.
 */
export const DEFAULT_MAX_ELEMENTS = 1 << 28;

export class EvalContext {
  readonly maxElements: number;
  deadline: number;
  readonly budgetSetting: string;
  readonly warn: (message: string) => void;
  readonly memory: MemoryProbe | undefined;
  /** memory.used() when last measured, and the bytes allocated since: their sum is the estimate checkBytes trusts. */
  measuredBytes = 0;
  allocatedSince = 0;
  private readonly slots = new Map<Slot<unknown>, unknown>();

  constructor(options: ContextOptions = {}) {
    this.maxElements = options.maxElements ?? DEFAULT_MAX_ELEMENTS;
    this.deadline = options.deadline ?? Infinity;
    this.budgetSetting = options.budgetSetting ?? 'maxElements';
    this.warn = options.warn ?? (() => {});
    this.memory = options.memory;
    this.measuredBytes = this.memory?.used() ?? 0;
  }

  /** This context's value of a slot, created on first use. */
  get<T>(slot: Slot<T>): T {
    if (!this.slots.has(slot)) this.slots.set(slot, slot.init());
    return this.slots.get(slot) as T;
  }

  set<T>(slot: Slot<T>, value: T): void {
    this.slots.set(slot, value);
  }
}

/** A named piece of per-evaluation state with its initial value. */
export interface Slot<T> {
  readonly name: string;
  readonly init: () => T;
}

/** Declare per-evaluation state (use at module level instead of `let`). */
export function slot<T>(name: string, init: () => T): Slot<T> {
  return { name, init };
}

// Outside any evaluation (unit tests, benchmarks) a default context answers.
let current = new EvalContext();

/** The context of the evaluation running now. */
export function currentContext(): EvalContext {
  return current;
}

/** Run `fn` with `ctx` installed; the previous context comes back even if `fn` throws. */
export function withContext<T>(ctx: EvalContext, fn: () => T): T {
  const prev = current;
  current = ctx;
  try {
    return fn();
  } finally {
    current = prev;
  }
}

/** Read a slot of the current context. */
export function getSlot<T>(s: Slot<T>): T {
  return current.get(s);
}

/** Replace a slot of the current context. */
export function setSlot<T>(s: Slot<T>, value: T): void {
  current.set(s, value);
}

/**
 * Python's MemoryError for an allocation over the budget. `what` names the
 * object and its size ("a tensor of 100000000 elements"); the message names
 * the budget and the setting it comes from.
 */
export function memoryError(what: string): EngineError {
  const c = current;
  return new EngineError('MemoryError', `${what} exceeds the Mask Lens budget of ${c.maxElements} elements (setting ${c.budgetSetting})`);
}

/** Raise MemoryError when an allocation of `n` units would exceed the budget. */
export function checkBudget(n: number | bigint, what: () => string): void {
  if (n > current.maxElements) throw memoryError(what());
}

const mb = (bytes: number) => Math.ceil(bytes / 2 ** 20);

/**
 * MemoryError before allocating `bytes` that would take the evaluation's
 * worker past its memory cap (the current context's MemoryProbe; nothing
 * without one). `what` names the object ("a tensor of 1000 elements").
 * Memory is measured only when the estimate (last measurement plus bytes
 * allocated since) reaches the cap, so small allocations cost an addition;
 * before refusing, the probe reclaims what it can (garbage, other
 * evaluations' values) and measures again.
 */
export function checkBytes(bytes: number, what: () => string): void {
  const c = current;
  const m = c.memory;
  if (!m) return;
  c.allocatedSince += bytes;
  if (c.measuredBytes + c.allocatedSince <= m.capBytes) return;
  let used = m.used();
  if (used + bytes > m.capBytes) {
    m.reclaim();
    used = m.used();
  }
  c.measuredBytes = used;
  c.allocatedSince = 0;
  if (used + bytes > m.capBytes) {
    throw new EngineError('MemoryError', `${what()} (${mb(bytes)} MB) exceeds the Mask Lens memory cap: ${mb(used)} of ${mb(m.capBytes)} MB in use (setting ${m.setting})`);
  }
  c.allocatedSince = bytes;
}

/**
 * Run `fn` without the time budget: the bookkeeping after an evaluation's
 * statements (snapshots, encoding) is bounded by the element budget, and a
 * deadline there would fail the whole evaluation instead of one statement.
 */
export function untimed<T>(fn: () => T): T {
  const c = current;
  const deadline = c.deadline;
  c.deadline = Infinity;
  try {
    return fn();
  } finally {
    c.deadline = deadline;
  }
}

/** The deadline check long kernels make between chunks. */
export function checkDeadline(): void {
  if (current.deadline !== Infinity && performance.now() > current.deadline) {
    throw new EngineError('TimeoutError', 'Mask Lens stopped: the evaluation ran past its time budget');
  }
}
