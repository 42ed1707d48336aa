# Whole-tensor min/max whose result is zero: +0 or -0 follows ATen's
# reduce_all order (8 float32 lanes halved, 4 float64 lanes in turn; the
# later element wins a tie). Found by the dtype sweep (issue #17).
import math
import torch

r = torch.tensor([0.5, -0.0, 9007199254740992.0, 6.103515625e-05, 0.0], dtype=torch.float64).min()
print(r, math.copysign(1.0, r.item()))

signs = []
for dtype in (torch.float32, torch.float64):
    for n in (3, 4, 5, 8, 9, 12, 15, 17, 23, 33, 53):
        for p in (0, n // 3, n // 2, n - 1):
            for q in (1, n - 2):
                v = [1.0] * n
                v[p] = -0.0
                v[q] = 0.0
                lo = torch.tensor(v, dtype=dtype).min()
                w = [-x for x in v]
                hi = torch.tensor(w, dtype=dtype).max()
                signs.append(int(math.copysign(1.0, lo.item())) * 10 + int(math.copysign(1.0, hi.item())))
print(signs)
z = torch.tensor([[0.0, -0.0], [1.0, -0.0]], dtype=torch.float32)
lo2 = z.min()
hi2 = torch.max(-z)
print(lo2, hi2)
