// json.dumps / json.loads with CPython's exact formatting (Lib/json/encoder.py:
// separators, indent, ensure_ascii escapes, float repr, NaN/Infinity,
// key coercion, sort_keys) and a decoder that keeps ints and floats apart.

import { formatPyFloat } from '../../engine/format';
import { EXCEPTION_CLASSES, makeException, pyError } from '../../python/exceptions';
import { hashKey } from '../../python/protocols';
import { decodeBytes, PyBytes } from '../../python/bytes';
import {
  CallContext, NativeFn, PyBuiltin, PyClass, PyDict, PyException, PyList, PyModule, PyTuple, PyValue, typeNameOf,
} from '../../python/values';

const fn = (name: string, f: NativeFn) => new PyBuiltin(name, f);

const DECODE_ERROR = new PyClass('JSONDecodeError', [EXCEPTION_CLASSES.get('ValueError')!], 'json.decoder.JSONDecodeError');

/** py_encode_basestring(_ascii): the escapes json uses for strings. */
function encodeString(s: string, ensureAscii: boolean): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\b') out += '\\b';
    else if (ch === '\f') out += '\\f';
    else if (c < 0x20 || (ensureAscii && c > 0x7e)) {
      if (c > 0xffff) {
        const v = c - 0x10000;
        out += u4(0xd800 | (v >> 10)) + u4(0xdc00 | (v & 0x3ff));
      } else out += u4(c);
    } else out += ch;
  }
  return out + '"';
}
const u4 = (c: number) => '\\u' + c.toString(16).padStart(4, '0');

function floatText(x: number, allowNan: boolean): string {
  if (Number.isFinite(x)) return formatPyFloat(x);
  if (!allowNan) throw pyError('ValueError', `Out of range float values are not JSON compliant`);
  return Number.isNaN(x) ? 'NaN' : x > 0 ? 'Infinity' : '-Infinity';
}

interface EncodeOptions {
  indent: string | null;
  itemSep: string;
  keySep: string;
  sortKeys: boolean;
  ensureAscii: boolean;
  allowNan: boolean;
  skipKeys: boolean;
  default: PyValue | null;
}

function encode(v: PyValue, o: EncodeOptions, level: number, ctx: CallContext): string {
  if (v === null) return 'null';
  if (v === true) return 'true';
  if (v === false) return 'false';
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') return floatText(v, o.allowNan);
  if (typeof v === 'string') return encodeString(v, o.ensureAscii);
  const nl = (lvl: number) => (o.indent === null ? '' : '\n' + o.indent.repeat(lvl));
  if (v instanceof PyList || v instanceof PyTuple) {
    if (!v.items.length) return '[]';
    const items = v.items.map((x) => encode(x, o, level + 1, ctx));
    return '[' + nl(level + 1) + items.join(o.itemSep + nl(level + 1)) + nl(level) + ']';
  }
  if (v instanceof PyDict) {
    if (!v.entries.size) return '{}';
    let pairs: [string, PyValue][] = [];
    for (const [k, x] of v.entries.values()) {
      let key: string;
      if (typeof k === 'string') key = k;
      else if (typeof k === 'number') key = floatText(k, o.allowNan);
      else if (k === true || k === false) key = k ? 'true' : 'false';
      else if (k === null) key = 'null';
      else if (typeof k === 'bigint') key = k.toString();
      else if (o.skipKeys) continue;
      else throw pyError('TypeError', `keys must be str, int, float, bool or None, not ${typeNameOf(k)}`);
      pairs.push([key, x]);
    }
    if (o.sortKeys) pairs = pairs.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const items = pairs.map(([k, x]) => encodeString(k, o.ensureAscii) + o.keySep + encode(x, o, level + 1, ctx));
    return '{' + nl(level + 1) + items.join(o.itemSep + nl(level + 1)) + nl(level) + '}';
  }
  if (o.default !== null) return encode(ctx.call(o.default, [v]), o, level, ctx);
  throw pyError('TypeError', `Object of type ${typeNameOf(v)} is not JSON serializable`);
}

const dumps: NativeFn = ([obj], kw, ctx) => {
  const indentArg = kw.get('indent') ?? null;
  const indent = indentArg === null ? null : typeof indentArg === 'string' ? indentArg : ' '.repeat(Math.max(0, Number(indentArg))); // CPython: ' ' * -1 is ''
  const seps = kw.get('separators');
  const [itemSep, keySep] = seps instanceof PyTuple || seps instanceof PyList
    ? (seps.items as string[])
    : [indent === null ? ', ' : ',', ': '];
  return encode(obj ?? null, {
    indent, itemSep, keySep,
    sortKeys: ctx.truthy(kw.get('sort_keys') ?? false),
    ensureAscii: ctx.truthy(kw.get('ensure_ascii') ?? true),
    allowNan: ctx.truthy(kw.get('allow_nan') ?? true),
    skipKeys: ctx.truthy(kw.get('skipkeys') ?? false),
    default: kw.get('default') ?? null,
  }, 0, ctx);
};

/** A JSON decoder that keeps Python's int/float distinction. */
class Decoder {
  private i = 0;
  constructor(private readonly s: string, private readonly ctx: CallContext) {}

  fail(msg: string): never {
    const before = this.s.slice(0, this.i);
    const line = before.split('\n').length;
    const col = this.i - before.lastIndexOf('\n');
    const text = `${msg}: line ${line} column ${col} (char ${this.i})`;
    throw new PyException(makeException(DECODE_ERROR, [text], text));
  }
  ws(): void {
    while (/[ \t\n\r]/.test(this.s[this.i] ?? '')) this.i++;
  }
  document(): PyValue {
    this.ws();
    const v = this.value();
    this.ws();
    if (this.i < this.s.length) this.fail('Extra data');
    return v;
  }
  value(): PyValue {
    const c = this.s[this.i];
    if (c === '{') return this.object();
    if (c === '[') return this.array();
    if (c === '"') return this.string();
    for (const [lit, v] of [['null', null], ['true', true], ['false', false], ['NaN', NaN], ['Infinity', Infinity], ['-Infinity', -Infinity]] as const) {
      if (this.s.startsWith(lit, this.i)) {
        this.i += lit.length;
        return v;
      }
    }
    const m = /^-?(?:0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?/.exec(this.s.slice(this.i));
    if (!m) this.fail('Expecting value');
    this.i += m[0].length;
    return m[1] || m[2] ? Number(m[0]) : BigInt(m[0]);
  }
  string(): string {
    this.i++;
    let out = '';
    for (;;) {
      const c = this.s[this.i++];
      if (c === undefined) this.fail('Unterminated string starting at');
      if (c === '"') return out;
      if (c !== '\\') {
        out += c;
        continue;
      }
      const e = this.s[this.i++];
      const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
      if (e in simple) out += simple[e];
      else if (e === 'u') {
        out += String.fromCharCode(parseInt(this.s.slice(this.i, this.i + 4), 16));
        this.i += 4;
      } else this.fail('Invalid \\escape');
    }
  }
  array(): PyList {
    this.i++;
    const items: PyValue[] = [];
    this.ws();
    if (this.s[this.i] === ']') return (this.i++, new PyList(items));
    for (;;) {
      this.ws();
      items.push(this.value());
      this.ws();
      const c = this.s[this.i++];
      if (c === ']') return new PyList(items);
      if (c !== ',') (this.i--, this.fail("Expecting ',' delimiter"));
    }
  }
  object(): PyDict {
    this.i++;
    const d = new PyDict();
    this.ws();
    if (this.s[this.i] === '}') return (this.i++, d);
    for (;;) {
      this.ws();
      if (this.s[this.i] !== '"') this.fail('Expecting property name enclosed in double quotes');
      const k = this.string();
      this.ws();
      if (this.s[this.i++] !== ':') (this.i--, this.fail("Expecting ':' delimiter"));
      this.ws();
      d.entries.set(hashKey(k, this.ctx), [k, this.value()]);
      this.ws();
      const c = this.s[this.i++];
      if (c === '}') return d;
      if (c !== ',') (this.i--, this.fail("Expecting ',' delimiter"));
    }
  }
}

export function jsonModule(): PyModule {
  const m = new PyModule('json');
  m.dict.set('dumps', fn('dumps', dumps));
  m.dict.set('loads', fn('loads', ([raw], _kw, ctx) => {
    // bytes and bytearray are decoded first (json.loads detects UTF-8 for a document without a BOM)
    const s = raw instanceof PyBytes ? decodeBytes(raw.data, 'utf-8') : raw;
    if (typeof s !== 'string') throw pyError('TypeError', `the JSON object must be str, bytes or bytearray, not ${typeNameOf(s ?? null)}`);
    return new Decoder(s, ctx).document();
  }));
  m.dict.set('JSONDecodeError', DECODE_ERROR);
  for (const n of ['dump', 'load']) {
    m.dict.set(n, fn(n, () => {
      throw pyError('NotImplementedError', `json.${n} touches the file system: Mask Lens evaluates snippets without side effects`);
    }));
  }
  return m;
}
