// bytes and bytearray: immutable and mutable sequences of 0..255 held in a
// Uint8Array. As much of Objects/bytesobject.c and bytearrayobject.c as code
// that builds a buffer for numpy.frombuffer (or reads one back from
// ndarray.tobytes) needs: the constructors and their errors, repr, len,
// indexing and slicing, iteration, `in`, ==/< comparison, +, * and hashing
// (bytes only), decode, hex, and the common str-like methods (startswith,
// endswith, find, count, split, strip, replace, upper, lower).

import { pyError } from './exceptions';
import { CallContext, Kwargs, PyBuiltin, PyList, PyObj, PySlice, PyTuple, PyValue, orderVerdict, typeNameOf } from './values';

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
    return orderVerdict(op, compareBytes(a, b));
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
  if (x instanceof PyMemoryView) return new PyBytes(x.bytes().slice(), mutable);
  if (typeof x === 'number' || x === null) throw pyError('TypeError', `cannot convert '${typeNameOf(x)}' object to ${mutable ? 'bytearray' : 'bytes'}`);
  const range = mutable ? 'byte must be in range(0, 256)' : 'bytes must be in range(0, 256)';
  return new PyBytes(Uint8Array.from(ctx.iterate(x), (v) => byteValue(v, range)), mutable);
}

// ---------------------------------------------------------------- memoryview

/** struct's native single-character formats a memoryview can hold: item size and how to read and write one. */
const MV_FORMATS: Record<string, { size: number; kind: 'int' | 'uint' | 'float' | 'bool' | 'char' }> = {
  B: { size: 1, kind: 'uint' }, b: { size: 1, kind: 'int' }, c: { size: 1, kind: 'char' }, '?': { size: 1, kind: 'bool' },
  H: { size: 2, kind: 'uint' }, h: { size: 2, kind: 'int' }, I: { size: 4, kind: 'uint' }, i: { size: 4, kind: 'int' },
  L: { size: 8, kind: 'uint' }, l: { size: 8, kind: 'int' }, Q: { size: 8, kind: 'uint' }, q: { size: 8, kind: 'int' },
  N: { size: 8, kind: 'uint' }, n: { size: 8, kind: 'int' }, f: { size: 4, kind: 'float' }, d: { size: 8, kind: 'float' },
};
const BYTE_FORMATS = new Set(['B', 'b', 'c']);

/**
 * memoryview(obj) over bytes or a bytearray (Objects/memoryobject.c), one-dimensional:
 * it shares the object's memory, so writes through a view of a bytearray change it and
 * a write into the bytearray shows in the view. len, indexing (items of its format),
 * slicing (views, strided too), item assignment (TypeError 'cannot modify read-only
 * memory' over bytes), iteration, tobytes, tolist, hex, cast to and from a byte format,
 * == and the attributes readonly, format, itemsize, nbytes, ndim, shape, strides, obj.
 */
export class PyMemoryView extends PyObj {
  constructor(
    /** The exporter's memory (bytes.data or bytearray.data). */
    readonly base: Uint8Array,
    readonly obj: PyBytes,
    readonly start = 0,
    readonly count = base.length,
    /** Byte distance between items. */
    readonly stride = 1,
    readonly format = 'B',
  ) {
    super();
  }
  get typeName() {
    return 'memoryview';
  }
  get readonly(): boolean {
    return !this.obj.mutable;
  }
  get itemsize(): number {
    return MV_FORMATS[this.format].size;
  }
  get contiguous(): boolean {
    return this.stride === this.itemsize || this.count <= 1;
  }
  /** The view's bytes: the shared memory itself when contiguous, else a copy in item order. */
  bytes(): Uint8Array {
    const n = this.itemsize;
    if (this.contiguous) return this.base.subarray(this.start, this.start + this.count * n);
    const out = new Uint8Array(this.count * n);
    for (let k = 0; k < this.count; k++) out.set(this.base.subarray(this.start + k * this.stride, this.start + k * this.stride + n), k * n);
    return out;
  }
  override repr(): string {
    return '<memory at 0x7f0000000000>';
  }
  override length(): number {
    return this.count;
  }
  override iterate(): PyValue[] {
    return Array.from({ length: this.count }, (_, k) => this.read(k));
  }
  private view(k: number): DataView {
    return new DataView(this.base.buffer, this.base.byteOffset + this.start + k * this.stride, this.itemsize);
  }
  private read(k: number): PyValue {
    const { size, kind } = MV_FORMATS[this.format];
    const v = this.view(k);
    if (kind === 'char') return new PyBytes(Uint8Array.of(v.getUint8(0)));
    if (kind === 'bool') return v.getUint8(0) !== 0;
    if (kind === 'float') return size === 4 ? v.getFloat32(0, true) : v.getFloat64(0, true);
    const signed = kind === 'int';
    switch (size) {
      case 1: return BigInt(signed ? v.getInt8(0) : v.getUint8(0));
      case 2: return BigInt(signed ? v.getInt16(0, true) : v.getUint16(0, true));
      case 4: return BigInt(signed ? v.getInt32(0, true) : v.getUint32(0, true));
      default: return signed ? v.getBigInt64(0, true) : v.getBigUint64(0, true);
    }
  }
  private write(k: number, value: PyValue): void {
    const { size, kind } = MV_FORMATS[this.format];
    const v = this.view(k);
    const invalid = (what: 'type' | 'value') => pyError(what === 'type' ? 'TypeError' : 'ValueError', `memoryview: invalid ${what} for format '${this.format}'`);
    if (kind === 'char') {
      if (!(value instanceof PyBytes) || value.data.length !== 1) throw invalid(value instanceof PyBytes ? 'value' : 'type');
      v.setUint8(0, value.data[0]);
      return;
    }
    if (kind === 'bool') {
      v.setUint8(0, value === true || (typeof value === 'bigint' && value !== 0n) || (typeof value === 'number' && value !== 0) ? 1 : 0);
      return;
    }
    if (kind === 'float') {
      if (typeof value !== 'number' && typeof value !== 'bigint' && typeof value !== 'boolean') throw invalid('type');
      const x = Number(value);
      if (size === 4) v.setFloat32(0, x, true);
      else v.setFloat64(0, x, true);
      return;
    }
    if (typeof value !== 'bigint' && typeof value !== 'boolean') throw invalid('type');
    const x = typeof value === 'boolean' ? (value ? 1n : 0n) : value;
    const bits = BigInt(size * 8);
    const lo = kind === 'int' ? -(1n << (bits - 1n)) : 0n;
    const hi = kind === 'int' ? (1n << (bits - 1n)) - 1n : (1n << bits) - 1n;
    if (x < lo || x > hi) throw invalid('value');
    if (size === 8) {
      if (kind === 'int') v.setBigInt64(0, x, true);
      else v.setBigUint64(0, x, true);
    } else {
      // two's complement in `size` bytes, little-endian
      let u = Number(BigInt.asUintN(size * 8, x));
      for (let b = 0; b < size; b++, u = Math.floor(u / 256)) v.setUint8(b, u % 256);
    }
  }
  private index(key: PyValue): number {
    if (typeof key !== 'bigint' && typeof key !== 'boolean') throw pyError('TypeError', 'memoryview: invalid slice key');
    const i = Number(key);
    const at = i < 0 ? i + this.count : i;
    if (at < 0 || at >= this.count) throw pyError('IndexError', 'index out of bounds on dimension 1');
    return at;
  }
  override getItem(key: PyValue, ctx: CallContext): PyValue | undefined {
    if (key instanceof PySlice) {
      const { start, stop, step } = (ctx as unknown as { sliceIndices(s: PySlice, n: number): { start: number; stop: number; step: number } }).sliceIndices(key, this.count);
      const n = step > 0 ? Math.max(0, Math.ceil((stop - start) / step)) : Math.max(0, Math.ceil((stop - start) / step));
      return new PyMemoryView(this.base, this.obj, this.start + start * this.stride, n, this.stride * step, this.format);
    }
    return this.read(this.index(key));
  }
  override setItem(key: PyValue, value: PyValue): boolean {
    if (this.readonly) throw pyError('TypeError', 'cannot modify read-only memory');
    if (key instanceof PySlice) throw pyError('NotImplementedError', 'memoryview slice assignment is not supported by Mask Lens yet');
    this.write(this.index(key), value);
    return true;
  }
  override compare(op: string, other: PyValue): PyValue | undefined {
    if (op !== '==' && op !== '!=') return undefined;
    const data = other instanceof PyBytes ? other.data : other instanceof PyMemoryView ? other.bytes() : undefined;
    const same = data !== undefined && compareBytes(this.bytes(), data) === 0;
    return op === '==' ? same : !same;
  }
  override getAttr(name: string): PyValue | undefined {
    const m = (f: (args: PyValue[]) => PyValue) => new PyBuiltin(name, (args) => f(args), `memoryview.${name}`);
    switch (name) {
      case 'readonly': return this.readonly;
      case 'format': return this.format;
      case 'itemsize': return BigInt(this.itemsize);
      case 'nbytes': return BigInt(this.count * this.itemsize);
      case 'ndim': return 1n;
      case 'shape': return new PyTuple([BigInt(this.count)]);
      case 'strides': return new PyTuple([BigInt(this.stride)]);
      case 'obj': return this.obj;
      case 'contiguous': case 'c_contiguous': return this.contiguous;
      case 'tobytes': return m(() => new PyBytes(this.bytes().slice()));
      case 'tolist': return m(() => new PyList(this.iterate()));
      case 'hex': return m(() => Array.from(this.bytes(), (x) => x.toString(16).padStart(2, '0')).join(''));
      case 'release': return m(() => null);
      case 'cast': return m(([format, shape]) => {
        if (typeof format !== 'string') throw pyError('TypeError', `memoryview.cast() argument 'format' must be str, not ${typeNameOf(format ?? null)}`);
        const f = format.startsWith('@') ? format.slice(1) : format;
        if (!(f in MV_FORMATS)) throw pyError('ValueError', "memoryview: destination format must be a native single character format prefixed with an optional '@'");
        if (shape !== undefined && shape !== null) throw pyError('NotImplementedError', 'memoryview.cast(format, shape) is not supported by Mask Lens yet');
        if (!this.contiguous) throw pyError('TypeError', 'memoryview: casts are restricted to C-contiguous views');
        if (!BYTE_FORMATS.has(this.format) && !BYTE_FORMATS.has(f)) throw pyError('TypeError', 'memoryview: cannot cast between two non-byte formats');
        const nbytes = this.count * this.itemsize, size = MV_FORMATS[f].size;
        if (nbytes % size !== 0) throw pyError('TypeError', 'memoryview: length is not a multiple of itemsize');
        return new PyMemoryView(this.base, this.obj, this.start, nbytes / size, size, f);
      });
    }
    return undefined;
  }
}

/** memoryview(obj): TypeError 'memoryview: a bytes-like object is required, not ...' for anything but bytes, bytearray, memoryview. */
export function makeMemoryView(obj: PyValue): PyMemoryView {
  if (obj instanceof PyMemoryView) return new PyMemoryView(obj.base, obj.obj, obj.start, obj.count, obj.stride, obj.format);
  if (obj instanceof PyBytes) return new PyMemoryView(obj.data, obj);
  throw pyError('TypeError', `memoryview: a bytes-like object is required, not '${typeNameOf(obj)}'`);
}

/**
 * The memory a buffer-protocol argument exposes (bytes, bytearray, a memoryview of
 * them): the shared bytes when contiguous, else a copy, and whether they may be written.
 * Undefined for anything else.
 */
export function bufferOf(v: PyValue): { data: Uint8Array; writable: boolean } | undefined {
  if (v instanceof PyBytes) return { data: v.data, writable: v.mutable };
  if (v instanceof PyMemoryView) return { data: v.bytes(), writable: !v.readonly && v.contiguous };
  return undefined;
}
