# timm / Swin / ViT initialise with trunc_normal_(std=.02); torch 2.13 draws it by
# rejection: normal_ then redraws outside [a, b] (wide window), or uniform candidates
# accepted against the density (narrow window). erfinv and math.erf/erfc alongside.
import math
import torch
import torch.nn as nn

torch.manual_seed(0)
table = torch.zeros((2 * 4 - 1) * (2 * 4 - 1), 2)
nn.init.trunc_normal_(table, std=.02)
print(table[:4])
wide = nn.init.trunc_normal_(torch.empty(3, 5), mean=0.5, std=1.0, a=-1.0, b=1.0)
print(wide)
narrow = nn.init.trunc_normal_(torch.empty(2, 4), a=2.0, b=3.0)
print(narrow)
far = nn.init.trunc_normal_(torch.empty(6), mean=5.0, a=-1.0, b=1.0)
print(far)
doubles = nn.init.trunc_normal_(torch.empty(4, dtype=torch.float64), std=0.5)
print(doubles)
after = torch.rand(3)

probs = torch.tensor([-0.99, -0.5, 0.0, 0.3, 0.7, 0.95, 1.0, 1.5])
inv = torch.erfinv(probs)
print(inv)
inv64 = probs.double().erfinv()
print(inv64)
u = torch.tensor([0.25, -0.6])
u.erfinv_()
print(u)
ints = torch.erfinv(torch.tensor([0, 1]))
print(ints)
print(math.erf(0.5), math.erf(-0.3), math.erf(1.1), math.erfc(0.1), math.erfc(-1.0))
norm_cdf = (1.0 + math.erf(-2.0 / math.sqrt(2.0))) / 2.0
print(round(norm_cdf, 12))
try:
    torch.tensor([1, 2]).erfinv_()
except RuntimeError as e:
    print(e)
print(torch.erfinv(torch.tensor([0.5, -0.25], dtype=torch.float16)), torch.erf(torch.tensor([0.3], dtype=torch.float16)))
