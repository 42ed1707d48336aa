"""Writes test/unit/fixtures/softmax_bits.json: float32 softmax, log_softmax,
masked softmax and cross entropy results of real PyTorch, as the int32 bit
patterns of their float32 values, with the inputs' bits beside them, for
test/unit/softmax_bits.test.ts. Run with the project's PyTorch 2.13 venv:

    /work/venv/bin/python scripts/softmax_bits.py

The bits are those of ATen's AVX512 kernels (torch.backends.cpu
.get_cpu_capability() is recorded); an AVX2 machine's torch folds 8 lanes
in its reductions, so some last bits differ there.
"""
import json
import sys

import torch
import torch.nn.functional as F

torch.manual_seed(20261201)
torch.set_num_threads(1)


def bits(t):
    return t.detach().contiguous().view(-1).view(torch.int32).tolist()


def scores(*shape, scale=3.0):
    return (torch.randn(*shape) * scale).float()


cases = []


def add(kind, x, out, **extra):
    cases.append({"kind": kind, "shape": list(x.shape), "x": bits(x), "out": bits(out), **extra})


# last-dim softmax / log_softmax: every tail length 1..33, N < 16, 16, 17, and longer rows
for n in list(range(1, 34)) + [64, 100, 259]:
    rows = 4
    x = scores(rows, n)
    if n > 2:
        x[1, n // 2] = float("-inf")  # a masked score
        x[2, : n - 1] = float("-inf")  # one score left
    x[3, n - 1] = float("nan") if n % 2 else float("-inf")  # a NaN: NaN row
    if n % 3 == 0:
        x[3] = float("-inf")  # all masked: NaN row
    add("softmax", x, torch.softmax(x, -1))
    add("log_softmax", x, torch.log_softmax(x, -1))

# large and tiny logits (exp's range ends, ldexp in two steps)
x = torch.tensor([[0.0, -80.0, -87.5, -103.0, -104.5, 1.0, 0.5, -0.5] * 3], dtype=torch.float32)
add("softmax", x, torch.softmax(x, -1))
add("log_softmax", x, torch.log_softmax(x, -1))

# masked softmax: scores.masked_fill(mask, -inf).softmax(-1), causal | padding, fully masked rows
for t in (5, 16, 17, 23):
    x = scores(2, 2, t, t)
    causal = torch.triu(torch.ones(t, t, dtype=torch.bool), 1)
    pad = torch.zeros(2, 1, 1, t, dtype=torch.bool)
    pad[1, ..., t - 2 :] = True
    mask = causal | pad
    mask = mask.expand(2, 2, t, t).clone()
    mask[0, 1, 2] = True  # a fully masked row: NaN
    add("masked_softmax", x, x.masked_fill(mask, float("-inf")).softmax(-1), mask=mask.view(-1).int().tolist())

# softmax / log_softmax over a dim that is not the last (ATen's _vec_softmax / _vec_logsoftmax)
for shape, dim in (((3, 9, 20), 1), ((2, 7, 33), 1), ((5, 4), 0), ((2, 6, 3), 1), ((4, 8, 1), 1)):
    x = scores(*shape)
    add("softmax_dim", x, torch.softmax(x, dim), dim=dim)
    add("log_softmax_dim", x, torch.log_softmax(x, dim), dim=dim)

# cross entropy: [N, C] and [N, C, d] logits, ignore_index, weight, label_smoothing, each reduction
for shape in ((37, 10), (16, 33), (6, 5, 7)):
    n, c = shape[0], shape[1]
    x = scores(*shape, scale=2.0)
    target = torch.randint(0, c, (n,) + tuple(shape[2:]))
    target.view(-1)[::5] = -100
    weight = torch.rand(c).float() + 0.5
    results = []
    for reduction in ("none", "sum", "mean"):
        for w in (None, weight):
            for ls in (0.0, 0.1):
                out = F.cross_entropy(x, target, weight=w, reduction=reduction, label_smoothing=ls)
                results.append({"reduction": reduction, "weighted": w is not None, "label_smoothing": ls, "out": bits(out)})
    cases.append({"kind": "cross_entropy", "shape": list(shape), "x": bits(x), "target": target.view(-1).tolist(),
                  "weight": bits(weight), "results": results})

json.dump({"torch": torch.__version__, "cpu_capability": torch.backends.cpu.get_cpu_capability(), "cases": cases},
          open("test/unit/fixtures/softmax_bits.json", "w"), separators=(",", ":"))
print(len(cases), "cases", file=sys.stderr)
