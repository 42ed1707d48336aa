# Random fills on non-contiguous tensors draw in PyTorch's CPU iteration order:
# in-place uniform_/normal_/bernoulli_/exponential_/random_ visit a view in stride
# order (TensorIterator), and rand_like/randn_like/randint_like and dropout's noise
# use empty_like, which keeps a transposed input's strides. A non-contiguous normal_
# target takes the scalar Box-Muller path even with >= 16 elements.
import torch
import torch.nn.functional as F
torch.manual_seed(0); a = torch.zeros(2, 3).t().uniform_()
torch.manual_seed(0); b = torch.zeros(3, 2).uniform_()
print(a.tolist(), b.tolist())
torch.manual_seed(0); c = torch.zeros(4, 6)[:, ::2].t().normal_()
print(c.tolist())
torch.manual_seed(0); d = F.dropout(torch.ones(2, 3).t(), 0.5, training=True)
print(d.tolist())
torch.manual_seed(0); e = torch.bernoulli(torch.full((2, 3), 0.5).t())
print(e.tolist())
torch.manual_seed(0); f = torch.rand_like(torch.ones(2, 3).t())
torch.manual_seed(0); g = torch.randn_like(torch.ones(2, 3, 4).permute(2, 0, 1))
print(g.tolist())
torch.manual_seed(0); h = torch.zeros(3, 4)[:, 1:3].bernoulli_(0.5)
print(h.tolist())
torch.manual_seed(0); k = torch.ones(2, 3).t().exponential_()
print(k.tolist())
torch.manual_seed(0); m = torch.zeros(2, 3, dtype=torch.int64).t().random_(0, 10)
print(m.tolist())
torch.manual_seed(0); n = torch.randint_like(torch.ones(2, 3).t(), 0, 10)
print(n.tolist())
torch.manual_seed(0); big = torch.zeros(4, 8).t().normal_()
torch.manual_seed(0); slice_rand = torch.rand_like(torch.ones(4, 6)[:, ::2])
torch.manual_seed(0); attn = torch.ones(2, 4, 3).transpose(1, 2)
attn_drop = F.dropout(attn, 0.25, training=True)
print(big[0].tolist(), slice_rand.tolist(), attn_drop.tolist())
