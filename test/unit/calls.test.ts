// Issue #10: values inside functions and methods (call recording and its
// bounds), writes that rebind nothing, errors inside module-level blocks,
// notebooks, Preview with Arguments, and the CLI's `calls`.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { evaluate } from '../../src/service/evaluate';
import { callJson } from '../../src/cli';
import { evaluateNotebook } from '../../src/service/evaluate';
import { cellEndLine, cellPosition, layoutCells, readNotebook, sourceLine } from '../../src/python/notebook';
import { writtenPaths } from '../../src/python/record';
import { parseModule } from '../../src/python/parse';
import type { CallRecord, EncodedValue, RunOptions, Snapshot } from '../../src/python/result';

const preview = (src: string, opts: RunOptions = {}) => evaluate(src, { recordTimeline: true, continueAfterError: true, ...opts });
const data = (v: EncodedValue | undefined) => (v && 'data' in v ? v.data : undefined);
const at = (timeline: Snapshot[], name: string) => timeline.filter((s) => s.name === name);
const callsOf = (calls: CallRecord[] | undefined, fn: string) => (calls ?? []).filter((c) => c.function === fn);

test('a call records its arguments, locals and return value with qualname, index, def line and calling line', () => {
  const src = readFileSync(join(__dirname, '../../examples/seed_three_masks.py'), 'utf8');
  const r = preview(src);
  const [c] = callsOf(r.calls, 'create_padding_mask');
  assert.equal(c.call, 1);
  assert.equal(c.line, 5);
  assert.equal(c.calledFrom, 22);
  assert.deepEqual(c.site && { line: c.site.line, column: c.site.column }, { line: 22, column: 15 });
  assert.deepEqual(c.timeline.map((s) => `${s.name}@${s.line}`), ['seq@5', 'pad_token@5', 'mask@6']);
  const mask = at(c.timeline, 'mask')[0].value;
  assert.deepEqual(mask && 'shape' in mask && [mask.dtype, mask.shape], ['torch.bool', [2, 1, 1, 4]]);
  assert.deepEqual(data(mask), [false, false, true, true, false, false, false, true]);
  assert.equal(at(c.timeline, 'mask')[0].mask, 'padding', 'call snapshots are classified like module ones');
  assert.deepEqual(data(c.returned?.value), data(mask));
  assert.equal(c.returned?.line, 7);
  assert.deepEqual(Object.keys(c.variables).sort(), ['mask', 'pad_token', 'seq']);
  assert.equal(r.functions?.find((f) => f.function === 'create_look_ahead_mask')?.calls, 1);
});

test('methods are named Class.method, calls are numbered, nested functions use <locals>', () => {
  const r = preview(`import torch
class Attn(torch.nn.Module):
    def __init__(self, n):
        super().__init__()
        self.mask = torch.tril(torch.ones(n, n)).bool()
    def forward(self, x):
        scores = x.masked_fill(~self.mask, 0.0)
        return scores
def outer(k):
    def inner(v):
        return v * k
    return inner(2)
attn = Attn(3)
a = attn(torch.ones(3, 3))
b = attn(torch.full((3, 3), 2.0))
c = outer(5)
`);
  assert.equal(r.error, null);
  const fwd = callsOf(r.calls, 'Attn.forward');
  assert.deepEqual(fwd.map((c) => [c.call, c.calledFrom, c.line]), [[1, 14, 6], [2, 15, 6]]);
  assert.deepEqual(data(at(fwd[1].timeline, 'x')[0].value), Array(9).fill(2));
  // the instance's tensors as the call found them: `self.mask` hovers inside forward
  const selfMask = at(fwd[0].timeline, 'self.mask')[0];
  assert.equal(selfMask.line, 6);
  assert.deepEqual(data(selfMask.value), [true, false, false, true, true, false, true, true, true]);
  // attribute assignment records a snapshot in __init__
  const init = callsOf(r.calls, 'Attn.__init__')[0];
  assert.deepEqual(at(init.timeline, 'self.mask').map((s) => s.line), [5]);
  assert.ok(!('self.mask' in init.variables), 'attributes are not locals');
  assert.deepEqual(callsOf(r.calls, 'outer.<locals>.inner').map((c) => c.returned?.value), [{ type: 'int', value: 10 }]);
  assert.deepEqual(r.functions?.map((f) => [f.function, f.method, f.calls]), [
    ['Attn.__init__', true, 1], ['Attn.forward', true, 2], ['outer', false, 1], ['outer.<locals>.inner', false, 1],
  ]);
});

test('only the first N calls are recorded (maxRecordedCalls), later ones are counted', () => {
  const src = `def f(i):
    y = i * 2
    return y
out = [f(i) for i in range(20)]
`;
  const r = preview(src, { maxRecordedCalls: 3 });
  assert.deepEqual(r.calls?.map((c) => c.call), [1, 2, 3]);
  assert.deepEqual(r.calls?.map((c) => c.returned?.value), [0, 2, 4].map((value) => ({ type: 'int', value })));
  assert.equal(r.functions?.[0].calls, 20);
  assert.equal(preview(src).calls?.length, 8, 'the default is 8');
  assert.equal(preview(src, { maxRecordedCalls: 0 }).calls?.length, 0, '0 records none');
  assert.equal(evaluate(src).calls, undefined, 'nothing is recorded without recordTimeline');
});

test('10,000 calls in a loop keep memory at the bound: 8 records, elements within the budget', () => {
  const r = preview(`import torch
def step(x):
    h = x + 1
    for k in range(3):
        h = h * 2
    return h
acc = torch.zeros(64)
for i in range(10000):
    acc = step(acc)
`, { maxSteps: 10_000_000, callElementBudget: 2000 });
  assert.equal(r.error, null);
  assert.equal(r.functions?.[0].calls, 10000);
  assert.equal(r.calls?.length, 8);
  const elements = (r.calls ?? []).flatMap((c) => [...c.timeline, ...(c.returned ? [c.returned] : [])]).reduce((n, s) => n + (data(s.value)?.length ?? 1), 0);
  assert.ok(elements <= 2000, `recorded ${elements} elements, budget 2000`);
  // a loop inside a call replaces its snapshot on that line instead of adding one per iteration
  assert.equal(at(r.calls![0].timeline, 'h').length, 2);
  // the budget ran out: later calls say their values are incomplete
  assert.ok(r.calls!.some((c) => c.truncated));
  assert.ok(!r.calls![0].truncated);
});

test("past the element budget a rebinding keeps its new dtype and shape (no data), not the earlier value (d2l's masked_softmax X)", () => {
  const r = preview(`import torch
def masked_softmax(X, valid_lens):
    shape = X.shape
    X = X.reshape(-1, shape[-1]).to(torch.float64)
    return X.softmax(-1).reshape(shape)
small = masked_softmax(torch.zeros(2, 2, 3), None)
big = masked_softmax(torch.zeros(4, 10, 10), None)
`, { callElementBudget: 100 });
  assert.equal(r.error, null);
  const second = callsOf(r.calls, 'masked_softmax')[1];
  assert.ok(second.truncated);
  const xs = at(second.timeline, 'X');
  assert.deepEqual(xs.map((s) => s.line), [2, 4]);
  const last = xs[1].value as Extract<EncodedValue, { shape: number[] }>;
  assert.deepEqual([last.dtype, last.shape, data(last)], ['torch.float64', [40, 10], []]);
  assert.match(xs[1].note ?? '', /not recorded/);
  assert.deepEqual((second.returned?.value as { shape: number[] }).shape, [4, 10, 10]);
  // the first call fit in the budget: its values are whole
  assert.equal(data(at(callsOf(r.calls, 'masked_softmax')[0].timeline, 'X')[1].value)?.length, 12);
});

test('writes that rebind nothing record a new snapshot of what they change', () => {
  const r = preview(`import torch
labels = torch.tensor([[5, 6, 7], [8, 9, 4]])
attention_mask = torch.tensor([[1, 1, 0], [1, 0, 0]])
labels[attention_mask == 0] = -100
w = torch.zeros(3)
w[1] += 5
w.add_(1)
xs = [1]
xs.append(2)
def f(t):
    t[0] = 9
    t.fill_(3)
    return t
f(torch.zeros(2))
`);
  assert.equal(r.error, null);
  const labels = at(r.timeline, 'labels');
  assert.deepEqual(labels.map((s) => s.line), [2, 4]);
  assert.deepEqual(data(labels[1].value), [5, 6, -100, 8, -100, -100]);
  assert.deepEqual(data(labels[0].value), [5, 6, 7, 8, 9, 4], 'the earlier snapshot keeps its own value');
  assert.deepEqual(at(r.timeline, 'w').map((s) => [s.line, data(s.value)]), [[5, [0, 0, 0]], [6, [0, 5, 0]], [7, [1, 6, 1]]]);
  // each snapshot prints the value it recorded, not what later in-place writes made of it
  assert.deepEqual(at(r.timeline, 'w').map((s) => s.repr), ['tensor([0., 0., 0.])', 'tensor([0., 5., 0.])', 'tensor([1., 6., 1.])']);
  assert.deepEqual(at(r.timeline, 'xs').map((s) => s.line), [8, 9]);
  assert.deepEqual(at(r.calls![0].timeline, 't').map((s) => [s.line, data(s.value)]), [[10, [0, 0]], [11, [9, 0]], [12, [3, 3]]]);
});

test('writtenPaths: targets, roots of subscript writes, attributes (and their objects) and in-place calls', () => {
  const paths = (src: string) => writtenPaths(parseModule(src).body[0]);
  assert.deepEqual(paths('a, (b, *c) = v'), ['a', 'b', 'c']);
  assert.deepEqual(paths('x[m][0] = 1'), ['x']);
  assert.deepEqual(paths('self.mask[0] += 1'), ['self.mask']);
  // the object an attribute write changes (a dataclass instance is recorded by its repr)
  assert.deepEqual(paths('self.mask = m'), ['self.mask', 'self']);
  assert.deepEqual(paths('cfg.a.b = 1'), ['cfg.a.b', 'cfg']);
  assert.deepEqual(paths('y = x.masked_fill_(m, 0)'), ['y', 'x']);
  assert.deepEqual(paths('x.masked_fill(m, 0)'), []);
  assert.deepEqual(paths('x.__setitem__(0, 1)'), []);
  assert.deepEqual(paths('with open(p) as f: pass'), ['f']);
  assert.deepEqual(paths('torch.arange(n, out=buffered)'), ['buffered']);
  assert.deepEqual(paths('np.put_along_axis(spec_aug_mask, idxs, 1, -1)'), ['spec_aug_mask']);
  assert.deepEqual(paths('y = torch.cumsum(x, 0, out=self.buf[:n])'), ['y', 'self.buf']);
});

test("a tensor filled through out= shows its new value from that line (fairseq's convert_padding_direction)", () => {
  const r = preview(`import torch
def direction(src_tokens):
    max_len = src_tokens.size(1)
    buffered = torch.empty(0).long()
    if max_len > 0:
        torch.arange(max_len, out=buffered)
    return buffered.type_as(src_tokens).expand_as(src_tokens)
rng = direction(torch.tensor([[5, 6, 1]]))
`);
  assert.equal(r.error, null);
  const snaps = at(r.calls![0].timeline, 'buffered');
  assert.deepEqual(snaps.map((s) => [s.line, data(s.value)]), [[4, []], [6, [0, 1, 2]]]);
});

test('an error inside a module-level block: the body goes on, later values carry a note', () => {
  const src = `import torch
if __name__ == "__main__":
    a = torch.ones(2)
    b = a.unsequeeze(0)
    c = a * 3
    with torch.no_grad():
        d = undefined_name
        e = c + 1
    try:
        f = 1 / 0
    except ZeroDivisionError:
        f = -1
    for i in range(5):
        g = i
        h = [][i]
        k = g * 10
    z = 7
`;
  const r = preview(src);
  assert.deepEqual(r.errors.map((e) => [e.type, e.line]), [['AttributeError', 4], ['NameError', 7], ['IndexError', 15]]);
  assert.deepEqual(data(r.variables.c), [3, 3]);
  assert.deepEqual(data(r.variables.e), [4, 4]);
  assert.deepEqual(r.variables.f, { type: 'int', value: -1 }, 'a try that handles the error keeps Python semantics');
  // the loop stops after its first failing iteration, which still runs to its end
  assert.deepEqual([r.variables.g, r.variables.k], [{ type: 'int', value: 0 }, { type: 'int', value: 0 }]);
  assert.deepEqual(r.variables.z, { type: 'int', value: 7 });
  assert.equal(at(r.timeline, 'a')[0].note, undefined);
  assert.equal(at(r.timeline, 'c')[0].note, 'after an error at line 4; Python would have stopped');
  assert.equal(at(r.timeline, 'z')[0].note, 'after an error at line 4; Python would have stopped');

  // Python semantics (masklens run --json): the first error, the values bound before it
  const strict = evaluate(src, { recordTimeline: true });
  assert.deepEqual(strict.errors.map((e) => e.line), [4]);
  assert.deepEqual(Object.keys(strict.variables), ['a']);
});

test('a spent time budget is not continued past inside a block', () => {
  const r = preview('for i in range(10**6):\n    x = i\n    y = x + 1\n', { maxSteps: 1000 });
  assert.deepEqual(r.errors.map((e) => [e.type, e.line > 0]), [['TimeoutError', true]]);
});

test('values left by a snippet stopped at its deadline are still encoded (a permuted view needs a copy)', () => {
  for (const continueAfterError of [false, true]) {
    // an endless loop and a budget the first lines fit in even on a loaded machine (x must be bound first)
    const r = evaluate('import torch\nx = torch.ones(2, 3).t()\nwhile True:\n    y = 1\n', { recordTimeline: true, continueAfterError, timeBudgetMs: 1500 });
    assert.equal(r.errors[0]?.type, 'TimeoutError');
    assert.deepEqual(data(r.variables.x), [1, 1, 1, 1, 1, 1]);
  }
});

test('an error in a block nested in a loop ends the loop after that iteration', () => {
  const r = preview(`n = 0
for i in range(5):
    if i >= 1:
        x = [][0]
        y = i
    n = n + 1
`);
  assert.deepEqual(r.errors.map((e) => e.line), [4]);
  assert.deepEqual([r.variables.y, r.variables.n], [{ type: 'int', value: 1 }, { type: 'int', value: 2 }]);
});

test('an unhandled error in a try body continues; errors inside functions still propagate', () => {
  const r = preview(`try:
    a = 1
    b = [][0]
    c = 3
except KeyError:
    c = -1
def f():
    x = 1
    y = [][0]
    return 2
if True:
    v = f()
    w = 5
`);
  assert.deepEqual(r.errors.map((e) => [e.type, e.line]), [['IndexError', 3], ['IndexError', 9]]);
  assert.deepEqual(r.variables.c, { type: 'int', value: 3 });
  assert.ok(!('v' in r.variables));
  assert.deepEqual(r.variables.w, { type: 'int', value: 5 });
  const call = r.calls![0];
  assert.deepEqual(call.error && [call.error.type, call.error.line], ['IndexError', 9]);
  assert.deepEqual(call.variables, { x: { type: 'int', value: 1 } });
});

const NOTEBOOK = JSON.stringify({
  nbformat: 4, nbformat_minor: 5, metadata: {},
  cells: [
    { cell_type: 'code', metadata: {}, outputs: [], source: ['import torch\n', '%matplotlib inline\n', 'lengths = torch.tensor([3, 1])'] },
    { cell_type: 'markdown', metadata: {}, source: '# masks' },
    { cell_type: 'code', metadata: {}, outputs: [], source: ['bad = lengths.unsequeeze(0)\n', 'after = 1\n'] },
    { cell_type: 'code', metadata: {}, outputs: [], source: 'mask = torch.arange(3)[None, :] < lengths[:, None]\nprint(mask.sum())' },
    { cell_type: 'code', metadata: {}, outputs: [], source: 'def broken(:\n    pass' },
    { cell_type: 'code', metadata: {}, outputs: [], source: 'last = mask.int()' },
  ],
});

test('notebooks: code cells join in order, lines map back to their cell', () => {
  const cells = readNotebook(NOTEBOOK);
  assert.deepEqual(cells.map((c) => c.index), [0, 2, 3, 4, 5]);
  const layout = layoutCells(cells);
  assert.deepEqual(layout.startLines, [1, 4, 6, 8, 10]);
  assert.equal(layout.source.split('\n')[1], '', 'a magic becomes a blank line');
  assert.deepEqual(cellPosition(layout, 7), { cell: 3, line: 2 });
  assert.equal(sourceLine(layout, 3, 2), 7);
  assert.equal(cellEndLine(layout, 2), 5);
  assert.equal(cellEndLine(layout, 5), 10);
  assert.throws(() => readNotebook('{"cells": 3}'), /not a notebook/);
});

test('notebooks: a later cell sees earlier cells; an error ends only its own cell', () => {
  const layout = layoutCells(readNotebook(NOTEBOOK));
  for (const continueAfterError of [false, true]) {
    const r = evaluateNotebook(layout, { recordTimeline: true, continueAfterError });
    assert.deepEqual(data(r.variables.mask), [true, true, true, true, false, false]);
    assert.deepEqual(data(r.variables.last), [1, 1, 1, 1, 0, 0]);
    assert.equal(r.stdout, 'tensor(4)\n');
    const places = r.errors.map((e) => ({ type: e.type, ...cellPosition(layout, e.line) }));
    assert.deepEqual(places, [{ type: 'AttributeError', cell: 2, line: 1 }, { type: 'SyntaxError', cell: 4, line: 1 }]);
    // in a kernel, the rest of a failing cell does not run; the editor goes on
    assert.equal('after' in r.variables, continueAfterError);
    // a new cell: the note of an earlier cell's error does not carry over
    assert.equal(at(r.timeline, 'mask')[0].note, undefined);
  }
});

test('Preview with Arguments calls a function the file never calls', () => {
  const src = `import torch
def create_padding_mask(seq, pad_token=0):
    mask = (seq == pad_token).unsqueeze(1).unsqueeze(2)
    return mask
class Head:
    def forward(self, x):
        y = x * 2
        return y
`;
  const r = preview(src, { previewCall: { function: 'create_padding_mask', args: 'torch.tensor([[7, 6, 0, 0]])' } });
  assert.equal(r.error, null);
  const [c] = r.calls!;
  assert.deepEqual([c.function, c.call, c.calledFrom, c.site], ['create_padding_mask', 1, 0, undefined]);
  assert.deepEqual(data(at(c.timeline, 'mask')[0].value), [false, false, true, true]);
  const m = preview(src, { previewCall: { function: 'Head.forward', args: 'Head(), torch.ones(2)' } });
  assert.deepEqual(data(m.calls![0].returned?.value), [2, 2]);
  const bad = preview(src, { previewCall: { function: 'create_padding_mask', args: 'torch.tensor([1], ' } });
  assert.deepEqual(bad.errors.map((e) => [e.type, e.line]), [['SyntaxError', 2]]);
  const raised = preview(src, { previewCall: { function: 'create_padding_mask', args: 'nope' } });
  assert.deepEqual(raised.errors.map((e) => [e.type, e.message, e.line]), [['NameError', "name 'nope' is not defined", 2]]);
  assert.deepEqual(r.functions?.find((f) => f.name === 'create_padding_mask')?.params, ['seq', 'pad_token=0']);
});

test('Preview with Arguments: the calls the previewed function makes keep their call sites in the file', () => {
  const src = `import torch
def make_causal_mask(n):
    return torch.tril(torch.ones(n, n, dtype=torch.bool))
def forward(x):
    mask = make_causal_mask(x.shape[-1])
    return x.masked_fill(~mask, 0.0)
`;
  const r = preview(src, { previewCall: { function: 'forward', args: 'torch.ones(3, 3)' } });
  assert.equal(r.error, null);
  const byName = new Map(r.calls!.map((c) => [c.function, c]));
  // the previewed call itself has no site in the file ("with your arguments")
  assert.deepEqual([byName.get('forward')?.calledFrom, byName.get('forward')?.site], [0, undefined]);
  // the helper it calls was called from line 5, as when the file runs it
  const helper = byName.get('make_causal_mask')!;
  assert.equal(helper.calledFrom, 5);
  assert.deepEqual(helper.site && [helper.site.line, helper.site.column], [5, 11]);
});

test("a dtype argument is recorded and shown by its repr (HF's _expand_mask(mask, dtype))", () => {
  const r = preview(`import torch
def _expand_mask(mask, dtype, tgt_len=None):
    inverted = 1.0 - mask[:, None, None, :].to(dtype)
    return inverted.masked_fill(inverted.bool(), torch.finfo(dtype).min)
m = _expand_mask(torch.tensor([[1, 1, 0]]), torch.float32)
`);
  const dtype = at(r.calls![0].timeline, 'dtype')[0];
  assert.deepEqual([dtype.value, dtype.repr, dtype.line], [{ type: 'object', class: 'dtype' }, 'torch.float32', 2]);
});

test('Preview with Arguments reaches nested functions: a def inside a def, a method of a class made in a function', async () => {
  const { prefillArguments } = await import('../../src/vscode/prefill');
  const src = `import torch
def build(pad):
    def inner(seq):
        mask = seq == pad
        return mask
    class Block:
        def forward(self, x):
            y = x.masked_fill(x == pad, -1)
            return y
    return inner
never = 1
def unused():
    def hidden(n):
        return n
`;
  // build ran once (pad=0): inner's closure sees that run's pad
  const ran = src + 'build(0)\n';
  const r = preview(ran, { previewCall: { function: 'build.<locals>.inner', args: 'torch.tensor([[7, 0, 0]])' } });
  assert.equal(r.error, null, JSON.stringify(r.errors));
  const c = r.calls!.find((x) => x.function === 'build.<locals>.inner')!;
  assert.deepEqual([c.call, c.calledFrom], [1, 0]);
  assert.deepEqual(data(at(c.timeline, 'mask')[0].value), [false, true, true]);
  // a method of a class defined in a function: the class is called by its own name
  const info = r.functions!.find((f) => f.function === 'build.<locals>.Block.forward')!;
  assert.equal(info.method, true);
  const args = prefillArguments(info);
  assert.ok(args.startsWith('Block(), '), args);
  const m = preview(ran, { previewCall: { function: info.function, args: 'Block(), torch.tensor([3, 0])' } });
  assert.equal(m.error, null, JSON.stringify(m.errors));
  assert.deepEqual(data(m.calls!.find((x) => x.function === info.function)!.returned?.value), [3, -1]);
  // the enclosing function never ran: there is no inner to call, and the error says why, at the def
  const none = preview(src, { previewCall: { function: 'unused.<locals>.hidden', args: '1' } });
  assert.deepEqual(none.errors.map((e) => [e.type, e.line]), [['NotImplementedError', 13]]);
  assert.match(none.errors[0].message, /never calls unused/);
  assert.equal(none.calls!.length, 0);
});

test('masklens run --json adds calls (issue schema); readable mode prints a heading per call; notebooks run', () => {
  const dir = mkdtempSync(join(tmpdir(), 'masklens-calls-'));
  const py = join(dir, 'm.py');
  writeFileSync(py, `def f(n):
    k = n + 1
    return k
a = f(1)
b = f(2)
`);
  // the CLI evaluates in the service's worker (dist/worker.js): `npm test` builds first
  const cli = join(__dirname, '../../dist/cli.js');
  const run = (...args: string[]) => spawnSync(process.execPath, [cli, 'run', ...args], { encoding: 'utf8' });
  const out = JSON.parse(run('--json', py).stdout);
  assert.deepEqual(Object.keys(out), ['case', 'variables', 'stdout', 'warnings', 'error', 'diagnostics', 'errors', 'continued', 'calls']);
  assert.deepEqual(out.calls[1], {
    function: 'f', line: 1, call: 2, calledFrom: 5,
    variables: { n: { type: 'int', value: 2 }, k: { type: 'int', value: 3 } }, returned: { type: 'int', value: 3 },
  });
  const r = preview(readFileSync(py, 'utf8'));
  assert.deepEqual(callJson(r.calls![0]), out.calls[0]);

  const nb = join(dir, 'n.ipynb');
  writeFileSync(nb, NOTEBOOK);
  const text = run(nb).stdout;
  // cells numbered as Jupyter's In[n] / Out[n]: code cells only (the markdown cell has no number)
  assert.match(text, /mask {2}torch\.bool \[2, 3\].* {2}cell 3, line 1/);
  assert.match(text, /cell 2, line 1: AttributeError: 'Tensor' object has no attribute 'unsequeeze'/);
  const j = JSON.parse(run('--json', nb).stdout);
  assert.deepEqual([j.error.cell, j.error.line], [2, 1]);
  assert.deepEqual(j.errors.map((e: { cell: number; line: number }) => [e.cell, e.line]), [[2, 1], [4, 1]]);

  // a syntax error below an infinite loop: Python reports it and runs nothing, so both modes lead with it
  const loop = join(dir, 'loop.py');
  writeFileSync(loop, 'import torch\nx = torch.ones(2)\nwhile True:\n    pass\ny = (1 +\n');
  const plainOut = run('--budget-ms', '200', loop);
  assert.equal(plainOut.status, 1);
  assert.match(plainOut.stdout, /^line 5: SyntaxError: '\(' was never closed\n/);
  assert.equal(plainOut.stdout.match(/TimeoutError/g)?.length, 1, plainOut.stdout);
  const loopJson = JSON.parse(run('--json', '--budget-ms', '200', loop).stdout);
  assert.deepEqual([loopJson.error.type, loopJson.error.line, loopJson.variables], ['SyntaxError', 5, {}]);
  assert.deepEqual(loopJson.errors.map((e: { type: string }) => e.type), ['SyntaxError', 'TimeoutError']);

  // a file that is not there: python's wording, no JavaScript stack
  const missing = run(join(dir, 'missing.py'));
  assert.equal(missing.status, 2);
  assert.equal(missing.stderr, `masklens: can't open file '${join(dir, 'missing.py')}': [Errno 2] No such file or directory\n`);
  assert.equal(run(dir).stderr, `masklens: can't open file '${dir}': [Errno 21] Is a directory\n`);
});

test('equal data printed once still prints each value as itself (grad, Parameter)', () => {
  const r = preview(`import torch
a = torch.ones(2)
b = torch.ones(2, requires_grad=True)
c = torch.nn.Parameter(torch.ones(2))
d = b * 1
e = torch.ones(2)
`);
  assert.equal(r.error, null);
  const repr = (n: string) => at(r.timeline, n)[0].repr;
  assert.equal(repr('a'), 'tensor([1., 1.])');
  assert.equal(repr('b'), 'tensor([1., 1.], requires_grad=True)');
  assert.match(repr('c'), /^Parameter containing:\ntensor\(\[1\., 1\.\], requires_grad=True\)$/);
  assert.equal(repr('d'), 'tensor([1., 1.], grad_fn=<MulBackward0>)');
  assert.equal(repr('e'), repr('a'));
});

test('a property or an operator dunder called inside a method is "from" the line that used it, not from the call that started the method', () => {
  const r = preview(`import torch
class Vec:
    def __init__(self, t):
        self.t = t
    def __add__(self, other):
        return Vec(self.t + other.t)
class Model:
    @property
    def device(self):
        return self.w.device
    def __init__(self):
        self.w = torch.ones(2)
    def forward(self, x):
        d = self.device
        y = Vec(x) + Vec(x)
        return y.t
out = Model().forward(torch.zeros(2))
`);
  assert.equal(r.error, null);
  assert.deepEqual(callsOf(r.calls, 'Model.device').map((c) => c.calledFrom), [14]);
  assert.deepEqual(callsOf(r.calls, 'Vec.__add__').map((c) => c.calledFrom), [15]);
  assert.deepEqual(callsOf(r.calls, 'Model.forward').map((c) => c.calledFrom), [17]);
  assert.deepEqual(callsOf(r.calls, 'Vec.__init__').map((c) => c.calledFrom), [15, 15, 6]);
});

test('an in-place write through a view reaches every name on that storage at that line, in a callee as well', () => {
  // d2l's masked_softmax: sequence_mask writes -1e6 through a reshape of the caller's tensor
  const src = `import torch

def sequence_mask(X, valid_len, value=0):
    mask = torch.arange(X.size(1))[None, :] < valid_len[:, None]
    X[~mask] = value
    return X

def masked_softmax(X, valid_lens):
    shape = X.shape
    Y = X
    sequence_mask(X.reshape(-1, shape[-1]), valid_lens, value=-1e6)
    return torch.softmax(X, dim=-1)

S = torch.arange(8.).reshape(2, 4) / 8
P = masked_softmax(S, torch.tensor([2, 3]))
a = torch.zeros(2, 3)
row = a[1]
row[0] = 5.
b = torch.ones(2)
`;
  const r = preview(src);
  const masked = [0, 0.125, -1e6, -1e6, 0.5, 0.625, 0.75, -1e6];
  // the module's S changes on the line whose call wrote through the view
  assert.deepEqual(at(r.timeline, 'S').map((s) => [s.line, data(s.value)]), [[14, [0, 0.125, 0.25, 0.375, 0.5, 0.625, 0.75, 0.875]], [15, masked]]);
  // the caller's X and its alias Y, at the call's line
  const [c] = callsOf(r.calls, 'masked_softmax');
  for (const name of ['X', 'Y']) assert.deepEqual(data(c.timeline.filter((s) => s.name === name && s.line === 11)[0]?.value), masked, name);
  // a view in the same frame: `a` changes where `row[0] = 5.` ran
  assert.deepEqual(at(r.timeline, 'a').map((s) => [s.line, data(s.value)]), [[16, [0, 0, 0, 0, 0, 0]], [18, [0, 0, 0, 5, 0, 0]]]);
  // names on other storages get no new snapshot
  assert.deepEqual(at(r.timeline, 'P').map((s) => s.line), [15]);
  assert.deepEqual(at(r.timeline, 'row').map((s) => s.line), [17, 18]);
});

test('np.put_along_axis shows in the array it writes from its line (wav2vec2 span masks)', () => {
  const r = preview(`import numpy as np
mask = np.zeros((2, 5), dtype=bool)
idx = np.array([[0, 1], [3, 4]])
np.put_along_axis(mask, idx, 1, -1)
`);
  assert.equal(r.error, null);
  assert.deepEqual(at(r.timeline, 'mask').map((s) => [s.line, data(s.value)]), [
    [2, [false, false, false, false, false, false, false, false, false, false]],
    [4, [true, true, false, false, false, false, false, false, true, true]],
  ]);
});
