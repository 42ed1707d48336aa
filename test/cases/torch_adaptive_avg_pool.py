# nn.AdaptiveAvgPool1d / 2d and their F.* forms: Swin's head (avgpool over tokens after
# transpose), global pooling (ATen's mean shortcut for output 1), uneven bins, grad_fn names, errors.
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
x = torch.randn(2, 3, 7, requires_grad=True)
g = F.adaptive_avg_pool1d(x, 1)
print(g.grad_fn.name(), g.shape)
print(g)
h = F.adaptive_avg_pool1d(x.detach(), 3)
print(h)
seq = torch.randn(2, 10, 4)
pool = nn.AdaptiveAvgPool1d(1)
print(pool)
pooled = pool(seq.transpose(1, 2))
flat = torch.flatten(pooled, 1)
print(flat)
img = torch.randn(2, 3, 5, 6)
print(F.adaptive_avg_pool2d(img, (2, 4)))
print(F.adaptive_avg_pool2d(img, 1).squeeze())
p2 = nn.AdaptiveAvgPool2d((2, None))
print(p2, p2(img).shape)
y = torch.randn(1, 2, 5, 5, requires_grad=True)
print(F.adaptive_avg_pool2d(y, (3, 2)).grad_fn.name(), F.adaptive_avg_pool2d(y, 1).grad_fn.name())
dbl = F.adaptive_avg_pool1d(torch.arange(12.0, dtype=torch.float64).view(1, 2, 6), 4)
print(dbl)
half = F.adaptive_avg_pool1d(torch.randn(1, 2, 9).half(), 4)
print(half)
try:
    F.adaptive_avg_pool1d(torch.arange(6).view(1, 6), 2)
except NotImplementedError as e:
    print(e)
try:
    F.adaptive_avg_pool1d(torch.randn(5), 2)
except RuntimeError as e:
    print(e)
try:
    F.adaptive_avg_pool2d(torch.randn(5), 2)
except RuntimeError as e:
    print(e)
try:
    F.adaptive_avg_pool1d(x, (1, 2))
except RuntimeError as e:
    print(e)
for bad in [lambda: F.adaptive_avg_pool1d(torch.randn(1, 2, 0), 2), lambda: F.adaptive_avg_pool1d(torch.randn(1, 2, 4), "a")]:
    try:
        bad()
    except (RuntimeError, TypeError) as e:
        print(type(e).__name__, e)
