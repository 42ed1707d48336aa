// The committed differential dtype sweep (test/sweep/cases.jsonl.gz, written
// by test/sweep/generate.py from real PyTorch 2.13): every case must match
// PyTorch's dtype, shape, values, repr or error, with the engine's dtype
// invariant assertions on, int64 values beyond 2^53 included (issue #17).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatMismatch, loadCases, minimalCases, runSweep } from '../sweep/runner';

test('dtype sweep: Mask Lens matches PyTorch on the committed cases', () => {
  const { meta, cases } = loadCases(new URL('../sweep/cases.jsonl.gz', import.meta.url).pathname);
  assert.ok(cases.length >= 2000, `expected a few thousand cases, got ${cases.length}`);
  assert.match(String(meta.torch), /^2\./);
  // cases holding int64 values beyond 2^53 must match exactly too (issue #17)
  const ms = runSweep(cases);
  assert.ok(cases.filter((c) => c.wide).length >= 100, 'the committed set covers int64 values beyond 2^53');
  const report = minimalCases(ms).slice(0, 15).map((g) => `${g.key}: ${g.count}\n${formatMismatch(g.example)}`).join('\n\n');
  assert.equal(ms.length, 0, `${ms.length} of ${cases.length} cases differ from PyTorch:\n\n${report}`);
});
