# whisper's Conv1d overrides _conv_forward (casting the weight and bias to the
# input's dtype) and nn.Conv1d.forward calls it: the override runs, float64
# input convolves in float64. Also _conv_forward called directly (bias None),
# AudioEncoder's stride-2 conv, and the method's own argument error.
from typing import Optional

import torch
import torch.nn.functional as F
from torch import Tensor, nn


class Conv1d(nn.Conv1d):
    def _conv_forward(
        self, x: Tensor, weight: Tensor, bias: Optional[Tensor]
    ) -> Tensor:
        return super()._conv_forward(
            x, weight.to(x.dtype), None if bias is None else bias.to(x.dtype)
        )


conv1 = Conv1d(3, 4, kernel_size=3, padding=1)
conv2 = Conv1d(4, 4, kernel_size=3, stride=2, padding=1)
mel = torch.randn(2, 3, 6)
x = F.gelu(conv1(mel))
y = F.gelu(conv2(x))
print(y)
mel64 = mel.double()
y64 = conv1(mel64)
print(y64.dtype, y64[0, 0])
plain = nn.Conv1d(3, 2, kernel_size=2)
direct = plain._conv_forward(mel, plain.weight, None)
with_bias = plain._conv_forward(mel, plain.weight, plain.bias)
same = torch.equal(with_bias, plain(mel))
print(direct.shape, same)
try:
    plain._conv_forward(mel, plain.weight)
except TypeError as e:
    print(e)
