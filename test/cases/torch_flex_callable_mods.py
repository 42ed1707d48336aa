# a callable object is a mask_mod by its __call__'s signature; a bound method counts self
# as its __code__ does, so a 4-argument method reads as a score_mod (TypeError)
import torch
from torch.nn.attention.flex_attention import create_mask
class Causal:
    def __call__(self, b, h, q, kv):
        return q >= kv
class Holder:
    def mask(self, b, h, q, kv):
        return q >= kv
ok = create_mask(Causal(), 1, 1, 3, 3, device="cpu")
bad = create_mask(Holder().mask, 1, 1, 3, 3, device="cpu")
