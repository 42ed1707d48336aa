// keras.ops (`from keras import ops`) on the TensorFlow backend, as Keras 3.15 runs it
// (keras/src/ops/*.py over keras/src/backend/tensorflow): each op returns an eager
// tf.Tensor; dtypes follow Keras's own promotion (keras/src/backend/common/dtypes.py
// result_type: a JAX-like lattice where Python scalars are weak and an int meeting a
// float takes the float, float32 being floatx). The tf ops of tensorflow/index.ts are
// reused where the backend calls them as they are.

import { DType, isFloating } from '../../engine/dtype';
import { softmax, tril, triu } from '../../engine/ops/compose';
import { binary, cast, scalarTensor, unary, where } from '../../engine/ops/core';
import { nonzero } from '../../engine/ops/indexing';
import { matmul } from '../../engine/ops/reduce';
import { expand, permute, reshape, select, unsqueeze } from '../../engine/ops/shape';
import { Tensor } from '../../engine/tensor';
import { bind, toFloat, toInt, toIntList, toShape } from '../../python/args';
import { CallContext, Kwargs, NativeFn, PyBuiltin, PyList, PyModule, PyTuple, PyValue } from '../../python/values';
import { ArrayValue } from '../common';
import { NumpyArray, npPromote } from '../numpy';
import { TfTensor, tfDtype, toTf } from '../tensorflow';

type Weak = 'int' | 'float' | 'bool';

/** An operand's Keras dtype: a tensor's or array's dtype (strong), a Python scalar's kind (weak). */
function kindOf(v: PyValue | undefined, ctx: CallContext): DType | Weak {
  if (typeof v === 'number') return 'float';
  if (typeof v === 'bigint') return 'int';
  if (typeof v === 'boolean') return 'bool';
  return tensorOf(v, ctx).dtype;
}

/**
 * dtypes.result_type: strong dtypes meet on the lattice (an int with a float is the
 * float, two ints or two floats the wider, uint8 with int8 int16); then a weak float
 * makes a non-float float32, a weak int makes bool int32; weak scalars alone give
 * float32, int32 or bool.
 */
export function kerasResultType(kinds: (DType | Weak)[]): DType {
  // a weak bool acts as a bool tensor: it yields to everything
  const strong = kinds.filter((k): k is DType => k !== 'int' && k !== 'float');
  let d: DType | undefined;
  for (const k of strong) {
    if (d === undefined || d === k) d = k;
    else if (isFloating(d) !== isFloating(k)) d = isFloating(d) ? d : k;
    else d = npPromote(d, k);
  }
  if (kinds.includes('float')) return d !== undefined && isFloating(d) ? d : 'float32';
  if (kinds.includes('int')) return d === undefined || d === 'bool' ? 'int32' : d;
  return d ?? 'bool';
}

/**
 * convert_to_tensor(x, dtype=None): tensors keep their dtype, NumPy arrays theirs, Python
 * data takes Keras's defaults (float32, int32, bool).
 */
function tensorOf(v: PyValue | undefined, ctx: CallContext, dtype?: DType): Tensor {
  const t = toTf(v ?? null, ctx);
  return dtype && dtype !== t.dtype ? cast(t, dtype) : t;
}

/** Operands cast to their Keras result type. */
function promoted(ctx: CallContext, ...vs: (PyValue | undefined)[]): Tensor[] {
  const d = kerasResultType(vs.map((v) => kindOf(v, ctx)));
  return vs.map((v) => tensorOf(v, ctx, d));
}

const wrap = (t: Tensor) => new TfTensor(t);

function shapeArg(v: PyValue | undefined): number[] {
  return typeof v === 'bigint' ? [Number(v)] : toShape([v ?? null], 'shape');
}

function filled(shape: number[], value: number, dtype: DType): Tensor {
  const t = Tensor.empty(dtype, shape);
  t.storage.data.fill(cast(scalarTensor(value, 'float64'), dtype).item());
  return t;
}

/** `keras.ops`: the ops a Keras masking example calls (ones, tril, where, softmax, cast, ...). */
export function makeKerasOps(tf: PyModule): PyModule {
  const ops = new PyModule('keras.ops');
  const def = (name: string, signature: string[], f: (a: Record<string, PyValue | undefined>, ctx: CallContext, kw: Kwargs) => PyValue) =>
    ops.dict.set(name, new PyBuiltin(name, (args, kw, ctx) => f(bind(name, args, kw, signature), ctx, kw), `keras.ops.${name}`));
  const dt = (v: PyValue | undefined) => (v === undefined || v === null ? undefined : tfDtype(v));
  const tfCall = (name: string): NativeFn => (args, kw, ctx) => ctx.call(tf.dict.get(name)!, args, kw);

  def('ones', ['shape', 'dtype?'], (a, ctx) => wrap(filled(shapeArg(a.shape), 1, dt(a.dtype) ?? 'float32')));
  def('zeros', ['shape', 'dtype?'], (a, ctx) => wrap(filled(shapeArg(a.shape), 0, dt(a.dtype) ?? 'float32')));
  def('full', ['shape', 'fill_value', 'dtype?'], (a, ctx) => wrap(filled(shapeArg(a.shape), toFloat(a.fill_value, 'fill_value'), dt(a.dtype) ?? 'float32')));
  // tril/triu(x, k=0): the lower / upper triangle of the last two dims, in x's dtype
  def('tril', ['x', 'k?'], (a, ctx) => wrap(tril(tensorOf(a.x, ctx), a.k === undefined ? 0 : toInt(a.k, 'k'))));
  def('triu', ['x', 'k?'], (a, ctx) => wrap(triu(tensorOf(a.x, ctx), a.k === undefined ? 0 : toInt(a.k, 'k'))));
  // where(condition, x1=None, x2=None): a choice in the result type of x1 and x2; without them,
  // one int32 tensor of indices per dimension of condition (a list)
  def('where', ['condition', 'x1?', 'x2?'], (a, ctx) => {
    const cond = cast(tensorOf(a.condition, ctx), 'bool');
    if ((a.x1 === undefined || a.x1 === null) && (a.x2 === undefined || a.x2 === null)) {
      const nz = nonzero(cond);
      return new PyList(cond.shape.map((_, d) => wrap(cast(select(nz, 1, d), 'int32'))));
    }
    const [x1, x2] = promoted(ctx, a.x1, a.x2);
    return wrap(where(cond, x1, x2));
  });
  // softmax(x, axis=-1): floats keep their dtype, other inputs become float32
  def('softmax', ['x', 'axis?'], (a, ctx) => {
    const t = tensorOf(a.x, ctx);
    return wrap(softmax(isFloating(t.dtype) ? t : cast(t, 'float32'), a.axis === undefined || a.axis === null ? -1 : toInt(a.axis, 'axis')));
  });
  def('cast', ['x', 'dtype'], (a, ctx) => wrap(tensorOf(a.x, ctx, dt(a.dtype))));
  def('convert_to_tensor', ['x', 'dtype?', 'sparse?', 'ragged?'], (a, ctx) => (a.x instanceof TfTensor && a.dtype === undefined ? a.x : wrap(tensorOf(a.x, ctx, dt(a.dtype)))));
  // convert_to_numpy(x): an ndarray of x's values and dtype
  def('convert_to_numpy', ['x'], (a, ctx) => new NumpyArray(cast(tensorOf(a.x, ctx), tensorOf(a.x, ctx).dtype)));
  def('expand_dims', ['x', 'axis'], (a, ctx) => {
    let t = tensorOf(a.x, ctx);
    const axes = a.axis instanceof PyTuple || a.axis instanceof PyList ? toIntList(a.axis, 'axis') : [toInt(a.axis, 'axis')];
    const ndim = t.ndim + axes.length;
    for (const ax of axes.map((x) => (x < 0 ? x + ndim : x)).sort((x, y) => x - y)) t = unsqueeze(t, ax);
    return wrap(t);
  });
  // arange(start, stop=None, step=1, dtype=None): int32 for ints, float32 once any bound is a
  // float; each value the previous plus step, in the dtype (TF's RangeOp)
  def('arange', ['start', 'stop?', 'step?', 'dtype?'], (a, ctx) => {
    const noStop = a.stop === undefined || a.stop === null;
    const [start, stop] = noStop ? [0n, a.start] : [a.start, a.stop];
    const step = a.step === undefined || a.step === null ? 1n : a.step;
    const d = dt(a.dtype) ?? kerasResultType([start, stop, step].map((v) => kindOf(v ?? null, ctx)));
    const s = toFloat(start ?? null, 'start'), e = toFloat(stop ?? null, 'stop'), dl = toFloat(step, 'step');
    const round = d === 'float32' || d === 'float16' ? Math.fround : (x: number) => x;
    const n = Math.max(0, Math.ceil(round(Math.abs(round(round(e - s) / dl)))));
    const t = Tensor.empty(d, [n]);
    let v = round(s);
    for (let i = 0; i < n; i++, v = round(v + dl)) t.storage.data[i] = v;
    return wrap(cast(t, d));
  });
  for (const [name, op] of [['logical_and', 'and'], ['logical_or', 'or'], ['logical_xor', 'xor']] as const) {
    def(name, ['x1', 'x2'], (a, ctx) => wrap(binary(op, cast(tensorOf(a.x1, ctx), 'bool'), cast(tensorOf(a.x2, ctx), 'bool'))));
  }
  def('logical_not', ['x'], (a, ctx) => wrap(unary('not', cast(tensorOf(a.x, ctx), 'bool'), 'bool')));
  for (const [name, op] of [['equal', 'eq'], ['not_equal', 'ne'], ['greater', 'gt'], ['greater_equal', 'ge'], ['less', 'lt'], ['less_equal', 'le']] as const) {
    def(name, ['x1', 'x2'], (a, ctx) => {
      const [x1, x2] = promoted(ctx, a.x1, a.x2);
      return wrap(binary(op, x1, x2));
    });
  }
  // matmul(x1, x2): both cast to their result type (float32 @ float64 is float64)
  def('matmul', ['x1', 'x2'], (a, ctx) => {
    const [x1, x2] = promoted(ctx, a.x1, a.x2);
    return wrap(matmul(x1, x2));
  });
  def('transpose', ['x', 'axes?'], (a, ctx) => {
    const t = tensorOf(a.x, ctx);
    return wrap(permute(t, a.axes === undefined || a.axes === null ? t.shape.map((_, i) => t.ndim - 1 - i) : toIntList(a.axes, 'axes')));
  });
  // shape(x): a tuple of Python ints (the TF backend's static shape)
  def('shape', ['x'], (a, ctx) => new PyTuple(tensorOf(a.x, ctx).shape.map((s) => BigInt(s))));
  def('reshape', ['x', 'newshape'], (a, ctx) => wrap(reshape(tensorOf(a.x, ctx), shapeArg(a.newshape))));
  def('broadcast_to', ['x', 'shape'], (a, ctx) => wrap(expand(tensorOf(a.x, ctx), shapeArg(a.shape))));
  for (const [name, tfName] of [['squeeze', 'squeeze'], ['stack', 'stack'], ['sum', 'reduce_sum'], ['max', 'reduce_max'], ['min', 'reduce_min'],
    ['any', 'reduce_any'], ['all', 'reduce_all'], ['exp', 'exp'], ['log', 'log'], ['sqrt', 'sqrt'], ['abs', 'abs']] as const) {
    ops.dict.set(name, new PyBuiltin(name, tfCall(tfName), `keras.ops.${name}`));
  }
  // mean(x, axis=None, keepdims=False): ints and bools averaged as float32 (result_type(x, float))
  def('mean', ['x', 'axis?', 'keepdims?'], (a, ctx) => {
    const t = tensorOf(a.x, ctx);
    const x = isFloating(t.dtype) ? t : cast(t, 'float32');
    return ctx.call(tf.dict.get('reduce_mean')!, [wrap(x)], new Map([['axis', a.axis ?? null], ['keepdims', a.keepdims ?? false]]));
  });
  def('concatenate', ['xs', 'axis?'], (a, ctx) => ctx.call(tf.dict.get('concat')!, [a.xs!], new Map([['axis', a.axis ?? 0n]])));
  return ops;
}
