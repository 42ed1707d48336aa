# Softmax, log_softmax, a masked softmax and cross entropy printed to the last
# bit (precision=10 and .tolist()): float32 results as ATen's kernels round
# them (Sleef exp/log with fused multiply-adds, sums over 16 lanes then a tree).
import torch
import torch.nn.functional as F

torch.manual_seed(7)
torch.set_printoptions(precision=10)
scores = torch.randn(3, 21) * 3
print(torch.softmax(scores, dim=-1))
print(torch.log_softmax(scores, dim=-1)[0].tolist())
print(torch.log_softmax(scores, dim=0)[:, :4].tolist())

causal = torch.triu(torch.ones(5, 5, dtype=torch.bool), diagonal=1)
attn = torch.randn(2, 5, 5).masked_fill(causal, float('-inf')).softmax(dim=-1)
print(attn[1].tolist())

logits = torch.randn(6, 17)
target = torch.tensor([3, 16, -100, 0, 8, 8])
print(F.cross_entropy(logits, target).item())
print(F.cross_entropy(logits, target, reduction='none').tolist())
print(F.cross_entropy(logits, target, label_smoothing=0.1, reduction='sum').item())
