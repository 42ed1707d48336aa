# np.frombuffer and torch.frombuffer over a bytearray share its memory (writes go both ways),
# over bytes the array is read-only (torch warns once); memoryview basics: len, indexing,
# slicing (strided too), item assignment, tobytes, tolist, cast, hex.
import numpy as np
import torch

raw = bytearray(b"\x01\x00\x02\x00\x03\x00\x04\x00")
lengths = np.frombuffer(raw, dtype=np.int16)
lengths[0] = 7
raw[2] = 9
after_writes = lengths.copy()
window = np.frombuffer(raw, dtype=np.uint8, offset=2, count=3)
window[0] = 100
frozen = np.frombuffer(b"\x01\x02\x03\x04", dtype=np.uint8)
try:
    frozen[0] = 5
except ValueError as e:
    print("ValueError:", e)
print(raw, after_writes, window)

ids = torch.frombuffer(raw, dtype=torch.uint8)
ids[0] = 55
print(raw, ids)
halves = torch.frombuffer(bytearray(b"\x00\x00\x80\x3f\x00\x00\x00\x40"), dtype=torch.float32)
const = torch.frombuffer(b"\x01\x00\x00\x00\x02\x00\x00\x00", dtype=torch.int32)
again = torch.frombuffer(b"\x05\x00", dtype=torch.int16)
part = torch.frombuffer(bytearray(b"abcd"), dtype=torch.uint8, count=2, offset=1)
keep = torch.frombuffer(bytearray(b"\x00\x01\x01\x00"), dtype=torch.bool)
for call in [lambda: torch.frombuffer(bytearray(b"abc"), dtype=torch.int16),
             lambda: torch.frombuffer(bytearray(b""), dtype=torch.int16),
             lambda: torch.frombuffer(bytearray(4), dtype=torch.uint8, offset=5),
             lambda: torch.frombuffer(bytearray(4), dtype=torch.uint8, count=5),
             lambda: torch.frombuffer([1, 2], dtype=torch.uint8),
             lambda: torch.frombuffer(bytearray(4))]:
    try:
        call()
    except (ValueError, TypeError) as e:
        print(type(e).__name__, e)



def put(target, key, value):
    target[key] = value


view = memoryview(raw)
print(len(view), view[0], view[-1], view[1:3].tobytes(), view[::2].tobytes(), view[1:4].tolist())
shorts = view.cast("h")
print(shorts[1], shorts.tolist(), shorts.itemsize, shorts.format, shorts.nbytes, view.readonly, view.shape, view.hex())
view[1] = 200
shorts[3] = -2
print(raw, bytes(view[:2]), view == bytes(raw))
floats = memoryview(bytearray(b"\x00\x00\x80\x3f")).cast("f")
print(floats[0], memoryview(b"abc").cast("c")[1])
for call in [lambda: view[10], lambda: view["a"], lambda: put(memoryview(b"ab"), 0, 1),
             lambda: put(view, 0, 300), lambda: put(view, 0, 1.5), lambda: shorts.cast("i"),
             lambda: view[:3].cast("h"), lambda: view.cast("x"), lambda: memoryview(5), lambda: view[::2].cast("h")]:
    try:
        call()
    except (IndexError, TypeError, ValueError) as e:
        print(type(e).__name__, e)
frozen[1] = 3
