# Tensor.stride(), storage_offset() and is_contiguous() after the view ops
# (transpose, permute, expand, slicing with steps, select, unsqueeze, ...):
# the geometry PyTorch reports, recorded as tuples of ints and bools.
import torch

x = torch.arange(24.).reshape(2, 3, 4)
base = (x.stride(), x.stride(0), x.stride(-1), x.storage_offset(), x.is_contiguous())

t = x.transpose(0, 2)
transposed = (t.shape, t.stride(), t.is_contiguous(), t.stride(-2))
p = x.permute(1, 2, 0)
permuted = (p.stride(), p.is_contiguous(), x.mT.stride(), x[0].T.stride())

e = torch.arange(3.).view(3, 1).expand(3, 4)
expanded = (e.stride(), e.is_contiguous(), e.expand(2, 3, 4).stride(), e.expand(1, 1, 3, 4).stride())
e0 = torch.tensor(5.).expand(2, 1)
e1 = torch.ones(4).expand(1, 3, 4)
expanded_new_dims = (e0.stride(), e1.stride(), torch.ones(4).expand(1, 1, 4).stride(), torch.ones(4).expand(2, 1, 4).stride())

s = x[:, 1:, ::2]
sliced = (s.shape, s.stride(), s.storage_offset(), s.is_contiguous())
s2 = x[1, :, 1::3]
sliced_select = (s2.stride(), s2.storage_offset(), x[:, 2].stride(), x[:, 2].storage_offset())
n = x.narrow(2, 1, 2)
narrowed = (n.stride(), n.storage_offset(), n.is_contiguous(), x.narrow(0, 1, 1).is_contiguous())

u = t.unsqueeze(1)
unsq = (u.stride(), x.unsqueeze(-1).stride(), x.unsqueeze(0).stride(), x[None, :, None].stride())
sq = (u.squeeze(1).stride(), torch.zeros(3, 1, 2).squeeze().stride())

reshaped = (x.view(6, 4).stride(), x.reshape(4, 6).stride(), x.flatten(1).stride(), t.reshape(4, 6).stride(), t.reshape(4, 6).is_contiguous())
pieces = tuple(c.stride() for c in x.chunk(2, dim=2)) + tuple(c.storage_offset() for c in x.split(1, dim=1))
unbound = tuple(u.stride() for u in t.unbind(1))

m = torch.arange(12.).view(3, 4)
diagonals = (m.diagonal().stride(), m.diagonal().storage_offset(), m.t().diagonal(1).stride(), m.t().diagonal(1).storage_offset(), m.diagonal(-1).tolist())
d3 = x.diagonal(0, 1, 2)
diagonals_3d = (d3.shape, d3.stride(), x.diagonal(-1, 0, 2).stride(), x.diagonal(-1, 0, 2).storage_offset(), torch.diagonal(m, offset=5).shape, x.diagonal(1, -1, 0).tolist())
try:
    m.diagonal(0, 0, -2)
except RuntimeError as err:
    diagonal_error = str(err)

scalar = torch.tensor(3.)
scalar_geometry = (scalar.stride(), scalar.storage_offset(), scalar.is_contiguous())
empty = torch.zeros(0, 3).t()
empty_geometry = (empty.stride(), empty.is_contiguous())
formats = (x.is_contiguous(memory_format=torch.contiguous_format), t.is_contiguous(memory_format=torch.contiguous_format))
nhwc = torch.zeros(2, 3, 4, 5).permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2)
channels_last = (nhwc.stride(), nhwc.is_contiguous(), nhwc.is_contiguous(memory_format=torch.channels_last), x.is_contiguous(memory_format=torch.channels_last))
format_repr = repr(torch.channels_last)

try:
    x.stride(3)
except IndexError as err:
    stride_error = str(err)
try:
    scalar.stride(0)
except IndexError as err:
    scalar_stride_error = str(err)
