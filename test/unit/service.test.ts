// The evaluation service (src/service): evaluations in a worker thread,
// values fetched by address, the time budget enforced by replacing the
// worker, and newer evaluations cancelling older ones.

import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { CancelledError, EvaluationService } from '../../src/service/client';
import { nodeWorker } from '../../src/service/nodeWorker';

const workerPath = fileURLToPath(new URL('./fixtures/service-worker.cjs', import.meta.url));
const service = new EvaluationService({ spawn: nodeWorker(workerPath), budgetSetting: 'test.budget', graceMs: 200 });
after(() => service.dispose());

test('big tensors stay in the worker; the host fetches summary, slice and repr', async () => {
  const src = 'import torch\nm = torch.ones(300, 400, dtype=torch.bool).tril()\nm[0, 1] = True\nsmall = torch.arange(4)\n';
  const r = await service.evaluate(src, { recordTimeline: true, inlineElements: 1000 });
  assert.equal(r.result.error, null);
  const m = r.result.variables.m;
  assert.ok('elided' in m && m.elided && m.data.length === 0, 'm is not inlined');
  assert.deepEqual(r.result.variables.small, { type: 'torch.Tensor', dtype: 'torch.int64', shape: [4], data: [0, 1, 2, 3] });
  const ref = { evaluation: r.evaluation, address: { kind: 'variable' as const, name: 'm' } };
  const summary = await service.summary(ref);
  assert.deepEqual(summary?.shape, [300, 400]);
  assert.equal(summary?.dtype, 'torch.bool');
  const slice = await service.slice(ref, { maxRows: 16, maxCols: 16 });
  assert.ok(slice);
  assert.deepEqual([slice.rows, slice.cols, slice.rowStep, slice.colStep], [16, 16, 19, 25]);
  // sampled row i, column j is m[19 i, 25 j]: tril keeps j*25 <= i*20, plus the m[0, 1] write (not sampled)
  for (let i = 0; i < slice.rows; i++) for (let j = 0; j < slice.cols; j++) assert.equal(slice.data[i * slice.cols + j], j * 25 <= i * 19);
  // the timeline snapshot is the value as of its line, not the later in-place write
  const timelineIndex = r.result.timeline.findIndex((s) => s.name === 'm');
  const early = await service.slice({ evaluation: r.evaluation, address: { kind: 'timeline', index: timelineIndex } }, { maxRows: 300, maxCols: 400 });
  assert.equal(early?.data[1], false);
  const late = await service.slice(ref, { maxRows: 300, maxCols: 400 });
  assert.equal(late?.data[1], true);
  assert.match((await service.repr(ref)) ?? '', /^tensor\(\[\[ True,  True, False,/);
});

test('an evaluation past its budget stops at the line it was on, keeping earlier errors; the next one runs', async () => {
  const src = 'import torch\nq = torch.ones(-1)\na = torch.ones(2000, 2000)\nb = a @ a @ a @ a\n';
  const r = await service.evaluate(src, { timeBudgetMs: 400, continueAfterError: true });
  // errors met before the stop are kept; the stop is on the matmul's line, whether the
  // kernel's own deadline check or the replaced worker answered first
  const errors = r.result.errors;
  assert.deepEqual([errors[0].type, errors[0].line], ['RuntimeError', 2]);
  assert.ok(errors.length >= 2);
  for (const e of errors.slice(1)) assert.deepEqual([e.type, e.line], ['TimeoutError', 4]);
  // the next evaluation gets a fresh worker
  const next = await service.evaluate('x = 1 + 1', {});
  assert.deepEqual(next.result.variables.x, { type: 'int', value: 2 });
});

test('a worker that stopped on its own and is finishing is waited for, not replaced at the end of its grace', async () => {
  // the loop stops at the budget (the worker's own check); the preview call after it runs past
  // the host's grace (its own allowance, 500 ms) and the worker still answers with its own result
  const src = 'import torch\nm = torch.ones(2, 2).bool()\nwhile True:\n    pass\ndef spin(n):\n    while True:\n        n += 1\n';
  const patient = new EvaluationService({ spawn: nodeWorker(workerPath), budgetSetting: 'test.budget', graceMs: 300 });
  try {
    const r = await patient.evaluate(src, { timeBudgetMs: 300, continueAfterError: true, recordTimeline: true, previewCall: { function: 'spin', args: '0' } });
    assert.equal(r.stopped, undefined, 'not replaced');
    assert.equal(patient.stats.restarts, 0);
    // the values before the stop are kept
    assert.deepEqual(r.result.variables.m, { type: 'torch.Tensor', dtype: 'torch.bool', shape: [2, 2], data: [true, true, true, true] });
    assert.deepEqual(r.result.errors.map((e) => [e.type, e.line]), [['TimeoutError', 4], ['TimeoutError', 7]]);
  } finally {
    patient.dispose();
  }
});

test('a newer evaluation with the same key cancels the older one', async () => {
  const older = service.evaluate('import torch\na = torch.ones(1500, 1500)\nb = a @ a\n', {}, { key: 'doc' });
  const newer = service.evaluate('y = 3', {}, { key: 'doc' });
  await assert.rejects(older, CancelledError);
  assert.deepEqual((await newer).result.variables.y, { type: 'int', value: 3 });
  const aborted = new AbortController();
  const p = service.evaluate('z = 1', {}, { signal: aborted.signal });
  aborted.abort();
  await assert.rejects(p, CancelledError);
});

test('a big tensor inside a recorded call is fetched by its call address, as of its line', async () => {
  const src = 'import torch\ndef build(n):\n    m = torch.ones(n, n, dtype=torch.bool).tril()\n    m[0, 1] = True\n    return m\nout = build(200)\n';
  const r = await service.evaluate(src, { recordTimeline: true, inlineElements: 1000 });
  assert.equal(r.result.error, null);
  const call = r.result.calls![0];
  const index = call.timeline.findIndex((s) => s.name === 'm' && s.line === 3);
  assert.ok('elided' in call.timeline[index].value);
  const at3 = await service.slice({ evaluation: r.evaluation, address: { kind: 'call', call: 0, index } }, { maxRows: 200, maxCols: 200 });
  assert.equal(at3?.data[1], false, 'the write on line 4 comes later');
  const returned = await service.slice({ evaluation: r.evaluation, address: { kind: 'call', call: 0, index: -1 } }, { maxRows: 200, maxCols: 200 });
  assert.equal(returned?.data[1], true);
  assert.match((await service.repr({ evaluation: r.evaluation, address: { kind: 'call', call: 0, index } })) ?? '', /^tensor\(\[\[ True, False, False,/);
});

test('a bundled worker starts through a V8 code cache, written once after its first evaluation', async () => {
  const { mkdtempSync, writeFileSync, existsSync, statSync, rmSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { tmpdir } = await import('node:os');
  const { codeCachePath } = await import('../../src/service/nodeWorker');
  const dir = mkdtempSync(join(tmpdir(), 'masklens-cache-test-'));
  const saved = process.env.TMPDIR;
  process.env.TMPDIR = dir; // os.tmpdir() reads it on each call: the cache goes under dir
  try {
    // a stand-in for dist/worker.js: a CommonJS module that answers evaluate with its own file name
    const file = join(dir, 'fake-worker.js');
    writeFileSync(file, `
      const { parentPort } = require('node:worker_threads');
      let first;
      exports.onFirstEvaluation = (cb) => (first = cb);
      parentPort.on('message', (m) => {
        if (m.type !== 'evaluate') return;
        if (first) { const f = first; first = undefined; f(); }
        const result = { variables: {}, stdout: require('node:path').basename(__filename), warnings: [], error: null, errors: [], timeline: [], diagnostics: [] };
        parentPort.postMessage({ type: 'evaluated', id: m.id, result, elapsedMs: 0 });
      });
      parentPort.postMessage({ type: 'ready', id: -1 });
    `);
    const cache = codeCachePath(file)!;
    assert.ok(cache.startsWith(dir), cache);
    assert.equal(existsSync(cache), false);
    for (const round of [1, 2]) {
      const s = new EvaluationService({ spawn: nodeWorker(file) });
      const r = await s.evaluate('x = 1', {});
      s.dispose();
      assert.equal(r.result.stdout, 'fake-worker.js', `round ${round}: the module ran with its own __filename`);
      assert.ok(existsSync(cache) && statSync(cache).size > 0, `round ${round}: the cache was written`);
    }
    // another bundle (size or time changed) gets another cache
    writeFileSync(file, '\n', { flag: 'a' });
    assert.notEqual(codeCachePath(file), cache);
  } finally {
    if (saved === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = saved;
    rmSync(dir, { recursive: true, force: true });
  }
});

test('data: every element of an elided tensor, row-major, as a typed array', async () => {
  const r = await service.evaluate('import torch\nm = torch.arange(12).reshape(3, 4).t() > 4\nf = torch.tensor([0.5, float("nan")]).expand(600, 2)\n', { inlineElements: 4 });
  const m = await service.data({ evaluation: r.evaluation, address: { kind: 'variable', name: 'm' } });
  assert.deepEqual(Array.from(m ?? []), [0, 0, 1, 0, 1, 1, 0, 1, 1, 0, 1, 1]);
  const f = await service.data({ evaluation: r.evaluation, address: { kind: 'variable', name: 'f' } });
  assert.equal(f?.length, 1200);
  assert.deepEqual([f?.[0], f?.[1], f?.[1198]], [0.5, NaN, 0.5]);
  assert.equal(await service.data({ evaluation: r.evaluation + 1000, address: { kind: 'variable', name: 'm' } }), null);
});

test('the heap cap bounds tensor memory too: MemoryError naming the setting, after dropping older evaluations', async () => {
  const capped = new EvaluationService({ spawn: nodeWorker(workerPath), heapMb: 320, heapSetting: 'test.maxHeapMb' });
  try {
    // 160 MB of float32 fits under 320 MB; a second one alongside does not
    const over = await capped.evaluate('import torch\na = torch.ones(40_000_000)\nb = torch.ones(40_000_000)\nc = 1\n', { continueAfterError: true, maxElements: 1 << 28, inlineElements: 1000 });
    assert.equal(over.stopped, undefined, 'the worker refused the allocation itself; it was not stopped');
    const [e] = over.result.errors;
    assert.deepEqual([e.type, e.line], ['MemoryError', 3]);
    assert.match(e.message, /^a tensor of 40000000 elements \(153 MB\) exceeds the Mask Lens memory cap: \d+ of 320 MB in use \(setting test\.maxHeapMb\)$/);
    assert.deepEqual(over.result.variables.c, { type: 'int', value: 1 });
    // the worker keeps `a` of that evaluation; the next one needs the room, so that value is dropped
    const ref = { evaluation: over.evaluation, address: { kind: 'variable' as const, name: 'a' } };
    assert.deepEqual((await capped.summary(ref))?.shape, [40_000_000]);
    const next = await capped.evaluate('import torch\nb = torch.ones(40_000_000)\n', { maxElements: 1 << 28, inlineElements: 1000 });
    assert.equal(next.result.error, null);
    assert.equal(await capped.summary(ref), null);
  } finally {
    capped.dispose();
  }
});
