# nn containers (ModuleDict/ModuleList/Sequential), LayerNorm/RMSNorm and F.layer_norm/rms_norm,
# activations, Module.apply / named_parameters / state_dict order (params, then persistent buffers)
# and nn.init keyword arguments, against PyTorch 2.x (incl. its grouped ModuleList repr).
import torch
import torch.nn as nn
import torch.nn.functional as F
torch.manual_seed(0)
class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.ln = nn.LayerNorm(4)
        self.fc = nn.Linear(4, 4)
        self.scale = nn.Parameter(torch.ones(4))
        self.register_buffer("mask", torch.tril(torch.ones(3, 3)))
        self.register_buffer("tmp", torch.zeros(1), persistent=False)
    def forward(self, x):
        return F.gelu(self.fc(self.ln(x))) * self.scale
m = nn.ModuleDict(dict(h=nn.ModuleList([Block() for _ in range(2)]), ln_f=nn.LayerNorm(4), act=nn.SiLU()))
def init(mod):
    if isinstance(mod, nn.Linear):
        torch.nn.init.normal_(mod.weight, mean=0.0, std=0.02)
m.apply(init)
x = torch.randn(2, 3, 4)
for blk in m.h:
    x = blk(x)
y = m.ln_f(x)
z = m['act'](y)
print(y)
print(z)
print([n for n, p in m.named_parameters()])
print({k: tuple(v.shape) for k, v in m.state_dict().items()})
print(len(m.h), sum(p.numel() for p in m.parameters()))
print(F.layer_norm(x, (4,)))
print(nn.RMSNorm(4)(x), F.rms_norm(x, (4,), eps=1e-6))
print(F.gelu(x, approximate='tanh'), F.silu(x), F.leaky_relu(x, 0.2), F.elu(x), F.softplus(x), F.mish(x))
seq = nn.Sequential(nn.Linear(4, 2), nn.ReLU())
print(seq(x)[0], seq[0], len(seq), m.h[-1:][0] is m.h[1])
print(m)
