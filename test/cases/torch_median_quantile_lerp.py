# torch.median / nanmedian (lower median; ties pick the first position; NaN rows),
# torch.quantile / nanquantile with each interpolation, q as a float or a tensor,
# dim and keepdim, and torch.lerp (fused multiply-adds, both weight halves): the
# length cut-offs and thresholds model files pick beside their masks.
import torch

torch.manual_seed(0)
lengths = torch.tensor([3, 7, 7, 12, 5, 9, 30, 4, 8, 11])
med_len = torch.median(lengths)
max_len = int(torch.quantile(lengths.float(), 0.9, interpolation='higher'))
x = torch.tensor([[0.5, 2.25, -1.0, 3.5], [1.0, 1.0, 4.0, 2.0], [2.0, float('nan'), 0.0, 2.0]])
med_all = torch.median(x)
nanmed_all = torch.nanmedian(x)
med_rows = torch.median(x, dim=1)
med_cols = x.median(0, keepdim=True)
nanmed_rows = torch.nanmedian(x, 1)
nan_rows = torch.nanmedian(torch.full((2, 5), float('nan')), -1)
ties = torch.median(torch.tensor([[2, 1, 2, 1], [5, 5, 5, 5]]), 1)
scores = torch.randn(4, 37)
q_rows = torch.quantile(scores, 0.3, dim=1)
q_keep = torch.quantile(scores, 0.7, dim=0, keepdim=True)
q_all = torch.quantile(scores, torch.tensor([0.1, 0.5, 0.95]))
q_tensor = scores.quantile(torch.tensor([0.25, 0.75]), dim=-1, keepdim=True)
q_modes = [torch.quantile(scores, 0.37, dim=1, interpolation=m) for m in ['linear', 'lower', 'higher', 'midpoint', 'nearest']]
q_nan = torch.quantile(x, 0.5, dim=1)
nq = torch.nanquantile(x, torch.tensor([0.2, 0.8]), dim=1)
q64 = torch.quantile(scores.double(), 0.3, dim=1)
big = torch.quantile(torch.randn(6, 64, 9), torch.tensor([0.15, 0.5, 0.85]), dim=1)
threshold = torch.quantile(scores, 0.9, dim=-1, keepdim=True)
top_mask = scores >= threshold
start = torch.randn(5, 8)
end = torch.randn(5, 8)
lerp_scalar = torch.lerp(start, end, 0.3)
lerp_high = torch.lerp(start, end, 0.8)
lerp_tensor = start.lerp(end, torch.rand(5, 8))
lerp_bcast = torch.lerp(start, end, torch.rand(8))
ema = start.clone()
ema.lerp_(end, 0.001)
lerp64 = torch.lerp(start.double(), end.double(), torch.rand(5, 8, dtype=torch.float64))
print(med_rows)
print(q_modes[3])
try:
    torch.quantile(lengths, 0.5)
except RuntimeError as e:
    int_error = str(e)
try:
    torch.quantile(scores, 1.5)
except RuntimeError as e:
    range_error = str(e)
try:
    torch.quantile(scores, torch.tensor([0.5], dtype=torch.float64))
except RuntimeError as e:
    dtype_error = str(e)
try:
    torch.quantile(scores, 0.5, interpolation='cubic')
except RuntimeError as e:
    mode_error = str(e)
try:
    torch.median(torch.zeros(2, 0), 1)
except IndexError as e:
    empty_error = str(e)
