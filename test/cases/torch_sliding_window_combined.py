# Sliding-window, causal and key-padding masks combined; index += and nll_loss with -100.
import torch
import torch.nn.functional as F
B, T, H = 2, 5, 2
lengths = torch.tensor([5, 3])
key_padding_mask = torch.arange(T).expand(B, T) >= lengths.unsqueeze(1)
print(key_padding_mask)
scores = torch.randn(B, H, T, T)
scores = scores.masked_fill(key_padding_mask[:, None, None, :], float('-inf'))
w = torch.softmax(scores, dim=-1)
print(w[1, 0, 0])
window = 2
i = torch.arange(T)
sliding = (i[:, None] - i[None, :]).abs() <= window
print(sliding.int())
causal = torch.ones(T, T).tril().bool()
combined = causal & sliding & ~key_padding_mask[:, None, :]
print(combined.shape, combined.sum().item())
loss = F.nll_loss(torch.log_softmax(torch.randn(B * T, 4), -1), torch.where(key_padding_mask.flatten(), -100, 1))
print(round(loss.item(), 4) > 0)
t = torch.zeros(3)
t[torch.tensor([0, 2])] += 1
print(t, t.dtype, torch.tensor([1, 2]).dtype == torch.long)
