// The gpu.js backend: large float32 work as gpu.js kernels.
//
// gpu.js picks the best context it can create: WebGL2/WebGL in a browser or
// webview, headless-gl in Node when the optional `gl` package is built and
// a display is present, else its WebAssembly backend (f32 SIMD on the CPU),
// else plain JavaScript. `mode` says which one ran.
//
// Every entry point falls back to the CPU reference when a kernel cannot
// be built or run, and then stops offering itself (accepts() turns false):
// a failing GPU must never surface as an error in a user's snippet.
// Ops the kernels do not cover (integer semantics, pow, floor division,
// prod, ...) run on the CPU reference directly.

import type { GPU as GPUInstance, IKernelRunShortcut } from 'gpu.js';
import type { TypedData } from '../tensor';
import type { Backend, BinaryOp, Operand, ReduceOp, UnaryOp } from './backend';
import { cpuBackend } from './cpu';
import { softmaxRow32 } from './float32_order';
import { coalesce, F32_EXACT, planChunks, type Chunk, type Window } from './gpu/plan';
import {
  elementwiseSource,
  GPU_BINARY,
  GPU_UNARY,
  matmulSource,
  reduceSource,
  softmaxApplySource,
  softmaxStatsSource,
  type FillKind,
  type GpuReduceOp,
} from './gpu/sources';

/** The gpu.js backend a kernel actually ran on. */
export type GpuMode = 'webgpu' | 'webgl2' | 'webgl' | 'headlessgl' | 'webasm' | 'cpu' | 'unknown';

export interface GpuBackendOptions {
  /** gpu.js mode to request; default 'gpu' (its own best-available choice). */
  mode?: 'gpu' | 'webgl2' | 'webgl' | 'headlessgl' | 'webasm' | 'cpu';
  /** accepts() only work with at least this many output elements. */
  threshold?: number;
  /** Most output elements per dispatch (capped at 2^22 so kernel indices stay exact in float32). */
  maxDispatch?: number;
}

export interface GpuBackend extends Backend {
  /** The gpu.js backend the kernels run on ('webasm' in plain Node without headless-gl). */
  readonly mode: GpuMode;
  /** The GL renderer string when the context reports one (e.g. 'Google SwiftShader', 'llvmpipe'), else null. */
  readonly renderer: string | null;
  /** False once a kernel failed; from then on everything runs on the CPU reference. */
  readonly available: boolean;
  /** Why the backend stopped using gpu.js, if it did. */
  readonly failure: string | null;
  threshold: number;
  /** Kernels compiled so far (each distinct op and shape signature compiles once). */
  readonly compiledKernels: number;
  /** Kernel runs so far; an op that ran on the CPU reference adds none. */
  readonly dispatches: number;
  maskedSoftmax(
    x: TypedData,
    mask: Operand,
    rows: number,
    cols: number,
    fill: number,
    out: TypedData,
    shape?: readonly number[],
  ): void;
  softmax(x: TypedData, rows: number, cols: number, out: TypedData, log: boolean): void;
  /** Release the compiled kernels and the gpu.js context. */
  dispose(): void;
}

const MAX_DISPATCH = 1 << 22;
const KERNEL_CACHE_LIMIT = 128;

type KernelArg = Float32Array;

type GpuJs = typeof import('gpu.js');

/** The gpu.js backend behind a kernel (GL kernels all report mode 'gpu', so test the class). */
function kernelMode(lib: GpuJs, k: IKernelRunShortcut): GpuMode {
  const inner = (k as unknown as { kernel?: unknown }).kernel;
  if (inner instanceof lib.HeadlessGLKernel) return 'headlessgl';
  if (inner instanceof lib.WebGL2Kernel) return 'webgl2';
  if (inner instanceof lib.WebGLKernel) return 'webgl';
  // Not in gpu.js's typings, but exported by its module.
  const webgpu = (lib as unknown as { WebGPUKernel?: abstract new (...args: never[]) => unknown }).WebGPUKernel;
  if (webgpu && inner instanceof webgpu) return 'webgpu';
  if (inner instanceof lib.WebAssemblyKernel) return 'webasm';
  if (inner instanceof lib.CPUKernel) return 'cpu';
  return 'unknown';
}

/** A window of `data` as a Float32Array, copying only when it is another type. */
function windowArray(data: TypedData, w: Window): Float32Array {
  const end = w.lo + w.length;
  if (data instanceof Float32Array) return data.subarray(w.lo, end);
  const out = new Float32Array(w.length);
  for (let i = 0; i < w.length; i++) out[i] = data[w.lo + i];
  return out;
}

/**
 * Storage offset of mask[r, 0] for each row r. `strides` has either two
 * entries (a [rows, cols] view) or one per dimension of `shape`.
 */
export function maskRowOffsets(mask: Operand, rows: number, cols: number, shape?: readonly number[]): { offsets: Float64Array; colStride: number } {
  const st = mask.strides;
  const offsets = new Float64Array(rows);
  if (st.length === 0) {
    offsets.fill(mask.offset);
    return { offsets, colStride: 0 };
  }
  const colStride = st[st.length - 1];
  if (st.length === 1) {
    offsets.fill(mask.offset);
    return { offsets, colStride };
  }
  if (st.length === 2 && (!shape || shape.length !== 2)) {
    for (let r = 0; r < rows; r++) offsets[r] = mask.offset + r * st[0];
    return { offsets, colStride };
  }
  if (!shape || shape.length !== st.length || shape[shape.length - 1] !== cols) {
    throw new Error(`maskedSoftmax: a mask with ${st.length} strides needs the input shape`);
  }
  const lead = shape.slice(0, -1);
  const idx = new Array<number>(lead.length).fill(0);
  let off = mask.offset;
  for (let r = 0; r < rows; r++) {
    offsets[r] = off;
    for (let d = lead.length - 1; d >= 0; d--) {
      idx[d]++;
      off += st[d];
      if (idx[d] < lead[d]) break;
      off -= st[d] * lead[d];
      idx[d] = 0;
    }
  }
  return { offsets, colStride };
}

/** Fused masked softmax in plain JavaScript: the fallback when kernels are unavailable (float32: bit-identical to masked_fill then the CPU reference's softmax). */
export function maskedSoftmaxJs(
  x: TypedData,
  mask: Operand,
  rows: number,
  cols: number,
  fill: number,
  out: TypedData,
  shape?: readonly number[],
): void {
  const { offsets, colStride } = maskRowOffsets(mask, rows, cols, shape);
  const m = mask.data;
  if (out instanceof Float32Array) {
    // float32: the filled row through the CPU reference's softmax (ATen's order and Sleef exp), bit for bit
    const row = new Float32Array(cols);
    for (let r = 0; r < rows; r++) {
      const o = r * cols, mb = offsets[r];
      for (let c = 0; c < cols; c++) row[c] = m[mb + c * colStride] !== 0 ? fill : x[o + c];
      softmaxRow32(row, 0, cols, out.subarray(o, o + cols), false);
    }
    return;
  }
  for (let r = 0; r < rows; r++) {
    const o = r * cols, mb = offsets[r];
    let max = -Infinity;
    for (let c = 0; c < cols; c++) {
      const v = m[mb + c * colStride] !== 0 ? fill : x[o + c];
      if (v > max || Number.isNaN(v)) max = v;
    }
    let sum = 0;
    for (let c = 0; c < cols; c++) {
      const v = m[mb + c * colStride] !== 0 ? fill : x[o + c];
      const e = Math.exp(v - max);
      out[o + c] = e;
      sum += e;
    }
    for (let c = 0; c < cols; c++) out[o + c] /= sum;
  }
}

function fillKindOf(fill: number): FillKind {
  if (fill === -Infinity) return 'neginf';
  if (Number.isFinite(fill)) return 'finite';
  return 'poison';
}

class GpuJsBackend implements GpuBackend {
  readonly name = 'gpu';
  mode: GpuMode = 'unknown';
  renderer: string | null = null;
  failure: string | null = null;
  threshold: number;
  dispatches = 0;
  private readonly kernels = new Map<string, IKernelRunShortcut>();
  private readonly limit: number;

  constructor(
    private readonly lib: GpuJs,
    private gpu: GPUInstance | null,
    options: GpuBackendOptions,
  ) {
    this.threshold = options.threshold ?? 65536;
    this.limit = Math.max(1, Math.min(options.maxDispatch ?? MAX_DISPATCH, MAX_DISPATCH));
  }

  get available(): boolean {
    return this.failure === null && this.gpu !== null;
  }

  get compiledKernels(): number {
    return this.kernels.size;
  }

  accepts(numel: number, dtype: string): boolean {
    return this.available && dtype === 'float32' && numel >= this.threshold;
  }

  /** Stop using gpu.js for good; everything after runs on the CPU reference. */
  private fail(where: string, e: unknown): void {
    this.failure = `${where}: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`;
    this.disposeKernels();
  }

  private kernel(key: string, source: () => string, output: number[]): IKernelRunShortcut {
    let k = this.kernels.get(key);
    if (k) {
      // Refresh its place in the LRU order.
      this.kernels.delete(key);
      this.kernels.set(key, k);
      return k;
    }
    const gpu = this.gpu;
    if (!gpu) throw new Error('gpu.js context is gone');
    k = gpu.createKernel(source(), {
      output,
      precision: 'single',
      tactic: 'precision',
    }) as IKernelRunShortcut;
    this.kernels.set(key, k);
    if (this.kernels.size > KERNEL_CACHE_LIMIT) {
      const [oldest, old] = this.kernels.entries().next().value as [string, IKernelRunShortcut];
      this.kernels.delete(oldest);
      destroyKernel(old);
    }
    return k;
  }

  private call(k: IKernelRunShortcut, args: KernelArg[]): Float32Array {
    const r = k(...args) as unknown;
    this.dispatches++;
    const mode = kernelMode(this.lib, k);
    if (mode !== 'unknown') this.mode = mode;
    if (r instanceof Float32Array) return r;
    throw new Error(`kernel returned ${Object.prototype.toString.call(r)}`);
  }

  private call2D(k: IKernelRunShortcut, args: KernelArg[]): Float32Array[] {
    const r = k(...args) as unknown;
    this.dispatches++;
    const mode = kernelMode(this.lib, k);
    if (mode !== 'unknown') this.mode = mode;
    if (Array.isArray(r) && r.every((row) => row instanceof Float32Array)) return r as Float32Array[];
    throw new Error(`kernel returned ${Object.prototype.toString.call(r)}`);
  }

  /** Run `attempt` on gpu.js, or `fallback` when gpu.js is off or throws. */
  private guarded(where: string, attempt: () => boolean, fallback: () => void): void {
    if (this.available) {
      try {
        if (attempt()) return;
      } catch (e) {
        this.fail(where, e);
      }
    }
    fallback();
  }

  private elementwise(
    key: string,
    operands: readonly Operand[],
    shape: readonly number[],
    out: TypedData,
    body: (vals: string[]) => string,
  ): boolean {
    const c = coalesce(shape, operands);
    const chunks = planChunks(
      c.shape,
      c.strides,
      operands.map((o) => o.offset),
      this.limit,
    );
    if (!chunks) return false;
    for (const ch of chunks) {
      const sig = chunkSignature(ch);
      const k = this.kernel(`${key}|${sig}`, () => elementwiseSource(ch.shape, ch.windows, body), [ch.numel]);
      const res = this.call(k, ch.windows.map((w, j) => windowArray(operands[j].data, w)));
      out.set(res.subarray(0, ch.numel), ch.outStart);
    }
    return true;
  }

  unary(op: UnaryOp, x: Operand, shape: readonly number[], out: TypedData, integer: boolean): void {
    const body = GPU_UNARY[op];
    this.guarded(
      `unary ${op}`,
      () => !integer && body !== undefined && this.elementwise(`unary:${op}`, [x], shape, out, (v) => body(v[0])),
      () => cpuBackend.unary(op, x, shape, out, integer),
    );
  }

  binary(op: BinaryOp, a: Operand, b: Operand, shape: readonly number[], out: TypedData, integer: boolean): void {
    const body = GPU_BINARY[op];
    this.guarded(
      `binary ${op}`,
      () => !integer && body !== undefined && this.elementwise(`binary:${op}`, [a, b], shape, out, (v) => body(v[0], v[1])),
      () => cpuBackend.binary(op, a, b, shape, out, integer),
    );
  }

  where(cond: Operand, a: Operand, b: Operand, shape: readonly number[], out: TypedData): void {
    this.guarded(
      'where',
      () => this.elementwise('where', [cond, a, b], shape, out, (v) => `if (${v[0]} != 0.0) { return ${v[1]}; }\nreturn ${v[2]};`),
      () => cpuBackend.where(cond, a, b, shape, out),
    );
  }

  reduce(op: ReduceOp, x: TypedData, outer: number, size: number, inner: number, out: TypedData): void {
    this.guarded(
      `reduce ${op}`,
      () => {
        if (op === 'prod' || size === 0 || outer * inner === 0) return false;
        const extent = (size - 1) * inner;
        if (extent >= F32_EXACT) return false;
        const chunks = planChunks([outer, inner], [[size * inner, 1]], [0], this.limit, F32_EXACT - extent);
        if (!chunks) return false;
        for (const ch of chunks) {
          const w = ch.windows[0];
          const win: Window = { ...w, length: w.length + extent };
          const k = this.kernel(
            `reduce:${op}:${size}:${inner}|${chunkSignature({ ...ch, windows: [win] })}`,
            () => reduceSource(op as GpuReduceOp, ch.shape, win, size, inner),
            [ch.numel],
          );
          out.set(this.call(k, [windowArray(x, win)]).subarray(0, ch.numel), ch.outStart);
        }
        return true;
      },
      () => cpuBackend.reduce(op, x, outer, size, inner, out),
    );
  }

  matmul(a: TypedData, bm: TypedData, batch: number, m: number, k: number, n: number, out: TypedData): void {
    this.guarded(
      'matmul',
      () => {
        if (batch * m * n === 0 || k === 0) return false;
        const extentA = k - 1, extentB = (k - 1) * n;
        const room = F32_EXACT - Math.max(extentA, extentB);
        if (room <= 0) return false;
        const chunks = planChunks([batch, m, n], [[m * k, k, 0], [k * n, 0, 1]], [0, 0], this.limit, room);
        if (!chunks) return false;
        for (const ch of chunks) {
          const wa: Window = { ...ch.windows[0], length: ch.windows[0].length + extentA };
          const wb: Window = { ...ch.windows[1], length: ch.windows[1].length + extentB };
          const kern = this.kernel(
            `matmul:${k}:${n}|${chunkSignature({ ...ch, windows: [wa, wb] })}`,
            () => matmulSource(ch.shape, wa, wb, k, n),
            [ch.numel],
          );
          out.set(this.call(kern, [windowArray(a, wa), windowArray(bm, wb)]).subarray(0, ch.numel), ch.outStart);
        }
        return true;
      },
      () => cpuBackend.matmul(a, bm, batch, m, k, n, out),
    );
  }

  softmax(x: TypedData, rows: number, cols: number, out: TypedData, log: boolean): void {
    this.guarded(
      `${log ? 'log_' : ''}softmax`,
      () => this.rowSoftmax(x, null, rows, cols, 0, out, log),
      () => cpuBackend.softmax!(x, rows, cols, out, log),
    );
  }

  maskedSoftmax(x: TypedData, mask: Operand, rows: number, cols: number, fill: number, out: TypedData, shape?: readonly number[]): void {
    // Resolving the mask layout is a caller contract, checked outside the guard.
    const offsets = maskRowOffsets(mask, rows, cols, shape);
    this.guarded(
      'masked_softmax',
      () => this.rowSoftmax(x, { data: mask.data, ...offsets }, rows, cols, fill, out, false),
      () => maskedSoftmaxJs(x, mask, rows, cols, fill, out, shape),
    );
  }

  /** Softmax over rows in chunks: one stats kernel (lse and NaN-row flag per row), one apply kernel. */
  private rowSoftmax(
    x: TypedData,
    mask: { data: TypedData; offsets: Float64Array; colStride: number } | null,
    rows: number,
    cols: number,
    fill: number,
    out: TypedData,
    log: boolean,
  ): boolean {
    if (rows * cols === 0) return true;
    // A row always fits one dispatch, even past a smaller configured limit.
    if (cols > MAX_DISPATCH) return false;
    const kind: FillKind = mask ? fillKindOf(fill) : 'none';
    const fillValue = kind === 'finite' ? fill : 0;
    const per = Math.max(1, Math.floor(this.limit / cols));
    let cachedMask: { lo: number; length: number; arr: Float32Array } | null = null;
    for (let r0 = 0; r0 < rows; r0 += per) {
      const cnt = Math.min(per, rows - r0);
      const xs = windowArray(x, { lo: r0 * cols, length: cnt * cols, base: 0, strides: [] });
      const extra: KernelArg[] = [];
      let maskStride = 0;
      if (mask) {
        let lo = Infinity, hi = -Infinity;
        const span = mask.colStride * (cols - 1);
        for (let r = r0; r < r0 + cnt; r++) {
          const o = mask.offsets[r];
          lo = Math.min(lo, o + Math.min(0, span));
          hi = Math.max(hi, o + Math.max(0, span));
        }
        const length = hi - lo + 1;
        if (length > F32_EXACT) return false;
        if (!cachedMask || cachedMask.lo !== lo || cachedMask.length !== length) {
          cachedMask = { lo, length, arr: windowArray(mask.data, { lo, length, base: 0, strides: [] }) };
        }
        const mo = new Float32Array(cnt);
        for (let r = 0; r < cnt; r++) mo[r] = mask.offsets[r0 + r] - lo;
        extra.push(cachedMask.arr, mo);
        maskStride = mask.colStride;
      }
      const sig = `${cols}:${cnt}:${kind}:${fillValue}:${maskStride}:${extra.map((e) => e.length).join(',')}`;
      const stats = this.kernel(`softmax-stats|${sig}`, () => softmaxStatsSource(cols, kind, fillValue, maskStride), [cnt, 3]);
      const [maxima, sums, flags] = this.call2D(stats, [xs, ...extra]);
      const apply = this.kernel(`softmax-apply:${log}|${sig}`, () => softmaxApplySource(cols, log, kind, fillValue, maskStride), [cnt * cols]);
      const res = this.call(apply, [xs, maxima, sums, ...extra]);
      const o0 = r0 * cols;
      out.set(res.subarray(0, cnt * cols), o0);
      for (let r = 0; r < cnt; r++) {
        if (flags[r] !== 0) out.fill(NaN, o0 + r * cols, o0 + (r + 1) * cols);
      }
    }
    return true;
  }

  private disposeKernels(): void {
    for (const k of this.kernels.values()) destroyKernel(k);
    this.kernels.clear();
  }

  dispose(): void {
    this.disposeKernels();
    const gpu = this.gpu;
    this.gpu = null;
    if (!gpu) return;
    try {
      void Promise.resolve(gpu.destroy()).catch(() => undefined);
    } catch {
      // Tearing down a broken context is best effort.
    }
  }
}

function destroyKernel(k: IKernelRunShortcut): void {
  try {
    (k as unknown as { destroy?: (ctx?: boolean) => void }).destroy?.();
  } catch {
    // A kernel that cannot be destroyed is simply dropped.
  }
}

function chunkSignature(ch: Chunk): string {
  return `${ch.shape.join('x')}/${ch.windows.map((w) => `${w.base}@${w.strides.join(',')}#${w.length}`).join(';')}`;
}

/**
 * A gpu.js backend, or null when gpu.js cannot be loaded or cannot make a
 * working kernel at all. The context is probed with a small kernel, so
 * `mode` is known on return.
 */
export function gpuBackend(options: GpuBackendOptions = {}): GpuBackend | null {
  let gpu: GPUInstance;
  let lib: GpuJs;
  try {
    // Loaded lazily: gpu.js takes ~150 ms to load, and most sessions never need it.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    lib = require('gpu.js') as GpuJs;
    gpu = new lib.GPU({ mode: options.mode ?? 'gpu' });
  } catch {
    return null;
  }
  const backend = new GpuJsBackend(lib, gpu, options);
  try {
    const probe = new Float32Array([1, -2, 3, 0.5]);
    const out = new Float32Array(4);
    backend.binary('mul', { data: probe, strides: [1], offset: 0 }, { data: probe, strides: [1], offset: 0 }, [4], out, false);
    if (!backend.available || out[0] !== 1 || out[1] !== 4 || out[2] !== 9 || out[3] !== 0.25) {
      backend.dispose();
      return null;
    }
  } catch {
    backend.dispose();
    return null;
  }
  backend.renderer = glRenderer(gpu);
  return backend;
}

/** The renderer behind a GL context, unmasked where the browser allows it. */
function glRenderer(gpu: GPUInstance): string | null {
  try {
    const gl = (gpu as unknown as { context?: WebGLRenderingContext | null }).context;
    if (!gl || typeof gl.getParameter !== 'function') return null;
    const ext = gl.getExtension('WEBGL_debug_renderer_info');
    const r = ext ? gl.getParameter(ext.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER);
    return typeof r === 'string' && r ? r : null;
  } catch {
    return null;
  }
}
