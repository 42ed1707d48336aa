// `masklens run FILE` (the readable mode) says what the editor says: a
// knock-on NameError is "not evaluated", not a second error; and a notebook
// shows each cell's Out[] value where Jupyter would, after the cell's prints.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { evaluateNotebook } from '../../src/service/evaluate';
import { layoutCells } from '../../src/python/notebook';

// the CLI evaluates in the service's worker (dist/worker.js): `npm test` builds first
const cli = join(__dirname, '../../dist/cli.js');
const run = (...args: string[]) => spawnSync(process.execPath, [cli, 'run', ...args], { encoding: 'utf8' });
const dir = mkdtempSync(join(tmpdir(), 'masklens-plain-'));

test('knock-on NameErrors read "not evaluated", as in the editor; the cause stays an error', () => {
  const py = join(dir, 'k.py');
  writeFileSync(py, 'import torch\nx = torch.ones(3).unsequeeze(0)\ny = x * 2\nz = y + 1\n');
  const out = run(py);
  assert.equal(out.status, 1);
  assert.ok(out.stdout.endsWith([
    "line 2: AttributeError: 'Tensor' object has no attribute 'unsequeeze'",
    'line 3: not evaluated: `x` was not bound because line 2 failed',
    'line 4: not evaluated: `y` was not bound because line 2 failed',
    '',
  ].join('\n')), out.stdout);
  assert.doesNotMatch(out.stdout, /NameError/);
});

const cells = [
  { cell_type: 'markdown', source: '# masks', metadata: {} },
  { cell_type: 'code', source: 'import torch\nx = torch.ones(3).unsequeeze(0)\ny = x * 2\n' },
  { cell_type: 'code', source: "m = torch.tril(torch.ones(2, 2)).bool()\nprint('built')\nm" },
  { cell_type: 'code', source: 'n = 3\nn + 1' },
  { cell_type: 'code', source: 'n * 2;' },
  { cell_type: 'code', source: "print('none')\nNone" },
  { cell_type: 'code', source: "'last'" },
].map((c) => ({ metadata: {}, outputs: [], execution_count: null, ...c }));

test("a notebook cell's last expression is its Out[] (not None, not after `;`)", () => {
  const layout = layoutCells(cells.filter((c) => c.cell_type === 'code').map((c, i) => ({ index: i + 1, source: c.source })));
  const r = evaluateNotebook(layout, { recordTimeline: true, continueAfterError: true, cellStartLines: layout.startLines });
  assert.deepEqual(r.outputs?.map((o) => [o.line, o.repr]), [
    [layout.startLines[1] + 2, 'tensor([[ True, False],\n        [ True,  True]])'],
    [layout.startLines[2] + 1, '4'],
    [layout.startLines[5], "'last'"],
  ]);
  // after the prints of its own cell
  assert.equal(r.stdout.slice(0, r.outputs![0].stdoutAt), 'built\n');
});

test('masklens run nb.ipynb prints Out[n] where Jupyter shows it, and cell-relative knock-ons', () => {
  const nb = join(dir, 'n.ipynb');
  writeFileSync(nb, JSON.stringify({ cells, metadata: {}, nbformat: 4, nbformat_minor: 5 }));
  const out = run(nb);
  assert.ok(out.stdout.startsWith([
    'built',
    'Out[2]:',
    'tensor([[ True, False],',
    '        [ True,  True]])',
    'Out[3]: 4',
    'none',
    "Out[6]: 'last'",
    '',
  ].join('\n')), out.stdout);
  // the first code cell is cell 1, as its In[1] / Out[1] (the markdown cell above it has no number)
  assert.match(out.stdout, /cell 1, line 3: not evaluated: `x` was not bound because cell 1, line 2 failed/);
  // --json (the golden schema) is unchanged, and numbers cells the same way, the knock-on's cause included
  const j = JSON.parse(run('--json', nb).stdout);
  assert.equal(j.outputs, undefined);
  assert.deepEqual([j.error.cell, j.error.line], [1, 2]);
  const knockOn = j.errors.find((e: { consequenceOf?: unknown }) => e.consequenceOf);
  assert.equal(knockOn, undefined, 'a kernel stops the cell at its error: --json has no knock-on');
});

test('the readable grid writes a tensor in the one format its print() uses (d2l sequence_mask: -1e6 beside 0.0625)', () => {
  const py = join(dir, 'fmt.py');
  writeFileSync(py, 'import torch\nX = torch.arange(8.).reshape(2, 4) / 16\nX[:, 2:] = -1e6\np = torch.softmax(X, dim=-1)\n');
  const out = run(py).stdout;
  // torch: tensor([[ 0.0000e+00,  6.2500e-02, -1.0000e+06, -1.0000e+06], ...
  assert.ok(out.includes(' 0.0000e+00  6.2500e-02 -1.0000e+06 -1.0000e+06\n 2.5000e-01  3.1250e-01 -1.0000e+06 -1.0000e+06'), out);
  // tensor([[0.4844, 0.5156, 0.0000, 0.0000], ...
  assert.ok(out.includes('0.4844 0.5156 0.0000 0.0000'), out);
});

test('an exception with an empty message reads as Python prints it: the bare type, no colon', () => {
  const py = join(dir, 'assert.py');
  writeFileSync(py, 'import torch\ndef check(x):\n    assert x.ndim == 2\n    return x\nx = torch.ones(3)\nassert x.ndim == 2\ncheck(x)\n');
  const out = run(py);
  assert.equal(out.status, 1);
  assert.match(out.stdout, /^raised AssertionError {2}line 3$/m);
  assert.match(out.stdout, /^line 6: AssertionError$/m);
  assert.doesNotMatch(out.stdout, /AssertionError: ?$/m);
});
