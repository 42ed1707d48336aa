# Indexing with None, ..., negative indices and step slices.
import torch

x = torch.arange(12).reshape(3, 4)
a = x[:, None]
b = x[None, ..., None]
last = x[..., -1]
every_other = x[:, ::2]
row = x[1]
elem = x[2, 3]
sub = x[1:, 1:3]
rev_rows = x[[2, 0]]
picked = x[[0, 2], [1, 3]]
print(a.shape, b.shape)
print(last, every_other)
print(row, elem, elem.shape)
print(sub)
print(rev_rows)
print(picked)
