# NameError: the mask variable is misspelled where it is used.
import torch

attn_mask = torch.triu(torch.ones(3, 3), diagonal=1).bool()
scores = torch.zeros(3, 3)
scores = scores.masked_fill(atten_mask, float('-inf'))
