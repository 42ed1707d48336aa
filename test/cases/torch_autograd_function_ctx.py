# torch.autograd.Function as a masking op is written (a masked scale that keeps the mask for backward):
# apply runs forward with grad mode off and a ctx that is the <Fn>Backward node, needs_input_grad per
# argument, the output's grad_fn is <Fn>Backward when an input requires grad; forward(*args) with a
# separate setup_context; mark_non_differentiable; a bare FunctionCtx keeps saved tensors in to_save.
import torch
from torch.autograd.function import FunctionCtx


class MaskedScale(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, mask, scale=2.0):
        print("forward:", torch.is_grad_enabled(), ctx.needs_input_grad, type(ctx).__name__)
        ctx.save_for_backward(mask)
        ctx.scale = scale
        out = x.masked_fill(~mask, 0.0) * scale
        print("inside:", out.requires_grad, out.grad_fn)
        return out

    @staticmethod
    def backward(ctx, grad_out):
        (mask,) = ctx.saved_tensors
        return grad_out.masked_fill(~mask, 0.0) * ctx.scale, None, None


class Split(torch.autograd.Function):
    @staticmethod
    def forward(x):
        return x * 2, (x > 0)

    @staticmethod
    def setup_context(ctx, inputs, output):
        ctx.mark_non_differentiable(output[1])

    @staticmethod
    def backward(ctx, g, _):
        return g * 2


x = torch.arange(8.0).view(2, 4).requires_grad_()
mask = torch.tensor([[True, True, False, False], [True, True, True, False]])
y = MaskedScale.apply(x, mask)
print(y)
print(y.requires_grad, y.is_leaf, type(y.grad_fn).__name__, repr(y.grad_fn).split(" at 0x")[0])
y_plain = MaskedScale.apply(x.detach(), mask, 3.0)
print(y_plain, y_plain.grad_fn)
with torch.no_grad():
    y_off = MaskedScale.apply(x, mask, scale=0.5)
print(y_off)
doubled, positive = Split.apply(x - 3)
print(repr(doubled.grad_fn).split(" at 0x")[0], positive.requires_grad, positive.grad_fn)
ctx = FunctionCtx()
ctx.save_for_backward(mask)
saved = ctx.to_save[0]
print(repr(ctx).split(" at 0x")[0], type(ctx), hasattr(ctx, "saved_tensors"))
print(MaskedScale, Split)


class Empty(torch.autograd.Function):
    pass


Empty.apply(x)
