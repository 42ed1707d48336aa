# Forward hooks as whisper's kv-cache and attention-capture code uses them:
# register_forward_hook / register_forward_pre_hook fire on every call, return
# a RemovableHandle, and a hook's non-None return replaces the output (or args).
import torch
from torch import nn

torch.manual_seed(0)

# whisper.model.Whisper.install_kv_cache_hooks: the key/value projections'
# outputs are cached and concatenated step by step
key = nn.Linear(4, 4, bias=False)
cache = {}


def save_to_cache(module, _, output):
    if module not in cache or output.shape[1] > 8:
        cache[module] = output
    else:
        cache[module] = torch.cat([cache[module], output], dim=1).detach()
    return cache[module]


hook = key.register_forward_hook(save_to_cache)
x = torch.randn(1, 3, 4)
k1 = key(x)
k2 = key(torch.randn(1, 1, 4))
cached = cache[key]
print(type(hook).__name__, k1.shape, k2.shape, cached.shape)
hook.remove()
hook.remove()
k3 = key(x)
print(k3.shape, len(cache))

# whisper.timing: capture the attention weights of a layer with a lambda hook
QKs = [None] * 2
mha = nn.MultiheadAttention(4, 2, batch_first=True)
handles = [
    mha.register_forward_hook(lambda _, ins, outs, index=i: QKs.__setitem__(index, outs[-1]))
    for i in range(2)
]
kpm = torch.tensor([[False, False, True]])
out, weights = mha(x, x, x, key_padding_mask=kpm)
attn_captured = QKs[1]
print(QKs[0] is QKs[1], torch.equal(attn_captured, weights))
for h in handles:
    h.remove()

# pre-hooks replace args; with_kwargs hooks see kwargs; prepend runs first
order = []
lin = nn.Linear(4, 2)


def double(module, args):
    order.append("pre")
    return args[0] * 2


def plus_one(module, args, kwargs, output):
    order.append("post " + ",".join(sorted(kwargs)))
    return output + 1


def first(module, args, output):
    order.append("first")


lin.register_forward_pre_hook(double)
lin.register_forward_hook(plus_one, with_kwargs=True)
with lin.register_forward_hook(first, prepend=True):
    y = lin(x)
y2 = lin(x)
print(order)


# a with_kwargs pre-hook must return None or (args, kwargs)
def bad(module, args, kwargs):
    return 3


lin.register_forward_pre_hook(bad, with_kwargs=True)
y3 = lin(x)
