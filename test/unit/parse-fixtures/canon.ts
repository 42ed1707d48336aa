// Our AST in the canonical form pyast.py writes for CPython's ast, so the two
// can be compared with deepEqual.
import type * as A from '../../../src/python/ast';

type J = null | boolean | number | string | J[] | { [k: string]: J };

function fhex(x: number): string {
  const dv = new DataView(new ArrayBuffer(8));
  dv.setFloat64(0, x);
  let s = '';
  for (let i = 0; i < 8; i++) s += dv.getUint8(i).toString(16).padStart(2, '0');
  return s;
}

function span(s: A.Span): J {
  return [s.line, s.column, s.endLine, s.endColumn];
}

function constant(v: A.ConstantValue): J {
  switch (v.type) {
    case 'None':
    case 'Ellipsis':
      return { type: v.type };
    case 'bool':
      return { type: 'bool', value: v.value };
    case 'int':
      return { type: 'int', value: v.value.toString() };
    case 'float':
    case 'complex':
      return { type: v.type, value: fhex(v.value) };
    case 'str':
    case 'bytes':
      return { type: v.type, value: v.value };
  }
}

function params(p: A.Parameters, spans: boolean): J {
  const pair = (q: A.Param): J => [q.name, q.default ? expr(q.default, spans) : null];
  return {
    posonly: p.posonly.map(pair),
    args: p.args.map(pair),
    vararg: p.vararg?.name ?? null,
    kwonly: p.kwonly.map(pair),
    kwarg: p.kwarg?.name ?? null,
  };
}

function fparts(parts: A.FString['parts']): J {
  const out: J[] = [];
  const pushStr = (s: string): void => {
    if (s === '') return;
    const last = out[out.length - 1];
    if (typeof last === 'string') out[out.length - 1] = last + s;
    else out.push(s);
  };
  for (const p of parts) {
    if (typeof p === 'string') {
      pushStr(p);
      continue;
    }
    // CPython puts `x=` in a constant before the value and defaults the conversion to !r.
    if (p.debugText !== undefined) pushStr(p.debugText);
    const part: { [k: string]: J } = { expr: expr(p.expr, false) };
    const conversion = p.conversion ?? (p.debugText !== undefined && !p.formatSpec ? 'r' : undefined);
    if (conversion) part.conversion = conversion;
    if (p.formatSpec) part.formatSpec = fparts(p.formatSpec.parts);
    out.push(part);
  }
  return out;
}

function keyword(k: A.Keyword, spans: boolean): J {
  const r: { [k: string]: J } = { name: k.name, value: expr(k.value, spans) };
  if (spans) r.s = span(k.span);
  return r;
}

function comp(g: A.Comprehension, spans: boolean): J {
  return { target: expr(g.target, spans), iter: expr(g.iter, spans), ifs: g.ifs.map((x) => expr(x, spans)) };
}

export function expr(e: A.Expr | null, spans = true): J {
  if (e === null) return null;
  const x = (v: A.Expr | null): J => expr(v, spans);
  let r: { [k: string]: J };
  switch (e.kind) {
    case 'Name':
      r = { k: 'Name', id: e.id };
      break;
    case 'Constant':
      r = { k: 'Constant', value: constant(e.value) };
      break;
    case 'FString':
      r = { k: 'FString', parts: fparts(e.parts) };
      break;
    case 'BinOp':
      r = { k: 'BinOp', op: e.op, left: x(e.left), right: x(e.right) };
      break;
    case 'UnaryOp':
      r = { k: 'UnaryOp', op: e.op, operand: x(e.operand) };
      break;
    case 'BoolOp':
      r = { k: 'BoolOp', op: e.op, values: e.values.map(x) };
      break;
    case 'Compare':
      r = { k: 'Compare', left: x(e.left), ops: e.ops, comparators: e.comparators.map(x) };
      break;
    case 'Call':
      r = { k: 'Call', func: x(e.func), args: e.args.map(x), keywords: e.keywords.map((k) => keyword(k, spans)) };
      break;
    case 'Attribute':
      r = { k: 'Attribute', value: x(e.value), attr: e.attr };
      break;
    case 'Subscript':
      r = { k: 'Subscript', value: x(e.value), index: x(e.index) };
      break;
    case 'Slice':
      r = { k: 'Slice', lower: x(e.lower), upper: x(e.upper), step: x(e.step) };
      break;
    case 'List':
    case 'Tuple':
    case 'Set':
      r = { k: e.kind, elts: e.elts.map(x) };
      break;
    case 'Dict':
      r = { k: 'Dict', keys: e.keys.map(x), values: e.values.map(x) };
      break;
    case 'ListComp':
      r = { k: 'ListComp', elt: x(e.elt), generators: e.generators.map((g) => comp(g, spans)) };
      if (e.set) r.set = true;
      break;
    case 'GeneratorExp':
      r = { k: 'GeneratorExp', elt: x(e.elt), generators: e.generators.map((g) => comp(g, spans)) };
      break;
    case 'DictComp':
      r = { k: 'DictComp', key: x(e.key), value: x(e.value), generators: e.generators.map((g) => comp(g, spans)) };
      break;
    case 'IfExp':
      r = { k: 'IfExp', test: x(e.test), body: x(e.body), orelse: x(e.orelse) };
      break;
    case 'Lambda':
      r = { k: 'Lambda', params: params(e.params, spans), body: x(e.body) };
      break;
    case 'Starred':
      r = { k: 'Starred', value: x(e.value) };
      break;
    case 'NamedExpr':
      r = { k: 'NamedExpr', target: x(e.target), value: x(e.value) };
      break;
    case 'Yield':
      r = { k: 'Yield', value: e.value ? x(e.value) : null };
      break;
    case 'YieldFrom':
      r = { k: 'YieldFrom', value: x(e.value) };
      break;
  }
  if (spans) r.s = span(e.span);
  return r;
}

export function stmt(s: A.Stmt): J {
  const b = (xs: A.Stmt[]): J => xs.map(stmt);
  let r: { [k: string]: J };
  switch (s.kind) {
    case 'Expr':
      r = { k: 'Expr', value: expr(s.value) };
      break;
    case 'Assign':
      r = { k: 'Assign', targets: s.targets.map((t) => expr(t)), value: expr(s.value) };
      break;
    case 'AugAssign':
      r = { k: 'AugAssign', target: expr(s.target), op: s.op, value: expr(s.value) };
      break;
    case 'AnnAssign':
      r = { k: 'AnnAssign', target: expr(s.target), annotation: expr(s.annotation), value: expr(s.value) };
      break;
    case 'FunctionDef':
      r = {
        k: 'FunctionDef',
        name: s.name,
        params: params(s.params, true),
        body: b(s.body),
        decorators: s.decorators.map((d) => expr(d)),
        returns: expr(s.returns),
      };
      if (s.isAsync) r.isAsync = true;
      break;
    case 'ClassDef':
      r = {
        k: 'ClassDef',
        name: s.name,
        bases: s.bases.map((x) => expr(x)),
        keywords: s.keywords.map((k) => keyword(k, true)),
        body: b(s.body),
        decorators: s.decorators.map((d) => expr(d)),
      };
      break;
    case 'Return':
      r = { k: 'Return', value: expr(s.value) };
      break;
    case 'If':
      r = { k: 'If', test: expr(s.test), body: b(s.body), orelse: b(s.orelse) };
      break;
    case 'For':
      r = { k: 'For', target: expr(s.target), iter: expr(s.iter), body: b(s.body), orelse: b(s.orelse) };
      break;
    case 'While':
      r = { k: 'While', test: expr(s.test), body: b(s.body), orelse: b(s.orelse) };
      break;
    case 'Break':
    case 'Continue':
    case 'Pass':
      r = { k: s.kind };
      break;
    case 'Import':
      r = { k: 'Import', names: s.names.map((a) => [a.name, a.asname, span(a.span)]) };
      break;
    case 'ImportFrom':
      r = { k: 'ImportFrom', module: s.module, level: s.level, names: s.names.map((a) => [a.name, a.asname, span(a.span)]) };
      break;
    case 'Try':
      r = {
        k: 'Try',
        body: b(s.body),
        handlers: s.handlers.map((h) => ({ type: expr(h.type), name: h.name, body: b(h.body), s: span(h.span) })),
        orelse: b(s.orelse),
        finalbody: b(s.finalbody),
      };
      break;
    case 'Raise':
      r = { k: 'Raise', exc: expr(s.exc), cause: expr(s.cause) };
      break;
    case 'With':
      r = { k: 'With', items: s.items.map((i) => [expr(i.context), expr(i.target)]), body: b(s.body) };
      break;
    case 'Assert':
      r = { k: 'Assert', test: expr(s.test), msg: expr(s.msg) };
      break;
    case 'Delete':
      r = { k: 'Delete', targets: s.targets.map((t) => expr(t)) };
      break;
    case 'Global':
    case 'Nonlocal':
      r = { k: s.kind, names: s.names };
      break;
    case 'SyntaxError':
      r = { k: 'SyntaxError', message: s.message };
      break;
  }
  r.s = span(s.span);
  return r;
}
