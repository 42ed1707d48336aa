# Calling a native layer without its input: torch names the method by its
# __qualname__ (Linear.forward), not plain forward().
import torch
from torch import nn

torch.manual_seed(0)
proj = nn.Linear(2, 3)
print(proj)
proj()
