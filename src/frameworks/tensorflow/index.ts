// tensorflow / tf.keras: eager tf.Tensor, the tf ops masking code uses, and
// Keras layers with mask propagation (`_keras_mask`, compute_mask, call(mask=)).

import { noteMaskConsumer } from '../../masks/checks';
import { DType, isFloating } from '../../engine/dtype';
import { formatNumpyArray, formatTfTensor, formatTfTensorRepr, pyTupleStr } from '../../engine/format';
import type { BinaryOp } from '../../engine/kernels/backend';
import { lengthsToMask, softmax, tril, triu } from '../../engine/ops/compose';
import { tfSoftmaxFloat32 } from '../../engine/ops/onednn';
import { binary, cast, contiguous, scalarTensor, unary, where } from '../../engine/ops/core';
import { getItem, indexSelect, nonzero } from '../../engine/ops/indexing';
import { matmul, mean, reduce } from '../../engine/ops/reduce';
import { cat, chunk, expand, permute, repeat, reshape, splitSizes, squeeze, stack, unsqueeze } from '../../engine/ops/shape';
import { Tensor, setInt64 } from '../../engine/tensor';
import { getSlot, slot } from '../../engine/context';
import { tfUniform } from '../../engine/random/tf_philox';
import { tfExpFloat32 } from '../../engine/ops/eigen_math';
import { PyRandomState } from '../stdlib/random';
import { bind, toBool, toFloat, toInt, toIntList, toShape } from '../../python/args';
import { pyError } from '../../python/exceptions';
import { PyOpaque } from '../../python/opaque';
import {
  CallContext, Kwargs, NativeFn, PyBuiltin, PyClass, PyFunction, PyInstance, PyList, PyModule, PyObj, PyTuple, PyValue,
  typeNameOf,
} from '../../python/values';
import { ArrayValue, DtypeObject, dimList, interned, flattenNested, inferDtype, scalarOf, tensorFromFlat } from '../common';
import { KerasError, padSequences } from '../keras/pad_sequences';
import { sparseCategoricalCrossentropy, type KerasReduction } from '../keras/losses';
import { embeddingComputeMask, maskingApply, maskingComputeMask } from '../keras/masking';
import { makeKerasOps } from '../keras/ops';
import { initialValues, installKerasLayers, layerCall, markStandIn, setWeight, toSnakeCase, trackWeight } from '../keras/layers';
import { KERAS_TENSOR_IN_TF, KerasSession, KerasTensor, anySymbolic } from '../keras/symbolic';
import { NumpyArray, npDtype, numpyPrintOptions } from '../numpy';
import { numpyRng } from '../numpy/random';
import { indexItems } from '../torch/tensor';

export class TfDtype extends DtypeObject {
  static readonly of = interned((d) => new TfDtype(d));
  get typeName() {
    return 'DType';
  }
  override repr() {
    return `tf.${this.dtypeValue}`;
  }
  /** print(t.dtype) shows <dtype: 'float32'> (DType.__str__); repr is tf.float32. */
  override str() {
    return `<dtype: '${this.dtypeValue}'>`;
  }
  override getAttr(name: string) {
    if (name === 'name') return this.dtypeValue;
    if (name === 'is_floating') return isFloating(this.dtypeValue);
    return undefined;
  }
}

const TF_NAMES: Record<string, string> = {
  float32: 'float', float64: 'double', int32: 'int32', int64: 'int64', bool: 'bool', uint8: 'uint8', float16: 'half', int8: 'int8', int16: 'int16', bfloat16: 'bfloat16',
};

export class TfTensor extends ArrayValue {
  kerasMask: TfTensor | null = null;
  /** Whether `_keras_mask` was ever set (set_keras_mask(x, None) leaves the attribute, holding None). */
  maskAttr = false;
  get typeName() {
    return 'EagerTensor';
  }
  get library() {
    return 'tf' as const;
  }
  /** repr(t): the eager repr, <tf.Tensor: shape=(2,), dtype=float32, numpy=array([...], dtype=float32)>. */
  override repr() {
    return formatTfTensorRepr(this.t, numpyPrintOptions());
  }
  /** str(t) / print(t): tf.Tensor([...], shape=(2,), dtype=float32). */
  override str() {
    return formatTfTensor(this.t, numpyPrintOptions());
  }
  override getAttr(name: string): PyValue | undefined {
    switch (name) {
      // a tensor no layer masked has no _keras_mask attribute at all (AttributeError), as on the TF backend
      case '_keras_mask': return this.kerasMask ?? (this.maskAttr ? null : undefined);
      case 'shape': return new TensorShape(this.t.shape);
      case 'dtype': return TfDtype.of(this.t.dtype);
      case 'ndim': return BigInt(this.t.ndim);
      case 'numpy': return new PyBuiltin('numpy', () => new NumpyArray(this.t));
    }
    return undefined;
  }
  /** The mask a Keras layer attached (Embedding(mask_zero=True), Masking): recorded as `x._keras_mask`, the name Keras gives it. */
  override carriedTensors(): [string, TfTensor][] {
    return this.kerasMask ? [['_keras_mask', this.kerasMask]] : [];
  }
  override setAttr(name: string, value: PyValue): boolean {
    if (name === '_keras_mask') {
      this.maskAttr = true;
      this.kerasMask = value instanceof TfTensor ? value : value === null ? null : new TfTensor(toTf(value));
      return true;
    }
    return false;
  }
  override binaryOp(op: string, other: PyValue, reflected: boolean): PyValue | undefined {
    const o = other instanceof ArrayValue ? other.t : typeof other === 'bigint' || typeof other === 'number' || typeof other === 'boolean' ? scalarTensor(other, this.t.dtype) : undefined;
    if (!o) return undefined;
    // tf.Tensor's & | ^ are logical on bool tensors and bitwise on integers (tensorflow/python/ops/math_ops.py)
    const isBool = this.t.dtype === 'bool';
    const ops: Record<string, BinaryOp> = {
      '+': 'add', '-': 'sub', '*': 'mul', '/': 'div', '//': 'floordiv', '%': 'remainder', '**': 'pow',
      '&': isBool ? 'and' : 'bitand', '|': isBool ? 'or' : 'bitor', '^': isBool ? 'xor' : 'bitxor',
    };
    const k = ops[op.replace('=', '')];
    if (!k && op !== '@') return undefined;
    const [a, b] = reflected ? [o, this.t] : [this.t, o];
    if (a.dtype !== b.dtype) {
      const names: Record<string, string> = {
        add: 'AddV2', sub: 'Sub', mul: 'Mul', div: 'RealDiv', floordiv: 'FloorDiv', remainder: 'FloorMod', pow: 'Pow',
        and: 'LogicalAnd', or: 'LogicalOr', xor: 'NotEqual', bitand: 'BitwiseAnd', bitor: 'BitwiseOr', bitxor: 'BitwiseXor',
      };
      const opName = k ? names[k] : 'MatMul';
      throw pyError('InvalidArgumentError', `cannot compute ${opName} as input #1(zero-based) was expected to be a ${TF_NAMES[a.dtype]} tensor but is a ${TF_NAMES[b.dtype]} tensor [Op:${opName}]`);
    }
    const note = this.valueNote ?? (other instanceof ArrayValue ? other.valueNote : undefined);
    const res = new TfTensor(op === '@' ? matmul(a, b) : binary(k, a, b, k === 'div' && !isFloating(a.dtype) ? 'float64' : undefined));
    if (note) res.valueNote = note;
    return res;
  }
  override unaryOp(op: string): PyValue | undefined {
    if (op === '-') return Object.assign(new TfTensor(unary('neg', this.t)), this.valueNote ? { valueNote: this.valueNote } : {});
    if (op === '~' && this.t.dtype === 'bool') return new TfTensor(unary('not', this.t));
    return undefined;
  }
  override compare(op: string, other: PyValue): PyValue | undefined {
    const o = other instanceof ArrayValue ? other.t : typeof other === 'bigint' || typeof other === 'number' || typeof other === 'boolean' ? scalarTensor(other, this.t.dtype) : undefined;
    if (!o) return undefined;
    const map: Record<string, BinaryOp> = { '<': 'lt', '<=': 'le', '>': 'gt', '>=': 'ge', '==': 'eq', '!=': 'ne' };
    return map[op] ? new TfTensor(binary(map[op], this.t, o)) : undefined;
  }
  override getItem(key: PyValue, ctx: CallContext): PyValue {
    return new TfTensor(getItem(this.t, indexItems(key, ctx)));
  }
  override iterate(): PyValue[] {
    return Array.from({ length: this.t.shape[0] }, (_, i) => new TfTensor(getItem(this.t, [{ kind: 'int', value: i }])));
  }
  override length() {
    return this.t.shape[0];
  }
}

/**
 * A Keras weight (keras/src/backend/common/variables.py Variable on TensorFlow): a tf
 * tensor that also has a `path` (the scopes it was made in, then its name), a `name` and
 * a `trainable` flag; repr `<Variable path=dense/kernel, shape=(3, 2), dtype=float32,
 * value=[...]>` with NumPy's str of the value. Arithmetic on it gives plain tf tensors.
 */
export class KerasVariable extends TfTensor {
  constructor(t: Tensor, readonly path: string, public trainable = true) {
    super(t);
  }
  override get typeName() {
    return 'Variable';
  }
  override repr() {
    return `<Variable path=${this.path}, shape=${pyTupleStr(this.t.shape)}, dtype=${this.t.dtype}, value=${formatNumpyArray(this.t, 'str')}>`;
  }
  override str() {
    return this.repr();
  }
  override getAttr(name: string): PyValue | undefined {
    switch (name) {
      case 'path': return this.path;
      case 'name': return this.path.slice(this.path.lastIndexOf('/') + 1);
      case 'trainable': return this.trainable;
      case 'dtype': return this.t.dtype;
      case 'value': return new TfTensor(this.t);
    }
    return super.getAttr(name);
  }
}


class TensorShape extends PyTuple {
  constructor(shape: readonly number[]) {
    super(shape.map((s) => BigInt(s)));
  }
  override get typeName() {
    return 'TensorShape';
  }
  override repr() {
    return `TensorShape([${this.items.join(', ')}])`;
  }
  /** print(t.shape) shows the tuple form: (3, 1, 4) */
  override str() {
    return this.items.length === 1 ? `(${this.items[0]},)` : `(${this.items.join(', ')})`;
  }
  override getAttr(name: string): PyValue | undefined {
    if (name === 'as_list') return new PyBuiltin('as_list', () => new PyList(this.items.slice()));
    if (name === 'rank') return BigInt(this.items.length);
    return undefined;
  }
}

/** A dtype argument as TF and Keras take it: tf.float32, NumPy dtypes and types, names. */
export function tfDtype(v: PyValue | undefined): DType | undefined {
  if (v === undefined || v === null) return undefined;
  if (v instanceof TfDtype) return v.dtypeValue;
  return npDtype(v);
}

/** Python data or arrays → engine tensor with TF's defaults (float32, int32). */
export function toTf(v: PyValue, ctx?: CallContext, dtype?: DType): Tensor {
  if (v instanceof KerasTensor) throw pyError('ValueError', KERAS_TENSOR_IN_TF);
  if (v instanceof ArrayValue) return dtype && dtype !== v.t.dtype ? cast(v.t, dtype) : v.t;
  if (typeof v === 'bigint' || typeof v === 'number' || typeof v === 'boolean') {
    return scalarTensor(v, dtype ?? (typeof v === 'number' ? 'float32' : typeof v === 'bigint' ? 'int32' : 'bool'));
  }
  const { shape, flat } = flattenNested(v, ctx!, (x) => (x instanceof ArrayValue ? x.t : undefined));
  return tensorFromFlat(flat, shape, dtype ?? inferDtype(flat, 'float32', 'int32'));
}

const fn = (name: string, f: NativeFn) => new PyBuiltin(name, f, `tf.${name}`);

const MAXINT32 = 2n ** 31n - 1n;
const DEFAULT_GRAPH_SEED = 87654321n;

/**
 * TensorFlow's eager random state (context.py, random_seed.py): the global
 * seed, the Python `random.Random(global seed)` that gives each op without a
 * seed of its own an operation seed, and the blocks each cached kernel (op,
 * dtype, seed, seed2) has drawn. An evaluation starts as if
 * `tf.random.set_seed(0)` had run, the state the golden files record
 * (keras.utils.set_random_seed(0)); unseeded TensorFlow draws any values.
 */
interface TfRandomState {
  globalSeed: bigint | null;
  rng: PyRandomState;
  kernels: Map<string, bigint>;
}
const TF_RANDOM = slot<TfRandomState>('tensorflow.random', () => ({ globalSeed: 0n, rng: new PyRandomState(0n), kernels: new Map() }));

/** tf.random.set_seed: a new global seed and operation-seed stream; the kernel cache is cleared. */
function setGlobalSeed(seed: PyValue): void {
  const state = getSlot(TF_RANDOM);
  if (seed === null) {
    state.globalSeed = null;
  } else {
    const s = BigInt(toInt(seed, 'seed'));
    state.globalSeed = s;
    state.rng = new PyRandomState(s);
  }
  state.kernels.clear();
}

/** Python's `%` for ints (the sign of the divisor): random_seed._truncate_seed. */
const truncateSeed = (s: bigint) => ((s % MAXINT32) + MAXINT32) % MAXINT32;

/** random_seed.get_seed(op_seed) in eager mode: the op's (seed, seed2) attributes. */
function opSeeds(opSeed: PyValue | undefined): [bigint, bigint] {
  const state = getSlot(TF_RANDOM);
  const op = opSeed === undefined || opSeed === null ? null : BigInt(toInt(opSeed, 'seed'));
  let seeds: [bigint, bigint];
  if (state.globalSeed !== null) {
    seeds = [truncateSeed(state.globalSeed), truncateSeed(op ?? state.rng.randrange(0n, MAXINT32 + 1n, 1n))];
  } else if (op !== null) {
    seeds = [DEFAULT_GRAPH_SEED, truncateSeed(op)];
  } else {
    // no global seed and no op seed: TensorFlow seeds the op at random; any stream is as good
    seeds = [0n, truncateSeed(state.rng.randrange(0n, MAXINT32 + 1n, 1n))];
  }
  return seeds[0] === 0n && seeds[1] === 0n ? [0n, MAXINT32] : seeds;
}

/**
 * The block a call of the cached kernel `key` starts at, moving the kernel on
 * by what ReserveRandomOutputs reserves (256 blocks an element).
 */
function reserveBlocks(key: string, numel: number): bigint {
  const kernels = getSlot(TF_RANDOM).kernels;
  const start = kernels.get(key) ?? 0n;
  kernels.set(key, start + BigInt(numel) * 256n);
  return start;
}

/** A shape argument: a list or tuple, a TensorShape or a 1-D int tensor (`tf.shape(x)`). */
function shapeArg(v: PyValue | undefined): number[] {
  if (v instanceof ArrayValue) return v.t.toArray();
  return toShape([v ?? null], 'shape');
}

/**
 * tf.random.uniform(shape, minval=0, maxval=None, dtype=tf.float32, seed=None)
 * (random_ops.py): RandomUniform scaled as `x * maxval` when minval is the
 * int 0 and `x * (maxval - minval) + minval` otherwise, in the dtype;
 * RandomUniformInt for int32 / int64, which need a maxval. Values as
 * TensorFlow 2.21's CPU kernels draw them (engine/random/tf_philox.ts).
 */
function randomUniform(args: PyValue[], kw: Kwargs, ctx: CallContext): PyValue {
  const a = bind('uniform', args, kw, ['shape', 'minval?', 'maxval?', 'dtype?', 'seed?', 'name?']);
  const dtype = tfDtype(a.dtype) ?? 'float32';
  if (dtype !== 'float32' && dtype !== 'float64' && dtype !== 'int32' && dtype !== 'int64') {
    const names = 'tf.float16, tf.bfloat16, tf.float32, tf.float64, tf.int32, tf.int64';
    if (dtype === 'float16' || dtype === 'bfloat16') throw pyError('NotImplementedError', `tf.random.uniform with dtype=tf.${dtype} is not supported by Mask Lens yet`);
    throw pyError('ValueError', `Argument \`dtype\` got invalid value ${TfDtype.of(dtype).repr()}. Accepted dtypes are (${names}).`);
  }
  const shape = shapeArg(a.shape);
  const minval = a.minval ?? 0n;
  let maxval = a.maxval ?? null;
  const integer = dtype === 'int32' || dtype === 'int64';
  if (maxval === null) {
    if (integer) throw pyError('ValueError', `Must specify maxval for integer dtype tf.${dtype}`);
    maxval = 1n;
  }
  const [seed, seed2] = opSeeds(a.seed);
  const out = Tensor.empty(dtype, shape);
  if (integer) {
    const lo = BigInt(toInt(minval, 'minval')), hi = BigInt(toInt(maxval, 'maxval'));
    if (lo >= hi) throw pyError('InvalidArgumentError', `{{function_node __wrapped__RandomUniformInt_device_/job:localhost/replica:0/task:0/device:CPU:0}} Need minval < maxval: ${lo} >= ${hi} [Op:RandomUniformInt] name: `);
    const skip = reserveBlocks(`RandomUniformInt:${dtype}:${seed}:${seed2}`, out.numel);
    tfUniform(dtype, out.numel, seed, seed2, skip, lo, hi).forEach((v, i) => setInt64(out.storage, i, BigInt(v)));
    if (dtype === 'int32') out.storage.wide = undefined;
    return wrap(out);
  }
  const skip = reserveBlocks(`RandomUniform:${dtype}:${seed}:${seed2}`, out.numel);
  out.storage.data.set(tfUniform(dtype, out.numel, seed, seed2, skip));
  const minZero = minval === 0n;
  if (minZero && maxval === 1n) return wrap(out);
  const max = toTf(maxval, ctx, dtype);
  if (minZero) return wrap(binary('mul', out, max));
  const min = toTf(minval, ctx, dtype);
  return wrap(binary('add', binary('mul', out, binary('sub', max, min)), min));
}
const wrap = (t: Tensor) => new TfTensor(t);

function axisArg(v: PyValue | undefined): number | number[] | null {
  return dimList(v);
}

export function makeTensorflowModules(load: (name: string) => PyModule | undefined): Map<string, PyModule> {
  const tf = new PyModule('tensorflow');
  const def = (name: string, f: NativeFn) => tf.dict.set(name, fn(name, f));
  for (const d of ['float32', 'float64', 'float16', 'int32', 'int64', 'int8', 'int16', 'uint8', 'bool', 'bfloat16'] as DType[]) tf.dict.set(d, TfDtype.of(d));
  tf.dict.set('newaxis', null);
  tf.dict.set('__version__', '2.21.0');
  def('constant', (args, kw, ctx) => {
    const a = bind('constant', args, kw, ['value', 'dtype?', 'shape?', 'name?']);
    let t = toTf(a.value!, ctx, tfDtype(a.dtype));
    if (a.value instanceof NumpyArray && a.dtype === undefined) t = cast(t, t.dtype);
    if (a.shape !== undefined && a.shape !== null) t = t.numel === 1 ? expand(reshape(t, []), toShape([a.shape], 'shape')) : reshape(t, toShape([a.shape], 'shape'));
    return wrap(t);
  });
  tf.dict.set('convert_to_tensor', tf.dict.get('constant')!);
  def('cast', (args, kw, ctx) => {
    const a = bind('cast', args, kw, ['x', 'dtype', 'name?']);
    return wrap(cast(toTf(a.x!, ctx), tfDtype(a.dtype)!));
  });
  // tf.repeat(input, repeats, axis=None): each slice along axis (the flattened input without one)
  // `repeats` times, one count for all or one per slice (array_ops.repeat_with_axis)
  def('repeat', (args, kw, ctx) => {
    const a = bind('repeat', args, kw, ['input', 'repeats', 'axis?', 'name?']);
    let x = toTf(a.input!, ctx);
    if (a.axis === undefined || a.axis === null) x = reshape(x, [-1]);
    const axis = toInt(a.axis ?? 0n, 'axis');
    const d = axis < 0 ? axis + x.ndim : axis;
    const given = toTf(a.repeats!, ctx, 'int32').toArray();
    const counts = given.length === 1 ? new Array<number>(x.shape[d]).fill(given[0]) : given;
    if (counts.length !== x.shape[d]) throw pyError('ValueError', `Dimensions ${x.shape[d]} and ${counts.length} are not compatible`);
    const negative = counts.find((c) => c < 0);
    if (negative !== undefined) {
      throw pyError('InvalidArgumentError', `{{function_node __wrapped__Tile_device_/job:localhost/replica:0/task:0/device:CPU:0}} Expected multiples[1] >= 0, but got ${negative} [Op:Tile]`);
    }
    const index = counts.flatMap((c, i) => new Array<number>(c).fill(i));
    return wrap(indexSelect(x, d, Tensor.fromData('int64', [index.length], Float64Array.from(index))));
  });
  def('expand_dims', (args, kw, ctx) => {
    const a = bind('expand_dims', args, kw, ['input', 'axis', 'name?']);
    return wrap(unsqueeze(toTf(a.input!, ctx), toInt(a.axis, 'axis')));
  });
  def('squeeze', (args, kw, ctx) => {
    const a = bind('squeeze', args, kw, ['input', 'axis?', 'name?']);
    const ax = axisArg(a.axis);
    return wrap(squeeze(toTf(a.input!, ctx), ax === null ? undefined : ax));
  });
  def('tile', (args, kw, ctx) => {
    const a = bind('tile', args, kw, ['input', 'multiples', 'name?']);
    return wrap(repeat(toTf(a.input!, ctx), toIntList(a.multiples instanceof TfTensor ? new PyList(a.multiples.t.toArray().map((x) => BigInt(x))) : a.multiples, 'multiples')));
  });
  def('reshape', (args, kw, ctx) => {
    const a = bind('reshape', args, kw, ['tensor', 'shape', 'name?']);
    return wrap(reshape(toTf(a.tensor!, ctx), toShape([a.shape!], 'shape')));
  });
  def('transpose', (args, kw, ctx) => {
    const a = bind('transpose', args, kw, ['a', 'perm?', 'conjugate?', 'name?']);
    const t = toTf(a.a!, ctx);
    return wrap(permute(t, a.perm === undefined || a.perm === null ? t.shape.map((_, i) => t.ndim - 1 - i) : toIntList(a.perm, 'perm')));
  });
  def('split', (args, kw, ctx) => {
    const a = bind('split', args, kw, ['value', 'num_or_size_splits', 'axis?', 'num?', 'name?']);
    const t = toTf(a.value!, ctx);
    const axis = a.axis === undefined ? 0 : toInt(a.axis, 'axis');
    const ax = axis < 0 ? axis + t.ndim : axis;
    let parts: Tensor[];
    if (typeof a.num_or_size_splits === 'bigint') {
      const n = Number(a.num_or_size_splits);
      if (t.shape[ax] % n !== 0) {
        throw pyError('InvalidArgumentError', `Number of ways to split should evenly divide the split dimension, but got split_dim ${ax} (size = ${t.shape[ax]}) and num_split ${n} [Op:Split]`);
      }
      parts = chunk(t, n, ax);
    } else parts = splitSizes(t, toIntList(a.num_or_size_splits, 'num_or_size_splits'), ax);
    return new PyList(parts.map(wrap));
  });
  def('concat', (args, kw, ctx) => {
    const a = bind('concat', args, kw, ['values', 'axis', 'name?']);
    return wrap(cat(ctx.iterate(a.values!).map((v) => toTf(v, ctx)), toInt(a.axis, 'axis')));
  });
  def('stack', (args, kw, ctx) => {
    const a = bind('stack', args, kw, ['values', 'axis?', 'name?']);
    return wrap(stack(ctx.iterate(a.values!).map((v) => toTf(v, ctx)), a.axis === undefined ? 0 : toInt(a.axis, 'axis')));
  });
  const cmp = (name: string, op: BinaryOp) => def(name, (args, kw, ctx) => {
    const a = bind(name, args, kw, ['x', 'y', 'name?']);
    const x = toTf(a.x!, ctx);
    return wrap(binary(op, x, toTf(a.y!, ctx, x.dtype)));
  });
  cmp('not_equal', 'ne');
  cmp('equal', 'eq');
  cmp('less', 'lt');
  cmp('greater', 'gt');
  cmp('less_equal', 'le');
  cmp('greater_equal', 'ge');
  cmp('logical_and', 'and');
  cmp('logical_or', 'or');
  cmp('maximum', 'maximum');
  cmp('minimum', 'minimum');
  cmp('add', 'add');
  cmp('multiply', 'mul');
  cmp('subtract', 'sub');
  def('logical_not', ([x], _kw, ctx) => wrap(unary('not', toTf(x, ctx), 'bool')));
  for (const op of ['exp', 'log', 'sqrt', 'rsqrt', 'abs', 'sigmoid', 'tanh', 'floor', 'ceil'] as const) {
    def(op, ([x], _kw, ctx) => {
      const t = toTf(x, ctx);
      // float32 exp as TensorFlow's Eigen packets round it (engine/ops/eigen_math.ts)
      return wrap(op === 'exp' && t.dtype === 'float32' ? tfExpFloat32(t) : unary(op, t));
    });
  }
  def('square', ([x], _kw, ctx) => {
    const t = toTf(x, ctx);
    return wrap(binary('mul', t, t));
  });
  // tf.argmax/argmin: int64 indices along axis (default 0), as tf.math.argmax's output_type default
  for (const op of ['argmax', 'argmin'] as const) {
    def(op, (args, kw, ctx) => {
      const a = bind(op, args, kw, ['input', 'axis?', 'output_type?', 'name?']);
      const r = reduce(op, toTf(a.input!, ctx), a.axis === undefined || a.axis === null ? 0 : toInt(a.axis, 'axis'));
      return wrap(a.output_type === undefined ? r : cast(r, tfDtype(a.output_type) ?? 'int64'));
    });
  }
  def('fill', (args, kw, ctx) => {
    const a = bind('fill', args, kw, ['dims', 'value', 'name?']);
    const v = toTf(a.value!, ctx);
    return wrap(expand(v, toShape([a.dims!], 'dims')));
  });
  def('executing_eagerly', () => true);
  // @tf.function traces for graphs; eager execution gives the same values
  def('function', ([f]) => f ?? fn('function', ([g]) => g ?? null));
  const red = (name: string, op: 'sum' | 'max' | 'min' | 'any' | 'all' | 'prod' | 'mean') => def(name, (args, kw, ctx) => {
    const a = bind(name, args, kw, ['input_tensor', 'axis?', 'keepdims?', 'name?']);
    const t = toTf(a.input_tensor!, ctx);
    const axis = axisArg(a.axis);
    const keep = toBool(a.keepdims, ctx);
    return wrap(op === 'mean' ? (isFloating(t.dtype) ? mean(t, axis, keep) : cast(mean(cast(t, 'float64'), axis, keep), t.dtype)) : cast(reduce(op, t, axis, keep), op === 'any' || op === 'all' ? 'bool' : t.dtype));
  });
  red('reduce_sum', 'sum');
  red('reduce_max', 'max');
  red('reduce_min', 'min');
  red('reduce_any', 'any');
  red('reduce_all', 'all');
  red('reduce_prod', 'prod');
  red('reduce_mean', 'mean');
  def('where', (args, kw, ctx) => {
    const a = bind('where', args, kw, ['condition', 'x?', 'y?', 'name?']);
    const none = (v: PyValue | undefined) => v === undefined || v === null;
    if (none(a.x) !== none(a.y)) throw pyError('ValueError', 'x and y must both be non-None or both be None.');
    if (none(a.x)) {
      // tf.where(condition): the coordinates of the non-zero (true) elements, int64 [count, rank] (TF's WhereOp)
      const c = toTf(a.condition!, ctx);
      if (c.ndim === 0) throw pyError('InvalidArgumentError', '{{function_node __wrapped__Where_device_/job:localhost/replica:0/task:0/device:CPU:0}} WhereOp : Unhandled input dimensions: 0 [Op:Where] name: ');
      return wrap(nonzero(c));
    }
    return wrap(where(toTf(a.condition!, ctx), toTf(a.x!, ctx), toTf(a.y!, ctx)));
  });
  def('ones', (args, kw) => {
    const a = bind('ones', args, kw, ['shape', 'dtype?', 'name?']);
    const t = Tensor.empty(tfDtype(a.dtype) ?? 'float32', toShape([a.shape!], 'shape'));
    t.storage.data.fill(1);
    return wrap(t);
  });
  def('zeros', (args, kw) => {
    const a = bind('zeros', args, kw, ['shape', 'dtype?', 'name?']);
    return wrap(Tensor.empty(tfDtype(a.dtype) ?? 'float32', toShape([a.shape!], 'shape')));
  });
  def('range', (args, kw) => {
    const a = bind('range', args, kw, ['start', 'limit?', 'delta?', 'dtype?']);
    const [s, e] = a.limit === undefined || a.limit === null ? [0, toInt(a.start, 'limit')] : [toInt(a.start, 'start'), toInt(a.limit, 'limit')];
    const step = a.delta === undefined ? 1 : toInt(a.delta, 'delta');
    const n = Math.max(0, Math.ceil((e - s) / step));
    const t = Tensor.empty(tfDtype(a.dtype) ?? 'int32', [n]);
    for (let i = 0; i < n; i++) t.storage.data[i] = s + i * step;
    return wrap(t);
  });
  def('shape', ([x], _kw, ctx) => {
    const t = toTf(x, ctx);
    const s = Tensor.empty('int32', [t.ndim]);
    s.storage.data.set(t.shape);
    return wrap(s);
  });
  def('matmul', (args, kw, ctx) => {
    const a = bind('matmul', args, kw, ['a', 'b', 'transpose_a?', 'transpose_b?']);
    let x = toTf(a.a!, ctx), y = toTf(a.b!, ctx);
    if (toBool(a.transpose_a, ctx)) x = permute(x, [...x.shape.keys()].map((i) => (i < x.ndim - 2 ? i : i === x.ndim - 2 ? x.ndim - 1 : x.ndim - 2)));
    if (toBool(a.transpose_b, ctx)) y = permute(y, [...y.shape.keys()].map((i) => (i < y.ndim - 2 ? i : i === y.ndim - 2 ? y.ndim - 1 : y.ndim - 2)));
    return wrap(matmul(x, y));
  });
  def('sequence_mask', (args, kw, ctx) => {
    const a = bind('sequence_mask', args, kw, ['lengths', 'maxlen?', 'dtype?', 'name?']);
    const lengths = cast(toTf(a.lengths!, ctx), 'int64');
    const m = lengthsToMask(lengths, a.maxlen === undefined || a.maxlen === null ? undefined : toInt(a.maxlen, 'maxlen'));
    return wrap(a.dtype === undefined ? m : cast(m, tfDtype(a.dtype)!));
  });
  // tf.one_hot (array_ops.one_hot): depth positions along a new axis (last by
  // default), on_value where the index hits, off_value elsewhere (an index
  // out of [0, depth) hits nothing); the dtype is `dtype`, else on_value's or
  // off_value's, else float32.
  def('one_hot', (args, kw, ctx) => {
    const a = bind('one_hot', args, kw, ['indices', 'depth', 'on_value?', 'off_value?', 'axis?', 'dtype?', 'name?']);
    const idx = toTf(a.indices!, ctx);
    const depth = toInt(a.depth, 'depth');
    const given = (v: PyValue | undefined) => (v === undefined || v === null ? undefined : v);
    const scalarDtype = (v: PyValue): DType => (v instanceof ArrayValue ? v.t.dtype : typeof v === 'bigint' ? 'int32' : typeof v === 'boolean' ? 'bool' : 'float32');
    const on = given(a.on_value), off = given(a.off_value);
    const dtype = tfDtype(a.dtype) ?? (on !== undefined ? scalarDtype(on) : off !== undefined ? scalarDtype(off) : 'float32');
    const num = (v: PyValue) => (v instanceof ArrayValue ? v.t.item() : typeof v === 'boolean' ? Number(v) : toFloat(v, 'on_value'));
    const onV = on === undefined ? 1 : num(on), offV = off === undefined ? 0 : num(off);
    const ids = idx.values();
    const out = Tensor.empty(dtype, [...idx.shape, depth]);
    out.storage.data.fill(offV);
    for (let i = 0; i < ids.length; i++) {
      const k = Number(ids[i]);
      if (k >= 0 && k < depth) out.storage.data[i * depth + k] = onV;
    }
    const axis = a.axis === undefined || a.axis === null ? -1 : toInt(a.axis, 'axis');
    if (axis === -1 || axis === idx.ndim) return wrap(out);
    const order = [...idx.shape.keys()];
    order.splice(axis, 0, idx.ndim);
    return wrap(contiguous(permute(out, order)));
  });
  def('gather', (args, kw, ctx) => {
    const a = bind('gather', args, kw, ['params', 'indices', 'axis?']);
    const p = toTf(a.params!, ctx), idx = cast(toTf(a.indices!, ctx), 'int64');
    return wrap(getItem(p, [...new Array(a.axis === undefined ? 0 : toInt(a.axis, 'axis')).fill({ kind: 'slice', start: null, stop: null, step: null }), { kind: 'tensor', value: idx }]));
  });
  const nn = new PyModule('tensorflow.nn');
  nn.dict.set('embedding_lookup', fn('embedding_lookup', (args, kw, ctx) => {
    const a = bind('embedding_lookup', args, kw, ['params', 'ids', 'max_norm?', 'name?']);
    const p = toTf(a.params!, ctx), ids = cast(toTf(a.ids!, ctx), 'int64');
    return wrap(getItem(p, [{ kind: 'tensor', value: ids }]));
  }));
  nn.dict.set('softmax', fn('softmax', (args, kw, ctx) => {
    const a = bind('softmax', args, kw, ['logits', 'axis?', 'name?']);
    return wrap(tfSoftmax(toTf(a.logits!, ctx), a.axis === undefined || a.axis === null ? -1 : toInt(a.axis, 'axis')));
  }));
  nn.dict.set('relu', fn('relu', ([x], _kw, ctx) => wrap(binary('maximum', toTf(x, ctx), 0))));
  tf.dict.set('nn', nn);
  const linalg = new PyModule('tensorflow.linalg');
  linalg.dict.set('band_part', fn('band_part', (args, kw, ctx) => {
    const a = bind('band_part', args, kw, ['input', 'num_lower', 'num_upper', 'name?']);
    let t = toTf(a.input!, ctx);
    const lower = toInt(a.num_lower, 'num_lower'), upper = toInt(a.num_upper, 'num_upper');
    if (lower >= 0) t = triu(t, -lower);
    if (upper >= 0) t = tril(t, upper);
    return wrap(t);
  }));
  tf.dict.set('linalg', linalg);
  const math = new PyModule('tensorflow.math');
  for (const n of ['not_equal', 'equal', 'logical_not', 'logical_and', 'logical_or', 'reduce_sum', 'reduce_any', 'reduce_all', 'reduce_mean',
    'reduce_max', 'reduce_min', 'exp', 'log', 'sqrt', 'rsqrt', 'abs', 'sigmoid', 'tanh', 'square', 'floor', 'ceil', 'maximum', 'minimum',
    'add', 'multiply', 'subtract', 'argmax', 'argmin', 'less', 'greater', 'less_equal', 'greater_equal']) {
    math.dict.set(n, tf.dict.get(n)!);
  }
  math.dict.set('softmax', nn.dict.get('softmax')!);
  tf.dict.set('math', math);
  const random = new PyModule('tensorflow.random');
  random.dict.set('set_seed', fn('set_seed', (args, kw) => (setGlobalSeed(bind('set_seed', args, kw, ['seed']).seed ?? null), null)));
  random.dict.set('uniform', fn('uniform', (args, kw, ctx) => randomUniform(args, kw, ctx)));
  tf.dict.set('random', random);
  tf.dict.set('gather', tf.dict.get('gather')!);
  tf.dict.set('Tensor', Object.assign(new PyClass('Tensor', []), {}));
  // tf.Module: the base of exported translators; subclasses' own methods run
  const TfModule = new PyClass('Module', [], 'tf.Module');
  TfModule.dict.set('__init__', fn('__init__', () => null));
  tf.dict.set('Module', TfModule);
  // tf.TensorSpec only describes @tf.function input signatures, which eager runs ignore
  const TensorSpec = new PyClass('TensorSpec', [], 'tf.TensorSpec');
  TensorSpec.dict.set('__init__', fn('__init__', ([self, ...args], kw) => {
    const a = bind('TensorSpec', args, kw, ['shape?', 'dtype?', 'name?']);
    (self as PyInstance).dict.set('shape', a.shape ?? null);
    (self as PyInstance).dict.set('dtype', a.dtype ?? null);
    return null;
  }));
  tf.dict.set('TensorSpec', TensorSpec);
  // string tensors are not modelled; the dtype can still be named (in signatures), and using it refuses
  tf.dict.set('string', new PyOpaque('tensorflow.string'));

  const keras = makeKeras(load);
  tf.dict.set('keras', keras.keras);
  const ops = makeKerasOps(tf);
  // keras.ops on KerasTensors: symbolic calls (Operation.symbolic_call), recorded for functional models
  for (const [name, f] of ops.dict) {
    if (!(f instanceof PyBuiltin)) continue;
    ops.dict.set(name, new PyBuiltin(f.name, (args, kw, ctx) => (anySymbolic(args, kw) ? keras.session.symbolicCall(ctx, f, args, kw) : f.fn(args, kw, ctx)), f.qualname));
  }
  keras.keras.dict.set('ops', ops);
  const modules = new Map<string, PyModule>([
    ['tensorflow', tf], ['tensorflow.nn', nn], ['tensorflow.math', math], ['tensorflow.linalg', linalg], ['tensorflow.random', random],
    ['tensorflow.keras', keras.keras], ['tensorflow.keras.layers', keras.layers], ['tensorflow.keras.utils', keras.utils],
    ['tensorflow.keras.preprocessing', keras.preprocessing], ['tensorflow.keras.preprocessing.sequence', keras.sequence],
    ['keras', keras.keras], ['keras.layers', keras.layers], ['keras.utils', keras.utils], ['keras.losses', keras.losses],
    ['tensorflow.keras.losses', keras.losses],
    ['keras.preprocessing', keras.preprocessing], ['keras.preprocessing.sequence', keras.sequence],
    ['keras.ops', ops], ['tensorflow.keras.ops', ops],
    ['keras.initializers', keras.keras.dict.get('initializers') as PyModule], ['keras.saving', keras.keras.dict.get('saving') as PyModule],
    ['keras.models', keras.keras.dict.get('models') as PyModule], ['tensorflow.keras.models', keras.keras.dict.get('models') as PyModule],
    ['tensorflow.keras.initializers', keras.keras.dict.get('initializers') as PyModule],
  ]);
  return modules;
}

function padSequencesFn(args: PyValue[], kw: Kwargs, ctx: CallContext): PyValue {
  const a = bind('pad_sequences', args, kw, ['sequences', 'maxlen?', 'dtype?', 'padding?', 'truncating?', 'value?']);
  const toJs = (v: PyValue): unknown => {
    if (v instanceof ArrayValue) {
      const flat = v.t.toArray();
      return v.t.ndim === 1 ? flat.map((x) => scalarToJs(scalarOf(v.t.dtype, x))) : ctx.iterate(v).map(toJs);
    }
    if (v instanceof PyList || v instanceof PyTuple) return v.items.map(toJs);
    return scalarToJs(v);
  };
  const seqs = ctx.iterate(a.sequences!).map(toJs);
  try {
    return new NumpyArray(padSequences(seqs, {
      maxlen: a.maxlen === undefined || a.maxlen === null ? null : toInt(a.maxlen, 'maxlen'),
      dtype: a.dtype === undefined ? 'int32' : typeof a.dtype === 'string' ? a.dtype : a.dtype instanceof PyClass && a.dtype.name === 'object' ? { pyType: 'object' } : { npDtype: tfDtype(a.dtype)! },
      padding: a.padding === undefined ? 'pre' : String(a.padding),
      truncating: a.truncating === undefined ? 'pre' : String(a.truncating),
      value: a.value === undefined ? { value: 0, isInt: false } : scalarToJs(a.value),
    }));
  } catch (e) {
    if (e instanceof KerasError) throw pyError(e.pyType, e.message);
    throw e;
  }
}

function scalarToJs(v: PyValue): unknown {
  if (typeof v === 'bigint') return { value: Number(v), isInt: true };
  if (typeof v === 'number') return { value: v, isInt: false };
  if (typeof v === 'boolean') return { value: v ? 1 : 0, isInt: true };
  return v;
}

function makeKeras(load: (name: string) => PyModule | undefined) {
  const session = new KerasSession();
  const keras = new PyModule('keras');
  const layers = new PyModule('keras.layers');
  const utils = new PyModule('keras.utils');
  const preprocessing = new PyModule('keras.preprocessing');
  const sequence = new PyModule('keras.preprocessing.sequence');
  const pad = fn('pad_sequences', padSequencesFn);
  utils.dict.set('pad_sequences', pad);
  // keras.utils.set_random_seed (keras/src/utils/rng_utils.py): seeds Python's random and NumPy's
  // global state, then TensorFlow's, which no op modelled here draws from (the stand-in
  // initialisers do not reproduce Keras's draws, seeded or not)
  utils.dict.set('set_random_seed', fn('set_random_seed', (args, kw, ctx) => {
    const seed = bind('set_random_seed', args, kw, ['seed']).seed ?? null;
    if (typeof seed !== 'bigint' && typeof seed !== 'boolean') {
      throw pyError('ValueError', `Expected \`seed\` argument to be an integer. Received: seed=${ctx.repr(seed)} (of type <class '${typeNameOf(seed)}'>)`);
    }
    for (const module of ['random', 'numpy.random']) {
      (load(module)?.dict.get('seed') as PyBuiltin).fn([seed], new Map(), ctx);
    }
    setGlobalSeed(seed);
    return null;
  }));
  sequence.dict.set('pad_sequences', pad);
  preprocessing.dict.set('sequence', sequence);
  keras.dict.set('layers', layers);
  keras.dict.set('utils', utils);
  keras.dict.set('preprocessing', preprocessing);

  const Layer = new PyClass('Layer', [], 'keras.layers.Layer');
  const method = (name: string, f: NativeFn) => Layer.dict.set(name, new PyBuiltin(name, f));
  // Layer.__init__: a layer supports masking iff its class overrides compute_mask; names are snake_case, made unique
  method('__init__', ([self], kw) => {
    const inst = self as PyInstance;
    inst.dict.set('supports_masking', inst.cls.lookup('compute_mask') !== Layer.dict.get('compute_mask'));
    inst.dict.set('built', false);
    inst.dict.set('trainable', kw.has('trainable') ? kw.get('trainable')! : true);
    const name = kw.get('name');
    inst.dict.set('name', name === undefined || name === null ? session.uniquify(toSnakeCase(inst.cls.name)) : name);
    return null;
  });
  method('build', () => null);
  method('add_weight', (args, kw, ctx) => {
    const a = bind('add_weight', args, kw, ['self', 'shape?', 'initializer?', 'dtype?', 'trainable?', 'autocast?', 'regularizer?', 'constraint?', 'aggregation?', 'overwrite_with_gradient?', 'name?']);
    const self = a.self as PyInstance;
    if (args.length > 4) throw pyError('TypeError', `add_weight() takes at most 3 positional arguments but ${args.length - 1} were given.`);
    if (args.length > 1 && typeof args[1] === 'string') {
      throw pyError('ValueError', `\`name\` must be passed as a keyword argument. Received: add_weight('${args[1]}', ...). Use: add_weight(shape=..., name='${args[1]}').`);
    }
    const shape = a.shape === undefined || a.shape === null ? [] : toShape([a.shape], 'shape');
    const t = Tensor.empty(tfDtype(a.dtype) ?? 'float32', shape);
    const init = a.initializer ?? 'glorot_uniform';
    // add_weight opens the layer's name scope: the variable's path is <layer path>/<name> ("variable" unnamed)
    const variable = () => trackWeight(self, new KerasVariable(t, `${session.layerPath(self)}/${a.name === undefined || a.name === null ? 'variable' : ctx.str(a.name)}`, toBool(a.trainable ?? true, ctx)));
    if (init === 'zeros') return variable();
    if (init === 'ones') {
      t.storage.data.fill(1);
      return variable();
    }
    // Keras draws from TF's own generator, which Mask Lens does not reproduce: a
    // private seeded normal (stddev 0.05) stands in, leaving np.random's stream alone.
    t.storage.data.set(session.weightRng.normal(t.numel, 0, 0.05));
    markStandIn(t);
    return variable();
  });
  // Layer.compute_mask(inputs, previous_mask): the previous mask, passed through
  method('compute_mask', ([, , mask]) => mask ?? null);
  method('__call__', (args, kw, ctx) => layerCall(session, args[0] as PyInstance, args.slice(1), kw, ctx));
  layers.dict.set('Layer', Layer);
  // keras.Model is a Layer that also trains; subclassed models run their call() like any layer
  const Model = new PyClass('Model', [Layer], 'keras.Model');
  keras.dict.set('Model', Model);
  const schedules = new PyModule('keras.optimizers.schedules');
  const LearningRateSchedule = new PyClass('LearningRateSchedule', [], 'keras.optimizers.schedules.LearningRateSchedule');
  LearningRateSchedule.dict.set('__init__', new PyBuiltin('__init__', () => null));
  schedules.dict.set('LearningRateSchedule', LearningRateSchedule);
  const optimizers = new PyModule('keras.optimizers');
  optimizers.dict.set('schedules', schedules);
  keras.dict.set('optimizers', optimizers);

  // keras.losses: the sparse cross-entropy that masked-loss tutorials build on
  const losses = new PyModule('keras.losses');
  const reductionOf = (v: PyValue | undefined): KerasReduction => {
    if (v === undefined || v === null || v === 'none') return v === undefined ? 'sum_over_batch_size' : 'none';
    if (v === 'sum' || v === 'sum_over_batch_size') return v;
    throw pyError('ValueError', `Invalid value for argument \`reduction\`. Expected one of {'sum', 'sum_over_batch_size', None, 'none', 'mean'}. Received: reduction=${typeof v === 'string' ? `'${v}'` : String(v)}`);
  };
  const SparseCE = new PyClass('SparseCategoricalCrossentropy', [], 'keras.losses.SparseCategoricalCrossentropy');
  SparseCE.dict.set('__init__', new PyBuiltin('__init__', ([self, ...args], kw, ctx) => {
    const a = bind('SparseCategoricalCrossentropy', args, kw, ['from_logits?', 'ignore_class?', 'reduction?', 'name?', '**kw']);
    const inst = self as PyInstance;
    inst.dict.set('from_logits', toBool(a.from_logits ?? false, ctx));
    inst.dict.set('ignore_class', a.ignore_class ?? null);
    inst.dict.set('reduction', a.reduction === undefined ? 'sum_over_batch_size' : a.reduction);
    return null;
  }));
  SparseCE.dict.set('__call__', new PyBuiltin('__call__', ([self, ...args], kw, ctx) => {
    const a = bind('__call__', args, kw, ['y_true', 'y_pred', 'sample_weight?']);
    if (a.sample_weight !== undefined && a.sample_weight !== null) throw pyError('NotImplementedError', 'sample_weight in keras losses is not supported by Mask Lens yet');
    const inst = self as PyInstance;
    const ignore = inst.dict.get('ignore_class');
    return wrap(sparseCategoricalCrossentropy(toTf(a.y_true!, ctx), toTf(a.y_pred!, ctx), {
      fromLogits: ctx.truthy(inst.dict.get('from_logits') ?? false),
      ignoreClass: ignore === null || ignore === undefined ? null : toInt(ignore, 'ignore_class'),
      reduction: reductionOf(inst.dict.get('reduction')),
    }));
  }));
  losses.dict.set('SparseCategoricalCrossentropy', SparseCE);
  losses.dict.set('sparse_categorical_crossentropy', new PyBuiltin('sparse_categorical_crossentropy', (args, kw, ctx) => {
    const a = bind('sparse_categorical_crossentropy', args, kw, ['y_true', 'y_pred', 'from_logits?', 'ignore_class?', 'axis?']);
    const ignore = a.ignore_class ?? null;
    return wrap(sparseCategoricalCrossentropy(toTf(a.y_true!, ctx), toTf(a.y_pred!, ctx), {
      fromLogits: toBool(a.from_logits ?? false, ctx), ignoreClass: ignore === null ? null : toInt(ignore, 'ignore_class'), reduction: 'none',
    }));
  }, 'keras.losses.sparse_categorical_crossentropy'));
  keras.dict.set('losses', losses);

  const Embedding = new PyClass('Embedding', [Layer], 'keras.layers.Embedding');
  Embedding.dict.set('__init__', new PyBuiltin('__init__', ([self, ...args], kw, ctx) => {
    const a = bind('Embedding', args, kw, ['input_dim', 'output_dim', 'embeddings_initializer?', 'embeddings_regularizer?', 'embeddings_constraint?', 'mask_zero?', 'input_length?', '**kw']);
    const inst = self as PyInstance;
    ctx.call(Layer.dict.get('__init__')!, [inst], nameKw(a.__kw));
    inst.dict.set('input_dim', a.input_dim!);
    inst.dict.set('output_dim', a.output_dim!);
    inst.dict.set('mask_zero', toBool(a.mask_zero, ctx));
    inst.native.embeddingsInit = a.embeddings_initializer ?? 'uniform';
    inst.dict.set('supports_masking', toBool(a.mask_zero, ctx));
    return null;
  }));
  Embedding.dict.set('build', new PyBuiltin('build', ([self], _kw, ctx) => {
    const inst = self as PyInstance;
    const shape = [toInt(inst.dict.get('input_dim'), 'input_dim'), toInt(inst.dict.get('output_dim'), 'output_dim')];
    const init = inst.native.embeddingsInit as PyValue;
    // "uniform" is RandomUniform(-0.05, 0.05), drawn by the stand-in generator; "ones", Constant(...) are exact
    let t: Tensor;
    if (init === 'uniform') {
      t = Tensor.empty('float32', shape);
      t.storage.data.set(session.weightRng.uniform(t.numel, -0.05, 0.05));
      markStandIn(t);
    } else t = initialValues(session, init, shape, ctx);
    setWeight(session, inst, 'embeddings', t);
    return null;
  }));
  Embedding.dict.set('call', new PyBuiltin('call', ([self, inputs], _kw, ctx) => {
    const w = ((self as PyInstance).dict.get('embeddings') as TfTensor).t;
    const ids = cast(toTf(inputs, ctx), 'int64');
    const n = w.shape[0];
    const bad = ids.values().findIndex((i) => i < 0 || i >= n);
    if (bad !== -1) {
      // GatherV2's message names the multi-index of the first bad id
      const at: number[] = [];
      for (let d = ids.ndim - 1, f = bad; d >= 0; d--) {
        at.unshift(f % ids.shape[d]);
        f = Math.floor(f / ids.shape[d]);
      }
      throw pyError('InvalidArgumentError', `{{function_node __wrapped__GatherV2_device_/job:localhost/replica:0/task:0/device:CPU:0}} indices[${at.join(',')}] = ${ids.values()[bad]} is not in [0, ${n}) [Op:GatherV2]`);
    }
    return wrap(getItem(w, [{ kind: 'tensor', value: ids }]));
  }));
  // compute_mask(inputs, mask=None): a missing `inputs` is Python's TypeError, as Keras's signature gives it
  Embedding.dict.set('compute_mask', symbolicAware(session, 'compute_mask', ([self, ...args], kw, ctx) => {
    const { inputs } = bind('Embedding.compute_mask', args, kw, ['inputs', 'mask?']);
    return ctx.truthy((self as PyInstance).dict.get('mask_zero') ?? false) ? wrap(keptMask(embeddingComputeMask(toTf(inputs!, ctx)))) : null;
  }));
  layers.dict.set('Embedding', Embedding);

  const Masking = new PyClass('Masking', [Layer], 'keras.layers.Masking');
  Masking.dict.set('__init__', new PyBuiltin('__init__', ([self, ...args], kw, ctx) => {
    const a = bind('Masking', args, kw, ['mask_value?', '**kw']);
    const inst = self as PyInstance;
    ctx.call(Layer.dict.get('__init__')!, [inst], nameKw(a.__kw));
    inst.dict.set('mask_value', a.mask_value ?? 0);
    inst.dict.set('supports_masking', true);
    return null;
  }));
  // Masking.call attaches its mask to the output itself (backend.set_keras_mask in keras 3)
  Masking.dict.set('call', new PyBuiltin('call', ([self, inputs], _kw, ctx) => {
    const x = toTf(inputs, ctx), value = toFloat((self as PyInstance).dict.get('mask_value') ?? 0, 'mask_value');
    const out = wrap(maskingApply(x, value));
    out.kerasMask = wrap(keptMask(maskingComputeMask(x, value)));
    return out;
  }));
  // on a KerasTensor, compute_mask's any(not_equal(...)) makes two symbolic tensors: the first takes a name too
  Masking.dict.set('compute_mask', symbolicAware(session, 'compute_mask', ([self, ...args], kw, ctx) => {
    const { inputs } = bind('Masking.compute_mask', args, kw, ['inputs', 'mask?']);
    return wrap(keptMask(maskingComputeMask(toTf(inputs!, ctx), toFloat((self as PyInstance).dict.get('mask_value') ?? 0, 'mask_value'))));
  }, 2));
  layers.dict.set('Masking', Masking);
  installKerasLayers(session, keras, layers, Layer);
  return { keras, layers, utils, preprocessing, sequence, losses, session };
}

/**
 * tf.nn.softmax(x, axis) as TensorFlow computes it eagerly: float32 through oneDNN's kernel
 * (engine/ops/onednn.ts), other dtypes through the engine's softmax. An axis out of range
 * raises as the engine's softmax does.
 */
export function tfSoftmax(x: Tensor, axis: number): Tensor {
  if (x.dtype !== 'float32' || axis < -Math.max(x.ndim, 1) || axis >= Math.max(x.ndim, 1)) return softmax(x, axis);
  return tfSoftmaxFloat32(x, x.ndim === 0 ? [] : [axis < 0 ? axis + x.ndim : axis]);
}

/** The `name=` of a layer's **kwargs, for Layer.__init__. */
function nameKw(kw: Kwargs | undefined): Kwargs {
  const name = kw?.get('name');
  return name === undefined ? new Map() : new Map([['name', name]]);
}

/** A native method that runs symbolically (on probes) when given KerasTensors. */
function symbolicAware(session: KerasSession, name: string, f: NativeFn, symbolicOps = 1): PyBuiltin {
  return new PyBuiltin(name, (args, kw, ctx) => {
    if (!anySymbolic(args, kw)) return f(args, kw, ctx);
    for (let i = 1; i < symbolicOps; i++) session.uniquify('keras_tensor');
    return session.symbolicCall(ctx, new PyBuiltin(name, f), args, kw);
  });
}

/** A mask Keras computed: its convention is True = keep. */
function keptMask(t: Tensor): Tensor {
  noteMaskConsumer(t, 'keras-mask');
  return t;
}

export { typeNameOf };
