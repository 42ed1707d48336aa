// `npm run bench`: times the mask workloads on our CPU reference, our
// WebAssembly SIMD backend (one thread and every thread), our gpu.js
// backend (in whichever mode gpu.js found), TensorFlow.js (cpu and wasm
// backends), in one headless Chromium page our gpu.js backend on WebGL2 and
// TensorFlow.js's webgl and wasm backends (the browser peer,
// src/bench/browser.ts: rows 'ours-gpu (chromium)', 'tfjs-webgl (chromium)',
// 'tfjs-wasm (chromium)', each with the WebGL renderer it ran on; without a
// GPU that is SwiftShader, a CPU rasterizer, and software_renderer says so)
// and PyTorch when /usr/bin/python3 (or MASKLENS_BENCH_PYTHON)
// has it. Each result with a PyTorch figure from the same run gets
// ratio_to_torch (its median over PyTorch's); machine.loadavg says how
// loaded the machine was.
//
// Timing is interleaved: within a workload every engine (PyTorch in its
// persistent child process included) runs one warm-up, then the timed
// repetitions go round-robin, one call of each engine per round, starting
// each round one engine further on. So a ratio compares medians taken
// under the same load, not PyTorch's minute at the end against ours.
// After those rounds PyTorch also runs the same call back to back in its
// process ('torch (alone)', ratio_to_torch_alone): its steady state, which
// the interleaving disturbs (caches, allocator), reported beside it.
//
//   node dist/bench.js [--quick] [--json-out FILE] [--only a,b] [--repeats N]
//                      [--gpu-mode gpu|webgl2|webgl|headlessgl|webasm|cpu] [--no-peers] [--no-tfjs] [--no-gpu] [--no-browser] [--sweep]
//
// --no-tfjs keeps PyTorch but skips the TensorFlow.js peers (minutes at full size on 2 cores).
// --no-gpu skips our gpu.js backend in Node (without a GPU it runs gpu.js's CPU modes: tens of seconds at full size).
// --no-browser skips the browser peer (Chromium); --no-tfjs and --no-peers leave only ours-gpu in it.
//
// --sweep adds a masked-softmax size sweep ([4, T, T] for T = 16 .. 1024,
// or .. 256 with --quick) on our CPU paths and the gpu backend, and reports
// the crossover: the smallest size from which the gpu backend stays faster
// than the CPU reference (what select.ts's threshold is tuned from).
//
// Prints the JSON report on stdout and a readable table on stderr (through
// npm, use `npm run -s bench` or --json-out for clean JSON: npm echoes the
// script line on stdout). A peer
// that is missing is reported as { "unavailable": reason }; no number is
// ever made up. Each result carries a checksum of its output and whether it
// matches our CPU reference, so a fast wrong answer shows.

import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Backend } from './engine/kernels/backend';
import { cpuBackend } from './engine/kernels/cpu';
import { gpuBackend, type GpuBackend, type GpuBackendOptions } from './engine/kernels/gpu';
import { wasmBackend, type WasmBackend } from './engine/kernels/wasm';
import { evaluate } from './service/evaluate';
import { parseModule } from './python/parse';
import { maskedSoftmax, prepareOurs, type MaskKind, type Prepared } from './bench/ours';
import { startBrowser, type BrowserPeer } from './bench/browser';
import { BROWSER_ENGINES } from './bench/browser_engines';
import { loadTfjs, tfjsWorkload, type TfjsBackendName } from './bench/tfjs';
import { measure, peakRssBytes, summarize, type Contender, type Timing } from './bench/timing';
import { startTorch, torchExp, torchPeakRss, torchSoftmaxFamily, type TorchPeer } from './bench/torch';
import { sleefExpf } from './engine/kernels/sleef32';
import { checksum, uniformF32, FULL, HOVER_SNIPPETS, largeFileSource, QUICK, sameChecksum, WORKLOAD_NAMES, type Checksum, type Sizes, type WorkloadName } from './bench/workloads';

interface Args {
  quick: boolean;
  jsonOut?: string;
  only?: WorkloadName[];
  repeats?: number;
  gpuMode?: GpuBackendOptions['mode'];
  peers: boolean;
  tfjs: boolean;
  gpu: boolean;
  browser: boolean;
  sweep: boolean;
}

function parseArgs(argv: string[]): Args {
  const a: Args = { quick: false, peers: true, tfjs: true, gpu: true, browser: true, sweep: false };
  for (let i = 0; i < argv.length; i++) {
    const v = argv[i];
    if (v === '--quick') a.quick = true;
    else if (v === '--no-peers') a.peers = false;
    else if (v === '--no-tfjs') a.tfjs = false;
    else if (v === '--no-gpu') a.gpu = false;
    else if (v === '--no-browser') a.browser = false;
    else if (v === '--sweep') a.sweep = true;
    else if (v === '--json-out') a.jsonOut = argv[++i];
    else if (v === '--repeats') a.repeats = Number(argv[++i]);
    else if (v === '--gpu-mode') a.gpuMode = argv[++i] as Args['gpuMode'];
    else if (v === '--only') {
      const names = argv[++i].split(',');
      for (const n of names) if (!(WORKLOAD_NAMES as readonly string[]).includes(n)) throw new Error(`unknown workload ${n}`);
      a.only = names as WorkloadName[];
    } else throw new Error(`unknown argument ${v}`);
  }
  return a;
}

interface Result extends Partial<Timing> {
  engine: string;
  unavailable?: string;
  error?: string;
  checksum?: Checksum;
  matches_ours_cpu?: boolean;
  [extra: string]: unknown;
}

interface WorkloadReport {
  name: WorkloadName;
  sizes: Record<string, number | string>;
  /** 1-minute load average when the workload started and when it ended. */
  loadavg: number[];
  results: Result[];
}

const round1 = (v: number) => Math.round(v * 10) / 10;

/**
 * ratio_to_torch on each timed result: its median over PyTorch's median in
 * the same interleaved rounds; cpu_ratio_to_torch the same for the CPU time
 * of each call (every thread of the process), which other load on the
 * machine disturbs less than the wall time; and ratio_to_torch_alone and
 * cpu_ratio_to_torch_alone, over PyTorch's steady-state loop (TORCH_ALONE)
 * where the run has one, and ratio_to_torch_alone_1_thread over that loop
 * on one thread (TORCH_ALONE_1).
 */
function addRatios(results: Result[]): void {
  const ratio = (engine: string, key: 'median_ms' | 'cpu_median_ms', into: string) => {
    const t = results.find((r) => r.engine === engine)?.[key];
    if (typeof t !== 'number' || !(t > 0)) return;
    for (const r of results) if (typeof r[key] === 'number') r[into] = Math.round(((r[key] as number) / t) * 100) / 100;
  };
  ratio('torch', 'median_ms', 'ratio_to_torch');
  ratio('torch', 'cpu_median_ms', 'cpu_ratio_to_torch');
  ratio(TORCH_ALONE, 'median_ms', 'ratio_to_torch_alone');
  ratio(TORCH_ALONE, 'cpu_median_ms', 'cpu_ratio_to_torch_alone');
  ratio(TORCH_ALONE_1, 'median_ms', 'ratio_to_torch_alone_1_thread');
}

/**
 * The engine name of PyTorch's steady-state figure: after a workload's
 * interleaved rounds, the peer runs the same call in a tight loop, where
 * nothing of ours disturbs its caches and allocator between calls (its
 * interleaved median can be several times its median alone). Both are
 * reported: ratio_to_torch stays the interleaved one, as in earlier reports.
 */
const TORCH_ALONE = 'torch (alone)';
/**
 * The same loop on one thread. On 2 cores that other jobs share, PyTorch's
 * second OpenMP thread waits for a core at every parallel region: the
 * combined mask took 16 ms a call on 2 threads and 1.2 ms on 1 (load 2.7).
 */
const TORCH_ALONE_1 = 'torch (alone, 1 thread)';
/** Calls of PyTorch's steady-state loop (at least 20), after this many warm-up calls. */
const TORCH_ALONE_RUNS = 20;
const TORCH_ALONE_WARMUP = 3;

/** PyTorch's steady-state result for the workload the peer has set up (see TORCH_ALONE). */
async function torchAlone(peer: TorchPeer, repeats: number, threads?: 1): Promise<Result> {
  const engine = threads ? TORCH_ALONE_1 : TORCH_ALONE;
  try {
    const calls = await peer.alone(Math.max(TORCH_ALONE_RUNS, repeats), TORCH_ALONE_WARMUP, threads);
    const timed = calls.slice(TORCH_ALONE_WARMUP);
    return {
      engine,
      ...summarize(timed.map((c) => c.ms), calls[0].ms),
      cpu_median_ms: summarize(timed.map((c) => c.cpuMs ?? NaN), NaN).median_ms,
      ...faultStats(timed.map((c) => c.faults ?? NaN)),
      timing: `${TORCH_ALONE_WARMUP} warm-up calls, then back to back in the peer after the interleaved rounds`,
    };
  } catch (e) {
    return { engine, error: errorText(e) };
  }
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message.split('\n')[0] : String(e);
}

/**
 * page_faults_median: the median of the minor page faults per timed call
 * (first touches of fresh pages, e.g. of a new output buffer: on this VM
 * each costs about 2 µs, so an 8 MiB output that the allocator maps fresh
 * adds ~4 ms, and whether it does varies from call to call, for PyTorch too).
 */
function faultStats(faults: number[]): { page_faults_median?: number } {
  if (faults.length === 0 || faults.some((f) => !Number.isFinite(f))) return {};
  const s = [...faults].sort((a, b) => a - b);
  return { page_faults_median: s[s.length >> 1] };
}

/** Our engine (or tfjs) on a Prepared workload, timed here with performance.now(). */
function local(engine: string, p: () => Prepared, extra?: () => Record<string, unknown>, withChecksum = true): Contender {
  let prepared: Prepared | null = null;
  return {
    engine,
    async setup() {
      prepared = p();
    },
    async once() {
      const c = process.cpuUsage();
      const f = process.resourceUsage().minorPageFault;
      const t = performance.now();
      await prepared!.run();
      const ms = performance.now() - t;
      const cpu = process.cpuUsage(c);
      return { ms, cpuMs: (cpu.user + cpu.system) / 1000, faults: process.resourceUsage().minorPageFault - f };
    },
    async checksum() {
      return withChecksum ? checksum(prepared!.output()) : undefined;
    },
    extra,
    dispose() {
      (prepared as { dispose?: () => void } | null)?.dispose?.();
      prepared = null;
    },
  };
}

/** PyTorch in its child process, timed there around the call. */
function torchContender(peer: TorchPeer, name: WorkloadName, sizes: Sizes): Contender {
  return {
    engine: 'torch',
    setup: () => peer.setup(name, sizes),
    once: () => peer.run(),
    checksum: async () => (name === 'hover_eval' ? undefined : peer.checksum()),
  };
}

/**
 * Time contenders interleaved: each sets up and runs once (first_ms), then
 * `repeats` rounds call each once, the round r starting at contender r mod
 * n, so none always runs right after the same other. A contender that throws
 * is reported with its error and leaves the rounds.
 */
async function interleaved(contenders: Contender[], repeats: number): Promise<Result[]> {
  const state = contenders.map((c) => ({ c, samples: [] as number[], cpu: [] as number[], faults: [] as number[], first: NaN, error: undefined as string | undefined }));
  const attempt = async (s: (typeof state)[number], f: () => Promise<void>) => {
    if (s.error !== undefined) return;
    try {
      await f();
    } catch (e) {
      s.error = errorText(e);
      s.c.dispose?.();
    }
  };
  for (const s of state) {
    await attempt(s, () => s.c.setup());
    await attempt(s, async () => { s.first = (await s.c.once()).ms; });
  }
  for (let r = 0; r < repeats; r++) {
    for (let j = 0; j < state.length; j++) {
      const s = state[(r + j) % state.length];
      await attempt(s, async () => {
        const { ms, cpuMs, faults } = await s.c.once();
        s.samples.push(ms);
        if (cpuMs !== undefined) s.cpu.push(cpuMs);
        if (faults !== undefined) s.faults.push(faults);
      });
    }
  }
  const results: Result[] = [];
  for (const s of state) {
    if (s.error === undefined) {
      let sum: Checksum | undefined;
      await attempt(s, async () => { sum = await s.c.checksum(); });
      if (s.error === undefined) {
        const cpu = s.cpu.length === s.samples.length && s.cpu.length > 0 ? { cpu_median_ms: summarize(s.cpu, NaN).median_ms } : {};
        const faults = s.faults.length === s.samples.length ? faultStats(s.faults) : {};
        results.push({ engine: s.c.engine, ...summarize(s.samples, s.first), ...cpu, ...faults, ...(sum ? { checksum: sum } : {}), ...(s.c.extra?.() ?? {}) });
        s.c.dispose?.();
        continue;
      }
    }
    results.push({ engine: s.c.engine, error: s.error, ...(s.c.extra?.() ?? {}) });
  }
  return results;
}

/**
 * lend_calls: of this workload's calls (the warm-up included) that offered
 * the backend a fresh output to lend to its copier thread (WasmBackend.lendStats),
 * how many lent it and why the others did not. Absent where no call offered one.
 */
function lendCalls(before: WasmBackend['lendStats'], after: WasmBackend['lendStats']): { lend_calls?: LendCalls } {
  const share = (v: number) => (Number.isFinite(v) ? Math.round(v * 1000) / 1000 : null);
  const d = { lent: after.lent - before.lent, busy: after.busy - before.busy, backoff: after.backoff - before.backoff, refused: after.refused - before.refused };
  if (d.lent + d.busy + d.backoff + d.refused === 0) return {};
  return { lend_calls: { ...d, gate: after.gate, last_gate_wait_share: share(after.gateWaitShare), last_lent_caller_wait_share: share(after.callerWaitShare), last_lent_copier_wait_share: share(after.copierWaitShare) } };
}
/** lend_calls: counts, and the last wait shares the backend measured (WasmBackend.lendStats; null: none measured). */
interface LendCalls {
  lent: number;
  busy: number;
  backoff: number;
  refused: number;
  /** The signal the backend's gate used: 'cpu wait' (Linux schedstat) or 'load average'. */
  gate: string;
  last_gate_wait_share: number | null;
  last_lent_caller_wait_share: number | null;
  last_lent_copier_wait_share: number | null;
}

function fmt(v: number | undefined): string {
  if (v === undefined || Number.isNaN(v)) return '-';
  return v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2);
}

function table(reports: WorkloadReport[]): string {
  const lines: string[] = [];
  for (const w of reports) {
    lines.push(`\n${w.name}  ${Object.entries(w.sizes).map(([k, v]) => `${k}=${v}`).join(' ')}  (load ${w.loadavg.join(' -> ')})`);
    lines.push(`  ${'engine'.padEnd(44)} ${'median'.padStart(9)} ${'p10'.padStart(9)} ${'p90'.padStart(9)} ${'first'.padStart(9)} ${'x torch'.padStart(8)} ${'cpu ms'.padStart(9)} ${'cpu x'.padStart(7)} ${'x alone'.padStart(8)} ${'faults'.padStart(7)}  check`);
    for (const r of w.results) {
      const label = r.engine + (typeof r.gpujs_mode === 'string' ? ` [${r.gpujs_mode}]` : '') + (r.software_renderer ? ` [${/swiftshader/i.test(String(r.renderer)) ? 'SwiftShader' : 'software GL'}]` : '');
      if (r.unavailable || r.error) {
        lines.push(`  ${label.padEnd(44)} ${r.unavailable ? `unavailable: ${r.unavailable}` : `error: ${r.error}`}`);
        continue;
      }
      const check = r.matches_ours_cpu === undefined ? '' : r.matches_ours_cpu ? 'ok' : 'MISMATCH';
      lines.push(
        `  ${label.padEnd(44)} ${fmt(r.median_ms).padStart(9)} ${fmt(r.p10_ms).padStart(9)} ${fmt(r.p90_ms).padStart(9)} ${fmt(r.first_ms).padStart(9)} ${fmt(r.ratio_to_torch as number | undefined).padStart(8)} ${fmt(r.cpu_median_ms as number | undefined).padStart(9)} ${fmt(r.cpu_ratio_to_torch as number | undefined).padStart(7)} ${fmt(r.ratio_to_torch_alone as number | undefined).padStart(8)} ${String(r.page_faults_median ?? '-').padStart(7)}  ${check}`,
      );
      const lc = r.lend_calls as LendCalls | undefined;
      if (lc) {
        lines.push(`  ${''.padEnd(44)} output lent to the copier in ${lc.lent} of ${lc.lent + lc.busy + lc.backoff + lc.refused} calls (not lent: cores busy ${lc.busy}, backoff ${lc.backoff}, refused ${lc.refused});` +
          ` wait for a CPU: gate (${lc.gate}) ${lc.last_gate_wait_share ?? '-'}, last lent call caller ${lc.last_lent_caller_wait_share ?? '-'} / copier ${lc.last_lent_copier_wait_share ?? '-'}`);
      }
    }
  }
  return lines.join('\n') + '\n';
}

interface SweepRow {
  T: number;
  elements: number;
  cpu_compose_ms: number;
  cpu_fused_js_ms: number;
  gpu_ms: number | null;
}

interface Sweep {
  gpujs_mode: string;
  rows: SweepRow[];
  /** Smallest element count from which the gpu backend beats the composed CPU path at every larger size; null if it never does. */
  crossover_elements_vs_cpu: number | null;
  /** The same against the fused JS loop. */
  crossover_elements_vs_fused_js: number | null;
}

function crossover(rows: SweepRow[], cpu: (r: SweepRow) => number): number | null {
  let at: number | null = null;
  for (let i = rows.length - 1; i >= 0; i--) {
    const g = rows[i].gpu_ms;
    if (g === null || g >= cpu(rows[i])) break;
    at = rows[i].elements;
  }
  return at;
}

async function maskedSoftmaxSweep(gpu: GpuBackend | null, quick: boolean, repeats: number): Promise<Sweep> {
  const rows: SweepRow[] = [];
  const maxT = quick ? 256 : 1024;
  for (let T = 16; T <= maxT; T *= 2) {
    console.error(`[bench] sweep T=${T} ...`);
    const sizes = { B: 1, H: 4, T };
    const med = async (p: Prepared) => (await measure(() => p.run(), repeats)).median_ms;
    rows.push({
      T,
      elements: 4 * T * T,
      cpu_compose_ms: await med(maskedSoftmax(cpuBackend, sizes, 'compose')),
      cpu_fused_js_ms: await med(maskedSoftmax(cpuBackend, sizes, 'fused-js')),
      gpu_ms: gpu ? await med(maskedSoftmax(gpu, sizes, 'fused-kernel')) : null,
    });
  }
  return {
    gpujs_mode: gpu ? gpu.mode : 'unavailable',
    rows,
    crossover_elements_vs_cpu: crossover(rows, (r) => r.cpu_compose_ms),
    crossover_elements_vs_fused_js: crossover(rows, (r) => r.cpu_fused_js_ms),
  };
}

function sweepTable(s: Sweep): string {
  const lines = [`
masked_softmax sweep [4,T,T]  gpu.js mode ${s.gpujs_mode}`];
  lines.push(`  ${'T'.padStart(6)} ${'elements'.padStart(10)} ${'cpu'.padStart(9)} ${'fused js'.padStart(9)} ${'gpu'.padStart(9)}`);
  for (const r of s.rows) {
    lines.push(`  ${String(r.T).padStart(6)} ${String(r.elements).padStart(10)} ${fmt(r.cpu_compose_ms).padStart(9)} ${fmt(r.cpu_fused_js_ms).padStart(9)} ${fmt(r.gpu_ms ?? undefined).padStart(9)}`);
  }
  lines.push(`  crossover vs cpu: ${s.crossover_elements_vs_cpu ?? 'none'}; vs fused js: ${s.crossover_elements_vs_fused_js ?? 'none'}`);
  return lines.join('\n') + '\n';
}

/**
 * Peak resident memory of one fused masked softmax on the wasm backend
 * (every thread), measured in a fresh child process (`--peak-rss-child`) so
 * the other workloads' allocations do not count, and the same for PyTorch's
 * `softmax(scores.masked_fill(mask, -inf), -1)` as users write it. Both
 * with the bench's causal mask [T, T] (broadcast over batch and heads) and
 * with a padding mask [B, 1, 1, T]. Ratios are to the scores' bytes:
 * - `ratio_to_tensor_bytes`: (peak RSS - RSS once the engine is loaded and
 *   its thread pool started) / bytes, so it counts the input scores, the
 *   mask, the output and the scratch: input + output alone are 2.00;
 * - `ratio_op`: (peak RSS - RSS once scores and mask exist) / bytes, what
 *   the masked softmax itself adds (the output alone is 1.00);
 * - `scratch_kib`: what the op adds beyond its output (module memory
 *   touched, garbage, the worker threads' heaps);
 * - `ratio_cold_start` measures from before the module was instantiated,
 *   so it also counts the module and the worker threads (a fixed few MiB,
 *   whatever the tensor's size).
 */
function peakRss(sizes: Sizes): Record<string, unknown> {
  const run = (args: string[]): Record<string, unknown> => {
    const r = spawnSync(process.execPath, [process.argv[1], '--peak-rss-child', JSON.stringify(sizes.masked_softmax), ...args], { encoding: 'utf8', timeout: 10 * 60_000 });
    try {
      return JSON.parse(r.stdout.trim().split('\n').pop() ?? '') as Record<string, unknown>;
    } catch {
      return { unavailable: `child exited ${r.status ?? r.signal}: ${(r.stderr || '').trim().split('\n').pop()}` };
    }
  };
  return { ...run(['causal']), padding_mask: run(['padding']), torch: torchPeakRss(sizes.masked_softmax) };
}

async function peakRssChild(size: Sizes['masked_softmax'], mask: MaskKind): Promise<void> {
  const cold = process.memoryUsage.rss();
  const w = wasmBackend({ threshold: 0, lendMinElements: 1 << 16 });
  if (!w) throw new Error('wasm backend not built');
  // Start the pool and warm the path the measured call takes (a call over
  // the parallel threshold whose output is lent to the copier thread: that
  // thread's first copies compile and grow its heap once per process), with
  // inputs small enough (256 KiB) that freeing them later moves no RSS.
  // Then let the workers settle.
  maskedSoftmax(w, { B: 1, H: 1, T: 256 }, 'fused-kernel', mask).run();
  await new Promise((resolve) => setTimeout(resolve, 300));
  const before = process.memoryUsage.rss();
  const p = maskedSoftmax(w, size, 'fused-kernel', mask);
  const inputs = process.memoryUsage.rss();
  p.run();
  const peak = peakRssBytes();
  const bytes = size.B * size.H * size.T * size.T * 4;
  const mib = (v: number) => Math.round(v / 2 ** 20);
  const ratio = (from: number) => Math.round(((peak - from) / bytes) * 1000) / 1000;
  process.stdout.write(JSON.stringify({
    engine: 'ours-wasm', threads: w.threads, mask, tensor_mib: mib(bytes), rss_cold_mib: mib(cold), rss_before_mib: mib(before),
    rss_inputs_mib: mib(inputs), rss_peak_mib: mib(peak), ratio_to_tensor_bytes: ratio(before), ratio_op: ratio(inputs),
    scratch_kib: Math.round((peak - inputs - bytes) / 1024), ratio_cold_start: ratio(cold),
  }) + '\n');
}

/** Share of equal float32 bits (NaN equal to NaN). */
function sameBits(a: Float32Array, b: Float32Array, pick: (i: number) => number = (i) => i, n = a.length): number {
  const ab = new Int32Array(a.buffer, a.byteOffset, a.length), bb = new Int32Array(b.buffer, b.byteOffset, b.length);
  let same = 0;
  for (let i = 0; i < n; i++) {
    const j = pick(i);
    if (ab[j] === bb[j] || (Number.isNaN(a[j]) && Number.isNaN(b[j]))) same++;
  }
  return same / n;
}

/**
 * Shares of float32 results bit-identical to torch 2.13's (the Python peer,
 * one thread): softmax and log_softmax of [4096, 256] uniform in [-8, 8]
 * (about 10^6 outputs), F.cross_entropy(reduction='none') of [2^20, 10]
 * logits (every tenth target ignored), on the CPU reference and the wasm
 * kernels. And ATen's vectorised exp as softmax shows it: rows
 * [0, d_1..d_15] with d in [-87, -18] sum to exactly 1 in float32, so the
 * outputs 1..15 are exp(d_i) itself (torch.exp is MKL's vsExp instead).
 */
function softmaxBitShares(wasm: ReturnType<typeof wasmBackend>): Record<string, unknown> {
  const [rows, cols] = [4096, 256];
  const x = uniformF32(rows * cols, -8, 8, 17);
  const classes = 10, n = 1 << 20;
  const logits = uniformF32(n * classes, -4, 4, 18);
  const target = Int32Array.from({ length: n }, (_, i) => (i % 10 === 9 ? -100 : (i * 7) % classes));
  const expRows = 66_667;
  const d = uniformF32(expRows * 15, -87, -18, 16);
  const x16 = new Float32Array(expRows * 16);
  for (let r = 0; r < expRows; r++) x16.set(d.subarray(r * 15, (r + 1) * 15), r * 16 + 1);
  const t = torchSoftmaxFamily(x, rows, cols, logits, target, classes);
  const te = torchSoftmaxFamily(x16, expRows, 16, Float32Array.of(0, 1), Int32Array.of(0), 2);
  if ('unavailable' in t) return t;
  if ('unavailable' in te) return te;
  const out: Record<string, unknown> = {};
  const engines: [string, Backend & { logSoftmaxPick?: (x: Float32Array, r: number, c: number, t: ArrayLike<number>, ig: number, o: Float32Array) => void } | null][] = [['ours_cpu', cpuBackend], ['ours_wasm', wasm]];
  for (const [name, b] of engines) {
    if (!b) {
      out[name] = 'unavailable';
      continue;
    }
    const sm = new Float32Array(x.length), lsm = new Float32Array(x.length);
    b.softmax!(x, rows, cols, sm, false);
    b.softmax!(x, rows, cols, lsm, true);
    const ce = new Float32Array(n);
    if (b.logSoftmaxPick) b.logSoftmaxPick(logits, n, classes, target, -100, ce);
    else {
      const lp = new Float32Array(logits.length);
      b.softmax!(logits, n, classes, lp, true);
      for (let i = 0; i < n; i++) ce[i] = target[i] === -100 ? 0 : lp[i * classes + target[i]];
    }
    for (let i = 0; i < n; i++) ce[i] = target[i] === -100 ? 0 : -ce[i];
    out[name] = { softmax: sameBits(sm, t.softmax), log_softmax: sameBits(lsm, t.log_softmax), cross_entropy: sameBits(ce, t.cross_entropy) };
  }
  const at = (i: number) => Math.floor(i / 15) * 16 + 1 + (i % 15);
  const viaSoftmax = (e: Float32Array) => sameBits(Float32Array.from({ length: x16.length }, (_, i) => (i % 16 === 0 ? 0 : e[Math.floor(i / 16) * 15 + (i % 16) - 1])), te.softmax, at, d.length);
  const wasmExp = new Float32Array(d.length);
  wasm?.expSleef(d, wasmExp);
  out.exp_via_softmax = {
    inputs: d.length,
    math_exp_fround: viaSoftmax(d.map((v) => Math.fround(Math.exp(v)))),
    cpu_sleef_exp: viaSoftmax(d.map(sleefExpf)),
    ...(wasm ? { wasm_sleef_exp: viaSoftmax(wasmExp) } : { wasm_sleef_exp: 'unavailable' }),
  };
  out.sizes = { softmax: [rows, cols], cross_entropy: [n, classes], exp_via_softmax_rows: [expRows, 16] };
  return out;
}

async function main(): Promise<void> {
  if (process.argv[2] === '--peak-rss-child') {
    await peakRssChild(JSON.parse(process.argv[3]) as Sizes['masked_softmax'], (process.argv[4] ?? 'causal') as MaskKind);
    return;
  }
  const args = parseArgs(process.argv.slice(2));
  // Libraries (tfjs greets on console.log) must not corrupt the JSON on stdout.
  console.log = console.error;
  const sizes = args.quick ? QUICK : FULL;
  const base = args.repeats ?? (args.quick ? 3 : 5);
  const repeats = Object.fromEntries(WORKLOAD_NAMES.map((n) => [n, n === 'hover_eval' ? base * 4 : base])) as Record<WorkloadName, number>;
  const selected = args.only ?? [...WORKLOAD_NAMES];

  const gpu: GpuBackend | null = args.gpu ? gpuBackend({ threshold: 0, mode: args.gpuMode }) : null;
  const wasm = wasmBackend({ threshold: 0 });
  const wasm1 = wasmBackend({ threshold: 0, threads: 1 });
  const loadBefore = os.loadavg();
  const gpuInfo = () => (gpu ? { gpujs_mode: gpu.mode, kernels_compiled_total: gpu.compiledKernels, dispatches: gpu.dispatches, ...(gpu.failure ? { fell_back_to_cpu: gpu.failure } : {}) } : {});

  const tfjsPeers: Record<TfjsBackendName, Awaited<ReturnType<typeof loadTfjs>> | null> = { cpu: null, wasm: null };

  let torchInfo: Record<string, unknown> = {};
  let torchPeer: TorchPeer | null = null;
  if (args.peers) {
    const t = await startTorch();
    if ('unavailable' in t) torchInfo = { unavailable: t.unavailable };
    else {
      torchPeer = t;
      torchInfo = { version: t.torch, threads: t.threads, timing: 'interleaved with ours, one persistent process', timing_alone: `'${TORCH_ALONE}' and '${TORCH_ALONE_1}': ${TORCH_ALONE_WARMUP} warm-up calls, then at least ${TORCH_ALONE_RUNS} back to back, after the interleaved rounds` };
    }
  }
  // The browser peer: one Chromium page for the whole run (dist/bench.js sits in <repo>/dist).
  let browserPeer: BrowserPeer | null = null;
  let browserInfo: Record<string, unknown> = { unavailable: args.browser ? 'no workload for it (hover_eval only)' : 'skipped (--no-browser)' };
  if (args.browser && selected.some((n) => n !== 'hover_eval')) {
    console.error('[bench] starting headless Chromium (browser peer) ...');
    const b = await startBrowser(path.resolve(__dirname, '..'), { tfjs: args.peers && args.tfjs });
    if ('unavailable' in b) browserInfo = { unavailable: b.unavailable };
    else {
      browserPeer = b;
      browserInfo = { ...b.info, engines: b.engines };
    }
  }
  const torchEntry = (name: WorkloadName, sizesNow: Sizes): Contender[] => (torchPeer ? [torchContender(torchPeer, name, sizesNow)] : []);
  const torchMissing = (): Result[] => (args.peers && !torchPeer ? [{ engine: 'torch', unavailable: String(torchInfo.unavailable) }] : []);

  const reports: WorkloadReport[] = [];
  for (const name of selected) {
    console.error(`[bench] ${name} ...`);
    const loadStart = os.loadavg()[0];
    if (name === 'hover_eval') {
      const snippets = Object.values(HOVER_SNIPPETS);
      const ours = local('ours (evaluate)', () => ({
        run() {
          for (const s of snippets) {
            const res = evaluate(s);
            if (res.errors.length) throw new Error(`${res.errors[0].type}: ${res.errors[0].message}`);
          }
        },
        output: () => [],
      }), undefined, false);
      const results = [...(await interleaved([ours, ...torchEntry(name, sizes)], repeats.hover_eval)), ...torchMissing()];
      if (torchPeer && results.some((r) => r.engine === 'torch' && r.median_ms !== undefined)) results.push(await torchAlone(torchPeer, repeats.hover_eval), await torchAlone(torchPeer, repeats.hover_eval, 1));
      addRatios(results);
      reports.push({ name, sizes: { snippets: Object.keys(HOVER_SNIPPETS).join(',') }, loadavg: [loadStart, os.loadavg()[0]].map(round1), results });
      continue;
    }
    const contenders: Contender[] = [];
    const skipped: Result[] = [];
    contenders.push(local('ours-cpu', () => prepareOurs(name, cpuBackend, sizes)));
    if (name === 'masked_softmax') contenders.push(local('ours-cpu (fused js loop)', () => prepareOurs(name, cpuBackend, sizes, 'fused-js')));
    // 'ours-wasm' (every thread) keeps the key earlier reports used; 'ours-wasm (1 thread)' beside it.
    for (const [engine, w] of [['ours-wasm (1 thread)', wasm1], ['ours-wasm', wasm]] as const) {
      if (!w) {
        skipped.push({ engine, unavailable: 'wasmBackend() returned null: the kernel module is not built (npm run build)' });
        continue;
      }
      const before = w.dispatches, lendBefore = w.lendStats;
      contenders.push(local(engine, () => prepareOurs(name, w, sizes, name === 'masked_softmax' ? 'fused-kernel' : 'compose'), () => ({ threads: w.threads, dispatches: w.dispatches - before, ...lendCalls(lendBefore, w.lendStats) })));
    }
    if (!args.gpu) {
      skipped.push({ engine: 'ours-gpu', unavailable: 'skipped (--no-gpu)' });
    } else if (gpu) {
      const before = gpu.dispatches;
      contenders.push(local('ours-gpu', () => prepareOurs(name, gpu, sizes, name === 'masked_softmax' ? 'fused-kernel' : 'compose'), () => ({ ...gpuInfo(), dispatches: gpu.dispatches - before })));
    } else {
      skipped.push({ engine: 'ours-gpu', unavailable: 'gpuBackend() returned null: gpu.js could not build a working kernel' });
    }
    if (args.peers && args.tfjs) {
      for (const tb of ['cpu', 'wasm'] as const) {
        const peer = (tfjsPeers[tb] ??= await loadTfjs(tb));
        if ('unavailable' in peer) {
          skipped.push({ engine: `tfjs-${tb}`, unavailable: peer.unavailable });
          continue;
        }
        // One tfjs instance serves both backends: each switches before its calls.
        const inner = local(`tfjs-${tb}`, () => tfjsWorkload(peer, name, sizes), () => ({ ...peer.info }));
        contenders.push({
          ...inner,
          async setup() {
            await peer.tf.setBackend(tb);
            await inner.setup();
          },
          async once() {
            await peer.tf.setBackend(tb);
            return inner.once();
          },
        });
      }
    }
    for (const engine of BROWSER_ENGINES) {
      const e = browserPeer?.engines.find((x) => x.engine === engine);
      if (!browserPeer) skipped.push({ engine, unavailable: String(browserInfo.unavailable) });
      else if (!e || e.unavailable) skipped.push({ engine, unavailable: e?.unavailable ?? 'the page did not report it' });
      else contenders.push(browserPeer.contender(engine, name, sizes));
    }
    contenders.push(...torchEntry(name, sizes));
    const results = [...(await interleaved(contenders, repeats[name])), ...skipped, ...torchMissing()];
    if (torchPeer && results.some((r) => r.engine === 'torch' && r.median_ms !== undefined)) results.push(await torchAlone(torchPeer, repeats[name]), await torchAlone(torchPeer, repeats[name], 1));
    const ref = results[0].checksum;
    for (const r of results) if (ref && r.checksum) r.matches_ours_cpu = sameChecksum(ref, r.checksum);
    addRatios(results);
    reports.push({ name, sizes: { ...sizes[name] }, loadavg: [loadStart, os.loadavg()[0]].map(round1), results });
  }
  torchPeer?.close();
  await browserPeer?.close();

  const sweep = args.sweep ? await maskedSoftmaxSweep(gpu, args.quick, base) : undefined;
  let maskedSoftmaxPeak: Record<string, unknown> | undefined;
  if (selected.includes('masked_softmax')) {
    console.error('[bench] masked_softmax peak RSS (child process) ...');
    maskedSoftmaxPeak = peakRss(sizes);
  }

  // The parser on a 3000-line file (was a time limit in a unit test).
  console.error('[bench] parse_large_file ...');
  const largeFile = largeFileSource(3000);
  const parseLargeFile = { lines: 3000, ...(await measure(() => parseModule(largeFile), base)) };

  // Share of float32 exp results bit-identical to torch.exp on 10^6 random
  // inputs: Math.fround(Math.exp(x)) (the CPU reference) and the wasm
  // kernels' Sleef-algorithm exp.
  let expBits: Record<string, unknown> | undefined;
  let softmaxBits: Record<string, unknown> | undefined;
  if (args.peers) {
    console.error('[bench] exp bits vs torch.exp ...');
    expBits = {};
    for (const [label, lo, hi] of [['[-87, 0]', -87, 0], ['[-87, 88]', -87, 88]] as const) {
      const x = uniformF32(1_000_000, lo, hi, 15);
      const want = torchExp(x);
      if (!(want instanceof Float32Array)) {
        expBits[label] = want;
        continue;
      }
      const ours = new Float32Array(x.length);
      wasm?.expSleef(x, ours);
      const wb = new Int32Array(want.buffer), ob = new Int32Array(ours.buffer);
      let js = 0, sleef = 0;
      for (let i = 0; i < x.length; i++) {
        if (Math.fround(Math.exp(x[i])) === want[i]) js++;
        if (ob[i] === wb[i]) sleef++;
      }
      expBits[label] = { inputs: x.length, math_exp_fround: js / x.length, ...(wasm ? { wasm_sleef_exp: sleef / x.length } : { wasm_sleef_exp: 'unavailable' }) };
    }
    console.error('[bench] softmax bits vs torch ...');
    softmaxBits = softmaxBitShares(wasm);
    if ('exp_via_softmax' in softmaxBits) expBits['via softmax [-87, -18]'] = softmaxBits.exp_via_softmax;
  }

  const report = {
    machine: {
      cpus: os.cpus().length,
      cpu_model: os.cpus()[0]?.model ?? 'unknown',
      total_memory_gb: Math.round(os.totalmem() / 2 ** 30),
      platform: `${os.platform()} ${os.release()}`,
      node: process.version,
      gpujs_mode: gpu ? gpu.mode : 'unavailable',
      gpujs_renderer: gpu?.renderer ?? null,
      gpujs_failure: gpu?.failure ?? null,
      display: process.env.DISPLAY ?? null,
      tfjs_cpu: tfjsPeers.cpu && !('unavailable' in tfjsPeers.cpu) ? tfjsPeers.cpu.info : tfjsPeers.cpu,
      tfjs_wasm: tfjsPeers.wasm && !('unavailable' in tfjsPeers.wasm) ? tfjsPeers.wasm.info : tfjsPeers.wasm,
      torch: torchInfo,
      browser: browserInfo,
      wasm_simd: wasm ? 'available' : 'unavailable',
      wasm_threads: wasm ? wasm.threads : 0,
      // 1-minute load average at the start and the end of the run (cores: cpus).
      loadavg: [loadBefore[0], os.loadavg()[0]].map((v) => Math.round(v * 10) / 10),
    },
    options: { quick: args.quick, repeats },
    workloads: reports,
    parse_large_file: parseLargeFile,
    ...(sweep ? { masked_softmax_sweep: sweep } : {}),
    ...(maskedSoftmaxPeak ? { masked_softmax_peak_rss: maskedSoftmaxPeak } : {}),
    ...(expBits ? { exp_bit_identical_to_torch: expBits } : {}),
    ...(softmaxBits ? { softmax_bit_identical_to_torch: softmaxBits } : {}),
  };
  const json = JSON.stringify(report, null, 2);
  process.stderr.write(table(reports));
  if (sweep) process.stderr.write(sweepTable(sweep));
  process.stderr.write(`\nparse_large_file (3000 lines): median ${fmt(parseLargeFile.median_ms)} ms, first ${fmt(parseLargeFile.first_ms)} ms\n`);
  if (maskedSoftmaxPeak) process.stderr.write(`masked_softmax peak RSS: ${JSON.stringify(maskedSoftmaxPeak)}\n`);
  if (expBits) process.stderr.write(`exp bit-identical to torch.exp (share of 10^6): ${JSON.stringify(expBits)}\n`);
  if (softmaxBits) process.stderr.write(`softmax family bit-identical to torch: ${JSON.stringify(softmaxBits)}\n`);
  if (args.jsonOut) writeFileSync(args.jsonOut, json + '\n');
  process.stdout.write(json + '\n');
  gpu?.dispose();
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`bench failed: ${e instanceof Error ? e.stack : String(e)}\n`);
    process.exit(1);
  },
);
