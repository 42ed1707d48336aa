// The CLI's --json output for results whose big tensors stayed in the worker
// (issue #16): the result is evaluated with tensors past a size elided, then
// each elided top-level value is fetched as one typed array and written in
// chunks, straight from the typed array. Building a JS array of 16.7M
// encoded numbers, cloning it out of the worker and JSON.stringify-ing it
// took seconds and gigabytes; this takes a copy of the storage and a join.
// The text is byte-for-byte what JSON.stringify of the inlined value gives.

import type { TypedData } from '../engine/tensor';
import type { EncodedValue, RunResult } from '../python/result';
import type { ValueRef } from './protocol';

type Tensorish = Extract<EncodedValue, { data: unknown }>;

function isElided(v: EncodedValue | undefined): v is Tensorish & { elided: true } {
  return v !== undefined && 'elided' in v && v.elided === true;
}

/**
 * The elided tensors of one evaluation's result that the worker can hand
 * back whole: top-level variables, and the locals and return values of
 * recorded calls. Adds each (by object identity) to `refs`.
 */
export function elidedRefs(result: RunResult, evaluation: number, refs: Map<object, ValueRef>): Map<object, ValueRef> {
  for (const [name, v] of Object.entries(result.variables)) {
    if (isElided(v)) refs.set(v, { evaluation, address: { kind: 'variable', name } });
  }
  (result.calls ?? []).forEach((c, call) => {
    c.timeline.forEach((s, index) => {
      if (isElided(s.value)) refs.set(s.value, { evaluation, address: { kind: 'call', call, index } });
    });
    if (c.returned && isElided(c.returned.value)) refs.set(c.returned.value, { evaluation, address: { kind: 'call', call, index: -1 } });
  });
  return refs;
}

/** Elements per chunk of text: big enough for join to be fast, small enough that no one string is huge. */
const CHUNK = 1 << 18;

/** ASCII bytes to text (every byte written below is ASCII, where latin1 and UTF-8 agree). */
const ascii = new TextDecoder('latin1');

/**
 * The JSON text of a tensor's `data` array, in chunks: what JSON.stringify
 * writes for encodeNumber's values (booleans for bool; 'nan', 'inf', '-inf'
 * as strings; finite numbers as JavaScript prints them, -0 as 0). Integers
 * (most masks and counts) are written digit by digit into a byte buffer,
 * several times faster than the engine's number-to-string conversion.
 */
export function* dataJson(data: TypedData, isBool: boolean): Generator<string> {
  yield '[';
  // the longest element: '"-inf"', 'false', or a double's shortest form (at most 24 characters)
  const buf = new Uint8Array(Math.min(data.length, CHUNK) * 26 + 1);
  const digits = new Uint8Array(16);
  for (let start = 0; start < data.length; start += CHUNK) {
    const end = Math.min(data.length, start + CHUNK);
    let p = 0;
    if (start > 0) buf[p++] = 44; // ','
    for (let i = start; i < end; ) {
      if (i > start) buf[p++] = 44;
      const t0 = p;
      let x = data[i];
      if (isBool) p = put(buf, p, x !== 0 ? 'true' : 'false');
      else if (Number.isInteger(x) && x > -1e15 && x < 1e15) {
        if (x < 0) (buf[p++] = 45), (x = -x); // '-' (-0 is written as 0, as JSON.stringify does)
        let n = 0;
        do {
          digits[n++] = 48 + (x % 10);
          x = Math.floor(x / 10);
        } while (x > 0);
        while (n > 0) buf[p++] = digits[--n];
      } else p = put(buf, p, Number.isNaN(x) ? '"nan"' : x === Infinity ? '"inf"' : x === -Infinity ? '"-inf"' : String(x));
      // a run of equal elements (a mask's rows, a filled tensor) is its first one's text copied
      let j = i + 1;
      const v = data[i];
      while (j < end && data[j] === v) j++;
      if (j > i + 1) p = repeatUnit(buf, t0, p, j - i - 1);
      i = j;
    }
    yield ascii.decode(buf.subarray(0, p));
  }
  yield ']';
}

/**
 * Append `times` copies of ',' + buf[t0, p) after p (memory copies that
 * double what is written); returns the next position. Equal numbers have
 * equal text (0 and -0 both print 0; NaN never equals itself).
 */
function repeatUnit(buf: Uint8Array, t0: number, p: number, times: number): number {
  const u0 = p;
  buf[p] = 44;
  buf.copyWithin(p + 1, t0, p);
  const unit = p + 1 - t0;
  const total = unit * times;
  for (let written = unit; written < total; ) {
    const n = Math.min(written, total - written);
    buf.copyWithin(u0 + written, u0, u0 + n);
    written += n;
  }
  return u0 + total;
}

/** Write ASCII `text` into `buf` at `p`; returns the next position. */
function put(buf: Uint8Array, p: number, text: string): number {
  for (let k = 0; k < text.length; k++) buf[p++] = text.charCodeAt(k);
  return p;
}

/**
 * Write `value` as JSON.stringify(value) would if every elided tensor in
 * `refs` had its data inlined (without the `elided` flag), fetching each
 * tensor's data with `fetch`. A tensor the worker no longer holds (it was
 * restarted) is written with empty data.
 */
export async function writeJson(
  write: (text: string) => void,
  value: unknown,
  refs: Map<object, ValueRef>,
  fetch: (ref: ValueRef) => Promise<TypedData | null>,
): Promise<void> {
  // a token no value can contain: JSON text of user strings never holds this nonce
  const nonce = `\u0001masklens-data-${Math.random().toString(36).slice(2)}-`;
  const holes: (Tensorish | { literal: string })[] = [];
  const hole = (h: Tensorish | { literal: string }) => `${nonce}${holes.push(h) - 1}`;
  const text = JSON.stringify(value, function (_key, v: unknown) {
    if (v && typeof v === 'object' && refs.has(v)) {
      const { elided: _elided, data: _data, ...rest } = v as Tensorish & { elided?: boolean };
      return { ...rest, data: hole(v as Tensorish) };
    }
    // int64 beyond 2^53: the exact digits as the number literals golden.py writes (not the nearest double)
    if (v && typeof v === 'object' && 'exact' in v && v.exact !== undefined) {
      const { exact, ...rest } = v as { exact: string | [number, string][] };
      if (typeof exact === 'string') return { ...rest, value: hole({ literal: exact }) };
      const digits = new Map(exact);
      const data = (v as Tensorish).data;
      return { ...rest, data: hole({ literal: `[${data.map((x, i) => digits.get(i) ?? JSON.stringify(x)).join(',')}]` }) };
    }
    return v;
  });
  const escaped = JSON.stringify(nonce).slice(1, -1);
  const pieces = text.split(new RegExp(`"${escaped.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')}(\\d+)"`));
  // a value written twice (`continued` shares the first run's values) is formatted once,
  // and its text kept only until its last use
  const uses = new Map<Tensorish, number>();
  for (let i = 1; i < pieces.length; i += 2) {
    const h = holes[Number(pieces[i])];
    if (!('literal' in h)) uses.set(h, (uses.get(h) ?? 0) + 1);
  }
  const kept = new Map<Tensorish, string[]>();
  for (let i = 0; i < pieces.length; i++) {
    if (i % 2 === 0) {
      write(pieces[i]);
      continue;
    }
    const hole = holes[Number(pieces[i])];
    if ('literal' in hole) {
      write(hole.literal);
      continue;
    }
    const left = uses.get(hole)! - 1;
    uses.set(hole, left);
    let text = kept.get(hole);
    if (!text) {
      const data = await fetch(refs.get(hole)!);
      if (left === 0) {
        // written once: streamed, never held whole
        if (data) for (const chunk of dataJson(data, hole.dtype.endsWith('bool'))) write(chunk);
        else write('[]');
        continue;
      }
      text = data ? [...dataJson(data, hole.dtype.endsWith('bool'))] : ['[]'];
      kept.set(hole, text);
    }
    for (const chunk of text) write(chunk);
    if (left === 0) kept.delete(hole);
  }
}
