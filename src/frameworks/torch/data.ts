// torch.utils.data's DataLoader (one process), TensorDataset and
// default_collate, after torch/utils/data/dataloader.py, sampler.py, dataset.py
// and _utils/collate.py (PyTorch 2.x). Notebooks batch their datasets through
// them, often with a collate_fn that pads the batch and builds its masks, so
// the batches and masks preview. The draws are torch's: each iter() takes a
// base seed from the loader's generator (the global one by default), and
// shuffle=True orders each epoch with RandomSampler's randperm. Custom
// samplers raise NotImplementedError.

import { stack } from '../../engine/ops/shape';
import { Tensor } from '../../engine/tensor';
import { bind, toBool, toInt } from '../../python/args';
import { lazyIterator, typeOf } from '../../python/builtins';
import { pyError } from '../../python/exceptions';
import { CallContext, NativeFn, PyBuiltin, PyClass, PyDict, PyInstance, PyList, PyNamedTuple, PyTuple, PyValue, typeNameOf } from '../../python/values';
import { ArrayValue } from '../common';
import { TorchTensor, tensorArg, track } from './tensor';
import { torchRng } from './random';
import { TorchGenerator } from '../../engine/random/torch_generator';

const fn = (name: string, f: NativeFn, qual = name) => new PyBuiltin(name, f, qual);

/** len(v) for a dataset: its __len__, or a list's length. */
function lengthOf(v: PyValue, ctx: CallContext): number {
  if (v instanceof PyList || v instanceof PyTuple) return v.items.length;
  if (v instanceof ArrayValue) return v.t.shape[0] ?? 0;
  if (v instanceof PyInstance) {
    const m = v.cls.lookup('__len__');
    if (m !== undefined) return toInt(ctx.call(m, [v]), '__len__');
  }
  throw pyError('TypeError', `object of type '${typeNameOf(v)}' has no len()`);
}

/**
 * default_collate(batch): a list of samples to one batch, by the first
 * sample's type: tensors (and NumPy arrays) stacked on a new dim 0, floats to
 * a float64 tensor, ints and bools to a tensor, strings kept as a list, dicts
 * by key, namedtuples by field, other sequences position by position (as a
 * list). TypeError / RuntimeError in collate.py's words.
 */
export function defaultCollate(batch: PyValue[], ctx: CallContext): PyValue {
  const elem = batch[0];
  if (elem instanceof ArrayValue) {
    const ts = batch.map((b) => tensorArg(b, 'default_collate'));
    return track(new TorchTensor(stack(ts, 0)), 'stack', ...batch);
  }
  if (typeof elem === 'number') return new TorchTensor(numbers(batch, 'float64'));
  if (typeof elem === 'bigint' || typeof elem === 'boolean') return new TorchTensor(numbers(batch, typeof elem === 'boolean' ? 'bool' : 'int64'));
  if (typeof elem === 'string') return new PyList(batch);
  if (elem instanceof PyDict) {
    const out = new PyDict();
    for (const [h, [k]] of elem.entries) out.entries.set(h, [k, defaultCollate(batch.map((d) => ctx.getItem(d, k)), ctx)]);
    return out;
  }
  if (elem instanceof PyList || elem instanceof PyTuple) {
    const n = elem.items.length;
    if (batch.some((b) => !(b instanceof PyList || b instanceof PyTuple) || b.items.length !== n)) {
      throw pyError('RuntimeError', 'each element in list of batch should be of equal size');
    }
    const columns = Array.from({ length: n }, (_, i) => defaultCollate(batch.map((b) => (b as PyList).items[i]), ctx));
    // a namedtuple keeps its type; a tuple or list becomes a list (collate.py's backwards compatibility)
    if (elem instanceof PyNamedTuple && elem.fullName !== 'torch.Size') return new PyNamedTuple(columns, elem.fullName, elem.fields);
    return new PyList(columns);
  }
  throw pyError('TypeError', `default_collate: batch must contain tensors, numpy arrays, numbers, dicts or lists; found ${ctx.repr(typeOf(elem))}`);
}

function numbers(batch: PyValue[], dtype: 'float64' | 'int64' | 'bool'): Tensor {
  const t = Tensor.empty(dtype, [batch.length]);
  batch.forEach((v, i) => (t.storage.data[i] = Number(v)));
  return t;
}

/** Registers DataLoader, TensorDataset and default_collate on torch.utils.data (and .dataloader). */
export function addDataLoading(data: { dict: Map<string, PyValue> }, dataloader: { dict: Map<string, PyValue> }, datasetBase: PyClass): void {
  const qual = 'torch.utils.data.dataloader.DataLoader';
  const loader = new PyClass('DataLoader', [], qual);
  loader.dict.set('__init__', fn('__init__', ([self, ...args], kw, ctx) => {
    const a = bind('DataLoader.__init__', args, kw, [
      'dataset', 'batch_size?', 'shuffle?', 'sampler?', 'batch_sampler?', 'num_workers?', 'collate_fn?', 'pin_memory?', 'drop_last?',
      'timeout?', 'worker_init_fn?', 'multiprocessing_context?', 'generator?', 'prefetch_factor?', 'persistent_workers?', 'pin_memory_device?', 'in_order?',
    ]);
    const inst = self as PyInstance;
    for (const k of ['sampler', 'batch_sampler']) {
      if (a[k] !== undefined && a[k] !== null) throw pyError('NotImplementedError', `DataLoader(${k}=...) is not supported by Mask Lens yet`);
    }
    const shuffle = a.shuffle !== undefined && a.shuffle !== null && toBool(a.shuffle, ctx);
    if (a.generator !== undefined && a.generator !== null) torchRng(a.generator); // TypeError for a non-generator
    inst.dict.set('generator', a.generator ?? null);
    inst.dict.set('_shuffle', shuffle);
    const bs = a.batch_size === undefined ? 1n : a.batch_size;
    if (bs !== null && toInt(bs, 'batch_size') <= 0) throw pyError('ValueError', `batch_size should be a positive integer value, but got batch_size=${ctx.repr(bs)}`);
    inst.dict.set('dataset', a.dataset!);
    inst.dict.set('batch_size', bs);
    inst.dict.set('drop_last', a.drop_last === undefined ? false : toBool(a.drop_last, ctx));
    inst.dict.set('collate_fn', a.collate_fn ?? null);
    inst.dict.set('num_workers', a.num_workers ?? 0n);
    return null;
  }, `${qual}.__init__`));
  const batches = (self: PyInstance, ctx: CallContext) => {
    const n = lengthOf(self.dict.get('dataset')!, ctx);
    const bs = self.dict.get('batch_size');
    if (bs === null || bs === undefined) return { n, size: 1, count: n };
    const size = toInt(bs, 'batch_size');
    return { n, size, count: self.dict.get('drop_last') === true ? Math.floor(n / size) : Math.ceil(n / size) };
  };
  loader.dict.set('__len__', fn('__len__', ([self], _kw, ctx) => BigInt(batches(self as PyInstance, ctx).count), `${qual}.__len__`));
  loader.dict.set('__iter__', fn('__iter__', ([self], _kw, ctx) => {
    const inst = self as PyInstance;
    const dataset = inst.dict.get('dataset')!;
    const collate = inst.dict.get('collate_fn') ?? null;
    const batched = inst.dict.get('batch_size') !== null;
    const { n, size, count } = batches(inst, ctx);
    const generator = inst.dict.get('generator') ?? null;
    // _BaseDataLoaderIter.__init__: _base_seed = torch.empty((), dtype=torch.int64).random_(generator=loader.generator)
    torchRng(generator ?? undefined).random64();
    let order: ArrayLike<number> | null = null;
    const indexAt = (i: number) => {
      if (inst.dict.get('_shuffle') !== true) return i;
      // RandomSampler.__iter__, at the first batch: a fresh Generator seeded from the global one, unless the loader has its own
      order ??= (generator !== null ? torchRng(generator) : new TorchGenerator(torchRng().random64() & 0x7fffffffffffffffn)).randperm(n);
      return order[i];
    };
    let k = 0;
    // batches are fetched as the loop asks for them, as the single-process iterator does
    return lazyIterator('_SingleProcessDataLoaderIter', () => {
      if (k >= count) return undefined;
      const start = k * size;
      k++;
      if (!batched) {
        const sample = ctx.getItem(dataset, BigInt(indexAt(start)));
        return collate === null ? sample : ctx.call(collate, [sample]);
      }
      const samples = Array.from({ length: Math.min(size, n - start) }, (_, i) => ctx.getItem(dataset, BigInt(indexAt(start + i))));
      return collate === null ? defaultCollate(samples, ctx) : ctx.call(collate, [new PyList(samples)]);
    });
  }, `${qual}.__iter__`));

  const tdQual = 'torch.utils.data.dataset.TensorDataset';
  const tensorDataset = new PyClass('TensorDataset', [datasetBase], tdQual);
  tensorDataset.dict.set('__init__', fn('__init__', ([self, ...tensors]) => {
    const sizes = tensors.map((t) => tensorArg(t, 'TensorDataset').shape[0]);
    if (sizes.some((s) => s !== sizes[0])) throw pyError('AssertionError', 'Size mismatch between tensors');
    (self as PyInstance).dict.set('tensors', new PyTuple(tensors));
    return null;
  }, `${tdQual}.__init__`));
  tensorDataset.dict.set('__getitem__', fn('__getitem__', ([self, index], _kw, ctx) =>
    new PyTuple(((self as PyInstance).dict.get('tensors') as PyTuple).items.map((t) => ctx.getItem(t, index ?? null))), `${tdQual}.__getitem__`));
  tensorDataset.dict.set('__len__', fn('__len__', ([self]) => {
    const ts = ((self as PyInstance).dict.get('tensors') as PyTuple).items;
    return BigInt(ts.length ? tensorArg(ts[0], 'TensorDataset').shape[0] : 0);
  }, `${tdQual}.__len__`));

  const collate = fn('default_collate', ([batch], _kw, ctx) => defaultCollate(ctx.iterate(batch ?? null), ctx), 'torch.utils.data.default_collate');
  for (const m of [data, dataloader]) {
    m.dict.set('DataLoader', loader);
    m.dict.set('default_collate', collate);
  }
  data.dict.set('TensorDataset', tensorDataset);
}
