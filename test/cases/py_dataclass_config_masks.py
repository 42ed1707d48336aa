# A model config as a dataclass (defaults, field(default_factory=...),
# __post_init__, frozen, generated __init__/__repr__/__eq__, asdict/replace)
# driving a causal + padding mask, as nanoGPT/llama-style files do.
from dataclasses import dataclass, field, asdict, replace, fields
from typing import List, Optional
import torch

@dataclass
class ModelArgs:
    dim: int = 8
    n_heads: int = 2
    max_seq_len: int = 4
    pad_id: int = 0
    dropout: Optional[float] = None
    special: List[int] = field(default_factory=list)

    def __post_init__(self):
        self.head_dim = self.dim // self.n_heads

@dataclass(frozen=True)
class MaskSpec:
    causal: bool
    window: int = 0

args = ModelArgs(max_seq_len=5, special=[1, 2])
print(args)
print(args.head_dim, asdict(args))
print(args == ModelArgs(max_seq_len=5, special=[1, 2]), args == replace(args, n_heads=4))
print([f.name for f in fields(ModelArgs)])

tokens = torch.tensor([[5, 6, 7, 0, 0], [8, 9, 0, 0, 0]])
spec = MaskSpec(causal=True, window=2)
print(spec)
causal = torch.tril(torch.ones(args.max_seq_len, args.max_seq_len, dtype=torch.bool))
if spec.window:
    causal = causal & ~torch.tril(torch.ones_like(causal), diagonal=-spec.window)
padding = tokens != args.pad_id
combined = causal[None, :, :] & padding[:, None, :]

try:
    spec.window = 3
except Exception as e:
    print(type(e).__name__, e)
try:
    ModelArgs(1, 2, 3, 4, 5, [], 7)
except TypeError as e:
    print(e)
try:
    MaskSpec()
except TypeError as e:
    print(e)
