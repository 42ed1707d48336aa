# Generators and control flow building masks: yield, yield from, send, lazy
# generator expressions (any/all/sum over an infinite generator), walrus,
# global/nonlocal, try/except/else/finally and raise ... from.
import itertools
import torch

def lengths_stream(batch):
    for seq in batch:
        n = yield len(seq)
        if n is not None:
            print("sent", n)
    return "exhausted"

def all_lengths(batches):
    total = yield from lengths_stream(batches[0])
    print("sub-generator returned", total)
    for b in batches[1:]:
        yield from (len(s) for s in b)

batches = [[[1, 2, 3], [4]], [[5, 6], [7, 8, 9, 10]]]
lengths = list(all_lengths(batches))
print(lengths)
g = lengths_stream([[1], [2, 3]])
print(next(g), g.send(7))
try:
    next(g)
except StopIteration as e:
    print("stop value:", e.value)

def count_up():
    i = 0
    while True:
        yield i
        i += 1

positions = torch.tensor([i for i, _ in zip(count_up(), range(5))])
first_big = next(i for i in count_up() if i * i > 10)
has_even = any(i % 2 == 0 for i in count_up())
print(positions, first_big, has_even, sum(x for x in range(4)))

max_len = max(len(s) for b in batches for s in b)
pad_mask = torch.tensor([[j < n for j in range(max_len)] for n in lengths])

calls = 0
def bump():
    global calls
    calls += 1

def make_counter():
    n = 0
    def inc():
        nonlocal n
        n += 1
        return n
    return inc

c = make_counter()
c(); c()
bump(); bump(); bump()
print(calls, c())

if (n_masked := int((~pad_mask).sum())) > 3:
    print("masked:", n_masked)
window = [(w := k * 2) for k in range(3)]
print(window, w)

def checked(mask):
    try:
        if mask.dtype != torch.bool:
            raise TypeError("mask must be bool")
    except TypeError as e:
        raise ValueError("bad mask") from e
    else:
        print("mask ok")
    finally:
        print("checked")
    return mask

ok = checked(pad_mask)
try:
    checked(pad_mask.int())
except ValueError as e:
    print(repr(e), repr(e.__cause__))

for i in itertools.count(1):
    if i > 2:
        break
else:
    print("never")
print(list(itertools.islice(count_up(), 3)))
