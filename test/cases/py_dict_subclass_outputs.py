# Subclasses of dict as model code writes them: an AttrDict config
# (self.__dict__ = self), an EasyDict-style __getattr__, a defaultdict-like
# __missing__, and a Hugging Face-style ModelOutput (an OrderedDict dataclass
# whose __post_init__ copies its set fields into the dict).
from collections import OrderedDict
from dataclasses import dataclass, fields
from typing import Optional, Tuple

import torch


class AttrDict(dict):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.__dict__ = self


class EasyDict(dict):
    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name)

    def __setattr__(self, name, value):
        self[name] = value


class Counts(dict):
    def __missing__(self, key):
        return 0


class ModelOutput(OrderedDict):
    def __post_init__(self):
        for f in fields(self):
            v = getattr(self, f.name)
            if v is not None:
                self[f.name] = v

    def __getitem__(self, k):
        if isinstance(k, str):
            return dict(self.items())[k]
        return self.to_tuple()[k]

    def __setitem__(self, key, value):
        super().__setitem__(key, value)
        super().__setattr__(key, value)

    def to_tuple(self) -> Tuple:
        return tuple(self[k] for k in self.keys())


@dataclass
class AttentionOutput(ModelOutput):
    last_hidden_state: torch.FloatTensor = None
    attentions: Optional[torch.FloatTensor] = None
    attention_mask: Optional[torch.Tensor] = None


config = AttrDict(hidden_size=8, num_heads=2)
config.dropout = 0.1
head_dim = config.hidden_size // config["num_heads"]
config_keys = sorted(config)
config_is_dict = isinstance(config, dict)
config_vars_is_self = vars(config) is config

opts = EasyDict(causal=True)
opts.window = 3
window = opts["window"]
opts_len = len(opts)
try:
    opts.missing
except AttributeError as e:
    missing_error = repr(e)

counts = Counts()
counts["pad"] += 2
pad_count = counts["pad"]
unk_count = counts["unk"]
counts_repr = repr(counts)

scores = torch.tensor([[0.5, 1.0, -0.5], [2.0, 0.0, 1.0]])
mask = torch.tensor([[True, True, False], [True, False, False]])
probs = scores.masked_fill(~mask, float("-inf")).softmax(-1)
out = AttentionOutput(last_hidden_state=probs @ scores.T, attentions=probs, attention_mask=mask)
out_keys = list(out.keys())
out_len = len(out)
first = out[0]
attn = out["attentions"]
also_attr = out.attention_mask
n_fields = len(out.to_tuple())
plain = dict(out)
plain_keys = list(plain)


def consume(last_hidden_state, attentions, attention_mask):
    return attentions.masked_fill(~attention_mask, 0.0).sum(-1)


row_sums = consume(**out)
partial_out = AttentionOutput(attentions=probs)
partial_keys = list(partial_out.keys())
is_ordered = isinstance(out, OrderedDict) and isinstance(out, dict)
