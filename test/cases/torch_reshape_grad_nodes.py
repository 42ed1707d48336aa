# The node Tensor.reshape records: a view of a contiguous tensor (ViewBackward0), a view through other strides
# (ReshapeAliasBackward0: einops' repeat of a learned attention sink, an expanded parameter), or a copy
# (UnsafeViewBackward0: a transposed weight flattened).
import torch
from einops import repeat, rearrange
from torch.nn import Parameter
p = Parameter(torch.zeros(4))
sink = repeat(p, 'h -> b h i 1', b=2, i=3)
e = p.reshape(1, 4, 1).expand(2, 4, 3)
t = torch.randn(3, 4, requires_grad=True).t()
print(sink.grad_fn.name(), rearrange(p, 'h -> h 1').grad_fn.name(), p.reshape(2, 2).grad_fn.name())
print(e.reshape(2, 4, 3).grad_fn.name(), t.reshape(4, 3).grad_fn.name(), t.reshape(12).grad_fn.name(), t.flatten().grad_fn.name())
print(sink.shape, t.reshape(12).is_contiguous())
