# matmul shape errors in ATen's words: a batched input against a matrix or vector is folded into one mm/mv (should_fold), and batch dims broadcast before k is checked.
import torch
for a, b in [((3, 5, 5), (4, 5)), ((3, 5, 5), (4,)), ((2, 3, 5, 5), (4, 5)), ((5,), (3, 4, 5)), ((3, 5, 5), (2, 4, 5))]:
    try:
        torch.randn(*a) @ torch.randn(*b)
    except RuntimeError as e:
        print(a, b, e)
