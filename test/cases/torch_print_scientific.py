# Printing float tensors with a wide range of magnitudes, -1e9 fills, inf and nan.
import torch

print(torch.tensor([1e-5, 1.0, 1000.0]))
print(torch.tensor([1e10, 1.0]))
print(torch.tensor([[0.0, -1e9], [-1e9, 0.0]]))
print(torch.tensor([1.0, float('inf'), float('-inf'), float('nan')]))
print(torch.tensor([0.0001, 0.0002]))
print(torch.tensor([123456.0, 0.5]))
print(torch.tensor([float('nan'), float('nan')]))
print(torch.tensor([1e-8, 2e-8], dtype=torch.float64))
print(torch.tensor(-1e9))
print(torch.tensor([1, 2]) * 1e20)
