// One table of kernel cases run against every backend (as tfjs's
// describeWithFlags does): the CPU reference, the gpu.js backend forced on
// for every size (threshold 0), the gpu.js backend again with tiny
// dispatches so every op is split into many chunks, and the WebAssembly
// SIMD backend (softmax kernels; built by `npm run build`).
//
// The cases and their expected values are in backend_cases.ts (computed
// independently of cpu.ts, in double precision; floats within
// 1e-6 + 1e-5*|expected|, NaN where NaN, infinities exactly; comparisons,
// where, arg-reductions and any/all exactly). `npm run test:browser` runs
// the same cases on gpu.js's WebGL2 kernels in headless Chromium.
//
// The gpu.js backend runs in whatever mode gpu.js finds (in plain Node its
// WebAssembly backend; under `xvfb-run` with the optional `gl` package,
// headless-gl). MASKLENS_GPU_MODE=webasm|headlessgl|cpu|... requests one.
// The mode is logged, and a gpu backend that cannot be created fails the
// suite instead of being skipped.

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import type { Backend, BinaryOp, Operand } from '../../src/engine/kernels/backend';
import { cpuBackend } from '../../src/engine/kernels/cpu';
import { gpuBackend, type GpuBackend, type GpuBackendOptions } from '../../src/engine/kernels/gpu';
import { coalesce, planChunks } from '../../src/engine/kernels/gpu/plan';
import { softmaxRow32 } from '../../src/engine/kernels/float32_order';
import { activeBackendName, backendFor, hasGraphicsApi, isAccelerated, setBackendPreference } from '../../src/engine/kernels/select';
import { matmulChunks, wasmBackend, type WasmBackend } from '../../src/engine/kernels/wasm';
import { crossEntropy, maskedSoftmax, nllLoss, softmax } from '../../src/engine/ops/compose';
import { Tensor } from '../../src/engine/tensor';
import { assertClose, assertExact, cases, contiguous, indices, maskedSoftmaxVia, numel, operand, randomF32, read, rng, runOnGpu, softmaxInput } from './backend_cases';

// --------------------------------------------------------------- backends

const requestedMode = process.env.MASKLENS_GPU_MODE as GpuBackendOptions['mode'] | undefined;

interface Subject {
  label: string;
  make: () => Backend | null;
}

const subjects: Subject[] = [
  { label: 'cpu', make: () => cpuBackend },
  { label: 'gpu', make: () => gpuBackend({ threshold: 0, mode: requestedMode }) },
  // Tiny dispatches: every op above is split into many chunks, with ragged ends.
  { label: 'gpu (dispatch 37)', make: () => gpuBackend({ threshold: 0, mode: requestedMode, maxDispatch: 37 }) },
  // null (a failure, not a skip) when the module was not built: run `npm run build` first.
  { label: 'wasm', make: () => wasmBackend({ threshold: 0 }) },
];

/** Cases the wasm backend runs in its own kernels (float32 comparisons into bool, matmul, softmax); the rest go to the CPU reference. */
const WASM_KERNEL_CASE = /softmax|matmul|binary (lt|le|gt|ge|eq|ne) |^where/;

for (const subject of subjects) {
  describe(`backend ${subject.label}`, () => {
    const backend = subject.make();
    const gpu = backend && backend.name === 'gpu' ? (backend as GpuBackend) : null;
    const wasm = backend && backend.name === 'wasm' ? (backend as WasmBackend) : null;

    test('is created', (t) => {
      // A backend that cannot be created is a failure, never a skip.
      assert.ok(backend, `${subject.label}: gpuBackend() returned null (gpu.js could not make a working kernel)`);
      if (gpu) {
        const msg = `gpu.js mode: ${gpu.mode}${requestedMode ? ` (requested ${requestedMode})` : ''}`;
        t.diagnostic(msg);
        console.log(`[backends.test] ${subject.label}: ${msg}`);
        assert.notEqual(gpu.mode, 'unknown');
        if (requestedMode && requestedMode !== 'gpu') assert.equal(gpu.mode, requestedMode);
      }
    });

    for (const c of cases) {
      test(c.name, () => {
        assert.ok(backend, `${subject.label} backend missing`);
        if (gpu) {
          // A case the kernels cover must have run on them, not on the CPU fallback.
          runOnGpu(gpu, c);
          return;
        }
        const wasmBefore = wasm?.dispatches ?? 0;
        c.run(backend);
        if (wasm) {
          if (WASM_KERNEL_CASE.test(c.name)) assert.ok(wasm.dispatches > wasmBefore, `${c.name}: no wasm kernel ran`);
          else assert.equal(wasm.dispatches, wasmBefore, `${c.name}: expected the CPU reference path`);
        }
      });
    }

    test('kernels are cached by op and shape signature', () => {
      if (!gpu) return;
      const x = randomF32(1000, 5);
      const out = new Float32Array(1000);
      const op = { data: x, strides: [1], offset: 0 };
      gpu.unary('exp', op, [1000], out, false);
      const compiled = gpu.compiledKernels;
      const dispatched = gpu.dispatches;
      gpu.unary('exp', op, [1000], out, false);
      assert.equal(gpu.compiledKernels, compiled);
      assert.ok(gpu.dispatches > dispatched);
    });
  });
}

describe('gpu backend fallback', () => {
  test('a kernel failure falls back to the CPU reference and disables the backend', () => {
    const gpu = gpuBackend({ threshold: 0, mode: requestedMode });
    assert.ok(gpu, 'gpuBackend() returned null');
    // Break the context underneath the backend: every later kernel build throws.
    const inner = gpu as unknown as { gpu: { createKernel: () => never } };
    inner.gpu.createKernel = () => {
      throw new Error('context lost');
    };
    const x = Float32Array.of(1, 2, 3, 4);
    const out = new Float32Array(4);
    gpu.unary('exp', { data: x, strides: [1], offset: 0 }, [4], out, false);
    assertClose(out, Float32Array.from([1, 2, 3, 4].map(Math.exp)), 'exp after failure');
    assert.equal(gpu.available, false);
    assert.match(gpu.failure ?? '', /context lost/);
    assert.equal(gpu.accepts(1 << 20, 'float32'), false);
  });

  test('accepts only float32 at or above the threshold', () => {
    const gpu = gpuBackend({ threshold: 100, mode: requestedMode });
    assert.ok(gpu);
    assert.equal(gpu.accepts(100, 'float32'), true);
    assert.equal(gpu.accepts(99, 'float32'), false);
    assert.equal(gpu.accepts(1000, 'float64'), false);
    assert.equal(gpu.accepts(1000, 'int64'), false);
    gpu.dispose();
  });
});

describe('dispatch planning', () => {
  test('chunks cover every output element once, windows hold every read', () => {
    const shape = [3, 5, 7, 2];
    const a = { strides: [0, 14, 2, 1], offset: 4 }; // broadcast over dim 0
    const b = { strides: [1, 3, 15, 0], offset: 0 }; // permuted, broadcast over dim 3
    const c = coalesce(shape, [a, b]);
    for (const limit of [1, 5, 13, 70, 1000]) {
      const chunks = planChunks(c.shape, c.strides, [a.offset, b.offset], limit);
      assert.ok(chunks);
      const seen = new Uint8Array(numel(shape));
      for (const ch of chunks) {
        assert.ok(ch.numel <= limit);
        for (const idx of indices(ch.shape)) {
          let lin = ch.outStart;
          const local = contiguous(ch.shape);
          idx.forEach((v, d) => (lin += v * local[d]));
          seen[lin]++;
          ch.windows.forEach((w, j) => {
            let off = w.base;
            idx.forEach((v, d) => (off += v * w.strides[d]));
            assert.ok(off >= 0 && off < w.length);
            // The window position maps back to the operand's own offset for this output element.
            const full = [...indices(shape)][lin];
            const o = j === 0 ? a : b;
            let expected = o.offset;
            full.forEach((v, d) => (expected += v * o.strides[d]));
            assert.equal(w.lo + off, expected);
          });
        }
      }
      assert.ok(seen.every((v) => v === 1), `limit ${limit}: coverage`);
    }
  });

  test('refuses a window larger than the limit', () => {
    assert.equal(planChunks([4, 4], [[1, 4]], [0], 4, 8), null);
  });
});

describe('backend selection', () => {
  test('auto counts only hardware GL/WebGPU contexts as accelerated', () => {
    assert.equal(isAccelerated({ mode: 'webgl2', renderer: 'ANGLE (NVIDIA, NVIDIA GeForce RTX 3080)' }), true);
    assert.equal(isAccelerated({ mode: 'webgl2', renderer: null }), true);
    assert.equal(isAccelerated({ mode: 'webgl2', renderer: 'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero)))' }), false);
    assert.equal(isAccelerated({ mode: 'webgl', renderer: 'llvmpipe (LLVM 15.0.6, 256 bits)' }), false);
    assert.equal(isAccelerated({ mode: 'headlessgl', renderer: 'ANGLE' }), false);
    assert.equal(isAccelerated({ mode: 'webasm', renderer: null }), false);
    assert.equal(isAccelerated({ mode: 'cpu', renderer: null }), false);
  });

  test('auto loads gpu.js only where a WebGL or WebGPU API exists', () => {
    assert.equal(hasGraphicsApi({}), false);
    assert.equal(hasGraphicsApi({ navigator: { hardwareConcurrency: 2 } }), false, "Node's navigator has no gpu");
    assert.equal(hasGraphicsApi({ WebGL2RenderingContext: class {} }), true);
    assert.equal(hasGraphicsApi({ navigator: { gpu: {} } }), true);
    assert.equal(hasGraphicsApi(), false, 'plain Node, where these tests run');
  });

  test('cpu, gpu and auto preferences', () => {
    setBackendPreference('cpu', 0);
    assert.equal(backendFor(1 << 20, 'float32'), cpuBackend);
    assert.equal(activeBackendName(), 'cpu');

    setBackendPreference('gpu', 0);
    const forced = backendFor(10, 'float32');
    assert.equal(forced.name, 'gpu', 'gpu preference with threshold 0 gives the gpu backend');
    assert.equal(backendFor(10, 'int64'), cpuBackend);
    assert.match(activeBackendName(), /^gpu:(webgpu|webgl2|webgl|headlessgl|webasm|cpu)$/);

    setBackendPreference('gpu', 1000);
    assert.equal(backendFor(999, 'float32'), cpuBackend);
    assert.equal(backendFor(1000, 'float32').name, 'gpu');

    // auto only uses gpu.js on a hardware GL/WebGPU context; otherwise large
    // float32 work goes to the wasm SIMD backend, small work to the CPU.
    setBackendPreference('auto', 0);
    assert.equal(backendFor(1 << 20, 'float32').name, isAccelerated(forced as GpuBackend) ? 'gpu' : 'wasm');
    assert.equal(backendFor(100, 'float32'), isAccelerated(forced as GpuBackend) ? forced : cpuBackend);
    assert.equal(backendFor(1 << 20, 'float64'), cpuBackend);
    if (!isAccelerated(forced as GpuBackend)) assert.equal(activeBackendName(), 'wasm');
    setBackendPreference('auto', 65536);
  });
});

describe('wasm backend: exp and float32 order', () => {
  const w = wasmBackend({ threshold: 0 });
  const ulps = (a: number, b: number) => {
    const i = new Int32Array(Float32Array.of(a, b).buffer);
    return Math.abs(i[0] - i[1]);
  };
  const sleef = (v: number): number => {
    const o = new Float32Array(1);
    w!.expSleef(Float32Array.of(v), o);
    return o[0];
  };

  test('exp: special values exact, random values within 1 ulp of the correctly rounded exp', () => {
    assert.ok(w, 'wasm backend missing: run npm run build');
    const sp = Float32Array.of(0, -0, -Infinity, Infinity, NaN, -104.5, -110, 100.5, 89, 1, -1);
    const got = new Float32Array(sp.length);
    w.expSleef(sp, got);
    assertExact(got, [1, 1, 0, Infinity, NaN, 0, 0, Infinity, Infinity, Math.fround(Math.E), Math.fround(1 / Math.E)], 'exp specials');
    const x = randomF32(100_003, 81, 190); // [-95, 95], ragged length for the scalar tail
    const y = new Float32Array(x.length);
    w.expSleef(x, y);
    let same = 0;
    for (let i = 0; i < x.length; i++) {
      const want = Math.fround(Math.exp(x[i]));
      assert.ok(ulps(y[i], want) <= 1, `exp(${x[i]}) = ${y[i]}, correctly rounded ${want}`);
      if (y[i] === want) same++;
    }
    assert.ok(same / x.length > 0.8, `only ${same} of ${x.length} correctly rounded`);
  });

  test('softmax and log_softmax keep the CPU reference order bit for bit (with the kernel exp)', () => {
    assert.ok(w, 'wasm backend missing: run npm run build');
    for (const log of [false, true]) {
      for (const [rows, cols] of [[7, 5], [6, 33], [9, 128], [6, 1031]]) {
        const x = softmaxInput(rows, cols, 91 + cols);
        const got = new Float32Array(rows * cols);
        w.softmax(x, rows, cols, got, log);
        const want = new Float32Array(rows * cols);
        for (let r = 0; r < rows; r++) softmaxRow32(x, r * cols, cols, want, log, sleef);
        assertExact(got, want, `${log ? 'log_' : ''}softmax [${rows},${cols}]`);
      }
    }
  });

  test("softmax's short exp (x - max in [-87, 0]) gives the full exp's bits: a dense sweep of [-88, 0]", () => {
    assert.ok(w, 'wasm backend missing: run npm run build');
    const [rows, cols] = [256, 1024];
    const x = new Float32Array(rows * cols);
    for (let i = 0; i < x.length; i++) x[i] = -88 * (i / x.length);
    for (let r = 0; r < rows; r++) x[r * cols + 7] = 0; // max 0: x - max is x itself
    const e = new Float32Array(x.length);
    w.expSleef(x, e); // the full exp, lane by lane
    const full = new Map<number, number>();
    for (let i = 0; i < x.length; i++) full.set(x[i], e[i]);
    const got = new Float32Array(x.length);
    w.softmax(x, rows, cols, got, false);
    const want = new Float32Array(x.length);
    for (let r = 0; r < rows; r++) softmaxRow32(x, r * cols, cols, want, false, (v) => full.get(v)!);
    assertExact(got, want, 'softmax over [-88, 0]');
  });

  test('a NaN anywhere in a row (vector body, 4-wide tail, scalar tail; beside +inf or -inf) makes the whole row NaN, as the CPU reference does', () => {
    assert.ok(w, 'wasm backend missing: run npm run build');
    const cols = 39; // 32 in the 16-wide loop, 4 in the 4-wide tail, 3 scalar
    const spots: [number, number][] = [[0, NaN], [17, NaN], [33, NaN], [38, NaN], [5, Infinity], [20, -Infinity]];
    const rows = spots.length + 2;
    const x = randomF32(rows * cols, 102, 8);
    spots.forEach(([c, v], r) => { x[r * cols + c] = v; });
    x[5 * cols + 30] = NaN; // the row with -inf at 20 holds a NaN too
    x[4 * cols + 36] = NaN; // and the one with +inf
    x.fill(-Infinity, 6 * cols, 7 * cols);
    x[6 * cols + 35] = NaN; // a NaN among -inf
    for (const log of [false, true]) {
      const got = new Float32Array(rows * cols);
      w.softmax(x, rows, cols, got, log);
      const want = new Float32Array(rows * cols);
      for (let r = 0; r < rows; r++) softmaxRow32(x, r * cols, cols, want, log, sleef);
      assertExact(got, want, `${log ? 'log_' : ''}softmax with NaN`);
      const target = Array.from({ length: rows }, (_, r) => (r * 7) % cols);
      const picked = new Float32Array(rows);
      w.logSoftmaxPick(x, rows, cols, target, -100, picked);
      if (log) assertExact(picked, target.map((t, r) => want[r * cols + t]), 'picked log_softmax with NaN');
    }
  });

  test('masked softmax keeps the CPU reference order bit for bit, fully masked rows NaN', () => {
    assert.ok(w, 'wasm backend missing: run npm run build');
    const [B, T] = [3, 37];
    const shape = [B, 2, T, T];
    const x = randomF32(numel(shape), 93, 10);
    const m = new Uint8Array(B * T * T);
    for (let b = 0; b < B; b++)
      for (let i = 0; i < T; i++) for (let j = 0; j < T; j++) m[(b * T + i) * T + j] = +(j > i || j >= T - 5 * b || b === 2);
    // [B,1,T,T] mask broadcast over heads, and a transposed ([.., j, i]) view of it (column stride T).
    const masks: Operand[] = [operand(m, [B, 1, T, T], shape), { data: m, strides: [T * T, 0, 1, T], offset: 0 }];
    for (const mask of masks) {
      for (const fill of [-Infinity, -1e9]) {
        const got = maskedSoftmaxVia(w, x, shape, mask, fill);
        const filled = Float32Array.from([...indices(shape)].map((i, k) => (read(mask, i) ? fill : x[k])));
        const want = new Float32Array(filled.length);
        for (let r = 0; r < filled.length / T; r++) softmaxRow32(filled, r * T, T, want, false, sleef);
        assertExact(got, want, `masked softmax fill ${fill}`);
        if (fill === -Infinity && mask.strides[3] === 1) assert.ok(Number.isNaN(got[2 * 2 * T * T]), 'fully masked row is NaN');
      }
    }
  });

  test('masked softmax, softmax and the cross-entropy pick over many chunks (two staging sets in turn, the next chunk staged while one runs) are bit-identical, 1 and 3 threads', () => {
    const [B, H, T] = [2, 3, 150]; // 900 rows of 600 bytes: 64 KiB chunks hold 109 rows, so 9 chunks
    const shape = [B, H, T, T];
    const x = randomF32(numel(shape), 107, 10);
    x[5 * T + 3] = NaN;
    const causal = new Uint8Array(T * T);
    for (let i = 0; i < T; i++) causal.fill(1, i * T + i + 1, (i + 1) * T);
    const pad = Uint8Array.from({ length: B * T }, (_, i) => +(i % T >= T - 40 * (1 + Math.floor(i / T))));
    const masks: Operand[] = [
      operand(causal, [T, T], shape), // a span of the chunk's query rows
      { data: pad, strides: [T, 0, 0, 1], offset: 0 }, // key padding: one row per batch
      { data: causal, strides: [0, 0, 1, T], offset: 0 }, // transposed (column stride T)
    ];
    const backends = [wasmBackend({ threshold: 0, threads: 1, chunkBytes: 1 << 16 }), wasmBackend({ threshold: 0, threads: 3, chunkBytes: 1 << 16 })];
    for (const mask of masks) {
      const filled = Float32Array.from([...indices(shape)].map((i, k) => (read(mask, i) ? -Infinity : x[k])));
      const want = new Float32Array(filled.length);
      for (let r = 0; r < filled.length / T; r++) softmaxRow32(filled, r * T, T, want, false, sleef);
      for (const be of backends) {
        assert.ok(be, 'wasm backend missing: run npm run build');
        const before = be.kernelCalls('masked_softmax_rows');
        const got = new Float32Array(x.length);
        be.maskedSoftmax(x, mask, B * H * T, T, -Infinity, got, shape);
        assert.ok(be.kernelCalls('masked_softmax_rows') - before >= 9, 'expected several chunks');
        assertExact(got, want, `masked softmax, mask strides ${mask.strides} (${be.threads} threads)`);
      }
    }
    for (const log of [false, true]) {
      const want = new Float32Array(x.length);
      for (let r = 0; r < x.length / T; r++) softmaxRow32(x, r * T, T, want, log, sleef);
      for (const be of backends) {
        const got = new Float32Array(x.length);
        be!.softmax(x, B * H * T, T, got, log);
        assertExact(got, want, `${log ? 'log_' : ''}softmax over chunks (${be!.threads} threads)`);
        if (!log) continue;
        // cross entropy's picked log_softmax over the same chunks
        const rows = B * H * T;
        const target = Array.from({ length: rows }, (_, r) => (r % 6 === 5 ? -100 : (r * 37) % T));
        const picked = new Float32Array(rows);
        be!.logSoftmaxPick(x, rows, T, target, -100, picked);
        assertExact(picked, target.map((t, r) => (t === -100 ? 0 : want[r * T + t])), `logSoftmaxPick over chunks (${be!.threads} threads)`);
      }
    }
  });

  test('matmul is bit-identical to the CPU reference (ragged blocks, inf/NaN)', () => {
    assert.ok(w, 'wasm backend missing: run npm run build');
    for (const [batch, m, k, n] of [[1, 1, 1, 1], [2, 5, 3, 9], [3, 7, 33, 19], [2, 64, 64, 256], [1, 3, 0, 4]]) {
      const a = randomF32(batch * m * k, 61 + m, 3);
      const bm = randomF32(batch * k * n, 62 + n, 3);
      if (a.length > 2) a[1] = Infinity;
      if (bm.length > 3) bm[2] = NaN;
      const got = new Float32Array(batch * m * n);
      const want = new Float32Array(batch * m * n);
      w.matmul(a, bm, batch, m, k, n, got);
      cpuBackend.matmul(a, bm, batch, m, k, n, want);
      assertExact(got, want, `matmul [${batch},${m},${k}]@[${batch},${k},${n}]`);
    }
  });

  test('matmul in every PyTorch order is bit-identical to the CPU reference: the fused gemm kernel (k chunks, ragged columns, inf/NaN, 1 and 3 threads) and its fallback', () => {
    const three = wasmBackend({ threshold: 0, threads: 3, chunkBytes: 1 << 16 }); // several chunks: copies overlap the workers
    const unfused = wasmBackend({ threshold: 0, fma: false });
    assert.ok(w && three && unfused, 'wasm backend missing: run npm run build');
    // x86-64 Linux with FMA3 (as on this project's machines): relaxed_madd must fuse, so gemm runs in the module
    const cpuinfo = existsSync('/proc/cpuinfo') ? readFileSync('/proc/cpuinfo', 'utf8') : '';
    if (process.arch === 'x64' && /^flags\s*:.*\bfma\b/m.test(cpuinfo)) assert.ok(w.fma && three.fma, 'no fused multiply-add kernel on a CPU with FMA3');
    assert.equal(unfused.fma, false);
    const all: WasmBackend[] = [w, three, unfused];
    const shapes = [[1, 1, 1, 1], [2, 5, 3, 9], [3, 7, 33, 19], [2, 64, 64, 256], [1, 3, 0, 4], [2, 9, 800, 13], [1, 6, 1000, 12], [5, 130, 64, 64], [3, 5, 900, 41], [40, 7, 24, 25]];
    for (const [batch, m, k, n] of shapes) {
      // values spread over 2^-8 .. 2^8 with cancelling signs: fused and unfused sums differ
      const a = randomF32(batch * m * k, 71 + m, 3).map((v, i) => v * 2 ** ((i % 17) - 8));
      const bm = randomF32(batch * k * n, 72 + n, 3).map((v, i) => v * 2 ** ((i % 13) - 6));
      if (a.length > 2) a[1] = Infinity;
      if (bm.length > 3) bm[2] = NaN;
      if (bm.length > 5) bm[5] = -0;
      for (const order of ['gemm', 'naive', 'gemv', 'dot', 'outer'] as const) {
        if ((order === 'gemv' || order === 'dot') && n !== 1) continue;
        const want = new Float32Array(batch * m * n);
        cpuBackend.matmul(a, bm, batch, m, k, n, want, order);
        for (const be of all) {
          const got = new Float32Array(batch * m * n);
          const before = be.dispatches;
          be.matmul(a, bm, batch, m, k, n, got, order);
          assertExact(got, want, `${order} [${batch},${m},${k}]@[${batch},${k},${n}] (${be.threads} threads, fma ${be.fma})`);
          const inModule: boolean = m * n > 0 && (order === 'naive' || (order === 'gemm' && be.fma));
          assert.equal(be.dispatches > before, inModule, `${order} ran ${inModule ? 'in the module' : 'on the CPU reference'}`);
        }
      }
    }
    // a float32 midpoint: (1 + 2^-23)(1 - 2^-23) + (2^24 + 2) is 2^24 + 3 - 2^-46, so 2^24 + 2
    // fused, but 2^24 + 3 (a tie, to even: 2^24 + 4) where a wider sum rounds first
    {
      const [m, k, n] = [2, 2, 9];
      const a = Float32Array.of(1, 1 + 2 ** -23, 1, -(1 + 2 ** -23));
      const bm = new Float32Array(k * n).fill(2 ** 24 + 2);
      bm.fill(1 - 2 ** -23, n);
      const want = new Float32Array(m * n);
      cpuBackend.matmul(a, bm, 1, m, k, n, want, 'gemm');
      assert.deepEqual([want[0], want[n]], [2 ** 24 + 2, 2 ** 24 + 2]);
      for (const be of all) {
        const got = new Float32Array(m * n);
        be.matmul(a, bm, 1, m, k, n, got, 'gemm');
        assertExact(got, want, `gemm on a float32 midpoint (fma ${be.fma})`);
      }
    }
    // and the fused kernel is not the unfused one on these inputs
    const [batch, m, k, n] = [2, 9, 800, 13];
    const a = randomF32(batch * m * k, 80, 3).map((v, i) => v * 2 ** ((i % 17) - 8));
    const bm = randomF32(batch * k * n, 81, 3).map((v, i) => v * 2 ** ((i % 13) - 6));
    const g = new Float32Array(batch * m * n), nv = new Float32Array(batch * m * n);
    w.matmul(a, bm, batch, m, k, n, g, 'gemm');
    w.matmul(a, bm, batch, m, k, n, nv, 'naive');
    assert.ok(g.some((v, i) => v !== nv[i]), 'gemm and naive orders gave the same bits');
  });

  test('matmul chunks cover the batch in order, at most per each; with threads the first and last are small', () => {
    for (const threads of [1, 2, 3]) {
      for (let batch = 1; batch <= 70; batch++) {
        for (const per of [1, 2, 3, 5, 8, 21, 100]) {
          const c = matmulChunks(batch, per, threads);
          assert.equal(c.reduce((x, y) => x + y, 0), batch, `sum ${batch} ${per} ${threads}`);
          assert.ok(c.every((x) => Number.isInteger(x) && x >= 1 && x <= per), `sizes ${c} (${batch} ${per} ${threads})`);
          if (threads === 1 || batch <= per) assert.equal(c.length, Math.ceil(batch / per));
          else assert.ok(c.length <= Math.ceil(batch / per) + 2, `count ${c} (${batch} ${per} ${threads})`);
          if (threads > 1 && batch > per) assert.ok(c[0] <= Math.max(1, per >> 2) && c[c.length - 1] <= Math.max(1, per >> 2), `ends ${c} (${batch} ${per} ${threads})`);
        }
      }
    }
    assert.deepEqual(matmulChunks(64, 21, 1), [16, 16, 16, 16]);
    assert.deepEqual(matmulChunks(64, 21, 2), [5, 18, 18, 18, 5]);
    assert.deepEqual(matmulChunks(64, 64, 2), [64]);
  });

  test('bool logic and float comparisons into bool are bit-identical to the CPU reference', () => {
    assert.ok(w, 'wasm backend missing: run npm run build');
    const [B, T] = [3, 37]; // 37: two 16-byte vectors and a ragged tail per row
    const shape = [B, T, T];
    const pad = Uint8Array.from(randomF32(B * T + 2, 95, 2), (v) => (v > 0 ? 1 : 0));
    pad[5] = 7; // a uint8 value that is neither 0 nor 1
    const causal = new Uint8Array(T * T);
    for (let i = 0; i < T; i++) causal.fill(1, i * T, i * T + i + 1);
    // pad [B,1,T] (offset 2) broadcast over queries; causal [T,T] over batches; causal transposed (stride 0/T inner -> CPU path).
    const pairs: [Operand, Operand][] = [
      [{ data: pad, strides: [T, 0, 1], offset: 2 }, operand(causal, [T, T], shape)],
      [operand(causal, [T, T], shape), { data: pad, strides: [T, 1, 0], offset: 0 }],
    ];
    for (const [a, b] of pairs) {
      for (const op of ['and', 'or', 'xor', 'eq', 'ne', 'bitand', 'bitor', 'bitxor'] as const) {
        const got = new Uint8Array(B * T * T);
        const want = new Uint8Array(B * T * T);
        w.binary(op, a, b, shape, got, false);
        cpuBackend.binary(op, a, b, shape, want, false);
        assertExact(got, want, `bool ${op}`);
      }
    }
    const x = randomF32(B * T, 96, 4).map((v) => Math.round(v));
    x.set([NaN, Infinity, -Infinity, -0, 0]);
    const ar = Float32Array.from({ length: T }, (_, i) => i - 3);
    ar[4] = NaN;
    for (const op of ['lt', 'le', 'gt', 'ge', 'eq', 'ne'] as const) {
      const got = new Uint8Array(B * T * T);
      const want = new Uint8Array(B * T * T);
      const xa: Operand = { data: x, strides: [T, 0, 1], offset: 0 };
      const xb = operand(ar, [T, 1], shape);
      w.binary(op, xa, xb, shape, got, false);
      cpuBackend.binary(op, xa, xb, shape, want, false);
      assertExact(got, want, `float ${op}`);
    }
  });

  test('binary: every op with every inner-stride case (strided or broadcast on either side, both broadcast) is bit-identical to the CPU reference, 1 and 3 threads', () => {
    const three = wasmBackend({ threshold: 0, threads: 3, chunkBytes: 1 << 16 });
    assert.ok(w && three, 'wasm backend missing: run npm run build');
    const [R, T] = [150, 83]; // 83: a 64-byte step, a 16-byte step and a ragged tail per row
    const shape = [R, T];
    const r = rng(7);
    // Bytes: mostly 0/1 bools, some other uint8 values; floats: small integers (ties), NaN, +-inf, +-0.
    const bytes = (n: number) => Uint8Array.from({ length: n }, () => { const v = r(); return v < 0.45 ? 0 : v < 0.9 ? 1 : Math.floor(v * 1000) % 256; });
    const floats = (n: number) => Float32Array.from({ length: n }, () => { const v = r(); return v < 0.03 ? NaN : v < 0.05 ? Infinity : v < 0.07 ? -Infinity : v < 0.1 ? -0 : Math.round(v * 8) - 4; });
    // Each operand: strided rows [R, T] (inner stride 1), a row vector [1, T] over rows, or a column [R, 1] broadcast along rows (inner stride 0).
    const kinds = <D extends Float32Array | Uint8Array>(make: (n: number) => D): Operand[] => [
      { data: make(R * T + 3), strides: [T, 1], offset: 3 },
      { data: make(T), strides: [0, 1], offset: 0 },
      { data: make(R + 1), strides: [1, 0], offset: 1 },
    ];
    const cases: [readonly BinaryOp[], Operand[]][] = [
      [['lt', 'le', 'gt', 'ge', 'eq', 'ne'], kinds(floats)],
      [['and', 'or', 'xor', 'eq', 'ne', 'bitand', 'bitor', 'bitxor'], kinds(bytes)],
    ];
    for (const [ops, operands] of cases) {
      for (const op of ops) {
        for (const a of operands) {
          for (const b of operands) {
            const want = new Uint8Array(R * T);
            cpuBackend.binary(op, a, b, shape, want, false);
            for (const be of [w, three]) {
              const got = new Uint8Array(R * T);
              const before = be.kernelCalls('binary_rows');
              be.binary(op, a, b, shape, got, false);
              assert.ok(be.kernelCalls('binary_rows') > before, `${op}: no wasm kernel ran`);
              assertExact(got, want, `${a.data.constructor.name} ${op} strides ${a.strides} x ${b.strides} (${be.threads} threads)`);
            }
          }
        }
      }
    }
  });

  test('where on float32 (masked_fill) is bit-identical to the CPU reference: broadcast masks, scalar and tensor branches, chunks, threads', () => {
    const small = wasmBackend({ threshold: 0, threads: 3, chunkBytes: 1 << 16 }); // 64 KiB chunks: many per call
    assert.ok(w && small, 'wasm backend missing: run npm run build');
    const [B, H, T] = [2, 3, 131]; // 131: 4-lane body and a ragged tail
    const shape = [B, H, T, T];
    const n = numel(shape);
    const x = randomF32(5 + n, 104, 6);
    x[5 + 17] = NaN;
    x[5 + 400] = -Infinity;
    const causal = new Uint8Array(T * T);
    for (let i = 0; i < T; i++) causal.fill(1, i * T + i + 1, (i + 1) * T);
    const pad = Uint8Array.from({ length: B * T }, (_, i) => +(i % T >= T - 9 * (1 + Math.floor(i / T))));
    const y = randomF32(H * T, 105, 3);
    const scalar: Operand = { data: Float32Array.of(-1e9), strides: [0, 0, 0, 0], offset: 0 };
    const xs: Operand = { data: x, strides: [H * T * T, T * T, T, 1], offset: 5 };
    const conds: Operand[] = [
      operand(causal, [T, T], shape), // [T, T] over batch and heads
      { data: pad, strides: [T, 0, 0, 1], offset: 0 }, // key padding [B, 1, 1, T]
      { data: pad, strides: [T, 0, 1, 0], offset: 0 }, // a column broadcast along keys (stride 0 inner)
      { data: causal, strides: [0, 0, 1, T], offset: 0 }, // transposed: the CPU reference runs it
    ];
    const other: Operand = { data: Float32Array.of(NaN, 2.5), strides: [0, 0, 0, 0], offset: 1 };
    const branches: [Operand, Operand][] = [[scalar, xs], [xs, scalar], [{ data: y, strides: [0, T, 0, 1], offset: 0 }, xs], [scalar, other]];
    for (const cond of conds) {
      for (const [a, b] of branches) {
        const want = new Float32Array(n);
        cpuBackend.where(cond, a, b, shape, want);
        for (const be of [w, small]) {
          const got = new Float32Array(n);
          be.where(cond, a, b, shape, got);
          assertExact(got, want, `where cond strides ${cond.strides} (${be.threads} threads)`);
        }
      }
    }
  });

  test('cross entropy rows: logSoftmaxPick equals the picked log_softmax elements; ignore_index gives 0', () => {
    assert.ok(w, 'wasm backend missing: run npm run build');
    const [rows, cols] = [11, 1031];
    const x = softmaxInput(rows, cols, 97);
    const target = Array.from({ length: rows }, (_, r) => (r % 4 === 3 ? -100 : (r * 131) % cols));
    const got = new Float32Array(rows);
    w.logSoftmaxPick(x, rows, cols, target, -100, got);
    const logp = new Float32Array(rows * cols);
    w.softmax(x, rows, cols, logp, true);
    assertExact(got, target.map((t, r) => (t === -100 ? 0 : logp[r * cols + t])), 'picked log_softmax');
    assert.throws(() => w.logSoftmaxPick(x, rows, cols, [...target.slice(1), cols], -100, got), RangeError);
  });

  test('threads: every kernel gives the same bits on 1 and 3 threads (rows split unevenly)', () => {
    const one = wasmBackend({ threshold: 0, threads: 1 });
    const three = wasmBackend({ threshold: 0, threads: 3 });
    assert.ok(one && three, 'wasm backend missing: run npm run build');
    assert.equal(one.threads, 1);
    assert.equal(three.threads, 3, 'no worker threads: SharedArrayBuffer or worker_threads missing');
    const [rows, cols] = [301, 257]; // over PARALLEL_MIN_ELEMENTS, so the work is split
    const x = softmaxInput(rows, cols, 98);
    for (const log of [false, true]) {
      const a = new Float32Array(rows * cols), b = new Float32Array(rows * cols);
      one.softmax(x, rows, cols, a, log);
      three.softmax(x, rows, cols, b, log);
      assertExact(b, a, `threaded ${log ? 'log_' : ''}softmax`);
    }
    const shape = [1, 7, 43, cols];
    const causal = new Uint8Array(43 * cols);
    for (let i = 0; i < 43; i++) causal.fill(1, i * cols + i + 1, (i + 1) * cols);
    const mask = operand(causal, [43, cols], shape);
    const xm = randomF32(7 * 43 * cols, 99, 6);
    const a = new Float32Array(xm.length), b = new Float32Array(xm.length);
    one.maskedSoftmax(xm, mask, 7 * 43, cols, -Infinity, a, shape);
    three.maskedSoftmax(xm, mask, 7 * 43, cols, -Infinity, b, shape);
    assertExact(b, a, 'threaded masked softmax');
    const [m, k, n] = [130, 64, 256];
    const qa = randomF32(2 * m * k, 100, 2), kb = randomF32(2 * k * n, 101, 2);
    const ma = new Float32Array(2 * m * n), mb = new Float32Array(2 * m * n), mc = new Float32Array(2 * m * n);
    one.matmul(qa, kb, 2, m, k, n, ma);
    three.matmul(qa, kb, 2, m, k, n, mb);
    cpuBackend.matmul(qa, kb, 2, m, k, n, mc);
    assertExact(mb, ma, 'threaded matmul');
    assertExact(mb, mc, 'threaded matmul vs CPU reference');
    const target = Array.from({ length: rows }, (_, r) => (r % 5 === 4 ? -100 : (r * 7) % cols));
    const pa = new Float32Array(rows), pb = new Float32Array(rows);
    one.logSoftmaxPick(x, rows, cols, target, -100, pa);
    three.logSoftmaxPick(x, rows, cols, target, -100, pb);
    assertExact(pb, pa, 'threaded logSoftmaxPick');
    const pad = Uint8Array.from({ length: 4 * 512 }, (_, i) => +(i % 512 < 400 - (i >> 9) * 37));
    const tri = new Uint8Array(512 * 512);
    for (let i = 0; i < 512; i++) tri.fill(1, i * 512, i * 512 + i + 1);
    const s3 = [4, 512, 512];
    const ba = new Uint8Array(4 * 512 * 512), bb = new Uint8Array(4 * 512 * 512);
    const pv: Operand = { data: pad, strides: [512, 0, 1], offset: 0 };
    one.binary('and', pv, operand(tri, [512, 512], s3), s3, ba, false);
    three.binary('and', pv, operand(tri, [512, 512], s3), s3, bb, false);
    assertExact(bb, ba, 'threaded bool and');
  });

  test('a lent output (fresh, owned): the copier thread fills it and hands it back, bit-identical to the plain path, every chunk count, many calls in a row', () => {
    // lendMinElements 0: every call lends (by default only from 2^20 elements).
    const lender = wasmBackend({ threshold: 0, threads: 3, chunkBytes: 1 << 16, lendMinElements: 0, lendBackoff: false });
    const one = wasmBackend({ threshold: 0, threads: 1 });
    assert.ok(lender && one, 'wasm backend missing: run npm run build');
    for (const [B, H, T] of [[2, 3, 150], [1, 1, 64], [1, 1, 8], [3, 1, 33]]) {
      // 9 chunks of 109 rows; one chunk (the first job copies nothing, the last copies and returns); tiny rows
      const shape = [B, H, T, T];
      const x = randomF32(numel(shape), 108 + T, 10);
      x[3] = NaN;
      const causal = new Uint8Array(T * T);
      for (let i = 0; i < T; i++) causal.fill(1, i * T + i + 1, (i + 1) * T);
      const mask = operand(causal, [T, T], shape);
      const rows = B * H * T;
      const want = new Float32Array(x.length);
      one.maskedSoftmax(x, mask, rows, T, -Infinity, want, shape);
      const out = new Float32Array(x.length);
      const got = lender.maskedSoftmax(x, mask, rows, T, -Infinity, out, shape, true);
      assert.ok(got instanceof Float32Array && got !== out, 'a lent output comes back as a new array');
      assert.equal(out.length, 0, 'the lent array is detached');
      assertExact(got, want, `lent masked softmax [${shape}]`);
      // without lend the same backend writes into `out` and returns nothing
      const kept = new Float32Array(x.length);
      assert.equal(lender.maskedSoftmax(x, mask, rows, T, -Infinity, kept, shape), undefined);
      assertExact(kept, want, `unlent masked softmax [${shape}]`);
      for (const log of [false, true]) {
        const w = new Float32Array(x.length);
        one.softmax(x, rows, T, w, log);
        const g = lender.softmax(x, rows, T, new Float32Array(x.length), log, true);
        assert.ok(g instanceof Float32Array);
        assertExact(g, w, `lent ${log ? 'log_' : ''}softmax [${shape}]`);
      }
    }
    // Calls back to back, lent and not: each one's copy task must reach the copier, however the
    // jobs' work words repeat (a worker asleep on an old value still wakes: it sleeps on the job count).
    const x = randomF32(64 * 256, 120, 6);
    const want = new Float32Array(x.length);
    one.softmax(x, 64, 256, want, false);
    for (let i = 0; i < 200; i++) {
      const got = i % 3 === 2 ? new Float32Array(x.length) : lender.softmax(x, 64, 256, new Float32Array(x.length), false, true);
      if (i % 3 === 2) lender.softmax(x, 64, 256, got as Float32Array, false);
      assertExact(got as Float32Array, want, `call ${i}`);
    }
    // A view into a larger buffer cannot move: the result is written in place
    const big = new Float32Array(2 * x.length);
    const view = big.subarray(x.length);
    assert.equal(lender.softmax(x, 64, 256, view, false, true), undefined);
    assertExact(view, want, 'an unlendable view');
  });

  test('lendStats: every call offered a lendable output is counted once, lent or with its reason; a lent call measures how long its threads waited for a CPU (Linux)', () => {
    // The gate on (lendBackoff left at its default): whether a call lends depends on how this
    // machine's cores are shared now, so the test checks the accounting, not the verdict.
    const gated = wasmBackend({ threshold: 0, threads: 2, chunkBytes: 1 << 16, lendMinElements: 0 });
    const lender = wasmBackend({ threshold: 0, threads: 2, chunkBytes: 1 << 16, lendMinElements: 0, lendBackoff: false });
    assert.ok(gated && lender, 'wasm backend missing: run npm run build');
    const x = randomF32(64 * 256, 122, 6);
    const want = new Float32Array(x.length);
    cpuBackend.softmax!(x, 64, 256, want, false);
    const count = (st: WasmBackend['lendStats']) => st.lent + st.busy + st.backoff + st.refused;
    assert.equal(count(gated.lendStats), 0);
    for (let i = 0; i < 12; i++) {
      const out = new Float32Array(x.length);
      const got = gated.softmax(x, 64, 256, out, false, true) ?? out;
      assertExact(got, want, `gated call ${i}`);
    }
    // not offered: no lend flag, or a view that cannot move
    gated.softmax(x, 64, 256, new Float32Array(x.length), false);
    const st = gated.lendStats;
    assert.equal(count(st), 12, JSON.stringify(st));
    assert.equal(st.refused, 0);
    const view = new Float32Array(2 * x.length).subarray(x.length);
    lender.softmax(x, 64, 256, view, false, true);
    assert.deepEqual([lender.lendStats.lent, lender.lendStats.refused], [0, 1]);
    const got = lender.softmax(x, 64, 256, new Float32Array(x.length), false, true);
    assert.ok(got instanceof Float32Array);
    assertExact(got, want, 'lent');
    assert.equal(lender.lendStats.lent, 1);
    if (process.platform === 'linux' && existsSync('/proc/thread-self/schedstat')) {
      // NaN where the kernel's counters did not move during so short a call
      for (const share of [lender.lendStats.copierWaitShare, lender.lendStats.callerWaitShare]) assert.ok(Number.isNaN(share) || (share >= 0 && share <= 1), `wait share ${share}`);
      const g = gated.lendStats.gateWaitShare;
      assert.ok(g >= 0 && g <= 1, `gate wait share ${g}`);
      assert.equal(gated.lendStats.gate, 'cpu wait', 'on Linux the gate reads our own threads\' wait, not the load average');
    }
  });

  test('the ops layer lends its fresh outputs: softmax and the fused masked softmax of 2^20 elements on the threaded wasm backend equal the CPU reference', () => {
    const shape = [2, 2, 512, 512];
    const x = Tensor.fromData('float32', shape, randomF32(numel(shape), 121, 8));
    const causal = Tensor.fromData('bool', [512, 512], Uint8Array.from({ length: 512 * 512 }, (_, i) => +(i % 512 > Math.floor(i / 512))));
    const reference = (f: () => Tensor) => {
      setBackendPreference('cpu', 0);
      try {
        return f();
      } finally {
        setBackendPreference('auto', 65536);
      }
    };
    setBackendPreference('auto', 65536);
    for (const f of [() => softmax(x, -1), () => maskedSoftmax(x, causal), () => softmax(x, -1, true)]) {
      const got = f();
      assert.equal(backendFor(x.numel, 'float32').name, 'wasm');
      assert.equal(got.storage.data.length, x.numel);
      assertExact(got.values() as Float32Array, reference(f).values() as Float32Array, 'ops layer on the wasm backend');
    }
  });

  test('the masked softmax stages a bounded scratch: the module memory does not grow with the tensor or from call to call', () => {
    const w2 = wasmBackend({ threshold: 0, threads: 2 });
    assert.ok(w2, 'wasm backend missing: run npm run build');
    const run = (B: number, T: number) => {
      const shape = [B, 2, T, T];
      const x = randomF32(numel(shape), 106, 4);
      const causal = new Uint8Array(T * T);
      for (let i = 0; i < T; i++) causal.fill(1, i * T + i + 1, (i + 1) * T);
      const out = new Float32Array(x.length);
      w2.maskedSoftmax(x, operand(causal, [T, T], shape), B * 2 * T, T, -Infinity, out, shape);
      return w2.memoryBytes;
    };
    const small = run(1, 512); // 2 MiB of scores
    const large = run(8, 512); // 16 MiB of scores: the same scratch
    assert.equal(large, small, 'module memory grew with the tensor');
    assert.equal(run(8, 512), large, 'module memory grew on a repeated call');
    // rows (256 KiB per chunk) + their mask span + row offsets, beside the module's own pages
    assert.ok(large <= 1 << 20, `module memory ${large} bytes`);
  });
});

describe('cross entropy on the wasm backend', () => {
  test('F.cross_entropy on large [N, C] float32 picks log_softmax without writing it: same bits as log_softmax + nll_loss', () => {
    setBackendPreference('auto', 65536);
    const [N, C] = [70, 1031]; // 72170 elements: the wasm backend's size
    assert.equal(backendFor(N * C, 'float32').name, 'wasm', 'wasm backend missing: run npm run build');
    const x = Tensor.fromData('float32', [N, C], softmaxInput(N, C, 103));
    for (const ignoreIndex of [-100, 5]) {
      const t = Tensor.fromData('int64', [N], Float64Array.from({ length: N }, (_, r) => (r % 6 === 5 ? ignoreIndex : (r * 37) % C)));
      const weight = Tensor.fromData('float32', [C], Float32Array.from({ length: C }, (_, c) => 0.5 + (c % 3)));
      for (const reduction of ['mean', 'sum', 'none'] as const) {
        for (const w of [null, weight]) {
          const b = backendFor(N * C, 'float32') as WasmBackend;
          const pick = b.logSoftmaxPick;
          let picks = 0;
          b.logSoftmaxPick = (...a) => { picks++; pick(...a); };
          let got: Tensor;
          try {
            got = crossEntropy(x, t, { weight: w, ignoreIndex, reduction });
          } finally {
            b.logSoftmaxPick = pick;
          }
          assert.equal(picks, 1, 'the fused pick ran');
          const want = nllLoss(softmax(x, 1, true), t, { weight: w, ignoreIndex, reduction });
          assert.deepEqual(got.shape, want.shape);
          assertExact(got.values(), want.values(), `cross_entropy ${reduction} ignore ${ignoreIndex}${w ? ' weighted' : ''}`);
        }
      }
    }
    assert.throws(() => crossEntropy(x, Tensor.fromData('int64', [N], new Float64Array(N).fill(C)), {}), /Target 1031 is out of bounds/);
  });
});
