# A [B,T] key padding mask turned into [B*H,1,T] by repeat_interleave and by expand+reshape.
import torch

kpm = torch.tensor([[False, False, True], [False, True, True]])
H = 2
a = kpm.repeat_interleave(H, dim=0).unsqueeze(1)
b = kpm[:, None, None, :].expand(-1, H, -1, -1).reshape(-1, 1, 3)
c = kpm.unsqueeze(1).repeat(1, H, 1).view(-1, 3)
print(a.shape, b.shape, c.shape)
print(torch.equal(a, b))
print(c)
print(kpm.unsqueeze(1).expand(2, 3, 3)[1])
