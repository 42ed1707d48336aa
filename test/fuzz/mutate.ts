// Snippet mutations for the fuzz harness: line deletes, duplicates and swaps;
// token and bracket edits; numbers turned into 0, negative, huge or floats;
// dtype and function-name swaps; wrapping in loops, defs and classes; odd
// indentation and Unicode. Deterministic for a given random source.

export type Random = () => number;

/** mulberry32: a small seeded PRNG, so a seed reproduces a whole run. */
export function rng(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(r: Random, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];

const DTYPES = ['torch.bool', 'torch.float32', 'torch.float16', 'torch.int64', 'torch.uint8', 'torch.int32', 'torch.float64', 'np.float32', 'np.int64', 'bool', 'int', 'float'];
const FUNCTIONS = [
  'zeros', 'ones', 'triu', 'tril', 'softmax', 'log_softmax', 'masked_fill', 'where', 'cat', 'stack', 'arange', 'full', 'eye',
  'unsqueeze', 'squeeze', 'expand', 'repeat', 'view', 'reshape', 'transpose', 'matmul', 'sum', 'mean', 'max', 'any', 'all',
  'logical_not', 'logical_and', 'cross_entropy', 'embedding', 'pad_sequence', 'rand', 'randn', 'bernoulli', 'numel', 'float', 'bool',
];
const HUGE = ['10**9', '100000', '2**31', '2**63', '10**20', '1e308', '-1e308', '10**100', '999999999999'];
const TOKENS = ['(', ')', '[', ']', ',', ':', '.', '*', '**', '-', '+', '=', 'None', 'True', 'lambda', 'x', '...', '@', '~', '"', "'", 'not', 'in', 'if', 'else'];
const UNICODE = ['é', 'λ', '→', '😀', '\u200b', '\u00a0', 'ß', '中', '\u0301', '\t'];
const BRACKETS: Record<string, string[]> = { '(': ['[', '{', ''], ')': [']', '}', ''], '[': ['(', '{', ''], ']': [')', '}', ''] };

type Mutation = (src: string, r: Random) => string;

const lines = (s: string) => s.split('\n');

const MUTATIONS: Mutation[] = [
  // line deletes, duplicates and swaps
  (s, r) => {
    const l = lines(s);
    l.splice(Math.floor(r() * l.length), 1);
    return l.join('\n');
  },
  (s, r) => {
    const l = lines(s);
    const i = Math.floor(r() * l.length);
    l.splice(i, 0, l[i]);
    return l.join('\n');
  },
  (s, r) => {
    const l = lines(s);
    const i = Math.floor(r() * l.length), j = Math.floor(r() * l.length);
    [l[i], l[j]] = [l[j], l[i]];
    return l.join('\n');
  },
  // token edits: delete, insert, swap a bracket
  (s, r) => {
    const tokens = [...s.matchAll(/[A-Za-z_][A-Za-z0-9_]*|\d+(\.\d+)?|\S/g)];
    if (tokens.length === 0) return s;
    const t = pick(r, tokens);
    return s.slice(0, t.index) + s.slice(t.index! + t[0].length);
  },
  (s, r) => {
    const at = Math.floor(r() * (s.length + 1));
    return s.slice(0, at) + pick(r, TOKENS) + s.slice(at);
  },
  (s, r) => {
    const brackets = [...s.matchAll(/[()[\]]/g)];
    if (brackets.length === 0) return s;
    const b = pick(r, brackets);
    return s.slice(0, b.index) + pick(r, BRACKETS[b[0]]) + s.slice(b.index! + 1);
  },
  // numbers: 0, negative, huge, float
  (s, r) => {
    const nums = [...s.matchAll(/(?<![\w.])\d+(\.\d+)?(e-?\d+)?(?![\w.])/g)];
    if (nums.length === 0) return s;
    const n = pick(r, nums);
    const v = n[0];
    const to = pick(r, ['0', `-${v}`, pick(r, HUGE), `${v}.5`, `${Number(v) + 1}`, '-1', '1']);
    return s.slice(0, n.index) + to + s.slice(n.index! + v.length);
  },
  // dtype and function-name swaps
  (s, r) => {
    const found = [...s.matchAll(/\b(torch|np)\.(bool|float16|float32|float64|int64|int32|uint8|long|float)\b/g)];
    if (found.length === 0) return s;
    const d = pick(r, found);
    return s.slice(0, d.index) + pick(r, DTYPES) + s.slice(d.index! + d[0].length);
  },
  (s, r) => {
    const calls = [...s.matchAll(/\b([a-z_][a-z0-9_]*)\(/g)];
    if (calls.length === 0) return s;
    const c = pick(r, calls);
    return s.slice(0, c.index) + pick(r, FUNCTIONS) + s.slice(c.index! + c[1].length);
  },
  // wrapping in loops, defs and classes
  (s, r) => {
    const body = lines(s).map((l) => '    ' + l).join('\n');
    const imports = lines(s).filter((l) => /^(import|from) /.test(l)).join('\n');
    return pick(r, [
      `${imports}\nfor _i in range(${pick(r, ['3', '100', '10**6'])}):\n${body}`,
      `${imports}\ndef _f():\n${body}\n_f()\n_f()`,
      `${imports}\nclass _C:\n${body}`,
      `${imports}\nwhile True:\n${body}\n    break`,
      `${imports}\ndef _g(n):\n    return _g(n + 1) if n < 10**6 else 0\ntry:\n    _g(0)\nexcept RecursionError:\n    pass\n${s}`,
    ]);
  },
  // odd indentation and Unicode
  (s, r) => {
    const l = lines(s);
    const i = Math.floor(r() * l.length);
    l[i] = pick(r, [' ', '  ', '\t', '   \t', '']) + l[i];
    return l.join('\n');
  },
  (s, r) => {
    const at = Math.floor(r() * (s.length + 1));
    return s.slice(0, at) + pick(r, UNICODE) + s.slice(at);
  },
];

/** One to three mutations of a snippet. */
export function mutate(source: string, r: Random): string {
  let s = source;
  const n = 1 + Math.floor(r() * 3);
  for (let i = 0; i < n; i++) s = pick(r, MUTATIONS)(s, r);
  return s;
}
