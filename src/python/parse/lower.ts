// Lowering of a @lezer/python syntax tree into our typed AST (ast.ts).
//
// The lezer tree is flat in places (comma lists, comprehension clauses and
// slices are runs of sibling nodes), so most of this file walks sibling
// sequences. Checks that CPython makes while parsing or compiling but lezer
// does not (assignment targets, argument order, 'return' outside function,
// ...) are made here, with CPython's wording.
import type { SyntaxNode } from '@lezer/common';
import type * as A from '../ast';
import type { ErrorType } from './tokenize';
import { decodeEscapes, EscapeError, stringPrefix } from './strings';

/**
 * 'syntax': CPython's parser rejects it. 'compile': CPython's symbol table or
 * compiler rejects it (only reported when the whole file parses).
 * 'unsupported': valid Python that Mask Lens does not model (yield, await,
 * match); the statement becomes a SyntaxErrorStmt but Python itself would
 * not complain. 'tree': lezer's tree had an error node here; the message
 * comes from the error analysis, not from lowering.
 */
export type LowerErrorLevel = 'syntax' | 'compile' | 'unsupported' | 'tree';

export class LowerError extends Error {
  constructor(
    message: string,
    readonly from: number,
    readonly to: number,
    readonly level: LowerErrorLevel,
    readonly errorType: ErrorType = 'SyntaxError',
  ) {
    super(message);
  }
}

export interface LowerContext {
  /** The document with '\n' line ends (names, numbers, gaps). */
  text: string;
  /** The document as given (string literal bodies keep their own line ends). */
  original: string;
  /** Offset of the lezer chunk in the document. */
  base: number;
  span(from: number, to: number): A.Span;
  /** Start of the first token at or after `pos` in the whole file, or null at the end. */
  tokenAfter(pos: number): number | null;
}

interface Scope {
  kind: 'module' | 'function' | 'class';
  inLoop: boolean;
}

const STATEMENT_NODES = new Set([
  'AssignStatement', 'UpdateStatement', 'ExpressionStatement', 'DeleteStatement', 'PassStatement',
  'BreakStatement', 'ContinueStatement', 'ReturnStatement', 'YieldStatement', 'PrintStatement',
  'RaiseStatement', 'ImportStatement', 'ScopeStatement', 'AssertStatement', 'TypeDefinition',
  'StatementGroup', 'IfStatement', 'WhileStatement', 'ForStatement', 'TryStatement', 'WithStatement',
  'FunctionDefinition', 'ClassDefinition', 'DecoratedStatement', 'MatchStatement',
]);

export function isStatementNode(node: SyntaxNode): boolean {
  return STATEMENT_NODES.has(node.name);
}

/** Direct children, without comments. */
export function kids(node: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let c = node.firstChild; c; c = c.nextSibling) if (c.name !== 'Comment') out.push(c);
  return out;
}

export function hasErrorNode(node: SyntaxNode): boolean {
  if (node.type.isError) return true;
  let found = false;
  node.toTree().iterate({
    enter: (n) => {
      if (found) return false;
      if (n.type.isError) found = true;
      return undefined;
    },
  });
  return found;
}

/** Whether lezer flagged an error in a statement outside its nested bodies. */
function headerHasError(node: SyntaxNode): boolean {
  for (const c of kids(node)) {
    if (c.name === 'Body') continue;
    if (c.name === 'FunctionDefinition' || c.name === 'ClassDefinition') {
      if (headerHasError(c)) return true;
    } else if (hasErrorNode(c)) return true;
  }
  return false;
}

/**
 * An assignment whose first target is invalid, with lezer's errors only in
 * the value: CPython's second pass still reports the target.
 */
function targetBeforeErrors(node: SyntaxNode, e: LowerError): boolean {
  if (node.name !== 'AssignStatement' || !e.message.startsWith('cannot assign to')) return false;
  const k = kids(node);
  const eqIdx = k.findIndex((c) => c.name === 'AssignOp');
  return eqIdx >= 0 && !k.slice(0, eqIdx).some((c) => hasErrorNode(c));
}

function splitBy(nodes: SyntaxNode[], sep: string): SyntaxNode[][] {
  const groups: SyntaxNode[][] = [[]];
  for (const n of nodes) {
    if (n.name === sep) groups.push([]);
    else groups[groups.length - 1]!.push(n);
  }
  return groups;
}

const PYTHON_KEYWORDS = new Set([
  'False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue', 'def', 'del', 'elif',
  'else', 'except', 'finally', 'for', 'from', 'global', 'if', 'import', 'in', 'is', 'lambda', 'nonlocal', 'not', 'or',
  'pass', 'raise', 'return', 'try', 'while', 'with', 'yield',
]);

const COMPARE_OPS = new Set(['==', '!=', '<', '<=', '>', '>=']);
const BINARY_OPS = new Set(['+', '-', '*', '/', '//', '%', '**', '@', '&', '|', '^', '<<', '>>']);

export class Lowerer {
  /** Errors found while lowering, in the order met. */
  readonly errors: LowerError[] = [];
  private scopes: Scope[] = [{ kind: 'module', inLoop: false }];

  constructor(private readonly ctx: LowerContext) {}

  // ---------- helpers ----------

  private from(n: { from: number }): number {
    return n.from + this.ctx.base;
  }
  private to(n: { to: number }): number {
    return n.to + this.ctx.base;
  }
  private src(n: SyntaxNode): string {
    return this.ctx.text.slice(this.from(n), this.to(n));
  }
  /** Span from the start of `first` to the end of `last` (lezer chunk offsets). */
  private spanOf(first: { from: number; to: number }, last: { to: number } = first): A.Span {
    return this.ctx.span(this.from(first), this.to(last));
  }
  private spanDoc(from: number, to: number): A.Span {
    return this.ctx.span(from, to);
  }
  private fail(message: string, from: number, to: number, level: LowerErrorLevel = 'syntax', errorType?: ErrorType): never {
    throw new LowerError(message, from, to, level, errorType);
  }
  private failAt(message: string, node: SyntaxNode, level: LowerErrorLevel = 'syntax'): never {
    this.fail(message, this.from(node), this.to(node), level);
  }
  /** Record a compile-time error without abandoning the statement. */
  private compileError(message: string, from: number, to: number): void {
    this.errors.push(new LowerError(message, from, to, 'compile'));
  }
  private tree(node: SyntaxNode): never {
    this.fail('invalid syntax', this.from(node), this.to(node), 'tree');
  }
  private scope(): Scope {
    return this.scopes[this.scopes.length - 1]!;
  }
  private withScope<T>(scope: Scope, f: () => T): T {
    this.scopes.push(scope);
    try {
      return f();
    } finally {
      this.scopes.pop();
    }
  }
  private withLoop<T>(inLoop: boolean, f: () => T): T {
    const s = this.scope();
    const saved = s.inLoop;
    s.inLoop = inLoop;
    try {
      return f();
    } finally {
      s.inLoop = saved;
    }
  }

  /** CPython ends a compound statement with its last inner statement (lezer's node runs on past the newline). */
  private endAtLastStmt(start: number, ...blocks: A.Stmt[][]): A.Span {
    for (let i = blocks.length - 1; i >= 0; i--) {
      const b = blocks[i]!;
      if (b.length) return this.spanDoc(start, b[b.length - 1]!.span.to);
    }
    return this.spanDoc(start, start);
  }

  // ---------- statements ----------

  /** Lower the statements directly under `parent` (a Script or Body). */
  block(parent: SyntaxNode): A.Stmt[] {
    const out: A.Stmt[] = [];
    for (const c of kids(parent)) {
      if (c.type.isError) {
        this.errors.push(new LowerError('invalid syntax', this.from(c), this.to(c), 'tree'));
        continue;
      }
      if (isStatementNode(c)) out.push(...this.statement(c));
    }
    return out;
  }

  /** One statement node (a StatementGroup gives several). Errors become SyntaxErrorStmt placeholders. */
  statement(node: SyntaxNode): A.Stmt[] {
    if (node.name === 'StatementGroup') {
      return kids(node).filter(isStatementNode).flatMap((c) => this.statement(c));
    }
    try {
      return [this.stmt(node)];
    } catch (e) {
      if (!(e instanceof LowerError)) throw e;
      // Where lezer found an error in the same statement (its own lines, not
      // nested blocks), what lowering objects to is an artifact of lezer's repair.
      if (e.level === 'syntax' && headerHasError(node) && !targetBeforeErrors(node, e)) {
        this.errors.push(new LowerError(e.message, e.from, e.to, 'tree'));
      } else this.errors.push(e);
      return [{ kind: 'SyntaxError', message: e.message, span: this.spanOf(node), errorSpan: this.spanDoc(e.from, e.to) }];
    }
  }

  private body(node: SyntaxNode | undefined): A.Stmt[] {
    if (!node || node.name !== 'Body') return this.tree(node ?? this.missing());
    return this.block(node);
  }

  private missing(): never {
    throw new LowerError('invalid syntax', this.ctx.base, this.ctx.base, 'tree');
  }

  private stmt(node: SyntaxNode): A.Stmt {
    const span = this.spanOf(node);
    const k = kids(node);
    switch (node.name) {
      case 'ExpressionStatement': {
        const value = this.exprList(k);
        if (value.kind === 'Starred') this.compileError("can't use starred expression here", value.span.from, value.span.to);
        return { kind: 'Expr', value, span };
      }
      case 'AssignStatement':
        return this.assign(node, k, span);
      case 'UpdateStatement': {
        const opIdx = k.findIndex((c) => c.name === 'UpdateOp');
        if (opIdx < 0) return this.tree(node);
        const target = this.exprList(k.slice(0, opIdx));
        const opText = this.src(k[opIdx]!).slice(0, -1);
        if (!BINARY_OPS.has(opText)) return this.failAt('invalid syntax', k[opIdx]!);
        if (target.kind !== 'Name' && target.kind !== 'Attribute' && target.kind !== 'Subscript') {
          this.fail(
            `'${exprName(target)}' is an illegal expression for augmented assignment`,
            target.span.from,
            target.span.to,
          );
        }
        const rest = k.slice(opIdx + 1);
        const augValue = rest.length === 1 && rest[0]!.name === 'YieldExpression' ? this.yieldExpr(rest[0]!) : this.exprList(rest);
        return { kind: 'AugAssign', target, op: opText as A.BinaryOperator, value: augValue, span };
      }
      case 'DeleteStatement': {
        const groups = splitBy(k.slice(1), ',').filter((g) => g.length > 0);
        const targets = groups.map((g) => this.element(g));
        for (const t of targets) this.checkTarget(t, 'del');
        return { kind: 'Delete', targets, span };
      }
      case 'PassStatement':
        return { kind: 'Pass', span };
      case 'BreakStatement':
        if (!this.scope().inLoop) this.compileError("'break' outside loop", span.from, span.to);
        return { kind: 'Break', span };
      case 'ContinueStatement':
        if (!this.scope().inLoop) this.compileError("'continue' not properly in loop", span.from, span.to);
        return { kind: 'Continue', span };
      case 'ReturnStatement': {
        if (this.scope().kind !== 'function') this.compileError("'return' outside function", span.from, span.to);
        const rest = k.slice(1);
        const value = rest.length ? this.exprList(rest) : null;
        if (value?.kind === 'Starred') this.compileError("can't use starred expression here", value.span.from, value.span.to);
        return { kind: 'Return', value, span };
      }
      case 'YieldStatement':
        return { kind: 'Expr', value: this.yieldExpr(node), span };
      case 'PrintStatement':
        return this.fail("Missing parentheses in call to 'print'. Did you mean print(...)?", span.from, span.to);
      case 'RaiseStatement': {
        const rest = k.slice(1);
        if (rest.some((c) => c.name === ',')) {
          const comma = rest.find((c) => c.name === ',')!;
          return this.failAt('invalid syntax', comma);
        }
        const fromIdx = rest.findIndex((c) => c.name === 'from');
        const exc = rest.length ? this.expr(rest[0]!) : null;
        const cause = fromIdx >= 0 ? this.expr(rest[fromIdx + 1] ?? this.tree(node)) : null;
        return { kind: 'Raise', exc, cause, span };
      }
      case 'ImportStatement':
        return this.importStmt(node, k, span);
      case 'ScopeStatement': {
        const names = k.filter((c) => c.name === 'VariableName').map((c) => this.src(c));
        if (k[0]!.name === 'global') return { kind: 'Global', names, span };
        if (this.scope().kind === 'module') {
          this.compileError('nonlocal declaration not allowed at module level', span.from, span.to);
        } else if (!this.scopes.some((sc) => sc.kind === 'function')) {
          this.compileError(`no binding for nonlocal '${names[0]}' found`, span.from, span.to);
        }
        return { kind: 'Nonlocal', names, span };
      }
      case 'AssertStatement': {
        const groups = splitBy(k.slice(1), ',');
        if (groups.length > 2 || groups.some((g) => g.length !== 1)) {
          const bad = k.filter((c) => c.name === ',')[groups.length > 2 ? 1 : 0] ?? node;
          return this.failAt('invalid syntax', bad);
        }
        return { kind: 'Assert', test: this.expr(groups[0]![0]!), msg: groups[1] ? this.expr(groups[1][0]!) : null, span };
      }
      case 'TypeDefinition':
        // `type X = ...` is Python 3.12; 3.11 reads `type` as a name.
        return this.failAt('invalid syntax', k[1] ?? node);
      case 'IfStatement':
        return this.ifStmt(node, k);
      case 'WhileStatement': {
        const [kw, test, bodyNode, elseKw, elseBody] = k;
        if (kw?.name !== 'while' || !test) return this.tree(node);
        const whileTest = this.expr(test);
        const body = this.withLoop(true, () => this.body(bodyNode));
        const orelse = elseKw?.name === 'else' ? this.body(elseBody) : [];
        return { kind: 'While', test: whileTest, body, orelse, span: this.endAtLastStmt(span.from, body, orelse) };
      }
      case 'ForStatement':
        return this.forStmt(node, k, span);
      case 'TryStatement':
        return this.tryStmt(node, k, span);
      case 'WithStatement': {
        if (k[0]?.name === 'async') return this.unsupported("'async with'", node);
        const bodyIdx = k.findIndex((c) => c.name === 'Body');
        if (bodyIdx < 0) return this.tree(node);
        const items: A.WithItem[] = [];
        for (const g of splitBy(k.slice(1, bodyIdx), ',')) {
          if (g.length === 0) continue;
          const context = this.expr(g[0]!);
          let target: A.Target | null = null;
          if (g[1]?.name === 'as') {
            target = this.expr(g[2] ?? this.tree(node));
            this.checkTarget(target, 'with');
          }
          items.push({ context, target });
        }
        const body = this.body(k[bodyIdx]);
        return { kind: 'With', items, body, span: this.endAtLastStmt(span.from, body) };
      }
      case 'FunctionDefinition':
        return this.functionDef(node, k, []);
      case 'ClassDefinition':
        return this.classDef(node, k, []);
      case 'DecoratedStatement': {
        const decorators = k.filter((c) => c.name === 'Decorator').map((d) => this.decorator(d));
        const def = k[k.length - 1]!;
        if (def.name === 'FunctionDefinition') return this.functionDef(def, kids(def), decorators);
        if (def.name === 'ClassDefinition') return this.classDef(def, kids(def), decorators);
        return this.tree(node);
      }
      case 'MatchStatement':
        return this.unsupported("'match' statements", node);
      default:
        return this.tree(node);
    }
  }

  private unsupported(what: string, node: SyntaxNode): never {
    this.fail(`Mask Lens does not support ${what}`, this.from(node), this.to(node), 'unsupported');
  }

  /** `yield`, `yield x`, `yield a, b`, `yield from it` (a YieldStatement or YieldExpression node). */
  private yieldExpr(node: SyntaxNode): A.Yield | A.YieldFrom {
    if (this.scope().kind !== 'function') this.fail("'yield' outside function", this.from(node), this.to(node), 'compile');
    const span = this.spanOf(node);
    // a bare `yield` leaves lezer's empty error node after the keyword
    const rest = kids(node).slice(1).filter((c) => !c.type.isError);
    if (rest[0]?.name === 'from') return { kind: 'YieldFrom', value: this.exprList(rest.slice(1)), span };
    return { kind: 'Yield', value: rest.length ? this.exprList(rest) : null, span };
  }

  private assign(node: SyntaxNode, k: SyntaxNode[], span: A.Span): A.Stmt {
    const typeIdx = k.findIndex((c) => c.name === 'TypeDef');
    const groups: SyntaxNode[][] = [[]];
    for (const c of k) {
      if (c.name === 'AssignOp') groups.push([]);
      else if (c.name !== 'TypeDef') groups[groups.length - 1]!.push(c);
    }
    if (groups.some((g) => g.length === 0)) return this.tree(node);
    const last = groups[groups.length - 1]!;
    const yieldValue = last.length === 1 && last[0]!.name === 'YieldExpression' ? this.yieldExpr(last[0]!) : null;

    if (typeIdx >= 0) {
      if (groups.length > 2) {
        const second = k.filter((c) => c.name === 'AssignOp')[1]!;
        return this.failAt('invalid syntax', second);
      }
      const target = this.exprList(groups[0]!);
      if (target.kind === 'Tuple' || target.kind === 'List') {
        this.fail(
          `only single target (not ${target.kind === 'Tuple' ? 'tuple' : 'list'}) can be annotated`,
          target.span.from,
          target.span.to,
        );
      }
      if (target.kind !== 'Name' && target.kind !== 'Attribute' && target.kind !== 'Subscript') {
        this.fail('illegal target for annotation', target.span.from, target.span.to);
      }
      const annNode = kids(k[typeIdx]!).find((c) => c.name !== ':');
      const annotation = this.expr(annNode ?? this.tree(k[typeIdx]!));
      const value = groups.length === 2 ? yieldValue ?? this.exprList(groups[1]!) : null;
      return { kind: 'AnnAssign', target, annotation, value, span };
    }

    const targets = groups.slice(0, -1).map((g) => this.exprList(g));
    const value = yieldValue ?? this.exprList(last);
    this.checkAssignTargets(targets, value);
    if (value.kind === 'Starred') this.compileError("can't use starred expression here", value.span.from, value.span.to);
    return { kind: 'Assign', targets, value, span };
  }

  private importStmt(node: SyntaxNode, k: SyntaxNode[], span: A.Span): A.Stmt {
    // dotted names with optional `as`, separated by commas
    const aliases = (items: SyntaxNode[], dotted: boolean): A.Alias[] => {
      const out: A.Alias[] = [];
      for (const g of splitBy(items, ',')) {
        if (g.length === 0) continue;
        const asIdx = g.findIndex((c) => c.name === 'as');
        const nameParts = asIdx >= 0 ? g.slice(0, asIdx) : g;
        if (nameParts.length === 0 || nameParts[0]!.name !== 'VariableName') return this.tree(node);
        if (!dotted && nameParts.length > 1) return this.failAt('invalid syntax', nameParts[1]!);
        const name = nameParts.map((c) => (c.name === '.' ? '.' : this.src(c))).join('');
        let asname: string | null = null;
        let end = nameParts[nameParts.length - 1]!;
        if (asIdx >= 0) {
          const asNode = g[asIdx + 1];
          if (!asNode || asNode.name !== 'VariableName' || g.length > asIdx + 2) return this.failAt('invalid syntax', g[asIdx + 2] ?? g[asIdx]!);
          asname = this.src(asNode);
          end = asNode;
        }
        out.push({ name, asname, span: this.spanOf(nameParts[0]!, end) });
      }
      return out;
    };
    if (k[0]!.name === 'import') return { kind: 'Import', names: aliases(k.slice(1), true), span };

    const importIdx = k.findIndex((c) => c.name === 'import');
    if (importIdx < 0) return this.tree(node);
    let level = 0;
    const moduleParts: SyntaxNode[] = [];
    for (const c of k.slice(1, importIdx)) {
      if (moduleParts.length === 0 && c.name === '.') level += 1;
      else if (moduleParts.length === 0 && c.name === 'Ellipsis') level += 3;
      else moduleParts.push(c);
    }
    const module = moduleParts.map((c) => (c.name === '.' ? '.' : this.src(c))).join('');
    let rest = k.slice(importIdx + 1);
    if (rest.length === 1 && rest[0]!.name === '*') {
      return { kind: 'ImportFrom', module, level, names: [{ name: '*', asname: null, span: this.spanOf(rest[0]!) }], span };
    }
    if (rest[0]?.name === '(') rest = rest.slice(1, rest[rest.length - 1]?.name === ')' ? -1 : undefined);
    return { kind: 'ImportFrom', module, level, names: aliases(rest, false), span };
  }

  private ifStmt(node: SyntaxNode, k: SyntaxNode[]): A.If {
    interface Clause {
      kw: SyntaxNode;
      test: SyntaxNode;
      body: SyntaxNode;
    }
    const clauses: Clause[] = [];
    let orelse: A.Stmt[] = [];
    let i = 0;
    while (i < k.length) {
      const kw = k[i]!;
      if (kw.name === 'if' || kw.name === 'elif') {
        const test = k[i + 1];
        const body = k[i + 2];
        if (test?.name === 'Body') return this.failAt('invalid syntax', kids(test)[0] ?? test);
        if (!test || !body) return this.tree(node);
        clauses.push({ kw, test, body });
        i += 3;
      } else if (kw.name === 'else') {
        orelse = this.body(k[i + 1]);
        i += 2;
      } else return this.tree(kw);
    }
    let result: A.If | null = null;
    for (let j = clauses.length - 1; j >= 0; j--) {
      const c = clauses[j]!;
      const body = this.body(c.body);
      const tail: A.Stmt[] = result ? [result] : orelse;
      result = {
        kind: 'If',
        test: this.expr(c.test),
        body,
        orelse: tail,
        span: this.endAtLastStmt(this.from(c.kw), body, tail),
      };
    }
    if (!result) return this.tree(node);
    return result;
  }

  private forStmt(node: SyntaxNode, k: SyntaxNode[], span: A.Span): A.For {
    if (k[0]?.name === 'async') return this.unsupported("'async for'", node);
    const inIdx = k.findIndex((c) => c.name === 'in');
    const bodyIdx = k.findIndex((c) => c.name === 'Body');
    if (inIdx < 0 || bodyIdx < 0) return this.tree(node);
    const target = this.exprList(k.slice(1, inIdx));
    this.checkTarget(target, 'for');
    const iter = this.exprList(k.slice(inIdx + 1, bodyIdx));
    const body = this.withLoop(true, () => this.body(k[bodyIdx]));
    const orelse = k[bodyIdx + 1]?.name === 'else' ? this.body(k[bodyIdx + 2]) : [];
    return { kind: 'For', target, iter, body, orelse, span: this.endAtLastStmt(span.from, body, orelse) };
  }

  private tryStmt(node: SyntaxNode, k: SyntaxNode[], span: A.Span): A.Try {
    const body = this.body(k[1]);
    const handlers: A.ExceptHandler[] = [];
    let orelse: A.Stmt[] = [];
    let finalbody: A.Stmt[] = [];
    let sawFinally = false;
    let elseKw: SyntaxNode | null = null;
    let i = 2;
    while (i < k.length) {
      const kw = k[i]!;
      if (kw.name === 'except') {
        const bodyIdx = k.findIndex((c, j) => j > i && c.name === 'Body');
        if (bodyIdx < 0) return this.tree(node);
        const parts = k.slice(i + 1, bodyIdx);
        if (parts[0]?.name === '*') return this.unsupported("'except*'", kw);
        let type: A.Expr | null = null;
        let name: string | null = null;
        if (parts.length > 0) {
          type = this.expr(parts[0]!);
          if (parts[1]?.name === ',') return this.fail('multiple exception types must be parenthesized', type.span.from, this.to(parts[2] ?? parts[1]));
          if (parts[1]?.name === 'as') name = this.src(parts[2] ?? this.tree(node));
        }
        const hbody = this.body(k[bodyIdx]);
        handlers.push({ type, name, body: hbody, span: this.endAtLastStmt(this.from(kw), hbody) });
        i = bodyIdx + 1;
      } else if (kw.name === 'else') {
        elseKw = kw;
        orelse = this.body(k[i + 1]);
        i += 2;
      } else if (kw.name === 'finally') {
        sawFinally = true;
        finalbody = this.body(k[i + 1]);
        i += 2;
      } else return this.tree(kw);
    }
    if (handlers.length === 0 && !sawFinally) {
      // CPython points at whatever token follows the try block.
      const end = body.length ? body[body.length - 1]!.span.to : this.to(node);
      const at = elseKw ? this.from(elseKw) : this.ctx.tokenAfter(end) ?? end;
      this.fail("expected 'except' or 'finally' block", at, at);
    }
    if (handlers.length === 0 && elseKw) this.failAt('invalid syntax', elseKw);
    handlers.forEach((h, j) => {
      if (h.type === null && j < handlers.length - 1) this.compileError("default 'except:' must be last", h.span.from, h.span.to);
    });
    return {
      kind: 'Try',
      body,
      handlers,
      orelse,
      finalbody,
      span: this.endAtLastStmt(span.from, body, ...handlers.map((h) => h.body), orelse, finalbody),
    };
  }

  private functionDef(node: SyntaxNode, k: SyntaxNode[], decorators: A.Expr[]): A.FunctionDef {
    let i = 0;
    const isAsync = k[0]?.name === 'async';
    if (isAsync) i++;
    if (k[i]?.name !== 'def') return this.tree(node);
    const nameNode = k[i + 1];
    if (nameNode?.name !== 'VariableName') return this.tree(node);
    if (k[i + 2]?.name === 'TypeParamList') return this.failAt("expected '('", k[i + 2]!);
    const paramList = k[i + 2];
    if (paramList?.name !== 'ParamList') return this.tree(node);
    const typeDef = k[i + 3]?.name === 'TypeDef' ? k[i + 3]! : null;
    const bodyNode = k[k.length - 1];
    const params = this.params(paramList, true);
    const returns = typeDef ? this.expr(kids(typeDef)[0] ?? this.tree(typeDef)) : null;
    const body = this.withScope({ kind: 'function', inLoop: false }, () => this.body(bodyNode));
    const def: A.FunctionDef = {
      kind: 'FunctionDef',
      name: this.src(nameNode),
      params,
      body,
      decorators,
      returns,
      span: this.endAtLastStmt(this.from(node), body),
    };
    if (isAsync) def.isAsync = true;
    return def;
  }

  private classDef(node: SyntaxNode, k: SyntaxNode[], decorators: A.Expr[]): A.ClassDef {
    const nameNode = k[1];
    if (k[0]?.name !== 'class' || nameNode?.name !== 'VariableName') return this.tree(node);
    if (k[2]?.name === 'TypeParamList') return this.failAt('invalid syntax', k[2]);
    const argList = k.find((c) => c.name === 'ArgList');
    const { args, keywords } = argList ? this.args(argList) : { args: [], keywords: [] };
    const body = this.withScope({ kind: 'class', inLoop: false }, () => this.body(k[k.length - 1]));
    const cls: A.ClassDef = {
      kind: 'ClassDef',
      name: this.src(nameNode),
      bases: args,
      keywords,
      body,
      decorators,
      span: this.endAtLastStmt(this.from(node), body),
    };
    const first = body[0];
    if (first?.kind === 'Expr' && first.value.kind === 'Constant' && first.value.value.type === 'str') {
      cls.docstring = first.value.value.value;
    }
    return cls;
  }

  private decorator(node: SyntaxNode): A.Expr {
    const k = kids(node).filter((c) => c.name !== 'At');
    let e: A.Expr | null = null;
    for (let i = 0; i < k.length; i++) {
      const c = k[i]!;
      if (c.name === 'VariableName' && e === null) e = { kind: 'Name', id: this.src(c), span: this.spanOf(c) };
      else if (c.name === '.' && e) {
        const prop = k[++i] ?? this.tree(node);
        e = { kind: 'Attribute', value: e, attr: this.src(prop), attrSpan: this.spanOf(prop), span: this.spanDoc(e.span.from, this.to(prop)) };
      } else if (c.name === 'ArgList' && e) {
        const { args, keywords } = this.args(c);
        e = { kind: 'Call', func: e, args, keywords, span: this.spanDoc(e.span.from, this.to(c)) };
      } else return this.tree(c);
    }
    return e ?? this.tree(node);
  }

  // ---------- parameters and arguments ----------

  private params(list: SyntaxNode, parenthesized: boolean): A.Parameters {
    interface Item {
      name: string;
      from: number;
      to: number;
      node: SyntaxNode | null;
    }
    const k = kids(list).filter((c) => !(parenthesized && (c.name === '(' || c.name === ')')));
    // '/' is an anonymous token in lezer's grammar: find it in the gaps between children.
    const seq: Item[] = [];
    const listFrom = this.from(list) + (parenthesized ? 1 : 0);
    const listTo = this.to(list) - (parenthesized ? 1 : 0);
    let prev = listFrom;
    const scanGap = (a: number, b: number): void => {
      const gap = this.ctx.text.slice(a, b).replace(/#[^\n]*/g, '');
      const slash = gap.indexOf('/');
      if (slash >= 0) seq.push({ name: '/', from: a + slash, to: a + slash + 1, node: null });
    };
    for (const c of k) {
      scanGap(prev, this.from(c));
      // parse.ts hands lezer '_' in place of a lambda's '/', which its grammar lacks
      const name = c.name === 'VariableName' && this.src(c) === '/' ? '/' : c.name;
      seq.push({ name, from: this.from(c), to: this.to(c), node: c });
      prev = this.to(c);
    }
    scanGap(prev, listTo);

    const groups: Item[][] = [[]];
    for (const it of seq) {
      if (it.name === ',') groups.push([]);
      else groups[groups.length - 1]!.push(it);
    }
    const result: A.Parameters = { posonly: [], args: [], vararg: null, kwonly: [], kwarg: null };
    let seenStar: Item | null = null;
    let bareStar: Item | null = null;
    let seenKwarg = false;
    let seenSlash = false;
    let seenDefault = false;
    const all: A.Param[] = [];
    const param = (nameItem: Item, last: Item, def: A.Expr | null): A.Param => {
      const p: A.Param = { name: this.ctx.text.slice(nameItem.from, nameItem.to), default: def, span: this.spanDoc(nameItem.from, last.to) };
      all.push(p);
      return p;
    };
    groups.forEach((g, gi) => {
      if (g.length === 0) {
        if (gi === groups.length - 1 && gi > 0) return; // trailing comma
        if (groups.length === 1) return; // no parameters
        return this.fail('invalid syntax', listFrom, listTo, 'tree');
      }
      const head = g[0]!;
      if (head.name === '/') {
        if (result.args.length === 0 && !seenSlash) this.fail('at least one argument must precede /', head.from, head.to);
        if (seenSlash) this.fail('/ may appear only once', head.from, head.to);
        if (seenStar) this.fail('/ must be ahead of *', head.from, head.to);
        seenSlash = true;
        result.posonly = result.args;
        result.args = [];
        return;
      }
      if (seenKwarg) this.fail('arguments cannot follow var-keyword argument', head.from, head.to);
      if (head.name === '*') {
        if (seenStar) this.fail('* argument may appear only once', head.from, head.to);
        seenStar = head;
        const nameItem = g[1];
        if (nameItem?.name === 'VariableName') result.vararg = param(nameItem, g[g.length - 1]!, null);
        else bareStar = head;
        return;
      }
      if (head.name === '**') {
        const nameItem = g[1];
        if (nameItem?.name !== 'VariableName') return this.fail('invalid syntax', head.from, head.to, 'tree');
        result.kwarg = param(nameItem, g[g.length - 1]!, null);
        seenKwarg = true;
        return;
      }
      if (head.name !== 'VariableName') return this.fail('invalid syntax', head.from, head.to, 'tree');
      const eq = g.findIndex((it) => it.name === 'AssignOp');
      const def = eq >= 0 ? this.expr(g[eq + 1]?.node ?? this.missing()) : null;
      const p = param(head, g[g.length - 1]!, def);
      if (seenStar) {
        result.kwonly.push(p);
      } else {
        if (def) seenDefault = true;
        else if (seenDefault) this.fail('non-default argument follows default argument', head.from, head.to);
        result.args.push(p);
      }
    });
    if (bareStar && result.kwonly.length === 0) {
      const star = bareStar as Item;
      this.fail('named arguments must follow bare *', star.from, star.to);
    }
    const seen = new Set<string>();
    for (const p of all) {
      if (seen.has(p.name)) this.compileError(`duplicate argument '${p.name}' in function definition`, p.span.from, p.span.to);
      seen.add(p.name);
    }
    return result;
  }

  private args(list: SyntaxNode): { args: A.Expr[]; keywords: A.Keyword[] } {
    const k = kids(list).filter((c) => c.name !== '(' && c.name !== ')');
    const groups = splitBy(k, ',');
    // a bare generator argument's targets have commas of their own (f(a for a, b in y)):
    // a group with a `for` but no `in` after it continues into the next group
    for (let i = 0; i < groups.length - 1; i++) {
      const g = groups[i]!;
      const lastFor = g.map((c) => c.name).lastIndexOf('for');
      if (lastFor < 0 || g.slice(lastFor).some((c) => c.name === 'in')) continue;
      const comma = k[k.indexOf(g[g.length - 1]!) + 1]!;
      groups.splice(i, 2, [...g, comma, ...groups[i + 1]!]);
      i--;
    }
    if (groups.length > 1 && groups[groups.length - 1]!.length === 0) groups.pop();
    const args: A.Expr[] = [];
    const keywords: A.Keyword[] = [];
    let sawKeyword = false;
    let sawDoubleStar: A.Keyword | null = null;
    const keywordNames = new Set<string>();
    for (const g of groups) {
      if (g.length === 0) {
        if (groups.length === 1) break;
        return this.tree(list);
      }
      const head = g[0]!;
      const last = g[g.length - 1]!;
      if (head.name === '**') {
        const kw: A.Keyword = { name: null, value: this.expr(g[1] ?? this.tree(list)), span: this.spanOf(head, last) };
        keywords.push(kw);
        sawDoubleStar ??= kw;
        continue;
      }
      if (head.name === '*') {
        if (sawDoubleStar) {
          this.fail('iterable argument unpacking follows keyword argument unpacking', sawDoubleStar.span.from, sawDoubleStar.span.to);
        }
        args.push({ kind: 'Starred', value: this.expr(g[1] ?? this.tree(list)), span: this.spanOf(head, last) });
        continue;
      }
      const opIdx = g.findIndex((c) => c.name === 'AssignOp');
      if (opIdx === 1 && this.src(g[1]!) === '=') {
        const name = this.src(head);
        if (g.length > 3) return this.tree(g[3]!);
        const value = this.expr(g[2] ?? this.tree(list));
        const kw: A.Keyword = { name, value, span: this.spanOf(head, last) };
        if (keywordNames.has(name)) this.compileError(`keyword argument repeated: ${name}`, kw.span.from, kw.span.to);
        keywordNames.add(name);
        keywords.push(kw);
        sawKeyword = true;
        continue;
      }
      let arg: A.Expr;
      if (opIdx === 1) {
        // f(x := 1)
        const target = this.expr(head);
        if (target.kind !== 'Name') return this.tree(head);
        arg = { kind: 'NamedExpr', target, value: this.expr(g[2] ?? this.tree(list)), span: this.spanOf(head, last) };
      } else if (g.length > 1) {
        if (g[1]!.name !== 'for' && g[1]!.name !== 'async') return this.tree(g[1]!);
        const gen: A.GeneratorExp = {
          kind: 'GeneratorExp',
          elt: this.expr(head),
          generators: this.comprehension(g.slice(1)),
          span: groups.length === 1 ? this.spanOf(list) : this.spanOf(head, last),
        };
        if (groups.length > 1) this.fail('Generator expression must be parenthesized', this.from(head), this.to(last));
        arg = gen;
      } else {
        arg = this.expr(head);
      }
      if (sawDoubleStar) this.fail('positional argument follows keyword argument unpacking', arg.span.from, arg.span.to);
      if (sawKeyword) this.fail('positional argument follows keyword argument', arg.span.from, arg.span.to);
      args.push(arg);
    }
    return { args, keywords };
  }

  // ---------- targets ----------

  /** CPython's _PyPegen_get_invalid_target: the first part of `e` that cannot be bound (or deleted). */
  private invalidTarget(e: A.Expr, del: boolean): A.Expr | null {
    switch (e.kind) {
      case 'Name':
      case 'Attribute':
      case 'Subscript':
        return null;
      case 'Tuple':
      case 'List':
        for (const x of e.elts) {
          const bad = this.invalidTarget(x, del);
          if (bad) return bad;
        }
        return null;
      case 'Starred':
        return del ? e : this.invalidTarget(e.value, del);
      default:
        return e;
    }
  }

  /** Parser-level target check for for/with/del/comprehensions, plus the compiler's starred checks. */
  private checkTarget(t: A.Expr, how: 'for' | 'with' | 'del' | 'comprehension'): void {
    const bad = this.invalidTarget(t, how === 'del');
    if (bad) this.fail(`cannot ${how === 'del' ? 'delete' : 'assign to'} ${exprName(bad)}`, bad.span.from, bad.span.to);
    if (how !== 'del') this.checkStarred(t);
  }

  /** The compiler's rules for starred targets. */
  private checkStarred(t: A.Expr): void {
    if (t.kind === 'Starred') {
      this.compileError('starred assignment target must be in a list or tuple', t.span.from, t.span.to);
      return;
    }
    const walk = (e: A.Expr): void => {
      if (e.kind !== 'Tuple' && e.kind !== 'List') return;
      if (e.elts.filter((x) => x.kind === 'Starred').length > 1) {
        this.compileError('multiple starred expressions in assignment', e.span.from, e.span.to);
      }
      for (const x of e.elts) walk(x.kind === 'Starred' ? x.value : x);
    };
    walk(t);
  }

  /**
   * `targets = value`: CPython's second parser pass (invalid_named_expression,
   * then invalid_assignment) decides the message when a target is invalid.
   */
  private checkAssignTargets(targets: A.Expr[], value: A.Expr): void {
    let bad: A.Expr | null = null;
    for (const t of targets) {
      bad = this.invalidTarget(t, false);
      if (bad) break;
    }
    if (!bad) {
      for (const t of targets) this.checkStarred(t);
      return;
    }
    const first = targets[0]!;
    const unparenthesized = (e: A.Expr): boolean => e.kind === 'Tuple' && this.ctx.text[e.span.from] !== '(';
    const last = unparenthesized(first) ? (first as A.TupleExpr).elts[(first as A.TupleExpr).elts.length - 1] : first;
    const next = targets[1] ?? value;
    const v = unparenthesized(next) ? (next as A.TupleExpr).elts[0] : next;
    // `v` must not itself be followed by '=' (it is, when it is the whole next target).
    const vFollowedByEq = targets.length > 1 && !unparenthesized(next);
    if (last && v && !vFollowedByEq && isBitwiseOr(v) && last.kind !== 'Starred') {
      if (last.kind === 'Name') {
        this.fail("invalid syntax. Maybe you meant '==' or ':=' instead of '='?", last.span.from, v.span.to);
      }
      const excluded =
        last.kind === 'List' || last.kind === 'Tuple' || last.kind === 'GeneratorExp' ||
        (last.kind === 'Constant' && (last.value.type === 'None' || last.value.type === 'bool'));
      if (isBitwiseOr(last) && !excluded) {
        this.fail(`cannot assign to ${exprName(last)} here. Maybe you meant '==' instead of '='?`, last.span.from, last.span.to);
      }
    }
    this.fail(`cannot assign to ${exprName(bad)}`, bad.span.from, bad.span.to);
  }

  // ---------- expressions ----------

  /** A comma-separated run of elements: one element, or a Tuple when there is a comma. */
  private exprList(nodes: SyntaxNode[]): A.Expr {
    if (nodes.length === 0) return this.missing();
    const groups = splitBy(nodes, ',');
    if (groups.length === 1) return this.element(groups[0]!);
    const elts = groups.filter((g, i) => g.length > 0 || i < groups.length - 1).map((g) => this.element(g));
    return { kind: 'Tuple', elts, span: this.spanOf(nodes[0]!, nodes[nodes.length - 1]!) };
  }

  /** `expr` or `*expr`. */
  private element(g: SyntaxNode[]): A.Expr {
    if (g.length === 0) return this.missing();
    if (g[0]!.name === '*' && g.length === 2) {
      return { kind: 'Starred', value: this.expr(g[1]!), span: this.spanOf(g[0]!, g[1]!) };
    }
    if (g.length !== 1) return this.tree(g[1]!);
    return this.expr(g[0]!);
  }

  expr(node: SyntaxNode): A.Expr {
    if (node.type.isError) return this.tree(node);
    const span = this.spanOf(node);
    switch (node.name) {
      case 'VariableName':
        return { kind: 'Name', id: this.src(node), span };
      case 'Number':
        return { kind: 'Constant', value: this.number(node), span };
      case 'String':
        return { kind: 'Constant', value: this.stringConstant(node), span };
      case 'FormatString':
        return { kind: 'FString', parts: this.fstringParts(node), span };
      case 'ContinuedString':
        return this.continuedString(node, span);
      case 'Ellipsis':
        return { kind: 'Constant', value: { type: 'Ellipsis' }, span };
      case 'None':
        return { kind: 'Constant', value: { type: 'None' }, span };
      case 'Boolean':
        return { kind: 'Constant', value: { type: 'bool', value: this.src(node) === 'True' }, span };
      case 'BinaryExpression': {
        const k = kids(node);
        const op = k[1];
        if (k.length === 3 && (op?.name === 'ArithOp' || op?.name === 'BitOp')) {
          return { kind: 'BinOp', op: this.src(op) as A.BinaryOperator, left: this.expr(k[0]!), right: this.expr(k[2]!), span };
        }
        return this.testLevel(node);
      }
      case 'UnaryExpression': {
        const k = kids(node);
        const op = k[0]!;
        if (op.name === 'not') return this.testLevel(node);
        if (k.length !== 2) return this.tree(node);
        return { kind: 'UnaryOp', op: this.src(op) as '-' | '+' | '~', operand: this.expr(k[1]!), span };
      }
      case 'ParenthesizedExpression': {
        const k = kids(node).filter((c) => c.name !== '(' && c.name !== ')');
        if (k[0]?.name === '*') return this.fail('cannot use starred expression here', this.from(k[0]), this.to(k[k.length - 1]!));
        if (k.length !== 1) return this.tree(node);
        if (k[0]!.name === 'YieldExpression') return this.yieldExpr(k[0]!);
        return this.expr(k[0]!);
      }
      case 'TupleExpression': {
        const k = kids(node).filter((c) => c.name !== '(' && c.name !== ')');
        if (k.length === 0) return { kind: 'Tuple', elts: [], span };
        const t = this.exprList(k);
        return t.kind === 'Tuple' ? { ...t, span } : { kind: 'Tuple', elts: [t], span };
      }
      case 'ArrayExpression': {
        const k = kids(node).slice(1, -1);
        const groups = splitBy(k, ',');
        if (groups.length > 1 && groups[groups.length - 1]!.length === 0) groups.pop();
        const elts = k.length === 0 ? [] : groups.map((g) => this.element(g));
        return { kind: 'List', elts, span };
      }
      case 'SetExpression': {
        const k = kids(node).slice(1, -1);
        const groups = splitBy(k, ',');
        if (groups.length > 1 && groups[groups.length - 1]!.length === 0) groups.pop();
        return { kind: 'Set', elts: groups.map((g) => this.element(g)), span };
      }
      case 'DictionaryExpression':
        return this.dict(node, span);
      case 'ComprehensionExpression':
      case 'ArrayComprehensionExpression':
      case 'SetComprehensionExpression': {
        const k = kids(node).slice(1, -1);
        const forIdx = k.findIndex((c) => c.name === 'for' || c.name === 'async');
        if (forIdx < 0) return this.tree(node);
        const elt = this.element(k.slice(0, forIdx));
        if (elt.kind === 'Starred') {
          return this.fail(`iterable unpacking cannot be used in comprehension`, elt.span.from, elt.span.to);
        }
        const generators = this.comprehension(k.slice(forIdx));
        if (node.name === 'ComprehensionExpression') return { kind: 'GeneratorExp', elt, generators, span };
        const comp: A.ListComp = { kind: 'ListComp', elt, generators, span };
        if (node.name === 'SetComprehensionExpression') comp.set = true;
        return comp;
      }
      case 'DictionaryComprehensionExpression': {
        const k = kids(node).slice(1, -1);
        if (k[0]?.name === '**') return this.fail('dict unpacking cannot be used in dict comprehension', this.from(k[0]), this.to(k[1] ?? k[0]));
        if (k[1]?.name !== ':') return this.tree(node);
        return { kind: 'DictComp', key: this.expr(k[0]!), value: this.expr(k[2] ?? this.tree(node)), generators: this.comprehension(k.slice(3)), span };
      }
      case 'CallExpression': {
        const k = kids(node);
        if (k.length !== 2 || k[1]!.name !== 'ArgList') return this.tree(node);
        const { args, keywords } = this.args(k[1]!);
        return { kind: 'Call', func: this.expr(k[0]!), args, keywords, span };
      }
      case 'MemberExpression':
        return this.member(node, span);
      case 'ConditionalExpression': {
        const k = kids(node);
        if (k.length !== 5 || k[1]!.name !== 'if' || k[3]!.name !== 'else') return this.tree(node);
        return { kind: 'IfExp', body: this.expr(k[0]!), test: this.expr(k[2]!), orelse: this.expr(k[4]!), span };
      }
      case 'LambdaExpression': {
        const k = kids(node);
        const colon = k.findIndex((c) => c.name === ':');
        if (colon < 0 || colon !== k.length - 2) return this.tree(node);
        const plist = k.find((c) => c.name === 'ParamList');
        const params = plist ? this.params(plist, false) : { posonly: [], args: [], vararg: null, kwonly: [], kwarg: null };
        const body = this.withScope({ kind: 'function', inLoop: false }, () => this.expr(k[colon + 1]!));
        return { kind: 'Lambda', params, body, span };
      }
      case 'NamedExpression': {
        const k = kids(node);
        if (k.length !== 3) return this.tree(node);
        const target = this.expr(k[0]!);
        if (target.kind !== 'Name') {
          return this.fail(`cannot use assignment expressions with ${exprName(target)}`, target.span.from, target.span.to);
        }
        return { kind: 'NamedExpr', target, value: this.expr(k[2]!), span };
      }
      case 'YieldExpression':
        return this.yieldExpr(node);
      case 'AwaitExpression':
        if (this.scope().kind !== 'function') this.fail("'await' outside function", span.from, span.to, 'compile');
        return this.unsupported("'await'", node);
      default:
        return this.tree(node);
    }
  }

  /** `or`/`and`/`not`/comparisons. Lezer gives `not` the wrong precedence, so re-parse the flattened run. */
  private testLevel(node: SyntaxNode): A.Expr {
    type Item = { op: string; node: SyntaxNode } | { operand: SyntaxNode };
    const items: Item[] = [];
    const TEST_OPS = new Set(['or', 'and', 'not', 'in', 'is', 'CompareOp']);
    const flatten = (n: SyntaxNode): void => {
      const k = kids(n);
      const isTest =
        (n.name === 'BinaryExpression' && k.length >= 3 && TEST_OPS.has(k[1]!.name)) ||
        (n.name === 'UnaryExpression' && k[0]?.name === 'not');
      if (!isTest) {
        items.push({ operand: n });
        return;
      }
      for (const c of k) {
        if (TEST_OPS.has(c.name)) items.push({ op: c.name === 'CompareOp' ? this.src(c) : c.name, node: c });
        else flatten(c);
      }
    };
    flatten(node);
    // `node` itself was not a test-level expression: a shape lezer left after an error.
    if (items.length === 1) return this.tree(node);
    // Each result carries its source extent: CPython starts `(a) < b` at the parenthesis.
    interface R {
      e: A.Expr;
      from: number;
      to: number;
    }
    let i = 0;
    const peekOp = (o = 0): string | null => {
      const it = items[i + o];
      return it && 'op' in it ? it.op : null;
    };
    const operand = (): R => {
      const it = items[i];
      if (!it) return this.tree(node);
      if ('op' in it) return this.failAt('invalid syntax', it.node);
      i++;
      return { e: this.expr(it.operand), from: this.from(it.operand), to: this.to(it.operand) };
    };
    const comparison = (): R => {
      const left = operand();
      const ops: A.CompareOperator[] = [];
      const comparators: R[] = [];
      for (;;) {
        const o = peekOp();
        let op: A.CompareOperator;
        if (o !== null && COMPARE_OPS.has(o)) {
          op = o as A.CompareOperator;
          i++;
        } else if (o === '<>') {
          return this.failAt('invalid syntax', (items[i] as { node: SyntaxNode }).node);
        } else if (o === 'in') {
          op = 'in';
          i++;
        } else if (o === 'not' && peekOp(1) === 'in') {
          op = 'not in';
          i += 2;
        } else if (o === 'is') {
          i++;
          if (peekOp() === 'not') {
            op = 'is not';
            i++;
          } else op = 'is';
        } else break;
        ops.push(op);
        comparators.push(operand());
      }
      if (ops.length === 0) return left;
      const to = comparators[comparators.length - 1]!.to;
      return {
        e: { kind: 'Compare', left: left.e, ops, comparators: comparators.map((c) => c.e), span: this.spanDoc(left.from, to) },
        from: left.from,
        to,
      };
    };
    const notTest = (): R => {
      if (peekOp() === 'not') {
        const kw = (items[i] as { node: SyntaxNode }).node;
        i++;
        const operandR = notTest();
        const from = this.from(kw);
        return { e: { kind: 'UnaryOp', op: 'not', operand: operandR.e, span: this.spanDoc(from, operandR.to) }, from, to: operandR.to };
      }
      return comparison();
    };
    const boolRun = (op: 'and' | 'or', next: () => R): R => {
      const values = [next()];
      while (peekOp() === op) {
        i++;
        values.push(next());
      }
      if (values.length === 1) return values[0]!;
      const from = values[0]!.from;
      const to = values[values.length - 1]!.to;
      return { e: { kind: 'BoolOp', op, values: values.map((v) => v.e), span: this.spanDoc(from, to) }, from, to };
    };
    const result = boolRun('or', () => boolRun('and', notTest));
    if (i !== items.length) {
      const it = items[i]!;
      return this.failAt('invalid syntax', 'op' in it ? it.node : it.operand);
    }
    return result.e;
  }

  private member(node: SyntaxNode, span: A.Span): A.Expr {
    const k = kids(node);
    const value = this.expr(k[0] ?? this.tree(node));
    if (k[1]?.name === '.') {
      const prop = k[2];
      if (!prop || prop.name !== 'PropertyName' || k.length !== 3) return this.tree(node);
      // lezer takes any word after '.'; Python's keywords cannot be attribute names
      if (PYTHON_KEYWORDS.has(this.src(prop))) return this.failAt('invalid syntax', prop);
      return { kind: 'Attribute', value, attr: this.src(prop), attrSpan: this.spanOf(prop), span };
    }
    if (k[1]?.name !== '[' || k[k.length - 1]!.name !== ']') return this.tree(node);
    const items = k.slice(2, -1);
    if (items.length === 0) return this.tree(node);
    const groups = splitBy(items, ',');
    const hasTrailing = groups.length > 1 && groups[groups.length - 1]!.length === 0;
    if (hasTrailing) groups.pop();
    const elts = groups.map((g) => this.subscriptItem(g, node));
    const index: A.Expr =
      elts.length === 1 && !hasTrailing
        ? elts[0]!
        : { kind: 'Tuple', elts, span: this.spanOf(items[0]!, items[items.length - 1]!) };
    return { kind: 'Subscript', value, index, span };
  }

  private subscriptItem(g: SyntaxNode[], node: SyntaxNode): A.Expr {
    if (g.length === 0) return this.tree(node);
    if (!g.some((c) => c.name === ':')) return this.element(g);
    const parts = splitBy(g, ':');
    if (parts.length > 3 || parts.some((p) => p.length > 1)) return this.tree(node);
    const part = (p: SyntaxNode[] | undefined): A.Expr | null => (p && p.length ? this.expr(p[0]!) : null);
    return {
      kind: 'Slice',
      lower: part(parts[0]),
      upper: part(parts[1]),
      step: part(parts[2]),
      span: this.spanOf(g[0]!, g[g.length - 1]!),
    };
  }

  private dict(node: SyntaxNode, span: A.Span): A.DictExpr {
    const k = kids(node).slice(1, -1);
    const groups = splitBy(k, ',');
    if (groups.length > 1 && groups[groups.length - 1]!.length === 0) groups.pop();
    const keys: (A.Expr | null)[] = [];
    const values: A.Expr[] = [];
    if (k.length === 0) return { kind: 'Dict', keys, values, span };
    for (const g of groups) {
      if (g[0]?.name === '**' && g.length === 2) {
        keys.push(null);
        values.push(this.expr(g[1]!));
      } else if (g.length === 3 && g[1]!.name === ':') {
        keys.push(this.expr(g[0]!));
        values.push(this.expr(g[2]!));
      } else if (g.length === 1) {
        return this.failAt("':' expected after dictionary key", g[0]!);
      } else return this.tree(node);
    }
    return { kind: 'Dict', keys, values, span };
  }

  private comprehension(nodes: SyntaxNode[]): A.Comprehension[] {
    const gens: A.Comprehension[] = [];
    let i = 0;
    while (i < nodes.length) {
      const n = nodes[i]!;
      if (n.name === 'async') return this.unsupported("'async for'", n);
      if (n.name === 'for') {
        let j = i + 1;
        while (j < nodes.length && nodes[j]!.name !== 'in') j++;
        const iterNode = nodes[j + 1];
        if (j >= nodes.length || !iterNode) return this.tree(n);
        const target = this.exprList(nodes.slice(i + 1, j));
        this.checkTarget(target, 'comprehension');
        const iter = this.expr(iterNode);
        gens.push({ target, iter, ifs: [], span: this.spanOf(n, iterNode) });
        i = j + 2;
      } else if (n.name === 'if') {
        const condNode = nodes[i + 1];
        const gen = gens[gens.length - 1];
        if (!condNode || !gen) return this.tree(n);
        const cond = this.expr(condNode);
        gen.ifs.push(cond);
        gen.span = this.spanDoc(gen.span.from, cond.span.to);
        i += 2;
      } else return this.tree(n);
    }
    if (gens.length === 0) return this.missing();
    return gens;
  }

  // ---------- literals ----------

  private number(node: SyntaxNode): A.ConstantValue {
    const text = this.src(node).replace(/_/g, '');
    if (/[jJ]$/.test(text)) return { type: 'complex', value: Number(text.slice(0, -1)) };
    if (/^0[xXoObB]/.test(text)) return { type: 'int', value: BigInt(text.slice(0, 2).toLowerCase() + text.slice(2)) };
    if (/[.eE]/.test(text)) return { type: 'float', value: Number(text) };
    return { type: 'int', value: BigInt(text) };
  }

  /** The literal's body with '\n' line ends, and where that body starts in the document. */
  private literalBody(node: SyntaxNode): { prefix: ReturnType<typeof stringPrefix>; body: string; bodyFrom: number; bodyTo: number } {
    const raw = this.ctx.original.slice(this.from(node), this.to(node));
    const prefix = stringPrefix(raw);
    const bodyFrom = this.from(node) + prefix.prefixLength + prefix.quoteLength;
    const bodyTo = this.to(node) - prefix.quoteLength;
    if (bodyTo < bodyFrom) return this.tree(node);
    return { prefix, body: this.bodyText(bodyFrom, bodyTo), bodyFrom, bodyTo };
  }

  private bodyText(from: number, to: number): string {
    return this.ctx.original.slice(from, to).replace(/\r\n?/g, '\n');
  }

  private decode(body: string, bytes: boolean, raw: boolean, at: number, atEnd: number): string {
    if (bytes && /[^\x00-\x7f]/.test(body)) this.fail('bytes can only contain ASCII literal characters', at, atEnd);
    if (raw) return body;
    try {
      return decodeEscapes(body, bytes);
    } catch (e) {
      if (e instanceof EscapeError) this.fail(e.message, at, atEnd);
      throw e;
    }
  }

  private stringConstant(node: SyntaxNode): A.ConstantValue {
    const { prefix, body } = this.literalBody(node);
    const value = this.decode(body, prefix.bytes, prefix.raw, this.from(node), this.to(node));
    return prefix.bytes ? { type: 'bytes', value } : { type: 'str', value };
  }

  private continuedString(node: SyntaxNode, span: A.Span): A.Expr {
    const pieces = kids(node);
    const isBytes = pieces.map((p) => p.name === 'String' && stringPrefix(this.src(p)).bytes);
    if (isBytes.some((b) => b) && !isBytes.every((b) => b)) {
      this.fail('cannot mix bytes and nonbytes literals', span.from, span.to);
    }
    if (pieces.every((p) => p.name === 'String')) {
      const values = pieces.map((p) => this.stringConstant(p) as { value: string });
      const value = values.map((v) => v.value).join('');
      return { kind: 'Constant', value: isBytes[0] ? { type: 'bytes', value } : { type: 'str', value }, span };
    }
    const parts: A.FString['parts'] = [];
    for (const p of pieces) {
      const more = p.name === 'String' ? [(this.stringConstant(p) as { value: string }).value] : this.fstringParts(p);
      for (const part of more) pushPart(parts, part);
    }
    return { kind: 'FString', parts, span };
  }

  private fstringParts(node: SyntaxNode): A.FString['parts'] {
    const { prefix, bodyFrom, bodyTo } = this.literalBody(node);
    return this.fstringRun(node, bodyFrom, bodyTo, prefix.raw);
  }

  /** Literal text and replacement fields of an f-string body or format spec between `from` and `to`. */
  private fstringRun(container: SyntaxNode, from: number, to: number, raw: boolean): A.FString['parts'] {
    const parts: A.FString['parts'] = [];
    let cursor = from;
    for (const c of kids(container)) {
      if (c.type.isError) return this.tree(c);
      if (c.name !== 'FormatReplacement') continue;
      this.fstringLiteral(parts, cursor, this.from(c), raw);
      parts.push(this.replacement(c, raw));
      cursor = this.to(c);
    }
    this.fstringLiteral(parts, cursor, to, raw);
    return parts;
  }

  private fstringLiteral(parts: A.FString['parts'], from: number, to: number, raw: boolean): void {
    if (to <= from) return;
    const text = this.bodyText(from, to);
    let out = '';
    let segment = '';
    for (let i = 0; i < text.length; i++) {
      const c = text[i]!;
      if ((c === '{' || c === '}') && text[i + 1] === c) {
        out += this.decode(segment, false, raw, from, to) + c;
        segment = '';
        i++;
      } else if (c === '}') {
        this.fail("f-string: single '}' is not allowed", from + i, from + i + 1);
      } else if (c === '{') {
        this.fail("f-string: expecting '}'", from + i, from + i + 1);
      } else segment += c;
    }
    out += this.decode(segment, false, raw, from, to);
    pushPart(parts, out);
  }

  private replacement(node: SyntaxNode, raw: boolean): A.FString['parts'][number] {
    const k = kids(node);
    // Malformed fields are described from lezer's error node (parse.ts).
    if (k.some((c) => c.type.isError) || k[0]?.name !== '{' || k[k.length - 1]?.name !== '}') return this.tree(node);
    const stop = k.findIndex((c, i) => i > 0 && (c.name === 'FormatSelfDoc' || c.name === 'FormatConversion' || c.name === 'FormatSpec' || c.name === '}'));
    const exprNodes = k.slice(1, stop);
    if (exprNodes.length === 0) return this.fail('f-string: empty expression not allowed', this.to(k[0]!), this.to(k[0]!));
    const exprText = this.ctx.text.slice(this.to(k[0]!), this.from(k[stop]!));
    if (exprText.includes('\\')) {
      return this.fail('f-string expression part cannot include a backslash', this.from(node), this.to(node));
    }
    const expr = this.exprList(exprNodes);
    const part: { expr: A.Expr; conversion?: 'r' | 's' | 'a'; formatSpec?: A.FString; debugText?: string } = { expr };
    let i = stop;
    if (k[i]?.name === 'FormatSelfDoc') {
      // CPython prints everything from after '{' up to the conversion or spec, spaces included.
      part.debugText = this.ctx.text.slice(this.to(k[0]!), this.from(k[i + 1] ?? k[i]!));
      i++;
    }
    if (k[i]?.name === 'FormatConversion') {
      part.conversion = this.src(k[i]!).slice(1) as 'r' | 's' | 'a';
      i++;
    }
    if (k[i]?.name === 'FormatSpec') {
      const spec = k[i]!;
      const specFrom = this.from(spec) + 1;
      part.formatSpec = { kind: 'FString', parts: this.fstringRun(spec, specFrom, this.to(spec), raw), span: this.spanDoc(specFrom, this.to(spec)) };
      i++;
    }
    if (k[i]?.name !== '}' || i !== k.length - 1) return this.fail("f-string: expecting '}'", this.from(k[i] ?? node), this.to(node));
    return part;
  }
}

/** Whether CPython's grammar reads `e` as a bitwise_or (below comparisons, `not`, `and`/`or`, `if`, `lambda`). */
function isBitwiseOr(e: A.Expr): boolean {
  switch (e.kind) {
    case 'Compare':
    case 'BoolOp':
    case 'IfExp':
    case 'Lambda':
    case 'Starred':
      return false;
    case 'UnaryOp':
      return e.op !== 'not';
    default:
      return true;
  }
}

function pushPart(parts: A.FString['parts'], part: A.FString['parts'][number]): void {
  if (typeof part === 'string') {
    if (part === '') return;
    const last = parts[parts.length - 1];
    if (typeof last === 'string') {
      parts[parts.length - 1] = last + part;
      return;
    }
  }
  parts.push(part);
}

/** CPython's _PyPegen_get_expr_name. */
export function exprName(e: A.Expr): string {
  switch (e.kind) {
    case 'Attribute':
      return 'attribute';
    case 'Subscript':
      return 'subscript';
    case 'Starred':
      return 'starred';
    case 'Name':
      return 'name';
    case 'List':
      return 'list';
    case 'Tuple':
      return 'tuple';
    case 'Lambda':
      return 'lambda';
    case 'Call':
      return 'function call';
    case 'BoolOp':
    case 'BinOp':
    case 'UnaryOp':
      return 'expression';
    case 'GeneratorExp':
      return 'generator expression';
    case 'ListComp':
      return e.set ? 'set comprehension' : 'list comprehension';
    case 'DictComp':
      return 'dict comprehension';
    case 'Dict':
      return 'dict literal';
    case 'Set':
      return 'set display';
    case 'FString':
      return 'f-string expression';
    case 'Constant': {
      const v = e.value;
      if (v.type === 'None') return 'None';
      if (v.type === 'bool') return v.value ? 'True' : 'False';
      if (v.type === 'Ellipsis') return 'ellipsis';
      return 'literal';
    }
    case 'Compare':
      return 'comparison';
    case 'IfExp':
      return 'conditional expression';
    case 'NamedExpr':
      return 'named expression';
    case 'Slice':
      return 'slice';
    case 'Yield':
    case 'YieldFrom':
      return 'yield expression';
  }
}
