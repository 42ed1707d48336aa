# Module reprs as timm's Attention prints: Dropout keeps p as given
# (attn_drop=0. prints p=0.0, an int p=0 stays 0, 1e-05 as Python writes it),
# and MultiheadAttention's out_proj is a Linear (NonDynamicallyQuantizableLinear)
# that shows its features and can be called.
import torch
from torch import nn

torch.manual_seed(0)
print(nn.Dropout(0.), nn.Dropout(0), nn.Dropout(p=1e-5), nn.Dropout(0.25), nn.Dropout(0.1, True), nn.Dropout())
drop = nn.Dropout(0.)
p = drop.p
print(p, drop.inplace)
mha = nn.MultiheadAttention(4, 2, batch_first=True)
print(mha)
proj = mha.out_proj(torch.ones(1, 4))
print(isinstance(mha.out_proj, nn.Linear), type(mha.out_proj).__name__)
print(nn.TransformerEncoderLayer(4, 2, 8, dropout=0))
print(nn.TransformerDecoderLayer(4, 2, 8, dropout=0.0, batch_first=True).dropout3)
nn.Dropout(1.5)
