// Tensor methods and torch functions that model files use around masks:
// outer products for rotary tables, h/v/dstack for KV-cache masks, amax/amin,
// Tensor.new, narrow/select, logsumexp, roll, and `out=` on the functional
// forms. Semantics and messages follow ATen (native_functions.yaml and the
// kernels named below).

import { caster, isFloating } from '../../engine/dtype';
import { runtimeError } from '../../engine/errors';
import { getSlot, slot } from '../../engine/context';
import { formatCppTensor } from '../../engine/format/cpp';
import { assignInto, binary, cast, contiguous, getDefaultDtype, resultType, scalarTypeName, unary, where } from '../../engine/ops/core';
import { reduce } from '../../engine/ops/reduce';
import { erf, erfinv } from '../../engine/ops/special';
import { cat, diagonal, expand, narrow, normalizeDim, permute, reshape, select, slice, unsqueeze } from '../../engine/ops/shape';
import { Tensor, allocate, checkShape, contiguousStrides, numelOf } from '../../engine/tensor';
import { carryMaskEvidence } from '../../masks/evidence';
import { bind, toBool, toInt, toShape } from '../../python/args';
import { pyError } from '../../python/exceptions';
import { CallContext, Kwargs, NativeFn, PyList, PyTuple, PyValue, typeNameOf } from '../../python/values';
import { ArrayValue, dimList } from '../common';
import { TorchTensor, fillScalar, filled, tensorArg, toDtype, toTorchData, track } from './tensor';
import { sizeArgs } from './size';

type Method = (self: TorchTensor, args: PyValue[], kw: Kwargs, ctx: CallContext) => PyValue;

const wrap = (self: TorchTensor, t: Tensor, op: string, ...others: PyValue[]) => track(new TorchTensor(t), op, self, ...others);

function shapeOf(args: PyValue[], kw: Kwargs, name: string): number[] {
  if (args.length === 0 && kw.has('size')) return toShape([kw.get('size')!], name);
  return toShape(args, name);
}

/** amax/amin over dims (all dims when none), values only; an empty reduction raises as ATen does. */
function extremum(op: 'max' | 'min'): Method {
  return (self, args, kw, ctx) => {
    const a = bind(`a${op}`, args, kw, ['dim?', 'keepdim?']);
    const dims = a.dim === undefined ? null : dimList(a.dim);
    if (self.t.numel === 0 && (dims === null || (Array.isArray(dims) && dims.length === 0))) {
      throw pyError('IndexError', `a${op}(): Expected reduction dim to be specified for input.numel() == 0.`);
    }
    const all = dims === null || (Array.isArray(dims) && dims.length === 0);
    return wrap(self, reduce(op, self.t, all ? null : dims, toBool(a.keepdim, ctx)), `a${op}`);
  };
}

/** torch.logsumexp: max-shifted log(sum(exp(x - max))) (ATen logsumexp_out_impl). */
function logsumexp(x: Tensor, dims: number | number[], keepdim: boolean): Tensor {
  const xf = isFloating(x.dtype) ? x : cast(x, 'float32');
  const m = reduce('max', xf, dims, true);
  // an all -inf slice keeps -inf rather than becoming nan
  const safe = where(unary('isfinite', m, 'bool'), m, 0);
  const shifted = unary('exp', binary('sub', xf, safe));
  let r = binary('add', unary('log', reduce('sum', shifted, dims, true)), safe);
  if (!keepdim) r = reshape(r, reduce('sum', xf, dims, false).shape);
  return r;
}

/** Tensor.roll(shifts, dims): elements shifted cyclically; with no dims, over the flattened tensor. */
export function roll(x: Tensor, shifts: number[], dims: number[]): Tensor {
  if (dims.length === 0) return reshape(roll(reshape(x, [-1]), shifts, [0]), x.shape);
  if (shifts.length !== dims.length) throw runtimeError(`shifts and dimensions must align. shifts: ${shifts.length}, dims:${dims.length}`);
  let t = x;
  shifts.forEach((s, i) => {
    const d = dims[i] < 0 ? dims[i] + x.ndim : dims[i];
    const n = t.shape[d];
    if (n === 0) return;
    const k = ((s % n) + n) % n;
    if (k === 0) return;
    t = cat([slice(t, d, n - k, n), slice(t, d, 0, n - k)], d);
  });
  return t;
}

/**
 * Tensor.index_fill_(dim, index, value) and its out-of-place form (ATen
 * index_fill_): every slice along `dim` at a position in `index` (int64,
 * 0-D or 1-D, negative from the end) set to `value` (a number or a 0-dim
 * tensor), as the Annotated Transformer's LabelSmoothing zeroes padded rows.
 * Bounds and the index dtype are checked before anything is written.
 */
function indexFill(inplace: boolean): Method {
  return (self, args, kw) => {
    const a = bind(inplace ? 'index_fill_' : 'index_fill', args, kw, ['dim', 'index', 'value']);
    const x = self.t;
    const nd = Math.max(x.ndim, 1);
    const d0 = toInt(a.dim, 'dim');
    if (d0 < -nd || d0 >= nd) throw pyError('IndexError', `Dimension out of range (expected to be in range of [${-nd}, ${nd - 1}], but got ${d0})`);
    const d = d0 < 0 ? d0 + nd : d0;
    const index = tensorArg(a.index, 'index_fill_', 'index');
    if (index.dtype !== 'int64') throw pyError('IndexError', 'index_fill_(): Expected dtype int64 for index.');
    if (index.ndim > 1) throw runtimeError('Index has to be a vector/scalar');
    const value = fillScalar(a.value, 'value');
    const size = x.ndim === 0 ? 1 : x.shape[d];
    const positions = Array.from(index.values(), (raw) => {
      const i = Number(raw);
      if (i < -size || i >= size) throw pyError('IndexError', `index ${i} is out of bounds for dimension ${d} with size ${size}`);
      return i < 0 ? i + size : i;
    });
    const target = inplace ? x : cast(x, x.dtype);
    for (const i of positions) assignInto(x.ndim === 0 ? target : select(target, d, i), value);
    return inplace ? self : wrap(self, target, 'index_fill');
  };
}

export const EXTRA_METHODS: Record<string, Method> = {
  index_fill_: indexFill(true),
  index_fill: indexFill(false),
  amax: extremum('max'),
  is_complex: () => false,
  // copy.deepcopy(tensor): new storage, same flags (Tensor.__deepcopy__)
  __deepcopy__: (self) => {
    const t = new TorchTensor(cast(self.t, self.t.dtype));
    t.requiresGrad = self.requiresGrad;
    t.isParameter = self.isParameter;
    return t;
  },
  amin: extremum('min'),
  // Tensor.new(*sizes) / Tensor.new(data): an uninitialised (here zeroed) tensor of the same dtype; deprecated API still used by fairseq
  new: (self, args, kw, ctx) => {
    if (args.length === 1 && (args[0] instanceof PyList || args[0] instanceof PyTuple || args[0] instanceof ArrayValue)) {
      if (args[0] instanceof ArrayValue) return new TorchTensor(cast(args[0].t, self.t.dtype));
      return new TorchTensor(toTorchData(args[0], ctx, self.t.dtype));
    }
    return new TorchTensor(filled(shapeOf(args, kw, 'new'), 0, self.t.dtype));
  },
  new_empty: (self, args, kw) => new TorchTensor(filled(sizeArgs('new_empty', args, kw), 0, toDtype(kw.get('dtype')) ?? self.t.dtype)),
  square: (self) => wrap(self, binary('mul', self.t, self.t), 'pow'),
  clamp_min: (self, args, kw) => {
    const a = bind('clamp_min', args, kw, ['min']);
    return wrap(self, binary('maximum', self.t, scalarOrTensor(a.min, 'clamp_min')), 'clamp_min');
  },
  clamp_max: (self, args, kw) => {
    const a = bind('clamp_max', args, kw, ['max']);
    return wrap(self, binary('minimum', self.t, scalarOrTensor(a.max, 'clamp_max')), 'clamp_max');
  },
  maximum: (self, args, kw) => wrap(self, binary('maximum', self.t, tensorArg(bind('maximum', args, kw, ['other']).other, 'maximum', 'other')), 'maximum'),
  minimum: (self, args, kw) => wrap(self, binary('minimum', self.t, tensorArg(bind('minimum', args, kw, ['other']).other, 'minimum', 'other')), 'minimum'),
  logsumexp: (self, args, kw, ctx) => {
    const a = bind('logsumexp', args, kw, ['dim', 'keepdim?']);
    return wrap(self, logsumexp(self.t, dimList(a.dim) as number | number[], toBool(a.keepdim, ctx)), 'logsumexp');
  },
  narrow: (self, args, kw) => {
    const a = bind('narrow', args, kw, ['dim', 'start', 'length']);
    const dim = toInt(a.dim, 'dim');
    let start = toInt(a.start, 'start');
    const n = self.t.shape[dim < 0 ? dim + self.t.ndim : dim];
    if (start < 0) start += n;
    const length = toInt(a.length, 'length');
    if (start < 0 || start + length > n) throw runtimeError(`start (${start}) + length (${length}) exceeds dimension size (${n}).`);
    return wrap(self, narrow(self.t, dim, start, length), 'slice');
  },
  diagonal: (self, args, kw) => {
    const a = bind('diagonal', args, kw, ['offset?', 'dim1?', 'dim2?']);
    const int = (v: PyValue | undefined, name: string, dflt: number) => (v === undefined ? dflt : toInt(v, name));
    return wrap(self, diagonal(self.t, int(a.offset, 'offset', 0), int(a.dim1, 'dim1', 0), int(a.dim2, 'dim2', 1)), 'diagonal');
  },
  select: (self, args, kw) => {
    const a = bind('select', args, kw, ['dim', 'index']);
    return wrap(self, select(self.t, toInt(a.dim, 'dim'), toInt(a.index, 'index')), 'select');
  },
  roll: (self, args, kw) => {
    const a = bind('roll', args, kw, ['shifts', 'dims?']);
    const list = (v: PyValue | undefined) => (v === undefined || v === null ? [] : typeof v === 'bigint' ? [Number(v)] : (v as PyList).items.map((x) => toInt(x, 'shifts')));
    return wrap(self, roll(self.t, list(a.shifts), list(a.dims)), 'roll');
  },
  copy_: (self, args, kw) => {
    const a = bind('copy_', args, kw, ['src', 'non_blocking?']);
    const src = tensorArg(a.src, 'copy_', 'src');
    assignInto(self.t, cast(src, self.t.dtype));
    return self;
  },
  // resize_(*sizes): the same storage seen contiguously from the tensor's offset with
  // the new shape, the storage grown when it is too small (the new elements are
  // uninitialised in PyTorch, zero here), as at::native::resize_ does. fairseq's
  // buffered_arange grows its cached buffer this way before `arange(out=buf)`.
  resize_: (self, args, kw) => {
    const shape = sizeArgs('resize_', args, kw.has('memory_format') ? new Map([...kw].filter(([k]) => k !== 'memory_format')) : kw);
    checkShape(shape);
    const storage = self.t.storage;
    const need = self.t.offset + numelOf(shape);
    if (need > storage.data.length) {
      const grown = allocate(self.t.dtype, need);
      grown.set(storage.data as never);
      storage.data = grown;
    }
    self.t = new Tensor(storage, self.t.dtype, shape, contiguousStrides(shape), self.t.offset);
    return self;
  },
  unsqueeze_: (self, args, kw) => {
    const a = bind('unsqueeze_', args, kw, ['dim']);
    const r = unsqueeze(self.t, toInt(a.dim, 'dim'));
    // in place: the same storage seen with the new shape
    self.t = r;
    return self;
  },
  erf: (self) => wrap(self, mapValues(self.t, erf), 'erf'),
  unique: (self, args, kw, ctx) => {
    const a = bind('unique', args, kw, ['sorted?', 'return_inverse?', 'return_counts?', 'dim?']);
    const dim = a.dim === undefined || a.dim === null ? null : toInt(a.dim, 'dim');
    const r = dim === null ? uniqueSorted(self.t) : uniqueSlices(self.t, dim, false);
    return uniqueResult(self, r, dim === null ? 'unique2' : 'unique_dim', a, ctx);
  },
  // torch.unique_consecutive(input, return_inverse=False, return_counts=False, dim=None): runs of equal
  // elements (or slices along dim) collapse to one; always recorded as UniqueConsecutiveBackward0
  unique_consecutive: (self, args, kw, ctx) => {
    const a = bind('unique_consecutive', args, kw, ['return_inverse?', 'return_counts?', 'dim?']);
    const r = a.dim === undefined || a.dim === null ? uniqueRuns(self.t) : uniqueSlices(self.t, toInt(a.dim, 'dim'), true);
    return uniqueResult(self, r, 'unique_consecutive', a, ctx);
  },
  // ATen's calc_erfinv, in float for float32/float16/bfloat16 (opmath), in double for float64
  erfinv: (self) => wrap(self, erfinvOf(self.t), 'erfinv'),
  erfinv_: (self) => {
    if (!isFloating(self.t.dtype)) throw runtimeError(`result type Float can't be cast to the desired output type ${scalarTypeName(self.t.dtype)}`);
    assignInto(self.t, erfinvOf(self.t));
    return self;
  },
  outer: (self, args, kw) => outer(self, bind('outer', args, kw, ['vec2']).vec2),
  ger: (self, args, kw) => outer(self, bind('ger', args, kw, ['vec2']).vec2),
};

function scalarOrTensor(v: PyValue | undefined, name: string): Tensor | number | bigint {
  if (v instanceof ArrayValue) return v.t;
  if (typeof v === 'number' || typeof v === 'bigint') return v;
  if (typeof v === 'boolean') return v ? 1n : 0n;
  throw pyError('TypeError', `${name}(): argument 'min' must be Number, not ${typeNameOf(v ?? null)}`);
}

/** torch.outer(input, vec2): input[:, None] * vec2[None, :], both 1-D. */
function outer(self: TorchTensor, other: PyValue | undefined): PyValue {
  const v = tensorArg(other, 'outer', 'vec2');
  if (self.t.ndim !== 1 || v.ndim !== 1) {
    throw runtimeError(`outer: Expected 1-D argument self, but got ${self.t.ndim}-D`);
  }
  return wrap(self, binary('mul', unsqueeze(self.t, 1), unsqueeze(v, 0)), 'mul', other!);
}

/**
 * torch.unique(input) over all elements (ATen's _unique2 on CPU): the distinct values in
 * ascending order (each NaN distinct, NaNs last; -0.0 and 0.0 one value, the first met in a
 * stable sort), each element's index among them (inverse, input's shape) and their counts.
 */
function uniqueSorted(t: Tensor): UniqueParts {
  const v = t.values();
  const order = Array.from(v, (_, i) => i).sort((i, j) => {
    const x = v[i], y = v[j];
    if (Number.isNaN(x) || Number.isNaN(y)) return Number.isNaN(x) ? (Number.isNaN(y) ? i - j : 1) : -1;
    return x < y ? -1 : x > y ? 1 : i - j;
  });
  const firsts: number[] = [];
  const counts: number[] = [];
  const inverse = Tensor.empty('int64', t.shape);
  for (const i of order) {
    const last = firsts.length ? v[firsts[firsts.length - 1]] : undefined;
    if (last === undefined || Number.isNaN(v[i]) || last !== v[i]) {
      firsts.push(i);
      counts.push(0);
    }
    counts[counts.length - 1]++;
    inverse.storage.data[i] = firsts.length - 1;
  }
  const values = Tensor.empty(t.dtype, [firsts.length]);
  firsts.forEach((i, k) => (values.storage.data[k] = v[i]));
  const countT = Tensor.empty('int64', [counts.length]);
  countT.storage.data.set(counts);
  return { values, inverse, counts: countT };
}

interface UniqueParts {
  values: Tensor;
  inverse: Tensor;
  counts: Tensor;
}

/** torch/functional.py's return: the values, then inverse and counts when asked for, as a tuple. */
function uniqueResult(self: TorchTensor, r: UniqueParts, op: string, a: Record<string, PyValue | undefined>, ctx: CallContext): PyValue {
  const out = wrap(self, r.values, op);
  const extra: PyValue[] = [];
  if (toBool(a.return_inverse, ctx, false)) extra.push(new TorchTensor(r.inverse));
  if (toBool(a.return_counts, ctx, false)) extra.push(new TorchTensor(r.counts));
  return extra.length ? new PyTuple([out, ...extra]) : out;
}

const longs = (xs: readonly number[], shape: readonly number[] = [xs.length]): Tensor => {
  const t = Tensor.empty('int64', shape);
  t.storage.data.set(xs);
  return t;
};

/**
 * torch.unique_consecutive(input) without dim (ATen's unique_consecutive_cpu_template):
 * each run of equal elements, in flattened order, becomes one value; inverse has the
 * input's shape.
 */
function uniqueRuns(t: Tensor): UniqueParts {
  const v = t.values();
  const values: number[] = [], counts: number[] = [], inverse: number[] = [];
  v.forEach((x, i) => {
    if (i === 0 || x !== v[i - 1]) {
      values.push(x);
      counts.push(0);
    }
    counts[counts.length - 1]++;
    inverse.push(values.length - 1);
  });
  const out = Tensor.empty(t.dtype, [values.length]);
  out.storage.data.set(values);
  return { values: out, inverse: longs(inverse, t.shape), counts: longs(counts) };
}

/**
 * torch.unique(input, dim=d) and unique_consecutive(input, dim=d) (ATen's
 * _unique_dim_cpu_template): the slices along `dim`, sorted lexicographically (unless
 * consecutive; ties keep their order, as std::sort's insertion sort does on small
 * inputs), runs of equal slices (element-wise ==) collapsed to their first. `values`
 * keeps the input's shape but for `dim`; inverse and counts are 1-D over the slices.
 * Raises IndexError for a dim out of range or a 0-d input, RuntimeError when another
 * dim has size 0.
 */
function uniqueSlices(t: Tensor, dimArg: number, consecutive: boolean): UniqueParts {
  if (t.ndim === 0) throw pyError('IndexError', `Dimension specified as ${dimArg} but tensor has no dimensions`);
  const dim = normalizeDim(dimArg, t.ndim);
  const zeros = t.shape.filter((n) => n === 0).length;
  if (t.shape[dim] === 0) {
    if (zeros !== 1) throw runtimeError('Number of zero sized dimensions is more than one, so unique cannot be applied ');
    return { values: Tensor.empty(t.dtype, t.shape), inverse: longs([]), counts: longs([]) };
  }
  if (zeros > 0) throw runtimeError("There are 0 sized dimensions, and they aren't selected, so unique cannot be applied");
  // moveaxis(dim, 0), viewed as [n, width]
  const perm = [dim, ...t.shape.map((_, i) => i).filter((i) => i !== dim)];
  const moved = contiguous(permute(t, perm));
  const v = moved.values();
  const n = t.shape[dim], width = v.length / n;
  const cmp = (a: number, b: number): number => {
    for (let i = 0; i < width; i++) {
      const x = v[a * width + i], y = v[b * width + i];
      if (x < y) return -1;
      if (x > y) return 1;
    }
    return 0;
  };
  const same = (a: number, b: number): boolean => {
    for (let i = 0; i < width; i++) if (v[a * width + i] !== v[b * width + i]) return false;
    return true;
  };
  const order = Array.from({ length: n }, (_, i) => i);
  if (!consecutive) order.sort((a, b) => cmp(a, b) || a - b);
  const firsts: number[] = [], counts: number[] = [], inverse = new Array<number>(n);
  for (const i of order) {
    if (firsts.length === 0 || !same(firsts[firsts.length - 1], i)) {
      firsts.push(i);
      counts.push(0);
    }
    counts[counts.length - 1]++;
    inverse[i] = firsts.length - 1;
  }
  const rows = Tensor.empty(t.dtype, [firsts.length, ...moved.shape.slice(1)]);
  firsts.forEach((r, k) => rows.storage.data.set(v.subarray(r * width, (r + 1) * width), k * width));
  // moveaxis(0, dim) back
  const back = perm.map((_, i) => perm.indexOf(i));
  return { values: contiguous(permute(rows, back)), inverse: longs(inverse), counts: longs(counts) };
}

function erfinvOf(t: Tensor): Tensor {
  const single = t.dtype !== 'float64';
  return mapValues(t, (y) => erfinv(y, single));
}

function mapValues(t: Tensor, f: (x: number) => number): Tensor {
  const x = isFloating(t.dtype) ? t : cast(t, 'float32');
  const v = x.values();
  const out = Tensor.empty(x.dtype, x.shape);
  // float16 / bfloat16 are stored in a Float32Array: each result rounded to the dtype
  const round = caster(x.dtype);
  for (let i = 0; i < v.length; i++) out.storage.data[i] = round(f(v[i]));
  return out;
}


/**
 * torch functions over a sequence of tensors: hstack (cat on dim 1, dim 0
 * for 1-D), vstack (atleast_2d then dim 0), dstack (atleast_3d then dim 2).
 */
export function stackFunctions(tensorsArg: (v: PyValue | undefined, name: string) => Tensor[]): Record<string, NativeFn> {
  const atLeast = (t: Tensor, n: number): Tensor => {
    if (t.ndim >= n) return t;
    if (n === 2) return reshape(t, t.ndim === 0 ? [1, 1] : [1, t.shape[0]]);
    return t.ndim === 0 ? reshape(t, [1, 1, 1]) : t.ndim === 1 ? reshape(t, [1, t.shape[0], 1]) : reshape(t, [...t.shape, 1]);
  };
  const make = (name: string, pick: (ts: Tensor[]) => Tensor): NativeFn => (args, kw) => {
    const a = bind(name, args, kw, ['tensors', 'out?']);
    const ts = tensorsArg(a.tensors, name);
    if (ts.length === 0) throw runtimeError(`${name} expects a non-empty TensorList`);
    // as torch.cat: a mask-built piece makes the joined tensor mask-built (llama's hstack KV-cache mask)
    return withOut(track(new TorchTensor(carryMaskEvidence(pick(ts), ...ts)), 'cat', ...(a.tensors as PyList).items), a.out);
  };
  return {
    hstack: make('hstack', (ts) => cat(ts, ts[0].ndim === 1 ? 0 : 1)),
    column_stack: make('column_stack', (ts) => cat(ts.map((t) => (t.ndim <= 1 ? reshape(t, [-1, 1]) : t)), 1)),
    vstack: make('vstack', (ts) => cat(ts.map((t) => atLeast(t, 2)), 0)),
    row_stack: make('row_stack', (ts) => cat(ts.map((t) => atLeast(t, 2)), 0)),
    dstack: make('dstack', (ts) => cat(ts.map((t) => atLeast(t, 3)), 2)),
    outer: (args, kw) => {
      const a = bind('outer', args, kw, ['input', 'vec2', 'out?']);
      return withOut(outer(a.input instanceof TorchTensor ? a.input : new TorchTensor(tensorArg(a.input, 'outer')), a.vec2) as TorchTensor, a.out);
    },
    meshgrid: (args, kw, ctx) => {
      const extra = [...kw.keys()].find((k) => k !== 'indexing');
      if (extra !== undefined) throw pyError('TypeError', `meshgrid() got an unexpected keyword argument '${extra}'`);
      // torch/functional.py: a single list or tuple argument holds the tensors
      const list = args.length === 1 && (args[0] instanceof PyList || args[0] instanceof PyTuple) ? args[0] : new PyTuple(args);
      const indexing = kw.get('indexing');
      if (indexing === undefined || indexing === null) {
        const state = getSlot(MESHGRID_WARNED);
        if (!state.warned) {
          state.warned = true;
          ctx.warn('torch.meshgrid: in an upcoming release, it will be required to pass the indexing argument. (Triggered internally at /__w/pytorch/pytorch/aten/src/ATen/native/TensorShape.cpp:4215.)');
        }
      }
      const grids = meshgrid(tensorsArg(list, 'meshgrid'), indexing === undefined || indexing === null ? 'ij' : String(indexing));
      return new PyTuple(grids.map((g) => new TorchTensor(g)));
    },
    block_diag: (args) => new TorchTensor(blockDiag(tensorsArg(new PyTuple(args), 'block_diag'))),
  };
}

// TORCH_WARN_ONCE: the missing-indexing warning shows once per run
const MESHGRID_WARNED = slot('torch.meshgrid.warned', () => ({ warned: false }));

/**
 * torch.meshgrid(*tensors, indexing): one grid per input, each of shape
 * (n0, n1, ...) with input i laid along dim i ('ij'); 'xy' swaps the first
 * two dims (Cartesian indexing). 0-D inputs count as length 1. Errors and
 * their order follow ATen's meshgrid (TensorShape.cpp): empty list, dtype,
 * indexing, then dims (the offending tensor printed as C++ prints it).
 */
export function meshgrid(ts: Tensor[], indexing: string): Tensor[] {
  if (ts.length === 0) throw runtimeError('meshgrid expects a non-empty TensorList');
  for (let i = 0; i + 1 < ts.length; i++) {
    if (ts[i].dtype !== ts[i + 1].dtype) throw runtimeError('meshgrid expects all tensors to have the same dtype');
  }
  if (indexing !== 'xy' && indexing !== 'ij') {
    throw runtimeError(`torch.meshgrid: indexing must be one of "xy" or "ij", but received: ${indexing}`);
  }
  for (const t of ts) {
    if (t.ndim > 1) throw runtimeError(`torch.meshgrid: Expected 0D or 1D tensor in the tensor list but got: ${formatCppTensor(t)}`);
  }
  const swap = indexing === 'xy' && ts.length >= 2;
  const lengths = ts.map((t) => t.numel);
  const order = ts.map((_, i) => i);
  if (swap) [order[0], order[1]] = [order[1], order[0]];
  const shape = order.map((i) => lengths[i]);
  return ts.map((t, i) => {
    const axis = order.indexOf(i);
    const view = shape.map((n, d) => (d === axis ? n : 1));
    return contiguous(expand(reshape(t, view), shape));
  });
}

/**
 * torch.block_diag(*tensors): inputs on the diagonal of a zero matrix of the
 * promoted dtype; 0-D is 1x1 and 1-D (n) is 1 x n. No input gives a (1, 0)
 * tensor of the default dtype (ATen's block_diag in TensorShape.cpp).
 */
export function blockDiag(ts: Tensor[]): Tensor {
  const mats = ts.map((t, i) => {
    if (t.ndim > 2) throw runtimeError(`torch.block_diag: Input tensors must have 2 or fewer dimensions. Input ${i} has ${t.ndim} dimensions`);
    return t.ndim === 2 ? t : reshape(t, [1, t.numel]);
  });
  if (mats.length === 0) return Tensor.empty(getDefaultDtype(), [1, 0]);
  const dtype = resultType(...ts);
  const rows = mats.reduce((n, m) => n + m.shape[0], 0);
  const cols = mats.reduce((n, m) => n + m.shape[1], 0);
  const out = Tensor.empty(dtype, [rows, cols]);
  let r0 = 0, c0 = 0;
  for (const m of mats) {
    const v = cast(m, dtype).values();
    const [h, w] = m.shape;
    for (let r = 0; r < h; r++) for (let c = 0; c < w; c++) out.storage.data[(r0 + r) * cols + c0 + c] = v[r * w + c];
    r0 += h;
    c0 += w;
  }
  return out;
}

/**
 * `out=`: the result is written into `out` (resized when its shape differs,
 * as at::native::resize_output does) and `out` is returned.
 */
export function withOut(result: PyValue, out: PyValue | undefined): PyValue {
  if (out === undefined || out === null || !(result instanceof TorchTensor)) return result;
  if (!(out instanceof TorchTensor)) throw pyError('TypeError', `argument 'out' must be Tensor, not ${typeNameOf(out)}`);
  const r = result.t;
  if (out.t.shape.length !== r.shape.length || out.t.shape.some((s, i) => s !== r.shape[i])) {
    out.t = cast(r, out.t.dtype);
  } else assignInto(out.t, cast(r, out.t.dtype));
  return out;
}
