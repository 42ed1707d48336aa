# The "this module" idiom (d2l: `d2l = sys.modules[__name__]`) and the torch
# aliases d2l binds at import: meshgrid ('ij' default and 'xy'), sinh, cosh.
import sys
import torch

me = sys.modules[__name__]
scale = 2.0


def grid_mask(n, m):
    # functions reach module globals through the module object
    rows, cols = me.torch.meshgrid(torch.arange(n), torch.arange(m), indexing='ij')
    return cols <= rows * me.scale


me.limit = 3
causal = grid_mask(3, 4)
xs, ys = torch.meshgrid([torch.tensor([1.0, 2.0, 3.0]), torch.tensor([4.0, 5.0])], indexing='xy')
point, row = torch.meshgrid(torch.tensor(7), torch.tensor([1, 2]), indexing='ij')
waves = torch.sinh(torch.tensor([0.5, -1.0, 2.0])) + torch.tensor([0.25, 1.5]).cosh().sum()
print(limit, me is sys.modules['__main__'], me.__name__)
print(causal)
print(xs, ys, xs.shape, point.shape)
try:
    torch.meshgrid(torch.tensor([1, 2]), torch.tensor([1.0]))
except RuntimeError as e:
    print(e)
try:
    torch.meshgrid(torch.tensor([1, 2]), indexing='zz')
except RuntimeError as e:
    print(e)
