# transformers masking_utils.py: sdpa_mask(use_vmap=True) builds the 4D mask by
# vmapping a mask_function(batch_idx, head_idx, q_idx, kv_idx) over four aranges
# (_vmap_expansion_sdpa); torch.vmap / torch.func.vmap and their argument errors.
from collections.abc import Callable
from contextlib import contextmanager

import torch


@contextmanager
def TransformGetItemToIndex():  # stand-in for torch._dynamo's context manager
    yield


def and_masks(*mask_functions: Callable) -> Callable:
    if not all(callable(arg) for arg in mask_functions):
        raise RuntimeError(f"All inputs should be callable mask_functions: {mask_functions}")

    def and_mask(batch_idx, head_idx, q_idx, kv_idx):
        result = q_idx.new_ones((), dtype=torch.bool)
        for mask in mask_functions:
            result = result & mask(batch_idx, head_idx, q_idx, kv_idx).to(result.device)
        return result

    return and_mask


def causal_mask_function(batch_idx: int, head_idx: int, q_idx: int, kv_idx: int) -> bool:
    return kv_idx <= q_idx


def sliding_window_overlay(sliding_window: int) -> Callable:
    def inner_mask(batch_idx: int, head_idx: int, q_idx: int, kv_idx: int) -> bool:
        return kv_idx > q_idx - sliding_window

    return inner_mask


def padding_mask_function(padding_mask: torch.Tensor) -> Callable:
    def inner_mask(batch_idx: int, head_idx: int, q_idx: int, kv_idx: int) -> bool:
        return padding_mask[batch_idx, kv_idx]

    return inner_mask


def token_type_ids_mask_function(token_type_ids: torch.Tensor) -> Callable:
    # Gemma3-style: image tokens (type 1) attend to each other bidirectionally
    def inner_mask(batch_idx: int, head_idx: int, q_idx: int, kv_idx: int) -> bool:
        return (token_type_ids[batch_idx, q_idx] == 1) & (token_type_ids[batch_idx, kv_idx] == 1)

    return inner_mask


def _vmap_expansion_sdpa(mask_function: Callable) -> Callable:
    dimensions = [(None, None, None, 0), (None, None, 0, None), (None, 0, None, None), (0, None, None, None)]
    for dims in dimensions:
        mask_function = torch.vmap(mask_function, in_dims=dims, out_dims=0)
    return mask_function


def sdpa_mask_vmap(batch_size, q_length, kv_length, kv_offset=0, mask_function=causal_mask_function,
                   attention_mask=None):
    if attention_mask is not None:
        mask_function = and_masks(mask_function, padding_mask_function(attention_mask))
    batch_arange = torch.arange(batch_size)
    head_arange = torch.arange(1)
    q_arange = torch.arange(q_length) + kv_offset
    kv_arange = torch.arange(kv_length)
    with TransformGetItemToIndex():
        attention_mask = _vmap_expansion_sdpa(mask_function)(batch_arange, head_arange, q_arange, kv_arange)
    return attention_mask


causal = sdpa_mask_vmap(2, 3, 4, kv_offset=1)
print(causal.shape, causal.dtype)
print(causal[0, 0].int())

pad = torch.tensor([[True, True, True, True, False], [False, False, True, True, True]])
windowed = sdpa_mask_vmap(2, 5, 5, mask_function=and_masks(causal_mask_function, sliding_window_overlay(2)),
                          attention_mask=pad)
print(windowed)

token_type_ids = torch.tensor([[0, 1, 1, 1, 0]])
from torch.func import vmap as func_vmap

def or_image(b, h, q, kv):
    return causal_mask_function(b, h, q, kv) | token_type_ids_mask_function(token_type_ids)(b, h, q, kv)

image = sdpa_mask_vmap(1, 5, 5, mask_function=or_image)
print(image[0, 0].to(torch.uint8))

x = torch.arange(6).reshape(2, 3)
outer = func_vmap(lambda a, b: a * b, in_dims=(0, None))(torch.arange(3), torch.arange(4))
cols = torch.vmap(lambda a: a.sum(), in_dims=(1,))(x)
pair = torch.vmap(lambda a: (a, a * 2), out_dims=(0, 1))(x)
print(outer, cols, pair[1], sep="\n")
scaled = torch.vmap(lambda a, k=1: a * k)(x, k=3)
print(torch.vmap(lambda d: d["a"] + d["b"], in_dims=({"a": 0, "b": None},))({"a": x, "b": torch.ones(3)}))

f = lambda x, y: x + y
for call in [
    lambda: torch.vmap(f)(x, 1),
    lambda: torch.vmap(f, in_dims=(None, None))(x, x),
    lambda: torch.vmap(f)(x, torch.ones(3, 3)),
    lambda: torch.vmap(lambda a: 3)(x),
    lambda: torch.vmap(f, in_dims=(0,))(x, x),
    lambda: torch.vmap(f, in_dims=(2, 0))(x, x),
    lambda: torch.vmap(f, out_dims=3)(x, x),
    lambda: torch.vmap(f, in_dims="x")(x, x),
    lambda: torch.vmap(f, in_dims=None)(x, x),
    lambda: torch.vmap(lambda a: a)(torch.tensor(3)),
    lambda: torch.vmap(lambda a: (a, a), out_dims=(0, 0, 0))(x),
    lambda: torch.vmap(lambda a: a, out_dims="a")(x),
    lambda: torch.vmap(len)(x),
    lambda: torch.vmap(f)(),
]:
    try:
        print("ok", call())
    except Exception as e:
        print(type(e).__name__, e)
