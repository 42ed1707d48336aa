# bytes / bytearray as far as a buffer for numpy.frombuffer needs (constructors, repr, indexing,
# comparison, hashing, errors), numpy.frombuffer's dtype/count/offset and errors, and ndarray.tobytes.
b = bytes([1, 2, 3, 4])
print(b, len(b), b[0], b[-1], b[1:3], type(b), list(b))
ba = bytearray(b"\x01\x00\x02\x00")
ba[1] = 7
print(ba, ba[::2], bytearray(3), bytes(2))
print(repr(b"it's"), repr(b'"\''), repr(bytes(range(0, 256, 37))), repr(bytearray(b'\n\t\\')), str(b'x'))
print(b"ab" == b"ab", b"ab" == "ab", b"ab" == bytearray(b"ab"), b"a" < b"b", b"ab" + b"c", b"ab" * 2, 2 in b"\x02", b"bc" in b"abc")
print({b"k": 1, "k": 2}, b"abc".decode(), b"\xff".hex(), bytes("hé", "utf-8"), bool(b""), isinstance(b, bytes), isinstance(ba, bytearray))
for f in [lambda: bytes(-1), lambda: bytes('ab'), lambda: bytes([256]), lambda: bytes([1.5]), lambda: bytearray('x'), lambda: bytearray([300]), lambda: b'ab'[5], lambda: bytearray(b'a')[3], lambda: 'a' in b'abc', lambda: 300 in b'a', lambda: b'a' + 'b', lambda: hash(bytearray(b'a')), lambda: bytes(3.5), lambda: bytes('é', 'ascii'), lambda: {bytearray(b'a'): 1}]:
    try:
        print(repr(f()))
    except Exception as e:
        print(type(e).__name__, e)
import numpy as np
buf = bytes([1, 0, 2, 0, 255, 255, 0, 128])
print(np.frombuffer(buf, dtype=np.uint8))
print(np.frombuffer(buf, dtype=np.int16))
print(np.frombuffer(buf, dtype=np.int16, count=2, offset=2))
print(np.frombuffer(buf, dtype=np.float16))
print(np.frombuffer(buf, dtype=np.int32), np.frombuffer(buf, dtype=np.int64), np.frombuffer(buf))
print(np.frombuffer(bytearray(8)), np.frombuffer(b"", dtype=np.uint8), np.frombuffer(buf, dtype=np.uint8, offset=8))
print(np.frombuffer(b"\x00\x01\x02", dtype=bool), np.frombuffer(buf, dtype="int8"))
x = np.arange(6, dtype=np.float32).reshape(2, 3)
raw = x.tobytes()
print(len(raw), raw[:8])
print(np.frombuffer(raw, dtype=np.float32).reshape(2, 3))
print(np.frombuffer(x.T.tobytes(), dtype=np.float32))
h = np.array([0.1, -2.5, 65504.0, 6e-8, np.inf], dtype=np.float16)
print(np.frombuffer(h.tobytes(), dtype=np.float16), h.tobytes().hex())
big = np.array([2**62 + 1, -3], dtype=np.int64)
print(np.frombuffer(big.tobytes(), dtype=np.int64))
tokens = np.frombuffer(np.array([5, 6, 0, 0], dtype=np.int32).tobytes(), dtype=np.int32)
pad_mask = tokens == 0
print(pad_mask)
for f in [lambda: np.frombuffer(b"\x01\x02\x03", dtype=np.int16), lambda: np.frombuffer(b"\x01\x02", offset=3),
          lambda: np.frombuffer(buf, dtype=np.uint8, count=9), lambda: np.frombuffer(buf, dtype=np.uint8, offset=-1),
          lambda: np.frombuffer("abc"), lambda: np.frombuffer(buf, dtype=np.uint8, count=-2)]:
    try:
        print(repr(f()))
    except Exception as e:
        print(type(e).__name__, e)
print(np.frombuffer(np.arange(3, dtype=np.int16), dtype=np.uint8))
encoded = "hé".encode()
print(encoded, "a".encode("ascii"), "b".encode(encoding="latin-1"))
try:
    "é".encode("ascii")
except UnicodeEncodeError as e:
    print(e)
# an array over bytes is read-only (writeable=False), through every view; a copy, an array over a bytearray, np.array of it are not
a = np.frombuffer(b'\x03\x01\x02\x00', dtype=np.uint8)
def setitem(): a[0] = 5
def iadd():
    global a
    a += 1
def view_setitem():
    v = a[1:]
    v[0] = 1
def reshape_setitem():
    a.reshape(2, 2)[0, 0] = 1
def t_setitem():
    a.T[0] = 1
for name, f in [("setitem", setitem), ("iadd", iadd), ("sort", lambda: a.sort()), ("view setitem", view_setitem), ("reshape setitem", reshape_setitem), ("T", t_setitem)]:
    try:
        f()
        print(name, "ok")
    except Exception as e:
        print(name, type(e).__name__, e)
b = a.copy()
b[0] = 9
b += 1
print(a, b, a + 1, np.array(a))
c = np.frombuffer(bytearray(b'\x01\x02'), dtype=np.uint8)
c[0] = 7
print(c)
d = np.array(a)
d[0] = 4
print(d)
# json.loads takes bytes and bytearray (decoded as UTF-8)
import json
print(json.loads(b'{"a": [1, 2], "b": "\xc3\xa9"}'), json.loads(bytearray(b"[3]")))
# bytes keep the common str-like methods (bytes literals were str before they were bytes)
print(b'a,b'.split(b','), b' x '.strip(), b'abc'.startswith(b'a'), b'abc'.endswith((b'c', b'x')), b'abc'.find(b'c'), b'aab'.count(b'a'), b'ab'.replace(b'a', b'x'), b'ab'.upper(), b'a b'.split(), bytearray(b'Ab').lower(), b'abc'.find(98))
for f in [lambda: b'abc'.startswith('a'), lambda: b'abc'.split(','), lambda: b'abc'.find('a')]:
    try:
        f()
    except TypeError as e:
        print(e)
# str(bytes, encoding) decodes
print(str(b'ab', 'utf-8'), str(b'x', encoding='ascii'), str(b'ab'))
try:
    str('a', 'utf-8')
except TypeError as e:
    print(e)
try:
    str(3, 'utf-8')
except TypeError as e:
    print(e)
