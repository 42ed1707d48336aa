# A notebook's first cell: `torch.manual_seed(3407)` shows its result, torch.default_generator (the
# global generator, whose manual_seed reseeds what torch.rand draws from), a torch._C.Generator.
import torch
g = torch.manual_seed(3407)
print(type(g), g is torch.default_generator, g.initial_seed(), repr(g).startswith('<torch._C.Generator object at 0x'))
a = torch.randn(3)
torch.default_generator.manual_seed(3407)
print(torch.equal(a, torch.randn(3)))
g.manual_seed(7)
c = torch.rand(2)
torch.manual_seed(7)
print(torch.equal(c, torch.rand(2)), torch.rand(2, generator=g), type(torch.Generator()))
