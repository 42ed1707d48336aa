// webWorker() (src/service/webWorker.ts), the web extension's side of its
// evaluation worker: the script URL comes asynchronously (the web extension
// fetches dist/worker.js), so messages wait for the worker, `online` waits
// for its 'ready', and a URL that cannot be had is a crash the service
// reports. A stand-in Worker class records what the real one would get.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import type { WorkerEvents } from '../../src/service/client';
import type { WorkerToHost } from '../../src/service/protocol';
import { webWorker } from '../../src/service/webWorker';

class FakeWorker {
  static made: FakeWorker[] = [];
  readonly received: unknown[] = [];
  terminated = false;
  onmessage: ((e: { data: unknown }) => void) | null = null;
  onerror: ((e: unknown) => void) | null = null;
  constructor(readonly url: string) {
    FakeWorker.made.push(this);
  }
  postMessage(m: unknown): void {
    this.received.push(m);
  }
  terminate(): void {
    this.terminated = true;
  }
}

const saved = (globalThis as { Worker?: unknown }).Worker;
beforeEach(() => {
  FakeWorker.made = [];
  (globalThis as { Worker?: unknown }).Worker = FakeWorker;
});
afterEach(() => {
  (globalThis as { Worker?: unknown }).Worker = saved;
});

function recorder(): WorkerEvents & { messages: WorkerToHost[]; deaths: Array<{ why: string; error?: Error }> } {
  const messages: WorkerToHost[] = [];
  const deaths: Array<{ why: string; error?: Error }> = [];
  return { messages, deaths, message: (m) => messages.push(m), died: (why, error) => deaths.push({ why, error }) };
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

test('messages sent before the script URL arrives reach the worker after the progress cell, in order; online waits for ready', async () => {
  let resolveUrl!: (url: string) => void;
  const spawn = webWorker(() => new Promise<string>((resolve) => (resolveUrl = resolve)));
  const progress = new Int32Array(4);
  const events = recorder();
  const w = spawn(progress, events, { heapMb: 64 });
  let online = false;
  void w.online.then(() => (online = true));
  w.postMessage({ type: 'release', evaluation: 1 });
  w.postMessage({ type: 'release', evaluation: 2 });
  await tick();
  assert.equal(FakeWorker.made.length, 0);
  resolveUrl('blob:worker');
  await tick();
  const [fake] = FakeWorker.made;
  assert.equal(fake.url, 'blob:worker');
  assert.deepEqual(fake.received, [{ progress }, { type: 'release', evaluation: 1 }, { type: 'release', evaluation: 2 }]);
  w.postMessage({ type: 'release', evaluation: 3 });
  assert.deepEqual(fake.received.at(-1), { type: 'release', evaluation: 3 });
  await tick();
  assert.equal(online, false, 'online before the worker said ready');
  fake.onmessage?.({ data: { type: 'ready', id: -1 } });
  await tick();
  assert.equal(online, true);
  assert.deepEqual(events.deaths, []);
});

test('a script URL that cannot be had is a crash, with its error; no worker starts', async () => {
  const spawn = webWorker(() => Promise.reject(new Error('could not load dist/worker.js: HTTP 404')));
  const events = recorder();
  spawn(new Int32Array(4), events, { heapMb: 64 });
  await tick();
  assert.equal(FakeWorker.made.length, 0);
  assert.equal(events.deaths.length, 1);
  assert.equal(events.deaths[0].why, 'crash');
  assert.match(events.deaths[0].error?.message ?? '', /HTTP 404/);
});

test('a worker terminated before its script URL arrives never starts', async () => {
  let resolveUrl!: (url: string) => void;
  const spawn = webWorker(() => new Promise<string>((resolve) => (resolveUrl = resolve)));
  const events = recorder();
  spawn(new Int32Array(4), events, { heapMb: 64 }).terminate();
  resolveUrl('blob:worker');
  await tick();
  assert.equal(FakeWorker.made.length, 0);
  assert.deepEqual(events.deaths, []);
});
