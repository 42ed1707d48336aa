# gather picks each row's target score; scatter_ builds one-hot rows; scatter_add counts tokens.
import torch

logp = torch.tensor([[-0.1, -2.3, -3.0], [-1.2, -0.4, -2.2], [-0.9, -1.9, -0.7]])
target = torch.tensor([0, 1, 2])
picked = torch.gather(logp, 1, target.unsqueeze(1))
picked2 = logp.gather(dim=1, index=target.view(-1, 1)).squeeze(1)
one_hot = torch.zeros(3, 3).scatter_(1, target.unsqueeze(1), 1.0)
src_hot = torch.zeros(3, 4, dtype=torch.long).scatter(1, torch.tensor([[3], [0], [3]]), torch.ones(3, 1, dtype=torch.long))
counts = torch.zeros(5, dtype=torch.long).scatter_add(0, torch.tensor([1, 3, 1, 1, 4]), torch.ones(5, dtype=torch.long))
print(picked)
print(picked2)
print(one_hot)
print(src_hot)
print(counts)
