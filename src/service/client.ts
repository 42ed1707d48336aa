// The evaluation service, host side: owns the worker that evaluates snippets
// (handler.ts), so the extension host's thread never runs the interpreter.
// Evaluations run one at a time. The time budget is enforced by terminating
// the worker (a fresh one starts on the next request), and its heap is capped
// where the worker kind allows. A newer evaluation for the same key (a
// document) cancels an older one; values are fetched on demand by ValueRef.
// The worker is a Node worker thread (nodeWorker.ts) or a browser Web Worker
// (webWorker.ts): this file imports neither, so it runs in both hosts.

import type { TypedData } from '../engine/tensor';
import { FINISHING_CELL, type PyErrorInfo, type RunResult } from '../python/result';
import type { HostToWorker, Replies, ServiceRunOptions, Slice, SliceRequest, SoftmaxViewOperands, ValueRef, ValueSummary, WorkerToHost } from './protocol';

/** A running worker, as the service drives it. */
export interface ServiceWorker {
  postMessage(msg: HostToWorker): void;
  terminate(): void;
  /** Keep the host process alive while busy (Node); an idle worker must not hold a CLI or test open. */
  setBusy?(busy: boolean): void;
  /** Resolves when the worker runs (its start-up is not charged to the time budget). */
  readonly online: Promise<void>;
}

/** What a worker reports back. */
export interface WorkerEvents {
  message(msg: WorkerToHost): void;
  /** It stopped by itself: out of memory (its heap cap) or any other crash. */
  died(why: 'memory' | 'crash', error?: Error): void;
}

/**
 * Start a worker. `progress` is the cell where the worker's interpreter writes
 * the line it executes (shared memory where the platform has it).
 */
export type SpawnWorker = (progress: Int32Array, events: WorkerEvents, limits: { heapMb: number }) => ServiceWorker;

export interface ServiceConfig {
  /** Starts the worker: nodeWorker(dist/worker.js) in Node, webWorker(a blob: URL of dist/worker.js) in a browser. */
  spawn: SpawnWorker;
  /** The worker's heap cap, where the worker kind can enforce one (Node's resourceLimits). */
  heapMb?: number;
  /** The setting heapMb comes from, named when the cap is hit. */
  heapSetting?: string;
  /** The setting timeBudgetMs comes from, named when the worker is stopped. */
  budgetSetting?: string;
  /** Extra time past timeBudgetMs before the worker is terminated (the cooperative check usually answers first). */
  graceMs?: number;
  /** Extra time past the grace for a worker that stopped on its own and is finishing (DEFAULT_FINISH_GRACE_MS). */
  finishGraceMs?: number;
}

export interface Evaluated {
  /** Id for ValueRef.evaluation. */
  evaluation: number;
  result: RunResult;
  elapsedMs: number;
  /** Set when the worker was stopped (time budget) or died (heap cap, crash): the result is the one error it was stopped with. */
  stopped?: 'time' | 'memory' | 'crash';
}

export class CancelledError extends Error {
  constructor() {
    super('evaluation cancelled');
  }
}

export const DEFAULT_HEAP_MB = 1024;
/** How long past its budget a worker may take to answer on its own before it is replaced. */
export const DEFAULT_GRACE_MS = 200;
/**
 * How much longer a worker past its grace may take when it has stopped on
 * its own and is finishing (FINISHING_CELL). Its bookkeeping on the
 * Annotated Transformer takes 30-190 ms in a thread of its own on the 2-core
 * reference machine; this leaves room for a loaded machine and bigger
 * recorded values, and still replaces a worker that hangs.
 */
export const DEFAULT_FINISH_GRACE_MS = 2000;

interface Job {
  id: number;
  key: string | undefined;
  source: string;
  options: ServiceRunOptions;
  resolve: (r: Evaluated) => void;
  reject: (e: unknown) => void;
  started?: number;
  /** Errors the worker reported while this evaluation ran. */
  partial?: PyErrorInfo[];
  /** Whether the worker was found finishing at the end of the grace (and given finishGraceMs). */
  finishing?: boolean;
}

type Pending = { resolve: (m: WorkerToHost) => void; reject: (e: unknown) => void };

export class EvaluationService {
  private worker: ServiceWorker | undefined;
  /** Resolves when the current worker has started (its start-up is not charged to the time budget). */
  private online: Promise<void> = Promise.resolve();
  /** Line the worker's interpreter is executing (written by the worker, read after a kill). */
  // A browser without cross-origin isolation has no SharedArrayBuffer: the worker then gets a copy.
  // Cell FINISHING_CELL: set by the worker once it is past its statements (result.ts).
  private progress = new Int32Array(typeof SharedArrayBuffer === 'function' ? new SharedArrayBuffer(8) : new ArrayBuffer(8));
  private nextId = 1;
  private readonly queue: Job[] = [];
  private running: Job | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly pending = new Map<number, Pending>();
  private disposed = false;
  /** Longest time one evaluation ran in the worker, and how many workers were terminated (for reports). */
  readonly stats = { restarts: 0, longestMs: 0 };

  constructor(private readonly config: ServiceConfig) {}

  /**
   * Evaluate `source` in the worker. With a `key`, a newer evaluation for the
   * same key cancels this one (rejects with CancelledError); so does `signal`.
   */
  evaluate(source: string, options: ServiceRunOptions, opts: { key?: string; signal?: AbortSignal } = {}): Promise<Evaluated> {
    if (opts.key !== undefined) this.cancelKey(opts.key);
    return new Promise<Evaluated>((resolve, reject) => {
      const job: Job = { id: this.nextId++, key: opts.key, source, options, resolve, reject };
      if (opts.signal?.aborted) return reject(new CancelledError());
      opts.signal?.addEventListener('abort', () => this.cancel(job), { once: true });
      this.queue.push(job);
      this.pump();
    });
  }

  /** Shape, dtype and statistics of a value; null when the worker no longer holds it. */
  async summary(ref: ValueRef): Promise<ValueSummary | null> {
    return (await this.request({ type: 'summary', id: this.nextId++, ref }))?.summary ?? null;
  }

  /** A 2-D slice sampled down to at most maxRows × maxCols; null when the worker no longer holds the value. */
  async slice(ref: ValueRef, request: SliceRequest): Promise<Slice | null> {
    return (await this.request({ type: 'slice', id: this.nextId++, ref, request }))?.slice ?? null;
  }

  /** What print(value) shows; null when unknown. */
  async repr(ref: ValueRef): Promise<string | null> {
    return (await this.request({ type: 'repr', id: this.nextId++, ref }))?.repr ?? null;
  }

  /** Every element of an elided tensor, row-major (bool as 0/1); null when the worker no longer holds it. */
  async data(ref: ValueRef): Promise<TypedData | null> {
    return (await this.request({ type: 'data', id: this.nextId++, ref }))?.data ?? null;
  }

  /** The softmax operands of one view of a large softmax (SoftmaxViewOperands); null when the value is not one or is gone. */
  async operands(ref: ValueRef, leading: number[]): Promise<SoftmaxViewOperands | null> {
    return (await this.request({ type: 'operands', id: this.nextId++, ref, leading }))?.operands ?? null;
  }

  /** Start the worker now (if none is running) and resolve once it is ready. */
  warmUp(): Promise<void> {
    this.ensureWorker();
    return this.online;
  }

  /** The worker may forget this evaluation's values. */
  release(evaluation: number): void {
    this.worker?.postMessage({ type: 'release', evaluation } satisfies HostToWorker);
  }

  dispose(): void {
    this.disposed = true;
    for (const job of this.queue.splice(0)) job.reject(new CancelledError());
    if (this.running) this.running.reject(new CancelledError());
    this.running = undefined;
    this.stopWorker();
  }

  // ---------------------------------------------------------------- internals

  private request<K extends 'summary' | 'slice' | 'repr' | 'data' | 'operands'>(msg: HostToWorker & { type: K; id: number }): Promise<Replies[K] | undefined> {
    return new Promise((resolve) => {
      this.pending.set(msg.id, {
        resolve: (m) => resolve(m.type === msg.type ? (m as Replies[K]) : undefined),
        // a worker that was stopped holds nothing any more
        reject: () => resolve(undefined),
      });
      this.ensureWorker().postMessage(msg);
      this.updateBusy();
    });
  }

  /** Hold the process open exactly while the worker has work. */
  private updateBusy(): void {
    this.worker?.setBusy?.(this.running !== undefined || this.pending.size > 0);
  }

  private ensureWorker(): ServiceWorker {
    if (this.worker) return this.worker;
    const w: ServiceWorker = this.config.spawn(
      this.progress,
      { message: (m) => this.onMessage(m), died: (why, e) => this.onWorkerDeath(w, why, e) },
      { heapMb: this.config.heapMb ?? DEFAULT_HEAP_MB },
    );
    this.online = w.online;
    this.worker = w;
    return w;
  }

  private stopWorker(): void {
    const w = this.worker;
    this.worker = undefined;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (w) w.terminate();
    for (const p of this.pending.values()) p.reject(new CancelledError());
    this.pending.clear();
  }

  private pump(): void {
    if (this.running || this.disposed) return this.updateBusy();
    const job = this.queue.shift();
    if (!job) return this.updateBusy();
    this.running = job;
    job.started = performance.now();
    Atomics.store(this.progress, 0, 0);
    Atomics.store(this.progress, FINISHING_CELL, 0);
    this.pending.set(job.id, {
      resolve: (m) => this.finish(job, m),
      reject: (e) => this.fail(job, e),
    });
    // the memory cap is the heap cap: the worker holds its JS heap and tensor buffers together under it
    const memoryCap = { capMb: this.config.heapMb ?? DEFAULT_HEAP_MB, setting: this.config.heapSetting ?? 'heapMb' };
    this.ensureWorker().postMessage({ type: 'evaluate', id: job.id, source: job.source, options: { memoryCap, ...job.options } } satisfies HostToWorker);
    this.updateBusy();
    const budget = job.options.timeBudgetMs;
    if (budget !== undefined && Number.isFinite(budget)) {
      void this.online.then(() => {
        if (this.running === job) this.timer = setTimeout(() => this.overrun(job), budget + (this.config.graceMs ?? DEFAULT_GRACE_MS));
      });
    }
  }

  private onMessage(m: WorkerToHost): void {
    if (m.type === 'ready') return; // the worker kind resolves `online` from it
    if (m.type === 'partialError') {
      if (this.running?.id === m.id) (this.running.partial ??= []).push(m.error);
      return;
    }
    const p = this.pending.get(m.id);
    if (!p) return;
    this.pending.delete(m.id);
    p.resolve(m);
    this.updateBusy();
  }

  private finish(job: Job, m: WorkerToHost): void {
    if (this.running !== job) return;
    this.done(job);
    if (m.type === 'evaluated') job.resolve({ evaluation: job.id, result: m.result, elapsedMs: m.elapsedMs });
    else job.resolve(this.synthetic(job, { type: 'InternalError', message: 'Mask Lens failed to evaluate this file (a bug in Mask Lens; please report it)', detail: m.type === 'failed' ? m.message : m.type }));
  }

  private fail(job: Job, e: unknown): void {
    if (this.running !== job) return;
    this.done(job);
    job.reject(e);
  }

  private done(job: Job): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.stats.longestMs = Math.max(this.stats.longestMs, performance.now() - (job.started ?? performance.now()));
    this.running = undefined;
    queueMicrotask(() => this.pump());
  }

  /**
   * Past the budget and the grace: stop the worker and answer with
   * TimeoutError at the line it was on. A worker that has stopped on its own
   * and is finishing (FINISHING_CELL: binding the definitions after the
   * stop, recording and encoding what it computed) gets finishGraceMs more
   * once, so the values before the stop are not thrown away with it.
   */
  private overrun(job: Job): void {
    if (this.running !== job) return;
    if (!job.finishing && Atomics.load(this.progress, FINISHING_CELL) === 1) {
      job.finishing = true;
      this.timer = setTimeout(() => this.overrun(job), this.config.finishGraceMs ?? DEFAULT_FINISH_GRACE_MS);
      return;
    }
    this.stats.restarts++;
    const budget = job.options.timeBudgetMs ?? 0;
    const result = this.synthetic(job, {
      type: 'TimeoutError',
      message: `Mask Lens stopped: the evaluation ran past its time budget of ${budget} ms (setting ${this.config.budgetSetting ?? 'timeBudgetMs'})`,
    }, 'time');
    this.pending.delete(job.id);
    this.done(job);
    this.stopWorker();
    job.resolve(result);
  }

  private onWorkerDeath(w: ServiceWorker, why: 'memory' | 'crash', e?: Error): void {
    if (this.worker !== w) return;
    const job = this.running;
    this.worker = undefined;
    // the running evaluation is answered below; only fetches are dropped
    if (job) this.pending.delete(job.id);
    for (const p of this.pending.values()) p.reject(new CancelledError());
    this.pending.clear();
    if (!job) return;
    this.stats.restarts++;
    this.done(job);
    job.resolve(
      why === 'memory'
        ? this.synthetic(job, { type: 'MemoryError', message: `Mask Lens ran out of memory: its heap cap is ${this.config.heapMb ?? DEFAULT_HEAP_MB} MB (setting ${this.config.heapSetting ?? 'heapMb'})` }, 'memory')
        : this.synthetic(job, { type: 'InternalError', message: 'Mask Lens failed to evaluate this file (a bug in Mask Lens; please report it)', detail: e ? `${e.name}: ${e.message}` : 'worker exited' }, 'crash'),
    );
  }

  private cancel(job: Job): void {
    const i = this.queue.indexOf(job);
    if (i >= 0) {
      this.queue.splice(i, 1);
      job.reject(new CancelledError());
    } else if (this.running === job) {
      // the worker cannot be interrupted: replace it
      this.pending.delete(job.id);
      this.done(job);
      this.stopWorker();
      job.reject(new CancelledError());
    }
  }

  private cancelKey(key: string): void {
    for (const job of [...this.queue, ...(this.running ? [this.running] : [])]) if (job.key === key) this.cancel(job);
  }

  /** A result for an evaluation the worker could not finish: one error on the line it was executing. */
  private synthetic(job: Job, error: Omit<PyErrorInfo, 'line'>, stopped: Evaluated['stopped'] = 'crash'): Evaluated {
    const e: PyErrorInfo = { ...error, line: Math.max(1, Atomics.load(this.progress, 0)) };
    // errors met before the stop are kept
    const errors = [...(job.partial ?? []), e];
    const result: RunResult = { variables: {}, stdout: '', warnings: [], error: errors[0], errors, timeline: [], diagnostics: [] };
    return { evaluation: job.id, result, elapsedMs: performance.now() - (job.started ?? performance.now()), stopped };
  }
}
