# copy.deepcopy as CPython's: clones of a module own their weights (the Annotated
# Transformer's clones()), shared references stay shared inside one copy, nested
# containers are copied.
import copy
import torch
import torch.nn as nn

torch.manual_seed(0)
class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.proj = nn.Linear(3, 3)
        self.shared = [1, 2]
        self.alias = self.shared

def clones(module, n):
    return nn.ModuleList([copy.deepcopy(module) for _ in range(n)])

b = Block()
layers = clones(b, 2)
with torch.no_grad():
    layers[0].proj.weight.fill_(1.0)
x = torch.ones(1, 3)
y0 = layers[0].proj(x)
y1 = layers[1].proj(x)
yb = b.proj(x)
print(layers[1].alias is layers[1].shared, layers[1].shared is b.shared, layers[0].proj is b.proj)
d = {'a': [1, [2]], 'b': (3, [4])}
e = copy.deepcopy(d)
e['a'][1].append(5)
print(d, e)
