# A GPT-style masked self-attention module (causal AND padding), an HF extended mask and a CE loss with -100 labels.
import torch
import torch.nn as nn
import torch.nn.functional as F
import math

class MaskedSelfAttention(nn.Module):
    def __init__(self, d_model, n_heads):
        super().__init__()
        self.n_heads = n_heads
        self.d_k = d_model // n_heads
        self.qkv = nn.Linear(d_model, 3 * d_model)
        self.out = nn.Linear(d_model, d_model)

    def forward(self, x, pad_mask):
        B, T, C = x.shape
        q, k, v = self.qkv(x).split(C, dim=-1)
        q = q.view(B, T, self.n_heads, self.d_k).transpose(1, 2)
        k = k.view(B, T, self.n_heads, self.d_k).transpose(1, 2)
        v = v.view(B, T, self.n_heads, self.d_k).transpose(1, 2)
        att = (q @ k.transpose(-2, -1)) / math.sqrt(self.d_k)
        causal = torch.tril(torch.ones(T, T, dtype=torch.bool))
        mask = causal[None, None, :, :] & pad_mask[:, None, None, :]
        att = att.masked_fill(~mask, float("-inf"))
        att = F.softmax(att, dim=-1)
        y = (att @ v).transpose(1, 2).contiguous().view(B, T, C)
        return self.out(y), att

torch.manual_seed(42)
model = MaskedSelfAttention(8, 2)
model.eval()
x = torch.randn(2, 4, 8)
lengths = torch.tensor([4, 2])
pad_mask = torch.arange(4).unsqueeze(0) < lengths.unsqueeze(1)
with torch.no_grad():
    y, att = model(x, pad_mask)
print(att[1, 0])
print(y.shape, att.shape)
attention_mask = torch.tensor([[1, 1, 1, 0], [1, 1, 0, 0]])
extended = (1.0 - attention_mask[:, None, None, :].float()) * torch.finfo(torch.float32).min
print(extended)
logits = torch.randn(2, 4, 5)
labels = torch.tensor([[1, 2, 3, -100], [4, 0, -100, -100]])
loss = F.cross_entropy(logits.view(-1, 5), labels.view(-1))
print(loss)
print(f"loss={loss.item():.4f}", sum(lengths.tolist()))
