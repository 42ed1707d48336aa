"""Dump CPython's ast for Python snippets in the canonical form test/unit/parse.test.ts
compares our AST against. Usage: python3 pyast.py snippets.json > expected.json"""
import ast, json, struct, sys

OPS = {'Add': '+', 'Sub': '-', 'Mult': '*', 'Div': '/', 'FloorDiv': '//', 'Mod': '%', 'Pow': '**',
       'MatMult': '@', 'BitAnd': '&', 'BitOr': '|', 'BitXor': '^', 'LShift': '<<', 'RShift': '>>',
       'USub': '-', 'UAdd': '+', 'Invert': '~', 'Not': 'not', 'And': 'and', 'Or': 'or',
       'Eq': '==', 'NotEq': '!=', 'Lt': '<', 'LtE': '<=', 'Gt': '>', 'GtE': '>=', 'Is': 'is',
       'IsNot': 'is not', 'In': 'in', 'NotIn': 'not in'}


def fhex(x):
    return struct.pack('>d', x).hex()


def span(n):
    return [n.lineno, n.col_offset, n.end_lineno, n.end_col_offset]


def op(o):
    return OPS[type(o).__name__]


def params(a):
    pos = a.posonlyargs + a.args
    defaults = [None] * (len(pos) - len(a.defaults)) + [e(d) for d in a.defaults]
    ps = [[p.arg, d] for p, d in zip(pos, defaults)]
    return {'posonly': ps[:len(a.posonlyargs)], 'args': ps[len(a.posonlyargs):],
            'vararg': a.vararg.arg if a.vararg else None,
            'kwonly': [[p.arg, e(d) if d else None] for p, d in zip(a.kwonlyargs, a.kw_defaults)],
            'kwarg': a.kwarg.arg if a.kwarg else None}


def const(v):
    if v is None: return {'type': 'None'}
    if v is Ellipsis: return {'type': 'Ellipsis'}
    if isinstance(v, bool): return {'type': 'bool', 'value': v}
    if isinstance(v, int): return {'type': 'int', 'value': str(v)}
    if isinstance(v, float): return {'type': 'float', 'value': fhex(v)}
    if isinstance(v, complex): return {'type': 'complex', 'value': fhex(v.imag)}
    if isinstance(v, str): return {'type': 'str', 'value': v}
    if isinstance(v, bytes): return {'type': 'bytes', 'value': v.decode('latin-1')}
    raise TypeError(v)


def fparts(values, with_spans):
    out = []
    for v in values:
        if isinstance(v, ast.Constant):
            if out and isinstance(out[-1], str): out[-1] += v.value
            else: out.append(v.value)
        else:
            part = {'expr': e(v.value, False)}
            if v.conversion != -1: part['conversion'] = chr(v.conversion)
            if v.format_spec is not None: part['formatSpec'] = fparts(v.format_spec.values, False)
            out.append(part)
    return out


def e(n, with_spans=True):
    if n is None: return None
    k = type(n).__name__
    r = {}
    if k == 'Name': r = {'k': 'Name', 'id': n.id}
    elif k == 'Constant': r = {'k': 'Constant', 'value': const(n.value)}
    elif k == 'JoinedStr': r = {'k': 'FString', 'parts': fparts(n.values, with_spans)}
    elif k == 'BinOp': r = {'k': 'BinOp', 'op': op(n.op), 'left': e(n.left, with_spans), 'right': e(n.right, with_spans)}
    elif k == 'UnaryOp': r = {'k': 'UnaryOp', 'op': op(n.op), 'operand': e(n.operand, with_spans)}
    elif k == 'BoolOp': r = {'k': 'BoolOp', 'op': op(n.op), 'values': [e(x, with_spans) for x in n.values]}
    elif k == 'Compare': r = {'k': 'Compare', 'left': e(n.left, with_spans), 'ops': [op(o) for o in n.ops], 'comparators': [e(x, with_spans) for x in n.comparators]}
    elif k == 'Call': r = {'k': 'Call', 'func': e(n.func, with_spans), 'args': [e(x, with_spans) for x in n.args], 'keywords': [kw(x, with_spans) for x in n.keywords]}
    elif k == 'Attribute': r = {'k': 'Attribute', 'value': e(n.value, with_spans), 'attr': n.attr}
    elif k == 'Subscript': r = {'k': 'Subscript', 'value': e(n.value, with_spans), 'index': e(n.slice, with_spans)}
    elif k == 'Slice': r = {'k': 'Slice', 'lower': e(n.lower, with_spans), 'upper': e(n.upper, with_spans), 'step': e(n.step, with_spans)}
    elif k in ('List', 'Tuple', 'Set'): r = {'k': k, 'elts': [e(x, with_spans) for x in n.elts]}
    elif k == 'Dict': r = {'k': 'Dict', 'keys': [e(x, with_spans) for x in n.keys], 'values': [e(x, with_spans) for x in n.values]}
    elif k in ('ListComp', 'SetComp', 'GeneratorExp'):
        r = {'k': 'GeneratorExp' if k == 'GeneratorExp' else 'ListComp', 'elt': e(n.elt, with_spans), 'generators': [comp(g, with_spans) for g in n.generators]}
        if k == 'SetComp': r['set'] = True
    elif k == 'DictComp': r = {'k': 'DictComp', 'key': e(n.key, with_spans), 'value': e(n.value, with_spans), 'generators': [comp(g, with_spans) for g in n.generators]}
    elif k == 'IfExp': r = {'k': 'IfExp', 'test': e(n.test, with_spans), 'body': e(n.body, with_spans), 'orelse': e(n.orelse, with_spans)}
    elif k == 'Lambda': r = {'k': 'Lambda', 'params': params(n.args), 'body': e(n.body, with_spans)}
    elif k == 'Starred': r = {'k': 'Starred', 'value': e(n.value, with_spans)}
    elif k == 'NamedExpr': r = {'k': 'NamedExpr', 'target': e(n.target, with_spans), 'value': e(n.value, with_spans)}
    else: raise TypeError(k)
    if with_spans: r['s'] = span(n)
    return r


def kw(k, with_spans=True):
    r = {'name': k.arg, 'value': e(k.value, with_spans)}
    if with_spans: r['s'] = span(k)
    return r


def comp(g, with_spans):
    return {'target': e(g.target, with_spans), 'iter': e(g.iter, with_spans), 'ifs': [e(x, with_spans) for x in g.ifs]}


def s(n):
    k = type(n).__name__
    if k == 'Expr': r = {'k': 'Expr', 'value': e(n.value)}
    elif k == 'Assign': r = {'k': 'Assign', 'targets': [e(t) for t in n.targets], 'value': e(n.value)}
    elif k == 'AugAssign': r = {'k': 'AugAssign', 'target': e(n.target), 'op': op(n.op), 'value': e(n.value)}
    elif k == 'AnnAssign': r = {'k': 'AnnAssign', 'target': e(n.target), 'annotation': e(n.annotation), 'value': e(n.value)}
    elif k in ('FunctionDef', 'AsyncFunctionDef'):
        r = {'k': 'FunctionDef', 'name': n.name, 'params': params(n.args), 'body': [s(x) for x in n.body],
             'decorators': [e(d) for d in n.decorator_list], 'returns': e(n.returns)}
        if k == 'AsyncFunctionDef': r['isAsync'] = True
    elif k == 'ClassDef': r = {'k': 'ClassDef', 'name': n.name, 'bases': [e(b) for b in n.bases], 'keywords': [kw(x) for x in n.keywords], 'body': [s(x) for x in n.body], 'decorators': [e(d) for d in n.decorator_list]}
    elif k == 'Return': r = {'k': 'Return', 'value': e(n.value)}
    elif k == 'If': r = {'k': 'If', 'test': e(n.test), 'body': [s(x) for x in n.body], 'orelse': [s(x) for x in n.orelse]}
    elif k == 'For': r = {'k': 'For', 'target': e(n.target), 'iter': e(n.iter), 'body': [s(x) for x in n.body], 'orelse': [s(x) for x in n.orelse]}
    elif k == 'While': r = {'k': 'While', 'test': e(n.test), 'body': [s(x) for x in n.body], 'orelse': [s(x) for x in n.orelse]}
    elif k in ('Break', 'Continue', 'Pass'): r = {'k': k}
    elif k == 'Import': r = {'k': 'Import', 'names': [[a.name, a.asname, span(a)] for a in n.names]}
    elif k == 'ImportFrom': r = {'k': 'ImportFrom', 'module': n.module or '', 'level': n.level, 'names': [[a.name, a.asname, span(a)] for a in n.names]}
    elif k == 'Try': r = {'k': 'Try', 'body': [s(x) for x in n.body], 'handlers': [{'type': e(h.type), 'name': h.name, 'body': [s(x) for x in h.body], 's': span(h)} for h in n.handlers], 'orelse': [s(x) for x in n.orelse], 'finalbody': [s(x) for x in n.finalbody]}
    elif k == 'Raise': r = {'k': 'Raise', 'exc': e(n.exc), 'cause': e(n.cause)}
    elif k == 'With': r = {'k': 'With', 'items': [[e(i.context_expr), e(i.optional_vars)] for i in n.items], 'body': [s(x) for x in n.body]}
    elif k == 'Assert': r = {'k': 'Assert', 'test': e(n.test), 'msg': e(n.msg)}
    elif k == 'Delete': r = {'k': 'Delete', 'targets': [e(t) for t in n.targets]}
    elif k in ('Global', 'Nonlocal'): r = {'k': k, 'names': n.names}
    else: raise TypeError(k)
    r['s'] = span(n)
    return r


snippets = json.load(open(sys.argv[1]))
out = {}
for src in snippets:
    out[src] = [s(x) for x in ast.parse(src).body]
json.dump(out, sys.stdout, indent=None, ensure_ascii=False)
