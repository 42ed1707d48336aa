import torch
big = torch.zeros(10000, 10000) + 1
n = 0
while True:
    n += 1
