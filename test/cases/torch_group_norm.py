# GroupNorm as diffusion U-Nets and conv encoders use it: nn.GroupNorm (affine, bias=False, eps) and F.group_norm,
# per sample and group of channels, with torch's reprs, NativeGroupNormBackward0 and errors.
import torch, torch.nn as nn, torch.nn.functional as F
torch.manual_seed(0)
gn = nn.GroupNorm(2, 4)
x = torch.randn(2, 4, 3)
print(gn, gn(x)[0], gn(x).grad_fn.name())
g2 = nn.GroupNorm(3, 6, eps=1e-3, affine=False)
print(g2, g2(torch.randn(2, 6, 2, 2))[1, 5])
with torch.no_grad():
    gn.weight.uniform_(); gn.bias.uniform_()
print(gn(x)[1], F.group_norm(x, 4)[0, 0], F.group_norm(x, 1, torch.ones(4) * 2, torch.zeros(4))[1, 3])
for bad in [lambda: nn.GroupNorm(3, 4), lambda: F.group_norm(x, 3)]:
    try: bad()
    except (ValueError, RuntimeError) as e: print(type(e).__name__, e)
print(nn.GroupNorm(2, 4, bias=False), [n for n, _ in nn.GroupNorm(2, 4, bias=False).named_parameters()])
