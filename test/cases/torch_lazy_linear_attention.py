# d2l.ai's attention layers build their projections with nn.LazyLinear: the
# in_features come from the first input and the weights are drawn at that
# call, after any draw made in between; the module then reports itself as Linear.
import math

import torch
from torch import nn


def masked_softmax(X, valid_lens):
    shape = X.shape
    valid_lens = torch.repeat_interleave(valid_lens, shape[1])
    X = X.reshape(-1, shape[-1])
    mask = torch.arange(shape[-1], dtype=torch.float32)[None, :] < valid_lens[:, None]
    X[~mask] = -1e6
    return nn.functional.softmax(X.reshape(shape), dim=-1)


class AdditiveAttention(nn.Module):
    def __init__(self, num_hiddens, dropout, **kwargs):
        super(AdditiveAttention, self).__init__(**kwargs)
        self.W_k = nn.LazyLinear(num_hiddens, bias=False)
        self.W_q = nn.LazyLinear(num_hiddens, bias=False)
        self.w_v = nn.LazyLinear(1, bias=False)
        self.dropout = nn.Dropout(dropout)

    def forward(self, queries, keys, values, valid_lens):
        queries, keys = self.W_q(queries), self.W_k(keys)
        features = torch.tanh(queries.unsqueeze(2) + keys.unsqueeze(1))
        scores = self.w_v(features).squeeze(-1)
        self.attention_weights = masked_softmax(scores, valid_lens)
        return torch.bmm(self.dropout(self.attention_weights), values)


attention = AdditiveAttention(num_hiddens=8, dropout=0.1)
attention.eval()
before = repr(attention.W_q)
in_before = attention.W_q.in_features
queries = torch.normal(0, 1, (2, 1, 20))
keys = torch.normal(0, 1, (2, 10, 2))
values = torch.normal(0, 1, (2, 10, 4))
valid_lens = torch.tensor([2, 6])
out = attention(queries, keys, values, valid_lens)
weights = attention.attention_weights
after = repr(attention.W_q)
kind = type(attention.W_k).__name__
w_k = attention.W_k.weight
print(attention)

proj = nn.LazyLinear(3)
y = proj(torch.ones(2, 4)) / math.sqrt(3)
bias = proj.bias
