// Preview with Arguments… prefills from the best evidence the file gives
// (src/vscode/prefill.ts), and what it offers runs: pressing Enter on the
// offer previews the call instead of failing on a made-up argument.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { evaluate } from '../../src/service/evaluate';
import { callsOf } from '../../src/vscode/callLookup';
import { prefillArguments } from '../../src/vscode/prefill';

/** The prefill for `fn` in `source`, and the preview call it makes (its error, its return value). */
function offer(source: string, fn: string) {
  const r = evaluate(source, { recordTimeline: true, continueAfterError: true });
  const info = r.functions!.find((f) => f.function === fn)!;
  const args = prefillArguments(info, source, r);
  const previewed = evaluate(source, { recordTimeline: true, continueAfterError: true, previewCall: { function: fn, args } });
  const call = callsOf(previewed, fn).find((c) => c.calledFrom === 0);
  return { args, call, errors: previewed.errors };
}

const shape = (v: unknown) => (v as { shape: number[] }).shape;

// espnet's nets_utils (trimmed, as a new user opened it): no hints, no docstrings, no call
const espnet = readFileSync(join(__dirname, '../fixtures/espnet_nets_utils.py'), 'utf8');

test('from how the body uses a parameter: a list of tensors, a fill value; lengths by name', () => {
  const pad = offer(espnet, 'pad_list');
  assert.equal(pad.args, '[torch.ones(4), torch.ones(2)], 0');
  assert.equal(pad.call?.error, undefined, JSON.stringify(pad.errors));
  assert.equal(pad.call?.returned?.repr, 'tensor([[1., 1., 1., 1.],\n        [1., 1., 0., 0.]])');
  const mask = offer(espnet, 'make_pad_mask');
  assert.equal(mask.args, 'torch.tensor([4, 2]), xs=None, length_dim=-1');
  assert.deepEqual(shape(mask.call?.returned?.value), [2, 4]);
  const sub = offer(espnet, 'subsequent_mask');
  assert.equal(sub.args, '4, device="cpu", dtype=torch.bool');
  assert.deepEqual(shape(sub.call?.returned?.value), [4, 4]);
});

test('examples agree where the body relates them: lengths of len xs.size(0), each at most xs.size(1) (espnet mask_by_length)', () => {
  const o = offer(espnet, 'mask_by_length');
  assert.equal(o.args, 'torch.tensor([[7, 6, 5, 4], [3, 2, 0, 0]]), torch.tensor([4, 2]), fill=0');
  assert.equal(o.call?.error, undefined, JSON.stringify(o.errors));
  assert.deepEqual(shape(o.call?.returned?.value), [2, 4]);
  // the relation read the other way round, and a counted parameter with no lengths name becomes the lengths
  const src = `import torch
def keep(ls, xs):
    assert len(ls) == xs.shape[0]
    out = torch.zeros_like(xs)
    for i, l in enumerate(ls):
        out[i, :l] = xs[i, :l]
    return out
`;
  const k = offer(src, 'keep');
  assert.equal(k.args, 'torch.tensor([4, 2]), torch.tensor([[7, 6, 5, 4], [3, 2, 0, 0]])');
  assert.equal(k.call?.error, undefined, JSON.stringify(k.errors));
  // no relation in the body: the examples stay as they were
  assert.equal(offer('import torch\ndef f(xs, lengths):\n    return xs, lengths\n', 'f').args, 'torch.tensor([[7, 6, 0, 0]]), torch.tensor([4, 2])');
});

test('from a `>>>` example in the docstring, with the names it bound written out', () => {
  const doc = `    """Perform padding for the list of tensors.

    Examples:
        >>> x = [torch.ones(4), torch.ones(2), torch.ones(1)]
        >>> x
        [tensor([1., 1., 1., 1.]), tensor([1., 1.]), tensor([1.])]
        >>> pad_list(x, 0)
        tensor([[1., 1., 1., 1.],
                [1., 1., 0., 0.],
                [1., 0., 0., 0.]])
    """
`;
  const src = espnet.replace('def pad_list(xs, pad_value):\n', (def) => def + doc);
  const o = offer(src, 'pad_list');
  assert.equal(o.args, '[torch.ones(4), torch.ones(2), torch.ones(1)], 0');
  assert.equal(o.call?.returned?.repr, 'tensor([[1., 1., 1., 1.],\n        [1., 1., 0., 0.],\n        [1., 0., 0., 0.]])');
});

test('from a call in the file the run never made, when its arguments read module-level names only', () => {
  const src = `import torch
PAD = 0
def causal(n):
    return torch.tril(torch.ones(n, n)).bool()
def padding(tokens, pad):
    return tokens == pad
def unused(batch):
    m = causal(batch.size(1))
    return padding(torch.tensor([[5, 3, PAD]]), PAD) & m
`;
  // causal's only call reads a local (batch): the parameter's name decides
  assert.equal(offer(src, 'causal').args, '4');
  const o = offer(src, 'padding');
  assert.equal(o.args, 'torch.tensor([[5, 3, PAD]]), PAD');
  assert.deepEqual((o.call?.returned?.value as { data: boolean[] }).data, [false, false, true]);
});

test('from the docstring: Google-style types and shapes, NumPy style, Sphinx', () => {
  const src = `import torch

def google(scores, mask, lengths, pad_value, ids):
    """Masked scores.

    Args:
        scores (torch.Tensor): attention scores (B, H, T, T).
        mask (torch.BoolTensor): key padding mask (B, 1, 1, T), True for real tokens.
        lengths (LongTensor or List): Batch of lengths (B,).
        pad_value (float): Value for padding.
        ids (LongTensor): token ids (B, T)
    """
    return scores.masked_fill(~mask, float("-inf"))

def numpy_style(x, keep):
    """
    Parameters
    ----------
    x : Tensor
        inputs, shape (batch, seq_len, d_model)
    keep : bool
        whether to keep
    """
    return x

def sphinx(q):
    """:param q: queries of shape [B, T, D]
    :type q: torch.Tensor
    """
    return q
`;
  const g = offer(src, 'google');
  assert.equal(g.args, 'torch.randn(2, 4, 4, 4), torch.arange(4) < torch.tensor([4, 2]).view(2, 1, 1, 1), torch.tensor([4, 2]), 0.0, torch.randint(1, 10, (2, 4))');
  assert.equal(g.call?.error, undefined, JSON.stringify(g.errors));
  assert.deepEqual(shape(g.call?.returned?.value), [2, 4, 4, 4]);
  assert.equal(offer(src, 'numpy_style').args, 'torch.randn(2, 4, 4), True');
  assert.equal(offer(src, 'sphinx').args, 'torch.randn(2, 4, 4)');
});

test('type hints still come before the docstring and the body; defaults stay keywords', () => {
  const src = `import torch
from typing import List, Optional
def f(xs: List[torch.Tensor], lengths: torch.Tensor, pad_id: int, m: Optional[torch.Tensor] = None):
    return xs
`;
  assert.equal(offer(src, 'f').args, '[torch.ones(4), torch.ones(2)], torch.tensor([4, 2]), 0, m=None');
});

test('a NumPy file gets NumPy examples; q, k and v together are tensors, not sizes', () => {
  const src = `import numpy as np

def softmax(x, axis=-1):
    e = np.exp(x - np.max(x, axis=axis, keepdims=True))
    return e / np.sum(e, axis=axis, keepdims=True)

def attention(q, k, v, mask=None):
    scores = q @ k.swapaxes(-1, -2) / np.sqrt(q.shape[-1])
    if mask is not None:
        scores = np.where(mask, scores, -1e9)
    return softmax(scores) @ v

def top(scores, k):
    return np.sort(scores)[..., -k:]
`;
  assert.equal(offer(src, 'softmax').args, 'np.array([[7, 6, 0, 0]]), axis=-1');
  const a = offer(src, 'attention');
  assert.equal(a.args, 'np.random.randn(2, 4, 8), np.random.randn(2, 4, 8), np.random.randn(2, 4, 8), mask=None');
  assert.deepEqual(shape(a.call?.returned?.value), [2, 4, 8]);
  assert.equal(offer(src, 'top').args, 'np.random.randn(1, 4), 4', 'k alone is a count; scores are floats');
});

test('a call site that reads a name its failed statement never bound is no evidence', () => {
  const src = `import torch
q = torch.nope(2, 4)
def f(x, n):
    return x * n
out = f(q, 2) if False else None
`;
  // q was never bound (torch.nope raised): the call site would only raise NameError again
  assert.equal(offer(src, 'f').args, 'torch.tensor([[7, 6, 0, 0]]), 4');
});

test('float scores a mask is applied to get floats, not token ids (timm maybe_add_mask, a logits argument)', () => {
  const src = `import torch
from typing import Optional
def maybe_add_mask(scores: torch.Tensor, attn_mask: Optional[torch.Tensor] = None):
    return scores if attn_mask is None else scores + attn_mask
def masked(logits, mask):
    return logits.masked_fill(mask == 0, float('-inf')).softmax(-1)
`;
  const add = offer(src, 'maybe_add_mask');
  assert.equal(add.args, 'torch.randn(1, 4), attn_mask=None');
  assert.equal(add.call?.error, undefined, JSON.stringify(add.errors));
  const m = offer(src, 'masked');
  assert.equal(m.args, 'torch.randn(1, 4), torch.tensor([[1, 1, 0, 0]])');
  assert.equal(m.call?.error, undefined, JSON.stringify(m.errors));
  assert.deepEqual(shape(m.call?.returned?.value), [1, 4]);
});

test("a docstring shape with trailing `...` is a shape: (batch, seqlen, ...) beside a (batch, seqlen) mask (flash-attn's unpad_input)", () => {
  const src = `import torch

def drop_padding(hidden_states, attention_mask):
    """
    Arguments:
        hidden_states: (batch, seqlen, ...)
        attention_mask: (batch, seqlen), bool / int, 1 means valid and 0 means not valid.
    Return:
        hidden_states: (total_nnz, ...)
    """
    assert hidden_states.ndim >= 2
    indices = torch.nonzero(attention_mask.flatten(), as_tuple=False).flatten()
    return hidden_states.flatten(0, 1)[indices]
`;
  const o = offer(src, 'drop_padding');
  assert.equal(o.args, 'torch.randn(2, 4, 4), torch.arange(4) < torch.tensor([4, 2]).view(2, 1)');
  assert.equal(o.call?.error, undefined, JSON.stringify(o.errors));
  assert.deepEqual(shape(o.call?.returned?.value), [6, 4]);
});

test('a torch.autograd.Function: forward(ctx, x, mask) gets a FunctionCtx and a bool mask, and runs; a staticmethod is no method of an instance, a classmethod binds cls', () => {
  const source = `import torch


class MaskedScale(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, mask):
        ctx.save_for_backward(mask)
        return x.masked_fill(~mask, 0)

    @staticmethod
    def backward(ctx, grad_out):
        (mask,) = ctx.saved_tensors
        return grad_out.masked_fill(~mask, 0), None


class Masks:
    @staticmethod
    def padding(lengths, max_len):
        return torch.arange(max_len) < lengths.unsqueeze(1)

    @classmethod
    def causal(cls, size):
        return torch.ones(size, size, dtype=torch.bool).tril()
`;
  const fwd = offer(source, 'MaskedScale.forward');
  assert.equal(fwd.args, 'torch.autograd.function.FunctionCtx(), torch.tensor([[7, 6, 0, 0]]), torch.tensor([[True, True, False, False]])');
  assert.equal(fwd.call?.error, undefined, JSON.stringify(fwd.errors));
  assert.equal(fwd.call?.returned?.repr, 'tensor([[7, 6, 0, 0]])');
  const padding = offer(source, 'Masks.padding');
  assert.equal(padding.args, 'torch.tensor([4, 2]), 4');
  assert.deepEqual(shape(padding.call?.returned?.value), [2, 4]);
  const causal = offer(source, 'Masks.causal');
  assert.equal(causal.args, '4');
  assert.deepEqual(shape(causal.call?.returned?.value), [4, 4]);
});

test("a method's self is an instance its __init__ can build (llama's RMSNorm(dim, eps), Attention(args: ModelArgs)): the calls run", () => {
  const source = `import torch
from dataclasses import dataclass
from torch import nn


@dataclass
class ModelArgs:
    dim: int = 8
    n_heads: int = 2


class RMSNorm(nn.Module):
    def __init__(self, dim: int, eps: float = 1e-6):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(dim))

    def forward(self, x):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps) * self.weight


class Attention(nn.Module):
    def __init__(self, args: ModelArgs):
        super().__init__()
        self.head_dim = args.dim // args.n_heads

    def causal_mask(self, seqlen: int):
        return torch.full((seqlen, seqlen), float("-inf")).triu(1)


class Block(nn.Module):
    def __init__(self, layer_id: int, args: ModelArgs):
        super().__init__()
        self.attention = Attention(args)

    def mask(self, seqlen: int):
        return self.attention.causal_mask(seqlen)


args = ModelArgs()
`;
  const norm = offer(source, 'RMSNorm.forward');
  assert.equal(norm.args, 'RMSNorm(8), torch.randn(2, 4, 8)');
  const attention = offer(source, 'Attention.causal_mask');
  assert.equal(attention.args, 'Attention(ModelArgs(dim=8, n_heads=2)), 4');
  assert.equal(attention.call?.error, undefined, JSON.stringify(attention.errors));
  assert.deepEqual(shape(attention.call?.returned?.value), [4, 4]);
  const block = offer(source, 'Block.mask');
  assert.equal(block.args, 'Block(2, ModelArgs(dim=8, n_heads=2)), 4');
  assert.equal(block.call?.error, undefined, JSON.stringify(block.errors));
});

test("annotations torch.dtype, torch.device and torch.Size get a dtype, a device and a size (Hugging Face's _make_causal_mask)", () => {
  const source = `import torch
from typing import Optional, Union, Tuple, List


def make_causal_mask(input_ids_shape: torch.Size, dtype: torch.dtype, device: torch.device, past_key_values_length: int = 0):
    bsz, tgt_len = input_ids_shape
    mask = torch.full((tgt_len, tgt_len), torch.finfo(dtype).min, device=device)
    mask_cond = torch.arange(mask.size(-1), device=device)
    mask.masked_fill_(mask_cond < (mask_cond + 1).view(mask.size(-1), 1), 0)
    return mask[None, None, :, :].expand(bsz, 1, tgt_len, tgt_len + past_key_values_length)


def shape_of(input_shape: Union[torch.Size, Tuple, List]):
    return input_shape[-1]
`;
  const causal = offer(source, 'make_causal_mask');
  assert.equal(causal.args, 'torch.Size([2, 4]), torch.float32, "cpu", past_key_values_length=0');
  assert.equal(causal.call?.error, undefined, JSON.stringify(causal.errors));
  assert.deepEqual(shape(causal.call?.returned?.value), [2, 1, 4, 4]);
  assert.equal(offer(source, 'shape_of').args, 'torch.Size([2, 4])');
});

test("a method's self is built as the file builds its class, when a module-level call shows it (Swin's WindowAttention(dim, (Wh, Ww), heads))", () => {
  const source = `import torch
import torch.nn as nn


class WindowAttention(nn.Module):
    def __init__(self, dim, window_size, num_heads):
        super().__init__()
        self.dim = dim
        self.window_size = window_size
        self.num_heads = num_heads
        self.table = nn.Parameter(torch.zeros((2 * window_size[0] - 1) * (2 * window_size[1] - 1), num_heads))

    def forward(self, x):
        return x

    def flops(self, N):
        return N * self.dim * 3 * self.dim + self.num_heads * N * (self.dim // self.num_heads) * N


attn = WindowAttention(16, (4, 4), 2)
out = attn(torch.ones(2, 3))
`;
  const flops = offer(source, 'WindowAttention.flops');
  assert.equal(flops.args, 'WindowAttention(16, (4, 4), 2), 4');
  assert.equal(flops.call?.error, undefined, JSON.stringify(flops.errors));
  // 4·16·3·16 + 2·4·8·4, from the instance the file's sizes built
  assert.deepEqual(flops.call?.returned?.value, { type: 'int', value: 3328 });
  const init = offer(source, 'WindowAttention.__init__');
  assert.equal(init.args, 'WindowAttention(16, (4, 4), 2), 16, (4, 4), 2');
  assert.equal(init.call?.error, undefined, JSON.stringify(init.errors));
});

// MAE's masking methods (facebookresearch/mae models_mae.py, trimmed): a ratio is a number, a patch divides the images
const mae = readFileSync(join(__dirname, '../fixtures/mae_masking.py'), 'utf8');

test('a ratio, a probability or a special token id named like a mask is a number (MAE mask_ratio, mask_token_id), not a mask tensor', () => {
  const masking = offer(mae, 'MAE.random_masking');
  assert.match(masking.args, /, 0\.5$/);
  assert.equal(masking.call?.error, undefined, JSON.stringify(masking.errors));
  const [xMasked, mask] = (masking.call?.returned?.value as { items: unknown[] }).items;
  assert.deepEqual(shape(xMasked), [2, 2, 4], 'half the patches kept');
  assert.deepEqual(shape(mask), [2, 4]);
  const plain = offer('import torch\ndef mask_tokens(ids, mlm_probability, drop_rate, mask_token_id):\n    return ids\n', 'mask_tokens');
  assert.equal(plain.args, 'torch.tensor([[7, 6, 0, 0]]), 0.5, 0.5, 1', 'mask_token_id is one id');
});

test("a module's patch size divides the example images' sides (MAE patchify's reshape)", () => {
  const patchify = offer(mae, 'MAE.patchify');
  assert.equal(patchify.args, 'MAE(patch_size=2, decoder_embed_dim=8), torch.randn(2, 3, 4, 4)');
  assert.equal(patchify.call?.error, undefined, JSON.stringify(patchify.errors));
  assert.deepEqual(shape(patchify.call?.returned?.value), [2, 4, 12]);
});

test("d2l.ai's valid_len is a lengths tensor, not a size (MaskedSoftmaxCELoss)", () => {
  const d2l = `import torch
from torch import nn


def sequence_mask(X, valid_len, value=0):
    maxlen = X.size(1)
    mask = torch.arange((maxlen), dtype=torch.float32, device=X.device)[None, :] < valid_len[:, None]
    X[~mask] = value
    return X


class MaskedSoftmaxCELoss(nn.CrossEntropyLoss):
    def forward(self, pred, label, valid_len):
        weights = torch.ones_like(label)
        weights = sequence_mask(weights, valid_len)
        self.reduction = 'none'
        unweighted_loss = super(MaskedSoftmaxCELoss, self).forward(pred.permute(0, 2, 1), label)
        return (unweighted_loss * weights).mean(dim=1)
`;
  const loss = offer(d2l, 'MaskedSoftmaxCELoss.forward');
  assert.match(loss.args, /, torch\.tensor\(\[4, 2\]\)$/);
  assert.equal(loss.call?.error, undefined, JSON.stringify(loss.errors));
  assert.deepEqual(shape(loss.call?.returned?.value), [2]);
});
