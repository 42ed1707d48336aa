# Dropout as ATen draws and scales it (noise.bernoulli_(1 - p).div_(1 - p), then x * noise:
# every bit, and torch's generator advanced by one draw per element), inside
# scaled_dot_product_attention(dropout_p=...) and nn.MultiheadAttention(dropout=...)
# while training; and the grad_fn names of MultiheadAttention's output by layout.
import torch
import torch.nn.functional as F
from torch import nn

torch.manual_seed(0)
x = torch.randn(64)
dropped = F.dropout(x, p=0.1)
print(dropped.tolist())
layer = nn.Dropout(0.3)
print(layer(x).tolist())
q = torch.randn(1, 2, 3, 4)
sdpa_4d = F.scaled_dot_product_attention(q, q, q, dropout_p=0.5)
sdpa_3d = F.scaled_dot_product_attention(q[0], q[0], q[0], dropout_p=0.5)
next_draw = torch.rand(2)
print(sdpa_4d.grad_fn, sdpa_3d.shape, next_draw)

mha = nn.MultiheadAttention(4, 2, dropout=0.5)
seq = torch.randn(3, 2, 4)
out, weights = mha(seq, seq, seq)
print(out.grad_fn.name(), weights.grad_fn.name())
print(weights)
mha.eval()
out_eval, weights_eval = mha(seq, seq, seq)
one, one_weights = mha(seq[:, 0], seq[:, 0], seq[:, 0])
print(one.grad_fn.name(), one_weights.grad_fn.name())
batch_first = nn.MultiheadAttention(4, 2, batch_first=True)
bf_out, bf_weights = batch_first(seq, seq, seq)
print(bf_out.grad_fn.name(), bf_weights.grad_fn.name())
