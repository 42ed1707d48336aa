// numpy's legacy RandomState (np.random.seed / rand / randn / randint / ...)
// as in numpy 1.24, value for value: MT19937 with the legacy seeding,
// 53-bit doubles from two draws, the polar-method gauss with its cached
// second value, masked-rejection bounded integers, and the legacy
// Fisher-Yates shuffle. All arithmetic is plain float64 (numpy's random
// module is built for the baseline CPU, without FMA); log is glibc's.

import { valueError, EngineError } from '../errors';
import { log } from './libm';
import { MT19937, MT19937State } from './mt19937';

const UINT64_MAX = (1n << 64n) - 1n;

/** The legacy state tuple: ('MT19937', key, pos, has_gauss, cached_gaussian). */
export interface NumpyRandomStateSnapshot {
  mt: MT19937State;
  hasGauss: boolean;
  gauss: number;
}

/** Integer dtypes np.random.randint accepts. */
export type NumpyIntDType = 'int64' | 'int32' | 'int16' | 'int8' | 'uint64' | 'uint32' | 'uint16' | 'uint8' | 'bool';

const INT_BOUNDS: Record<NumpyIntDType, [bigint, bigint, number]> = {
  // [min, max, bits of the generator used]
  int64: [-(1n << 63n), (1n << 63n) - 1n, 64],
  int32: [-(1n << 31n), (1n << 31n) - 1n, 32],
  int16: [-(1n << 15n), (1n << 15n) - 1n, 16],
  int8: [-128n, 127n, 8],
  uint64: [0n, UINT64_MAX, 64],
  uint32: [0n, (1n << 32n) - 1n, 32],
  uint16: [0n, 65535n, 16],
  uint8: [0n, 255n, 8],
  bool: [0n, 1n, 1],
};

/** Smallest all-ones mask >= max (max < 2^32). */
function mask32(max: number): number {
  let m = max >>> 0;
  m |= m >>> 1;
  m |= m >>> 2;
  m |= m >>> 4;
  m |= m >>> 8;
  m |= m >>> 16;
  return m >>> 0;
}

function mask64(max: bigint): bigint {
  let m = max;
  for (const s of [1n, 2n, 4n, 8n, 16n, 32n]) m |= m >> s;
  return m;
}

function scalarOrIndexed(v: number | ArrayLike<number>): (i: number) => number {
  return typeof v === 'number' ? () => v : (i: number) => v[i];
}

export class NumpyRandomState {
  private mt = new MT19937(0);
  private hasGauss = false;
  private gauss = 0;

  constructor(seed: number | bigint | ArrayLike<number> = 0) {
    this.seed(seed);
  }

  /**
   * np.random.seed: an int in [0, 2^32) seeds with init_genrand; a sequence
   * of such ints goes through init_by_array. Resets the cached gaussian.
   */
  seed(seed: number | bigint | ArrayLike<number>): void {
    if (typeof seed === 'number' || typeof seed === 'bigint') {
      const s = BigInt(seed);
      if (s < 0n || s > 0xffffffffn) throw valueError('Seed must be between 0 and 2**32 - 1');
      this.mt.seed(Number(s));
    } else {
      if (seed.length === 0) throw valueError('Seed must be non-empty');
      const key: number[] = [];
      for (let i = 0; i < seed.length; i++) {
        const v = seed[i];
        if (v < 0 || v > 0xffffffff) throw valueError('Seed must be between 0 and 2**32 - 1');
        key.push(v);
      }
      this.mt.seedByArray(key);
    }
    this.hasGauss = false;
    this.gauss = 0;
  }

  getState(): NumpyRandomStateSnapshot {
    return { mt: this.mt.getState(), hasGauss: this.hasGauss, gauss: this.gauss };
  }

  setState(state: NumpyRandomStateSnapshot): void {
    this.mt.setState(state.mt);
    this.hasGauss = state.hasGauss;
    this.gauss = state.gauss;
  }

  // ------------------------------------------------------------ raw draws

  nextUint32(): number {
    return this.mt.nextUint32();
  }

  /** mt19937_next64: the first draw is the high word. */
  nextUint64(): bigint {
    const hi = this.mt.nextUint32();
    const lo = this.mt.nextUint32();
    return (BigInt(hi) << 32n) | BigInt(lo);
  }

  /** mt19937_next_double: (a >> 5) * 2^26 + (b >> 6), over 2^53. */
  nextDouble(): number {
    const a = this.mt.nextUint32() >>> 5;
    const b = this.mt.nextUint32() >>> 6;
    return (a * 67108864.0 + b) / 9007199254740992.0;
  }

  /** legacy_gauss: Marsaglia's polar method; every other call returns the cached value. */
  gaussOne(): number {
    if (this.hasGauss) {
      const g = this.gauss;
      this.hasGauss = false;
      this.gauss = 0;
      return g;
    }
    let x1: number;
    let x2: number;
    let r2: number;
    do {
      x1 = 2.0 * this.nextDouble() - 1.0;
      x2 = 2.0 * this.nextDouble() - 1.0;
      r2 = x1 * x1 + x2 * x2;
    } while (r2 >= 1.0 || r2 === 0.0);
    const f = Math.sqrt((-2.0 * log(r2)) / r2);
    this.gauss = f * x1;
    this.hasGauss = true;
    return f * x2;
  }

  // ------------------------------------------------------------ floats

  /** random_sample / random / rand: n doubles in [0, 1). */
  randomSample(n: number): Float64Array {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = this.nextDouble();
    return out;
  }

  /** standard_normal / randn. */
  standardNormal(n: number): Float64Array {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = this.gaussOne();
    return out;
  }

  /** normal(loc, scale): loc + scale * gauss; array parameters are already broadcast to n. */
  normal(n: number, loc: number | ArrayLike<number> = 0, scale: number | ArrayLike<number> = 1): Float64Array {
    const l = scalarOrIndexed(loc);
    const s = scalarOrIndexed(scale);
    for (let i = 0; i < (typeof scale === 'number' ? 1 : n); i++) {
      if (s(i) < 0) throw valueError('scale < 0');
    }
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = l(i) + s(i) * this.gaussOne();
    return out;
  }

  /** uniform(low, high): low + (high - low) * u; array parameters are already broadcast to n. */
  uniform(n: number, low: number | ArrayLike<number> = 0, high: number | ArrayLike<number> = 1): Float64Array {
    const lo = scalarOrIndexed(low);
    const hi = scalarOrIndexed(high);
    const out = new Float64Array(n);
    const ranges = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      ranges[i] = hi(i) - lo(i);
      if (!Number.isFinite(ranges[i])) throw new EngineError('OverflowError', 'Range exceeds valid bounds');
    }
    for (let i = 0; i < n; i++) out[i] = lo(i) + ranges[i] * this.nextDouble();
    return out;
  }

  /** standard_exponential: -log(1 - u). */
  standardExponential(n: number): Float64Array {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = -log(1.0 - this.nextDouble());
    return out;
  }

  /** exponential(scale): scale * -log(1 - u). */
  exponential(n: number, scale = 1): Float64Array {
    if (scale < 0) throw valueError('scale < 0');
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = scale * -log(1.0 - this.nextDouble());
    return out;
  }

  /**
   * binomial(n, p) for one (n, p) pair (the caller broadcasts arrays), as
   * legacy-distributions.c's legacy_random_binomial: inversion when
   * min(p, 1-p) * n <= 30, else the legacy BTPE. p = 0 still draws once.
   */
  binomial(n: number, p: number): number {
    return binomialDraw(() => this.nextDouble(), n, p, true);
  }

  /** poisson(lam) for one lam (legacy_random_poisson is distributions.c's random_poisson). */
  poisson(lam: number): number {
    return poissonDraw(() => this.nextDouble(), lam);
  }

  /**
   * geometric(p) for one p in (0, 1], as legacy-distributions.c's legacy_random_geometric:
   * one uniform U; p >= 1/3 walks the CDF (random_geometric_search), smaller p inverts it,
   * ceil(log1p(-U) / log(1 - p)) (log is glibc's; log1p is V8's, which can move a ratio
   * lying within an ulp of an integer, never seen in practice).
   */
  geometric(p: number): number {
    const u = this.nextDouble();
    if (p >= 0.333333333333333333333333) {
      let x = 1, sum = p, prod = p;
      const q = 1.0 - p;
      while (u > sum) {
        prod *= q;
        sum += prod;
        x++;
      }
      return x;
    }
    return Math.ceil(Math.log1p(-u) / log(1 - p));
  }

  // ------------------------------------------------------------ integers

  /**
   * randint(low, high, size, dtype): n integers in [low, high) by masked
   * rejection (legacy RandomState never uses Lemire's method). 8- and
   * 16-bit dtypes (and bool) take several values from each 32-bit draw.
   * With one argument numpy calls randint(0, low).
   */
  randint(n: number, low: number | bigint, high: number | bigint, dtype: NumpyIntDType = 'int64'): Float64Array {
    const [min, max, bits] = INT_BOUNDS[dtype];
    const lo = BigInt(low);
    const hiClosed = BigInt(high) - 1n;
    if (lo < min) throw valueError(`low is out of bounds for ${dtype}`);
    if (hiClosed > max) throw valueError(`high is out of bounds for ${dtype}`);
    if (lo > hiClosed) throw valueError(lo === 0n ? 'high <= 0' : 'low >= high');
    const rng = hiClosed - lo;
    const out = new Float64Array(n);
    const off = Number(lo);
    if (rng === 0n) {
      out.fill(off);
      return out;
    }
    if (bits === 1) {
      // buffered_bounded_bool: one bit per value from a 32-bit buffer.
      let buf = 0;
      let bcnt = 0;
      for (let i = 0; i < n; i++) {
        if (bcnt === 0) {
          buf = this.mt.nextUint32();
          bcnt = 31;
        } else {
          buf >>>= 1;
          bcnt--;
        }
        out[i] = buf & 1;
      }
      return out;
    }
    if (bits === 8 || bits === 16) {
      const r = Number(rng);
      const full = bits === 8 ? 0xff : 0xffff;
      const mask = mask32(r) & full;
      const perDraw = 32 / bits;
      let buf = 0;
      let bcnt = 0;
      const next = (): number => {
        if (bcnt === 0) {
          buf = this.mt.nextUint32();
          bcnt = perDraw - 1;
        } else {
          buf >>>= bits;
          bcnt--;
        }
        return buf & full;
      };
      for (let i = 0; i < n; i++) {
        let v: number;
        if (r === full) v = next();
        else do v = next() & mask; while (v > r);
        out[i] = off + v;
      }
      return out;
    }
    if (rng <= 0xffffffffn) {
      const r = Number(rng);
      const mask = mask32(r);
      for (let i = 0; i < n; i++) {
        let v: number;
        if (r === 0xffffffff) v = this.mt.nextUint32();
        else do v = (this.mt.nextUint32() & mask) >>> 0; while (v > r);
        out[i] = off + v;
      }
      return out;
    }
    const mask = mask64(rng);
    for (let i = 0; i < n; i++) {
      let v: bigint;
      if (rng === UINT64_MAX) v = this.nextUint64();
      else do v = this.nextUint64() & mask; while (v > rng);
      const sum = lo + v;
      out[i] = Number(dtype === 'uint64' ? BigInt.asUintN(64, sum) : BigInt.asIntN(64, sum));
    }
    return out;
  }

  /** random_interval(max): a value in [0, max] by masked rejection. */
  randomInterval(max: number): number {
    return randomInterval(max, () => this.mt.nextUint32(), () => this.nextUint64());
  }

  /** shuffle(x) along the first axis, in place: for i = n-1 .. 1 swap x[i] and x[random_interval(i)]. */
  shuffle<T>(items: T[]): void {
    fisherYates(items, 1, (i) => this.randomInterval(i));
  }

  /** permutation(n): a shuffled arange(n). For an array, permute its rows with these indices. */
  permutation(n: number): Float64Array {
    const idx: number[] = [];
    for (let i = 0; i < n; i++) idx.push(i);
    this.shuffle(idx);
    return Float64Array.from(idx);
  }

  /**
   * choice(a, size, replace, p) as indices into a population of `popSize`
   * (numpy then takes a[idx]). `p`, when given, has popSize entries;
   * `pIsFloat32` widens the sum tolerance as numpy does for float32 arrays.
   */
  choice(popSize: number, n: number, replace = true, p?: ArrayLike<number>, pIsFloat32 = false): Float64Array {
    if (popSize <= 0 && n !== 0) throw valueError('a must be greater than 0 unless no samples are taken');
    let probs: Float64Array | undefined;
    if (p !== undefined) {
      probs = Float64Array.from(p as ArrayLike<number>);
      if (probs.length !== popSize) throw valueError("'a' and 'p' must have same size");
      let atol = Math.sqrt(2.220446049250313e-16);
      if (pIsFloat32) atol = Math.max(atol, Math.sqrt(1.1920928955078125e-7));
      // kahan_sum
      let sum = probs[0];
      let c = 0.0;
      for (let i = 1; i < probs.length; i++) {
        const y = probs[i] - c;
        const t = sum + y;
        c = (t - sum) - y;
        sum = t;
      }
      if (Number.isNaN(sum)) throw valueError('probabilities contain NaN');
      if (probs.some((v) => v < 0)) throw valueError('probabilities are not non-negative');
      if (Math.abs(sum - 1) > atol) throw valueError('probabilities do not sum to 1');
    }
    if (replace) {
      if (probs === undefined) return this.randint(n, 0, popSize);
      const cdf = cumulative(probs);
      const u = this.randomSample(n);
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) out[i] = searchRight(cdf, u[i]);
      return out;
    }
    if (n > popSize) throw valueError("Cannot take a larger sample than population when 'replace=False'");
    if (n < 0) throw valueError('Negative dimensions are not allowed');
    if (probs === undefined) return this.permutation(popSize).slice(0, n);
    if (probs.filter((v) => v > 0).length < n) throw valueError('Fewer non-zero entries in p than size');
    const weights = probs.slice();
    const found = new Float64Array(n);
    let nUniq = 0;
    while (nUniq < n) {
      const x = this.randomSample(n - nUniq);
      for (let i = 0; i < nUniq; i++) weights[found[i]] = 0;
      const cdf = cumulative(weights);
      // np.unique(new, return_index=True) then sorted first positions: the
      // distinct picks in order of first appearance.
      const seen = new Set<number>();
      for (let i = 0; i < x.length; i++) {
        const v = searchRight(cdf, x[i]);
        if (!seen.has(v)) {
          seen.add(v);
          found[nUniq + seen.size - 1] = v;
        }
      }
      nUniq += seen.size;
    }
    return found;
  }
}

/**
 * distributions.c's random_interval(max): a value in [0, max] by masked
 * rejection, on 32-bit draws while max fits 32 bits, else on 64-bit ones.
 */
export function randomInterval(max: number, next32: () => number, next64: () => bigint): number {
  if (max === 0) return 0;
  if (max <= 0xffffffff) {
    const mask = mask32(max);
    let v: number;
    do v = (next32() & mask) >>> 0; while (v > max);
    return v;
  }
  const m = BigInt(max);
  const mask = mask64(m);
  let v: bigint;
  do v = next64() & mask; while (v > m);
  return Number(v);
}

/** numpy's in-place Fisher-Yates: for i = n-1 down to `first`, swap items i and pick(i) (pick(i) in [0, i]). */
export function fisherYates<T>(items: T[], first: number, pick: (i: number) => number): void {
  for (let i = items.length - 1; i >= first; i--) {
    const j = pick(i);
    const t = items[i];
    items[i] = items[j];
    items[j] = t;
  }
}

/** cdf = cumsum(p); cdf /= cdf[-1] (sequential float64 sums, as np.cumsum). */
export function cumulative(p: Float64Array): Float64Array {
  const cdf = new Float64Array(p.length);
  let s = 0;
  for (let i = 0; i < p.length; i++) {
    s += p[i];
    cdf[i] = s;
  }
  const last = cdf[cdf.length - 1];
  for (let i = 0; i < cdf.length; i++) cdf[i] /= last;
  return cdf;
}

/** searchsorted(cdf, v, side='right'): the number of entries <= v. */
export function searchRight(cdf: Float64Array, v: number): number {
  let lo = 0;
  let hi = cdf.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cdf[mid] <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * One binomial(n, p) draw from a stream of [0, 1) doubles, as numpy's
 * distributions.c (`legacy` false: Generator.binomial, random_binomial) or
 * legacy-distributions.c (`legacy` true: RandomState.binomial). The two
 * differ in three places: the Generator returns 0 for n == 0 or p == 0
 * without drawing, computes q^n as exp(n * log1p(-p)) where the legacy code
 * uses exp(n * log(q)), and its BTPE subtracts the last two Stirling error
 * terms (the legacy BTPE adds all four, as the 1988 paper did).
 * log is glibc's; exp and log1p are V8's, which can differ from glibc's in
 * the last bit: that changes a draw only if a uniform falls within one ulp
 * of a cumulative probability.
 */
export function binomialDraw(next: () => number, n: number, p: number, legacy: boolean): number {
  if (!legacy && (n === 0 || p === 0)) return 0;
  if (p <= 0.5) return p * n <= 30.0 ? binomialInversion(next, n, p, legacy) : binomialBtpe(next, n, p, legacy);
  const q = 1.0 - p;
  return n - (q * n <= 30.0 ? binomialInversion(next, n, q, legacy) : binomialBtpe(next, n, q, legacy));
}

function binomialInversion(next: () => number, n: number, p: number, legacy: boolean): number {
  const q = 1.0 - p;
  const qn = Math.exp(n * (legacy ? log(q) : Math.log1p(-p)));
  const np = n * p;
  const bound = Math.trunc(Math.min(n, np + 10.0 * Math.sqrt(np * q + 1)));
  let x = 0;
  let px = qn;
  let u = next();
  while (u > px) {
    x++;
    if (x > bound) {
      x = 0;
      px = qn;
      u = next();
    } else {
      u -= px;
      px = ((n - x + 1) * p * px) / (x * q);
    }
  }
  return x;
}

/** Kachitvichyanukul & Schmeiser's BTPE, step for step as numpy's C (its goto labels become a loop). */
function binomialBtpe(next: () => number, n: number, p: number, legacy: boolean): number {
  const r = Math.min(p, 1.0 - p);
  const q = 1.0 - r;
  const fm = n * r + r;
  const m = Math.floor(fm);
  const p1 = Math.floor(2.195 * Math.sqrt(n * r * q) - 4.6 * q) + 0.5;
  const xm = m + 0.5;
  const xl = xm - p1;
  const xr = xm + p1;
  const c = 0.134 + 20.5 / (15.3 + m);
  let a = (fm - xl) / (fm - xl * r);
  const laml = a * (1.0 + a / 2.0);
  a = (xr - fm) / (xr * q);
  const lamr = a * (1.0 + a / 2.0);
  const p2 = p1 * (1.0 + 2.0 * c);
  const p3 = p2 + c / laml;
  const p4 = p3 + c / lamr;
  // Stirling's error term of one argument; numpy's legacy constant is 13680, the corrected one 13860
  const lead = legacy ? 13680 : 13860;
  const stirling = (v: number, v2: number) => (lead - (462 - (132 - (99 - 140 / v2) / v2) / v2) / v2) / v / 166320;
  for (;;) {
    const nrq = n * r * q;
    const u = next() * p4;
    let v = next();
    let y: number;
    if (u <= p1) {
      y = Math.floor(xm - p1 * v + u);
      return p > 0.5 ? n - y : y;
    }
    if (u <= p2) {
      const x = xl + (u - p1) / c;
      v = v * c + 1.0 - Math.abs(m - x + 0.5) / p1;
      if (v > 1.0) continue;
      y = Math.floor(x);
    } else if (u <= p3) {
      y = Math.floor(xl + log(v) / laml);
      if (y < 0 || v === 0.0) continue;
      v = v * (u - p2) * laml;
    } else {
      y = Math.floor(xr - log(v) / lamr);
      if (y > n || v === 0.0) continue;
      v = v * (u - p3) * lamr;
    }
    const k = Math.abs(y - m);
    if (!(k > 20 && k < nrq / 2.0 - 1)) {
      const s = r / q;
      const aa = s * (n + 1);
      let F = 1.0;
      if (m < y) for (let i = m + 1; i <= y; i++) F *= aa / i - s;
      else if (m > y) for (let i = y + 1; i <= m; i++) F /= aa / i - s;
      if (v > F) continue;
      return p > 0.5 ? n - y : y;
    }
    const rho = (k / nrq) * ((k * (k / 3.0 + 0.625) + 0.16666666666666666) / nrq + 0.5);
    const t = (-k * k) / (2 * nrq);
    const A = log(v);
    if (A < t - rho) return p > 0.5 ? n - y : y;
    if (A > t + rho) continue;
    const x1 = y + 1;
    const f1 = m + 1;
    const z = n + 1 - m;
    const w = n - y + 1;
    const sign = legacy ? 1 : -1;
    const bound =
      xm * log(f1 / x1) + (n - m + 0.5) * log(z / w) + (y - m) * log((w * r) / (x1 * q)) +
      stirling(f1, f1 * f1) + stirling(z, z * z) + sign * stirling(x1, x1 * x1) + sign * stirling(w, w * w);
    if (A > bound) continue;
    return p > 0.5 ? n - y : y;
  }
}

/**
 * One Poisson(lam) draw as numpy's random_poisson (shared by RandomState
 * and Generator): multiplication of uniforms below lam = 10, Hoermann's
 * PTRS transformed rejection from 10 on. exp is V8's (see binomialDraw).
 */
export function poissonDraw(next: () => number, lam: number): number {
  if (lam === 0) return 0;
  if (lam < 10) {
    const enlam = Math.exp(-lam);
    let x = 0;
    let prod = 1.0;
    for (;;) {
      prod *= next();
      if (prod > enlam) x += 1;
      else return x;
    }
  }
  const slam = Math.sqrt(lam);
  const loglam = log(lam);
  const b = 0.931 + 2.53 * slam;
  const a = -0.059 + 0.02483 * b;
  const invalpha = 1.1239 + 1.1328 / (b - 3.4);
  const vr = 0.9277 - 3.6224 / (b - 2);
  for (;;) {
    const u = next() - 0.5;
    const v = next();
    const us = 0.5 - Math.abs(u);
    const k = Math.floor(((2 * a) / us + b) * u + lam + 0.43);
    if (us >= 0.07 && v <= vr) return k;
    if (k < 0 || (us < 0.013 && v > us)) continue;
    if (log(v) + log(invalpha) - log(a / (us * us) + b) <= -lam + k * loglam - logGamma(k + 1)) return k;
  }
}

// Stirling-series coefficients B(2k) / (2k (2k - 1)) of log-gamma, k = 1..10
const LOGGAM_A = [
  8.333333333333333e-2, -2.777777777777778e-3, 7.936507936507937e-4, -5.952380952380952e-4, 8.417508417508418e-4,
  -1.917526917526918e-3, 6.41025641025641e-3, -2.955065359477124e-2, 1.796443723688307e-1, -1.3924322169059,
];

/** distributions.c's random_loggam: log Gamma(x) by the Stirling series, shifted up to x >= 7. */
function logGamma(x: number): number {
  if (x === 1.0 || x === 2.0) return 0.0;
  const n = x < 7.0 ? Math.trunc(7 - x) : 0;
  let x0 = x + n;
  const x2 = (1.0 / x0) * (1.0 / x0);
  const lg2pi = 1.8378770664093453;
  let gl0 = LOGGAM_A[9];
  for (let k = 8; k >= 0; k--) {
    gl0 *= x2;
    gl0 += LOGGAM_A[k];
  }
  let gl = gl0 / x0 + 0.5 * lg2pi + (x0 - 0.5) * log(x0) - x0;
  if (x < 7.0) {
    for (let k = 1; k <= n; k++) {
      gl -= log(x0 - 1.0);
      x0 -= 1.0;
    }
  }
  return gl;
}
