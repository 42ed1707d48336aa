# LSTM(proj_size=...): h is projected to proj_size by weight_hr (c stays hidden_size), the next layer and the
# reverse direction read the projection; sizes, parameters, repr and errors as torch.nn.LSTM
import torch, torch.nn as nn
torch.manual_seed(0)
l = nn.LSTM(3, 4, proj_size=2)
print(l, [n for n, _ in l.named_parameters()])
o, (h, c) = l(torch.randn(5, 1, 3))
print(o.shape, h.shape, c.shape)
print(o[:2], h, c)
b = nn.LSTM(3, 5, num_layers=2, proj_size=3, bidirectional=True, batch_first=True)
ob, (hb, cb) = b(torch.randn(2, 4, 3))
print(ob.shape, hb.shape, cb.shape, ob[0, 0], b.weight_hr_l1_reverse.shape, b.weight_ih_l1.shape)
packed = nn.utils.rnn.pack_padded_sequence(torch.randn(4, 2, 3), [4, 2])
po, (ph, pc) = l(packed)
print(nn.utils.rnn.pad_packed_sequence(po)[0][:, 1], ph)
for bad in [lambda: nn.LSTM(3, 4, proj_size=4), lambda: nn.LSTM(3, 4, proj_size=-1), lambda: nn.GRU(3, 4, proj_size=2)]:
    try: bad()
    except ValueError as e: print(e)
try: l(torch.randn(5, 1, 3), (torch.zeros(1, 1, 4), torch.zeros(1, 1, 4)))
except RuntimeError as e: print(e)
