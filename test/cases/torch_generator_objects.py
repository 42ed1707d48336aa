# torch.Generator objects: generator= in rand/randn/randint/bernoulli/randperm, nn.init and the in-place samplers
# draws from that generator (bit-exact with PyTorch's mt19937), leaving the default generator's stream alone.
import torch
g = torch.Generator().manual_seed(42)
a = torch.rand(2, 3, generator=g)
b = torch.randn(3, generator=g)
c = torch.randint(0, 10, (4,), generator=g)
torch.manual_seed(0)
d = torch.rand(2)
g2 = torch.Generator()
print(g2.initial_seed(), g.initial_seed())
e = torch.bernoulli(torch.full((2, 4), 0.5), generator=g)
perm = torch.randperm(5, generator=g)
w = torch.empty(2, 3)
torch.nn.init.uniform_(w, -1, 1, generator=g)
x = torch.empty(4).uniform_(generator=g)
y = torch.empty(4).normal_(generator=g)
keep = torch.rand(2, 4, generator=torch.Generator().manual_seed(7)) > 0.3
f = torch.rand(2)
print(a, b, c, d, e, perm, w, x, y, keep, f)
