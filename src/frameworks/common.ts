// Shared plumbing between the framework modules: the array-valued Python
// objects (torch.Tensor, numpy.ndarray, tf.Tensor) and conversions from
// nested Python lists.

import { DType, caster, intToDtype } from '../engine/dtype';
import { Scalar, TensorOrScalar, getDefaultDtype } from '../engine/ops/core';
import { Tensor, allocate, int64At, int64Values, isSafeInt64, setInt64 } from '../engine/tensor';
import { toInt } from '../python/args';
import { pyError } from '../python/exceptions';
import { encodeTensor } from '../python/encode';
import type { EncodedValue } from '../python/result';
import { CallContext, NativeFn, PyBuiltin, PyList, PyObj, PyTuple, PyValue, TensorValue, typeNameOf } from '../python/values';

/** A framework's dtype object (torch.float32, numpy.dtype('int32'), tf.float32). */
export abstract class DtypeObject extends PyObj {
  constructor(readonly dtypeValue: DType) {
    super();
  }
  /** A dtype argument (`dtype` in HF's _expand_mask) hovers as its repr, torch.float32. */
  override get shownByRepr(): boolean {
    return true;
  }
}

/** One instance per dtype, so `x.dtype == torch.float32` can compare identities. */
export function interned<T>(make: (d: DType) => T): (d: DType) => T {
  const seen = new Map<DType, T>();
  return (d) => {
    let x = seen.get(d);
    if (x === undefined) seen.set(d, (x = make(d)));
    return x;
  };
}

/** Any Python object backed by an engine tensor. */
export abstract class ArrayValue extends TensorValue {
  abstract get library(): 'torch' | 'numpy' | 'tf';
  /** golden.py's `{type, dtype, shape, data}`: torch writes `torch.Tensor` and `torch.float32`, NumPy and TensorFlow the bare dtype. */
  override encode(inlineElements: number): EncodedValue {
    const type = this.library === 'torch' ? 'torch.Tensor' : this.library === 'numpy' ? 'numpy.ndarray' : 'tf.Tensor';
    return encodeTensor(this.t, type, this.library === 'torch' ? `torch.${this.t.dtype}` : this.t.dtype, inlineElements);
  }
  /** A dict entry's line: torch's `torch.float32 [2, 4, 8]`, NumPy's (and TensorFlow's) `int64 (2, 4)`. */
  override entrySummary(_repr: (v: PyValue) => string): string {
    const t = this.t;
    return this.library === 'torch' ? `torch.${t.dtype} [${t.shape.join(', ')}]` : `${t.dtype} (${t.shape.join(', ')}${t.shape.length === 1 ? ',' : ''})`;
  }
  asIndex(): number | undefined {
    if (this.t.numel === 1 && this.t.ndim === 0 && this.t.dtype !== 'bool' && !this.t.isFloating) return this.t.item();
    return undefined;
  }
  asNumber(): number | undefined {
    return this.t.numel === 1 ? this.t.item() : undefined;
  }
  /** int(t) of a one-element integer tensor, exactly (an int64 beyond 2^53 too); undefined otherwise. */
  asExactInt(): bigint | undefined {
    if (this.t.numel !== 1 || this.t.isFloating || this.t.dtype === 'bool') return undefined;
    return int64At(this.t.storage, this.t.offset);
  }
}

/** The Python scalar `.item()` gives for a one-element tensor: an int64 exactly, beyond 2^53 too. */
export function itemOf(t: Tensor): PyValue {
  return t.dtype === 'int64' ? int64At(t.storage, t.offset) : scalarOf(t.dtype, t.item());
}

/** A tensor's elements in row-major order: numbers, or an int64's exact values (beyond 2^53 too). */
function elementsOf(t: Tensor): ArrayLike<number> | BigInt64Array {
  return t.dtype === 'int64' && t.storage.wide ? int64Values(t) : t.values();
}

/** A Python value as an engine operand (scalars stay scalars for promotion). */
export function operand(v: PyValue): TensorOrScalar | undefined {
  if (typeof v === 'boolean' || typeof v === 'bigint' || typeof v === 'number') return v;
  if (v instanceof ArrayValue) return v.t;
  return undefined;
}

/** Python scalar for one element of dtype `d`. */
export function scalarOf(d: DType, x: number | bigint): PyValue {
  if (typeof x === 'bigint') return x; // an exact int64
  if (d === 'bool') return x !== 0;
  if (d.startsWith('float') || d === 'bfloat16') return x;
  return BigInt(x);
}

interface Inferred {
  shape: number[];
  flat: PyValue[];
}

/** Flatten nested lists/tuples, checking they are rectangular (torch's wording). */
export function flattenNested(v: PyValue, ctx: CallContext, isLeafArray: (x: PyValue) => Tensor | undefined): Inferred {
  const shape: number[] = [];
  let probe: PyValue = v;
  for (;;) {
    const arr = isLeafArray(probe);
    if (arr) {
      shape.push(...arr.shape);
      break;
    }
    if (probe instanceof PyList || probe instanceof PyTuple) {
      shape.push(probe.items.length);
      if (probe.items.length === 0) break;
      probe = probe.items[0];
    } else break;
  }
  const flat: PyValue[] = [];
  const walk = (x: PyValue, dim: number) => {
    const arr = isLeafArray(x);
    if (arr) {
      const expect = shape.slice(dim);
      if (arr.shape.length !== expect.length || arr.shape.some((s, i) => s !== expect[i])) {
        throw pyError('ValueError', `expected sequence of length ${shape[dim]} at dim ${dim} (got ${arr.shape[0] ?? 0})`);
      }
      const vals = elementsOf(arr);
      for (let i = 0; i < vals.length; i++) flat.push(scalarOf(arr.dtype, vals[i]));
      return;
    }
    if (x instanceof PyList || x instanceof PyTuple) {
      if (dim >= shape.length) throw pyError('ValueError', `expected sequence of length ${shape[dim - 1]} at dim ${dim - 1} (got ${x.items.length})`);
      if (x.items.length !== shape[dim]) {
        throw pyError('ValueError', `expected sequence of length ${shape[dim]} at dim ${dim} (got ${x.items.length})`);
      }
      x.items.forEach((y) => walk(y, dim + 1));
      return;
    }
    if (dim !== shape.length) {
      throw pyError('TypeError', `not a sequence`);
    }
    if (typeof x !== 'boolean' && typeof x !== 'bigint' && typeof x !== 'number') {
      throw pyError('TypeError', `new(): invalid data type '${typeNameOf(x)}'`);
    }
    flat.push(x);
  };
  walk(v, 0);
  void ctx;
  return { shape, flat };
}

/** Default dtype of Python data: any float → float, else any int → int64, else bool. */
export function inferDtype(flat: readonly PyValue[], floatDtype: DType = getDefaultDtype(), intDtype: DType = 'int64'): DType {
  let sawInt = false;
  let sawBool = false;
  for (const x of flat) {
    if (typeof x === 'number') return floatDtype;
    if (typeof x === 'bigint') sawInt = true;
    else if (typeof x === 'boolean') sawBool = true;
  }
  return sawInt || !sawBool ? (flat.length === 0 ? floatDtype : intDtype) : 'bool';
}

export function tensorFromFlat(flat: readonly PyValue[], shape: number[], dtype: DType): Tensor {
  const data = allocate(dtype, flat.length);
  const t = Tensor.fromData(dtype, shape, data);
  const c = caster(dtype);
  for (let i = 0; i < flat.length; i++) {
    const x = flat[i];
    data[i] = typeof x === 'bigint' ? intToDtype(dtype, x) : c(typeof x === 'boolean' ? (x ? 1 : 0) : Number(x as Scalar));
    // a Python int beyond 2^53 into int64: its exact value (tensor.ts Storage)
    if (dtype === 'int64' && typeof x === 'bigint' && !isSafeInt64(data[i])) setInt64(t.storage, i, BigInt.asIntN(64, x));
  }
  return t;
}

export function native(name: string, f: NativeFn): PyBuiltin {
  return new PyBuiltin(name, f);
}

export function dimList(v: PyValue | undefined): number | number[] | null {
  if (v === undefined || v === null) return null;
  if (v instanceof PyTuple || v instanceof PyList) return v.items.map((x) => toInt(x, 'dim'));
  return toInt(v, 'dim');
}

/** tensor.tolist() / ndarray.tolist(): nested Python lists of Python scalars. */
export function nestedList(t: Tensor): PyValue {
  const v = elementsOf(t);
  let i = 0;
  const build = (d: number): PyValue =>
    d === t.ndim ? scalarOf(t.dtype, v[i++]) : new PyList(Array.from({ length: t.shape[d] }, () => build(d + 1)));
  return build(0);
}
