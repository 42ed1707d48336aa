// The layer tables of NumPy's 256-layer normal ziggurat (ki/wi/fi for float64 and
// float32, numpy/random/src/distributions/ziggurat_constants.h), rebuilt from a few
// constants instead of shipped as 1536 numbers. Layer i's right edge x_i follows
// Marsaglia and Tsang's recursion down from x_255 = r,
//   x_(i-1) = sqrt(-2 log(v / x_i + exp(-x_i^2 / 2))),
// and wi = x / 2^52, fi = exp(-x^2 / 2), ki = floor(2^52 x_(i-1) / x_i). NumPy's
// constants come from a more precise computation, so where the double-precision
// formula lands an ulp (or a unit of ki) away, ziggurat_data.ts records the step back
// to NumPy's value: scripts/ziggurat_tables.ts derives those corrections by running this
// same code against NumPy's header, and test/unit/numpy_generator.test.ts checks the
// rebuilt tables against NumPy's by digest.

import { X_STEPS, FI_STEPS, KI0, KI_STEPS, WI0, X255 } from './ziggurat_data';

const TWO52 = 2 ** 52;

/** The tables NumPy's random_standard_normal and random_standard_normal_f index by layer. */
export interface ZigguratTables {
  readonly kiDouble: Float64Array;
  readonly wiDouble: Float64Array;
  readonly fiDouble: Float64Array;
  readonly kiFloat: Float64Array;
  readonly wiFloat: Float32Array;
  readonly fiFloat: Float32Array;
}

/** Corrections, by layer: ulps for an x edge or an fi value, units for a ki bound. */
export interface ZigguratSteps {
  x(i: number, computed: number): number;
  fi(i: number, computed: number): number;
  ki(i: number, computed: number): number;
}

const scratch = new DataView(new ArrayBuffer(8));

/** x moved by `ulps` representable doubles (positive x). */
export function stepUlps(x: number, ulps: number): number {
  if (ulps === 0) return x;
  scratch.setFloat64(0, x);
  scratch.setBigInt64(0, scratch.getBigInt64(0) + BigInt(ulps));
  return scratch.getFloat64(0);
}

/** The ulps from a to b (both positive doubles). */
export function ulpsBetween(a: number, b: number): number {
  scratch.setFloat64(0, a);
  const ia = scratch.getBigInt64(0);
  scratch.setFloat64(0, b);
  return Number(scratch.getBigInt64(0) - ia);
}

/** The tables from r = x_255, wi[0] (the base strip's width), ki[0] and the corrections. */
export function buildZiggurat(r: number, wi0: number, ki0: number, steps: ZigguratSteps): ZigguratTables {
  const density = (t: number) => Math.exp(-0.5 * t * t);
  const v = wi0 * TWO52 * density(r); // the common area of every layer
  const x = new Float64Array(256);
  x[255] = r;
  for (let i = 255; i > 1; i--) {
    const computed = Math.sqrt(-2 * Math.log(v / x[i] + density(x[i])));
    x[i - 1] = stepUlps(computed, steps.x(i - 1, computed));
  }
  const wiDouble = new Float64Array(256), fiDouble = new Float64Array(256), kiDouble = new Float64Array(256);
  wiDouble[0] = wi0;
  fiDouble[0] = 1;
  kiDouble[0] = ki0;
  for (let i = 1; i < 256; i++) {
    wiDouble[i] = x[i] / TWO52;
    const f = density(x[i]);
    fiDouble[i] = stepUlps(f, steps.fi(i, f));
    if (i >= 2) {
      const k = Math.floor((x[i - 1] / x[i]) * TWO52);
      kiDouble[i] = k + steps.ki(i, k);
    }
  }
  // the float32 tables are the float64 ones at 23 bits: NumPy's agree value for value
  const kiFloat = kiDouble.map((k) => Math.round(k / 2 ** 29));
  const wiFloat = Float32Array.from(wiDouble, (w) => w * 2 ** 29);
  const fiFloat = Float32Array.from(fiDouble);
  return { kiDouble, wiDouble, fiDouble, kiFloat, wiFloat, fiFloat };
}

const sparse = (m: Readonly<Record<number, number>>) => (i: number) => m[i] ?? 0;

let tables: ZigguratTables | undefined;

/** NumPy's tables (built on first use). */
export function ziggurat(): ZigguratTables {
  tables ??= buildZiggurat(X255, WI0, KI0, { x: sparse(X_STEPS), fi: sparse(FI_STEPS), ki: sparse(KI_STEPS) });
  return tables;
}

/** The tail's start r and 1 / r as NumPy writes them (ziggurat_nor_r, ziggurat_nor_inv_r), and as floats. */
export const ZIGGURAT_NOR_R = 3.654152885361009;
export const ZIGGURAT_NOR_INV_R = 0.2736612373297583;
export const ZIGGURAT_NOR_R_F = 3.6541528701782227;
export const ZIGGURAT_NOR_INV_R_F = 0.27366122603416443;
