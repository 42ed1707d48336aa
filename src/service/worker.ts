// The evaluation worker, one bundle (dist/worker.js) for both extension
// hosts: a Node worker thread (nodeWorker.ts starts it: the desktop
// extension host, the CLI, tests) or a browser Web Worker (webWorker.ts:
// the web extension host, vscode.dev). It finds out which at load time;
// Node's modules are loaded only in Node (nodeBuiltin), so the same file
// runs as a classic worker script. The work itself is in handler.ts.
import type * as NodeV8 from 'node:v8';
import type * as NodeVm from 'node:vm';
import type * as NodeWorkerThreads from 'node:worker_threads';
import { nodeBuiltin } from '../engine/nodeBuiltin';
import { serve } from './handler';
import { nodeMemoryHooks } from './memory';
import type { HostToWorker, WorkerToHost } from './protocol';

/** Called once, when the first evaluation is done (nodeWorker.ts then writes its code cache). */
let firstEvaluation: (() => void) | undefined;

/**
 * Run `callback` once, when the first evaluation is done and before its
 * reply is posted: a host that exits on the reply (the CLI) would stop the
 * worker before anything later ran.
 */
export function onFirstEvaluation(callback: () => void): void {
  firstEvaluation = callback;
}

/** What the worker posts, with the first evaluation's callback run before its reply. */
function poster(post: (reply: WorkerToHost) => void): (reply: WorkerToHost) => void {
  return (reply) => {
    if (reply.type === 'evaluated' && firstEvaluation) {
      const callback = firstEvaluation;
      firstEvaluation = undefined;
      callback();
    }
    post(reply);
  };
}

/** A Node worker thread: progress cell in workerData, 'ready' once listening. */
function serveNodeThread(port: NodeWorkerThreads.MessagePort, workerData: unknown): void {
  const progress = (workerData as { progress?: Int32Array } | null)?.progress;
  const onMessage = serve(
    progress,
    poster((reply) => port.postMessage(reply)),
    nodeMemoryHooks(nodeBuiltin<typeof NodeV8>('node:v8'), nodeBuiltin<typeof NodeVm>('node:vm')),
  );
  port.on('message', (msg: HostToWorker) => onMessage(msg));
  port.postMessage({ type: 'ready', id: -1 } satisfies WorkerToHost);
}

interface WorkerScope {
  onmessage: ((e: MessageEvent) => void) | null;
  postMessage(msg: WorkerToHost): void;
}

/**
 * A browser Web Worker: 'ready' once loaded (webWorker.ts resolves `online`
 * on it, so loading is not charged to the time budget), then the host's
 * first message is the progress cell, then the protocol's requests.
 */
function serveWebWorker(scope: WorkerScope): void {
  let onMessage: ((msg: HostToWorker) => void) | undefined;
  scope.onmessage = (e) => {
    if (!onMessage) {
      const progress = (e.data as { progress?: Int32Array } | null)?.progress;
      onMessage = serve(progress, poster((reply) => scope.postMessage(reply)));
      return;
    }
    onMessage(e.data as HostToWorker);
  };
  scope.postMessage({ type: 'ready', id: -1 });
}

/** Whether this script runs as a browser (or web extension host) Web Worker. */
function isWebWorkerScope(): boolean {
  const g = globalThis as { WorkerGlobalScope?: abstract new () => unknown };
  return typeof g.WorkerGlobalScope === 'function' && globalThis instanceof g.WorkerGlobalScope;
}

const threads = nodeBuiltin<typeof NodeWorkerThreads>('node:worker_threads');
if (threads) {
  // In Node's main thread (the CLI requires this bundle for `evaluate`) there is no parent port: nothing to serve.
  if (threads.parentPort) serveNodeThread(threads.parentPort, threads.workerData);
} else if (isWebWorkerScope()) {
  serveWebWorker(globalThis as unknown as WorkerScope);
}

/** The interpreter itself, for in-thread use of this bundle (the CLI's runFile: the conformance test). */
export { evaluate } from './evaluate';
