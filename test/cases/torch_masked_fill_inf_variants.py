# The three usual fill values: -np.inf, float('-inf') and -1e9, and what softmax makes of them.
import numpy as np
import torch
import torch.nn.functional as F

logits = torch.tensor([[2.0, 1.0, 0.5, -1.0]])
pad = torch.tensor([[False, False, True, True]])
a = logits.masked_fill(pad, -np.inf)
b = logits.masked_fill(pad, float('-inf'))
c = logits.masked_fill(pad, -1e9)
pa = F.softmax(a, dim=-1)
pc = F.softmax(c, dim=-1)
print(a)
print(c)
print(pa)
print(pc)
print(torch.equal(a, b), torch.allclose(pa, pc))
ids = torch.tensor([4, 7, 0, 0])
ids_filled = ids.masked_fill(ids == 0, -100)
print(ids_filled)
