# Masks built inside functions and inside a module's forward, which runs twice.
import torch


class MaskedAttention(torch.nn.Module):
    def __init__(self, size):
        super().__init__()
        self.register_buffer("mask", torch.tril(torch.ones(size, size)).bool())

    def forward(self, scores, key_padding):
        scores = scores.masked_fill(~self.mask, float("-inf"))
        scores = scores.masked_fill(key_padding[:, None, :], float("-inf"))
        weights = torch.softmax(scores, dim=-1)
        return weights


def lengths_to_mask(lengths, max_len: int):
    mask = torch.arange(max_len)[None, :] >= lengths[:, None]
    return mask


def causal_mask_like(seq: torch.Tensor):
    size = seq.size(1)
    mask = torch.triu(torch.ones(size, size), diagonal=1).bool()
    return mask


attn = MaskedAttention(4)
pad_a = lengths_to_mask(torch.tensor([4, 2]), 4)
out_a = attn(torch.zeros(2, 4, 4), pad_a)
pad_b = lengths_to_mask(torch.tensor([3, 1]), 4)
out_b = attn(torch.zeros(2, 4, 4), pad_b)

labels = torch.tensor([[5, 6, 7, 8], [9, 10, 11, 12]])
labels[pad_b] = -100
