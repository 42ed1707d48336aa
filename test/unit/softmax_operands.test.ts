// The inspector's GPU view of a large softmax (issue #15), worker side: the
// evaluation worker serves one view's operands (scores before the fill, the
// mask broadcast, the fill) and the CPU reference's row checksums; a softmax
// of those operands computed elsewhere is accepted only when its checksums
// match (src/render/checksum.ts), and rejected when one value is off.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { maskedSoftmaxJs } from '../../src/engine/kernels/gpu';
import { compareChecksums, ROW_CHECKSUM_TOLERANCE, rowChecksums } from '../../src/render/checksum';
import { handle } from '../../src/service/handler';
import type { HostToWorker, SoftmaxViewOperands, WorkerToHost } from '../../src/service/protocol';

let nextId = 1000;
function ask<T extends WorkerToHost['type']>(msg: HostToWorker): Extract<WorkerToHost, { type: T }> {
  return handle(msg) as Extract<WorkerToHost, { type: T }>;
}

function evaluate(source: string) {
  const id = nextId++;
  const r = ask<'evaluated'>({ type: 'evaluate', id, source, options: { recordTimeline: true, inlineElements: 4096 } });
  assert.equal(r.result.error, null, r.result.error?.message);
  return { id, result: r.result };
}

const data = (evaluation: number, name: string) => ask<'data'>({ type: 'data', id: nextId++, ref: { evaluation, address: { kind: 'variable', name } } }).data!;
const operands = (evaluation: number, name: string, leading: number[]) => ask<'operands'>({ type: 'operands', id: nextId++, ref: { evaluation, address: { kind: 'variable', name } }, leading }).operands;

const SOURCE = `import torch
torch.manual_seed(0)
scores = torch.randn(2, 3, 96, 800)
lengths = torch.tensor([700, 512])
key_padding_mask = torch.arange(800)[None, :] >= lengths[:, None]
mask = key_padding_mask[:, None, None, :]
filled = scores.masked_fill(mask, float('-inf'))
probs = filled.softmax(dim=-1)
fused = torch.nn.functional.softmax(scores.masked_fill(mask, -1e9), dim=-1)
logp = filled.log_softmax(dim=-1)
over_queries = filled.softmax(dim=2)
`;

const { id: evaluation, result } = evaluate(SOURCE);

/** The [rows, cols] block at `leading` of a row-major [2, 3, 96, 800] array. */
function block<T extends ArrayLike<number>>(all: T, leading: [number, number]): number[] {
  const n = 96 * 800;
  const base = (leading[0] * 3 + leading[1]) * n;
  return Array.from({ length: n }, (_, i) => Number(all[base + i]));
}

test('a large softmax is recorded with elided stubs of its scores and mask (no data sent)', () => {
  const snap = result.timeline.filter((s) => s.name === 'probs').at(-1)!;
  const d = snap.derived;
  assert.ok(d && d.op === 'softmax', 'the softmax derivation is recorded');
  assert.equal(d.dim, -1);
  assert.deepEqual(d.scores, { type: 'torch.Tensor', dtype: 'torch.float32', shape: [2, 3, 96, 800], data: [], elided: true });
  assert.ok(d.masked, 'the masked_fill before it is recorded');
  assert.equal(d.masked.fill, '-inf');
  assert.deepEqual(d.masked.before, { type: 'torch.Tensor', dtype: 'torch.float32', shape: [2, 3, 96, 800], data: [], elided: true });
  assert.deepEqual(d.masked.mask, { type: 'torch.Tensor', dtype: 'torch.bool', shape: [2, 3, 96, 800], data: [], elided: true });
  assert.equal(d.masked.name, 'mask');
  assert.equal(d.scoresName, 'scores');
});

test("the worker serves one view's operands, read where they lie, and the CPU reference's row checksums", () => {
  const o = operands(evaluation, 'probs', [1, 2]) as SoftmaxViewOperands;
  assert.ok(o, 'operands of probs[1, 2]');
  assert.equal(o.rows, 96);
  assert.equal(o.cols, 800);
  assert.equal(o.fill, '-inf');
  assert.deepEqual(Array.from(o.scores), block(data(evaluation, 'scores') as Float32Array, [1, 2]));
  // batch 1 has 512 real keys: the broadcast mask is True from key 512 on, in every row
  const expectMask = Array.from({ length: 96 * 800 }, (_, i) => (i % 800 >= 512 ? 1 : 0));
  assert.deepEqual(Array.from(o.mask!), expectMask);
  const probs = block(data(evaluation, 'probs') as Float32Array, [1, 2]);
  assert.deepEqual(Array.from(o.reference), Array.from(rowChecksums(probs, 96, 800)));
  // a leading index past the end is clamped, as slices are
  assert.deepEqual(Array.from(operands(evaluation, 'probs', [9, 9])!.scores), block(data(evaluation, 'scores') as Float32Array, [1, 2]));
});

test('a fused masked softmax serves its operands too; log_softmax, another dim and small or non-softmax values do not', () => {
  const f = operands(evaluation, 'fused', [0, 1])!;
  assert.ok(f, 'F.softmax(scores.masked_fill(...)) has operands');
  assert.equal(f.fill, -1e9);
  assert.deepEqual(Array.from(f.scores), block(data(evaluation, 'scores') as Float32Array, [0, 1]));
  assert.equal(operands(evaluation, 'logp', [0, 0]), null);
  assert.equal(operands(evaluation, 'over_queries', [0, 0]), null);
  assert.equal(operands(evaluation, 'scores', [0, 0]), null);
  assert.equal(operands(evaluation, 'nothing', [0, 0]), null);
  assert.equal(operands(evaluation + 999, 'probs', [0, 0]), null, 'a forgotten evaluation');
});

test("a softmax recomputed from the operands matches the reference's checksums; one value off by 1e-3 does not", () => {
  for (const [name, leading] of [['probs', [0, 0]], ['probs', [1, 2]], ['fused', [1, 1]]] as const) {
    const o = operands(evaluation, name, [...leading])!;
    const fill = typeof o.fill === 'number' ? o.fill : o.fill === '-inf' ? -Infinity : NaN;
    const out = new Float32Array(o.rows * o.cols);
    maskedSoftmaxJs(o.scores, { data: o.mask!, strides: [o.cols, 1], offset: 0 }, o.rows, o.cols, fill, out);
    const ok = compareChecksums(rowChecksums(out, o.rows, o.cols), o.reference);
    assert.ok(ok.match, `${name}${JSON.stringify(leading)}: row ${ok.worstRow} off by ${ok.worstDiff}`);
    assert.equal(ok.worstDiff, 0, 'the CPU kernel on the same operands is bit-identical');
    out[37 * o.cols + 5] += 1e-3;
    const bad = compareChecksums(rowChecksums(out, o.rows, o.cols), o.reference);
    assert.equal(bad.match, false);
    assert.equal(bad.worstRow, 37);
  }
});

test('checksum rule: NaN rows must agree, lengths must agree, differences up to the tolerance pass', () => {
  const ref = rowChecksums([0.25, 0.75, NaN, NaN], 2, 2);
  assert.ok(Number.isNaN(ref[1]));
  assert.equal(compareChecksums(ref, rowChecksums([0.25, 0.75, NaN, NaN], 2, 2)).match, true);
  assert.equal(compareChecksums(ref, rowChecksums([0.25, 0.75, 0.5, 0.5], 2, 2)).match, false, 'a fully masked row must stay NaN');
  assert.equal(compareChecksums(ref, [ref[0]]).match, false);
  assert.equal(compareChecksums([1], [1 + ROW_CHECKSUM_TOLERANCE / 2]).match, true);
  assert.equal(compareChecksums([1], [1 + ROW_CHECKSUM_TOLERANCE * 2]).match, false);
  // a value moved to another column changes the checksum (weights differ by column)
  assert.notEqual(rowChecksums([1, 0], 1, 2)[0], rowChecksums([0, 1], 1, 2)[0]);
});
