# A padding mask in NumPy from lengths, summed and expanded, then moved to torch.
import numpy as np
import torch

lengths = np.array([3, 1, 2])
max_len = lengths.max()
mask = np.arange(max_len) < lengths[:, None]
mask_f = mask.astype(np.float32)
per_row = mask.sum(axis=1)
expanded = np.expand_dims(mask_f, -1)
both = np.concatenate([mask_f, np.zeros((3, 1), dtype=np.float32)], axis=1)
tm = torch.from_numpy(mask)
tf_ = torch.tensor(mask_f)
print(mask)
print(mask_f)
print(per_row, expanded.shape, both.shape)
print(both)
print(tm, tf_)
