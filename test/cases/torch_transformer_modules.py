# nn.TransformerEncoder/DecoderLayer/Encoder/Decoder/Transformer (PyTorch 2.x): seeded weights, every mask argument,
# and the eval-mode nested-tensor fast path (no_grad, batch_first, right padding) that returns exact zeros
# at padded positions; with grad enabled the same call gives ordinary values there.
import torch
import torch.nn as nn
torch.manual_seed(0)
layer = nn.TransformerEncoderLayer(d_model=8, nhead=2, dim_feedforward=16, dropout=0.0, batch_first=True)
enc = nn.TransformerEncoder(layer, num_layers=2)
x = torch.randn(2, 4, 8)
kpm = torch.tensor([[False, False, False, True], [False, False, True, True]])
causal = nn.Transformer.generate_square_subsequent_mask(4)
y = enc(x, mask=causal, src_key_padding_mask=kpm)
print(y)
enc.eval()
with torch.no_grad():
    y_eval = enc(x, src_key_padding_mask=kpm)
print(y_eval)
y_grad = enc(x, src_key_padding_mask=kpm)
print(y_grad[1, 3])
dec_layer = nn.TransformerDecoderLayer(d_model=8, nhead=2, dim_feedforward=16, dropout=0.0, batch_first=True, norm_first=True)
dec = nn.TransformerDecoder(dec_layer, num_layers=1, norm=nn.LayerNorm(8))
tgt = torch.randn(2, 3, 8)
out = dec(tgt, y, tgt_mask=nn.Transformer.generate_square_subsequent_mask(3), memory_key_padding_mask=kpm)
print(out)
model = nn.Transformer(d_model=8, nhead=2, num_encoder_layers=1, num_decoder_layers=1, dim_feedforward=16, dropout=0.0)
model.eval()
src = torch.randn(5, 2, 8)
t2 = torch.randn(3, 2, 8)
res = model(src, t2, tgt_mask=model.generate_square_subsequent_mask(3), src_key_padding_mask=torch.tensor([[False] * 5, [False, False, False, True, True]]))
print(res)
print([n for n, _ in model.named_parameters()][:6], len(list(model.parameters())))
