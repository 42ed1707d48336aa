# f-strings and format specs around tensors, shapes, dtypes and losses.
import torch

loss = torch.tensor(0.123456)
mask = torch.tensor([[True, False], [True, True]])
ratio = mask.float().mean().item()
n = int(mask.sum())
name = "padding"
print(f"loss={loss.item():.4f} ratio={ratio:.1%} n={n:>4}")
print(f"{name} mask {mask.shape} {mask.dtype}")
print(f"{loss:.3f}")
print(f"tensor: {loss}")
print(f"{mask}")
print(f"{n!r} {name!r} {1e-9:.2e} {3.14159:g} {7:03d}")
print("{} of {} kept".format(n, mask.numel()))
print("%d tokens, %.2f kept" % (n, ratio))
