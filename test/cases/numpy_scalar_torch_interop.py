# NumPy scalars meeting torch tensors (whisper's sinusoids:
# np.log(10000) / 3 * torch.arange(n)): the tensor's operator takes the
# scalar as a Python number (weak in promotion) and the result is a tensor;
# an ndarray on the left of a tensor is a TypeError; ufuncs of scalars stay
# NumPy scalars; type() names and isinstance(x, np.ndarray).
import torch
import numpy as np

log_timescale_increment = np.log(10000) / (8 // 2 - 1)
inv_timescales = torch.exp(-log_timescale_increment * torch.arange(8 // 2))
scaled_time = torch.arange(6)[:, np.newaxis] * inv_timescales[np.newaxis, :]
pos = torch.cat([torch.sin(scaled_time), torch.cos(scaled_time)], dim=1)
left = np.float64(1.5) * torch.arange(4)
right = torch.arange(4) * np.float64(1.5)
half = np.float32(2) + torch.ones(2, dtype=torch.float16)
int_scalar = np.int64(3) * torch.ones(2)
tensor_ndarray = torch.ones(2) * np.ones(2)
below = np.float64(0.5) < torch.ones(2)
neg = -np.float64(2.0)
print(type(log_timescale_increment), type(neg), type(left), type(np.ones(2)))
print(isinstance(np.ones(2), np.ndarray), isinstance(np.float64(2), np.ndarray), isinstance(left, np.ndarray))
print(pos, left, right, half, int_scalar, tensor_ndarray, below, sep="\n")
bad = np.ones(2) * torch.ones(2)
