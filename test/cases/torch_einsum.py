# einsum contractions used in attention code.
import torch
torch.manual_seed(0)
a = torch.randn(2, 3)
b = torch.randn(3, 4)
print(torch.einsum("ij,jk->ik", a, b))
print(torch.einsum("ij->j", a), torch.einsum("ij,ij->i", a, a))
