# How tensors of each dtype print: int64, float32, float64, bool, uint8, int32, 0-d.
import torch

print(torch.tensor([1, -20, 300]))
print(torch.tensor([1.0, 2.0, 3.0]))
print(torch.tensor([1.5, -0.25, 3.0]))
print(torch.tensor([0.1, 0.2], dtype=torch.float64))
print(torch.tensor([1.0, 2.0], dtype=torch.float64))
print(torch.tensor([[True, False], [False, True]]))
print(torch.tensor([0, 1, 255], dtype=torch.uint8))
print(torch.tensor([5, 6], dtype=torch.int32))
print(torch.tensor(3))
print(torch.tensor(2.5))
print(torch.tensor(True))
print(torch.tensor(7.0, dtype=torch.float64))
print(torch.tensor([]))
print(torch.zeros(2, 0))
print(torch.tensor([-0.0, 0.0]))
print(torch.tensor([[1.123456, 22.5], [-333.75, 0.001]]))
