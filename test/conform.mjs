#!/usr/bin/env node
// Conformance runner: compares what our evaluator leaves behind for each case
// with the golden record real PyTorch produced. A Node port of
// ../shared/tools/conform.py (same rules, no Python needed in CI):
//   * every golden variable must match: type, dtype, shape, values
//     (ints and bools exactly, floats within 1e-6 + 1e-5*|expected|, nan == nan);
//   * the error must match (type, message, line), or both be absent;
//   * where the golden stdout is not null, stdout must match to the character;
//   * every variable under `values_not_compared` (values drawn from a random
//     initialiser we cannot reproduce, e.g. a Keras Embedding's weights) must
//     match in type, dtype and shape; its values are not recorded.
// Warnings are recorded in the golden files but, as in conform.py, not compared.
// The summary names the library versions (`versions`) the golden files came from.
//
// usage: node test/conform.mjs [--golden DIR] [--cases DIR] [--filter SUBSTR]
//                              [--verbose] [--shared] [--spawn]
//   --shared   default the dirs to ../shared/golden and ../shared/cases (relative
//              to the repo root) instead of test/golden and test/cases
//   --spawn    run each case as `node dist/cli.js run --json CASE` instead of
//              calling runFile in-process (checks the CLI's JSON contract)
//   --verbose  list every problem of a failing case and where stdout first differs

import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const cliPath = join(repoRoot, 'dist', 'cli.js');

const USAGE =
  'usage: node test/conform.mjs [--golden DIR] [--cases DIR] [--filter SUBSTR] [--verbose] [--shared] [--spawn]';

function parseArgs(argv) {
  const opts = { golden: null, cases: null, filter: null, verbose: false, shared: false, spawn: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--golden') opts.golden = resolve(value());
    else if (a === '--cases') opts.cases = resolve(value());
    else if (a === '--filter') opts.filter = value();
    else if (a === '--verbose' || a === '-v') opts.verbose = true;
    else if (a === '--shared') opts.shared = true;
    else if (a === '--spawn') opts.spawn = true;
    else if (a === '--help' || a === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else throw new Error(`unknown argument ${a}`);
  }
  const base = opts.shared ? resolve(repoRoot, '..', 'shared') : join(repoRoot, 'test');
  opts.golden ??= join(base, 'golden');
  opts.cases ??= join(base, 'cases');
  return opts;
}

// ---- Python semantics the comparison relies on ----------------------------

/** Python truthiness of a JSON value (None, False, 0, "", [], {} are false). */
function pyTruthy(x) {
  if (x === null || x === undefined || x === false || x === 0 || x === '') return false;
  if (Array.isArray(x)) return x.length > 0;
  if (typeof x === 'object') return Object.keys(x).length > 0;
  return true;
}

/** Python `==` on JSON values: lists/dicts structurally, True == 1, 2 == 2.0. */
function pyEqual(a, b) {
  const numeric = (x) => (typeof x === 'boolean' ? Number(x) : x);
  if (typeof a === 'boolean' || typeof b === 'boolean') {
    if (typeof numeric(a) === 'number' && typeof numeric(b) === 'number') return numeric(a) === numeric(b);
  }
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return a === b;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) return a.length === b.length && a.every((x, i) => pyEqual(x, b[i]));
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && pyEqual(a[k], b[k]));
}

/** Python's repr of a JSON value, so problem lines read as conform.py's do. */
function repr(x) {
  if (x === undefined || x === null) return 'None';
  if (x === true) return 'True';
  if (x === false) return 'False';
  if (typeof x === 'number') return Number.isNaN(x) ? 'nan' : Number.isFinite(x) ? String(x) : x > 0 ? 'inf' : '-inf';
  if (typeof x === 'string') {
    const q = x.includes("'") && !x.includes('"') ? '"' : "'";
    const body = x.replace(/[\\\n\r\t]/g, (c) => ({ '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' })[c]);
    return q + (q === "'" ? body.replaceAll("'", "\\'") : body) + q;
  }
  if (Array.isArray(x)) return `[${x.map(repr).join(', ')}]`;
  return `{${Object.entries(x).map(([k, v]) => `${repr(k)}: ${repr(v)}`).join(', ')}}`;
}

const SPECIAL = { nan: NaN, inf: Infinity, '-inf': -Infinity };

class UnknownNumber extends Error {}

function num(x) {
  if (typeof x === 'string') {
    if (!Object.hasOwn(SPECIAL, x)) throw new UnknownNumber(`not a number: ${repr(x)}`);
    return SPECIAL[x];
  }
  return x;
}

// JSON.parse forgets whether a golden number was written `3` or `3.0`, which
// conform.py uses to pick exact (int) or tolerant (float) comparison. golden.py
// writes ints exactly for integer dtypes and int-typed scalars, so the kind
// named in the record tells us the same thing.
function isIntegerKind(name) {
  return typeof name === 'string' && /^(torch\.)?u?int(8|16|32|64)?$/.test(name);
}

/** A golden number as Python printed it: floats keep their `.0`. */
function reprExpected(v, kind) {
  const float = typeof v === 'number' && Number.isInteger(v) && !isIntegerKind(kind) && Math.abs(v) < 1e16;
  return float ? `${v}.0` : repr(v);
}

function sameValue(want, got, wantIsInt) {
  if (typeof want === 'boolean' || typeof got === 'boolean') {
    return typeof want === 'boolean' && typeof got === 'boolean' && want === got;
  }
  const w = num(want);
  const g = num(got);
  if (typeof g !== 'number') return false;
  if (Number.isNaN(w)) return Number.isNaN(g);
  if (!Number.isFinite(w)) return g === w;
  if (wantIsInt && Number.isInteger(g)) return w === g;
  return Math.abs(w - g) <= 1e-6 + 1e-5 * Math.abs(w);
}

function isDict(x) {
  return x !== null && typeof x === 'object' && !Array.isArray(x);
}

/**
 * The first difference between a golden value and ours, or null. Values are
 * compared where the golden records them: a `values_not_compared` record has
 * no `value`/`data`, so only its type, dtype, shape and item count count.
 */
function same(want, got, path) {
  if (!isDict(got)) return `${path}: missing`;
  if (!pyEqual(want.type, got.type)) return `${path}: type ${repr(got.type)}, expected ${repr(want.type)}`;
  if ('items' in want) {
    const items = pyTruthy(got.items) ? got.items : [];
    if (items.length !== want.items.length) return `${path}: ${items.length} items, expected ${want.items.length}`;
    for (let i = 0; i < want.items.length; i++) {
      const r = same(want.items[i], items[i], `${path}[${i}]`);
      if (r) return r;
    }
    return null;
  }
  if ('value' in want) {
    const ok =
      want.type === 'str' ? pyEqual(want.value, got.value) : sameValue(want.value, got.value, isIntegerKind(want.type));
    return ok ? null : `${path}: ${repr(got.value)}, expected ${reprExpected(want.value, want.type)}`;
  }
  for (const key of ['dtype', 'shape']) {
    if (key in want && !pyEqual(want[key], got[key])) return `${path}: ${key} ${repr(got[key])}, expected ${repr(want[key])}`;
  }
  if (!('data' in want)) return null;
  const data = pyTruthy(got.data) ? got.data : [];
  if (data.length !== want.data.length) return `${path}: ${data.length} values, expected ${want.data.length}`;
  const exact = isIntegerKind(want.dtype);
  for (let i = 0; i < want.data.length; i++) {
    if (!sameValue(want.data[i], data[i], exact)) {
      return `${path}: value [${i}] ${repr(data[i])}, expected ${reprExpected(want.data[i], want.dtype)}`;
    }
  }
  return null;
}

/**
 * Every problem with one case's output, as conform.py's check() lists them,
 * plus the structure-only check of `values_not_compared` (which conform.py ignores).
 */
export function check(golden, out) {
  const problems = [];
  const vars = isDict(out.variables) ? out.variables : {};
  for (const [name, want] of Object.entries(golden.variables)) {
    const r = same(want, vars[name], name);
    if (r) problems.push(r);
  }
  for (const [name, want] of Object.entries(golden.values_not_compared ?? {})) {
    const r = same(want, vars[name], name);
    if (r) problems.push(r);
  }
  const we = golden.error;
  const ge = out.error;
  if (pyTruthy(we) !== pyTruthy(ge)) {
    problems.push(`error ${repr(ge)}, expected ${repr(we)}`);
  } else if (pyTruthy(we)) {
    for (const key of ['type', 'message', 'line']) {
      if (!pyEqual(we[key], ge[key])) problems.push(`error ${key} ${repr(ge[key])}, expected ${repr(we[key])}`);
    }
  }
  if (golden.stdout !== null && golden.stdout !== undefined && golden.stdout !== out.stdout) {
    problems.push('stdout differs');
  }
  return problems;
}

/** Where two stdouts first part ways, for --verbose. */
function stdoutDiff(want, got) {
  if (typeof got !== 'string') return `  stdout: got ${repr(got)}`;
  const w = want.split('\n');
  const g = got.split('\n');
  for (let i = 0; i < Math.max(w.length, g.length); i++) {
    if (w[i] !== g[i]) {
      const show = (s) => (s === undefined ? '<end of output>' : JSON.stringify(s));
      return `  stdout line ${i + 1}:\n    expected ${show(w[i])}\n    got      ${show(g[i])}`;
    }
  }
  return '';
}

// ---- running the evaluator ------------------------------------------------

function loadRunner(forceSpawn) {
  if (!existsSync(cliPath)) {
    throw new Error(`${cliPath} not found; build it first with \`node scripts/build.mjs\``);
  }
  const spawnRun = (casePath) => {
    const p = spawnSync(process.execPath, [cliPath, 'run', '--json', casePath], {
      encoding: 'utf8',
      timeout: 60_000,
      maxBuffer: 64 * 1024 * 1024,
    });
    if (p.error) throw p.error;
    return JSON.parse(p.stdout);
  };
  if (forceSpawn) return spawnRun;
  let cli;
  try {
    cli = createRequire(import.meta.url)(cliPath);
  } catch (e) {
    console.error(`dist/cli.js cannot be loaded in-process (${e.message}); running it once per case instead`);
    return spawnRun;
  }
  if (typeof cli.runFile !== 'function') return spawnRun; // a bundle without the export
  // Round-trip through JSON so in-process results are judged exactly as the
  // CLI's printed JSON would be (NaN/Infinity numbers become null, etc.).
  return (casePath) => JSON.parse(JSON.stringify(cli.runFile(casePath)));
}

/** The library versions a golden file records, as one line ("unrecorded" for files made before they were). */
function versionLine(golden) {
  const v = golden.versions;
  if (!isDict(v) || !Object.keys(v).length) return golden.reference ? `unrecorded versions (${golden.reference})` : 'unrecorded versions';
  return Object.entries(v).map(([lib, ver]) => `${lib} ${ver}`).join(', ');
}

function main() {
  let opts;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error(`${e.message}\n${USAGE}`);
    return 2;
  }
  for (const dir of [opts.golden, opts.cases]) {
    if (!existsSync(dir)) {
      console.error(`no such directory: ${dir}`);
      return 2;
    }
  }
  let run;
  try {
    run = loadRunner(opts.spawn);
  } catch (e) {
    console.error(`cannot load the evaluator: ${e.message}`);
    return 1;
  }

  const names = readdirSync(opts.golden)
    .filter((n) => n.endsWith('.json'))
    .filter((n) => !opts.filter || n.includes(opts.filter))
    .sort();
  let passed = 0;
  let failed = 0;
  const started = Date.now();
  const versions = new Map(); // "torch 2.13.0+cpu, numpy 2.4.6" -> number of golden files
  for (const name of names) {
    const golden = JSON.parse(readFileSync(join(opts.golden, name), 'utf8'));
    const v = versionLine(golden);
    versions.set(v, (versions.get(v) ?? 0) + 1);
    // The public seeds live once, in examples/ (the main job opens them); our own cases in test/cases.
    const casePath = [join(opts.cases, golden.case), join(repoRoot, 'examples', golden.case)].find((p) => existsSync(p)) ?? join(opts.cases, golden.case);
    let problems;
    let out;
    try {
      out = run(casePath);
      problems = check(golden, out);
    } catch (e) {
      // No answer, or one we cannot read: the case fails (as in conform.py).
      const what = e instanceof UnknownNumber ? 'unreadable value' : 'no usable JSON';
      problems = [`${what} (${e?.name ?? 'Error'}: ${String(e?.message ?? e).slice(0, 120)})`];
    }
    if (problems.length) {
      failed++;
      const shown = opts.verbose ? problems : problems.slice(0, 4);
      console.log(`FAIL ${golden.case}: ${shown.join('; ')}`);
      if (opts.verbose && out && problems.includes('stdout differs')) console.log(stdoutDiff(golden.stdout, out.stdout));
    } else {
      passed++;
      console.log(`ok   ${golden.case}`);
    }
  }
  for (const [v, n] of [...versions].sort((a, b) => b[1] - a[1])) console.log(`golden from ${v}: ${n} files`);
  console.log(`${passed} passed, ${failed} failed`);
  console.log(`conformance ${passed}/${passed + failed} cases (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  return failed === 0 ? 0 : 1;
}

// Run only as a script, so check() can be imported by tests.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) process.exitCode = main();
