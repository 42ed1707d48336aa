// The bench's browser peer, the parts that need no browser: the tfjs
// workloads as the page loads tfjs (tfjs-core and a backend package, no
// chained ops) give our CPU reference's checksums on the same inputs, and
// a missing Chromium makes the peer unavailable, with the reason, rather
// than failing the bench.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import type * as TF from '@tensorflow/tfjs';
import { cpuBackend } from '../../src/engine/kernels/cpu';
import { prepareOurs } from '../../src/bench/ours';
import { tfjsWorkload } from '../../src/bench/tfjs_workload';
import { checksum, QUICK, sameChecksum, WORKLOAD_NAMES } from '../../src/bench/workloads';

const repoRoot = path.resolve(__dirname, '../..');

test('bench: the tfjs workloads on tfjs-core alone (as the browser page loads it) match ours-cpu on the same inputs', async () => {
  // Not @tensorflow/tfjs: that package also registers the chained ops (x.reshape(...)), which the page does not have.
  const tf = (await import('@tensorflow/tfjs-core')) as unknown as typeof TF;
  await import('@tensorflow/tfjs-backend-cpu');
  assert.equal(await tf.setBackend('cpu'), true);
  for (const name of WORKLOAD_NAMES) {
    if (name === 'hover_eval') continue;
    const theirs = tfjsWorkload({ tf }, name, QUICK);
    theirs.run();
    const ours = prepareOurs(name, cpuBackend, QUICK);
    ours.run();
    const [a, b] = [checksum(ours.output()), checksum(theirs.output())];
    assert.ok(sameChecksum(a, b), `${name}: ours-cpu ${JSON.stringify(a)}, tfjs ${JSON.stringify(b)}`);
    theirs.dispose();
  }
});

test('bench: without Chromium the browser peer is unavailable, saying why', async () => {
  process.env.MASKLENS_CHROMIUM = '/nonexistent/chromium';
  const { startBrowser } = await import('../../src/bench/browser');
  const peer = await startBrowser(repoRoot, { tfjs: true });
  assert.ok('unavailable' in peer, 'a browser peer without a browser');
  assert.match(peer.unavailable, /Chromium not found at \/nonexistent\/chromium/);
});
