// A large mask downsampled for the hover or the inspector keeps its masked
// cells visible: each block holds the mask's masked value when any of its
// cells is masked. Max pooling let a block of an additive causal mask mixing
// 0 and -inf read 0 (attends), and a keep-mask's (SDPA's bool attn_mask)
// block mixing True and False read True. The rule is one (src/render/pool.ts,
// MaskedCells); which value is masked comes from the mask's reader and
// polarity (maskedCells in src/masks/consumers.ts), in the worker (elided
// values: hover, inspector) and in the inspector (values in the state).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { maskedCells } from '../../src/masks/consumers';
import { poolBlocks } from '../../src/render/pool';
import { handle } from '../../src/service/handler';
import { evaluate } from '../../src/service/evaluate';
import type { HostToWorker, Slice, WorkerToHost } from '../../src/service/protocol';
import { sliceTensor } from '../../src/vscode/tensorSlice';
import type { TensorValue } from '../../src/vscode/tensorView';

const SOURCE = `import torch
import torch.nn.functional as F
T = 64
causal = torch.triu(torch.full((T, T), float('-inf')), diagonal=1)
keep = torch.tril(torch.ones(T, T, dtype=torch.bool))
q = torch.ones(1, T, 8)
out = F.scaled_dot_product_attention(q, q, q, attn_mask=keep)
`;

let nextId = 5000;
function ask<T extends WorkerToHost['type']>(msg: HostToWorker): Extract<WorkerToHost, { type: T }> {
  return handle(msg) as Extract<WorkerToHost, { type: T }>;
}

/** The 8 × 8 blocks on the diagonal mix kept and masked cells: every one must show masked. */
function diagonal(s: { data: ArrayLike<unknown>; cols: number }): unknown[] {
  return Array.from({ length: s.cols }, (_, i) => s.data[i * s.cols + i]);
}

test('the rule: a mask pools toward its masked value, values still by max, NaN wins', () => {
  const additive = [0, -Infinity, 0, 0];
  const keepMask = [1, 0, 1, 1];
  const at = (xs: number[]) => (r: number, c: number) => xs[r * 2 + c];
  assert.deepEqual(Array.from(poolBlocks(2, 2, 1, 1, at(additive)).values), [0], 'max: the block reads attends');
  assert.deepEqual(Array.from(poolBlocks(2, 2, 1, 1, at(additive), undefined, 'nonzero').values), [-Infinity]);
  assert.deepEqual(Array.from(poolBlocks(2, 2, 1, 1, at([0, -1e9, 0, 0]), undefined, 'nonzero').values), [-1e9]);
  assert.deepEqual(Array.from(poolBlocks(2, 2, 1, 1, at([0, 1, 0, 0]), undefined, 'nonzero').values), [1], 'a block-mask: True wins');
  assert.deepEqual(Array.from(poolBlocks(2, 2, 1, 1, at(keepMask), undefined, 'zero').values), [0], 'a keep-mask: False wins');
  assert.deepEqual(Array.from(poolBlocks(2, 2, 1, 1, at([1, NaN, 1, 1]), undefined, 'zero').values).map(String), ['NaN']);
});

test('which value is masked: the reader first, else the polarity the values showed; none for a value that is no mask', () => {
  const r = evaluate(SOURCE, { recordTimeline: true });
  assert.equal(r.error, null);
  const snap = (name: string) => [...r.timeline].reverse().find((s) => s.name === name)!;
  assert.equal(maskedCells(snap('causal')), 'nonzero', 'additive: -inf');
  assert.equal(maskedCells(snap('keep')), 'zero', "SDPA's bool attn_mask: False");
  assert.equal(maskedCells(snap('q')), undefined);
  const pad: TensorValue = { type: 'torch.Tensor', dtype: 'torch.bool', shape: [2, 3], data: [false, false, true, true, true, true] };
  assert.equal(maskedCells({ value: pad, mask: 'padding', consumer: 'masked_fill', maskParts: { keep: true } }), 'nonzero', 'masked_fill: True, whatever the values suggested');
  assert.equal(maskedCells({ value: pad, mask: 'padding', consumer: 'keras-mask' }), 'zero');
});

test('the worker pools a large mask so that every block with a masked cell shows masked (hover, inspector)', () => {
  const id = nextId++;
  const evaluated = ask<'evaluated'>({ type: 'evaluate', id, source: SOURCE, options: { recordTimeline: true, inlineElements: 256 } });
  assert.equal(evaluated.result.error, null);
  const slice = (name: string): Slice => {
    const s = ask<'slice'>({ type: 'slice', id: nextId++, ref: { evaluation: id, address: { kind: 'variable', name } }, request: { maxRows: 8, maxCols: 8, pool: true } }).slice!;
    assert.deepEqual([s.rows, s.cols, s.rowStep, s.colStep], [8, 8, 8, 8]);
    return s;
  };
  const causal = slice('causal');
  assert.deepEqual(diagonal(causal), Array(8).fill('-inf'), 'additive causal: the diagonal blocks hold -inf');
  assert.equal(causal.maskedCells, 'nonzero');
  assert.equal(causal.data[7 * 8], 0, 'a block with no masked cell still attends');
  const keep = slice('keep');
  assert.deepEqual(diagonal(keep), Array(8).fill(false), 'keep-mask read by SDPA: the diagonal blocks hold False');
  assert.equal(keep.data[7 * 8], true);
  // the timeline address too (the hover's)
  const at = evaluated.result.timeline.findIndex((s) => s.name === 'causal');
  const byIndex = ask<'slice'>({ type: 'slice', id: nextId++, ref: { evaluation: id, address: { kind: 'timeline', index: at } }, request: { maxRows: 8, maxCols: 8, pool: true } }).slice!;
  assert.deepEqual(diagonal(byIndex), Array(8).fill('-inf'));
  // a value that is no mask still pools by max
  const q = ask<'slice'>({ type: 'slice', id: nextId++, ref: { evaluation: id, address: { kind: 'variable', name: 'q' } }, request: { maxRows: 8, maxCols: 8, pool: true } }).slice!;
  assert.equal(q.rowStep, 8);
  assert.equal(q.maskedCells, undefined);
});

test("the inspector pools a mask the state carries by the mask's masked value", () => {
  const r = evaluate(SOURCE, { recordTimeline: true });
  const snap = (name: string) => [...r.timeline].reverse().find((s) => s.name === name)!;
  const view = (name: string) => {
    const s = snap(name);
    return sliceTensor(s.value as TensorValue, { rowDim: 0, colDim: 1, index: [0, 0], maxRows: 8, maxCols: 8 }, undefined, maskedCells(s));
  };
  const causal = view('causal');
  assert.equal(causal.pooling, 'masked');
  assert.deepEqual(diagonal({ data: causal.values, cols: 8 }), Array(8).fill(-Infinity));
  assert.deepEqual(diagonal({ data: view('keep').values, cols: 8 }), Array(8).fill(0));
});
