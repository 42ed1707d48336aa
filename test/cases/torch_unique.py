# torch.unique / Tensor.unique over all elements: sorted distinct values (NaNs each their own, -0.0 = 0.0),
# return_inverse and return_counts, as label-counting code around masks uses them.
import torch
t = torch.tensor([3, 1, 3, 2, 1, 5])
print(torch.unique(t), torch.unique(t, sorted=False, return_inverse=True, return_counts=True))
vals, inv = t.unique(return_inverse=True)
print(vals, inv)
print(torch.unique(torch.tensor([[1.5, float('nan')], [1.5, float('nan')]])))
print(torch.unique(torch.tensor([True, False, True]), return_counts=True))
print(torch.unique(torch.tensor([-0.0, 0.0, 1.0])))
print(torch.unique(torch.tensor([], dtype=torch.long), return_counts=True))
x = torch.randn(4, requires_grad=True)
print(torch.unique(x).requires_grad, torch.unique(x).grad_fn.name())
print(torch.unique(torch.tensor(3)))
labels = torch.tensor([[2, 7, -100, -100], [7, 7, 2, -100]])
classes, counts = torch.unique(labels[labels != -100], return_counts=True)
print(classes, counts)
_, inverse = torch.unique(torch.tensor([[4, 9], [9, 4]]), return_inverse=True)
print(inverse)
