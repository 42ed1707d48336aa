// Float32 softmax, log_softmax, masked softmax and cross entropy, bit for
// bit against real PyTorch 2.13 (its AVX512 kernels: Sleef expf/logf u10 with
// fused multiply-adds, reduce_all over 16 lanes with a tree fold). The
// expected bits are in fixtures/softmax_bits.json, written by
// scripts/softmax_bits.py from real torch; inputs are stored as bits too.
// The CPU reference and the wasm backend (relaxed-SIMD build and the plain
// build's exact f64-lane fma) must give exactly those bits (NaN: any NaN).
// Also: fma32 on double-rounding cases against an exact BigInt reference,
// and the Sleef exp/log against Math.exp/Math.log within 1 ulp.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { softmaxRow32 } from '../../src/engine/kernels/float32_order';
import { sleefExpf, sleefLogf } from '../../src/engine/kernels/sleef32';
import { wasmBackend } from '../../src/engine/kernels/wasm';
import { crossEntropy, maskedSoftmax, softmax } from '../../src/engine/ops/compose';
import { fma32 } from '../../src/engine/random/float_math';
import { Tensor } from '../../src/engine/tensor';

interface Case {
  kind: string;
  shape: number[];
  x: number[];
  out: number[];
  dim?: number;
  mask?: number[];
  target?: number[];
  weight?: number[];
  results?: { reduction: 'none' | 'sum' | 'mean'; weighted: boolean; label_smoothing: number; out: number[] }[];
}
const FIXTURE = JSON.parse(readFileSync(new URL('./fixtures/softmax_bits.json', import.meta.url), 'utf8')) as { torch: string; cpu_capability: string; cases: Case[] };

const f32 = (bits: number[]) => new Float32Array(Int32Array.from(bits).buffer);

/** Same float32 bits, or NaN both (torch's NaN sign is the CPU's default NaN, not modelled). */
function assertBits(got: ArrayLike<number>, want: Float32Array, what: string): void {
  assert.equal(got.length, want.length, `${what}: length`);
  const g = Float32Array.from(got);
  const gb = new Int32Array(g.buffer), wb = new Int32Array(want.buffer);
  let bad = 0, first = -1;
  for (let i = 0; i < want.length; i++) {
    if (Number.isNaN(want[i]) ? !Number.isNaN(g[i]) : gb[i] !== wb[i]) {
      bad++;
      if (first < 0) first = i;
    }
  }
  assert.equal(bad, 0, `${what}: ${bad} of ${want.length} differ, first at ${first}: got ${g[first]}, torch ${want[first]}`);
}

const ofKind = (k: string) => FIXTURE.cases.filter((c) => c.kind === k);

describe(`softmax bits against torch ${FIXTURE.torch} (${FIXTURE.cpu_capability})`, () => {
  const wasms = [wasmBackend({ threshold: 0, threads: 1 }), wasmBackend({ threshold: 0, threads: 1, fusedExp: false })];

  test('the fixture covers every case kind', () => {
    for (const k of ['softmax', 'log_softmax', 'masked_softmax', 'softmax_dim', 'log_softmax_dim', 'cross_entropy']) assert.ok(ofKind(k).length > 0, k);
    assert.ok(wasms[0] && wasms[1], 'wasm backend missing: run npm run build');
    assert.equal(wasms[1]!.fusedExp, false);
  });

  for (const log of [false, true]) {
    test(`${log ? 'log_' : ''}softmax over the last dim: every tail 1..33, N < 16, 16, 17, 64, 100, 259; -inf, NaN and all -inf rows`, () => {
      for (const c of ofKind(log ? 'log_softmax' : 'softmax')) {
        const x = f32(c.x), want = f32(c.out);
        const [rows, cols] = [c.shape[0], c.shape[1]];
        const what = `${c.kind} [${c.shape}]`;
        assertBits(softmax(Tensor.fromData('float32', c.shape, x), -1, log).values(), want, `${what} (ops)`);
        const ref = new Float32Array(x.length);
        for (let r = 0; r < rows; r++) softmaxRow32(x, r * cols, cols, ref, log);
        assertBits(ref, want, `${what} (softmaxRow32)`);
        for (const w of wasms) {
          const got = new Float32Array(x.length);
          w!.softmax(x, rows, cols, got, log);
          assertBits(got, want, `${what} (wasm, fusedExp ${w!.fusedExp})`);
          if (log) {
            const target = Array.from({ length: rows }, (_, r) => (r * 5) % cols);
            const picked = new Float32Array(rows);
            w!.logSoftmaxPick(x, rows, cols, target, -100, picked);
            assertBits(picked, Float32Array.from(target, (t, r) => want[r * cols + t]), `${what} (wasm pick)`);
          }
        }
      }
    });
  }

  test('masked softmax: masked_fill(mask, -inf).softmax(-1), causal | padding, fully masked rows NaN', () => {
    for (const c of ofKind('masked_softmax')) {
      const x = Tensor.fromData('float32', c.shape, f32(c.x));
      const mask = Tensor.fromData('bool', c.shape, Uint8Array.from(c.mask!));
      const want = f32(c.out);
      assertBits(maskedSoftmax(x, mask).values(), want, `masked_softmax [${c.shape}] (ops)`);
      const cols = c.shape[c.shape.length - 1];
      const strides = c.shape.map((_, d) => c.shape.slice(d + 1).reduce((a, b) => a * b, 1));
      for (const w of wasms) {
        const got = new Float32Array(want.length);
        w!.maskedSoftmax(f32(c.x), { data: Uint8Array.from(c.mask!), strides, offset: 0 }, want.length / cols, cols, -Infinity, got, c.shape);
        assertBits(got, want, `masked_softmax [${c.shape}] (wasm, fusedExp ${w!.fusedExp})`);
      }
    }
  });

  test('softmax and log_softmax over a dim that is not the last (vectorised columns and the scalar tail)', () => {
    for (const c of [...ofKind('softmax_dim'), ...ofKind('log_softmax_dim')]) {
      const got = softmax(Tensor.fromData('float32', c.shape, f32(c.x)), c.dim!, c.kind === 'log_softmax_dim');
      assertBits(got.values(), f32(c.out), `${c.kind} [${c.shape}] dim ${c.dim}`);
    }
  });

  test('cross entropy: [N, C] and [N, C, d], ignore_index, weight, label_smoothing, each reduction', () => {
    for (const c of ofKind('cross_entropy')) {
      const x = Tensor.fromData('float32', c.shape, f32(c.x));
      const target = Tensor.fromData('int64', c.shape.filter((_, i) => i !== 1), Float64Array.from(c.target!));
      const weight = Tensor.fromData('float32', [c.shape[1]], f32(c.weight!));
      for (const r of c.results!) {
        const got = crossEntropy(x, target, { weight: r.weighted ? weight : null, reduction: r.reduction, labelSmoothing: r.label_smoothing });
        assertBits(got.values(), f32(r.out), `cross_entropy [${c.shape}] ${r.reduction}${r.weighted ? ' weighted' : ''} label_smoothing ${r.label_smoothing}`);
      }
    }
  });
});

// ---------------------------------------------------------------- fma32, exp, log

/** A float32 (or any double) as an exact BigInt multiple of 2^-150. */
const scaled = (v: number) => BigInt(v * 2 ** 150);

/** fround(a * b + c) with one rounding, by exact BigInt arithmetic: the sum rounded to odd at 53 bits, then to float32. */
function fmaExact(a: number, b: number, c: number): number {
  const s = scaled(a) * scaled(b) + scaled(c) * 2n ** 150n; // times 2^300
  if (s === 0n) return 0;
  const neg = s < 0n;
  let m = neg ? -s : s;
  const len = m.toString(2).length;
  let k = 0;
  if (len > 53) {
    k = len - 53;
    const sticky = (m & ((1n << BigInt(k)) - 1n)) !== 0n;
    m >>= BigInt(k);
    if (sticky) m |= 1n; // round to odd keeps the later rounding to 24 bits correct
  }
  const v = Number(m) * 2 ** (k - 300);
  return Math.fround(neg ? -v : v);
}

test('fma32 rounds once where the double sum lands on a float32 midpoint (double rounding), against exact arithmetic', () => {
  let seed = 7;
  const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
  let hard = 0;
  for (let i = 0; i < 2000; i++) {
    // c with an odd mantissa; a * b = +-(ulp(c) / 2)(1 - k^2 2^-46): the exact sum lies just inside a
    // midpoint of c, the double sum exactly on it, and ties-to-even then picks the wrong side
    const c = Math.fround((1 + (2 * Math.floor(rand() * 2 ** 22) + 1) * 2 ** -23) * 2 ** (Math.floor(rand() * 40) - 20)) * (rand() < 0.5 ? -1 : 1);
    const ulp = 2 ** (Math.floor(Math.log2(Math.abs(c))) - 23);
    const k = 1 + Math.floor(rand() * 300);
    const a = Math.fround((ulp / 2) * (1 + k * 2 ** -23)) * (rand() < 0.5 ? -1 : 1);
    const b = Math.fround(1 - k * 2 ** -23);
    const want = fmaExact(a, b, c);
    assert.equal(fma32(a, b, c), want, `fma32(${a}, ${b}, ${c})`);
    if (Math.fround(a * b + c) !== want) hard++;
  }
  assert.ok(hard > 1500, `only ${hard} of the cases round twice in a double sum`);
  for (let i = 0; i < 20000; i++) {
    const a = Math.fround((rand() - 0.5) * 2 ** (Math.floor(rand() * 60) - 30));
    const b = Math.fround((rand() - 0.5) * 2 ** (Math.floor(rand() * 60) - 30));
    const c = Math.fround(-a * b * (1 + (rand() - 0.5) * 2 ** -20));
    assert.equal(fma32(a, b, c), fmaExact(a, b, c), `fma32(${a}, ${b}, ${c})`);
  }
});

test('Sleef expf and logf: within 1 ulp of the correctly rounded result, specials as Sleef', () => {
  const ulps = (a: number, b: number) => {
    const i = new Int32Array(Float32Array.of(a, b).buffer);
    return Math.abs(i[0] - i[1]);
  };
  for (let i = 0; i <= 20000; i++) {
    const x = Math.fround(-104 + (204 * i) / 20000);
    assert.ok(ulps(sleefExpf(x), Math.fround(Math.exp(x))) <= 1, `exp(${x})`);
    const y = Math.fround(2 ** (-140 + (270 * i) / 20000));
    assert.ok(ulps(sleefLogf(y), Math.fround(Math.log(y))) <= 1, `log(${y})`);
  }
  assert.deepEqual([sleefExpf(-Infinity), sleefExpf(Infinity), sleefExpf(-105), sleefExpf(101), sleefExpf(0)], [0, Infinity, 0, Infinity, 1]);
  assert.ok(Number.isNaN(sleefExpf(NaN)));
  assert.deepEqual([sleefLogf(0), sleefLogf(Infinity), sleefLogf(1)], [-Infinity, Infinity, 0]);
  assert.ok(Number.isNaN(sleefLogf(-1)) && Number.isNaN(sleefLogf(NaN)));
});
