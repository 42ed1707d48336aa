# Size arguments as PyTorch's argument parser reads them (issue #16): zeros, ones, empty, full, rand,
# randn, randint, reshape, view, expand, repeat, tile, permute, flip and new_* refuse a float, None,
# a nested tuple or a bool first element in PyTorch's own words, accept varargs or one tuple, and
# raise each op's own error for a negative size.
import torch

x = torch.ones(2, 3)
attempts = [
    lambda: torch.zeros(2, 3.0),
    lambda: torch.zeros(2.0, 3),
    lambda: torch.zeros((2.0, 3)),
    lambda: torch.zeros(size=(2.0, 3)),
    lambda: torch.zeros(size=3),
    lambda: torch.zeros(-2, 3),
    lambda: torch.ones((2, None)),
    lambda: torch.ones(True, 3),
    lambda: torch.ones((True, 3)),
    lambda: torch.ones(2, -1),
    lambda: torch.empty(2.5),
    lambda: torch.empty(2, 3, 4.0),
    lambda: torch.full((2, 3.0), 1.0),
    lambda: torch.full(3, 1.0),
    lambda: torch.rand(2.0, 3),
    lambda: torch.randn(2.5),
    lambda: torch.rand(-2, 3),
    lambda: torch.randint(5, 3),
    lambda: torch.randint(5, (2, 3.0)),
    lambda: torch.randint(0, 5, (-1,)),
    lambda: x.reshape(2, None),
    lambda: x.reshape((2.0, 3)),
    lambda: x.reshape(-2, 3),
    lambda: torch.reshape(x, 6),
    lambda: torch.reshape(x, (2.0, 3)),
    lambda: x.view(2.0, 3),
    lambda: x.view(None),
    lambda: x.view((2, 3.0)),
    lambda: x.expand(2.0, 3),
    lambda: x.expand(2, (3,)),
    lambda: x.repeat(2.0),
    lambda: x.repeat(2, -1),
    lambda: x.tile('a', 3),
    lambda: torch.tile(x, 2),
    lambda: x.permute(0, 1.0),
    lambda: torch.permute(x, (1.0, 0)),
    lambda: x.flip(0.0),
    lambda: x.new_zeros(2, 3.0),
    lambda: x.new_ones(3.0),
    lambda: x.new_empty((2, 3), 4),
    lambda: x.new_full((2.0,), 1.0),
    lambda: torch.broadcast_to(x, (2, 3.0)),
]
errors = []
for attempt in attempts:
    try:
        attempt()
        errors.append("no error")
    except (TypeError, RuntimeError) as e:
        errors.append(f"{type(e).__name__}: {e}")
# what the parser accepts: varargs, one tuple or list, torch.Size, an int tensor, a later bool
shapes = [
    list(torch.zeros(2, True).shape),
    list(torch.ones([2, 3]).shape),
    list(torch.empty(torch.Size([3, 1])).shape),
    list(torch.zeros(torch.tensor(2), 3).shape),
    list(x.reshape(3, -1).shape),
    list(x.view(size=(3, 2)).shape),
    list(x.tile(2).shape),
    list(torch.tile(x, (2, 1, 1)).shape),
    list(x.permute(dims=(1, 0)).shape),
    list(torch.randint(3, (2, 2)).shape),
]
