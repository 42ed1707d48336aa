# Decorators with and without arguments and context managers around mask
# code: @torch.no_grad / @torch.no_grad() / @torch.inference_mode(),
# property with setter, classmethod, staticmethod, functools.wraps and
# lru_cache, contextlib.contextmanager, __enter__/__exit__ suppression.
import contextlib
import functools
import torch

@torch.no_grad()
def build_mask(lengths, max_len):
    return torch.arange(max_len)[None, :] < lengths[:, None]

@torch.no_grad
def scores_of(q, k):
    return q @ k.transpose(-2, -1)

@torch.inference_mode()
def masked_scores(scores, mask):
    return scores.masked_fill(~mask, float("-inf"))

w = torch.ones(2, 3, requires_grad=True)
mask = build_mask(torch.tensor([3, 1]), 3)
s = scores_of(w, w)
print(s.requires_grad, torch.is_grad_enabled())
with torch.no_grad():
    inner = w * 2
print(inner.requires_grad, (w * 2).requires_grad)

def traced(fn):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        print("calling", fn.__name__)
        return fn(*args, **kwargs)
    return wrapper

def scaled(factor):
    def deco(fn):
        @functools.wraps(fn)
        def wrapper(x):
            return fn(x) * factor
        return wrapper
    return deco

@traced
@scaled(2)
def as_float(m):
    """mask to float"""
    return m.float()

print(as_float.__name__, as_float.__doc__, as_float.__wrapped__.__name__)
fmask = as_float(mask)

@functools.lru_cache(maxsize=None)
def causal(n):
    print("building", n)
    return torch.tril(torch.ones(n, n, dtype=torch.bool))

c4 = causal(4)
c4_again = causal(4)
print(c4 is c4_again, causal.cache_info())

class Masker:
    fill = -1e9

    def __init__(self, pad_id):
        self._pad_id = pad_id

    @property
    def pad_id(self):
        return self._pad_id

    @pad_id.setter
    def pad_id(self, value):
        if value < 0:
            raise ValueError("pad_id must be >= 0")
        self._pad_id = value

    @classmethod
    def default(cls):
        return cls(0)

    @staticmethod
    def invert(m):
        return ~m

    def __call__(self, ids):
        return ids != self.pad_id

m = Masker.default()
m.pad_id = 2
ids = torch.tensor([[1, 2, 2], [3, 4, 2]])
keep = m(ids)
drop = Masker.invert(keep)
try:
    m.pad_id = -1
except ValueError as e:
    print(e)

@contextlib.contextmanager
def fill_value(v):
    old = Masker.fill
    Masker.fill = v
    try:
        yield v
    finally:
        Masker.fill = old

with fill_value(-1e4) as fv:
    filled = torch.zeros(2, 3).masked_fill(drop, Masker.fill)
print(fv, Masker.fill)

class Ignore:
    def __enter__(self):
        return self
    def __exit__(self, exc_type, exc, tb):
        print("exit with", exc_type.__name__ if exc_type else None)
        return exc_type is KeyError

with Ignore():
    {}["missing"]
print("after suppressed KeyError")
with contextlib.suppress(IndexError):
    [][0]
