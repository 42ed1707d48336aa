# grad_fn after in-place ops, as a printed KV cache or residual shows it:
# `y += 1` on a non-leaf names AddBackward0, masked_fill_ MaskedFillBackward0,
# `x[k] = v` CopySlices, a write through a view `b[:2].scatter_(...)` gives
# the viewed tensor CopySlices (mistral's one_file_ref rotating cache_k), and
# a rotary table's complex view keeps requires_grad; in-place on a leaf that
# requires grad is refused.
import torch

src = torch.ones(2, 3, requires_grad=True) * 2
idx = torch.tensor([[0, 1, 2], [2, 1, 0]])
a = torch.zeros(2, 3)
a.scatter_(1, idx, src)
print(a)
b = torch.zeros(3, 3)
b[:2].scatter_(1, idx, src)
print(b)
print(b[0, :2])
c = torch.zeros(2, 3)
c[0] = src[1]
print(c)
d = torch.zeros(2, 3)
d.masked_fill_(d == 0, src[0, 0])
print(d)
e = torch.zeros(2, 3)
e += src
print(e)
f = torch.zeros(2, 3)
f[:, 1:].copy_(src[:, :2])
print(f)
w2 = torch.ones(2, 3, requires_grad=True)
y = w2 * 2
y += 1
print(y)
z = w2 * 2
z.masked_fill_(z > 0, 0.0)
print(z)
u = w2 * 2
u[0] = 5
print(u)
v = w2 * 2
v.add_(1)
print(v)
t = w2 * 2
t.mul_(torch.ones(3))
print(t)
s = w2 * 2
s.fill_(3)
print(s)
r = w2 * 2
r.clamp_(min=0)
print(r)
q = w2 * 2
q.scatter_(1, torch.tensor([[0], [1]]), 9.0)
print(q)
p = w2 * 2
p.copy_(torch.zeros(2, 3))
print(p)
o = w2 * 2
o.zero_()
print(o)
n = w2 * 2
n.tril_()
print(n)
m = w2 * 2
m.index_fill_(0, torch.tensor([0]), 1.0)
print(m)

def rotary_cache():
    xw = torch.ones(2, 4, 1, 4, requires_grad=True)
    xk = xw * 2
    xk_ = torch.view_as_complex(xk.float().reshape(*xk.shape[:-1], -1, 2))
    freqs_cis = torch.polar(torch.ones(4, 2), torch.zeros(4, 2)).view(1, 4, 1, 2)
    xk_out = torch.view_as_real(xk_ * freqs_cis).flatten(3).type_as(xk)
    cache_k = torch.empty((2, 3, 1, 4))
    positions = torch.arange(0, 4)
    scatter_pos = (positions[-3:] % 3)[None, :, None, None].repeat(2, 1, 1, 4)
    cache_k[:2].scatter_(dim=1, index=scatter_pos, src=xk_out[:, -3:])
    print(xk_.requires_grad, xk_out.grad_fn.name(), cache_k[0, :, 0, :3])


rotary_cache()
with torch.no_grad():
    quiet = torch.zeros(2, 3)
    quiet += src
print(quiet)
leaf = torch.ones(3, requires_grad=True)
leaf.requires_grad_()
leaf.add_(1)
