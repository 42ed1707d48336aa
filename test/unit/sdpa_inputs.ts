// Inputs of the scaled_dot_product_attention bit fixture (scripts/sdpa_bits.py),
// re-created from each case's seed, shared by test/unit/sdpa_bits.test.ts and
// scripts/sdpa_measure.ts.

export interface SdpaCase {
  name: string;
  seed: number;
  q: number[];
  kv: number[];
  mask: 'bool' | 'float' | null;
  mask_shape: number[] | null;
  is_causal: boolean;
  scale: number | null;
  exact: boolean;
  hash: number;
  out?: string;
  stride?: number;
  sample?: string;
}

/** scripts/sdpa_bits.py's LCG: n float32 values in [-2, 2). */
export function lcg(seed: number, n: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(1664525, s) + 1013904223) >>> 0;
    out[i] = (s >>> 8) * 2 ** -22 - 2;
  }
  return out;
}

const numel = (s: number[]) => s.reduce((a, b) => a * b, 1);
const FULLY_MASKED = new Set(['b2h8 L10 E64 bool[L,S]', 'L7 S700 E24 bool[B,1,L,S]', 'b1h4 L300 E32 bool[B,1,L,S]']);

/** query, key, value and the mask of a case: bool as 0/1 bytes, float with -inf where masked. */
export function sdpaInputs(c: SdpaCase): { q: Float32Array; k: Float32Array; v: Float32Array; mask: Float32Array | Uint8Array | null } {
  const q = lcg(c.seed + 1, numel(c.q)), k = lcg(c.seed + 2, numel(c.kv)), v = lcg(c.seed + 3, numel(c.kv));
  if (!c.mask) return { q, k, v, mask: null };
  const m = lcg(c.seed + 4, numel(c.mask_shape!));
  if (c.mask === 'bool') {
    const keep = Uint8Array.from(m, (x) => (x > -1 ? 1 : 0));
    if (FULLY_MASKED.has(c.name)) keep.fill(0, 0, c.mask_shape![c.mask_shape!.length - 1]);
    return { q, k, v, mask: keep };
  }
  return { q, k, v, mask: Float32Array.from(m, (x) => (Math.fround(x * 2) < -3 ? -Infinity : Math.fround(x * 2))) };
}

/** FNV-1a over the int32 bit patterns of float32 values (scripts/sdpa_bits.py's hash). */
export function fnv1a(values: Float32Array): number {
  const bits = new Uint32Array(values.buffer, values.byteOffset, values.length);
  let h = 0x811c9dc5;
  for (let i = 0; i < bits.length; i++) h = Math.imul(h ^ bits[i], 0x01000193) >>> 0;
  return h;
}
