// keras.ops (`from keras import ops`) on the TensorFlow backend, as Keras 3.15 runs it
// (keras/src/ops/*.py over keras/src/backend/tensorflow): each op returns an eager
// tf.Tensor; dtypes follow Keras's own promotion (keras/src/backend/common/dtypes.py
// result_type: a JAX-like lattice where Python scalars are weak and an int meeting a
// float takes the float, float32 being floatx). The tf ops of tensorflow/index.ts are
// reused where the backend calls them as they are.

import { DType, isFloating } from '../../engine/dtype';
import { tril, triu } from '../../engine/ops/compose';
import { binary, cast, scalarTensor, unary, where } from '../../engine/ops/core';
import { getItem, nonzero } from '../../engine/ops/indexing';
import { matmul } from '../../engine/ops/reduce';
import { chunk, expand, permute, repeat, reshape, select, unsqueeze } from '../../engine/ops/shape';
import { Tensor } from '../../engine/tensor';
import { formatNumpyScalar } from '../../engine/format';
import { bind, toFloat, toInt, toIntList, toShape } from '../../python/args';
import { pyError } from '../../python/exceptions';
import { CallContext, Kwargs, NativeFn, PyBuiltin, PyList, PyModule, PyTuple, PyValue } from '../../python/values';
import { ArrayValue } from '../common';
import { NumpyArray, npPromote } from '../numpy';
import { TfTensor, tfDtype, tfSoftmax, toTf } from '../tensorflow';

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

/** TensorFlow's eager-op error: "{{function_node __wrapped__<Op>_device_/job:localhost/replica:0/task:0/device:CPU:0}} <message> [Op:<Op>]". */
function opError(kernel: string, op: string, message: string, named = true): Error {
  return pyError('InvalidArgumentError', `{{function_node __wrapped__${kernel}_device_/job:localhost/replica:0/task:0/device:CPU:0}} ${message} [Op:${op}]${named ? ' name: ' : ''}`);
}

const dims = (shape: readonly number[]) => `[${shape.join(',')}]`;

/** Two shapes that must broadcast for a TF binary op (Equal, LogicalAnd, ...): "Incompatible shapes: [2] vs. [3]". */
function checkBroadcast(op: string, a: Tensor, b: Tensor): void {
  const n = Math.max(a.ndim, b.ndim);
  for (let i = 1; i <= n; i++) {
    const x = a.shape[a.ndim - i] ?? 1, y = b.shape[b.ndim - i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) throw opError(op, op, `Incompatible shapes: ${dims(a.shape)} vs. ${dims(b.shape)}`);
  }
}

/** The dtypes Keras's standardize_dtype accepts by name; another name is ValueError "Invalid dtype: foo". */
const KERAS_DTYPES = new Set(['float16', 'float32', 'float64', 'bfloat16', 'uint8', 'int8', 'int16', 'int32', 'int64', 'bool']);

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
  const dt = (v: PyValue | undefined) => {
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'string' && !KERAS_DTYPES.has(v)) throw pyError('ValueError', `Invalid dtype: ${v}`);
    return tfDtype(v);
  };
  // tf.ones / tf.zeros convert the dtype themselves (dtypes.as_dtype)
  const tfDt = (v: PyValue | undefined) => {
    if (typeof v === 'string' && !KERAS_DTYPES.has(v)) throw pyError('TypeError', `Cannot convert the argument \`type_value\`: '${v}' to a TensorFlow DType.`);
    return dt(v);
  };
  const tfCall = (name: string): NativeFn => (args, kw, ctx) => ctx.call(tf.dict.get(name)!, args, kw);

  def('ones', ['shape', 'dtype?'], (a) => wrap(filled(shapeArg(a.shape), 1, tfDt(a.dtype) ?? 'float32')));
  def('zeros', ['shape', 'dtype?'], (a) => wrap(filled(shapeArg(a.shape), 0, tfDt(a.dtype) ?? 'float32')));
  def('full', ['shape', 'fill_value', 'dtype?'], (a) => wrap(filled(shapeArg(a.shape), toFloat(a.fill_value, 'fill_value'), dt(a.dtype) ?? 'float32')));
  // tril/triu(x, k=0): the lower / upper triangle of the last two dims, in x's dtype
  for (const [name, f] of [['tril', tril], ['triu', triu]] as const) {
    def(name, ['x', 'k?'], (a, ctx) => {
      const t = tensorOf(a.x, ctx);
      if (t.ndim < 2) throw opError('MatrixBandPart', 'MatrixBandPart', `input must be at least 2-dim, received shape: ${dims(t.shape)}`);
      return wrap(f(t, a.k === undefined ? 0 : toInt(a.k, 'k')));
    });
  }
  // where(condition, x1=None, x2=None): a choice in the result type of x1 and x2; without them,
  // one int32 tensor of indices per dimension of condition (a list)
  def('where', ['condition', 'x1?', 'x2?'], (a, ctx) => {
    const cond = cast(tensorOf(a.condition, ctx), 'bool');
    if ((a.x1 === undefined || a.x1 === null) && (a.x2 === undefined || a.x2 === null)) {
      const nz = nonzero(cond);
      return new PyList(cond.shape.map((_, d) => wrap(cast(select(nz, 1, d), 'int32'))));
    }
    if (a.x1 === undefined || a.x1 === null || a.x2 === undefined || a.x2 === null) {
      throw pyError('ValueError', '`x1` and `x2` either both should be `None` or both should have non-None value.');
    }
    const [x1, x2] = promoted(ctx, a.x1, a.x2);
    const n = Math.max(cond.ndim, x1.ndim, x2.ndim);
    for (let i = 1; i <= n; i++) {
      const sizes = [cond, x1, x2].map((t) => t.shape[t.ndim - i] ?? 1).filter((m) => m !== 1);
      if (new Set(sizes).size > 1) throw opError('SelectV2', 'SelectV2', `condition ${dims(cond.shape)}, then ${dims(x1.shape)}, and else ${dims(x2.shape)} must be broadcastable`);
    }
    return wrap(where(cond, x1, x2));
  });
  // softmax(x, axis=-1): floats keep their dtype, other inputs become float32
  def('softmax', ['x', 'axis?'], (a, ctx) => {
    const t = tensorOf(a.x, ctx);
    const axis = a.axis === undefined || a.axis === null ? -1 : toInt(a.axis, 'axis');
    if (axis < -t.ndim || axis >= t.ndim) {
      throw pyError('InvalidArgumentError', `\`dim\` must be in the range [${-t.ndim}, ${t.ndim}) where ${t.ndim} is the number of dimensions in the input. Received: dim=${axis}`);
    }
    return wrap(tfSoftmax(isFloating(t.dtype) ? t : cast(t, 'float32'), axis));
  });
  def('cast', ['x', 'dtype'], (a, ctx) => wrap(tensorOf(a.x, ctx, dt(a.dtype))));
  def('convert_to_tensor', ['x', 'dtype?', 'sparse?', 'ragged?'], (a, ctx) => (a.x instanceof TfTensor && a.dtype === undefined ? a.x : wrap(tensorOf(a.x, ctx, dt(a.dtype)))));
  // convert_to_numpy(x): an ndarray of x's values and dtype
  def('convert_to_numpy', ['x'], (a, ctx) => new NumpyArray(cast(tensorOf(a.x, ctx), tensorOf(a.x, ctx).dtype)));
  def('expand_dims', ['x', 'axis'], (a, ctx) => {
    let t = tensorOf(a.x, ctx);
    const axes = a.axis instanceof PyTuple || a.axis instanceof PyList ? toIntList(a.axis, 'axis') : [toInt(a.axis, 'axis')];
    const ndim = t.ndim + axes.length;
    for (const ax of axes) if (ax < -ndim || ax >= ndim) throw pyError('ValueError', `axis ${ax} is out of bounds for an array with dimension ${ndim}.`);
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
    if (dl === 0) throw opError('Range', 'Range', `Requires delta != 0: ${formatNumpyScalar(dl, isFloating(d) ? d : 'int64')}`);
    const round = d === 'float32' || d === 'float16' ? Math.fround : (x: number) => x;
    const n = Math.max(0, Math.ceil(round(Math.abs(round(round(e - s) / dl)))));
    const t = Tensor.empty(d, [n]);
    let v = round(s);
    for (let i = 0; i < n; i++, v = round(v + dl)) t.storage.data[i] = v;
    return wrap(cast(t, d));
  });
  for (const [name, op] of [['logical_and', 'and'], ['logical_or', 'or'], ['logical_xor', 'xor']] as const) {
    def(name, ['x1', 'x2'], (a, ctx) => {
      const x1 = cast(tensorOf(a.x1, ctx), 'bool'), x2 = cast(tensorOf(a.x2, ctx), 'bool');
      if (op !== 'xor') checkBroadcast(op === 'and' ? 'LogicalAnd' : 'LogicalOr', x1, x2);
      return wrap(binary(op, x1, x2));
    });
  }
  def('logical_not', ['x'], (a, ctx) => wrap(unary('not', cast(tensorOf(a.x, ctx), 'bool'), 'bool')));
  const TF_OPS = { eq: 'Equal', ne: 'NotEqual', gt: 'Greater', ge: 'GreaterEqual', lt: 'Less', le: 'LessEqual' };
  for (const [name, op] of [['equal', 'eq'], ['not_equal', 'ne'], ['greater', 'gt'], ['greater_equal', 'ge'], ['less', 'lt'], ['less_equal', 'le']] as const) {
    def(name, ['x1', 'x2'], (a, ctx) => {
      const [x1, x2] = promoted(ctx, a.x1, a.x2);
      checkBroadcast(TF_OPS[op], x1, x2);
      return wrap(binary(op, x1, x2));
    });
  }
  // minimum / maximum(x1, x2): elementwise in the operands' result type (the Keras seq2seq guide's ops.minimum(padding_mask, causal_mask))
  for (const [name, op] of [['minimum', 'Minimum'], ['maximum', 'Maximum']] as const) {
    def(name, ['x1', 'x2'], (a, ctx) => {
      const [x1, x2] = promoted(ctx, a.x1, a.x2);
      checkBroadcast(op, x1, x2);
      return wrap(binary(name, x1, x2));
    });
  }
  // matmul(x1, x2): both cast to their result type (float32 @ float64 is float64)
  def('matmul', ['x1', 'x2'], (a, ctx) => {
    const [x1, x2] = promoted(ctx, a.x1, a.x2);
    // 1-D operands become a row and a column; the inner sizes must agree (MatMul / BatchMatMulV2)
    const m1 = x1.ndim === 1 ? [1, x1.shape[0]] : x1.shape, m2 = x2.ndim === 1 ? [x2.shape[0], 1] : x2.shape;
    if (m1[m1.length - 1] !== m2[m2.length - 2]) {
      const batched = m1.length > 2 || m2.length > 2;
      const op = batched ? 'BatchMatMulV2' : 'MatMul';
      throw opError(batched ? '__MklBatchMatMulV2' : '__MklMatMul', op, `Matrix size-incompatible: In[0]: ${dims(m1)}, In[1]: ${dims(m2)}${batched ? ' 0 0' : ''}`);
    }
    return wrap(matmul(x1, x2));
  });
  def('transpose', ['x', 'axes?'], (a, ctx) => {
    const t = tensorOf(a.x, ctx);
    const axes = a.axes === undefined || a.axes === null ? t.shape.map((_, i) => t.ndim - 1 - i) : toIntList(a.axes, 'axes');
    if (axes.length !== t.ndim) throw opError('Transpose', 'Transpose', `transpose expects a vector of size ${t.ndim}. But input(1) is a vector of size ${axes.length}`, false);
    return wrap(permute(t, axes));
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
  // tile(x, repeats): np.tile's rule, repeats shorter than x's rank count from the last axis (the Keras guide tiles token ids into fake embeddings)
  def('tile', ['x', 'repeats'], (a, ctx) => {
    const t = tensorOf(a.x, ctx);
    const reps = typeof a.repeats === 'bigint' ? [Number(a.repeats)] : toIntList(a.repeats instanceof ArrayValue ? new PyList(a.repeats.t.toArray().map((x) => BigInt(x))) : a.repeats, 'repeats');
    return wrap(repeat(t, [...new Array(Math.max(0, t.ndim - reps.length)).fill(1), ...reps]));
  });
  // take(x, indices, axis=None): x flattened when axis is None; negative indices count from the end (Keras's TF backend wraps them, then tf.gather)
  def('take', ['x', 'indices', 'axis?'], (a, ctx) => {
    let t = tensorOf(a.x, ctx);
    const whole = a.axis === undefined || a.axis === null;
    if (whole) t = reshape(t, [-1]);
    const ax = whole ? 0 : toInt(a.axis, 'axis');
    const d = ax < 0 ? ax + t.ndim : ax;
    const idx = cast(tensorOf(a.indices, ctx), 'int64');
    const wrapped = cast(where(binary('lt', idx, 0), binary('add', idx, t.shape[d]), idx), 'int64');
    // GatherV2 names the first index out of range by its position in indices (SliceDebugString: none for a scalar)
    const values = wrapped.toArray();
    const bad = values.findIndex((i) => i < 0 || i >= t.shape[d]);
    if (bad >= 0) {
      const at: number[] = [];
      for (let k = wrapped.ndim - 1, rest = bad; k >= 0; k--) { at.unshift(rest % wrapped.shape[k]); rest = Math.floor(rest / wrapped.shape[k]); }
      throw opError('GatherV2', 'GatherV2', `indices${at.length ? `[${at.join(',')}]` : ''} = ${values[bad]} is not in [0, ${t.shape[d]})`);
    }
    const slices = new Array(d).fill({ kind: 'slice', start: null, stop: null, step: null });
    return wrap(getItem(t, [...slices, { kind: 'tensor', value: wrapped }]));
  });
  // split(x, indices_or_sections, axis=0): a list; sections must divide the axis (TF's Split), indices are where parts start (np.split)
  def('split', ['x', 'indices_or_sections', 'axis?'], (a, ctx) => {
    const t = tensorOf(a.x, ctx);
    const ax = a.axis === undefined ? 0 : toInt(a.axis, 'axis');
    const d = ax < 0 ? ax + t.ndim : ax;
    if (typeof a.indices_or_sections === 'bigint') {
      const n = Number(a.indices_or_sections);
      if (n <= 0 || t.shape[d] % n !== 0) {
        throw pyError('InvalidArgumentError', `{{function_node __wrapped__Split_num_split_${n}_device_/job:localhost/replica:0/task:0/device:CPU:0}} Number of ways to split should evenly divide the split dimension, but got split_dim ${d} (size = ${t.shape[d]}) and num_split ${n} [Op:Split] name: split`);
      }
      return new PyList(chunk(t, n, d).map(wrap));
    }
    const starts = toIntList(a.indices_or_sections, 'indices_or_sections').map((i) => Math.min(Math.max(i < 0 ? i + t.shape[d] : i, 0), t.shape[d]));
    const bounds = [0, ...starts, t.shape[d]];
    const lead = new Array(d).fill({ kind: 'slice', start: null, stop: null, step: null });
    return new PyList(bounds.slice(1).map((end, i) => wrap(getItem(t, [...lead, { kind: 'slice', start: bounds[i], stop: Math.max(bounds[i], end), step: null }]))));
  });
  return ops;
}
