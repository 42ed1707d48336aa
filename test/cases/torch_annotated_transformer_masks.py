# The Annotated Transformer's subsequent_mask from numpy, a combined target mask, topk and sort.
import numpy as np
import torch

def subsequent_mask(size):
    attn_shape = (1, size, size)
    mask = np.triu(np.ones(attn_shape), k=1).astype('uint8')
    return torch.from_numpy(mask) == 0

m = subsequent_mask(4)
print(m)
src = torch.tensor([[3, 5, 0, 0]])
src_mask = (src != 0).unsqueeze(-2)
tgt_mask = src_mask & subsequent_mask(src.size(-1)).type_as(src_mask.data)
print(tgt_mask)
scores = torch.zeros(1, 4, 4).masked_fill(tgt_mask == 0, -1e9)
p = scores.softmax(dim=-1)
print(p)
arr = np.array([[1, 2, 0], [3, 0, 0]])
lens = (arr != 0).sum(axis=1)
print(lens, lens.dtype, arr.shape)
print(np.where(arr > 0, arr, -1))
x = torch.arange(12).reshape(3, 4)
print(x[x % 2 == 0], x[:, [0, 2]], x[1:, -1])
d = {k: v for k, v in zip("abc", range(3))}
print(d, list(d.items())[0])
vals, idx = torch.topk(torch.tensor([1.0, 3.0, 2.0]), 2)
print(vals, idx)
print(torch.tensor([[1, 2], [3, 4]]).float().mean(dim=0))
print(torch.sort(torch.tensor([3, 1, 2])))
