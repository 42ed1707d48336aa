# torch.unique(dim=...) with return_inverse / return_counts (unique rows of a mask batch,
# unique columns), and torch.unique_consecutive with and without dim, as ATen's
# _unique_dim_cpu_template and unique_consecutive compute them; errors for a bad dim.
import torch

rows = torch.tensor([[1, 2, 1], [0, 5, 0], [1, 2, 1], [0, 1, 9]])
uniq_rows = torch.unique(rows, dim=0)
uniq_cols, col_inverse, col_counts = torch.unique(rows, dim=1, return_inverse=True, return_counts=True)
method_rows, method_counts = rows.unique(dim=0, return_counts=True)
unsorted_flag = torch.unique(rows, dim=-1, sorted=False)
masks = torch.tensor([[True, False, False], [True, True, False], [True, False, False], [True, True, True]])
mask_patterns, mask_ids = torch.unique(masks, dim=0, return_inverse=True)
signed = torch.tensor([[0.5, -0.0], [0.5, 0.0], [-1.0, 2.0]])
signed_rows, signed_inverse, signed_counts = torch.unique(signed, dim=0, return_inverse=True, return_counts=True)
cube = torch.arange(24).reshape(2, 3, 4) % 3
cube_mid, cube_inverse, cube_counts = torch.unique(cube, dim=1, return_inverse=True, return_counts=True)
empty_rows = torch.unique(torch.zeros(0, 3), dim=0)
runs = torch.unique_consecutive(torch.tensor([1, 1, 2, 2, 3, 1, 1, 2]))
runs_v, runs_inv, runs_cnt = torch.unique_consecutive(torch.tensor([[1, 1, 2], [2, 3, 3]]), return_inverse=True, return_counts=True)
run_rows, run_counts = torch.tensor([[1, 1], [1, 1], [2, 3], [1, 1]]).unique_consecutive(dim=0, return_counts=True)
graded = torch.unique(torch.tensor([[1.0, 2.0], [1.0, 2.0]], requires_grad=True), dim=0)
print(uniq_rows, uniq_cols, col_inverse, col_counts)
print(mask_patterns, mask_ids)
print(signed_rows, signed_inverse, signed_counts)
print(graded.grad_fn.name(), torch.unique_consecutive(graded, dim=0).grad_fn.name())
for call in [lambda: torch.unique(rows, dim=2), lambda: torch.unique(torch.tensor(5), dim=0),
             lambda: torch.unique(torch.zeros(2, 0), dim=0), lambda: torch.unique_consecutive(torch.tensor([1, 2]), dim=1)]:
    try:
        call()
    except (IndexError, RuntimeError) as e:
        print(type(e).__name__, e)
