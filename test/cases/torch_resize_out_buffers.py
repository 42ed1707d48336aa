# fairseq's cached position buffers: a function attribute grown with resize_
# and filled by arange(out=...), and a left/right padding flip that fills an
# empty tensor through out=.
import torch


def buffered_arange(max):
    if not hasattr(buffered_arange, "buf"):
        buffered_arange.buf = torch.LongTensor()
    if max > buffered_arange.buf.numel():
        buffered_arange.buf.resize_(max)
        torch.arange(max, out=buffered_arange.buf)
    return buffered_arange.buf[:max]


def convert_padding_direction(src_tokens, padding_idx, right_to_left=False):
    pad_mask = src_tokens.eq(padding_idx)
    max_len = src_tokens.size(1)
    buffered = torch.empty(0).long()
    if max_len > 0:
        torch.arange(max_len, out=buffered)
    range = buffered.type_as(src_tokens).expand_as(src_tokens)
    num_pads = pad_mask.long().sum(dim=1, keepdim=True)
    if right_to_left:
        index = torch.remainder(range - num_pads, max_len)
    else:
        index = torch.remainder(range + num_pads, max_len)
    return src_tokens.gather(1, index)


first = buffered_arange(3)
grown = buffered_arange(6)
again = buffered_arange(2)
buf_shape = tuple(buffered_arange.buf.shape)
src_tokens = torch.tensor([[5, 6, 7, 1, 1], [8, 9, 10, 11, 1]])
left_padded = convert_padding_direction(src_tokens, 1, right_to_left=True)

# resize_ keeps the storage: shrinking and regrowing sees the old values again
t = torch.arange(6.0)
t.resize_(2, 2)
shrunk = t.clone()
t.resize_(6)
regrown = t.clone()
window = torch.arange(10)[4:]
window.resize_(3)
returned = torch.zeros(0).resize_(0, 3).shape
