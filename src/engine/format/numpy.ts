// NumPy 1.x array printing (numpy/core/arrayprint.py, non-legacy mode):
// repr `array([[1., 0.],\n       [1., 1.]])` and str `[[1 0]\n [1 1]]`,
// FloatingFormat's positional / scientific choice with Dragon4 digits
// (shortest round-trip in the array's own float type, at most `precision`
// after the point), integer and bool widths, summarization, line wrapping and
// the `dtype=` suffix. Also NumPy scalar str/repr (1.x: no `np.float64(...)`).

import { Grid, edgeValues, gridOf } from './grid';
import type { DType } from '../dtype';
import { castValue, isFloating } from '../dtype';
import { type Tensor, hasWide, int64Values } from '../tensor';
import { BinaryFormat, dragon4, formatOfDtype } from './dragon4';
import { pyTupleStr } from './torch';

export type FloatMode = 'fixed' | 'unique' | 'maxprec' | 'maxprec_equal';

export interface NumpyPrintOptions {
  precision: number;
  threshold: number;
  edgeitems: number;
  linewidth: number;
  suppress: boolean;
  floatmode: FloatMode;
  sign: '-' | '+' | ' ';
  nanstr: string;
  infstr: string;
}

export const DEFAULT_NUMPY_PRINT_OPTIONS: Readonly<NumpyPrintOptions> = Object.freeze({
  precision: 8,
  threshold: 1000,
  edgeitems: 3,
  linewidth: 75,
  suppress: false,
  floatmode: 'maxprec',
  sign: '-',
  nanstr: 'nan',
  infstr: 'inf',
});

type Trim = 'k' | '.' | '0' | '-';

interface DragonFormat {
  precision: number; // -1: none
  fractional?: boolean; // positional: precision counts digits after the point (default) or significant digits
  unique: boolean;
  trim: Trim;
  sign: boolean; // '+' for positives
  padLeft: number; // -1: none
  padRight: number; // -1: none
  minDigits: number; // -1: none
  expDigits: number; // -1: at least 2
}

function signChar(x: number, plus: boolean): string {
  if (x < 0 || Object.is(x, -0)) return '-';
  return plus ? '+' : '';
}

/** numpy's dragon4_positional (FormatPositional in dragon4.c), fractional cutoff. */
function positional(x: number, bf: BinaryFormat, o: DragonFormat): string {
  const sign = signChar(x, o.sign);
  const fractional = o.fractional ?? true;
  const d = dragon4(x, bf, { unique: o.unique, cutoff: fractional ? 'fraction' : 'total', precision: o.precision, minDigits: o.minDigits });
  const digits = d.digits;
  let s = '';
  let whole: number;
  let frac = 0;
  if (d.exp10 >= 0) {
    whole = d.exp10 + 1;
    if (digits.length <= whole) s = digits + '0'.repeat(whole - digits.length);
    else {
      frac = digits.length - whole;
      s = digits.slice(0, whole) + '.' + digits.slice(whole);
    }
  } else {
    const zeros = -(d.exp10 + 1);
    s = '0.' + '0'.repeat(zeros) + digits;
    frac = zeros + digits.length;
    whole = 1;
  }
  if (o.trim !== '-' && frac === 0) s += '.';
  // zeros up to the digits asked for: min_digits when unique, else precision
  const addDigits = o.unique ? o.minDigits : o.precision;
  const want = fractional ? Math.max(addDigits, 0) : addDigits - whole;
  [s, frac] = trimFraction(s, frac, want, o.trim, true);
  if (o.padRight >= frac) {
    if (o.trim === '-' && frac === 0) s += ' ';
    s += ' '.repeat(o.padRight - frac);
  }
  s = sign + s;
  const lead = whole + (sign ? 1 : 0);
  if (o.padLeft > lead) s = ' '.repeat(o.padLeft - lead) + s;
  return s;
}

/**
 * Dragon4's trim modes on the digits after the point: 'k' pads to `want`
 * digits, '0' keeps at least one, '.'/'-' strip trailing zeros; '-' also
 * drops a bare point when `dropBarePoint` (positional only).
 */
function trimFraction(text: string, frac: number, want: number, trim: DragonFormat['trim'], dropBarePoint: boolean): [string, number] {
  let s = text;
  if (trim === '0') {
    if (frac === 0) {
      s += '0';
      frac++;
    }
  } else if (trim === 'k' && want > frac) {
    s += '0'.repeat(want - frac);
    frac = want;
  }
  // rounding (or min_digits) can leave trailing zeros: trim them per mode
  if (trim !== 'k' && frac > 0) {
    while (s.endsWith('0')) {
      s = s.slice(0, -1);
      frac--;
    }
    if (s.endsWith('.')) {
      if (trim === '0') {
        s += '0';
        frac++;
      } else if (trim === '-' && dropBarePoint) s = s.slice(0, -1);
    }
  }
  return [s, frac];
}

/** numpy's dragon4_scientific (FormatScientific in dragon4.c). */
function scientific(x: number, bf: BinaryFormat, o: DragonFormat): string {
  const sign = signChar(x, o.sign);
  let s = '';
  const leftChars = 1 + (sign ? 1 : 0);
  if (o.padLeft > leftChars) s += ' '.repeat(o.padLeft - leftChars);
  s += sign;
  // Significant digits are one more than the digits after the point.
  const d = dragon4(x, bf, {
    unique: o.unique,
    cutoff: 'total',
    precision: o.precision >= 0 ? o.precision + 1 : -1,
    minDigits: o.minDigits >= 0 ? o.minDigits + 1 : -1,
  });
  let mant = d.digits[0];
  let frac = d.digits.length - 1;
  if (frac > 0) mant += '.' + d.digits.slice(1);
  if (o.trim !== '-' && frac === 0) mant += '.';
  const want = Math.max(o.unique ? o.minDigits : o.precision, 0);
  // unlike positional, DptZeros keeps a '.' left bare by trimming (as dragon4.c does)
  [mant, frac] = trimFraction(mant, frac, want, o.trim, false);
  const e = d.exp10;
  const expDigits = o.expDigits < 0 ? 2 : Math.min(o.expDigits, 5);
  return s + mant + 'e' + (e < 0 ? '-' : '+') + String(Math.abs(e)).padStart(expDigits, '0');
}

/** Round an arithmetic result to the array's float type, as NumPy computes it there. */
function inType(dtype: DType, x: number): number {
  return dtype === 'float64' ? x : castValue(dtype, x);
}

type ElementFormat = (x: number) => string;

/**
 * Magnitude from which an array prints in scientific notation: 10**min(8, finfo(dtype).precision)
 * (arrayprint.FloatingFormat.fillFormat; NumPy 2.4 measured), so 1e3 for float16, 1e6 for float32,
 * 1e8 for float64. bfloat16 is not a NumPy type; it keeps the float64 cutoff.
 */
function arrayExpCutoff(dtype: DType): number {
  return dtype === 'float16' ? 1e3 : dtype === 'float32' ? 1e6 : 1e8;
}

/**
 * Magnitude from which a float scalar's str/repr switches to scientific notation (NumPy 2.4,
 * measured: np.float16(999.5) -> 999.5 but np.float16(1e3) -> 1e+03; np.float32(999999.94) ->
 * 999999.94 but np.float32(1e6) -> 1e+06; np.float64 at 1e16). The 1e-4 floor is shared and is
 * compared in double precision, so np.float32(1e-4) prints 1e-04.
 */
function scalarExpCutoff(dtype: DType): number {
  return dtype === 'float16' ? 1e3 : dtype === 'float32' ? 1e6 : 1e16;
}

/** numpy.core.arrayprint.FloatingFormat. */
function floatingFormat(data: ArrayLike<number>, dtype: DType, opts: Readonly<NumpyPrintOptions>): ElementFormat {
  const bf = formatOfDtype(dtype);
  const plus = opts.sign === '+';
  let precision = opts.floatmode === 'unique' ? -1 : opts.precision;
  const finite: number[] = [];
  let hasNonFinite = false;
  let anyNegInf = false;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (Number.isFinite(v)) finite.push(v);
    else {
      hasNonFinite = true;
      if (v === -Infinity) anyNegInf = true;
    }
  }
  let expFormat = false;
  let maxVal = 0;
  let minVal = Infinity;
  for (const v of finite) {
    if (v === 0) continue;
    const a = Math.abs(v);
    if (a > maxVal) maxVal = a;
    if (a < minVal) minVal = a;
  }
  if (maxVal > 0) {
    // NumPy compares min_val with the Python float 0.0001 in the array's own type (NEP 50), so
    // float32(1e-4) = 9.99999975e-05 is not below it.
    const tooSmall = minVal < inType(dtype, 0.0001);
    if (maxVal >= arrayExpCutoff(dtype) || (!opts.suppress && (tooSmall || inType(dtype, maxVal / minVal) > 1000))) expFormat = true;
  }

  let padLeft: number;
  let padRight: number;
  let trim: Trim;
  let unique: boolean;
  let minDigits: number;
  let expSize = -1;
  if (finite.length === 0) {
    padLeft = 0;
    padRight = 0;
    trim = '.';
    unique = true;
    minDigits = -1;
  } else if (expFormat) {
    let t0: Trim = '.';
    unique = true;
    if (opts.floatmode === 'fixed') {
      t0 = 'k';
      unique = false;
    }
    const first: DragonFormat = { precision, unique, trim: t0, sign: plus, padLeft: -1, padRight: -1, minDigits: -1, expDigits: -1 };
    let maxInt = 0;
    let maxFrac = 0;
    let maxExp = 0;
    for (const v of finite) {
      const s = scientific(v, bf, first);
      const ePos = s.indexOf('e');
      const [ip, fp] = s.slice(0, ePos).split('.');
      maxInt = Math.max(maxInt, ip.length);
      maxFrac = Math.max(maxFrac, (fp ?? '').length);
      maxExp = Math.max(maxExp, s.length - ePos - 1);
    }
    expSize = maxExp - 1;
    trim = 'k';
    precision = maxFrac;
    minDigits = precision;
    padLeft = maxInt;
    padRight = expSize + 2 + precision;
  } else {
    let t0: Trim = '.';
    unique = true;
    if (opts.floatmode === 'fixed') {
      t0 = 'k';
      unique = false;
    }
    const first: DragonFormat = { precision, unique, trim: t0, sign: plus, padLeft: -1, padRight: -1, minDigits: -1, expDigits: -1 };
    let maxInt = 0;
    let maxFrac = 0;
    for (const v of finite) {
      const [ip, fp] = positional(v, bf, first).split('.');
      maxInt = Math.max(maxInt, ip.length);
      maxFrac = Math.max(maxFrac, (fp ?? '').length);
    }
    padLeft = maxInt;
    padRight = maxFrac;
    if (opts.floatmode === 'fixed' || opts.floatmode === 'maxprec_equal') {
      precision = minDigits = padRight;
      trim = 'k';
    } else {
      trim = '.';
      minDigits = 0;
    }
  }
  if (opts.sign === ' ' && !finite.some((v) => v < 0 || Object.is(v, -0))) padLeft += 1;
  if (hasNonFinite) {
    const neginf = opts.sign !== '-' || anyNegInf ? 1 : 0;
    const offset = padRight + 1;
    padLeft = Math.max(padLeft, opts.nanstr.length - offset, opts.infstr.length + neginf - offset);
  }
  const fmt: DragonFormat = { precision, unique, trim, sign: plus, padLeft, padRight, minDigits, expDigits: expSize };
  return (x: number) => {
    if (!Number.isFinite(x)) {
      let ret: string;
      if (Number.isNaN(x)) ret = (plus ? '+' : '') + opts.nanstr;
      else ret = (x < 0 ? '-' : plus ? '+' : '') + opts.infstr;
      return ' '.repeat(Math.max(0, padLeft + padRight + 1 - ret.length)) + ret;
    }
    return expFormat ? scientific(x, bf, fmt) : positional(x, bf, fmt);
  };
}

/** Python `str(int)` for an integer-valued double, exactly. */
function intStr(x: number | bigint): string {
  return typeof x === 'bigint' || Number.isSafeInteger(x) ? String(x) : BigInt(x).toString();
}

function elementFormat(data: ArrayLike<number>, dtype: DType, is0d: boolean, opts: Readonly<NumpyPrintOptions>): ElementFormat {
  if (dtype === 'bool') {
    const t = is0d ? 'True' : ' True';
    return (x) => (x ? t : 'False');
  }
  if (isFloating(dtype)) return floatingFormat(data, dtype, opts);
  // IntegerFormat (NumPy 2.x): '{:<sign><w>d}', w the longer of str(max) (one wider when
  // sign is '+' or ' ' and max >= 0) and str(min); sign ' ' becomes '-' when any value is negative.
  let width = 0;
  let sign = opts.sign;
  if (data.length > 0) {
    let mx = -Infinity;
    let mn = Infinity;
    for (let i = 0; i < data.length; i++) {
      if (data[i] > mx) mx = data[i];
      if (data[i] < mn) mn = data[i];
    }
    if (sign === ' ' && mn < 0) sign = '-';
    width = Math.max(intStr(mx).length + (mx >= 0 && sign !== '-' ? 1 : 0), intStr(mn).length);
  }
  const lead = sign === '-' ? '' : sign;
  return (x) => (x >= 0 ? lead : '').concat(intStr(x)).padStart(width, ' ');
}


/**
 * The element formatter NumPy's print would use for these values (arrayprint's
 * FloatingFormat / IntegerFormat over the whole array, as str(a) picks it), for
 * tables that show an array's elements one per cell: `format(v)` is padded to
 * `width`, the widest element's length. `values` are the array's elements.
 */
export function numpyElementFormatter(
  dtype: DType, values: ArrayLike<number>, opts: Readonly<NumpyPrintOptions> = DEFAULT_NUMPY_PRINT_OPTIONS,
): { format(v: number): string; width: number } {
  const f = elementFormat(values, dtype, false, opts);
  let width = 0;
  for (let i = 0; i < values.length; i++) width = Math.max(width, f(values[i]).length);
  return { format: f, width };
}

function extendLine(s: string, line: string, word: string, width: number, nextPrefix: string): [string, string] {
  let wrap = line.length + word.length > width;
  // don't wrap lines if it won't help
  if (line.length <= nextPrefix.length) wrap = false;
  if (wrap) {
    s += line.trimEnd() + '\n';
    line = nextPrefix;
  }
  return [s, line + word];
}

function extendLinePretty(s: string, line: string, word: string, width: number, nextPrefix: string): [string, string] {
  const words = word.split('\n');
  if (words.length === 1) return extendLine(s, line, word, width, nextPrefix);
  const maxLen = Math.max(...words.map((w) => w.length));
  let indent: string;
  if (line.length + maxLen > width && line.length > nextPrefix.length) {
    s += line.trimEnd() + '\n';
    line = nextPrefix + words[0];
    indent = nextPrefix;
  } else {
    indent = ' '.repeat(line.length);
    line += words[0];
  }
  for (const w of words.slice(1)) {
    s += line.trimEnd() + '\n';
    line = indent + w;
  }
  line += ' '.repeat(maxLen - words[words.length - 1].length);
  return [s, line];
}

/** numpy.core.arrayprint._formatArray (non-legacy). */
function formatArray(
  g: Grid, fmt: ElementFormat, lineWidth: number, nextLinePrefix: string, separator: string, edge: number, summarize: boolean,
): string {
  const ndim = g.shape.length;
  const recurse = (dim: number, base: number, hanging: string, currWidth: number): string => {
    const axesLeft = ndim - dim;
    if (axesLeft === 0) return fmt(g.data[base]);
    const nextHanging = hanging + ' ';
    const nextWidth = currWidth - 1; // len(']')
    const n = g.shape[dim];
    const st = g.strides[dim];
    const showSummary = summarize && 2 * edge < n;
    const leading = showSummary ? edge : 0;
    const trailing = showSummary ? edge : n;
    let s = '';
    if (axesLeft === 1) {
      const elemWidth = currWidth - Math.max(separator.trimEnd().length, 1);
      let line = hanging;
      for (let i = 0; i < leading; i++) {
        const word = recurse(dim + 1, base + i * st, nextHanging, nextWidth);
        [s, line] = extendLinePretty(s, line, word, elemWidth, hanging);
        line += separator;
      }
      if (showSummary) {
        [s, line] = extendLine(s, line, '...', elemWidth, hanging);
        line += separator;
      }
      for (let i = trailing; i > 1; i--) {
        const word = recurse(dim + 1, base + (n - i) * st, nextHanging, nextWidth);
        [s, line] = extendLinePretty(s, line, word, elemWidth, hanging);
        line += separator;
      }
      const word = recurse(dim + 1, base + (n - 1) * st, nextHanging, nextWidth);
      [s, line] = extendLinePretty(s, line, word, elemWidth, hanging);
      s += line;
    } else {
      const lineSep = separator.trimEnd() + '\n'.repeat(axesLeft - 1);
      for (let i = 0; i < leading; i++) s += hanging + recurse(dim + 1, base + i * st, nextHanging, nextWidth) + lineSep;
      if (showSummary) s += hanging + '...' + lineSep;
      for (let i = trailing; i > 1; i--) s += hanging + recurse(dim + 1, base + (n - i) * st, nextHanging, nextWidth) + lineSep;
      s += hanging + recurse(dim + 1, base + (n - 1) * st, nextHanging, nextWidth);
    }
    return '[' + s.slice(hanging.length) + ']';
  };
  return recurse(0, 0, nextLinePrefix, lineWidth);
}

/** np.array2string(a, separator=, prefix=, suffix=) for a non-empty array. */
function array2string(t: Tensor, opts: Readonly<NumpyPrintOptions>, separator: string, prefix: string, suffix: string): string {
  if (t.numel === 0) return '[]';
  const g = gridOf(t);
  // int64 beyond 2^53: the exact values (bigint), which the integer format below reads as it reads numbers
  if (t.dtype === 'int64' && hasWide(t)) (g as Grid<number | bigint>).data = int64Values(t);
  const summarize = t.numel > opts.threshold;
  const data = summarize ? edgeValues(g, opts.edgeitems) : g.data;
  const fmt = elementFormat(data, t.dtype, t.ndim === 0, opts);
  const lineWidth = opts.linewidth - suffix.length;
  return formatArray(g, fmt, lineWidth, ' ' + ' '.repeat(prefix.length), separator, opts.edgeitems, summarize);
}

// dtypes NumPy leaves out of the repr: the default int, float and bool.
const IMPLIED: ReadonlySet<DType> = new Set<DType>(['int64', 'float64', 'bool']);

/** NumPy's name for a dtype. */
export function numpyDtypeName(d: DType): string {
  return d;
}

/** `repr(a)` (mode 'repr') or `str(a)` / `print(a)` (mode 'str') for a NumPy array held in a Tensor. */
export function formatNumpyArray(
  t: Tensor, mode: 'repr' | 'str', opts: Readonly<NumpyPrintOptions> = DEFAULT_NUMPY_PRINT_OPTIONS,
): string {
  if (mode === 'str') {
    if (t.ndim === 0) return formatNumpyScalar(t.dtype === 'int64' && hasWide(t) ? int64Values(t)[0] : t.item(), t.dtype);
    return array2string(t, opts, ' ', '', '');
  }
  // _array_repr_implementation (numpy/_core/arrayprint.py): the extras NumPy cannot infer from
  // the text follow the list: shape= for an empty array other than shape (0,) and, since
  // NumPy 2.2, for a summarised one (size > threshold); dtype= unless implied or empty.
  const prefix = 'array(';
  const lst = array2string(t, opts, ', ', prefix, ')');
  const extras: string[] = [];
  if ((t.numel === 0 && !(t.ndim === 1 && t.shape[0] === 0)) || t.numel > opts.threshold) extras.push(`shape=${pyTupleStr(t.shape)}`);
  if (!IMPLIED.has(t.dtype) || t.numel === 0) extras.push(`dtype=${numpyDtypeName(t.dtype)}`);
  if (extras.length === 0) return prefix + lst + ')';
  const arrStr = prefix + lst + ',';
  const extraStr = extras.join(', ') + ')';
  const lastLineLen = arrStr.length - (arrStr.lastIndexOf('\n') + 1);
  const spacer = lastLineLen + extraStr.length + 1 > opts.linewidth ? '\n' + ' '.repeat(prefix.length) : ' ';
  return arrStr + spacer + extraStr;
}

/**
 * str / repr of a NumPy scalar (np.float32(0.1) -> '0.1', np.float64(1e-05) -> '1e-05',
 * np.float16(65504) -> '6.55e+04', np.float32(1e15) -> '1e+15', np.int32(3) -> '3',
 * np.bool_(True) -> 'True'): str in every NumPy, repr in NumPy 1.x. Floats print the shortest
 * round-trip digits of their own type, positional inside [1e-4, cutoff) (see scalarExpCutoff).
 */
export function formatNumpyScalar(x: number | bigint, dtype: DType): string {
  if (dtype === 'bool') return x ? 'True' : 'False';
  if (!isFloating(dtype) || typeof x === 'bigint') return intStr(x);
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x < 0 ? '-inf' : 'inf';
  const bf = formatOfDtype(dtype);
  const a = Math.abs(x);
  const base: DragonFormat = { precision: -1, unique: true, trim: '0', sign: false, padLeft: -1, padRight: -1, minDigits: -1, expDigits: -1 };
  if (a === 0 || (a >= 1e-4 && a < scalarExpCutoff(dtype))) return positional(x, bf, base);
  return scientific(x, bf, { ...base, trim: '-' });
}

/**
 * repr of a NumPy scalar as NumPy >= 2.0 writes it (NEP 51): the str form wrapped in its
 * type, np.int64(3), np.float32(0.1), np.float64(nan); booleans are np.True_ / np.False_.
 * (NumPy 1.x's repr was the str form alone.)
 */
export function formatNumpyScalarRepr(x: number | bigint, dtype: DType): string {
  if (dtype === 'bool') return x ? 'np.True_' : 'np.False_';
  return `np.${numpyDtypeName(dtype)}(${formatNumpyScalar(x, dtype)})`;
}

export interface FormatFloatOptions {
  precision?: number | null;
  unique?: boolean;
  fractional?: boolean;
  trim?: Trim;
  sign?: boolean;
  padLeft?: number | null;
  padRight?: number | null;
  minDigits?: number | null;
  expDigits?: number | null;
}

function dragonFormat(o: FormatFloatOptions, defaultTrim: Trim): DragonFormat {
  const n = (v: number | null | undefined) => (v === null || v === undefined ? -1 : v);
  return {
    precision: n(o.precision),
    fractional: o.fractional ?? true,
    unique: o.unique ?? true,
    trim: o.trim ?? defaultTrim,
    sign: o.sign ?? false,
    padLeft: n(o.padLeft),
    padRight: n(o.padRight),
    minDigits: n(o.minDigits),
    expDigits: n(o.expDigits),
  };
}

function nonFinite(x: number, sign: boolean): string | null {
  if (Number.isNaN(x)) return (sign ? '+' : '') + 'nan';
  if (!Number.isFinite(x)) return (x < 0 ? '-' : sign ? '+' : '') + 'inf';
  return null;
}

/** np.format_float_positional(x, ...) for a value of float dtype `dtype` (default trim 'k'). */
export function formatFloatPositional(x: number, dtype: DType, o: FormatFloatOptions = {}): string {
  return nonFinite(x, o.sign ?? false) ?? positional(x, formatOfDtype(dtype), dragonFormat(o, 'k'));
}

/** np.format_float_scientific(x, ...) for a value of float dtype `dtype` (default trim 'k'). */
export function formatFloatScientific(x: number, dtype: DType, o: FormatFloatOptions = {}): string {
  return nonFinite(x, o.sign ?? false) ?? scientific(x, formatOfDtype(dtype), dragonFormat(o, 'k'));
}
