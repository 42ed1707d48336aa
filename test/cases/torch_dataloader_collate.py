# A notebook batches its dataset: DataLoader (batch_size, drop_last, batch_size=None, len(), shuffle), a
# collate_fn that pads each batch and builds its padding mask, TensorDataset, and default_collate of
# tensors, numbers, strings, dicts, namedtuples and tuples, with collate.py's errors.
import torch
from torch.utils.data import Dataset, DataLoader, TensorDataset
from torch.nn.utils.rnn import pad_sequence
from collections import namedtuple

class Toks(Dataset):
    def __init__(self):
        self.data = [torch.tensor([5, 6, 7]), torch.tensor([8, 9]), torch.tensor([3]), torch.tensor([1, 2, 3, 4])]
    def __len__(self):
        return len(self.data)
    def __getitem__(self, i):
        return self.data[i], len(self.data[i])

def collate_batch(batch):
    seqs, lens = zip(*batch)
    padded = pad_sequence(seqs, batch_first=True, padding_value=0)
    mask = padded != 0
    return padded, torch.tensor(lens), mask

loader = DataLoader(Toks(), batch_size=3, collate_fn=collate_batch)
print(len(loader))
for padded, lens, mask in loader:
    print(padded, lens, mask)
ds = TensorDataset(torch.arange(10).view(5, 2), torch.arange(5) * 1.5)
dl = DataLoader(ds, batch_size=2, drop_last=True)
print(len(dl), list(dl))
xb, yb = next(iter(DataLoader(ds, batch_size=4)))
print(xb, yb)
P = namedtuple('P', 'a b')
print(next(iter(DataLoader([{'x': 1.5, 'y': [1, 2], 's': 'a'}, {'x': 2.0, 'y': [3, 4], 's': 'b'}], batch_size=2))))
print(next(iter(DataLoader([P(1, True), P(2, False)], batch_size=2))))
print(list(DataLoader([1, 2, 3], batch_size=None)))
print(next(iter(DataLoader([(torch.ones(2), 1), (torch.zeros(2), 0)], batch_size=2))))
try:
    next(iter(DataLoader([torch.ones(2), torch.ones(3)], batch_size=2)))
except RuntimeError as e:
    print(e)
try:
    next(iter(DataLoader([[1, 2], [3]], batch_size=2)))
except RuntimeError as e:
    print(e)
try:
    next(iter(DataLoader([object()], batch_size=1)))
except TypeError as e:
    print(e)
try:
    DataLoader(ds, batch_size=0)
except ValueError as e:
    print(e)
# the generator draws: iter() takes a base seed from the global generator (or the loader's), and
# shuffle=True orders each epoch with RandomSampler's randperm, bit-exact with torch

torch.manual_seed(0)
ds = TensorDataset(torch.arange(6))
it = iter(DataLoader(ds, batch_size=2))
print(torch.rand(1))
torch.manual_seed(0)
print(torch.rand(1))
torch.manual_seed(0)
print([b[0].tolist() for b in DataLoader(ds, batch_size=2, shuffle=True)], torch.rand(1))
g = torch.Generator().manual_seed(5)
print([b[0].tolist() for b in DataLoader(ds, batch_size=4, shuffle=True, generator=g)])
torch.manual_seed(1)
l = DataLoader(ds, batch_size=4, shuffle=True)
print([b[0].tolist() for b in l], [b[0].tolist() for b in l])
