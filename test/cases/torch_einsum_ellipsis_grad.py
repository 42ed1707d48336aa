# x-transformers' Attend: einsum with named axes and `...` (rotary, batched heads), on tensors that
# require grad (a learned attention sink), so the result keeps requires_grad and the grad_fn ATen's
# einsum leaves (Permute / Sum for one operand, Mul without a contraction, View after bmm); F.pad of
# a parameter keeps ConstantPadNdBackward0.
import torch
import torch.nn.functional as F
from torch.nn import Parameter
torch.manual_seed(0)
a = torch.randn(2, 3, 4)
b = torch.randn(2, 4, 5)
c = torch.randn(4, 5)
print(torch.einsum('...ij,...jk->...ik', a, b))
print(torch.einsum('...ij,jk->...ik', a, c))
implicit = torch.einsum('...ij,...jk', a, b)
batch_dot = torch.einsum('b...,b...->b', a, a)
summed = torch.einsum('...ij->ij', a)
leading = torch.einsum('i...->...', a)
dots = torch.einsum('...d,...d->...', a, a)
print(implicit.shape, batch_dot, summed, leading.shape, dots)
sink = Parameter(torch.zeros(4))
w = torch.randn(3, 4, requires_grad=True)
q = torch.randn(2, 4, 3, 8)
k = torch.randn(2, 4, 5, 8, requires_grad=True)
sim = torch.einsum('b h i d, b h j d -> b h i j', q, k)
print(sim.grad_fn.name(), sim.requires_grad)
for eq, ops in [('ij->ji', [w]), ('ij->', [w]), ('ij->i', [w]), ('ij,ij->ij', [w, w]), ('ij,kj->ik', [w, w]),
                ('i,j->ij', [w[0], w[1]]), ('ii->i', [w[:, :3]]), ('ii', [w[:, :3]]), ('ij,i->ij', [w, w[:, 0]]),
                ('...i,...i->...', [w, w]), ('ij,j->i', [w, sink])]:
    r = torch.einsum(eq, *ops)
    print(eq, r.grad_fn.name(), tuple(r.shape))
out = torch.einsum('...i,...i->...', w, w)
print(out)
padded = F.pad(sink, (1, 0), value=0.)
print(padded, F.pad(w, (0, 1)).grad_fn.name())
with torch.no_grad():
    print(torch.einsum('ij->i', w))
for bad in ['...ij,...jk->...ik', 'i..j', '...i...']:
    try:
        torch.einsum(bad, torch.randn(3), c)
    except RuntimeError as e:
        print(e)
