# Hugging Face mask builders that fill with finfo.min (no inverted-mask warning is expected on either).
import torch

min_value = torch.finfo(torch.float32).min

# _expand_mask with left padding: m is 1 = attend, inv is 1 where masked, so inv.bool() is the right mask
m = torch.tensor([[0, 0, 1, 1, 1], [1, 1, 1, 1, 1]])
inv = 1.0 - m[:, None, None, :].float()
expanded = inv.masked_fill(inv.bool(), min_value)
probs = torch.softmax(torch.zeros(2, 1, 1, 5) + expanded, dim=-1)

# sliding window with a cache: 3 new queries after 4 cached keys, window 3
past, window = 4, 3
causal = torch.cat([torch.zeros(3, past), torch.full((3, 3), min_value).triu(1)], dim=-1)
context_mask = torch.tril(torch.ones_like(causal, dtype=torch.bool), diagonal=past - window - 1)
windowed = causal.clone()
windowed.masked_fill_(context_mask, min_value)
window_probs = torch.softmax(windowed, dim=-1)
kept_per_query = (windowed == 0).sum(-1)
