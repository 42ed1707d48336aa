# Masks that reach past the diagonal, and wenet's chunked padding mask.
# A keep-mask tril filled where True means masked leaves an anti-causal
# additive mask (each query sees only later keys; the last row is all -inf);
# triu(ones, diagonal=0) as a block-mask masks the diagonal with the future
# (strictly past: row 0 is all -inf, so its softmax row is NaN); wenet's
# `masks & subsequent_chunk_mask(...)` is padding AND chunked causal.
import torch

T = 4
tril = torch.tril(torch.ones(T, T, dtype=torch.bool))
anti = torch.zeros(T, T).masked_fill(tril, float('-inf'))
anti_probs = torch.softmax(anti, dim=-1)
print(anti_probs)

strict = torch.triu(torch.ones(T, T, dtype=torch.bool), diagonal=0)
strict_scores = torch.zeros(T, T).masked_fill(strict, float('-inf'))
strict_probs = strict_scores.softmax(-1)
print(strict_probs)


def make_pad_mask(lengths, max_len=0):
    batch_size = lengths.size(0)
    max_len = max_len if max_len > 0 else lengths.max().item()
    seq_range = torch.arange(0, max_len, dtype=torch.int64)
    seq_range_expand = seq_range.unsqueeze(0).expand(batch_size, max_len)
    seq_length_expand = lengths.unsqueeze(-1)
    return seq_range_expand >= seq_length_expand


def subsequent_chunk_mask(size, chunk_size, num_left_chunks=-1):
    ret = torch.zeros(size, size, dtype=torch.bool)
    for i in range(size):
        if num_left_chunks < 0:
            start = 0
        else:
            start = max((i // chunk_size - num_left_chunks) * chunk_size, 0)
        ending = min((i // chunk_size + 1) * chunk_size, size)
        ret[i, start:ending] = True
    return ret


xs_lens = torch.tensor([6, 3, 5])
masks = ~make_pad_mask(xs_lens, 6).unsqueeze(1)
chunk_masks = masks & subsequent_chunk_mask(6, 2).unsqueeze(0)
limited_chunks = masks & subsequent_chunk_mask(6, 2, 1).unsqueeze(0)
print(chunk_masks.int())
scores = torch.zeros(3, 6, 6).masked_fill(~limited_chunks, float('-inf'))
print(scores.softmax(-1)[1])
