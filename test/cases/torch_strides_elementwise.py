# Elementwise results are laid out as ATen's TensorIterator lays them out:
# a permuted operand's dim order is kept (the first operand's where they
# disagree, where's condition first), a strided one gets dense strides in
# its order, broadcast dims (stride 0) leave the choice to the next operand.
# clone / .to / the _like factories keep the layout (preserve_format);
# contiguous(), masked_fill and reductions are row-major.
import torch

x = torch.arange(24.).reshape(2, 3, 4) - 11.5
t = x.transpose(0, 2)
unary_ops = ((-t).stride(), t.exp().stride(), t.abs().stride(), torch.sigmoid(t).stride(), torch.relu(t).stride(), t.sqrt().is_contiguous())
scaled = t * 0.5
binary_ops = (scaled.stride(), (t + t).stride(), (t - 1).stride(), (2 ** t).stride(), (t / x.permute(2, 1, 0).contiguous()).stride())
first_wins = ((x.permute(2, 1, 0).contiguous() + t).stride(), (t + x.permute(2, 1, 0).contiguous()).stride())
compared = ((t > 0).stride(), (t == t).stride(), (t > 0).is_contiguous(), ((t > 0) & (t < 5)).stride())
selected = (torch.where(t > 0, t, 0.).stride(), torch.where(t.contiguous() > 0, t, 0.).stride(), torch.where(t > 0, 1., 0.).stride())
filled = (t.masked_fill(t > 0, 0.).stride(), t.masked_fill(t > 0, 0.).is_contiguous())
converted = (t.long().stride(), t.to(torch.float64).stride(), t.bool().stride(), t.clone().stride(), t.contiguous().stride())
likes = (torch.zeros_like(t).stride(), torch.ones_like(t).stride(), torch.empty_like(t).stride(), torch.rand_like(t).stride())
contiguous_copies = (t.clone(memory_format=torch.contiguous_format).stride(), torch.zeros_like(t, memory_format=torch.contiguous_format).stride())
xt = x.transpose(1, 2)
flipped = (t.flip(0).stride(), x[:, :, ::2].flip(1).stride(), xt[:, ::2].flip(2).stride(), x.expand(2, 2, 3, 4).flip(0).stride(), t.flip(0, 1).sum(0).tolist())
powers = ((t ** 2).stride(), (t ** 2.5).stride(), torch.pow(t, 2).stride(), (2 ** t).stride(), (t.half() ** 2.0).stride())
import torch.nn.functional as F
composites = (torch.triu(t).stride(), torch.tril(t, -1).stride(), torch.softmax(t, -1).stride(), F.gelu(t).stride(), F.silu(t).stride(), torch.nan_to_num(t).stride(), F.layer_norm(t, (2,)).stride(), t.clamp(-1, 1).stride())
reduced = (t.sum(0).stride(), t.sum(-1, keepdim=True).stride(), t.mean(1).stride())

s = x[:, :, ::2]
strided = ((s * 2).stride(), s.clone().stride(), torch.empty_like(s).stride())
st = x.transpose(0, 1)[:, :, ::2]
strided_permuted = (st.stride(), (st * 2).stride(), st.clone().stride(), torch.zeros_like(st).stride(), st.float().stride())

i = torch.arange(24).reshape(2, 3, 4).transpose(0, 2)
promoted = ((i + 1.5).stride(), (i / 2).stride(), i.exp().stride(), (i > 3).stride(), i.float().stride())
e = torch.arange(3).view(3, 1).expand(3, 4).t()
broadcast = (e.stride(), (e + 0.5).stride(), (e + 1).stride(), (e * torch.ones(4, 3)).stride())
ea = torch.arange(3).view(1, 3).expand(4, 3)
b = torch.arange(12.).view(3, 4).t()
mixed = ((ea + b).stride(), (b + ea).stride(), (ea.float() + b).stride())
row = torch.arange(4.)
with_row = ((t + row.view(4, 1, 1)).stride(), (b + row.view(4, 1)).stride(), (row.view(4, 1) + b).stride())

y = torch.zeros(2, 3, 1, 1).permute(0, 2, 3, 1)
size_one = (y.stride(), (y * 2).stride(), (y + y).stride(), y.clone().stride())
z = torch.zeros(4, 1, 3).permute(2, 1, 0)
size_one_permuted = (z.stride(), (z * 2).stride(), (z + z).stride(), z.exp().stride(), (z + torch.ones(1)).stride())
values_kept = (t * 0.5).sum().item() == (t.contiguous() * 0.5).sum().item()
