// keras.utils.pad_sequences (also keras.preprocessing.sequence.pad_sequences),
// reproduced step by step from keras/src/utils/sequence_utils.py (Keras 3,
// v3.15+) with the NumPy 2 conversions it relies on: np.max over the lengths,
// np.issubdtype on `dtype`, np.full's unsafe cast of `value`,
// np.asarray(trunc, dtype=dtype) per sequence and the slice assignment into
// the output. Every error carries the Python exception type and the exact
// message NumPy 2.4 / Keras raise (checked against /work/shared/tools/pad_sequences_ref.py).
//
// Input leaves (the Python objects inside `sequences`, and `value`):
//   { value: number; isInt: boolean }  a Python int (isInt) or float; preferred, because
//                                      Python 1 and 1.0 differ (str/object dtypes, np.full casts)
//   number                             a Python int when Number.isInteger, else a float
//   bigint                             a Python int (exact, for out-of-bounds messages)
//   boolean                            a Python bool
//   string                             a Python str (a scalar inside a sequence; a sequence of
//                                      characters where it stands for a whole sequence)
//   null                               None
//   any other object                   an opaque Python object (kept as-is by dtype=object)
// Nested JS arrays are Python lists/tuples. A `sequences` that is neither an
// array nor a string stands for an object without __len__ (e.g. a generator).

import { reprStr } from '../../python/protocols';
import { DType } from '../../engine/dtype';
import { EngineError, warn } from '../../engine/errors';
import { formatPyFloat } from '../../engine/format/pyfloat';
import { checkSize } from '../../engine/ops/core';
import { Tensor } from '../../engine/tensor';

/** A Python exception raised by Keras (or NumPy under it); the interpreter re-raises it as `pyType`. */
export class KerasError extends EngineError {
  constructor(pyType: string, message: string) {
    super(pyType, message);
    this.name = 'KerasError';
  }
}

/**
 * `dtype` as the snippet passed it. The form matters twice: `str(dtype)` is
 * quoted in an error message, and Keras tests `dtype is not object`.
 *   string              a dtype given as a Python str: 'int32', 'float32', '<U3', 'S3', 'object'
 *   { pyType: name }    a type object: 'int', 'float', 'bool', 'str', 'bytes', 'object',
 *                       'numpy.int32', 'numpy.str_', ... (str() is "<class 'name'>")
 *   { npDtype: name }   a numpy.dtype instance, by str(): 'int32', '<U3', 'object'
 */
export type PadDtypeSpec = string | { pyType: string } | { npDtype: string };

/** Which Keras release's source to follow where they differ (not a Keras argument). */
export type PadSequencesFlavor = 'keras3' | 'keras3_pre315' | 'keras_preprocessing';

export interface PadSequencesOptions {
  maxlen?: number | null;
  dtype?: PadDtypeSpec;
  padding?: string;
  truncating?: string;
  value?: unknown;
  flavor?: PadSequencesFlavor;
}

/** The NumPy array pad_sequences returns. String and object arrays are not Tensors. */
export type PaddedArray =
  | { kind: 'numeric'; tensor: Tensor }
  /** dtype '<U3' or '|S3' as NumPy prints it; bytes are held decoded (always ASCII). */
  | { kind: 'str'; dtype: string; shape: number[]; data: string[] }
  /** dtype=object: the original leaves (and `value`) by identity, row-major. */
  | { kind: 'object'; shape: number[]; data: unknown[] };

// ---------------------------------------------------------------- dtypes

type NpDtype =
  | { kind: 'num'; dtype: DType; name: string }
  | { kind: 'str'; bytes: boolean; width: number } // width 0: NumPy's flexible 'U' / 'S'
  | { kind: 'object' }
  | { kind: 'unsupported'; name: string };

const NUMERIC_NAMES: Record<string, DType> = {};
for (const [dtype, names] of [
  ['bool', 'bool bool_ ? b1'],
  ['int8', 'int8 i1 b byte'],
  ['uint8', 'uint8 u1 B ubyte'],
  ['int16', 'int16 i2 h short'],
  ['int32', 'int32 i4 i intc'],
  ['int64', 'int64 i8 l q long longlong int int_ intp p'],
  ['float16', 'float16 f2 e half'],
  ['float32', 'float32 f4 f single'],
  ['float64', 'float64 f8 d double float'],
] as const) {
  for (const n of names.split(' ')) NUMERIC_NAMES[n] = dtype;
}
// Valid NumPy dtypes the engine has no storage for.
const UNSUPPORTED_NAMES: Record<string, string> = {};
for (const [name, aliases] of [
  ['uint16', 'uint16 u2 H ushort'],
  ['uint32', 'uint32 u4 I uintc'],
  ['uint64', 'uint64 u8 L Q ulong ulonglong uint uintp P'],
  ['float128', 'float128 f16 g longdouble'],
  ['complex64', 'complex64 c8 F csingle'],
  ['complex128', 'complex128 c16 D complex cdouble'],
  ['complex256', 'complex256 c32 G clongdouble'],
  ['datetime64', 'datetime64 M8 M'],
  ['timedelta64', 'timedelta64 m8 m'],
  ['void', 'void V'],
] as const) {
  for (const n of aliases.split(' ')) UNSUPPORTED_NAMES[n] = name;
}

/** np.dtype(s) for a dtype string; undefined where NumPy says "data type ... not understood". */
function parseDtypeString(s: string): NpDtype | undefined {
  const body = /^[<>=|]/.test(s) ? s.slice(1) : s;
  const str = /^(U|str|unicode|str_|S|bytes|bytes_|a)(\d*)$/.exec(body);
  if (str) {
    const bytes = str[1] === 'S' || str[1].startsWith('bytes') || str[1] === 'a';
    if (str[2] !== '' && !/^[USa]$/.test(str[1])) return undefined; // 'str3' is not a dtype
    return { kind: 'str', bytes, width: str[2] === '' ? 0 : Number(str[2]) };
  }
  if (body === 'object' || body === 'O' || body === 'object_') return { kind: 'object' };
  const num = NUMERIC_NAMES[body];
  if (num) return { kind: 'num', dtype: num, name: num };
  const un = UNSUPPORTED_NAMES[body];
  if (un) return { kind: 'unsupported', name: un };
  return undefined;
}

function resolveDtype(spec: PadDtypeSpec): NpDtype {
  if (typeof spec === 'string' || 'npDtype' in spec) {
    const s = typeof spec === 'string' ? spec : spec.npDtype;
    const d = parseDtypeString(s);
    if (!d) throw new KerasError('TypeError', `data type ${reprStr(s)} not understood`);
    return d;
  }
  const name = spec.pyType.startsWith('numpy.') ? spec.pyType.slice(6) : spec.pyType;
  switch (name) {
    case 'int': return { kind: 'num', dtype: 'int64', name: 'int64' };
    case 'float': return { kind: 'num', dtype: 'float64', name: 'float64' };
    case 'bool': case 'bool_': return { kind: 'num', dtype: 'bool', name: 'bool' };
    case 'str': case 'str_': return { kind: 'str', bytes: false, width: 0 };
    case 'bytes': case 'bytes_': return { kind: 'str', bytes: true, width: 0 };
    case 'complex': return { kind: 'unsupported', name: 'complex128' };
  }
  // Any other Python class is np.dtype(cls) == object.
  return parseDtypeString(name) ?? { kind: 'object' };
}

function dtypeStr(spec: PadDtypeSpec): string {
  if (typeof spec === 'string') return spec;
  if ('npDtype' in spec) return spec.npDtype;
  return `<class '${spec.pyType}'>`;
}

// ---------------------------------------------------------------- Python scalars

type PyScalar =
  | { kind: 'int'; value: bigint }
  | { kind: 'float'; value: number }
  | { kind: 'bool'; value: boolean }
  | { kind: 'str'; value: string }
  | { kind: 'none' }
  | { kind: 'opaque'; value: unknown };

function isIntLeaf(x: unknown): x is { value: number; isInt: boolean } {
  return typeof x === 'object' && x !== null && !Array.isArray(x) && typeof (x as { value?: unknown }).value === 'number'
    && typeof (x as { isInt?: unknown }).isInt === 'boolean';
}

function scalarOf(x: unknown): PyScalar {
  if (x === null || x === undefined) return { kind: 'none' };
  if (typeof x === 'boolean') return { kind: 'bool', value: x };
  if (typeof x === 'bigint') return { kind: 'int', value: x };
  if (typeof x === 'string') return { kind: 'str', value: x };
  if (typeof x === 'number') return Number.isInteger(x) ? { kind: 'int', value: BigInt(x) } : { kind: 'float', value: x };
  if (isIntLeaf(x)) {
    return x.isInt && Number.isFinite(x.value) ? { kind: 'int', value: BigInt(Math.trunc(x.value)) } : { kind: 'float', value: x.value };
  }
  return { kind: 'opaque', value: x };
}

/** Python str(x) of a scalar. */
function pyStr(s: PyScalar): string {
  switch (s.kind) {
    case 'int': return s.value.toString();
    case 'float': return formatPyFloat(s.value);
    case 'bool': return s.value ? 'True' : 'False';
    case 'str': return s.value;
    case 'none': return 'None';
    case 'opaque': return String(s.value);
  }
}

function pyTypeName(s: PyScalar): string {
  switch (s.kind) {
    case 'int': return 'int';
    case 'float': return 'float';
    case 'bool': return 'bool';
    case 'str': return 'str';
    case 'none': return 'NoneType';
    case 'opaque': return 'object';
  }
}

// Python int('...') and float('...'), ASCII digits.
const INT_LITERAL = /^[+-]?\d(?:_?\d)*$/;
const DIGITS = String.raw`\d(?:_?\d)*`;
const FLOAT_LITERAL = new RegExp(String.raw`^[+-]?(?:(?:${DIGITS})?\.${DIGITS}|${DIGITS}\.?)(?:[eE][+-]?${DIGITS})?$`);
const FLOAT_SPECIAL = /^([+-]?)(inf|infinity|nan)$/i;

function parsePyInt(text: string): bigint {
  const t = text.trim();
  if (!INT_LITERAL.test(t)) throw new KerasError('ValueError', `invalid literal for int() with base 10: ${reprStr(text)}`);
  return BigInt(t.replace(/_/g, ''));
}

function parsePyFloat(text: string): number {
  const t = text.trim();
  const special = FLOAT_SPECIAL.exec(t);
  if (special) {
    const v = special[2].toLowerCase() === 'nan' ? NaN : Infinity;
    return special[1] === '-' ? -v : v;
  }
  if (!FLOAT_LITERAL.test(t)) throw new KerasError('ValueError', `could not convert string to float: ${reprStr(text)}`);
  return Number(t.replace(/_/g, ''));
}

// ---------------------------------------------------------------- casts

const INT_BOUNDS: Partial<Record<DType, [bigint, bigint]>> = {
  uint8: [0n, 255n], int8: [-128n, 127n], int16: [-32768n, 32767n], int32: [-(2n ** 31n), 2n ** 31n - 1n],
  int64: [-(2n ** 63n), 2n ** 63n - 1n],
};
const C_LONG: [bigint, bigint] = [-(2n ** 63n), 2n ** 63n - 1n];

/** NumPy 2 (NEP 50) storing a Python int into an integer or bool array. */
function pythonIntInto(v: bigint, dtype: DType): number {
  // The int goes through a C long first, then the target's bounds are checked.
  if (v < C_LONG[0] || v > C_LONG[1]) throw new KerasError('OverflowError', 'Python int too large to convert to C long');
  if (dtype === 'bool') return v !== 0n ? 1 : 0;
  const [lo, hi] = INT_BOUNDS[dtype]!;
  if (v < lo || v > hi) throw new KerasError('OverflowError', `Python integer ${v} out of bounds for ${dtype}`);
  return Number(v);
}

/** A double stored into a float array (float64/32/16), warning on overflow to inf as NumPy's cast does. */
function floatInto(x: number, dtype: DType, warnings: Set<string>): number {
  let r: number;
  if (dtype === 'float64') return x;
  if (dtype === 'float32') r = Math.fround(x);
  else r = roundHalf(x);
  if (Number.isFinite(x) && !Number.isFinite(r)) warnings.add('overflow encountered in cast');
  return r;
}

/** IEEE binary16 round-to-nearest-even of a double. */
function roundHalf(x: number): number {
  if (!Number.isFinite(x) || x === 0) return x;
  const a = Math.abs(x);
  if (a >= 65520) return x > 0 ? Infinity : -Infinity;
  const e = Math.max(Math.floor(Math.log2(a)), -14);
  const step = 2 ** (e - 10); // spacing at a; exact power of two, so a/step is exact
  const q = a / step;
  const fl = Math.floor(q);
  const frac = q - fl;
  const r = frac > 0.5 || (frac === 0.5 && fl % 2 === 1) ? fl + 1 : fl;
  return Math.sign(x) * r * step;
}

/**
 * C's (int)double as NumPy's cast loops compile on x86-64: cvttsd2si to
 * 32 bits (64 for int64) giving the "integer indefinite" value when out of
 * range, then truncation to the narrow type.
 */
function cCastFloatToInt(x: number, dtype: DType, warnings: Set<string>): number {
  if (dtype === 'bool') return x !== 0 ? 1 : 0; // NaN is truthy
  const t = Math.trunc(x);
  if (dtype === 'int64') {
    if (!(t >= -(2 ** 63) && t < 2 ** 63)) {
      warnings.add('invalid value encountered in cast');
      return -(2 ** 63);
    }
    return t;
  }
  let i32: number;
  if (!(t >= -(2 ** 31) && t < 2 ** 31)) {
    warnings.add('invalid value encountered in cast');
    i32 = -(2 ** 31);
  } else {
    i32 = t;
  }
  switch (dtype) {
    case 'int32': return i32;
    case 'int16': return (i32 << 16) >> 16;
    case 'int8': return (i32 << 24) >> 24;
    case 'uint8': return i32 & 0xff;
    default: return i32;
  }
}

/** A Python object stored element-wise by np.asarray(obj, dtype=<numeric>) (NumPy 2 PyArray_Pack). */
function packNumeric(s: PyScalar, dtype: DType, warnings: Set<string>): number {
  const floating = dtype === 'float16' || dtype === 'float32' || dtype === 'float64';
  switch (s.kind) {
    case 'bool': return s.value ? 1 : 0;
    case 'int':
      if (dtype === 'bool') return s.value !== 0n ? 1 : 0; // element packing takes truthiness, no C long
      if (!floating) return pythonIntInto(s.value, dtype);
      return floatInto(pythonIntToFloat(s.value), dtype, warnings);
    case 'float':
      if (floating) return floatInto(s.value, dtype, warnings);
      if (dtype === 'bool') return s.value !== 0 ? 1 : 0;
      if (Number.isNaN(s.value)) throw new KerasError('ValueError', 'cannot convert float NaN to integer');
      if (!Number.isFinite(s.value)) throw new KerasError('OverflowError', 'cannot convert float infinity to integer');
      return pythonIntInto(BigInt(Math.trunc(s.value)), dtype);
    case 'str':
      if (dtype === 'bool') return s.value.length > 0 ? 1 : 0;
      if (floating) return floatInto(parsePyFloat(s.value), dtype, warnings);
      return pythonIntInto(parsePyInt(s.value), dtype);
    case 'none':
      if (dtype === 'bool') return 0;
      if (floating) return NaN;
      throw new KerasError('TypeError', "int() argument must be a string, a bytes-like object or a real number, not 'NoneType'");
    case 'opaque':
      throw new KerasError('TypeError', `Mask Lens: cannot store a ${describeOpaque(s.value)} in a ${dtype} array`);
  }
}

/**
 * np.full's fill. A Python int is bounds-checked (a C long even for bool);
 * a Python float into an integer array takes the C cast, whose warning only
 * comes from the cast loop, so only when the array has elements (`castWarnings`).
 */
function fillNumeric(s: PyScalar, dtype: DType, warnings: Set<string>, castWarnings: Set<string>): number {
  const floating = dtype === 'float16' || dtype === 'float32' || dtype === 'float64';
  if (s.kind === 'float' && !floating) return cCastFloatToInt(s.value, dtype, castWarnings);
  if (s.kind === 'int' && dtype === 'bool') return pythonIntInto(s.value, dtype);
  return packNumeric(s, dtype, warnings);
}

function pythonIntToFloat(v: bigint): number {
  const x = Number(v);
  if (!Number.isFinite(x)) throw new KerasError('OverflowError', 'int too large to convert to float');
  return x;
}

function describeOpaque(x: unknown): string {
  return x === null || x === undefined ? 'None' : typeof x === 'object' ? (x.constructor?.name ?? 'object') : typeof x;
}

/** str(x) stored into a fixed-width '<Un' / '|Sn' array. */
function toFixedString(s: PyScalar, dt: { bytes: boolean; width: number }): string {
  const text = pyStr(s);
  if (dt.bytes) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c > 127) {
        const cp = text.codePointAt(i)!;
        const esc = cp <= 0xff ? `\\x${cp.toString(16).padStart(2, '0')}` : cp <= 0xffff ? `\\u${cp.toString(16).padStart(4, '0')}` : `\\U${cp.toString(16).padStart(8, '0')}`;
        throw new KerasError('UnicodeEncodeError', `'ascii' codec can't encode character '${esc}' in position ${[...text.slice(0, i)].length}: ordinal not in range(128)`);
      }
    }
  }
  const chars = [...text];
  return chars.length > dt.width ? chars.slice(0, dt.width).join('') : text;
}

// ---------------------------------------------------------------- shapes

const pyTuple = (s: readonly number[]): string => (s.length === 1 ? `(${s[0]},)` : `(${s.join(', ')})`);
const npShape = (s: readonly number[]): string => `(${s.join(',')}${s.length === 1 ? ',' : ''})`;

/**
 * NumPy's shape discovery for a nested list. Strings are scalars. Ragged
 * nesting raises NumPy's error unless `ragged` is allowed (dtype=object),
 * in which case the shape stops at the last consistent depth.
 */
function discoverShape(node: unknown, allowRagged: boolean): number[] {
  if (!Array.isArray(node)) return [];
  const shape: number[] = [];
  let level: unknown[] = [node];
  for (;;) {
    const arrays = level.filter((n) => Array.isArray(n)) as unknown[][];
    if (arrays.length === 0) return shape;
    const len = arrays[0].length;
    if (arrays.length !== level.length || arrays.some((a) => a.length !== len)) {
      if (allowRagged) return shape;
      throw new KerasError(
        'ValueError',
        'setting an array element with a sequence. The requested array has an inhomogeneous shape after '
        + `${shape.length} dimensions. The detected shape was ${pyTuple(shape)} + inhomogeneous part.`,
      );
    }
    shape.push(len);
    level = arrays.flat(1);
    if (level.length === 0) {
      // Every list at this depth is empty: NumPy still records the empty axis.
      return shape;
    }
  }
}

/** Row-major leaves of `node` down to `depth` levels. */
function leavesAt(node: unknown, depth: number, out: unknown[]): void {
  if (depth === 0) {
    out.push(node);
    return;
  }
  for (const c of node as unknown[]) leavesAt(c, depth - 1, out);
}

// ---------------------------------------------------------------- pad_sequences

/** A converted `trunc` array: its shape and element values in the output's element type. */
interface Converted<T> {
  shape: number[];
  data: T[];
}

/**
 * keras.utils.pad_sequences, returning every kind of array NumPy can produce.
 * Throws KerasError with the Python type and message of each failure.
 */
export function padSequencesArray(sequences: unknown, options: PadSequencesOptions = {}): PaddedArray {
  const maxlenOpt = options.maxlen ?? null;
  const dtypeSpec: PadDtypeSpec = options.dtype ?? 'int32';
  const padding = options.padding ?? 'pre';
  const truncating = options.truncating ?? 'pre';
  const value: unknown = options.value === undefined ? { value: 0, isInt: false } : options.value;
  const flavor = options.flavor ?? 'keras3';

  // A Python str has __len__ and iterates its characters.
  const seqs: unknown[] | undefined = typeof sequences === 'string' ? [...sequences] : Array.isArray(sequences) ? sequences : undefined;
  if (!seqs) throw new KerasError('ValueError', '`sequences` must be iterable.');

  const lengths: number[] = [];
  let sampleShape: number[] = [];
  let haveSample = false;
  for (const x of seqs) {
    let len: number;
    if (Array.isArray(x)) len = x.length;
    else if (typeof x === 'string') len = [...x].length;
    else throw new KerasError('ValueError', `\`sequences\` must be a list of iterables. Found non-iterable: ${pyStr(scalarOf(x))}`);
    lengths.push(len);
    if (!haveSample && len) {
      sampleShape = discoverShape(x, false).slice(1);
      haveSample = true;
    }
  }

  let maxlen: number;
  if (maxlenOpt === null) {
    if (lengths.length === 0) throw new KerasError('ValueError', 'zero-size array to reduction operation maximum which has no identity');
    maxlen = Math.max(...lengths);
  } else {
    maxlen = maxlenOpt;
  }

  const dt = resolveDtype(dtypeSpec);
  const isDtypeStr = dt.kind === 'str' && (!dt.bytes || flavor === 'keras3');
  const valueScalar = scalarOf(value);
  const isObjectType = typeof dtypeSpec === 'object' && 'pyType' in dtypeSpec && dtypeSpec.pyType === 'object';
  // keras_preprocessing compares `dtype != object`, which np.dtype('O') also fails.
  const notObject = flavor === 'keras_preprocessing'
    ? !(isObjectType || (typeof dtypeSpec === 'object' && 'npDtype' in dtypeSpec && dt.kind === 'object'))
    : !isObjectType;
  if (valueScalar.kind === 'str' && notObject && !isDtypeStr) {
    throw new KerasError(
      'ValueError',
      `\`dtype\` ${dtypeStr(dtypeSpec)} is not compatible with \`value\`'s type: <class 'str'>\n`
      + 'You should set `dtype=object` for variable length strings.',
    );
  }

  // np.full((num_samples, maxlen) + sample_shape, value, dtype=dtype)
  if (!Number.isInteger(maxlen)) throw new KerasError('TypeError', "'float' object cannot be interpreted as an integer");
  const shape = [seqs.length, maxlen, ...sampleShape];
  if (shape.some((d) => d < 0)) throw new KerasError('ValueError', 'negative dimensions are not allowed');
  if (dt.kind === 'unsupported') {
    throw new KerasError('NotImplementedError', `Mask Lens: pad_sequences does not support numpy dtype ${dt.name}`);
  }
  const rowSize = sampleShape.reduce((a, b) => a * b, 1);
  const total = seqs.length * maxlen * rowSize;
  checkSize(total);
  const warnings = new Set<string>();

  // Element conversions for the three array kinds.
  let fill: unknown;
  let convert: (leaf: unknown) => unknown;
  let strDtype: { bytes: boolean; width: number } | undefined;
  if (dt.kind === 'num') {
    const castWarnings = new Set<string>();
    fill = fillNumeric(valueScalar, dt.dtype, warnings, castWarnings);
    if (total > 0) for (const w of castWarnings) warnings.add(w);
    convert = (leaf) => packNumeric(scalarOf(leaf), dt.dtype, warnings);
  } else if (dt.kind === 'str') {
    // np.empty with a flexible 'U'/'S' dtype allocates one character per element.
    strDtype = { bytes: dt.bytes, width: Math.max(dt.width, 1) };
    const sd = strDtype;
    fill = toFixedString(valueScalar, sd);
    convert = (leaf) => toFixedString(scalarOf(leaf), sd);
  } else {
    fill = value;
    convert = (leaf) => leaf;
  }
  flushWarnings(warnings);
  const data: unknown[] = new Array<unknown>(total).fill(fill);

  for (let idx = 0; idx < seqs.length; idx++) {
    const s = seqs[idx];
    if (!lengths[idx]) continue; // an empty sequence keeps its row of `value`, unvalidated
    let truncSrc: unknown;
    const items: unknown[] = typeof s === 'string' ? [...s] : (s as unknown[]);
    if (truncating === 'pre') truncSrc = items.slice(maxlen === 0 ? 0 : Math.max(items.length - maxlen, 0)); // s[-maxlen:]
    else if (truncating === 'post') truncSrc = items.slice(0, maxlen);
    else throw new KerasError('ValueError', `Truncating type "${truncating}" not understood`);
    if (typeof s === 'string') truncSrc = (truncSrc as string[]).join(''); // slicing a str gives a str

    // trunc = np.asarray(trunc, dtype=dtype)
    let trunc: Converted<unknown>;
    try {
      trunc = convertArray(truncSrc, dt.kind === 'object', convert);
    } finally {
      flushWarnings(warnings); // NumPy has warned about earlier elements before a later one fails
    }
    const tail = trunc.shape.slice(1);
    if (tail.length !== sampleShape.length || tail.some((d, i) => d !== sampleShape[i])) {
      throw new KerasError(
        'ValueError',
        `Shape of sample ${pyTuple(tail)} of sequence at position ${idx} is different from expected shape ${pyTuple(sampleShape)}`,
      );
    }

    if (padding !== 'post' && padding !== 'pre') throw new KerasError('ValueError', `Padding type "${padding}" not understood`);
    if (trunc.shape.length === 0) throw new KerasError('TypeError', 'len() of unsized object');
    const n = trunc.shape[0];
    // x[idx, :n] (post) or x[idx, -n:] (pre; -0: is the whole row)
    const span = padding === 'post' ? Math.min(n, maxlen) : n === 0 ? maxlen : Math.min(n, maxlen);
    const start = padding === 'post' ? 0 : maxlen - span;
    if (n !== span && n !== 1) {
      throw new KerasError('ValueError', `could not broadcast input array from shape ${npShape(trunc.shape)} into shape ${npShape([span, ...sampleShape])}`);
    }
    const base = (idx * maxlen + start) * rowSize;
    for (let j = 0; j < span * rowSize; j++) data[base + j] = trunc.data[n === 1 ? j % rowSize : j];
  }

  if (dt.kind === 'num') {
    const t = Tensor.empty(dt.dtype, shape);
    const out = t.storage.data;
    for (let i = 0; i < total; i++) out[i] = data[i] as number;
    return { kind: 'numeric', tensor: t };
  }
  if (dt.kind === 'str') {
    const sd = strDtype!;
    return { kind: 'str', dtype: `${sd.bytes ? '|S' : '<U'}${sd.width}`, shape, data: data as string[] };
  }
  return { kind: 'object', shape, data };
}

function convertArray(src: unknown, isObject: boolean, convert: (leaf: unknown) => unknown): Converted<unknown> {
  const shape = discoverShape(src, isObject);
  const leaves: unknown[] = [];
  leavesAt(src, shape.length, leaves);
  return { shape, data: leaves.map(convert) };
}

function flushWarnings(warnings: Set<string>): void {
  for (const w of warnings) warn(w);
  warnings.clear();
}

/**
 * keras.utils.pad_sequences for numeric dtypes, as an engine Tensor (what
 * NumPy returns as an int32/float32/... ndarray). For str/bytes/object
 * dtypes use padSequencesArray: this throws a NotImplementedError saying so.
 */
export function padSequences(sequences: unknown, options: PadSequencesOptions = {}): Tensor {
  const r = padSequencesArray(sequences, options);
  if (r.kind === 'numeric') return r.tensor;
  const dtype = r.kind === 'str' ? r.dtype : 'object';
  throw new KerasError('NotImplementedError', `Mask Lens: pad_sequences with dtype ${dtype} gives a ${dtype} array, which has no tensor form here`);
}

export { pyStr as pyStrOfLeaf, scalarOf as pyScalarOfLeaf };
export type { PyScalar };
