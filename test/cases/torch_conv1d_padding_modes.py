# Conv1d as audio and sequence models configure it: padding='same' / 'valid' (with dilation), F.conv1d(padding='same'),
# padding_mode reflect / replicate / circular (F.pad first, then an unpadded convolution), dilation and groups in the repr.
import torch, torch.nn as nn, torch.nn.functional as F
torch.manual_seed(0)
c = nn.Conv1d(2, 3, 4, padding='same', dilation=2)
x = torch.randn(2, 2, 6)
print(c, c(x)[0, 0])
v = nn.Conv1d(2, 3, 3, padding='valid')
print(v, v(x).shape, F.conv1d(x, torch.ones(1, 2, 3), padding='same').shape)
try: nn.Conv1d(2, 3, 3, stride=2, padding='same')
except ValueError as e: print(e)
r = nn.Conv1d(2, 3, 3, padding=1, padding_mode='reflect')
print(r)
print(r(x).shape)
for mode in ['replicate', 'circular']:
    m = nn.Conv1d(2, 2, 3, padding=2, padding_mode=mode, bias=False)
    print(m, m(x)[1, 1])
print(r(x)[0, 2], nn.Conv1d(4, 4, 3, groups=2, dilation=2, bias=False))
try: nn.Conv1d(2, 2, 3, padding=6, padding_mode='reflect')(x)
except RuntimeError as e: print(e)
