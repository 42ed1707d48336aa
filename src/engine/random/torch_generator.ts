// torch's default CPU generator (CPUGeneratorImpl) and the CPU sampling
// kernels of PyTorch 1.13, reproduced value for value.
//
// Every method returns the values in the order torch's kernel produces them.
// cpu_serial_kernel walks the output in TensorIterator order, which is the
// row-major order for a contiguous output (and memory order for a permuted
// one); callers writing into a non-contiguous view should write in memory
// order. Results are Float64Arrays whose values are already what the target
// dtype holds (float32 rounding, integer wrapping).
//
// Arithmetic follows the AVX2 build of torch (the build torch picks on any
// x86-64 CPU with AVX2): GCC contracts `x * (to - from) + from` and
// `val * std + mean` into FMAs, and normal_ on >= 16 contiguous float32
// elements uses the vectorised Box-Muller of normal_fill_AVX2 with
// avx_mathfun's log/sincos. Double-precision log/sin/cos are glibc's (libm.ts).
// float16/bfloat16 normal_ follows PyTorch 2.13 (normalFillReduced).

import { DType, castValue, isFloating } from '../dtype';
import { EngineError, runtimeError } from '../errors';
import { topkOrder } from '../ops/select_k';
import { placeDraws } from './fill_order';
import { MT19937, MT19937State } from './mt19937';
import { avxLogf, avxSinCosfInto, fma32, fma64 } from './float_math';
import { cos, log, sin } from './libm';

const TWO_POW_32 = 4294967296;
const TWO_POW_64 = 1n << 64n;
const F32_TWO_PI = Math.fround(2 * Math.PI);

/** Snapshot for getState/setState (torch.get_rng_state / set_rng_state). */
export interface TorchGeneratorState {
  mt: MT19937State;
  seed: bigint;
  nextDoubleNormal: number | null;
  nextFloatNormal: number | null;
}

/** Number of mantissa digits (std::numeric_limits<T>::digits) of a floating dtype. */
function mantissaDigits(dtype: DType): number {
  switch (dtype) {
    case 'float64': return 53;
    case 'float32': return 24;
    case 'float16': return 11;
    case 'bfloat16': return 8;
    default: throw new Error(`not a floating dtype: ${dtype}`);
  }
}

/** Round x to dtype with a float32 accumulate (dist_acctype) already applied. */
function toDtype(dtype: DType, x: number): number {
  return castValue(dtype, x);
}

const SIN_COS = new Float64Array(2);

/**
 * normal_fill_16_AVX2 on data[start .. start + 16): uniforms in, normals out
 * (pairs j and j + 8), in float32 with avx_mathfun's log and sincos. The
 * data are float32 values, so a Float32Array holds them exactly.
 */
function boxMuller16Avx2(data: Float32Array, start: number, mean: number, std: number): void {
  for (let j = 0; j < 8; j++) {
    const u1 = Math.fround(1 - data[start + j]);
    const u2 = data[start + j + 8];
    const radius = Math.fround(Math.sqrt(Math.fround(-2 * avxLogf(u1))));
    const theta = Math.fround(F32_TWO_PI * u2);
    avxSinCosfInto(theta, SIN_COS);
    const c = Math.fround(radius * SIN_COS[1]);
    const s = Math.fround(radius * SIN_COS[0]);
    if (std === 1) {
      // fma(v, 1, mean) is v + mean rounded once (so -0 + 0 is still +0); a
      // float32 sum computed in double and rounded is that single rounding
      data[start + j] = c + mean;
      data[start + j + 8] = s + mean;
    } else {
      data[start + j] = fma32(c, std, mean);
      data[start + j + 8] = fma32(s, std, mean);
    }
  }
}

function uint64(seed: number | bigint): bigint {
  const s = typeof seed === 'bigint' ? seed : BigInt(Math.trunc(seed));
  if (s < -(1n << 63n) || s >= TWO_POW_64) throw runtimeError('Overflow when unpacking long');
  return s < 0n ? s + TWO_POW_64 : s;
}

/** ATen's scalar type name, as in "not implemented for 'Long'". */
const ATEN_NAMES: Record<DType, string> = {
  bool: 'Bool', uint8: 'Byte', int8: 'Char', int16: 'Short', int32: 'Int', int64: 'Long',
  float16: 'Half', bfloat16: 'BFloat16', float32: 'Float', float64: 'Double',
};

/** A double as C++ streams print it (%g with 6 significant digits), for error messages. */
export function formatCppDouble(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  const exp = Math.floor(Math.log10(Math.abs(Number(x.toPrecision(6)))));
  if (exp < -4 || exp >= 6) {
    const [mant, e] = x.toExponential(5).split('e');
    const m = mant.includes('.') ? mant.replace(/\.?0+$/, '') : mant;
    const n = Number(e);
    return `${m}e${n < 0 ? '-' : '+'}${String(Math.abs(n)).padStart(2, '0')}`;
  }
  const fixed = x.toFixed(Math.max(0, 5 - exp));
  return fixed.includes('.') ? fixed.replace(/\.?0+$/, '') : fixed;
}

/** The seed of a fresh torch.Generator() (c10::detail::default_rng_seed_val). */
export const TORCH_DEFAULT_SEED = 67280421310721n;

export class TorchGenerator {
  private engine = new MT19937(0);
  private seedValue = 0n;
  private nextDoubleNormal: number | null = null;
  private nextFloatNormal: number | null = null;

  constructor(seed: number | bigint = 0) {
    this.manualSeed(seed);
  }

  /** torch.manual_seed: negative seeds wrap to uint64; the engine uses the low 32 bits. */
  manualSeed(seed: number | bigint): this {
    this.seedValue = uint64(seed);
    this.engine.seed(Number(this.seedValue & 0xffffffffn));
    this.nextDoubleNormal = null;
    this.nextFloatNormal = null;
    return this;
  }

  /** torch.initial_seed(): the uint64 seed last set. */
  initialSeed(): bigint {
    return this.seedValue;
  }

  getState(): TorchGeneratorState {
    return {
      mt: this.engine.getState(),
      seed: this.seedValue,
      nextDoubleNormal: this.nextDoubleNormal,
      nextFloatNormal: this.nextFloatNormal,
    };
  }

  setState(state: TorchGeneratorState): void {
    this.engine.setState(state.mt);
    this.seedValue = state.seed;
    this.nextDoubleNormal = state.nextDoubleNormal;
    this.nextFloatNormal = state.nextFloatNormal;
  }

  // ------------------------------------------------------------ raw draws

  /** CPUGeneratorImpl::random(): one 32-bit engine output. */
  random32(): number {
    return this.engine.nextUint32();
  }

  /** CPUGeneratorImpl::random64(): first draw is the high word. */
  random64(): bigint {
    const hi = this.engine.nextUint32();
    const lo = this.engine.nextUint32();
    return (BigInt(hi) << 32n) | BigInt(lo);
  }

  /** random64() & (2^53 - 1) as an exact number, without BigInt. */
  private random53(): number {
    const hi = this.engine.nextUint32();
    const lo = this.engine.nextUint32();
    return (hi & 0x1fffff) * TWO_POW_32 + lo;
  }

  /** uniform_real_distribution<double>(0, 1): 53 random bits times 2^-53. */
  private uniformDouble01(): number {
    return this.random53() * 2 ** -53;
  }

  /** uniform_real_distribution<float>(0, 1): 24 random bits times 2^-24. */
  private uniformFloat01(): number {
    return (this.engine.nextUint32() & 0xffffff) * 2 ** -24;
  }

  /** data[start .. start + n) = n draws of uniformFloat01 (exact in float32: 24-bit fractions). */
  private fillUniformFloat01(data: Float32Array, start: number, n: number): void {
    const mt = this.engine;
    for (let i = start; i < start + n; i++) data[i] = (mt.nextUint32() & 0xffffff) * 2 ** -24;
  }

  // ------------------------------------------------------------ uniform_

  /**
   * Tensor.uniform_(from, to) / torch.rand (from=0, to=1) for `n` elements of
   * `dtype`; a Float32Array for float32 (its values are float32 already).
   */
  uniform(n: number, from: number, to: number, dtype: DType = 'float32'): Float64Array | Float32Array {
    if (!isFloating(dtype)) throw new EngineError('NotImplementedError', `"check_uniform_bounds" not implemented for '${ATEN_NAMES[dtype]}'`);
    if (from > to) {
      throw runtimeError(
        `uniform_ expects to return a [from, to) range, but found from=${formatCppDouble(from)} > to=${formatCppDouble(to)}`,
      );
    }
    if (dtype === 'float64') {
      const out = new Float64Array(n);
      const range = to - from;
      for (let i = 0; i < n; i++) out[i] = fma64(this.uniformDouble01(), range, from);
      return out;
    }
    // from/to are first cast to scalar_t; the arithmetic runs in float.
    const lo = castValue(dtype, from);
    const hi = castValue(dtype, to);
    const range = castValue(dtype, Math.fround(hi - lo));
    if (dtype === 'float32') {
      const out = new Float32Array(n);
      this.fillUniformFloat01(out, 0, n);
      // fma(x, 1, lo) is x + lo rounded once (the Float32Array store rounds the exact-or-once-rounded double sum)
      if (range === 1) for (let i = 0; i < n; i++) out[i] += lo;
      else for (let i = 0; i < n; i++) out[i] = fma32(out[i], range, lo);
      return out;
    }
    const out = new Float64Array(n);
    const digits = mantissaDigits(dtype);
    const mask = 2 ** digits - 1;
    const scale = 2 ** -digits;
    for (let i = 0; i < n; i++) {
      const x = (this.engine.nextUint32() & mask) * scale;
      out[i] = toDtype(dtype, fma32(x, range, lo));
    }
    return out;
  }

  // ------------------------------------------------------------ normal_

  /** at::normal_distribution<double>: Box-Muller in double with one cached sample. */
  private normalDouble(mean: number, std: number): number {
    if (this.nextDoubleNormal !== null) {
      const cached = this.nextDoubleNormal;
      this.nextDoubleNormal = null;
      return fma64(cached, std, mean);
    }
    const u1 = this.uniformDouble01();
    const u2 = this.uniformDouble01();
    const r = Math.sqrt(-2.0 * log(1.0 - u2));
    const theta = 2.0 * Math.PI * u1;
    this.nextDoubleNormal = r * sin(theta);
    return fma64(r * cos(theta), std, mean);
  }

  /**
   * Tensor.normal_(mean, std) / torch.randn for `n` elements of `dtype`.
   * `contiguous` says whether the output tensor is contiguous: the vectorised
   * Box-Muller path (and its extra draws) only runs for contiguous outputs of
   * at least 16 elements.
   */
  normal(n: number, mean = 0, std = 1, dtype: DType = 'float32', contiguous = true): Float64Array | Float32Array {
    if (!isFloating(dtype)) throw new EngineError('NotImplementedError', `"normal_kernel_cpu" not implemented for '${ATEN_NAMES[dtype]}'`);
    if (std < 0) throw runtimeError(`normal expects std >= 0.0, but found std ${formatCppDouble(std)}`);
    if (n >= 16 && contiguous) {
      if (dtype === 'float32') return this.normalFillAvx2(n, Math.fround(mean), Math.fround(std));
      if (dtype !== 'float64') return this.normalFillReduced(n, Math.fround(mean), Math.fround(std), dtype);
      return this.normalFill(n, mean, std);
    }
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = toDtype(dtype, this.normalDouble(mean, std));
    return out;
  }

  /** normal_fill_AVX2: float32 uniforms, then Box-Muller over blocks of 16 (8 pairs). */
  private normalFillAvx2(n: number, mean: number, std: number): Float32Array {
    const data = new Float32Array(n);
    this.fillUniformFloat01(data, 0, n);
    for (let i = 0; i + 16 <= n; i += 16) boxMuller16Avx2(data, i, mean, std);
    if (n % 16 !== 0) {
      // The tail block is redrawn: 16 fresh uniforms over the last 16 slots.
      const start = n - 16;
      this.fillUniformFloat01(data, start, 16);
      boxMuller16Avx2(data, start, mean, std);
    }
    return data;
  }

  /**
   * normal_ on >= 16 contiguous float16/bfloat16 elements, as PyTorch 2.13
   * computes it (measured: a bfloat16 randn(16k) is float32 randn(16k)
   * rounded, and randn(20) takes 32 draws): float32 uniforms for whole
   * blocks of 16, padding the last block with fresh draws instead of
   * redrawing it, the float32 Box-Muller of normal_fill_AVX2 per block (mean
   * and std as float), the last block's 16 results written over the last 16
   * slots, then each value rounded once to the dtype.
   */
  private normalFillReduced(n: number, mean: number, std: number, dtype: DType): Float64Array {
    const padded = Math.ceil(n / 16) * 16;
    const buf = new Float32Array(padded);
    this.fillUniformFloat01(buf, 0, padded);
    for (let i = 0; i < padded; i += 16) boxMuller16Avx2(buf, i, mean, std);
    const out = new Float64Array(n);
    out.set(buf.subarray(0, n - (n % 16)));
    if (n % 16 !== 0) out.set(buf.subarray(padded - 16), n - 16);
    for (let i = 0; i < n; i++) out[i] = toDtype(dtype, out[i]);
    return out;
  }

  /** The scalar normal_fill<double> (float64 with >= 16 contiguous elements). */
  private normalFill(n: number, mean: number, std: number): Float64Array {
    const data = new Float64Array(n);
    for (let i = 0; i < n; i++) data[i] = this.uniformDouble01();
    const block = (start: number): void => {
      for (let j = 0; j < 8; j++) {
        const u1 = 1 - data[start + j];
        const u2 = data[start + j + 8];
        const radius = Math.sqrt(-2 * log(u1));
        const theta = 2.0 * Math.PI * u2;
        data[start + j] = fma64(radius * cos(theta), std, mean);
        data[start + j + 8] = fma64(radius * sin(theta), std, mean);
      }
    };
    for (let i = 0; i + 16 <= n; i += 16) block(i);
    if (n % 16 !== 0) {
      const start = n - 16;
      for (let i = 0; i < 16; i++) data[start + i] = this.uniformDouble01();
      block(start);
    }
    return data;
  }

  // ------------------------------------------------------------ integers

  /**
   * Tensor.random_(from, to) / torch.randint(low, high): values in
   * [low, low + range). Ranges below 2^32 use one 32-bit draw per value;
   * 64-bit dtypes with larger ranges use random64().
   */
  randint(n: number, low: number | bigint, high: number | bigint, dtype: DType = 'int64'): Float64Array {
    const base = BigInt(low);
    const range = BigInt(high) - base;
    if (range <= 0n) throw runtimeError(`random_ expects 'from' to be less than 'to', but got from=${low} >= to=${high}`);
    const out = new Float64Array(n);
    const wide = dtype === 'int64' || dtype === 'float64' || dtype === 'float32' || dtype === 'bfloat16';
    if (range < 1n << 32n || !wide) {
      // val % range is taken on a uint64 range, so a range >= 2^32 leaves a 32-bit val unchanged.
      const r = Number(range);
      const b = Number(base);
      for (let i = 0; i < n; i++) {
        const v = this.engine.nextUint32();
        out[i] = castValue(dtype, (range < 1n << 32n ? v % r : v) + b);
      }
      return out;
    }
    for (let i = 0; i < n; i++) {
      const v = BigInt.asIntN(64, (this.random64() % range) + base);
      out[i] = castValue(dtype, Number(v));
    }
    return out;
  }

  /**
   * Tensor.random_() with no bounds: [0, 2^mantissa] for floating dtypes,
   * [0, max] for integer dtypes, 0/1 for bool.
   */
  random(n: number, dtype: DType): Float64Array {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      switch (dtype) {
        case 'bool': out[i] = this.engine.nextUint32() & 1; break;
        case 'int64': out[i] = Number(this.random64() & 0x7fffffffffffffffn); break;
        case 'float64': out[i] = Number(this.random64() % ((1n << 53n) + 1n)); break;
        case 'float32': out[i] = this.engine.nextUint32() % (2 ** 24 + 1); break;
        case 'float16': out[i] = castValue(dtype, this.engine.nextUint32() % (2 ** 11 + 1)); break;
        case 'bfloat16': out[i] = castValue(dtype, this.engine.nextUint32() % (2 ** 8 + 1)); break;
        case 'int32': out[i] = this.engine.nextUint32() % 2 ** 31; break;
        case 'int16': out[i] = this.engine.nextUint32() % 2 ** 15; break;
        case 'int8': out[i] = this.engine.nextUint32() % 2 ** 7; break;
        case 'uint8': out[i] = this.engine.nextUint32() % 2 ** 8; break;
      }
    }
    return out;
  }

  /** Tensor.random_(from=-2^63, to=None) on int64: the full 64-bit range. */
  randomFull64(n: number, dtype: DType = 'int64'): Float64Array {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = castValue(dtype, Number(BigInt.asIntN(64, this.random64())));
    return out;
  }

  /** torch.randperm(n) on CPU: Fisher-Yates forward swaps with random() % (n - i). */
  randperm(n: number, dtype: DType = 'int64'): Float64Array {
    const r = new Float64Array(n);
    for (let i = 0; i < n; i++) r[i] = i;
    for (let i = 0; i < n - 1; i++) {
      const z = this.engine.nextUint32() % (n - i);
      const sav = r[i];
      r[i] = r[z + i];
      r[z + i] = sav;
    }
    if (dtype !== 'int64') for (let i = 0; i < n; i++) r[i] = castValue(dtype, r[i]);
    return r;
  }

  // ------------------------------------------------------------ bernoulli

  /**
   * torch.bernoulli(p) / Tensor.bernoulli_(p_tensor): one draw per element
   * of `probs` (already broadcast to the output). A float64 probability
   * tensor compares 53-bit doubles; any other dtype compares 24-bit floats.
   * Returns 0/1 values.
   */
  bernoulli(probs: ArrayLike<number>, probDtype: DType = 'float32'): Float64Array {
    const n = probs.length;
    for (let i = 0; i < n; i++) {
      if (!(probs[i] >= 0 && probs[i] <= 1)) {
        throw runtimeError(
          'Expected p_in >= 0 && p_in <= 1 to be true, but got false.  (Could this error message be improved?  If so, please report an enhancement request to PyTorch.)',
        );
      }
    }
    const out = new Float64Array(n);
    if (probDtype === 'float64') {
      for (let i = 0; i < n; i++) out[i] = this.uniformDouble01() < probs[i] ? 1 : 0;
    } else {
      for (let i = 0; i < n; i++) out[i] = this.uniformFloat01() < Math.fround(probs[i]) ? 1 : 0;
    }
    return out;
  }

  /** Tensor.bernoulli_(p: float) (and dropout's mask, p = 1 - drop): 53-bit doubles against p. */
  bernoulliScalar(n: number, p: number): Float64Array {
    if (!(p >= 0 && p <= 1)) throw runtimeError(`bernoulli_ expects p to be in [0, 1], but got p=${formatCppDouble(p)}`);
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = this.uniformDouble01() < p ? 1 : 0;
    return out;
  }

  // ------------------------------------------------------------ exponential and friends

  /** Tensor.exponential_(lambd): -1/lambda * log(1 - u) in double, u a 53-bit uniform. */
  exponential(n: number, lambda = 1, dtype: DType = 'float32'): Float64Array {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const u = this.uniformDouble01();
      out[i] = toDtype(dtype, (-1.0 / lambda) * log(1.0 - u));
    }
    return out;
  }

  /**
   * torch.multinomial on CPU for a `rows` x `categories` row-major
   * probability matrix (rows = 1 for a vector). Returns row-major indices,
   * `numSamples` per row. Argument checks (dims, dtype, n_sample) belong to
   * the caller; this checks the probabilities as ATen does on each path.
   *
   * Without replacement, or for a single sample (ATen's Gumbel fast path in
   * Distributions.cpp multinomial_out): q ~ Exp(1) over the whole matrix
   * (exponential_ in the probability dtype), p / q rounded to that dtype,
   * then argmax (one sample: the first maximum) or topk, whose tie order
   * is ATen's (see ops/select_k.ts). q is empty_like(probs), so a
   * permuted dense input (a transposed matrix) takes its draws in memory
   * order: `fillOrder` lists the logical indices in the order q is filled.
   *
   * With replacement and numSamples > 1 (cpu/MultinomialKernel.cpp): per
   * row a running sum into a cumulative distribution (in the probability
   * dtype; float for float16/bfloat16), divided by the total, last bucket
   * forced to 1; one 53-bit uniform per sample and a lower-bound binary
   * search. Rows are checked as they are reached, so a bad later row still
   * raises after the earlier rows have drawn.
   */
  multinomial(
    probs: ArrayLike<number>,
    rows: number,
    categories: number,
    numSamples: number,
    replacement: boolean,
    probDtype: DType = 'float32',
    fillOrder?: readonly number[],
  ): Float64Array {
    if (!replacement && numSamples > categories) {
      throw runtimeError('cannot sample n_sample > prob_dist.size(-1) samples without replacement');
    }
    const out = new Float64Array(rows * numSamples);
    if (!replacement || numSamples === 1) {
      for (let i = 0; i < probs.length; i++) {
        if (!(probs[i] >= 0 && probs[i] < Infinity)) throw runtimeError('probability tensor contains either `inf`, `nan` or element < 0');
      }
      for (let r = 0; r < rows; r++) {
        let total = 0;
        for (let c = 0; c < categories; c++) total += probs[r * categories + c];
        if (total === 0) throw runtimeError('invalid multinomial distribution (sum of probabilities <= 0)');
      }
      const draws = this.exponential(rows * categories, 1, probDtype);
      const q = placeDraws(draws, fillOrder);
      // float16/bfloat16 divide in float, then round to the tensor's dtype
      const divide = probDtype === 'float64' ? (a: number, b: number) => a / b : (a: number, b: number) => castValue(probDtype, Math.fround(a / b));
      for (let r = 0; r < rows; r++) {
        const score = new Float64Array(categories);
        for (let c = 0; c < categories; c++) score[c] = divide(probs[r * categories + c], q[r * categories + c]);
        if (numSamples === 1) {
          // argmax: the first maximum, a NaN counting as the largest
          let best = 0;
          for (let c = 1; c < categories; c++) {
            if (Number.isNaN(score[best])) break;
            if (Number.isNaN(score[c]) || score[c] > score[best]) best = c;
          }
          out[r] = best;
        } else {
          const picked = topkOrder(score, numSamples);
          for (let s = 0; s < numSamples; s++) out[r * numSamples + s] = picked[s];
        }
      }
      return out;
    }
    // float16/bfloat16 rows accumulate in float (ATen's reduced-precision variant)
    const accDtype: DType = probDtype === 'float16' || probDtype === 'bfloat16' ? 'float32' : probDtype;
    const round = (x: number) => castValue(accDtype, x);
    const cum = new Float64Array(categories);
    for (let r = 0; r < rows; r++) {
      let sum = 0;
      for (let c = 0; c < categories; c++) {
        const p = probs[r * categories + c];
        if (!(p >= 0)) throw runtimeError('invalid multinomial distribution (encountering probability entry < 0)');
        if (!Number.isFinite(p)) throw runtimeError('invalid multinomial distribution (encountering probability entry = infinity or NaN)');
        sum = round(sum + p);
        cum[c] = sum;
      }
      if (!(sum > 0)) throw runtimeError('invalid multinomial distribution (sum of probabilities <= 0)');
      for (let c = 0; c < categories; c++) cum[c] = round(cum[c] / sum);
      for (let s = 0; s < numSamples; s++) {
        const u = this.uniformDouble01();
        cum[categories - 1] = 1;
        let left = 0;
        let right = categories;
        while (right - left > 0) {
          const mid = left + Math.floor((right - left) / 2);
          if (cum[mid] < u) left = mid + 1;
          else right = mid;
        }
        out[r * numSamples + s] = left;
      }
    }
    return out;
  }
}
