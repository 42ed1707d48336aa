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
  private readonly slots = new Map<Slot<unknown>, unknown>();

  constructor(options: ContextOptions = {}) {
    this.maxElements = options.maxElements ?? DEFAULT_MAX_ELEMENTS;
    this.deadline = options.deadline ?? Infinity;
    this.budgetSetting = options.budgetSetting ?? 'maxElements';
    this.warn = options.warn ?? (() => {});
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
