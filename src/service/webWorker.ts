// The evaluation worker as a browser Web Worker (the web extension host on
// vscode.dev / github.dev, itself a worker): webWorkerMain.ts, bundled into
// the web extension and started from a blob: URL. Browsers offer no heap
// cap for a worker, so only the time budget bounds an evaluation there.
import type { SpawnWorker } from './client';

/** Spawns the worker script at `scriptUrl`; its first message is the progress cell (webWorkerMain.ts). */
export function webWorker(scriptUrl: string): SpawnWorker {
  return (progress, events) => {
    const w = new Worker(scriptUrl);
    w.onmessage = (e: MessageEvent) => events.message(e.data);
    w.onerror = (e: ErrorEvent) => {
      e.preventDefault();
      events.died('crash', new Error(e.message));
    };
    w.postMessage({ progress });
    // A Web Worker queues messages until it runs: it is usable at once.
    return { postMessage: (m) => w.postMessage(m), terminate: () => w.terminate(), online: Promise.resolve() };
  };
}
