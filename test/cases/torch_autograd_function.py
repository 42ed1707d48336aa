# torch.autograd.Function, forward only (flash-attn's IndexFirstAxis): Fn.apply calls forward with a context
# that records save_for_backward.
import torch
class IndexFirstAxis(torch.autograd.Function):
    @staticmethod
    def forward(ctx, input, indices):
        ctx.save_for_backward(indices)
        ctx.first_axis_dim = input.shape[0]
        return torch.gather(input, 0, indices.unsqueeze(1).expand(-1, input.shape[1]))

index_first_axis = IndexFirstAxis.apply
x = torch.arange(12.0).view(4, 3)
mask = torch.tensor([True, False, True, True])
idx = torch.nonzero(mask.flatten(), as_tuple=False).flatten()
picked = index_first_axis(x, idx)
print(picked)
