# softmax / log_softmax along different dims of a small batch of logits.
import torch
import torch.nn.functional as F

x = torch.tensor([[1.0, 2.0, 3.0], [1.0, 1.0, 1.0]])
s0 = F.softmax(x, dim=0)
s1 = F.softmax(x, dim=1)
ls = F.log_softmax(x, dim=-1)
ls_masked = F.log_softmax(x.masked_fill(torch.tensor([[False, False, True], [False, True, True]]), float('-inf')), dim=-1)
t = torch.softmax(x, -1)
print(s0)
print(s1)
print(ls)
print(ls_masked)
print(ls.exp())
print(torch.equal(t, s1))
