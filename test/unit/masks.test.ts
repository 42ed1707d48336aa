// Mask-semantics diagnostics (issue #6): each fires at the consuming line on
// the buggy form and stays quiet on the correct one; mask summaries name the form.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluate } from '../../src/service/evaluate';

const run = (src: string) => evaluate(src.trim() + '\n', { recordTimeline: true });
const codes = (src: string) => run(src).diagnostics.map((d) => `${d.code}@${d.line}`);
const has = (src: string, code: string, line: number) => assert.ok(codes(src).includes(`${code}@${line}`), `${code}@${line} not in ${JSON.stringify(codes(src))}`);
const lacks = (src: string, code: string) => assert.ok(!codes(src).some((c) => c.startsWith(code + '@')), `${code} unexpectedly in ${JSON.stringify(codes(src))}`);

test('uniform-row: a row fully masked with a finite fill before softmax', () => {
  const src = `
import torch
s = torch.zeros(2, 3)
m = torch.tensor([[False, True, True], [True, True, True]])
s = s.masked_fill(m, -1e9)
p = torch.softmax(s, dim=-1)
q = s.softmax(-1)`;
  // torch.softmax lives in module.ts (not instrumented); the method call is
  has(src, 'uniform-row', 6);
  const d = run(src).diagnostics.find((x) => x.code === 'uniform-row')!;
  assert.match(d.message, /\(1\)/);
  lacks(src.replace('[True, True, True]', '[True, False, True]'), 'uniform-row');
});

test('uniform-row and fully-masked-row: F.softmax with -inf fill reports NaN rows, not uniform', () => {
  const src = `
import torch
import torch.nn.functional as F
s = torch.zeros(2, 2).masked_fill(torch.tensor([[True, True], [False, True]]), float('-inf'))
p = F.softmax(s, dim=-1)`;
  has(src, 'fully-masked-row', 4);
  lacks(src, 'uniform-row');
});

test('non-bool-mask: float mask to masked_fill (diagnostic even though it raises)', () => {
  const src = `
import torch
x = torch.zeros(3)
y = x.masked_fill(torch.tensor([1.0, 0.0, 1.0]), 5.0)`;
  has(src, 'non-bool-mask', 3);
  lacks(src.replace('[1.0, 0.0, 1.0]', '[True, False, True]'), 'non-bool-mask');
});

test('uint8-mask: masked_fill, masked_select (errors in PyTorch 2.x) and x[mask]', () => {
  const src = `
import torch
x = torch.arange(3.0)
m = torch.tensor([1, 0, 1], dtype=torch.uint8)
c = x[m]
a = x.masked_fill(m, 0.0)`;
  const r = run(src);
  assert.deepEqual(r.diagnostics.filter((d) => d.code === 'uint8-mask').map((d) => d.line), [4, 5]);
  assert.ok(r.diagnostics.every((d) => d.severity !== 'error'));
  assert.deepEqual([r.error?.type, r.error?.message, r.error?.line], ['RuntimeError', 'masked_fill_ only supports boolean masks, but got mask with dtype unsigned char', 5]);
  const sel = run(src.replace('x.masked_fill(m, 0.0)', 'x.masked_select(m)'));
  assert.deepEqual(sel.diagnostics.filter((d) => d.code === 'uint8-mask').map((d) => d.line), [4, 5]);
  assert.equal(sel.error?.message, 'masked_select: expected BoolTensor for mask');
  lacks(src.replace('dtype=torch.uint8', 'dtype=torch.bool'), 'uint8-mask');
});

test('fill-overflow: -1e9 into float16 becomes -inf', () => {
  const src = `
import torch
x = torch.zeros(2, dtype=torch.float16)
y = x.masked_fill(torch.tensor([True, False]), -1e9)`;
  has(src, 'fill-overflow', 3);
  lacks(src.replace('-1e9', '-1e4'), 'fill-overflow');
  lacks(src.replace('torch.float16', 'torch.float32'), 'fill-overflow');
});

test('all-targets-ignored: every target is ignore_index under mean', () => {
  const src = `
import torch
import torch.nn.functional as F
logits = torch.zeros(2, 3)
loss = F.cross_entropy(logits, torch.tensor([-100, -100]))`;
  has(src, 'all-targets-ignored', 4);
  lacks(src, 'fully-masked-row'); // a NaN scalar loss is not a masked row
  lacks(src.replace('[-100, -100]', '[-100, 1]'), 'all-targets-ignored');
  lacks(src.replace('))', "), reduction='sum')"), 'all-targets-ignored');
  has(src.replace('F.cross_entropy(logits', 'F.nll_loss(logits'), 'all-targets-ignored', 4);
});

test('pad-counted-in-loss: right-padded targets with pad id 0 and default ignore_index', () => {
  const src = `
import torch
import torch.nn as nn
logits = torch.zeros(2, 5, 4)
targets = torch.tensor([[3, 1, 2, 0, 0], [2, 2, 0, 0, 0]])
loss = nn.CrossEntropyLoss()(logits, targets)`;
  has(src, 'pad-counted-in-loss', 5);
  assert.equal(run(src).diagnostics.find((d) => d.code === 'pad-counted-in-loss')!.severity, 'info');
  lacks(src.replace('CrossEntropyLoss()', 'CrossEntropyLoss(ignore_index=0)'), 'pad-counted-in-loss');
  lacks(src.replace('[[3, 1, 2, 0, 0], [2, 2, 0, 0, 0]]', '[[3, 1, 2, 0, 1], [2, 0, 1, 3, 1]]'), 'pad-counted-in-loss');
  lacks(src.replace('CrossEntropyLoss()', "CrossEntropyLoss(reduction='none')"), 'pad-counted-in-loss');
  // short class-index targets with repeated class 0 are ordinary classification
  lacks(src.replace('zeros(2, 5, 4)', 'zeros(3, 4)').replace('[[3, 1, 2, 0, 0], [2, 2, 0, 0, 0]]', '[1, 0, 0]'), 'pad-counted-in-loss');
});

test('inverted-key-padding-mask: a batch row that ignores every key', () => {
  const src = `
import torch
import torch.nn as nn
torch.manual_seed(0)
mha = nn.MultiheadAttention(4, 2, batch_first=True)
x = torch.randn(2, 3, 4)
kpm = torch.tensor([[True, True, True], [False, False, True]])
out, w = mha(x, x, x, key_padding_mask=kpm)`;
  has(src, 'inverted-key-padding-mask', 7);
  lacks(src.replace('[True, True, True]', '[False, True, True]'), 'inverted-key-padding-mask');
});

test('is-causal-with-mask: is_causal=True together with attn_mask', () => {
  const src = `
import torch
import torch.nn.functional as F
q = torch.zeros(1, 1, 3, 2)
m = torch.ones(3, 3, dtype=torch.bool)
o = F.scaled_dot_product_attention(q, q, q, attn_mask=m, is_causal=True)`;
  assert.equal(run(src).error, null); // 4-D inputs: PyTorch 2.13's CPU flash kernel applies both
  has(src, 'is-causal-with-mask', 5);
  lacks(src.replace('attn_mask=m, ', ''), 'is-causal-with-mask');
  // 3-D inputs take the math path, which raises; the warning is still given
  const three = src.replace('torch.zeros(1, 1, 3, 2)', 'torch.zeros(1, 3, 2)');
  assert.equal(run(three).error?.message, '_scaled_dot_product_attention: Explicit attn_mask should not be set when is_causal=True');
  has(three, 'is-causal-with-mask', 5);
});

test('softmax-size-one: softmax over an axis of size 1', () => {
  const src = `
import torch
import torch.nn.functional as F
x = torch.randn(4, 1)
p = F.softmax(x, dim=1)`;
  has(src, 'softmax-size-one', 4);
  lacks(src.replace('dim=1', 'dim=0'), 'softmax-size-one');
  // attention pooling scores [B, T, 1] softmaxed over the wrong axis still warn
  has(src.replace('torch.randn(4, 1)', 'torch.randn(2, 4, 1)').replace('dim=1', 'dim=-1'), 'softmax-size-one', 4);
});

test('softmax-size-one: not for one query meeting one key (a decoder\'s first step)', () => {
  const src = `
import math
import torch
q = torch.randn(1, 8, 1, 4)
k = torch.randn(1, 8, 1, 4)
scores = torch.matmul(q, k.transpose(-2, -1)) / math.sqrt(4)
mask = torch.ones(1, 1, 1, dtype=torch.bool)
scores = scores.masked_fill(mask == 0, -1e9)
p_attn = scores.softmax(dim=-1)`;
  assert.equal(run(src).error, null);
  lacks(src, 'softmax-size-one');
});

test('diagnostics never change values, stdout or warnings', () => {
  const src = `
import torch
x = torch.zeros(2, dtype=torch.float16)
m = torch.tensor([1, 0], dtype=torch.uint8)
y = x.masked_fill(m.bool(), -1e4)
z = x[m]
print(y)`;
  const r = run(src);
  assert.equal(r.stdout, 'tensor([-10000.,      0.], dtype=torch.float16)\n');
  assert.equal(r.warnings.length, 1);
  assert.deepEqual(r.diagnostics.map((d) => d.code).sort(), ['uint8-mask']);
  // PyTorch 2.x refuses a float16 fill that overflows (c10::checked_convert) instead of storing -inf
  const over = run(src.replace('-1e4', '-1e9'));
  assert.equal(over.error?.message, 'value cannot be converted to type c10::Half without overflow');
});

test('mask summaries: causal forms, padding side and lengths, masked fraction', () => {
  const src = `
import torch
tril_keep = torch.tril(torch.ones(4, 4, dtype=torch.bool))
triu_block = torch.triu(torch.ones(4, 4, dtype=torch.bool), diagonal=1)
ids = torch.tensor([[5, 6, 7, 0], [8, 9, 0, 0]])
pad_mask = ids == 0
attention_mask = (ids != 0).long()
left_mask = torch.tensor([[0, 1, 1, 1], [0, 0, 1, 1]])[:, None, None, :]
valid = torch.tensor([[0, 1, 1, 1], [0, 0, 1, 1]]).bool()[:, None, None, :]
bias = torch.zeros(2, 4).masked_fill(pad_mask, float('-inf'))`;
  const r = run(src);
  const summary = (name: string) => r.timeline.find((s) => s.name === name)?.maskSummary;
  assert.equal(summary('tril_keep'), 'causal (tril, 1 = attend) · 37.5% masked');
  assert.equal(summary('triu_block'), 'causal (triu, diagonal=1) · 37.5% masked');
  assert.equal(summary('pad_mask'), 'padding (right, lengths 3, 2) · 37.5% masked');
  assert.equal(summary('attention_mask'), 'padding (right, lengths 3, 2) · 37.5% masked');
  assert.equal(summary('bias'), 'padding (right, lengths 3, 2, additive) · 37.5% masked');
  const left = r.timeline.find((s) => s.name === 'left_mask')!;
  assert.equal(left.mask, 'padding');
  // 0-then-1 without a keep-like name reads as a block-mask (True = pad) padded on the right
  assert.equal(left.maskSummary, 'padding (right, lengths 1, 2) · 62.5% masked');
  assert.equal(summary('valid'), 'padding (left, lengths 3, 2) · 37.5% masked');
  assert.equal(summary('ids'), undefined);
});

test('a keep-mask handed to masked_fill with -inf is flagged as inverted', () => {
  const r = evaluate(`import torch
seq = torch.tensor([[5, 7, 0], [3, 0, 0]])
keep = seq != 0
scores = torch.zeros(2, 3).masked_fill(keep, float('-inf'))
ok = torch.zeros(2, 3).masked_fill(~keep, float('-inf'))
`, { recordTimeline: true });
  const found = r.diagnostics.filter((d) => d.code === 'inverted-mask');
  assert.equal(found.length, 1);
  assert.equal(found[0].line, 4);
});

test('a combined mask is named by its parts: padding lengths and causal', () => {
  const r = evaluate(`import torch
batch = torch.tensor([[5, 7, 9, 0], [3, 4, 0, 0]])
combined = (batch != 0).unsqueeze(-2) & torch.tril(torch.ones(4, 4)).bool()
`, { recordTimeline: true });
  const s = r.timeline.find((x) => x.name === 'combined');
  assert.equal(s?.mask, 'combined');
  assert.equal(s?.maskSummary, 'padding (right, lengths 3, 2) ∧ causal (1 = attend) · 50% masked');
});

test('a mask needs evidence: all-ones sums and helper tensors named ones are not masks', () => {
  const r = evaluate(`import torch
scores = torch.tensor([[0.5, 0.5], [0.25, 0.75]])
probs = torch.tensor([[0.5, 0.5], [0.25, 0.75]])
row_sums = probs.sum(-1)
ones = torch.ones(4, 4)
zeros = torch.zeros(2, 4)
eye = torch.eye(3)
look_ahead_mask = 1 - torch.tril(torch.ones(4, 4))
padding_mask = (torch.tensor([[5, 0, 0]]) == 0).float()
`, { recordTimeline: true });
  const s = (name: string) => r.timeline.find((x) => x.name === name)!;
  // probs.sum(-1) is all 1.0: not a "padding mask · 100% True"
  assert.deepEqual(s('row_sums').value, { type: 'torch.Tensor', dtype: 'torch.float32', shape: [2], data: [1, 1] });
  assert.equal(s('row_sums').mask, undefined);
  assert.equal(s('row_sums').maskSummary, undefined);
  // a helper tensor called ones (or zeros, eye) is not a "combined" mask
  for (const name of ['ones', 'zeros', 'eye']) assert.equal(s(name).mask, undefined, name);
  // provenance says so: tril arithmetic and a comparison cast to float stay masks
  assert.equal(s('look_ahead_mask').mask, 'causal');
  assert.equal(s('padding_mask').mask, 'padding');
});

test('false positives from a new-user test: a CLS-only mask is not an inverted keep-mask', () => {
  const r = evaluate(`import torch
scores = torch.zeros(2, 4, 4)
cls_mask = torch.zeros(2, 4, 4, dtype=torch.bool)
cls_mask[:, :, 0] = True
out = scores.masked_fill(cls_mask, float('-inf'))
first = torch.zeros(2, 4, dtype=torch.bool)
first[:, 0] = True
out2 = torch.zeros(2, 4).masked_fill(first, float('-inf'))
seq = torch.tensor([[5, 7, 0], [3, 0, 0]])
keep = seq != 0
wrong = torch.zeros(2, 3).masked_fill(keep, float('-inf'))
`, { recordTimeline: true });
  const inverted = r.diagnostics.filter((d) => d.code === 'inverted-mask');
  // only the real keep-mask (runs of 2 and 1 real tokens) is flagged, not the CLS masks
  assert.deepEqual(inverted.map((d) => d.line), [11]);
  const last = (name: string) => r.timeline.filter((x) => x.name === name).at(-1)!;
  for (const name of ['cls_mask', 'first']) {
    assert.notEqual(last(name).mask, 'padding', name);
    assert.notEqual(last(name).mask, 'combined', name);
    assert.notEqual(last(name).mask, 'causal', name);
  }
  // an all-False mask is not a (vacuous) causal triangle
  assert.notEqual(r.timeline.find((x) => x.name === 'cls_mask')!.mask, 'combined');
});

test('false positives from a new-user test: a Swin region-id map is not a padding mask', () => {
  // timm's SwinTransformerBlock.calculate_mask fills img_mask with window ids by slice writes
  const r = evaluate(`import torch
img_mask = torch.zeros((1, 4, 4, 1))
img_mask[:, 2:, :, :] = 1
img_mask[:, :, 2:, :] = 2
H, W, ws, shift = 8, 8, 4, 2
region = torch.zeros((1, H, W, 1))
cnt = 0
for h in (slice(0, -ws), slice(-ws, -shift), slice(-shift, None)):
    for w in (slice(0, -ws), slice(-ws, -shift), slice(-shift, None)):
        region[:, h, w, :] = cnt
        cnt += 1
pad_mask = torch.zeros(2, 4)
pad_mask[1, 2:] = 1
`, { recordTimeline: true });
  for (const s of r.timeline.filter((x) => x.name === 'img_mask' || x.name === 'region')) {
    assert.equal(s.mask, undefined, `${s.name} at line ${s.line}`);
    assert.equal(s.maskSummary, undefined);
  }
  // a 0/1 mask written the same way, that never holds an id beyond 1, is still a padding mask
  assert.equal(r.timeline.filter((x) => x.name === 'pad_mask').at(-1)!.mask, 'padding');
});

test('softmax, masked_fill and losses record how they were computed (Snapshot.derived)', () => {
  const r = evaluate(`import torch
import torch.nn.functional as F
scores = torch.tensor([[1.0, 2.0, 3.0], [0.5, 0.5, 0.5]])
pad = torch.tensor([[False, False, True], [True, True, True]])
masked = scores.masked_fill(pad, float('-inf'))
probs = F.softmax(masked, dim=-1)
logits = torch.tensor([[2.0, 0.5, 0.1], [0.2, 1.5, 0.3], [0.1, 0.2, 3.0]])
targets = torch.tensor([0, 2, 1])
loss = torch.nn.CrossEntropyLoss(ignore_index=2)(logits, targets)
`, { recordTimeline: true });
  const s = (name: string) => r.timeline.find((x) => x.name === name)!;
  const probs = s('probs').derived;
  assert.equal(probs?.op, 'softmax');
  if (probs?.op !== 'softmax') return;
  assert.equal(probs.dim, -1);
  assert.equal(probs.scoresName, 'masked');
  assert.equal(probs.masked?.name, 'pad');
  assert.equal(probs.masked?.fill, '-inf');
  assert.deepEqual((probs.masked?.mask as { data: boolean[] }).data, [false, false, true, true, true, true]);
  assert.deepEqual((probs.masked?.before as { data: number[] }).data, [1, 2, 3, 0.5, 0.5, 0.5]);
  const loss = s('loss').derived;
  assert.equal(loss?.op, 'cross_entropy');
  if (loss?.op !== 'cross_entropy') return;
  assert.deepEqual([loss.counted, loss.total, loss.ignoreIndex, loss.reduction], [2, 3, 2, 'mean']);
  const per = (loss.perToken as { data: number[] }).data;
  assert.equal(per[1], 0, 'the ignored target contributes 0');
  // the mean over counted targets is the loss itself
  const value = (s('loss').value as { data: number[] }).data[0];
  assert.ok(Math.abs((per[0] + per[2]) / 2 - value) < 1e-6, `${per} vs ${value}`);
});

test('elided tensors get their mask summary from the worker: the same as inlined, plus fully-masked rows', () => {
  const src = `import torch
T = 6
causal = torch.tril(torch.ones(T, T, dtype=torch.bool))
triu = torch.triu(torch.ones(T, T, dtype=torch.bool), diagonal=1)
additive = torch.triu(torch.full((T, T), float('-inf')), diagonal=1)
lengths = torch.tensor([6, 4, 0])
pad = torch.arange(T)[None, :] < lengths[:, None]
pad_mask = torch.arange(T)[None, :] >= lengths[:, None]
kpm = pad_mask[:, None, None, :]
combined = pad[:, None, :] & causal
blocked = ~combined
ones = torch.ones(T, T)
`;
  const inlined = evaluate(src, { recordTimeline: true });
  const elided = evaluate(src, { recordTimeline: true, inlineElements: 1 });
  let compared = 0;
  inlined.timeline.forEach((s, i) => {
    const e = elided.timeline[i];
    if (!('data' in s.value) || s.value.shape.length === 0) return;
    assert.deepEqual((e.value as { data: unknown[] }).data, [], `${s.name} is elided`);
    assert.equal(e.mask, s.mask, s.name);
    assert.equal(e.maskSummary?.replace(/ · \d+ fully-masked rows?$/, ''), s.maskSummary, s.name);
    assert.deepEqual(e.maskParts, s.maskParts, s.name);
    compared++;
  });
  assert.equal(compared, 10);
  const summary = (name: string) => elided.timeline.find((s) => s.name === name)!.maskSummary;
  assert.equal(summary('pad'), 'padding (right, lengths 6, 4, 0) · 44.4% masked · 1 fully-masked row');
  assert.equal(summary('combined'), 'padding (right, lengths 6, 4, 0) ∧ causal (1 = attend) · 63.9% masked · 6 fully-masked rows');
  assert.equal(summary('ones'), undefined, 'a helper of ones is no mask, elided or not');
});

test('a 1024 × 1024 mask and its 8 × 8 × 1024 × 1024 expansion, elided, still get a mask summary', () => {
  const r = evaluate(`import torch
T = 1024
causal = torch.tril(torch.ones(T, T, dtype=torch.bool))
big = causal.expand(8, 8, T, T)
`, { recordTimeline: true, inlineElements: 65536 });
  for (const name of ['causal', 'big']) {
    const s = r.timeline.find((x) => x.name === name)!;
    assert.ok('elided' in s.value && s.value.elided, name);
    assert.equal(s.mask, 'causal', name);
    assert.equal(s.maskSummary, 'causal (tril, 1 = attend) · 50% masked', name);
  }
});

test("false positive: HF's _expand_mask (inv.masked_fill(inv.bool(), min)) with left padding is not inverted", () => {
  const src = `
import torch
m = torch.tensor([[0, 0, 1, 1, 1]])
inv = 1.0 - m[:, None, None, :].float()
out = inv.masked_fill(inv.bool(), torch.finfo(torch.float32).min)
keep_f = torch.tensor([[1.0, 1.0, 0.0]])
wrong = torch.zeros(1, 3).masked_fill(keep_f.bool(), float('-inf'))
`;
  // the tensor's own 1s say what is masked; a keep-mask read off another tensor still warns
  assert.deepEqual(codes(src).filter((c) => c.startsWith('inverted-mask@')), ['inverted-mask@6']);
  const out = run(src).timeline.filter((s) => s.name === 'out').at(-1)!;
  assert.equal(out.maskSummary, 'padding (left, lengths 3, additive) · 40% masked');
});

test("false positive: HF's to_4d (causal.masked_fill(expanded.bool(), min)) with left padding is not inverted", () => {
  const src = `
import torch
attention_mask = torch.tensor([[0, 0, 0, 1, 1]])
inv = 1.0 - attention_mask[:, None, None, :].expand(1, 1, 5, 5).float()
expanded = inv.masked_fill(inv.to(torch.bool), torch.finfo(torch.float32).min)
causal = torch.full((5, 5), torch.finfo(torch.float32).min).triu(1)[None, None]
merged = causal.masked_fill(expanded.bool(), torch.finfo(torch.float32).min)
keep = torch.tensor([[1, 1, 1, 0, 0]]).bool()[:, None, None, :].expand(1, 1, 5, 5)
wrong = causal.masked_fill(keep, torch.finfo(torch.float32).min)
`;
  // the bool of an additive mask is True where it blocks (line 6, from `import torch`); a keep-mask still warns (line 8)
  assert.deepEqual(codes(src).filter((c) => c.startsWith('inverted-mask@')), ['inverted-mask@8']);
});

test("false positive: HF's sliding window (tril masks keys too far in the past) is not inverted", () => {
  const src = `
import torch
mask = torch.cat([torch.zeros(3, 4), torch.full((3, 3), torch.finfo(torch.float32).min).triu(1)], dim=-1)
context_mask = torch.tril(torch.ones_like(mask, dtype=torch.bool), diagonal=4 - 3 - 1)
mask.masked_fill_(context_mask, torch.finfo(torch.float32).min)
square = torch.full((4, 4), float('-inf')).triu(1)
square.masked_fill_(torch.tril(torch.ones(4, 4, dtype=torch.bool), diagonal=-2), float('-inf'))
bad = torch.full((4, 4), float('-inf')).triu(1)
bad.masked_fill_(torch.tril(torch.ones(4, 4, dtype=torch.bool)), float('-inf'))
scores = torch.zeros(4, 4).masked_fill(torch.tril(torch.ones(4, 4, dtype=torch.bool)), float('-inf'))
`;
  // (lines count from `import torch`) a tril reaching each query's own key masks it (line 8), and a tril on plain scores is still a keep-mask (line 9)
  assert.deepEqual(codes(src).filter((c) => c.startsWith('inverted-mask@')), ['inverted-mask@8', 'inverted-mask@9']);
});

test('Keras masks are [B, T] padding masks with True = keep, whatever pattern their values draw', () => {
  const r = run(`
import numpy as np
from tensorflow.keras import layers
emb = layers.Embedding(10, 4, mask_zero=True)
triangle = emb.compute_mask(np.array([[1, 0, 0], [2, 3, 0]]))
first = emb.compute_mask(np.array([[1, 0, 0], [2, 3, 4]]))
left = emb.compute_mask(np.array([[0, 0, 1], [0, 2, 3]]))
holes = emb.compute_mask(np.array([[1, 0, 2], [2, 3, 4]]))
same = np.array([[True, False, False], [True, True, False]])
`);
  const s = (name: string) => r.timeline.filter((x) => x.name === name).at(-1)!;
  assert.equal(s('triangle').mask, 'padding');
  assert.equal(s('triangle').maskSummary, 'padding (right, lengths 1, 2) · 50% masked');
  assert.deepEqual(s('triangle').maskParts, { lengths: [1, 2], side: 'right', keep: true });
  assert.equal(s('first').maskSummary, 'padding (right, lengths 1, 3) · 33.3% masked');
  assert.equal(s('left').maskSummary, 'padding (left, lengths 1, 2) · 50% masked');
  assert.equal(s('holes').maskSummary, 'padding (lengths 2, 3) · 16.7% masked');
  // the same values with no Keras producer are still read by their pattern
  assert.notEqual(s('same').maskSummary, s('triangle').maskSummary);
});

test("a [B, 1, Q, K] padding ∨ bottom-right causal mask is named by its parts, not 'padding' for its head dim (x-transformers with memory keys)", () => {
  const src = `
import torch
import torch.nn.functional as F
keep = F.pad(torch.tensor([[True, True, True, False], [True, True, False, False]]), (2, 0), value=True)
causal = torch.ones((4, 6), dtype=torch.bool).triu(6 - 4 + 1)
final_mask = ~keep[:, None, None, :] | causal
`;
  const s = run(src).timeline.filter((x) => x.name === 'final_mask').at(-1)!;
  assert.equal(s.mask, 'combined');
  assert.equal(s.maskSummary, 'padding (right, lengths 5, 4) ∧ causal (bottom-right) · 33.3% masked');
});

test("left padding ∧ causal is named by its parts (Hugging Face's to_4d of a left-padded batch; a keep-form tril & mask)", () => {
  const src = `
import torch
attention_mask = torch.tensor([[0, 0, 0, 1, 1]])
inv = 1.0 - attention_mask[:, None, None, :].expand(1, 1, 5, 5).float()
expanded = inv.masked_fill(inv.to(torch.bool), torch.finfo(torch.float32).min)
causal = torch.full((5, 5), torch.finfo(torch.float32).min).triu(1)[None, None]
merged = causal.masked_fill(expanded.bool(), torch.finfo(torch.float32).min)
keep = torch.tensor([[0, 0, 1, 1], [0, 1, 1, 1]]).bool()[:, None, :] & torch.ones(4, 4).tril().bool()
`;
  const r = run(src);
  const last = (n: string) => r.timeline.filter((x) => x.name === n).at(-1)!;
  assert.equal(last('merged').maskSummary, 'padding (left, lengths 2) ∧ causal, additive · 88% masked');
  assert.deepEqual(last('merged').maskParts, { lengths: [2], side: 'left', causal: true, keep: false });
  assert.equal(last('keep').maskSummary, 'padding (left, lengths 2, 3) ∧ causal (1 = attend) · 71.9% masked');
});

test("nn.MultiheadAttention's bool attn_mask is True = not allowed: a tril passed there is an inverted causal mask and warns; triu(diagonal=1) does not", () => {
  const src = `
import torch
torch.manual_seed(0)
mha = torch.nn.MultiheadAttention(8, 2, batch_first=True)
x = torch.randn(1, 4, 8)
tril = torch.tril(torch.ones(4, 4, dtype=torch.bool))
wrong, _ = mha(x, x, x, attn_mask=tril)
right, _ = mha(x, x, x, attn_mask=torch.triu(torch.ones(4, 4, dtype=torch.bool), diagonal=1))
`;
  // lines count from \`import torch\`: the call on line 6 warns, the one on line 7 does not
  assert.deepEqual(codes(src).filter((c) => c.startsWith('inverted-mask@')), ['inverted-mask@6']);
});
