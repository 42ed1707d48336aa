// The argument expressions Preview with Arguments… offers first, from the
// best evidence the file gives: a call of the function whose arguments make
// sense at module level (in the code, or a `>>>` example in its docstring),
// else, parameter by parameter, its default, its type hint, what its
// docstring says (type and shape), how the body uses it, and its name.
// No 'vscode' import: unit-tested.
import { boundNames } from '../python/outline';
import { parseModule } from '../python/parse';
import type { FunctionInfo, RunResult } from '../python/result';

/** Sizes an example tensor gets: 2 for a batch dim, 4 for any other named dim (small enough to read in a hover). */
const BATCH = 2;
const OTHER_DIM = 4;

/** Example values in the file's array library: torch's, or NumPy's in a file that imports NumPy and not torch. */
interface Examples {
  tokens: string;
  mask: string;
  /** A bool padding mask, one row (True = a real token): for a body that inverts it (`~mask`) or hands it to masked_fill. */
  boolMask: string;
  /** tokens and mask for a batch that `lengths` describes: [2, 4], rows of lengths 4 and 2. */
  batchTokens: string;
  batchMask: string;
  lengths: string;
  tensors: string;
  /** query, key, value: floats of one shape. */
  qkv: string;
  /** A padding mask [B, 1, ..., T]: rows of lengths 4 and 2 (True = a real token); `lead` is the shape before T. */
  padding(lead: number[]): string;
  bools(shape: number[]): string;
  ints(shape: number[]): string;
  floats(shape: number[]): string;
}

const TORCH: Examples = {
  tokens: 'torch.tensor([[7, 6, 0, 0]])',
  mask: 'torch.tensor([[1, 1, 0, 0]])',
  boolMask: 'torch.tensor([[True, True, False, False]])',
  batchTokens: 'torch.tensor([[7, 6, 5, 4], [3, 2, 0, 0]])',
  batchMask: 'torch.tensor([[1, 1, 1, 1], [1, 1, 0, 0]])',
  lengths: 'torch.tensor([4, 2])',
  tensors: '[torch.ones(4), torch.ones(2)]',
  qkv: `torch.randn(${BATCH}, ${OTHER_DIM}, 8)`,
  padding: (lead) => `torch.arange(${OTHER_DIM}) < torch.tensor([4, 2]).view(${lead.join(', ')}, 1)`,
  bools: (shape) => `torch.ones(${shape.join(', ')}, dtype=torch.bool)`,
  ints: (shape) => `torch.randint(1, 10, ${tupleText(shape)})`,
  floats: (shape) => `torch.randn(${shape.join(', ')})`,
};

const NUMPY: Examples = {
  tokens: 'np.array([[7, 6, 0, 0]])',
  mask: 'np.array([[1, 1, 0, 0]])',
  boolMask: 'np.array([[True, True, False, False]])',
  batchTokens: 'np.array([[7, 6, 5, 4], [3, 2, 0, 0]])',
  batchMask: 'np.array([[1, 1, 1, 1], [1, 1, 0, 0]])',
  lengths: 'np.array([4, 2])',
  tensors: '[np.ones(4), np.ones(2)]',
  qkv: `np.random.randn(${BATCH}, ${OTHER_DIM}, 8)`,
  padding: (lead) => `np.arange(${OTHER_DIM}) < np.array([4, 2]).reshape(${lead.join(', ')}, 1)`,
  bools: (shape) => `np.ones(${tupleText(shape)}, dtype=bool)`,
  ints: (shape) => `np.random.randint(1, 10, ${tupleText(shape)})`,
  floats: (shape) => `np.random.randn(${shape.join(', ')})`,
};

function tupleText(shape: number[]): string {
  return `(${shape.join(', ')}${shape.length === 1 ? ',' : ''})`;
}

const TENSOR_HINT = /^(torch\.)?Tensor$|^(torch\.)?(Bool|Long|Float)Tensor$/;
const LIST_OF_TENSORS = /^(list|List|Sequence|Iterable)\[\s*(torch\.)?Tensor\s*\]$/;
/** Lengths per batch row: `lengths`, `src_lengths`, `ilens`, `x_lens`. */
const LENGTHS_NAME = /^(\w+_)?(lengths|lens)$|^[io]lens$/i;
/** A padding or fill value: `pad_value`, `padding_idx`, `fill_value`. */
const PAD_NAME = /^(pad|padding|fill)(_?(value|val|id|idx|index|token|token_id))?$/i;
const IGNORE_NAME = /^ignore(_(id|index|idx|label))?$/i;
/** Attention's inputs: a tensor each when the function takes two or more of them (`k` alone is a count). */
const QKV_NAME = /^(q|k|v|query|key|value|queries|keys|values)$/;
/** Float scores a mask is applied to: `scores`, `attn_logits`, `energy`, `attn_weights`, `probs` (one row like the tokens and mask examples, so they broadcast). */
const SCORES_NAME = /^(\w+_)?(scores|logits|energy|energies|attn|attention|weights|probs)$/i;
const SIZE_NAME = /^(n|k|size|dim|d_model|num_\w+|\w*_len|\w*len|length|\w*_size|max_\w+)$/i;

/** An example argument for a parameter with this annotation and name. */
function fromAnnotationOrName(name: string, annotation: string | undefined, ex: Examples, qkv: boolean): string {
  // Union[torch.Size, Tuple, List]: its first type stands for it
  const a = annotation?.replace(/^Optional\[(.*)\]$/, '$1').replace(/\s*\|\s*None$/, '').replace(/^Union\[\s*([^,\]]+?)\s*,.*\]$/, '$1').trim();
  if (a) {
    if (/^(torch\.)?dtype$/.test(a)) return 'torch.float32';
    if (/^(torch\.)?device$/.test(a)) return '"cpu"';
    if (/^(torch\.)?Size$/.test(a)) return `torch.Size([${BATCH}, ${OTHER_DIM}])`;
    if (LIST_OF_TENSORS.test(a)) return TORCH.tensors;
    if (TENSOR_HINT.test(a)) return qkv && QKV_NAME.test(name) ? TORCH.qkv : /mask/i.test(name) ? TORCH.mask : LENGTHS_NAME.test(name) ? TORCH.lengths : SCORES_NAME.test(name) && !/Bool|Long/.test(a) ? TORCH.floats([1, 4]) : TORCH.tokens;
    if (/^(np\.|numpy\.)?ndarray$/.test(a)) return qkv && QKV_NAME.test(name) ? NUMPY.qkv : /mask/i.test(name) ? NUMPY.mask : SCORES_NAME.test(name) ? NUMPY.floats([1, 4]) : NUMPY.tokens;
    if (a === 'int') return PAD_NAME.test(name) ? '0' : IGNORE_NAME.test(name) ? '-100' : '4';
    if (a === 'float') return PAD_NAME.test(name) ? '0.0' : '1.0';
    if (a === 'bool') return 'True';
    if (a === 'str') return "'a'";
    if (/^(list|List|Sequence)\b/.test(a)) return '[3, 1]';
    if (/^(tuple|Tuple)\b/.test(a)) return '(4, 4)';
  }
  return fromName(name, ex, qkv);
}

function fromName(name: string, ex: Examples, qkv: boolean): string {
  if (qkv && QKV_NAME.test(name)) return ex.qkv;
  if (/mask/i.test(name)) return ex.mask;
  if (LENGTHS_NAME.test(name)) return ex.lengths;
  if (PAD_NAME.test(name)) return '0';
  if (IGNORE_NAME.test(name)) return '-100';
  if (SIZE_NAME.test(name)) return '4';
  if (SCORES_NAME.test(name)) return ex.floats([1, 4]);
  return ex.tokens;
}

/** The docstring lines of a function (between its first pair of triple quotes), or none. */
function docstringLines(body: string[]): string[] {
  const start = body.findIndex((l, i) => i > 0 && /^\s*[rRuU]?("""|''')/.test(l));
  if (start < 0) return [];
  const quote = /("""|''')/.exec(body[start])![1];
  const first = body[start].slice(body[start].indexOf(quote) + 3);
  if (first.includes(quote)) return [first.slice(0, first.indexOf(quote))];
  const out = [first];
  for (let i = start + 1; i < body.length; i++) {
    const at = body[i].indexOf(quote);
    if (at >= 0) return [...out, body[i].slice(0, at)];
    out.push(body[i]);
  }
  return out;
}

/**
 * What a docstring says of one parameter: Google style `name (type): text`,
 * NumPy style `name : type` and the lines indented under it, or Sphinx
 * `:param name:` with its `:type name:`.
 */
function docOf(doc: string[], name: string): string | undefined {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const head = new RegExp(`^(\\s*)\\**${escaped}\\b\\s*(\\([^)]*\\))?\\s*:(?!:)(.*)$`);
  const sphinx = new RegExp(`^\\s*:(param|type)(\\s+[^:]+)?\\s+${escaped}\\s*:(.*)$`);
  const parts: string[] = [];
  for (let i = 0; i < doc.length; i++) {
    const s = sphinx.exec(doc[i]);
    if (s) parts.push(s[3]);
    const m = head.exec(doc[i]);
    if (!m || parts.length) continue;
    parts.push(`${m[2] ?? ''} ${m[3]}`);
    // the lines indented under it belong to it
    const indent = m[1].length;
    for (let j = i + 1; j < doc.length && doc[j].trim() && doc[j].search(/\S/) > indent; j++) parts.push(doc[j]);
  }
  return parts.length ? parts.join(' ') : undefined;
}

/**
 * `(B, T)`, `[B, 1, T]`, `(B,)`, `(batch, seqlen, ...)`: a shape written in text, as example
 * sizes (`...`, any trailing dims, as one: flash-attn's hidden_states); undefined when none.
 */
function shapeIn(text: string): number[] | undefined {
  for (const m of text.matchAll(/[([]\s*((?:[\w*]+|\.\.\.|…)(?:\s*,\s*(?:[\w*]+|\.\.\.|…))*)\s*(,?)\s*[)\]]/g)) {
    const dims = m[1].split(/\s*,\s*/);
    if (dims.length < 2 && !m[2]) continue; // `(optional)`, `(int)`: a word in parentheses, not a shape
    if (dims[0] === '...' || dims[0] === '…') continue;
    if (!dims.every((d) => /^(\d+|[A-Za-z_]\w{0,11}|\.\.\.|…)$/.test(d)) || dims.some((d) => /^(optional|default|or|and|int|float|bool|str|list|tensor)$/i.test(d))) continue;
    return dims.map((d) => (/^\d+$/.test(d) ? Number(d) : /^(b|bs|n|batch\w*|n_batch|num_batch\w*)$/i.test(d) ? BATCH : OTHER_DIM));
  }
  return undefined;
}

/** An example from a parameter's docstring text: its type words and its shape. */
function fromDoc(name: string, text: string, ex: Examples): string | undefined {
  const shape = shapeIn(text);
  const boolish = /mask/i.test(name) || /\bbool/i.test(text) || /BoolTensor/.test(text);
  const intish = /\b(Long|Int)Tensor\b|\bint64\b|\blong\b/.test(text) || LENGTHS_NAME.test(name);
  if (/\b(list|List|sequence|Sequence)\b/.test(text) && /\b[Tt]ensors?\b/.test(text) && !shape?.length) return ex.tensors;
  if (shape) {
    if (LENGTHS_NAME.test(name) && shape.length === 1) return ex.lengths;
    // a padding mask, [B, T] or [B, 1, 1, T]
    const padding = shape.length >= 2 && shape[0] === BATCH && shape[shape.length - 1] === OTHER_DIM && shape.slice(1, -1).every((d) => d === 1);
    if (boolish && padding) return ex.padding(shape.slice(0, -1));
    if (boolish) return ex.bools(shape);
    if (intish) return ex.ints(shape);
    return ex.floats(shape);
  }
  if (/\bfloat\b/.test(text) && !/[Tt]ensor/.test(text)) return PAD_NAME.test(name) ? '0.0' : '1.0';
  if (/\bint\b/.test(text) && !/[Tt]ensor/.test(text)) return PAD_NAME.test(name) ? '0' : IGNORE_NAME.test(name) ? '-100' : '4';
  if (/\bbool\b/.test(text) && !/[Tt]ensor/.test(text)) return 'True';
  if (LENGTHS_NAME.test(name)) return ex.lengths;
  return undefined;
}

/** An example from how the body uses a parameter: iterated over tensors, a fill value, a size. */
function fromUsage(name: string, body: string, ex: Examples): string | undefined {
  const n = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const has = (re: string) => new RegExp(re).test(body);
  // `for x in xs: x.size(0)`, `xs[0].new(...)`: a list of tensors
  if (has(`\\b${n}\\[[^\\]]*\\]\\.(size|shape|new|dim|dtype|device)\\b`) || (has(`\\bfor\\s+(\\w+)\\s+in\\s+${n}\\b`) && has(`\\b\\w+\\.(size\\(|shape\\b)`) && !has(`\\b${n}\\.(size|shape|dim)\\b`))) return ex.tensors;
  // `len(length)`, `enumerate(length)`: a length per batch row
  if (/len/i.test(name) && has(`\\b(len|enumerate|max|zip)\\(\\s*${n}\\s*[,)]`)) return ex.lengths;
  // `.fill_(pad_value)`, `masked_fill(m, value)`, `F.pad(x, p, value=v)`: a scalar
  if (has(`\\.(fill_?|masked_fill_?)\\([^()]*\\b${n}\\s*\\)`) || has(`\\bvalue\\s*=\\s*${n}\\b`)) return '0';
  // `x.masked_fill(mask, 0)`, `~mask`: a bool mask (masked_fill refuses an integer one; ~ of 1 is -2)
  if (has(`\\.masked_fill_?\\(\\s*~?\\s*${n}\\s*,`) || has(`~\\s*${n}\\b`)) return ex.boolMask;
  // `range(n)`, `torch.ones(size, size)`: a size
  if (has(`\\brange\\(\\s*${n}\\s*\\)`) || has(`\\b(torch|np)\\.(ones|zeros|empty|arange|full|rand|randn|eye|tril|triu)\\(\\s*${n}\\b`)) return '4';
  return undefined;
}

/**
 * Pairs of parameters the body says share their first dim: `assert
 * xs.size(0) == len(lengths)`, `x.shape[0] == mask.size(0)`, `len(a) ==
 * len(b)`. Each pair is [sized, other]; `counted` holds the parameters whose
 * length is taken (len(), enumerate(), zip()): per-row lengths or a list.
 */
function batchRelations(body: string, params: readonly string[]): { pairs: [string, string][]; counted: Set<string> } {
  const p = params.filter(Boolean).map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
  const counted = new Set<string>();
  const pairs: [string, string][] = [];
  if (!p) return { pairs, counted };
  const side = `(?:len\\(\\s*(${p})\\s*\\)|\\b(${p})\\s*\\.\\s*(?:size\\(\\s*0\\s*\\)|shape\\s*\\[\\s*0\\s*\\]))`;
  for (const m of body.matchAll(new RegExp(`${side}\\s*==\\s*${side}`, 'g'))) {
    const left = m[1] ?? m[2], right = m[3] ?? m[4];
    if (m[1]) counted.add(m[1]);
    if (m[3]) counted.add(m[3]);
    if (left !== right) pairs.push([left, right]);
  }
  for (const m of body.matchAll(new RegExp(`\\b(?:enumerate|zip)\\(\\s*(${p})\\s*[,)]`, 'g'))) counted.add(m[1]);
  return { pairs, counted };
}

/**
 * Make related examples agree: where the body says two parameters share
 * their first dim (see batchRelations), a per-row lengths example (batch 2,
 * lengths 4 and 2) turns the generic one-row tokens or mask beside it into a
 * [2, 4] batch those lengths describe, and a counted parameter left with the
 * one-row tokens becomes the lengths (espnet's mask_by_length(xs, lengths)
 * asserts xs.size(0) == len(lengths) and slices xs[i, :l]).
 */
function agree(names: readonly string[], args: string[], body: string, ex: Examples): void {
  const { pairs, counted } = batchRelations(body, names);
  const at = (n: string) => names.indexOf(n);
  for (const [a, b] of pairs) {
    for (const [sized, other] of [[a, b], [b, a]]) {
      const i = at(sized), j = at(other);
      if (i < 0 || j < 0) continue;
      if (counted.has(other) && args[j] === ex.tokens && args[i] !== ex.lengths) args[j] = ex.lengths;
      if (args[j] !== ex.lengths) continue;
      if (args[i] === ex.tokens) args[i] = ex.batchTokens;
      else if (args[i] === ex.mask) args[i] = ex.batchMask;
    }
  }
}

const PY_BUILTINS = new Set([
  'True', 'False', 'None', 'len', 'range', 'list', 'tuple', 'dict', 'int', 'float', 'bool', 'str', 'max', 'min', 'sum', 'abs', 'sorted', 'zip', 'enumerate', 'slice',
  'for', 'in', 'if', 'else', 'not', 'and', 'or', 'is', 'lambda',
]);

/** The argument text of the call whose `(` is at `open`, balanced over brackets and strings; undefined if unclosed. */
function argumentsAt(text: string, open: number): string | undefined {
  let depth = 0;
  for (let i = open; i < text.length && i < open + 600; i++) {
    const c = text[i];
    if (c === '"' || c === "'") {
      const end = text.indexOf(c, i + 1);
      if (end < 0) return undefined;
      i = end;
    } else if ('([{'.includes(c)) depth++;
    else if (')]}'.includes(c) && --depth === 0) return text.slice(open + 1, i);
  }
  return undefined;
}

/** Whether every name an argument text reads is bound at module level (or built in): it evaluates after the file runs. */
function readsOnly(args: string, known: ReadonlySet<string>): boolean {
  const code = args.replace(/(["'])(?:\\.|(?!\1).)*\1/g, '""');
  for (const m of code.matchAll(/(?<![\w.])([A-Za-z_]\w*)(?!\w)(?!\s*=(?!=))/g)) if (!known.has(m[1]) && !PY_BUILTINS.has(m[1])) return false;
  return true;
}

/** What the evaluated file left at module level: its bound names (for argument expressions), and its array library. */
interface ModuleFacts {
  names: Set<string>;
  examples: Examples;
}

/**
 * From the parse: the names the module binds at top level, less those an
 * assignment should have bound but did not (`ran` says which values the run
 * left: an import, `def` or `class` always counts); and NumPy examples for
 * a file that imports NumPy and not torch.
 */
function moduleFacts(source: string, ran: ((name: string) => boolean) | undefined): ModuleFacts {
  const names = new Set<string>();
  try {
    for (const stmt of parseModule(source).body) {
      const always = stmt.kind === 'Import' || stmt.kind === 'ImportFrom' || stmt.kind === 'FunctionDef' || stmt.kind === 'ClassDef';
      for (const name of boundNames(stmt)) if (always || !ran || ran(name)) names.add(name);
    }
  } catch {
    // no parse: no names to read, torch examples
  }
  const numpyOnly = !names.has('torch') && (names.has('np') || names.has('numpy'));
  return { names, examples: numpyOnly ? NUMPY : TORCH };
}

/**
 * Arguments from a call of `f` the file shows: in its code (a call the run
 * never made, in another uncalled function, say), else a `>>> f(...)`
 * example in its docstring, with the names earlier `>>> x = ...` lines bound
 * written out. Only a call whose arguments read module-level names counts.
 */
function fromCallSite(f: FunctionInfo, lines: string[], known: ReadonlySet<string>): string | undefined {
  const name = f.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const text = lines.join('\n');
  const doctest = new Map<string, string>();
  const fromDoctest: string[] = [];
  for (const line of lines.slice(f.line - 1, f.endLine)) {
    const m = /^\s*>>>\s*(.*)$/.exec(line);
    if (!m) continue;
    const assign = /^([A-Za-z_]\w*)\s*=(?!=)\s*(.+)$/.exec(m[1]);
    if (assign) doctest.set(assign[1], assign[2].trim());
    const call = new RegExp(`(?<![\\w.])${name}\\s*\\(`).exec(m[1]);
    const args = call && argumentsAt(m[1], call.index + call[0].length - 1);
    if (args !== undefined && args !== null) {
      // names an earlier example line bound, written out
      fromDoctest.push(args.replace(/(?<![\w.])([A-Za-z_]\w*)(?!\w)(?!\s*=(?!=))/g, (w) => doctest.get(w) ?? w));
    }
  }
  const inCode: string[] = [];
  for (const m of text.matchAll(new RegExp(`(?<![\\w.])${name}\\s*\\(`, 'g'))) {
    const before = text.slice(text.lastIndexOf('\n', m.index) + 1, m.index);
    if (/\bdef\s+$/.test(before) || /^\s*(>>>|\.\.\.)/.test(before) || before.includes('#')) continue;
    const args = argumentsAt(text, m.index + m[0].length - 1);
    if (args !== undefined) inCode.push(args.replace(/\s*\n\s*/g, ' ').trim());
  }
  return [...inCode, ...fromDoctest].find((args) => args.trim() && readsOnly(args, known));
}

/**
 * The argument expressions Preview with Arguments… offers first for `f`
 * (see the file header); `source` is the evaluated file and `result` its
 * evaluation (a call site may read only the module-level names it left
 * bound). `*args` and `**kwargs` are left out; a method's `self` is an
 * instance of its class (`Block()` for a class defined in a function), a
 * classmethod's `cls` is left to the call to bind, a staticmethod's `ctx`
 * (a torch.autograd.Function's forward) is a FunctionCtx; a default is
 * passed by keyword (`pad_token=0`).
 */
export function prefillArguments(f: FunctionInfo, source = '', result?: Pick<RunResult, 'variables' | 'timeline'> & Partial<Pick<RunResult, 'functions'>>): string {
  const lines = source.split('\n');
  const ran = result && ((name: string) => name in result.variables || result.timeline.some((s) => s.name === name));
  const facts = moduleFacts(source, ran);
  if (!f.method && f.function === f.name && source) {
    const called = fromCallSite(f, lines, facts.names);
    if (called !== undefined) return called;
  }
  return argumentsFor(f, { lines, facts, functions: result?.functions ?? [] }, 0);
}

/** What argumentsFor reads besides the function: the file's lines, its module facts and its functions (for constructors). */
interface PrefillContext {
  lines: string[];
  facts: ModuleFacts;
  functions: readonly FunctionInfo[];
}

/** How deep constructor arguments nest (`Block(ModelArgs())`) before a bare `Cls()` is offered. */
const MAX_CONSTRUCTOR_DEPTH = 2;

/** The argument list for `f`'s parameters (prefillArguments' per-parameter part); `depth` counts enclosing constructor calls. */
function argumentsFor(f: FunctionInfo, c: PrefillContext, depth: number): string {
  const ex = c.facts.examples;
  const body = c.lines.slice(f.line - 1, f.endLine);
  const doc = docstringLines(body);
  const code = body.slice(1).join('\n');
  const plain = f.params.map((p) => /^[A-Za-z_]\w*/.exec(p)?.[0] ?? '');
  // q, k and v together are attention's inputs, not sizes
  const qkv = plain.filter((p) => QKV_NAME.test(p)).length >= 2;
  const out: string[] = [];
  /** The parameter each entry of `out` is for, by name (keyword defaults are left as the code wrote them). */
  const named: string[] = [];
  f.params.forEach((p, i) => {
    if (p.startsWith('*')) return;
    const m = /^([A-Za-z_][A-Za-z0-9_]*)\s*(?::\s*([^=]+?))?\s*(?:=\s*(.+))?$/s.exec(p.trim());
    if (!m) return;
    const [, name, annotation, dflt] = m;
    named.push(dflt === undefined ? name : '');
    if (f.method && i === 0 && f.decorated === 'classmethod') {
      named.pop(); // Cls.method(...) binds cls itself
    } else if (f.method && i === 0 && f.decorated === 'staticmethod' && name === 'ctx') {
      // a torch.autograd.Function's forward(ctx, ...): the context Function.apply would pass
      out.push('torch.autograd.function.FunctionCtx()');
    } else if (f.method && i === 0 && f.decorated !== 'staticmethod') {
      // a class defined in a function is called by its own name (`Block()` for outer.<locals>.Block.forward)
      out.push(instanceOf(f.function.split('.<locals>.').pop()!.split('.').slice(0, -1).join('.'), c, depth));
    } else if (dflt !== undefined) out.push(`${name}=${dflt.trim()}`);
    else if (annotation && fileClass(annotation.trim(), c)) out.push(instanceOf(annotation.trim(), c, depth));
    else if (annotation) out.push(fromAnnotationOrName(name, annotation, ex, qkv));
    else {
      const said = docOf(doc, name);
      out.push((said !== undefined ? fromDoc(name, said, ex) : undefined) ?? fromUsage(name, code, ex) ?? fromName(name, ex, qkv));
    }
  });
  agree(named, out, code, ex);
  return out.join(', ');
}

/** Whether `name` is a class the file defines at module level (a parameter annotated `args: ModelArgs`). */
function fileClass(name: string, c: PrefillContext): boolean {
  return /^[A-Za-z_]\w*$/.test(name) && c.facts.names.has(name) && c.lines.some((l) => new RegExp(`^class\\s+${name}\\b`).test(l));
}

/**
 * An instance of the file's class `cls` for `self` (or a parameter annotated
 * with it): one the module bound (`model = Transformer(args)` gives `model`),
 * else the class called with its `__init__`'s own prefill (`Attention(ModelArgs())`),
 * else `cls()`. Hugging Face and llama modules take a config, so `cls()` alone raises.
 */
function instanceOf(cls: string, c: PrefillContext, depth: number): string {
  const escaped = cls.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  for (const line of c.lines) {
    const m = new RegExp(`^([A-Za-z_]\\w*)\\s*=\\s*${escaped}\\s*\\(`).exec(line);
    if (m && c.facts.names.has(m[1])) return m[1];
  }
  const init = c.functions.find((g) => g.function === `${cls}.__init__`);
  if (!init || depth >= MAX_CONSTRUCTOR_DEPTH) return `${cls}()`;
  // __init__'s parameters less self: argumentsFor on it would offer an instance for self
  return `${cls}(${argumentsFor({ ...init, method: false, params: init.params.slice(1) }, c, depth + 1)})`;
}
