# Values through ~40 ops whose input has a permuted layout (x.transpose(0, 2) * 2 + 1
# keeps it, as TensorIterator does): reductions, indexing, softmax, losses, copies,
# in-place writes; every value must be what torch computes whatever the strides.
import torch
import numpy as np
import torch.nn.functional as F
torch.manual_seed(0)
x = torch.randn(3, 4, 5)
xt = x.transpose(0, 2)            # [5, 4, 3] permuted
y = xt * 2 + 1                    # result keeps the permuted layout
m = (y > 1)                       # bool, permuted
a1 = y.masked_fill(~m, float('-inf')).softmax(-1)
a2 = y.sum(-1)
a3 = y.cumsum(1)
a4 = y.argmax(-1)
a5 = m.nonzero()
a6 = y[m]
a7 = torch.where(m, y, torch.zeros(()))
a8 = y.gather(-1, torch.zeros(5, 4, 1, dtype=torch.long))
a9 = y.topk(2, dim=-1).values
a10 = y.sort(dim=1).values
a11 = y.tolist()
a12 = y[1, 2, 0].item()
a13 = y[:, 1:3, ::2]
a14 = (y == y.flip(0)).any()
a15 = y @ torch.ones(3, 2)
a16 = F.cross_entropy(y.reshape(-1, 3), torch.tensor([0, 1, 2, 0] * 5))
a17 = F.pad(y, (1, 0))
a18 = torch.cat([y, y], 0)
a19 = torch.stack([y, y])
a20 = y.repeat(1, 2, 1)
a21 = y.reshape(-1)
a22 = y.numpy().sum(axis=0)
a23 = y.max(dim=0).values
a24 = m.float().mean(-1)
a25 = y.clamp(min=1.5)
a26 = y.unsqueeze(0).expand(2, 5, 4, 3).sum(0)
a27 = y.masked_select(m)
a28 = torch.tril(y[..., 0])
a29 = y.exp().log_softmax(1)
a30 = y.mean(), y.std(), y.var(1)
a31 = torch.nn.Linear(3, 2)(y)
a32 = y.int() // 2
a33 = y.half().float()
a34 = (y.to(torch.float64) + x.transpose(0, 2).double()).sum(1)
a35 = y.index_select(1, torch.tensor([3, 0]))
a36 = y[torch.tensor([0, 4])]
a37 = y.view(5, 4, 3).shape if y.is_contiguous() else 'noncontig'
a38 = y.contiguous().view(-1)[:7]
a39 = y.masked_fill_(m, 0.5).sum()
a40 = torch.einsum('ijk->kji', y)
print(y)
print(m)
