# nn.Conv1d (kaiming-uniform init from torch's generator, padding, repr) and F.conv1d with stride, as whisper's AudioEncoder uses them.
import torch
import torch.nn as nn
import torch.nn.functional as F
torch.manual_seed(0)
conv = nn.Conv1d(3, 4, kernel_size=3, padding=1)
x = torch.randn(2, 3, 5)
y = conv(x)
print(y)
z = F.conv1d(x, conv.weight, None, stride=2)
print(z, F.gelu(y))
print(conv)
