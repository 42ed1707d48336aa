# x[index] = value drops the value's leading size-1 dims first (ATen's slicePrefix1sSize),
# through a basic or an advanced index; what is left must broadcast.
import torch

t = torch.zeros(2, 3)
t[0] = torch.ones(1, 3)
t[:, 1] = torch.ones(1, 1, 2) * 2
t[[0, 1], [2, 2]] = torch.full((1, 2), 5.0)
keep = torch.tensor([[True, False, False], [False, False, True]])
t[keep] = torch.tensor([[7.0, 8.0]])
print(t)
for value in [torch.ones(1, 4), torch.ones(2, 3), torch.ones(4)]:
    try:
        t[0] = value
    except RuntimeError as e:
        print(e)
