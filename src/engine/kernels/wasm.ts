// The WebAssembly SIMD backend: softmax, log_softmax, the fused masked
// softmax, cross entropy's per-row log_softmax term, batched float32 matmul,
// float32 where (masked_fill) and comparisons/logical ops into bool, in
// 128-bit SIMD kernels compiled
// from assembly/kernels.ts by `npm run build` (which writes the modules into
// generated/, never committed). Everything else delegates to the CPU
// reference.
//
// Threads: where SharedArrayBuffer and worker_threads exist (Node: the
// evaluation worker, the CLI, the bench), the module imports a shared
// memory and a pool of worker threads, each with its own instance over that
// memory, takes a share of each kernel's rows (the calling thread takes the
// first share, then waits on an Atomics counter). Elsewhere (the web
// extension's worker) one thread runs a module with its own memory. The
// memory-bound kernels (comparisons/logic, where) are not split: they run
// on the calling thread, in a second instance with unshared memory where
// threads exist (see MEMORY_BOUND).
//
// Float32 matmul follows the order the caller names (float32_matmul.ts):
// 'naive' runs matmul_rows (products and sums rounded, as ATen's small-bmm
// loop), 'gemm' (MKL's: fused multiply-adds in k chunks of 384) runs
// assembly/gemm_fma.ts, a relaxed-SIMD module whose f32x4.relaxed_madd is
// probed once at start-up and used only where it fuses (x86-64 with FMA3,
// arm64); elsewhere 'gemm', and always 'gemv', 'dot' and 'outer', run on the
// CPU reference. So every order gives the CPU reference's bits.
//
// Results equal the CPU reference's bit for bit, exp included: the kernels
// and the CPU reference both run Sleef's expf/logf u10 with fused
// multiply-adds (ATen's Vectorized<float>::exp/::log on x86), and keep the
// float32 order of the max, the exp-sum (vec::reduce_all over AVX512's 16
// lanes and its tree fold), the normalisation and the matmul sums
// (float32_order.ts, cpu.ts); rows never depend on which thread ran them.
// The kernels module is loaded in its relaxed-SIMD build where
// f32x4.relaxed_madd fuses (kernelBytes), else in its plain build, whose
// fused multiply-adds are exact in f64 lanes. Unary `exp` stays on the CPU
// reference (Math.exp): torch.exp on MKL builds (PyTorch's x86 wheels)
// calls MKL's vsExp, which Math.exp matches bit for bit more often than
// Sleef's does (measured on 10^6 inputs; see src/bench/FINDINGS.md).
//
// Operands are copied into the module's memory in chunks of rows (each
// operand only the span of storage the chunk's rows read), so its memory
// stays near a few CHUNK_BYTES whatever the tensor's size. The softmax
// family stages the next chunk and copies the last one out while the
// workers run the current one (pipeline()).

import type { TypedData } from '../tensor';
import type { Backend, BinaryOp, Operand } from './backend';
import { fma32 } from '../random/float_math';
import { nodeBuiltin } from '../nodeBuiltin';
import { cpuBackend } from './cpu';

/** Row kernels of assembly/kernels.ts: each takes its row range (r0, r1) after these arguments. */
const ROW_KERNELS = ['softmax_rows', 'masked_softmax_rows', 'log_softmax_pick_rows', 'matmul_rows', 'binary_rows', 'where_rows', 'gemm_fma_rows'] as const;
type RowKernel = (typeof ROW_KERNELS)[number];

/** Exports of assembly/kernels.ts (pointers are byte offsets into `memory`). */
type KernelExports = {
  memory?: WebAssembly.Memory;
  heap_base(): number;
  exp_f32(x: number, out: number, n: number): void;
  fma_probe(a: number, b: number, c: number): number;
} & Record<RowKernel, (...args: number[]) => void>;

/** binary_rows op codes, in assembly/kernels.ts's order. */
const BINARY_OPS: readonly BinaryOp[] = ['lt', 'le', 'gt', 'ge', 'eq', 'ne', 'and', 'or', 'xor', 'bitand', 'bitor', 'bitxor'];
const FLOAT_COMPARE = new Set<BinaryOp>(['lt', 'le', 'gt', 'ge', 'eq', 'ne']);
/** On bytes (bool, uint8): bitand/bitor/bitxor are what torch's & | ^ run on bool tensors. */
const BYTE_LOGIC = new Set<BinaryOp>(['eq', 'ne', 'and', 'or', 'xor', 'bitand', 'bitor', 'bitxor']);

/**
 * Rows go through the module about this many bytes at a time (by default):
 * the module's memory stays near this size plus the broadcast operands. 2 MiB
 * ran as fast as 8 MiB on the bench's masked softmax (fewer cache misses
 * make up for more jobs) and keeps the peak closer to input + output.
 */
const DEFAULT_CHUNK_BYTES = 2 << 20;
/**
 * The row kernels of softmax, the masked softmax and where (masked_fill)
 * stage at most this many bytes of rows per chunk (or CHUNK_BYTES if
 * smaller), but always enough rows for every thread: their scratch is
 * what the masked softmax adds to input + output (issue #15's peak
 * memory). On [8, 8, 1024, 1024] 128 KiB to 2 MiB chunks ran equally fast
 * (2 threads, medians within the machine's noise), while 2 MiB chunks
 * left 2.5 MiB of module memory touched and 256 KiB leave 0.3 MiB.
 */
const ROW_CHUNK_BYTES = 256 << 10;
/**
 * Bytes of operands and result that one thread's matmul stages per chunk.
 * On the bench's QK product ([64, 256, 64] @ [64, 64, 256], 397 KiB a
 * batch), one thread spent 8-10% less CPU time with one batch a chunk
 * than with 21 (8 MiB), as the chunk no longer leaves L2 (2 MiB here)
 * between staging, the kernel and the copy out; 2 and 4 batches lay between.
 */
const MATMUL_CHUNK_1T = 512 << 10;
/** The shared memory's maximum (its whole range is reserved up front): 1 GiB, as scripts/build.mjs declares. */
const MAX_PAGES = 16384;
/**
 * From this many elements a fresh output the caller lends (the `lend`
 * argument of softmax/maskedSoftmax) goes to the copier thread for the
 * call: moving its buffer there and back costs tens of µs.
 */
const LEND_MIN_ELEMENTS = 1 << 20;
/**
 * A lent output makes the calling thread wait for the copier at the end
 * of each job. With a free core it waits about a quarter of the call
 * (the copier's copies and page faults are the longer share: [8, 8, 1024,
 * 1024] took 135-155 ms lent against 170-185 ms not); when other work
 * holds the cores the copier runs late and the caller waits most of the
 * call (418 ms against 291 ms on one thread at load 7.5). Past this share
 * the next LEND_BACKOFF_MIN calls do not lend, then 8, 16, ... up to
 * LEND_BACKOFF_MAX while it keeps happening; a call that waits less
 * resets that.
 */
const LEND_WAIT_MAX = 0.5;
const LEND_BACKOFF_MIN = 4;
const LEND_BACKOFF_MAX = 64;
/**
 * The share of its runnable time the calling thread spent waiting for a
 * CPU, past which lending is off (see coresBusy). Measured on this 2-core
 * machine: 0.5-7% with the cores free for our threads (SCHED_FIFO, or
 * load 2.8 from others), 13% and 37% at load 8-9 (bench runs where lent
 * calls starved their copier), 80% with two threads of ours against three
 * busy processes.
 */
const WAIT_SHARE_MAX = 0.1;
/** coresBusy() renews its verdict once the calling thread has been runnable this long since its last sample (ns). */
const WAIT_SAMPLE_NS = 20e6;
/**
 * This thread's scheduler counters: nanoseconds it has run on a CPU and
 * nanoseconds it was runnable but waited for one, since it started
 * (Linux's /proc/thread-self/schedstat, about 7 µs to read); null where
 * there is no such file (Windows, macOS, browsers, a kernel without
 * schedstats). WORKER_SOURCE reads the same file for the copier thread.
 */
function threadSchedstat(): [number, number] | null {
  if (schedstatMissing) return null;
  const fs = nodeBuiltin('node:fs') as { readFileSync(path: string, enc: 'latin1'): string } | null;
  try {
    const f = fs!.readFileSync('/proc/thread-self/schedstat', 'latin1').split(' ');
    const ran = Number(f[0]), waited = Number(f[1]);
    if (Number.isFinite(ran) && Number.isFinite(waited)) return [ran, waited];
  } catch {
    // below
  }
  schedstatMissing = true;
  return null;
}
let schedstatMissing = false;
/** waited / (ran + waited) between two threadSchedstat() samples; NaN when the thread was never runnable. */
const waitShare = (a: [number, number], b: [number, number]) => (b[1] - a[1]) / (b[0] - a[0] + b[1] - a[1]);
/**
 * Whether other work holds the cores, so that an output lent to the
 * copier thread would wait for it. Where threadSchedstat() reads (Linux):
 * the calling thread waited for a CPU more than WAIT_SHARE_MAX of the time
 * it was runnable since the last sample (renewed once WAIT_SAMPLE_NS of
 * runnable time has passed; the first sample covers the thread's life so
 * far). That counts only how our own threads fare: the 1-minute load
 * average, used before, also counts our own busy threads, the worker's
 * polls and (in the bench) the PyTorch peer that runs between our calls,
 * lags by a minute, and under SCHED_FIFO counts the other processes that
 * our threads keep off the cores. Elsewhere: that load average over the
 * core count plus a half (read at most once a second; none, as on
 * Windows or in browsers, counts as free). At load 5-10 on this 2-core
 * machine lent calls took 1.2-1.5x the calls that were not lent
 * (medians, same process), even with LEND_WAIT_MAX's backoff.
 */
let waitSample: [number, number] | null = null, waitBusy = false, lastWaitShare = NaN;
/** Which signal coresBusy() used last ('none' before its first call). */
export type LendGate = 'cpu wait' | 'load average' | 'none';
let lendGate: LendGate = 'none';
let loadReadAt = -Infinity, loadBusy = false;
function coresBusy(): boolean {
  const now = threadSchedstat();
  lendGate = now ? 'cpu wait' : 'load average';
  if (now) {
    const from = waitSample ?? [0, 0];
    if (now[0] - from[0] + now[1] - from[1] >= WAIT_SAMPLE_NS) {
      lastWaitShare = waitShare(from, now);
      waitBusy = lastWaitShare > WAIT_SHARE_MAX;
      waitSample = now;
    }
    return waitBusy;
  }
  const t = performance.now();
  if (t - loadReadAt < 1000) return loadBusy;
  loadReadAt = t;
  const os = nodeBuiltin('node:os') as { loadavg?: () => number[]; availableParallelism?: () => number; cpus: () => unknown[] } | null;
  const load = os?.loadavg?.()[0] ?? 0;
  const cpus = os ? (os.availableParallelism ? os.availableParallelism() : os.cpus().length) : 1;
  loadBusy = load > cpus + 0.5;
  return loadBusy;
}
/** Below this many elements per call a kernel runs on the calling thread alone (waking workers costs ~50 µs). */
const PARALLEL_MIN_ELEMENTS = 1 << 15;
// MEMORY_BOUND: binary_rows and where_rows run on the calling thread alone
// (in Runtime.solo where there is one). Their kernels take a few vector
// instructions per 16 bytes, and the copies in and out of the module (on
// this thread) take most of the time, so a second thread saves little of
// the kernel's share and costs its wake-up and the wait at every chunk:
// the combined mask's `and` ([32, 512, 512] bool) took 1.10 ms on 2
// threads against 0.96 ms on 1, and masked_fill on [4, 8, 512, 512]
// float32 44.7 ms against 25.8 ms (medians, same process).

interface ModuleSources {
  single: string;
  shared: string;
  /** The same kernels built with relaxed SIMD (exp's multiply-adds are relaxed_madd). */
  singleFma?: string;
  sharedFma?: string;
  /** assembly/gemm_fma.ts (relaxed SIMD) over the single module's memory, and over the shared one. */
  gemmSingle?: string;
  gemmShared?: string;
}

/** The compiled modules' bytes (base64), or null when `npm run build` has not generated them. */
function moduleSources(): ModuleSources | null {
  try {
    // The build writes this file; esbuild inlines it into each bundle (the
    // web worker's too, which has no require() of its own). Unbundled ESM
    // has no require: the ReferenceError lands in the catch.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const m: unknown = require('./generated/kernels_wasm.js');
    const s = m as Partial<ModuleSources> | null;
    return s && typeof s.single === 'string' && typeof s.shared === 'string' ? (s as ModuleSources) : null;
  } catch {
    return null;
  }
}

function decode(b64: string): Uint8Array<ArrayBuffer> {
  return typeof Buffer !== 'undefined' ? new Uint8Array(Buffer.from(b64, 'base64')) : Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0));
}

/**
 * The gemm module's bytes if this runtime compiles relaxed SIMD, else null.
 * V8 ships relaxed SIMD from 11.4 (Chrome 114; our minimum VS Code, 1.90,
 * runs Electron 29 with V8 12.2; Node 22 and 24); Node 20's V8 11.3 has it behind
 * --experimental-wasm-relaxed-simd, which is switched on here (V8 reads wasm
 * feature flags at each compilation) only when validation fails on V8 11.
 * Older V8s numbered the prototype's opcodes differently: left alone.
 */
function relaxedSimdModule(b64: string | undefined): Uint8Array<ArrayBuffer> | null {
  if (!b64) return null;
  const bytes = decode(b64);
  if (WebAssembly.validate(bytes)) return bytes;
  const v8 = nodeBuiltin('node:v8') as { setFlagsFromString?: (flags: string) => void } | null;
  const major = Number((globalThis as { process?: { versions?: { v8?: string } } }).process?.versions?.v8?.split('.')[0]);
  if (!v8?.setFlagsFromString || major !== 11) return null;
  v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
  return WebAssembly.validate(bytes) ? bytes : null;
}

/**
 * Whether relaxed_madd fuses on this CPU: a * b + c with a = b = 1 + 2^-12
 * and c = -1 (or the negated pair) is 2^-11 + 2^-24 rounded once, 2^-11 when
 * the product is rounded first. V8 picks fused or not per CPU when it
 * compiles, the same way in every tier.
 */
function madFuses(probe: (a: number, b: number, c: number) => number): boolean {
  const x = 1 + 2 ** -12;
  return probe(x, x, -1) === fma32(x, x, -1) && probe(-x, x, 1) === fma32(-x, x, 1) && fma32(x, x, -1) !== Math.fround(Math.fround(x * x) - 1);
}

/**
 * The kernels module's bytes, with its own memory and over a shared one:
 * the relaxed-SIMD build where this runtime compiles it and its
 * relaxed_madd fuses (then exp's fused multiply-adds are one instruction),
 * else the plain build, whose exp computes each fused multiply-add exactly
 * in f64 lanes. Both give the same bits (Sleef's FMA build, as ATen runs it).
 */
function kernelBytes(src: ModuleSources, wantFused: boolean): { single: Uint8Array<ArrayBuffer>; shared: Uint8Array<ArrayBuffer>; fused: boolean } {
  const single = wantFused ? relaxedSimdModule(src.singleFma) : null;
  if (single && src.sharedFma) {
    try {
      const k = soloInstance(single);
      if (k && madFuses(k.fma_probe)) return { single, shared: decode(src.sharedFma), fused: true };
    } catch {
      // the plain build below
    }
  }
  return { single: decode(src.single), shared: decode(src.shared), fused: false };
}

/** Node's worker_threads and os, or null outside Node (browsers, web workers). */
function nodeThreads(): NodeThreads | null {
  if (typeof SharedArrayBuffer === 'undefined' || typeof Atomics === 'undefined') return null;
  const wt = nodeBuiltin('node:worker_threads') as Omit<NodeThreads, 'cpus'> | null;
  const os = nodeBuiltin('node:os') as { availableParallelism?: () => number; cpus: () => unknown[] } | null;
  if (!wt || !os) return null;
  return { Worker: wt.Worker, MessageChannel: wt.MessageChannel, receiveMessageOnPort: wt.receiveMessageOnPort, cpus: os.availableParallelism ? os.availableParallelism() : os.cpus().length };
}

interface NodePort {
  postMessage(value: unknown, transfer?: unknown[]): void;
  close(): void;
}

interface NodeThreads {
  Worker: new (src: string, opts: object) => NodeWorker;
  MessageChannel: new () => { port1: NodePort; port2: NodePort };
  receiveMessageOnPort(port: NodePort): { message: unknown } | undefined;
  cpus: number;
}

interface NodeWorker {
  unref(): void;
  on(event: string, fn: (e: unknown) => void): void;
  terminate(): Promise<number>;
}

// Control block (Int32 slots) shared with the workers: the work word,
// kernel, argument count, rows, rows per grain, done counter, failure flag,
// sleeping workers, whether jobs are streaming (see SPIN_MS); arguments as
// float64 from byte 64.
//
// Rows are split into grains that every thread (the caller included) claims
// one at a time, so a thread the OS leaves waiting on a loaded machine does
// not hold the others up with a fixed share. The work word is
// (grains << 16) | next grain: one compareExchange both checks that grains
// are left in the current job and claims one, and a claim can only succeed
// on the job now posted. The caller posts the next job only when every
// claimed grain is done, so the arguments a claimer reads after its claim
// are its job's.
const WORK = 0, KERNEL = 1, ARGC = 2, ROWS = 3, GRAIN = 4, DONE = 5, FAILED = 6, SLEEPERS = 7, STREAM = 8;
// A lent output (see Runtime.rows's `copy`): TOTAL is what DONE reaches when
// the job is done (its grains, plus one for a copy task); COPY holds the
// copy task's flags (0: none), COPY_SRC its byte offset in the module's
// memory, COPY_DST and COPY_N its first element in the output and count.
const TOTAL = 9, COPY = 10, COPY_SRC = 11, COPY_DST = 12, COPY_N = 13;
// Idle workers sleep on SEQ, which the caller bumps at every job: the work
// word can come back to a value a worker saw before it slept (a job of as
// many grains, all claimed by the caller), and then a copy task posted with
// it would never wake the copier.
const SEQ = 14;
/**
 * 1 while the caller sleeps on DONE: workers wake it only then. A job
 * with a copy task ends with the copier's copy (about 0.1 ms for 256 KiB
 * with its page faults), so the caller polls that long before it sleeps:
 * a wake costs 40-70 µs, and a [8, 8, 1024, 1024] masked softmax has 1,024 jobs.
 */
const WAITER = 15;
const WAIT_SPIN_MS = 0.2;
/**
 * Per worker i (1 .. threads - 1), from byte 192 of the control block: its
 * state at WSTATE + i (0 idle, W_BUSY while it claims or runs a grain or a
 * copy task, W_EXITED once its thread is ending: process.exit(), an
 * uncaught exception) and its Linux thread id at WTID + i (0 if unknown).
 * A worker that dies mid-call never counts its grain done: the calling
 * thread, blocked in Atomics.wait (the Worker's 'exit' event cannot run
 * meanwhile), looks at these every LIVENESS_MS (see Runtime.rows).
 */
const WSTATE = 48, WTID = 64, W_BUSY = 1, W_EXITED = 2;
const CTL_BYTES = 4 * (WTID + 16);
const LIVENESS_MS = 100;
/** Thrown by Runtime.rows when a worker thread died during the call; the backend's ops then run on the CPU reference. */
class WorkerLost extends Error {}
/** COPY flags: a task is posted; take the output's buffer from the port first; send it back after the copy. */
const COPY_POSTED = 1, COPY_RECEIVE = 2, COPY_RETURN = 4;
/** Grains per job at most (they share the work word with the next grain's index). */
const MAX_GRAINS = 0x7fff;
/** Grains per thread: enough that the threads that run finish the work of one that does not. */
const GRAINS_PER_THREAD = 8;
/**
 * Waking a sleeping worker (Atomics.notify on a waiter: a futex wake and an
 * interrupt to the other core) cost the calling thread 37-74 µs here, and
 * the masked softmax posts a job per 256 KiB chunk: 1,024 jobs and about
 * 60 ms of the calling thread's time for [8, 8, 1024, 1024], whose worker
 * finishes each chunk long before the caller has staged the next. So while
 * the caller streams jobs (pipeline(): STREAM is 1) an idle worker polls
 * for the next one for up to SPIN_MS, and the caller posts it without a
 * wake (it notifies only when SLEEPERS > 0). A poll that times out, or
 * that finds its thread was descheduled (PREEMPTED_MS between two clock
 * reads: other work holds the cores), makes the worker sleep at once
 * through its next SPIN_BACKOFF idle spells, so a loaded machine does not
 * lose a core to polling.
 */
const SPIN_MS = 0.3;
const PREEMPTED_MS = 0.05;
const SPIN_BACKOFF = 8;
const SPIN_BACKOFF_MAX = 1024;

/** What each worker thread runs (CommonJS, eval'd): instantiate the module over the shared memory, then claim grains. */
const WORKER_SOURCE = `
const { workerData, receiveMessageOnPort } = require('node:worker_threads');
const { bytes, gemmBytes, memory, ctl, kernels, port, index } = workerData;

const k = Object.assign({},
  new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory, abort() { throw new RangeError('wasm kernel abort'); } } }).exports,
  gemmBytes ? new WebAssembly.Instance(new WebAssembly.Module(gemmBytes), { env: { memory } }).exports : {});
const c = new Int32Array(ctl);
const args = new Float64Array(ctl, 64);
// Liveness (see WSTATE): the thread id, and W_EXITED when this thread ends.
try {
  c[${WTID} + index] = Number(require('node:fs').readlinkSync('/proc/thread-self').split('/').pop()) || 0;
} catch (e) {
  // no /proc: the exit flag alone
}
process.on('exit', () => {
  Atomics.store(c, ${WSTATE} + index, ${W_EXITED});
  Atomics.notify(c, ${DONE});
});

// fn(args[0], ..., args[argc - 1], lo, hi) with the arguments written out:
// Reflect.apply copies its argument list into a fresh one on every call
// (16,384 grains in a [8, 8, 1024, 1024] masked softmax).
function callRows(fn, argc, lo, hi) {
  const a = args;
  switch (argc) {
    case 3: return fn(a[0], a[1], a[2], lo, hi);
    case 4: return fn(a[0], a[1], a[2], a[3], lo, hi);
    case 5: return fn(a[0], a[1], a[2], a[3], a[4], lo, hi);
    case 6: return fn(a[0], a[1], a[2], a[3], a[4], a[5], lo, hi);
    case 7: return fn(a[0], a[1], a[2], a[3], a[4], a[5], a[6], lo, hi);
    case 8: return fn(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], lo, hi);
    case 9: return fn(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], lo, hi);
    case 10: return fn(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], lo, hi);
    case 11: return fn(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10], lo, hi);
  }
  throw new RangeError('no row kernel takes ' + argc + ' arguments');
}
// The loop is a function's, so its numbers live in registers, not in
// boxes on the heap as top-level variables' do.
function serve() {
// Idle: poll for the next job while the caller streams them (STREAM), at
// most SPIN_MS, then sleep. A poll that timed out or was preempted (the
// machine is busy) makes the worker sleep straight away through the next
// \`skip\` idle spells, doubling up to SPIN_BACKOFF_MAX while polls keep
// failing; one that finds its job resets it.
let idleSince = -1, last = 0, polls = 0, skip = 0, backoff = ${SPIN_BACKOFF};
for (;;) {
  const seq = Atomics.load(c, ${SEQ});
  const v = Atomics.load(c, ${WORK});
  // The copier (the worker with the port) takes a posted copy task first.
  if (port !== undefined) {
    const f = Atomics.load(c, ${COPY});
    // W_BUSY before the claim: once the caller has closed a job it waits
    // while a live worker may still hold part of it (see WSTATE).
    if (f !== 0) {
      Atomics.store(c, ${WSTATE} + index, ${W_BUSY});
      if (Atomics.compareExchange(c, ${COPY}, f, 0) === f) {
        try {
          copyOut(f);
        } catch (e) {
          Atomics.store(c, ${FAILED}, 1);
        }
        if (Atomics.add(c, ${DONE}, 1) + 1 === Atomics.load(c, ${TOTAL}) && Atomics.load(c, ${WAITER}) === 1) Atomics.notify(c, ${DONE});
        Atomics.store(c, ${WSTATE} + index, 0);
        idleSince = -1;
        continue;
      }
      Atomics.store(c, ${WSTATE} + index, 0);
    }
  }
  const idx = v & 0xffff;
  if (idx >= v >>> 16) {
    if (skip === 0 && Atomics.load(c, ${STREAM})) {
      if ((++polls & 63) !== 0) continue;
      const now = performance.now();
      if (idleSince < 0) idleSince = last = now;
      if (now - idleSince < ${SPIN_MS} && now - last < ${PREEMPTED_MS}) {
        last = now;
        continue;
      }
      skip = backoff;
      backoff = Math.min(2 * backoff, ${SPIN_BACKOFF_MAX});
    } else if (skip > 0) skip--;
    Atomics.add(c, ${SLEEPERS}, 1);
    Atomics.wait(c, ${SEQ}, seq);
    Atomics.sub(c, ${SLEEPERS}, 1);
    idleSince = -1;
    continue;
  }
  if (idleSince >= 0) {
    backoff = ${SPIN_BACKOFF};
    idleSince = -1;
  }
  Atomics.store(c, ${WSTATE} + index, ${W_BUSY});
  if (Atomics.compareExchange(c, ${WORK}, v, v + 1) !== v) {
    Atomics.store(c, ${WSTATE} + index, 0);
    continue;
  }
  const rows = c[${ROWS}], grain = c[${GRAIN}];
  const lo = idx * grain, hi = Math.min(rows, lo + grain);
  try {
    callRows(k[kernels[c[${KERNEL}]]], c[${ARGC}], lo, hi);
  } catch (e) {
    Atomics.store(c, ${FAILED}, 1);
  }
  // Only the grain that completes the job wakes the caller (a wake is a
  // futex syscall and an interrupt to the other core: tens of µs here).
  if (Atomics.add(c, ${DONE}, 1) + 1 === Atomics.load(c, ${TOTAL}) && Atomics.load(c, ${WAITER}) === 1) Atomics.notify(c, ${DONE});
  Atomics.store(c, ${WSTATE} + index, 0);
}
}
// A lent output (the calling thread's fresh output array, moved here for one
// call so that this thread copies results into it and takes its first-touch
// page faults): received from the port with the first copy task, handed
// back through it after the last.
// Views of the module's memory by (start, length): the chunks rotate
// through three sets, so a few views serve a whole call without garbage.
let out = null, mem = null, views = [], lentAt = null;
// This thread's [ns on a CPU, ns waiting for one] (threadSchedstat's file), or null.
let schedstatFs = port !== undefined ? require('node:fs') : null;
function schedstat() {
  if (schedstatFs === null) return null;
  try {
    const f = schedstatFs.readFileSync('/proc/thread-self/schedstat', 'latin1').split(' ');
    return [Number(f[0]), Number(f[1])];
  } catch (e) {
    schedstatFs = null;
    return null;
  }
}
function copyOut(f) {
  if (f & ${COPY_RECEIVE}) {
    out = new Float32Array(receiveMessageOnPort(port).message);
    lentAt = schedstat();
  }
  if (mem === null || mem.buffer.byteLength !== memory.buffer.byteLength) {
    mem = new Float32Array(memory.buffer);
    views = [];
  }
  const src = c[${COPY_SRC}] >>> 2, n = c[${COPY_N}];
  if (n > 0) {
    let view = views.find((v) => v.byteOffset === 4 * src && v.length === n);
    if (view === undefined) {
      if (views.length >= 8) views = [];
      view = mem.subarray(src, src + n);
      views.push(view);
    }
    out.set(view, c[${COPY_DST}]);
  }
  if (f & ${COPY_RETURN}) {
    const b = out.buffer, now = schedstat();
    out = null;
    // With how long this thread ran and waited for a CPU while it held the buffer (see pipelineLent).
    port.postMessage({ buffer: b, ran: now && lentAt ? now[0] - lentAt[0] : -1, waited: now && lentAt ? now[1] - lentAt[1] : -1 }, [b]);
  }
}
serve();
`;

/** Copy `n` floats from byte `src` of the module's memory to element `dst` of the lent output (COPY flags). */
interface CopyTask {
  src: number;
  dst: number;
  n: number;
  flags: number;
}

/** A module instance, and the worker threads sharing its memory (none for one thread). */
interface Runtime {
  k: KernelExports;
  memory: WebAssembly.Memory;
  threads: number;
  /** Whether gemm_fma_rows is loaded and its relaxed_madd fuses (see madFuses). */
  fma: boolean;
  /** Whether the kernels are the relaxed-SIMD build (exp's fused multiply-adds in one instruction; see kernelBytes). */
  fusedExp: boolean;
  /**
   * Run a row kernel over rows [0, rows), split across the threads when the
   * work is large enough. `meanwhile` runs on the calling thread while the
   * workers start on the rows (after the kernel where nothing is split); it
   * must not touch memory the kernel reads or writes.
   */
  rows(kernel: RowKernel, args: number[], rows: number, elements: number, meanwhile?: () => void, copy?: CopyTask): void;
  /**
   * With worker threads: move a fresh output's buffer to the copier thread
   * for one call (`out` is detached until reclaim()): the copy tasks given
   * to rows() then copy results from the module into it on that thread,
   * which takes its first-touch page faults, in parallel with the calling
   * thread's staging. False when the buffer cannot move (it stays here).
   */
  lend?(out: Float32Array): boolean;
  /**
   * The lent buffer, back after the copy task with COPY_RETURN (null if it
   * did not come back), with the copier's share of its runnable time spent
   * waiting for a CPU while it held the buffer (NaN where unknown).
   */
  reclaim?(): { buffer: ArrayBuffer; copierWaitShare: number } | null;
  /** Milliseconds the calling thread has spent waiting for jobs with a copy task to finish, in all. */
  copyWaitMs?: number;
  /** Tell idle workers that jobs follow one another now (true) or no longer (false); see SPIN_MS. */
  stream?(on: boolean): void;
  /**
   * With worker threads: a second instance with its own (unshared) memory,
   * for the kernels that run on the calling thread alone (MEMORY_BOUND).
   * V8 copies to and from a SharedArrayBuffer with relaxed atomic word
   * copies, not memcpy: 8 MiB out of shared memory took 0.75 ms against
   * 0.50 ms out of an unshared one, and those kernels are mostly copies.
   */
  solo?: { k: KernelExports; memory: WebAssembly.Memory };
}

/**
 * Adds the gemm module's exports to `k` over `memory` when its relaxed_madd
 * fuses; returns the bytes the worker threads instantiate (null: no gemm).
 */
function addGemm(k: KernelExports, b64: string | undefined, memory: WebAssembly.Memory, want: boolean): Uint8Array<ArrayBuffer> | null {
  const bytes = want ? relaxedSimdModule(b64) : null;
  if (!bytes) return null;
  try {
    const g = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } }).exports as unknown as { fma_probe(a: number, b: number, c: number): number; gemm_fma_rows(...args: number[]): void };
    if (!madFuses(g.fma_probe)) return null;
    k.gemm_fma_rows = g.gemm_fma_rows;
    return bytes;
  } catch {
    return null;
  }
}

/** An instance of the single-thread module, with its own memory (null if this runtime refuses it). */
function soloInstance(bytes: Uint8Array<ArrayBuffer>): KernelExports | null {
  if (!WebAssembly.validate(bytes)) return null;
  return { ...new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { abort: () => { throw new RangeError('wasm kernel abort'); } } }).exports } as unknown as KernelExports;
}

function instantiate(threads: number | undefined, fma: boolean, fusedExp: boolean): Runtime | null {
  const src = moduleSources();
  if (!src || typeof WebAssembly === 'undefined') return null;
  const kb = kernelBytes(src, fusedExp);
  const node = threads === 1 ? null : nodeThreads();
  const want = Math.max(1, Math.min(threads ?? node?.cpus ?? 1, 16));
  try {
    if (node && want > 1) {
      const rt = threaded(kb.shared, src.gemmShared, fma, node, want);
      if (rt) rt.fusedExp = kb.fused;
      let solo: KernelExports | null = null;
      try {
        solo = rt && soloInstance(kb.single);
      } catch {
        // the shared instance serves those kernels as well
      }
      if (rt && solo) rt.solo = { k: solo, memory: solo.memory! };
      return rt;
    }
    const k = soloInstance(kb.single);
    if (!k) return null;
    const gemm = addGemm(k, src.gemmSingle, k.memory!, fma);
    return { k, memory: k.memory!, threads: 1, fma: gemm !== null, fusedExp: kb.fused, rows(kernel, args, rows, _elements, meanwhile) {
      k[kernel](...args, 0, rows);
      meanwhile?.();
    } };
  } catch {
    return null;
  }
}

function threaded(bytes: Uint8Array<ArrayBuffer>, gemmB64: string | undefined, fma: boolean, node: NodeThreads, threads: number): Runtime | null {
  if (!WebAssembly.validate(bytes)) return null;
  const memory = new WebAssembly.Memory({ initial: 1, maximum: MAX_PAGES, shared: true });
  const mod = new WebAssembly.Module(bytes);
  const k = { ...new WebAssembly.Instance(mod, { env: { memory, abort: () => { throw new RangeError('wasm kernel abort'); } } }).exports } as unknown as KernelExports;
  const gemmBytes = addGemm(k, gemmB64, memory, fma);
  const ctlBuf = new SharedArrayBuffer(CTL_BYTES);
  const ctl = new Int32Array(ctlBuf);
  const args = new Float64Array(ctlBuf, 64);
  // Workers start on the first parallel call (a hover never pays for them).
  let workers: NodeWorker[] | null = null;
  let broken = false;
  // The first worker is the copier: lent outputs go to it through this port.
  let port: NodePort | null = null;
  const start = () => {
    workers = [];
    for (let i = 1; i < threads; i++) {
      const channel = i === 1 ? new node.MessageChannel() : null;
      if (channel) port = channel.port1;
      const w = new node.Worker(WORKER_SOURCE, { eval: true, workerData: { bytes, gemmBytes, memory, ctl: ctlBuf, kernels: ROW_KERNELS, port: channel?.port2, index: i }, transferList: channel ? [channel.port2] : [] });
      // A worker that dies mid-grain can no longer count it done: later calls run on this thread alone.
      w.on('error', () => { broken = true; });
      w.on('exit', () => { broken = true; });
      w.unref();
      workers.push(w);
    }
  };
  /**
   * Whether a worker thread has ended: its exit flag (process.exit(), an
   * uncaught exception), or, with `checkThread`, its Linux thread gone from
   * /proc/self/task (Worker.terminate() runs no exit handler).
   */
  const fs = nodeBuiltin('node:fs') as { existsSync(path: string): boolean } | null;
  const dead = (i: number, checkThread: boolean): boolean => {
    if (Atomics.load(ctl, WSTATE + i) === W_EXITED) return true;
    const tid = Atomics.load(ctl, WTID + i);
    return checkThread && tid > 0 && fs !== null && !fs.existsSync(`/proc/self/task/${tid}`);
  };
  const workerLost = (checkThread: boolean): boolean => {
    for (let i = 1; i < threads; i++) if (dead(i, checkThread)) return true;
    return false;
  };
  /**
   * A worker died during the call: close the job (no grain or copy task
   * can be claimed any more), let the live workers finish what they hold
   * (they write into the module's memory), and throw WorkerLost. Every
   * later call runs on this thread (`broken`); a lent output went with
   * the copier if it was the one that died.
   */
  const abandon = (): never => {
    broken = true;
    Atomics.store(ctl, WORK, 0);
    Atomics.store(ctl, COPY, 0);
    Atomics.store(ctl, STREAM, 0);
    const until = performance.now() + 10 * LIVENESS_MS;
    for (let i = 1; i < threads; i++) {
      while (Atomics.load(ctl, WSTATE + i) === W_BUSY && !dead(i, true) && performance.now() < until) Atomics.wait(ctl, SEQ, Atomics.load(ctl, SEQ), 1);
    }
    Atomics.store(ctl, FAILED, 0);
    throw new WorkerLost('wasm worker thread exited during a call');
  };
  const runtime: Runtime = {
    k,
    memory,
    threads,
    fma: gemmBytes !== null,
    fusedExp: false,
    copyWaitMs: 0,
    stream(on) {
      Atomics.store(ctl, STREAM, on ? 1 : 0);
    },
    lend(out) {
      if (broken) return false;
      if (!workers) start();
      if (!port || out.byteOffset !== 0 || out.byteLength !== out.buffer.byteLength || !(out.buffer instanceof ArrayBuffer)) return false;
      try {
        port.postMessage(out.buffer, [out.buffer]);
      } catch {
        return false; // not transferable (the buffer is unchanged)
      }
      return true;
    },
    reclaim() {
      const m = (port ? node.receiveMessageOnPort(port) : undefined)?.message as { buffer?: unknown; ran?: number; waited?: number } | undefined;
      if (!(m?.buffer instanceof ArrayBuffer)) return null;
      const { ran = -1, waited = -1 } = m;
      return { buffer: m.buffer, copierWaitShare: ran >= 0 && waited >= 0 && ran + waited > 0 ? waited / (ran + waited) : NaN };
    },
    rows(kernel, a, rows, elements, meanwhile, copy) {
      if (!copy && (broken || elements < PARALLEL_MIN_ELEMENTS || rows < 2)) {
        k[kernel](...a, 0, rows);
        meanwhile?.();
        return;
      }
      if (broken) throw new WorkerLost('wasm worker thread exited');
      if (!workers) start();
      // Grains of whole 4-row blocks where rows allow (the matmul's block height).
      let grain = Math.max(1, Math.ceil(rows / (threads * GRAINS_PER_THREAD)));
      if (grain > 4) grain = Math.ceil(grain / 4) * 4;
      grain = Math.max(grain, Math.ceil(rows / MAX_GRAINS));
      const grains = Math.ceil(rows / grain);
      const total = grains + (copy ? 1 : 0);
      ctl[KERNEL] = ROW_KERNELS.indexOf(kernel);
      ctl[ARGC] = a.length;
      ctl[ROWS] = rows;
      ctl[GRAIN] = grain;
      args.set(a);
      const call = [...a, 0, 0];
      Atomics.store(ctl, DONE, 0);
      Atomics.store(ctl, TOTAL, total);
      if (copy) {
        ctl[COPY_SRC] = copy.src;
        ctl[COPY_DST] = copy.dst;
        ctl[COPY_N] = copy.n;
        Atomics.store(ctl, COPY, copy.flags | COPY_POSTED);
      }
      Atomics.store(ctl, WORK, grains << 16);
      Atomics.add(ctl, SEQ, 1);
      // A polling worker finds the job by itself; only a sleeping one needs the wake (see SPIN_MS).
      if (Atomics.load(ctl, SLEEPERS) > 0) Atomics.notify(ctl, SEQ);
      meanwhile?.();
      for (;;) {
        const v = Atomics.load(ctl, WORK);
        const idx = v & 0xffff;
        if (idx >= v >>> 16) break;
        if (Atomics.compareExchange(ctl, WORK, v, v + 1) !== v) continue;
        call[a.length] = idx * grain;
        call[a.length + 1] = Math.min(rows, (idx + 1) * grain);
        Reflect.apply(k[kernel], null, call);
        Atomics.add(ctl, DONE, 1);
      }
      const waitFrom = copy && Atomics.load(ctl, DONE) < total ? performance.now() : -1;
      if (waitFrom >= 0) {
        // Stop polling at WAIT_SPIN_MS, or at once when this thread was descheduled (other work holds the cores).
        for (let polls = 1, last = waitFrom; Atomics.load(ctl, DONE) < total; polls++) {
          if ((polls & 63) !== 0) continue;
          const now = performance.now();
          if (now - waitFrom > WAIT_SPIN_MS || now - last > PREEMPTED_MS) break;
          last = now;
        }
      }
      for (let d = Atomics.load(ctl, DONE); d < total; d = Atomics.load(ctl, DONE)) {
        Atomics.store(ctl, WAITER, 1);
        // A worker that exits notifies DONE; the timeout catches one whose thread ended without running its exit handler.
        const r = Atomics.wait(ctl, DONE, d, LIVENESS_MS);
        Atomics.store(ctl, WAITER, 0);
        if ((r !== 'ok' || Atomics.load(ctl, DONE) < total) && workerLost(r === 'timed-out')) abandon();
      }
      if (waitFrom >= 0) runtime.copyWaitMs! += performance.now() - waitFrom;
      if (Atomics.exchange(ctl, FAILED, 0)) throw new RangeError('wasm kernel failed in a worker thread');
    },
  };
  return runtime;
}

/** Chunk sizes of `per` rows covering [0, total), the last one shorter. */
function chunksOf(total: number, per: number): number[] {
  return Array.from({ length: Math.ceil(total / per) }, (_, i) => Math.min(per, total - i * per));
}

/**
 * Batches per staged chunk of a batched matmul, in order, each at most
 * `per`. With worker threads the calling thread stages the first chunk
 * before anyone multiplies, and copies the last one out after everyone is
 * done; its other copies overlap the workers. So the first and last chunks
 * are a quarter of `per`, and the ones between are even. A quarter is
 * enough: copying a batch out and the next one in costs the calling thread
 * about a quarter of what multiplying it costs (0.056 against 0.24 ms on
 * the bench's QK product), so the workers still have work while it copies
 * the chunk before the last. Each chunk ends in a wait for every thread,
 * so there are as few as that allows.
 */
export function matmulChunks(batch: number, per: number, threads: number): number[] {
  const even = (total: number) => {
    const count = Math.ceil(total / per);
    return Array.from({ length: count }, (_, i) => Math.floor((total * (i + 1)) / count) - Math.floor((total * i) / count));
  };
  const end = Math.max(1, per >> 2);
  if (threads <= 1 || batch <= per || batch <= 2 * end) return even(batch);
  return [end, ...even(batch - 2 * end), end];
}

export interface WasmBackend extends Backend {
  /** Element count from which accepts() takes float32 work. */
  threshold: number;
  /** Threads the row kernels are split across (1 without shared memory or worker_threads). */
  readonly threads: number;
  /** Kernel calls so far (tests check that a case ran on the module). */
  readonly dispatches: number;
  /** Bytes of module memory now (it grows to the largest chunk a call staged and is never returned). */
  readonly memoryBytes: number;
  /** Dispatches of one row kernel so far ('masked_softmax_rows', 'where_rows', ...): tests check which path ran. */
  kernelCalls(kernel: string): number;
  /**
   * Calls so far whose caller offered a fresh output to lend (softmax /
   * maskedSoftmax with `lend`, at least lendMinElements, worker threads):
   * `lent` went to the copier thread; the others copied on the calling
   * thread because the cores were busy (`busy`, see coresBusy), the copier
   * starved in a recent call (`backoff`, see LEND_WAIT_MAX) or the buffer
   * could not move (`refused`). The bench reports these per workload.
   * The shares of runnable time spent waiting for a CPU last measured
   * (NaN before any; see coresBusy): the calling thread's since the sample
   * before (`gateWaitShare`), and the calling thread's and the copier's
   * during the last lent call. `gate`: the signal coresBusy last used.
   */
  readonly lendStats: { lent: number; busy: number; backoff: number; refused: number; gateWaitShare: number; callerWaitShare: number; copierWaitShare: number; gate: LendGate };
  /**
   * Whether float32 products in the 'gemm' order run in the module (its
   * fused multiply-add kernel, where this runtime has relaxed SIMD and the
   * CPU fuses); otherwise they, and the 'gemv', 'dot' and 'outer' orders,
   * run on the CPU reference. The 'naive' order always runs in the module.
   */
  readonly fma: boolean;
  /**
   * Whether exp's fused multiply-adds run as f32x4.relaxed_madd (the
   * relaxed-SIMD build, where it fuses here); otherwise exactly in f64
   * lanes. The same bits either way.
   */
  readonly fusedExp: boolean;
  softmax(x: TypedData, rows: number, cols: number, out: TypedData, log: boolean, lend?: boolean): TypedData | void;
  maskedSoftmax(x: TypedData, mask: Operand, rows: number, cols: number, fill: number, out: TypedData, shape: readonly number[], lend?: boolean): TypedData | void;
  /**
   * cross entropy's per-row term without materialising log_softmax:
   * out[r] = log_softmax(x[r])[target[r]] (bit-identical to the element of
   * softmax(x, rows, cols, _, true)), 0 where target[r] === ignoreIndex.
   * x: contiguous float32 [rows, cols]. Targets outside [0, cols) other
   * than ignoreIndex raise RangeError (the caller validates them first).
   */
  logSoftmaxPick(x: Float32Array, rows: number, cols: number, target: ArrayLike<number>, ignoreIndex: number, out: Float32Array): void;
  /** out[i] = Sleef-style float32 exp(x[i]), the exp the softmax kernels use (for tests and the bench). */
  expSleef(x: Float32Array, out: Float32Array): void;
}

/**
 * The wasm SIMD backend, or null when the module is not built or this
 * runtime has no WebAssembly SIMD. `threshold`: accepts() takes float32
 * (and bool) work of at least this many elements (0 in tests: every size).
 * `threads`: how many threads split the row kernels (default: every core
 * where shared memory and worker_threads exist, else 1). `fma: false`
 * leaves out the fused-multiply-add gemm kernel (tests of the fallback);
 * `fusedExp: false` loads the plain kernels build, whose exp computes its
 * fused multiply-adds in f64 lanes (tests of that fallback).
 * `lendMinElements`: from this many elements a lent output goes to the
 * copier thread (LEND_MIN_ELEMENTS by default; tests lower it);
 * `lendBackoff: false` lends even after the copier starved or while the
 * cores are busy (see LEND_WAIT_MAX, coresBusy; tests that check the lent
 * path ran). A worker thread that dies during a call costs that call
 * a rerun on the CPU reference (same bits); later calls run on the
 * calling thread (see WorkerLost).
 */
export function wasmBackend(options: { threshold?: number; threads?: number; chunkBytes?: number; fma?: boolean; fusedExp?: boolean; lendMinElements?: number; lendBackoff?: boolean } = {}): WasmBackend | null {
  const CHUNK_BYTES = Math.max(1 << 16, options.chunkBytes ?? DEFAULT_CHUNK_BYTES);
  const rt = instantiate(options.threads, options.fma ?? true, options.fusedExp ?? true);
  if (!rt) return null;
  const { k, memory } = rt;
  const calls = new Map<string, number>();
  const rows = rt.rows;
  const stream = (on: boolean) => rt.stream?.(on);
  const reclaim = rt.reclaim;
  const copyWaited = () => rt.copyWaitMs ?? 0;
  rt.rows = (kernel, args, n, elements, meanwhile, copy) => {
    calls.set(kernel, (calls.get(kernel) ?? 0) + 1);
    rows(kernel, args, n, elements, meanwhile, copy);
  };
  /** Rows of `rowBytes` each that one chunk of the softmax-family kernels stages (see ROW_CHUNK_BYTES). */
  const rowsPerChunk = (rowBytes: number) => Math.max(Math.floor(Math.min(CHUNK_BYTES, ROW_CHUNK_BYTES) / Math.max(rowBytes, 1)), 4 * rt.threads, 1);
  let dispatches = 0;
  const { base, reserve, f32, i32, u8 } = arena(k, memory);
  /** Where the memory-bound kernels stage and run: the unshared instance if there is one. */
  const solo = rt.solo ? { ...arena(rt.solo.k, rt.solo.memory), k: rt.solo.k } : { base, reserve, f32, i32, u8, k };
  /** Run a kernel over rows [0, n) on the calling thread, in `solo` (see MEMORY_BOUND). */
  const runSolo = (kernel: RowKernel, args: number[], n: number) => {
    calls.set(kernel, (calls.get(kernel) ?? 0) + 1);
    solo.k[kernel](...args, 0, n);
    dispatches++;
  };

  /**
   * Rows [0, total) through a row kernel in chunks of `sizes` rows (in
   * order; they sum to total), in two sets of module regions (0 and 1) when
   * there are several chunks: the calling thread copies one chunk's result
   * out and stages the next chunk in while the workers run the other (those
   * copies, and the page faults of a fresh output, are most of the calling
   * thread's time). `stage(r, n, s)` copies rows [r, r + n) into set s,
   * `run(n, s, meanwhile)` runs the kernel on set s (passing `meanwhile` to
   * rt.rows), `copyOut(r, n, s)` copies the result out. The softmax family
   * and the batched matmul (rows = batches there) share it.
   */
  function pipeline(
    sizes: readonly number[],
    stage: (r: number, n: number, s: number) => void,
    run: (n: number, s: number, meanwhile: () => void) => void,
    copyOut: (r: number, n: number, s: number) => void,
  ): void {
    // One `meanwhile` for every chunk, reading the loop's state (no
    // closure per chunk: a [8, 8, 1024, 1024] masked softmax has 1024).
    let i = 0, r = 0, s = 0, prevR = -1, prevN = 0;
    const meanwhile = () => {
      if (prevR >= 0) copyOut(prevR, prevN, s ^ 1);
      if (i + 1 < sizes.length) stage(r + sizes[i], sizes[i + 1], s ^ 1);
    };
    if (sizes.length > 0) stage(0, sizes[0], 0);
    const streaming = sizes.length > 1;
    if (streaming) stream(true);
    try {
      for (; i < sizes.length; r += sizes[i++], s ^= 1) {
        run(sizes[i], s, meanwhile);
        dispatches++;
        prevR = r;
        prevN = sizes[i];
      }
    } finally {
      if (streaming) stream(false);
    }
    if (prevR >= 0) copyOut(prevR, prevN, s ^ 1);
  }

  /**
   * pipeline() for a lent output (Runtime.lend): the copier thread copies
   * each chunk's result out while the others run the next chunk and the
   * calling thread stages the one after, so chunks rotate through three
   * sets of module regions (`src(s)`: set s's result). Each job carries the
   * copy of the chunk before it; a last job copies the last chunk and
   * hands the buffer back. `width` elements per row. Returns the output
   * over the buffer that came back (throws if it did not).
   */
  function pipelineLent(
    sizes: readonly number[],
    width: number,
    stage: (r: number, n: number, s: number) => void,
    run: (n: number, s: number, meanwhile: () => void, copy: CopyTask | undefined) => void,
    src: (s: number) => number,
  ): Float32Array {
    let i = 0, r = 0;
    const meanwhile = () => {
      if (i + 1 < sizes.length) stage(r + sizes[i], sizes[i + 1], (i + 1) % 3);
    };
    const t0 = performance.now(), w0 = copyWaited(), s0 = threadSchedstat();
    stage(0, sizes[0], 0);
    stream(true);
    try {
      for (; i < sizes.length; r += sizes[i++]) {
        const copy = i > 0 ? { src: src((i - 1) % 3), dst: (r - sizes[i - 1]) * width, n: sizes[i - 1] * width, flags: i === 1 ? COPY_RECEIVE : 0 } : undefined;
        run(sizes[i], i % 3, meanwhile, copy);
        dispatches++;
      }
      const last = sizes.length - 1;
      rows(ROW_KERNELS[0], [], 0, 0, undefined, { src: src(last % 3), dst: (r - sizes[last]) * width, n: sizes[last] * width, flags: COPY_RETURN | (last === 0 ? COPY_RECEIVE : 0) });
    } finally {
      stream(false);
    }
    const elapsed = performance.now() - t0, s1 = threadSchedstat();
    const back = reclaim?.() ?? null;
    if (!back) throw new RangeError('wasm: the lent output did not come back');
    // The copier starved (other work holds the cores): the next calls copy
    // on this thread. The two threads' waits for a CPU during the call are
    // only reported: each wake from Atomics.wait counts as waiting, so with
    // free cores (SCHED_FIFO) they read 0.02-0.25 for the caller and
    // 0.05-0.29 for the copier, too close to loaded figures to decide on.
    lendStats.callerWaitShare = s0 && s1 ? waitShare(s0, s1) : NaN;
    lendStats.copierWaitShare = back.copierWaitShare;
    const starved = copyWaited() - w0 > LEND_WAIT_MAX * elapsed;
    if (options.lendBackoff !== false && starved && elapsed > 1) {
      lendSkip = lendBackoff;
      lendBackoff = Math.min(2 * lendBackoff, LEND_BACKOFF_MAX);
    } else lendBackoff = LEND_BACKOFF_MIN;
    return new Float32Array(back.buffer);
  }

  /**
   * Whether `out` can be lent to the copier thread for this call (see
   * Runtime.lend): the caller said nobody else holds it, there are worker
   * threads, and the call is large enough to pay for the hand-over.
   */
  const lendable = (out: TypedData, elements: number, lend: boolean | undefined): out is Float32Array => {
    if (!(lend === true && rt.lend !== undefined && out instanceof Float32Array && elements > 0 && elements >= (options.lendMinElements ?? LEND_MIN_ELEMENTS))) return false;
    if (options.lendBackoff === false) return true;
    if (lendSkip > 0) {
      lendSkip--;
      lendStats.backoff++;
      return false;
    }
    const busy = coresBusy();
    lendStats.gateWaitShare = lastWaitShare;
    lendStats.gate = lendGate;
    if (busy) {
      lendStats.busy++;
      return false;
    }
    return true;
  };
  /** Calls that could lend (see WasmBackend.lendStats). */
  const lendStats: WasmBackend['lendStats'] = { lent: 0, busy: 0, backoff: 0, refused: 0, gateWaitShare: NaN, callerWaitShare: NaN, copierWaitShare: NaN, gate: 'none' };
  /** rt.lend, counted: false (the buffer could not move) counts as refused. */
  const lendOut = (out: Float32Array): boolean => {
    const ok = rt.lend!(out);
    if (ok) lendStats.lent++;
    else lendStats.refused++;
    return ok;
  };
  // See LEND_WAIT_MAX: calls left to run without lending, and the next such run's length.
  let lendSkip = 0, lendBackoff = LEND_BACKOFF_MIN;

  /**
   * Storage offset of each row (all dims but the last) of an operand
   * broadcast to `shape`, from row r0 on. Rows go in runs along the last
   * leading dim (one add per row; the other dims carry between runs): the
   * combined mask's 2 x 16,384 offsets took 0.28 ms with a carry per row.
   */
  function rowOffsets(o: Operand, shape: readonly number[], r0: number, n: number, into: Int32Array): void {
    const lead = shape.length - 1;
    if (lead === 0) {
      into.fill(o.offset, 0, n);
      return;
    }
    const idx = new Array<number>(lead).fill(0);
    let off = o.offset;
    for (let d = lead - 1, r = r0; d >= 0; d--) {
      idx[d] = r % shape[d];
      r = Math.floor(r / shape[d]);
      off += idx[d] * o.strides[d];
    }
    const last = lead - 1;
    const sl = o.strides[last], nl = shape[last];
    for (let i = 0; i < n; ) {
      const run = Math.min(n - i, nl - idx[last]);
      for (let j = 0; j < run; j++, off += sl) into[i + j] = off;
      i += run;
      idx[last] += run;
      if (idx[last] < nl) break; // only at the end of the rows asked for
      off -= sl * nl;
      idx[last] = 0;
      for (let d = last - 1; d >= 0; d--) {
        off += o.strides[d];
        if (++idx[d] < shape[d]) break;
        off -= o.strides[d] * shape[d];
        idx[d] = 0;
      }
    }
  }

  /**
   * Row offsets of an operand for rows [r0, r0 + n) (see rowOffsets) into
   * `into`, rebased onto the span of storage elements those rows read,
   * which is returned: copy data[lo, hi) into the module, and the offsets
   * index that copy.
   */
  function stageRows(o: Operand, shape: readonly number[], r0: number, n: number, into: Int32Array): { lo: number; hi: number } {
    rowOffsets(o, shape, r0, n, into);
    const reach = (shape[shape.length - 1] - 1) * o.strides[shape.length - 1];
    let lo = Infinity, hi = -Infinity;
    for (let i = 0; i < n; i++) {
      lo = Math.min(lo, into[i] + Math.min(0, reach));
      hi = Math.max(hi, into[i] + Math.max(0, reach) + 1);
    }
    for (let i = 0; i < n; i++) into[i] -= lo;
    return { lo, hi };
  }

  const backend: WasmBackend = {
    name: 'wasm',
    threshold: options.threshold ?? 0,
    threads: rt.threads,
    fma: rt.fma,
    fusedExp: rt.fusedExp,
    get dispatches() {
      return dispatches;
    },
    get memoryBytes() {
      return memory.buffer.byteLength + (rt.solo ? rt.solo.memory.buffer.byteLength : 0);
    },
    kernelCalls: (kernel) => calls.get(kernel) ?? 0,
    get lendStats() {
      return { ...lendStats };
    },
    accepts(numel, dtype) {
      return (dtype === 'float32' || dtype === 'bool') && numel >= backend.threshold;
    },
    unary: (...a) => cpuBackend.unary(...a),

    where(cond, a, b, shape, out) {
      const nd = shape.length;
      const inner = nd ? shape[nd - 1] : 0;
      const unit = (o: Operand) => o.strides[nd - 1] === 0 || o.strides[nd - 1] === 1;
      if (!(out instanceof Float32Array) || !(a.data instanceof Float32Array) || !(b.data instanceof Float32Array) || !(cond.data instanceof Uint8Array) ||
        inner === 0 || out.length === 0 || !unit(cond) || !unit(a) || !unit(b)) {
        cpuBackend.where(cond, a, b, shape, out);
        return;
      }
      const { base, reserve, f32, i32, u8 } = solo;
      const rows = out.length / inner;
      const per = rowsPerChunk(4 * inner);
      const pr = Math.min(rows, per);
      // Offsets of the three operands, then the output rows, then each
      // operand's span for the chunk (staged below, memory grows as needed).
      const offs = reserve(base, 12 * pr);
      const po = offs < 0 ? -1 : reserve(offs + 12 * pr, 4 * pr * inner);
      if (po < 0) {
        cpuBackend.where(cond, a, b, shape, out);
        return;
      }
      const ops = [cond, a, b];
      for (let r = 0; r < rows; r += per) {
        const n = Math.min(per, rows - r);
        let at = po + 4 * pr * inner;
        const ptr: number[] = [];
        for (let k = 0; k < 3; k++) {
          const es = k === 0 ? 1 : 4;
          const o = i32(offs + 4 * pr * k, n);
          const span = stageRows(ops[k], shape, r, n, o);
          const p = reserve(at, es * (span.hi - span.lo));
          if (p < 0) {
            cpuBackend.where(cond, a, b, shape, out);
            return;
          }
          const src = ops[k].data.subarray(span.lo, span.hi);
          if (k === 0) u8(p, src.length).set(src);
          else f32(p, src.length).set(src);
          ptr.push(p);
          at = p + es * src.length;
        }
        runSolo('where_rows', [ptr[0], offs, cond.strides[nd - 1], ptr[1], offs + 4 * pr, a.strides[nd - 1], ptr[2], offs + 8 * pr, b.strides[nd - 1], po, inner], n);
        out.set(f32(po, n * inner), r * inner);
      }
    },
    reduce: (...a) => cpuBackend.reduce(...a),

    binary(op, a, b, shape, out, integer) {
      const nd = shape.length;
      const fl = a.data instanceof Float32Array && b.data instanceof Float32Array;
      const by = a.data instanceof Uint8Array && b.data instanceof Uint8Array;
      const inner = nd ? shape[nd - 1] : 0;
      const as = nd ? a.strides[nd - 1] : -1, bs = nd ? b.strides[nd - 1] : -1;
      if (!(out instanceof Uint8Array) || !((fl && FLOAT_COMPARE.has(op)) || (by && BYTE_LOGIC.has(op))) || inner === 0 || out.length === 0 || (as !== 0 && as !== 1) || (bs !== 0 && bs !== 1)) {
        cpuBackend.binary(op, a, b, shape, out, integer);
        return;
      }
      const { base, reserve, f32, i32, u8 } = solo;
      const es = fl ? 4 : 1;
      const rows = out.length / inner;
      const pa = reserve(base, a.data.length * es);
      const pb = pa < 0 ? -1 : reserve(pa + a.data.length * es, b.data.length * es);
      // Output chunks of ROW_CHUNK_BYTES stay in L2 between the kernel's
      // stores and the copy out: 2 MiB chunks made the combined mask's
      // `and` 1.45 ms instead of 0.96 ms.
      const per = Math.max(1, Math.floor(Math.min(CHUNK_BYTES, ROW_CHUNK_BYTES) / inner));
      const pr = Math.min(rows, per);
      const offs = pb < 0 ? -1 : reserve(pb + b.data.length * es, 8 * pr);
      const po = offs < 0 ? -1 : reserve(offs + 8 * pr, pr * inner);
      if (po < 0) {
        cpuBackend.binary(op, a, b, shape, out, integer);
        return;
      }
      if (fl) {
        f32(pa, a.data.length).set(a.data);
        f32(pb, b.data.length).set(b.data);
      } else {
        u8(pa, a.data.length).set(a.data);
        u8(pb, b.data.length).set(b.data);
      }
      const code = BINARY_OPS.indexOf(op);
      for (let r = 0; r < rows; r += per) {
        const n = Math.min(per, rows - r);
        rowOffsets(a, shape, r, n, i32(offs, n));
        rowOffsets(b, shape, r, n, i32(offs + 4 * pr, n));
        runSolo('binary_rows', [code, fl ? 1 : 0, pa, offs, as, pb, offs + 4 * pr, bs, po, inner], n);
        out.set(u8(po, n * inner), r * inner);
      }
    },

    matmul(a, bm, batch, m, k, n, out, order = 'naive') {
      // 'naive' (rounded products, rounded sums) is matmul_rows; 'gemm'
      // (fused, k in MKL's chunks) is gemm_fma_rows where it fuses; the
      // other orders, and 'gemm' without a fusing FMA, are the CPU reference's.
      const gemm = order === 'gemm' && rt.fma;
      if (!(a instanceof Float32Array) || !(bm instanceof Float32Array) || !(out instanceof Float32Array) || m * n === 0 || (order !== 'naive' && !gemm)) {
        cpuBackend.matmul(a, bm, batch, m, k, n, out, order);
        return;
      }
      // gemm_fma_rows reads b in 4-column vectors: its rows are staged at a
      // stride of whole vectors, plus one cache line where that stride is a
      // multiple of 1 KiB (rows that far apart share a few L1 sets).
      const ldb = !gemm ? n : (n & 255) === 0 ? n + 16 : (n + 3) & ~3;
      // With worker threads, chunks of 4 CHUNK_BYTES: each chunk ends in a
      // wait for every thread, which on a loaded machine costs more than the
      // cache misses of bigger chunks. One thread waits for no one: chunks of
      // at most MATMUL_CHUNK_1T bytes stay in L2 from staging through the
      // kernel to the copy out.
      const chunkBytes = rt.threads > 1 ? 4 * CHUNK_BYTES : Math.min(CHUNK_BYTES, MATMUL_CHUNK_1T);
      const per = Math.max(1, Math.floor(chunkBytes / (4 * (m * k + k * ldb + m * n))));
      const nb = Math.min(per, batch);
      // Two sets of regions when there are several chunks: the calling
      // thread copies one chunk's result out and the next chunk's operands
      // in while the workers multiply the other.
      const sets: { pa: number; pb: number; po: number }[] = [];
      let at = base;
      for (let s = 0; s < (batch > per ? 2 : 1); s++) {
        const pa = reserve(at, 4 * nb * m * k);
        const pb = pa < 0 ? -1 : reserve(pa + 4 * nb * m * k, 4 * nb * k * ldb);
        const po = pb < 0 ? -1 : reserve(pb + 4 * nb * k * ldb, 4 * nb * m * n);
        if (po < 0) {
          cpuBackend.matmul(a, bm, batch, m, k, n, out, order);
          return;
        }
        sets.push({ pa, pb, po });
        at = po + 4 * nb * m * n;
      }
      const stage = (p: number, c: number, s: number) => {
        const { pa, pb } = sets[s];
        f32(pa, c * m * k).set(a.subarray(p * m * k, (p + c) * m * k));
        if (ldb === n) {
          f32(pb, c * k * n).set(bm.subarray(p * k * n, (p + c) * k * n));
          return;
        }
        const staged = f32(pb, c * k * ldb);
        for (let r = 0; r < c * k; r++) staged.set(bm.subarray((p * k + r) * n, (p * k + r + 1) * n), r * ldb);
      };
      const work = (c: number) => (c * m * n * Math.max(k, 1)) >> 4;
      pipeline(
        matmulChunks(batch, per, rt.threads),
        stage,
        (c, s, meanwhile) => {
          const { pa, pb, po } = sets[s];
          if (gemm) rt.rows('gemm_fma_rows', [pa, pb, po, m, k, n, ldb], c * m, work(c), meanwhile);
          else rt.rows('matmul_rows', [pa, pb, po, m, k, n], c * m, work(c), meanwhile);
        },
        (p, c, s) => out.set(f32(sets[s].po, c * m * n), p * m * n),
      );
    },

    softmax(x, rows, cols, out, log, lend) {
      if (!(x instanceof Float32Array) || !(out instanceof Float32Array) || cols === 0) {
        cpuBackend.softmax!(x, rows, cols, out, log);
        return;
      }
      const per = rowsPerChunk(4 * cols);
      const bytes = Math.min(rows, per) * cols * 4;
      const lent = lendable(out, rows * cols, lend);
      // Three sets for a lent output (see pipelineLent), else two (one for a single chunk).
      const ps: number[] = [];
      for (let s = 0, at = base; s < (lent ? 3 : rows > per ? 2 : 1); s++) {
        const p = reserve(at, bytes);
        if (p < 0) {
          cpuBackend.softmax!(x, rows, cols, out, log);
          return;
        }
        ps.push(p);
        at = p + bytes;
      }
      if (lent && lendOut(out)) {
        return pipelineLent(
          chunksOf(rows, per),
          cols,
          (r, n, s) => f32(ps[s], n * cols).set(x.subarray(r * cols, (r + n) * cols)),
          (n, s, meanwhile, copy) => rt.rows('softmax_rows', [ps[s], cols, log ? 1 : 0], n, n * cols, meanwhile, copy),
          (s) => ps[s],
        );
      }
      pipeline(
        chunksOf(rows, per),
        (r, n, s) => f32(ps[s], n * cols).set(x.subarray(r * cols, (r + n) * cols)),
        (n, s, meanwhile) => rt.rows('softmax_rows', [ps[s], cols, log ? 1 : 0], n, n * cols, meanwhile),
        (r, n, s) => out.set(f32(ps[s], n * cols), r * cols),
      );
    },

    maskedSoftmax(x, mask, rows, cols, fill, out, shape, lend) {
      const m = mask.data;
      const lead = shape.length - 1;
      if (!(x instanceof Float32Array) || !(out instanceof Float32Array) || !(m instanceof Uint8Array) || cols === 0 || lead < 0) {
        maskedSoftmaxOnCpu(x, mask, rows, cols, fill, out, shape);
        return;
      }
      // Rows go in chunks, each with the span of mask bytes its rows read
      // (a causal [T, T] mask broadcast over batch and heads: the chunk's
      // query rows), placed after the rows; offsets are rebased onto it.
      // Two sets of regions (see pipeline); each set's mask region holds
      // the widest span of any chunk.
      const lent = lendable(out, rows * cols, lend);
      const per = rowsPerChunk(4 * cols);
      const pr = Math.min(rows, per);
      const scratch = new Int32Array(pr);
      let span = 0;
      for (let r = 0; r < rows; r += per) {
        const { lo, hi } = stageRows(mask, shape, r, Math.min(per, rows - r), scratch);
        span = Math.max(span, hi - lo);
      }
      const sets: { offs: number; p: number; mp: number }[] = [];
      let at = base;
      for (let s = 0; s < (lent ? 3 : rows > per ? 2 : 1); s++) {
        const offs = reserve(at, 4 * pr);
        const p = offs < 0 ? -1 : reserve(offs + 4 * pr, 4 * pr * cols);
        const mp = p < 0 ? -1 : reserve(p + 4 * pr * cols, span);
        if (mp < 0) {
          maskedSoftmaxOnCpu(x, mask, rows, cols, fill, out, shape);
          return;
        }
        sets.push({ offs, p, mp });
        at = mp + span;
      }
      const ms = mask.strides[lead];
      const stage = (r: number, n: number, s: number) => {
        const { offs, p, mp } = sets[s];
        const { lo, hi } = stageRows(mask, shape, r, n, i32(offs, n));
        u8(mp, hi - lo).set(m.subarray(lo, hi));
        f32(p, n * cols).set(x.subarray(r * cols, (r + n) * cols));
      };
      if (lent && lendOut(out)) {
        return pipelineLent(
          chunksOf(rows, per),
          cols,
          stage,
          (n, s, meanwhile, copy) => rt.rows('masked_softmax_rows', [sets[s].p, sets[s].offs, sets[s].mp, ms, cols, fill], n, n * cols, meanwhile, copy),
          (s) => sets[s].p,
        );
      }
      pipeline(
        chunksOf(rows, per),
        stage,
        (n, s, meanwhile) => rt.rows('masked_softmax_rows', [sets[s].p, sets[s].offs, sets[s].mp, ms, cols, fill], n, n * cols, meanwhile),
        (r, n, s) => out.set(f32(sets[s].p, n * cols), r * cols),
      );
    },

    logSoftmaxPick(x, rows, cols, target, ignoreIndex, out) {
      for (let r = 0; r < rows; r++) {
        const t = target[r];
        if (t !== ignoreIndex && !(Number.isInteger(t) && t >= 0 && t < cols)) throw new RangeError(`target ${t} is out of bounds`);
      }
      const per = Math.max(1, Math.floor(CHUNK_BYTES / (4 * Math.max(cols, 1))));
      const pr = Math.min(rows, per);
      // Targets, picked values and rows of a chunk; two sets (see pipeline).
      const sets: { tp: number; op: number; p: number }[] = [];
      for (let s = 0, at = base; s < (rows > per ? 2 : 1); s++) {
        const tp = reserve(at, 4 * pr);
        const op = tp < 0 ? -1 : reserve(tp + 4 * pr, 4 * pr);
        const p = op < 0 ? -1 : reserve(op + 4 * pr, pr * cols * 4);
        sets.push({ tp, op, p });
        at = p + pr * cols * 4;
      }
      if (sets.some((set) => set.p < 0) || cols === 0 || !Number.isInteger(ignoreIndex) || Math.abs(ignoreIndex) > 2 ** 31 - 1) {
        logSoftmaxPickOnCpu(x, rows, cols, target, ignoreIndex, out);
        return;
      }
      pipeline(
        chunksOf(rows, per),
        (r, n, s) => {
          f32(sets[s].p, n * cols).set(x.subarray(r * cols, (r + n) * cols));
          const t = i32(sets[s].tp, n);
          for (let i = 0; i < n; i++) t[i] = target[r + i];
        },
        (n, s, meanwhile) => rt.rows('log_softmax_pick_rows', [sets[s].p, sets[s].tp, sets[s].op, cols, ignoreIndex], n, n * cols, meanwhile),
        (r, n, s) => out.set(f32(sets[s].op, n), r),
      );
    },

    expSleef(x, out) {
      const per = CHUNK_BYTES / 4;
      for (let i = 0; i < x.length; i += per) {
        const n = Math.min(per, x.length - i);
        const p = reserve(base, n * 4);
        f32(p, n).set(x.subarray(i, i + n));
        k.exp_f32(p, p, n);
        dispatches++;
        out.set(f32(p, n), i);
      }
    },
  };
  // A worker thread that died during a call (WorkerLost; later calls run on
  // this thread) costs that call its staged rows: it runs again on the CPU
  // reference, which gives the same bits. A lent output went with the
  // copier if the copier died: the result then comes in a fresh array.
  const { softmax, maskedSoftmax, logSoftmaxPick, matmul } = backend;
  const fresh = (out: TypedData, n: number): TypedData => (out.length === n ? out : new Float32Array(n));
  const lost = (e: unknown) => {
    if (!(e instanceof WorkerLost)) throw e;
  };
  backend.softmax = (x, rows, cols, out, log, lend) => {
    try {
      return softmax(x, rows, cols, out, log, lend);
    } catch (e) {
      lost(e);
      const into = fresh(out, rows * cols);
      cpuBackend.softmax!(x, rows, cols, into, log);
      return into === out ? undefined : into;
    }
  };
  backend.maskedSoftmax = (x, mask, rows, cols, fill, out, shape, lend) => {
    try {
      return maskedSoftmax(x, mask, rows, cols, fill, out, shape, lend);
    } catch (e) {
      lost(e);
      const into = fresh(out, rows * cols);
      maskedSoftmaxOnCpu(x, mask, rows, cols, fill, into, shape);
      return into === out ? undefined : into;
    }
  };
  backend.logSoftmaxPick = (x, rows, cols, target, ignoreIndex, out) => {
    try {
      logSoftmaxPick(x, rows, cols, target, ignoreIndex, out);
    } catch (e) {
      lost(e);
      logSoftmaxPickOnCpu(x, rows, cols, target, ignoreIndex, out);
    }
  };
  backend.matmul = (a, bm, batch, m, k, n, out, order) => {
    try {
      matmul(a, bm, batch, m, k, n, out, order);
    } catch (e) {
      lost(e);
      cpuBackend.matmul(a, bm, batch, m, k, n, out, order);
    }
  };
  return backend;
}

/** logSoftmaxPick on the CPU reference: log_softmax's picked elements, 0 at ignoreIndex. */
function logSoftmaxPickOnCpu(x: Float32Array, rows: number, cols: number, target: ArrayLike<number>, ignoreIndex: number, out: Float32Array): void {
  const logp = new Float32Array(rows * cols);
  cpuBackend.softmax!(x, rows, cols, logp, true);
  for (let r = 0; r < rows; r++) out[r] = target[r] === ignoreIndex ? 0 : logp[r * cols + target[r]];
}

/**
 * Staging over one module memory: `base` (the first free byte, 16-aligned),
 * `reserve(at, bytes)` (the offset of a region of `bytes` from `at`, growing
 * memory to hold it; -1 past MAX_PAGES), and typed views at byte offsets.
 */
function arena(k: KernelExports, memory: WebAssembly.Memory) {
  return {
    base: (k.heap_base() + 15) & ~15,
    reserve(at: number, bytes: number): number {
      const start = (at + 15) & ~15;
      const need = start + bytes;
      const have = memory.buffer.byteLength;
      if (need > MAX_PAGES * 65536) return -1;
      if (need > have) memory.grow(Math.ceil((need - have) / 65536));
      return start;
    },
    f32: (p: number, n: number) => new Float32Array(memory.buffer, p, n),
    i32: (p: number, n: number) => new Int32Array(memory.buffer, p, n),
    u8: (p: number, n: number) => new Uint8Array(memory.buffer, p, n),
  };
}

/** masked_fill then softmax on the CPU reference (for dtypes the module does not take). */
function maskedSoftmaxOnCpu(x: TypedData, mask: Operand, rows: number, cols: number, fill: number, out: TypedData, shape: readonly number[]): void {
  const filled = new (x.constructor as { new (n: number): TypedData })(x.length);
  const strides = shape.map((_, d) => shape.slice(d + 1).reduce((a, b) => a * b, 1));
  cpuBackend.where(mask, { data: Float64Array.of(fill), strides: shape.map(() => 0), offset: 0 }, { data: x, strides, offset: 0 }, shape, filled);
  cpuBackend.softmax!(filled, rows, cols, out, false);
}
