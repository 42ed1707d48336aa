# int64 values past 2^53 (exact in PyTorch, not in a double): --json writes
# their exact digits, as golden.py does; `n` is a Python int past 2^53.
import torch

ids = torch.tensor([[2**53 + 1, 5], [2**62 + 3, -2**63]])
hashed = ids * 3 + 1
n = 2**53 + 1
big = torch.tensor([n, n + 2]).sum()
