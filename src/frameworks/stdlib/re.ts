// re over JavaScript's RegExp: Python's syntax differences that mask code
// meets are translated ((?P<name>...), (?P=name), \A, \Z, \g<name> in
// replacements), and match/search/fullmatch/findall/finditer/sub/subn/split
// return what CPython's do. Patterns JavaScript cannot express raise re.error.

import { toStr } from '../../python/args';
import { lazyIterator } from '../../python/builtins';
import { EXCEPTION_CLASSES, makeException } from '../../python/exceptions';
import {
  CallContext, NativeFn, PyBuiltin, PyClass, PyDict, PyException, PyInstance, PyList, PyModule, PyTuple, PyValue,
} from '../../python/values';

const fn = (name: string, f: NativeFn) => new PyBuiltin(name, f);

const RE_ERROR = new PyClass('error', [EXCEPTION_CLASSES.get('Exception')!], 're.error');
const FLAGS: Record<string, number> = { I: 2, IGNORECASE: 2, M: 8, MULTILINE: 8, S: 16, DOTALL: 16, X: 64, VERBOSE: 64, A: 256, ASCII: 256, U: 32, UNICODE: 32 };

interface Compiled {
  source: string;
  flags: number;
  regex: RegExp;
  groups: number;
  names: string[];
}

function translate(pattern: string, flags: number): Compiled {
  let src = pattern;
  if (flags & 64) src = src.replace(/\\#/g, '\u0000').replace(/#.*$/gm, '').replace(/\s+/g, '').replace(/\u0000/g, '\\#');
  src = src
    .replace(/\(\?P<(\w+)>/g, '(?<$1>')
    .replace(/\(\?P=(\w+)\)/g, '\\k<$1>')
    .replace(/\\A/g, '^')
    .replace(/\\Z/g, '$(?![\\s\\S])');
  let js = 'g';
  if (flags & 2) js += 'i';
  if (flags & 8) js += 'm';
  if (flags & 16) js += 's';
  let regex: RegExp;
  try {
    regex = new RegExp(src, js + 'u');
  } catch {
    try {
      regex = new RegExp(src, js);
    } catch (e) {
      const msg = (e as Error).message.replace(/^Invalid regular expression: /, '');
      throw new PyException(makeException(RE_ERROR, [msg], msg));
    }
  }
  const groups = new RegExp(`(?:${regex.source})|`, regex.flags).exec('')!.length - 1;
  const names = [...src.matchAll(/\(\?<(\w+)>/g)].map((m) => m[1]);
  return { source: pattern, flags, regex, groups, names };
}

const MATCH = new PyClass('Match', [], 're.Match');
const PATTERN = new PyClass('Pattern', [], 're.Pattern');

function matchObject(m: RegExpExecArray, text: string, c: Compiled): PyInstance {
  const inst = new PyInstance(MATCH);
  inst.native = { m, text, c };
  return inst;
}

function groupIndex(c: Compiled, key: PyValue | undefined): number {
  if (key === undefined) return 0;
  if (typeof key === 'bigint') {
    if (key < 0n || Number(key) > c.groups) throw new PyException(makeException(EXCEPTION_CLASSES.get('IndexError')!, ['no such group'], 'no such group'));
    return Number(key);
  }
  const i = c.names.indexOf(String(key));
  if (i < 0) throw new PyException(makeException(EXCEPTION_CLASSES.get('IndexError')!, ['no such group'], 'no such group'));
  // named groups are numbered in order of their opening parenthesis
  return groupNumberOfName(c, String(key));
}

function groupNumberOfName(c: Compiled, name: string): number {
  let n = 0;
  const src = c.regex.source;
  for (let i = 0; i < src.length; i++) {
    if (src[i] === '\\') {
      i++;
      continue;
    }
    if (src[i] === '(' && src[i + 1] !== '?') n++;
    else if (src[i] === '(' && src.startsWith('(?<', i) && src[i + 3] !== '=' && src[i + 3] !== '!') {
      n++;
      if (src.startsWith(`(?<${name}>`, i)) return n;
    }
  }
  return 0;
}

function group(inst: PyInstance, k: number): PyValue {
  const m = inst.native.m as RegExpExecArray;
  return m[k] ?? null;
}

const spanOf = (inst: PyInstance, k: number): [number, number] => {
  const m = inst.native.m as RegExpExecArray & { indices?: [number, number][] };
  if (k === 0) return [m.index, m.index + m[0].length];
  const text = m[k];
  if (text === undefined) return [-1, -1];
  // without the 'd' flag, find the group inside the whole match (first occurrence)
  const at = m[0].indexOf(text);
  return [m.index + at, m.index + at + text.length];
};

MATCH.dict.set('group', fn('group', ([self, ...keys]) => {
  const inst = self as PyInstance;
  const c = inst.native.c as Compiled;
  if (keys.length <= 1) return group(inst, groupIndex(c, keys[0]));
  return new PyTuple(keys.map((k) => group(inst, groupIndex(c, k))));
}));
MATCH.dict.set('__getitem__', fn('__getitem__', ([self, k]) => group(self as PyInstance, groupIndex((self as PyInstance).native.c as Compiled, k))));
MATCH.dict.set('groups', fn('groups', ([self, dflt]) => {
  const inst = self as PyInstance;
  const c = inst.native.c as Compiled;
  return new PyTuple(Array.from({ length: c.groups }, (_, i) => group(inst, i + 1) ?? dflt ?? null));
}));
MATCH.dict.set('groupdict', fn('groupdict', ([self, dflt]) => {
  const inst = self as PyInstance;
  const c = inst.native.c as Compiled;
  const d = new PyDict();
  for (const n of c.names) d.entries.set('s' + n, [n, group(inst, groupNumberOfName(c, n)) ?? dflt ?? null]);
  return d;
}));
MATCH.dict.set('span', fn('span', ([self, k]) => new PyTuple(spanOf(self as PyInstance, groupIndex((self as PyInstance).native.c as Compiled, k)).map(BigInt))));
MATCH.dict.set('start', fn('start', ([self, k]) => BigInt(spanOf(self as PyInstance, groupIndex((self as PyInstance).native.c as Compiled, k))[0])));
MATCH.dict.set('end', fn('end', ([self, k]) => BigInt(spanOf(self as PyInstance, groupIndex((self as PyInstance).native.c as Compiled, k))[1])));
MATCH.dict.set('__bool__', fn('__bool__', () => true));
MATCH.dict.set('__repr__', fn('__repr__', ([self], _kw, ctx) => {
  const inst = self as PyInstance;
  const [a, b] = spanOf(inst, 0);
  return `<re.Match object; span=(${a}, ${b}), match=${ctx.repr(group(inst, 0))}>`;
}));

type Mode = 'match' | 'search' | 'fullmatch';

function find(c: Compiled, text: string, mode: Mode, pos = 0): PyValue {
  const src = mode === 'fullmatch' ? `(?:${c.regex.source})$` : c.regex.source;
  const flags = c.regex.flags.replace('g', '') + (mode === 'search' ? 'g' : 'y');
  const re = new RegExp(src, flags);
  re.lastIndex = pos;
  const m = re.exec(text);
  return m ? matchObject(m, text, c) : null;
}

function expandTemplate(repl: string, m: RegExpExecArray, c: Compiled): string {
  return repl.replace(/\\(\d+)|\\g<(\w+)>|\\n|\\t|\\\\/g, (all, num, name) => {
    if (all === '\\n') return '\n';
    if (all === '\\t') return '\t';
    if (all === '\\\\') return '\\';
    const k = num !== undefined ? Number(num) : /^\d+$/.test(name) ? Number(name) : groupNumberOfName(c, name);
    return m[k] ?? '';
  });
}

function sub(c: Compiled, repl: PyValue, text: string, count: number, ctx: CallContext): [string, number] {
  let n = 0;
  const re = new RegExp(c.regex.source, c.regex.flags);
  const out = text.replace(re, (...args) => {
    if (count > 0 && n >= count) return args[0];
    n++;
    const m = Object.assign([...args.slice(0, c.groups + 1)], { index: args[c.groups + 1] as number, input: text }) as unknown as RegExpExecArray;
    if (typeof repl === 'string') return expandTemplate(repl, m, c);
    return toStr(ctx.call(repl, [matchObject(m, text, c)]), 'expected str instance');
  });
  return [out, n];
}

function split(c: Compiled, text: string, maxsplit: number): PyList {
  const out: PyValue[] = [];
  let last = 0;
  let n = 0;
  const re = new RegExp(c.regex.source, c.regex.flags);
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (maxsplit > 0 && n >= maxsplit) break;
    if (m[0] === '' && m.index === last && m.index === 0) {
      re.lastIndex++;
      continue;
    }
    out.push(text.slice(last, m.index), ...m.slice(1).map((g) => g ?? null));
    last = m.index + m[0].length;
    n++;
    if (m[0] === '') re.lastIndex++;
  }
  out.push(text.slice(last));
  return new PyList(out);
}

function findall(c: Compiled, text: string): PyList {
  const out: PyValue[] = [];
  const re = new RegExp(c.regex.source, c.regex.flags);
  for (const m of text.matchAll(re)) {
    if (c.groups === 0) out.push(m[0]);
    else if (c.groups === 1) out.push(m[1] ?? '');
    else out.push(new PyTuple(m.slice(1).map((g) => g ?? '')));
  }
  return new PyList(out);
}

function compiledOf(p: PyValue, flags: PyValue | undefined): Compiled {
  if (p instanceof PyInstance && p.cls === PATTERN) return p.native.c as Compiled;
  return translate(toStr(p, 'pattern'), flags === undefined || flags === null ? 0 : Number(flags));
}

/** The operations, each as (compiled pattern, args after the pattern). */
const OPS: Record<string, (c: Compiled, args: PyValue[], ctx: CallContext) => PyValue> = {
  match: (c, [s]) => find(c, toStr(s, 'string'), 'match'),
  search: (c, [s]) => find(c, toStr(s, 'string'), 'search'),
  fullmatch: (c, [s]) => find(c, toStr(s, 'string'), 'fullmatch'),
  findall: (c, [s]) => findall(c, toStr(s, 'string')),
  finditer: (c, [s]) => {
    const text = toStr(s, 'string');
    const it = text.matchAll(new RegExp(c.regex.source, c.regex.flags));
    return lazyIterator('callable_iterator', () => {
      const r = it.next();
      return r.done ? undefined : matchObject(r.value as RegExpExecArray, text, c);
    });
  },
  sub: (c, [repl, s, count], ctx) => sub(c, repl ?? null, toStr(s, 'string'), count === undefined ? 0 : Number(count), ctx)[0],
  subn: (c, [repl, s, count], ctx) => {
    const [out, n] = sub(c, repl ?? null, toStr(s, 'string'), count === undefined ? 0 : Number(count), ctx);
    return new PyTuple([out, BigInt(n)]);
  },
  split: (c, [s, maxsplit]) => split(c, toStr(s, 'string'), maxsplit === undefined ? 0 : Number(maxsplit)),
};

const FLAG_ARG: Record<string, number> = { match: 2, search: 2, fullmatch: 2, findall: 2, finditer: 2, sub: 4, subn: 4, split: 3 };

for (const [name, op] of Object.entries(OPS)) {
  PATTERN.dict.set(name, fn(name, ([self, ...args], kw, ctx) => {
    if (kw.has('count')) args[2] = kw.get('count')!;
    if (kw.has('maxsplit')) args[1] = kw.get('maxsplit')!;
    return op((self as PyInstance).native.c as Compiled, args, ctx);
  }));
}
PATTERN.dict.set('__repr__', fn('__repr__', ([self], _kw, ctx) => `re.compile(${ctx.repr((self as PyInstance).native.c ? ((self as PyInstance).native.c as Compiled).source : '')})`));

export function reModule(): PyModule {
  const m = new PyModule('re');
  for (const [k, v] of Object.entries(FLAGS)) m.dict.set(k, BigInt(v));
  m.dict.set('error', RE_ERROR);
  m.dict.set('Pattern', PATTERN);
  m.dict.set('Match', MATCH);
  m.dict.set('compile', fn('compile', ([p, flags], kw) => {
    const inst = new PyInstance(PATTERN);
    inst.native.c = compiledOf(p ?? null, flags ?? kw.get('flags'));
    inst.dict.set('pattern', (inst.native.c as Compiled).source);
    return inst;
  }));
  m.dict.set('escape', fn('escape', ([s]) => toStr(s, 'pattern').replace(/[^\w]/gu, (ch) => `\\${ch}`)));
  for (const [name, op] of Object.entries(OPS)) {
    m.dict.set(name, fn(name, ([p, ...args], kw, ctx) => {
      const flagAt = FLAG_ARG[name] - 1;
      const flags = args[flagAt] ?? kw.get('flags');
      if (kw.has('count')) args[2] = kw.get('count')!;
      if (kw.has('maxsplit')) args[1] = kw.get('maxsplit')!;
      return op(compiledOf(p ?? null, flags), args.slice(0, flagAt), ctx);
    }));
  }
  return m;
}
