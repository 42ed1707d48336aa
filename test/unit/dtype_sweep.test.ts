// The committed differential dtype sweep (test/sweep/cases.jsonl.gz, written
// by test/sweep/generate.py from real PyTorch 2.13): every case must match
// PyTorch's dtype, shape, values, repr or error, with the engine's dtype
// invariant assertions on (except the values of int64 beyond 2^53).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatMismatch, loadCases, minimalCases, runSweep, splitWide } from '../sweep/runner';

test('dtype sweep: Mask Lens matches PyTorch on the committed cases', () => {
  const { meta, cases } = loadCases(new URL('../sweep/cases.jsonl.gz', import.meta.url).pathname);
  assert.ok(cases.length >= 2000, `expected a few thousand cases, got ${cases.length}`);
  assert.match(String(meta.torch), /^2\./);
  // cases holding int64 values beyond 2^53 (which float64 storage cannot hold) are the known
  // limit of issue #17: they run, and must not crash or break the dtype invariant, but a
  // value difference there is counted apart
  const { failures: ms, wide } = splitWide(runSweep(cases));
  assert.ok(cases.some((c) => c.wide), 'the committed set covers int64 values beyond 2^53');
  const broken = wide.filter((m) => m.what === 'invariant' || m.what === 'type');
  assert.equal(broken.length, 0, broken.map(formatMismatch).join('\n\n'));
  const report = minimalCases(ms).slice(0, 15).map((g) => `${g.key}: ${g.count}\n${formatMismatch(g.example)}`).join('\n\n');
  assert.equal(ms.length, 0, `${ms.length} of ${cases.length} cases differ from PyTorch:\n\n${report}`);
});
