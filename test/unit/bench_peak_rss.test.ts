// The bench's peak-memory figures come from child processes spawned by the
// bench, which by then holds gigabytes: the child's peak must be its own.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { peakRssBytes } from '../../src/bench/timing';

const timing = path.resolve(__dirname, '../../src/bench/timing.ts');

test('bench: peakRssBytes in a child is the child\'s own peak, not the parent\'s RSS at the fork', { skip: process.platform !== 'linux' && 'Linux only (/proc)' }, () => {
  const held = new Float64Array(40 << 20); // 320 MiB, every page touched
  held.fill(1);
  const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', `import('${timing}').then((m) => console.log((m.peakRssBytes ?? m.default.peakRssBytes)()))`], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const child = Number(r.stdout.trim());
  assert.ok(child > 0 && child < held.byteLength, `child peak ${child >> 20} MiB, parent holds ${held.byteLength >> 20} MiB`);
  assert.equal(held[held.length - 1], 1);
});

test('bench: peakRssBytes reads VmHWM in kB, and falls back to getrusage without /proc', () => {
  assert.equal(peakRssBytes(() => 'Name:\tnode\nVmPeak:\t  900 kB\nVmHWM:\t  12345 kB\nVmRSS:\t 100 kB\n'), 12345 * 1024);
  // the peak may grow between two reads (the test runner allocates), so bracket the fallback
  const before = process.resourceUsage().maxRSS * 1024;
  const fallback = peakRssBytes(() => { throw new Error('ENOENT'); });
  const after = process.resourceUsage().maxRSS * 1024;
  assert.ok(before <= fallback && fallback <= after, `getrusage fallback ${fallback}, bracket [${before}, ${after}]`);
});
