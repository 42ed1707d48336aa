# RuntimeError: torch.triu needs at least 2 dims (NumPy would broadcast a 1-D input).
import numpy as np
import torch

row = np.triu(np.array([1, 2, 3]))
t = torch.triu(torch.tensor([1, 2, 3]))
