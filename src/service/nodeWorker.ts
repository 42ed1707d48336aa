// The evaluation worker as a Node worker thread (the desktop extension host,
// the CLI, tests): dist/worker.js, with its heap capped by resourceLimits.
// A bundled worker starts through a V8 code cache (BOOT below): compiling
// the 1 MB bundle, and the functions a first evaluation runs, is most of a
// worker's start-up, and every CLI run and every worker restart after a
// time budget pays it.
import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { SpawnWorker } from './client';
import type { WorkerToHost } from './protocol';

/**
 * The worker's entry when a code cache is used (run with `eval: true`; plain
 * JavaScript, as the worker runs it). It compiles the bundle with the cached
 * data when V8 accepts it, runs it as a CommonJS module, and once the first
 * evaluation is done (so the functions it compiled lazily are included)
 * writes a fresh cache if there was none or V8 rejected it (once per bundle
 * and Node version: a few milliseconds on that one evaluation). The write goes to a
 * temporary name and is renamed into place, so a reader never sees half a
 * file; any failure only means no cache.
 */
const BOOT = `
const fs = require('node:fs'), path = require('node:path'), vm = require('node:vm'), Module = require('node:module');
const { workerData, threadId } = require('node:worker_threads');
const { file, cache } = workerData.boot;
let cachedData;
try { cachedData = fs.readFileSync(cache); } catch {}
const script = new vm.Script(Module.wrap(fs.readFileSync(file, 'utf8')), { filename: file, cachedData });
const mod = { exports: {} };
script.runInThisContext().call(mod.exports, mod.exports, Module.createRequire(file), mod, file, path.dirname(file));
if ((!cachedData || script.cachedDataRejected) && typeof mod.exports.onFirstEvaluation === 'function') {
  mod.exports.onFirstEvaluation(() => {
    try {
      fs.mkdirSync(path.dirname(cache), { recursive: true });
      const tmp = cache + '.' + process.pid + '.' + threadId;
      fs.writeFileSync(tmp, script.createCachedData());
      fs.renameSync(tmp, cache);
    } catch {}
  });
}
`;

/**
 * Where the code cache of `workerPath` lives: the system's temporary folder,
 * keyed by the bundle's path, size and time, and by the Node version and
 * architecture (V8 also rejects a cache that does not match its source or
 * flags). Undefined when the bundle cannot be read.
 */
export function codeCachePath(workerPath: string): string | undefined {
  try {
    const st = statSync(workerPath);
    const key = createHash('sha256').update(`${workerPath}\0${st.size}\0${st.mtimeMs}\0${process.version}\0${process.arch}`).digest('hex').slice(0, 24);
    return join(tmpdir(), 'masklens-code-cache', `worker-${key}.bin`);
  } catch {
    return undefined;
  }
}

/**
 * Spawns `workerPath` (with Node flags `execArgv`, e.g. ['--import', 'tsx'] for
 * the TypeScript source). A bundled .js worker starts through a code cache
 * unless `codeCache` is false.
 */
export function nodeWorker(workerPath: string, execArgv?: string[], options: { codeCache?: boolean } = {}): SpawnWorker {
  const cache = options.codeCache !== false && workerPath.endsWith('.js') ? codeCachePath(workerPath) : undefined;
  return (progress, events, limits) => {
    const w = new Worker(cache ? BOOT : workerPath, {
      eval: cache !== undefined,
      resourceLimits: { maxOldGenerationSizeMb: limits.heapMb },
      workerData: { progress, ...(cache ? { boot: { file: workerPath, cache } } : {}) },
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
