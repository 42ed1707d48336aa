// Gather/scatter, masked selection and Python-style tensor indexing.

import { DType, castValue } from '../dtype';
import { indexError, runtimeError, warn } from '../errors';
import { Tensor, copyInt64, hasWide, int64At, int64Values, numelOf, setInt64 } from '../tensor';
import {
  TensorOrScalar, assignInto, assignedScalar, broadcastShapes, checkSize, checkedScalarTensor, contiguous, cppTypeName, itemScalar,
  scalarTypeName, scalarValue, writeValues,
} from './core';
import { expand, fmtShape, normalizeDim, reshape, select, slice, unsqueeze } from './shape';

function rowMajorIndex(shape: readonly number[], linear: number, out: number[]): void {
  for (let d = shape.length - 1; d >= 0; d--) {
    out[d] = linear % shape[d];
    linear = Math.floor(linear / shape[d]);
  }
}

function checkIndexShapes(what: string, self: Tensor, index: Tensor, dim: number, src?: Tensor): void {
  if (index.dtype !== 'int64') throw runtimeError(`${what}(): Expected dtype int64 for index`);
  if (index.ndim !== self.ndim && !(index.ndim <= 1 && self.ndim <= 1)) {
    throw runtimeError('Index tensor must have the same number of dimensions as ' + (what === 'gather' ? 'input' : 'self') + ' tensor');
  }
  for (let d = 0; d < index.ndim; d++) {
    if (d === dim) continue;
    if (index.shape[d] > self.shape[d]) {
      throw runtimeError(
        `Size does not match at dimension ${d} expected index ${fmtShape(index.shape)} to be smaller than self ${fmtShape(self.shape)} apart from dimension ${dim}`,
      );
    }
    if (src && index.shape[d] > src.shape[d]) {
      throw runtimeError(
        `Size does not match at dimension ${d} expected index ${fmtShape(index.shape)} to be smaller than src ${fmtShape(src.shape)} apart from dimension ${dim}`,
      );
    }
  }
}

export function gather(x: Tensor, dim: number, index: Tensor): Tensor {
  const d = normalizeDim(dim, x.ndim);
  checkIndexShapes('gather', x, index, d);
  const out = Tensor.empty(x.dtype, index.shape);
  const iv = index.values();
  const pos = new Array<number>(index.ndim);
  const size = x.shape[d] ?? 1;
  for (let i = 0; i < out.numel; i++) {
    rowMajorIndex(index.shape, i, pos);
    const k = iv[i];
    if (k < 0 || k >= size) throw runtimeError(`index ${k} is out of bounds for dimension ${d} with size ${size}`);
    pos[d] = k;
    const off = x.offsetOf(pos);
    out.storage.data[i] = x.storage.data[off];
    if (x.storage.wide) copyInt64(out.storage, i, x.storage, off); // int64 beyond 2^53, exactly
  }
  return out;
}

/** scatter_/scatter_add_ into `self` (in place). */
export function scatterInPlace(self: Tensor, dim: number, index: Tensor, src: Tensor | number, reduce: 'none' | 'add' | 'multiply' = 'none'): Tensor {
  const d = normalizeDim(dim, self.ndim);
  const srcT = typeof src === 'number' ? null : src;
  if (srcT && srcT.dtype !== self.dtype) {
    throw runtimeError(`scatter(): Expected self.dtype to be equal to src.dtype`);
  }
  checkIndexShapes('scatter', self, index, d, srcT ?? undefined);
  const iv = index.values();
  const pos = new Array<number>(index.ndim);
  const size = self.shape[d] ?? 1;
  const data = self.storage.data;
  for (let i = 0; i < index.numel; i++) {
    rowMajorIndex(index.shape, i, pos);
    const srcOff = srcT ? srcT.offsetOf(pos) : 0;
    const v = srcT ? srcT.storage.data[srcOff] : (src as number);
    const k = iv[i];
    if (k < 0 || k >= size) throw runtimeError(`index ${k} is out of bounds for dimension ${d} with size ${size}`);
    pos[d] = k;
    const off = self.offsetOf(pos);
    if (self.dtype === 'int64' && (self.storage.wide || srcT?.storage.wide || !Number.isSafeInteger(v))) {
      // int64 beyond 2^53: exact, wrapped as ATen's int64 arithmetic wraps
      const a = int64At(self.storage, off), b = srcT ? int64At(srcT.storage, srcOff) : BigInt(v);
      setInt64(self.storage, off, BigInt.asIntN(64, reduce === 'add' ? a + b : reduce === 'multiply' ? a * b : b));
    } else data[off] = reduce === 'add' ? data[off] + v : reduce === 'multiply' ? data[off] * v : v;
  }
  return self;
}

export function indexSelect(x: Tensor, dim: number, index: Tensor): Tensor {
  if (index.ndim > 1) throw indexError('index_select(): Index is supposed to be a vector');
  if (index.dtype !== 'int64' && index.dtype !== 'int32') {
    throw runtimeError('index_select(): Expected dtype int32 or int64 for index');
  }
  const d = normalizeDim(dim, x.ndim);
  const parts = Array.from(index.values()).map((k) => {
    if (k < 0 || k >= x.shape[d]) throw indexError('index out of range in self');
    return unsqueeze(select(x, d, k), d);
  });
  return stackAlong(x, parts, d, index.numel);
}

function stackAlong(x: Tensor, parts: Tensor[], d: number, n: number): Tensor {
  const shape = x.shape.slice();
  shape[d] = n;
  const out = Tensor.empty(x.dtype, shape);
  const outer = numelOf(shape.slice(0, d)), inner = numelOf(shape.slice(d + 1));
  parts.forEach((p, j) => {
    const v = p.values();
    for (let o = 0; o < outer; o++) out.storage.data.set(v.subarray(o * inner, (o + 1) * inner), (o * n + j) * inner);
    if (hasWide(p)) {
      const w = int64Values(p); // int64 beyond 2^53, exactly
      for (let o = 0; o < outer; o++) for (let q = 0; q < inner; q++) setInt64(out.storage, (o * n + j) * inner + q, w[o * inner + q]);
    }
  });
  return out;
}

/**
 * masked_fill(_), masked_select and masked_scatter(_) take only torch.bool
 * masks in PyTorch 2.x: any other dtype, uint8 included (which 1.13 still
 * accepted with a deprecation warning), raises RuntimeError with ATen's
 * wording (masked_fill__cpu, masked_select_out_cpu_, masked_scatter_'s
 * TORCH_CHECK; uint8 masked_scatter_ warns before it raises).
 */
export function checkMask(mask: Tensor, what: 'masked_fill_' | 'masked_select' | 'masked_scatter_'): void {
  if (mask.dtype === 'bool') return;
  if (what === 'masked_select') throw runtimeError('masked_select: expected BoolTensor for mask');
  if (what === 'masked_scatter_') {
    if (mask.dtype === 'uint8') {
      warn('masked_scatter_ received a mask with dtype torch.uint8, this behavior is now deprecated,please use a mask with dtype torch.bool instead.');
    }
    throw runtimeError(`masked_scatter_ only supports boolean masks, but got mask with dtype ${scalarTypeName(mask.dtype)}`);
  }
  throw runtimeError(`masked_fill_ only supports boolean masks, but got mask with dtype ${cppTypeName(mask.dtype)}`);
}

export function maskedSelect(x: Tensor, mask: Tensor): Tensor {
  checkMask(mask, 'masked_select');
  const shape = broadcastShapes(x.shape, mask.shape);
  const xv = contiguous(expand(x, shape)).values();
  const mv = contiguous(expand(mask, shape)).values();
  const picked: number[] = [];
  for (let i = 0; i < mv.length; i++) if (mv[i] !== 0) picked.push(i);
  const out = Tensor.empty(x.dtype, [picked.length]);
  for (let j = 0; j < picked.length; j++) out.storage.data[j] = xv[picked[j]];
  if (hasWide(x)) {
    const w = int64Values(expand(x, shape)); // int64 beyond 2^53, exactly
    for (let j = 0; j < picked.length; j++) setInt64(out.storage, j, w[picked[j]]);
  }
  return out;
}

export function nonzero(x: Tensor): Tensor {
  const v = x.values();
  const rows: number[] = [];
  const pos = new Array<number>(x.ndim);
  for (let i = 0; i < v.length; i++) {
    if (v[i] !== 0) {
      rowMajorIndex(x.shape, i, pos);
      rows.push(...pos);
    }
  }
  const out = Tensor.empty('int64', [rows.length / Math.max(x.ndim, 1), x.ndim]);
  out.storage.data.set(rows);
  return out;
}

// ---------- Python indexing: x[...] ----------

export type IndexItem =
  | { kind: 'int'; value: number }
  | { kind: 'slice'; start: number | null; stop: number | null; step: number | null }
  | { kind: 'none' }
  | { kind: 'ellipsis' }
  | { kind: 'tensor'; value: Tensor };

/**
 * Wording of indexing errors for a framework that words them unlike PyTorch (NumPy):
 * `axis` names an out-of-range index by the axis of the indexed array ("for axis 1",
 * NumPy) rather than the dimension of the view it reached ("for dimension 0", PyTorch);
 * `valueShapeError` is the error for a written value that does not broadcast to what
 * the index selects (`advanced`: through an index array or mask).
 */
export interface IndexWording {
  axis?: boolean;
  valueShapeError?: (value: readonly number[], target: readonly number[], advanced: boolean) => Error;
}

interface AdvancedIndex {
  dim: number;
  /** the axis of the indexed tensor this index reads (for NumPy's wording) */
  axis: number;
  index: Tensor;
}

/** Basic indexing produces a view; returns the view and any advanced (tensor) indices left. */
function basicIndex(x: Tensor, items: readonly IndexItem[], wording: IndexWording = {}): { view: Tensor; advanced: AdvancedIndex[] } {
  const consumed = items.filter((i) => i.kind === 'int' || i.kind === 'slice' || i.kind === 'tensor')
    .reduce((n, i) => n + (i.kind === 'tensor' && (i.value.dtype === 'bool' || i.value.dtype === 'uint8') ? i.value.ndim : 1), 0);
  // (a 0-dim bool index consumes no dim: it adds one, as None does, then selects it or not)
  if (items.filter((i) => i.kind === 'ellipsis').length > 1) throw indexError('an index can only have a single ellipsis (\'...\')');
  if (consumed > x.ndim) {
    throw indexError(`too many indices for tensor of dimension ${x.ndim}`);
  }
  let t = x;
  let dim = 0;
  let axis = 0; // the axis of x the next item reads
  const advanced: AdvancedIndex[] = [];
  for (const item of items) {
    switch (item.kind) {
      case 'int': {
        const size = t.shape[dim];
        if (item.value < -size || item.value >= size) {
          throw indexError(`index ${item.value} is out of bounds for ${wording.axis ? `axis ${axis}` : `dimension ${dim}`} with size ${size}`);
        }
        t = select(t, dim, item.value);
        axis++;
        break;
      }
      case 'slice':
        t = slice(t, dim, item.start, item.stop, item.step ?? 1);
        dim++;
        axis++;
        break;
      case 'none':
        t = unsqueeze(t, dim);
        dim++;
        break;
      case 'ellipsis':
        dim += x.ndim - consumed;
        axis += x.ndim - consumed;
        break;
      case 'tensor': {
        const idx = item.value;
        if (idx.dtype === 'bool' || idx.dtype === 'uint8') {
          if (idx.dtype === 'uint8') warn('indexing with dtype torch.uint8 is now deprecated, please use a dtype torch.bool instead.');
          for (let k = 0; k < idx.ndim; k++) {
            if (idx.shape[k] !== t.shape[dim + k]) {
              throw indexError(
                `The shape of the mask ${fmtShape(idx.shape)} at index ${k} does not match the shape of the indexed tensor ${fmtShape(t.shape)} at index ${dim + k}`,
              );
            }
          }
          if (idx.ndim === 0) {
            // a 0-dim mask adds a dim of size 1 and keeps it (index [0]) or not (index [])
            t = unsqueeze(t, dim);
            advanced.push({ dim: dim++, axis, index: Tensor.empty('int64', [idx.item() ? 1 : 0]) });
            break;
          }
          // A bool mask over k dims is k integer index tensors (its nonzero columns).
          const nz = nonzero(idx);
          for (let k = 0; k < idx.ndim; k++) {
            const col = Tensor.empty('int64', [nz.shape[0]]);
            for (let r = 0; r < nz.shape[0]; r++) col.storage.data[r] = nz.storage.data[r * idx.ndim + k];
            advanced.push({ dim: dim++, axis: axis++, index: col });
          }
        } else if (idx.dtype !== 'int64' && idx.dtype !== 'int32') {
          throw indexError('tensors used as indices must be long, int, byte or bool tensors');
        } else {
          advanced.push({ dim: dim++, axis: axis++, index: idx });
        }
        break;
      }
    }
  }
  return { view: t, advanced };
}

/** Where advanced indices land and which storage offsets they address. */
function advancedPlan(t: Tensor, advanced: AdvancedIndex[], wording: IndexWording = {}) {
  const bshape = advanced.map((a) => a.index.shape).reduce((s, x) => broadcastShapes(s, x), [] as number[]);
  const dims = advanced.map((a) => a.dim);
  const adjacent = dims.every((d, i) => i === 0 || d === dims[i - 1] + 1);
  const rest = t.shape.map((_, i) => i).filter((i) => !dims.includes(i));
  const before = adjacent ? rest.filter((i) => i < dims[0]) : [];
  const after = adjacent ? rest.filter((i) => i > dims[0]) : rest;
  const outShape = [...before.map((i) => t.shape[i]), ...bshape, ...after.map((i) => t.shape[i])];
  const idxVals = advanced.map((a) => contiguous(expand(a.index, bshape)).values());
  checkSize(numelOf(outShape));
  const offsets = new Float64Array(numelOf(outShape));
  const pos = new Array<number>(outShape.length);
  const nb = numelOf(bshape);
  for (let i = 0; i < offsets.length; i++) {
    rowMajorIndex(outShape, i, pos);
    let off = t.offset;
    let p = 0;
    for (const d of before) off += pos[p++] * t.strides[d];
    let bi = 0;
    for (let k = 0; k < bshape.length; k++) bi = bi * bshape[k] + pos[p++];
    advanced.forEach((a, j) => {
      const size = t.shape[a.dim];
      let k = nb ? idxVals[j][bi] : 0;
      if (k < -size || k >= size) throw indexError(`index ${k} is out of bounds for ${wording.axis ? `axis ${a.axis}` : `dimension ${a.dim}`} with size ${size}`);
      if (k < 0) k += size;
      off += k * t.strides[a.dim];
    });
    for (const d of after) off += pos[p++] * t.strides[d];
    offsets[i] = off;
  }
  return { outShape, offsets };
}

export function getItem(x: Tensor, items: readonly IndexItem[], wording: IndexWording = {}): Tensor {
  const { view, advanced } = basicIndex(x, items, wording);
  if (advanced.length === 0) return view;
  const { outShape, offsets } = advancedPlan(view, advanced, wording);
  const out = Tensor.empty(x.dtype, outShape);
  for (let i = 0; i < offsets.length; i++) out.storage.data[i] = view.storage.data[offsets[i]];
  if (view.storage.wide) for (let i = 0; i < offsets.length; i++) copyInt64(out.storage, i, view.storage, offsets[i]);
  return out;
}

export function setItem(x: Tensor, items: readonly IndexItem[], value: TensorOrScalar, wording: IndexWording = {}): void {
  const { view, advanced } = basicIndex(x, items, wording);
  // the value's leading size-1 dims go first (ATen's slicePrefix1sSize; NumPy too): t[0] = ones(1, 3)
  if (value instanceof Tensor && value.ndim > 0 && value.shape[0] === 1) {
    const lead = value.shape.findIndex((n) => n !== 1);
    value = reshape(value, lead < 0 ? [] : value.shape.slice(lead));
  }
  const fits = (target: readonly number[]) => {
    if (!(value instanceof Tensor) || !wording.valueShapeError) return;
    // right-aligned, each value dim 1 or the target's; extra leading dims must be 1
    const extra = value.ndim - target.length;
    const ok = value.shape.every((n, i) => (i < extra ? n === 1 : n === 1 || n === target[i - extra]));
    if (!ok) throw wording.valueShapeError(value.shape, target, advanced.length > 0);
  };
  if (advanced.length === 0) {
    fits(view.shape);
    // ATen's copy_to expands a value of another shape to the view's first (expand's errors)
    if (value instanceof Tensor && !wording.valueShapeError && (value.ndim !== view.ndim || value.shape.some((n, i) => n !== view.shape[i]))) {
      expand(value, view.shape);
    }
    // Python's x[...] = s wraps s in a one-element tensor first (scalar_fill: float16/bfloat16
    // unchecked, others range-checked), then copies it into the view
    assignInto(view, value instanceof Tensor ? value : assignedScalar(value, x.dtype));
    return;
  }
  const { outShape, offsets } = advancedPlan(view, advanced, wording);
  fits(outShape);
  // x[bool_mask] = 0-dim tensor is masked_fill with value.item() (checked); any other
  // index_put_ takes no implicit cast of a tensor value (PyTorch 2.x), and checks a scalar's range.
  const maskFill = items.length === 1 && items[0].kind === 'tensor' && items[0].value.dtype === 'bool';
  if (maskFill && value instanceof Tensor && value.ndim === 0 && value.dtype !== x.dtype) {
    value = checkedScalarTensor(itemScalar(value), x.dtype); // masked_fill_ converts item() with the check
  }
  if (value instanceof Tensor && value.dtype !== x.dtype) {
    throw runtimeError(
      `Index put requires the source and destination dtypes match, got ${scalarTypeName(x.dtype)} for the destination and ${scalarTypeName(value.dtype)} for the source.`,
    );
  }
  const src = value instanceof Tensor ? value : assignedScalar(value, x.dtype);
  const bs = broadcastShapes(outShape, src.shape);
  if (bs.length !== outShape.length || bs.some((s, i) => s !== outShape[i])) {
    throw runtimeError(`shape mismatch: value tensor of shape ${fmtShape(src.shape)} cannot be broadcast to indexing result of shape ${fmtShape(outShape)}`);
  }
  if (x.dtype === 'int64' && (view.storage.wide || hasWide(src))) {
    // int64 beyond 2^53: exact values, and no stale exact value left under a written element
    const w = int64Values(expand(src, outShape));
    for (let i = 0; i < offsets.length; i++) setInt64(view.storage, offsets[i], w[i]);
    return;
  }
  const vals = contiguous(expand(src, outShape)).values();
  for (let i = 0; i < offsets.length; i++) view.storage.data[offsets[i]] = vals[i];
}

export function fillMasked(x: Tensor, mask: Tensor, value: TensorOrScalar): void {
  const vals = contiguous(expand(mask, x.shape)).values();
  if (x.dtype === 'int64') {
    // exact int64 (beyond 2^53 too): the value as masked_fill's item() gives it
    const s = value instanceof Tensor ? itemScalar(value) : value;
    const v = typeof s === 'bigint' ? BigInt.asIntN(64, s) : BigInt(castValue('int64', scalarValue(s)));
    const cur = int64Values(x);
    for (let i = 0; i < cur.length; i++) if (vals[i]) cur[i] = v;
    writeValues(x, cur);
    return;
  }
  const v = value instanceof Tensor ? value.item() : scalarValue(value);
  const cur = Array.from(x.values());
  for (let i = 0; i < cur.length; i++) if (vals[i]) cur[i] = v;
  writeValues(x, cur);
}

export type { DType };
