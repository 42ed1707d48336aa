# NumPy 2 scalars: repr is np.int64(6) / np.float32(0.5) / np.True_ (NumPy 1.x printed 6, 0.5, True); str and print are unchanged.
import numpy as np
import torch
a = np.array([1, 2, 3])
s = a.sum()
print(repr(s), [s, a.max()], (np.float32(0.5),), {"n": np.int64(3)})
print(repr(np.float64(1.5)), repr(np.bool_(True)), [np.float32(0.1)])
print(a.mean(), repr(a.mean()), str(a.dtype), a.dtype)
t = torch.tensor([1.0, 2.0])
print([t.sum().item()], t.numpy().sum(), repr(t.numpy().sum()))
m = np.array([True, False])
print(repr(m.any()), m.sum(), type(m.sum()).__name__)
print(np.triu(np.ones((2, 2))).tolist(), repr(np.int32(7) + 1), repr(np.uint8(250) + np.uint8(10)))
print(repr(np.float32(3.0) * 2), repr(np.array(2.5) * 2))
print(s, a.mean(), np.float32(0.1), np.bool_(False), f"{s!r} {a.mean():.2f} {np.float64(1e-05)!r}")
scalars = [s, a.mean(), np.float32(0.5), np.array(2.5) * 2, m.any()]
