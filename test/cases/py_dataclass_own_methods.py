# A @dataclass whose body defines __init__ / __repr__ / __eq__ keeps them
# (transformers' AttentionMaskConverter is such a class); dataclasses only
# adds the methods the class lacks.
from dataclasses import dataclass
from typing import Optional

import torch


@dataclass
class AttentionMaskConverter:
    is_causal: bool
    sliding_window: int

    def __init__(self, is_causal: bool, sliding_window: Optional[int] = None):
        self.is_causal = is_causal
        self.sliding_window = sliding_window

    def to_causal(self, n: int) -> torch.Tensor:
        mask = torch.full((n, n), torch.finfo(torch.float32).min)
        cond = torch.arange(n)
        mask.masked_fill_(cond < (cond + 1).view(n, 1), 0)
        if self.sliding_window is not None:
            window = torch.tril(torch.ones_like(mask, dtype=torch.bool), diagonal=-self.sliding_window - 1)
            mask.masked_fill_(window, torch.finfo(torch.float32).min)
        return mask


@dataclass
class Named:
    name: str

    def __repr__(self):
        return f"<Named {self.name}>"

    def __eq__(self, other):
        return "custom eq"


converter = AttentionMaskConverter(True)
window_converter = AttentionMaskConverter(True, sliding_window=2)
converter_repr = repr(window_converter)
causal = converter.to_causal(4)
window = window_converter.to_causal(5)
named_repr = repr(Named("x"))
named_eq = Named("x") == Named("y")
match_args = AttentionMaskConverter.__match_args__
print(converter, causal, window, sep="\n")


@dataclass(order=True)
class Ordered:
    x: int

    def __lt__(self, other):
        return True
