# float32 conv1d to the last bit (values printed as Python floats): the slow path (one sample,
# small input: im2col + MKL's gemm, bias added last), oneDNN's direct kernel (a batch, up to
# 16 channels: taps outer, channels inner, bias last; more channels: bias, then each block of
# 16 channels' partial sum) and its 1x1 kernel (bias first).
import torch
import torch.nn.functional as F

torch.manual_seed(0)
slow = torch.nn.Conv1d(4, 3, 3, padding=1)
slow_in = torch.randn(1, 4, 12) * 3
slow_out = slow(slow_in)
direct = torch.nn.Conv1d(6, 4, 5, padding=2, dilation=1)
direct_in = torch.randn(3, 6, 10) * 3
direct_out = direct(direct_in)
strided_out = F.conv1d(direct_in, direct.weight, direct.bias, stride=2)
pointwise = torch.nn.Conv1d(8, 5, 1)
pointwise_in = torch.randn(2, 8, 7) * 3
pointwise_out = pointwise(pointwise_in)
unbatched_out = slow(slow_in[0])
wide = torch.nn.Conv1d(40, 3, 3, padding=1)
wide_out = wide(torch.randn(2, 40, 9) * 3)
print(slow_out[0, :, :4].tolist())
print(direct_out[1, :, :4].tolist())
print(strided_out[2].tolist())
print(pointwise_out[1, :, :3].tolist())
print(torch.equal(unbatched_out, slow_out[0]))
print(wide_out[1, :, :4].tolist())
