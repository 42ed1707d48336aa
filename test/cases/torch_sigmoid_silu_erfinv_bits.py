# float32 sigmoid, SiLU and erfinv to the last bit (printed as Python floats, every bit shown):
# ATen's vectorised lanes (Sleef's expf) for whole steps of 32 elements, the scalar tail
# (glibc's expf), a transposed input, and erfinv's Newton steps near +-1.
import torch
import torch.nn.functional as F

torch.manual_seed(0)
logits = torch.randn(70) * 4
probs = torch.sigmoid(logits)
gates = logits.sigmoid()
swish = F.silu(logits)
swish_module = torch.nn.SiLU()(logits)
grid = torch.randn(6, 40) * 3
grid_t = torch.sigmoid(grid.t())
edges = torch.tensor([0.9999, -0.99995, 0.999, 0.75, -0.3, 0.0625, 1e-05, -0.9990234375])
inv = torch.erfinv(edges)
print(probs.tolist())
print(swish.tolist())
print(grid_t[:, :2].tolist())
print(inv.tolist())
print(torch.equal(probs, gates), torch.equal(swish, swish_module))
