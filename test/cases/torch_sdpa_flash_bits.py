# 4-D float32 F.scaled_dot_product_attention runs PyTorch's CPU flash-attention kernel (blocks of 32/64/256
# queries and 512 keys, online softmax with exp_u20, q @ k^T and p @ v by MKL sgemm), and so do
# nn.MultiheadAttention(need_weights=False) and the encoder layers that call it: printed to 9 significant
# digits, the outputs show the kernel's last bits (the composed math path rounds differently). The layer's
# own output is printed to 5 digits only: its LayerNorm is not bit-exact here.
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
q = torch.randn(2, 4, 10, 16)
k = torch.randn(2, 4, 10, 16)
v = torch.randn(2, 4, 10, 16)
keep = torch.tensor([[True] * 10, [True] * 7 + [False] * 3])[:, None, None, :]


def digits(t):
    return [f"{x:.9g}" for x in t.tolist()]


out = F.scaled_dot_product_attention(q, k, v)
causal = F.scaled_dot_product_attention(q, k, v, is_causal=True)
padded = F.scaled_dot_product_attention(q, k, v, attn_mask=keep)
print(digits(out[0, 0, 0, :4]))
print(digits(causal[1, 3, 9, :4]))
print(digits(padded[1, 2, 5, :4]))
print(out.sum().item(), causal.sum().item(), padded.sum().item())
# odd and long shapes: 7 queries against 600 keys (two key blocks), 200 queries (blocks of 64), few keys
long_k, long_v = torch.randn(1, 2, 600, 8), torch.randn(1, 2, 600, 8)
two_blocks = F.scaled_dot_product_attention(torch.randn(1, 2, 7, 8), long_k, long_v)
print(digits(two_blocks[0, 1, 6, :4]))
rows = F.scaled_dot_product_attention(torch.randn(1, 1, 200, 8), torch.randn(1, 1, 200, 8), torch.randn(1, 1, 200, 8), is_causal=True)
print(digits(rows[0, 0, 199, :4]), rows.sum().item())
few = F.scaled_dot_product_attention(torch.randn(1, 1, 5, 3), torch.randn(1, 1, 3, 3), torch.randn(1, 1, 3, 3))
print(digits(few[0, 0, :, 0]))
# a float mask in [L, S] and a fully masked query row (zeros)
bias = torch.randn(10, 10)
biased = F.scaled_dot_product_attention(q, k, v, attn_mask=bias)
print(digits(biased[0, 1, 2, :4]))
none_kept = keep.clone().expand(2, 1, 10, 10).clone()
none_kept[0, 0, 3] = False
print(F.scaled_dot_product_attention(q, k, v, attn_mask=none_kept)[0, 2, 3, :4])

mha = nn.MultiheadAttention(16, 4, batch_first=True)
x = torch.randn(2, 10, 16)
y, w = mha(x, x, x, need_weights=False)
print(w, digits(y[0, 0, :4]))
pad = torch.tensor([[False] * 10, [False] * 6 + [True] * 4])
y_pad, _ = mha(x, x, x, key_padding_mask=pad, need_weights=False)
print(digits(y_pad[1, 9, :4]))
layer = nn.TransformerEncoderLayer(d_model=16, nhead=4, dim_feedforward=32, dropout=0.0, batch_first=True)
square = nn.Transformer.generate_square_subsequent_mask(10)
sa = layer.self_attn(x, x, x, attn_mask=square, need_weights=False)[0]
print(digits(sa[1, 4, :4]))
z = layer(x, src_mask=square)
print(f"{z[0, 0, 0].item():.4e}")
# the eval fast path (torch._native_multi_head_attention): q scaled by 1/sqrt(head_dim) in float32, masked
# scores through _masked_softmax (glibc's expf, a double sum); a fully padded batch row comes out NaN
fast = nn.MultiheadAttention(24, 4, batch_first=True).eval()
x24 = torch.randn(2, 9, 24)
pad9 = torch.tensor([[False] * 9, [False] * 5 + [True] * 4])
with torch.no_grad():
    y_fast, w_fast = fast(x24, x24, x24, key_padding_mask=pad9)
    y_fast_nw, _ = fast(x24, x24, x24, key_padding_mask=pad9, need_weights=False)
print(digits(y_fast[1, 2, :4]), digits(w_fast[1, 3, :5]))
print(digits(y_fast_nw[0, 8, :4]))
del q, k, v, out, causal, padded, biased, bias, none_kept, long_k, long_v, rows, x, sa, x24, y_fast, y_fast_nw, w_fast
