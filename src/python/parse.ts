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
  /** Offset of the last token CPython's parser read before failing; null when it reached the end. */
  fetched?: number | null;
  /** "'(' was never closed": the bracket. */
  unclosed?: Token;
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

/**
 * Lezer wants a value after `yield`; a bare `yield` (valid Python) leaves an
 * empty error node right after the keyword, which lowering reads as `yield None`.
 */
function isBareYield(n: SyntaxNode): boolean {
  return n.from === n.to && n.prevSibling?.name === 'yield' &&
    (n.parent?.name === 'YieldStatement' || n.parent?.name === 'YieldExpression');
}

/** Offsets of all of lezer's error nodes. */
function treeErrorOffsets(tree: Tree, base: number): number[] {
  const out: number[] = [];
  tree.iterate({
    enter: (n) => {
      if (n.type.isError && !isBareYield(n.node)) out.push(n.from + base);
    },
  });
  return out;
}

function firstTreeError(tree: Tree, base: number): LezerError | null {
  let found: LezerError | null = null;
  tree.iterate({
    enter: (n) => {
      if (found) return false;
      if (n.type.isError && !isBareYield(n.node)) {
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
  if (tok.type === 'NAME') return !KEYWORDS.has(tok.value) || ['None', 'True', 'False', 'not', 'await'].includes(tok.value);
  if (tok.type === 'NUMBER' || tok.type === 'STRING') return true;
  return ['(', '[', '{', '~', '...'].includes(tok.value);
}

function endsExpression(tok: Token): boolean {
  if (tok.type === 'NAME') return !KEYWORDS.has(tok.value) || ['None', 'True', 'False'].includes(tok.value);
  return tok.type === 'NUMBER' || tok.type === 'STRING' || [')', ']', '}', '...'].includes(tok.value);
}

const BINARY_TOKENS = new Set(['+', '-', '*', '/', '//', '%', '**', '@', '&', '|', '^', '<<', '>>']);

/** Index just past a bitwise_or-level expression starting at tokens[i]; -1 if it runs off the end. */
function skipExpression(tokens: Token[], i: number): number {
  for (;;) {
    while (i < tokens.length && ['-', '+', '~'].includes(tokens[i]!.value)) i++;
    const j = skipPrimary(tokens, i);
    if (j < 0) return -1;
    if (!BINARY_TOKENS.has(tokens[j]!.value)) return j;
    i = j + 1;
  }
}

/** Index just past a primary expression (atom and trailers) starting at tokens[i]; -1 if it runs off the end. */
function skipPrimary(tokens: Token[], i: number): number {
  const skipBracket = (j: number): number => {
    let depth = 0;
    for (; j < tokens.length; j++) {
      const v = tokens[j]!.value;
      if (v === '(' || v === '[' || v === '{') depth++;
      else if (v === ')' || v === ']' || v === '}') {
        depth--;
        if (depth === 0) return j + 1;
      }
    }
    return -1;
  };
  if (i >= tokens.length) return -1;
  let j = ['(', '[', '{'].includes(tokens[i]!.value) ? skipBracket(i) : i + 1;
  while (j >= 0 && j < tokens.length) {
    const v = tokens[j]!.value;
    if (v === '.') j += 2;
    else if (v === '(' || v === '[') j = skipBracket(j);
    else break;
  }
  return j >= tokens.length ? -1 : j;
}

/** A compound statement header complete enough that CPython's "expected ':'" rule applies. */
function headerComplete(line: LogicalLine): boolean {
  const t = line.tokens;
  let w = firstWord(line);
  let i = 1;
  if (w === 'async') {
    w = t[1]?.value ?? '';
    i = 2;
  }
  if (w === 'else' || w === 'try' || w === 'finally') return t.length === i;
  const last = t[t.length - 1]!;
  if (w === 'except') return t.length === i || endsExpression(last);
  if (w === 'for') return t.some((x, k) => k > i && x.value === 'in') && endsExpression(last);
  if (w === 'def') return last.value === ')' || (t.some((x) => x.value === '->') && endsExpression(last));
  return t.length > i && endsExpression(last);
}

/** CPython's _PyPegen_get_expr_name for a lezer node, or null where the node is a valid assignment target. */
function targetProblem(n: SyntaxNode, text: (n: SyntaxNode) => string): { node: SyntaxNode; name: string } | null {
  const bad = (name: string): { node: SyntaxNode; name: string } => ({ node: n, name });
  switch (n.name) {
    case 'VariableName':
    case 'MemberExpression':
      return null;
    case 'TupleExpression':
    case 'ArrayExpression':
    case 'ParenthesizedExpression':
      for (let c = n.firstChild; c; c = c.nextSibling) {
        if (!EXPRESSION_NODES.has(c.name)) continue;
        const p = targetProblem(c, text);
        if (p) return p;
      }
      return null;
    case 'CallExpression':
      return bad('function call');
    case 'Number':
    case 'String':
    case 'ContinuedString':
      return bad('literal');
    case 'FormatString':
      return bad('f-string expression');
    case 'Boolean':
      return bad(text(n));
    case 'None':
      return bad('None');
    case 'Ellipsis':
      return bad('ellipsis');
    case 'BinaryExpression': {
      const op = n.firstChild?.nextSibling;
      if (op && (op.name === 'ArithOp' || op.name === 'BitOp')) return bad('expression');
      return bad(op?.name === 'and' || op?.name === 'or' ? 'expression' : 'comparison');
    }
    case 'ConditionalExpression':
      return bad('conditional expression');
    case 'LambdaExpression':
      return bad('lambda');
    case 'DictionaryExpression':
      return bad('dict literal');
    case 'SetExpression':
      return bad('set display');
    case 'ArrayComprehensionExpression':
      return bad('list comprehension');
    case 'SetComprehensionExpression':
      return bad('set comprehension');
    case 'DictionaryComprehensionExpression':
      return bad('dict comprehension');
    case 'ComprehensionExpression':
      return bad('generator expression');
    case 'NamedExpression':
      return bad('named expression');
    case 'AwaitExpression':
      return bad('await expression');
    default:
      return bad('expression');
  }
}

// CPython 3.11 compares soft keywords with strncmp over the name's length, so
// any prefix of one ("ma", "c") counts as one and blocks the comma hint.
function softKeywordPrefix(name: string): boolean {
  return name.length > 0 && ['match', 'case', '_'].some((k) => k.startsWith(name));
}

/**
 * CPython's message and location for the first error node lezer left in a
 * statement, and how far CPython's parser read before giving up (which
 * decides whether it blames a bracket never closed instead).
 */
function describeTreeError(err: LezerError, lines: LogicalLine[], text: string, laterErrors: number[] = []): FoundError {
  const tokens = lines.flatMap((l) => l.tokens);
  const tokIdx = tokens.findIndex((t) => t.to > err.from || t.from >= err.from);
  const tok = tokIdx >= 0 ? tokens[tokIdx] : undefined;
  const line =
    lines.find((l) => l.tokens.length && err.from >= l.tokens[0]!.from && err.from <= l.newline) ??
    lines.find((l) => l.tokens.length && l.tokens[0]!.from >= err.from);
  // the NEWLINE when the error sits past the last token of its logical line
  const lineLast = line?.tokens[line.tokens.length - 1];
  const atLineEnd = !!line && !!lineLast && err.from >= lineLast.to;
  // CPython fails on the failing token itself unless a rule below reads further
  const failTok = atLineEnd ? null : tok;
  // What CPython's parser reads when it looks past token `i` of the failing
  // token's logical line: off its end is the NEWLINE, or, inside a bracket
  // never closed, everything up to the end of the file.
  const tokLine = tok ? lines.find((l) => l.tokens.includes(tok)) : undefined;
  const fetchedAt = (skip: (ts: Token[], i: number) => number, i: number): number | null => {
    if (!tokLine) return null;
    const j = skip(tokLine.tokens, tokLine.tokens.indexOf(tok!) + i);
    if (j >= 0) return tokLine.tokens[j]!.from;
    if (!tokLine.errors.some((e) => e.unclosed)) return tokLine.newline;
    // Inside a bracket never closed the parser reads on to the end of the
    // file, unless what follows on the line already fails to parse.
    const lineEnd = tokLine.tokens[tokLine.tokens.length - 1]!.from;
    const stop = laterErrors.find((p) => p > tok!.to && p <= lineEnd);
    return stop ?? null;
  };
  const found = (message: string, from: number, to = from, fetched: number | null = failTok ? failTok.from : atLineEnd ? line!.newline : null): FoundError => ({
    message,
    from,
    to,
    errorType: 'SyntaxError',
    kind: 'parser',
    fetched,
  });

  const base = err.from - err.node.from;
  let node = err.node;
  // Lezer repairs `a b` by inserting an empty operator: look at the expression around it.
  if (node.parent && ['ArithOp', 'BitOp', 'CompareOp'].includes(node.parent.name) && node.parent.from === node.parent.to) node = node.parent;
  const parent = node.parent;
  let prev = node.prevSibling;
  while (prev && prev.name === 'Comment') prev = prev.prevSibling;
  const prevPrev = prev?.prevSibling;
  // the container whose syntax is broken (the BinaryExpression lezer made up counts as its parent's)
  const container = parent?.name === 'BinaryExpression' && node !== err.node ? parent.parent : parent;

  let fstring: SyntaxNode | null = null;
  for (let p: SyntaxNode | null = err.node.parent; p; p = p.parent) if (p.name === 'FormatString') fstring = p;
  if (fstring) {
    // our tokenizer knows where the literal really ends; lezer may run past it
    const fs = tokens.find((t) => t.type === 'STRING' && t.from === fstring!.from + base);
    const at = fs ? fs.to : err.from;
    const fetched = fs ? fs.from : err.from;
    if (parent?.name === 'FormatReplacement') {
      const replText = text.slice(parent.from + base, fs ? fs.to : parent.to + base);
      if (!prev || prev.name === '{') return found('f-string: empty expression not allowed', at, at, fetched);
      const rest = text.slice(err.from, fs ? fs.to : err.from + 2);
      if (rest.startsWith('!') && !/^![sra]/.test(rest)) {
        return found("f-string: invalid conversion character: expected 's', 'r', or 'a'", at, at, fetched);
      }
      if (replText.includes('\\')) return found('f-string expression part cannot include a backslash', at, at, fetched);
    }
    return found("f-string: expecting '}'", at, at, fetched);
  }

  // A bare `yield` (lezer wants a value after it).
  const before = tokens.filter((t) => t.to <= err.from).pop();
  if (before?.value === 'yield') {
    let inFunction = false;
    for (let p: SyntaxNode | null = err.node.parent; p; p = p.parent) {
      if (p.name === 'FunctionDefinition' || p.name === 'LambdaExpression') inFunction = true;
    }
    return inFunction
      ? found("Mask Lens does not support generators ('yield')", before.from, before.to)
      : found("'yield' outside function", before.from, before.to);
  }

  if (parent?.name === 'ConditionalExpression' && !parent.getChild('else') && tok?.value !== ':' && tok?.value !== 'else') {
    const test = parent.firstChild?.nextSibling?.nextSibling;
    if (test && !test.type.isError) return found("expected 'else' after 'if' expression", parent.from + base, test.to + base);
  }

  // `import (x`: CPython wants a name right after `import`.
  for (const l of lines) {
    if (firstWord(l) === 'import' && l.tokens[1]?.value === '(' && err.from >= l.tokens[1].from) {
      return found('invalid syntax', l.tokens[1].from, l.tokens[1].to, l.tokens[1].from);
    }
  }

  // def's ':' after the parameters (and return annotation) is a forced token in CPython's grammar.
  if (
    (parent?.name === 'FunctionDefinition' && (prev?.name === 'ParamList' || prev?.name === 'TypeDef')) ||
    (parent?.name === 'TypeDef' && parent.parent?.name === 'FunctionDefinition' && !!prev && EXPRESSION_NODES.has(prev.name))
  ) {
    const at = atLineEnd ? line!.newline : tok ? tok.from : err.from;
    return found("expected ':'", at, tok && !atLineEnd ? tok.to : at);
  }

  // A for statement that does not parse: CPython first checks its target.
  for (let p: SyntaxNode | null = err.node.parent; p; p = p.parent) {
    if (p.name !== 'ForStatement') continue;
    const kids: SyntaxNode[] = [];
    for (let c = p.firstChild; c && c.name !== 'in' && c.name !== 'Body' && !c.type.isError; c = c.nextSibling) kids.push(c);
    if (!kids.some((c) => c.name === 'for') || err.from + 0 > (p.getChild('Body')?.from ?? Infinity) + base) break;
    for (const c of kids) {
      if (!EXPRESSION_NODES.has(c.name)) continue;
      const problem = targetProblem(c, (n) => text.slice(n.from + base, n.to + base));
      if (problem) return found(`cannot assign to ${problem.name}`, problem.node.from + base, problem.node.to + base);
    }
    break;
  }

  if (line && atLineEnd && isCompoundHeader(line) && lineLast!.value !== ':' && headerComplete(line)) {
    return found("expected ':'", lineLast!.to, lineLast!.to);
  }

  // def name, then anything but '('
  // `def name` not followed by '(' (lezer may open an empty parameter list anyway)
  const defNode = parent?.name === 'FunctionDefinition' ? parent : parent?.name === 'ParamList' && !prev ? parent.parent : null;
  const defName = defNode?.getChild('VariableName');
  const rightAfterName = !!defName && /^\s*$/.test(text.slice(defName.to + base, err.from));
  if (defNode?.name === 'FunctionDefinition' && defName && defName.prevSibling?.name === 'def' && rightAfterName) {
    const defLine = lines.filter((l) => l.tokens.length && l.tokens[0]!.from <= defName.from + base).pop();
    if (defLine && defLine.tokens[defLine.tokens.length - 1]!.to === defName.to + base) return found("expected '('", defLine.newline);
    if (tok && tok.value !== '(') return found("expected '('", tok.from, tok.to);
  }

  if (parent?.name === 'ParamList' && prev?.name === 'AssignOp') {
    return found('expected default value expression', prev.from + base, prev.to + base);
  }
  if (parent?.name === 'ParamList' && prevPrev?.name !== 'AssignOp') {
    return tok ? found('invalid syntax', tok.from, tok.to) : found('invalid syntax', err.from);
  }

  // A key without ':' in a dict display.
  if (parent?.name === 'DictionaryExpression' && prev && EXPRESSION_NODES.has(prev.name) && (prevPrev?.name === ',' || prevPrev?.name === '{')) {
    if (parent.getChild(':') !== null) return found("':' expected after dictionary key", prev.from + base, prev.to + base);
  }

  // f(a.b = 1)
  if (
    parent?.name === 'ArgList' && tok?.value === '=' && prev && EXPRESSION_NODES.has(prev.name) && prev.name !== 'VariableName' &&
    (prevPrev?.name === '(' || prevPrev?.name === ',')
  ) {
    return found('expression cannot contain assignment, perhaps you meant "=="?', prev.from + base, tok.to);
  }

  // Two expressions side by side: CPython reads the second one whole before
  // failing; inside brackets it suggests a comma. Comprehension conditions and
  // iterables are disjunctions in its grammar, where this check does not run.
  const prevTok = tokIdx > 0 ? tokens[tokIdx - 1] : undefined;
  const lineWord = tokLine ? firstWord(tokLine) : '';
  // import lists, global/nonlocal names and def/class names are not expressions
  const notExpression =
    ['import', 'from', 'global', 'nonlocal', 'def'].includes(lineWord) ||
    (lineWord === 'class' && !!tokLine && (tokLine.tokens[2]?.value !== '(' || tokLine.tokens.indexOf(tok!) <= 2));
  if (!atLineEnd && tok && prevTok && !notExpression && endsExpression(prevTok) && startsExpression(tok)) {
    let root = err.node;
    while (root.parent) root = root.parent;
    // the whole expression that ends with the previous token
    let a: SyntaxNode | null = root.resolve(prevTok.to - base, -1);
    while (a && !EXPRESSION_NODES.has(a.name)) a = a.parent;
    while (a?.parent && EXPRESSION_NODES.has(a.parent.name) && a.parent.to === a.to) a = a.parent;
    const aFrom = a && a.to + base === prevTok.to ? a.from + base : prevTok.from;
    const before = a?.prevSibling;
    const inComprehensionTail = (before?.name === 'if' || before?.name === 'in') && !!a?.parent && /Comprehension/.test(a.parent.name);
    if (!inComprehensionTail) {
      const fetched = fetchedAt(skipExpression, 0);
      const aText = text.slice(aFrom, prevTok.to);
      const aFirst = tokens.find((t) => t.from >= aFrom);
      const legacy = aText === 'print' || aText === 'exec' || (aFirst?.type === 'NAME' && softKeywordPrefix(aFirst.value));
      const nameString = prevTok.type === 'NAME' && aFrom === prevTok.from && tok.type === 'STRING';
      if (depthAt(tokens, tok.from) > 0 && !legacy && !nameString) {
        return found('invalid syntax. Perhaps you forgot a comma?', aFrom, tok.to, fetched);
      }
      return found('invalid syntax', tok.from, tok.to, fetched);
    }
  }

  // `x = (1 = 2`: CPython's invalid_named_expression reads the right-hand side and one token more.
  if (tok?.value === '=' && prevTok && endsExpression(prevTok) && !notExpression) {
    const fetched = fetchedAt(skipExpression, 1);
    const inCondition = ['if', 'elif', 'while'].includes(lineWord) && depthAt(tokens, tok.from) === 0;
    const inDisplay = depthAt(tokens, tok.from) > 0 && container?.name !== 'ArgList';
    const afterValue = tokLine ? tokLine.tokens[skipExpression(tokLine.tokens, tokLine.tokens.indexOf(tok) + 1)] : undefined;
    if ((inCondition || inDisplay) && afterValue?.value !== '=' && afterValue?.value !== ':=') {
      let root = err.node;
      while (root.parent) root = root.parent;
      let a: SyntaxNode | null = root.resolve(prevTok.to - base, -1);
      while (a && !EXPRESSION_NODES.has(a.name)) a = a.parent;
      while (a?.parent && EXPRESSION_NODES.has(a.parent.name) && a.parent.to === a.to) a = a.parent;
      const valueEnd = afterValue ? tokLine!.tokens[tokLine!.tokens.indexOf(afterValue) - 1]!.to : tok.to;
      if (a && a.to + base === prevTok.to) {
        const aFrom = a.from + base;
        if (a.name === 'VariableName') {
          return found("invalid syntax. Maybe you meant '==' or ':=' instead of '='?", aFrom, valueEnd, fetched);
        }
        const excluded = ['ArrayExpression', 'TupleExpression', 'ComprehensionExpression', 'Boolean', 'None'].includes(a.name);
        const problem = excluded ? null : targetProblem(a, (n) => text.slice(n.from + base, n.to + base));
        const bitwiseOr = !['comparison', 'conditional expression', 'lambda'].includes(problem?.name ?? '') &&
          !(a.name === 'BinaryExpression' && ['and', 'or'].includes(a.firstChild?.nextSibling?.name ?? '')) &&
          !(a.name === 'UnaryExpression' && a.firstChild?.name === 'not');
        const name = a.name === 'MemberExpression' ? (a.getChild('.') ? 'attribute' : 'subscript') : problem?.name;
        if (name && bitwiseOr) {
          return found(`cannot assign to ${name} here. Maybe you meant '==' instead of '='?`, aFrom, a.to + base, fetched);
        }
      }
    }
    return found('invalid syntax', tok.from, tok.to, fetched);
  }

  if (atLineEnd && line) return found('invalid syntax', line.newline, line.newline);
  if (tok) return found('invalid syntax', tok.from, tok.to);
  return found('invalid syntax', err.from);
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
 * Same-length edits so that lezer reads what Python reads (lowering reads
 * names and numbers from the real text): its Number token
 * wants a digit after '.' (`1.`, `2.e5` get a '0'), and its lambda parameters
 * lack the positional-only '/' (it becomes the name '_'; lowering reads the
 * real text).
 */
function patchForLezer(text: string, lines: LogicalLine[]): string {
  let out: string[] | null = null;
  for (const l of lines) {
    l.tokens.forEach((t, i) => {
      // Lezer reads `print` followed by anything but '(' or '.' as a Python 2
      // print statement (`print @ x`, `print -1` are valid Python 3). Only
      // `print x`, `print "s"` keep it: CPython has its own message for those.
      const next = l.tokens[i + 1];
      if (t.type === 'NAME' && t.value === 'print' && next && next.type !== 'NAME' && next.type !== 'NUMBER' && next.type !== 'STRING') {
        out ??= text.split('');
        out[t.from] = 'P';
      }
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
      // `0..5` is two numbers to Python; keep lezer from reading `00.5`
      out[t.from + dot] = /[0-9.]/.test(text[t.to] ?? '') ? ' ' : '0';
    }
  }
  return out ? out.join('') : text;
}

export function parseModule(source: string): A.Module {
  const text = normalizeNewlines(source);
  const start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const index = new LineIndex(text);
  const { lines, errors: allTokErrors, uncut } = tokenize(text, start);
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
  interface Found {
    error: FoundError;
    region: number;
    chunkFrom: number;
    /** The region's bracket never closed, if it has one. */
    unclosed: Token | undefined;
    stmt: A.SyntaxErrorStmt;
    entry: A.Module['syntaxErrors'][number];
  }
  const found: Found[] = [];

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
        const described = describeTreeError(treeErr, region.lines, lezerText, treeErrorOffsets(tree, chunkFrom));
        // With a bracket never closed, errors lezer finds at the end of the cut-off chunk are its echo.
        if (!(unclosed && described.from >= coverTo)) parserErrors.push(described);
      }
      parserErrors.sort((a, b) => a.from - b.from);
      const P = parserErrors[0];
      const T = tokErrors[0];
      if (T?.unclosed) {
        error = blamesParser(P, T.unclosed, index) ? P! : fromTokError(T);
      } else if (T) {
        // The parser meets a tokenizer error when it reads that far.
        const reach = !P ? Infinity : P.fetched === null ? Infinity : (P.fetched ?? P.from);
        error = T.raisedByTokenizer || T.at <= reach ? fromTokError(T) : P!;
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
    found.push({ error, region: ri, chunkFrom, unclosed: tokErrors.find((e) => e.unclosed)?.unclosed, stmt, entry });
  });

  const module: A.Module = { body, syntaxErrors };
  const reported = reportedError();
  if (reported !== undefined) module.reported = reported;
  return module;

  /** The error CPython reports for the whole file (see Module.reported); may rewrite what a statement reports. */
  function reportedError(): number | undefined {
    if (found.length === 0) return undefined;
    let first = found.findIndex((f) => f.error.kind !== 'compile');
    // Only compile-time errors: CPython reports the first.
    if (first < 0) return 0;
    const setError = (f: Found, e: FoundError): void => {
      f.error = e;
      const errorSpan = index.span(e.from, Math.max(e.from, e.to));
      f.stmt.message = f.entry.message = e.message;
      f.stmt.errorSpan = f.entry.span = errorSpan;
      if (e.errorType === 'SyntaxError') {
        delete f.stmt.errorType;
        delete f.entry.errorType;
      } else f.stmt.errorType = f.entry.errorType = e.errorType;
    };
    let f = found[first]!;
    if (f.error.kind !== 'parser' && !f.error.unclosed) return first;

    // With several brackets never closed, CPython's parser reads on past our
    // cuts, and the bracket it may blame is the innermost one open at the end.
    const openAtEnd = uncut.openAtEnd;
    if (f.unclosed && openAtEnd && f.unclosed.from !== openAtEnd.from) {
      const rest = parser.parse(lezerText.slice(f.chunkFrom));
      const treeErr = firstTreeError(rest, f.chunkFrom);
      const uncutLines = uncut.lines.filter((l) => l.lineStart >= f.chunkFrom);
      const P = treeErr ? describeTreeError(treeErr, uncutLines, lezerText, treeErrorOffsets(rest, f.chunkFrom)) : undefined;
      if (P && blamesParser(P, openAtEnd, index)) setError(f, P);
      else {
        const j = found.findIndex((g) => g.error.unclosed?.from === openAtEnd.from);
        if (j >= 0) {
          first = j;
          f = found[j]!;
        }
      }
    }

    // CPython then tokenizes the rest of the file (a bracket never closed is
    // only found at the end), and the first error its tokenizer raises there
    // is reported instead.
    const after = f.error.unclosed ? f.error.unclosed.from : f.error.fetched === null ? Infinity : (f.error.fetched ?? f.error.from);
    for (const e of allTokErrors) {
      if (e.at <= after || e.unclosed) continue;
      if (!e.raisedByTokenizer) break;
      const j = found.findIndex((g) => {
        const r = regs[g.region]!;
        return r.lines.some((l) => l.errors.includes(e));
      });
      if (j < 0) break;
      if (found[j]!.error.message !== e.message) setError(found[j]!, fromTokError(e));
      return j;
    }
    return first;
  }
}

/**
 * With `opener` never closed, CPython keeps the parser's error only if the
 * parser gave up before reading past the opener's line.
 */
function blamesParser(P: FoundError | undefined, opener: Token, index: LineIndex): boolean {
  if (!P) return false;
  if (P.fetched === null || P.fetched === undefined) return P.fetched === undefined && index.line(P.from) <= index.line(opener.from);
  return index.line(P.fetched) <= index.line(opener.from);
}

function fromTokError(e: TokError): FoundError {
  const f: FoundError = { message: e.message, from: e.from, to: e.to, errorType: e.errorType, kind: 'tokenizer' };
  if (e.unclosed) f.unclosed = e.unclosed;
  return f;
}

function fromLowerError(e: LowerError, kind: ErrorKind): FoundError {
  return { message: e.message, from: e.from, to: e.to, errorType: e.errorType, kind };
}
