// The evaluation worker as a Node worker thread (nodeWorker.ts starts it;
// bundled as dist/worker.js). The work itself is in handler.ts.
import { parentPort, workerData } from 'node:worker_threads';
import { serve } from './handler';
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

if (parentPort) {
  const port = parentPort;
  const progress = (workerData as { progress?: Int32Array } | null)?.progress;
  const onMessage = serve(progress, (reply) => {
    if (reply.type === 'evaluated' && firstEvaluation) {
      const callback = firstEvaluation;
      firstEvaluation = undefined;
      callback();
    }
    port.postMessage(reply);
  });
  port.on('message', (msg: HostToWorker) => onMessage(msg));
  port.postMessage({ type: 'ready', id: -1 } satisfies WorkerToHost);
}

/** The interpreter itself, for in-thread use of this bundle (the CLI's runFile: the conformance test). */
export { evaluate } from '../python';
