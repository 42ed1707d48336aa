# float64 products go to MKL, which fuses each multiply-add: a product of
# finite operands that overflows does not turn an inf sum into NaN
# (differential sweep seed 20261216, issue #17). Small bmm runs ATen's own
# unfused loop, where it does.
import torch

a = torch.tensor([[7.75, 1e-05, -float('inf'), 1.5], [0.0, 0.3333333333333333, -4.0, 10.0], [1.0, 10.0, 300.7, -0.3]], dtype=torch.float64)
b = torch.tensor([[2.5, 7.75], [float('inf'), -0.3], [-1.7976931348623157e+308, -0.3], [1.0, 0.0]], dtype=torch.float64)
r = a @ b
print(r)
v = a[2] @ b[:, 0]
mv = a @ b[:, 0]
small = torch.bmm(a[None, 2:, :], b[None, :, :1])
print(v, mv, small)
