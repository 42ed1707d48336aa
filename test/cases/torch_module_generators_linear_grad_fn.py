# Module.parameters() and friends are generators (NaViT's
# `next(self.parameters()).device`), and a Linear's output names the autograd
# node of the path ATen's linear took: addmm, mm, a view of a flattened addmm,
# matmul's unsafe view, or add for a bias after a non-contiguous input.
import torch
from torch import nn


class Head(nn.Module):
    def __init__(self, dim, num_classes):
        super().__init__()
        self.norm = nn.LayerNorm(dim)
        self.proj = nn.Linear(dim, num_classes, bias=False)
        self.register_buffer("scale", torch.ones(num_classes))

    @property
    def device(self):
        return next(self.parameters()).device

    def forward(self, x):
        return self.proj(self.norm(x)) * self.scale


head = Head(4, 3)
device = str(head.device)
first_name, first = next(head.named_parameters())
params = head.parameters()
kind = type(params).__name__
n_params = sum(p.numel() for p in params)
again = len(list(params))
children = [name for name, _ in head.named_children()]
buffers = [name for name, _ in head.named_buffers()]
x = torch.randn(2, 4)
logits = head(x)
print(logits)
print(head.proj(torch.randn(2, 5, 4)))

names = []
for bias in (True, False):
    layer = nn.Linear(4, 3, bias=bias)
    for shape in [(4,), (2, 4), (2, 5, 4)]:
        names.append(layer(torch.randn(*shape)).grad_fn.name())
    names.append(layer(torch.randn(4, 5, 2).transpose(0, -1)).grad_fn.name())
    names.append(layer(torch.randn(4, 2).t()).grad_fn.name())
