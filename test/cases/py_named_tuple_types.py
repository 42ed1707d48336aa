# torch.Size and torch.return_types.* are tuple subclasses: isinstance(..., tuple),
# isinstance(x.shape, torch.Size), and Size arithmetic stays a torch.Size.
import torch

x = torch.zeros(2, 3)
s = x.shape
is_tuple = isinstance(s, tuple)
is_size = isinstance(s, torch.Size)
max_is_tuple = isinstance(torch.max(x, 0), tuple)
sort_is_tuple = isinstance(torch.sort(x), (list, tuple))
made = torch.Size([4, 5])
made_is_size = type(made) is torch.Size
grown = s + (4,)
front = (1,) + s
twice = s * 2
sliced = s[1:]
names = [type(v).__name__ for v in (s, grown, front, twice, sliced)]
print(type(s), type(torch.max(x, 0)), grown, front)
