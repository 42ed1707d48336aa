// Python values in the golden-file JSON shape (result.ts's EncodedValue).

import { assertDtype, dtypeAssertionsOn } from '../engine/dtype';
import { hasWide, int64Values, type Tensor } from '../engine/tensor';
import { DICT_ENTRIES_SHOWN, entriesText, type EncodedNumber, type EncodedValue } from './result';
import { PyDictView } from './sets';
import { PyBytes } from './bytes';
import { PyDict, PyInstance, PyList, PyNamedTuple, PyObj, PySet, PyTuple, type PyValue } from './values';

/** A number as JSON holds it: bools as booleans, non-finite floats as the strings golden.py writes. */
export function encodeNumber(x: number, isBool: boolean): EncodedNumber {
  if (isBool) return x !== 0;
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  return x;
}

/** encodeNumber of every element, in a plain loop (Array.from over a typed array with a mapper is several times slower; a loop that snapshots a tensor each pass pays it each time). */
function encodeData(values: ArrayLike<number>, isBool: boolean): EncodedNumber[] {
  const out = new Array<EncodedNumber>(values.length);
  for (let i = 0; i < values.length; i++) {
    const x = values[i];
    out[i] = isBool ? x !== 0 : x - x === 0 ? x : encodeNumber(x, false); // x - x is 0 for finite x only
  }
  return out;
}

/** An int64 tensor's elements beyond 2^53 (those a double cannot hold), as [flat index, exact digits]. */
function exactInt64(t: Tensor): [number, string][] {
  const out: [number, string][] = [];
  int64Values(t).forEach((x, i) => {
    if (x > BigInt(Number.MAX_SAFE_INTEGER) || x < -BigInt(Number.MAX_SAFE_INTEGER)) out.push([i, x.toString()]);
  });
  return out;
}

/**
 * A tensor in the golden JSON shape, for the frameworks' PyObj.encode: `type`
 * is the class golden.py writes ('torch.Tensor', 'numpy.ndarray',
 * 'tf.Tensor'), `dtype` its dtype's name there ('torch.float32', 'int64').
 * Past `inlineElements` elements the data is left out (`elided`); an int64
 * beyond 2^53 carries its exact digits (`exact`).
 */
export function encodeTensor(t: Tensor, type: 'torch.Tensor' | 'numpy.ndarray' | 'tf.Tensor', dtype: string, inlineElements = Infinity): EncodedValue {
  // the storage, not the view: an expanded view may be far larger than what it reads
  if (dtypeAssertionsOn()) assertDtype(t.dtype, t.storage.data, 'a result', t.storage.wide);
  const shape = [...t.shape];
  if (t.numel > inlineElements) return { type, dtype, shape, data: [], elided: true };
  const data = encodeData(t.values(), t.dtype === 'bool');
  const exact = t.dtype === 'int64' && hasWide(t) ? exactInt64(t) : [];
  return { type, dtype, shape, data, ...(exact.length ? { exact } : {}) };
}

/**
 * A list, a tuple or a tuple type (torch.Size: 'Size'; a namedtuple class's name, as the
 * golden records `type(v).__name__`) with its items, or undefined when one item is skipped or there are too many.
 */
export function encodeItems(items: readonly PyValue[], type: string, inlineElements = Infinity): EncodedValue | undefined {
  if (items.length > inlineElements) return undefined;
  const encoded = items.map((x) => encodeValue(x, inlineElements));
  if (encoded.some((i) => i === undefined)) return undefined;
  return { type: type as 'list' | 'tuple', items: encoded as EncodedValue[] };
}

/**
 * A Python value in the golden JSON shape, or undefined for what golden.py
 * skips. Framework objects encode themselves (PyObj.encode); a named tuple
 * (torch.Size, torch.return_types.max) as its class name and items. A tensor of more than
 * `inlineElements` elements keeps its shape and dtype but not its data
 * (`elided`); a longer list or tuple is skipped.
 */
export function encodeValue(v: PyValue, inlineElements = Infinity): EncodedValue | undefined {
  if (typeof v === 'boolean') return { type: 'bool', value: v };
  if (typeof v === 'bigint') return { type: 'int', value: Number(v), ...(Number.isSafeInteger(Number(v)) ? {} : { exact: v.toString() }) };
  if (typeof v === 'number') return { type: 'float', value: encodeNumber(v, false) };
  if (typeof v === 'string') return { type: 'str', value: v };
  // a namedtuple class's instance, or a framework's named tuple (torch.return_types.max): golden.py's {type: its class name, items}
  if (v instanceof PyNamedTuple) return v.cls ? encodeItems(v.items, v.cls.name, inlineElements) : v.encode(inlineElements) ?? encodeItems(v.items, v.typeName, inlineElements);
  if (v instanceof PyList || v instanceof PyTuple) return encodeItems(v.items, v instanceof PyList ? 'list' : 'tuple', inlineElements);
  return v instanceof PyObj ? v.encode(inlineElements) : undefined;
}

/**
 * A value as a snapshot records it for the editor: what encodeValue gives,
 * else None, sets, dict views, bytes and @dataclass instances (llama's ModelArgs,
 * nanoGPT's GPTConfig) as `{ type: 'object' }`, shown by their repr. Other objects
 * (modules, functions, layers) stay out: their reprs are long or say nothing.
 */
export function encodeShown(v: PyValue, inlineElements = Infinity, repr: (v: PyValue) => string = String): EncodedValue | undefined {
  const enc = encodeValue(v, inlineElements);
  if (enc) return enc;
  if (v === null) return { type: 'object', class: 'NoneType' };
  if (v instanceof PyDict) return encodeDict(v, repr);
  // sets and dict views (dict_keys, ...): shown by their repr, which lists them in CPython's order
  if (v instanceof PySet || v instanceof PyDictView) return { type: 'object', class: v.typeName };
  // bytes and bytearray: shown by their repr (b'\x01\x02'), as a str is by its value
  if (v instanceof PyBytes) return { type: 'object', class: v.typeName };
  // a dataclass's class (or a base) carries the fields table @dataclass set (CPython's __dataclass_fields__)
  if (v instanceof PyInstance && v.cls.lookup('__dataclass_fields__') !== undefined) return { type: 'object', class: v.cls.name };
  // a framework object its class says to show by repr (a dtype)
  if (v instanceof PyObj && v.shownByRepr) return { type: 'object', class: v.typeName };
  return undefined;
}

/** Keys and values printed whole by repr: short, and cheap to print. */
function isPlain(v: PyValue): boolean {
  return v === null || typeof v === 'boolean' || typeof v === 'number' || typeof v === 'bigint' || typeof v === 'string' || (v instanceof PyTuple && v.items.length <= 4 && v.items.every(isPlain));
}

/** A short text, cut with an ellipsis past `max` characters. */
export function cut(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/**
 * One dict value as its entry shows it: a tensor's dtype and shape (torch's
 * `torch.float32 [2, 4, 8]`, NumPy's `int64 (2, 4)`), a plain value's repr,
 * a container's length, another object's class.
 */
function valueSummary(v: PyValue, repr: (v: PyValue) => string): string {
  const own = v instanceof PyObj ? v.entrySummary(repr) : undefined;
  if (own !== undefined) return own;
  if (isPlain(v)) return cut(repr(v), 60);
  if (v instanceof PyDict) return `${v.typeName} (${entriesText(v.entries.size)})`;
  if (v instanceof PyList || v instanceof PyTuple) return `${v instanceof PyList ? 'list' : 'tuple'} (${v.items.length} item${v.items.length === 1 ? '' : 's'})`;
  if (v instanceof PyInstance) return `${v.cls.name}(…)`;
  return v instanceof PyObj ? v.typeName : typeof v;
}

/**
 * A dict for the editor (EncodedValue 'dict'): its first DICT_ENTRIES_SHOWN
 * entries in insertion order, keys by repr (an object key, such as whisper's
 * kv_cache's Linear modules, by its class) and values by valueSummary.
 */
function encodeDict(d: PyDict, repr: (v: PyValue) => string): EncodedValue {
  const entries: { key: string; summary: string }[] = [];
  for (const [key, value] of d.entries.values()) {
    if (entries.length === DICT_ENTRIES_SHOWN) break;
    entries.push({ key: isPlain(key) ? cut(repr(key), 60) : valueSummary(key, repr), summary: valueSummary(value, repr) });
  }
  return { type: 'dict', class: d.typeName, size: d.entries.size, entries };
}
