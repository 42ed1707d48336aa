# Tensor.numpy() in a file that never imports numpy (torch imports it
# itself): the array, its dtype and its sum.
import torch

lengths = torch.tensor([3, 1, 2])
mask = torch.arange(4)[None, :] < lengths[:, None]
arr = mask.numpy()
kind = str(arr.dtype)
count = int(arr.sum())
as_list = lengths.numpy().tolist()
print(type(arr).__name__, kind, count)
