# RuntimeError: in-place masked_fill_ cannot grow self to the broadcast shape of the mask.
import torch

x = torch.zeros(3, 2)
mask = torch.zeros(2, 3, 2, dtype=torch.bool)
y = x.masked_fill(mask, 1.0)
print(y.shape)
x.masked_fill_(mask, 1.0)
