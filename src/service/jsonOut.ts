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

/**
 * The JSON text of a tensor's `data` array, in chunks: what JSON.stringify
 * writes for encodeNumber's values (booleans for bool; 'nan', 'inf', '-inf'
 * as strings; finite numbers as JavaScript prints them, -0 as 0).
 */
export function* dataJson(data: TypedData, isBool: boolean): Generator<string> {
  yield '[';
  for (let start = 0; start < data.length; start += CHUNK) {
    const part = data.subarray(start, Math.min(data.length, start + CHUNK));
    let text: string;
    if (isBool) {
      const words: string[] = [];
      for (let i = 0; i < part.length; i++) words.push(part[i] !== 0 ? 'true' : 'false');
      text = words.join(',');
    } else {
      let finite = true;
      for (let i = 0; i < part.length && finite; i++) finite = Number.isFinite(part[i]);
      if (finite) text = part.join(',');
      else {
        const words: string[] = [];
        for (let i = 0; i < part.length; i++) {
          const x = part[i];
          words.push(Number.isNaN(x) ? '"nan"' : x === Infinity ? '"inf"' : x === -Infinity ? '"-inf"' : String(x));
        }
        text = words.join(',');
      }
    }
    yield start === 0 ? text : ',' + text;
  }
  yield ']';
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
  const holes: Tensorish[] = [];
  const text = JSON.stringify(value, function (_key, v: unknown) {
    if (v && typeof v === 'object' && refs.has(v)) {
      const { elided: _elided, data: _data, ...rest } = v as Tensorish & { elided?: boolean };
      holes.push(v as Tensorish);
      return { ...rest, data: `${nonce}${holes.length - 1}` };
    }
    return v;
  });
  const escaped = JSON.stringify(nonce).slice(1, -1);
  const pieces = text.split(new RegExp(`"${escaped.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')}(\\d+)"`));
  const fetched = new Map<Tensorish, TypedData | null>();
  for (let i = 0; i < pieces.length; i++) {
    if (i % 2 === 0) {
      write(pieces[i]);
      continue;
    }
    const hole = holes[Number(pieces[i])];
    if (!fetched.has(hole)) fetched.set(hole, await fetch(refs.get(hole)!));
    const data = fetched.get(hole);
    if (data) for (const chunk of dataJson(data, hole.dtype.endsWith('bool'))) write(chunk);
    else write('[]');
  }
}
