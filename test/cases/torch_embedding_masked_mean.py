# nn.Embedding(padding_idx=0) then a masked mean over the real tokens.
import torch
import torch.nn as nn

torch.manual_seed(0)
emb = nn.Embedding(6, 3, padding_idx=0)
ids = torch.tensor([[1, 4, 0], [5, 0, 0]])
vecs = emb(ids)
mask = (ids != 0).unsqueeze(-1).float()
mean = (vecs * mask).sum(dim=1) / mask.sum(dim=1)
print(emb.weight[0])
print(vecs)
print(mean)
