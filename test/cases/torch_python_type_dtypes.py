# Python's int, float and bool stand for torch.int64, torch.float64 and
# torch.bool wherever torch takes a dtype (transformers' chunked attention
# docstring: torch.zeros(1, dtype=int)).
import torch

left_padding = torch.zeros(2, dtype=int)
lengths = torch.tensor([3, 5], dtype=int)
scores = torch.arange(4, dtype=float)
keep = torch.full((2, 4), 1, dtype=bool)
as_float = torch.ones(2, 3).to(float)
as_int = torch.ones(2, 3).to(dtype=int)
as_bool = torch.tensor([0, 2, 0]).to(bool)
chunk = (torch.arange(6) - left_padding[1]) // 3
print(left_padding, lengths, scores, keep, as_float, as_int, as_bool, chunk, sep="\n")
print(left_padding.dtype, scores.dtype, keep.dtype)
