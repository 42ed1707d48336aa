# torchaudio's Conformer convolution module: Conv1d -> GLU(dim=1) -> depthwise Conv1d ->
# BatchNorm1d -> SiLU, after a lengths-to-padding mask. BatchNorm in training (batch
# statistics, running stats moved by momentum or a cumulative average) and eval.
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
lengths = torch.tensor([5, 3])
padding_mask = torch.arange(int(torch.max(lengths).item())).expand(2, 5) >= lengths.unsqueeze(1)
feats = torch.rand(2, 5, 8)
conv = nn.Sequential(
    nn.Conv1d(8, 16, 1),
    nn.GLU(dim=1),
    nn.Conv1d(8, 8, 3, padding=1, groups=8),
    nn.BatchNorm1d(8),
    nn.SiLU(),
)
print(conv)
# conv1d and SiLU agree with torch to a float ulp, which can flip a 5th digit: printed rounded
y = conv(feats.transpose(1, 2)).transpose(1, 2)
print(y[1, :3].round(decimals=3))
bn = conv[3]
print(bn.running_mean, bn.running_var, bn.num_batches_tracked)
conv.eval()
y_eval = conv(feats.transpose(1, 2)).transpose(1, 2)
print(y_eval[0, :2].round(decimals=3))
print(list(bn.state_dict().keys()))

x2 = torch.randn(6, 4)
cma = nn.BatchNorm1d(4, momentum=None, affine=False)
print(cma)
for _ in range(3):
    out_cma = cma(x2 * 2 + 1)
print(cma.running_mean, cma.running_var, cma.num_batches_tracked)
free = nn.BatchNorm1d(4, track_running_stats=False)
free.eval()
out_free = free(x2)
# each column of a batch-normalised [N, C] input sums to 0 up to float rounding
print(out_free.sum(0).abs() < 1e-5)
img = torch.randn(2, 3, 4, 4, requires_grad=True)
bn2 = nn.BatchNorm2d(3)
out2 = bn2(img)
print(out2.grad_fn.name(), out2[0, 1, 0])
fb = F.batch_norm(x2, torch.zeros(4), torch.ones(4), weight=torch.full((4,), 2.0), training=False)
print(fb[:2])

g = F.glu(torch.tensor([[1.0, -2.0, 0.5, 3.0]]))
print(g, nn.GLU(), nn.GLU(dim=1))
print(F.glu(torch.randn(2, 4, 3, requires_grad=True), dim=1).grad_fn.name())
for bad in [lambda: F.glu(torch.randn(2, 3), dim=1), lambda: F.glu(torch.tensor(1.0)), lambda: F.glu(torch.ones(2, 4).long())]:
    try:
        bad()
    except (RuntimeError, NotImplementedError) as e:
        print(type(e).__name__, e)
for bad in [lambda: nn.BatchNorm1d(4)(torch.randn(1, 4)), lambda: nn.BatchNorm1d(4)(torch.randn(2, 2, 4, 4)), lambda: nn.BatchNorm1d(4)(torch.randn(2, 3))]:
    try:
        bad()
    except (ValueError, RuntimeError) as e:
        print(type(e).__name__, e)
for bad in [lambda: nn.BatchNorm1d(3)(torch.randn(4, 3, dtype=torch.float64)), lambda: F.batch_norm(torch.randn(4, 3), None, None)]:
    try:
        bad()
    except RuntimeError as e:
        print(type(e).__name__, e)
