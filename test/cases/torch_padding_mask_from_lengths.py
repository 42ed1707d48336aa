# Padding mask from sequence lengths: arange(max_len)[None, :] < lengths[:, None].
import torch

lengths = torch.tensor([4, 2, 3, 1])
max_len = int(lengths.max())
mask = torch.arange(max_len)[None, :] < lengths[:, None]
mask2 = torch.arange(max_len).unsqueeze(0).expand(len(lengths), max_len) < lengths.unsqueeze(1)
mask_f = mask.float()
n_tokens = mask.sum()
print(max_len)
print(mask)
print(torch.equal(mask, mask2))
print(mask_f)
print(n_tokens, mask.sum(dim=1))
