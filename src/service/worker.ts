// The evaluation worker as a Node worker thread (nodeWorker.ts starts it;
// bundled as dist/worker.js). The work itself is in handler.ts.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parentPort, workerData } from 'node:worker_threads';
import { serve, type MemoryHooks } from './handler';
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

/**
 * Node's measure of the worker's memory: its own isolate's heap in use plus
 * its ArrayBuffers (tensor storage), which resourceLimits does not cap. A
 * full collection comes from V8's `gc`, exposed to one fresh context only
 * (the flag is switched off again, so no other context sees a `gc` global).
 */
function nodeMemoryHooks(): MemoryHooks {
  let gc: (() => void) | undefined;
  try {
    setFlagsFromString('--expose-gc');
    gc = runInNewContext('gc') as () => void;
    setFlagsFromString('--no-expose-gc');
  } catch {
    gc = undefined;
  }
  return {
    used: () => {
      const m = process.memoryUsage();
      return m.heapUsed + m.arrayBuffers;
    },
    // twice: V8 frees ArrayBuffer memory on a background sweeper after a full collection,
    // and the next collection first waits for that sweep, so the measure after it is true
    collect: () => {
      gc?.();
      gc?.();
    },
  };
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
  }, nodeMemoryHooks());
  port.on('message', (msg: HostToWorker) => onMessage(msg));
  port.postMessage({ type: 'ready', id: -1 } satisfies WorkerToHost);
}

/** The interpreter itself, for in-thread use of this bundle (the CLI's runFile: the conformance test). */
export { evaluate } from '../python';
