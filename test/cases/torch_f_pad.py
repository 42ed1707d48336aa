# F.pad: right-pad sequences and masks, pad two dims, and pad with a fill value.
import torch
import torch.nn.functional as F

seq = torch.tensor([[1, 2, 3], [4, 5, 6]])
right = F.pad(seq, (0, 2))
left_val = F.pad(seq, (1, 0), value=-1)
mask = torch.ones(2, 3)
mask_p = F.pad(mask, (0, 2), value=0.0)
img = torch.arange(4.0).reshape(1, 2, 2)
both = F.pad(img, (1, 1, 0, 1))
scores = F.pad(torch.zeros(2, 2), (0, 1), value=float('-inf'))
print(right)
print(left_val)
print(mask_p)
print(both)
print(scores)
