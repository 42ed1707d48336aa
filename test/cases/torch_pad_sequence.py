# pad_sequence: time-major by default, batch_first=True, and a custom padding_value.
import torch
from torch.nn.utils.rnn import pad_sequence

seqs = [torch.tensor([1, 2, 3]), torch.tensor([4]), torch.tensor([5, 6])]
tm = pad_sequence(seqs)
bf = pad_sequence(seqs, batch_first=True)
neg = pad_sequence(seqs, batch_first=True, padding_value=-1)
lengths = torch.tensor([len(s) for s in seqs])
mask = neg != -1
feats = pad_sequence([torch.ones(2, 2), torch.ones(1, 2) * 2], batch_first=True)
print(tm)
print(bf)
print(neg)
print(lengths, mask)
print(feats, feats.shape)
