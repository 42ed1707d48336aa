// The page side of scripts/webview_transfer.mjs: the two ways issue #15
// offers to get a large masked softmax view into the inspector webview,
// timed in headless Chromium, plus the one the inspector implements.
//   (a) operands once: a worker standing in for the host sends the whole
//       scores [8, 8, 1024, 1024] float32 and mask (uint8) by postMessage
//       (structured clone: a copy, as a webview message is), then the page
//       runs the masked softmax of view [0, 0] on gpu.js.
//   (a') the view's operands (what the inspector does): the stand-in sends
//       view [0, 0]'s scores and mask as base64 (protocol.ts WireOperands),
//       the page decodes them and runs gpu.js on them.
//   (b) source only: the page starts the universal evaluation worker
//       (dist/worker.js, from a blob: URL as the web extension does), sends
//       it the snippet's source, and asks for the pooled view of probs.
// "First view" is the time until the view's probabilities are in the page
// (drawing is the same for all three and left out).
import { loadGpuModule, fromWireOperands } from '../webview/gpuView';
import { rowChecksums } from '../src/render/checksum';
import { bytesToBase64 } from '../src/vscode/base64';

const B = 8, H = 8, T = 1024, S = 1024;

/** The stand-in host: a worker that builds the operands and sends them as asked. */
const HOST = `
const B = ${B}, H = ${H}, T = ${T}, S = ${S};
let seed = 1;
const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32) * 8 - 4;
const scores = new Float32Array(B * H * T * S);
for (let i = 0; i < scores.length; i++) scores[i] = rand();
const mask = new Uint8Array(B * H * T * S);
for (let b = 0; b < B; b++) for (let h = 0; h < H; h++) for (let t = 0; t < T; t++) for (let s = 0; s < S; s++) mask[((b * H + h) * T + t) * S + s] = s > t || s >= S - 64 * b ? 1 : 0;
onmessage = (e) => {
  const t0 = performance.now();
  if (e.data === 'whole') postMessage({ scores, mask, t0 });
  // slice(), not subarray(): a cloned view would carry its whole buffer
  else postMessage({ view: { scores: scores.slice(0, T * S), mask: mask.slice(0, T * S) }, t0 });
};
postMessage('ready');
`;

function startHost(): Promise<Worker> {
  const w = new Worker(URL.createObjectURL(new Blob([HOST], { type: 'text/javascript' })));
  return new Promise((resolve) => (w.onmessage = () => resolve(w)));
}

function ask<T>(w: Worker, msg: unknown): Promise<T> {
  return new Promise((resolve) => {
    w.onmessage = (e) => resolve(e.data as T);
    w.postMessage(msg);
  });
}

export interface Measure {
  way: string;
  firstViewMs: number;
  bytesCrossed: number;
  parts: Record<string, number>;
  note?: string;
}

let prepared: { gpu: NonNullable<Awaited<ReturnType<typeof loadGpuModule>>>; host: Worker } | undefined;

/** Before the clock starts (and before the memory baseline): gpu.js's context, and the stand-in host holding the whole operands. */
export async function prepareTransfer(gpuSrc: string, way: string): Promise<void> {
  if (way !== 'a' && way !== 'a1') return;
  const gpu = await loadGpuModule(gpuSrc, undefined);
  if (!gpu) throw new Error('no gpu module');
  gpu.probe();
  prepared = { gpu, host: await startHost() };
}

export async function measureTransfer(gpuSrc: string, workerSrc: string, snippet: string, way: string): Promise<Measure> {
  if (way === 'a' || way === 'a1') {
    const { gpu, host } = prepared!;
    const t0 = performance.now();
    if (way === 'a') {
      const m = await ask<{ scores: Float32Array; mask: Uint8Array }>(host, 'whole');
      const t1 = performance.now();
      const r = gpu.maskedSoftmax(m.scores.subarray(0, T * S), m.mask.subarray(0, T * S), T, S, -Infinity);
      const t2 = performance.now();
      host.terminate();
      return { way: '(a) whole operands once', firstViewMs: t2 - t0, bytesCrossed: m.scores.byteLength + m.mask.byteLength, parts: { transferMs: t1 - t0, gpuMs: r.ms } };
    }
    const m = await ask<{ view: { scores: Float32Array; mask: Uint8Array } }>(host, 'view');
    // as the inspector's worker and host do: reference checksums, base64 for the webview message
    const wire = { rows: T, cols: S, scores: bytesToBase64(new Uint8Array(m.view.scores.buffer, m.view.scores.byteOffset, m.view.scores.byteLength)), mask: bytesToBase64(m.view.mask), fill: '-inf' as const, reference: bytesToBase64(new Uint8Array(rowChecksums(new Float32Array(T * S), T, S).buffer)) };
    const t1 = performance.now();
    const o = fromWireOperands(wire);
    const r = gpu.maskedSoftmax(o.scores, o.mask!, T, S, o.fill);
    const t2 = performance.now();
    host.terminate();
    return { way: "(a') the view's operands", firstViewMs: t2 - t0, bytesCrossed: wire.scores.length + wire.mask.length + wire.reference.length, parts: { transferAndEncodeMs: t1 - t0, decodeMs: t2 - t1 - r.ms, gpuMs: r.ms } };
  }
  // (b): the engine on the source, in a Web Worker
  const t0 = performance.now();
  const text = await (await fetch(workerSrc)).text();
  const w = new Worker(URL.createObjectURL(new Blob([text], { type: 'text/javascript' })));
  await new Promise<void>((resolve) => {
    w.onmessage = (e) => {
      if ((e.data as { type?: string }).type === 'ready') resolve();
    };
    w.postMessage({ progress: undefined });
  });
  const t1 = performance.now();
  const ev = await ask<{ type: string; elapsedMs: number; result: { error: unknown } }>(w, { type: 'evaluate', id: 1, source: snippet, options: { recordTimeline: true, inlineElements: 4096, timeBudgetMs: 600000 } });
  if (ev.type !== 'evaluated' || ev.result.error) throw new Error(`evaluation failed: ${JSON.stringify(ev).slice(0, 400)}`);
  const t2 = performance.now();
  const sl = await ask<{ slice: { data: unknown[] } | null }>(w, { type: 'slice', id: 2, ref: { evaluation: 1, address: { kind: 'variable', name: 'probs' } }, request: { leading: [0, 0], maxRows: 1024, maxCols: 1024, pool: true } });
  const t3 = performance.now();
  w.terminate();
  if (!sl.slice) throw new Error('no slice');
  return { way: '(b) source only, engine in a Web Worker', firstViewMs: t3 - t0, bytesCrossed: snippet.length, parts: { loadWorkerMs: t1 - t0, workerScriptBytes: text.length, evaluateMs: t2 - t1, workerEvaluateMs: ev.elapsedMs, sliceMs: t3 - t2 } };
}

Object.assign(globalThis, { measureTransfer, prepareTransfer });
