// The evaluation worker's work, whatever kind of worker runs it (worker.ts,
// in a Node worker thread or a browser Web Worker): runs evaluations off the extension
// host's thread and keeps their values, answering the host's requests for
// summaries, slices and reprs. The host terminates the worker when an
// evaluation overruns its time budget (client.ts), so nothing here has to be
// interruptible.

import { setBackendPreference } from '../engine';
import type { MemoryProbe } from '../engine/context';
import { evaluateLive, type LiveEvaluation } from './evaluate';
import type { EncodedValue, PyErrorInfo, Snapshot, SnapshotAddress } from '../python/result';
import type { HostToWorker, WorkerToHost } from './protocol';
import { sliceOf, softmaxViewOperands, summarize } from './values';
import { maskedCells } from '../masks/consumers';

/** Evaluations whose values the worker keeps (oldest forgotten first): open documents plus a few previews. */
const KEEP = 16;

const kept = new Map<number, LiveEvaluation>();
/** Shared with the host (client.ts): the line executing now. Set by serve(). */
let progress: Int32Array | undefined;

/**
 * How this kind of worker measures and frees its memory (worker.ts in Node);
 * a worker without them (a browser's) bounds single allocations only.
 */
export interface MemoryHooks {
  /** Bytes the worker holds: its JS heap in use plus the buffers behind typed arrays. */
  used(): number;
  /** A full garbage collection, where the runtime allows one. */
  collect(): void;
}

let memoryHooks: MemoryHooks | undefined;

/**
 * The memory cap of evaluation `id`: before refusing an allocation it drops
 * the values the worker keeps for other evaluations (oldest first; the host
 * finds them gone and shows nothing) and collects garbage.
 */
function memoryProbe(id: number, cap: { capMb: number; setting: string } | undefined): MemoryProbe | undefined {
  const hooks = memoryHooks;
  if (!hooks || !cap) return undefined;
  return {
    capBytes: cap.capMb * 2 ** 20,
    setting: cap.setting,
    used: () => hooks.used(),
    reclaim: () => {
      for (const other of kept.keys()) if (other !== id) kept.delete(other);
      hooks.collect();
    },
  };
}

function valueAt(live: LiveEvaluation, address: SnapshotAddress): EncodedValue | undefined {
  if (address.kind === 'variable') return live.result.variables[address.name];
  if (address.kind === 'timeline') return live.result.timeline[address.index]?.value;
  return callSnapshot(live, address)?.value;
}

/**
 * The snapshot an address names, for its mask kind, reader and polarity: a
 * final variable's is the last timeline snapshot holding its value (else of its name).
 */
function snapshotAt(live: LiveEvaluation, address: SnapshotAddress): Snapshot | undefined {
  if (address.kind === 'timeline') return live.result.timeline[address.index];
  if (address.kind === 'call') return callSnapshot(live, address);
  const value = live.result.variables[address.name];
  const named = live.result.timeline.filter((s) => s.name === address.name);
  return [...named].reverse().find((s) => s.value === value) ?? named[named.length - 1];
}

/** The snapshot of a recorded call an address names (issue #10). */
function callSnapshot(live: LiveEvaluation, address: SnapshotAddress): Snapshot | undefined {
  if (address.kind !== 'call') return undefined;
  const call = live.result.calls?.[address.call];
  return address.index < 0 ? call?.returned : call?.timeline[address.index];
}

/** Handle one request; exported for in-process use (CLI fallback, tests). */
export function handle(msg: HostToWorker, post: (m: WorkerToHost) => void = () => {}): WorkerToHost | undefined {
  switch (msg.type) {
    case 'evaluate': {
      const { backend, memoryCap, ...options } = msg.options;
      if (backend) setBackendPreference(backend.preference, backend.gpuThreshold);
      const t0 = performance.now();
      // each error as it happens: an evaluation stopped later still reports it
      const onError = (error: PyErrorInfo) => post({ type: 'partialError', id: msg.id, error });
      const live = evaluateLive(msg.source, { ...options, progress, onError, memory: memoryProbe(msg.id, memoryCap) });
      kept.set(msg.id, live);
      for (const id of kept.keys()) if (kept.size > KEEP) kept.delete(id);
      return { type: 'evaluated', id: msg.id, result: live.result, elapsedMs: performance.now() - t0 };
    }
    case 'data': {
      const live = kept.get(msg.ref.evaluation);
      // structured clone copies the typed array: the tensor's own storage stays with it
      return { type: 'data', id: msg.id, data: live?.tensorAt(msg.ref.address)?.values() ?? null };
    }
    case 'summary':
    case 'slice':
    case 'repr': {
      const live = kept.get(msg.ref.evaluation);
      const value = live && valueAt(live, msg.ref.address);
      if (msg.type === 'repr') {
        const { address } = msg.ref;
        const repr = !live ? null : address.kind === 'timeline' ? live.result.timeline[address.index]?.repr ?? null : address.kind === 'variable' ? live.reprOf(address.name) ?? null : callSnapshot(live, address)?.repr ?? null;
        return { type: 'repr', id: msg.id, repr };
      }
      const tensor = live && value && 'elided' in value ? live.tensorAt(msg.ref.address) : undefined;
      if (msg.type === 'summary') return { type: 'summary', id: msg.id, summary: value ? summarize(value, tensor) : null };
      const snapshot = live && value && msg.request.pool ? snapshotAt(live, msg.ref.address) : undefined;
      return { type: 'slice', id: msg.id, slice: value ? sliceOf(value, tensor, msg.request, snapshot && maskedCells(snapshot)) : null };
    }
    case 'operands': {
      const live = kept.get(msg.ref.evaluation);
      const operands = live?.softmaxOperandsAt(msg.ref.address);
      const result = live?.tensorAt(msg.ref.address);
      return { type: 'operands', id: msg.id, operands: operands && result ? softmaxViewOperands(operands, result, msg.leading) : null };
    }
    case 'release':
      kept.delete(msg.evaluation);
      return undefined;
  }
}

/**
 * The worker's message loop, without the transport: `progress` is the host's
 * progress cell, `post` sends a reply, `memory` measures and frees memory
 * where the worker kind can. Returns the handler for each request.
 */
export function serve(progressCell: Int32Array | undefined, post: (reply: WorkerToHost) => void, memory?: MemoryHooks): (msg: HostToWorker) => void {
  progress = progressCell;
  memoryHooks = memory;
  return (msg) => {
    let reply: WorkerToHost | undefined;
    try {
      reply = handle(msg, post);
    } catch (e) {
      // evaluate() never throws; this is a bug in the service itself
      reply = { type: 'failed', id: 'id' in msg ? msg.id : -1, message: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
    }
    if (reply) post(reply);
  };
}
