// The WebAssembly SIMD backend: softmax, log_softmax and the fused masked
// softmax over the last dim of large float32 tensors, in 128-bit SIMD
// kernels compiled from assembly/kernels.ts by `npm run build` (which writes
// the module into generated/, never committed). Everything else delegates
// to the CPU reference.
//
// Results equal the CPU reference's except in exp: the kernels use our
// float32 version of Sleef's expf (the algorithm of ATen's Vectorized<float>
// ::exp), the CPU reference rounds Math.exp. The float32 order of the max,
// the exp-sum (vec::reduce_all over 8 lanes) and the normalisation is the
// CPU reference's (float32_order.ts). Unary `exp` stays on the CPU
// reference: torch.exp on MKL builds (PyTorch's x86 wheels) calls MKL's
// vsExp, which Math.exp matches bit for bit more often than Sleef's does
// (measured on 10^6 inputs; see src/bench/FINDINGS.md).
//
// Operands are copied into the module's memory in chunks of rows, so its
// memory stays near CHUNK_FLOATS * 4 bytes whatever the tensor's size.

import type { TypedData } from '../tensor';
import type { Backend, Operand } from './backend';
import { cpuBackend } from './cpu';

/** Exports of assembly/kernels.ts (pointers are byte offsets into `memory`). */
interface KernelExports {
  memory: WebAssembly.Memory;
  heap_base(): number;
  exp_f32(x: number, out: number, n: number): void;
  softmax_rows(p: number, rows: number, cols: number, log: number): void;
  masked_softmax_row(p: number, m: number, ms: number, cols: number, fill: number): void;
}

/** Rows go through the module this many floats at a time (4 MiB). */
const CHUNK_FLOATS = 1 << 20;

/** The compiled module's bytes, or null when `npm run build` has not generated them. */
function moduleBytes(): Uint8Array<ArrayBuffer> | null {
  try {
    // The build writes this file; esbuild inlines it into each bundle (the
    // web worker's too, which has no require() of its own). Unbundled ESM
    // has no require: the ReferenceError lands in the catch.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const b64: unknown = require('./generated/kernels_wasm.js');
    if (typeof b64 !== 'string') return null;
    return typeof Buffer !== 'undefined' ? new Uint8Array(Buffer.from(b64, 'base64')) : Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0));
  } catch {
    return null;
  }
}

function instantiate(): KernelExports | null {
  const bytes = moduleBytes();
  if (!bytes || typeof WebAssembly === 'undefined' || !WebAssembly.validate(bytes)) return null;
  try {
    const mod = new WebAssembly.Module(bytes);
    const inst = new WebAssembly.Instance(mod, { env: { log: Math.log, abort: () => { throw new RangeError('wasm kernel abort'); } } });
    return inst.exports as unknown as KernelExports;
  } catch {
    return null;
  }
}

export interface WasmBackend extends Backend {
  /** Element count from which accepts() takes float32 work. */
  threshold: number;
  /** Kernel calls so far (tests check that a case ran on the module). */
  readonly dispatches: number;
  softmax(x: TypedData, rows: number, cols: number, out: TypedData, log: boolean): void;
  maskedSoftmax(x: TypedData, mask: Operand, rows: number, cols: number, fill: number, out: TypedData, shape: readonly number[]): void;
  /** out[i] = Sleef-style float32 exp(x[i]), the exp the softmax kernels use (for tests and the bench). */
  expSleef(x: Float32Array, out: Float32Array): void;
}

/**
 * The wasm SIMD backend, or null when the module is not built or this
 * runtime has no WebAssembly SIMD. `threshold`: accepts() takes float32
 * work of at least this many elements (0 in tests: every size).
 */
export function wasmBackend(options: { threshold?: number } = {}): WasmBackend | null {
  const k = instantiate();
  if (!k) return null;
  const base = (k.heap_base() + 15) & ~15;
  let dispatches = 0;

  /** Byte offset of a region of `bytes` after `at`, growing memory to hold it. */
  function reserve(at: number, bytes: number): number {
    const start = (at + 15) & ~15;
    const need = start + bytes;
    const have = k!.memory.buffer.byteLength;
    if (need > have) k!.memory.grow(Math.ceil((need - have) / 65536));
    return start;
  }

  const backend: WasmBackend = {
    name: 'wasm',
    threshold: options.threshold ?? 0,
    get dispatches() {
      return dispatches;
    },
    accepts(numel, dtype) {
      return dtype === 'float32' && numel >= backend.threshold;
    },
    unary: (...a) => cpuBackend.unary(...a),
    binary: (...a) => cpuBackend.binary(...a),
    where: (...a) => cpuBackend.where(...a),
    reduce: (...a) => cpuBackend.reduce(...a),
    matmul: (...a) => cpuBackend.matmul(...a),

    softmax(x, rows, cols, out, log) {
      if (!(x instanceof Float32Array) || !(out instanceof Float32Array) || cols === 0) {
        cpuBackend.softmax!(x, rows, cols, out, log);
        return;
      }
      const per = Math.max(1, Math.floor(CHUNK_FLOATS / cols));
      const p = reserve(base, Math.min(rows, per) * cols * 4);
      for (let r = 0; r < rows; r += per) {
        const n = Math.min(per, rows - r);
        const view = new Float32Array(k.memory.buffer, p, n * cols);
        view.set(x.subarray(r * cols, (r + n) * cols));
        k.softmax_rows(p, n, cols, log ? 1 : 0);
        dispatches++;
        out.set(new Float32Array(k.memory.buffer, p, n * cols), r * cols);
      }
    },

    maskedSoftmax(x, mask, rows, cols, fill, out, shape) {
      const m = mask.data;
      if (!(x instanceof Float32Array) || !(out instanceof Float32Array) || !(m instanceof Uint8Array) || cols === 0) {
        maskedSoftmaxOnCpu(x, mask, rows, cols, fill, out, shape);
        return;
      }
      // The mask storage goes in once (bool bytes; broadcast masks are small);
      // rows follow in chunks, each row's mask found by walking its index.
      const mp = reserve(base, m.length);
      new Uint8Array(k.memory.buffer, mp, m.length).set(m);
      const per = Math.max(1, Math.floor(CHUNK_FLOATS / cols));
      const p = reserve(mp + m.length, Math.min(rows, per) * cols * 4);
      const lead = shape.length - 1;
      const idx = new Array<number>(lead).fill(0);
      const colStride = mask.strides[lead];
      let moff = mask.offset;
      for (let r = 0; r < rows; r += per) {
        const n = Math.min(per, rows - r);
        new Float32Array(k.memory.buffer, p, n * cols).set(x.subarray(r * cols, (r + n) * cols));
        for (let i = 0; i < n; i++) {
          k.masked_softmax_row(p + i * cols * 4, mp + moff, colStride, cols, fill);
          // Next row: advance the multi-index over the leading dims.
          for (let d = lead - 1; d >= 0; d--) {
            moff += mask.strides[d];
            if (++idx[d] < shape[d]) break;
            moff -= mask.strides[d] * shape[d];
            idx[d] = 0;
          }
        }
        dispatches++;
        out.set(new Float32Array(k.memory.buffer, p, n * cols), r * cols);
      }
    },

    expSleef(x, out) {
      for (let i = 0; i < x.length; i += CHUNK_FLOATS) {
        const n = Math.min(CHUNK_FLOATS, x.length - i);
        const p = reserve(base, n * 4);
        new Float32Array(k.memory.buffer, p, n).set(x.subarray(i, i + n));
        k.exp_f32(p, p, n);
        dispatches++;
        out.set(new Float32Array(k.memory.buffer, p, n), i);
      }
    },
  };
  return backend;
}

/** masked_fill then softmax on the CPU reference (for dtypes the module does not take). */
function maskedSoftmaxOnCpu(x: TypedData, mask: Operand, rows: number, cols: number, fill: number, out: TypedData, shape: readonly number[]): void {
  const filled = new (x.constructor as { new (n: number): TypedData })(x.length);
  const strides = shape.map((_, d) => shape.slice(d + 1).reduce((a, b) => a * b, 1));
  cpuBackend.where(mask, { data: Float64Array.of(fill), strides: shape.map(() => 0), offset: 0 }, { data: x, strides, offset: 0 }, shape, filled);
  cpuBackend.softmax!(filled, rows, cols, out, false);
}
