// The worker's memory measure and full collection in Node, apart from
// worker.ts so that tests can probe memory exactly as the worker does.
import type * as NodeV8 from 'node:v8';
import type * as NodeVm from 'node:vm';
import type { MemoryHooks } from './handler';

/**
 * Node's measure of the worker's memory: its own isolate's heap in use plus
 * its ArrayBuffers (tensor storage), which resourceLimits does not cap. A
 * full collection comes from V8's `gc`, exposed to one fresh context only
 * (the flag is switched off again, so no other context sees a `gc` global).
 */
export function nodeMemoryHooks(v8: typeof NodeV8 | null, vm: typeof NodeVm | null): MemoryHooks {
  let gc: (() => void) | undefined;
  try {
    v8?.setFlagsFromString('--expose-gc');
    gc = vm?.runInNewContext('gc') as (() => void) | undefined;
    v8?.setFlagsFromString('--no-expose-gc');
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

