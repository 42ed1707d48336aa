# .item() and .tolist() turn tensors into Python numbers and nested lists.
import torch

loss = torch.tensor(0.3)
v = loss.item()
n = torch.tensor([2, 3]).sum().item()
flag = torch.tensor([True, False]).any().item()
nested = torch.tensor([[1, 0], [0, 1]]).tolist()
floats = torch.tensor([0.1, 0.5]).tolist()
bools = torch.tensor([True, False]).tolist()
scalar_list = torch.tensor(4.0).tolist()
print(v, type(v).__name__)
print(n, type(n).__name__, flag)
print(nested, floats, bools, scalar_list)
print(round(v, 4), v * 2, int(torch.tensor(3.9)), float(torch.tensor(2)))
