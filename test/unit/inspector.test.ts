// The inspector's pure parts: slices of any two dims, pooling that keeps
// masked cells and NaN visible, torch-precision cell text, exports, shape
// hints and the export message guard.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluate } from '../../src/service/evaluate';
import { isWebviewToHostMessage } from '../../src/vscode/protocol';
import { shapeHints } from '../../src/vscode/shapeHints';
import { csvOfView, pythonLiteral } from '../../src/vscode/tensorExport';
import { cellFormatter, cellIndex, defaultDims, fillText, rowSums, sliceTensor } from '../../src/vscode/tensorSlice';
import type { TensorValue } from '../../src/vscode/tensorView';

const arange = (shape: number[], dtype = 'torch.float32'): TensorValue => ({
  type: 'torch.Tensor', dtype, shape, data: Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => i),
});

test('any two dims: rows and columns from the chosen dims, the others fixed', () => {
  const t = arange([2, 3, 4]);
  // rows = dim 0, cols = dim 2, dim 1 fixed at 1: t[:, 1, :]
  const s = sliceTensor(t, { rowDim: 0, colDim: 2, index: [0, 1, 0], maxRows: 100, maxCols: 100 });
  assert.deepEqual([s.rows, s.cols, s.pooling], [2, 4, 'none']);
  assert.deepEqual(Array.from(s.values), [4, 5, 6, 7, 16, 17, 18, 19]);
  // transposed: rows = dim 2, cols = dim 0
  const tr = sliceTensor(t, { rowDim: 2, colDim: 0, index: [0, 1, 0], maxRows: 100, maxCols: 100 });
  assert.deepEqual(Array.from(tr.values), [4, 16, 5, 17, 6, 18, 7, 19]);
  assert.deepEqual(cellIndex(3, 2, 0, [0, 1, 0], 3, 1), [1, 1, 3]);
  assert.deepEqual(defaultDims(3), { rowDim: 1, colDim: 2 });
  assert.deepEqual(defaultDims(1), { rowDim: null, colDim: 0 });
});

test('downsampling pools by any for masks and max for values; NaN and masked cells never disappear', () => {
  const n = 8;
  const mask: TensorValue = { type: 'torch.Tensor', dtype: 'torch.bool', shape: [n, n], data: Array.from({ length: n * n }, (_, i) => i === 9) };
  const m = sliceTensor(mask, { rowDim: 0, colDim: 1, index: [0, 0], maxRows: 2, maxCols: 2 });
  assert.deepEqual([m.outRows, m.outCols, m.rowStep, m.colStep, m.pooling], [2, 2, 4, 4, 'any']);
  assert.deepEqual(Array.from(m.values), [1, 0, 0, 0], 'one True of 16 marks its block');
  const vals = arange([n, n]);
  vals.data[63] = 'nan';
  const masked = new Uint8Array(n * n);
  masked[1] = 1;
  const v = sliceTensor(vals, { rowDim: 0, colDim: 1, index: [0, 0], maxRows: 2, maxCols: 2 }, masked);
  assert.equal(v.pooling, 'max');
  assert.deepEqual(Array.from(v.values).slice(0, 3), [27, 31, 59]);
  assert.ok(Number.isNaN(v.values[3]), 'NaN wins its block');
  assert.deepEqual(Array.from(v.masked!), [1, 0, 0, 0], 'one masked cell marks its block');
});

test('row sums of the view, unpooled', () => {
  const t: TensorValue = { type: 'torch.Tensor', dtype: 'torch.float32', shape: [2, 3], data: [0.25, 0.25, 0.5, 'nan', 'nan', 'nan'] };
  const sums = rowSums(t, 0, 1, [0, 0]);
  assert.equal(sums[0], 1);
  assert.ok(Number.isNaN(sums[1]));
});

test('cells at torch printed precision, as print() shows them', () => {
  const r = evaluate(`import torch
p = torch.tensor([[0.3775, 0.6225, 0.0], [1.0, 0.0, 0.0]])
print(p)
i = torch.tensor([3, 10, 200])
s = torch.tensor([1e-6, 1.0])
`);
  const f = cellFormatter(r.variables.p as TensorValue);
  assert.deepEqual([0.3775, 0.6225, 0, 1].map((x) => f.format(Math.fround(x))), ['0.3775', '0.6225', '0.0000', '1.0000']);
  assert.ok(r.stdout.includes('0.0000'), 'torch prints the zero as 0.0000 too');
  assert.equal(cellFormatter(r.variables.i as TensorValue).format(10), '10');
  assert.equal(cellFormatter(r.variables.s as TensorValue).format(Math.fround(1e-6)), '1.0000e-06');
  assert.deepEqual(['nan', 'inf', '-inf'].map((x) => f.format(x as 'nan')), ['nan', 'inf', '-inf']);
});

test('NumPy arrays and TensorFlow tensors: cells as NumPy prints them, not at torch precision', () => {
  const r = evaluate(`import numpy as np
a = np.array([[1.5, 2.0], [3.25, -4.0]])
e = np.array([0.5, 0.25, 1e-5])
i = np.array([1, -20, 3])
print(a, e)
`);
  // np.array([[1.5, 2.0], [3.25, -4.0]]) prints [[ 1.5   2.  ] [ 3.25 -4.  ]]; the torch formatter gave 1.5000
  const f = cellFormatter(r.variables.a as TensorValue);
  assert.deepEqual([1.5, 2, 3.25, -4].map((x) => f.format(x)), ['1.5', '2.', '3.25', '-4.']);
  assert.ok(r.stdout.includes('[[ 1.5   2.  ]'), r.stdout);
  // a wide range goes scientific for the whole array, NumPy's way (5.0e-01 ... 1.0e-05)
  assert.deepEqual([0.5, 1e-5].map((x) => cellFormatter(r.variables.e as TensorValue).format(x)), ['5.0e-01', '1.0e-05']);
  assert.equal(cellFormatter(r.variables.i as TensorValue).format(-20), '-20');
});

test('export: a Python literal that rebuilds the tensor, and one view as CSV', () => {
  const mask: TensorValue = { type: 'torch.Tensor', dtype: 'torch.bool', shape: [2, 1, 3], data: [true, false, false, true, true, false] };
  assert.equal(pythonLiteral('m', mask), 'm = torch.tensor([[[True, False, False]], [[True, True, False]]], dtype=torch.bool)');
  const f: TensorValue = { type: 'numpy.ndarray', dtype: 'float32', shape: [3], data: [1, 'nan', '-inf'] };
  assert.equal(pythonLiteral('x', f), "x = np.array([1.0, float('nan'), float('-inf')], dtype=np.float32)");
  assert.equal(csvOfView(mask, 0, 2, [0, 0, 0]), 'True,False,False\nTrue,True,False\n');
  assert.equal(csvOfView(arange([2, 2]), 1, 0, [0, 0]), '0.0,2.0\n1.0,3.0\n');
});

test('the export message is checked like every other', () => {
  assert.ok(isWebviewToHostMessage({ type: 'export', format: 'csv', fileName: 'm.csv', content: 'a' }));
  assert.ok(!isWebviewToHostMessage({ type: 'export', format: 'svg', fileName: 'm.svg', content: 'a' }));
  assert.ok(!isWebviewToHostMessage({ type: 'export', format: 'png', fileName: 'm.png' }));
});

test('shape inlay hints: shape and dtype after the statement that binds a tensor', () => {
  const r = evaluate(`import torch
mask = torch.zeros(2, 1, 1, 4, dtype=torch.bool)
n = 3
a, b = torch.ones(2), torch.ones(3, dtype=torch.int64)
`, { recordTimeline: true });
  assert.deepEqual(shapeHints(r), [
    { line: 2, label: '[2, 1, 1, 4] bool' },
    { line: 4, label: 'a: [2] float32, b: [3] int64' },
  ]);
});

test('hover picture: an SVG mask grid, ■ filled, masked cells hatched; a loss hover counts its targets', async () => {
  const { maskSvg } = await import('../../src/vscode/maskSvg');
  const { hoverMarkdown } = await import('../../src/vscode/hoverMarkdown');
  const { sliceMatrix } = await import('../../src/vscode/tensorView');
  const { valueOfNameAt } = await import('../../src/vscode/variableLookup');
  const mask: TensorValue = { type: 'torch.Tensor', dtype: 'torch.bool', shape: [2, 3], data: [false, true, true, false, false, true] };
  const pic = maskSvg(sliceMatrix(mask), { onIsMasked: true });
  assert.equal((pic.svg.match(/fill="#e07b00"/g) ?? []).length, 3, 'one filled square per True');
  assert.equal((pic.svg.match(/fill="url\(#h\)"/g) ?? []).length, 3, 'True means masked here: hatched');
  assert.equal((pic.svg.match(/stroke="#8a8a8a"/g) ?? []).length, 3, 'False cells are outlined');
  assert.match(pic.svg, /width="62" height="42"/, '20 px cells for a small grid');
  // a wide grid is fitted to about 320 px, with cells of 12 px at least
  const wide = (cols: number) => maskSvg(sliceMatrix({ ...mask, shape: [1, cols], data: Array.from({ length: cols }, (_, i) => i % 2 === 0) }), { maxCols: 64 }).svg;
  assert.match(wide(20), /width="322" height="18"/, '16 px cells for 20 columns');
  assert.match(wide(40), /width="482" height="14"/, '12 px cells for 40 columns');
  const r = evaluate(`import torch
m = torch.tensor([[False, True], [False, False]])
x = torch.zeros(2, 2).masked_fill(m, float('-inf'))
loss = torch.nn.functional.cross_entropy(torch.tensor([[1.0, 2.0], [0.5, 0.1], [0.0, 0.3]]), torch.tensor([1, -100, 0]))
`, { recordTimeline: true });
  const md = hoverMarkdown(valueOfNameAt(r, 'm', 3)!);
  assert.match(md, /!\[m mask grid\]\(data:image\/svg\+xml;base64,[A-Za-z0-9+/=]+\)/);
  assert.ok(hoverMarkdown(valueOfNameAt(r, 'loss', 4)!).includes('2 of 3 targets counted · ignore\\_index = \\-100 · reduction = mean'));
});

test('the worker pools a downsampled slice on request: any for masks, max with NaN winning for values', async () => {
  const { sliceOf } = await import('../../src/service/values');
  const n = 8;
  const mask: TensorValue = { type: 'torch.Tensor', dtype: 'torch.bool', shape: [n, n], data: Array.from({ length: n * n }, (_, i) => i === 9) };
  const sampled = sliceOf(mask, undefined, { maxRows: 2, maxCols: 2 })!;
  assert.deepEqual(sampled.data, [false, false, false, false], 'sampling drops the one True');
  const pooled = sliceOf(mask, undefined, { maxRows: 2, maxCols: 2, pool: true })!;
  assert.deepEqual(pooled.data, [true, false, false, false], 'pooling keeps it');
  const vals = arange([n, n]);
  vals.data[63] = 'nan';
  assert.deepEqual(sliceOf(vals, undefined, { maxRows: 2, maxCols: 2, pool: true })!.data, [27, 31, 59, 'nan']);
});

test('slices cross postMessage as base64 float32, NaN and ±inf included', async () => {
  const { toWire, fromWire } = await import('../../src/vscode/tensorSlice');
  const s = sliceTensor({ type: 'torch.Tensor', dtype: 'torch.float32', shape: [1, 4], data: [0.5, 'nan', 'inf', '-inf'] }, { rowDim: 0, colDim: 1, index: [0, 0], maxRows: 9, maxCols: 9 }, [0, 1, 0, 1]);
  const w = toWire(s);
  assert.equal(typeof w.values, 'string');
  const back = fromWire(JSON.parse(JSON.stringify(w)));
  assert.deepEqual(Array.from(back.values).map(String), ['0.5', 'NaN', 'Infinity', '-Infinity']);
  assert.deepEqual(Array.from(back.masked!), [0, 1, 0, 1]);
});

test('one block-pooling rule: max with NaN winning, masked by any; the inspector and the worker agree', async () => {
  const { poolBlocks } = await import('../../src/render/pool');
  const { sliceOf } = await import('../../src/service/values');
  const n = 6;
  const vals = arange([n, n]);
  vals.data[7] = 'nan';
  const p = poolBlocks(n, n, 2, 3, (r, c) => (r * n + c === 7 ? NaN : r * n + c), (r, c) => r === 5 && c === 0);
  assert.deepEqual([p.rowStep, p.colStep, p.outRows, p.outCols], [3, 2, 2, 3]);
  assert.deepEqual(Array.from(p.values).map(String), ['NaN', '15', '17', '31', '33', '35']);
  assert.deepEqual(Array.from(p.masked!), [0, 0, 0, 1, 0, 0]);
  const inspector = sliceTensor(vals, { rowDim: 0, colDim: 1, index: [0, 0], maxRows: 2, maxCols: 3 });
  const worker = sliceOf(vals, undefined, { maxRows: 2, maxCols: 3, pool: true })!;
  assert.deepEqual(Array.from(inspector.values).map(String), worker.data.map((x) => (x === 'nan' ? 'NaN' : String(x))));
});

test('a combined mask splits into padding / causal / window layers; each can be switched off; the tooltip names the part', async () => {
  const { maskLayers, maskedBy, layeredSlice } = await import('../../src/vscode/maskLayers');
  const r = evaluate(`import torch
T = 4
lengths = torch.tensor([3, 2])
pad = torch.arange(T)[None, :] < lengths[:, None]
combined = pad[:, None, :] & torch.tril(torch.ones(T, T, dtype=torch.bool))
i = torch.arange(6)
window = (i[None, :] <= i[:, None]) & (i[None, :] > i[:, None] - 3)
`, { recordTimeline: true });
  const snap = (name: string) => r.timeline.find((s) => s.name === name)!;
  const parts = snap('combined').maskParts!;
  assert.deepEqual(parts, { lengths: [3, 2], side: 'right', causal: true, keep: true });
  assert.deepEqual(maskLayers(parts).map((l) => l.id), ['padding', 'causal']);
  assert.deepEqual(maskLayers(snap('window').maskParts).map((l) => l.id), ['causal', 'window']);
  assert.deepEqual(maskedBy(parts, [2, 4, 4], [1, 0, 3]), ['padding (key 3 ≥ 2, length 2)', 'causal (key 3 after query 0)']);
  assert.deepEqual(maskedBy(parts, [2, 4, 4], [1, 0, 3], new Set(['causal'])), ['causal (key 3 after query 0)']);
  assert.deepEqual(maskedBy(snap('window').maskParts!, [6, 6], [5, 1]), ['window (key 1 is 4 before query 5, width 3)']);
  // all layers on: the view is the mask itself
  const t = snap('combined').value as TensorValue;
  const req = { rowDim: 1, colDim: 2, index: [1, 0, 0], maxRows: 9, maxCols: 9 };
  const real = sliceTensor(t, req);
  const all = layeredSlice(real, parts, t.shape, 1, 2, [1, 0, 0], new Set(['padding', 'causal']));
  assert.deepEqual(Array.from(all.values), Array.from(real.values));
  // padding only: batch row 1 keeps keys 0..1 for every query; masked cells flagged
  const padOnly = layeredSlice(real, parts, t.shape, 1, 2, [1, 0, 0], new Set(['padding']));
  assert.deepEqual(Array.from(padOnly.values), [1, 1, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0]);
  assert.deepEqual(Array.from(padOnly.masked!), [0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1, 1]);
  // none: nothing masked; pooled blocks keep "any" semantics
  const none = layeredSlice(sliceTensor(t, { ...req, maxRows: 2, maxCols: 2 }), parts, t.shape, 1, 2, [1, 0, 0], new Set());
  assert.deepEqual(Array.from(none.values), [1, 1, 1, 1]);
  assert.deepEqual(Array.from(none.masked!), [0, 0, 0, 0]);
});

test("a masked_fill's fill reads as torch prints it alone in the filled tensor's dtype (print(torch.tensor(x, dtype=d)))", () => {
  const r = evaluate('import torch\ns = torch.zeros(2, 2).masked_fill(torch.eye(2).bool(), -1e9)\np = torch.softmax(s, dim=-1)\n', { recordTimeline: true });
  const d = r.timeline.find((x) => x.name === 'p')?.derived;
  assert.ok(d?.op === 'softmax' && d.masked, JSON.stringify(d));
  assert.equal(fillText(d.masked.fill, 'torch.float32'), '-1.0000e+09'); // not -1000000000
  // torch 2.13: tensor(-1.0000e+10), tensor(-inf), tensor(-10000.), tensor(0.), tensor(-100), tensor(0.5000, dtype=torch.float64)
  assert.equal(fillText(-1e10, 'torch.float32'), '-1.0000e+10');
  assert.equal(fillText('-inf', 'torch.float32'), '-inf');
  assert.equal(fillText(-10000, 'torch.float32'), '-10000.');
  assert.equal(fillText(0, 'torch.float32'), '0.');
  assert.equal(fillText(-100, 'torch.int64'), '-100');
  assert.equal(fillText(0.5, 'torch.float64'), '0.5000');
});
