// The evaluation worker as a browser Web Worker (webWorker.ts starts it; the
// web build inlines it into dist/web/extension.js). The first message is
// the host's progress cell, then the protocol's requests (protocol.ts). The
// work itself is in handler.ts.
import { serve } from './handler';
import type { HostToWorker, WorkerToHost } from './protocol';

interface WorkerScope {
  onmessage: ((e: MessageEvent) => void) | null;
  postMessage(msg: WorkerToHost): void;
}
const scope = globalThis as unknown as WorkerScope;

let onMessage: ((msg: HostToWorker) => void) | undefined;
scope.onmessage = (e) => {
  if (!onMessage) {
    const progress = (e.data as { progress?: Int32Array } | null)?.progress;
    onMessage = serve(progress, (reply) => scope.postMessage(reply));
    return;
  }
  onMessage(e.data as HostToWorker);
};
