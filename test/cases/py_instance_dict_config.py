# A yacs-style config whose methods write through self.__dict__ (minGPT's
# CfgNode, mingpt/utils.py): update() sets attributes, a later attribute shows
# in the dict, and the mask is sized from the merged config.
import torch


class ConfigNode:
    def __init__(self, **kwargs):
        self.__dict__.update(kwargs)

    def merge_from_dict(self, d):
        self.__dict__.update(d)

    def to_dict(self):
        return {k: v.to_dict() if isinstance(v, ConfigNode) else v for k, v in self.__dict__.items()}

    def __str__(self):
        return "".join("%s: %s\n" % (k, v) for k, v in self.__dict__.items())


config = ConfigNode(model_type="gpt-nano", n_layer=None, n_head=None, block_size=4)
config.merge_from_dict({"gpt-nano": dict(n_layer=3, n_head=3), "gpt-mini": dict(n_layer=6, n_head=6)}[config.model_type])
config.dropout = 0.1
n_layer = config.n_layer
n_keys = len(config.to_dict())
print(config)

attrs = vars(config)
attrs["block_size"] = 3
del attrs["dropout"]
has_dropout = hasattr(config, "dropout")
block_size = config.block_size
names = sorted(config.__dict__)
bias = torch.tril(torch.ones(config.block_size, config.block_size)).view(1, 1, config.block_size, config.block_size)
causal = bias[:, :, :2, :2] == 0


def buffered_arange(n):
    if "buf" not in buffered_arange.__dict__:
        buffered_arange.buf = torch.arange(8)
    return buffered_arange.buf[:n]


positions = buffered_arange(3)
cached = "buf" in vars(buffered_arange)
