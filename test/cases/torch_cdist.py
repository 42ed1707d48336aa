# torch.cdist as x-transformers' l2-distance attention uses it (qk_l2_dist_squared: cdist(q, k) ** 2 over packed
# heads), p = 1, 2, 3, 0 and inf, broadcast batch dims, grad_fn, and ATen's errors.
import torch
torch.manual_seed(0)
a = torch.randn(2, 3, 4); b = torch.randn(2, 5, 4, requires_grad=True)
d = torch.cdist(a, b)
print(d[0], d.grad_fn.name())
print(torch.cdist(a[0], b[0].detach(), p=1), torch.cdist(a[0], b[0].detach(), p=float('inf')), torch.cdist(a[0], b[0].detach(), p=0))
print(torch.cdist(a, b[:1]).shape, torch.cdist(a[0], b[0], p=3)[0])
big = torch.cdist(torch.randn(30, 4), torch.randn(30, 4))
print(big.grad_fn, big[0, :5])
try: torch.cdist(a, torch.randn(2, 5, 3))
except RuntimeError as e: print(e)
try: torch.cdist(torch.randn(3), b)
except RuntimeError as e: print(e)
try: torch.cdist(a, b, p=-1)
except RuntimeError as e: print(e)
q = torch.randn(2, 4, 3, 8)
k = torch.randn(2, 4, 5, 8)
l2_dist_squared = torch.cdist(q.reshape(-1, 3, 8), k.reshape(-1, 5, 8)) ** 2
print(l2_dist_squared.reshape(2, 4, 3, 5)[1, 2])
