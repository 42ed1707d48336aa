// The evaluation worker as a browser Web Worker (the web extension host on
// vscode.dev / github.dev, itself a worker): the same bundle as the Node
// worker, dist/worker.js (worker.ts), started from a URL the caller
// provides (src/web/extension.ts: a blob: URL of the shipped file).
// Browsers offer no heap cap for a worker, so only the time budget bounds
// an evaluation there.
import type { SpawnWorker } from './client';
import type { WorkerToHost } from './protocol';

/**
 * Spawns a Web Worker from the URL `scriptUrl()` resolves to (asked on each
 * start; the caller caches it). Until the worker exists, messages wait here;
 * `online` resolves on the worker's 'ready' (worker.ts), so neither fetching
 * nor loading the bundle is charged to the time budget. The first message
 * the worker gets is the progress cell. A URL that cannot be had, or a
 * script that fails to load, is a crash (the service reports it).
 */
export function webWorker(scriptUrl: () => Promise<string>): SpawnWorker {
  return (progress, events) => {
    let worker: Worker | undefined;
    let terminated = false;
    const queued: unknown[] = [{ progress }];
    let ready!: () => void;
    const online = new Promise<void>((resolve) => (ready = resolve));
    scriptUrl().then(
      (url) => {
        if (terminated) return;
        const w = new Worker(url);
        w.onmessage = (e: MessageEvent) => {
          const m = e.data as WorkerToHost;
          if (m.type === 'ready') ready();
          events.message(m);
        };
        w.onerror = (e: ErrorEvent) => {
          e.preventDefault();
          events.died('crash', new Error(e.message));
        };
        // A Web Worker queues messages until it runs.
        for (const m of queued.splice(0)) w.postMessage(m);
        worker = w;
      },
      (e: unknown) => {
        if (!terminated) events.died('crash', e instanceof Error ? e : new Error(String(e)));
      },
    );
    return {
      postMessage: (m) => (worker ? worker.postMessage(m) : queued.push(m)),
      terminate: () => {
        terminated = true;
        worker?.terminate();
      },
      online,
    };
  };
}
