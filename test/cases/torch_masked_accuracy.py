# Token accuracy over non-padding positions: argmax, compare, & mask, divide.
import torch

logits = torch.tensor([[[0.1, 0.9], [0.8, 0.2], [0.5, 0.4]], [[0.3, 0.7], [0.6, 0.4], [0.2, 0.8]]])
targets = torch.tensor([[1, 1, 0], [1, 0, -100]])
valid = targets != -100
preds = logits.argmax(dim=-1)
correct = (preds == targets) & valid
acc = correct.sum().float() / valid.sum()
print(preds)
print(correct)
print(acc, f"{acc.item():.3f}")
