# torch.no_grad / inference_mode / enable_grad as decorators wrap like
# functools.wraps: the result keeps the name, qualname and docstring and
# exposes the original function as __wrapped__.
import torch


@torch.no_grad()
def evaluate(x):
    """Run the model without autograd."""
    return torch.is_grad_enabled(), x * 2


@torch.inference_mode()
def predict(x):
    return torch.is_grad_enabled()


@torch.no_grad
def bare(x):
    return torch.is_grad_enabled()


class Model:
    @torch.no_grad()
    def generate(self, n):
        """Sample n tokens."""
        return torch.is_grad_enabled(), n


def raw_enable():
    return torch.is_grad_enabled()


enable = torch.enable_grad()(raw_enable)
print(evaluate.__name__, evaluate.__qualname__, evaluate.__doc__)
print(evaluate.__wrapped__.__name__, evaluate.__wrapped__(torch.ones(2)))
print(evaluate(torch.ones(2)))
print(predict.__name__, predict.__wrapped__(1), predict(1))
print(bare.__name__, bare.__wrapped__(1), bare(1))
print(Model.generate.__qualname__, Model.generate.__doc__, Model().generate(3))
print(Model.generate.__wrapped__.__qualname__)
with torch.no_grad():
    print(enable.__name__, enable.__wrapped__ is raw_enable, enable())
print(torch.is_grad_enabled())
