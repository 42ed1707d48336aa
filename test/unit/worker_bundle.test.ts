// dist/worker.js is one bundle for both extension hosts (src/service/worker.ts):
// the web extension runs the very file the Node host runs, as a classic
// Web Worker script. Here it runs in a fresh V8 context shaped like a
// dedicated worker's global scope (WorkerGlobalScope, postMessage,
// onmessage; no require, module, exports or process), and must serve
// evaluations there; and Node still requires it as a CommonJS module.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { createContext, runInContext } from 'node:vm';
import { EvaluationService } from '../../src/service/client';
import { nodeWorker } from '../../src/service/nodeWorker';
import type { HostToWorker, WorkerToHost } from '../../src/service/protocol';

// `npm test` builds first
const bundle = join(__dirname, '../../dist/worker.js');

/** dist/worker.js in a context with a worker's globals and nothing of Node's. */
function startInWorkerScope(): { posted: WorkerToHost[]; send(msg: unknown): void; next(type: string): Promise<WorkerToHost> } {
  const posted: WorkerToHost[] = [];
  const waiters: Array<() => void> = [];
  const globals = {
    postMessage: (m: WorkerToHost) => {
      posted.push(structuredClone(m));
      for (const w of waiters.splice(0)) w();
    },
    console,
    performance,
    atob,
    TextEncoder,
    TextDecoder,
    setTimeout,
    clearTimeout,
    queueMicrotask,
  };
  const context = createContext(globals);
  // a dedicated worker's global object is a WorkerGlobalScope
  runInContext('globalThis.WorkerGlobalScope = class WorkerGlobalScope {}; Object.setPrototypeOf(globalThis, WorkerGlobalScope.prototype);', context);
  assert.equal(runInContext("typeof require + typeof module + typeof exports + typeof process", context), 'undefinedundefinedundefinedundefined');
  runInContext(readFileSync(bundle, 'utf8'), context, { filename: bundle });
  const send = (msg: unknown) => runInContext('onmessage', context)({ data: msg });
  const next = async (type: string): Promise<WorkerToHost> => {
    for (;;) {
      const m = posted.find((p) => p.type === type);
      if (m) return m;
      await new Promise<void>((resolve) => waiters.push(resolve));
    }
  };
  return { posted, send, next };
}

test('the worker bundle serves evaluations as a Web Worker script (no require, module or process)', async () => {
  const worker = startInWorkerScope();
  // loaded: it says so before the host sends anything (webWorker.ts resolves `online` on it)
  assert.deepEqual(worker.posted, [{ type: 'ready', id: -1 }]);
  worker.send({ progress: new Int32Array(new SharedArrayBuffer(16)) });
  const source = 'import torch\nmask = torch.triu(torch.ones(3, 3, dtype=torch.bool), diagonal=1)\nprint(mask.sum())\n';
  worker.send({ type: 'evaluate', id: 1, source, options: {} } satisfies HostToWorker);
  const reply = await worker.next('evaluated');
  assert.equal(reply.type, 'evaluated');
  if (reply.type !== 'evaluated') return;
  assert.equal(reply.result.error, null);
  assert.equal(reply.result.stdout, 'tensor(3)\n');
  assert.deepEqual(reply.result.variables.mask, {
    type: 'torch.Tensor',
    dtype: 'torch.bool',
    shape: [3, 3],
    data: [false, true, true, false, false, true, false, false, false],
  });
});

test('Node requires the same bundle as a CommonJS module, serving nothing on the main thread', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(bundle) as { evaluate?: unknown; onFirstEvaluation?: unknown };
  assert.equal(typeof mod.evaluate, 'function');
  assert.equal(typeof mod.onFirstEvaluation, 'function');
});

test('maskLens.backend "gpu" in the bundle (no gpu.js in it) computes as "auto" does, in a Node worker thread', async () => {
  const service = new EvaluationService({ spawn: nodeWorker(bundle, [], { codeCache: false }) });
  try {
    // 4 × 128 × 128 float32: past the gpu threshold given and the wasm backend's
    const source = 'import torch\nx = torch.arange(65536, dtype=torch.float32).reshape(4, 128, 128) / 1000\nm = torch.ones(128, 128, dtype=torch.bool).triu(1)\np = x.masked_fill(m, float("-inf")).softmax(-1)\nprint(p.sum(-1).mean().item())\nprint(p[3, 127, 127].item() > 0)\n';
    const r = await service.evaluate(source, { backend: { preference: 'gpu', gpuThreshold: 1 } });
    assert.equal(r.result.error, null);
    assert.equal(r.stopped, undefined);
    const [mean, positive] = r.result.stdout.trim().split('\n');
    assert.ok(Math.abs(Number(mean) - 1) < 1e-6, r.result.stdout);
    assert.equal(positive, 'True');
  } finally {
    service.dispose();
  }
});
