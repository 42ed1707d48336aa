# copy.deepcopy of nn.Modules (the Annotated Transformer's clones()): parameters, buffers and
# submodules are copied, shared references stay shared inside the copy; copy.copy is shallow.
import copy
import numpy as np
import torch
import torch.nn as nn

torch.manual_seed(0)
class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.lin = nn.Linear(3, 3)
        self.register_buffer("mask", torch.tril(torch.ones(3, 3)))
        self.tied = self.lin
layer = Block()
clones = nn.ModuleList([copy.deepcopy(layer) for _ in range(2)])
with torch.no_grad():
    clones[0].lin.weight.fill_(1.0)
    clones[1].mask.zero_()
print(layer.lin.weight[0], clones[1].lin.weight[0], clones[0].lin.weight[0])
print(clones[0].tied is clones[0].lin, clones[0].lin is layer.lin, type(clones[0].lin.weight).__name__)
print(layer.mask.sum(), clones[1].mask.sum(), clones[0].mask.sum())
print(len(list(clones.parameters())), clones[0].lin.weight.requires_grad)
t = torch.ones(2)
pair = [t, t]
dp = copy.deepcopy(pair)
dp[0][0] = 5.0
print(t, dp[1], dp[0] is dp[1])
a = np.arange(3)
b = copy.deepcopy(a)
b[0] = 9
print(a, b)
s = copy.copy(layer)
print(s.lin is layer.lin, s is layer)
d = copy.deepcopy({"k": [1, 2], "t": (1, t)})
d["k"].append(3)
print(d["k"], d["t"][1] is t)

def clones(module, N):
    return nn.ModuleList([copy.deepcopy(module) for _ in range(N)])

stack = clones(nn.Linear(4, 4), 3)
with torch.no_grad():
    for i, l in enumerate(stack):
        l.weight.mul_(i + 1)
x = torch.randn(2, 4)
out = x
for l in stack:
    out = l(out)
first_w = stack[0].weight
third_w = stack[2].weight
print(out)
