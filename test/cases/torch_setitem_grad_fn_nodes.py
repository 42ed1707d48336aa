# The autograd node `x[key] = value` leaves on x, as printed by print(x) and
# x.grad_fn.name(): wav2vec2's _mask_hidden_states writes a learned embedding
# into the masked time steps (`hidden_states[mask_time_indices] = embed`):
# index_put_ on x itself is IndexPutBackward0; an int, None, True or a slice
# that cuts a dim makes a view first (CopySlices); `x[...] = 0.5` fills
# (FillBackward3) and `x[:] = t` copies (CopyBackwards).
import torch

torch.manual_seed(0)
masked_spec_embed = torch.nn.Parameter(torch.ones(4) * 0.5)
hidden_states = torch.randn(2, 5, 4)
mask_time_indices = torch.tensor([[False, True, True, False, False], [True, True, False, False, False]])
hidden_states[mask_time_indices] = masked_spec_embed.to(hidden_states.dtype)
print(hidden_states)
mask_feature_indices = torch.tensor([[True, False, False, False], [False, False, True, False]])
mask_feature_indices = mask_feature_indices[:, None].expand(-1, 5, -1)
hidden_states[mask_feature_indices] = 0
print(repr(hidden_states.grad_fn).split(" at ")[0])
nodes = []


def node_after(write):
    x = torch.zeros(2, 3, requires_grad=True).clone()
    write(x)
    nodes.append(x.grad_fn.name())


def bool_mask(x): x[x > -1] = 1.0
def int_list(x): x[[0, 1]] = 1.0
def two_lists(x): x[[0, 1], [1, 2]] = 1.0
def whole_slice_then_mask(x): x[:, torch.tensor([True, False, True])] = 1.0
def ellipsis_then_mask(x): x[..., torch.tensor([True, False, True])] = 1.0
def slice_to_past_end(x): x[0:10, [0, 1]] = 1.0
def cut_slice_then_mask(x): x[0:1, torch.tensor([True, False, True])] = 1.0
def int_then_index(x): x[torch.tensor(1), torch.tensor([0, 2])] = 1.0
def none_then_mask(x): x[None, torch.tensor([True, False])] = 1.0
def python_true(x): x[True] = 1.0
def row(x): x[1] = 1.0
def ellipsis_scalar(x): x[...] = 0.5
def whole_slice_scalar(x): x[:] = 0.5
def whole_slice_row(x): x[:] = torch.ones(3)
def ellipsis_same_shape(x): x[...] = torch.ones(2, 3)


for w in [bool_mask, int_list, two_lists, whole_slice_then_mask, ellipsis_then_mask, slice_to_past_end,
          cut_slice_then_mask, int_then_index, none_then_mask, python_true, row, ellipsis_scalar,
          whole_slice_scalar, whole_slice_row, ellipsis_same_shape]:
    node_after(w)
print(nodes)
print(type(hidden_states.grad_fn).__name__)
