# torch.randn / normal_ in float16 and bfloat16 (issue #17): under 16
# elements each value is a double Box-Muller sample cast once; from 16
# contiguous elements PyTorch 2.13 runs the float32 Box-Muller over whole
# blocks of 16 uniforms (the last block padded with fresh draws, its results
# written over the last 16 slots) and rounds each value once.
import torch

torch.manual_seed(0)
small = torch.randn(3, dtype=torch.bfloat16)
block = torch.randn(16, dtype=torch.bfloat16)
ragged = torch.randn(2, 10, dtype=torch.float16)
scaled = torch.empty(4, 5, dtype=torch.bfloat16).normal_(2.5, 0.1)
after = torch.rand(2)  # the generator's position after the padded draws
scores = torch.randn(2, 17, dtype=torch.float16)
mask = scores > 0
print(small, block, ragged, scaled, after, mask.sum(), sep="\n")
