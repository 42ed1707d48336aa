// Higher-level ops composed from the primitives, tinygrad-style:
// triu/tril are a `where` over an index comparison, masked_fill is a `where`,
// softmax is max/sub/exp/sum/div unless a backend offers a fused kernel.

import { DType, castValue, caster, isFloating } from '../dtype';
import { EngineError, indexError, runtimeError, valueError } from '../errors';
import { reduceAllSum32, softmaxInner32 } from '../kernels/float32_order';
import { backendFor } from '../kernels/select';
import { Tensor, numelOf } from '../tensor';
import {
  Scalar, TensorOrScalar, assignInto, binary, broadcastShapes, cast, checkSize, checkedScalarTensor, contiguous, full, itemScalar, notImplementedFor, resultType,
  scalarTypeName, unary, where,
} from './core';
import { checkMask, gather } from './indexing';
import { mean, reduce } from './reduce';
import { expand, fmtShape, normalizeDim, reshape, transpose, unsqueeze } from './shape';

export function arange(start: number, end: number, step: number, dtype: DType): Tensor {
  if (dtype === 'bool') throw notImplementedFor('arange_cpu', dtype);
  if (step === 0) throw valueError('step must be nonzero');
  if ((step > 0 && start > end) || (step < 0 && start < end)) {
    throw runtimeError('upper bound and larger bound inconsistent with step sign');
  }
  let n = Math.max(0, Math.ceil((end - start) / step));
  checkSize(n);
  if (dtype === 'int64') {
    // int64 computes the size and the values in int64 (RangeFactories.cpp's accumulate type), so
    // start, end and step truncate first and a fractional step below 1 is zero
    [start, end, step] = [Math.trunc(start), Math.trunc(end), Math.trunc(step)];
    if (step === 0) throw valueError('step must be nonzero');
    n = Math.max(0, Math.ceil((end - start) / step));
  } else if (!isFloating(dtype)) {
    // narrower integers size the range in double and step by the truncated start and step
    // (measured: int16 arange(-2, 7, 0.5) has 18 elements, all -2)
    start = Math.trunc(start);
    step = Math.trunc(step);
  }
  const t = Tensor.empty(dtype, [n]);
  for (let i = 0; i < n; i++) t.storage.data[i] = castValue(dtype, start + i * step);
  return t;
}

export function linspace(start: number, end: number, steps: number, dtype: DType): Tensor {
  if (dtype === 'bool' && steps > 1) throw notImplementedFor('linspace_cpu', dtype);
  checkSize(steps);
  const t = Tensor.empty(dtype, [steps]);
  // RangeFactories: start and end convert to the dtype first; an integer dtype steps in double,
  // a floating one keeps the step in the dtype itself and computes in float (float64 in double)
  if (!isFloating(dtype)) {
    start = castValue(dtype, start);
    end = castValue(dtype, end);
  }
  const f = dtype === 'float64' || !isFloating(dtype) ? (v: number) => v : Math.fround;
  const step = steps > 1 ? (isFloating(dtype) ? castValue(dtype, f(f(end - start) / (steps - 1))) : (end - start) / (steps - 1)) : 0;
  if (steps === 1) end = start; // a single step is `start` (the backwards half is empty)
  const half = Math.floor(steps / 2);
  for (let i = 0; i < steps; i++) {
    // ATen fills the second half backwards from `end` for symmetry.
    t.storage.data[i] = castValue(dtype, i < half ? f(start + f(step * i)) : f(end - f(step * (steps - i - 1))));
  }
  return t;
}

/**
 * Index comparison grid for the last two dims: col - row (op) diagonal.
 * Fewer than 2 dims is a RuntimeError in PyTorch 2.x (ATen's triu/tril
 * TORCH_CHECK; 1.13 failed later with an IndexError from dim wrapping).
 */
function triangleKeep(x: Tensor, diagonal: number, upper: boolean): Tensor {
  if (x.ndim < 2) throw runtimeError(`${upper ? 'triu' : 'tril'}: input tensor must have at least 2 dimensions`);
  const m = x.shape[x.ndim - 2], n = x.shape[x.ndim - 1];
  const rows = reshape(arange(0, m, 1, 'int64'), [m, 1]);
  const cols = reshape(arange(0, n, 1, 'int64'), [1, n]);
  const offset = binary('sub', cols, rows);
  return binary(upper ? 'ge' : 'le', offset, BigInt(diagonal));
}

export function triu(x: Tensor, diagonal = 0): Tensor {
  return where(triangleKeep(x, diagonal, true), x, zeroLike(x), true); // triu_out resizes a contiguous result
}

export function tril(x: Tensor, diagonal = 0): Tensor {
  return where(triangleKeep(x, diagonal, false), x, zeroLike(x), true); // tril_out resizes a contiguous result
}

function zeroLike(x: Tensor): Tensor {
  return Tensor.empty(x.dtype, []);
}

/**
 * The fill value as masked_fill converts it: to self's dtype through
 * checkedConvert (a 0-dim tensor value by its item()), so an int8 tensor
 * filled with 1000 or a float16 one with -1e9 raises PyTorch's overflow error.
 */
function fillValue(x: Tensor, value: TensorOrScalar): Tensor {
  if (value instanceof Tensor && value.ndim !== 0) {
    throw runtimeError(`masked_fill_ only supports a 0-dimensional value tensor, but got tensor with ${value.ndim} dimension(s).`);
  }
  return checkedScalarTensor(value instanceof Tensor ? itemScalar(value) : value, x.dtype);
}

/** Out-of-place masked_fill: the result shape is broadcast(self, mask). */
export function maskedFill(x: Tensor, mask: Tensor, value: TensorOrScalar): Tensor {
  checkMask(mask, 'masked_fill_');
  const v = fillValue(x, value);
  const cond = mask.dtype === 'bool' ? mask : cast(mask, 'bool');
  // ATen fills a contiguous clone of self (expanded to the mask's shape): the result is contiguous
  return where(cond, v, x, true);
}

/** In-place masked_fill_: the mask must broadcast to self. */
export function maskedFillInPlace(x: Tensor, mask: Tensor, value: TensorOrScalar): Tensor {
  checkMask(mask, 'masked_fill_');
  const shape = broadcastShapes(x.shape, mask.shape);
  if (shape.length !== x.ndim || shape.some((s, i) => s !== x.shape[i])) {
    throw runtimeError(`output with shape ${fmtShape(x.shape)} doesn't match the broadcast shape ${fmtShape(shape)}`);
  }
  const v = fillValue(x, value);
  const cond = mask.dtype === 'bool' ? mask : cast(mask, 'bool');
  assignInto(x, where(cond, v, x));
  return x;
}

function checkSoftmaxInput(x: Tensor, log: boolean, lastdim = true): void {
  if (!isFloating(x.dtype)) {
    throw notImplementedFor(`${log ? 'log_softmax' : 'softmax'}${lastdim ? '_lastdim' : ''}_kernel_impl`, x.dtype);
  }
}

/**
 * log_softmax over the last dim of a float16/bfloat16 tensor, as ATen's
 * serial_vec_log_softmax_lastdim_range (native/cpu/LogSoftmaxKernelImpl.h)
 * does it: the row max and the sum of exp(x - max) are kept in the input
 * dtype, log(sum) is rounded to it, and x - max - lse rounds after each
 * subtraction (Vectorized<Half> arithmetic goes through float per op).
 */
function logSoftmaxLastdimReduced(x: Tensor): Tensor {
  const c = caster(x.dtype);
  const src = contiguous(x).values();
  const cols = x.shape[x.ndim - 1];
  const out = Tensor.empty(x.dtype, x.shape);
  const o = out.storage.data;
  for (let r = 0; r * cols < src.length; r++) {
    const base = r * cols;
    let max = -Infinity;
    for (let k = 0; k < cols; k++) if (src[base + k] > max || Number.isNaN(src[base + k])) max = src[base + k];
    const sum = c(reduceAllSum32(cols, (k) => Math.fround(Math.exp(Math.fround(src[base + k] - max)))));
    const lse = c(Math.fround(Math.log(sum)));
    for (let k = 0; k < cols; k++) o[base + k] = c(c(src[base + k] - max) - lse);
  }
  return out;
}

/**
 * softmax / log_softmax of `input` along `dim`, fused when the backend has a
 * kernel. With `dtype` the input is cast first (torch.softmax(x, dim,
 * dtype=...)). The input must be floating: NotImplementedError otherwise.
 * float16/bfloat16 compute in float32 and round each result once, as ATen's
 * CPU kernels do (native/cpu/SoftMaxKernel.cpp converts reduced-precision
 * rows to float, and its non-last-dim path accumulates in float too).
 */
export function softmax(input: Tensor, dim: number, log = false, dtype?: DType): Tensor {
  const x = dtype ? cast(input, dtype) : input;
  const d = normalizeDim(dim, x.ndim);
  checkSoftmaxInput(x, log, d >= x.ndim - 1);
  if (x.dtype === 'float16' || x.dtype === 'bfloat16') {
    if (log && d >= x.ndim - 1 && x.ndim > 0) return logSoftmaxLastdimReduced(x);
    return cast(softmaxAlongLast(cast(x, 'float32'), d, log), x.dtype);
  }
  if (x.ndim === 0) return log ? binary('sub', x, x) : binary('div', x, x);
  if (x.dtype === 'float32' && d < x.ndim - 1) {
    // ATen's kernel for a dim that is not the last runs down each column (softmaxInner32)
    const size = x.shape[d];
    const inner = x.shape.slice(d + 1).reduce((a, b) => a * b, 1);
    const out = Tensor.empty('float32', x.shape);
    if (x.numel > 0) softmaxInner32(contiguous(x).values(), x.numel / (size * inner), size, inner, out.storage.data, log);
    return out;
  }
  return softmaxAlongLast(x, d, log);
}

/** softmax / log_softmax along dim `d` of a floating tensor through the last-dim kernels (d moved last and back). */
function softmaxAlongLast(x: Tensor, d: number, log: boolean): Tensor {
  const moved = contiguous(transpose(x, d, x.ndim - 1));
  const cols = moved.shape[moved.ndim - 1];
  const rows = moved.numel / Math.max(cols, 1);
  const backend = backendFor(moved.numel, x.dtype);
  let out: Tensor;
  if (backend.softmax) {
    out = Tensor.empty(x.dtype, moved.shape);
    // A fresh output: the backend may lend it (see Backend.maskedSoftmax).
    const result = backend.softmax(moved.values(), rows, cols, out.storage.data, log, true);
    if (result) out.storage.data = result;
  } else {
    const max = reduce('max', moved, -1, true);
    const shifted = binary('sub', moved, max);
    const e = unary('exp', shifted);
    const s = reduce('sum', e, -1, true);
    out = log ? binary('sub', shifted, unary('log', s)) : binary('div', e, s);
  }
  return contiguous(transpose(out, d, x.ndim - 1));
}

/**
 * Whether maskedSoftmax(x, mask) runs one fused kernel (no masked copy of
 * `x`): the backend for x's size has one, and the mask broadcasts to x's
 * shape without growing it. Otherwise maskedSoftmax composes masked_fill
 * and softmax.
 */
export function fusesMaskedSoftmax(x: Tensor, mask: Tensor): boolean {
  if (!backendFor(x.numel, x.dtype).maskedSoftmax || x.numel === 0) return false;
  try {
    const shape = broadcastShapes(x.shape, mask.shape);
    return shape.length === x.ndim && shape.every((s, i) => s === x.shape[i]);
  } catch {
    return false;
  }
}

/**
 * Fused masked softmax: softmax(x.masked_fill(mask, fill)) over the last
 * dim, bit-identical to those two ops (every backend's fused kernel is
 * tested against them, NaN rows of all -inf included). x: floating [..., C];
 * mask: bool, broadcastable to x. Errors are softmax's and masked_fill's.
 */
export function maskedSoftmax(x: Tensor, mask: Tensor, fill = -Infinity): Tensor {
  checkSoftmaxInput(x, false);
  const backend = backendFor(x.numel, x.dtype);
  const shape = broadcastShapes(x.shape, mask.shape);
  if (!backend.maskedSoftmax || shape.length !== x.ndim || shape.some((s, i) => s !== x.shape[i])) {
    return softmax(maskedFill(x, mask, fill), -1);
  }
  const xc = contiguous(x);
  const cols = x.shape[x.ndim - 1];
  const out = Tensor.empty(x.dtype, x.shape);
  const m = expand(mask, x.shape);
  // `out` is fresh and ours alone: the backend may lend its buffer to a worker thread and hand back another array over it.
  const result = backend.maskedSoftmax(xc.values(), { data: m.storage.data, strides: m.strides, offset: m.offset }, x.numel / cols, cols, fill, out.storage.data, x.shape, true);
  if (result) out.storage.data = result;
  return out;
}

export type Reduction = 'mean' | 'sum' | 'none';

function reduceLoss(per: Tensor, reduction: Reduction, denominator?: Tensor): Tensor {
  if (reduction === 'none') return per;
  const s = reduce('sum', per);
  if (reduction === 'sum') return s;
  return denominator ? binary('div', s, denominator) : mean(per);
}

export function checkReduction(r: string): Reduction {
  if (r !== 'mean' && r !== 'sum' && r !== 'none') throw valueError(`${r} is not a valid value for reduction`);
  return r;
}

/**
 * NLL over class dim 1 (0 for 1-D input); returns per-element loss and the
 * weight of each target. `pick`, when given, makes the picked
 * log-probabilities (in target order, after the targets are validated)
 * instead of gathering them from `logp`, which then only lends its shape
 * and dtype (cross entropy's fused path: `logp` is the logits).
 */
function nllParts(logp: Tensor, target: Tensor, weight: Tensor | null, ignoreIndex: number, pick?: (targets: ArrayLike<number>) => Tensor) {
  if (target.dtype !== 'int64') {
    throw runtimeError(`expected scalar type Long but found ${scalarTypeName(target.dtype)}`);
  }
  const classDim = logp.ndim === 1 ? 0 : 1;
  const C = logp.shape[classDim];
  const expectedTarget = logp.shape.filter((_, i) => i !== classDim);
  if (target.ndim !== expectedTarget.length || target.shape.some((s, i) => s !== expectedTarget[i])) {
    if (logp.ndim === 2 && target.ndim === 1) {
      throw valueError(`Expected input batch_size (${logp.shape[0]}) to match target batch_size (${target.shape[0]}).`);
    }
    throw runtimeError(`Expected target size ${fmtShape([logp.shape[0], ...logp.shape.slice(2)])}, got ${fmtShape(target.shape)}`);
  }
  if (weight && (weight.ndim !== 1 || weight.numel !== C)) {
    throw runtimeError(`weight tensor should be defined either for all ${C} classes or no classes but got weight tensor of shape: ${fmtShape(weight.shape)}`);
  }
  const tv = target.values();
  const safe = Tensor.empty('int64', target.shape);
  const keep = Tensor.empty('bool', target.shape);
  const w = Tensor.empty(logp.dtype, target.shape);
  const wv = weight ? weight.values() : null;
  for (let i = 0; i < tv.length; i++) {
    const t = tv[i];
    if (t === ignoreIndex) {
      safe.storage.data[i] = 0;
      w.storage.data[i] = 0;
      continue;
    }
    if (t < 0 || t >= C) throw new EngineError('IndexError', `Target ${t} is out of bounds.`);
    safe.storage.data[i] = t;
    keep.storage.data[i] = 1;
    w.storage.data[i] = wv ? wv[t] : 1;
  }
  const picked = pick ? pick(tv) : reshape(gather(logp, classDim, unsqueeze(safe, classDim)), target.shape);
  // an ignored target contributes exactly 0, even where its row's log-probabilities are NaN
  const per = where(keep, binary('mul', unary('neg', picked), w), 0);
  return { per, w, keep, classDim, C };
}

/**
 * The sum / mean reduction of nll_loss as ATen's CPU kernels compute it
 * (nll_loss_out_frame and nll_loss2d_forward_out_frame in
 * native/LossNLL.cpp, LossNLL2d.cpp): targets in row-major order, ignored
 * ones skipped, each loss added into an 8-level cascade of partial sums held
 * in the input dtype (so float16 rounds every addition), the levels summed
 * from the lowest, and the mean divided by the summed weights (the count of
 * kept targets without a weight tensor), again in the input dtype.
 */
function nllReduce(parts: { per: Tensor; w: Tensor; keep: Tensor }, reduction: 'sum' | 'mean', weighted: boolean): Tensor {
  const dtype = parts.per.dtype;
  const round = caster(dtype);
  const per = parts.per.values(), w = parts.w.values(), keep = parts.keep.values();
  const n = per.length;
  const levels = 8;
  const levelPower = Math.max(4, Math.floor(Math.ceil(Math.log2(Math.max(n, 1))) / levels));
  const levelMask = 2 ** levelPower - 1;
  const loss = new Array<number>(levels).fill(0), weight = new Array<number>(levels).fill(0);
  let kept = 0;
  for (let b = 0; b < n; b++) {
    if (!keep[b]) continue;
    kept++;
    loss[0] = round(loss[0] + per[b]);
    if (weighted) weight[0] = round(weight[0] + w[b]);
    for (let j = 0; j + 1 < levels; j++) {
      if (Math.floor(b / 2 ** (j * levelPower)) & levelMask) break;
      loss[j + 1] = round(loss[j + 1] + loss[j]);
      weight[j + 1] = round(weight[j + 1] + weight[j]);
      loss[j] = 0;
      weight[j] = 0;
    }
  }
  let total = 0;
  for (const v of loss) total = round(total + v);
  if (reduction === 'mean') {
    let denom = 0;
    if (weighted) for (const v of weight) denom = round(denom + v);
    else denom = round(kept);
    total = n === 0 ? NaN : round(total / denom);
  }
  const out = Tensor.empty(dtype, []);
  out.storage.data[0] = total;
  return out;
}

export function nllLoss(logp: Tensor, target: Tensor, opts: { weight?: Tensor | null; ignoreIndex?: number; reduction?: Reduction } = {}): Tensor {
  const reduction = opts.reduction ?? 'mean';
  const parts = nllParts(logp, target, opts.weight ?? null, opts.ignoreIndex ?? -100);
  return reduction === 'none' ? parts.per : nllReduce(parts, reduction, !!opts.weight);
}

export function crossEntropy(
  input: Tensor,
  target: Tensor,
  opts: { weight?: Tensor | null; ignoreIndex?: number; reduction?: Reduction; labelSmoothing?: number } = {},
): Tensor {
  const reduction = opts.reduction ?? 'mean';
  const eps = opts.labelSmoothing ?? 0;
  if (eps < 0 || eps > 1) throw runtimeError(`label_smoothing must be between 0.0 and 1.0. Got: ${eps}`);
  const classDim = input.ndim === 1 ? 0 : 1;
  const weight = opts.weight ?? null;
  const ignoreIndex = opts.ignoreIndex ?? -100;
  // [N, C] logits with class targets and no smoothing: a backend with a fused
  // kernel picks log_softmax(x)[n, target[n]] without writing log_softmax
  // out (the same bits as its log_softmax elements).
  const backend = backendFor(input.numel, input.dtype);
  if (backend.logSoftmaxPick && input.ndim === 2 && input.dtype === 'float32' && eps === 0 && !isFloating(target.dtype) && input.shape[1] > 0) {
    const [N, C] = input.shape;
    const x = contiguous(input).values() as Float32Array;
    const parts = nllParts(input, target, weight, ignoreIndex, (targets) => {
      const out = Tensor.empty('float32', [N]);
      backend.logSoftmaxPick!(x, N, C, targets, ignoreIndex, out.storage.data as Float32Array);
      return out;
    });
    return reduction === 'none' ? parts.per : nllReduce(parts, reduction, !!weight);
  }
  const logp = softmax(input, classDim, true);
  if (isFloating(target.dtype)) {
    if ((opts.ignoreIndex ?? -100) >= 0) throw runtimeError('ignore_index is not supported for floating point target');
    const C = input.shape[classDim];
    const y = eps > 0 ? binary('add', binary('mul', target, 1 - eps), eps / C) : target;
    let prod = binary('mul', logp, y);
    if (weight) prod = binary('mul', prod, reshape(weight, [C, ...new Array(input.ndim - classDim - 1).fill(1)]));
    const per = unary('neg', reduce('sum', prod, classDim));
    if (reduction === 'mean') return binary('div', reduce('sum', per), input.numel / C);
    return reduceLoss(per, reduction);
  }
  const parts = nllParts(logp, target, weight, ignoreIndex);
  const { w, C } = parts;
  const nll = reduction === 'none' ? parts.per : nllReduce(parts, reduction, !!weight);
  if (eps === 0) return nll;
  // Smoothing term S_n = -sum_c w_c logp[n, c], zero at ignored targets.
  let lp = logp;
  if (weight) lp = binary('mul', lp, reshape(weight, [C, ...new Array(input.ndim - classDim - 1).fill(1)]));
  const valid = binary('ne', target, BigInt(ignoreIndex));
  // ATen zeroes ignored rows with masked_fill, so a NaN there (an inf logit) does not leak in
  const s = where(valid, unary('neg', reduce('sum', lp, classDim)), 0);
  const smooth = reduceLoss(s, reduction, reduce('sum', w));
  return binary('add', binary('mul', nll, 1 - eps), binary('mul', smooth, eps / C));
}

/**
 * F.binary_cross_entropy_with_logits(x, y): x logits and y targets of the
 * same shape. Follows ATen's Loss.cpp formula and its in-place steps, so the
 * result has the target's dtype: loss = (1 - y).mul_(x).sub_(log_sigmoid(x)),
 * with pos_weight: (1 - y).mul_(x).sub_(((pw - 1) * y + 1).mul_(log_sigmoid(x)));
 * then .mul_(weight) and the reduction. ValueError on a shape mismatch;
 * NotImplementedError for integer logits (log_sigmoid).
 */
export function binaryCrossEntropyWithLogits(
  x: Tensor, y: Tensor, opts: { weight?: Tensor | null; posWeight?: Tensor | null; reduction?: Reduction } = {},
): Tensor {
  if (x.shape.length !== y.shape.length || x.shape.some((s, i) => s !== y.shape[i])) {
    throw valueError(`Target size (${sizeRepr(y.shape)}) must be the same as input size (${sizeRepr(x.shape)})`);
  }
  if (!isFloating(x.dtype)) throw notImplementedFor('log_sigmoid_cpu', x.dtype);
  // an in-place op keeps its self's dtype
  const inPlace = (self: Tensor, r: Tensor) => (r.dtype === self.dtype ? r : cast(r, self.dtype));
  // log_sigmoid(x) = min(x, 0) - log1p(exp(-|x|)); reduced floats compute it in float32 and round once
  const wide = x.dtype === 'float16' || x.dtype === 'bfloat16' ? cast(x, 'float32') : x;
  const logSigmoid = cast(binary('sub', binary('minimum', wide, 0), unary('log1p', unary('exp', unary('neg', unary('abs', wide))))), x.dtype);
  const oneMinusY = binary('sub', 1, y);
  let loss = inPlace(oneMinusY, binary('mul', oneMinusY, x));
  if (opts.posWeight) {
    const lw = binary('add', binary('mul', binary('sub', opts.posWeight, 1), y), 1);
    loss = inPlace(loss, binary('sub', loss, inPlace(lw, binary('mul', lw, logSigmoid))));
  } else {
    loss = inPlace(loss, binary('sub', loss, logSigmoid));
  }
  if (opts.weight) loss = inPlace(loss, binary('mul', loss, opts.weight));
  return reduceLoss(loss, opts.reduction ?? 'mean');
}

export function binaryCrossEntropy(p: Tensor, y: Tensor, opts: { weight?: Tensor | null; reduction?: Reduction } = {}): Tensor {
  const logp = binary('maximum', unary('log', p), -100);
  const log1mp = binary('maximum', unary('log', binary('sub', 1, p)), -100);
  let loss = unary('neg', binary('add', binary('mul', y, logp), binary('mul', binary('sub', 1, y), log1mp)));
  if (opts.weight) loss = binary('mul', loss, opts.weight);
  return reduceLoss(loss, opts.reduction ?? 'mean');
}

export function mseLoss(a: Tensor, b: Tensor, reduction: Reduction = 'mean'): Tensor {
  const d = binary('sub', a, b);
  return reduceLoss(binary('mul', d, d), reduction);
}

/** ATen xlogy: x * log(y), 0 where x == 0, NaN where y is NaN (each step rounded in x's dtype). */
export function xlogy(x: Tensor, y: Tensor): Tensor {
  const prod = binary('mul', x, unary('log', y));
  return where(unary('isnan', y, 'bool'), NaN, where(binary('eq', x, 0), 0, prod));
}

/**
 * kl_div(input, target) as torch.nn.functional.kl_div computes it: ATen's
 * pointwise `xlogy(target, target) - target * input` (with `log_target`,
 * `exp(target) * (target - input)`), then 'none', 'sum', 'mean' (over every
 * element) or 'batchmean' (the sum over input.size(0), which F.kl_div applies
 * after a sum reduction). Shapes broadcast; the result is input's float dtype.
 */
export function klDiv(input: Tensor, target: Tensor, reduction: Reduction | 'batchmean', logTarget: boolean): Tensor {
  const out = logTarget
    ? binary('mul', unary('exp', target), binary('sub', target, input))
    : binary('sub', xlogy(target, target), binary('mul', target, input));
  if (reduction !== 'batchmean') return reduceLoss(out, reduction);
  const s = reduce('sum', out);
  return input.ndim === 0 ? s : binary('div', s, BigInt(input.shape[0]));
}

export function l1Loss(a: Tensor, b: Tensor, reduction: Reduction = 'mean'): Tensor {
  return reduceLoss(unary('abs', binary('sub', a, b)), reduction);
}

export function sizeRepr(shape: readonly number[]): string {
  return `torch.Size([${shape.join(', ')}])`;
}

export function embedding(weight: Tensor, ids: Tensor): Tensor {
  if (ids.dtype !== 'int64' && ids.dtype !== 'int32') {
    throw runtimeError(
      `Expected tensor for argument #1 'indices' to have one of the following scalar types: Long, Int; but got torch.${ids.dtype === 'float32' ? 'FloatTensor' : ids.dtype} instead (while checking arguments for embedding)`,
    );
  }
  const iv = ids.values();
  const [n, dim] = weight.shape;
  const out = Tensor.empty(weight.dtype, [...ids.shape, dim]);
  const w = contiguous(weight).values();
  for (let i = 0; i < iv.length; i++) {
    const k = iv[i];
    if (k < 0 || k >= n) throw indexError('index out of range in self');
    out.storage.data.set(w.subarray(k * dim, (k + 1) * dim), i * dim);
  }
  return out;
}

/** Padding mask from lengths: arange(maxLen)[None, :] < lengths[:, None]. */
export function lengthsToMask(lengths: Tensor, maxLen?: number): Tensor {
  const m = maxLen ?? Math.max(0, ...Array.from(lengths.values()));
  return binary('lt', reshape(arange(0, m, 1, 'int64'), [1, m]), unsqueeze(lengths, -1));
}

/**
 * torch.clamp(x, min, max): the result dtype promotes x with the bounds
 * (clamp(int8_tensor, 1.5) is float32); a Python-scalar bound converts to it
 * with PyTorch's overflow check. A floating x with scalar bounds keeps its
 * dtype without promoting the bounds (clamp's meta function in
 * native/TensorCompare.cpp), so clamp(float_tensor, 2**63, 3) is allowed
 * where an integer tensor raises the uint64 promotion error. NaN in x
 * propagates.
 */
export function clamp(x: Tensor, min: Scalar | Tensor | null, max: Scalar | Tensor | null): Tensor {
  if (min === null && max === null) throw runtimeError("torch.clamp: At least one of 'min' or 'max' must not be None");
  const bounds = [min, max].filter((v): v is Scalar | Tensor => v !== null);
  const dtype = isFloating(x.dtype) && bounds.every((b) => !(b instanceof Tensor)) ? x.dtype : resultType(x, ...bounds);
  // both bounds given and one NaN: clamp_out fills the result with NaN before converting either bound
  // (native/TensorCompare.cpp), so clamp(half, 65520.0, nan) does not raise the overflow error
  const isNan = (v: Scalar | Tensor | null) => typeof v === 'number' && Number.isNaN(v);
  if (min !== null && max !== null && !(min instanceof Tensor) && !(max instanceof Tensor) && (isNan(min) || isNan(max))) {
    return full(x.shape, NaN, dtype);
  }
  const bound = (v: Scalar | Tensor) => (v instanceof Tensor ? v : checkedScalarTensor(v, dtype));
  let r = x.dtype === dtype ? x : cast(x, dtype);
  if (min !== null) r = binary('maximum', r, bound(min));
  if (max !== null) r = binary('minimum', r, bound(max));
  return r;
}

export { numelOf };
