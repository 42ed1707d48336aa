# A collate_fn in the seq-first layout nn.Transformer (batch_first=False) reads:
# pad_sequence's default output is [T, B], and the padding mask built from it
# (a `!= pad` / `== pad` comparison, or `lengths` compared down dim 0) pads
# each column, not each row.
import torch
from torch.utils.data import DataLoader
from torch.nn.utils.rnn import pad_sequence

PAD = 0
data = [torch.tensor([5, 6, 7, 2]), torch.tensor([8, 9]), torch.tensor([3, 4, 4])]

def collate_seq_first(batch):
    src = pad_sequence(batch, padding_value=PAD)
    src_pad = src == PAD
    lengths = torch.tensor([len(b) for b in batch])
    keep = torch.arange(src.size(0))[:, None] < lengths[None, :]
    return src, src_pad, keep

for src, src_pad, keep in DataLoader(data, batch_size=3, collate_fn=collate_seq_first):
    print(src.shape, src_pad, keep)
left = pad_sequence(data, padding_value=PAD, padding_side="left")
left_pad = left == PAD
print(left_pad)
