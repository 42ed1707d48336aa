// The evaluation worker as a Node worker thread (the desktop extension host,
// the CLI, tests): dist/worker.js, with its heap capped by resourceLimits.
import { Worker } from 'node:worker_threads';
import type { SpawnWorker } from './client';
import type { WorkerToHost } from './protocol';

/** Spawns `workerPath` (with Node flags `execArgv`, e.g. ['--import', 'tsx'] for the TypeScript source). */
export function nodeWorker(workerPath: string, execArgv?: string[]): SpawnWorker {
  return (progress, events, limits) => {
    const w = new Worker(workerPath, {
      resourceLimits: { maxOldGenerationSizeMb: limits.heapMb },
      workerData: { progress },
      // not the host's flags (a tsx loader, say): they slow the worker's start
      execArgv: execArgv ?? [],
    });
    // The extension host and the CLI may exit while the worker idles (setBusy holds them while it works).
    w.unref();
    // 'ready' comes once the bundle is loaded and listening: loading is not charged to the time budget
    const online = new Promise<void>((resolve) => w.on('message', (m: WorkerToHost) => m.type === 'ready' && resolve()));
    w.on('message', events.message);
    w.on('error', (e: Error & { code?: string }) => events.died(e.code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'memory' : 'crash', e));
    w.on('exit', () => events.died('crash'));
    return {
      postMessage: (m) => w.postMessage(m),
      terminate: () => void w.terminate(),
      online,
      setBusy: (busy) => (busy ? w.ref() : w.unref()),
    };
  };
}
