# F.interpolate in its default 'nearest' mode as DETR resizes its padding mask to
# the backbone's feature map (F.interpolate(m[None].float(), size=x.shape[-2:])
# .to(torch.bool)[0]): size / scale_factor / recompute_scale_factor, 1-D to 3-D,
# the float32 source-index rounding, grad_fn and the argument and dtype errors.
import torch, torch.nn.functional as F
x = torch.arange(2*1*5*7, dtype=torch.float32).reshape(2,1,5,7)
print(F.interpolate(x, size=(3, 4))[0,0])
print(F.interpolate(x, scale_factor=0.5)[0,0])
print(F.interpolate(x, scale_factor=1.7).shape)
print(F.interpolate(x, scale_factor=1.7, recompute_scale_factor=True)[1, 0, :, :3])
print(F.interpolate(x, scale_factor=(0.6, 1.3))[1, 0])
print(F.interpolate(x, size=(10,14))[0,0,:3])
print(F.interpolate(torch.ones(1,2,3), size=5).shape, F.interpolate(torch.ones(1,2,3), size=5).grad_fn)
for t in [torch.ones(1,3,4,4,dtype=torch.bool), torch.ones(1,3,4,4,dtype=torch.long), torch.ones(1,3,4,dtype=torch.long), torch.ones(1,3,4,dtype=torch.uint8), torch.ones(2,3,4,4,4,dtype=torch.bool)]:
  try: print(F.interpolate(t, size=3).dtype)
  except Exception as e: print(type(e).__name__, e)
y = torch.ones(1,1,2,2, requires_grad=True)
print(F.interpolate(y, size=(3,3)).grad_fn.name())
print(F.interpolate(torch.ones(1,1,2,2,2, requires_grad=True), size=3).grad_fn.name())
for kw in [dict(size=(3,)), dict(size=(3,4,5)), dict(scale_factor=(2.,)), dict(), dict(size=3, scale_factor=2)]:
  try: print(F.interpolate(x, **kw).shape)
  except Exception as e: print(type(e).__name__, e)
try: F.interpolate(torch.ones(3), size=2)
except Exception as e: print(type(e).__name__, e)
m = torch.zeros(2, 12, 9, dtype=torch.bool)
m[0, :, 6:] = True
m[1, 10:, :] = True
print(F.interpolate(m[None].float(), size=(4, 3)).to(torch.bool)[0])
