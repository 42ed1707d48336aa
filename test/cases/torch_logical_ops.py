# Combining bool masks: ~, logical_not, &, |, ^ and the logical_* functions.
import torch

pad = torch.tensor([True, True, True, False])
special = torch.tensor([True, False, False, False])
keep = pad & ~special
either = pad | special
diff = pad ^ special
not_pad = pad.logical_not()
la = torch.logical_and(pad, special)
lo = torch.logical_or(~pad, special)
lx = torch.logical_xor(pad, special)
print(keep, either)
print(diff, not_pad)
print(la, lo, lx)
print(torch.equal(diff, lx))
m = torch.ones(2, 3).bool()
m[1, 2] = False
print(m, ~m)
