# A seeded nn.Linear, and dropout in eval mode (identity), applied to a masked batch.
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
layer = nn.Linear(4, 3)
drop = nn.Dropout(p=0.5)
drop.eval()
x = torch.tensor([[1.0, 0.5, -1.0, 2.0], [0.0, 0.0, 0.0, 0.0]])
mask = torch.tensor([[1.0], [0.0]])
h = torch.relu(layer(drop(x))) * mask
same = F.dropout(x, p=0.3, training=False)
print(layer.weight)
print(layer.bias)
print(h)
print(torch.equal(same, x), drop.training)
