// Sparse COO tensors, as far as model files build them: whisper stores its
// alignment heads as `mask.to_sparse()` and reads them back with
// `.indices().T`. A sparse tensor prints, answers its metadata, gives its
// indices, values and dense form; any other op on it says it is not
// supported rather than computing as if it were dense.

import { formatTorchSparseCoo } from '../../engine/format';
import { Tensor, allocate } from '../../engine/tensor';
import { getSlot } from '../../engine/context';
import { bind, toInt } from '../../python/args';
import { pyError } from '../../python/exceptions';
import { CallContext, Kwargs, PyBuiltin, PyClass, PyObj, PyValue } from '../../python/values';
import { TORCH_STATE, TorchTensor, torchTensorClass } from './tensor';
import { TorchLayout } from './runtime';

/** Names a sparse tensor answers as its dense form would (shape and dtype metadata). */
const METADATA = new Set(['shape', 'dtype', 'ndim', 'device', 'is_cuda', 'requires_grad', 'size', 'dim', 'ndimension', 'numel', 'is_floating_point']);

/** A torch.sparse_coo tensor: coalesced int64 `indices` [sparse_dim, nnz] and `values` [nnz, *dense dims]. */
export class SparseCooTensor extends PyObj {
  constructor(
    readonly dense: Tensor,
    readonly indices: Tensor,
    readonly values: Tensor,
    readonly gradFn: string | null = null,
  ) {
    super();
  }
  get typeName() {
    return 'Tensor';
  }
  get fullName() {
    return 'torch.Tensor';
  }
  /** type(x) is torch.Tensor, as for a dense tensor. */
  pyType(): PyClass | undefined {
    return torchTensorClass();
  }
  override repr(): string {
    return formatTorchSparseCoo(this.indices, this.values, this.dense.shape, {
      gradFn: this.gradFn ?? undefined,
      printOptions: getSlot(TORCH_STATE).printOptions,
    });
  }
  /** Arithmetic and comparisons on a sparse tensor: not modelled, said so instead of a TypeError torch would not raise. */
  override binaryOp(op: string): PyValue | undefined {
    throw pyError('NotImplementedError', `the ${op} operator on a sparse COO tensor is not supported by Mask Lens yet`);
  }
  override getAttr(name: string, ctx: CallContext): PyValue | undefined {
    const m = (f: (args: PyValue[], kw: Kwargs) => PyValue) => new PyBuiltin(name, (args, kw) => f(args, kw), `Tensor.${name}`);
    // a sparse tensor that requires grad hands on a node per accessor, as autograd names them
    const derived = (t: Tensor, gradFn: string) => {
      const out = new TorchTensor(t);
      if (this.gradFn) {
        out.requiresGrad = true;
        out.gradFn = gradFn;
      }
      return out;
    };
    switch (name) {
      case 'is_sparse': return true;
      case 'layout': return TorchLayout.SPARSE_COO;
      case 'grad_fn': return null;
      case 'indices':
      case '_indices': return m(() => new TorchTensor(this.indices));
      case 'values':
      case '_values': return m(() => derived(this.values, name === 'values' ? 'ValuesBackward0' : 'ValuesBackward0'));
      case 'to_dense': return m(() => derived(this.dense, 'ToDenseBackward0'));
      case '_nnz': return m(() => BigInt(this.indices.shape[1]));
      case 'sparse_dim': return m(() => BigInt(this.indices.shape[0]));
      case 'dense_dim': return m(() => BigInt(this.values.ndim - 1));
      case 'is_coalesced': return m(() => true);
      case 'coalesce': return m(() => this);
    }
    if (METADATA.has(name)) return new TorchTensor(this.dense).getAttr(name, ctx);
    // a name no tensor has stays an AttributeError
    if (name.startsWith('__') || new TorchTensor(this.dense).getAttr(name, ctx) === undefined) return undefined;
    throw pyError('NotImplementedError', `torch.Tensor.${name} on a sparse COO tensor is not supported by Mask Lens yet`);
  }
}

/**
 * Tensor.to_sparse(sparse_dim=None, *, layout=None): the COO form of `dense`
 * (aten dense_to_sparse): indices of the positions over the first
 * `sparse_dim` dims whose slice holds a nonzero (NaN counts), in row-major
 * order, and those slices as values. Only the COO layout is modelled.
 */
export function toSparse(self: TorchTensor, args: PyValue[], kw: Kwargs, ctx: CallContext): PyValue {
  const a = bind('to_sparse', args, kw, ['sparseDims?', 'layout?', 'blocksize?', 'dense_dim?']);
  const layout = a.layout ?? null;
  // to_sparse(layout=torch.strided) is the tensor itself
  if (layout === TorchLayout.STRIDED) return self;
  if (layout !== null && layout !== TorchLayout.SPARSE_COO) {
    throw pyError('NotImplementedError', `Tensor.to_sparse(layout=${ctx.repr(layout)}) is not supported by Mask Lens yet`);
  }
  if ((a.blocksize ?? null) !== null || (a.dense_dim ?? null) !== null) {
    throw pyError('NotImplementedError', 'Tensor.to_sparse(blocksize=..., dense_dim=...) is not supported by Mask Lens yet');
  }
  const t = self.t;
  const k = a.sparseDims === undefined || a.sparseDims === null ? t.ndim : toInt(a.sparseDims, 'sparse_dim');
  if (k < 0 || k > t.ndim) throw pyError('RuntimeError', `dense_to_sparse: sparse_dim argument must be in [0,${t.ndim}] range, but ${k} is given`);
  const outer = t.shape.slice(0, k);
  const inner = t.shape.slice(k);
  const positions = outer.reduce((p, d) => p * d, 1);
  const width = inner.reduce((p, d) => p * d, 1);
  const data = t.values();
  const kept: number[] = [];
  for (let p = 0; p < positions; p++) {
    for (let j = 0; j < width; j++) {
      if (data[p * width + j] !== 0) {
        kept.push(p);
        break;
      }
    }
  }
  const nnz = kept.length;
  const idx = allocate('int64', k * nnz);
  kept.forEach((p, n) => {
    let rest = p;
    for (let d = k - 1; d >= 0; d--) {
      idx[d * nnz + n] = rest % outer[d];
      rest = Math.floor(rest / outer[d]);
    }
  });
  const vals = allocate(t.dtype, nnz * width);
  kept.forEach((p, n) => {
    for (let j = 0; j < width; j++) vals[n * width + j] = data[p * width + j];
  });
  const dense = Tensor.fromData(t.dtype, t.shape, data.slice());
  const gradFn = self.requiresGrad && getSlot(TORCH_STATE).gradEnabled && t.isFloating ? 'ToSparseBackward1' : null;
  return new SparseCooTensor(dense, Tensor.fromData('int64', [k, nnz], idx), Tensor.fromData(t.dtype, [nnz, ...inner], vals), gradFn);
}
