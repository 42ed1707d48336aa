# torch.multinomial under torch.manual_seed, bit-exact with PyTorch's CPU sampler:
# without replacement (Gumbel trick: exponential_ draws, p / q, argmax or topk, ties
# in ATen's topk order), with replacement (cumulative distribution + uniform draws),
# the generate() loop of nanoGPT / llama2.c (temperature, top-k filter to -inf, softmax).
import torch
import torch.nn.functional as F

torch.manual_seed(0)
p = torch.tensor([0.1, 0.2, 0.3, 0.4])
one = torch.multinomial(p, 1)
three = torch.multinomial(p, 3)
all4 = torch.multinomial(p, 4)
rep = torch.multinomial(p, 10, replacement=True)
weights = torch.tensor([[1.0, 0.0, 3.0, 2.0], [0.5, 0.5, 0.0, 4.0]])
rows_one = torch.multinomial(weights, 1)
rows_two = torch.multinomial(weights, 2)
rows_rep = weights.multinomial(6, replacement=True)
p64 = torch.tensor([0.25, 0.25, 0.5], dtype=torch.float64)
draw64 = torch.multinomial(p64, 2)
rep64 = torch.multinomial(p64, 5, True)
p16 = torch.tensor([0.2, 0.3, 0.5]).half()
draw16 = torch.multinomial(p16, 2)
rep16 = torch.multinomial(p16, 5, True)
print(one, three, all4, rep)
print(rows_one, rows_two, rows_rep)
print(draw64, rep64, draw16, rep16)

# zero probabilities tie in p / q: the order among them is ATen's topk order
sparse = torch.tensor([0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 2.0, 0.0])
sparse_all = torch.multinomial(sparse, 8)
wide = torch.zeros(200)
wide[5] = 1.0
wide_pick = torch.multinomial(wide, 3)
print(sparse_all, wide_pick)

# a generate loop: temperature, top-k filtered logits, softmax, one sample per step
torch.manual_seed(1337)
vocab = 65
logits_all = torch.randn(2, vocab)
idx = torch.zeros(2, 1, dtype=torch.long)
for step in range(6):
    logits = logits_all / 0.8
    v, _ = torch.topk(logits, 10)
    logits[logits < v[:, [-1]]] = -float("Inf")
    probs = F.softmax(logits, dim=-1)
    idx_next = torch.multinomial(probs, num_samples=1)
    idx = torch.cat((idx, idx_next), dim=1)
    logits_all = logits_all + 0.1 * torch.randn(2, vocab)
print(idx)

# the generator= argument and exponential_
g = torch.Generator().manual_seed(7)
gen_draw = torch.multinomial(p, 2, generator=g)
e = torch.empty(6).exponential_(2.0)
print(gen_draw, e)

# topk and argmax ties: argmax keeps the first maximum; topk follows ATen's
# partial_sort (k * 64 <= n) or nth_element + sort, neither of them stable
scores = torch.tensor([1.0, 3.0, 3.0, 2.0, 3.0, 1.0, 3.0])
tie_top_values, tie_top = torch.topk(scores, 3)
tie_low = torch.topk(scores, 2, largest=False).indices
tie_unsorted = torch.topk(torch.zeros(10), 5, sorted=False).indices
tie_partial = torch.topk(torch.zeros(200), 3).indices
first_max = torch.argmax(scores)
nan_top = torch.topk(torch.tensor([1.0, float("nan"), 3.0]), 2).indices
print(tie_top, tie_low, tie_unsorted, tie_partial, first_max, nan_top)

# a transposed (permuted dense) probability matrix: q = empty_like(p) keeps its strides,
# so the exponential draws land in memory order; a sliced input draws in logical order
torch.manual_seed(1)
pt = torch.rand(5, 3).t()
draw_t = torch.multinomial(pt, 2)
draw_t_rep = torch.multinomial(pt, 4, True)
ps = torch.rand(3, 10)[:, ::2]
draw_s = torch.multinomial(ps, 2)
print(draw_t, draw_t_rep, draw_s)
