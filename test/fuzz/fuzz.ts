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
}

function parseArgs(argv: string[]): Args {
  const args: Args = { n: 1000, seed: 1, budgetMs: 1500, out: path.join(repoRoot, 'test-results', 'fuzz.json') };
  for (let i = 0; i < argv.length; i++) {
    const v = argv[i + 1];
    if (argv[i] === '--n') args.n = Number(v), i++;
    else if (argv[i] === '--seed') args.seed = Number(v), i++;
    else if (argv[i] === '--budget-ms') args.budgetMs = Number(v), i++;
    else if (argv[i] === '--out') args.out = path.resolve(v), i++;
    else if (argv[i] === '--strict-time') args.strictTime = true;
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

type Kind = 'crash' | 'over-budget' | 'untyped-error' | 'no-line';

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

class Runner {
  private service: EvaluationService;
  peakRss = 0;
  runs = 0;
  private readonly sampler: ReturnType<typeof setInterval>;

  constructor(private readonly budgetMs: number) {
    this.service = this.makeService();
    // the worker is a thread of this process: its heap and buffers are in this RSS
    this.sampler = setInterval(() => (this.peakRss = Math.max(this.peakRss, process.memoryUsage().rss)), 25);
  }

  private makeService(): EvaluationService {
    return new EvaluationService({ spawn: nodeWorker(path.join(repoRoot, 'dist', 'worker.js')), budgetSetting: 'fuzz --budget-ms' });
  }

  get restarts(): number {
    return this.service.stats.restarts;
  }

  /** One run as the editor does it, under a watchdog well past the service's own kill. */
  async run(source: string): Promise<{ result: RunResult; elapsedMs: number } | { crashed: string }> {
    this.runs++;
    await this.service.warmUp();
    const options: ServiceRunOptions = {
      continueAfterError: true, recordTimeline: true, timeBudgetMs: this.budgetMs, inlineElements: 1 << 16, budgetSetting: 'fuzz',
    };
    const t0 = performance.now();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const watchdog = new Promise<'hung'>((resolve) => (timer = setTimeout(() => resolve('hung'), this.budgetMs + 10000)));
    try {
      const r = await Promise.race([this.service.evaluate(source, options), watchdog]);
      if (r === 'hung') {
        this.service.dispose();
        this.service = this.makeService();
        return { crashed: 'the service did not answer (watchdog)' };
      }
      return { result: r.result, elapsedMs: performance.now() - t0 };
    } catch (e) {
      return { crashed: e instanceof CancelledError ? 'cancelled' : e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
    } finally {
      clearTimeout(timer);
    }
  }

  /** Every finding of one run, crashes included. */
  async findings(source: string): Promise<{ kind: Kind; signature: string; detail: string }[]> {
    const r = await this.run(source);
    if ('crashed' in r) return [{ kind: 'crash', signature: `crash ${r.crashed}`, detail: r.crashed }];
    return classify(r.result, r.elapsedMs, this.budgetMs);
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
  const runner = new Runner(args.budgetMs);
  const found = new Map<string, Finding>();
  const t0 = performance.now();
  let slowest = 0;
  for (let i = 0; i < args.n; i++) {
    const base = seeds[Math.floor(random() * seeds.length)];
    const source = mutate(base.source, random);
    const r = await runner.run(source);
    const list = 'crashed' in r ? [{ kind: 'crash' as const, signature: `crash ${r.crashed}`, detail: r.crashed }] : classify(r.result, r.elapsedMs, args.budgetMs);
    if (!('crashed' in r)) slowest = Math.max(slowest, r.elapsedMs);
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
    counts: {
      crash: [...found.values()].filter((f) => f.kind === 'crash').reduce((a, f) => a + f.count, 0),
      overBudget: [...found.values()].filter((f) => f.kind === 'over-budget').reduce((a, f) => a + f.count, 0),
      untypedError: [...found.values()].filter((f) => f.kind === 'untyped-error' || f.kind === 'no-line').reduce((a, f) => a + f.count, 0),
    },
    findings: [...found.values()].map(({ kind, signature, detail, count, from, shrunk }) => ({ kind, signature, detail, count, from, reproducer: shrunk })),
  };
  runner.dispose();
  mkdirSync(path.dirname(args.out), { recursive: true });
  writeFileSync(args.out, JSON.stringify(report, null, 2) + '\n');
  const { findings, ...summary } = report;
  process.stdout.write(JSON.stringify(summary) + '\n');
  for (const f of findings) process.stdout.write(`\n[${f.kind}] ×${f.count} ${f.detail}\n  from ${f.from}; reproducer:\n${f.reproducer?.replace(/^/gm, '    ')}\n`);
  // Over-budget runs are timing, and timing on a shared machine is noise: they are
  // reported always, and fail the run only with --strict-time (the on-demand sweep).
  return findings.some((f) => f.kind !== 'over-budget' || args.strictTime) ? 1 : 0;
}

void main().then((code) => process.exit(code));
