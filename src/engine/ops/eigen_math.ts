// TensorFlow's float32 exp on CPU, bit for bit: the official x86-64 wheel
// evaluates cwise ops with Eigen's 8-float AVX packets, built without FMA, so
// every full packet goes through Eigen's polynomial pexp_float
// (Eigen/src/Core/arch/Default/GenericPacketMathFunctions.h), each multiply
// and add rounded to float32 on its own, and the last `n % 8` elements, which
// do not fill a packet, through the scalar std::exp (correctly rounded here).
// tf.exp differs from a correctly rounded exp in about a quarter of its
// outputs, by one ulp, which its shortest-repr printing shows. TensorFlow's
// threads run with denormals flushed to zero, so an exp below 2^-126 is 0.

import { Tensor } from '../tensor';
import { contiguous } from './core';

const f = Math.fround;
const PACKET = 8;

const LOG2EF = f(1.44269504088896341);
const C1 = f(-0.693359375);
const C2 = f(2.1219444e-4);
const P2 = f(0.49999988079071044921875);
const P3 = f(0.16666518151760101318359375);
const P4 = f(4.166965186595916748046875e-2);
const P5 = f(8.36894474923610687255859375e-3);
const P6 = f(1.37449637986719608306884765625e-3);
const EXP_HI = f(88.723);
const EXP_LO = f(-104);
const MIN_NORMAL = 2 ** -126;

/** Flush-to-zero: a float32 result below the normal range is 0. */
const ftz = (x: number) => (Math.abs(x) < MIN_NORMAL ? 0 : x);

/** pmadd without FMA: a * b rounded, then + c rounded. */
const madd = (a: number, b: number, c: number) => f(f(a * b) + c);

/** 2^k as a float32 (k a normal exponent). */
const pow2 = (k: number) => f(2 ** k);

/**
 * pldexp_generic: a * 2^e as four float32 multiplications, by 2^b three times
 * (b = floor(e / 4)) and by 2^(e - 3b), each rounded (a subnormal result
 * rounds where the product first leaves the normal range).
 */
function ldexpPacket(a: number, e: number): number {
  const clamped = Math.max(-(256 + 22), Math.min(256 + 22, e));
  const b = Math.floor(clamped / 4);
  const c = pow2(b);
  const out = f(f(f(a * c) * c) * c);
  return f(out * pow2(clamped - 3 * b));
}

/** Eigen's pexp_float for one float32 lane (non-FMA build). */
export function eigenExpFloat(x0: number): number {
  if (Number.isNaN(x0)) return NaN;
  if (x0 < EXP_LO) return 0;
  const x = Math.min(x0, EXP_HI);
  const m = Math.floor(madd(x, LOG2EF, 0.5));
  let r = madd(m, C1, x);
  r = madd(m, C2, r);
  const r2 = f(r * r);
  let pEven = madd(r2, P6, P4);
  const pOdd = madd(r2, P5, P3);
  pEven = madd(r2, pEven, P2);
  const pLow = f(r + 1);
  let y = madd(r, pOdd, pEven);
  y = madd(r2, y, pLow);
  return Math.max(ldexpPacket(y, m), x0);
}

/**
 * tf.exp / tf.math.exp / keras.ops.exp of a float32 tensor as TensorFlow's
 * CPU kernel computes it: Eigen's packet exp on the row-major elements that
 * fill 8-lane packets, the scalar exp on the rest. Shape [*], float32.
 */
export function tfExpFloat32(t: Tensor): Tensor {
  const src = contiguous(t);
  const n = src.numel;
  const out = Tensor.empty('float32', t.shape);
  const data = src.storage.data;
  const full = n - (n % PACKET);
  for (let i = 0; i < n; i++) {
    const x = data[src.offset + i];
    out.storage.data[i] = ftz(i < full ? eigenExpFloat(x) : f(Math.exp(x)));
  }
  return out;
}
