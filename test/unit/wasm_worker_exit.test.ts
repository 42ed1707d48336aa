// A wasm worker thread that dies during a call (process.exit() or an
// uncaught exception in it) must not hang the calling thread: it sits in
// Atomics.wait, where the Worker's 'exit' event cannot run. The call runs
// again on the CPU reference (same bits), later calls on the calling thread.
//
// Each case runs in a child process under its own timeout (a hang blocks
// the event loop, so node:test's timeout could not end it). The child wraps
// node:worker_threads' Worker so that the pool's first worker (the copier)
// calls process.exit() right after its n-th successful claim of a grain or
// a copy task (compareExchange on the control block's work word, slot 0,
// or copy word, slot 10), before it runs it.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const wasm = path.resolve(__dirname, '../../src/engine/kernels/wasm.ts');
const cpu = path.resolve(__dirname, '../../src/engine/kernels/cpu.ts');

/** Child source: `body` runs with `w` (the threaded backend), `cpuBackend`, `x` and helpers; prints JSON. */
function child(claims: number, body: string): string {
  return `
const wt = require('node:worker_threads');
const Original = wt.Worker;
let made = 0, exited = 0;
const prelude = ${JSON.stringify(`{
  const cx = Atomics.compareExchange;
  let left = ${claims};
  Atomics.compareExchange = function (a, i, e, r) {
    const got = cx(a, i, e, r);
    if (got === e && (i === 0 || i === 10) && a.buffer.byteLength <= 1024 && --left === 0) process.exit(1);
    return got;
  };
}
`)};
wt.Worker = class extends Original {
  constructor(src, opts) {
    super(opts && opts.eval && made++ === 0 ? prelude + src : src, opts);
    this.on('exit', () => exited++);
  }
};
const { wasmBackend } = require(${JSON.stringify(wasm)});
const { cpuBackend } = require(${JSON.stringify(cpu)});
const same = (a, b) => a.length === b.length && Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.byteLength), Buffer.from(b.buffer, b.byteOffset, b.byteLength)) === 0;
const x = Float32Array.from({ length: 384 * 512 }, (_, i) => Math.sin(i * 0.37) * 6);
const out = [];
// Workers start at the first parallel call and come up while this thread is back in its event loop.
const settle = () => new Promise((resolve) => setTimeout(resolve, 500));
(async () => {
${body}
// Last: whether the worker did exit (its 'exit' event, once this thread is back in its event loop).
await settle();
out.push(exited === 1);
console.log(JSON.stringify(out));
})();
`;
}

function run(src: string): boolean[] {
  const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', src], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.signal, null, `the child hung (killed by ${r.signal} after 60 s): a dead worker left the caller waiting`);
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as boolean[];
}

test('wasm pool: the copier dies holding a lent output: the call ends with the CPU reference\'s bits in a fresh array, later calls run', { skip: process.platform === 'win32' && 'POSIX shell paths' }, () => {
  // 384 rows of 512 in chunks of 32 rows (64 KiB): twelve jobs, the
  // copier's copy tasks come with jobs 2 .. 12 and after them. It dies at
  // its 2nd claim.
  const got = run(child(2, `
const w = wasmBackend({ threshold: 0, threads: 2, chunkBytes: 1 << 16, lendMinElements: 0, lendBackoff: false });
const want = new Float32Array(x.length);
cpuBackend.softmax(x, 384, 512, want, false);
for (let i = 0; i < 3; i++) {
  const given = new Float32Array(x.length);
  const r = w.softmax(x, 384, 512, given, false, true);
  out.push(same(r instanceof Float32Array ? r : given, want));
}
const mask = { data: Uint8Array.from({ length: 512 }, (_, i) => +(i > 300)), strides: [0, 1], offset: 0 };
const mwant = new Float32Array(x.length);
cpuBackend.softmax(Float32Array.from(x, (v, i) => (i % 512 > 300 ? -Infinity : v)), 384, 512, mwant, false);
const given = new Float32Array(x.length);
const r = w.maskedSoftmax(x, mask, 384, 512, -Infinity, given, [384, 512], true);
out.push(same(r instanceof Float32Array ? r : given, mwant));
`));
  assert.deepEqual(got, [true, true, true, true, true]);
});

test('wasm pool: a worker dies mid-grain in a matmul and a softmax not lent: same bits, no hang', { skip: process.platform === 'win32' && 'POSIX shell paths' }, () => {
  // It dies at its first claim, whichever call that comes in (each job of
  // these calls has 64 Ki elements or more: split across the threads).
  const got = run(child(1, `
const w = wasmBackend({ threshold: 0, threads: 2, chunkBytes: 1 << 18 });
const [m, k, n] = [64, 64, 256];
const a = Float32Array.from({ length: 8 * m * k }, (_, i) => Math.cos(i * 0.11));
const b = Float32Array.from({ length: 8 * k * n }, (_, i) => Math.sin(i * 0.07));
const mwant = new Float32Array(8 * m * n);
cpuBackend.matmul(a, b, 8, m, k, n, mwant);
const swant = new Float32Array(x.length);
cpuBackend.softmax(x, 384, 512, swant, true);
w.matmul(a, b, 8, m, k, n, new Float32Array(8 * m * n));
await settle();
for (let i = 0; i < 20; i++) {
  const mo = new Float32Array(8 * m * n);
  w.matmul(a, b, 8, m, k, n, mo);
  out.push(same(mo, mwant));
  const so = new Float32Array(x.length);
  w.softmax(x, 384, 512, so, true);
  out.push(same(so, swant));
}
`));
  assert.equal(got.length, 41);
  assert.ok(got.pop(), 'the worker did not exit: the case tested nothing');
  assert.ok(got.every(Boolean), `calls with wrong bits: ${got.map((g, i) => (g ? '' : i)).filter(String)}`);
});
