// Export a tensor from the inspector: as a Python literal that rebuilds it
// (torch.tensor / np.array with its dtype), or one 2-D view as CSV. Pure.
import type { EncodedNumber } from '../python/result';
import { viewGeometry } from './tensorSlice';
import type { TensorValue } from './tensorView';

function pyNumber(x: EncodedNumber, floating: boolean): string {
  if (typeof x === 'boolean') return x ? 'True' : 'False';
  if (x === 'nan') return "float('nan')";
  if (x === 'inf') return "float('inf')";
  if (x === '-inf') return "float('-inf')";
  if (floating && Number.isInteger(x)) return `${x}.0`;
  return String(x);
}

/**
 * `name = torch.tensor([...], dtype=torch.X)` (or `np.array(..., dtype=np.X)`,
 * `tf.constant(..., dtype=tf.X)`): nested lists in the tensor's shape, numbers
 * in JavaScript's shortest round-trip form, which Python parses to the same double.
 */
export function pythonLiteral(name: string, t: TensorValue): string {
  const dtype = t.dtype.replace(/^torch\./, '');
  const floating = /float|half|double/.test(dtype);
  const nest = (dim: number, offset: number): string => {
    if (dim === t.shape.length) return pyNumber(t.data[offset], floating);
    let stride = 1;
    for (let d = dim + 1; d < t.shape.length; d++) stride *= t.shape[d];
    const parts: string[] = [];
    for (let i = 0; i < t.shape[dim]; i++) parts.push(nest(dim + 1, offset + i * stride));
    return `[${parts.join(', ')}]`;
  };
  const body = nest(0, 0);
  if (t.type === 'numpy.ndarray') return `${name} = np.array(${body}, dtype=np.${dtype})`;
  if (t.type === 'tf.Tensor') return `${name} = tf.constant(${body}, dtype=tf.${dtype})`;
  return `${name} = torch.tensor(${body}, dtype=torch.${dtype})`;
}

/** One 2-D view as CSV (rows × cols), numbers as Python prints them (True/False, nan, inf). */
export function csvOfView(t: TensorValue, rowDim: number | null, colDim: number | null, index: readonly number[]): string {
  const g = viewGeometry(t.shape, rowDim, colDim, index);
  const floating = /float|half|double/.test(t.dtype);
  const cell = (x: EncodedNumber) => (typeof x === 'boolean' ? (x ? 'True' : 'False') : typeof x === 'string' ? x : floating && Number.isInteger(x) ? `${x}.0` : String(x));
  const lines: string[] = [];
  for (let r = 0; r < g.rows; r++) {
    const row: string[] = [];
    for (let c = 0; c < g.cols; c++) row.push(cell(t.data[g.base + r * g.rowStride + c * g.colStride]));
    lines.push(row.join(','));
  }
  return lines.join('\n') + '\n';
}
