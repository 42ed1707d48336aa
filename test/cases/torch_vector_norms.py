# Vector norms around attention: Tensor.norm / torch.norm (p, dim, keepdim), torch.linalg.vector_norm (ord inf, 0, 3),
# linalg.norm of vectors, F.normalize (qk-norm, l2-normalised embeddings), grad_fn and ATen's error for an integer input.
import torch
import torch.nn.functional as F
torch.manual_seed(0)
x = torch.randn(2, 3, 4)
w = torch.randn(3, 4, requires_grad=True)
print(x.norm(), x.norm(dim=-1), x.norm(p=1, dim=1, keepdim=True).shape, torch.norm(x, dim=(1, 2)))
print(w.norm(dim=-1, keepdim=True), w.norm(dim=-1).grad_fn.name())
print(torch.linalg.vector_norm(x, ord=float('inf'), dim=-1), torch.linalg.vector_norm(x, ord=0), torch.linalg.vector_norm(x, ord=3, dim=0)[0])
print(torch.linalg.norm(x[0, 0]), torch.linalg.norm(x, dim=-1)[1])
q = F.normalize(x, dim=-1)
print(q[0], F.normalize(w, p=1, dim=0), F.normalize(torch.zeros(2, 2)))
print(x.norm(p='fro', dim=-1)[0], x.norm(p=float('-inf')))
try: torch.arange(3).norm()
except RuntimeError as e: print(e)
