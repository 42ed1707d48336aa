#!/usr/bin/env python3
"""Differential dtype sweep: write cases whose expected results come from real PyTorch.

Each case is a short snippet that leaves its result in `r`. The snippet runs
here under real PyTorch (2.13, CPU) and the outcome is recorded: dtype, shape,
values and repr(r), or the exception type and message. test/sweep/runner.ts
runs the same snippet through Mask Lens and compares.

Families cover creation ops, fills, casts, arithmetic and comparison ops,
reductions, softmax/log_softmax, masked_fill/where, indexing writes,
cat/stack, pad_sequence, losses, matmul and int64 edges, over the ten dtypes, Python scalar kinds
(bool, int, float, 0-dim tensor) and small shapes, with edge values (+-0,
NaN, +-inf, each dtype's min/max/eps/tiny, values that do not fit, and
non-integers into integer dtypes).

usage:
  generate.py --ci OUT.jsonl.gz                 the committed set (fixed seed, plus REGRESSIONS)
  generate.py --n 100000 --seed 7 OUT.jsonl.gz  a larger seeded sweep

int64 values beyond 2^53: the int64_edge family puts them (iinfo min/max,
2^53 + 1, products near 2^63) into int64 tensors, and any family may make
them. A case holding an int64 a double cannot hold, in its source or its
result, is marked `wide` (counted apart in the report, for coverage); since
issue #17 the engine keeps them exactly, so its mismatches fail like any
other.
The committed set (--ci) adds REGRESSIONS, the minimal case of every bug
kind the on-demand sweeps found.
"""
import argparse, gzip, json, math, random, re, sys, warnings

import torch
import torch.nn.functional as F
from torch.nn.utils.rnn import pad_sequence

warnings.simplefilter('ignore')

DTYPES = ['bool', 'uint8', 'int8', 'int16', 'int32', 'int64', 'float16', 'bfloat16', 'float32', 'float64']
FLOATS = ['float16', 'bfloat16', 'float32', 'float64']
INTS = ['uint8', 'int8', 'int16', 'int32', 'int64']

NAN, INF = float('nan'), float('inf')
FLOAT_POOL = [0.0, -0.0, 1.0, -1.0, 0.5, 1.5, -1.7, 2.5, 2.9, -2.5, 0.1, 1 / 3, 100.25, 300.7, -300.7, 127.9, -128.9,
              255.9, 65504.0, 65519.0, 65520.0, 1e5, 1e-5, 6e-8, 1e-8, 1e20, -1e20, 3.4e38, 1e39, 1e300, 1e-300,
              NAN, INF, -INF, 2.0 ** 31, 2.0 ** 53, -1e9, 1e4, -1e4]
for _d in FLOATS:
    _fi = torch.finfo(getattr(torch, _d))
    FLOAT_POOL += [_fi.max, _fi.min, _fi.eps, _fi.tiny]
INT_POOL = [0, 1, -1, 2, 3, 7, -5, 127, 128, -128, -129, 255, 256, -255, -256, 1000, -1000, 32767, 32768, -32769,
            2 ** 31 - 1, 2 ** 31, -2 ** 31, 2 ** 53, -2 ** 63]
# int64 values a double does not hold, or whose products and sums leave 2^53 or
# wrap at 2^64 (the int64_edge family)
INT64_EDGES = [2 ** 63 - 1, -2 ** 63, 2 ** 53 + 1, -(2 ** 53 + 1), 2 ** 53 - 1, 2 ** 62 + 3, 3037000499, -3037000500,
               2 ** 32 + 1, 2 ** 63 - 2 ** 11, 4611686018427387904, 6]
SMALL_FLOATS = [0.0, -0.0, 1.0, -1.0, 0.5, 1.5, -1.7, 2.5, 0.1, 1 / 3, 3.25, -4.0, 10.0, -0.3, 7.75]
SMALL_INTS = [0, 1, -1, 2, 3, -2, 5, 7, -8, 10, 100]


def fmt_float(x):
    if math.isnan(x):
        return "float('nan')"
    if math.isinf(x):
        return "float('inf')" if x > 0 else "-float('inf')"
    return repr(x)


def fmt_scalar(x):
    if isinstance(x, bool):
        return repr(x)
    if isinstance(x, int):
        return repr(x)
    return fmt_float(x)


def nested(vals, shape):
    if len(shape) == 0:
        return vals[0]
    if len(shape) == 1:
        return vals[:shape[0]]
    step = len(vals) // shape[0]
    return [nested(vals[i * step:(i + 1) * step], shape[1:]) for i in range(shape[0])]


def fmt_nested(v):
    if isinstance(v, list):
        return '[' + ', '.join(fmt_nested(x) for x in v) + ']'
    return fmt_scalar(v)


class Gen:
    def __init__(self, rng):
        self.r = rng

    def pick(self, xs):
        return xs[self.r.randrange(len(xs))]

    def dtype(self, pool=DTYPES):
        return self.pick(pool)

    def shape(self):
        return self.pick([(), (1,), (3,), (3,), (2, 3), (2, 3), (4,)])

    def raw_value(self, d, edge=0.5):
        """A Python number that, cast to dtype d, is a valid element (edge values half the time)."""
        r = self.r
        if d == 'bool':
            return r.random() < 0.5
        if d in INTS:
            return self.pick(INT_POOL) if r.random() < edge else self.pick(SMALL_INTS)
        return self.pick(FLOAT_POOL) if r.random() < edge else self.pick(SMALL_FLOATS)

    def values(self, d, n, edge=0.5):
        """n elements exactly representable in d (cast through PyTorch itself)."""
        raw = [self.raw_value(d, edge) for _ in range(n)]
        if d == 'bool':
            return raw
        src = torch.tensor([float(x) if d in FLOATS else x for x in raw], dtype=torch.float64 if d in FLOATS else torch.int64)
        return src.to(getattr(torch, d)).tolist()

    def tensor(self, d=None, shape=None, edge=0.5):
        d = d or self.dtype()
        shape = self.shape() if shape is None else shape
        n = math.prod(shape)
        vals = self.values(d, max(n, 1), edge)
        data = nested(vals, list(shape)) if shape else vals[0]
        return f'torch.tensor({fmt_nested(data)}, dtype=torch.{d})', d, shape

    def mask(self, shape):
        n = max(math.prod(shape), 1)
        vals = [self.r.random() < 0.5 for _ in range(n)]
        data = nested(vals, list(shape)) if shape else vals[0]
        return f'torch.tensor({fmt_nested(data)})'

    def scalar(self, kinds=('bool', 'int', 'float', 'float', 'int')):
        k = self.pick(list(kinds))
        if k == 'bool':
            return repr(self.r.random() < 0.5)
        if k == 'int':
            return repr(self.pick(INT_POOL) if self.r.random() < 0.5 else self.pick(SMALL_INTS))
        if k == 'tensor0':
            return self.tensor(shape=())[0]
        return fmt_float(self.pick(FLOAT_POOL) if self.r.random() < 0.5 else self.pick(SMALL_FLOATS))

    def operand(self, shape):
        """A tensor of a compatible shape, a Python scalar, or a 0-dim tensor."""
        k = self.r.random()
        if k < 0.5:
            sh = self.pick([shape, shape, shape[-1:] if shape else (), ()])
            return self.tensor(shape=sh)[0]
        if k < 0.65:
            return self.tensor(shape=())[0]
        return self.scalar()


# ---- families: each returns a snippet leaving its result in `r` ----

def creation(g):
    d = g.dtype()
    sh = g.pick([(3,), (2, 2), ()])
    s = g.scalar()
    x, _, _ = g.tensor()
    opt = lambda: g.pick(['', f', dtype=torch.{g.dtype()}'])
    return g.pick([
        f'r = torch.full({sh}, {s}, dtype=torch.{d})',
        f'r = torch.full({sh}, {s})',
        f'r = torch.full_like({x}, {s})',
        f'r = {x}.new_full({sh}, {s})',
        f'r = {x}.new_zeros({sh})',
        f'r = {x}.new_ones({sh}{opt()})',
        f'r = torch.zeros({sh}, dtype=torch.{d})',
        f'r = torch.ones({sh}, dtype=torch.{d})',
        f'r = torch.zeros_like({x}{opt()})',
        f'r = torch.ones_like({x}{opt()})',
        f'r = torch.tensor([{g.scalar()}, {g.scalar()}, {g.scalar()}]{opt()})',
        f'r = torch.tensor({g.scalar()}{opt()})',
        f'r = torch.arange({g.pick([3, 5, 4.5, 300])}{opt()})',
        f'r = torch.arange({g.pick([-2, 0, 1.5])}, {g.pick([3, 4.5, 7])}, {g.pick([1, 2, 0.5, 1.5])}{opt()})',
        f'r = torch.eye({g.pick([2, 3])}, dtype=torch.{d})',
        f'r = torch.linspace({g.pick([0, -1, 0.5])}, {g.pick([1, 10, 2.5])}, {g.pick([1, 4, 5])}{opt()})',
    ])


def fill(g):
    x, d, sh = g.tensor()
    s = g.scalar(('bool', 'int', 'float', 'float', 'int', 'tensor0'))
    m = g.mask(g.pick([sh, sh, sh[-1:] if sh else ()]))
    return g.pick([
        f'x = {x}\nx.fill_({s})\nr = x',
        f'x = {x}\nx.zero_()\nr = x',
        f'r = {x}.masked_fill({m}, {s})',
        f'x = {x}\nx.masked_fill_({g.mask(sh)}, {s})\nr = x',
        f'r = torch.where({m}, {x}, {s})',
        f'r = torch.where({m}, {s}, {x})',
        f'r = torch.where({m}, {x}, {g.operand(sh)})',
        f'r = torch.where({m}, {g.scalar()}, {g.scalar()})',
    ])


CAST_METHODS = {'float': 'float32', 'double': 'float64', 'half': 'float16', 'bfloat16': 'bfloat16', 'long': 'int64',
                'int': 'int32', 'short': 'int16', 'char': 'int8', 'byte': 'uint8', 'bool': 'bool'}


def cast(g):
    x, d, sh = g.tensor(edge=0.7)
    to = g.dtype()
    return g.pick([
        f'r = {x}.to(torch.{to})',
        f'r = {x}.to(dtype=torch.{to})',
        f'r = {x}.{g.pick(list(CAST_METHODS))}()',
        f'r = {x}.type(torch.{to})',
        f'r = torch.tensor({x}.tolist(), dtype=torch.{to})',
    ])


def arith(g):
    x, d, sh = g.tensor()
    y = g.operand(sh)
    op = g.pick(['+', '-', '*', '/', '//', '%', '**', '+', '*', '-'])
    fn = g.pick(['add', 'sub', 'mul', 'div'])
    return g.pick([
        f'r = {x} {op} {y}',
        f'r = {y} {op} {x}',
        f'r = {x} {op} {y}',
        f'r = -{x}',
        f'r = torch.{fn}({x}, {y})',
        f'r = torch.add({x}, {y}, alpha={g.scalar(("int", "float", "bool"))})',
        f'x = {x}\nx {op}= {y}\nr = x',
        f'x = {x}\nx.{fn}_({y})\nr = x',
        f'r = {x}.abs()',
        f'r = torch.{g.pick(["exp", "log", "sqrt", "sigmoid", "tanh", "floor", "ceil", "round", "trunc", "sign", "reciprocal", "rsqrt"])}({x})',
    ])


def compare(g):
    x, d, sh = g.tensor()
    y = g.operand(sh)
    op = g.pick(['<', '<=', '>', '>=', '==', '!='])
    return g.pick([
        f'r = {x} {op} {y}',
        f'r = {y} {op} {x}',
        f'r = torch.{g.pick(["maximum", "minimum"])}({x}, {g.tensor(shape=sh)[0]})',
        f'r = torch.clamp({x}, {g.scalar(("int", "float"))}, {g.scalar(("int", "float"))})',
        f'r = torch.{g.pick(["logical_and", "logical_or", "logical_xor"])}({x}, {g.tensor(shape=sh)[0]})',
        f'r = torch.logical_not({x})',
        f'r = {x}.{g.pick(["eq", "ne", "lt", "gt", "le", "ge"])}({y})',
    ])


def reduction(g):
    x, d, sh = g.tensor(shape=g.pick([(3,), (2, 3), (4,), (), (2, 3), (5,)]), edge=0.3)
    dim = g.pick([0, -1]) if sh else 0
    return g.pick([
        f'r = {x}.sum()',
        f'r = {x}.sum({dim})',
        f'r = {x}.sum(dtype=torch.{g.dtype()})',
        f'r = {x}.mean()',
        f'r = {x}.mean({dim})',
        f'r = {x}.mean(dtype=torch.{g.dtype(FLOATS)})',
        f'r = {x}.prod()',
        f'r = {x}.max()',
        f'r = {x}.min()',
        f'r = {x}.max({dim}).values',
        f'r = {x}.argmax()',
        f'r = {x}.argmin({dim})',
        f'r = {x}.any()',
        f'r = {x}.all()',
        f'r = {x}.cumsum({dim})',
        f'r = {x}.count_nonzero()',
        f'r = {x}.std()',
        f'r = {x}.var({dim})',
    ])


def softmax(g):
    # mostly floating inputs (integer ones only check the NotImplementedError)
    d = g.dtype(FLOATS) if g.r.random() < 0.85 else g.dtype()
    x, d, sh = g.tensor(d, shape=g.pick([(3,), (2, 3), (4,), (2, 3)]), edge=0.2)
    dim = g.pick([0, -1, 1 if len(sh) > 1 else 0])
    return g.pick([
        f'r = torch.softmax({x}, {dim})',
        f'r = torch.log_softmax({x}, dim={dim})',
        f'r = F.softmax({x}, dim={dim})',
        f'r = F.log_softmax({x}, dim={dim})',
        f'r = torch.softmax({x}, {dim}, dtype=torch.{g.dtype(FLOATS)})',
        f'r = {x}.softmax({dim})',
        f'r = {x}.log_softmax({dim})',
    ])


def index_write(g):
    x, d, sh = g.tensor(shape=g.pick([(3,), (2, 3), (4,)]))
    s = g.scalar(('bool', 'int', 'float', 'float', 'int', 'tensor0'))
    row = g.tensor(shape=sh[1:] or ())[0]
    return g.pick([
        f'x = {x}\nx[0] = {s}\nr = x',
        f'x = {x}\nx[{g.mask(sh)}] = {s}\nr = x',
        f'x = {x}\nx[torch.tensor([0, 1])] = {s}\nr = x',
        f'x = {x}\nx[1:] = {s}\nr = x',
        f'x = {x}\nx[0] = {row}\nr = x',
        f'x = {x}\nx[..., -1] = {s}\nr = x',
        f'x = {x}\nx[torch.tensor([1, 0])] = {g.tensor(shape=(2,) + tuple(sh[1:]))[0]}\nr = x',
    ])


def catstack(g):
    sh = g.pick([(3,), (2, 3), (1,)])
    a = g.tensor(shape=sh)[0]
    b = g.tensor(shape=sh)[0]
    return g.pick([
        f'r = torch.cat([{a}, {b}])',
        f'r = torch.cat([{a}, {b}], dim=-1)',
        f'r = torch.stack([{a}, {b}])',
        f'r = torch.stack([{a}, {b}], dim=-1)',
        f'r = torch.cat([{a}, {b}, {g.tensor(shape=sh)[0]}])',
    ])


def padseq(g):
    d = g.dtype()
    tail = g.pick([(), (2,)])
    a = g.tensor(d, (3,) + tail)[0]
    b = g.tensor(d, (g.pick([1, 2]),) + tail)[0]
    s = g.scalar(('bool', 'int', 'float', 'float', 'int'))
    bf = g.pick(['True', 'False'])
    return g.pick([
        f'r = pad_sequence([{a}, {b}], batch_first={bf}, padding_value={s})',
        f'r = pad_sequence([{b}, {a}], padding_value={s})',
        f'r = pad_sequence([{a}, {b}], batch_first={bf})',
    ])


def loss(g):
    d = g.dtype(FLOATS + FLOATS + ['int64'])
    n, c = g.pick([(2, 3), (3, 4), (1, 3)])
    logits = g.tensor(d, (n, c), edge=0.15)[0]
    target = f'torch.tensor({[g.r.randrange(c) for _ in range(n)]})'
    if g.r.random() < 0.2:
        target = f'torch.tensor({[g.pick([g.r.randrange(c), -100]) for _ in range(n)]})'
    red = g.pick(["'mean'", "'sum'", "'none'"])
    y = g.tensor(g.dtype(FLOATS), (n, c), edge=0.1)[0]
    return g.pick([
        f'r = F.cross_entropy({logits}, {target}, reduction={red})',
        f'r = F.nll_loss(F.log_softmax({logits}, dim=-1), {target}, reduction={red})',
        f'r = F.mse_loss({logits}, {y}, reduction={red})',
        f'r = F.l1_loss({logits}, {y}, reduction={red})',
        f'r = F.binary_cross_entropy_with_logits({logits}, {y}, reduction={red})',
        f'r = F.cross_entropy({logits}, {target}, label_smoothing=0.1)',
    ])


def matmul(g):
    d = g.dtype(FLOATS + FLOATS + INTS)
    m, k, n = g.pick([1, 2, 3]), g.pick([1, 2, 3, 4]), g.pick([1, 2, 3])
    a = g.tensor(d, (m, k), edge=0.15)[0]
    b = g.tensor(d, (k, n), edge=0.15)[0]
    v = g.tensor(d, (k,), edge=0.15)[0]
    return g.pick([
        f'r = {a} @ {b}',
        f'r = torch.matmul({a}, {v})',
        f'r = torch.matmul({v}, {b})',
        f'r = torch.mm({a}, {g.tensor(g.dtype(), (k, n))[0]})',
    ])


def int64_edge(g):
    """int64 tensors holding values beyond 2^53: creation, arithmetic that overflows, reductions, casts, writes."""
    def t(shape):
        n = max(math.prod(shape), 1)
        vals = [g.pick(INT64_EDGES) if g.r.random() < 0.6 else g.pick(SMALL_INTS) for _ in range(n)]
        data = nested(vals, list(shape)) if shape else vals[0]
        return f'torch.tensor({fmt_nested(data)})'
    sh = g.pick([(3,), (2, 2), ()])
    x, y = t(sh), t(sh)
    e = repr(g.pick(INT64_EDGES))
    op = g.pick(['+', '-', '*', '//', '%', '&', '|', '^'])
    return g.pick([
        f'r = {x}',
        f'r = torch.full({sh}, {e})',
        f'r = {x} {op} {y}',
        f'r = {x} {op} {e}',
        f'r = -{x}',
        f'r = {x}.abs()',
        f'r = {x} {g.pick(["<", "==", ">=", "!="])} {y}',
        f'r = {x}.{g.pick(["sum", "prod", "max", "min", "cumsum", "argmax"])}({"0" if sh else ""})',
        f'r = {x}.to(torch.{g.pick(["float64", "float32", "int32", "int8", "bool", "float16"])})',
        f'r = torch.tensor({g.pick(FLOAT_POOL + [9.3e18, -9.3e18, 2.0 ** 62])}).long()',
        f'x = {x}\nx[{g.mask(sh)}] = {e}\nr = x',
        f'r = torch.where({g.mask(sh)}, {x}, {e})',
        f'r = torch.cat([{t((2,))}, {t((1,))}])',
        f'r = torch.clamp({x}, {g.pick(INT64_EDGES + SMALL_INTS)}, {g.pick(INT64_EDGES)})',
        f'r = {x} * {g.pick(["1.5", "0.5", "True", "2"])}',
    ])


# Minimal cases of the bugs the on-demand 100k sweeps found (issue #17), kept in
# the committed set so each fix stays checked in CI. Each leaves its result in r.
REGRESSIONS = [
    # Python ints beyond int64: uint64 scalars (2**63 <= v < 2**64) and CPython's OverflowError
    'r = torch.tensor([1, 2]) + (-2**63 - 1)',
    'r = torch.tensor([1., 2]) * 2**64',
    'x = torch.tensor([1, 2])\nx.fill_(-2**63 - 1)\nr = x',
    'r = torch.tensor([True, False]) * 2**63',
    'r = torch.tensor([True, False]) == 2**63',
    'r = torch.clamp(torch.tensor([1, 2]), 2**63, 3)',
    'r = torch.clamp(torch.tensor([1., 2]), 2**63, 3)',
    'r = torch.tensor([1, 2], dtype=torch.int8) * 2**63',
    'r = torch.tensor([1, 2]) // 2**63',
    'r = 9223372036854775808 ** torch.tensor([1, 2])',
    'r = torch.tensor([2**63, 1])',
    'r = torch.tensor(2**63, dtype=torch.bool)',
    'r = torch.tensor([2**64, 1.5])',
    'r = torch.full((2,), 2**64, dtype=torch.float32)',
    # float16/bfloat16 products round every step
    'r = torch.tensor([300., 300., 0.001], dtype=torch.float16).prod()',
    'r = torch.tensor([300., 300., 0.0], dtype=torch.float16).prod()',
    'r = torch.tensor([[65504., 2.], [0.5, 3.]], dtype=torch.float16).prod(0)',
    'r = torch.tensor([3e38, 2.0, 0.25], dtype=torch.bfloat16).prod()',
    # a 0-dim cumsum is a copy
    'r = torch.tensor(-0.0).cumsum(0)',
    # int64 beyond 2^53 (exact side arrays): a running sum that wraps, one rounding to float32,
    # neighbours a double cannot tell apart, an exact double written over an exact value
    'r = torch.tensor([2**63 - 1, -2**63, 2**53 + 1]).cumsum(0)',
    'r = torch.tensor([2**53 + 2**29 + 1]).to(torch.float32)',
    'r = torch.tensor([2**53 + 1, 2**53]) == 2**53',
    'x = torch.tensor([2**53 + 1, 2**60 + 1])\nx[torch.tensor([True, True])] = 2**60\nr = x',
    # a float32 std/var to one element takes the mean in float32 first (std_var_all_cpu): it overflows
    'r = torch.tensor([1e38, 2e38, 3e38]).std()',
    'r = torch.tensor([[1e38, 2e38, 3e38]]).var(1)',
    # integer division with rounding_mode='trunc' is exact integer division (past float32's 2^24 too)
    "r = torch.div(torch.tensor([16777217, -7], dtype=torch.int32), 3, rounding_mode='trunc')",
    "r = torch.div(torch.tensor([7, 249], dtype=torch.uint8), -1, rounding_mode='trunc')",
    "r = torch.div(torch.tensor([2**53 + 1, -2**63]), 3, rounding_mode='trunc')",
    "r = torch.einsum('ii->i', torch.tensor([[2**53 + 1, 3], [4, 5]]))",
    # float32 floor division rounds each step to float32; pow_ refuses a negative int power first
    'x = torch.tensor([-0.30000001192092896])\nx //= torch.tensor([1.0011717677116394e-08], dtype=torch.bfloat16)\nr = x',
    'x = torch.tensor([False, False])\nx **= -1\nr = x',
    'r = torch.tensor(-0.0, dtype=torch.float16).cumsum(0)',
    'r = torch.tensor([-0.0, -0.0]).cumsum(0)',
    # nll_loss / cross_entropy reductions: ATen's cascade of partial sums in the input dtype
    "r = F.cross_entropy(torch.tensor([[1.5, -2.25, 0.1], [3.25, 0.5, -1.7], [10.0, -4.0, 0.3]], dtype=torch.float16), "
    "torch.tensor([2, 1, 1]), weight=torch.tensor([0.3, 0.7, 1.1], dtype=torch.float16))",
    "torch.manual_seed(0)\nr = F.nll_loss(torch.randn(40, 3).half(), torch.randint(0, 3, (40,)), reduction='mean')",
    "torch.manual_seed(1)\nr = F.cross_entropy(torch.randn(20, 4).bfloat16(), torch.randint(0, 4, (20,)), reduction='sum')",
    "torch.manual_seed(2)\nr = F.cross_entropy(torch.randn(33, 5), torch.randint(0, 5, (33,)))",
    "r = F.cross_entropy(torch.tensor([[10.0, 0.0, 0.0999755859375, 0.0999755859375], [1.5, -4.0, 0.0999755859375, 10.0], "
    "[-1.0, 65504.0, 2.5, 0.5]], dtype=torch.float16), torch.tensor([1, 2, 3]), reduction='sum')",
    # add/sub with alpha: a fused multiply-add except in the x86 build's scalar-other tail loop
    'r = torch.add(torch.tensor([[1, 7, -1], [255, -32768, 1]], dtype=torch.int16), 7.75, alpha=0.3333333333333333)',
    'r = torch.add(torch.tensor([1, 127, -1], dtype=torch.int8), torch.tensor(0.3333333333333333, dtype=torch.float64), alpha=3)',
    'r = torch.add(torch.tensor([[float("nan"), 2.9, -1.0], [2.2e-16, 255.9, -0.3]], dtype=torch.float64), 3.25, alpha=0.1)',
    'r = torch.add(torch.full((31,), 7.0), 7.75, alpha=1/3)',
    'r = torch.sub(torch.full((13,), -1.0, dtype=torch.float64), torch.tensor([3.25], dtype=torch.float64), alpha=-0.1)',
    'r = torch.add(torch.full((6,), 7.0), torch.full((6,), 7.75), alpha=1/3)',
    # clamp with both bounds and a NaN fills NaN before converting either bound
    "r = torch.clamp(torch.tensor([[-4.0, 2.5, float('inf')], [1.0, 0.5, 65504.0]], dtype=torch.float16), 65520.0, float('nan'))",
    "r = torch.clamp(torch.tensor([1, 2], dtype=torch.int8), 1000, float('nan'))",
    # int64 sums past 2**53: exact where a double holds the result, wrapping mod 2**64
    'r = torch.tensor([[128, 7, 5], [100, 9007199254740992, 2]], dtype=torch.int64).sum()',
    'r = torch.tensor([[9007199254740992, 7, -8], [0, 1, 5]], dtype=torch.int64).sum(-1)',
    "r = torch.tensor([[-0.3, 3.25, -1.7], [-1.7, float('inf'), -float('inf')]], dtype=torch.float16).sum(dtype=torch.int64)",
    # float16/bfloat16 floor division: steps rounded in the dtype; a one-element divisor in float32
    'r = torch.tensor([0.0, 6e-08, -65536.0, 10.0], dtype=torch.bfloat16) // torch.tensor(-1.7001953125, dtype=torch.float16)',
    'x = torch.tensor([[0.333984375, 65536.0, -1.0], [1e-38, 0.0009765625, 1e-38]], dtype=torch.bfloat16)\n'
    'x //= torch.tensor([127, 255, 128], dtype=torch.int16)\nr = x',
    'r = torch.tensor([65504.0, -65536.0, 1.5, 127.0], dtype=torch.bfloat16) // 255',
    'r = torch.tensor([-2.5, 65536.0, 255.0, 0.0], dtype=torch.float16) // 0.1',
    'r = 1000.0 // torch.tensor([-0.0, 3.25, 3.25, 127.0], dtype=torch.bfloat16)',
    # pow with a Python-number exponent: a double for float32/float64, the dtype itself for float16/bfloat16
    'r = torch.tensor(-1.703125, dtype=torch.bfloat16) ** 255.9',
    'r = torch.tensor([1.5, -1.703125], dtype=torch.float16) ** 2.0001',
    'r = torch.tensor([[-0.0, 0.0009765625, 0.0], [2.5, 1.0, 0.0]], dtype=torch.float32) ** 1.7976931348623157e+308',
    'r = torch.tensor([2, 3], dtype=torch.int32) ** 1e39',
    'r = torch.tensor([1.5, -1.703125], dtype=torch.float16) ** 1e5',
    # float32 products in the CPU kernels' orders (fused multiply-adds; MKL gemv lanes for one column)
    'r = torch.mm(torch.tensor([[1e-05, 10.0, -1.7, 1.5], [-1.7, 0.5, 0.5, 2.9]]), torch.tensor([[1.5], [-10000.0], [-1.0], [65504.0]]))',
    'r = torch.tensor([[-0.0], [0.5]]) @ torch.tensor([[3.25, -1.0, 1.0]])',
    "r = torch.tensor([[-1.7, float('inf')], [float('inf'), -1.7]]) @ torch.tensor([[3.4e38, 1.0], [7.75, 1.0]])",
    'r = torch.tensor([[0.1, 1e8, -0.3], [3.0, -1e8, 0.7]]) @ torch.tensor([[1e8, 3.0], [1.0, 0.1], [-3.3e8, 7.0]])',
    'r = torch.matmul(torch.tensor([1e8, 0.1, -1e8, 0.3, 7.0]), torch.tensor([1.0, 3.0, 1.0, 0.7, 0.1]))',
    # randn in float16/bfloat16: float32 Box-Muller over padded blocks of 16 from 16 elements, a double sample below
    'torch.manual_seed(3)\nr = torch.randn(20, dtype=torch.bfloat16)',
    'torch.manual_seed(4)\nr = torch.randn(3, 11, dtype=torch.float16)',
    'torch.manual_seed(5)\nr = torch.empty(7, dtype=torch.bfloat16).normal_(2.5, 0.1)',
    # sums over a leading dim of 8+ contiguous columns: SumKernel's vectorized_outer_sum (row_sum's 4 partial sums)
    'torch.manual_seed(6)\nr = (torch.randn(5, 20) * 1000).sum(0)',
    'torch.manual_seed(7)\nr = (torch.randn(3, 6, 40) * 100).double().sum(1)',
    'torch.manual_seed(8)\nr = (torch.randn(2, 9, 12) * 1000).mean(1)',
    # two-operand einsum is one bmm over the contracted labels in label order (ATen's sumproduct_pair)
    "torch.manual_seed(9)\nr = torch.einsum('bhld,bhmd->bhlm', torch.randn(2, 2, 5, 16) * 1000, torch.randn(2, 2, 5, 16))",
    "torch.manual_seed(10)\nr = torch.einsum('ij,j->i', torch.randn(5, 16) * 1000, torch.randn(16))",
    "torch.manual_seed(11)\nr = torch.einsum('bld,bmd->', torch.randn(2, 4, 7) * 1000, torch.randn(2, 3, 7))",
    # sign of NaN is 0; a fused multiply-add whose factor is near the double range (seed 20261201)
    "r = torch.sign(torch.tensor([float('nan'), 300.7, -0.0], dtype=torch.float64))",
    "r = torch.sign(torch.tensor(float('nan'), dtype=torch.float16))",
    'r = torch.add(torch.tensor([True, False, True]), torch.tensor([0.5, 1.7976931348623157e+308, -1.7976931348623157e+308], dtype=torch.float64), alpha=0.0009765625)',
]

FAMILIES = {
    'creation': creation, 'fill': fill, 'cast': cast, 'arith': arith, 'compare': compare, 'reduction': reduction,
    'softmax': softmax, 'index_write': index_write, 'catstack': catstack, 'pad_sequence': padseq, 'loss': loss,
    'matmul': matmul, 'int64_edge': int64_edge,
}
# Results of transcendental kernels (exp, log, tanh...) may differ by an ulp
# between libm and PyTorch's SLEEF; these compare within a few ulps
# (runner.ts). A float64 matmul too: MKL's dgemm fuses multiply-adds, which
# the engine does not emulate in double (float32 and the half types follow
# the CPU kernels' orders exactly: src/engine/kernels/float32_matmul.ts).
# Everything else is exact.
ULP_FAMILIES = {'softmax', 'loss'}
# (float64 sqrt included: PyTorch's is not always correctly rounded, 2**-23 gives 1 ulp above)
ULP_OPS = ('torch.exp(', 'torch.log(', 'torch.sigmoid(', 'torch.tanh(', 'torch.rsqrt(', 'torch.sqrt(', '.std()', '.var(',
           ' ** ', 'x **=')


def enc_num(x):
    if isinstance(x, bool):
        return x
    if isinstance(x, int):
        return x
    if math.isnan(x):
        return 'nan'
    if math.isinf(x):
        return 'inf' if x > 0 else '-inf'
    return x


def run_case(src):
    """The expected outcome of `src`; None to drop it. A case holding an int64 a double cannot hold is marked wide."""
    ns = {'torch': torch, 'F': F, 'pad_sequence': pad_sequence}
    try:
        exec(src, ns)
    except Exception as e:  # the snippet's own error is the expected result
        msg = str(e).split('\n')[0]
        return {'error': [type(e).__name__, msg]}
    r = ns['r']
    if not isinstance(r, torch.Tensor):
        return None
    data = r.reshape(-1).tolist()
    wide = (r.dtype == torch.int64 and any(float(v) != v for v in data)) or any(
        float(int(v)) != int(v) for v in re.findall(r'(?<![\w.])\d{16,}(?![\w.])', src)) or re.search(
        r'2\s*\*\*\s*(5[3-9]|6[0-3])\s*[-+]', src) is not None  # 2**53 + 1 and the like
    out = {'dtype': str(r.dtype), 'shape': list(r.shape), 'data': [enc_num(v) for v in data], 'repr': repr(r)}
    if wide:
        out['wide'] = True
    return out


def cases(n, seed, only=None):
    """n cases from `seed`; with `only`, the same sequence of snippets (n of every family) keeping that family's."""
    rng = random.Random(seed)
    g = Gen(rng)
    names = list(FAMILIES)
    out, tries = [], 0
    while (tries < n if only else len(out) < n) and tries < n * 5:
        fam = names[tries % len(names)]
        tries += 1
        src = FAMILIES[fam](g)
        if src is None or (only and fam != only):
            continue
        exp = run_case(src)
        if exp is None:
            continue
        tol = 'ulp' if fam in ULP_FAMILIES or any(o in src for o in ULP_OPS) or (fam == 'matmul' and 'float64' in src) else 'exact'
        case = {'id': len(out), 'family': fam, 'tol': tol, 'src': src, 'expect': exp}
        if exp.pop('wide', False):
            case['wide'] = True  # int64 beyond 2^53 (see runner.ts)
        out.append(case)
    return out


def regression_cases(start):
    out = []
    for src in REGRESSIONS:
        exp = run_case(src)
        assert exp is not None, src
        tol = 'ulp' if any(o in src for o in ULP_OPS) else 'exact'
        case = {'id': start + len(out), 'family': 'regression', 'tol': tol, 'src': src, 'expect': exp}
        if exp.pop('wide', False):
            case['wide'] = True
        out.append(case)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('out')
    ap.add_argument('--ci', action='store_true', help='the committed set: 3000 cases, seed 17')
    ap.add_argument('--n', type=int, default=3000)
    ap.add_argument('--seed', type=int, default=17)
    ap.add_argument('--only', choices=list(FAMILIES), help="keep one family's cases of the --n/--seed sequence (same snippets, same order)")
    a = ap.parse_args()
    n, seed = (3000, 17) if a.ci else (a.n, a.seed)
    torch.manual_seed(0)
    cs = cases(n, seed, a.only)
    if a.ci:
        cs += regression_cases(len(cs))
    meta = {'torch': torch.__version__, 'seed': seed, 'n': len(cs)}
    lines = [json.dumps(meta)] + [json.dumps(c, separators=(',', ':')) for c in cs]
    # mtime=0 keeps the committed file byte-identical across regenerations
    with open(a.out, 'wb') as raw, gzip.GzipFile(fileobj=raw, mode='wb', compresslevel=9, mtime=0) as f:
        f.write(('\n'.join(lines) + '\n').encode('utf-8'))
    print(f'{len(cs)} cases -> {a.out} (torch {torch.__version__}, seed {seed})', file=sys.stderr)


if __name__ == '__main__':
    main()
