// keras.utils.pad_sequences, following keras/src/utils/sequence_utils.py
// line by line (see ../shared/tools/pad_sequences_ref.py): validation order,
// error texts and NumPy's unsafe casts included.

import { DType, castValue } from '../../engine/dtype';
import { Tensor } from '../../engine/tensor';

/** A Python exception raised from Keras code (type name + message). */
export class KerasError extends Error {
  constructor(readonly pyType: string, message: string) {
    super(message);
  }
}

/** Leaves carry whether they were Python ints, so dtype errors can be exact. */
export type Leaf = { value: number; isInt: boolean } | number | string;
export type Sequence = Leaf[] | Sequence[];

export interface PadOptions {
  maxlen?: number | null;
  dtype?: string;
  padding?: string;
  truncating?: string;
  value?: number | string;
}

const NUMERIC: Record<string, DType> = {
  int32: 'int32', int64: 'int64', int16: 'int16', int8: 'int8', uint8: 'uint8',
  float32: 'float32', float64: 'float64', float16: 'float16', bool: 'bool',
};

const leafValue = (x: Leaf): number => (typeof x === 'object' ? x.value : typeof x === 'number' ? x : NaN);

function shapeOf(x: unknown): number[] {
  const shape: number[] = [];
  let p = x;
  while (Array.isArray(p)) {
    shape.push(p.length);
    p = p[0];
  }
  return shape;
}

function flat(x: unknown, out: number[]): void {
  if (Array.isArray(x)) x.forEach((y) => flat(y, out));
  else out.push(leafValue(x as Leaf));
}

const tupleStr = (s: readonly number[]) => (s.length === 1 ? `(${s[0]},)` : `(${s.join(', ')})`);

export function padSequences(sequences: unknown[], options: PadOptions = {}): Tensor {
  const dtypeName = options.dtype ?? 'int32';
  const padding = options.padding ?? 'pre';
  const truncating = options.truncating ?? 'pre';
  const value = options.value ?? 0;
  const lengths: number[] = [];
  let sampleShape: number[] = [];
  let found = false;
  for (const x of sequences) {
    if (!Array.isArray(x)) {
      const shown = typeof x === 'object' && x !== null && 'value' in x ? String((x as { value: number }).value) : String(x);
      throw new KerasError('ValueError', `\`sequences\` must be a list of iterables. Found non-iterable: ${shown}`);
    }
    lengths.push(x.length);
    if (!found && x.length) {
      sampleShape = shapeOf(x).slice(1);
      found = true;
    }
  }
  let maxlen = options.maxlen ?? null;
  if (maxlen === null) {
    if (lengths.length === 0) throw new KerasError('ValueError', 'zero-size array to reduction operation maximum which has no identity');
    maxlen = Math.max(...lengths);
  }
  if (typeof value === 'string') {
    throw new KerasError('ValueError', `\`dtype\` ${dtypeName} is not compatible with \`value\`'s type: <class 'str'>\nYou should set \`dtype=object\` for variable length strings.`);
  }
  const dtype = NUMERIC[dtypeName];
  if (!dtype) throw new KerasError('TypeError', `data type '${dtypeName}' not understood`);
  if (maxlen < 0) throw new KerasError('ValueError', 'negative dimensions are not allowed');
  const inner = sampleShape.reduce((a, b) => a * b, 1);
  const out = Tensor.empty(dtype, [sequences.length, maxlen, ...sampleShape]);
  out.storage.data.fill(castValue(dtype, value));
  sequences.forEach((s, idx) => {
    const seq = s as unknown[];
    if (!seq.length) return;
    let trunc: unknown[];
    if (truncating === 'pre') trunc = seq.slice(maxlen === 0 ? 0 : -maxlen!);
    else if (truncating === 'post') trunc = seq.slice(0, maxlen!);
    else throw new KerasError('ValueError', `Truncating type "${truncating}" not understood`);
    const shape = shapeOf(trunc).slice(1);
    if (shape.length !== sampleShape.length || shape.some((d, i) => d !== sampleShape[i])) {
      throw new KerasError('ValueError', `Shape of sample ${tupleStr(shape)} of sequence at position ${idx} is different from expected shape ${tupleStr(sampleShape)}`);
    }
    if (padding !== 'post' && padding !== 'pre') throw new KerasError('ValueError', `Padding type "${padding}" not understood`);
    if (trunc.length > maxlen!) {
      throw new KerasError('ValueError', `could not broadcast input array from shape ${tupleStr([trunc.length, ...sampleShape])} into shape ${tupleStr([maxlen!, ...sampleShape])}`);
    }
    const values: number[] = [];
    flat(trunc, values);
    const start = padding === 'post' ? 0 : maxlen! - trunc.length;
    const base = (idx * maxlen! + start) * inner;
    values.forEach((v, i) => {
      out.storage.data[base + i] = castValue(dtype, v);
    });
  });
  return out;
}
