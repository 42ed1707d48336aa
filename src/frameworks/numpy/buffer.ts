// numpy.frombuffer and ndarray.tobytes: an array's elements as raw
// little-endian bytes (the x86/ARM machines NumPy runs on) and back.
// Semantics and messages from numpy/_core/src/multiarray/ctors.c
// (PyArray_FromBuffer) and ndarray.tobytes (C order).

import { getSlot, slot } from '../../engine/context';
import type { DType } from '../../engine/dtype';
import { contiguous } from '../../engine/ops/core';
import { Storage, Tensor, int64At, setInt64 } from '../../engine/tensor';
import { pyError } from '../../python/exceptions';

// Storages of arrays made over an immutable buffer (np.frombuffer of bytes): NumPy marks them
// writeable=False, and every view of them shares the storage, so a write through any view is refused.
const READ_ONLY = slot<WeakSet<object>>('numpy-read-only', () => new WeakSet());

/**
 * Refuse a write into `t` when its array is read-only (made over bytes by
 * np.frombuffer, or a view of one): ValueError with `message`, NumPy's for
 * the write (setitem and fill: 'assignment destination is read-only', an
 * in-place operator: 'output array is read-only', sort: 'sort array is read-only').
 */
export function checkWritable(t: Tensor, message = 'assignment destination is read-only'): void {
  if (getSlot(READ_ONLY).has(t.storage)) throw pyError('ValueError', message);
}

const ITEMSIZE: Partial<Record<DType, number>> = { bool: 1, uint8: 1, int8: 1, int16: 2, int32: 4, int64: 8, float16: 2, float32: 4, float64: 8 };

/** IEEE half-precision bits to a number (subnormals, inf and nan included). */
function halfToNumber(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exp = (bits >> 10) & 0x1f;
  const frac = bits & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 0x1f) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

/** A number already rounded to float16 (as the engine stores it) to its half-precision bits. */
function numberToHalf(x: number): number {
  if (Number.isNaN(x)) return 0x7e00;
  const sign = x < 0 || Object.is(x, -0) ? 0x8000 : 0;
  const a = Math.abs(x);
  if (a === Infinity) return sign | 0x7c00;
  if (a < 2 ** -14) return sign | Math.round(a / 2 ** -24); // subnormal (or zero)
  const exp = Math.floor(Math.log2(a));
  const e = a >= 2 ** (exp + 1) ? exp + 1 : a < 2 ** exp ? exp - 1 : exp; // log2's last-bit error
  return sign | ((e + 15) << 10) | Math.round((a / 2 ** e - 1) * 1024);
}

/**
 * numpy.frombuffer(buffer, dtype, count, offset): the `count` elements of
 * `dtype` (all that fit when count < 0) starting `offset` bytes into `data`,
 * as a 1-D array. Raises ValueError as PyArray_FromBuffer does: 'offset must
 * be non-negative and no greater than buffer length (N)', 'buffer size must
 * be a multiple of element size' (count < 0), 'buffer is smaller than
 * requested size'. Over an immutable buffer (`readOnly`: bytes, not a
 * bytearray) the array refuses writes (checkWritable), as NumPy's
 * writeable=False does. The array shares the buffer's memory, as NumPy's does
 * (a write into a bytearray shows in the array and back), when its storage
 * holds raw elements (uint8, int8, int16, int32, float32, float64) and the
 * start is aligned for them; otherwise (int64, float16, bool, an unaligned
 * offset) it holds a copy.
 */
export function fromBuffer(data: Uint8Array, dtype: DType, count: number, offset: number, readOnly = false): Tensor {
  const itemsize = ITEMSIZE[dtype];
  if (itemsize === undefined) throw pyError('TypeError', `data type '${dtype}' not understood`);
  if (offset < 0 || offset > data.length) throw pyError('ValueError', `offset must be non-negative and no greater than buffer length (${data.length})`);
  const size = data.length - offset;
  let n = count;
  if (n < 0) {
    if (size % itemsize !== 0) throw pyError('ValueError', 'buffer size must be a multiple of element size');
    n = size / itemsize;
  } else if (size < n * itemsize) {
    throw pyError('ValueError', 'buffer is smaller than requested size');
  }
  const shared = sharedStorage(data, dtype, n, offset);
  if (shared) {
    const t = new Tensor(shared, dtype, [n], [1], 0);
    if (readOnly) getSlot(READ_ONLY).add(t.storage);
    return t;
  }
  const t = Tensor.empty(dtype, [n]);
  const view = new DataView(data.buffer, data.byteOffset + offset, n * itemsize);
  const out = t.storage.data;
  for (let i = 0; i < n; i++) {
    const at = i * itemsize;
    switch (dtype) {
      // a raw byte other than 0/1 reads as True, as NumPy prints it
      case 'bool': out[i] = view.getUint8(at) !== 0 ? 1 : 0; break;
      case 'uint8': out[i] = view.getUint8(at); break;
      case 'int8': out[i] = view.getInt8(at); break;
      case 'int16': out[i] = view.getInt16(at, true); break;
      case 'int32': out[i] = view.getInt32(at, true); break;
      case 'int64': setInt64(t.storage, i, view.getBigInt64(at, true)); break;
      case 'float16': out[i] = halfToNumber(view.getUint16(at, true)); break;
      case 'float32': out[i] = view.getFloat32(at, true); break;
      default: out[i] = view.getFloat64(at, true);
    }
  }
  if (readOnly) getSlot(READ_ONLY).add(t.storage);
  return t;
}

/**
 * A storage whose typed array lies over `data`'s own bytes (little-endian, as the machines
 * NumPy and PyTorch run on), for the dtypes whose storage holds raw elements; undefined
 * for the others or a start not aligned to the item size (typed arrays need it).
 */
export function sharedStorage(data: Uint8Array, dtype: DType, n: number, offset: number): Storage | undefined {
  const at = data.byteOffset + offset;
  const make: Partial<Record<DType, () => Storage['data']>> = {
    uint8: () => new Uint8Array(data.buffer, at, n), int8: () => new Int8Array(data.buffer, at, n),
    int16: () => new Int16Array(data.buffer, at, n), int32: () => new Int32Array(data.buffer, at, n),
    float32: () => new Float32Array(data.buffer, at, n), float64: () => new Float64Array(data.buffer, at, n),
  };
  const f = make[dtype];
  if (!f || at % (ITEMSIZE[dtype] ?? 1) !== 0) return undefined;
  return new Storage(f());
}

/** ndarray.tobytes(): the elements in C order as little-endian bytes. */
export function toBytes(x: Tensor): Uint8Array {
  const itemsize = ITEMSIZE[x.dtype];
  if (itemsize === undefined) throw pyError('TypeError', `data type '${x.dtype}' not understood`);
  const t = contiguous(x);
  const out = new Uint8Array(t.numel * itemsize);
  const view = new DataView(out.buffer);
  const src = t.storage.data;
  for (let i = 0; i < t.numel; i++) {
    const off = t.offset + i, at = i * itemsize;
    const v = src[off];
    switch (t.dtype) {
      case 'bool': case 'uint8': view.setUint8(at, v); break;
      case 'int8': view.setInt8(at, v); break;
      case 'int16': view.setInt16(at, v, true); break;
      case 'int32': view.setInt32(at, v, true); break;
      case 'int64': view.setBigInt64(at, int64At(t.storage, off), true); break;
      case 'float16': view.setUint16(at, numberToHalf(v), true); break;
      case 'float32': view.setFloat32(at, v, true); break;
      default: view.setFloat64(at, v, true);
    }
  }
  return out;
}
