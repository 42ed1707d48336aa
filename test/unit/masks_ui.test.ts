// Issue #6, user-visible half: mask summaries and consumer legends in the
// hover, the consumer registry, the suspicious-broadcast warning, and the
// attention-pattern kinds (sliding window, prefix-LM, block-diagonal,
// bottom-right causal).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { evaluate } from '../../src/service/evaluate';
import type { RunResult, Snapshot } from '../../src/python/result';
import { diagnosticsFor, hoverMarkdown } from '../../src/vscode/hoverMarkdown';
import { valueOfNameAt } from '../../src/vscode/variableLookup';
import { lineLabel } from '../../src/python/notebook';

const run = (src: string): RunResult => evaluate(src, { recordTimeline: true });
const snap = (r: RunResult, name: string): Snapshot | undefined => [...r.timeline].reverse().find((s) => s.name === name);
const codes = (r: RunResult) => r.diagnostics.map((d) => d.code);

test('hover shows the mask summary under the name, with the consumer legend', () => {
  const r = run(`import torch
pad = torch.tensor([[False, False, True, True], [False, False, False, True]])
scores = torch.zeros(2, 4)
out = scores.masked_fill(pad, float('-inf'))
`);
  const v = valueOfNameAt(r, 'pad', 2)!;
  const md = hoverMarkdown(v);
  assert.match(md, /padding \\\(right, lengths 2, 3\\\) · 37\\\.5% masked/);
  assert.ok(md.includes('read by `masked_fill`'), md);
  assert.ok(md.includes('■ masked \\(filled\\) · ⬚ kept'), md);
  // one summary line under the picture, then the legend
  assert.ok(md.indexOf('mask grid](data:image/svg+xml') < md.indexOf('37\\.5% masked'), md);
  assert.ok(md.indexOf('37\\.5% masked') < md.indexOf('■ masked'), md);
});

test('hover legend defaults to true/nonzero when no consumer read the mask', () => {
  const r = run(`import torch
m = torch.tensor([[True, False], [False, True]])
`);
  const md = hoverMarkdown(valueOfNameAt(r, 'm', 2)!);
  assert.ok(md.includes('■ true/nonzero · ⬚ false/zero'), md);
  assert.ok(!md.includes('read by'), md);
});

test('consumer conventions: sdpa bool = attends, MultiheadAttention = not allowed, where, Keras keep, HF attention_mask', () => {
  const r = run(`import torch
import torch.nn.functional as F
q = torch.randn(1, 3, 4)
keep = torch.ones(3, 3, dtype=torch.bool).tril()
o = F.scaled_dot_product_attention(q, q, q, attn_mask=keep)
mha = torch.nn.MultiheadAttention(4, 1)
x = torch.randn(3, 1, 4)
kpm = torch.tensor([[False, False, True]])
y, w = mha(x, x, x, key_padding_mask=kpm)
cond = torch.tensor([True, False])
z = torch.where(cond, torch.ones(2), torch.zeros(2))
attention_mask = torch.tensor([[1, 1, 0]])
`);
  assert.equal(r.error, null);
  assert.equal(snap(r, 'keep')?.consumer, 'scaled_dot_product_attention');
  assert.deepEqual(snap(r, 'keep')?.legend, { on: 'attends', off: 'masked' });
  assert.equal(snap(r, 'kpm')?.consumer, 'MultiheadAttention.key_padding_mask');
  assert.deepEqual(snap(r, 'kpm')?.legend, { on: 'masked (not allowed)', off: 'attends' });
  assert.deepEqual(snap(r, 'cond')?.legend, { on: 'takes input', off: 'takes other' });
  assert.deepEqual(snap(r, 'attention_mask')?.legend, { on: 'attends (1 = keep)', off: 'masked' });
  // values never consumed as masks get no legend
  assert.equal(snap(r, 'q')?.legend, undefined);
  assert.equal(snap(r, 'x')?.consumer, undefined);
});

test('Keras masks read True = keep', () => {
  const r = run(`import tensorflow as tf
emb = tf.keras.layers.Embedding(10, 2, mask_zero=True)
ids = tf.constant([[3, 4, 0]])
m = emb.compute_mask(ids)
`);
  assert.equal(r.error, null, JSON.stringify(r.error));
  assert.equal(snap(r, 'm')?.consumer, 'keras-mask');
  assert.deepEqual(snap(r, 'm')?.legend, { on: 'kept', off: 'masked' });
  // the hover names the reader in Keras's words, never the consumer's internal id
  const md = hoverMarkdown(valueOfNameAt(r, 'm', 4)!);
  assert.ok(md.includes('read by Keras layers'), md);
  assert.ok(!md.includes('keras-mask'), md);
});

test('a view passed to a consumer marks the variable it views', () => {
  const r = run(`import torch
pad = torch.tensor([[False, True]])
scores = torch.zeros(1, 1, 2, 2)
out = scores.masked_fill(pad[:, None, None, :], -1e9)
`);
  assert.equal(snap(r, 'pad')?.consumer, 'masked_fill');
});

test('suspicious-broadcast fires when both operands expand along different axes, with the shapes', () => {
  const r = run(`import torch
scores = torch.zeros(2, 1, 1, 3)
mask = torch.ones(2, 1, 3, 1, dtype=torch.bool)
out = scores.masked_fill(mask, -1e9)
w = torch.where(mask, scores, torch.zeros(1))
`);
  const found = r.diagnostics.filter((d) => d.code === 'suspicious-broadcast');
  assert.deepEqual(found.map((d) => d.line), [4, 5]);
  assert.match(found[0].message, /\(2, 1, 1, 3\).*\(2, 1, 3, 1\).*\(2, 1, 3, 3\)/);
  // the value is PyTorch's regardless
  assert.deepEqual(r.variables.out && 'shape' in r.variables.out ? r.variables.out.shape : undefined, [2, 1, 3, 3]);
});

test('suspicious-broadcast stays quiet for the usual (B,1,1,S) mask over (B,H,S,S) scores', () => {
  const r = run(`import torch
scores = torch.zeros(2, 2, 3, 3)
mask = torch.tensor([[False, False, True], [False, True, True]])[:, None, None, :]
out = scores.masked_fill(mask, float('-inf'))
causal = torch.ones(3, 3, dtype=torch.bool).triu(1)
out2 = torch.where(causal, torch.tensor(float('-inf')), scores)
x = torch.zeros(3).masked_fill(torch.tensor(True), 1.0)
`);
  assert.ok(!codes(r).includes('suspicious-broadcast'), JSON.stringify(r.diagnostics));
});

test("suspicious-broadcast stays quiet for a per-head bias shared by the batch plus a (B,1,1,S) mask (T5's position_bias + mask, ALiBi)", () => {
  const r = run(`import torch
extended = (1.0 - torch.tensor([[1.0, 1.0, 1.0, 0.0, 0.0], [1.0, 1.0, 1.0, 1.0, 1.0]])[:, None, None, :]) * torch.finfo(torch.float32).min
position_bias = torch.randn(1, 2, 5, 5)
position_bias = position_bias + extended
alibi = torch.randn(1, 2, 1, 5)
causal = torch.full((5, 5), float('-inf')).triu(1)[None, None].expand(2, 1, 5, 5)
biased = alibi + causal
per_query = torch.randn(1, 2, 5, 1)
wrong = per_query + extended
`);
  // lines from \`import torch\`: only the bias stretched along keys (line 9) is suspicious
  assert.deepEqual(r.diagnostics.filter((d) => d.code === 'suspicious-broadcast').map((d) => d.line), [9]);
});

test('diagnostics about a variable show in its hover', () => {
  const r = run(`import torch
scores = torch.zeros(2, 1, 1, 3)
mask = torch.ones(2, 1, 3, 1, dtype=torch.bool)
out = scores.masked_fill(mask, -1e9)
`);
  const v = valueOfNameAt(r, 'out', 4)!;
  const ds = diagnosticsFor(r.diagnostics, v);
  assert.deepEqual(ds.map((d) => d.code), ['suspicious-broadcast']);
  const md = hoverMarkdown(v, {}, ds);
  assert.ok(md.includes('$(warning) **suspicious-broadcast**'), md);
  assert.deepEqual(diagnosticsFor(r.diagnostics, valueOfNameAt(r, 'scores', 2)!), []);
});

const summaryOf = (src: string, name: string) => snap(run(`import torch\ni = torch.arange(5)\n${src}\n`), name)?.maskSummary;

test('sliding-window masks: causal and bidirectional, either polarity', () => {
  assert.equal(summaryOf('w = (i[None, :] <= i[:, None]) & (i[None, :] > i[:, None] - 3)', 'w'), 'sliding-window (width 3, causal) · 52% masked');
  assert.equal(summaryOf('w = ~((i[None, :] <= i[:, None]) & (i[None, :] > i[:, None] - 2))', 'w'), 'sliding-window (width 2, causal, True = masked) · 64% masked');
  assert.equal(summaryOf('w = (i[None, :] - i[:, None]).abs() <= 1', 'w'), 'sliding-window (width 3, bidirectional) · 48% masked');
});

test('prefix-LM and block-diagonal masks', () => {
  assert.equal(summaryOf('p = (i[None, :] <= i[:, None]) | (i[None, :] < 2)', 'p'), 'prefix-LM (prefix 2) · 36% masked');
  assert.equal(summaryOf('seg = torch.tensor([0, 0, 1, 1, 1])\nd = seg[:, None] == seg[None, :]', 'd'), 'block-diagonal (segments 2, 3) · 48% masked');
  assert.equal(summaryOf('seg = torch.tensor([0, 0, 1, 1, 1])\nd = (seg[:, None] == seg[None, :]) & (i[None, :] <= i[:, None])', 'd'), 'block-diagonal (segments 2, 3, causal) · 64% masked');
});

test('NaViT packed-sequence masks: block-diagonal per batch row, read as True = attend by SDPA', () => {
  // vit_pytorch na_vit.py: image ids per packed position, attn_mask = ids_i == ids_j
  const r = run(`import torch
import torch.nn.functional as F
ids = torch.tensor([[0, 0, 0, 1, 1, 2], [0, 0, 1, 1, 2, 2], [0, 0, 0, 0, 0, 0]])
m = ids[:, None, :, None] == ids[:, None, None, :]
q = torch.zeros(3, 2, 6, 4)
out = F.scaled_dot_product_attention(q, q, q, attn_mask=m)
`);
  const v = valueOfNameAt(r, 'm', 3)!;
  assert.equal(v.mask, 'block-diagonal');
  assert.equal(v.maskSummary, 'block-diagonal (segments per batch row [3, 2, 1] [2, 2, 2] [6]) · 42.6% masked');
  assert.deepEqual(v.legend, { on: 'attends', off: 'masked' });
  // the single-row case of the report: one batch row, packed images of 4 and 2 patches
  assert.equal(summaryOf('ids = torch.tensor([[0, 0, 0, 0, 1, 1]])\nm = ids[:, None, :, None] == ids[:, None, None, :]', 'm'), 'block-diagonal (segments 4, 2) · 44.4% masked');
  // rows that differ but are no block-diagonal stay unnamed
  assert.notEqual(snap(run('import torch\nm = torch.tensor([[[True, False], [True, True]], [[True, True], [False, True]]])\n'), 'm')?.mask, 'block-diagonal');
});

test('non-square causal masks name their alignment', () => {
  assert.equal(summaryOf('br = torch.ones(2, 4, dtype=torch.bool).tril(diagonal=2)', 'br'), 'causal over 2 cached keys (bottom-right, 2×4: query i sees keys 0 … i + 2) · 12.5% masked');
  assert.equal(summaryOf('tl = torch.ones(2, 4, dtype=torch.bool).tril()', 'tl'), 'causal (tril, 1 = attend, top-left) · 62.5% masked');
  assert.equal(summaryOf('sq = torch.ones(4, 4, dtype=torch.bool).tril()', 'sq'), 'causal (tril, 1 = attend) · 37.5% masked');
});

test('patterns do not fire on plain tensors, full masks or padding-named masks', () => {
  assert.equal(summaryOf('f = torch.ones(5, 5, dtype=torch.bool)', 'f')?.match(/sliding|prefix|block/), null);
  assert.equal(summaryOf('pad_mask = torch.tensor([[1, 1, 1, 0], [1, 1, 1, 1]])', 'pad_mask')?.startsWith('padding'), true);
  // a diagonal selection (region of interest) is neither a window nor a document mask
  assert.equal((summaryOf('e = torch.eye(5) > 0', 'e') ?? '').match(/sliding|prefix|block/), null);
  assert.equal((summaryOf('r = torch.tensor([[1, 0, 1], [0, 1, 1], [1, 1, 0]]) > 0', 'r') ?? '').match(/sliding|prefix|block/), null);
});

test('a hover draws one picture of the first slice, whatever the slice count; maxElements caps a sampled slice\'s numeric table', () => {
  const r = run(`import torch
big = torch.ones(10, 4, 4).bool()
vals = torch.arange(48.).reshape(3, 4, 4)
`);
  const md = hoverMarkdown(valueOfNameAt(r, 'big', 2)!);
  assert.equal(md.match(/data:image\/svg\+xml/g)?.length, 1, md);
  assert.ok(md.includes('\\[0, :, :\\] of 10 slices'), md);
  const v = valueOfNameAt(r, 'vals', 3)!;
  assert.ok(hoverMarkdown(v).includes('```text\n 0.  1.  2.  3.'), hoverMarkdown(v));
  // exact values are always tabled (summarised); maxElements caps a sampled slice of a tensor too big to send
  assert.ok(hoverMarkdown(v, { maxElements: 8 }).includes('```text'));
  const capped = hoverMarkdown({ ...v, sampled: { shape: [3, 4, 4], rowStep: 1, colStep: 1 } }, { maxElements: 8 });
  assert.ok(!capped.includes('```text'), capped);
  // without a picture the repr is the picture: open when short enough, else collapsed
  assert.ok(capped.includes('<details><summary>repr'), capped);
});

test("hover of a float tensor kept in the worker: no table of pooled block maxima passed off as values; its repr, open, instead", () => {
  const r = run(`import torch
big = torch.arange(6.).reshape(2, 3)
`);
  const v = valueOfNameAt(r, 'big', 2)!;
  const repr = 'tensor([[0.0000, 1.0000, 2.0000,  ..., 7.0000, 8.0000, 9.0000],\n        [1.0000, 2.0000, 3.0000,  ..., 8.0000, 9.0000, 9.5000],\n        [2.0000, 3.0000, 4.0000,  ..., 9.0000, 9.5000, 9.7500],\n        ...,\n        [3.0000, 4.0000, 5.0000,  ..., 9.0000, 9.5000, 9.7500],\n        [4.0000, 5.0000, 6.0000,  ..., 9.0000, 9.5000, 9.7500],\n        [5.0000, 6.0000, 7.0000,  ..., 9.0000, 9.5000, 9.7500]])';
  // the worker's max-pooled 2 × 3 grid of a [300, 2000] tensor: block maxima, not elements
  const md = hoverMarkdown({ ...v, repr, sampled: { shape: [300, 2000], rowStep: 150, colStep: 667, pooled: true } });
  assert.match(md, /shape `\[300, 2000\]`/);
  assert.ok(!md.includes('```text'), md);
  assert.ok(!md.includes('blocks pooled'), md);
  assert.ok(md.includes('```python\ntensor([[0.0000') && !md.includes('<details>'), md);
});

test('an additive mask added to scores is recorded as consumed by addition', () => {
  const r = run(`import torch
bias = torch.triu(torch.full((3, 3), float('-inf')), diagonal=1)
scores = torch.zeros(2, 3, 3)
scores = scores + bias
`);
  const v = valueOfNameAt(r, 'bias', 2)!;
  assert.equal(v.consumer, 'added');
  assert.deepEqual(v.legend, { on: 'masked (large negative added)', off: 'attends (0 added)' });
  const md = hoverMarkdown(v);
  assert.ok(md.includes('mask: ') && md.includes(' — added to scores'), md);
  assert.ok(!md.includes('read by `added`'), md);
});

test('masks drawn from a generator are classified as random, with their rate', () => {
  const r = run(`import torch
torch.manual_seed(0)
mlm = torch.rand(4, 16) < 0.15
ids = torch.arange(4)
`);
  const s = snap(r, 'mlm')!;
  assert.equal(s.mask, 'random');
  assert.match(s.maskSummary ?? '', /^random \(p ≈ 0\.\d+, e\.g\. dropout or MLM\)/);
  assert.notEqual(snap(r, 'ids')?.mask, 'random');
});

test('a random mask stays random through casts, &, ~ and a gather through argsort of noise (HF MLM, MAE)', () => {
  const r = run(`import torch
torch.manual_seed(42)
p = torch.full((2, 9), 0.4)
masked_indices = torch.bernoulli(p).bool()
replaced = torch.bernoulli(torch.full((2, 9), 0.8)).bool() & masked_indices
kept = ~masked_indices
as_float = (torch.rand(2, 9) < 0.5).float()
noise = torch.rand(2, 8)
ids_restore = torch.argsort(torch.argsort(noise, dim=1), dim=1)
mask = torch.ones([2, 8])
mask[:, :2] = 0
mask = torch.gather(mask, dim=1, index=ids_restore)
nothing = torch.bernoulli(torch.zeros(2, 4)).bool()
`);
  for (const name of ['masked_indices', 'replaced', 'kept', 'as_float', 'mask']) assert.equal(snap(r, name)?.mask, 'random', name);
  // a draw that came out all False keeps the summary that says what all-False masks
  assert.match(snap(r, 'nothing')?.maskSummary ?? '', /^all False/);
});

test('a padding mask compared out of random token ids or random lengths is padding, not random', () => {
  const r = run(`import torch
torch.manual_seed(1)
input_ids = torch.randint(1, 100, (2, 6))
input_ids[1, 4:] = 0
attention_mask = input_ids != 0
lengths = (torch.rand(3) * 5).long() + 1
pad = torch.arange(6)[None, :] < lengths[:, None]
perm_mask = torch.randperm(6) < 3
`);
  assert.equal(snap(r, 'attention_mask')?.maskSummary, 'padding (right, lengths 6, 4) · 16.7% masked');
  assert.equal(snap(r, 'pad')?.maskSummary, 'padding (right, lengths 4, 2, 3) · 50% masked');
  assert.notEqual(snap(r, 'perm_mask')?.mask, 'padding');
});

test('a mask only its name calls padding, with no padding layout, is not labelled padding (BEiT, wav2vec2 spans)', () => {
  const r = run(`import torch
special_tokens_mask = torch.tensor([[1, 0, 0, 0, 1, 1], [1, 0, 0, 0, 0, 1]], dtype=torch.bool)
span_mask = torch.tensor([[False, True, True, False, True, True], [True, True, False, False, False, True]])
bcast_mask = torch.tensor([[1, 0, 1, 1], [1, 1, 0, 1]]).bool()[:, None, None, :]
`);
  assert.equal(snap(r, 'special_tokens_mask')?.mask, 'other');
  assert.match(snap(r, 'special_tokens_mask')?.maskSummary ?? '', /^other · 41\.7% True\/1/);
  assert.equal(snap(r, 'span_mask')?.mask, 'other');
  // [B, 1, 1, T] is the key-padding layout, holes and all
  assert.equal(snap(r, 'bcast_mask')?.mask, 'padding');
});

test('hover of a tensor kept in the worker: the true shape, a pooled picture and how it was pooled', () => {
  const sampled = hoverMarkdown({
    name: 'big',
    value: { type: 'torch.Tensor', dtype: 'torch.bool', shape: [2, 3], data: [true, false, false, true, true, false] },
    sampled: { shape: [4, 1000, 1500], rowStep: 500, colStep: 500, pooled: true },
  });
  assert.match(sampled, /shape `\[4, 1000, 1500\]`/);
  const svg = Buffer.from(/base64,([A-Za-z0-9+/=]+)\)/.exec(sampled)![1], 'base64').toString('utf8');
  assert.equal(svg.match(/fill="#e07b00"/g)?.length, 3, 'one square per pooled True block');
  assert.match(sampled, /\\\[0, :, :\\\], 500 × 500 blocks pooled \\\(any masked cell marks its block\\\)/);
  const strided = hoverMarkdown({
    name: 'big',
    value: { type: 'torch.Tensor', dtype: 'torch.bool', shape: [2, 3], data: [true, false, false, true, true, false] },
    sampled: { shape: [4, 1000, 1500], rowStep: 500, colStep: 500 },
  });
  assert.match(strided, /sampled: \\\[0, :, :\\\], every 500th row, every 500th column/);
  const elided = hoverMarkdown({ name: 'big', value: { type: 'torch.Tensor', dtype: 'torch.float32', shape: [300, 400], data: [], elided: true } });
  assert.match(elided, /120000 elements: too many to draw here/);
});

test('hovering a loss constructor says which targets it ignores, and what its losses counted', async () => {
  const { lossConstructorHover } = await import('../../src/vscode/lossHover');
  const src = `import torch
import torch.nn as nn
PAD = 0
loss_fn = nn.CrossEntropyLoss(ignore_index=0)
logits = torch.tensor([[1.0, 2.0, 0.5], [0.1, 0.2, 3.0], [1.0, 1.0, 1.0]])
targets = torch.tensor([0, 2, 1])
loss = loss_fn(logits, targets)
by_name = nn.CrossEntropyLoss(ignore_index=PAD, reduction='sum')
plain = nn.NLLLoss()
bce = nn.BCEWithLogitsLoss()
`;
  const r = run(src);
  const lines = src.split('\n');
  const hover = (line: number, word: string) => {
    const text = lines[line - 1];
    const at = text.indexOf(word);
    return lossConstructorHover(r, text, at, at + word.length, line);
  };
  const ce = hover(4, 'CrossEntropyLoss')!;
  assert.match(ce, /Ignores targets equal to `0` \(ignore_index\): they add 0 to the loss and are left out of the mean/);
  assert.ok(ce.includes('`loss` (line 7): 2 of 3 targets counted · ignore\\_index = 0'), ce);
  // in a notebook each loss is named by its cell and line
  const lines4 = lines[3];
  const inCells = lossConstructorHover(r, lines4, lines4.indexOf('CrossEntropyLoss'), lines4.indexOf('CrossEntropyLoss') + 16, 4, (n) => lineLabel(n, [1, 6]))!;
  assert.ok(inCells.includes('`loss` (cell 2, line 2): 2 of 3 targets counted'), inCells);
  const named = hover(8, 'CrossEntropyLoss')!;
  assert.match(named, /reduction = sum/);
  assert.match(named, /Ignores targets equal to `0` \(ignore_index\)/, 'the variable PAD is read from the evaluation');
  assert.match(hover(9, 'NLLLoss')!, /Ignores targets equal to `-100` \(the default ignore_index\)/);
  assert.match(hover(10, 'BCEWithLogitsLoss')!, /Ignores no target/);
  // not a loss, or not a call: no loss hover
  assert.equal(hover(4, 'loss_fn'), undefined);
  assert.equal(lossConstructorHover(r, 'x = nn.CrossEntropyLoss', 7, 23, 1), undefined);
  // an ignore_index the evaluation cannot tell: named as written, escaped
  const unknown = lossConstructorHover(r, 'f = nn.CrossEntropyLoss(ignore_index=cfg.pad_`id)', 7, 23, 99)!;
  assert.ok(unknown.includes('Ignores targets equal to cfg\\.pad\\_\\`id (ignore_index)'), unknown);
});

test('a hover table uses the one format print() picks for the whole tensor, and summarises a long slice with ...', () => {
  // d2l's sequence_mask(X, valid_len, value=-1e6): torch prints every element in scientific notation
  const r = run(`import torch
X = torch.arange(12.).reshape(3, 4) / 16
X[X > 0.4] = -1e6
big = torch.arange(8000.).reshape(1, 1000, 8) / 7
`);
  const tableOf = (md: string) => /```text\n([^`]*)\n```/.exec(md)?.[1] ?? '';
  const x = valueOfNameAt(r, 'X', 3)!;
  const cells = tableOf(hoverMarkdown(x)).split(/\s+/).filter(Boolean);
  assert.deepEqual(cells.slice(0, 4), ['0.0000e+00', '6.2500e-02', '1.2500e-01', '1.8750e-01']);
  assert.ok(cells.includes('-1.0000e+06'), cells.join(' '));
  // each cell is spelled as the repr spells it
  for (const c of cells) assert.ok(x.repr!.includes(c), `${c} not in ${x.repr}`);
  const b = valueOfNameAt(r, 'big', 4)!;
  const rows = tableOf(hoverMarkdown(b, { maxElements: 4096 })).split('\n');
  assert.equal(rows.length, 7, rows.join('\n'));
  assert.deepEqual(rows[3].trim().split(/\s+/), Array(8).fill('...'));
  // max / min > 1000: torch prints this tensor in scientific notation, so does the table
  assert.deepEqual(rows[0].trim().split(/\s+/), ['0.0000e+00', '1.4286e-01', '2.8571e-01', '4.2857e-01', '5.7143e-01', '7.1429e-01', '8.5714e-01', '1.0000e+00']);
  assert.deepEqual(rows[6].trim().split(/\s+/).slice(-1), ['1.1427e+03']);
  for (const row of [rows[0], rows[6]]) for (const c of row.trim().split(/\s+/).filter((_, i) => i < 3 || i > 4)) assert.ok(b.repr!.includes(c), `${c} not in ${b.repr}`);
});

test('float / uint8 0-1 masks made by a cast, arithmetic or an in-place tril_ hover as masks with their kind; a one-hot target does not', () => {
  const r = run(`import torch
import numpy as np
import torch.nn.functional as F
sub = np.triu(np.ones((1, 4, 4)), k=1).astype('uint8')
keep = 1 - np.triu(np.ones((4, 4)), k=1)
bias = torch.ones(4, 4).tril_()
target = F.one_hot(torch.tensor([0, 0, 1]), 2).float()
eye = F.one_hot(torch.arange(4), 4).float()
`);
  for (const [name, line, summary] of [
    ['sub', 4, 'causal \\(triu, diagonal=1\\)'],
    ['keep', 5, 'causal \\(tril, 1 = attend\\)'],
    ['bias', 6, 'causal \\(tril, 1 = attend\\)'],
  ] as const) {
    const md = hoverMarkdown(valueOfNameAt(r, name, line)!);
    assert.ok(md.includes(' · causal mask'), md);
    assert.ok(md.includes(`mask grid](data:image/svg+xml`), md);
    assert.ok(md.includes(`mask: ${summary} · 37\\.5% masked`), md);
  }
  for (const [name, line] of [['target', 7], ['eye', 8]] as const) {
    const md = hoverMarkdown(valueOfNameAt(r, name, line)!);
    assert.ok(!/ mask\n|causal|padding/.test(md.split('\n')[0]), md);
    assert.ok(!md.includes('mask: '), md);
  }
});

test('a bool key padding mask with a float causal mask warns once, where torch canonicalizes them: TransformerEncoder, else the layer, else MultiheadAttention', () => {
  const setup = `import torch
from torch import nn
torch.manual_seed(0)
x = torch.randn(4, 2, 8)
pad = torch.tensor([[False, False, True, True], [False, False, False, False]])
causal = nn.Transformer.generate_square_subsequent_mask(4)
`;
  const warnings = (call: string) => evaluate(setup + call, { recordTimeline: true }).warnings;
  assert.deepEqual(warnings('enc = nn.TransformerEncoder(nn.TransformerEncoderLayer(8, 2, 16, 0.0), 2, enable_nested_tensor=False)\ny = enc(x, causal, src_key_padding_mask=pad)\n'),
    ['Support for mismatched src_key_padding_mask and mask is deprecated. Use same type for both instead.']);
  assert.deepEqual(warnings('layer = nn.TransformerEncoderLayer(8, 2, 16, 0.0)\ny = layer(x, causal, src_key_padding_mask=pad)\n'),
    ['Support for mismatched src_key_padding_mask and src_mask is deprecated. Use same type for both instead.']);
  assert.deepEqual(warnings('mha = nn.MultiheadAttention(8, 2)\ny = mha(x, x, x, key_padding_mask=pad, attn_mask=causal)\n'),
    ['Support for mismatched key_padding_mask and attn_mask is deprecated. Use same type for both instead.']);
});

test("TransformerEncoder warns why nested tensors are off, in torch's order (batch_first=False, the tutorials' default, is a reason); MultiheadAttention has kdim, vdim, head_dim, _qkv_same_embed_dim", () => {
  const r = evaluate(`import torch
from torch import nn
default = nn.TransformerEncoder(nn.TransformerEncoderLayer(8, 2, 16, 0.0), 1)
fast = nn.TransformerEncoder(nn.TransformerEncoderLayer(8, 2, 16, 0.0, batch_first=True), 1)
odd = nn.TransformerEncoder(nn.TransformerEncoderLayer(9, 3, 16, 0.0, batch_first=True), 1)
off = nn.TransformerEncoder(nn.TransformerEncoderLayer(8, 2, 16, 0.0), 1, enable_nested_tensor=False)
print(default.use_nested_tensor, fast.use_nested_tensor, odd.use_nested_tensor, off.use_nested_tensor)
mha = nn.MultiheadAttention(8, 2)
print(mha.kdim, mha.vdim, mha.head_dim, mha._qkv_same_embed_dim)
`, { recordTimeline: true });
  assert.deepEqual(r.errors, []);
  assert.equal(r.stdout, 'False True False False\n8 8 4 True\n');
  assert.deepEqual([...r.warnings].sort(), [
    'enable_nested_tensor is True, but self.use_nested_tensor is False because encoder_layer.self_attn.batch_first was not True(use batch_first for better inference performance)',
    'enable_nested_tensor is True, but self.use_nested_tensor is False because encoder_layer.self_attn.num_heads is odd',
  ]);
});
