# Optional dependencies behave as on a machine without them: an import in a
# try/except ImportError takes the fallback, and the file's own mask code
# still runs.
import torch

try:
    from flash_attn.bert_padding import unpad_input
    HAS_FLASH = True
except ImportError:
    unpad_input = None
    HAS_FLASH = False

try:
    import xformers.ops as xops
except ModuleNotFoundError as e:
    xops = None
    missing = e.name if hasattr(e, "name") else None

def padding_mask(lengths, max_len):
    if unpad_input is not None:
        raise RuntimeError("unexpected")
    return torch.arange(max_len)[None, :] < lengths[:, None]

mask = padding_mask(torch.tensor([2, 3, 1]), 3)
print(HAS_FLASH, xops is None, mask.sum().item())
