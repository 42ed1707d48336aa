// TensorFlow's stateful CPU random ops (RandomUniform, RandomUniformInt),
// value for value: the Philox-4x32-10 counter generator of
// tensorflow/core/lib/random/philox_random.h keyed by the op's (seed, seed2)
// attributes, and the distributions of random_distributions.h.
//
// A kernel's generator starts at counter (0, 0, seed2 lo, seed2 hi) and key
// (seed lo, seed hi). Each call reserves `256 * numel` 128-bit outputs
// (GuardedPhiloxRandom::ReserveRandomOutputs), so a cached kernel called again
// starts that far on. FillPhiloxRandom hands group g of kResultElementCount
// outputs the generator skipped g times: element i comes from the
// (i / count)-th 4×uint32 block.

const MUL_A = 0xd2511f53;
const MUL_B = 0xcd9e8d57;
const KEY_A = 0x9e3779b9;
const KEY_B = 0xbb67ae85;

/** The high and low 32 bits of the 64-bit product a * b (both uint32). */
function mulHiLo(a: number, b: number): [number, number] {
  // 16-bit halves keep every partial product exact in a double
  const ah = a >>> 16, al = a & 0xffff, bh = b >>> 16, bl = b & 0xffff;
  const low = (ah * bl + al * bh) * 65536 + al * bl;
  return [ah * bh + Math.floor(low / 4294967296), Math.imul(a, b) >>> 0];
}

/** One Philox-4x32-10 block for `counter` (4 uint32) under `key` (2 uint32). */
export function philox4x32(counter: readonly number[], key: readonly number[]): number[] {
  let [c0, c1, c2, c3] = counter;
  let [k0, k1] = key;
  for (let round = 0; round < 10; round++) {
    const [hi0, lo0] = mulHiLo(MUL_A, c0);
    const [hi1, lo1] = mulHiLo(MUL_B, c2);
    [c0, c1, c2, c3] = [(hi1 ^ c1 ^ k0) >>> 0, lo1, (hi0 ^ c3 ^ k1) >>> 0, lo0];
    k0 = (k0 + KEY_A) >>> 0;
    k1 = (k1 + KEY_B) >>> 0;
  }
  return [c0, c1, c2, c3];
}

/**
 * `blocks` Philox blocks of the generator seeded (seed, seed2), starting
 * `skip` blocks on: the uint32 outputs in order, 4 a block.
 */
export function philoxStream(seed: bigint, seed2: bigint, skip: bigint, blocks: number): Uint32Array {
  const key = [Number(seed & 0xffffffffn), Number((seed >> 32n) & 0xffffffffn)];
  const hi = [Number(seed2 & 0xffffffffn), Number((seed2 >> 32n) & 0xffffffffn)];
  const out = new Uint32Array(blocks * 4);
  for (let g = 0; g < blocks; g++) {
    // the 128-bit counter's low 64 bits count blocks (SkipOne carries into the seed2 words past 2^64)
    const n = skip + BigInt(g);
    const lo64 = n & 0xffffffffffffffffn;
    const carry = n >> 64n;
    const c2 = (BigInt(hi[0]) + carry) & 0xffffffffn;
    const c3 = (BigInt(hi[1]) + ((BigInt(hi[0]) + carry) >> 32n)) & 0xffffffffn;
    const block = philox4x32([Number(lo64 & 0xffffffffn), Number(lo64 >> 32n), Number(c2), Number(c3)], key);
    out.set(block, g * 4);
  }
  return out;
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** Uint32ToFloat: 23 random mantissa bits under exponent 0, minus 1, a float32 in [0, 1). */
function uint32ToFloat(x: number): number {
  u32[0] = (127 << 23) | (x & 0x7fffff);
  return f32[0] - 1;
}

const TWO_POW_32 = 4294967296;

/** Uint64ToDouble: 52 mantissa bits (20 from x0, 32 from x1) under exponent 0, minus 1. */
function uint64ToDouble(x0: number, x1: number): number {
  return 1 + ((x0 & 0xfffff) * TWO_POW_32 + x1) / 2 ** 52 - 1;
}

/** The number of outputs one generator call gives a distribution (kResultElementCount). */
function groupSize(kind: 'float32' | 'float64' | 'int32' | 'int64'): number {
  return kind === 'float64' || kind === 'int64' ? 2 : 4;
}

/**
 * `n` draws of RandomUniform (float32: [0, 1) with 23 bits; float64: 52 bits)
 * or RandomUniformInt (`lo + bits % (hi - lo)` on 32 or 64 bits) from the
 * generator seeded (seed, seed2), `skip` blocks on. Values as numbers (int64
 * as bigint).
 */
export function tfUniform(kind: 'float32' | 'float64', n: number, seed: bigint, seed2: bigint, skip: bigint): Float64Array;
export function tfUniform(kind: 'int32' | 'int64', n: number, seed: bigint, seed2: bigint, skip: bigint, lo: bigint, hi: bigint): (number | bigint)[];
export function tfUniform(
  kind: 'float32' | 'float64' | 'int32' | 'int64', n: number, seed: bigint, seed2: bigint, skip: bigint, lo = 0n, hi = 1n,
): Float64Array | (number | bigint)[] {
  const size = groupSize(kind);
  const bits = philoxStream(seed, seed2, skip, Math.ceil(n / size));
  if (kind === 'float32') return Float64Array.from({ length: n }, (_, i) => uint32ToFloat(bits[i]));
  if (kind === 'float64') {
    // a group of two doubles per block: block b gives elements 2b and 2b + 1 from words (0, 1) and (2, 3)
    return Float64Array.from({ length: n }, (_, i) => {
      const w = Math.floor(i / 2) * 4 + (i % 2) * 2;
      return uint64ToDouble(bits[w], bits[w + 1]);
    });
  }
  const range = hi - lo;
  if (kind === 'int32') {
    const r = BigInt.asUintN(32, range);
    return Array.from({ length: n }, (_, i) => Number(BigInt.asIntN(32, lo + BigInt(bits[i]) % r)));
  }
  const r = BigInt.asUintN(64, range);
  return Array.from({ length: n }, (_, i) => {
    const w = Math.floor(i / 2) * 4 + (i % 2) * 2;
    const x = BigInt(bits[w]) | (BigInt(bits[w + 1]) << 32n);
    return BigInt.asIntN(64, lo + x % r);
  });
}
