# minGPT's configure_optimizers sorts parameter names into sets: `decay & no_decay`, `decay | no_decay`,
# `param_dict.keys() - union_params`. Set algebra and methods, frozenset, and the dict views that
# keys()/values()/items() return (their repr, set operations with any iterable, live length, membership).
import torch
import torch.nn as nn
model = nn.Sequential(nn.Linear(2, 3), nn.LayerNorm(3), nn.Embedding(4, 3))
decay, no_decay = set(), set()
for mn, m in model.named_modules():
    for pn, p in m.named_parameters():
        fpn = '%s.%s' % (mn, pn) if mn else pn
        if pn.endswith('bias'):
            no_decay.add(fpn)
        elif pn.endswith('weight') and isinstance(m, nn.Linear):
            decay.add(fpn)
        elif pn.endswith('weight') and isinstance(m, (nn.LayerNorm, nn.Embedding)):
            no_decay.add(fpn)
param_dict = {pn: p for pn, p in model.named_parameters()}
inter_params = decay & no_decay
union_params = decay | no_decay
assert len(inter_params) == 0
assert len(param_dict.keys() - union_params) == 0
print(sorted(decay), sorted(no_decay), sorted(union_params - decay), sorted(decay ^ no_decay) == sorted(union_params))
groups = [sorted(list(decay)), sorted(list(no_decay))]
print(groups)
d = {'a': 1, 'b': 2}
keys = d.keys()
print(keys, d.values(), d.items(), len(keys), 'a' in keys, ('b', 2) in d.items(), 2 in d.values())
d['c'] = 3
print(keys, len(keys), keys == {'a', 'b', 'c'}, sorted(keys & ['a', 'z']), sorted(keys | {'q'}))
small = {1, 2, 3}
small &= {2, 3, 4}
alias = small
alias |= {7}
print(small, small <= {2, 3, 7, 9}, small < small, small >= {2}, small.issubset(range(10)), small.isdisjoint([5]))
print(small.union([8], (9,)), small.intersection({2, 7}, [7]), small.difference([2]), sorted(small.symmetric_difference({3, 5})))
frozen = frozenset([1, 3])
print(frozen, frozen | {4}, type(frozen & {1}), frozenset(), frozen.copy(), hasattr(frozen, 'add'))
popped = {5}
print(popped.pop(), popped)
try:
    popped.pop()
except KeyError as e:
    print(repr(e))
try:
    small & [1]
except TypeError as e:
    print(e)
try:
    keys[0]
except TypeError as e:
    print(e)
