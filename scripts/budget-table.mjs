// The budget table of issue #16: for each snippet that once froze the editor
// or blew its memory, the time to answer, the peak RSS and the error, through
// the CLI (a whole `masklens run --json --budget-ms B` process) and through
// the editor's path (the evaluation service with the editor's options, its
// worker warm, as a hover finds it; each row in a fresh process, whose peak
// RSS is the kernel's high-water mark). Each must answer within the budget
// plus 500 ms, under the worker's heap cap. Timings are this machine's: run
// it on an idle one for figures to quote.
//
//   npm run build && node --import tsx scripts/budget-table.mjs [--budget-ms 1500] [--json]
//
// Needs dist/ (cli.js, worker.js); the service is loaded from source via tsx.

import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const budgetMs = Number(argv[argv.indexOf('--budget-ms') + 1]) || 1500;
const asJson = argv.includes('--json');

/** The rows: each a snippet as a user would write it. */
export const ROWS = [
  ['zeros(1e5,1e5)', 'import torch\nx = torch.zeros(100000, 100000)\n'],
  ['zeros(1e4,1e4)+1', 'import torch\nx = torch.zeros(10000, 10000) + 1\n'],
  ['arange(10**8)', 'import torch\nx = torch.arange(10**8)\n'],
  ['[0]*10**9', 'x = [0] * 10**9\n'],
  ["'a'*10**9", "x = 'a' * 10**9\n"],
  ['2**(10**8)', 'x = 2 ** (10**8)\n'],
  ['1,000x cat([x, x])', 'import torch\nx = torch.ones(1)\nfor i in range(1000):\n    x = torch.cat([x, x])\n'],
  ['caught RecursionError loop', 'def f(n):\n    return f(n + 1)\n\nfor i in range(5):\n    try:\n        f(0)\n    except RecursionError:\n        pass\n'],
  ['while True: pass', 'while True:\n    pass\n'],
];

const firstError = (r) => (r.errors?.[0] ?? r.error ?? null);
const describe = (e) => (e ? `${e.type} (line ${e.line}): ${e.message}` : 'none');

/** Peak RSS of a child process in KB: GNU time's %M where it exists, else /proc polling. */
function runCli(file) {
  const args = [path.join(root, 'dist', 'cli.js'), 'run', '--json', '--budget-ms', String(budgetMs), file];
  const hasTime = spawnSync('/usr/bin/time', ['-f', '%M', 'true']).status === 0;
  return new Promise((resolve) => {
    const t0 = performance.now();
    const child = hasTime ? spawn('/usr/bin/time', ['-f', '@@rss %M %U %S', process.execPath, ...args]) : spawn(process.execPath, args);
    // stdout as buffers, joined once: appending 67 MB to a string as it comes would slow the reader, and so the child's writes
    const out = [];
    let err = '';
    let polledKb = 0;
    const poll = hasTime ? undefined : setInterval(() => {
      try {
        const m = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (m) polledKb = Math.max(polledKb, Number(m[1]));
      } catch { /* exited */ }
    }, 10);
    child.stdout.on('data', (d) => out.push(d));
    child.stderr.on('data', (d) => (err += d));
    child.on('close', () => {
      const ms = performance.now() - t0;
      if (poll) clearInterval(poll);
      const m = /@@rss (\d+) ([\d.]+) ([\d.]+)/.exec(err);
      const rss = m ? Number(m[1]) : polledKb;
      const cpuMs = m ? (Number(m[2]) + Number(m[3])) * 1000 : NaN;
      let error = 'no JSON';
      try {
        error = describe(firstError(JSON.parse(Buffer.concat(out).toString('utf8'))));
      } catch { /* left as 'no JSON' */ }
      resolve({ ms, cpuMs, rssMb: rss / 1024, error, bytes: out.reduce((n, b) => n + b.length, 0) });
    });
  });
}

/** The editor's options (documentEvaluations.ts's fullFileOptions) and service settings, with the default heap cap. */
const EDITOR_OPTIONS = {
  continueAfterError: true, recordTimeline: true, timeBudgetMs: budgetMs, budgetSetting: 'maskLens.evaluation.maxElements',
  maxElements: 1 << 27, inlineElements: 1 << 16, maxRecordedCalls: 8, backend: { preference: 'auto', gpuThreshold: 65536 },
};
const HEAP_MB = 1024;

/** This process's peak and current RSS in MB, from the kernel (VmHWM is the high-water mark). */
function procRss() {
  const status = readFileSync('/proc/self/status', 'utf8');
  const kb = (key) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN);
  return { peakMb: kb('VmHWM') / 1024, rssMb: kb('VmRSS') / 1024 };
}

/**
 * One row on the editor's path, in this (fresh) process: the service with
 * the editor's options and a warm worker, as a hover finds it. The worker is
 * a thread of this process, so this process's RSS is the extension host's
 * share plus the worker's; `baseMb` is RSS with the worker warm, before the row.
 */
async function editorRow(index) {
  const [name, source] = ROWS[index];
  const { EvaluationService } = await import(path.join(root, 'src/service/client.ts'));
  const { nodeWorker } = await import(path.join(root, 'src/service/nodeWorker.ts'));
  const service = new EvaluationService({
    spawn: nodeWorker(path.join(root, 'dist', 'worker.js')),
    heapMb: HEAP_MB,
    heapSetting: 'maskLens.evaluation.maxHeapMb',
    budgetSetting: 'maskLens.evaluation.timeBudgetMs',
  });
  await service.warmUp();
  await service.evaluate('x = 1', EDITOR_OPTIONS);
  const baseMb = procRss().rssMb;
  const t0 = performance.now();
  const c0 = process.cpuUsage(); // the whole process: the worker is one of its threads
  const { result } = await service.evaluate(source, EDITOR_OPTIONS);
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(c0);
  const { peakMb } = procRss();
  service.dispose();
  return { name, ms, cpuMs: (cpu.user + cpu.system) / 1000, rssMb: peakMb, baseMb, error: describe(firstError(result)) };
}

/** Each editor row in a fresh process (this script with --editor-row N), so one row's memory is not the next one's. */
function editorRows() {
  const rows = [];
  for (let i = 0; i < ROWS.length; i++) {
    const child = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--editor-row', String(i), '--budget-ms', String(budgetMs)], { encoding: 'utf8', cwd: root, maxBuffer: 1 << 24 });
    try {
      rows.push(JSON.parse(child.stdout));
    } catch {
      rows.push({ name: ROWS[i][0], ms: NaN, cpuMs: NaN, rssMb: NaN, baseMb: NaN, error: `no answer (${child.stderr.trim().split('\n').pop()})` });
    }
  }
  return rows;
}

const rowArg = argv.indexOf('--editor-row');
if (rowArg >= 0) {
  process.stdout.write(JSON.stringify(await editorRow(Number(argv[rowArg + 1]))));
  process.exit(0);
}

const dir = mkdtempSync(path.join(tmpdir(), 'masklens-budget-'));
const cli = [];
try {
  for (const [i, [name, source]] of ROWS.entries()) {
    const file = path.join(dir, `row${i}.py`);
    writeFileSync(file, source);
    cli.push({ name, ...(await runCli(file)) });
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
const editor = editorRows();
const limit = budgetMs + 500;
if (asJson) process.stdout.write(JSON.stringify({ budgetMs, cli, editor }, null, 2) + '\n');
else {
  // CPU time too: on a loaded machine the wall clock mostly measures the wait for a core
  const fmt = (r) => `${Math.round(r.ms)} ms${r.ms > limit ? ' (OVER)' : ''} (CPU ${Math.round(r.cpuMs)} ms) | ${Math.round(r.rssMb)} MB${r.baseMb ? ` (${Math.round(r.baseMb)} before)` : ''}`;
  process.stdout.write(`budget ${budgetMs} ms (answer due within ${limit} ms); heap cap ${HEAP_MB} MB; editor rows each in a fresh process\n\n`);
  process.stdout.write('| snippet | CLI: time | CLI: peak RSS | editor: time | editor: peak RSS | error (CLI) | error (editor) |\n|---|---|---|---|---|---|---|\n');
  for (const [i, c] of cli.entries()) {
    const e = editor[i];
    const shorten = (text) => text.replace(/ exceeds the Mask Lens budget of .*$/, ' over the element budget').replace(/Mask Lens stopped after (\d+) steps, past its time budget.*$/, 'stopped at the time budget (cooperative check, $1 steps)').replace(/Mask Lens stopped after (\d+) steps.*$/, 'stopped at the step limit ($1 steps)').replace(/Mask Lens stopped: .*$/, 'stopped at the time budget (worker terminated)');
    process.stdout.write(`| ${c.name} | ${fmt(c)} | ${fmt(e)} | ${shorten(c.error)} | ${shorten(e.error)} |\n`);
  }
}
process.exitCode = [...cli, ...editor].some((r) => !(r.ms <= limit)) ? 1 : 0;
