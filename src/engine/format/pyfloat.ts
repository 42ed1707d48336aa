// Python's text for numbers: repr(float), format(x, spec) (the format-spec
// mini-language behind f-strings and str.format) and printf-style `%`.
// Digits come from the exact binary value (dragon4.ts), rounded half to even
// as CPython's dtoa does; the layout follows CPython's format_float_short
// and formatter_unicode.c.

import { valueError, EngineError } from '../errors';
import { roundFraction, roundSignificant, shortestFloat64, Digits } from './dragon4';

type FloatCode = 'e' | 'f' | 'g' | 'r';

/**
 * CPython's format_float_short for |x|: `code` with `precision`, `alt` ('#'),
 * `addDot0` (repr / empty type: keep a '.0' on integers). No sign.
 */
function floatBody(absx: number, code: FloatCode, precision: number, alt: boolean, addDot0: boolean): string {
  if (Number.isNaN(absx)) return 'nan';
  if (absx === Infinity) return 'inf';
  let d: Digits;
  switch (code) {
    case 'r': d = shortestFloat64(absx); break;
    case 'e': d = roundSignificant(absx, precision + 1); break;
    case 'f': d = roundFraction(absx, precision); break;
    case 'g':
      if (precision === 0) precision = 1;
      d = roundSignificant(absx, precision);
      break;
  }
  const digits = d.digits;
  const len = digits.length;
  let decpt = absx === 0 ? 1 : d.exp10 + 1;
  let useExp = false;
  let vEnd = len;
  switch (code) {
    case 'e': useExp = true; vEnd = precision + 1; break;
    case 'f': vEnd = decpt + precision; break;
    case 'g':
      if (decpt <= -4 || decpt > (addDot0 ? precision - 1 : precision)) useExp = true;
      if (alt) vEnd = precision;
      break;
    case 'r':
      if (decpt <= -4 || decpt > 16) useExp = true;
      break;
  }
  let exp = 0;
  if (useExp) {
    exp = decpt - 1;
    decpt = 1;
  }
  const vStart = decpt <= 0 ? decpt - 1 : 0;
  if (!useExp && addDot0) vEnd = Math.max(vEnd, decpt + 1);
  else vEnd = Math.max(vEnd, decpt);

  let s = '';
  if (decpt <= 0) s += '0'.repeat(decpt - vStart) + '.' + '0'.repeat(-decpt);
  else s += '0'.repeat(-vStart);
  if (decpt > 0 && decpt <= len) s += digits.slice(0, decpt) + '.' + digits.slice(decpt);
  else s += digits;
  if (len < decpt) s += '0'.repeat(decpt - len) + '.' + '0'.repeat(vEnd - decpt);
  else s += '0'.repeat(Math.max(0, vEnd - len));
  if (s.endsWith('.') && !alt) s = s.slice(0, -1);
  if (useExp) s += 'e' + (exp < 0 ? '-' : '+') + String(Math.abs(exp)).padStart(2, '0');
  return s;
}

function isNegative(x: number): boolean {
  return x < 0 || Object.is(x, -0);
}

/** Python `repr(x)` / `str(x)` for a float: '1.0', '1e-05', '1e+16', 'inf', 'nan', '-0.0'. */
export function formatPyFloat(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  const body = floatBody(Math.abs(x), 'r', 0, false, true);
  return isNegative(x) ? '-' + body : body;
}

/** Python 3 `str(float)` is `repr(float)`. */
export const formatPyFloatStr = formatPyFloat;

/** `'{:.{p}f}'.format(x)`. */
export function pyFixed(x: number, precision: number): string {
  return fixedFast(x, precision) ?? signed(x, floatBody(Math.abs(x), 'f', precision, false, false));
}

/**
 * `x.toFixed(p)` where it equals Python's `'{:.{p}f}'`: both round the exact
 * binary value correctly, and differ only on an exact tie (JavaScript rounds it
 * away from zero, Python to even), on -0 and past 1e21. A double is exactly
 * halfway between two p-decimal numbers iff x·2^(p+1) is an odd integer (the
 * halfway points are odd multiples of 1/(2·10^p), and a dyadic one has its 5^p
 * cancelled). Tensor printing formats every element this way, so the common
 * case skips Dragon4.
 */
function fixedFast(x: number, p: number): string | undefined {
  if (!(Math.abs(x) < 1e21) || p > 100 || (x === 0 && 1 / x < 0)) return undefined;
  const scaled = x * 2 ** (p + 1);
  if (Number.isInteger(scaled) && scaled % 2 !== 0) return undefined;
  return x.toFixed(p);
}

/** `'{:.{p}e}'.format(x)`. */
export function pyExp(x: number, precision: number): string {
  return signed(x, expFast(Math.abs(x), precision) ?? floatBody(Math.abs(x), 'e', precision, false, false));
}

/**
 * `a.toExponential(p)` with Python's two-digit exponent, where it equals
 * Python's `'{:.{p}e}'` for a ≥ 0: both round the exact value correctly and
 * differ only on an exact tie. A tie has exactly p+2 significant digits, the
 * last a 5; a double whose exact value has at most 15 significant digits
 * prints them all as its shortest repr (DBL_DIG), so any other shortest repr
 * rules a tie out. Zero, integers and p > 13 take the exact path.
 */
function expFast(a: number, p: number): string | undefined {
  if (!(a > 0 && a < Infinity) || p > 13 || Number.isInteger(a)) return undefined;
  const shortest = a.toExponential();
  const e = shortest.indexOf('e');
  const digits = e - (shortest.charCodeAt(1) === 46 ? 1 : 0);
  if (digits === p + 2 && shortest.charCodeAt(e - 1) === 53) return undefined;
  const s = a.toExponential(p);
  const at = s.indexOf('e');
  const exp = s.slice(at + 2);
  return `${s.slice(0, at + 2)}${exp.length < 2 ? '0' + exp : exp}`;
}

function signed(x: number, body: string): string {
  return !Number.isNaN(x) && isNegative(x) ? '-' + body : body;
}

// ---------------------------------------------------------------------------
// format(value, spec)

interface Spec {
  fill: string;
  align: '<' | '>' | '=' | '^' | '';
  sign: '+' | '-' | ' ' | '';
  z: boolean;
  alt: boolean;
  width: number;
  grouping: ',' | '_' | '';
  precision: number; // -1: none
  type: string; // '' when absent
}

const ALIGNS = '<>=^';

function parseSpec(spec: string, typeName: string): Spec {
  const out: Spec = { fill: ' ', align: '', sign: '', z: false, alt: false, width: -1, grouping: '', precision: -1, type: '' };
  // Code points, so a fill character outside the BMP counts as one.
  const cs = Array.from(spec);
  let i = 0;
  let fillGiven = false;
  if (cs.length >= 2 && ALIGNS.includes(cs[1])) {
    out.fill = cs[0];
    out.align = cs[1] as Spec['align'];
    fillGiven = true;
    i = 2;
  } else if (cs.length >= 1 && ALIGNS.includes(cs[0])) {
    out.align = cs[0] as Spec['align'];
    i = 1;
  }
  if (cs[i] === '+' || cs[i] === '-' || cs[i] === ' ') out.sign = cs[i++] as Spec['sign'];
  if (cs[i] === 'z') {
    out.z = true;
    i++;
  }
  if (cs[i] === '#') {
    out.alt = true;
    i++;
  }
  if (cs[i] === '0' && !fillGiven) {
    out.fill = '0';
    if (out.align === '') out.align = '=';
    i++;
  }
  let w = '';
  while (i < cs.length && cs[i] >= '0' && cs[i] <= '9') w += cs[i++];
  if (w) out.width = Number(w);
  if (cs[i] === ',' || cs[i] === '_') {
    out.grouping = cs[i++] as Spec['grouping'];
    if (cs[i] === ',' || cs[i] === '_') {
      if (cs[i] !== out.grouping) throw valueError("Cannot specify both ',' and '_'.");
      throw valueError(`Cannot specify '${out.grouping}' with '${out.grouping}'.`);
    }
  }
  if (cs[i] === '.') {
    i++;
    let p = '';
    while (i < cs.length && cs[i] >= '0' && cs[i] <= '9') p += cs[i++];
    if (!p) throw valueError('Format specifier missing precision');
    out.precision = Number(p);
  }
  if (cs.length - i > 1) throw valueError(`Invalid format specifier '${spec}' for object of type '${typeName}'`);
  if (i < cs.length) out.type = cs[i];
  if (out.grouping) {
    const ok = out.grouping === ','
      ? ['', 'd', 'e', 'f', 'g', 'E', 'G', '%', 'F'].includes(out.type)
      : ['', 'd', 'e', 'f', 'g', 'E', 'G', '%', 'F', 'b', 'o', 'x', 'X'].includes(out.type);
    if (!ok) throw valueError(`Cannot specify '${out.grouping}' with '${out.type}'.`);
  }
  return out;
}

/** Group `digits` from the right, padding with zeros up to `minWidth` as CPython does for '0' fill. */
function groupDigits(digits: string, sep: string, size: number, minWidth: number): string {
  if (digits.length === 0) return '';
  const parts: string[] = [];
  let remaining = digits.length;
  let end = digits.length;
  for (;;) {
    const l = Math.min(size, Math.max(remaining, minWidth, 1));
    const nChars = Math.max(0, Math.min(remaining, l));
    const nZeros = Math.max(0, l - remaining);
    parts.unshift('0'.repeat(nZeros) + digits.slice(end - nChars, end));
    end -= nChars;
    remaining -= nChars;
    minWidth -= l;
    if (remaining <= 0 && minWidth <= 0) break;
    minWidth -= sep.length;
  }
  return parts.join(sep);
}

/**
 * Lay out a number: sign, prefix ('0x'), integer digits (grouped), the rest
 * ('.5e+03', '%'), then fill to width. CPython's calc_number_widths/fill_number.
 */
function layout(spec: Spec, negative: boolean, prefix: string, intDigits: string, rest: string): string {
  const signStr = negative ? '-' : spec.sign === '+' ? '+' : spec.sign === ' ' ? ' ' : '';
  const align = spec.align || '>';
  let body = intDigits;
  const zeroFill = spec.fill === '0' && align === '=';
  if (spec.grouping && intDigits.length > 0) {
    const size = spec.grouping === '_' && 'boxX'.includes(spec.type) && spec.type !== '' ? 4 : 3;
    const minWidth = zeroFill ? spec.width - signStr.length - prefix.length - rest.length : 0;
    body = groupDigits(intDigits, spec.grouping, size, minWidth);
  }
  const core = body + rest;
  const len = signStr.length + prefix.length + Array.from(core).length;
  const pad = Math.max(0, spec.width - len);
  const fill = (n: number) => spec.fill.repeat(n);
  switch (align) {
    case '<': return signStr + prefix + core + fill(pad);
    case '^': return fill(Math.floor(pad / 2)) + signStr + prefix + core + fill(pad - Math.floor(pad / 2));
    case '=': return signStr + prefix + fill(pad) + core;
    default: return fill(pad) + signStr + prefix + core;
  }
}

/** Split a formatted unsigned number into its leading digits and the rest. */
function splitDigits(s: string): [string, string] {
  let i = 0;
  while (i < s.length && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) i++;
  return [s.slice(0, i), s.slice(i)];
}

function formatFloatSpec(x: number, spec: Spec, typeName: string): string {
  let type = spec.type;
  let precision = spec.precision;
  let addDot0 = false;
  let code: FloatCode;
  let pct = false;
  switch (type) {
    case '':
      addDot0 = true;
      code = precision < 0 ? 'r' : 'g';
      break;
    case 'n': case 'g': case 'G': code = 'g'; break;
    case 'e': case 'E': code = 'e'; break;
    case 'f': case 'F': code = 'f'; break;
    case '%': code = 'f'; pct = true; x *= 100; break;
    default:
      throw valueError(`Unknown format code '${type}' for object of type '${typeName}'`);
  }
  if (precision < 0) precision = code === 'r' ? 0 : 6;
  const absx = Math.abs(x);
  let body = floatBody(absx, code, precision, spec.alt, addDot0);
  if (type === 'E' || type === 'F' || type === 'G') body = body.toUpperCase();
  let negative = !Number.isNaN(x) && isNegative(x);
  // 'z' turns a negative zero (after rounding) into a positive one.
  if (negative && spec.z && /^[0.]+$/.test(body.replace(/[eE][+-]\d+$/, ''))) negative = false;
  if (pct) body += '%';
  const [intDigits, rest] = splitDigits(body);
  return layout(spec, negative, '', intDigits, rest);
}

function formatIntSpec(v: bigint, spec: Spec, typeName: string, minDigits = 0): string {
  const type = spec.type;
  if ('eEfFgG%'.includes(type) && type !== '') {
    return formatFloatSpec(Number(v), spec, typeName);
  }
  if (spec.precision >= 0) throw valueError('Precision not allowed in integer format specifier');
  if (spec.z) throw valueError('Negative zero coercion (z) not allowed in integer format specifier');
  const negative = v < 0n;
  const mag = negative ? -v : v;
  let prefix = '';
  let digits: string;
  switch (type) {
    case '': case 'd': case 'n': digits = mag.toString(10); break;
    case 'b': digits = mag.toString(2); prefix = spec.alt ? '0b' : ''; break;
    case 'o': digits = mag.toString(8); prefix = spec.alt ? '0o' : ''; break;
    case 'x': digits = mag.toString(16); prefix = spec.alt ? '0x' : ''; break;
    case 'X': digits = mag.toString(16).toUpperCase(); prefix = spec.alt ? '0X' : ''; break;
    case 'c': {
      if (spec.sign) throw valueError("Sign not allowed with integer format specifier 'c'");
      if (spec.alt) throw valueError("Alternate form (#) not allowed with integer format specifier 'c'");
      if (v < 0n || v > 0x10ffffn) throw new EngineError('OverflowError', '%c arg not in range(0x110000)');
      return layout({ ...spec, grouping: '' }, false, '', '', String.fromCodePoint(Number(v)));
    }
    default:
      throw valueError(`Unknown format code '${type}' for object of type '${typeName}'`);
  }
  return layout(spec, negative, prefix, digits.padStart(minDigits, '0'), '');
}

/**
 * Python `format(value, spec)` for a float (`isInt` false) or an int (`isInt` true;
 * a number must then hold an integer). Raises EngineError('ValueError') as Python does.
 * A bool is an int here (`format(True, 'd')` is '1'); `format(True, '')` is 'True' and is the caller's.
 */
export function formatSpec(value: number | bigint, isInt: boolean, spec: string): string {
  const typeName = isInt ? 'int' : 'float';
  const parsed = parseSpec(spec, typeName);
  if (isInt) {
    const v = typeof value === 'bigint' ? value : BigInt(value);
    return formatIntSpec(v, parsed, typeName);
  }
  return formatFloatSpec(Number(value), parsed, typeName);
}

// ---------------------------------------------------------------------------
// printf-style: '%5.2f' % x

/** One argument to `%`: an int, a float, or something else already turned into text by the caller. */
export type PercentArg =
  | { kind: 'int'; value: bigint | number }
  | { kind: 'float'; value: number }
  | { kind: 'text'; str: string; repr: string; typeName: string };

const typeErr = (m: string) => new EngineError('TypeError', m);

/** Python `template % args` for positional conversions (not the `%(name)s` mapping form). */
export function percentFormat(template: string, args: readonly PercentArg[]): string {
  let out = '';
  let argi = 0;
  const next = (): PercentArg => {
    if (argi >= args.length) throw typeErr('not enough arguments for format string');
    return args[argi++];
  };
  let i = 0;
  while (i < template.length) {
    const c = template[i];
    if (c !== '%') {
      out += c;
      i++;
      continue;
    }
    i++;
    if (i >= template.length) throw valueError('incomplete format');
    if (template[i] === '(') throw typeErr('format requires a mapping');
    let flags = '';
    while (i < template.length && '-+ #0'.includes(template[i])) flags += template[i++];
    let width = '';
    if (template[i] === '*') {
      i++;
      const a = next();
      if (a.kind !== 'int') throw typeErr('* wants int');
      width = String(a.value);
    } else while (i < template.length && template[i] >= '0' && template[i] <= '9') width += template[i++];
    let precision = '';
    if (template[i] === '.') {
      i++;
      if (template[i] === '*') {
        i++;
        const a = next();
        if (a.kind !== 'int') throw typeErr('* wants int');
        precision = String(a.value);
      } else {
        while (i < template.length && template[i] >= '0' && template[i] <= '9') precision += template[i++];
        if (!precision) precision = '0';
      }
    }
    while (i < template.length && 'hlL'.includes(template[i])) i++;
    if (i >= template.length) throw valueError('incomplete format');
    const conv = template[i++];
    if (conv === '%') {
      out += '%';
      continue;
    }
    out += percentOne(conv, flags, width, precision, next(), i - 1);
  }
  if (argi < args.length) throw typeErr('not all arguments converted during string formatting');
  return out;
}

function percentOne(conv: string, flags: string, width: string, precision: string, arg: PercentArg, at: number): string {
  let negWidth = false;
  if (width.startsWith('-')) {
    negWidth = true;
    width = width.slice(1);
  }
  const left = flags.includes('-') || negWidth;
  const sign = flags.includes('+') ? '+' : flags.includes(' ') ? ' ' : '';
  const zero = flags.includes('0') && !left;
  const alt = flags.includes('#');
  const align = left ? '<' : zero ? '=' : '>';
  const fill = zero ? '0' : ' ';
  const build = (type: string, prec: string) =>
    (fill === '0' ? '0' : '') + (align === '=' ? '=' : align) + sign + (alt ? '#' : '') + width + (prec ? '.' + prec : '') + type;

  switch (conv) {
    case 's': case 'r': case 'a': {
      let text: string;
      if (arg.kind === 'text') text = conv === 's' ? arg.str : arg.repr;
      else if (arg.kind === 'int') text = BigInt(arg.value).toString();
      else text = formatPyFloat(arg.value);
      if (precision) text = Array.from(text).slice(0, Number(precision)).join('');
      const pad = Math.max(0, Number(width || 0) - Array.from(text).length);
      return left ? text + ' '.repeat(pad) : ' '.repeat(pad) + text;
    }
    case 'd': case 'i': case 'u': case 'x': case 'X': case 'o': {
      let v: bigint;
      if (arg.kind === 'int') v = BigInt(arg.value);
      else if (arg.kind === 'float') {
        if (conv !== 'd' && conv !== 'i' && conv !== 'u') throw typeErr(`%${conv} format: an integer is required, not float`);
        if (Number.isNaN(arg.value)) throw valueError('cannot convert float NaN to integer');
        if (!Number.isFinite(arg.value)) throw new EngineError('OverflowError', 'cannot convert float infinity to integer');
        v = BigInt(Math.trunc(arg.value));
      } else {
        const what = conv === 'd' || conv === 'i' || conv === 'u' ? 'a real number' : 'an integer';
        throw typeErr(`%${conv} format: ${what} is required, not ${arg.typeName}`);
      }
      const type = conv === 'i' || conv === 'u' ? 'd' : conv;
      // '%#x' gives '0x..' as format() does; '%#o' gives '0o..'.
      // printf precision on ints is a minimum digit count.
      return formatIntSpec(v, parseSpec(build(type, ''), 'int'), 'int', Number(precision || 0));
    }
    case 'e': case 'E': case 'f': case 'F': case 'g': case 'G': {
      let x: number;
      if (arg.kind === 'float') x = arg.value;
      else if (arg.kind === 'int') x = Number(arg.value);
      else throw typeErr(`must be real number, not ${arg.typeName}`);
      return formatFloatSpec(x, parseSpec(build(conv, precision || '6'), 'float'), 'float');
    }
    case 'c': {
      if (arg.kind === 'int') return formatIntSpec(BigInt(arg.value), parseSpec((left ? '<' : '>') + width + 'c', 'int'), 'int');
      if (arg.kind === 'text' && Array.from(arg.str).length === 1) {
        const pad = Math.max(0, Number(width || 0) - 1);
        return left ? arg.str + ' '.repeat(pad) : ' '.repeat(pad) + arg.str;
      }
      throw typeErr('%c requires int or char');
    }
    default:
      throw valueError(`unsupported format character '${conv}' (0x${conv.charCodeAt(0).toString(16)}) at index ${at}`);
  }
}
