// `npm run sweep -- [--n 100000] [--seed S] [--only FAMILY] [--cases FILE] [--all]`:
// generate a seeded set from real PyTorch (test/sweep/generate.py under
// /work/venv/bin/python or $SWEEP_PYTHON), run it through Mask Lens, and
// print each kind of mismatch as its minimal case. Without --n it runs the
// committed set. Exit status 1 when anything differs (cases holding int64
// values beyond 2^53 included; they are also counted apart, as wideCases and
// wideMismatches).

import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatMismatch, loadCases, minimalCases, runSweep } from './runner';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const here = new URL('.', import.meta.url).pathname;
let file = arg('--cases') ?? join(here, 'cases.jsonl.gz');
const n = arg('--n');
if (n) {
  file = join(mkdtempSync(join(tmpdir(), 'sweep-')), 'cases.jsonl.gz');
  const python = process.env.SWEEP_PYTHON ?? '/work/venv/bin/python';
  const only = arg('--only');
  const gen = spawnSync(python, [join(here, 'generate.py'), '--n', n, '--seed', arg('--seed') ?? '1', ...(only ? ['--only', only] : []), file], { stdio: 'inherit' });
  if (gen.status !== 0) process.exit(gen.status ?? 1);
}
const { meta, cases } = loadCases(file);
const t0 = performance.now();
const ms = runSweep(cases);
const seconds = ((performance.now() - t0) / 1000).toFixed(1);
const groups = minimalCases(ms);
if (process.argv.includes('--all')) for (const m of ms) console.log(formatMismatch(m) + '\n');
for (const g of groups) console.log(`== ${g.key}: ${g.count}\n${formatMismatch(g.example)}\n`);
const wideCases = cases.filter((c) => c.wide).length;
console.log(JSON.stringify({
  torch: meta.torch, seed: meta.seed, checks: cases.length, mismatches: ms.length, kinds: groups.length,
  wideCases, wideMismatches: ms.filter((m) => m.case.wide).length, seconds: Number(seconds),
}));
process.exit(ms.length ? 1 : 0);
