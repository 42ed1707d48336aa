# What the Tensor Inspector shows: a masked softmax with row sums, the
# scores -> mask -> probabilities of one (batch, head), a combined mask split
# into its parts, and a loss with its per-token contributions.
import torch
import torch.nn.functional as F

torch.manual_seed(0)
batch, heads, seq = 2, 2, 5
lengths = torch.tensor([5, 3])
key_padding = torch.arange(seq)[None, :] >= lengths[:, None]           # [B, S], True = pad
causal = torch.triu(torch.ones(seq, seq, dtype=torch.bool), diagonal=1)  # True = future
combined = key_padding[:, None, None, :] | causal                        # [B, 1, S, S], True = masked

scores = torch.randn(batch, heads, seq, seq) / seq ** 0.5
masked_scores = scores.masked_fill(combined, float('-inf'))
probs = F.softmax(masked_scores, dim=-1)

# A finite fill: a fully masked row becomes uniform instead of NaN.
empty_row = torch.tensor([[False, False, False], [True, True, True]])
small_scores = torch.tensor([[0.5, 1.5, -0.5], [2.0, 0.1, 0.3]])
finite_probs = torch.softmax(small_scores.masked_fill(empty_row, -1e9), dim=-1)

logits = torch.randn(2, 4, 6)                       # [B, T, C]
targets = torch.tensor([[3, 1, 0, 0], [5, 2, 4, 0]])  # 0 = pad
criterion = torch.nn.CrossEntropyLoss(ignore_index=0)
loss = criterion(logits.reshape(-1, 6), targets.reshape(-1))
row_sums = probs.sum(-1)
