// The `torch` module: factories, functional forms of tensor methods, dtypes,
// seeding and print options.

import { DType, DTYPES, TORCH_DTYPE_ALIASES, isFloating, isIntegral, itemsize } from '../../engine/dtype';
import { getSlot, slot } from '../../engine/context';
import { bufferOf } from '../../python/bytes';
import { fromBuffer } from '../numpy/buffer';
import { noteRandom, propagateRandom } from '../../engine/diagnostics';
import { checkBroadcast, checkMaskedFill, noteMaskConsumer } from '../../masks/checks';
import { carryMaskEvidence, noteMaskSource, notePositions } from '../../masks/evidence';
import { runtimeError, valueError } from '../../engine/errors';

import { arange, linspace, maskedFill, softmax, tril, triu } from '../../engine/ops/compose';
import { Scalar, TensorOrScalar, binary, broadcastShapes, cast, castStrided, resultType, checkedConvert, contiguous, cppTypeName, getDefaultDtype, notImplementedFor, scalarTensor, setDefaultDtype, unary, where } from '../../engine/ops/core';
import { cat, expand, permute, reshape, select, stack } from '../../engine/ops/shape';
import { matmul, reduce } from '../../engine/ops/reduce';
import { Tensor, checkAllocation, checkShape, int64At, numelOf, storeInt } from '../../engine/tensor';
import { emptyLikeOrder, placeDraws } from '../../engine/random/fill_order';
import { bind, toBool, toFloat, toInt, toShape } from '../../python/args';
import { pyError } from '../../python/exceptions';
import { contextDecorated } from '../../python/decorators';
import { namedTupleType } from '../../python/builtins';
import {
  CallContext, Kwargs, NativeFn, PyBuiltin, PyClass, PyFunction, PyInstance, PyList, PyModule, PyTuple, PyValue, typeNameOf,
} from '../../python/values';
import { ArrayValue, flattenNested, inferDtype, operand, tensorFromFlat } from '../common';
import { GeneratorObject, makeGenerator, resetTorchRng, rngFromState, rngStateTensor, torchRng } from './random';
import { TorchLayout, TorchMemoryFormat, makeRuntime } from './runtime';
import { fusableSoftmax } from './fused';
import { EXTRA_METHODS, stackFunctions, withOut } from './extra';
import { QUANTILE_METHODS } from './quantile';
import { toSparse } from './sparse';
import { addNorms, normMethod } from './norms';
import { complexFunctions } from './complex';
import { RANDOM_OVERLOADS, sizeArg, sizeArgs } from './size';
import {
  TENSOR_METHODS, TorchDtype, TorchTensor, checkFunctionArguments, checkMethodArguments, allClose, updatePrintOptions, filled, fillScalar, setGradEnabled, setTensorFactory, tensorArg, toDtype, torchSize,
  noteFill, setTensorClass, softmaxCall, track, isForeignDtype, dtypeCombination, formatStrides,
} from './tensor';

/** torch.tensor(data): infer shape and dtype from nested Python data or arrays. */
Object.assign(TENSOR_METHODS, EXTRA_METHODS, QUANTILE_METHODS, { to_sparse: toSparse, norm: normMethod });

export function tensorFromData(v: PyValue, ctx: CallContext, dtype?: DType): Tensor {
  if (v instanceof ArrayValue) return cast(v.t, dtype ?? v.t.dtype);
  const { shape, flat } = flattenNested(v, ctx, (x) => (x instanceof ArrayValue ? x.t : undefined));
  const leafDtype = findLeafDtype(v);
  const d = dtype ?? leafDtype ?? inferDtype(flat);
  // torch.tensor range-checks Python numbers going into an integer dtype (tensor_new.cpp); floats round freely.
  // An int beyond int64 fails first, in THPUtils_unpackLong (ValueError); into bool it is just truthy.
  if (isIntegral(d)) {
    for (const x of flat) {
      if (typeof x === 'bigint' && (x < -(2n ** 63n) || x >= 2n ** 63n)) throw valueError('Overflow when unpacking long long');
      checkedConvert(x as Scalar, d, d);
    }
  }
  return tensorFromFlat(flat, shape, d);
}

function findLeafDtype(v: PyValue): DType | undefined {
  if (v instanceof ArrayValue) return v.t.dtype;
  if ((v instanceof PyList || v instanceof PyTuple) && v.items.length) return findLeafDtype(v.items[0]);
  return undefined;
}

setTensorFactory(tensorFromData);

const fn = (name: string, f: NativeFn) => new PyBuiltin(name, f, `torch.${name}`);

const ARANGE_SIGNATURES = [
  '(Number end, *, Tensor out = None, torch.dtype dtype = None, torch.layout layout = None, torch.device device = None, bool pin_memory = False, bool requires_grad = False)',
  '(Number start, Number end, *, torch.dtype dtype = None, torch.layout layout = None, torch.device device = None, bool pin_memory = False, bool requires_grad = False)',
  '(Number start, Number end, Number step = 1, *, Tensor out = None, torch.dtype dtype = None, torch.layout layout = None, torch.device device = None, bool pin_memory = False, bool requires_grad = False)',
];

function factory(name: string, value: number | null): NativeFn {
  return (args, kw) => {
    const a = bind(name, args, kw, ['*size', 'dtype?', 'device?', 'requires_grad?', 'layout?', 'out?', 'pin_memory?']);
    const shape = sizeArgs(name, a.__rest ?? [], kw);
    // ATen's zeros has its own check before the allocator's
    if (name === 'zeros' && shape.some((d) => d < 0)) throw runtimeError('zeros: Dimension size must be non-negative.');
    const t = new TorchTensor(filled(shape, value ?? 0, toDtype(a.dtype, `${name}(): argument 'dtype'`) ?? getDefaultDtype()));
    if (a.requires_grad === true) t.requiresGrad = true;
    return t;
  };
}

function likeFactory(name: string, value: number | 'rand' | 'randn'): NativeFn {
  return (args, kw) => {
    const a = bind(name, args, kw, ['input', 'dtype?', 'device?', 'requires_grad?', 'memory_format?', 'layout?']);
    const x = tensorArg(a.input, name);
    const d = toDtype(a.dtype, `${name}(): argument 'dtype'`) ?? x.dtype;
    // empty_like keeps a dense input's strides (memory_format=torch.preserve_format): draws land in its memory order (see fill_order.ts)
    const strides = formatStrides(x, a.memory_format);
    const order = emptyLikeOrder(x, strides);
    if (value === 'rand') return new TorchTensor(inLayout(fromArray(x.shape, d, placeDraws(torchRng().uniform(x.numel, 0, 1, d), order)), strides));
    if (value === 'randn') return new TorchTensor(inLayout(fromArray(x.shape, d, placeDraws(torchRng().normal(x.numel, 0, 1, d, order === undefined), order)), strides));
    // every element holds the same value: the storage reads the same in any layout
    const f = filled([...x.shape], value, d);
    return new TorchTensor(new Tensor(f.storage, d, f.shape, strides));
  };
}

/**
 * A contiguous `t` (a fresh factory result) rewritten with the dense
 * `strides`, the same values at the same indices; the random mark and
 * other evidence live on the storage it keeps when nothing moves.
 */
function inLayout(t: Tensor, strides: readonly number[]): Tensor {
  if (t.strides.every((s, i) => s === strides[i])) return t;
  const r = castStrided(t, t.dtype, strides);
  return propagateRandom(r, t);
}

/** A tensor of generator output (every caller draws from torchRng), marked random for mask classification. */
function fromArray(shape: readonly number[], dtype: DType, values: ArrayLike<number>): Tensor {
  return noteRandom(fromDraws(shape, dtype, values));
}

/** Generator output that is data, not a mask's draw (randint token ids, randperm): left unmarked. */
function fromDraws(shape: readonly number[], dtype: DType, values: ArrayLike<number>): Tensor {
  const t = Tensor.empty(dtype, shape);
  t.storage.data.set(values);
  return t;
}

/** Functional form of a tensor method: torch.f(x, ...) == x.f(...). */
/**
 * Functional forms whose `input` may be a Python number: the arithmetic ones
 * with any second operand (torch.add(1, 2) is tensor(3)), and those with a
 * Scalar-self overload only when the other operand is a tensor
 * (torch.pow(2, t), torch.remainder(5, t), torch.bitwise_and(1, t)). Every
 * other one refuses a number, as PyTorch 2.x's argument parser does
 * (torch.logical_and(1, 2): TypeError).
 */
const NUMBER_INPUT = new Set(['add', 'sub', 'mul', 'div', 'subtract', 'multiply', 'divide', 'true_divide', 'floor_divide']);
const NUMBER_INPUT_WITH_TENSOR = new Set(['pow', 'remainder', 'bitwise_and', 'bitwise_or', 'bitwise_xor']);

// TORCH_WARN_ONCE: torch.frombuffer's non-writable-buffer warning shows once per run
const FROMBUFFER_WARNED = slot('torch.frombuffer.warned', () => ({ warned: false }));

function method(name: string, target = name): PyBuiltin {
  return fn(name, (args, kw, ctx) => {
    checkFunctionArguments(name, args.length, kw);
    let self = args[0];
    let rest = args.slice(1);
    if (self === undefined && kw.has('input')) {
      self = kw.get('input')!;
      kw = new Map([...kw].filter(([k]) => k !== 'input'));
      rest = [];
    }
    if (!(self instanceof TorchTensor)) {
      const o = operand(self ?? null);
      const other = rest[0] ?? kw.get('other') ?? kw.get('exponent');
      const numberAllowed = NUMBER_INPUT.has(name) || (NUMBER_INPUT_WITH_TENSOR.has(name) && other instanceof TorchTensor);
      if (o === undefined || o instanceof Tensor || !numberAllowed) {
        throw pyError('TypeError', `${name}(): argument 'input' (position 1) must be Tensor, not ${typeNameOf(self ?? null)}`);
      }
      self = new TorchTensor(scalarTensor(o));
    }
    const out = kw.get('out');
    if (out !== undefined) kw = new Map([...kw].filter(([k]) => k !== 'out'));
    return withOut(TENSOR_METHODS[target](self as TorchTensor, rest, kw, ctx), out);
  });
}

function legacyConstructor(name: string, dtype: DType): PyClass {
  const cls = new PyClass(name, []);
  (cls as PyClass & { matches?: (v: PyValue) => boolean }).matches = (v) => v instanceof TorchTensor && v.t.dtype === dtype;
  cls.dict.set('__new__', new PyBuiltin('__new__', ([, ...args], _kw, ctx) => {
    if (args.length === 1 && (args[0] instanceof PyList || args[0] instanceof PyTuple || args[0] instanceof ArrayValue)) {
      return new TorchTensor(tensorFromData(args[0], ctx, dtype));
    }
    if (args.length === 0) return new TorchTensor(Tensor.empty(dtype, [0]));
    return new TorchTensor(filled(toShape(args, 'size'), 0, dtype));
  }));
  return cls;
}

function randomTensor(name: string, kind: 'rand' | 'randn'): NativeFn {
  return (args, kw) => {
    const a = bind(name, args, kw, ['*size', 'generator?', 'dtype?', 'device?', 'requires_grad?', 'out?', 'layout?']);
    const shape = sizeArgs(name, a.__rest ?? [], kw, 'size', RANDOM_OVERLOADS);
    checkShape(shape);
    // the draws come before the tensor: its size is checked first
    checkAllocation(toDtype(a.dtype, `${name}(): argument 'dtype'`) ?? getDefaultDtype(), numelOf(shape));
    const d = toDtype(a.dtype, `${name}(): argument 'dtype'`) ?? getDefaultDtype();
    if (!isFloating(d)) {
      throw notImplementedFor(kind === 'rand' ? 'check_uniform_bounds' : 'normal_kernel_cpu', d);
    }
    const n = shape.reduce((p, q) => p * q, 1);
    const vals = kind === 'rand' ? torchRng(a.generator).uniform(n, 0, 1, d) : torchRng(a.generator).normal(n, 0, 1, d);
    const t = new TorchTensor(fromArray(shape, d, vals));
    if (a.requires_grad === true) t.requiresGrad = true;
    return t;
  };
}

function tensorsArg(v: PyValue | undefined, name: string): Tensor[] {
  if (!(v instanceof PyList || v instanceof PyTuple)) {
    throw pyError('TypeError', `${name}(): argument 'tensors' (position 1) must be tuple of Tensors, not ${typeNameOf(v ?? null)}`);
  }
  return v.items.map((x, i) => {
    if (!(x instanceof ArrayValue)) {
      throw pyError('TypeError', `expected Tensor as element ${i} in argument 0, but got ${typeNameOf(x)}`);
    }
    return x.t;
  });
}

class NoGrad extends PyInstance {}

function printOptions(args: PyValue[], kw: Kwargs): PyValue {
  const a = bind('set_printoptions', args, kw, ['precision?', 'threshold?', 'edgeitems?', 'linewidth?', 'profile?', 'sci_mode?']);
  updatePrintOptions({
    precision: a.precision === undefined || a.precision === null ? undefined : toInt(a.precision, 'precision'),
    threshold: a.threshold === undefined || a.threshold === null ? undefined : toFloat(a.threshold, 'threshold'),
    edgeitems: a.edgeitems === undefined || a.edgeitems === null ? undefined : toInt(a.edgeitems, 'edgeitems'),
    linewidth: a.linewidth === undefined || a.linewidth === null ? undefined : toInt(a.linewidth, 'linewidth'),
    profile: typeof a.profile === 'string' ? (a.profile as 'default' | 'short' | 'full') : undefined,
    sciMode: a.sci_mode === undefined ? undefined : a.sci_mode === null ? null : a.sci_mode === true,
  });
  return null;
}

/** torch.softmax's parameters (its binding and the fused masked softmax's, fused.ts). */
const SOFTMAX_SIGNATURE = ['input', 'dim', 'dtype?'];

export function makeTorchModule(ctxClasses: { nn: () => PyModule }): PyModule {
  const m = new PyModule('torch');
  const set = (name: string, v: PyValue) => m.dict.set(name, v);
  for (const [name, v] of Object.entries(makeRuntime(ctxClasses.nn))) set(name, v);
  set('torch', m);
  const def = (name: string, f: NativeFn) => set(name, fn(name, f));

  for (const d of DTYPES) set(d, TorchDtype.of(d));
  for (const [alias, d] of Object.entries(TORCH_DTYPE_ALIASES)) set(alias, TorchDtype.of(d));
  set('cfloat', TorchDtype.of('float32'));
  set('inf', Infinity);
  set('strided', TorchLayout.STRIDED);
  set('sparse_coo', TorchLayout.SPARSE_COO);
  for (const f of [TorchMemoryFormat.CONTIGUOUS, TorchMemoryFormat.PRESERVE, TorchMemoryFormat.CHANNELS_LAST, TorchMemoryFormat.CHANNELS_LAST_3D]) set(f.name, f);
  set('nan', NaN);
  set('pi', Math.PI);
  set('e', Math.E);
  set('__version__', '2.13.0+cpu');

  def('tensor', (args, kw, ctx) => {
    const a = bind('tensor', args, kw, ['data', 'dtype?', 'device?', 'requires_grad?', 'pin_memory?']);
    if (a.data instanceof TorchTensor) {
      ctx.warn('To copy construct from a tensor, it is recommended to use sourceTensor.clone().detach() or sourceTensor.clone().detach().requires_grad_(True), rather than torch.tensor(sourceTensor).');
    }
    const t = new TorchTensor(tensorFromData(a.data!, ctx, toDtype(a.dtype, "tensor(): argument 'dtype'")));
    if (a.requires_grad === true) {
      if (!isFloating(t.t.dtype)) throw runtimeError('Only Tensors of floating point and complex dtype can require gradients');
      t.requiresGrad = true;
    }
    return t;
  });
  def('as_tensor', (args, kw, ctx) => {
    const a = bind('as_tensor', args, kw, ['data', 'dtype?', 'device?']);
    if (a.data instanceof TorchTensor && (a.dtype === undefined || toDtype(a.dtype, "as_tensor(): argument 'dtype'") === a.data.t.dtype)) return a.data;
    if (a.data instanceof ArrayValue && (a.dtype === undefined || toDtype(a.dtype, "as_tensor(): argument 'dtype'") === a.data.t.dtype)) return new TorchTensor(a.data.t);
    return new TorchTensor(tensorFromData(a.data!, ctx, toDtype(a.dtype, "as_tensor(): argument 'dtype'")));
  });
  // torch.frombuffer(buffer, *, dtype, count=-1, offset=0, requires_grad=False) (torch/csrc/utils/tensor_new.cpp):
  // a 1-D tensor over the buffer's bytes, sharing them (see fromBuffer); a read-only buffer (bytes) still gives
  // a writable tensor, with PyTorch's UserWarning, once per run
  def('frombuffer', (args, kw, ctx) => {
    if (args.length > 1) throw pyError('TypeError', `frombuffer() takes 1 positional argument but ${args.length} were given`);
    const a = bind('frombuffer', args, kw, ['buffer', 'dtype?', 'count?', 'offset?', 'requires_grad?']);
    if (a.dtype === undefined) throw pyError('TypeError', 'frombuffer() missing 1 required positional arguments: "dtype"');
    const buffer = bufferOf(a.buffer ?? null);
    if (!buffer) throw pyError('ValueError', 'object does not implement Python buffer protocol.');
    const dtype = toDtype(a.dtype, "frombuffer(): argument 'dtype'")!;
    const count = a.count === undefined ? -1 : toInt(a.count, 'count');
    const offset = a.offset === undefined ? 0 : toInt(a.offset, 'offset');
    const length = buffer.data.length, size = itemsize(dtype);
    if (length === 0 || count === 0) throw pyError('ValueError', `both buffer length (${length}) and count (${count}) must not be 0`);
    if (offset < 0 || offset >= length) throw pyError('ValueError', `offset (${offset} bytes) must be non-negative and no greater than buffer length (${length} bytes) minus 1`);
    if (count < 0 && (length - offset) % size !== 0) {
      throw pyError('ValueError', `buffer length (${length - offset} bytes) after offset (${offset} bytes) must be a multiple of element size (${size})`);
    }
    if (count > 0 && count * size > length - offset) {
      throw pyError('ValueError', `requested buffer length (${count} * ${size} bytes) after offset (${offset} bytes) must not be greater than actual buffer length (${length} bytes)`);
    }
    if (!buffer.writable && !getSlot(FROMBUFFER_WARNED).warned) {
      getSlot(FROMBUFFER_WARNED).warned = true;
      ctx.warn('The given buffer is not writable, and PyTorch does not support non-writable tensors. This means you can write to the underlying (supposedly non-writable) buffer using the tensor. You may want to copy the buffer to protect its data or make it writable before converting it to a tensor. This type of warning will be suppressed for the rest of this program. (Triggered internally at /__w/pytorch/pytorch/torch/csrc/utils/tensor_new.cpp:1556.)');
    }
    const t = new TorchTensor(fromBuffer(buffer.data, dtype, count, offset));
    if (toBool(a.requires_grad ?? false, ctx)) t.requiresGrad = true;
    return t;
  });
  def('from_numpy', ([x]) => {
    if (!(x instanceof ArrayValue) || x.library !== 'numpy') {
      throw pyError('TypeError', `expected np.ndarray (got ${typeNameOf(x ?? null)})`);
    }
    return new TorchTensor(x.t); // shares memory, as torch.from_numpy does
  });
  // torch.bucketize(input, boundaries, *, out_int32=False, right=False) (ATen bucketize_cpu): for each
  // value the first index whose boundary is >= it (> it with right=True), found by the same binary
  // search, so NaN lands past the end; a Python number gives a 0-d result. boundaries must be 1-D.
  def('bucketize', (args, kw, ctx) => {
    const a = bind('bucketize', args, kw, ['input', 'boundaries', 'out_int32?', 'right?', 'out?']);
    const bounds = tensorArg(a.boundaries, 'bucketize', 'boundaries');
    if (bounds.ndim !== 1) throw runtimeError(`boundaries tensor must be 1 dimension, but got dim(${bounds.ndim})`);
    const o = operand(a.input ?? null);
    if (o === undefined) throw pyError('TypeError', `bucketize(): argument 'input' must be Tensor, not ${typeNameOf(a.input ?? null)}`);
    const [shape, values] = o instanceof Tensor ? [o.shape, Array.from(o.values(), Number)] : [[], [Number(o)]];
    const b = Array.from(bounds.values(), Number);
    const right = toBool(a.right, ctx);
    const out = Tensor.empty(toBool(a.out_int32, ctx) ? 'int32' : 'int64', shape);
    values.forEach((v, i) => {
      let lo = 0, hi = b.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        // ATen's cus_lower_bound / cus_upper_bound: move right unless the boundary is >= (or >) the value
        if (right ? !(b[mid] > v) : !(b[mid] >= v)) lo = mid + 1;
        else hi = mid;
      }
      out.storage.data[i] = lo;
    });
    return new TorchTensor(out);
  });
  def('is_tensor', ([x]) => x instanceof TorchTensor);
  def('numel', ([x]) => BigInt(tensorArg(x, 'numel').numel));
  def('zeros', factory('zeros', 0));
  def('ones', factory('ones', 1));
  def('empty', factory('empty', 0));
  def('full', (args, kw) => {
    const a = bind('full', args, kw, ['size', 'fill_value', 'dtype?', 'device?', 'requires_grad?', 'layout?', 'out?']);
    const v = a.fill_value!;
    const d = toDtype(a.dtype, "full(): argument 'dtype'") ?? (typeof v === 'boolean' ? 'bool' : typeof v === 'bigint' ? 'int64' : getDefaultDtype());
    return new TorchTensor(filled(sizeArg('full', 'size', 1, a.size, kw), fillScalar(v, 'fill_value'), d));
  });
  def('zeros_like', likeFactory('zeros_like', 0));
  def('ones_like', likeFactory('ones_like', 1));
  def('empty_like', likeFactory('empty_like', 0));
  def('rand_like', likeFactory('rand_like', 'rand'));
  def('randn_like', likeFactory('randn_like', 'randn'));
  // torch.randint_like(input, high) / (input, low, high): random_(low, high) into empty_like(input)
  def('randint_like', (args, kw) => {
    const a = bind('randint_like', args, kw, ['input', 'low?', 'high?', 'generator?', 'dtype?', 'device?', 'requires_grad?', 'memory_format?', 'layout?']);
    const x = tensorArg(a.input, 'randint_like');
    const [low, high] = a.high === undefined ? [0, toInt(a.low, 'high')] : [toInt(a.low, 'low'), toInt(a.high, 'high')];
    if (low >= high) throw runtimeError(`random_ expects 'from' to be less than 'to', but got from=${low} >= to=${high}`);
    const d = toDtype(a.dtype, "randint_like(): argument 'dtype'") ?? x.dtype;
    const strides = formatStrides(x, a.memory_format);
    return new TorchTensor(inLayout(fromDraws(x.shape, d, placeDraws(torchRng(a.generator).randint(x.numel, low, high, d), emptyLikeOrder(x, strides))), strides));
  });
  def('full_like', (args, kw) => {
    const a = bind('full_like', args, kw, ['input', 'fill_value', 'dtype?', 'device?']);
    const x = tensorArg(a.input, 'full_like');
    return new TorchTensor(filled([...x.shape], fillScalar(a.fill_value, 'fill_value'), toDtype(a.dtype, "full_like(): argument 'dtype'") ?? x.dtype));
  });
  def('rand', randomTensor('rand', 'rand'));
  def('randn', randomTensor('randn', 'randn'));
  def('randint', (args, kw) => {
    const a = bind('randint', args, kw, ['low?', 'high?', 'size?', 'generator?', 'dtype?', 'device?', 'requires_grad?']);
    // PyTorch's two signatures: randint(high, size) and randint(low, high, size)
    const twoArgs = a.size === undefined ? a.high !== undefined : a.high === undefined;
    const [lowArg, highArg, sizeValue] = twoArgs ? [undefined, a.low, a.size ?? a.high] : [a.low, a.high, a.size];
    const shape = sizeArg('randint', 'size', twoArgs ? 2 : 3, sizeValue, kw);
    const low = lowArg === undefined ? 0 : toInt(lowArg, 'low');
    const high = toInt(highArg, 'high');
    checkShape(shape);
    checkAllocation(toDtype(a.dtype, "randint(): argument 'dtype'") ?? 'int64', numelOf(shape));
    if (low >= high) throw runtimeError(`random_ expects 'from' to be less than 'to', but got from=${low} >= to=${high}`);
    const d = toDtype(a.dtype, "randint(): argument 'dtype'") ?? 'int64';
    return new TorchTensor(fromDraws(shape, d, torchRng(a.generator).randint(shape.reduce((p, q) => p * q, 1), low, high, d)));
  });
  def('randperm', (args, kw) => {
    const a = bind('randperm', args, kw, ['n', 'generator?', 'dtype?', 'device?', 'requires_grad?']);
    const n = toInt(a.n, 'n');
    checkAllocation(toDtype(a.dtype, "randperm(): argument 'dtype'") ?? 'int64', n);
    return new TorchTensor(fromDraws([n], toDtype(a.dtype, "randperm(): argument 'dtype'") ?? 'int64', torchRng(a.generator).randperm(n)));
  });
  def('bernoulli', (args, kw) => {
    const a = bind('bernoulli', args, kw, ['input', 'p?', 'generator?']);
    const x = tensorArg(a.input, 'bernoulli');
    const vals = a.p !== undefined ? torchRng(a.generator).bernoulliScalar(x.numel, toFloat(a.p, 'p')) : torchRng(a.generator).bernoulli(x.values(), x.dtype);
    return new TorchTensor(fromArray(x.shape, x.dtype, vals));
  });
  def('normal', (args, kw) => {
    const a = bind('normal', args, kw, ['mean', 'std?', 'size?', 'generator?', 'dtype?']);
    const size = a.size !== undefined ? sizeArg('normal', 'size', 3, a.size, kw) : null;
    if (!size) throw runtimeError('torch.normal with tensor mean/std is not supported by Mask Lens');
    const n = size.reduce((p, q) => p * q, 1);
    checkAllocation(getDefaultDtype(), n);
    return new TorchTensor(fromArray(size, getDefaultDtype(), torchRng(a.generator).normal(n, toFloat(a.mean, 'mean'), a.std === undefined ? 1 : toFloat(a.std, 'std'), getDefaultDtype())));
  });
  const ISIN_SIGNATURES = [
    '(Tensor elements, Tensor test_elements, *, bool assume_unique = False, bool invert = False, Tensor out = None)',
    '(Number element, Tensor test_elements, *, bool assume_unique = False, bool invert = False, Tensor out = None)',
    '(Tensor elements, Number test_element, *, bool assume_unique = False, bool invert = False, Tensor out = None)',
  ];
  /**
   * torch.isin(elements, test_elements, *, assume_unique=False, invert=False):
   * bool, the shape of `elements` (0-d for a number), True where an element
   * equals any test element after type promotion (NaN matches nothing), as
   * ATen's isin_default_kernel ORs `elements == test_elements[i]`. TypeError
   * unless one side is a tensor and the other a tensor or number; bool inputs
   * raise ATen's RuntimeError.
   */
  def('isin', (args, kw, ctx) => {
    const a = bind('isin', args, kw, ['elements', 'test_elements', 'assume_unique?', 'invert?', 'out?']);
    const isNumber = (v: PyValue | undefined) => typeof v === 'bigint' || typeof v === 'number' || typeof v === 'boolean';
    const el = a.elements, test = a.test_elements;
    const ok = el instanceof TorchTensor ? test instanceof TorchTensor || isNumber(test) : isNumber(el) && test instanceof TorchTensor;
    if (!ok) throw dtypeCombination('isin', args, kw, ISIN_SIGNATURES);
    const x: Tensor = el instanceof TorchTensor ? el.t : scalarTensor(el as Scalar);
    const flat = test instanceof TorchTensor ? reshape(test.t, [-1]) : undefined;
    const tests: TensorOrScalar[] = flat ? Array.from({ length: flat.numel }, (_, i) => select(flat, 0, i)) : [test as Scalar];
    if (x.dtype === 'bool' || (test instanceof TorchTensor && test.t.dtype === 'bool')) throw runtimeError('Unsupported input type encountered for isin(): Bool');
    // compare in the common dtype of the two inputs (a test tensor's elements keep its dtype's rank, not a 0-d one's)
    const common = test instanceof TorchTensor ? resultType(el instanceof TorchTensor ? el.t : (el as Scalar), test.t) : resultType(x, test as Scalar);
    const xs = cast(x, common);
    let r = filled([...x.shape], 0, 'bool');
    for (const t of tests) r = binary('or', r, binary('eq', xs, t instanceof Tensor ? cast(t, common) : t));
    if (toBool(a.invert, ctx)) r = unary('not', r);
    return new TorchTensor(carryMaskEvidence(r, x));
  });
  const defaultGenerator = new GeneratorObject('cpu', true);
  def('manual_seed', ([seed]) => {
    resetTorchRng(0);
    torchRng().manualSeed(typeof seed === 'bigint' ? seed : BigInt(toInt(seed, 'seed')));
    // torch.manual_seed returns torch.default_generator
    return defaultGenerator;
  });
  set('default_generator', defaultGenerator);
  def('Generator', (args, kw) => makeGenerator(args, kw));
  def('get_rng_state', () => rngStateTensor(torchRng()));
  def('set_rng_state', ([state]) => {
    defaultGenerator.rng = rngFromState(state);
    return null;
  });
  def('seed', () => BigInt(torchRng().initialSeed()));
  def('initial_seed', () => BigInt(torchRng().initialSeed()));
  def('set_printoptions', printOptions);
  def('set_default_dtype', ([d]) => {
    setDefaultDtype(toDtype(d)!);
    return null;
  });
  def('get_default_dtype', () => TorchDtype.of(getDefaultDtype()));
  def('set_grad_enabled', ([on], _kw, ctx) => {
    setGradEnabled(ctx.truthy(on));
    return null;
  });
  def('is_grad_enabled', () => {
    const prev = setGradEnabled(true);
    setGradEnabled(prev);
    return prev;
  });
  def('arange', (args, kw) => {
    const a = bind('arange', args, kw, ['start', 'end?', 'step?', 'dtype?', 'device?', 'requires_grad?', 'layout?', 'out?']);
    if (isForeignDtype(a.dtype)) throw dtypeCombination('arange', args, kw, ARANGE_SIGNATURES);
    const nums = [a.start, a.end, a.step].filter((x) => x !== undefined && x !== null) as PyValue[];
    const [start, end, step] = nums.length === 1 ? [0, toFloat(nums[0], 'end'), 1] : [toFloat(nums[0], 'start'), toFloat(nums[1], 'end'), nums[2] === undefined ? 1 : toFloat(nums[2], 'step')];
    const d = toDtype(a.dtype) ?? (a.out instanceof TorchTensor ? a.out.t.dtype : nums.some((x) => typeof x === 'number') ? getDefaultDtype() : 'int64');
    return withOut(new TorchTensor(notePositions(arange(start, end, step, d))), a.out);
  });
  def('linspace', (args, kw) => {
    const a = bind('linspace', args, kw, ['start', 'end', 'steps', 'dtype?', 'device?', 'requires_grad?']);
    return new TorchTensor(linspace(toFloat(a.start, 'start'), toFloat(a.end, 'end'), toInt(a.steps, 'steps'), toDtype(a.dtype, "linspace(): argument 'dtype'") ?? getDefaultDtype()));
  });
  def('eye', (args, kw) => {
    const a = bind('eye', args, kw, ['n', 'm?', 'dtype?', 'device?', 'requires_grad?']);
    const n = toInt(a.n, 'n'), cols = a.m === undefined || a.m === null ? n : toInt(a.m, 'm');
    const t = Tensor.empty(toDtype(a.dtype, "eye(): argument 'dtype'") ?? getDefaultDtype(), [n, cols]);
    for (let i = 0; i < Math.min(n, cols); i++) t.storage.data[i * cols + i] = 1;
    return new TorchTensor(t);
  });
  def('cat', (args, kw) => {
    const a = bind('cat', args, kw, ['tensors', 'dim?', 'axis?', 'out?']);
    const ts = tensorsArg(a.tensors, 'cat');
    const dim = a.dim !== undefined ? toInt(a.dim, 'dim') : a.axis !== undefined ? toInt(a.axis, 'axis') : 0;
    // cached zeros joined to a triu(-inf) (llama's KV-cache mask) is still mask-built
    return withOut(track(new TorchTensor(carryMaskEvidence(cat(ts, dim), ...ts)), 'cat', ...((a.tensors as PyList).items)), a.out);
  });
  m.dict.set('concat', m.dict.get('cat')!);
  m.dict.set('concatenate', m.dict.get('cat')!);
  def('stack', (args, kw) => {
    const a = bind('stack', args, kw, ['tensors', 'dim?', 'out?']);
    const ts = tensorsArg(a.tensors, 'stack');
    return track(new TorchTensor(carryMaskEvidence(stack(ts, a.dim === undefined ? 0 : toInt(a.dim, 'dim')), ...ts)), 'stack', ...((a.tensors as PyList).items));
  });
  def('where', (args, kw, ctx) => {
    const a = bind('where', args, kw, ['condition', 'input?', 'other?']);
    const cond = tensorArg(a.condition, 'where', 'condition');
    if (a.input === undefined) return TENSOR_METHODS.nonzero(new TorchTensor(cond), [], new Map([['as_tuple', true]]), ctx);
    const x = operand(a.input), y = operand(a.other ?? null);
    if (x === undefined || y === undefined) throw pyError('TypeError', 'where(): argument \'input\' must be Tensor');
    noteMaskConsumer(cond, 'where');
    checkBroadcast([{ label: 'condition', t: cond }, ...(x instanceof Tensor ? [{ label: 'input', t: x }] : []), ...(y instanceof Tensor ? [{ label: 'other', t: y }] : [])], 'torch.where');
    return track(new TorchTensor(where(cond, x, y)), 'where', a.input, a.other ?? null);
  });
  def('masked_fill', (args, kw) => {
    const a = bind('masked_fill', args, kw, ['input', 'mask', 'value']);
    const v = operand(a.value ?? null);
    if (v === undefined) throw pyError('TypeError', 'masked_fill(): argument \'value\' must be Number');
    const input = tensorArg(a.input, 'masked_fill'), mask = tensorArg(a.mask, 'masked_fill', 'mask');
    noteMaskConsumer(mask, 'masked_fill');
    checkBroadcast([{ label: 'input', t: input }, { label: 'mask', t: mask }], 'masked_fill');
    checkMaskedFill(input, mask, v, 'masked_fill');
    return track(new TorchTensor(noteFill(maskedFill(input, mask, v), input, mask, v)), 'masked_fill', a.input!);
  });
  def('softmax', (args, kw) => {
    const a = bind('softmax', args, kw, SOFTMAX_SIGNATURE);
    return track(new TorchTensor(softmaxCall('softmax', tensorArg(a.input, 'softmax'), a, false)), 'softmax', a.input!);
  });
  fusableSoftmax(m.dict.get('softmax')!, 'softmax', SOFTMAX_SIGNATURE);
  def('log_softmax', (args, kw) => {
    const a = bind('log_softmax', args, kw, ['input', 'dim', 'dtype?']);
    return track(new TorchTensor(softmaxCall('log_softmax', tensorArg(a.input, 'log_softmax'), a, true)), 'log_softmax', a.input!);
  });
  def('triu', (args, kw) => {
    const a = bind('triu', args, kw, ['input', 'diagonal?', 'out?']);
    return track(new TorchTensor(noteMaskSource(triu(tensorArg(a.input, 'triu'), a.diagonal === undefined ? 0 : toInt(a.diagonal, 'diagonal')))), 'triu', a.input!);
  });
  def('tril', (args, kw) => {
    const a = bind('tril', args, kw, ['input', 'diagonal?', 'out?']);
    return track(new TorchTensor(noteMaskSource(tril(tensorArg(a.input, 'tril'), a.diagonal === undefined ? 0 : toInt(a.diagonal, 'diagonal')))), 'tril', a.input!);
  });
  def('broadcast_to', (args, kw) => {
    const a = bind('broadcast_to', args, kw, ['input', 'size']);
    return new TorchTensor(expand(tensorArg(a.input, 'broadcast_to'), sizeArg('broadcast_to', 'size', 2, a.size, kw)));
  });
  def('allclose', (args, kw, ctx) => {
    const a = bind('allclose', args, kw, ['input', 'other', 'rtol?', 'atol?', 'equal_nan?']);
    return allClose(tensorArg(a.input, 'allclose'), tensorArg(a.other, 'allclose', 'other'), a, ctx);
  });
  def('isclose', (args, kw, ctx) => {
    const a = bind('isclose', args, kw, ['input', 'other', 'rtol?', 'atol?', 'equal_nan?']);
    const x = tensorArg(a.input, 'isclose'), y = tensorArg(a.other, 'isclose', 'other');
    const rtol = a.rtol === undefined ? 1e-5 : toFloat(a.rtol, 'rtol'), atol = a.atol === undefined ? 1e-8 : toFloat(a.atol, 'atol');
    void ctx;
    const close = binary('le', unary('abs', binary('sub', x, y)), binary('add', binary('mul', unary('abs', y), rtol), atol));
    return new TorchTensor(binary('or', close, binary('eq', x, y)));
  });
  // Each is a context manager and, like torch's _DecoratorContextManager, a decorator,
  // with or without the call: @torch.no_grad, @torch.no_grad(), @torch.inference_mode().
  const gradMode = (name: string, enable: boolean) => def(name, ([f]) => {
    if (f instanceof PyFunction || f instanceof PyBuiltin) return contextDecorated(f, () => noGradContext(enable));
    return noGradContext(enable);
  });
  gradMode('no_grad', false);
  gradMode('inference_mode', false);
  gradMode('enable_grad', true);
  def('finfo', ([d]) => finfo(toDtype(d ?? TorchDtype.of(getDefaultDtype()))!));
  def('iinfo', ([d]) => iinfo(toDtype(d)!));
  def('result_type', ([a, b]) => {
    const x = operand(a ?? null), y = operand(b ?? null);
    if (x === undefined || y === undefined) throw pyError('TypeError', 'result_type() arguments must be Tensor or Number');
    return TorchDtype.of(resultTypeOf(x, y));
  });
  def('promote_types', ([a, b]) => TorchDtype.of(binary('add', Tensor.empty(toDtype(a)!, [1]), Tensor.empty(toDtype(b)!, [1])).dtype));
  def('einsum', (args) => {
    const [eq, ...rest] = args;
    if (typeof eq !== 'string') throw pyError('TypeError', 'einsum(): argument \'equation\' must be str');
    const ops = rest.length === 1 && (rest[0] instanceof PyList || rest[0] instanceof PyTuple) ? (rest[0] as PyList).items : rest;
    const tensors = ops.map((o) => tensorArg(o, 'einsum', 'operands'));
    const plain = expandEllipsis(eq, tensors);
    return track(new TorchTensor(einsum(plain, tensors)), einsumNode(plain, ops.length), ...ops);
  });
  def('cdist', (args, kw) => {
    const a = bind('cdist', args, kw, ['x1', 'x2', 'p?', 'compute_mode?']);
    const p = a.p === undefined ? 2 : toFloat(a.p, 'p');
    return track(new TorchTensor(cdist(tensorArg(a.x1, 'cdist'), tensorArg(a.x2, 'cdist'), p)), 'cdist', a.x1!, a.x2!);
  });
  // torch.Size is a class (a tuple subclass): isinstance(x.shape, torch.Size), type(x.shape) is torch.Size
  const sizeClass = namedTupleType('torch.Size');
  sizeClass.dict.set('__new__', new PyBuiltin('__new__', ([, shape], _kw, ctx) => torchSize(shape === undefined ? [] : ctx.iterate(shape).map((x) => toInt(x, 'size')))));
  set('Size', sizeClass);

  const tensorClass = new PyClass('Tensor', [], 'torch.Tensor');
  (tensorClass as PyClass & { matches?: (v: PyValue) => boolean }).matches = (v) => v instanceof TorchTensor;
  tensorClass.dict.set('__new__', new PyBuiltin('__new__', ([, ...args], _kw, ctx) => {
    if (args.length === 1 && (args[0] instanceof PyList || args[0] instanceof PyTuple || args[0] instanceof ArrayValue)) {
      return new TorchTensor(tensorFromData(args[0], ctx, getDefaultDtype()));
    }
    return new TorchTensor(filled(toShape(args, 'size'), 0, getDefaultDtype()));
  }));
  for (const [name] of Object.entries(TENSOR_METHODS)) {
    tensorClass.dict.set(name, new PyBuiltin(name, (args, kw, ctx) => {
      checkMethodArguments(name, args.slice(1), kw);
      return TENSOR_METHODS[name](args[0] as TorchTensor, args.slice(1), kw, ctx);
    }));
  }
  set('Tensor', tensorClass);
  setTensorClass(tensorClass);
  const legacy: [string, DType][] = [
    ['FloatTensor', 'float32'], ['DoubleTensor', 'float64'], ['HalfTensor', 'float16'], ['LongTensor', 'int64'],
    ['IntTensor', 'int32'], ['ShortTensor', 'int16'], ['CharTensor', 'int8'], ['ByteTensor', 'uint8'], ['BoolTensor', 'bool'],
  ];
  for (const [name, d] of legacy) set(name, legacyConstructor(name, d));

  // Functional forms of tensor methods.
  for (const name of [
    'sum', 'mean', 'prod', 'any', 'all', 'std', 'var', 'max', 'min', 'argmax', 'argmin', 'gather', 'masked_select',
    'index_select', 'nonzero', 'eq', 'ne', 'lt', 'le', 'gt', 'ge', 'equal', 'logical_not', 'logical_and', 'logical_or',
    'logical_xor', 'bitwise_not', 'bitwise_and', 'bitwise_or', 'bitwise_xor', 'add', 'sub', 'mul', 'div', 'subtract',
    'multiply', 'divide', 'true_divide', 'floor_divide', 'remainder', 'pow', 'matmul', 'mm', 'bmm', 'addmm', 'abs', 'neg', 'exp',
    'log', 'sqrt', 'rsqrt', 'sigmoid', 'tanh', 'sin', 'cos', 'sinh', 'cosh', 'log1p', 'expm1', 'reciprocal', 'floor', 'ceil', 'round',
    'trunc', 'sign', 'isnan', 'isinf', 'isfinite', 'relu', 'clamp', 'reshape', 'transpose', 'permute', 'squeeze',
    'unsqueeze', 'flatten', 'split', 'chunk', 'unbind', 'flip', 'cumsum', 'scatter', 'scatter_add', 't', 'clone',
    'masked_scatter', 'numel', 'cumprod', 'maximum', 'minimum', 'greater', 'less', 'not_equal', 'repeat_interleave', 'count_nonzero',
    'nan_to_num', 'sort', 'argsort', 'topk', 'amax', 'amin', 'square', 'clamp_min', 'clamp_max', 'logsumexp', 'narrow',
    'select', 'roll', 'erf', 'erfinv', 'unique', 'unique_consecutive', 'multinomial', 'index_fill', 'baddbmm', 'diagonal',
    'median', 'nanmedian', 'quantile', 'nanquantile', 'lerp',
  ]) {
    if (TENSOR_METHODS[name]) m.dict.set(name, method(name));
  }
  // torch.reshape(input, shape) and the like: the size is the second parameter, not varargs
  for (const [name, param] of [['reshape', 'shape'], ['permute', 'dims'], ['flip', 'dims'], ['tile', 'dims']] as const) {
    const viaMethod = method(name);
    def(name, (args, kw, ctx) => {
      const a = bind(name, args, kw, ['input', param]);
      if (!(a.input instanceof TorchTensor)) return viaMethod.fn(args, kw, ctx);
      const size = new PyTuple(sizeArg(name, param, 2, a[param], kw).map(BigInt));
      return TENSOR_METHODS[name](a.input, [size], new Map(), ctx);
    });
  }
  m.dict.set('clip', method('clip', 'clamp'));
  m.dict.set('absolute', method('absolute', 'abs'));
  for (const [name, f] of Object.entries(stackFunctions(tensorsArg))) def(name, f);
  for (const [name, f] of Object.entries(complexFunctions())) def(name, f);
  set('nn', ctxClasses.nn());
  set('linalg', addNorms(def, (m.dict.get('nn') as PyModule).dict.get('functional') as PyModule));
  return m;
}

/**
 * An einsum equation with each `...` replaced by labels of its own, so the
 * rest of einsum sees plain labels. As ATen's einsum (Linear.cpp): an
 * operand's ellipsis covers the dims its labels leave, right-aligned across
 * operands (broadcast); in an implicit output the ellipsis dims come first;
 * an explicit output without `...` sums them. The stand-in labels are
 * uppercase letters the equation does not use, taken in order, so they rank
 * first in the contraction order as ATen puts the ellipsis before the labels.
 * RuntimeError with ATen's wording for a misplaced '.', or more labels than
 * an operand has dims.
 */
function expandEllipsis(equation: string, operands: Tensor[]): string {
  const eq = equation.replace(/\s+/g, '');
  if (!eq.includes('.')) return eq;
  const [lhs, rhs] = eq.split('->');
  const inputs = lhs.split(',');
  const ellDims = inputs.map((part, k) => {
    const dots = part.split('...');
    if (dots.length > 2) throw runtimeError(`einsum(): found '.' for operand ${k} for which an ellipsis was already found`);
    if (dots.some((d) => d.includes('.'))) throw runtimeError(`einsum(): found '.' for operand ${k} that is not part of any ellipsis`);
    const labels = part.replace('...', '').length;
    const nd = operands[k]?.ndim ?? labels;
    if (dots.length === 1) return -1;
    if (labels > nd) throw runtimeError(`einsum(): the number of subscripts in the equation (${labels}) is more than the number of dimensions (${nd}) for operand ${k}`);
    return nd - labels;
  });
  const width = Math.max(0, ...ellDims);
  const free = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'].filter((c) => !eq.includes(c));
  if (free.length < width) throw pyError('NotImplementedError', 'einsum with this many ellipsis dims is not supported by Mask Lens');
  const ell = free.slice(0, width);
  const newInputs = inputs.map((part, k) => part.replace('...', ell.slice(width - Math.max(ellDims[k], 0)).join('')));
  let out: string;
  if (rhs === undefined) {
    // implicit output: the ellipsis dims, then the labels that appear once, sorted
    const joined = inputs.join('').replace(/\.\.\./g, '');
    out = ell.join('') + [...new Set(joined)].filter((l) => joined.split(l).length === 2).sort((x, y) => labelRank(x) - labelRank(y)).join('');
  } else out = rhs.replace('...', ell.join(''));
  return `${newInputs.join(',')}->${out}`;
}

/**
 * torch.cdist(x1 [..., P, M], x2 [..., R, M], p): the p-norm distance of
 * every row pair, [..., P, R], batch dims broadcast (ATen's cdist_impl: p = 0
 * counts differing entries, p = inf takes the largest difference). Summed in
 * double and rounded to the inputs' float dtype. RuntimeError in ATen's words.
 */
function cdist(x1: Tensor, x2: Tensor, p: number): Tensor {
  if (x1.ndim < 2) throw runtimeError(`cdist only supports at least 2D tensors, X1 got: ${x1.ndim}D`);
  if (x2.ndim < 2) throw runtimeError(`cdist only supports at least 2D tensors, X2 got: ${x2.ndim}D`);
  const M = x1.shape[x1.ndim - 1];
  if (M !== x2.shape[x2.ndim - 1]) throw runtimeError(`X1 and X2 must have the same number of columns. X1: ${M} X2: ${x2.shape[x2.ndim - 1]}`);
  if (!isFloating(x1.dtype) || !isFloating(x2.dtype)) throw runtimeError(`cdist only supports floating-point dtypes, X1 got: ${cppTypeName(x1.dtype)}`);
  if (!(p >= 0)) throw runtimeError('cdist only supports non-negative p values');
  const P = x1.shape[x1.ndim - 2], R = x2.shape[x2.ndim - 2];
  const batch = broadcastShapes(x1.shape.slice(0, -2), x2.shape.slice(0, -2));
  const a = contiguous(expand(x1, [...batch, P, M])).values(), b = contiguous(expand(x2, [...batch, R, M])).values();
  const B = batch.reduce((s, d) => s * d, 1);
  const out = Tensor.empty(x1.dtype, [...batch, P, R]);
  for (let n = 0; n < B; n++) {
    for (let i = 0; i < P; i++) {
      for (let j = 0; j < R; j++) {
        let acc = 0;
        for (let k = 0; k < M; k++) {
          const d = Math.abs(a[(n * P + i) * M + k] - b[(n * R + j) * M + k]);
          if (p === 0) acc += d !== 0 ? 1 : 0;
          else if (p === Infinity) acc = Math.max(acc, d);
          else acc += p === 1 ? d : p === 2 ? d * d : Math.pow(d, p);
        }
        out.storage.data[(n * P + i) * R + j] = p === 0 || p === 1 || p === Infinity ? acc : p === 2 ? Math.sqrt(acc) : Math.pow(acc, 1 / p);
      }
    }
  }
  return out;
}

/** torch.einsum by explicit index enumeration (snippet-sized operands). */
function einsum(equation: string, operands: Tensor[]): Tensor {
  const eq = equation.replace(/\s+/g, '');
  const [lhs, rhsGiven] = eq.split('->');
  const inputs = lhs.split(',');
  if (inputs.length !== operands.length) {
    throw runtimeError(`einsum(): more operands were provided than specified in the equation`);
  }
  const sizes = new Map<string, number>();
  inputs.forEach((labels, k) => {
    if (labels.length !== operands[k].ndim) {
      throw runtimeError(`einsum(): the number of subscripts in the equation (${labels.length}) does not match the number of dimensions (${operands[k].ndim}) for operand ${k} and no ellipsis was given`);
    }
    [...labels].forEach((l, d) => {
      const n = operands[k].shape[d];
      const seen = sizes.get(l);
      if (seen !== undefined && seen !== n && seen !== 1 && n !== 1) {
        throw runtimeError(`einsum(): operands do not broadcast with remapped shapes (original->remapped)`);
      }
      sizes.set(l, Math.max(seen ?? 1, n));
    });
  });
  const rhs = rhsGiven ?? [...new Set(lhs.replace(/,/g, ''))].filter((l) => lhs.split(l).length === 2).sort().join('');
  const pair = operands.length === 2 ? einsumPair(inputs[0], inputs[1], rhs, operands[0], operands[1]) : undefined;
  if (pair) return pair;
  const labels = [...sizes.keys()];
  const outLabels = [...rhs];
  const dtype = operands.map((o) => o.dtype).reduce((a, b) => binary('add', Tensor.empty(a, [1]), Tensor.empty(b, [1])).dtype);
  const out = Tensor.empty(dtype, outLabels.map((l) => sizes.get(l)!));
  const vals = operands.map((o) => cast(o, dtype));
  const pos = new Map<string, number>(labels.map((l) => [l, 0]));
  const total = labels.reduce((p, l) => p * sizes.get(l)!, 1);
  // integer dtypes sum their products exactly and wrap as ATen's integer arithmetic (int64 beyond 2^53 too)
  const exact = isIntegral(dtype) ? new BigInt64Array(out.numel) : undefined;
  for (let i = 0; i < total; i++) {
    let r = i;
    for (let j = labels.length - 1; j >= 0; j--) {
      const n = sizes.get(labels[j])!;
      pos.set(labels[j], r % n);
      r = Math.floor(r / n);
    }
    let prod = 1, prodBig = 1n;
    vals.forEach((t, k) => {
      const off = t.offsetOf([...inputs[k]].map((l, d) => (t.shape[d] === 1 ? 0 : pos.get(l)!)));
      if (exact) prodBig = BigInt.asIntN(64, prodBig * int64At(t.storage, off));
      else prod *= t.storage.data[off];
    });
    const o = out.offsetOf(outLabels.map((l) => pos.get(l)!));
    if (exact) exact[o] = BigInt.asIntN(64, exact[o] + prodBig);
    else out.storage.data[o] += prod;
  }
  if (exact) for (let i = 0; i < exact.length; i++) storeInt(out, i, exact[i]);
  return out;
}

// einsum's label order (Linear.cpp's TOTAL_LABELS): 'A'-'Z' before 'a'-'z'
const labelRank = (l: string) => (l >= 'a' ? 26 : 0) + l.toLowerCase().charCodeAt(0) - 97;

/**
 * Two-operand torch.einsum as ATen computes it (Linear.cpp, sumproduct_pair):
 * labels found in one operand only and not in the output are summed out
 * first; the rest becomes one bmm of [batch, left, k] @ [batch, k, right],
 * k being the contracted labels flattened in label order, so the products
 * sum in bmm's order (float32_matmul.ts). Undefined where this does not
 * apply (a label repeated in one operand, size-1 broadcasting, mixed
 * dtypes): the caller enumerates instead.
 */
function einsumPair(la: string, lb: string, rhs: string, a: Tensor, b: Tensor): Tensor | undefined {
  if (a.dtype !== b.dtype || !isFloating(a.dtype) || new Set(la).size !== la.length || new Set(lb).size !== lb.length) return undefined;
  if ([...la].some((l, d) => lb.includes(l) && b.shape[lb.indexOf(l)] !== a.shape[d])) return undefined;
  const only = (x: string, y: string) => [...x].filter((l) => !y.includes(l) && !rhs.includes(l));
  const sumA = only(la, lb), sumB = only(lb, la);
  if (sumA.length) {
    a = reduce('sum', a, sumA.map((l) => la.indexOf(l)));
    la = [...la].filter((l) => !sumA.includes(l)).join('');
  }
  if (sumB.length) {
    b = reduce('sum', b, sumB.map((l) => lb.indexOf(l)));
    lb = [...lb].filter((l) => !sumB.includes(l)).join('');
  }
  const batch = [...rhs].filter((l) => la.includes(l) && lb.includes(l));
  const left = [...rhs].filter((l) => la.includes(l) && !lb.includes(l));
  const right = [...rhs].filter((l) => lb.includes(l) && !la.includes(l));
  const contracted = [...la].filter((l) => lb.includes(l) && !rhs.includes(l)).sort((x, y) => labelRank(x) - labelRank(y));
  // when every right-only label precedes every left-only one in the output, ATen swaps the
  // operands so that bmm writes the output's memory order (its result is a permuted view)
  if (left.length && right.length && rhs.indexOf(right[right.length - 1]) < rhs.indexOf(left[0])) {
    return einsumPair(lb, la, rhs, b, a);
  }
  const size = (t: Tensor, ls: string, l: string) => t.shape[ls.indexOf(l)];
  const prod = (t: Tensor, ls: string, group: string[]) => group.reduce((p, l) => p * size(t, ls, l), 1);
  const a3 = reshape(contiguous(permute(a, [...batch, ...left, ...contracted].map((l) => la.indexOf(l)))),
    [prod(a, la, batch), prod(a, la, left), prod(a, la, contracted)]);
  const b3 = reshape(contiguous(permute(b, [...batch, ...contracted, ...right].map((l) => lb.indexOf(l)))),
    [prod(b, lb, batch), prod(b, lb, contracted), prod(b, lb, right)]);
  const order = [...batch, ...left, ...right];
  const r = reshape(matmul(a3, b3), order.map((l) => (la.includes(l) ? size(a, la, l) : size(b, lb, l))));
  return permute(r, [...rhs].map((l) => order.indexOf(l)));
}

function resultTypeOf(a: TensorOrScalar, b: TensorOrScalar): DType {
  return binary('add', a instanceof Tensor ? a : scalarTensor(a), b instanceof Tensor ? b : scalarTensor(b)).dtype;
}

function noGradContext(enable = false): PyValue {
  const cls = new PyClass(enable ? 'enable_grad' : 'no_grad', []);
  let prev = true;
  cls.dict.set('__enter__', new PyBuiltin('__enter__', () => {
    prev = setGradEnabled(enable);
    return null;
  }));
  cls.dict.set('__exit__', new PyBuiltin('__exit__', () => {
    setGradEnabled(prev);
    return false;
  }));
  cls.dict.set('__call__', new PyBuiltin('__call__', ([, f]) => contextDecorated(f ?? null, () => noGradContext(enable))));
  return new NoGrad(cls);
}

function finfo(d: DType): PyValue {
  const table: Partial<Record<DType, [number, number, number, number]>> = {
    float32: [-3.4028234663852886e38, 3.4028234663852886e38, 1.1920928955078125e-7, 1.1754943508222875e-38],
    float64: [-1.7976931348623157e308, 1.7976931348623157e308, 2.220446049250313e-16, 2.2250738585072014e-308],
    float16: [-65504, 65504, 0.0009765625, 6.103515625e-5],
    bfloat16: [-3.3895313892515355e38, 3.3895313892515355e38, 0.0078125, 1.1754943508222875e-38],
  };
  const v = table[d];
  if (!v) throw pyError('TypeError', 'torch.finfo() requires a floating point input type. Use torch.iinfo to handle \'torch.finfo\'');
  const cls = new PyClass('finfo', []);
  const inst = new PyInstance(cls);
  inst.dict.set('min', v[0]);
  inst.dict.set('max', v[1]);
  inst.dict.set('eps', v[2]);
  inst.dict.set('tiny', v[3]);
  inst.dict.set('dtype', d);
  return inst;
}

function iinfo(d: DType): PyValue {
  const table: Partial<Record<DType, [bigint, bigint]>> = {
    uint8: [0n, 255n], int8: [-128n, 127n], int16: [-32768n, 32767n], int32: [-(2n ** 31n), 2n ** 31n - 1n], int64: [-(2n ** 63n), 2n ** 63n - 1n],
  };
  const v = table[d];
  if (!v) throw pyError('TypeError', 'torch.iinfo() requires an integer input type. Use torch.finfo to handle \'torch.iinfo\'');
  const inst = new PyInstance(new PyClass('iinfo', []));
  inst.dict.set('min', v[0]);
  inst.dict.set('max', v[1]);
  return inst;
}

export { toBool };

/**
 * The autograd node torch.einsum's result carries, from the last op ATen's
 * einsum (aten/src/ATen/native/Linear.cpp) runs: one operand is permuted
 * (PermuteBackward0) or summed (SumBackward1); several operands are
 * multiplied (MulBackward0) unless a label is contracted, which goes through
 * bmm and a final view (ViewBackward0). Checked against PyTorch 2.13.
 */
function einsumNode(equation: string, operands: number): string {
  const eq = equation.replace(/\s+/g, '');
  const [lhs, rhs] = eq.split('->');
  const labels = (part: string) => part.replace(/\.\.\./g, '').replace(/,/g, '');
  const inputs = labels(lhs);
  const counts = new Map<string, number>();
  for (const c of inputs) counts.set(c, (counts.get(c) ?? 0) + 1);
  // implicit output: the labels that appear once
  const output = rhs === undefined ? [...counts].filter(([, n]) => n === 1).map(([c]) => c).join('') : labels(rhs);
  const contracted = [...counts.keys()].some((c) => !output.includes(c));
  if (operands === 1) return contracted ? 'sum.dim' : 'permute';
  return contracted ? 'view' : 'mul';
}
