# Conv2d as model files use it: x-transformers' talking heads (1x1, bias=False, dirac_ init: the identity), a
# padded 3x3, a ViT-style patch embedding (stride = kernel), padding='same' with dilation and groups, F.conv2d,
# with nn.Conv2d's init draws, reprs and ATen's errors. (Values are summed in double, printed rows avoid ties.)
import torch
import torch.nn as nn
import torch.nn.functional as F
torch.manual_seed(0)
heads = 4
talk = nn.Conv2d(heads, heads, 1, bias=False)
nn.init.dirac_(talk.weight)
print(talk, talk.weight[:, :, 0, 0])
sim = torch.randn(2, heads, 3, 5)
print(torch.equal(talk(sim), sim))
conv = nn.Conv2d(3, 4, 3, padding=1)
print(conv, conv.weight.shape, conv.bias)
img = torch.randn(2, 3, 5, 6)
out = conv(img)
print(out.shape, out[1, 2], out.grad_fn.name())
patch = nn.Conv2d(3, 8, kernel_size=(2, 3), stride=(2, 3), bias=False)
print(patch, patch(img).shape, patch(img)[1, :, 0, 0])
g = nn.Conv2d(4, 4, 3, padding='same', dilation=2, groups=2)
print(g, g(torch.randn(1, 4, 5, 5))[0, 1])
print(F.conv2d(img, torch.randn(2, 3, 3, 3), stride=2).shape, F.conv2d(img[0], torch.ones(1, 3, 1, 1)))
for bad in [lambda: conv(torch.randn(2, 5, 5, 5)), lambda: conv(torch.randn(5, 5)), lambda: nn.Conv2d(3, 4, 3, stride=2, padding='same'), lambda: F.conv2d(torch.randn(1, 1, 2, 2), torch.randn(1, 1, 3, 3))]:
    try:
        bad()
    except (RuntimeError, ValueError) as e:
        print(type(e).__name__, e)
w = torch.empty(6, 2, 3, 3)
nn.init.dirac_(w, groups=2)
print(w.sum(), w[3, 0, 1, 1], w[4, 1, 1, 1])
