# PyTorch 2.x raises NotImplementedError (1.13: RuntimeError) when a kernel has no case for the dtype; ~ on floats is a TypeError.
import torch

ids = torch.tensor([[3, 1, 0], [2, 0, 0]])
messages = []
for label, f in [
    ("softmax", lambda: torch.softmax(ids, dim=-1)),
    ("softmax dim 0", lambda: torch.softmax(ids, dim=0)),
    ("log_softmax", lambda: torch.log_softmax(ids, dim=1)),
    ("rand", lambda: torch.rand(2, dtype=torch.long)),
    ("and", lambda: ids.float() & ids.float()),
    ("bitwise_not", lambda: ids.float().bitwise_not()),
    ("invert", lambda: ~ids.float()),
]:
    try:
        f()
        messages.append(f"{label}: ok")
    except (NotImplementedError, RuntimeError, TypeError) as e:
        messages.append(f"{label}: {type(e).__name__}: {e}")
print("\n".join(messages))
probs = torch.softmax(ids, dim=-1)
