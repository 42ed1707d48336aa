// Vector norms as model files use them around attention (qk-norm, cosine
// similarity, l2-normalised embeddings): Tensor.norm / torch.norm,
// torch.linalg.vector_norm and linalg.norm of vectors, and F.normalize, after
// ATen's linalg_vector_norm (torch 2.x routes torch.norm there). Matrix norms
// ('nuc', ord given with two dims) raise NotImplementedError.

import { isFloating } from '../../engine/dtype';
import { runtimeError } from '../../engine/errors';
import { binary, cast, scalarTypeName, unary } from '../../engine/ops/core';
import { reduce } from '../../engine/ops/reduce';
import { expand } from '../../engine/ops/shape';
import { Tensor } from '../../engine/tensor';
import { bind, toBool, toFloat } from '../../python/args';
import { pyError } from '../../python/exceptions';
import { CallContext, Kwargs, NativeFn, PyBuiltin, PyModule, PyValue } from '../../python/values';
import { dimList } from '../common';
import { TorchTensor, tensorArg, toDtype, track } from './tensor';
import { partial } from './runtime';

/** An ord / p argument: a number, inf, or 'fro' (the 2-norm of the flattened dims). */
function ordOf(v: PyValue | undefined, dflt: number): number {
  if (v === undefined || v === null || v === 'fro') return dflt;
  if (v === 'nuc') throw pyError('NotImplementedError', "the nuclear norm (p='nuc') is not supported by Mask Lens yet");
  if (typeof v === 'string') throw runtimeError(`linalg.vector_norm: Expected a valid ord, but got ${v}`);
  return toFloat(v, 'ord');
}

/**
 * linalg.vector_norm(x, ord, dim, keepdim): (sum |x|^ord)^(1/ord) over `dims`
 * (all when null); ord inf / -inf the largest / smallest |x|, 0 the count of
 * non-zeros. Summed in double and rounded to x's float dtype once (the CPU
 * kernel accumulates float in double). RuntimeError for an integer input.
 */
export function vectorNorm(x: Tensor, ord: number, dims: number | number[] | null, keepdim: boolean): Tensor {
  if (!isFloating(x.dtype)) throw runtimeError(`linalg.vector_norm: Expected a floating point or complex tensor as input. Got ${scalarTypeName(x.dtype)}`);
  const all = dims === null || (Array.isArray(dims) && dims.length === 0);
  const d = all ? null : dims;
  const ax = unary('abs', cast(x, 'float64'));
  let r: Tensor;
  if (ord === Infinity) r = reduce('max', ax, d, keepdim);
  else if (ord === -Infinity) r = reduce('min', ax, d, keepdim);
  else if (ord === 0) r = reduce('sum', cast(binary('ne', ax, 0), 'float64'), d, keepdim);
  else if (ord === 1) r = reduce('sum', ax, d, keepdim);
  else if (ord === 2) r = unary('sqrt', reduce('sum', binary('mul', ax, ax), d, keepdim));
  else r = binary('pow', reduce('sum', binary('pow', ax, ord), d, keepdim), 1 / ord);
  return cast(r, x.dtype);
}

/** Tensor.norm(p='fro', dim=None, keepdim=False, dtype=None), as torch.norm. */
export const normMethod = (self: TorchTensor, args: PyValue[], kw: Kwargs, ctx: CallContext): PyValue => {
  const a = bind('norm', args, kw, ['p?', 'dim?', 'keepdim?', 'dtype?']);
  const x = a.dtype === undefined || a.dtype === null ? self.t : cast(self.t, toDtype(a.dtype)!);
  return track(new TorchTensor(vectorNorm(x, ordOf(a.p, 2), a.dim === undefined || a.dim === null ? null : dimList(a.dim), toBool(a.keepdim, ctx))), 'linalg_vector_norm', self);
};

/** torch.norm, torch.linalg (vector_norm, norm of vectors) and F.normalize. */
export function addNorms(def: (name: string, f: NativeFn) => void, F: PyModule): PyModule {
  def('norm', (args, kw, ctx) => {
    const a = bind('norm', args, kw, ['input', 'p?', 'dim?', 'keepdim?', 'out?', 'dtype?']);
    const rest = new Map(kw);
    for (const k of ['input', 'p', 'dim', 'keepdim', 'dtype']) rest.delete(k);
    tensorArg(a.input, 'norm');
    return normMethod(a.input as TorchTensor, [a.p ?? 'fro', a.dim ?? null, a.keepdim ?? false, a.dtype ?? null], rest, ctx);
  });
  // torch.linalg's other functions (inv, solve, ...) raise NotImplementedError where they are called
  const linalg = partial('torch.linalg');
  const vn: NativeFn = (args, kw, ctx) => {
    const a = bind('vector_norm', args, kw, ['x', 'ord?', 'dim?', 'keepdim?', 'dtype?']);
    const x = tensorArg(a.x, 'linalg.vector_norm');
    const t = a.dtype === undefined || a.dtype === null ? x : cast(x, toDtype(a.dtype)!);
    return track(new TorchTensor(vectorNorm(t, ordOf(a.ord, 2), a.dim === undefined || a.dim === null ? null : dimList(a.dim), toBool(a.keepdim, ctx))), 'linalg_vector_norm', a.x!);
  };
  linalg.dict.set('vector_norm', new PyBuiltin('vector_norm', vn));
  linalg.dict.set('norm', new PyBuiltin('norm', (args, kw, ctx) => {
    const a = bind('norm', args, kw, ['A', 'ord?', 'dim?', 'keepdim?', 'dtype?']);
    const x = tensorArg(a.A, 'linalg.norm');
    const dims = a.dim === undefined || a.dim === null ? null : dimList(a.dim);
    const twoDims = Array.isArray(dims) ? dims.length === 2 : dims === null && x.ndim === 2 && a.ord !== undefined && a.ord !== null;
    if (twoDims && a.ord !== undefined && a.ord !== null && a.ord !== 'fro') throw pyError('NotImplementedError', 'matrix norms (linalg.norm with ord over two dims) are not supported by Mask Lens yet');
    return vn([a.A!, 2, dims === null ? null : a.dim!, a.keepdim ?? false, a.dtype ?? null], new Map(), ctx);
  }));
  F.dict.set('normalize', new PyBuiltin('normalize', (args, kw) => {
    const a = bind('normalize', args, kw, ['input', 'p?', 'dim?', 'eps?', 'out?']);
    const x = tensorArg(a.input, 'normalize');
    const p = a.p === undefined ? 2 : toFloat(a.p, 'p');
    const dim = a.dim === undefined ? 1 : dimList(a.dim);
    const eps = a.eps === undefined ? 1e-12 : toFloat(a.eps, 'eps');
    // input / norm.clamp_min(eps).expand_as(input) (torch/nn/functional.py)
    const denom = binary('maximum', vectorNorm(x, p, dim, true), eps);
    return track(new TorchTensor(binary('div', x, expand(denom, x.shape))), 'div', a.input!);
  }));
  return linalg;
}
