# Type identity: NumPy's scalar types are classes (type(np.bool_(True)) is np.bool_, printed
# <class 'numpy.bool'>), distinct from dtype objects but equal to them; np.float64 subclasses
# float; isinstance with np.ndarray / np.floating / np.integer; np.issubdtype; type(t) is
# torch.Tensor; and PyTorch rejecting NumPy dtypes with its TypeError.
import numpy as np
import torch

mask = np.array([True, False, True])
x = np.ones(3, dtype=np.float32)
t = torch.ones(2)
flag = np.bool_(True)
print(type(flag), type(flag) is np.bool_, np.bool_ is np.bool, type(mask) is np.ndarray, type(mask))
print(type(np.float64(2)), type(x[0]) is np.float32, np.float32, type(np.float32))
print(x.dtype, repr(x.dtype), x.dtype == np.float32, np.float32 == x.dtype, x.dtype == 'float32', np.float32 == 'float32', x.dtype is np.float32, x.dtype.type is np.float32)
print(np.dtype('float32'), repr(np.dtype(np.int64)), np.dtype(float), x.dtype.name, x.dtype.itemsize, x.dtype.kind, np.float32.__name__)
print(isinstance(np.float64(1), float), isinstance(np.float32(1), float), isinstance(np.int64(1), int), isinstance(np.float32(1), np.floating))
print(isinstance(np.int8(1), np.integer), isinstance(np.float32(1), np.ndarray), isinstance(mask, np.ndarray), isinstance(mask[0], np.generic))
print(np.issubdtype(x.dtype, np.floating), np.issubdtype(np.int32, np.integer), np.issubdtype('int64', np.signedinteger), np.issubdtype(np.uint8, np.signedinteger), np.issubdtype(mask.dtype, np.number))
is_tensor = type(t) is torch.Tensor
print(type(t), is_tensor, isinstance(t, torch.Tensor), type(t.numpy()) is np.ndarray, type(mask) is torch.Tensor)
names = {np.float32: 'f4', np.int64: 'i8'}
print(names[x.dtype.type], x.dtype in (np.float32, np.float64))
bad_calls = [
    lambda: torch.zeros(2, dtype=np.float32),
    lambda: torch.zeros(2, dtype=np.dtype('float32')),
    lambda: torch.tensor([1], dtype=np.int64),
    lambda: torch.full((2,), 1, dtype=np.bool_),
    lambda: torch.ones(2).to(np.float32),
    lambda: torch.ones(2).to(dtype=np.float32),
    lambda: torch.ones(2).type(np.float32),
    lambda: torch.arange(3, dtype=np.float32),
    lambda: torch.zeros(2, dtype='float32'),
]
for call in bad_calls:
    try:
        call()
    except Exception as e:
        print(type(e).__name__, e)
ok = torch.zeros(2, dtype=float), torch.ones(2).to(torch.float16), torch.from_numpy(x).dtype
t = torch.zeros(2, dtype=np.float32)
