// Python source -> our typed AST (ast.ts), with spans on every node and
// CPython 3.11's syntax errors.
//
// The file is first cut into top-level statements by our own tokenizer
// (parse/tokenize.ts), each statement is parsed with @lezer/python on its
// own, and its tree lowered (parse/lower.ts). A statement with a syntax error
// becomes a SyntaxErrorStmt and the others still lower, so the editor can
// preview the rest of the file. Which error a statement reports, and where,
// follows CPython's order: tokenizer errors, indentation, then the parser.
import { parser } from '@lezer/python';
import type { SyntaxNode, Tree } from '@lezer/common';
import type * as A from './ast';
import { LowerError, Lowerer } from './parse/lower';
import { normalizeNewlines, tokenize, type ErrorType, type LogicalLine, type TokError, type Token } from './parse/tokenize';

export { tokenize } from './parse/tokenize';

const COMPOUND = new Set(['if', 'while', 'for', 'try', 'with', 'def', 'class', 'async', 'elif', 'else', 'except', 'finally']);

interface Region {
  lines: LogicalLine[];
  /** Lines indented where no block was opened: CPython's "unexpected indent". */
  strayIndent: boolean;
}

/**
 * 'tokenizer': raised by CPython's tokenizer. 'parser': raised by the parser
 * (CPython lets a later tokenizer error take over). 'indent': the parser's
 * unexpected indent (final). 'compile': symbol table / compiler.
 */
type ErrorKind = 'tokenizer' | 'parser' | 'indent' | 'compile';

interface FoundError {
  message: string;
  from: number;
  to: number;
  errorType: ErrorType;
  kind: ErrorKind;
  /** "Perhaps you forgot a comma?": CPython read one token past `to`; otherwise two past `from`. */
  comma?: boolean;
}

class LineIndex {
  private starts: number[] = [0];
  constructor(text: string) {
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.starts.push(i + 1);
  }
  line(pos: number): number {
    const s = this.starts;
    let lo = 0;
    let hi = s.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (s[mid]! <= pos) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }
  span(from: number, to: number): A.Span {
    const line = this.line(from);
    const endLine = this.line(to);
    return {
      line,
      column: from - this.starts[line - 1]!,
      endLine,
      endColumn: to - this.starts[endLine - 1]!,
      from,
      to,
    };
  }
}

function firstWord(line: LogicalLine): string {
  const t = line.tokens[0];
  return t && (t.type === 'NAME' || t.value === '@') ? t.value : '';
}

function isSoftCompound(line: LogicalLine): boolean {
  const w = firstWord(line);
  const t = line.tokens;
  return (w === 'match' || w === 'case') && t.length >= 3 && t[t.length - 1]!.value === ':' && t[1]!.type !== 'OP';
}

function isCompoundHeader(line: LogicalLine): boolean {
  return COMPOUND.has(firstWord(line)) || isSoftCompound(line);
}

/** A header that opens an indented block: compound keyword first, ':' last. */
function opensBlock(line: LogicalLine): boolean {
  const t = line.tokens;
  return isCompoundHeader(line) && t.length > 0 && t[t.length - 1]!.value === ':';
}

function blockName(line: LogicalLine): string {
  let w = firstWord(line);
  if (w === 'async') w = line.tokens[1]?.value ?? w;
  if (w === 'def') return 'function definition';
  if (w === 'class') return 'class definition';
  return `'${w}' statement`;
}

/** Clauses that may continue a compound statement after the clause `last`. */
function following(head: string, last: string): string[] {
  if (head === 'if') return last === 'else' ? [] : ['elif', 'else'];
  if (head === 'for' || head === 'while') return last === head ? ['else'] : [];
  if (head === 'try') {
    if (last === 'try' || last === 'except') return ['except', 'else', 'finally'];
    if (last === 'else') return ['finally'];
  }
  return [];
}

function regions(lines: LogicalLine[]): Region[] {
  const out: Region[] = [];
  let i = 0;
  const takeBlock = (j: number): number => {
    while (j < lines.length && lines[j]!.depth > 0) j++;
    return j;
  };
  while (i < lines.length) {
    const first = lines[i]!;
    if (first.depth > 0) {
      const j = takeBlock(i);
      out.push({ lines: lines.slice(i, j), strayIndent: true });
      i = j;
      continue;
    }
    let j = i;
    while (j < lines.length && lines[j]!.depth === 0 && firstWord(lines[j]!) === '@') j++;
    if (j > i) {
      // Decorators: the statement they decorate belongs with them, whatever it is.
      if (j < lines.length && lines[j]!.depth === 0) j = takeBlock(j + 1);
      out.push({ lines: lines.slice(i, j), strayIndent: false });
      i = j;
      continue;
    }
    if (!isCompoundHeader(first)) {
      out.push({ lines: [first], strayIndent: false });
      i++;
      continue;
    }
    let head = firstWord(first);
    if (head === 'async') head = first.tokens[1]?.value ?? head;
    let last = head;
    j = takeBlock(i + 1);
    for (;;) {
      const next = lines[j];
      if (!next || next.depth !== 0) break;
      const w = firstWord(next);
      if (!following(head, last).includes(w)) break;
      last = w;
      j = takeBlock(j + 1);
    }
    out.push({ lines: lines.slice(i, j), strayIndent: false });
    i = j;
  }
  return out;
}

/** CPython's indentation checks between the logical lines of one statement. */
function blockErrors(region: Region, next: LogicalLine | undefined, index: LineIndex): FoundError[] {
  const out: FoundError[] = [];
  const lines = region.lines;
  const expected = (opener: LogicalLine, at: number): FoundError => ({
    message: `expected an indented block after ${blockName(opener)} on line ${index.line(opener.tokens[0]!.from)}`,
    from: at,
    to: at,
    errorType: 'IndentationError',
    kind: 'parser',
  });
  for (let k = 1; k < lines.length; k++) {
    const prev = lines[k - 1]!;
    const cur = lines[k]!;
    const at = cur.tokens[0]!.from;
    if (opensBlock(prev)) {
      if (cur.depth <= prev.depth) out.push(expected(prev, at));
    } else if (cur.depth > prev.depth) {
      out.push({ message: 'unexpected indent', from: at, to: at, errorType: 'IndentationError', kind: 'indent' });
    }
  }
  const last = lines[lines.length - 1]!;
  if (opensBlock(last)) {
    const at = next ? next.tokens[0]!.from : last.newline;
    out.push(expected(last, at));
  }
  return out;
}

interface LezerError {
  node: SyntaxNode;
  from: number;
  to: number;
}

function firstTreeError(tree: Tree, base: number): LezerError | null {
  let found: LezerError | null = null;
  tree.iterate({
    enter: (n) => {
      if (found) return false;
      if (n.type.isError) {
        found = { node: n.node, from: n.from + base, to: n.to + base };
        return false;
      }
      return undefined;
    },
  });
  return found;
}

const EXPRESSION_NODES = new Set([
  'VariableName', 'Number', 'String', 'FormatString', 'ContinuedString', 'Ellipsis', 'None', 'Boolean',
  'BinaryExpression', 'UnaryExpression', 'ParenthesizedExpression', 'TupleExpression', 'ComprehensionExpression',
  'ArrayExpression', 'ArrayComprehensionExpression', 'DictionaryExpression', 'DictionaryComprehensionExpression',
  'SetExpression', 'SetComprehensionExpression', 'CallExpression', 'MemberExpression', 'ConditionalExpression',
  'LambdaExpression', 'AwaitExpression',
]);
const KEYWORDS = new Set([
  'False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue', 'def', 'del', 'elif',
  'else', 'except', 'finally', 'for', 'from', 'global', 'if', 'import', 'in', 'is', 'lambda', 'nonlocal', 'not', 'or',
  'pass', 'raise', 'return', 'try', 'while', 'with', 'yield',
]);

function startsExpression(tok: Token): boolean {
  if (tok.type === 'NAME') return !KEYWORDS.has(tok.value) || ['None', 'True', 'False', 'lambda', 'not', 'await'].includes(tok.value);
  if (tok.type === 'NUMBER' || tok.type === 'STRING') return true;
  return ['(', '[', '{', '~', '...'].includes(tok.value);
}

/**
 * CPython's message and location for the first error node lezer left in a
 * statement. `tokens` are the statement's tokens; `newlines` the NEWLINE
 * offsets of its logical lines.
 */
function describeTreeError(err: LezerError, lines: LogicalLine[], text: string): FoundError {
  const generic = (at: number, end = at): FoundError => ({ message: 'invalid syntax', from: at, to: end, errorType: 'SyntaxError', kind: 'parser' });
  const tokens = lines.flatMap((l) => l.tokens);
  const tokIdx = tokens.findIndex((t) => t.to > err.from || t.from >= err.from);
  const tok = tokIdx >= 0 ? tokens[tokIdx] : undefined;
  const line = lines.find((l) => l.tokens.length && err.from >= l.tokens[0]!.from && err.from <= l.newline) ??
    lines.find((l) => l.tokens.length && l.tokens[0]!.from >= err.from);
  // NEWLINE position when the error sits past the last token of its logical line
  const lineLast = line?.tokens[line.tokens.length - 1];
  const atLineEnd = !!line && !!lineLast && err.from >= lineLast.to;

  const base = err.from - err.node.from;
  const parent = err.node.parent;
  let prev = err.node.prevSibling;
  while (prev && prev.name === 'Comment') prev = prev.prevSibling;
  const prevPrev = prev?.prevSibling;
  const nodeText = (n: SyntaxNode): string => text.slice(n.from + base, n.to + base);
  const parser = (message: string, from: number, to = from): FoundError => ({ message, from, to, errorType: 'SyntaxError', kind: 'parser' });

  let fstring: SyntaxNode | null = null;
  for (let p: SyntaxNode | null = err.node.parent; p; p = p.parent) if (p.name === 'FormatString') fstring = p;
  if (fstring) {
    {
      // our tokenizer knows where the literal really ends; lezer may run past it
      const fs = tokens.find((t) => t.type === 'STRING' && t.from === fstring!.from + base);
      const at = fs ? fs.to : err.from;
      if (parent?.name === 'FormatReplacement') {
        const replText = text.slice(parent.from + base, fs ? fs.to : parent.to + base);
        if (!prev || prev.name === '{') return parser('f-string: empty expression not allowed', at);
        const rest = text.slice(err.from, fs ? fs.to : err.from + 2);
        if (rest.startsWith('!') && !/^![sra]/.test(rest)) {
          return parser("f-string: invalid conversion character: expected 's', 'r', or 'a'", at);
        }
        if (replText.includes('\\')) return parser('f-string expression part cannot include a backslash', at);
      }
      return parser("f-string: expecting '}'", at);
    }
  }

  // A bare `yield` (lezer wants a value after it).
  const before = tokens.filter((t) => t.to <= err.from).pop();
  if (before?.value === 'yield') {
    let inFunction = false;
    for (let p: SyntaxNode | null = err.node.parent; p; p = p.parent) {
      if (p.name === 'FunctionDefinition' || p.name === 'LambdaExpression') inFunction = true;
    }
    return inFunction
      ? parser("Mask Lens does not support generators ('yield')", before.from, before.to)
      : parser("'yield' outside function", before.from, before.to);
  }

  if (parent?.name === 'ConditionalExpression' && !parent.getChild('else')) {
    const kids: SyntaxNode[] = [];
    for (let c = parent.firstChild; c; c = c.nextSibling) kids.push(c);
    const test = kids[2];
    if (test && !test.type.isError) {
      return {
        message: "expected 'else' after 'if' expression",
        from: parent.from + (err.from - err.node.from),
        to: test.to + (err.from - err.node.from),
        errorType: 'SyntaxError',
        kind: 'parser',
      };
    }
  }

  if (line && atLineEnd && isCompoundHeader(line) && lineLast!.value !== ':') {
    return { message: "expected ':'", from: lineLast!.to, to: lineLast!.to, errorType: 'SyntaxError', kind: 'parser' };
  }

  if (parent?.name === 'ParamList') {
    if (prev?.name === 'AssignOp') return parser('expected default value expression', prev.from + base, prev.to + base);
    return tok ? parser('invalid syntax', tok.from, tok.to) : parser('invalid syntax', err.from);
  }

  // A key without ':' in a dict display.
  if (parent?.name === 'DictionaryExpression' && prev && EXPRESSION_NODES.has(prev.name) && (prevPrev?.name === ',' || prevPrev?.name === '{')) {
    const hasColon = parent.getChild(':') !== null;
    if (hasColon) return parser("':' expected after dictionary key", prev.from + base, prev.to + base);
  }

  // f(a.b = 1)
  if (parent?.name === 'ArgList' && tok?.value === '=' && prev && EXPRESSION_NODES.has(prev.name) && prev.name !== 'VariableName') {
    return parser('expression cannot contain assignment, perhaps you meant "=="?', prev.from + base, tok.to);
  }

  // Two expressions side by side inside brackets. Comprehension conditions and
  // iterables are disjunctions in CPython's grammar, where this check does not run.
  const inComprehensionTail = !!prevPrev && (prevPrev.name === 'if' || prevPrev.name === 'in') && !!parent && /Comprehension/.test(parent.name);
  if (tok && prev && !inComprehensionTail && EXPRESSION_NODES.has(prev.name) && startsExpression(tok) && depthAt(tokens, tok.from) > 0) {
    const shift = base;
    const prevText = nodeText(prev);
    const legacy = prev.name === 'VariableName' && (prevText === 'print' || prevText === 'exec');
    const nameString = prev.name === 'VariableName' && tok.type === 'STRING';
    if (!legacy && !nameString) {
      return {
        message: 'invalid syntax. Perhaps you forgot a comma?',
        from: prev.from + shift,
        to: tok.to,
        errorType: 'SyntaxError',
        kind: 'parser',
        comma: true,
      };
    }
  }

  if (atLineEnd && line) return generic(line.newline, line.newline);
  if (tok) return generic(tok.from, tok.to);
  return generic(err.from);
}

function depthAt(tokens: Token[], pos: number): number {
  let depth = 0;
  for (const t of tokens) {
    if (t.from >= pos) break;
    if (t.value === '(' || t.value === '[' || t.value === '{') depth++;
    else if (t.value === ')' || t.value === ']' || t.value === '}') depth = Math.max(0, depth - 1);
  }
  return depth;
}

/**
 * Same-length edits so that lezer reads what Python reads: its Number token
 * wants a digit after '.' (`1.`, `2.e5` get a '0'), and its lambda parameters
 * lack the positional-only '/' (it becomes the name '_'; lowering reads the
 * real text).
 */
function patchForLezer(text: string, lines: LogicalLine[]): string {
  let out: string[] | null = null;
  for (const l of lines) {
    l.tokens.forEach((t, i) => {
      if (t.value === '/' && l.tokens[i - 1]?.value === ',' && [',', ':', ')'].includes(l.tokens[i + 1]?.value ?? '')) {
        out ??= text.split('');
        out[t.from] = '_';
      }
    });
    for (const t of l.tokens) {
      if (t.type !== 'NUMBER') continue;
      const dot = t.value.indexOf('.');
      if (dot < 0 || /[0-9]/.test(t.value[dot + 1] ?? '')) continue;
      if (dot === 0) continue;
      out ??= text.split('');
      out[t.from + dot] = '0';
    }
  }
  return out ? out.join('') : text;
}

export function parseModule(source: string): A.Module {
  const text = normalizeNewlines(source);
  const start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const index = new LineIndex(text);
  const { lines, errors: allTokErrors } = tokenize(text, start);
  const lezerText = patchForLezer(text, lines);
  const regs = regions(lines);
  const tokenStarts = lines.flatMap((l) => l.tokens.map((t) => t.from));
  const tokenAfter = (pos: number): number | null => {
    let lo = 0;
    let hi = tokenStarts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (tokenStarts[mid]! < pos) lo = mid + 1;
      else hi = mid;
    }
    return lo < tokenStarts.length ? tokenStarts[lo]! : null;
  };

  const body: A.Stmt[] = [];
  const syntaxErrors: A.Module['syntaxErrors'] = [];
  const found: { error: FoundError; region: number }[] = [];

  regs.forEach((region, ri) => {
    const first = region.lines[0]!;
    const lastLine = region.lines[region.lines.length - 1]!;
    const nextRegion = regs[ri + 1];
    const chunkFrom = Math.max(first.lineStart, start);
    const chunkTo = nextRegion ? nextRegion.lines[0]!.lineStart : text.length;
    const coverFrom = first.tokens[0]?.from ?? chunkFrom;
    const lastTok = lastLine.tokens[lastLine.tokens.length - 1];
    const coverTo = lastTok?.to ?? coverFrom;

    const tokErrors = region.lines.flatMap((l) => l.errors).sort((a, b) => a.at - b.at);
    let error: FoundError | null = null;
    let stmts: A.Stmt[] = [];

    if (region.strayIndent) {
      const indentErr = tokErrors.find((e) => e.at === first.lineStart);
      error = indentErr
        ? fromTokError(indentErr)
        : { message: 'unexpected indent', from: coverFrom, to: coverFrom, errorType: 'IndentationError', kind: 'indent' };
    } else {
      const tree = parser.parse(lezerText.slice(chunkFrom, chunkTo));
      const lowerer = new Lowerer({ text, original: source, base: chunkFrom, span: (a, b) => index.span(a, b), tokenAfter });
      stmts = lowerer.block(tree.topNode);
      const treeErr = firstTreeError(tree, chunkFrom);
      const parserErrors: FoundError[] = blockErrors(region, nextRegion?.lines[0], index);
      for (const e of lowerer.errors) {
        if (e.level === 'syntax') parserErrors.push(fromLowerError(e, 'parser'));
      }
      const unclosed = tokErrors.find((e) => e.unclosed);
      if (treeErr) {
        const described = describeTreeError(treeErr, region.lines, lezerText);
        // With a bracket never closed, errors lezer finds at the end of the cut-off chunk are its echo.
        if (!(unclosed && described.from >= coverTo)) parserErrors.push(described);
      }
      parserErrors.sort((a, b) => a.from - b.from);
      const P = parserErrors[0];
      const T = tokErrors[0];
      if (T?.unclosed) {
        const opener = T.unclosed;
        const tokensAll = region.lines.flatMap((l) => l.tokens);
        let parserFirst = false;
        if (P) {
          if (P.from < opener.from) parserFirst = true;
          else {
            // CPython only blames the bracket if, failing, it had read past the bracket's line.
            const at = tokensAll.findIndex((t) => (P.comma ? t.from >= P.to : t.to > P.from));
            const lookahead = at < 0 ? [undefined] : P.comma ? [tokensAll[at]] : [tokensAll[at + 1], tokensAll[at + 2]];
            parserFirst = lookahead.every((t) => !!t && index.line(t.from) <= index.line(opener.from));
          }
        }
        error = parserFirst ? P! : fromTokError(T);
      } else if (T) {
        if (!P || T.at <= P.from || T.raisedByTokenizer) error = fromTokError(T);
        else error = P;
      } else if (P) {
        error = P;
      } else {
        // A shape lowering could not read, though lezer flagged nothing.
        const shape = lowerer.errors.find((e) => e.level === 'tree');
        const compile = lowerer.errors.filter((e) => e.level === 'compile').sort((a, b) => a.from - b.from)[0];
        if (shape) error = fromLowerError(shape, 'parser');
        else if (compile) error = fromLowerError(compile, 'compile');
      }
    }

    if (!error) {
      body.push(...stmts);
      return;
    }
    const errorSpan = index.span(error.from, Math.max(error.from, error.to));
    const stmt: A.SyntaxErrorStmt = {
      kind: 'SyntaxError',
      message: error.message,
      span: index.span(coverFrom, coverTo),
      errorSpan,
    };
    if (error.errorType !== 'SyntaxError') stmt.errorType = error.errorType;
    body.push(stmt);
    const entry: A.Module['syntaxErrors'][number] = { message: error.message, span: errorSpan };
    if (error.errorType !== 'SyntaxError') entry.errorType = error.errorType;
    syntaxErrors.push(entry);
    found.push({ error, region: ri });
  });

  const module: A.Module = { body, syntaxErrors };
  const reported = reportedError(found, regs, allTokErrors);
  if (reported !== undefined) module.reported = reported;
  return module;
}

function fromTokError(e: TokError): FoundError {
  return { message: e.message, from: e.from, to: e.to, errorType: e.errorType, kind: 'tokenizer' };
}

function fromLowerError(e: LowerError, kind: ErrorKind): FoundError {
  return { message: e.message, from: e.from, to: e.to, errorType: e.errorType, kind };
}

/** The error CPython reports for the whole file (see Module.reported). */
function reportedError(found: { error: FoundError; region: number }[], regs: Region[], tokErrors: TokError[]): number | undefined {
  if (found.length === 0) return undefined;
  const firstParse = found.findIndex((f) => f.error.kind !== 'compile');
  if (firstParse < 0) return 0;
  const f = found[firstParse]!;
  if (f.error.kind !== 'parser') return firstParse;
  // After a parser error CPython tokenizes the rest of the file; the first
  // tokenizer error it raises there is reported instead.
  for (const e of tokErrors) {
    if (e.at <= f.error.from || e.unclosed) continue;
    if (!e.raisedByTokenizer) break;
    const ri = regs.findIndex((r) => r.lines.some((l) => l.errors.includes(e)));
    const idx = found.findIndex((x) => x.region === ri);
    return idx >= 0 ? idx : firstParse;
  }
  return firstParse;
}
