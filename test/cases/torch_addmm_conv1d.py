# Hugging Face's Conv1D (GPT-2's c_attn / c_proj) projects with torch.addmm:
# bias + x @ weight with the weight stored (in_features, out_features). Also
# beta/alpha, the method form, and addmm's own errors.
import torch
import torch.nn as nn


class Conv1D(nn.Module):
    def __init__(self, nf, nx):
        super().__init__()
        self.nf = nf
        self.weight = nn.Parameter(torch.empty(nx, nf))
        self.bias = nn.Parameter(torch.zeros(nf))
        nn.init.normal_(self.weight, std=0.02)

    def forward(self, x):
        size_out = x.size()[:-1] + (self.nf,)
        x = torch.addmm(self.bias, x.view(-1, x.size(-1)), self.weight)
        x = x.view(size_out)
        return x


c_attn = Conv1D(3 * 8, 8)
hidden = torch.randn(2, 3, 8)
qkv = c_attn(hidden)
query, key, value = qkv.split(8, dim=2)
scores = query @ key.transpose(-1, -2)
causal = torch.tril(torch.ones(3, 3, dtype=torch.uint8)).view(1, 3, 3)
scores = torch.where(causal.to(bool), scores, torch.finfo(scores.dtype).min)
probs = scores.softmax(-1)

m1 = torch.randn(4, 5)
m2 = torch.randn(5, 3)
bias_row = torch.randn(3)
plain = torch.addmm(bias_row, m1, m2)
scaled = torch.addmm(torch.randn(4, 3), m1, m2, beta=0.5, alpha=2)
no_input = torch.addmm(torch.full((4, 3), float("nan")), m1, m2, beta=0)
method = bias_row.addmm(m1, m2)
ints = torch.addmm(torch.tensor([1, 2]), torch.tensor([[1, 2], [3, 4]]), torch.tensor([[5, 6], [7, 8]]))

errors = []
for args in [(bias_row, torch.randn(5), m2), (bias_row, m1, torch.randn(5)), (torch.zeros(7), m1, m2),
             (bias_row, torch.randn(4, 6), m2), (bias_row.double(), m1, m2)]:
    try:
        torch.addmm(*args)
    except RuntimeError as e:
        errors.append(str(e))
