// NumPy's scalar types as classes: np.float32, np.int64, np.bool_ ... are types (print
// as <class 'numpy.float32'>), distinct from the dtype objects an array's .dtype
// gives (dtype('float32')), equal to them under ==; type(np.float32(1)) is
// np.float32; their abstract bases (np.generic > np.number > np.integer /
// np.inexact > np.floating ...) make isinstance and np.issubdtype work; np.float64
// subclasses Python's float as in NumPy. Source: numpy/_core/numerictypes.py.

import type { DType } from '../../engine/dtype';
import { cast } from '../../engine/ops/core';
import { TYPE_CLASSES } from '../../python/builtins';
import { pyError } from '../../python/exceptions';
import { PyBuiltin, PyClass, PyModule, PyValue, typeNameOf } from '../../python/values';
import { interned } from '../common';
import { NumpyArray, NumpyDtype, npDtype, npScalar, toNumpyTensor } from './index';

const abstract = (name: string, bases: PyClass[]) => new PyClass(name, bases, `numpy.${name}`);
const GENERIC = abstract('generic', [TYPE_CLASSES.get('object')!]);
const NUMBER = abstract('number', [GENERIC]);
const INTEGER = abstract('integer', [NUMBER]);
const SIGNED = abstract('signedinteger', [INTEGER]);
const UNSIGNED = abstract('unsignedinteger', [INTEGER]);
const INEXACT = abstract('inexact', [NUMBER]);
const FLOATING = abstract('floating', [INEXACT]);

/** The abstract scalar classes, by their numpy names. */
export const ABSTRACT_TYPES: Record<string, PyClass> = {
  generic: GENERIC, number: NUMBER, integer: INTEGER, signedinteger: SIGNED, unsignedinteger: UNSIGNED, inexact: INEXACT, floating: FLOATING,
};

function basesOf(d: DType): PyClass[] {
  if (d === 'bool') return [GENERIC];
  if (d === 'uint8') return [UNSIGNED];
  if (d === 'float64') return [FLOATING, TYPE_CLASSES.get('float')!];
  return d.startsWith('float') ? [FLOATING] : [SIGNED];
}

/** np.float32, np.int64, np.bool_ ...: a class whose instances are NumPy scalars of one dtype. */
export class NumpyScalarType extends PyClass {
  static readonly of = interned((d) => new NumpyScalarType(d));
  private constructor(readonly dtypeValue: DType) {
    super(d2name(dtypeValue), basesOf(dtypeValue), `numpy.${d2name(dtypeValue)}`);
    // np.float32(0.5) is a NumPy scalar, np.float32([1, 2]) an array of that dtype
    this.dict.set('__new__', new PyBuiltin('__new__', ([, x]) => {
      const t = cast(toNumpyTensor(x ?? 0n), this.dtypeValue);
      return t.ndim === 0 ? npScalar(t) : new NumpyArray(t);
    }));
  }
  /** np.float32 == np.dtype('float32') (and the reverse) is True; a type never equals a str. */
  override compare(op: string, other: PyValue): PyValue | undefined {
    if (op !== '==' && op !== '!=') return undefined;
    const same = (other instanceof NumpyDtype || other instanceof NumpyScalarType) && other.dtypeValue === this.dtypeValue;
    return op === '==' ? same : !same;
  }
}

function d2name(d: DType): string {
  return d === 'bool' ? 'bool' : d;
}

/**
 * np.issubdtype(arg1, arg2): arg1 a dtype, scalar type or dtype name; arg2 the same or an
 * abstract class (np.floating, np.integer, np.number ...). True when arg1's scalar type is
 * arg2's or derives from it.
 */
export function issubdtype(a: PyValue, b: PyValue): boolean {
  const sub = NumpyScalarType.of(dtypeLike(a));
  const sup = b instanceof PyClass && !(b instanceof NumpyScalarType) && Object.values(ABSTRACT_TYPES).includes(b) ? b : NumpyScalarType.of(dtypeLike(b));
  return sub.isSubclassOf(sup);
}

function dtypeLike(v: PyValue): DType {
  if (v instanceof PyClass && !(v instanceof NumpyScalarType)) {
    if (v === TYPE_CLASSES.get('float')) return 'float64';
    if (v === TYPE_CLASSES.get('int')) return 'int64';
    if (v === TYPE_CLASSES.get('bool')) return 'bool';
    throw pyError('TypeError', `Cannot interpret '<class '${v.qualname}'>' as a data type`);
  }
  const d = npDtype(v);
  if (d === undefined) throw pyError('TypeError', `Cannot interpret '${typeNameOf(v)}' as a data type`);
  return d;
}

/** Puts the scalar types, the abstract classes, np.dtype and np.issubdtype on the numpy module. */
export function defineScalarTypes(np: PyModule): void {
  for (const d of ['float32', 'float64', 'float16', 'int8', 'int16', 'int32', 'int64', 'uint8', 'bool'] as DType[]) np.dict.set(d2name(d), NumpyScalarType.of(d));
  np.dict.set('bool_', NumpyScalarType.of('bool')); // np.bool is back in NumPy 2 (np.float_ and np.Inf are gone: known.ts)
  np.dict.set('int_', NumpyScalarType.of('int64'));
  np.dict.set('double', NumpyScalarType.of('float64'));
  np.dict.set('single', NumpyScalarType.of('float32'));
  np.dict.set('half', NumpyScalarType.of('float16'));
  for (const [name, cls] of Object.entries(ABSTRACT_TYPES)) np.dict.set(name, cls);
  np.dict.set('dtype', new PyBuiltin('dtype', ([x]) => NumpyDtype.of(dtypeLike(x ?? null)), 'numpy.dtype'));
  np.dict.set('issubdtype', new PyBuiltin('issubdtype', ([a, b]) => issubdtype(a ?? null, b ?? null), 'numpy.issubdtype'));
}
