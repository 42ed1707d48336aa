# masked_select, index_select and nonzero on a padded batch.
import torch

tokens = torch.tensor([[11, 12, 13, 0], [21, 22, 0, 0]])
mask = tokens != 0
real = torch.masked_select(tokens, mask)
real2 = tokens[mask]
idx = mask.nonzero()
rows, cols = mask.nonzero(as_tuple=True)
firsts = tokens.index_select(1, torch.tensor([0, 2]))
second_row = torch.index_select(tokens, 0, torch.tensor([1]))
empty = tokens.masked_select(tokens > 100)
print(real, real2)
print(idx)
print(rows, cols)
print(firsts)
print(second_row)
print(empty, empty.shape)
