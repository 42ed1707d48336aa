# Reduced from ESPnet nets_utils.py (make_pad_mask, pad_list, mask_by_length, th_accuracy) and
# transformer/mask.py (subsequent_mask, target_mask): their distutils LooseVersion gates pick the mask dtype.
from distutils.version import LooseVersion, StrictVersion
import distutils.version
import numpy as np
import torch

is_torch_1_2_plus = LooseVersion(torch.__version__) >= LooseVersion("1.2.0")
datatype = torch.bool if is_torch_1_2_plus else torch.uint8


def pad_list(xs, pad_value):
    n_batch = len(xs)
    max_len = max(x.size(0) for x in xs)
    pad = xs[0].new(n_batch, max_len, *xs[0].size()[1:]).fill_(pad_value)
    for i in range(n_batch):
        pad[i, :xs[i].size(0)] = xs[i]
    return pad


def make_pad_mask(lengths, xs=None, length_dim=-1, maxlen=None):
    if length_dim == 0:
        raise ValueError("length_dim cannot be 0: {}".format(length_dim))
    if not isinstance(lengths, list):
        lengths = lengths.long().tolist()
    bs = int(len(lengths))
    if maxlen is None:
        if xs is None:
            maxlen = int(max(lengths))
        else:
            maxlen = xs.size(length_dim)
    else:
        assert xs is None
        assert maxlen >= int(max(lengths))
    seq_range = torch.arange(0, maxlen, dtype=torch.int64)
    seq_range_expand = seq_range.unsqueeze(0).expand(bs, maxlen)
    seq_length_expand = seq_range_expand.new(lengths).unsqueeze(-1)
    mask = seq_range_expand >= seq_length_expand
    if xs is not None:
        assert xs.size(0) == bs, (xs.size(0), bs)
        if length_dim < 0:
            length_dim = xs.dim() + length_dim
        ind = tuple(slice(None) if i in (0, length_dim) else None for i in range(xs.dim()))
        mask = mask[ind].expand_as(xs).to(xs.device)
    return mask


def make_non_pad_mask(lengths, xs=None, length_dim=-1):
    return ~make_pad_mask(lengths, xs, length_dim)


def mask_by_length(xs, lengths, fill=0):
    assert xs.size(0) == len(lengths)
    ret = xs.data.new(*xs.size()).fill_(fill)
    for i, l in enumerate(lengths):
        ret[i, :l] = xs[i, :l]
    return ret


def mask_by_length_and_multiply(xs, length, fill=0, msize=1):
    assert xs.size(0) == len(length)
    ret = xs.data.new(xs.size(0) * msize, xs.size(1), xs.size(2)).fill_(fill)
    k = 0
    new_length = length.new(len(length) * msize)
    for i, l in enumerate(length):
        for j in range(msize):
            ret[k, :l] = xs[i, :l]
            new_length[k] = length[i]
            k += 1
    return ret, new_length


def th_accuracy(pad_outputs, pad_targets, ignore_label):
    pad_pred = pad_outputs.view(pad_targets.size(0), pad_targets.size(1), pad_outputs.size(1)).argmax(2)
    mask = pad_targets != ignore_label
    numerator = torch.sum(pad_pred.masked_select(mask) == pad_targets.masked_select(mask))
    denominator = torch.sum(mask)
    return float(numerator) / float(denominator)


def to_torch_tensor(x):
    if isinstance(x, np.ndarray):
        if x.dtype.kind == "c":
            raise NotImplementedError
        else:
            return torch.from_numpy(x)
    elif isinstance(x, torch.Tensor):
        return x
    else:
        error = ("x must be numpy.ndarray, torch.Tensor or a dict like "
                 "{{'real': torch.Tensor, 'imag': torch.Tensor}}, "
                 "but got {}".format(type(x)))
        raise ValueError(error)


def subsequent_mask(size, device="cpu", dtype=datatype):
    if LooseVersion(torch.__version__) < "1.2":
        ret = torch.ones(size, size, device=device, dtype=dtype)
        return torch.tril(ret, out=ret)
    ret = torch.ones(size, size, device=device, dtype=dtype)
    return torch.tril(ret, out=ret)


def target_mask(ys_in_pad, ignore_id):
    ys_mask = ys_in_pad != ignore_id
    m = subsequent_mask(ys_mask.size(-1), device=ys_mask.device).unsqueeze(0)
    return ys_mask.unsqueeze(-2) & m


def add_sos_eos(ys_pad, sos, eos, ignore_id):
    _sos = ys_pad.new([sos])
    _eos = ys_pad.new([eos])
    ys = [y[y != ignore_id] for y in ys_pad]
    ys_in = [torch.cat([_sos, y], dim=0) for y in ys]
    ys_out = [torch.cat([y, _eos], dim=0) for y in ys]
    return pad_list(ys_in, eos), pad_list(ys_out, ignore_id)


lengths = torch.tensor([5, 3, 2])
pm = make_pad_mask(lengths)
print(pm)
print(make_pad_mask([5, 3, 2], maxlen=6).int())
xs = torch.zeros(3, 2, 6)
pm3 = make_pad_mask(lengths, xs)
print(pm3.shape, pm3[1])
pm3b = make_pad_mask(lengths, xs.transpose(1, 2), 1)
print(pm3b.shape, pm3b[2, :, 0])
npm = make_non_pad_mask(lengths)
feats = [torch.ones(5, 2), torch.ones(3, 2) * 2, torch.ones(2, 2) * 3]
padded = pad_list(feats, 0.0)
print(padded[:, :, 0])
masked = mask_by_length(torch.arange(12.).view(3, 4), [4, 2, 1])
print(masked)
mm, nl = mask_by_length_and_multiply(torch.arange(24.).view(3, 4, 2), torch.tensor([4, 2, 1]), fill=-1, msize=2)
print(mm[:, :, 0], nl)
ys_pad = torch.tensor([[3, 4, 5, -1], [6, 7, -1, -1]])
ys_in, ys_out = add_sos_eos(ys_pad, 9, 9, -1)
print(ys_in, ys_out)
tm = target_mask(ys_in, 9)
print(tm.dtype, tm.shape)
print(tm)
logits = torch.randn(2 * 4, 10)
acc = th_accuracy(logits, ys_out, -1)
print(round(acc, 6))
print(to_torch_tensor(np.ones(3, dtype=np.float32)))
try:
    to_torch_tensor([1, 2])
except ValueError as e:
    print(e)
try:
    make_pad_mask(lengths, length_dim=0)
except ValueError as e:
    print(e)
sm = subsequent_mask(4)
print(sm)


v = LooseVersion(torch.__version__)
print(repr(v), str(v), v.version, v.vstring, v >= '1.2', v < LooseVersion('2.13.1'), v == '2.13.0+cpu', LooseVersion('1.2') < '1.10')
print('1.2' < v, '3.0' <= v, LooseVersion("1.2") > "1.10", distutils.version.LooseVersion("0.4.1") < "1.0")
try: print(LooseVersion('1.a') < LooseVersion('1.2'))
except TypeError as e: print(e)
try: print('1.2' > LooseVersion('1.a'))
except TypeError as e: print(e)
try: print(v < 3)
except TypeError as e: print(e)
print(LooseVersion('1.2') == 1.2, LooseVersion('1.2') != [1, 2])
s = StrictVersion('1.2.0a1'); print(repr(s), str(s), s.version, s.prerelease, s < '1.2', StrictVersion('1.2') == '1.2.0', '1.3' > s)
try: StrictVersion(torch.__version__)
except ValueError as e: print(e)
