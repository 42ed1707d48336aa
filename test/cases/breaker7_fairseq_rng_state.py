# fairseq/utils.py: set_torch_seed saves torch.get_rng_state(), seeds, and restores the
# state on exit, so a masking step can draw reproducibly without disturbing the global
# stream; plus torch.get_rng_state / set_rng_state / Generator.get_state byte layouts.
import torch

xm = None


def get_rng_state():
    state = {"torch_rng_state": torch.get_rng_state()}
    if xm is not None:
        state["xla_rng_state"] = xm.get_rng_state()
    if torch.cuda.is_available():
        state["cuda_rng_state"] = torch.cuda.get_rng_state()
    return state


def set_rng_state(state):
    torch.set_rng_state(state["torch_rng_state"])
    if xm is not None:
        xm.set_rng_state(state["xla_rng_state"])
    if torch.cuda.is_available():
        torch.cuda.set_rng_state(state["cuda_rng_state"])


class set_torch_seed(object):
    def __init__(self, seed):
        assert isinstance(seed, int)
        self.rng_state = get_rng_state()

        torch.manual_seed(seed)
        if xm is not None:
            xm.set_rng_state(seed)
        if torch.cuda.is_available():
            torch.cuda.manual_seed(seed)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        set_rng_state(self.rng_state)


fresh = torch.get_rng_state()
tokens = torch.tensor([[5, 6, 7, 8, 2], [9, 4, 2, 1, 1]])
with set_torch_seed(3):
    mask_prob = torch.rand(tokens.shape)
    mlm_mask = (mask_prob < 0.3) & tokens.ne(1)
after_block = torch.rand(3)
torch.manual_seed(0)
same_as_after_block = torch.rand(3)

torch.manual_seed(0)
torch.rand(3)
after_three = torch.get_rng_state()
torch.randn(1, dtype=torch.float64)
cached_double_normal = torch.get_rng_state()
torch.randn(20)
after_vector_normal = torch.rand(700)
wrapped = torch.get_rng_state()
print(after_three.dtype, after_three.shape, after_three[8:24].tolist())

torch.set_rng_state(cached_double_normal)
replay = torch.randn(2, dtype=torch.float64)
torch.set_rng_state(after_three)
replay_from_three = torch.randn(1, dtype=torch.float64)

g = torch.Generator()
g_state = g.get_state()
print(g_state[:24].tolist())
print(g.set_state(after_three) is g)
from_g = torch.rand(2, generator=g)
print(torch.default_generator.get_state().equal(torch.get_rng_state()))

for bad in [lambda: torch.set_rng_state(torch.zeros(10, dtype=torch.uint8)),
            lambda: torch.set_rng_state(fresh.float()),
            lambda: torch.set_rng_state([1, 2]),
            lambda: torch.Generator().set_state(torch.zeros(3, dtype=torch.uint8))]:
    try:
        bad()
    except Exception as e:
        print(type(e).__name__, e)
