// torch.vmap / torch.func.vmap, run as the loop it stands for: the function
// is called once per index of the mapped dimension (each batched input seen
// with that dimension dropped, as x.select(in_dim, i)) and the outputs are
// stacked along out_dims. For the pure, index-based functions mask code maps
// (transformers' masking_utils builds its 4D masks by vmapping a
// mask_function(batch_idx, head_idx, q_idx, kv_idx) over four aranges) this
// gives what the batched transform gives. The argument checks and their
// messages follow torch/_functorch/vmap.py (PyTorch 2.13).

import { pyError } from '../../python/exceptions';
import { bind } from '../../python/args';
import { CallContext, Kwargs, PyBuiltin, PyDict, PyFunction, PyList, PyTuple, PyValue, typeNameOf } from '../../python/values';
import { select, stack } from '../../engine/ops/shape';
import { Tensor } from '../../engine/tensor';
import { carryMaskEvidence } from '../../masks/evidence';
import { TorchTensor } from './tensor';

/** The name vmap's messages give a function: its __name__, else its repr (torch/_functorch/vmap.py _get_name). */
function funcName(f: PyValue, ctx: CallContext): string {
  if (f instanceof PyFunction || f instanceof PyBuiltin) return f.name;
  try {
    return ctx.str(ctx.getAttr(f, '__name__'));
  } catch {
    return ctx.repr(f);
  }
}

const classOf = (v: PyValue) => `<class '${typeNameOf(v)}'>`;

/** A pytree's spec as torch.utils._pytree prints it, for the flat tuples and lists vmap's messages show. */
function treeSpec(v: PyValue): string {
  if (v instanceof PyTuple || v instanceof PyList) {
    return `TreeSpec(${v instanceof PyTuple ? 'tuple' : 'list'}, None, [${v.items.map(treeSpec).join(',\n  ')}])`;
  }
  return '*';
}

/** A per-leaf dimension for every tensor of `value`: `dims` is an int or None for the whole subtree, or a tree of the same structure. */
interface Leaf {
  path: number[];
  tensor: Tensor;
  dim: number;
}

/**
 * Pairs the input pytree `value` with the in_dims tree `dims` (an int or None
 * applies to the whole subtree), collecting each batched tensor and its
 * dimension. `where` prefixes the messages (`vmap(f, in_dims=(0,), ...)(<inputs>)`).
 */
function collect(value: PyValue, dims: PyValue, path: number[], out: Leaf[], where: string, ctx: CallContext): void {
  if (dims === null) return;
  if (typeof dims === 'bigint') {
    if (value instanceof PyTuple || value instanceof PyList) {
      value.items.forEach((x, i) => collect(x, dims, [...path, i], out, where, ctx));
      return;
    }
    if (value instanceof PyDict) {
      [...value.entries.values()].forEach(([, x], i) => collect(x, dims, [...path, i], out, where, ctx));
      return;
    }
    if (!(value instanceof TorchTensor)) {
      throw pyError('ValueError', `${where}: Got in_dim=${dims} for an input but the input is of type ${classOf(value)}. We cannot vmap over non-Tensor arguments, please use None as the respective in_dim`);
    }
    const nd = value.t.ndim;
    const d = Number(dims);
    if (d < -nd || d >= nd) {
      throw pyError('ValueError', `${where}: Got in_dim=${d} for some input, but that input is a Tensor of dimensionality ${nd} so expected in_dim to satisfy -${nd} <= in_dim < ${nd}.`);
    }
    out.push({ path, tensor: value.t, dim: d < 0 ? d + nd : d });
    return;
  }
  const sameKind = (dims instanceof PyTuple && value instanceof PyTuple) || (dims instanceof PyList && value instanceof PyList);
  if (sameKind && (dims as PyTuple).items.length === (value as PyTuple).items.length) {
    (value as PyTuple).items.forEach((x, i) => collect(x, (dims as PyTuple).items[i], [...path, i], out, where, ctx));
    return;
  }
  if (dims instanceof PyDict && value instanceof PyDict && dims.entries.size === value.entries.size && [...dims.entries.keys()].every((k) => value.entries.has(k))) {
    [...value.entries.entries()].forEach(([k, [, x]], i) => collect(x, dims.entries.get(k)![1], [...path, i], out, where, ctx));
    return;
  }
  throw pyError('ValueError', `${where}: in_dims is not compatible with the structure of \`inputs\`. in_dims has structure ${treeSpec(dims)} but inputs has structure ${treeSpec(value)}.`);
}

/** `value` with the batched tensor at each leaf path replaced by its slice `i`. */
function sliceAt(value: PyValue, leaves: Leaf[], path: number[], i: number): PyValue {
  const here = leaves.find((l) => l.path.length === path.length && l.path.every((p, k) => p === path[k]));
  if (here) return new TorchTensor(carryMaskEvidence(select(here.tensor, here.dim, i), here.tensor));
  const under = leaves.filter((l) => l.path.length > path.length && path.every((p, k) => l.path[k] === p));
  if (under.length === 0) return value;
  if (value instanceof PyTuple) return new PyTuple(value.items.map((x, k) => sliceAt(x, under, [...path, k], i)));
  if (value instanceof PyList) return new PyList(value.items.map((x, k) => sliceAt(x, under, [...path, k], i)));
  if (value instanceof PyDict) {
    const d = new PyDict();
    [...value.entries.entries()].forEach(([h, [k, x]], n) => d.entries.set(h, [k, sliceAt(x, under, [...path, n], i)]));
    return d;
  }
  return value;
}

/**
 * Stacks the per-index outputs `outs` (same structure each) along the
 * out_dims tree `dims`; a None out_dim returns the first call's value as is.
 */
function assemble(outs: PyValue[], dims: PyValue, name: string, where: string): PyValue {
  const first = outs[0];
  if (dims === null) return first;
  if (typeof dims === 'bigint') {
    if (first instanceof PyTuple || first instanceof PyList) {
      const items = first.items.map((_, k) => assemble(outs.map((o) => (o as PyTuple).items[k]), dims, name, where));
      return first instanceof PyTuple ? new PyTuple(items) : new PyList(items);
    }
    if (first instanceof PyDict) {
      const d = new PyDict();
      for (const [h, [k]] of first.entries) d.entries.set(h, [k, assemble(outs.map((o) => (o as PyDict).entries.get(h)![1]), dims, name, where)]);
      return d;
    }
    if (!(first instanceof TorchTensor)) {
      throw pyError('ValueError', `vmap(${name}, ...): \`${name}\` must only return Tensors, got type ${classOf(first)}. Did you mean to set out_dims= to None for output?`);
    }
    const ts = outs.map((o) => (o as TorchTensor).t);
    return new TorchTensor(carryMaskEvidence(stack(ts, Number(dims)), ...ts));
  }
  if ((dims instanceof PyTuple || dims instanceof PyList) && (first instanceof PyTuple || first instanceof PyList) && dims.items.length === first.items.length) {
    const items = first.items.map((_, k) => assemble(outs.map((o) => (o as PyTuple).items[k]), dims.items[k], name, where));
    return first instanceof PyTuple ? new PyTuple(items) : new PyList(items);
  }
  throw pyError('ValueError', `${where}: out_dims is not compatible with the structure of \`outputs\`. out_dims has structure ${treeSpec(dims)} but outputs has structure ${treeSpec(first)}.`);
}

/** Whether `dims` is an int, None, or a tuple/list of them (torch's check of out_dims). */
function validOutDims(dims: PyValue): boolean {
  if (dims === null || typeof dims === 'bigint') return true;
  return (dims instanceof PyTuple || dims instanceof PyList) && dims.items.every(validOutDims);
}

/**
 * torch.vmap(func, in_dims=0, out_dims=0, randomness='error', *, chunk_size=None):
 * the function that maps `func` over dimension in_dims of its positional
 * inputs (keyword arguments pass through unmapped) and stacks each output
 * along out_dims. Errors (ValueError with vmap's texts): no inputs; in_dims
 * not an int or tuple, or not matching the inputs' structure; an int in_dim
 * on a non-tensor or out of range; no batched tensor; batched tensors of
 * different sizes; a non-tensor output with an int out_dim. Not modelled:
 * vmap's refusal of `.item()`, data-dependent control flow and random
 * operations inside `func` (the loop runs them), and a size-0 mapped
 * dimension (NotImplementedError).
 */
export function vmapFunction(qual: string): PyBuiltin {
  return new PyBuiltin('vmap', (args, kw) => {
    const a = bind('vmap', args, kw, ['func', 'in_dims?', 'out_dims?', 'randomness?', 'chunk_size?']);
    const func = a.func as PyValue;
    const inDims = a.in_dims === undefined ? 0n : a.in_dims;
    const outDims = a.out_dims === undefined ? 0n : a.out_dims;
    return new PyBuiltin('wrapped', (inputs: PyValue[], kwargs: Kwargs, ctx: CallContext) => {
      const name = funcName(func, ctx);
      if (inputs.length === 0) {
        throw pyError('ValueError', `vmap(${name})(<inputs>): got no inputs. Maybe you forgot to add inputs, or you are trying to vmap over a function with no inputs. The latter is unsupported.`);
      }
      const where = `vmap(${name}, in_dims=${ctx.str(inDims)}, ...)(<inputs>)`;
      if (typeof inDims !== 'bigint' && !(inDims instanceof PyTuple)) {
        throw pyError('ValueError', `${where}: expected \`in_dims\` to be int or a (potentially nested) tuple matching the structure of inputs, got: ${classOf(inDims)}.`);
      }
      if (!validOutDims(outDims)) {
        throw pyError('ValueError', `vmap(${name}, ..., out_dims=${ctx.str(outDims)}): \`out_dims\` must be an int, None or a python collection of ints representing where in the outputs the vmapped dimension should appear.`);
      }
      const leaves: Leaf[] = [];
      collect(new PyTuple(inputs), inDims, [], leaves, where, ctx);
      if (leaves.length === 0) throw pyError('ValueError', 'vmap: Expected at least one Tensor to vmap over');
      const sizes = leaves.map((l) => l.tensor.shape[l.dim]);
      if (sizes.some((s) => s !== sizes[0])) {
        throw pyError('ValueError', `vmap: Expected all tensors to have the same size in the mapped dimension, got sizes [${sizes.join(', ')}] for the mapped dimension`);
      }
      if (sizes[0] === 0) throw pyError('NotImplementedError', 'torch.vmap over a dimension of size 0 is not supported by Mask Lens yet');
      const outs: PyValue[] = [];
      for (let i = 0; i < sizes[0]; i++) {
        const sliced = sliceAt(new PyTuple(inputs), leaves, [], i) as PyTuple;
        outs.push(ctx.call(func, sliced.items, kwargs));
      }
      return assemble(outs, outDims, name, `vmap(${name}, ..., out_dims=${ctx.str(outDims)})(<inputs>)`);
    }, `${qual}.<locals>.wrapped`);
  }, qual);
}
