# NLLLoss on log_softmax output, with ignore_index and reduction='none'/'sum'/'mean'.
import torch
import torch.nn as nn
import torch.nn.functional as F

logits = torch.tensor([[0.2, 1.7, -0.4], [1.1, 0.0, 0.3], [0.6, 0.6, 2.1]])
logp = F.log_softmax(logits, dim=1)
target = torch.tensor([1, 0, 0])
per_tok = F.nll_loss(logp, target, reduction='none', ignore_index=0)
summed = nn.NLLLoss(reduction='sum', ignore_index=0)(logp, target)
mean = nn.NLLLoss(ignore_index=0)(logp, target)
default = nn.NLLLoss()(logp, target)
print(per_tok)
print(summed, mean, default)
