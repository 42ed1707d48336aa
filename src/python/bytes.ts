// bytes and bytearray: immutable and mutable sequences of 0..255 held in a
// Uint8Array. As much of Objects/bytesobject.c and bytearrayobject.c as code
// that builds a buffer for numpy.frombuffer (or reads one back from
// ndarray.tobytes) needs: the constructors and their errors, repr, len,
// indexing and slicing, iteration, `in`, ==/< comparison, +, * and hashing
// (bytes only), decode, hex, and the common str-like methods (startswith,
// endswith, find, count, split, strip, replace, upper, lower).

import { pyError } from './exceptions';
import { CallContext, Kwargs, PyBuiltin, PyList, PyObj, PySlice, PyTuple, PyValue, typeNameOf } from './values';

export class PyBytes extends PyObj {
  /** `mutable`: a bytearray (item assignment, unhashable, repr `bytearray(b'...')`). */
  constructor(readonly data: Uint8Array, readonly mutable = false) {
    super();
  }
  get typeName() {
    return this.mutable ? 'bytearray' : 'bytes';
  }
  /** The bytes of a latin-1 string (a bytes literal's decoded escapes: one char per byte). */
  static fromLatin1(s: string): PyBytes {
    return new PyBytes(Uint8Array.from(s, (c) => c.charCodeAt(0)));
  }
  override repr(): string {
    const body = bytesLiteral(this.data);
    return this.mutable ? `bytearray(${body})` : body;
  }
  override length(): number {
    return this.data.length;
  }
  override truthy(): boolean {
    return this.data.length > 0;
  }
  override iterate(): PyValue[] {
    return Array.from(this.data, (x) => BigInt(x));
  }
  override getItem(key: PyValue, ctx: CallContext): PyValue | undefined {
    if (key instanceof PySlice) {
      const { start, stop, step } = (ctx as unknown as { sliceIndices(s: PySlice, n: number): { start: number; stop: number; step: number } }).sliceIndices(key, this.data.length);
      const out: number[] = [];
      for (let i = start; step > 0 ? i < stop : i > stop; i += step) out.push(this.data[i]);
      return new PyBytes(Uint8Array.from(out), this.mutable);
    }
    if (typeof key !== 'bigint' && typeof key !== 'boolean') {
      throw pyError('TypeError', `${this.typeName} indices must be integers or slices, not ${typeNameOf(key)}`);
    }
    return BigInt(this.data[this.index(Number(key))]);
  }
  override setItem(key: PyValue, value: PyValue, _ctx: CallContext): boolean {
    if (!this.mutable) return false;
    if (typeof key !== 'bigint' && typeof key !== 'boolean') {
      throw pyError('TypeError', `bytearray indices must be integers or slices, not ${typeNameOf(key)}`);
    }
    this.data[this.index(Number(key))] = byteValue(value, 'byte must be in range(0, 256)');
    return true;
  }
  override compare(op: string, other: PyValue, reflected: boolean): PyValue | undefined {
    if (op === '__contains__') return this.contains(other);
    if (!(other instanceof PyBytes)) return op === '==' ? false : op === '!=' ? true : undefined;
    const [a, b] = reflected ? [other.data, this.data] : [this.data, other.data];
    const c = compareBytes(a, b);
    switch (op) {
      case '==': return c === 0;
      case '!=': return c !== 0;
      case '<': return c < 0;
      case '<=': return c <= 0;
      case '>': return c > 0;
      case '>=': return c >= 0;
    }
    return undefined;
  }
  override binaryOp(op: string, other: PyValue, reflected: boolean): PyValue | undefined {
    if (op === '+' && !reflected) {
      if (!(other instanceof PyBytes)) throw pyError('TypeError', `can't concat ${typeNameOf(other)} to ${this.typeName}`);
      const out = new Uint8Array(this.data.length + other.data.length);
      out.set(this.data);
      out.set(other.data, this.data.length);
      return new PyBytes(out, this.mutable);
    }
    if (op === '*' && (typeof other === 'bigint' || typeof other === 'boolean')) {
      const n = Math.max(0, Number(other));
      const out = new Uint8Array(this.data.length * n);
      for (let i = 0; i < n; i++) out.set(this.data, i * this.data.length);
      return new PyBytes(out, this.mutable);
    }
    return undefined;
  }
  override getAttr(name: string): PyValue | undefined {
    const m = (f: (args: PyValue[], kw: Kwargs) => PyValue) => new PyBuiltin(name, (args, kw) => f(args, kw), `${this.typeName}.${name}`);
    const text = () => latin1(this.data);
    const same = (t: string) => new PyBytes(Uint8Array.from(t, (c) => c.charCodeAt(0)), this.mutable);
    /** A bytes-like argument as latin-1 text; TypeError (`message`) for anything else. */
    const arg = (v: PyValue | undefined, message: (type: string) => string) => {
      if (v instanceof PyBytes) return latin1(v.data);
      throw pyError('TypeError', message(typeNameOf(v ?? null)));
    };
    const bytesLike = (t: string) => `a bytes-like object is required, not '${t}'`;
    // the str methods of the same name, over the bytes as latin-1 text (one char per byte)
    switch (name) {
      case 'decode': return m(([encoding]) => decodeBytes(this.data, encoding === undefined ? 'utf-8' : String(encoding)));
      case 'hex': return m(() => Array.from(this.data, (x) => x.toString(16).padStart(2, '0')).join(''));
      case 'startswith': case 'endswith': return m(([prefix]) => {
        const options = prefix instanceof PyTuple ? prefix.items : [prefix];
        const what = (t: string) => `${name} first arg must be bytes or a tuple of bytes, not ${t}`;
        return options.some((p) => (name === 'startswith' ? text().startsWith(arg(p, what)) : text().endsWith(arg(p, what))));
      });
      case 'find': case 'count': return m(([sub]) => {
        const needle = typeof sub === 'bigint' ? String.fromCharCode(Number(sub)) : arg(sub, (t) => `argument should be integer or bytes-like object, not '${t}'`);
        if (name === 'find') return BigInt(text().indexOf(needle));
        return BigInt(needle === '' ? this.data.length + 1 : text().split(needle).length - 1);
      });
      case 'split': return m(([sep]) => {
        const parts = sep === undefined || sep === null ? text().split(/[ \t\n\r\x0b\x0c]+/).filter((x) => x) : text().split(arg(sep, bytesLike));
        return new PyList(parts.map(same));
      });
      case 'strip': return m(() => same(text().replace(/^[ \t\n\r\x0b\x0c]+|[ \t\n\r\x0b\x0c]+$/g, '')));
      case 'replace': return m(([old, repl]) => same(text().split(arg(old, bytesLike)).join(arg(repl, bytesLike))));
      case 'upper': return m(() => same(text().replace(/[a-z]/g, (c) => c.toUpperCase())));
      case 'lower': return m(() => same(text().replace(/[A-Z]/g, (c) => c.toLowerCase())));
    }
    return undefined;
  }

  /** The element offset of index `i` (negative from the end); IndexError past either end. */
  private index(i: number): number {
    const at = i < 0 ? i + this.data.length : i;
    if (at < 0 || at >= this.data.length) throw pyError('IndexError', `${this.mutable ? 'bytearray ' : ''}index out of range`);
    return at;
  }

  /** `x in b`: an int byte value, or a bytes-like subsequence (bytes_contains). */
  private contains(item: PyValue): boolean {
    if (item instanceof PyBytes) {
      const n = item.data.length;
      outer: for (let i = 0; i + n <= this.data.length; i++) {
        for (let j = 0; j < n; j++) if (this.data[i + j] !== item.data[j]) continue outer;
        return true;
      }
      return false;
    }
    if (typeof item === 'bigint' || typeof item === 'boolean') return this.data.includes(byteValue(item, 'byte must be in range(0, 256)'));
    throw pyError('TypeError', `a bytes-like object is required, not '${typeNameOf(item)}'`);
  }
}

/** One char per byte (latin-1), in chunks: spreading a large array into fromCharCode would overflow the stack. */
export function latin1(data: Uint8Array): string {
  let out = '';
  for (let i = 0; i < data.length; i += 8192) out += String.fromCharCode(...data.subarray(i, i + 8192));
  return out;
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

/** An int in 0..255; ValueError `rangeMessage` outside, TypeError for a non-int (PyNumber_AsSsize_t's wording). */
function byteValue(v: PyValue, rangeMessage: string): number {
  if (typeof v !== 'bigint' && typeof v !== 'boolean') throw pyError('TypeError', `'${typeNameOf(v)}' object cannot be interpreted as an integer`);
  const n = typeof v === 'boolean' ? (v ? 1 : 0) : Number(v);
  if (n < 0 || n > 255) throw pyError('ValueError', rangeMessage);
  return n;
}

/**
 * bytes_repr: b'...' (double quotes when the bytes hold ' and no "), with
 * \\, the quote, \t \n \r escaped and bytes outside 0x20..0x7e as \xhh.
 */
export function bytesLiteral(data: Uint8Array): string {
  const quote = data.includes(0x27) && !data.includes(0x22) ? '"' : "'";
  let out = 'b' + quote;
  for (const x of data) {
    if (x === quote.charCodeAt(0) || x === 0x5c) out += '\\' + String.fromCharCode(x);
    else if (x === 0x09) out += '\\t';
    else if (x === 0x0a) out += '\\n';
    else if (x === 0x0d) out += '\\r';
    else if (x < 0x20 || x >= 0x7f) out += '\\x' + x.toString(16).padStart(2, '0');
    else out += String.fromCharCode(x);
  }
  return out + quote;
}

const ENCODINGS: Record<string, 'utf-8' | 'ascii' | 'latin-1'> = {
  'utf-8': 'utf-8', utf8: 'utf-8', 'utf_8': 'utf-8', ascii: 'ascii', 'us-ascii': 'ascii', 'latin-1': 'latin-1', latin1: 'latin-1', 'iso-8859-1': 'latin-1',
};

function codec(encoding: string): 'utf-8' | 'ascii' | 'latin-1' {
  const c = ENCODINGS[encoding.toLowerCase().replace(/_/g, '-')] ?? ENCODINGS[encoding.toLowerCase()];
  if (!c) throw pyError('LookupError', `unknown encoding: ${encoding}`);
  return c;
}

/** str.encode / bytes(str, encoding) for utf-8, ascii and latin-1 (UnicodeEncodeError as CPython words it). */
export function encodeString(s: string, encoding: string): Uint8Array {
  const c = codec(encoding);
  if (c === 'utf-8') return new TextEncoder().encode(s);
  const limit = c === 'ascii' ? 128 : 256;
  const chars = [...s];
  const out = new Uint8Array(chars.length);
  chars.forEach((ch, i) => {
    const code = ch.codePointAt(0)!;
    if (code >= limit) {
      const shown = code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : code < 0x10000 ? `\\u${code.toString(16).padStart(4, '0')}` : `\\U${code.toString(16).padStart(8, '0')}`;
      throw pyError('UnicodeEncodeError', `'${c === 'ascii' ? 'ascii' : 'latin-1'}' codec can't encode character '${shown}' in position ${i}: ordinal not in range(${limit})`);
    }
    out[i] = code;
  });
  return out;
}

/** bytes.decode(encoding) for utf-8, ascii and latin-1 (UnicodeDecodeError on bytes the codec refuses). */
export function decodeBytes(data: Uint8Array, encoding: string): string {
  const c = codec(encoding);
  if (c === 'latin-1') return latin1(data);
  if (c === 'ascii') {
    const bad = data.findIndex((x) => x >= 128);
    if (bad >= 0) throw pyError('UnicodeDecodeError', `'ascii' codec can't decode byte 0x${data[bad].toString(16)} in position ${bad}: ordinal not in range(128)`);
    return latin1(data);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(data);
  } catch {
    throw pyError('UnicodeDecodeError', "'utf-8' codec can't decode bytes: invalid utf-8");
  }
}

/**
 * bytes(x) / bytearray(x) (bytes_new, bytearray_init): no argument is empty;
 * an int n is n zero bytes (ValueError 'negative count'); a str needs an
 * encoding (TypeError 'string argument without an encoding'); a bytes-like
 * object is copied; any other iterable gives its ints, each in 0..255
 * (ValueError 'bytes must be in range(0, 256)'; bytearray says 'byte').
 */
export function makeBytes(args: PyValue[], kw: Kwargs, ctx: CallContext, mutable: boolean): PyBytes {
  const [x, encoding] = [args[0] ?? kw.get('source'), args[1] ?? kw.get('encoding')];
  if (x === undefined) return new PyBytes(new Uint8Array(0), mutable);
  if (typeof x === 'string') {
    if (encoding === undefined) throw pyError('TypeError', 'string argument without an encoding');
    return new PyBytes(encodeString(x, String(encoding)), mutable);
  }
  if (encoding !== undefined) throw pyError('TypeError', 'encoding without a string argument');
  if (typeof x === 'bigint' || typeof x === 'boolean') {
    const n = Number(x);
    if (n < 0) throw pyError('ValueError', 'negative count');
    return new PyBytes(new Uint8Array(n), mutable);
  }
  if (x instanceof PyBytes) return new PyBytes(x.data.slice(), mutable);
  if (typeof x === 'number' || x === null) throw pyError('TypeError', `cannot convert '${typeNameOf(x)}' object to ${mutable ? 'bytearray' : 'bytes'}`);
  const range = mutable ? 'byte must be in range(0, 256)' : 'bytes must be in range(0, 256)';
  return new PyBytes(Uint8Array.from(ctx.iterate(x), (v) => byteValue(v, range)), mutable);
}
