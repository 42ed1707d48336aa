// Fuzz harness (issue #16): mutates the snippets in examples/ and test/cases,
// runs each through the evaluation service exactly as the editor does (the
// bundled worker dist/worker.js, editor options and budgets), and reports
// crashes, runs over the budget plus 500 ms, untyped errors (JS-looking
// messages, InternalError, no line) and peak memory. Findings are
// deduplicated by signature and shrunk to a small reproducer.
//
//   npm run fuzz -- --n 10000 --seed 7 [--budget-ms 1500] [--out test-results/fuzz.json]
//
// Exit status 1 when there is any finding (the test command runs a fixed-seed slice).

import { readdirSync, readFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { PyErrorInfo, RunResult } from '../../src/python/result';
import { CancelledError, EvaluationService } from '../../src/service/client';
import { nodeWorker } from '../../src/service/nodeWorker';
import type { ServiceRunOptions } from '../../src/service/protocol';
import { mutate, rng } from './mutate';

const repoRoot = path.resolve(__dirname, '..', '..');

interface Args {
  n: number;
  seed: number;
  budgetMs: number;
  out: string;
  /** Fail on over-budget runs too (timing is noise on a shared machine, so only on demand). */
  strictTime?: boolean;
  /** RSS past which the running snippet is stopped and reported (0: never), so a sweep cannot exhaust a shared machine. */
  rssLimitMb: number;
  /** Generate but do not run the first `skip` snippets (to reach run N of a seed quickly). */
  skip: number;
  /** The bundled worker to run (default dist/worker.js). */
  worker: string;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { n: 1000, seed: 1, budgetMs: 1500, out: path.join(repoRoot, 'test-results', 'fuzz.json'), rssLimitMb: 4096, skip: 0, worker: path.join(repoRoot, 'dist', 'worker.js') };
  for (let i = 0; i < argv.length; i++) {
    const v = argv[i + 1];
    if (argv[i] === '--n') args.n = Number(v), i++;
    else if (argv[i] === '--seed') args.seed = Number(v), i++;
    else if (argv[i] === '--budget-ms') args.budgetMs = Number(v), i++;
    else if (argv[i] === '--out') args.out = path.resolve(v), i++;
    else if (argv[i] === '--strict-time') args.strictTime = true;
    else if (argv[i] === '--rss-limit-mb') args.rssLimitMb = Number(v), i++;
    else if (argv[i] === '--skip') args.skip = Number(v), i++;
    else if (argv[i] === '--worker') args.worker = path.resolve(v), i++;
  }
  return args;
}

function corpus(): { name: string; source: string }[] {
  const out: { name: string; source: string }[] = [];
  for (const dir of ['examples', 'test/cases']) {
    for (const f of readdirSync(path.join(repoRoot, dir)).sort()) {
      if (f.endsWith('.py')) out.push({ name: `${dir}/${f}`, source: readFileSync(path.join(repoRoot, dir, f), 'utf8') });
    }
  }
  return out;
}

/** Python's built-in exceptions plus the few Mask Lens and the frameworks raise by name. */
const PYTHON_ERRORS = new Set([
  'SyntaxError', 'IndentationError', 'TabError', 'NameError', 'UnboundLocalError', 'TypeError', 'ValueError', 'IndexError',
  'KeyError', 'AttributeError', 'RuntimeError', 'NotImplementedError', 'RecursionError', 'ZeroDivisionError', 'OverflowError',
  'AssertionError', 'ImportError', 'ModuleNotFoundError', 'MemoryError', 'TimeoutError', 'StopIteration', 'LookupError',
  'ArithmeticError', 'Exception', 'BaseException', 'OSError', 'InvalidArgumentError', 'UserWarning', 'Warning', 'DeprecationWarning',
  'KeyboardInterrupt', 'SystemExit', 'GeneratorExit', 'FileNotFoundError', 'PermissionError', 'JSONDecodeError',
  // libraries' own exception types, raised by name as the library does
  'EinopsError', 'FrozenInstanceError', 'AxisError',
]);

/** Messages in JavaScript's words, never Python's or PyTorch's. */
const JS_WORDING = /\bundefined\b|is not a function|Cannot read propert|Cannot convert|Invalid (typed )?array|Invalid string length|Maximum call stack|BigInt|\[object |NaN is not|(?<!object )is not iterable|Unexpected token|\.(ts|js):\d+/;

type Kind = 'crash' | 'over-budget' | 'over-memory' | 'untyped-error' | 'no-line';

interface Finding {
  kind: Kind;
  signature: string;
  detail: string;
  source: string;
  from: string;
  count: number;
  shrunk?: string;
}

/** Normalised message for grouping: numbers and quoted names are placeholders. */
function normalise(message: string): string {
  return message.replace(/'[^']*'/g, "'X'").replace(/-?\d+(\.\d+)?(e[-+]?\d+)?/gi, 'N').slice(0, 160);
}

function classify(result: RunResult, elapsedMs: number, budgetMs: number): { kind: Kind; signature: string; detail: string }[] {
  const out: { kind: Kind; signature: string; detail: string }[] = [];
  if (elapsedMs > budgetMs + 500) out.push({ kind: 'over-budget', signature: 'over-budget', detail: `${Math.round(elapsedMs)} ms` });
  const errors: PyErrorInfo[] = result.errors.length ? result.errors : result.error ? [result.error] : [];
  for (const e of errors) {
    if (e.type === 'InternalError' && /worker exited|failed to evaluate this file/.test(e.message)) {
      out.push({ kind: 'crash', signature: `crash ${normalise(e.detail ?? e.message)}`, detail: `${e.type}: ${e.message} (${e.detail ?? ''})` });
    } else if (!PYTHON_ERRORS.has(e.type) || JS_WORDING.test(e.message)) {
      out.push({ kind: 'untyped-error', signature: `${e.type}: ${normalise(e.detail ?? e.message)}`, detail: `${e.type}: ${e.message}${e.detail ? ` [${e.detail}]` : ''}` });
    } else if (!(e.line > 0)) {
      out.push({ kind: 'no-line', signature: `no-line ${e.type}: ${normalise(e.message)}`, detail: `${e.type}: ${e.message}` });
    }
  }
  return out;
}

type RunOutcome = { result: RunResult; elapsedMs: number } | { crashed: string } | { overMemory: number };

/** The findings of one run's outcome. */
function outcomeFindings(r: RunOutcome, budgetMs: number, rssLimitMb: number): { kind: Kind; signature: string; detail: string }[] {
  if ('crashed' in r) return [{ kind: 'crash', signature: `crash ${r.crashed}`, detail: r.crashed }];
  if ('overMemory' in r) return [{ kind: 'over-memory', signature: 'over-memory', detail: `RSS ${r.overMemory} MB, past --rss-limit-mb ${rssLimitMb}` }];
  return classify(r.result, r.elapsedMs, budgetMs);
}

/** A snippet among the heaviest: by how far RSS rose above its level at the run's start. */
interface Heavy {
  /** Peak RSS while it ran, and the rise over RSS at its start (what this snippet added), in MB. */
  rssMb: number;
  grewMb: number;
  /** Its index in the sweep. */
  run: number;
  from: string;
  source: string;
}

/** How many of the heaviest snippets the report names. */
const HEAVIEST = 5;

class Runner {
  private service: EvaluationService;
  peakRss = 0;
  /** Peak RSS since the current run started (the sampler raises it; run() resets it), and RSS at its start. */
  private runPeak = 0;
  private runStart = 0;
  runs = 0;
  /** Set by the sampler when the running snippet took RSS past rssLimitMb (its worker was stopped). */
  private overMemory = false;
  private running = false;
  private readonly sampler: ReturnType<typeof setInterval>;

  constructor(private readonly budgetMs: number, private readonly rssLimitMb: number, private readonly worker: string) {
    this.service = this.makeService();
    // the worker is a thread of this process: its heap and buffers are in this RSS
    this.sampler = setInterval(() => this.sample(), 25);
  }

  private sample(): number {
    const rss = process.memoryUsage.rss();
    this.peakRss = Math.max(this.peakRss, rss);
    this.runPeak = Math.max(this.runPeak, rss);
    if (this.running && this.rssLimitMb > 0 && rss > this.rssLimitMb * 2 ** 20 && !this.overMemory) {
      // stop the worker (the pending evaluation rejects) before the machine runs out
      this.overMemory = true;
      this.service.dispose();
      this.service = this.makeService();
    }
    return rss;
  }

  /** Peak RSS of the last run and its rise over RSS at the run's start, in bytes (sampled every 25 ms, and at its start and end). */
  get lastRun(): { peak: number; grew: number } {
    return { peak: this.runPeak, grew: this.runPeak - this.runStart };
  }

  private makeService(): EvaluationService {
    return new EvaluationService({ spawn: nodeWorker(this.worker), budgetSetting: 'fuzz --budget-ms' });
  }

  warmUp(): Promise<void> {
    return this.service.warmUp();
  }

  get restarts(): number {
    return this.service.stats.restarts;
  }

  /** One run as the editor does it, under a watchdog well past the service's own kill. */
  async run(source: string): Promise<RunOutcome> {
    this.runs++;
    await this.service.warmUp();
    const options: ServiceRunOptions = {
      continueAfterError: true, recordTimeline: true, timeBudgetMs: this.budgetMs, inlineElements: 1 << 16, budgetSetting: 'fuzz',
    };
    this.runPeak = 0;
    this.overMemory = false;
    this.running = true;
    this.runStart = this.sample();
    const t0 = performance.now();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const watchdog = new Promise<'hung'>((resolve) => (timer = setTimeout(() => resolve('hung'), this.budgetMs + 10000)));
    let outcome: RunOutcome;
    try {
      const r = await Promise.race([this.service.evaluate(source, options), watchdog]);
      if (r === 'hung') {
        this.service.dispose();
        this.service = this.makeService();
        outcome = { crashed: 'the service did not answer (watchdog)' };
      } else outcome = { result: r.result, elapsedMs: performance.now() - t0 };
    } catch (e) {
      outcome = { crashed: e instanceof CancelledError ? 'cancelled' : e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
    } finally {
      clearTimeout(timer);
      // a run that leaves RSS past the limit is caught here (and its worker replaced) too
      this.sample();
      this.running = false;
    }
    return this.overMemory ? { overMemory: Math.round(this.runPeak / 2 ** 20) } : outcome;
  }

  /** Every finding of one run, crashes included. */
  async findings(source: string): Promise<{ kind: Kind; signature: string; detail: string }[]> {
    return outcomeFindings(await this.run(source), this.budgetMs, this.rssLimitMb);
  }

  dispose(): void {
    clearInterval(this.sampler);
    this.service.dispose();
  }
}

/** Drop lines (then single characters of short inputs) while the signature still reproduces. */
async function shrink(runner: Runner, source: string, signature: string, maxRuns = 80): Promise<string> {
  let lines = source.split('\n');
  let runs = 0;
  const still = async (candidate: string[]) => {
    runs++;
    return (await runner.findings(candidate.join('\n'))).some((f) => f.signature === signature);
  };
  // over-budget findings are timing-dependent and costly: shrink them less
  if (signature === 'over-budget') maxRuns = 12;
  let chunk = Math.max(1, Math.floor(lines.length / 2));
  while (chunk >= 1 && runs < maxRuns) {
    let changed = false;
    for (let i = 0; i + chunk <= lines.length && runs < maxRuns; ) {
      const candidate = [...lines.slice(0, i), ...lines.slice(i + chunk)];
      if (candidate.length > 0 && (await still(candidate))) {
        lines = candidate;
        changed = true;
      } else i += chunk;
    }
    if (!changed) chunk = Math.floor(chunk / 2);
  }
  return lines.join('\n');
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  const seeds = corpus();
  const random = rng(args.seed);
  const runner = new Runner(args.budgetMs, args.rssLimitMb, args.worker);
  const found = new Map<string, Finding>();
  const t0 = performance.now();
  let slowest = 0;
  // RSS of this process before any run, with the worker started: what the host and an idle worker take
  await runner.warmUp();
  const baselineRssMb = Math.round(process.memoryUsage.rss() / 2 ** 20);
  // the heaviest snippets by the RSS they added while they ran (peak RSS also counts what earlier runs left)
  const heaviest: Heavy[] = [];
  for (let i = 0; i < args.n; i++) {
    const base = seeds[Math.floor(random() * seeds.length)];
    const source = mutate(base.source, random);
    if (i < args.skip) continue;
    const r = await runner.run(source);
    const list = outcomeFindings(r, args.budgetMs, args.rssLimitMb);
    if ('elapsedMs' in r) slowest = Math.max(slowest, r.elapsedMs);
    const rssMb = Math.round(runner.lastRun.peak / 2 ** 20), grewMb = Math.round(runner.lastRun.grew / 2 ** 20);
    if (heaviest.length < HEAVIEST || grewMb > heaviest[heaviest.length - 1].grewMb) {
      heaviest.push({ rssMb, grewMb, run: i, from: base.name, source });
      heaviest.sort((a, b) => b.grewMb - a.grewMb);
      heaviest.length = Math.min(heaviest.length, HEAVIEST);
    }
    for (const f of list) {
      const hit = found.get(f.signature);
      if (hit) hit.count++;
      else found.set(f.signature, { ...f, source, from: base.name, count: 1 });
    }
    if ((i + 1) % 500 === 0) process.stderr.write(`fuzz: ${i + 1}/${args.n} runs, ${found.size} distinct findings, ${Math.round((performance.now() - t0) / 1000)} s\n`);
  }
  for (const f of found.values()) f.shrunk = await shrink(runner, f.source, f.signature);
  const report = {
    seed: args.seed,
    runs: args.n,
    budgetMs: args.budgetMs,
    seconds: Math.round((performance.now() - t0) / 1000),
    slowestRunMs: Math.round(slowest),
    workerRestarts: runner.restarts,
    peakRssMb: Math.round(runner.peakRss / 2 ** 20),
    baselineRssMb,
    counts: {
      crash: [...found.values()].filter((f) => f.kind === 'crash').reduce((a, f) => a + f.count, 0),
      overBudget: [...found.values()].filter((f) => f.kind === 'over-budget').reduce((a, f) => a + f.count, 0),
      overMemory: [...found.values()].filter((f) => f.kind === 'over-memory').reduce((a, f) => a + f.count, 0),
      untypedError: [...found.values()].filter((f) => f.kind === 'untyped-error' || f.kind === 'no-line').reduce((a, f) => a + f.count, 0),
    },
    heaviest,
    findings: [...found.values()].map(({ kind, signature, detail, count, from, shrunk }) => ({ kind, signature, detail, count, from, reproducer: shrunk })),
  };
  runner.dispose();
  mkdirSync(path.dirname(args.out), { recursive: true });
  writeFileSync(args.out, JSON.stringify(report, null, 2) + '\n');
  const { findings, heaviest: heavy, ...summary } = report;
  process.stdout.write(JSON.stringify(summary) + '\n');
  for (const h of heavy) process.stdout.write(`\n[RSS +${h.grewMb} MB, to ${h.rssMb} MB] run ${h.run}, a mutation of ${h.from}:\n${h.source.replace(/^/gm, '    ')}\n`);
  for (const f of findings) process.stdout.write(`\n[${f.kind}] ×${f.count} ${f.detail}\n  from ${f.from}; reproducer:\n${f.reproducer?.replace(/^/gm, '    ')}\n`);
  // Over-budget runs are timing, and timing on a shared machine is noise: they are
  // reported always, and fail the run only with --strict-time (the on-demand sweep).
  return findings.some((f) => f.kind !== 'over-budget' || args.strictTime) ? 1 : 0;
}

void main().then((code) => process.exit(code));
