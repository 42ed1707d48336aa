# An additive causal mask: triu of -inf above the diagonal, added to scores before softmax.
import torch
import torch.nn as nn

sz = 4
gen = nn.Transformer.generate_square_subsequent_mask(sz)
manual = torch.triu(torch.full((sz, sz), float('-inf')), diagonal=1)
old_style = (torch.triu(torch.ones(sz, sz)) == 1).transpose(0, 1)
old_mask = old_style.float().masked_fill(old_style == 0, float('-inf')).masked_fill(old_style == 1, 0.0)
scores = torch.ones(sz, sz)
weights = torch.softmax(scores + gen, dim=-1)
print(gen)
print(torch.equal(gen, manual), torch.equal(gen, old_mask))
print(weights)
