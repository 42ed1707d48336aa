# The GPT attention epilogue: y.transpose(1, 2).contiguous().view(B, T, C)
# works; scaling the transposed heads keeps their layout, so forgetting
# .contiguous() makes view() raise (reshape() copies instead), before or
# after an elementwise op.
import torch

B, T, nh, hs = 2, 3, 2, 4
C = nh * hs
qkv = torch.arange(B * T * 3 * C, dtype=torch.float32).view(B, T, 3 * C) / 100
q, k, v = qkv.split(C, dim=2)
q = q.view(B, T, nh, hs).transpose(1, 2)
k = k.view(B, T, nh, hs).transpose(1, 2)
v = v.view(B, T, nh, hs).transpose(1, 2)
heads = (q.shape, q.stride(), q.is_contiguous(), q.storage_offset(), k.storage_offset(), v.storage_offset())

att = (q @ k.transpose(-2, -1)) * (1.0 / hs ** 0.5)
mask = torch.tril(torch.ones(T, T)).view(1, 1, T, T)
att = att.masked_fill(mask == 0, float('-inf')).softmax(dim=-1)
y = att @ v
y_geometry = (y.shape, y.stride(), y.is_contiguous())
yt = y.transpose(1, 2)
yt_geometry = (yt.stride(), yt.is_contiguous())
out = yt.contiguous().view(B, T, C)
out_geometry = (out.shape, out.stride(), out.is_contiguous())
reshaped = yt.reshape(B, T, C)
same = torch.equal(out, reshaped)

try:
    yt.view(B, T, C)
except RuntimeError as err:
    forgot_contiguous = str(err)

# q.transpose(1, 2) is the split's own (non-dense, row-major ordered) view: its product is contiguous
q_scaled = q.transpose(1, 2) * 0.5
q_scaled_geometry = (q_scaled.stride(), q_scaled.is_contiguous(), q_scaled.view(B, T, C).shape)
scale = 0.5
scaled = yt * scale
scaled_geometry = (scaled.stride(), scaled.is_contiguous())
flat = scaled.view(B, T, C)
