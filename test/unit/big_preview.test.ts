// Big tensors in a preview (issue #15): the default element budget admits
// attention scores of [8, 8, 1024, 1024], and the timeline keeps no copy of
// a big tensor, so a masked softmax of that size previews within the
// default memory cap; a big snapshot's data is served only while unchanged.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import type { MemoryProbe } from '../../src/engine/context';
import { nodeMemoryHooks } from '../../src/service/memory';
import { DEFAULT_MAX_ELEMENTS, evaluate, evaluateLive } from '../../src/service/evaluate';
import { TIMELINE_COPY_LIMIT, storageFingerprint } from '../../src/python/record';
import pkg from '../../package.json';

/** The extension's defaults, as package.json declares them (src/vscode/settings.ts repeats them). */
const setting = (name: string) => (pkg.contributes.configuration.properties as Record<string, { default: unknown }>)[name].default as number;
const DEFAULT_EVALUATION_MAX_ELEMENTS = setting('maskLens.evaluation.maxElements');
const DEFAULT_MAX_HEAP_MB = setting('maskLens.evaluation.maxHeapMb');

const PREVIEW = { recordTimeline: true, continueAfterError: true, inlineElements: 1 << 16 };

test('the default element budget admits [8, 8, 1024, 1024] scores and refuses past 2^27', () => {
  assert.equal(DEFAULT_MAX_ELEMENTS, DEFAULT_EVALUATION_MAX_ELEMENTS);
  assert.ok(8 * 8 * 1024 * 1024 * 2 <= DEFAULT_MAX_ELEMENTS);
  // empty() takes zeroed pages without touching them: no 256 MiB written here
  assert.deepEqual(evaluate('import torch\nx = torch.empty(8, 8, 1024, 1024)\n', { inlineElements: 16 }).errors, []);
  const r = evaluate('import torch\nx = torch.empty(2**27 + 1)\n', { inlineElements: 16 });
  assert.equal(r.errors[0]?.type, 'MemoryError');
  assert.match(r.errors[0].message, /a tensor of 134217729 elements exceeds the Mask Lens budget of 134217728 elements/);
});

test('the timeline keeps a big tensor itself, not a copy; a small one is copied', () => {
  const rows = Math.ceil((TIMELINE_COPY_LIMIT + 1) / 1024);
  const live = evaluateLive(`import torch\nbig = torch.ones(${rows}, 1024)\nsmall = torch.ones(8, 1024)\ny = big * 2\n`, { ...PREVIEW, inlineElements: 4096 });
  assert.deepEqual(live.result.errors, []);
  const at = (name: string) => live.result.timeline.findIndex((s) => s.name === name);
  assert.equal(live.tensorAt({ kind: 'timeline', index: at('big') }), live.tensorAt({ kind: 'variable', name: 'big' }), 'big tensor copied');
  const smallSnap = live.tensorAt({ kind: 'timeline', index: at('small') });
  assert.ok(smallSnap);
  assert.notEqual(smallSnap, live.tensorAt({ kind: 'variable', name: 'small' }), 'small tensor not copied');
  assert.match(live.result.timeline[at('big')].repr, /^tensor\(\[\[1\., 1\., 1\.,/);
});

test('a big snapshot changed in place later keeps its printed value and serves no data from after the change', () => {
  const rows = Math.ceil((TIMELINE_COPY_LIMIT + 1) / 1024);
  const src = `import torch\nx = torch.zeros(${rows}, 1024)\nv = x[0]\nv.add_(5)\nx[1, 0] = 7\n`;
  const live = evaluateLive(src, { ...PREVIEW, inlineElements: 4096 });
  assert.deepEqual(live.result.errors, []);
  const snaps = live.result.timeline.map((s, index) => ({ ...s, index })).filter((s) => s.name === 'x');
  const first = snaps.find((s) => s.line === 2)!, last = snaps.find((s) => s.line === 5)!;
  // the add_ through the view v changed x's storage: the line-2 data is gone, its print stays
  assert.equal(live.tensorAt({ kind: 'timeline', index: first.index }), undefined);
  assert.match(first.repr, /^tensor\(\[\[0\., 0\., 0\.,/);
  const now = live.tensorAt({ kind: 'timeline', index: last.index });
  assert.ok(now, 'the latest snapshot serves its data');
  assert.equal(now.values()[0], 5);
  assert.equal(now.values()[1024], 7);
});

test('storage fingerprints change with any element, a swap included', () => {
  const a = Float32Array.from({ length: 4099 }, (_, i) => i * 0.5);
  const base = storageFingerprint(a);
  for (const i of [0, 1, 2048, 4097, 4098]) {
    const b = a.slice();
    b[i] += 1;
    assert.notEqual(storageFingerprint(b), base, `element ${i}`);
  }
  const swapped = a.slice();
  [swapped[10], swapped[11]] = [swapped[11], swapped[10]];
  assert.notEqual(storageFingerprint(swapped), base);
  const bytes = Uint8Array.from({ length: 7 }, (_, i) => i);
  const t = bytes.slice();
  t[6] = 9;
  assert.notEqual(storageFingerprint(t), storageFingerprint(bytes), 'tail byte');
});

test('a nanoGPT-style masked softmax of [8, 8, 1024, 1024] previews within the default budgets\' memory cap', () => {
  // The worker's own probe, full collections included: garbage the earlier tests left
  // (hundreds of MB of tensors) counts in process.memoryUsage() until V8 collects it,
  // which without a collection before refusing depends on the machine's GC timing.
  const hooks = nodeMemoryHooks(v8, vm);
  const probe: MemoryProbe = {
    capBytes: DEFAULT_MAX_HEAP_MB * 2 ** 20,
    setting: 'maskLens.evaluation.maxHeapMb',
    used: hooks.used,
    reclaim: hooks.collect,
  };
  const src = `import torch
import torch.nn.functional as F
B, nh, T = 8, 8, 1024
att = torch.zeros(B, nh, T, T)
bias = torch.tril(torch.ones(T, T)).view(1, 1, T, T)
att = F.softmax(att.masked_fill(bias[:, :, :T, :T] == 0, float('-inf')), dim=-1)
`;
  const live = evaluateLive(src, { ...PREVIEW, maxElements: DEFAULT_EVALUATION_MAX_ELEMENTS, memory: probe });
  assert.deepEqual(live.result.errors, []);
  const att = live.tensorAt({ kind: 'variable', name: 'att' })!;
  assert.deepEqual(att.shape, [8, 8, 1024, 1024]);
  const v = att.values();
  assert.equal(v[0], 1); // query 0 sees key 0 only
  assert.equal(v[1024 + 1], 0.5);
});
