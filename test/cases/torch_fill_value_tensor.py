# Tensor.fill_ takes a number or a 0-dim tensor; espnet's pad_list(xs,
# pad_value) called with a tensor pad_value must fail as in PyTorch, not fill.
import torch


def pad_list(xs, pad_value):
    n_batch = len(xs)
    max_len = max(x.size(0) for x in xs)
    pad = xs[0].new(n_batch, max_len, *xs[0].size()[1:]).fill_(pad_value)

    for i in range(n_batch):
        pad[i, :xs[i].size(0)] = xs[i]

    return pad


padded = pad_list([torch.tensor([1, 2, 3]), torch.tensor([4])], -1)
scalar_tensor = pad_list([torch.ones(2, 2), torch.ones(1, 2)], torch.tensor(0.5))
print(padded, scalar_tensor, sep="\n")
try:
    torch.zeros(2).fill_("a")
except TypeError as e:
    print(str(e).splitlines()[0])
bad = pad_list([torch.tensor([7, 6]), torch.tensor([1])], torch.tensor([[0]]))
