# nn.MultiheadAttention in PyTorch 2.x: grad_fn names of outputs and weights, bool/float mask merging, uint8/int masks rejected, fully padded rows are nan.
import torch
import torch.nn as nn

torch.manual_seed(0)
mha = nn.MultiheadAttention(4, 2, batch_first=True)
x = torch.randn(2, 3, 4)
causal = torch.triu(torch.ones(3, 3, dtype=torch.bool), diagonal=1)
kpm = torch.tensor([[False, False, True], [False, False, False]])
out, w = mha(x, x, x, attn_mask=causal, key_padding_mask=kpm)
print(out.grad_fn.name(), w.grad_fn.name())
out_heads, w_heads = mha(x, x, x, key_padding_mask=kpm, average_attn_weights=False)
print(out_heads.grad_fn.name(), w_heads.grad_fn.name(), w_heads.shape)
out_nw, none_w = mha(x, x, x, key_padding_mask=kpm, need_weights=False)
print(out_nw.grad_fn.name(), none_w)
print(w)
float_kpm = torch.zeros(2, 3).masked_fill(kpm, float("-inf"))
out_mixed, w_mixed = mha(x, x, x, attn_mask=causal, key_padding_mask=float_kpm)
errors = []
for label, kw in [("uint8 attn_mask", dict(attn_mask=causal.to(torch.uint8))),
                  ("int64 attn_mask", dict(attn_mask=causal.long())),
                  ("uint8 key_padding_mask", dict(key_padding_mask=kpm.to(torch.uint8))),
                  ("int key_padding_mask", dict(key_padding_mask=kpm.int()))]:
    try:
        mha(x, x, x, **kw)
        errors.append(f"{label}: ok")
    except Exception as e:
        errors.append(f"{label}: {type(e).__name__}: {e}")
for line in errors:
    print(line)
mha.eval()
with torch.no_grad():
    out_eval, w_eval = mha(x, x, x, key_padding_mask=kpm)
    out_fast, _ = mha(x, x, x, key_padding_mask=kpm, need_weights=False)
    full = torch.tensor([[True, True, True], [False, False, False]])
    out_full, w_full = mha(x, x, x, key_padding_mask=full)
    out_full_fast, _ = mha(x, x, x, key_padding_mask=full, need_weights=False)
print(out_full)
print(w_full)
print(out_full_fast)
print(torch.allclose(out_eval, out_fast, atol=1e-6))
try:
    mha(x, x, x, is_causal=True)
except RuntimeError as e:
    is_causal_error = str(e)
square = nn.Transformer.generate_square_subsequent_mask(3)
out_hint, w_hint = mha(x, x, x, attn_mask=square, is_causal=True)
print(is_causal_error)
print(w_hint)
