# Tensor.round(decimals=...) (ATen round.decimals): nearbyint(x·10^d)/10^d in the tensor's
# float type, RoundBackward1; integer tensors refuse decimals; round_/floor_/ceil_/trunc_ in place.
import torch
x = torch.tensor([0.12345, -1.98765, 2.5, 0.0005, 0.125], requires_grad=True)
print(x.round(decimals=0).grad_fn.name(), x.round().grad_fn.name(), torch.round(x, decimals=2).grad_fn.name())
print(x.detach().round(decimals=2), x.detach().double().round(decimals=2))
for t in [torch.tensor([15, 25]), torch.tensor([True])]:
    try:
        print(t.round(decimals=1), t.round(decimals=-1))
    except NotImplementedError as e:
        print(type(e).__name__, e)
y = x.detach().clone()
y.round_(decimals=1)
print(y)
print(torch.tensor([1234.5, 1250.0, 1350.0]).round(decimals=-2))
print(torch.tensor([15, 25]).round(), torch.round(torch.tensor([0.5, 1.5, 2.5])))
z = torch.tensor([1.5, -2.5, 0.7])
z.floor_()
w = torch.tensor([1.5, -2.5, 0.7])
w.ceil_()
v = torch.tensor([1.5, -2.5, 0.7])
v.trunc_()
u = torch.tensor([1.5, -2.5, 0.7])
u.round_()
print(z, w, v, u)
n = torch.tensor([3, -4])
n.floor_()
print(n)
