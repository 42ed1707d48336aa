// torch.Tensor as a Python object: attributes, operators and methods mapped
// onto engine ops with PyTorch's argument conventions and error wording.

import { getSlot, slot } from '../../engine/context';
import { DType, TORCH_DTYPE_ALIASES, caster, category, isFloating, isIntegral, wrapValue } from '../../engine/dtype';
import { runtimeError, typeError } from '../../engine/errors';
import { DEFAULT_PRINT_OPTIONS, PrintOptions, PrintProfile, formatTorchTensor, setPrintOptions } from '../../engine/format';
import type { BinaryOp } from '../../engine/kernels/backend';
import { arange, clamp, maskedFill, maskedFillInPlace, softmax, tril, triu } from '../../engine/ops/compose';
import { noteDerivation, recordingDerivations } from '../../engine/provenance';
import { carryCopyEvidence, carryFromLengths, carryMaskEvidence, carryPositions, noteBlockingBool, noteMaskSource } from '../../masks/evidence';
import { propagateRandom } from '../../engine/diagnostics';
import { checkBroadcast, checkMaskedFill, checkSelectMask, checkSoftmax, noteAdditiveMask, noteMaskConsumer } from '../../masks/checks';
import { additiveValues } from '../../masks/values';
import {
  Scalar, TensorOrScalar, addScaled, assignInto, binary, broadcastShapes, cast, castPreserve, castStrided, checkedConvert, contiguous, fillScalarValue, finish, full, getDefaultDtype, itemScalar,
  notImplementedFor, resultType, scalarTensor, scalarTypeName, unary, where,
} from '../../engine/ops/core';
import { IndexItem, checkMask, gather, getItem, indexSelect, maskedSelect, nonzero, scatterInPlace, setItem } from '../../engine/ops/indexing';
import { allReduceSignedZero, matmul, mean, reduce, variance } from '../../engine/ops/reduce';
import { topkOrder } from '../../engine/ops/select_k';
import { emptyLikeOrder, iterationOrder, placeDraws } from '../../engine/random/fill_order';
import { formatCppDouble } from '../../engine/random/torch_generator';
import {
  chunk, diagonal, expand, flatten, flip, normalizeDim, permute, repeat, reshape, select, split, splitSizes, squeeze, transpose, unsqueeze, view,
} from '../../engine/ops/shape';
import { Tensor, contiguousStrides, hasWide, int64Values, isSafeInt64, setInt64 } from '../../engine/tensor';
import { Bound, bind, toBool, toFloat, toInt, toIntList } from '../../python/args';
import { sizeArg, sizeArgs, tpName, VIEW_OVERLOADS } from './size';
import { TYPE_CLASSES, formatValue } from '../../python/builtins';
import { encodeItems } from '../../python/encode';
import type { EncodedValue } from '../../python/result';
import { pyError } from '../../python/exceptions';
import {
  CallContext, Kwargs, PyBuiltin, PyClass, PyEllipsis, PyList, PyNamedTuple, PyObj, PySlice, PyTuple, PyValue, typeNameOf,
} from '../../python/values';
import { ArrayValue, DtypeObject, dimList, interned, itemOf, nestedList, operand, scalarOf } from '../common';
import { torchRng } from './random';
import { TorchDevice, TorchLayout, TorchMemoryFormat, makeDevice } from './runtime';
import { channelsLastStrides, isChannelsLast3dGeometry, isChannelsLastGeometry, preserveStrides } from '../../engine/layout';

export class TorchDtype extends DtypeObject {
  static readonly of = interned((d) => new TorchDtype(d));
  get dtype(): DType {
    return this.dtypeValue;
  }
  get typeName() {
    return 'dtype';
  }
  override repr() {
    return `torch.${this.dtype}`;
  }
  override getAttr(name: string): PyValue | undefined {
    if (name === 'is_floating_point') return isFloating(this.dtype);
    if (name === 'is_signed') return this.dtype !== 'uint8' && this.dtype !== 'bool';
    if (name === 'itemsize') return BigInt({ bool: 1, uint8: 1, int8: 1, int16: 2, int32: 4, int64: 8, float16: 2, bfloat16: 2, float32: 4, float64: 8 }[this.dtype]);
    return undefined;
  }
}

/** NumPy's (or TensorFlow's) dtype or scalar type where PyTorch wants a torch.dtype. */
export function isForeignDtype(v: PyValue | undefined): boolean {
  return v !== undefined && v !== null && !(v instanceof TorchDtype) && (v as { dtypeValue?: DType }).dtypeValue !== undefined;
}

const TO_SIGNATURES = [
  '(torch.device device = None, torch.dtype dtype = None, bool non_blocking = False, bool copy = False, *, torch.memory_format memory_format = None)',
  '(torch.dtype dtype, bool non_blocking = False, bool copy = False, *, torch.memory_format memory_format = None)',
  '(Tensor tensor, bool non_blocking = False, bool copy = False, *, torch.memory_format memory_format = None)',
];

/**
 * PyTorch's "received an invalid combination of arguments" TypeError for an overloaded
 * function given a foreign dtype: the arguments' types ("int, dtype=type"; keywords alone
 * end with ", "), then each signature.
 */
export function dtypeCombination(fn: string, args: readonly PyValue[], kw: Kwargs, signatures: readonly string[]): Error {
  const pos = args.map(tpName), kws = [...kw].map(([k, v]) => `${k}=${tpName(v)}`);
  const got = pos.length ? [...pos, ...kws].join(', ') : kws.map((k) => `${k}, `).join('');
  return pyError('TypeError', `${fn}() received an invalid combination of arguments - got (${got}), but expected one of:\n${signatures.map((x) => ` * ${x}`).join('\n')}\n`);
}

/**
 * A dtype argument: torch.float32 ..., or Python's float, int and bool. Anything else,
 * NumPy's np.float32 and dtype('float32') included, is PyTorch's TypeError "zeros():
 * argument 'dtype' must be torch.dtype, not type" (`what` names the argument).
 */
export function toDtype(v: PyValue | undefined, what = 'dtype'): DType | undefined {
  if (v === undefined || v === null) return undefined;
  if (v instanceof TorchDtype) return v.dtype;
  // Python's own scalar types stand for dtypes (torch/csrc/utils/python_arg_parser: THPPythonScalarType):
  // float is torch.float64, int torch.int64, bool torch.bool (transformers: torch.zeros(1, dtype=int)).
  if (v === TYPE_CLASSES.get('float')) return 'float64';
  if (v === TYPE_CLASSES.get('int')) return 'int64';
  if (v === TYPE_CLASSES.get('bool')) return 'bool';
  throw pyError('TypeError', `${what} must be torch.dtype, not ${tpName(v)}`);
}

/**
 * torch.Size: a tuple of ints that prints as `torch.Size([2, 3])`, has
 * numel(), stays a torch.Size when sliced (`x.shape[:2]`), and is golden.py's
 * `{type: 'Size', items}`.
 */
export class TorchSize extends PyNamedTuple {
  constructor(items: PyValue[]) {
    super(items, 'torch.Size');
  }
  override getAttr(name: string): PyValue | undefined {
    if (name === 'numel') return new PyBuiltin('numel', () => this.items.reduce<bigint>((p, x) => p * (x as bigint), 1n));
    return super.getAttr(name);
  }
  /** A slice is a torch.Size too (the tuple's own slicing picks the items); an index is the tuple's. */
  override getItem(key: PyValue, ctx: CallContext): PyValue | undefined {
    if (!(key instanceof PySlice)) return undefined;
    return new TorchSize((ctx.getItem(new PyTuple(this.items), key) as PyTuple).items);
  }
  override encode(inlineElements: number): EncodedValue | undefined {
    return encodeItems(this.items, 'Size', inlineElements);
  }
  /** size + tuple, tuple + size and size * n are torch.Size too (torch.Size.__add__/__radd__/__mul__). */
  override binaryOp(op: string, other: PyValue, reflected: boolean, ctx: CallContext): PyValue | undefined {
    if (op === '+' && other instanceof PyTuple) {
      return new TorchSize(reflected ? [...other.items, ...this.items] : [...this.items, ...other.items]);
    }
    if (op === '*' && typeof other === 'bigint') return new TorchSize((ctx.binary('*', new PyTuple(this.items), other) as PyTuple).items);
    return undefined;
  }
}

export function torchSize(shape: readonly number[]): PyNamedTuple {
  return new TorchSize(shape.map((s) => BigInt(s)));
}

// torch.set_printoptions and torch.set_grad_enabled last for one evaluation.
export const TORCH_STATE = slot<{ printOptions: Readonly<PrintOptions>; gradEnabled: boolean }>('torch.state', () => ({
  printOptions: DEFAULT_PRINT_OPTIONS,
  gradEnabled: true,
}));
/** torch.set_printoptions: unspecified fields keep their current values. */
export function updatePrintOptions(args: Partial<Record<keyof PrintOptions, unknown>> & { profile?: PrintProfile }): void {
  const given = Object.fromEntries(Object.entries(args).filter(([, v]) => v !== undefined));
  const state = getSlot(TORCH_STATE);
  state.printOptions = setPrintOptions(state.printOptions, given as Partial<PrintOptions> & { profile?: PrintProfile });
}

/** torch.is_grad_enabled(): false inside no_grad / inference_mode. */
export function gradEnabled(): boolean {
  return getSlot(TORCH_STATE).gradEnabled;
}

/** Autograd is display-only: which ops carry requires_grad and their grad_fn names. */
export function setGradEnabled(on: boolean): boolean {
  const state = getSlot(TORCH_STATE);
  const prev = state.gradEnabled;
  state.gradEnabled = on;
  return prev;
}

const GRAD_FN: Record<string, string> = {
  add: 'AddBackward0', sub: 'SubBackward0', mul: 'MulBackward0', div: 'DivBackward0', matmul: 'UnsafeViewBackward0',
  softmax: 'SoftmaxBackward0', log_softmax: 'LogSoftmaxBackward0', masked_fill: 'MaskedFillBackward0', neg: 'NegBackward0',
  exp: 'ExpBackward0', log: 'LogBackward0', sum: 'SumBackward0', mean: 'MeanBackward0', 'round.decimals': 'RoundBackward1', adaptive_avg_pool2d: 'AdaptiveAvgPool2DBackward0', view: 'ViewBackward0',
  reshape: 'ViewBackward0', unsqueeze: 'UnsqueezeBackward0', squeeze: 'SqueezeBackward0', 'squeeze.dim': 'SqueezeBackward1', transpose: 'TransposeBackward0',
  permute: 'PermuteBackward0', embedding: 'EmbeddingBackward0', addmm: 'AddmmBackward0', 'linear.squeeze': 'SqueezeBackward4', gather: 'GatherBackward0',
  where: 'WhereBackward0', relu: 'ReluBackward0', sigmoid: 'SigmoidBackward0', tanh: 'TanhBackward0', pow: 'PowBackward0',
  sqrt: 'SqrtBackward0', masked_select: 'MaskedSelectBackward0', nll_loss: 'NllLossBackward0', cat: 'CatBackward0',
  stack: 'StackBackward0', triu: 'TriuBackward0', tril: 'TrilBackward0', select: 'SelectBackward0', slice: 'SliceBackward0', diagonal: 'DiagonalBackward0',
  index: 'IndexBackward0', expand: 'ExpandBackward0', clone: 'CloneBackward0', mm: 'MmBackward0', bmm: 'BmmBackward0',
  max: 'MaxBackward1', 'max.dim': 'MaxBackward0', min: 'MinBackward1', 'min.dim': 'MinBackward0',
  'median.dim': 'MedianBackward1', 'nanmedian.dim': 'NanmedianBackward1', quantile: 'SqueezeBackward4', 'lerp.tensor': 'LerpBackward1',
  // overloads with a dim are a different autograd node in PyTorch (derivatives.yaml)
  'sum.dim': 'SumBackward1', 'mean.dim': 'MeanBackward1', 'prod.dim': 'ProdBackward1', clamp: 'ClampBackward1',
  split: 'SplitBackward0', amax: 'AmaxBackward0', amin: 'AminBackward0', layer_norm: 'NativeLayerNormBackward0', abs: 'AbsBackward0', float: 'ToCopyBackward0', to: 'ToCopyBackward0', dropout: 'MulBackward0',
  flatten: 'ViewBackward0', contiguous: 'CloneBackward0', repeat: 'RepeatBackward0', cross_entropy: 'NllLossBackward0',
  sdpa_flash_cpu: 'ScaledDotProductFlashAttentionForCpuBackward0', CopySlices: 'CopySlices', TransposeBackward1: 'TransposeBackward1',
  MkldnnRnnLayerBackward0: 'MkldnnRnnLayerBackward0', ReshapeAliasBackward0: 'ReshapeAliasBackward0', UnsafeViewBackward0: 'UnsafeViewBackward0',
};

// torch.Tensor, the class type(x) gives: set by the torch module that defines it (module.ts).
let tensorClass: PyClass | undefined;
export function setTensorClass(c: PyClass): void {
  tensorClass = c;
}
/** torch.Tensor as the torch module defined it (undefined before `import torch`). */
export function torchTensorClass(): PyClass | undefined {
  return tensorClass;
}

export class TorchTensor extends ArrayValue {
  requiresGrad = false;
  gradFn: string | null = null;
  isParameter = false;
  /** The tensor this one is a basic-indexing view of (`b[:2]`), whose grad_fn an in-place write here changes. */
  viewBase: TorchTensor | null = null;

  get typeName() {
    return this.isParameter ? 'Parameter' : 'Tensor';
  }
  /** The qualified name type(x) prints: <class 'torch.Tensor'>. */
  get fullName() {
    return this.isParameter ? 'torch.nn.parameter.Parameter' : 'torch.Tensor';
  }
  /** type(x) is torch.Tensor (a Parameter keeps its own class). */
  pyType(): PyClass | undefined {
    return this.isParameter ? undefined : tensorClass;
  }
  get library() {
    return 'torch' as const;
  }

  override repr(): string {
    return formatTorchTensor(this.t, {
      gradFn: this.gradFn?.slice(this.gradFn.lastIndexOf('.') + 1) ?? undefined,
      requiresGrad: this.requiresGrad && !this.gradFn,
      printOptions: getSlot(TORCH_STATE).printOptions,
      parameter: this.isParameter,
    });
  }

  override getAttr(name: string, ctx: CallContext): PyValue | undefined {
    const t = this.t;
    switch (name) {
      case 'shape': return torchSize(t.shape);
      case 'dtype': return TorchDtype.of(t.dtype);
      case 'ndim': return BigInt(t.ndim);
      case 'T': return wrapLike(this, permute(t, t.shape.map((_, i) => t.ndim - 1 - i)), 'permute');
      case 'mT': return wrapLike(this, transpose(t, -2, -1), 'transpose');
      case 'data': return new TorchTensor(t);
      case 'device': return new TorchDevice();  // tensors always live on the CPU
      case 'is_cuda': return false;
      case 'requires_grad': return this.requiresGrad;
      case 'grad': return null;
      case 'grad_fn': return this.gradFn ? new GradFn(this.gradFn) : null;
      case 'is_leaf': return this.gradFn === null;
      case 'layout': return TorchLayout.STRIDED;
      case 'is_sparse': return false;
    }
    const m = TENSOR_METHODS[name];
    if (m && INPLACE_METHOD.test(name) && !GRAD_NEUTRAL_INPLACE.has(name)) {
      return new PyBuiltin(name, (args, kw, c) => {
        checkMethodArguments(name, args, kw);
        checkInplaceLeaf(this);
        const r = m(this, args, kw, c);
        if (r === this) trackInplace(this, inplaceNode(name, args, kw), [...args, ...kw.values()]);
        return r;
      }, `Tensor.${name}`);
    }
    if (m) {
      return new PyBuiltin(name, (args, kw, c) => {
        checkMethodArguments(name, args, kw);
        return m(this, args, kw, c);
      }, `Tensor.${name}`);
    }
    void ctx;
    return undefined;
  }

  override setAttr(name: string, value: PyValue, ctx: CallContext): boolean {
    if (name === 'requires_grad') {
      this.requiresGrad = ctx.truthy(value);
      return true;
    }
    if (name === 'data' && value instanceof ArrayValue) {
      this.t = value.t;
      return true;
    }
    return false;
  }

  override binaryOp(op: string, other: PyValue, reflected: boolean, ctx: CallContext): PyValue | undefined {
    const inplace = op.endsWith('=') && op !== '==';
    const base = inplace ? op.slice(0, -1) : op;
    // ndarray <op> tensor: NumPy defers to the tensor (__array_priority__), whose reflected op takes no ndarray
    if (reflected && isNumpyArray(other)) return undefined;
    const o = torchOperand(other);
    if (o === undefined) return undefined;
    const [a, b] = reflected ? [o, this.t] : [this.t, o];
    if (base === '+' && a instanceof Tensor && b instanceof Tensor) noteAdditiveMask(a, b, op);
    // an in-place op refuses a result category above self's before computing anything
    if (inplace && base === '-') checkBoolSub(a, b); // sub_check comes before the result-type check
    if (inplace && base === '**') checkScalarPower(a, b); // pow_ refuses a negative integer power before the result-type check
    if (inplace) checkInplaceCast(base === '/' && !isFloating(resultType(a, b)) ? getDefaultDtype() : resultType(a, b), this.t.dtype);
    // torch/_tensor.py: scalar / tensor is tensor.reciprocal() * scalar (so 3.25 / 7 rounds twice)
    const r = reflected && base === '/' && !(o instanceof Tensor)
      ? binary('mul', unary('recip', this.t, floatResult(this.t.dtype), floatResult(this.t.dtype)), o)
      : tensorBinary(base, a, b);
    if (inplace) {
      checkInplaceCast(r.dtype, this.t.dtype);
      checkInplaceLeaf(this);
      assignInto(this.t, r);
      trackInplace(this, gradFnName(BINARY_GRAD[base] ?? 'add'), [other]);
      return this;
    }
    void ctx;
    return track(new TorchTensor(propagateRandom(carryMaskEvidence(carryPositions(r, base, a, b), a, b), a, b)), BINARY_GRAD[base] ?? 'add', this, other);
  }

  override unaryOp(op: string): PyValue | undefined {
    const t = this.t;
    if (op === '-') {
      if (t.dtype === 'bool') {
        throw runtimeError('Negation, the `-` operator, on a bool tensor is not supported. If you are trying to invert a mask, use the `~` or `logical_not()` operator instead.');
      }
      return track(new TorchTensor(unary('neg', t)), 'neg', this);
    }
    if (op === '+') return this;
    // ~keep is the same mask inverted: its history (and a lengths comparison) carries over
    if (op === '~') return new TorchTensor(propagateRandom(carryMaskEvidence(carryFromLengths(bitwiseNot(t), t), t), t));
    return undefined;
  }

  override compare(op: string, other: PyValue): PyValue | undefined {
    if (op === '__contains__') {
      const o = operand(other);
      if (o === undefined) return undefined;
      return reduce('any', binary('eq', this.t, o)).item() !== 0;
    }
    const o = torchOperand(other);
    if (o === undefined) {
      if (op === '==') return false;
      if (op === '!=') return true;
      return undefined;
    }
    const map: Record<string, BinaryOp> = { '<': 'lt', '<=': 'le', '>': 'gt', '>=': 'ge', '==': 'eq', '!=': 'ne' };
    return new TorchTensor(propagateRandom(carryPositions(binary(map[op], this.t, o), op, this.t, o), this.t, o));
  }

  override getItem(key: PyValue, ctx: CallContext): PyValue | undefined {
    const items = indexItems(key, ctx);
    const r = getItem(this.t, items);
    const out = track(new TorchTensor(r), r.storage === this.t.storage ? indexingOp(this.t.shape, items, key instanceof PyTuple) : 'index', this);
    if (r.storage === this.t.storage) out.viewBase = this.viewBase ?? this;
    return out;
  }

  override setItem(key: PyValue, value: PyValue, ctx: CallContext): boolean {
    const v = operand(value) ?? (value instanceof PyList || value instanceof PyTuple ? toTorchData(value, ctx, this.t.dtype) : undefined);
    if (v === undefined) throw pyError('TypeError', `can't assign a ${typeNameOf(value)} to a torch.${tensorTypeName(this.t.dtype)}`);
    checkInplaceLeaf(this);
    const items = indexItems(key, ctx);
    setItem(this.t, items, v);
    trackInplace(this, setItemNode(this.t.shape, items, v), [value]);
    return true;
  }

  override length(): number | undefined {
    if (this.t.ndim === 0) throw typeError('len() of a 0-d tensor');
    return this.t.shape[0];
  }

  override iterate(): PyValue[] | undefined {
    if (this.t.ndim === 0) throw typeError('iteration over a 0-d tensor');
    // Tensor.__iter__ is iter(self.unbind(0))
    return Array.from({ length: this.t.shape[0] }, (_, i) => track(new TorchTensor(select(this.t, 0, i)), 'unbind', this));
  }

  override truthy(): boolean {
    if (this.t.numel === 0) throw runtimeError('Boolean value of Tensor with no values is ambiguous');
    if (this.t.numel > 1) throw runtimeError('Boolean value of Tensor with more than one value is ambiguous');
    return this.t.item() !== 0;
  }

  /** Tensor.__format__: a 0-d tensor formats like its Python number. */
  format(spec: string, ctx?: CallContext): string | undefined {
    if (this.t.ndim !== 0) {
      if (spec === '') return undefined;
      throw typeError('unsupported format string passed to Tensor.__format__');
    }
    return formatValue(itemOf(this.t), spec, ctx!);
  }
}

class GradFn extends PyObj {
  constructor(readonly name: string) {
    super();
  }
  /** A custom Function's node is named with its module (torch.autograd.function.MyFnBackward); type(...).__name__ is the last part. */
  get typeName() {
    return this.name.slice(this.name.lastIndexOf('.') + 1);
  }
  override repr() {
    return `<${this.name} object at 0x7f0000000000>`;
  }
  override getAttr(name: string) {
    // name() is the C++ node's name: a custom Function's class name, the copy nodes with their namespace
    const cpp = this.name === 'CopySlices' || this.name === 'CopyBackwards' ? `torch::autograd::${this.name}` : this.typeName;
    return name === 'name' ? new PyBuiltin('name', () => cpp) : undefined;
  }
}

const BINARY_GRAD: Record<string, string> = { '+': 'add', '-': 'sub', '*': 'mul', '/': 'div', '@': 'matmul', '**': 'pow' };

/** The autograd node name of `op`: GRAD_FN's, else `masked_fill` → MaskedFillBackward0. */
function gradFnName(op: string): string {
  return GRAD_FN[op] ?? `${op.split('_').map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('')}Backward0`;
}

/** Mark `out` as produced by `op` when any input requires grad (and grad mode is on). */
export function track(out: TorchTensor, op: string, ...inputs: PyValue[]): TorchTensor {
  if (!getSlot(TORCH_STATE).gradEnabled) return out;
  // a TorchTensor, or another tensor kind that carries the flag (a complex rotary view)
  if (inputs.some((x) => x instanceof PyObj && (x as { requiresGrad?: unknown }).requiresGrad === true)) {
    if (isFloating(out.t.dtype)) {
      out.requiresGrad = true;
      out.gradFn = gradFnName(op);
    }
  }
  return out;
}

/** In-place methods that change no values autograd tracks (or refuse grad tensors in their own words). */
const GRAD_NEUTRAL_INPLACE = new Set(['requires_grad_', 'detach_', 'share_memory_', 'resize_', 'fill_diagonal_']);

/** A public in-place method: `add_`, `masked_fill_` (not `__iadd__`, not `_private_`). */
const INPLACE_METHOD = /^[a-z][a-z0-9_]*[a-z0-9]_$/;

/** Nodes an in-place method records where they differ from its out-of-place op's (the scalar and tensor overloads). */
function inplaceNode(name: string, args: PyValue[], kw: Kwargs): string {
  const tensorAt = (i: number, key: string) => (args[i] ?? kw.get(key)) instanceof TorchTensor;
  switch (name) {
    case 'masked_fill_': return tensorAt(1, 'value') ? 'MaskedFillBackward1' : 'MaskedFillBackward0';
    case 'index_fill_': return tensorAt(2, 'value') ? 'IndexFillBackward1' : 'IndexFillBackward0';
    case 'fill_': return tensorAt(0, 'value') ? 'FillBackward3' : 'FillBackward2';
    case 'scatter_': return tensorAt(2, 'src') ? 'ScatterBackward0' : 'ScatterBackward1';
    case 'clamp_': return tensorAt(0, 'min') || tensorAt(1, 'max') ? 'ClampBackward0' : 'ClampBackward1';
    case 'copy_': return 'CopyBackwards';
    case 'unsqueeze_': return 'UnsqueezeBackward1';
  }
  return gradFnName(name.slice(0, -1));
}

/**
 * After an in-place op on `self`: autograd now names the op's node as
 * self's grad_fn, when grad mode is on, self is floating and it or an input
 * requires grad (`y += 1` on `y = w * 2` is AddBackward0; `cache.scatter_(1,
 * idx, xk)` makes the cache require grad). A write into a view does not reach
 * the tensor it views here (torch gives that one CopySlices).
 */
function trackInplace(self: TorchTensor, node: string, inputs: PyValue[]): void {
  if (!getSlot(TORCH_STATE).gradEnabled || !isFloating(self.t.dtype)) return;
  if (!self.requiresGrad && !inputs.some((x) => x instanceof TorchTensor && x.requiresGrad)) return;
  self.requiresGrad = true;
  self.gradFn = node;
  // a write through a view (`b[:2].scatter_(...)`): the viewed tensor records CopySlices, the view is re-derived from it
  const base = self.viewBase;
  if (base && base.t.storage === self.t.storage) {
    base.requiresGrad = true;
    base.gradFn = 'CopySlices';
    self.gradFn = 'AsStridedBackward0';
  }
}

/** torch refuses an in-place op on a leaf that requires grad, or a view of one, while grad mode is on (`w.add_(1)`, `w[0] = 1`). */
function checkInplaceLeaf(self: TorchTensor): void {
  if (!getSlot(TORCH_STATE).gradEnabled) return;
  if (self.requiresGrad && self.gradFn === null) throw runtimeError('a leaf Variable that requires grad is being used in an in-place operation.');
  const base = self.viewBase;
  if (base && base.requiresGrad && base.gradFn === null && base.t.storage === self.t.storage) {
    throw runtimeError('a view of a leaf Variable that requires grad is being used in an in-place operation.');
  }
}

export function wrapLike(src: TorchTensor, t: Tensor, op: string): TorchTensor {
  return track(new TorchTensor(t), op, src);
}

export function tensorTypeName(d: DType): string {
  const names: Partial<Record<DType, string>> = {
    float32: 'FloatTensor', float64: 'DoubleTensor', float16: 'HalfTensor', bfloat16: 'BFloat16Tensor', int64: 'LongTensor',
    int32: 'IntTensor', int16: 'ShortTensor', int8: 'CharTensor', uint8: 'ByteTensor', bool: 'BoolTensor',
  };
  return names[d]!;
}

function checkInplaceCast(result: DType, self: DType): void {
  if (category(result) > category(self)) {
    throw runtimeError(`result type ${scalarTypeName(result)} can't be cast to the desired output type ${scalarTypeName(self)}`);
  }
}

function bitwiseNot(t: Tensor): Tensor {
  if (t.dtype === 'bool') return unary('not', t);
  if (isFloating(t.dtype)) throw typeError('~ (operator.invert) is only implemented on integer and Boolean-type tensors');
  return unary('bitnot', t);
}

const BITWISE: Record<string, BinaryOp> = { '&': 'bitand', '|': 'bitor', '^': 'bitxor' };
const BITWISE_NAMES: Record<string, string> = { '&': 'bitwise_and_cpu', '|': 'bitwise_or_cpu', '^': 'bitwise_xor_cpu' };

/** The dtype reciprocal() computes in: integers and bool go to the default float dtype. */
function floatResult(d: DType): DType {
  return isFloating(d) ? d : getDefaultDtype();
}

/** sub_check: PyTorch refuses `-` with bool operands. */
function checkBoolSub(a: TensorOrScalar, b: TensorOrScalar): void {
  const isBool = (x: TensorOrScalar) => (x instanceof Tensor ? x.dtype === 'bool' : typeof x === 'boolean');
  if (isBool(a) && isBool(b)) {
    throw runtimeError('Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` or `logical_xor()` operator instead.');
  }
  if (isBool(a) || isBool(b)) {
    throw runtimeError('Subtraction, the `-` operator, with a bool tensor is not supported. If you are trying to invert a mask, use the `~` or `logical_not()` operator instead.');
  }
}

/** Python operator on tensors/scalars with PyTorch's checks. */
export function tensorBinary(op: string, a: TensorOrScalar, b: TensorOrScalar): Tensor {
  const isBool = (x: TensorOrScalar) => (x instanceof Tensor ? x.dtype === 'bool' : typeof x === 'boolean');
  switch (op) {
    case '+': return binary('add', a, b);
    case '-':
      checkBoolSub(a, b);
      return binary('sub', a, b);
    case '*': return binary('mul', a, b);
    case '/': return binary('div', a, b);
    case '//':
      if (resultType(a, b) === 'bool') throw notImplementedFor('div_floor_cpu', 'bool');
      return floorDivide(a, b);
    case '%':
      if (resultType(a, b) === 'bool') throw notImplementedFor('remainder_cpu', 'bool');
      return binary('remainder', a, b);
    case '**': return power(a, b);
    case '@': {
      if (!(a instanceof Tensor) || !(b instanceof Tensor)) throw typeError('unsupported operand type(s) for @');
      return matmul(a, b);
    }
    case '&': case '|': case '^': {
      const d = resultType(a, b);
      if (isFloating(d)) throw notImplementedFor(BITWISE_NAMES[op], d);
      return binary(BITWISE[op], a, b);
    }
    case '<<': return binary('lshift', a, b);
    case '>>': return binary('rshift', a, b);
  }
  throw typeError(`unsupported operand type(s) for ${op}`);
}

export function floorDivide(a: TensorOrScalar, b: TensorOrScalar): Tensor {
  const d = resultType(a, b);
  if (d === 'float16' || d === 'bfloat16') return reducedFloorDivide(a, b, d);
  if (!isFloating(d)) {
    const bt = b instanceof Tensor ? b : null;
    if ((bt && bt.values().some((x) => x === 0)) || (!bt && Number(b) === 0)) throw runtimeError('ZeroDivisionError');
  }
  return binary('floordiv', a, b);
}

/**
 * torch.div(a, b, rounding_mode='trunc') of integers: ATen's div_trunc for
 * integral types is C's integer division, exact (int64 beyond 2^53 too, and
 * past float32's 2^24), raising ZeroDivisionError as floor division does.
 * It is the floor quotient plus one where the remainder is nonzero and the
 * operands' signs differ.
 */
function truncDivideInt(a: Tensor, b: TensorOrScalar): Tensor {
  const q = floorDivide(a, b);
  const inexact = binary('ne', binary('remainder', a, b), 0n);
  // the signs in the result dtype: a Python -1 beside a uint8 tensor is 255
  const bt = b instanceof Tensor ? b : scalarTensor(b, resultType(a, b));
  const signsDiffer = binary('ne', binary('lt', a, 0n), binary('lt', bt, 0n));
  return binary('add', q, binary('and', inexact, signsDiffer));
}

/**
 * a // b in float16/bfloat16: c10::div_floor_floating (c10/util/generic_math.h)
 * instantiated with the reduced type, so every step (a - fmod(a, b), the
 * division, the -1 and +1 corrections) rounds to the dtype:
 * bfloat16 65536 // 255 is 258 (65535 rounds to 65536 first), not 256.
 */
function reducedFloorDivide(a: TensorOrScalar, b: TensorOrScalar, d: DType): Tensor {
  // A one-element divisor (a Python number or a 0-dim tensor) takes div_floor_kernel's scalar
  // path: its original value as a float32 opmath scalar, the steps rounded to float32 and only
  // the result to the dtype (float16 6e-8 // 6e-8 is 0, bfloat16 65504 // 255 is 256).
  const scalarCase = !(b instanceof Tensor) || b.numel === 1;
  const ta = a instanceof Tensor ? cast(a, d) : scalarTensor(a, d);
  const tb = !(b instanceof Tensor) ? scalarTensor(b, 'float32') : scalarCase ? cast(b, 'float32') : cast(b, d);
  const shape = broadcastShapes(ta.shape, tb.shape);
  const va = contiguous(expand(ta, shape)).values(), vb = contiguous(expand(tb, shape)).values();
  const r = scalarCase ? Math.fround : caster(d);
  const out = Tensor.empty(d, shape);
  const o = out.storage.data;
  for (let i = 0; i < o.length; i++) {
    const x = va[i], y = vb[i];
    if (y === 0) { o[i] = r(x / y); continue; }
    const mod = x % y; // fmod: exact
    let div = r(r(x - mod) / y);
    if (mod !== 0 && (y < 0) !== (mod < 0)) div = r(div - 1);
    if (div !== 0) {
      let fl = Math.floor(div);
      if (r(div - fl) > 0.5) fl = r(fl + 1);
      o[i] = fl;
    } else {
      const q = r(x / y); // copysign(0, a / b)
      o[i] = q < 0 || Object.is(q, -0) ? -0 : 0;
    }
  }
  return finish(out);
}

/** pow's check of a Python-scalar exponent on an integer result: a negative one raises (pow_tensor_scalar). */
function checkScalarPower(a: TensorOrScalar, b: TensorOrScalar): void {
  if (a instanceof Tensor && !(b instanceof Tensor) && !isFloating(resultType(a, b)) && Number(b) < 0) {
    throw runtimeError('Integers to negative integer powers are not allowed.');
  }
}

export function power(a: TensorOrScalar, b: TensorOrScalar): Tensor {
  const d = resultType(a, b);
  if (d === 'bool' && b instanceof Tensor) throw notImplementedFor('pow', 'bool'); // bool ** False is allowed
  // A Python-scalar exponent (pow_tensor_scalar_kernel, native/cpu/PowKernel.cpp): float32 and
  // float64 take it as an unchecked double (measured: int16 ** 2.2e-308 is NaN at -129, float32 **
  // 1.8e308 is inf); float16/bfloat16 convert it to their own type with the overflow check
  // (to<scalar_t>), so bfloat16 x ** 255.9 is x ** 256; an integer dtype range-checks it and
  // refuses a negative one. A tensor exponent gives 0 / +-1 for negatives (powi).
  if (!(b instanceof Tensor) && a instanceof Tensor) {
    checkScalarPower(a, b);
    // the double detours keep a's layout, as the one kernel does
    if (d === 'float16' || d === 'bfloat16') return castPreserve(binary('pow', castPreserve(a, 'float64'), checkedConvert(b, d)), d);
    if (!isFloating(d)) checkedConvert(b, d);
    else if (typeof b === 'number') return castPreserve(binary('pow', castPreserve(a, 'float64'), b), d);
  }
  // pow(Scalar self, Tensor exponent) allocates its output contiguous (its meta function), not through TensorIterator
  if (!(a instanceof Tensor)) return contiguous(binary('pow', a, b));
  return binary('pow', a, b);
}

/**
 * The op whose autograd node (grad_fn) `x[key]` ends in, for a view (no
 * tensor index): torch's indexing (python_variable_indexing.cpp,
 * TensorIndexing.h applySlicing) applies the items in order, an int as
 * select, a slice as slice, None as unsqueeze, and inside a tuple skips a
 * slice that keeps its whole dim (start None or 0, step 1, stop None or past
 * the end), so the last op applied names the node and none at all is an
 * alias (`y[:, :]`, `y[...]`). A lone slice is always applied (`y[:]`).
 */
export function indexingOp(shape: readonly number[], items: readonly IndexItem[], tuple: boolean): string {
  const consumed = items.filter((it) => it.kind === 'int' || it.kind === 'slice').length;
  let dim = 0;
  let op = 'alias';
  for (const it of items) {
    if (it.kind === 'int') {
      op = 'select';
      dim++;
    } else if (it.kind === 'none') {
      op = 'unsqueeze';
    } else if (it.kind === 'ellipsis') {
      dim += shape.length - consumed;
    } else if (it.kind === 'slice') {
      const whole = (it.start === null || it.start === 0) && (it.step === null || it.step === 1) && (it.stop === null || it.stop >= shape[dim]);
      if (!tuple || !whole) op = 'slice';
      dim++;
    }
  }
  return op;
}

/**
 * The autograd node `x[key] = value` leaves on x (torch's THPVariable_setitem,
 * python_variable_indexing.cpp): the basic items are applied first, and an
 * int, None, a bool or a slice that cuts its dim makes a view, so the write
 * through it is CopySlices; on x itself (`x[mask] = v`, `x[:, idx] = v`,
 * `x[..., mask] = v`) tensor indices are index_put_ (IndexPutBackward0), and
 * with none (`x[...] = v`, `x[:] = v`) TensorIndexing.h copy_to fills from
 * a 0-d value (FillBackward3) and copies anything else (CopyBackwards).
 */
export function setItemNode(shape: readonly number[], items: readonly IndexItem[], value: Tensor | number | bigint | boolean): string {
  // dims an item indexes: a bool / byte mask covers as many as it has
  const width = (it: IndexItem) =>
    it.kind === 'int' || it.kind === 'slice' ? 1 : it.kind === 'tensor' ? (it.value.dtype === 'bool' || it.value.dtype === 'uint8' ? it.value.ndim : 1) : 0;
  const consumed = items.reduce((n, it) => n + width(it), 0);
  let dim = 0;
  let advanced = false;
  for (const it of items) {
    if (it.kind === 'int' || it.kind === 'none') return 'CopySlices';
    if (it.kind === 'ellipsis') {
      dim += shape.length - consumed;
    } else if (it.kind === 'tensor') {
      // a 0-d bool (Python True / torch.tensor(True)) is an unsqueeze, a view
      if (it.value.ndim === 0) return 'CopySlices';
      advanced = true;
      dim += width(it);
    } else {
      const len = shape[dim] ?? 0;
      const start = it.start === null ? 0 : it.start < 0 ? Math.max(it.start + len, 0) : Math.min(it.start, len);
      const stop = it.stop === null ? len : it.stop < 0 ? Math.max(it.stop + len, 0) : Math.min(it.stop, len);
      if (start !== 0 || stop !== len || (it.step ?? 1) !== 1) return 'CopySlices';
      dim++;
    }
  }
  if (advanced) return 'IndexPutBackward0';
  const scalar = !(value instanceof Tensor) || value.ndim === 0;
  return scalar && shape.length !== 0 ? 'FillBackward3' : 'CopyBackwards';
}

/** Python index expression → engine index items. */
export function indexItems(key: PyValue, ctx: CallContext): IndexItem[] {
  const one = (k: PyValue): IndexItem => {
    if (typeof k === 'bigint' || typeof k === 'boolean') {
      return typeof k === 'boolean' ? { kind: 'tensor', value: Tensor.fromData('bool', [], Uint8Array.of(k ? 1 : 0)) } : { kind: 'int', value: Number(k) };
    }
    if (k === null) return { kind: 'none' };
    if (k instanceof PyEllipsis) return { kind: 'ellipsis' };
    if (k instanceof PySlice) {
      const f = (x: PyValue) => (x === null ? null : toInt(x, 'slice indices'));
      return { kind: 'slice', start: f(k.start), stop: f(k.stop), step: f(k.step) };
    }
    if (k instanceof ArrayValue) {
      if (k.t.ndim === 0 && !k.t.isFloating && k.t.dtype !== 'bool' && k.t.dtype !== 'uint8') return { kind: 'int', value: k.t.item() };
      if (k instanceof TorchTensor) checkSelectMask(k.t, 'x[mask] indexing');
      return { kind: 'tensor', value: k.t };
    }
    if (k instanceof PyList) return { kind: 'tensor', value: toTorchData(k, ctx) };
    if (typeof k === 'number') throw pyError('IndexError', 'only integers, slices (`:`), ellipsis (`...`), None and long or byte Variables are valid indices (got float)');
    throw pyError('IndexError', `only integers, slices (\`:\`), ellipsis (\`...\`), None and long or byte Variables are valid indices (got ${typeNameOf(k)})`);
  };
  if (key instanceof PyTuple) return key.items.map(one);
  return [one(key)];
}

// Resolved lazily to avoid an import cycle with the torch module.
let tensorFromData: (v: PyValue, ctx: CallContext, dtype?: DType) => Tensor = () => {
  throw new Error('torch not initialised');
};
export function setTensorFactory(f: typeof tensorFromData): void {
  tensorFromData = f;
}
export function toTorchData(v: PyValue, ctx: CallContext, dtype?: DType): Tensor {
  return tensorFromData(v, ctx, dtype);
}

/** A tensor argument; Python scalars are accepted where PyTorch wraps them. */
export function tensorArg(v: PyValue | undefined, fn: string, name = 'input', allowScalar = false): Tensor {
  if (v instanceof ArrayValue) return v.t;
  if (allowScalar && (typeof v === 'bigint' || typeof v === 'number' || typeof v === 'boolean')) {
    return toTorchData(v, null as unknown as CallContext);
  }
  throw pyError('TypeError', `${fn}(): argument '${name}' (position 1) must be Tensor, not ${typeNameOf(v ?? null)}`);
}

function scalarArg(v: PyValue | undefined, fn: string): TensorOrScalar {
  const o = operand(v ?? null);
  if (o === undefined) throw pyError('TypeError', `${fn}(): argument 'other' must be Tensor or Number, not ${typeNameOf(v ?? null)}`);
  return o;
}

type Method = (self: TorchTensor, args: PyValue[], kw: Kwargs, ctx: CallContext) => PyValue;

const T = (self: TorchTensor, t: Tensor, op: string, ...others: PyValue[]) => track(new TorchTensor(t), op, self, ...others);

/**
 * The node Tensor.reshape records (ATen's reshape_symint): a view of a
 * contiguous tensor (ViewBackward0), a view through other strides
 * (_reshape_alias: ReshapeAliasBackward0, einops' repeat of an expanded
 * tensor), or a copy (_unsafe_view of a clone: UnsafeViewBackward0).
 */
function reshapeNode(x: Tensor, r: Tensor): string {
  if (x.isContiguous()) return 'reshape';
  return r.storage === x.storage ? 'ReshapeAliasBackward0' : 'UnsafeViewBackward0';
}

function castMethod(d: DType): Method {
  return (self, args, kw) => {
    const a = bind('cast', args, kw, ['memory_format?']);
    return self.t.dtype === d && keepsFormat(self.t, a.memory_format) ? self : T(self, castCarrying(self.t, d, a.memory_format), 'to');
  };
}

/**
 * The copy clone / to / float() ... make of `t` in dtype `d` for their
 * memory_format= argument: preserve_format (the default, also None) keeps a
 * dense t's strides (castPreserve), contiguous_format is row-major,
 * channels_last / channels_last_3d want a 4-D / 5-D tensor (ATen's
 * RuntimeError otherwise).
 */
export function copyInFormat(t: Tensor, d: DType, format: PyValue | undefined): Tensor {
  return castStrided(t, d, formatStrides(t, format));
}

/**
 * The strides a fresh copy of `t` (clone, to, the _like factories) gets for
 * memory_format= (see copyInFormat).
 */
export function formatStrides(t: Tensor, format: PyValue | undefined): readonly number[] {
  if (format === undefined || format === null || format === TorchMemoryFormat.PRESERVE) return preserveStrides(t);
  if (format === TorchMemoryFormat.CONTIGUOUS) return contiguousStrides(t.shape);
  if (format === TorchMemoryFormat.CHANNELS_LAST || format === TorchMemoryFormat.CHANNELS_LAST_3D) {
    const rank = format === TorchMemoryFormat.CHANNELS_LAST ? 4 : 5;
    if (t.ndim !== rank) throw runtimeError(`required rank ${rank} tensor to use ${(format as TorchMemoryFormat).name} format`);
    return channelsLastStrides(t.shape);
  }
  throw pyError('TypeError', `memory_format must be torch.memory_format, not ${tpName(format)}`);
}

/** Whether `t` already has the layout memory_format= asks for (so `.to(memory_format=...)` may return it). */
function keepsFormat(t: Tensor, format: PyValue | undefined): boolean {
  if (format === undefined || format === null || format === TorchMemoryFormat.PRESERVE) return true;
  return isContiguousIn(t, format);
}

/** Tensor.is_contiguous(memory_format=...): c10's flags (preserve_format asks the row-major one, as c10 does). */
function isContiguousIn(t: Tensor, format: PyValue | undefined): boolean {
  if (format === TorchMemoryFormat.CHANNELS_LAST) return isChannelsLastGeometry(t.shape, t.strides);
  if (format === TorchMemoryFormat.CHANNELS_LAST_3D) return isChannelsLast3dGeometry(t.shape, t.strides);
  if (format !== undefined && format !== null && !(format instanceof TorchMemoryFormat)) {
    throw pyError('TypeError', `is_contiguous(): argument 'memory_format' must be torch.memory_format, not ${tpName(format)}`);
  }
  return t.isContiguous();
}

/**
 * A cast keeps what the value was evidence of: a mask stays a mask, a random
 * draw stays random, and an additive mask cast to bool is True where it blocks.
 * The copy's layout follows `format` (copyInFormat; preserve_format by default).
 */
function castCarrying(t: Tensor, d: DType, format?: PyValue): Tensor {
  const r = propagateRandom(carryCopyEvidence(copyInFormat(t, d, format), t), t);
  return d === 'bool' && isFloating(t.dtype) && additiveValues(t.values()) ? noteBlockingBool(r) : r;
}

function reductionMethod(op: 'sum' | 'prod' | 'any' | 'all'): Method {
  return (self, args, kw, ctx) => {
    const a = bind(op, args, kw, ['dim?', 'keepdim?', 'dtype?']);
    const r = reduce(op, self.t, dimList(a.dim), toBool(a.keepdim, ctx), toDtype(a.dtype));
    return T(self, r, a.dim === undefined || a.dim === null ? op : `${op}.dim`);
  };
}

/** max/min: all-reduce, elementwise with a tensor, or (values, indices) along a dim. */
export function maxMin(op: 'max' | 'min', self: TorchTensor, args: PyValue[], kw: Kwargs, ctx: CallContext): PyValue {
  const a = bind(op, args, kw, ['dim?', 'keepdim?']);
  if (a.dim instanceof ArrayValue) return T(self, binary(op === 'max' ? 'maximum' : 'minimum', self.t, a.dim.t), op, a.dim);
  if (a.dim === undefined || a.dim === null) {
    if (self.t.numel === 0) {
      throw runtimeError(`${op}(): Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim with the 'dim' argument.`);
    }
    const r = reduce(op, self.t);
    // a zero result is +0 or -0 as ATen's reduce_all order picks it (print, 1/x and atan2 show the sign)
    if ((r.dtype === 'float32' || r.dtype === 'float64') && r.storage.data[r.offset] === 0) {
      r.storage.data[r.offset] = allReduceSignedZero(op, self.t);
    }
    return T(self, r, op);
  }
  const dim = toInt(a.dim, 'dim');
  const keep = toBool(a.keepdim, ctx);
  // max/min along a dim return the value at the (first) index, so a tie of 0 and -0 keeps the first;
  // the all-reduce max() above lets a later equal element win, as its vectorized kernel does
  const idx = reduce(op === 'max' ? 'argmax' : 'argmin', self.t, dim, true);
  const picked = self.t.ndim === 0 ? self.t : gather(self.t, dim, idx);
  const squeeze = (t: Tensor) => (keep || self.t.ndim === 0 ? t : reshape(t, t.shape.filter((_, i) => i !== (dim < 0 ? dim + self.t.ndim : dim))));
  const values = T(self, squeeze(picked), `${op}.dim`);
  const indices = new TorchTensor(squeeze(idx));
  return new PyNamedTuple([values, indices], `torch.return_types.${op}`, ['values', 'indices']);
}

function argReduce(op: 'argmax' | 'argmin'): Method {
  return (self, args, kw, ctx) => {
    const a = bind(op, args, kw, ['dim?', 'keepdim?']);
    if (self.t.dtype === 'bool') throw runtimeError(`${op}(): does not support bool input`);
    const dim = a.dim === undefined || a.dim === null ? null : toInt(a.dim, 'dim');
    if (dim === null) return new TorchTensor(reduce(op, reshape(self.t, [-1]), 0, false));
    return new TorchTensor(reduce(op, self.t, dim, toBool(a.keepdim, ctx)));
  };
}

// Rounding ops have no bool kernel (their *_vml_cpu dispatch leaves Bool out).
const NO_BOOL_KERNEL: Partial<Record<string, string>> = { floor: 'floor_vml_cpu', ceil: 'ceil_vml_cpu', round: 'round_vml_cpu', trunc: 'trunc_vml_cpu' };

function elementwise(op: Parameters<typeof unary>[0], floatOnly = true): Method {
  return (self) => {
    const t = self.t;
    const kernel = NO_BOOL_KERNEL[op];
    if (kernel && t.dtype === 'bool') throw notImplementedFor(kernel, 'bool');
    if (floatOnly && !isFloating(t.dtype)) {
      // computed in float32 from the integers, laid out as x (TensorIterator's promoted input)
      return T(self, unary(op, t, 'float32', 'float32'), op);
    }
    return T(self, unary(op, t), op);
  };
}

/**
 * Tensor.round(decimals=0) (ATen's round and round.decimals): without decimals, half-to-even
 * rounding; with them, nearbyint(x · 10^d) / 10^d (x / 10^-d · 10^-d for d < 0) in the
 * tensor's float type, grad_fn RoundBackward1. Integer and bool tensors refuse decimals
 * ("round_cpu" not implemented for 'Long').
 */
const roundMethod: Method = (self, args, kw, ctx) => {
  const a = bind('round', args, kw, ['decimals?']);
  if (a.decimals === undefined) return elementwise('round', false)(self, [], new Map(), ctx);
  const d = toInt(a.decimals, 'decimals');
  const t = self.t;
  if (!isFloating(t.dtype)) throw notImplementedFor('round_cpu', t.dtype);
  const p = 10 ** Math.abs(d);
  const r = d >= 0 ? binary('div', unary('round', binary('mul', t, p)), p) : binary('mul', unary('round', binary('div', t, p)), p);
  return T(self, r, 'round.decimals');
};

function binaryMethod(op: string, inplace = false): Method {
  return (self, args, kw) => {
    const a = bind(op, args, kw, ['other', 'alpha?', 'rounding_mode?']);
    const other = scalarArg(a.other, op);
    let r: Tensor;
    if (a.alpha !== undefined && (op === '+' || op === '-')) {
      const alpha = scalarArg(a.alpha, op);
      if (op === '-') checkBoolSub(self.t, other);
      r = addScaled(self.t, other, alpha instanceof Tensor ? itemScalar(alpha) : alpha, op === '-');
    } else if (op === '/' && a.rounding_mode !== undefined && a.rounding_mode !== null) {
      const rt = resultType(self.t, other);
      if (a.rounding_mode === 'floor') r = floorDivide(self.t, other);
      else if (rt === 'bool') throw notImplementedFor('div_trunc_cpu', rt);
      else if (isIntegral(rt)) r = truncDivideInt(self.t, other);
      else {
        r = unary('trunc', binary('div', self.t, other), undefined);
        if (!isFloating(rt)) r = cast(r, rt);
      }
    } else r = tensorBinary(op, self.t, other);
    if (inplace) {
      checkInplaceCast(r.dtype, self.t.dtype);
      assignInto(self.t, r);
      return self;
    }
    return T(self, r, BINARY_GRAD[op] ?? 'add', a.other ?? null);
  };
}

function compareMethod(op: BinaryOp): Method {
  return (self, args, kw) => {
    const a = bind(op, args, kw, ['other']);
    const other = scalarArg(a.other, op);
    const symbol = ({ lt: '<', le: '<=', gt: '>', ge: '>=' } as Record<string, string>)[op] ?? op;
    return new TorchTensor(carryPositions(binary(op, self.t, other), symbol, self.t, other));
  };
}

function logicalMethod(op: 'and' | 'or' | 'xor'): Method {
  return (self, args, kw) => {
    const a = bind(`logical_${op}`, args, kw, ['other']);
    const o = scalarArg(a.other, `logical_${op}`);
    return new TorchTensor(propagateRandom(binary(op, self.t, o), self.t, o));
  };
}

function inplace(m: Method): Method {
  return (self, args, kw, ctx) => {
    const r = m(self, args, kw, ctx);
    if (r instanceof TorchTensor) {
      checkInplaceCast(r.t.dtype, self.t.dtype);
      assignInto(self.t, r.t);
    }
    return self;
  };
}

function dimArg(a: Bound, name = 'dim'): number {
  const v = a[name];
  if (v === undefined || v === null) throw pyError('TypeError', `missing required argument '${name}'`);
  return toInt(v, name);
}

export function softmaxArgs(fn: string, self: Tensor, a: Bound): { dim: number; dtype?: DType } {
  if (a.dim === undefined || a.dim === null) {
    if (fn.startsWith('F.')) {
      // Legacy implicit dim choice, with PyTorch's warning.
      const nd = self.ndim;
      const dim = nd === 0 || nd === 1 || nd === 3 ? 0 : 1;
      return { dim, dtype: toDtype(a.dtype) };
    }
    throw pyError('TypeError', `${fn.replace('F.', '')}() missing 1 required positional arguments: "dim"`);
  }
  return { dim: toInt(a.dim, 'dim'), dtype: toDtype(a.dtype) };
}

/**
 * softmax / log_softmax of `x` as every torch entry point computes it
 * (Tensor.softmax, torch.softmax, F.softmax, nn.Softmax): resolve dim and
 * dtype, check the input for masking mistakes, record the derivation.
 * `fn` names the caller in errors ('F.softmax' allows the legacy implicit dim).
 */
export function softmaxCall(fn: string, x: Tensor, a: Bound, log: boolean): Tensor {
  const { dim, dtype } = softmaxArgs(fn, x, a);
  checkSoftmax(x, dim, log);
  return noteDerivation(softmax(x, dim, log, dtype), { op: log ? 'log_softmax' : 'softmax', dim, input: x });
}

// The methods torch's C++ binding registers with METH_NOARGS (tools/autograd/templates/
// python_variable_methods.cpp: no overload takes an argument), listed from torch 2.13 by
// calling each with one argument: CPython rejects any argument before the method runs.
const NO_ARG_METHODS: ReadonlySet<string> = new Set([
  '__abs__', 'abs', 'absolute', 'bitwise_not', 'ceil', 'ceil_', 'cos', 'cosh', 'detach', 'dim', 'element_size', 'erf', 'erfinv',
  'erfinv_', 'exp', 'exp_', 'expm1', 'floor', 'floor_', 'is_complex', 'is_floating_point', 'isfinite', 'isinf', 'isnan', 'item', 'log',
  'log1p', 'logical_not', 'ndimension', 'neg', 'nelement', 'numel', 'reciprocal', 'relu', 'rsqrt', 'sigmoid', 'sign', 'sin', 'sinh',
  'sqrt', 'square', 't', 'tanh', 'tolist', 'trunc', 'trunc_', 'zero_',
]);
// Methods whose every parameter is keyword-only (memory_format=, non_blocking=, force=):
// PythonArgParser refuses a positional one.
const KEYWORD_ONLY_METHODS: ReadonlySet<string> = new Set([
  'bfloat16', 'bool', 'byte', 'char', 'clone', 'contiguous', 'cpu', 'double', 'float', 'half', 'int', 'is_contiguous', 'long', 'numpy', 'short',
]);
// torch.<name>(input, *, out=None) functions: every overload takes `input` alone positionally.
const ONE_INPUT_FUNCTIONS: ReadonlySet<string> = new Set([
  ...[...NO_ARG_METHODS].filter((n) => !['__abs__', 'dim', 'element_size', 'erfinv_', 'item', 'ndimension', 'nelement', 'tolist'].includes(n)),
  'clone', 'nonzero',
]);

const given = (n: number) => `${n} ${n === 1 ? 'was' : 'were'} given`;

/**
 * Tensor.<name>(*args, **kw)'s argument check before the method runs, with torch's
 * TypeError wording: "TensorBase.exp() takes no arguments (1 given)" and "... takes no
 * keyword arguments" for a METH_NOARGS method, "clone() takes 0 positional arguments
 * but 1 was given" for one with keyword-only parameters. Other methods bind their own.
 */
export function checkMethodArguments(name: string, args: readonly PyValue[], kw: Kwargs): void {
  if (NO_ARG_METHODS.has(name)) {
    if (args.length > 0) throw pyError('TypeError', `TensorBase.${name}() takes no arguments (${args.length} given)`);
    if (kw.size > 0) throw pyError('TypeError', `TensorBase.${name}() takes no keyword arguments`);
  } else if (KEYWORD_ONLY_METHODS.has(name) && args.length > 0) {
    throw pyError('TypeError', `${name}() takes 0 positional arguments but ${given(args.length)}`);
  }
}

/**
 * torch.<name>(...)'s check for the one-input functions (exp, sigmoid, clone, ...):
 * "exp() takes 1 positional argument but 2 were given" (`positional` counts `input`),
 * "exp() got an unexpected keyword argument 'foo'".
 */
export function checkFunctionArguments(name: string, positional: number, kw: Kwargs): void {
  if (!ONE_INPUT_FUNCTIONS.has(name)) return;
  if (positional > 1) throw pyError('TypeError', `${name}() takes 1 positional argument but ${given(positional)}`);
  if (positional === 0 && !kw.has('input')) throw pyError('TypeError', `${name}() missing 1 required positional arguments: "input"`);
  if (positional === 1 && kw.has('input')) throw pyError('TypeError', `${name}() got multiple values for argument 'input'`);
  // the METH_NOARGS ones take nothing else but out=
  const extra = NO_ARG_METHODS.has(name) ? [...kw.keys()].find((k) => k !== 'input' && k !== 'out') : undefined;
  if (extra !== undefined) throw pyError('TypeError', `${name}() got an unexpected keyword argument '${extra}'`);
}

export const TENSOR_METHODS: Record<string, Method> = {
  size: (self, args, kw) => {
    const a = bind('size', args, kw, ['dim?']);
    if (a.dim === undefined || a.dim === null) return torchSize(self.t.shape);
    const d = toInt(a.dim, 'dim');
    const nd = Math.max(self.t.ndim, 1);
    if (d < -nd || d >= nd) {
      throw pyError('IndexError', `Dimension out of range (expected to be in range of [${-nd}, ${nd - 1}], but got ${d})`);
    }
    return BigInt(self.t.shape[d < 0 ? d + self.t.ndim : d] ?? 1);
  },
  dim: (self) => BigInt(self.t.ndim),
  ndimension: (self) => BigInt(self.t.ndim),
  numel: (self) => BigInt(self.t.numel),
  nelement: (self) => BigInt(self.t.numel),
  element_size: (self) => BigInt({ bool: 1, uint8: 1, int8: 1, int16: 2, int32: 4, int64: 8, float16: 2, bfloat16: 2, float32: 4, float64: 8 }[self.t.dtype]),
  item: (self) => {
    if (self.t.numel !== 1) {
      throw runtimeError(`a Tensor with ${self.t.numel} elements cannot be converted to Scalar`);
    }
    return itemOf(self.t);
  },
  tolist: (self) => nestedList(self.t),
  float: castMethod('float32'),
  double: castMethod('float64'),
  half: castMethod('float16'),
  bfloat16: castMethod('bfloat16'),
  long: castMethod('int64'),
  int: castMethod('int32'),
  short: castMethod('int16'),
  char: castMethod('int8'),
  byte: castMethod('uint8'),
  bool: castMethod('bool'),
  to: (self, args, kw) => {
    if ([...args, ...kw.values()].some(isForeignDtype)) throw dtypeCombination('to', args, kw, TO_SIGNATURES);
    let d: DType | undefined;
    // a device string is checked as torch.device checks it (x.to("float32") is "Invalid device string")
    for (const x of [...args, kw.get('device')]) if (typeof x === 'string') makeDevice([x], new Map());
    for (const x of [...args, kw.get('dtype')]) {
      if (x instanceof TorchDtype) d = x.dtype;
      else if (x instanceof TorchTensor) d = x.t.dtype;
      else if (x === TYPE_CLASSES.get('float') || x === TYPE_CLASSES.get('int') || x === TYPE_CLASSES.get('bool')) d = toDtype(x);
    }
    const format = kw.get('memory_format');
    if ((d === undefined || d === self.t.dtype) && keepsFormat(self.t, format)) return self;
    return T(self, castCarrying(self.t, d ?? self.t.dtype, format), 'to');
  },
  type: (self, args, kw) => {
    const a = bind('type', args, kw, ['dtype?', 'non_blocking?']);
    if (a.dtype === undefined || a.dtype === null) return `torch.${tensorTypeName(self.t.dtype)}`;
    if (isForeignDtype(a.dtype) && a.dtype instanceof PyClass) throw pyError('ValueError', `invalid type: '${a.dtype.qualname}'`);
    const d = typeof a.dtype === 'string' ? TORCH_DTYPE_ALIASES[a.dtype.replace('torch.', '').replace('Tensor', '').toLowerCase()] ?? legacyTypeName(a.dtype) : toDtype(a.dtype)!;
    return d === self.t.dtype ? self : T(self, castCarrying(self.t, d), 'to');
  },
  type_as: (self, [other]) => {
    const d = tensorArg(other, 'type_as', 'other').dtype;
    return d === self.t.dtype ? self : T(self, castCarrying(self.t, d), 'to');
  },
  is_floating_point: (self) => isFloating(self.t.dtype),
  is_contiguous: (self, args, kw) => isContiguousIn(self.t, bind('is_contiguous', args, kw, ['memory_format?']).memory_format),
  /**
   * Tensor.stride() / stride(dim): the elements to step over per index of
   * each dim, as a tuple of ints, or one int (a negative dim counts from the
   * end; out of range: IndexError as ATen's maybe_wrap_dim).
   */
  stride: (self, args, kw) => {
    const a = bind('stride', args, kw, ['dim?']);
    const t = self.t;
    if (a.dim === undefined || a.dim === null) return new PyTuple(t.strides.map((s) => BigInt(s)));
    if (typeof a.dim !== 'bigint' && typeof a.dim !== 'boolean') throw pyError('TypeError', `stride(): argument 'dim' (position 1) must be int, not ${tpName(a.dim)}`);
    const d = toInt(a.dim, 'dim');
    if (t.ndim === 0) throw pyError('IndexError', `Dimension specified as ${d} but tensor has no dimensions`);
    return BigInt(t.strides[normalizeDim(d, t.ndim)]);
  },
  /** Tensor.storage_offset(): where the tensor's first element lies in its storage, in elements. */
  storage_offset: (self) => BigInt(self.t.offset),
  diagonal: (self, args, kw) => {
    const a = bind('diagonal', args, kw, ['offset?', 'dim1?', 'dim2?']);
    const int = (v: PyValue | undefined, name: string, d: number) => (v === undefined ? d : toInt(v, name));
    return T(self, diagonal(self.t, int(a.offset, 'offset', 0), int(a.dim1, 'dim1', 0), int(a.dim2, 'dim2', 1)), 'diagonal');
  },
  view: (self, args, kw) => {
    if (args.length === 1 && args[0] instanceof TorchDtype) throw runtimeError('view(dtype) is not supported by Mask Lens');
    return T(self, view(self.t, sizeArgs('view', args, kw, 'size', VIEW_OVERLOADS)), 'view');
  },
  reshape: (self, args, kw) => {
    const r = reshape(self.t, sizeArgs('reshape', args, kw, 'shape'));
    return T(self, r, reshapeNode(self.t, r));
  },
  view_as: (self, [o]) => T(self, view(self.t, tensorArg(o, 'view_as', 'other').shape), 'view'),
  reshape_as: (self, [o]) => T(self, reshape(self.t, tensorArg(o, 'reshape_as', 'other').shape), 'reshape'),
  permute: (self, args, kw) => T(self, permute(self.t, sizeArgs('permute', args, kw, 'dims')), 'permute'),
  transpose: (self, args, kw) => {
    const a = bind('transpose', args, kw, ['dim0', 'dim1']);
    return T(self, transpose(self.t, toInt(a.dim0, 'dim0'), toInt(a.dim1, 'dim1')), 'transpose');
  },
  t: (self) => {
    if (self.t.ndim > 2) throw runtimeError(`t() expects a tensor with <= 2 dimensions, but self is ${self.t.ndim}D`);
    return T(self, self.t.ndim < 2 ? self.t : transpose(self.t, 0, 1), 'transpose');
  },
  unsqueeze: (self, args, kw) => T(self, unsqueeze(self.t, dimArg(bind('unsqueeze', args, kw, ['dim']))), 'unsqueeze'),
  squeeze: (self, args, kw) => {
    const a = bind('squeeze', args, kw, ['dim?']);
    const d = dimList(a.dim);
    return T(self, squeeze(self.t, d === null ? undefined : d), 'squeeze');
  },
  expand: (self, args, kw) => T(self, expand(self.t, sizeArgs('expand', args, kw)), 'expand'),
  expand_as: (self, [o]) => T(self, expand(self.t, tensorArg(o, 'expand_as', 'other').shape), 'expand'),
  repeat: (self, args, kw) => T(self, carryCopyEvidence(repeat(self.t, sizeArgs('repeat', args, kw, 'repeats')), self.t), 'repeat'),
  // torch.tile: repeat, with dims padded by leading 1s to the tensor's rank (ATen's tile)
  tile: (self, args, kw) => {
    const dims = sizeArgs('tile', args, kw, 'dims');
    return T(self, carryCopyEvidence(repeat(self.t, [...new Array<number>(Math.max(0, self.t.ndim - dims.length)).fill(1), ...dims]), self.t), 'repeat');
  },
  flatten: (self, args, kw) => {
    const a = bind('flatten', args, kw, ['start_dim?', 'end_dim?']);
    const r = flatten(self.t, a.start_dim === undefined ? 0 : toInt(a.start_dim, 'start_dim'), a.end_dim === undefined ? -1 : toInt(a.end_dim, 'end_dim'));
    // flatten reshapes: the same nodes as reshape
    return T(self, r, self.t.isContiguous() ? 'flatten' : reshapeNode(self.t, r));
  },
  // copies keep the mask evidence of what they copy (positions, built from lengths, a mask history)
  contiguous: (self) => (self.t.isContiguous() ? self : T(self, carryCopyEvidence(contiguous(self.t), self.t), 'contiguous')),
  clone: (self, args, kw) => T(self, carryCopyEvidence(copyInFormat(self.t, self.t.dtype, bind('clone', args, kw, ['memory_format?']).memory_format), self.t), 'clone'),
  detach: (self) => new TorchTensor(self.t),
  cpu: (self) => self,
  cuda: (self) => self,
  numpy: (self) => {
    if (self.requiresGrad) throw runtimeError("Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() instead.");
    return numpyFromTorch(self.t);
  },
  requires_grad_: (self, args, kw, ctx) => {
    const a = bind('requires_grad_', args, kw, ['requires_grad?']);
    self.requiresGrad = toBool(a.requires_grad, ctx, true);
    return self;
  },
  sum: reductionMethod('sum'),
  prod: reductionMethod('prod'),
  any: reductionMethod('any'),
  all: reductionMethod('all'),
  mean: (self, args, kw, ctx) => {
    const a = bind('mean', args, kw, ['dim?', 'keepdim?', 'dtype?']);
    return T(self, mean(self.t, dimList(a.dim), toBool(a.keepdim, ctx), toDtype(a.dtype)), a.dim === undefined || a.dim === null ? 'mean' : 'mean.dim');
  },
  std: (self, args, kw, ctx) => varStd(self, args, kw, ctx, true),
  var: (self, args, kw, ctx) => varStd(self, args, kw, ctx, false),
  max: (self, args, kw, ctx) => maxMin('max', self, args, kw, ctx),
  min: (self, args, kw, ctx) => maxMin('min', self, args, kw, ctx),
  argmax: argReduce('argmax'),
  argmin: argReduce('argmin'),
  softmax: (self, args, kw) => T(self, softmaxCall('softmax', self.t, bind('softmax', args, kw, ['dim?', 'dtype?']), false), 'softmax'),
  log_softmax: (self, args, kw) => T(self, softmaxCall('log_softmax', self.t, bind('log_softmax', args, kw, ['dim?', 'dtype?']), true), 'log_softmax'),
  masked_fill: (self, args, kw) => {
    const a = bind('masked_fill', args, kw, ['mask', 'value']);
    const mask = tensorArg(a.mask, 'masked_fill', 'mask');
    noteMaskConsumer(mask, 'masked_fill');
    checkBroadcast([{ label: 'self', t: self.t }, { label: 'mask', t: mask }], 'masked_fill');
    const fill = fillArg(a.value);
    checkMaskedFill(self.t, mask, fill, 'masked_fill');
    return T(self, noteFill(maskedFill(self.t, mask, fill), self.t, mask, fill), 'masked_fill', a.value ?? null);
  },
  masked_fill_: (self, args, kw) => {
    const a = bind('masked_fill_', args, kw, ['mask', 'value']);
    const mask = tensorArg(a.mask, 'masked_fill_', 'mask');
    noteMaskConsumer(mask, 'masked_fill');
    const fill = fillArg(a.value);
    const before = recordingDerivations() ? cast(self.t, self.t.dtype) : undefined;
    checkMaskedFill(self.t, mask, fill, 'masked_fill_');
    maskedFillInPlace(self.t, mask, fill);
    if (before) noteFill(self.t, before, mask, fill);
    return self;
  },
  masked_select: (self, args, kw) => {
    const a = bind('masked_select', args, kw, ['mask']);
    const mask = tensorArg(a.mask, 'masked_select', 'mask');
    checkSelectMask(mask, 'masked_select');
    return T(self, maskedSelect(self.t, mask), 'masked_select');
  },
  gather: (self, args, kw) => {
    const a = bind('gather', args, kw, ['dim', 'index', 'sparse_grad?']);
    const index = tensorArg(a.index, 'gather', 'index');
    // a gather through argsort(noise) (MAE's random_masking) reorders by the draw: random
    return T(self, propagateRandom(gather(self.t, dimArg(a), index), index), 'gather');
  },
  scatter: (self, args, kw) => scatter(self, args, kw, false, 'none'),
  scatter_: (self, args, kw) => scatter(self, args, kw, true, 'none'),
  scatter_add: (self, args, kw) => scatter(self, args, kw, false, 'add'),
  scatter_add_: (self, args, kw) => scatter(self, args, kw, true, 'add'),
  index_select: (self, args, kw) => {
    const a = bind('index_select', args, kw, ['dim', 'index']);
    return T(self, indexSelect(self.t, dimArg(a), tensorArg(a.index, 'index_select', 'index')), 'index');
  },
  nonzero: (self, args, kw, ctx) => {
    const a = bind('nonzero', args, kw, ['as_tuple?']);
    const nz = nonzero(self.t);
    if (toBool(a.as_tuple, ctx)) {
      return new PyTuple(Array.from({ length: self.t.ndim }, (_, k) => new TorchTensor(contiguous(select(nz, 1, k)))));
    }
    return new TorchTensor(nz);
  },
  eq: compareMethod('eq'), ne: compareMethod('ne'), lt: compareMethod('lt'), le: compareMethod('le'),
  gt: compareMethod('gt'), ge: compareMethod('ge'), greater: compareMethod('gt'), less: compareMethod('lt'),
  not_equal: compareMethod('ne'), greater_equal: compareMethod('ge'), less_equal: compareMethod('le'),
  equal: (self, [o]) => {
    const b = tensorArg(o, 'equal', 'other');
    if (b.shape.length !== self.t.shape.length || b.shape.some((s, i) => s !== self.t.shape[i])) return false;
    return reduce('all', binary('eq', self.t, b)).item() !== 0;
  },
  allclose: (self, args, kw, ctx) => {
    const a = bind('allclose', args, kw, ['other', 'rtol?', 'atol?', 'equal_nan?']);
    return allClose(self.t, tensorArg(a.other, 'allclose', 'other'), a, ctx);
  },
  logical_not: (self) => new TorchTensor(carryMaskEvidence(carryFromLengths(unary('not', self.t, 'bool'), self.t), self.t)),
  logical_and: logicalMethod('and'),
  logical_or: logicalMethod('or'),
  logical_xor: logicalMethod('xor'),
  bitwise_not: (self) => new TorchTensor(bitwiseNot(self.t)),
  bitwise_and: (self, [o]) => new TorchTensor(tensorBinary('&', self.t, scalarArg(o, 'bitwise_and'))),
  bitwise_or: (self, [o]) => new TorchTensor(tensorBinary('|', self.t, scalarArg(o, 'bitwise_or'))),
  bitwise_xor: (self, [o]) => new TorchTensor(tensorBinary('^', self.t, scalarArg(o, 'bitwise_xor'))),
  add: binaryMethod('+'), sub: binaryMethod('-'), mul: binaryMethod('*'), div: binaryMethod('/'),
  subtract: binaryMethod('-'), multiply: binaryMethod('*'), divide: binaryMethod('/'), true_divide: binaryMethod('/'),
  floor_divide: binaryMethod('//'), remainder: binaryMethod('%'), pow: binaryMethod('**'),
  add_: binaryMethod('+', true), sub_: binaryMethod('-', true), mul_: binaryMethod('*', true), div_: binaryMethod('/', true),
  pow_: binaryMethod('**', true),
  matmul: (self, [o]) => T(self, matmul(self.t, tensorArg(o, 'matmul', 'other')), 'matmul', o),
  mm: (self, [o]) => {
    const b = tensorArg(o, 'mm', 'mat2');
    if (self.t.ndim !== 2) throw runtimeError('self must be a matrix');
    if (b.ndim !== 2) throw runtimeError('mat2 must be a matrix');
    return T(self, matmul(self.t, b), 'mm', o);
  },
  // addmm(mat1, mat2, *, beta=1, alpha=1): beta·self + alpha·(mat1 @ mat2), self broadcast to the
  // product's shape (Hugging Face's Conv1D, GPT-2's projections). The product is rounded once and
  // the bias added after it, as MKL's sgemm epilogue does and as F.linear here computes its 2-D case.
  addmm: (self, args, kw) => {
    const a = bind('addmm', args, kw, ['mat1', 'mat2', 'beta?', 'alpha?']);
    const m1 = tensorArg(a.mat1, 'addmm', 'mat1');
    const m2 = tensorArg(a.mat2, 'addmm', 'mat2');
    if (m1.ndim !== 2) throw runtimeError(`mat1 must be a matrix, got ${m1.ndim}-D tensor`);
    if (m2.ndim !== 2) throw runtimeError(`mat2 must be a matrix, got ${m2.ndim}-D tensor`);
    if (m1.shape[1] !== m2.shape[0]) throw runtimeError(`mat1 and mat2 shapes cannot be multiplied (${m1.shape[0]}x${m1.shape[1]} and ${m2.shape[0]}x${m2.shape[1]})`);
    if (self.t.dtype !== m2.dtype) throw runtimeError(`self and mat2 must have the same dtype, but got ${scalarTypeName(self.t.dtype)} and ${scalarTypeName(m2.dtype)}`);
    const input = expand(self.t, [m1.shape[0], m2.shape[1]]);
    const alpha = a.alpha ?? 1n, beta = a.beta ?? 1n;
    const scalar = (v: PyValue, name: string): Scalar => {
      if (typeof v === 'number' || typeof v === 'bigint') return v;
      if (typeof v === 'boolean') return v ? 1n : 0n;
      throw pyError('TypeError', `addmm(): argument '${name}' must be Number, not ${typeNameOf(v)}`);
    };
    const al = scalar(alpha, 'alpha'), be = scalar(beta, 'beta');
    let product = matmul(m1, m2);
    if (Number(al) !== 1) product = binary('mul', product, al);
    const r = Number(be) === 0 ? product : binary('add', Number(be) === 1 ? input : binary('mul', input, be), product);
    return T(self, r, 'addmm', a.mat1 ?? null, a.mat2 ?? null);
  },
  // baddbmm(batch1, batch2, *, beta=1, alpha=1): beta·self + alpha·(batch1 @ batch2), self broadcast
  // to the product (Hugging Face Bloom's alibi scores). Measured on torch 2.13 (naive loop and gemm
  // alike): the product as bmm sums it, then beta·self and alpha·product each rounded and added;
  // beta == 0 ignores self (NaN included), as ATen's baddbmm_cpu_kernel and gemm do.
  baddbmm: (self, args, kw) => {
    const a = bind('baddbmm', args, kw, ['batch1', 'batch2', 'beta?', 'alpha?']);
    const b1 = tensorArg(a.batch1, 'baddbmm', 'batch1');
    const b2 = tensorArg(a.batch2, 'baddbmm', 'batch2');
    if (b1.ndim !== 3) throw runtimeError('batch1 must be a 3D tensor');
    if (b2.ndim !== 3) throw runtimeError('batch2 must be a 3D tensor');
    if (b2.shape[0] !== b1.shape[0] || b2.shape[1] !== b1.shape[2]) {
      throw runtimeError(`Expected size for first two dimensions of batch2 tensor to be: [${b1.shape[0]}, ${b1.shape[2]}] but got: [${b2.shape[0]}, ${b2.shape[1]}].`);
    }
    const cName = (d: DType) => ({ float32: 'float', float64: 'double', float16: 'half', int64: 'long', int32: 'int' } as Partial<Record<DType, string>>)[d] ?? d;
    if (self.t.dtype !== b1.dtype || b1.dtype !== b2.dtype) {
      throw runtimeError(`Input dtypes must be the same, got: input ${cName(self.t.dtype)}, batch1: ${cName(b1.dtype)}, batch2: ${cName(b2.dtype)}`);
    }
    const input = expand(self.t, [b1.shape[0], b1.shape[1], b2.shape[2]]);
    const al = fillScalar(a.alpha ?? 1n, 'alpha'), be = fillScalar(a.beta ?? 1n, 'beta');
    let product = matmul(b1, b2);
    if (Number(al) !== 1) product = binary('mul', product, al);
    const r = Number(be) === 0 ? product : binary('add', Number(be) === 1 ? input : binary('mul', input, be), product);
    return T(self, r, 'baddbmm', a.batch1 ?? null, a.batch2 ?? null);
  },
  bmm: (self, [o]) => {
    const b = tensorArg(o, 'bmm', 'mat2');
    if (self.t.ndim !== 3) throw runtimeError(`batch1 must be a 3D tensor`);
    if (b.ndim !== 3) throw runtimeError(`batch2 must be a 3D tensor`);
    return T(self, matmul(self.t, b), 'bmm', o);
  },
  abs: (self) => {
    if (self.t.dtype === 'bool') throw notImplementedFor('abs_cpu', 'bool');
    return T(self, unary('abs', self.t), 'abs');
  },
  neg: (self) => T(self, unary('neg', self.t), 'neg'),
  exp: elementwise('exp'), log: elementwise('log'), sqrt: elementwise('sqrt'), rsqrt: elementwise('rsqrt'),
  sigmoid: elementwise('sigmoid'), tanh: elementwise('tanh'), sin: elementwise('sin'), cos: elementwise('cos'),
  log1p: elementwise('log1p'), expm1: elementwise('expm1'), sinh: elementwise('sinh'), cosh: elementwise('cosh'), reciprocal: elementwise('recip'),
  floor: elementwise('floor', false), ceil: elementwise('ceil', false), round: roundMethod,
  trunc: elementwise('trunc', false), sign: elementwise('sign', false),
  isnan: (self) => new TorchTensor(unary('isnan', self.t, 'bool')),
  isinf: (self) => new TorchTensor(unary('isinf', self.t, 'bool')),
  isfinite: (self) => new TorchTensor(unary('isfinite', self.t, 'bool')),
  relu: (self) => T(self, binary('maximum', self.t, self.t.dtype === 'bool' ? false : 0n), 'relu'),
  clamp: (self, args, kw) => {
    const a = bind('clamp', args, kw, ['min?', 'max?']);
    return T(self, clamp(self.t, operand(a.min ?? null) ?? null, operand(a.max ?? null) ?? null), 'clamp');
  },
  exp_: inplace((s) => T(s, unary('exp', s.t), 'exp')),
  round_: inplace(roundMethod), floor_: inplace(elementwise('floor', false)), ceil_: inplace(elementwise('ceil', false)), trunc_: inplace(elementwise('trunc', false)),
  clamp_: inplace((self, args, kw) => {
    const a = bind('clamp_', args, kw, ['min?', 'max?']);
    return new TorchTensor(clamp(self.t, operand(a.min ?? null) ?? null, operand(a.max ?? null) ?? null));
  }),
  fill_: (self, [v]) => {
    const fill = fillArg(v, 'fill_', '(Tensor value)\n * (Number value)');
    // ATen's fill_: a tensor value must be 0-dim (espnet's pad_list(xs, pad_value) with a tensor pad_value)
    if (fill instanceof Tensor && fill.ndim > 0) throw runtimeError(`fill_ only supports 0-dimension value tensor but got tensor with ${fill.ndim} dimensions.`);
    assignInto(self.t, fill);
    return self;
  },
  zero_: (self) => {
    assignInto(self.t, 0n);
    return self;
  },
  triu: (self, args, kw) => T(self, noteMaskSource(triu(self.t, diagonalArg(args, kw, 'triu'))), 'triu'),
  tril: (self, args, kw) => T(self, noteMaskSource(tril(self.t, diagonalArg(args, kw, 'tril'))), 'tril'),
  // in place, the storage itself becomes the mask (torch.ones(T, T).tril_())
  triu_: (self, args, kw) => (assignInto(self.t, triu(self.t, diagonalArg(args, kw, 'triu_'))), noteMaskSource(self.t), self),
  tril_: (self, args, kw) => (assignInto(self.t, tril(self.t, diagonalArg(args, kw, 'tril_'))), noteMaskSource(self.t), self),
  masked_scatter: (self, args, kw) => {
    const a = bind('masked_scatter', args, kw, ['mask', 'source']);
    const mask = tensorArg(a.mask, 'masked_scatter', 'mask');
    checkMask(mask, 'masked_scatter_');
    const source = tensorArg(a.source, 'masked_scatter', 'source');
    const src = source.values();
    const out = cast(expand(self.t, self.t.shape), self.t.dtype);
    const m = contiguous(expand(mask, self.t.shape)).values();
    let j = 0;
    if (out.dtype === 'int64' && (hasWide(out) || hasWide(source))) {
      // int64 beyond 2^53: exact values, and no stale exact value left under a written element
      const exact = int64Values(source);
      for (let i = 0; i < m.length; i++) if (m[i]) setInt64(out.storage, i, exact[j++]);
    } else for (let i = 0; i < m.length; i++) if (m[i]) out.storage.data[i] = src[j++];
    return T(self, out, 'masked_scatter');
  },
  split: (self, args, kw) => {
    const a = bind('split', args, kw, ['split_size', 'dim?']);
    const dim = a.dim === undefined ? 0 : toInt(a.dim, 'dim');
    const parts = a.split_size instanceof PyList || a.split_size instanceof PyTuple
      ? splitSizes(self.t, toIntList(a.split_size, 'split_size'), dim)
      : split(self.t, toInt(a.split_size, 'split_size'), dim);
    return new PyTuple(parts.map((p) => T(self, p, 'split')));
  },
  chunk: (self, args, kw) => {
    const a = bind('chunk', args, kw, ['chunks', 'dim?']);
    return new PyTuple(chunk(self.t, toInt(a.chunks, 'chunks'), a.dim === undefined ? 0 : toInt(a.dim, 'dim')).map((p) => T(self, p, 'split')));
  },
  unbind: (self, args, kw) => {
    const a = bind('unbind', args, kw, ['dim?']);
    const d = a.dim === undefined ? 0 : toInt(a.dim, 'dim');
    const dd = d < 0 ? d + self.t.ndim : d;
    return new PyTuple(Array.from({ length: self.t.shape[dd] }, (_, i) => T(self, select(self.t, dd, i), 'unbind')));
  },
  flip: (self, args, kw) => T(self, flip(self.t, sizeArgs('flip', args, kw, 'dims')), 'flip'),
  cumsum: (self, args, kw) => {
    const a = bind('cumsum', args, kw, ['dim?', 'dtype?']);
    // PyTorch's arg parser, not Python's, words the missing dim
    if (a.dim === undefined) throw pyError('TypeError', 'cumsum() missing 1 required positional arguments: "dim"');
    return T(self, cumsum(self.t, dimArg(a), toDtype(a.dtype)), 'cumsum');
  },
  cumprod: (self, args, kw) => {
    const a = bind('cumprod', args, kw, ['dim?', 'dtype?']);
    if (a.dim === undefined) throw pyError('TypeError', 'cumprod() missing 1 required positional arguments: "dim"');
    // the running product of a 0/1 mask is a mask: 1 until the first 0 (`(tokens != eos).cumprod(1)`)
    return T(self, carryMaskEvidence(cumprod(self.t, dimArg(a), toDtype(a.dtype)), self.t), 'cumprod');
  },
  new_zeros: (self, args, kw) => new TorchTensor(filled(sizeArgs('new_zeros', args, kw), 0, toDtype(kw.get('dtype')) ?? self.t.dtype)),
  new_ones: (self, args, kw) => new TorchTensor(filled(sizeArgs('new_ones', args, kw), 1, toDtype(kw.get('dtype')) ?? self.t.dtype)),
  new_full: (self, args, kw) => {
    const a = bind('new_full', args, kw, ['size', 'fill_value', 'dtype?']);
    return new TorchTensor(filled(sizeArg('new_full', 'size', 1, a.size, kw), fillScalar(a.fill_value, 'fill_value'), toDtype(a.dtype) ?? self.t.dtype));
  },
  new_tensor: (self, args, kw, ctx) => new TorchTensor(toTorchData(args[0], ctx, toDtype(kw.get('dtype')) ?? self.t.dtype)),
  where: (self, args, kw) => {
    const a = bind('where', args, kw, ['condition', 'other']);
    const cond = tensorArg(a.condition, 'where', 'condition');
    noteMaskConsumer(cond, 'where');
    checkBroadcast([{ label: 'condition', t: cond }, { label: 'self', t: self.t }], 'where');
    return T(self, where(cond, self.t, scalarArg(a.other, 'where')), 'where');
  },
  uniform_: (self, args, kw) => {
    const a = bind('uniform_', args, kw, ['from?', 'to?', 'generator?']);
    const lo = a.from === undefined ? 0 : toFloat(a.from, 'from'), hi = a.to === undefined ? 1 : toFloat(a.to, 'to');
    assignInto(self.t, fromValues(self.t, placeDraws(torchRng(a.generator).uniform(self.t.numel, lo, hi, self.t.dtype), iterationOrder(self.t))));
    return self;
  },
  normal_: (self, args, kw) => {
    const a = bind('normal_', args, kw, ['mean?', 'std?', 'generator?']);
    const m = a.mean === undefined ? 0 : toFloat(a.mean, 'mean'), s = a.std === undefined ? 1 : toFloat(a.std, 'std');
    // a non-contiguous target takes the scalar Box-Muller path, in iteration order
    const order = iterationOrder(self.t);
    assignInto(self.t, fromValues(self.t, placeDraws(torchRng(a.generator).normal(self.t.numel, m, s, self.t.dtype, self.t.isContiguous()), order)));
    return self;
  },
  bernoulli_: (self, args, kw) => {
    const a = bind('bernoulli_', args, kw, ['p?', 'generator?']);
    const p = a.p === undefined ? 0.5 : toFloat(a.p, 'p');
    assignInto(self.t, fromValues(self.t, placeDraws(torchRng(a.generator).bernoulliScalar(self.t.numel, p), iterationOrder(self.t))));
    return self;
  },
  /**
   * Tensor.fill_diagonal_(fill_value, wrap=False), in place: the main
   * diagonal (equal indices in every dim; all dims equal above 2-D), and
   * with wrap=True on a 2-D matrix taller than width + 1 the diagonal
   * restarts every width + 1 rows. Walks the storage with the tensor's own
   * strides as ATen's as_strided views do (TensorShape.cpp fill_diagonal_).
   */
  fill_diagonal_: (self, args, kw, ctx) => {
    const a = bind('fill_diagonal_', args, kw, ['fill_value', 'wrap?']);
    const x = self.t;
    if (x.ndim < 2) throw runtimeError('dimensions must larger than 1');
    const [height, width] = x.shape;
    if (x.ndim > 2 && x.shape.some((n) => n !== height)) throw runtimeError('all dimensions of input must be of equal length');
    const size = Math.min(height, width);
    const stride = x.strides.reduce((p, q) => p + q, 0);
    const scalar = fillScalar(a.fill_value, 'fill_value');
    const value = fillScalarValue(scalar, x.dtype, size);
    // int64: the exact value (a Python int beyond 2^53 too), and no stale exact value left under it
    const exact = x.dtype === 'int64' ? (typeof scalar === 'bigint' ? scalar : BigInt(value)) : undefined;
    const put = (off: number) => (exact === undefined ? (x.storage.data[off] = value) : setInt64(x.storage, off, exact));
    for (let i = 0; i < size; i++) put(x.offset + i * stride);
    if (toBool(a.wrap, ctx) && x.ndim === 2 && height > width + 1) {
      const step = width + 1;
      const wrapSize = Math.floor((x.numel + step - 1) / step) - size;
      const start = x.offset + x.strides[0] * (width + 1);
      for (let i = 0; i < wrapSize; i++) put(start + i * stride);
    }
    return self;
  },
  exponential_: (self, args, kw) => {
    const a = bind('exponential_', args, kw, ['lambd?', 'generator?']);
    const lambd = a.lambd === undefined ? 1 : toFloat(a.lambd, 'lambd');
    if (!(lambd > 0)) throw runtimeError(`exponential_ expects lambda > 0.0, but found lambda=${formatCppDouble(lambd)}`);
    assignInto(self.t, fromValues(self.t, placeDraws(torchRng(a.generator).exponential(self.t.numel, lambd, self.t.dtype), iterationOrder(self.t))));
    return self;
  },
  /**
   * Tensor.multinomial(num_samples, replacement=False, *, generator=None) and
   * torch.multinomial: int64 category indices drawn from each row of a 1-D or
   * 2-D float tensor of non-negative weights (rows need not sum to 1).
   * Bit-exact with PyTorch's CPU sampler (see TorchGenerator.multinomial);
   * argument errors carry ATen's wording (Distributions.cpp multinomial_out).
   */
  multinomial: (self, args, kw, ctx) => {
    const a = bind('multinomial', args, kw, ['num_samples', 'replacement?', 'generator?']);
    const x = self.t;
    const n = toInt(a.num_samples, 'num_samples');
    const replacement = toBool(a.replacement, ctx);
    if (x.ndim < 1 || x.ndim > 2) throw runtimeError('prob_dist must be 1 or 2 dim');
    if (!isFloating(x.dtype)) throw runtimeError(`multinomial only supports floating-point dtypes for input, got: ${scalarTypeName(x.dtype)}`);
    if (n <= 0) throw runtimeError('cannot sample n_sample <= 0 samples');
    const categories = x.shape[x.ndim - 1];
    if (!replacement && n > categories) throw runtimeError('cannot sample n_sample > prob_dist.size(-1) samples without replacement');
    const rows = x.ndim === 1 ? 1 : x.shape[0];
    const shape = x.ndim === 1 ? [n] : [rows, n];
    const out = Tensor.empty('int64', shape);
    if (rows > 0) out.storage.data.set(torchRng(a.generator).multinomial(contiguous(x).values(), rows, categories, n, replacement, x.dtype, emptyLikeOrder(x)));
    return new TorchTensor(out);
  },
  random_: (self, args, kw) => {
    const a = bind('random_', args, kw, ['from?', 'to?', 'generator?']);
    const [lo, hi] = a.to === undefined ? [0, a.from === undefined ? 2 ** 24 : toInt(a.from, 'to')] : [toInt(a.from, 'from'), toInt(a.to, 'to')];
    assignInto(self.t, fromValues(self.t, placeDraws(torchRng(a.generator).randint(self.t.numel, lo, hi, self.t.dtype), iterationOrder(self.t))));
    return self;
  },
  masked_scatter_: (self, args, kw, ctx) => {
    const r = TENSOR_METHODS.masked_scatter(self, args, kw, ctx) as TorchTensor;
    assignInto(self.t, r.t);
    return self;
  },
  repeat_interleave: (self, args, kw) => {
    const a = bind('repeat_interleave', args, kw, ['repeats', 'dim?', 'output_size?']);
    const flat = a.dim === undefined || a.dim === null;
    const x = flat ? reshape(self.t, [-1]) : self.t;
    const dim = flat ? 0 : toInt(a.dim, 'dim');
    const d = dim < 0 ? dim + x.ndim : dim;
    const reps = a.repeats instanceof ArrayValue ? Array.from(a.repeats.t.values()) : new Array(x.shape[d]).fill(toInt(a.repeats, 'repeats'));
    if (reps.length !== x.shape[d]) throw runtimeError('repeats must have the same size as input along dim');
    if (reps.some((r) => r < 0)) throw runtimeError(a.repeats instanceof ArrayValue ? 'repeats can not be negative' : 'Repeats must be non-negative');
    // the index has sum(repeats) entries: its size is checked before it is built
    const total = reps.reduce((n, r) => n + r, 0);
    const idx = Tensor.empty('int64', [total]);
    const index = idx.storage.data;
    let at = 0;
    reps.forEach((r, i) => index.fill(i, at, (at += r)));
    return T(self, indexSelect(x, d, idx), 'repeat_interleave');
  },
  count_nonzero: (self, args, kw) => {
    const a = bind('count_nonzero', args, kw, ['dim?']);
    return new TorchTensor(reduce('sum', binary('ne', self.t, 0n), dimList(a.dim)));
  },
  nan_to_num: (self, args, kw) => {
    const a = bind('nan_to_num', args, kw, ['nan?', 'posinf?', 'neginf?']);
    const big = self.t.dtype === 'float64' ? Number.MAX_VALUE : 3.4028234663852886e38;
    const out = castPreserve(self.t, self.t.dtype); // a TensorIterator op: x's layout kept
    const d = out.storage.data;
    for (let i = 0; i < d.length; i++) {
      if (Number.isNaN(d[i])) d[i] = a.nan === undefined || a.nan === null ? 0 : toFloat(a.nan, 'nan');
      else if (d[i] === Infinity) d[i] = a.posinf === undefined || a.posinf === null ? big : toFloat(a.posinf, 'posinf');
      else if (d[i] === -Infinity) d[i] = a.neginf === undefined || a.neginf === null ? -big : toFloat(a.neginf, 'neginf');
    }
    return T(self, out, 'nan_to_num');
  },
  sort: (self, args, kw, ctx) => {
    const a = bind('sort', args, kw, ['dim?', 'descending?', 'stable?']);
    const { values, indices } = sortAlong(self.t, a.dim === undefined || a.dim === null ? -1 : toInt(a.dim, 'dim'), toBool(a.descending, ctx));
    return new PyNamedTuple([T(self, values, 'sort'), new TorchTensor(propagateRandom(indices, self.t))], 'torch.return_types.sort', ['values', 'indices']);
  },
  argsort: (self, args, kw, ctx) => {
    const a = bind('argsort', args, kw, ['dim?', 'descending?', 'stable?']);
    return new TorchTensor(propagateRandom(sortAlong(self.t, a.dim === undefined || a.dim === null ? -1 : toInt(a.dim, 'dim'), toBool(a.descending, ctx)).indices, self.t));
  },
  topk: (self, args, kw, ctx) => {
    const a = bind('topk', args, kw, ['k', 'dim?', 'largest?', 'sorted?']);
    const dim = a.dim === undefined || a.dim === null ? -1 : toInt(a.dim, 'dim');
    const k = toInt(a.k, 'k');
    const d = dim < 0 ? dim + Math.max(self.t.ndim, 1) : dim;
    if (k < 0 || k > (self.t.shape[d] ?? 1)) throw runtimeError('selected index k out of range');
    // ATen's CPU topk order, ties included (libstdc++ partial_sort / nth_element)
    const largest = toBool(a.largest, ctx, true), sorted = toBool(a.sorted, ctx, true);
    const { values, indices } = reorderAlong(self.t, dim, k, (row) => topkOrder(row, k, largest, sorted));
    return new PyNamedTuple([T(self, values, 'topk'), new TorchTensor(indices)], 'torch.return_types.topk', ['values', 'indices']);
  },
  __round__: (self) => T(self, unary('round', self.t), 'round'),
  __abs__: (self) => T(self, unary('abs', self.t), 'abs'),
};
TENSOR_METHODS.absolute = TENSOR_METHODS.abs;

function legacyTypeName(s: string): DType {
  const m: Record<string, DType> = {
    'torch.FloatTensor': 'float32', 'torch.DoubleTensor': 'float64', 'torch.LongTensor': 'int64', 'torch.IntTensor': 'int32',
    'torch.ByteTensor': 'uint8', 'torch.BoolTensor': 'bool', 'torch.HalfTensor': 'float16', 'torch.ShortTensor': 'int16',
  };
  const d = m[s];
  if (!d) throw pyError('ValueError', `invalid type: '${s}'`);
  return d;
}

function fromValues(like: Tensor, values: ArrayLike<number>): Tensor {
  const t = Tensor.empty(like.dtype, like.shape);
  t.storage.data.set(values as ArrayLike<number>);
  return t;
}

/** torch.full: `value` converted to `dtype` with PyTorch's overflow check (engine `full`). */
export function filled(shape: number[], value: Scalar, dtype: DType): Tensor {
  return full(shape, value, dtype);
}

/** A fill value argument as the Python scalar PyTorch's binding sees (a 0-dim tensor gives its item()). */
export function fillScalar(v: PyValue | undefined, what: string): Scalar {
  const o = operand(v ?? null);
  if (o instanceof Tensor && o.numel === 1) return itemScalar(o);
  if (o === undefined || o instanceof Tensor) return toFloat(v, what);
  return o;
}

function diagonalArg(args: PyValue[], kw: Kwargs, fn: string): number {
  const a = bind(fn, args, kw, ['diagonal?']);
  return a.diagonal === undefined ? 0 : toInt(a.diagonal, 'diagonal');
}

/** Record `result = input.masked_fill(mask, fill)` for the inspector (scores → mask → probabilities). */
export function noteFill(result: Tensor, input: Tensor, mask: Tensor, fill: TensorOrScalar): Tensor {
  const value = fill instanceof Tensor ? (fill.numel === 1 ? fill.item() : NaN) : Number(fill);
  return noteMaskSource(noteDerivation(result, { op: 'masked_fill', input, mask, fill: value }));
}

/** A NumPy array that is not a NumPy scalar (np.float64(1.5) is one, np.array(1.5) is not). */
function isNumpyArray(v: PyValue): boolean {
  return v instanceof ArrayValue && v.library === 'numpy' && v.typeName === 'ndarray';
}

/**
 * The other operand of a tensor operator: a NumPy scalar is read as the Python number it holds,
 * so it is weak in type promotion (np.float64(1.5) * torch.arange(4) is float32, as whisper's
 * sinusoids relies on); an ndarray is a tensor of its dtype.
 */
function torchOperand(v: PyValue): TensorOrScalar | undefined {
  if (v instanceof ArrayValue && v.library === 'numpy' && v.typeName !== 'ndarray' && v.t.ndim === 0) return operand(scalarOf(v.t.dtype, v.t.item()));
  return operand(v);
}

/** A fill value (number or tensor); anything else is PyTorch's arg-parser TypeError for `name`. */
export function fillArg(v: PyValue | undefined, name = 'masked_fill', expected?: string): TensorOrScalar {
  const o = operand(v ?? null);
  if (o === undefined) {
    const got = typeNameOf(v ?? null);
    if (expected) throw pyError('TypeError', `${name}() received an invalid combination of arguments - got (${got}), but expected one of:\n * ${expected}`);
    throw pyError('TypeError', `${name}() received an invalid combination of arguments - got (Tensor, ${got})`);
  }
  return o;
}

function scatter(self: TorchTensor, args: PyValue[], kw: Kwargs, inPlace: boolean, mode: 'none' | 'add'): PyValue {
  const a = bind('scatter', args, kw, ['dim', 'index', 'src?', 'value?', 'reduce?']);
  const target = inPlace ? self.t : cast(self.t, self.t.dtype);
  const index = tensorArg(a.index, 'scatter', 'index');
  const srcV = a.src !== undefined ? a.src : a.value;
  let reduceMode: 'none' | 'add' | 'multiply' = mode;
  if (a.reduce === 'add') reduceMode = 'add';
  else if (a.reduce === 'multiply') reduceMode = 'multiply';
  if (srcV instanceof ArrayValue) scatterInPlace(target, dimArg(a), index, srcV.t, reduceMode);
  else {
    const o = operand(srcV ?? null);
    if (o === undefined || o instanceof Tensor) throw pyError('TypeError', 'scatter() missing required argument: src or value');
    scatterInPlace(target, dimArg(a), index, Number(o as Scalar), reduceMode);
  }
  return inPlace ? self : T(self, target, 'scatter');
}

function varStd(self: TorchTensor, args: PyValue[], kw: Kwargs, ctx: CallContext, sqrt: boolean): PyValue {
  const a = bind(sqrt ? 'std' : 'var', args, kw, ['dim?', 'unbiased?', 'keepdim?', 'correction?']);
  let dim = a.dim;
  let unbiased = a.unbiased;
  if (typeof dim === 'boolean') {
    unbiased = dim;
    dim = undefined;
  }
  const correction = a.correction !== undefined && a.correction !== null ? toInt(a.correction, 'correction') : toBool(unbiased, ctx, true) ? 1 : 0;
  return T(self, variance(self.t, dimList(dim), correction, toBool(a.keepdim, ctx), sqrt), sqrt ? 'std' : 'var');
}

export function allClose(a: Tensor, b: Tensor, args: Bound, ctx: CallContext): boolean {
  const rtol = args.rtol === undefined ? 1e-5 : toFloat(args.rtol, 'rtol');
  const atol = args.atol === undefined ? 1e-8 : toFloat(args.atol, 'atol');
  const equalNan = toBool(args.equal_nan, ctx);
  const diff = unary('abs', binary('sub', a, b));
  const tol = binary('add', binary('mul', unary('abs', b), rtol), atol);
  const ok = binary('le', diff, tol);
  const av = contiguous(expand(a, ok.shape)).values(), bv = contiguous(expand(b, ok.shape)).values();
  return ok.values().every((x, i) => x !== 0 || (av[i] === bv[i]) || (equalNan && Number.isNaN(av[i]) && Number.isNaN(bv[i])));
}

/** Stable sort along `dim` (NaN sorts as the largest value, as in torch). */
function sortAlong(x: Tensor, dim: number, descending: boolean): { values: Tensor; indices: Tensor } {
  const key = (a: number) => (Number.isNaN(a) ? Infinity : a);
  return reorderAlong(x, dim, null, (v) => {
    const order = Array.from({ length: v.length }, (_, i) => i);
    order.sort((i, j) => {
      const a = v[i], b = v[j];
      if (Number.isNaN(a) !== Number.isNaN(b)) return (Number.isNaN(a) ? 1 : -1) * (descending ? -1 : 1);
      const c = key(a) - key(b);
      return (descending ? -c : c) || i - j;
    });
    return order;
  });
}

/**
 * Rows along `dim` reordered by `order` (given one row's values, the source
 * positions to keep, `keep` of them or the whole row); values and int64 indices.
 */
export function reorderAlong(
  x: Tensor,
  dim: number,
  keep: number | null,
  order: (row: Float64Array) => number[],
): { values: Tensor; indices: Tensor } {
  if (x.ndim === 0) return { values: cast(x, x.dtype), indices: Tensor.empty('int64', []) };
  const d = dim < 0 ? dim + x.ndim : dim;
  const moved = contiguous(transpose(x, d, x.ndim - 1));
  const n = moved.shape[moved.ndim - 1];
  const k = keep ?? n;
  const rows = moved.numel / Math.max(n, 1);
  const outShape = [...moved.shape.slice(0, -1), k];
  const values = Tensor.empty(x.dtype, outShape);
  const indices = Tensor.empty('int64', outShape);
  const v = Float64Array.from(moved.values());
  // int64 beyond 2^53: order by each exact value's rank (nearest doubles can tie where the values differ)
  const exact = hasWide(moved) ? int64Values(moved) : undefined;
  if (exact) {
    const rank = new Map([...new Set(exact)].sort((p, q) => (p < q ? -1 : p > q ? 1 : 0)).map((w, i) => [w, i]));
    for (let i = 0; i < v.length; i++) v[i] = rank.get(exact[i])!;
  }
  for (let r = 0; r < rows; r++) {
    const row = v.subarray(r * n, (r + 1) * n);
    const picked = order(row);
    for (let i = 0; i < k; i++) {
      if (exact) setInt64(values.storage, r * k + i, exact[r * n + picked[i]]);
      else values.storage.data[r * k + i] = row[picked[i]];
      indices.storage.data[r * k + i] = picked[i];
    }
  }
  return { values: contiguous(transpose(values, d, x.ndim - 1)), indices: contiguous(transpose(indices, d, x.ndim - 1)) };
}

/**
 * torch.cumprod(input, dim, dtype=None) (ATen's cpu_cum_base_kernel, as cumsum): the running
 * product in acc_type (double for float32/float64, float for float16/bfloat16), each partial
 * product stored in the output dtype (int64 for integer and bool inputs, wrapping as int64
 * multiplication does).
 */
export function cumprod(x: Tensor, dim: number, dtype?: DType): Tensor {
  normalizeDim(dim, x.ndim);
  const outDtype = dtype ?? (isFloating(x.dtype) ? x.dtype : 'int64');
  if (x.ndim === 0) return cast(x, outDtype);
  const d = dim < 0 ? dim + x.ndim : dim;
  const src = cast(x, outDtype);
  const out = Tensor.empty(outDtype, x.shape);
  const inner = x.shape.slice(d + 1).reduce((p, q) => p * q, 1);
  const size = x.shape[d] ?? 1;
  const outer = x.numel / Math.max(size * inner, 1);
  const reduced = outDtype === 'float16' || outDtype === 'bfloat16';
  const integral = !isFloating(outDtype);
  const v = src.values();
  const w = integral ? int64Values(cast(src, 'int64')) : undefined;
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      let acc = 1;
      let big = 1n;
      for (let i = 0; i < size; i++) {
        const k = (o * size + i) * inner + j;
        if (w) {
          big = BigInt.asIntN(64, big * w[k]);
          if (outDtype === 'int64') setInt64(out.storage, k, big);
          else out.storage.data[k] = wrapValue(outDtype, Number(BigInt.asIntN(64, big)));
        } else {
          acc = reduced ? Math.fround(acc * v[k]) : acc * v[k];
          out.storage.data[k] = reduced ? caster(outDtype)(acc) : acc;
        }
      }
    }
  }
  return out;
}

export function cumsum(x: Tensor, dim: number, dtype?: DType): Tensor {
  normalizeDim(dim, x.ndim);
  const outDtype = dtype ?? (isFloating(x.dtype) ? x.dtype : 'int64');
  // a 0-dim input is copied, not summed (impl_func_cum_ops fills the result), so -0.0 stays -0.0
  if (x.ndim === 0) return cast(x, outDtype);
  const d = dim < 0 ? dim + x.ndim : dim;
  // The running sum is acc_type<scalar_t, /*is_cuda=*/false> (cumsum_cpu_kernel): double for
  // float32 and float64, float32 for float16/bfloat16, each partial sum rounded to the output dtype.
  // Integer sums wrap as int64 addition does.
  const reduced = outDtype === 'float16' || outDtype === 'bfloat16';
  const accRound = reduced ? Math.fround : isFloating(outDtype) ? (a: number) => a : (a: number) => wrapValue(outDtype, a);
  const store = reduced ? caster(outDtype) : (a: number) => a;
  const src = cast(x, outDtype);
  const out = Tensor.empty(outDtype, x.shape);
  const inner = x.shape.slice(d + 1).reduce((p, q) => p * q, 1);
  const size = x.shape[d] ?? 1;
  const outer = x.numel / Math.max(size * inner, 1);
  const v = src.values();
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      let acc = 0;
      for (let i = 0; i < size; i++) {
        const k = (o * size + i) * inner + j;
        acc = accRound(acc + v[k]);
        out.storage.data[k] = store(acc);
      }
    }
  }
  if (outDtype === 'int64' && (hasWide(src) || !v.every(isSafeInt64) || !out.storage.data.every(isSafeInt64))) {
    // int64 beyond 2^53: the running sums again in BigInt, exactly, wrapping at 2^64
    const w = int64Values(src);
    for (let o = 0; o < outer; o++) {
      for (let j = 0; j < inner; j++) {
        let acc = 0n;
        for (let i = 0; i < size; i++) {
          const k = (o * size + i) * inner + j;
          acc = BigInt.asIntN(64, acc + w[k]);
          setInt64(out.storage, k, acc);
        }
      }
    }
  }
  return out;
}

// numpy conversion hook, set by the numpy framework to avoid an import cycle.
let numpyFromTorch: (t: Tensor) => PyValue = () => {
  throw pyError('ModuleNotFoundError', "No module named 'numpy'");
};
export function setNumpyBridge(f: (t: Tensor) => PyValue): void {
  numpyFromTorch = f;
}

export { arange };
