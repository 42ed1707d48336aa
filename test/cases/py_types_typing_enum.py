# Built-in types as values, zero-argument super() in methods, nested
# functions, classmethods and comprehensions, dunder protocols on user
# classes, enum and typing at runtime, in a mask-building module.
import enum
from typing import Generic, List, Optional, Protocol, TypeVar, TYPE_CHECKING, Union, cast, overload, Literal
import collections.abc
import torch

if TYPE_CHECKING:
    from transformers import PreTrainedModel

T = TypeVar("T")

def as_list(x):
    if isinstance(x, (list, tuple)):
        return list(x)
    if type(x) is int:
        return [x]
    if isinstance(x, torch.Tensor):
        return x.tolist()
    raise TypeError(f"unsupported {type(x).__name__}")

print(as_list((1, 2)), as_list(3), as_list(torch.tensor([4, 5])))
print(isinstance(True, int), type(True) is int, type(2.5) == float, isinstance("s", collections.abc.Sequence))
print(type([]).__name__, int("7") + 1, list.__name__, str(dict))

class MaskKind(enum.Enum):
    PADDING = "padding"
    CAUSAL = "causal"
    COMBINED = "combined"

class Level(enum.IntEnum):
    LOW = 1
    HIGH = 2

print(MaskKind.CAUSAL, repr(MaskKind.PADDING), MaskKind("causal") is MaskKind.CAUSAL, MaskKind["PADDING"].value)
print([k.name for k in MaskKind], len(MaskKind), Level.HIGH + 1, Level(1).name)

class Base:
    def __init__(self, n):
        self.n = n

    def mask(self):
        return torch.ones(self.n, dtype=torch.bool)

    @classmethod
    def create(cls, n):
        return cls(n)

class Causal(Base):
    def __init__(self, n, diagonal=0):
        super().__init__(n)
        self.diagonal = diagonal

    def mask(self):
        base = super().mask()
        rows = [base & (torch.arange(self.n) <= i + self.diagonal) for i in range(self.n)]
        return torch.stack(rows)

    @classmethod
    def create(cls, n):
        obj = super().create(n)
        obj.diagonal = 0
        return obj

    def helper(self):
        def inner():
            return super(Causal, self).mask().sum().item()
        return inner()

c = Causal.create(3)
causal = c.mask()
print(type(c).__name__, c.helper(), isinstance(c, Base))

class MaskBank(Generic[T]):
    def __init__(self, masks: List[T]):
        self.masks = masks
    def __len__(self):
        return len(self.masks)
    def __getitem__(self, i):
        return self.masks[i]
    def __iter__(self):
        return iter(self.masks)
    def __contains__(self, m):
        return any(m is x for x in self.masks)
    def __call__(self, i: int) -> Optional[T]:
        return self.masks[i] if i < len(self) else None

bank = MaskBank[torch.Tensor]([causal, ~causal])
first = bank[0]
inverted = bank(1)
print(len(bank), bank(5), causal in bank, [m.sum().item() for m in bank])

class Sized(Protocol):
    def __len__(self) -> int: ...

@overload
def count(x: int) -> int: ...
@overload
def count(x: str) -> int: ...
def count(x: Union[int, str]) -> int:
    return cast(int, len(str(x)))

print(count(12345), count("ab"), Optional[int], Literal["a"])
mode: Literal["train", "eval"] = "eval"
