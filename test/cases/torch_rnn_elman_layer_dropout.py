# pytorch/examples word_language_model's RNNModel: nn.RNN (Elman, tanh and relu, the nonlinearity given
# positionally or by keyword, its mode), and dropout between stacked RNN/GRU/LSTM layers while training
# (drawn from torch's generator after each layer but the last, over the packed rows only for packed input);
# none in eval mode. Reprs show bias=False and dropout as RNNBase.extra_repr does.
import torch
import torch.nn as nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence
torch.manual_seed(0)
rnn = nn.RNN(3, 4, 2, 'relu', dropout=0.5)
print(rnn, rnn.mode, rnn.nonlinearity)
x = torch.randn(5, 2, 3)
out, h = rnn(x)
print(out, h)
rnn.eval()
out_eval, h_eval = rnn(x)
print(out_eval[-1], h_eval)
tanh = nn.RNN(3, 4, batch_first=True, bias=False, bidirectional=True)
print(tanh, tanh.mode)
y, hy = tanh(x.transpose(0, 1))
print(y, hy)
gru = nn.GRU(3, 4, num_layers=2, dropout=0.25)
lstm = nn.LSTM(3, 4, num_layers=3, dropout=0.2)
print(gru, lstm)
g_out, g_h = gru(x)
l_out, (l_h, l_c) = lstm(x)
print(g_out[-1], l_h)
packed = pack_padded_sequence(x, torch.tensor([5, 3]))
p_out, p_h = nn.GRU(3, 2, num_layers=2, dropout=0.5, bidirectional=True)(packed)
print(pad_packed_sequence(p_out)[0], p_h)
after = torch.rand(3)
print(after)
try:
    nn.RNN(3, 4, nonlinearity='gelu')
except ValueError as e:
    print(e)
try:
    nn.GRU(3, 4, dropout=1.5)
except ValueError as e:
    print(e)
# the initial state as RNNBase.forward checks it: an LSTM takes (h_0, c_0), an RNN/GRU one 3-D tensor,
# each [num_layers * directions, batch, hidden]; the input's last dim is input_size
lstm2 = nn.LSTM(8, 8, 2)
x8 = torch.randn(2, 4, 8)
for hx in [torch.randn(2, 4, 8), (torch.randn(2, 4, 8),), (torch.randn(2, 4, 8), torch.randn(4, 8)),
           (torch.randn(2, 3, 8), torch.randn(2, 3, 8)), (torch.randn(2, 4, 8), torch.randn(1, 4, 8))]:
    try:
        lstm2(x8, hx)
    except (RuntimeError, IndexError) as e:
        print(type(e).__name__, e)
gru2 = nn.GRU(8, 8, 2)
for hx in [torch.randn(2, 3, 8), torch.randn(4, 8), (torch.randn(2, 4, 8), torch.randn(2, 4, 8))]:
    try:
        gru2(x8, hx)
    except (RuntimeError, AttributeError) as e:
        print(type(e).__name__, e)
ok_out, (ok_h, ok_c) = lstm2(x8, (torch.zeros(2, 4, 8), torch.ones(2, 4, 8)))
try:
    lstm2(torch.randn(2, 4, 5))
except RuntimeError as e:
    print(e)
