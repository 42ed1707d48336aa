# torch.meshgrid ('ij', 'xy', omitted: UserWarning once and 'ij'), torch.block_diag
# (0-D / 1-D / empty blocks, dtype promotion) and Tensor.fill_diagonal_ (wrap=, 3-D,
# int truncation). Ends on meshgrid's indexing error.
import torch

rows = torch.arange(3)
cols = torch.arange(4)
ii, jj = torch.meshgrid(rows, cols, indexing="ij")
xx, yy = torch.meshgrid(rows, cols, indexing="xy")
gi, gj = torch.meshgrid(rows, cols)  # no indexing: 'ij' and a UserWarning
causal = ii >= jj
lst = torch.meshgrid([torch.tensor([1.0, 2.0]), torch.tensor(5.0)], indexing="xy")
first, second = lst
three = torch.meshgrid(rows, cols, torch.arange(2), indexing="xy")
big = three[2]
print(ii, jj, xx, yy, causal)
print(first, second, big.shape)

blocks = torch.block_diag(torch.tensor([[1, 2], [3, 4]]), torch.tensor([5.0, 6.0]), torch.tensor(7), torch.ones(0, 2))
bool_blocks = torch.block_diag(torch.ones(2, 1, dtype=torch.bool), torch.ones(1, 2, dtype=torch.bool))
none = torch.block_diag()
head_mask = torch.block_diag(*[torch.ones(2, 2, dtype=torch.bool) for _ in range(3)])
print(blocks, bool_blocks, none, head_mask)

tall = torch.zeros(7, 3)
tall.fill_diagonal_(5.0)
tall_wrap = torch.zeros(8, 3).fill_diagonal_(1.0, wrap=True)
wide = torch.zeros(3, 7).fill_diagonal_(2.0, wrap=True)
cube = torch.zeros(3, 3, 3).fill_diagonal_(4.0)
ints = torch.zeros(3, 3, dtype=torch.int64).fill_diagonal_(2.7)
no_self = torch.ones(4, 4, dtype=torch.bool).fill_diagonal_(False)
scores = torch.randn(4, 4).fill_diagonal_(float("-inf"))
view = torch.zeros(4, 6)[:, 1:5].fill_diagonal_(9)
print(tall, tall_wrap, wide, cube, ints, no_self, scores, view)

bad = torch.meshgrid(rows, cols, indexing="yx")
