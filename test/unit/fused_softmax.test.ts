// The interpreter's fused masked softmax (issue #15): softmax over the last
// dim of a masked_fill result that is a temporary runs the engine's fused
// kernel, and everything it returns and records is what the two calls give.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { currentWasmBackend } from '../../src/engine/kernels/select';
import { evaluate } from '../../src/service/evaluate';
import type { RunResult } from '../../src/python/result';

// [2, 2, 128, 256] = 131072 elements: over the wasm backend's threshold (65536)
const SETUP = `import math
import torch
import torch.nn.functional as F
torch.manual_seed(0)
x = torch.randn(2, 2, 128, 256)
causal = torch.ones(128, 256, dtype=torch.bool).triu(1)
causal[5] = True
keep = ~causal
pad = torch.zeros(2, 1, 1, 256, dtype=torch.bool)
pad[1, ..., 200:] = True
`;

/** Row kernel dispatches on the engine's wasm backend while `fn` runs. */
function dispatched(fn: () => void): { fused: number; where: number } {
  const w = () => currentWasmBackend();
  const before = { fused: w()?.kernelCalls('masked_softmax_rows') ?? 0, where: w()?.kernelCalls('where_rows') ?? 0 };
  fn();
  const b = w();
  assert.ok(b, 'wasm backend missing: run npm run build');
  return { fused: b.kernelCalls('masked_softmax_rows') - before.fused, where: b.kernelCalls('where_rows') - before.where };
}

function run(src: string, opts = {}): RunResult {
  const r = evaluate(SETUP + src, opts);
  assert.deepEqual(r.errors, [], JSON.stringify(r.errors));
  return r;
}

test('softmax of a masked_fill temporary runs the fused kernel, bit-identical to masked_fill then softmax', () => {
  // [fused one-liner, the masked_fill it holds, the same softmax of the named masked tensor t]
  const forms: [string, string, string][] = [
    ["torch.softmax(x.masked_fill(causal, float('-inf')), dim=-1)", "x.masked_fill(causal, float('-inf'))", 'torch.softmax(t, dim=-1)'],
    ["F.softmax(x.masked_fill(keep == 0, float('-inf')), dim=-1)", "x.masked_fill(keep == 0, float('-inf'))", 'F.softmax(t, dim=-1)'],
    ['x.masked_fill(causal, -math.inf).softmax(-1)', 'x.masked_fill(causal, -math.inf)', 't.softmax(-1)'],
    ["F.softmax(x.masked_fill(causal, float('-inf')), dim=-1, dtype=torch.float32)", "x.masked_fill(causal, float('-inf'))", 'F.softmax(t, dim=-1, dtype=torch.float32)'],
    ['F.softmax(x.masked_fill(mask=pad, value=-1e9), 3)', 'x.masked_fill(mask=pad, value=-1e9)', 'F.softmax(t, 3)'],
    ['torch.softmax(x.masked_fill(causal, 0), -1)', 'x.masked_fill(causal, 0)', 'torch.softmax(t, -1)'],
  ];
  for (const [fused, innerCall, composed] of forms) {
    let one!: RunResult, two!: RunResult;
    const a = dispatched(() => (one = run(`p = ${fused}\n`)));
    assert.ok(a.fused > 0, `${fused}: the fused kernel did not run`);
    assert.equal(a.where, 0, `${fused}: a masked copy was made`);
    const b = dispatched(() => (two = run(`t = ${innerCall}\np = ${composed}\n`)));
    assert.equal(b.fused, 0, `${composed}: the named masked tensor was fused`);
    assert.ok(b.where > 0);
    // encoded values carry NaN as 'nan': the fully masked row 5 included
    assert.deepEqual(one.variables.p, two.variables.p, fused);
  }
  const nan = run(`p = torch.softmax(x.masked_fill(causal, float('-inf')), dim=-1)\nn = int(p.isnan().sum())\n`);
  assert.deepEqual(nan.variables.n, { type: 'int', value: 2 * 2 * 256 });
});

test('pairs the kernel does not cover, or whose masked tensor is visible, run as written', () => {
  const cases = [
    "p = torch.softmax(x.masked_fill(causal, float('-inf')), dim=2)", // not the last dim
    "p = torch.softmax(x.masked_fill(causal.float() > 0, float('-inf')).double(), dim=-1)", // a call between
    "p = torch.softmax(x.double().masked_fill(causal, float('-inf')), dim=-1)", // float64
    "p = x.masked_fill(causal, float('-inf')).log_softmax(-1)",
    "p = torch.softmax(x.masked_fill(causal, float('-inf')), dim=-1, dtype=torch.float64)",
    "p = torch.softmax(x.masked_fill(causal, torch.tensor(-1e9)), dim=-1)", // a tensor fill
  ];
  for (const src of cases) {
    const d = dispatched(() => run(src + '\n'));
    assert.equal(d.fused, 0, src);
  }
});

test('errors come from the call that raises them, in Python\'s order', () => {
  const errorOf = (src: string) => {
    const r = evaluate(SETUP + src + '\n');
    assert.equal(r.errors.length, 1, JSON.stringify(r.errors));
    const e = r.errors[0];
    return { type: e.type, message: e.message.split('\n')[0], line: e.line - SETUP.split('\n').length + 1 };
  };
  // masked_fill raises before the outer call's arguments are looked at (NameError would come second in Python)
  assert.deepEqual(errorOf("p = F.softmax(x.masked_fill(causal.float(), float('-inf')), dim=undefined_dim)"), {
    type: 'RuntimeError', message: 'masked_fill_ only supports boolean masks, but got mask with dtype float', line: 1,
  });
  assert.deepEqual(errorOf("p = F.softmax(x.masked_fill(causal, float('-inf')), dim=undefined_dim)"), {
    type: 'NameError', message: "name 'undefined_dim' is not defined", line: 1,
  });
  assert.deepEqual(errorOf("p = F.softmax(x.masked_fill(causal.float(), float('-inf')), dim=-1, dtype=undefined_module.float32)"), {
    type: 'RuntimeError', message: 'masked_fill_ only supports boolean masks, but got mask with dtype float', line: 1,
  });
  assert.deepEqual(errorOf("p = torch.softmax(x.masked_fill(causal, float('-inf')), dim=4)"), {
    type: 'IndexError', message: 'Dimension out of range (expected to be in range of [-4, 3], but got 4)', line: 1,
  });
  assert.deepEqual(errorOf("p = torch.softmax(x.masked_fill(causal[:3], float('-inf')), dim=-1)").type, 'RuntimeError');
});

test('diagnostics, mask consumers and the inspector\'s derivation are those of the two calls', () => {
  // row 5 fully masked under a finite fill: uniform 1/256 instead of NaN (a warning on the softmax)
  const fusedSrc = "p = torch.softmax(x.masked_fill(causal, -1e9), dim=-1)\n";
  const composedSrc = "t = x.masked_fill(causal, -1e9)\np = torch.softmax(t, dim=-1)\n";
  const opts = { recordTimeline: true };
  let one!: RunResult, two!: RunResult;
  assert.ok(dispatched(() => (one = run(fusedSrc, opts))).fused > 0);
  two = run(composedSrc, opts);
  const codes = (r: RunResult) => r.diagnostics.map((d) => `${d.code}: ${d.message}`).sort();
  assert.ok(codes(one).some((c) => c.startsWith('uniform-row')), JSON.stringify(codes(one)));
  assert.deepEqual(codes(one), codes(two));
  const snap = (r: RunResult, name: string) => r.timeline.filter((s) => s.name === name).at(-1)!;
  assert.equal(snap(one, 'causal').consumer, 'masked_fill');
  assert.equal(snap(one, 'causal').consumer, snap(two, 'causal').consumer);
  assert.equal(snap(one, 'pad').consumer, undefined);

  // the inspector's scores → mask → probabilities view, on a tensor small enough to attach (65536 elements)
  const small = "s = torch.randn(1, 1, 256, 256)\nc = torch.ones(256, 256, dtype=torch.bool).triu(1)\n";
  let f!: RunResult;
  assert.ok(dispatched(() => (f = run(small + "p = F.softmax(s.masked_fill(c, float('-inf')), dim=-1)\n", opts))).fused > 0);
  const c = run(small + "t = s.masked_fill(c, float('-inf'))\np = F.softmax(t, dim=-1)\n", opts);
  const df = snap(f, 'p').derived, dc = snap(c, 'p').derived;
  assert.ok(df && dc && df.op === 'softmax' && dc.op === 'softmax');
  assert.ok(df.masked, 'the fused softmax lost its mask');
  assert.deepEqual(df.masked, dc.masked);
  assert.deepEqual(df.scores, dc.scores);
  assert.equal(df.scoresName, undefined);
});

test('grad tracking follows the scores', () => {
  const r = run("w = x.clone().requires_grad_()\np = F.softmax(w.masked_fill(causal, float('-inf')), dim=-1)\ng = str(p.grad_fn)\nq = F.softmax(x.masked_fill(causal, float('-inf')), dim=-1)\nh = q.requires_grad\n");
  assert.match(JSON.stringify(r.variables.g), /SoftmaxBackward0/);
  assert.deepEqual(r.variables.h, { type: 'bool', value: false });
});
