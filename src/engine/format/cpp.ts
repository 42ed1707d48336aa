// A tensor as ATen's C++ `operator<<` prints it, for the error messages that
// embed one ("torch.meshgrid: Expected 0D or 1D tensor in the tensor list
// but got: ..."). Semantics from aten/src/ATen/core/Formatting.cpp (print,
// __printFormat, __printMatrix, __printTensor): values go through double;
// one format per matrix (integers, fixed with 4 decimals, fixed with a
// "scale *" line, or scientific), right-aligned to a common width; matrices
// wider than 80 characters are split into "Columns a to b" blocks; tensors
// above 2-D print one "(i,j,.,.) = " slice per matrix, the first dimension
// counting fastest. Checked against PyTorch 2.13: a slice's first row has no
// indent, its later rows do.

import type { DType } from '../dtype';
import type { Tensor } from '../tensor';
import { formatPyFloat, formatSpec, pyExp, pyFixed } from './pyfloat';

type Style = 'default' | 'fixed' | 'scientific';

/** The type name ATen's Tensor::toString() gives (legacy names where they exist). */
function cppTypeString(d: DType): string {
  const legacy: Partial<Record<DType, string>> = {
    float32: 'Float', float64: 'Double', float16: 'Half', int64: 'Long', int32: 'Int', int16: 'Short', int8: 'Char', uint8: 'Byte',
  };
  const name = legacy[d];
  if (name) return `torch.${name}Tensor`;
  return d === 'bool' ? 'CPUBoolType' : 'CPUBFloat16Type';
}

/** std::ostream << double under the given floatfield, precision 4 for fixed/scientific, 6 for default. */
function streamDouble(x: number, style: Style): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (style === 'fixed') return pyFixed(x, 4);
  if (style === 'scientific') return pyExp(x, 4);
  return formatSpec(x, false, '.6g');
}

/** __printFormat: the scale, the column width and the stream style for a block of values. */
function printFormat(v: ArrayLike<number>): { scale: number; sz: number; style: Style } {
  const size = v.length;
  if (size === 0) return { scale: 1, sz: 0, style: 'default' };
  let intMode = true;
  for (let i = 0; i < size; i++) {
    if (Number.isFinite(v[i]) && v[i] !== Math.ceil(v[i])) {
      intMode = false;
      break;
    }
  }
  let offset = 0;
  while (offset < size && !Number.isFinite(v[offset])) offset++;
  let expMin = 1;
  let expMax = 1;
  if (offset !== size) {
    expMin = Math.abs(v[offset]);
    expMax = Math.abs(v[offset]);
    for (let i = offset; i < size; i++) {
      const z = Math.abs(v[i]);
      if (Number.isFinite(z)) {
        if (z < expMin) expMin = z;
        // ATen compares the signed value here, so a large negative entry does not widen the column
        if (v[i] > expMax) expMax = z;
      }
    }
    expMin = expMin !== 0 ? Math.floor(Math.log10(expMin)) + 1 : 1;
    expMax = expMax !== 0 ? Math.floor(Math.log10(expMax)) + 1 : 1;
  }
  if (intMode) return expMax > 9 ? { scale: 1, sz: 11, style: 'scientific' } : { scale: 1, sz: expMax + 1, style: 'default' };
  if (expMax - expMin > 4) {
    return { scale: 1, sz: Math.abs(expMax) > 99 || Math.abs(expMin) > 99 ? 12 : 11, style: 'scientific' };
  }
  if (expMax > 5 || expMax < 0) return { scale: Number(`1e${expMax - 1}`), sz: 7, style: 'fixed' };
  return { scale: 1, sz: expMax === 0 ? 7 : expMax + 6, style: 'fixed' };
}

/** The "scale *" line: PyTorch 2.13 prints the scale shortest-round-trip ("1000000", "0.0001", "1e+20"). */
const scaleLine = (scale: number) => `${formatPyFloat(scale).replace(/\.0$/, '')} *\n`;

const pad = (s: string, width: number) => (s.length >= width ? s : ' '.repeat(width - s.length) + s);

/** __printMatrix for a rows x cols row-major block. */
function printMatrix(v: ArrayLike<number>, rows: number, cols: number, linesize: number, indent: number): string {
  const { scale, sz, style } = printFormat(v);
  const ind = ' '.repeat(indent);
  let out = '';
  const perLine = Math.floor((linesize - indent) / (sz + 1));
  for (let first = 0; first < cols; ) {
    const last = first + perLine <= cols ? first + perLine - 1 : cols - 1;
    if (perLine < cols) {
      if (first !== 0) out += '\n';
      out += `Columns ${first + 1} to ${last + 1}${ind}`;
    }
    if (scale !== 1) out += scaleLine(scale) + ind;
    for (let r = 0; r < rows; r++) {
      for (let c = first; c <= last; c++) {
        out += pad(streamDouble(v[r * cols + c] / scale, style), sz);
        if (c === last) {
          out += '\n';
          if (r !== rows - 1) out += scale !== 1 ? `${ind} ` : ind;
        } else {
          out += ' ';
        }
      }
    }
    first = last + 1;
  }
  return out;
}

/**
 * `std::cout << tensor` for a CPU tensor (Formatting.cpp print, linesize 80):
 * the values, then "[ torch.FloatTensor{2,2} ]".
 */
export function formatCppTensor(t: Tensor): string {
  const v = Float64Array.from(t.values());
  const shape = t.shape;
  const type = cppTypeString(t.dtype);
  if (shape.length === 0) return `${streamDouble(v[0], 'default')}\n[ ${type}{} ]`;
  let body = '';
  if (v.length > 0) {
    if (shape.length === 1) {
      const { scale, sz, style } = printFormat(v);
      if (scale !== 1) body += scaleLine(scale);
      for (const x of v) body += `${pad(streamDouble(x / scale, style), sz)}\n`;
    } else if (shape.length === 2) {
      body = printMatrix(v, shape[0], shape[1], 80, 0);
    } else {
      const [rows, cols] = shape.slice(-2);
      const outer = shape.slice(0, -2);
      const counter = outer.map(() => 0);
      const slices = v.length / (rows * cols);
      for (let s = 0; s < slices; s++) {
        // slice offset from the counter (row-major over the leading dims)
        let index = 0;
        for (let i = 0; i < outer.length; i++) index = index * outer[i] + counter[i];
        const block = v.subarray(index * rows * cols, (index + 1) * rows * cols);
        if (s > 0) body += '\n';
        body += `(${counter.map((c) => `${c + 1},`).join('')}.,.) = \n`;
        body += printMatrix(block, rows, cols, 80, 1);
        // the first leading dimension counts fastest
        for (let i = 0; i < outer.length; i++) {
          counter[i]++;
          if (counter[i] < outer[i]) break;
          counter[i] = 0;
        }
      }
    }
  }
  return `${body}[ ${type}{${shape.join(',')}} ]`;
}
