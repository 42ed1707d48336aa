// Python values in the golden-file JSON shape (result.ts's EncodedValue).

import { ArrayValue } from '../frameworks/common';
import { NumpyScalar } from '../frameworks/numpy';
import type { EncodedNumber, EncodedValue } from './result';
import { PyList, PyNamedTuple, PyTuple, type PyValue } from './values';

/** A number as JSON holds it: bools as booleans, non-finite floats as the strings golden.py writes. */
export function encodeNumber(x: number, isBool: boolean): EncodedNumber {
  if (isBool) return x !== 0;
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  return x;
}

/** A Python value in the golden JSON shape, or undefined for what golden.py skips. */
export function encodeValue(v: PyValue): EncodedValue | undefined {
  if (v instanceof NumpyScalar) {
    const x = v.t.item();
    return { type: v.typeName as 'int', value: encodeNumber(x, v.t.dtype === 'bool') };
  }
  if (v instanceof ArrayValue) {
    const t = v.t;
    const isBool = t.dtype === 'bool';
    const data = Array.from(t.values(), (x) => encodeNumber(x, isBool));
    const type = v.library === 'torch' ? 'torch.Tensor' : v.library === 'numpy' ? 'numpy.ndarray' : 'tf.Tensor';
    return { type, dtype: v.library === 'torch' ? `torch.${t.dtype}` : t.dtype, shape: [...t.shape], data };
  }
  if (typeof v === 'boolean') return { type: 'bool', value: v };
  if (typeof v === 'bigint') return { type: 'int', value: Number(v) };
  if (typeof v === 'number') return { type: 'float', value: encodeNumber(v, false) };
  if (typeof v === 'string') return { type: 'str', value: v };
  if ((v instanceof PyList || v instanceof PyTuple) && !(v instanceof PyNamedTuple && v.fullName !== 'torch.Size')) {
    const items = v.items.map(encodeValue);
    if (items.some((i) => i === undefined)) return undefined;
    const type = v instanceof PyList ? 'list' : v instanceof PyNamedTuple ? 'Size' : 'tuple';
    return { type: type as 'list' | 'tuple', items: items as EncodedValue[] };
  }
  return undefined;
}

