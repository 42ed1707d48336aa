# Packed sequences (pack_padded_sequence with enforce_sorted False/True, sorted/unsorted indices, batch_sizes,
# pad_packed_sequence total_length) and nn.GRU (bidirectional, packed) / nn.LSTM (2 layers, batch_first): a packed
# row stops at its length, and the final hidden states come back in the caller's batch order.
import torch
import torch.nn as nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence
torch.manual_seed(0)
x = torch.randn(4, 3, 2)
lengths = torch.tensor([2, 4, 3])
packed = pack_padded_sequence(x, lengths, enforce_sorted=False)
print(packed.batch_sizes, packed.sorted_indices, packed.unsorted_indices)
print(packed.data)
padded, lens = pad_packed_sequence(packed, total_length=5)
print(padded, lens)
gru = nn.GRU(2, 3, bidirectional=True)
out, h = gru(packed)
out_pad, out_lens = pad_packed_sequence(out)
print(out_pad, h)
lstm = nn.LSTM(2, 3, num_layers=2, batch_first=True)
y, (hn, cn) = lstm(x.transpose(0, 1))
print(y, hn, cn)
sorted_packed = nn.utils.rnn.pack_padded_sequence(x, torch.tensor([4, 3, 2]))
print(sorted_packed.sorted_indices, gru(sorted_packed)[1])
try:
    pack_padded_sequence(x, lengths)
except RuntimeError as e:
    print(e)
print(packed)
print(isinstance(packed, nn.utils.rnn.PackedSequence), isinstance(x, nn.utils.rnn.PackedSequence))
data, bs, si, ui = packed
print(bs)
# PackedSequence is a namedtuple the golden schema has no type for; its fields are compared above
del packed, out
