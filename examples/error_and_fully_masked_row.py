# A typo on line 14 raises AttributeError; Mask Lens reports it as a
# diagnostic and still previews every other variable. The second query row
# masks every key, so its softmax row is all nan (a fully-masked row).
import torch

scores = torch.tensor([[0.5, 1.0, 2.0], [1.5, 0.2, 0.3]])
keep = torch.tensor([[True, True, False], [False, False, False]])
masked_scores = scores.masked_fill(~keep, float("-inf"))
attn = torch.softmax(masked_scores, dim=-1)
print(attn)

# Deliberate error: the method is unsqueeze, not unsequeeze.
lengths = torch.tensor([2, 0])
broken = keep.unsequeeze(0)

key_padding = torch.arange(3).unsqueeze(0) >= lengths.unsqueeze(1)
print(key_padding)
