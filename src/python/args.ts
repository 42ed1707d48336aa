// Argument binding and conversion for natively implemented functions.
// A signature is a list of parameter names: 'dim?' is optional, '*size'
// collects the remaining positionals, '**kw' collects unknown keywords.

import { pyError } from './exceptions';
import { CallContext, Kwargs, PyDict, PyList, PyObj, PyTuple, PyValue, typeNameOf } from './values';

export type Bound = Record<string, PyValue | undefined> & { __rest?: PyValue[]; __kw?: Kwargs };

export function bind(fn: string, args: readonly PyValue[], kwargs: Kwargs, signature: readonly string[]): Bound {
  const out: Bound = {};
  let i = 0;
  const known = new Set<string>();
  for (const raw of signature) {
    if (raw.startsWith('**')) continue;
    if (raw.startsWith('*')) {
      out.__rest = args.slice(i);
      i = args.length;
      known.add(raw.slice(1));
      continue;
    }
    const name = raw.replace('?', '');
    known.add(name);
    if (i < args.length) out[name] = args[i++];
  }
  if (i < args.length) {
    const max = signature.filter((s) => !s.startsWith('*')).length;
    throw pyError('TypeError', `${fn}() takes ${max === 0 ? 'no' : `from 0 to ${max}`} positional arguments but ${args.length} were given`.replace(`from 0 to ${max}`, String(max)));
  }
  const extra: Kwargs = new Map();
  for (const [k, v] of kwargs) {
    if (known.has(k)) {
      if (out[k] !== undefined) throw pyError('TypeError', `${fn}() got multiple values for argument '${k}'`);
      out[k] = v;
    } else if (signature.some((s) => s.startsWith('**'))) {
      extra.set(k, v);
    } else {
      throw pyError('TypeError', `${fn}() got an unexpected keyword argument '${k}'`);
    }
  }
  out.__kw = extra;
  for (const raw of signature) {
    if (raw.startsWith('*') || raw.endsWith('?')) continue;
    if (out[raw] === undefined) throw pyError('TypeError', `${fn}() missing 1 required positional argument: '${raw}'`);
  }
  return out;
}

export function toInt(v: PyValue | undefined, what: string): number {
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v instanceof PyObj) {
    const n = (v as PyObj & { asIndex?: () => number | undefined }).asIndex?.();
    if (n !== undefined) return n;
  }
  throw pyError('TypeError', `${what} must be int, not ${typeNameOf(v ?? null)}`);
}

export function toFloat(v: PyValue | undefined, what: string): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v instanceof PyObj) {
    const n = (v as PyObj & { asNumber?: () => number | undefined }).asNumber?.();
    if (n !== undefined) return n;
  }
  throw pyError('TypeError', `${what} must be a number, not ${typeNameOf(v ?? null)}`);
}

export function optInt(v: PyValue | undefined, what: string, fallback: number): number;
export function optInt(v: PyValue | undefined, what: string, fallback: null): number | null;
export function optInt(v: PyValue | undefined, what: string, fallback: number | null): number | null {
  return v === undefined || v === null ? fallback : toInt(v, what);
}

export function toBool(v: PyValue | undefined, ctx: CallContext, fallback = false): boolean {
  return v === undefined ? fallback : ctx.truthy(v);
}

export function toStr(v: PyValue | undefined, what: string): string {
  if (typeof v === 'string') return v;
  throw pyError('TypeError', `${what} must be str, not ${typeNameOf(v ?? null)}`);
}

/** A shape given as ints, a tuple/list, or torch.Size: f(2, 3) or f((2, 3)). */
export function toShape(args: readonly PyValue[], what: string): number[] {
  if (args.length === 1 && (args[0] instanceof PyTuple || args[0] instanceof PyList)) {
    return args[0].items.map((v) => toInt(v, what));
  }
  return args.map((v) => toInt(v, what));
}

export function toIntList(v: PyValue | undefined, what: string): number[] {
  if (v instanceof PyTuple || v instanceof PyList) return v.items.map((x) => toInt(x, what));
  return [toInt(v, what)];
}

export function kwargsDict(kw: Kwargs): PyDict {
  const d = new PyDict();
  for (const [k, v] of kw) d.entries.set('s' + k, [k, v]);
  return d;
}
