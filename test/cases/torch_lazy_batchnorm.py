# nn.LazyBatchNorm1d/2d as d2l.ai's Transformer notebook compares layer and batch norm:
# num_features from the first input, the module becomes BatchNorm1d/2d (repr,
# isinstance, parameters, buffers), momentum=None, affine=False, no running stats.
import torch
from torch import nn
bn = nn.LazyBatchNorm1d()
print(bn, type(bn).__name__)
X = torch.tensor([[1, 2], [2, 3]], dtype=torch.float32)
ln = nn.LayerNorm(2)
print('layer norm:', ln(X), '\nbatch norm:', bn(X))
print(bn, type(bn).__name__, bn.running_mean, bn.num_batches_tracked, bn.weight)
print(isinstance(bn, nn.BatchNorm1d), [n for n, _ in bn.named_parameters()], [n for n, _ in bn.named_buffers()])
b2 = nn.LazyBatchNorm2d(momentum=None, affine=False)
print(b2)
print(b2(torch.arange(24.).reshape(2, 3, 2, 2))[0, 0], b2, b2.running_var)
b3 = nn.LazyBatchNorm1d(track_running_stats=False)
print(b3(torch.ones(2, 3, 4)).shape, b3)
b4 = nn.LazyBatchNorm1d()
b4.eval()
try:
    b4(torch.ones(2, 3, 4, 5))
except ValueError as e:
    print('ValueError', e)
print(b4)
try:
    nn.LazyBatchNorm1d()(torch.ones(3))
except IndexError as e:
    print('IndexError', e)
