// numpy's new-style random: SeedSequence, the PCG64 bit generator and the
// Generator methods mask code uses (np.random.default_rng(seed).random,
// integers, choice, permutation, shuffle, binomial, uniform), value for value
// with numpy 2.x. Sources: numpy/random/bit_generator.pyx (SeedSequence),
// src/pcg64/pcg64.h (XSL-RR 128/64, the buffered 32-bit half),
// src/distributions/distributions.c (next_double, Lemire's bounded integers,
// random_interval) and _generator.pyx (choice, shuffle, permutation).

import { valueError } from '../errors';
import { ZIGGURAT_NOR_INV_R, ZIGGURAT_NOR_INV_R_F, ZIGGURAT_NOR_R, ZIGGURAT_NOR_R_F, ziggurat } from './ziggurat';
import { binomialDraw, cumulative, fisherYates, poissonDraw, randomInterval, searchRight } from './numpy_random';

const MASK64 = (1n << 64n) - 1n;
const MASK128 = (1n << 128n) - 1n;

// SeedSequence's hash constants (bit_generator.pyx)
const POOL_SIZE = 4;
const INIT_A = 0x43b0d7e5;
const MULT_A = 0x931e8875;
const INIT_B = 0x8b51f9dd;
const MULT_B = 0x58f38ded;
const MIX_MULT_L = 0xca01f9dd;
const MIX_MULT_R = 0x4973f715;

/**
 * An entropy value as SeedSequence's uint32 words, lowest first
 * (_int_to_uint32_array; a sequence concatenates each element's words).
 * Errors: a negative int is ValueError "expected non-negative integer".
 */
export function entropyWords(entropy: bigint | readonly bigint[]): number[] {
  const one = (n: bigint): number[] => {
    if (n < 0n) throw valueError('expected non-negative integer');
    if (n === 0n) return [0];
    const words: number[] = [];
    for (let v = n; v > 0n; v >>= 32n) words.push(Number(v & 0xffffffffn));
    return words;
  };
  return typeof entropy === 'bigint' ? one(entropy) : entropy.flatMap(one);
}

/**
 * numpy.random.SeedSequence(entropy).generate_state(nWords) as uint32 words:
 * the entropy is hashed into a 4-word pool (mix_entropy), and each output
 * word re-hashes the pool cyclically. Spawn keys are not modelled.
 */
export function seedSequenceState(entropy: readonly number[], nWords: number): Uint32Array {
  let hashConst = INIT_A;
  const hashmix = (value: number): number => {
    let v = (value ^ hashConst) >>> 0;
    hashConst = Math.imul(hashConst, MULT_A) >>> 0;
    v = Math.imul(v, hashConst) >>> 0;
    return (v ^ (v >>> 16)) >>> 0;
  };
  const mix = (x: number, y: number): number => {
    const r = (Math.imul(MIX_MULT_L, x) - Math.imul(MIX_MULT_R, y)) >>> 0;
    return (r ^ (r >>> 16)) >>> 0;
  };
  const pool = new Uint32Array(POOL_SIZE);
  for (let i = 0; i < POOL_SIZE; i++) pool[i] = hashmix(i < entropy.length ? entropy[i] : 0);
  for (let src = 0; src < POOL_SIZE; src++) {
    for (let dst = 0; dst < POOL_SIZE; dst++) if (src !== dst) pool[dst] = mix(pool[dst], hashmix(pool[src]));
  }
  for (let src = POOL_SIZE; src < entropy.length; src++) {
    for (let dst = 0; dst < POOL_SIZE; dst++) pool[dst] = mix(pool[dst], hashmix(entropy[src]));
  }
  const out = new Uint32Array(nWords);
  let h = INIT_B;
  for (let i = 0; i < nWords; i++) {
    let v = (pool[i % POOL_SIZE] ^ h) >>> 0;
    h = Math.imul(h, MULT_B) >>> 0;
    v = Math.imul(v, h) >>> 0;
    out[i] = (v ^ (v >>> 16)) >>> 0;
  }
  return out;
}

// PCG_DEFAULT_MULTIPLIER_128
const PCG_MULT = (2549297995355413924n << 64n) | 4865540595714422341n;

/** PCG64 (XSL-RR 128/64) with numpy's buffered 32-bit draws. */
export class PCG64 {
  private state = 0n;
  private inc = 0n;
  private hasUint32 = false;
  private uinteger = 0;

  /** PCG64(SeedSequence(entropy)): generate_state(4, uint64) gives the state and the increment. */
  constructor(entropy: readonly number[]) {
    const w = seedSequenceState(entropy, 8);
    const u64 = (i: number) => (BigInt(w[2 * i + 1]) << 32n) | BigInt(w[2 * i]);
    const initState = (u64(0) << 64n) | u64(1);
    const initSeq = (u64(2) << 64n) | u64(3);
    // pcg_setseq_128_srandom_r
    this.inc = ((initSeq << 1n) | 1n) & MASK128;
    this.step();
    this.state = (this.state + initState) & MASK128;
    this.step();
  }

  private step(): void {
    this.state = (this.state * PCG_MULT + this.inc) & MASK128;
  }

  nextUint64(): bigint {
    this.step();
    const s = this.state;
    const x = ((s >> 64n) ^ s) & MASK64;
    const rot = s >> 122n;
    return ((x >> rot) | (x << ((64n - rot) & 63n))) & MASK64;
  }

  /** pcg64_next32: the low half of a 64-bit draw, its high half kept for the next call. */
  nextUint32(): number {
    if (this.hasUint32) {
      this.hasUint32 = false;
      return this.uinteger;
    }
    const next = this.nextUint64();
    this.hasUint32 = true;
    this.uinteger = Number(next >> 32n);
    return Number(next & 0xffffffffn);
  }

  /** next_float: the top 24 bits of a 32-bit draw over 2^24. */
  nextFloat(): number {
    return (this.nextUint32() >>> 8) * (1.0 / 16777216.0);
  }

  /** next_double: the top 53 bits over 2^53. */
  nextDouble(): number {
    return Number(this.nextUint64() >> 11n) * (1.0 / 9007199254740992.0);
  }
}

/**
 * One N(0, 1) draw as NumPy's random_standard_normal
 * (numpy/random/src/distributions/distributions.c): a 64-bit word gives the
 * layer (low 8 bits), the sign (next bit) and a 52-bit |x|; |x| * wi[layer]
 * is returned when it lies under the layer's core bound ki (99.3%). Layer 0
 * past the core samples the tail beyond r from two more doubles; another
 * layer accepts x when a uniform height under the layer's density strip lies
 * below exp(-x^2/2), else it starts over. The tail uses log1p and the strip
 * exp; JS's may differ from glibc's in the last ulp, which changes a draw
 * only if a comparison falls within that ulp.
 */
function standardNormal(bits: PCG64): number {
  const { kiDouble: KI_DOUBLE, wiDouble: WI_DOUBLE, fiDouble: FI_DOUBLE } = ziggurat();
  for (;;) {
    const word = bits.nextUint64();
    const idx = Number(word & 0xffn);
    const r = word >> 8n;
    const rabs = Number((r >> 1n) & 0xfffffffffffffn);
    let x = rabs * WI_DOUBLE[idx];
    if (r & 1n) x = -x;
    if (rabs < KI_DOUBLE[idx]) return x;
    if (idx === 0) {
      for (;;) {
        // 1 - U keeps log away from 0 (numpy GH 13361)
        const xx = -ZIGGURAT_NOR_INV_R * Math.log1p(-bits.nextDouble());
        const yy = -Math.log1p(-bits.nextDouble());
        if (yy + yy > xx * xx) return (rabs >> 8) & 1 ? -(ZIGGURAT_NOR_R + xx) : ZIGGURAT_NOR_R + xx;
      }
    }
    if ((FI_DOUBLE[idx - 1] - FI_DOUBLE[idx]) * bits.nextDouble() + FI_DOUBLE[idx] < Math.exp(-0.5 * x * x)) return x;
  }
}

/**
 * random_standard_normal_f: the float32 ziggurat over one 32-bit word (layer:
 * low 8 bits, sign: bit 8, |x|: the 23 bits above), float arithmetic rounded
 * per operation as C's float does; the strip test's exp is taken in double, as
 * NumPy's C promotes `-0.5 * x * x` to double.
 */
function standardNormalFloat32(bits: PCG64): number {
  const { kiFloat: KI_FLOAT, wiFloat: WI_FLOAT, fiFloat: FI_FLOAT } = ziggurat();
  const f = Math.fround;
  const nextFloat = () => bits.nextFloat();
  for (;;) {
    const r = bits.nextUint32();
    const idx = r & 0xff;
    const rabs = (r >>> 9) & 0x7fffff;
    let x = f(rabs * WI_FLOAT[idx]);
    if ((r >>> 8) & 1) x = -x;
    if (rabs < KI_FLOAT[idx]) return x;
    if (idx === 0) {
      for (;;) {
        const xx = f(-ZIGGURAT_NOR_INV_R_F * f(Math.log1p(-nextFloat())));
        const yy = f(-Math.log1p(-nextFloat()));
        if (f(yy + yy) > f(xx * xx)) return (rabs >>> 8) & 1 ? -f(ZIGGURAT_NOR_R_F + xx) : f(ZIGGURAT_NOR_R_F + xx);
      }
    }
    if (f(f(f(FI_FLOAT[idx - 1] - FI_FLOAT[idx]) * nextFloat()) + FI_FLOAT[idx]) < Math.exp(-0.5 * x * x)) return x;
  }
}

/**
 * numpy.random.Generator over PCG64. Integer results are JS numbers (exact
 * below 2^53, which snippet-sized ranges are). Array arguments are broadcast
 * by the caller; sizes are element counts.
 */
export class NumpyGenerator {
  readonly bits: PCG64;

  constructor(entropy: readonly number[]) {
    this.bits = new PCG64(entropy);
  }

  /** Generator.random: n doubles in [0, 1). */
  random(n: number): Float64Array {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = this.bits.nextDouble();
    return out;
  }

  /** Generator.random(dtype=float32): next_float, the top 24 bits of a 32-bit draw over 2^24. */
  randomFloat32(n: number): Float32Array {
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = this.bits.nextFloat();
    return out;
  }

  /** Generator.standard_normal: n float64 draws of the ziggurat (standardNormal). */
  standardNormal(n: number): Float64Array {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = standardNormal(this.bits);
    return out;
  }

  /** Generator.standard_normal(dtype=np.float32): the float32 ziggurat, fed by 32-bit draws. */
  standardNormalFloat32(n: number): Float32Array {
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = standardNormalFloat32(this.bits);
    return out;
  }

  /** Generator.normal(loc, scale): loc + scale * z per element (random_normal). */
  normal(loc: ArrayLike<number>, scale: ArrayLike<number>): Float64Array {
    const out = new Float64Array(loc.length);
    for (let i = 0; i < out.length; i++) out[i] = loc[i] + scale[i] * standardNormal(this.bits);
    return out;
  }

  /** Generator.uniform(low, high): low + (high - low) * u, per element (random_uniform). */
  uniform(low: ArrayLike<number>, high: ArrayLike<number>): Float64Array {
    const out = new Float64Array(low.length);
    for (let i = 0; i < out.length; i++) out[i] = low[i] + (high[i] - low[i]) * this.bits.nextDouble();
    return out;
  }

  /** Generator.binomial for broadcast (n, p) pairs (random_binomial). */
  binomial(n: ArrayLike<number>, p: ArrayLike<number>): Float64Array {
    const out = new Float64Array(n.length);
    for (let i = 0; i < out.length; i++) out[i] = binomialDraw(() => this.bits.nextDouble(), n[i], p[i], false);
    return out;
  }

  /** Generator.poisson for broadcast lam values (random_poisson). */
  poisson(lam: ArrayLike<number>): Float64Array {
    return Float64Array.from(lam, (l) => poissonDraw(() => this.bits.nextDouble(), l));
  }

  /**
   * One value in [0, rng] (random_bounded_uint64 without masking): Lemire's
   * multiply-and-reject on a 32-bit draw when rng fits 32 bits, else on a
   * 64-bit draw.
   */
  boundedUint64(rng: bigint): bigint {
    if (rng === 0n) return 0n;
    if (rng <= 0xffffffffn) {
      if (rng === 0xffffffffn) return BigInt(this.bits.nextUint32());
      return BigInt(this.lemire32(Number(rng)));
    }
    if (rng === MASK64) return this.bits.nextUint64();
    const excl = rng + 1n;
    let m = this.bits.nextUint64() * excl;
    let leftover = m & MASK64;
    if (leftover < excl) {
      const threshold = (MASK64 - rng) % excl;
      while (leftover < threshold) {
        m = this.bits.nextUint64() * excl;
        leftover = m & MASK64;
      }
    }
    return m >> 64n;
  }

  /** buffered_bounded_lemire_uint32: rng < 2^32 - 1. */
  private lemire32(rng: number): number {
    const excl = BigInt(rng + 1);
    let m = BigInt(this.bits.nextUint32()) * excl;
    let leftover = m & 0xffffffffn;
    if (leftover < excl) {
      const threshold = (0xffffffffn - BigInt(rng)) % excl;
      while (leftover < threshold) {
        m = BigInt(this.bits.nextUint32()) * excl;
        leftover = m & 0xffffffffn;
      }
    }
    return Number(m >> 32n);
  }

  /**
   * Generator.integers(low, high) for int64/int32 results, n values in
   * [low, high) (`endpoint` makes it [low, high]). Both dtypes use the
   * 64-bit fill (random_bounded_uint64_fill / _uint32_fill): the same
   * Lemire draws. Errors: ValueError "low >= high" (or "low > high" with
   * endpoint) as numpy's _bounded_integers.
   */
  integers(n: number, low: bigint, high: bigint, endpoint = false): Float64Array {
    const hiClosed = endpoint ? high : high - 1n;
    if (hiClosed < low) throw valueError(endpoint ? 'low > high' : 'low >= high');
    const rng = hiClosed - low;
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = Number(low + this.boundedUint64(rng));
    return out;
  }

  /** random_interval(max): masked rejection, 32-bit draws while max fits 32 bits. */
  interval(max: number): number {
    return randomInterval(max, () => this.bits.nextUint32(), () => this.bits.nextUint64());
  }

  /** Generator.shuffle along the first axis: for i = n-1 .. 1 swap items i and interval(i). */
  shuffle<T>(items: T[]): void {
    fisherYates(items, 1, (i) => this.interval(i));
  }

  /** _shuffle_int(n, first): Fisher-Yates on indices with Lemire draws (choice's own shuffle). */
  private shuffleInt(data: number[], first: number): void {
    fisherYates(data, first, (i) => Number(this.boundedUint64(BigInt(i))));
  }

  /** Generator.permutation(n): arange(n) shuffled. */
  permutation(n: number): number[] {
    const idx = Array.from({ length: n }, (_, i) => i);
    this.shuffle(idx);
    return idx;
  }

  /**
   * Generator.choice as indices into a population of popSize (the caller
   * takes a[idx]). With replacement: integers(0, popSize), or with `p`
   * the inverse cdf of random(). Without: Floyd's algorithm (then
   * shuffled when `shuffle`), a tail shuffle for large populations, or
   * with `p` repeated cdf draws keeping first-seen new indices. `p`
   * must already be validated (pChecks).
   */
  choice(popSize: number, n: number, replace = true, p?: Float64Array, shuffle = true): number[] {
    if (replace) {
      if (p === undefined) return Array.from(this.integers(n, 0n, BigInt(popSize)));
      const cdf = cumulative(p);
      return Array.from(this.random(n), (u) => searchRight(cdf, u));
    }
    if (n > popSize) throw valueError('Cannot take a larger sample than population when replace is False');
    if (n < 0) throw valueError('negative dimensions are not allowed');
    if (p !== undefined) {
      if (p.filter((v) => v > 0).length < n) throw valueError('Fewer non-zero entries in p than size');
      const weights = p.slice();
      const found: number[] = [];
      while (found.length < n) {
        const x = this.random(n - found.length);
        for (const f of found) weights[f] = 0;
        const cdf = cumulative(weights);
        // np.unique(new, return_index=True), indices sorted: distinct picks in first-seen order
        const seen = new Set<number>();
        for (const u of x) seen.add(searchRight(cdf, u));
        found.push(...seen);
      }
      return found;
    }
    const cutoff = shuffle ? 50 : 20;
    if (popSize > 10000 && n > Math.floor(popSize / cutoff)) {
      const idx = Array.from({ length: popSize }, (_, i) => i);
      this.shuffleInt(idx, Math.max(popSize - n, 1));
      return idx.slice(popSize - n);
    }
    // Floyd: for j in [pop - n, pop) take bounded(j) unless already taken, else j itself
    const taken = new Set<number>();
    const idx: number[] = [];
    for (let j = popSize - n; j < popSize; j++) {
      const val = Number(this.boundedUint64(BigInt(j)));
      const pick = taken.has(val) ? j : val;
      taken.add(pick);
      idx.push(pick);
    }
    if (shuffle) this.shuffleInt(idx, 1);
    return idx;
  }
}

/**
 * Generator.choice's checks on p (kahan-summed; atol sqrt(eps), widened for
 * a float32 p). Errors: ValueError with numpy 2.x's Generator wording.
 */
export function checkChoiceP(p: Float64Array, popSize: number, pIsFloat32 = false): void {
  let atol = Math.sqrt(2.220446049250313e-16);
  if (pIsFloat32) atol = Math.max(atol, Math.sqrt(1.1920928955078125e-7));
  if (p.length !== popSize) throw valueError('a and p must have same size');
  let sum = p.length ? p[0] : 0;
  let c = 0.0;
  for (let i = 1; i < p.length; i++) {
    const y = p[i] - c;
    const t = sum + y;
    c = t - sum - y;
    sum = t;
  }
  if (Number.isNaN(sum)) throw valueError('Probabilities contain NaN');
  if (p.some((v) => v < 0)) throw valueError('Probabilities are not non-negative');
  if (Math.abs(sum - 1) > atol) {
    throw valueError('Probabilities do not sum to 1. See Notes section of docstring for more information.');
  }
}
