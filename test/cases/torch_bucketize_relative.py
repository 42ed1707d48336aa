# torch.bucketize as relative-position code buckets distances (the b1
# battery's rel.abs() into [0, 1, 2]): lower/upper bound, out_int32, NaN
# past the end, a Python number, mixed int/float, the 1-D boundaries rule.
import torch

T = 4
r = torch.arange(T)
rel = r[None, :] - r[:, None]
buckets = torch.bucketize(rel.abs(), torch.tensor([0, 1, 2]))
upper = torch.bucketize(rel, torch.tensor([-1, 0, 1]), right=True)
small = torch.bucketize(rel.abs(), torch.tensor([0, 1, 2]), out_int32=True)
floats = torch.bucketize(torch.tensor([0.5, float("nan"), 2.0, -float("inf")]), torch.tensor([0.0, 1.0, 2.0]))
scalar = torch.bucketize(3, torch.tensor([0, 1, 2]))
mixed = torch.bucketize(torch.tensor([1, 2]), torch.tensor([0.5, 1.5]))
print(buckets, upper, small.dtype, floats, scalar, mixed)
torch.bucketize(rel, torch.tensor([[0, 1]]))
