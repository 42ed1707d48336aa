# CPU-only PyTorch: cuda is unavailable, device objects are accepted and tensors stay on
# the CPU; the compile/tracing queries answer as eager mode does; training-only modules
# (optim, utils.data, distributed) import so that a model file still runs.
import torch
import torch.nn as nn
import torch.optim as optim
from torch.utils.data import Dataset
import torch.distributed as dist

device = torch.device('cuda' if torch.cuda.is_available() else 'cpu')
print(device, repr(device), device.type)
print(repr(torch.device('cuda:1')), torch.device('cuda', 0))
print(torch.cuda.is_available(), torch.cuda.device_count(), torch.jit.is_tracing(), torch.jit.is_scripting())
print(dist.is_available() and dist.is_initialized())
x = torch.arange(6).view(2, 3).to(device)
y = torch.ones(2, 3, device=device)
print(x.device, y.device, x.device == torch.device('cpu'))
z = torch.torch.zeros(2)
print(isinstance(x, torch.fx.Proxy), hasattr(torch, '_dynamo') and torch._dynamo.is_compiling())


class Pairs(Dataset):
    def __init__(self, n):
        super().__init__()
        self.n = n

    def __len__(self):
        return self.n


pairs = len(Pairs(3))
model = torch.compile(nn.Identity())
out = model(x)
