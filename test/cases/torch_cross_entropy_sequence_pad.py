# Sequence loss: [B,T,C] logits permuted to [B,C,T]; pad id 0 ignored, matched by a manual masked mean.
import torch
import torch.nn.functional as F

torch.manual_seed(0)
B, T, C = 2, 4, 5
logits = torch.randn(B, T, C)
targets = torch.tensor([[3, 1, 4, 0], [2, 2, 0, 0]])
loss = F.cross_entropy(logits.permute(0, 2, 1), targets, ignore_index=0)
flat = F.cross_entropy(logits.reshape(-1, C), targets.reshape(-1), ignore_index=0)
tok = F.cross_entropy(logits.transpose(1, 2), targets, reduction='none')
mask = (targets != 0).float()
manual = (tok * mask).sum() / mask.sum()
print(loss, flat, manual)
print(tok)
print(torch.allclose(loss, manual))
