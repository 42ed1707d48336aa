// masklens CLI: `masklens run [--json] [--budget-ms N] [--max-elements N] FILE.py`.
// --json prints the golden-file schema (the conformance contract) plus
// `errors` and `continued`; the plain mode prints each mask as a grid (■
// kept/true, ⬚ masked/false). Both evaluate in the same worker the editor
// uses (src/service), under the same budgets.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { evaluate } from './python';
import type { EncodedValue, RunOptions, RunResult, Snapshot } from './python/result';
import { EvaluationService } from './service/client';
import { nodeWorker } from './service/nodeWorker';
import { maskGrid } from './render/grid';

/** Evaluate a file as the golden harness does (Python semantics: stop at the first error). */
export function runFile(path: string, options: RunOptions = {}): RunResult & { case: string } {
  const source = readFileSync(path, 'utf8');
  const result = evaluate(source, options);
  return { case: path.split('/').pop()!, ...result };
}

function plain(result: RunResult): string {
  const lines: string[] = [];
  if (result.stdout) lines.push(result.stdout.trimEnd(), '');
  const printed = new Set<RunResult['diagnostics'][number]>();
  for (const s of finalSnapshots(result)) {
    const v = s.value;
    if (!('data' in v)) continue;
    lines.push(`${s.name}  ${v.dtype} [${v.shape.join(', ')}]${s.maskSummary ? `  (${s.maskSummary})` : s.mask ? `  (${s.mask} mask)` : ''}  line ${s.line}`);
    lines.push('elided' in v ? `(${v.shape.reduce((a, b) => a * b, 1)} elements, not shown)` : maskGrid(v as Extract<EncodedValue, { data: unknown }>));
    // the diagnostics raised where this value was computed go right under it
    for (const d of result.diagnostics) {
      if (printed.has(d) || d.line < s.line || d.line > s.endLine || (d.variable && d.variable !== s.name)) continue;
      printed.add(d);
      lines.push(`  ${d.severity}: ${d.message}  [${d.code}, line ${d.line}]`);
    }
    lines.push('');
  }
  for (const d of result.diagnostics) if (!printed.has(d)) lines.push(`line ${d.line}: ${d.severity}: ${d.message}  [${d.code}]`);
  for (const e of result.errors) lines.push(`line ${e.line}: ${e.type}: ${e.message}`);
  return lines.join('\n');
}

/** Each variable's last snapshot, in source order. */
function finalSnapshots(result: RunResult): Snapshot[] {
  const last = new Map<string, Snapshot>();
  for (const s of result.timeline) last.set(s.name, s);
  return [...last.values()].sort((a, b) => a.line - b.line);
}

/** The plain mode prints grids, not data: larger tensors stay in the worker. */
const PLAIN_INLINE = 1 << 16;

const USAGE = 'usage: masklens run [--json] [--budget-ms N] [--max-elements N] FILE.py\n';

interface CliArgs {
  json: boolean;
  file: string;
  options: RunOptions;
}

function parseArgs(argv: string[]): CliArgs | undefined {
  const args = argv.slice(2);
  if (args[0] !== 'run') return undefined;
  const options: RunOptions = { budgetSetting: '--max-elements' };
  let json = false;
  let file: string | undefined;
  for (let i = 1; i < args.length; i++) {
    const a = args[i];
    const number = () => {
      const n = Number(args[++i]);
      return Number.isFinite(n) && n > 0 ? n : undefined;
    };
    if (a === '--json') json = true;
    else if (a === '--budget-ms') {
      const n = number();
      if (n === undefined) return undefined;
      options.timeBudgetMs = n;
    } else if (a === '--max-elements') {
      const n = number();
      if (n === undefined) return undefined;
      options.maxElements = Math.floor(n);
    } else if (a.startsWith('--')) return undefined;
    else file = a;
  }
  return file === undefined ? undefined : { json, file, options };
}

/**
 * `--json`: `error` and `variables` exactly as Python leaves them (the first
 * error, the values bound before it), plus `errors` (every error the editor
 * reports) and `continued` (the values the editor shows after going past them).
 */
async function runJson(service: EvaluationService, source: string, name: string, options: RunOptions): Promise<string> {
  // the timeline feeds the value-based mask diagnostics; it changes no value
  const { result: r } = await service.evaluate(source, { ...options, recordTimeline: true });
  const { variables, stdout, warnings, error, diagnostics } = r;
  let errors = r.errors, continued = variables;
  if (error) {
    const c = (await service.evaluate(source, { ...options, recordTimeline: true, continueAfterError: true })).result;
    errors = c.errors;
    continued = c.variables;
  }
  return JSON.stringify({ case: name, variables, stdout, warnings, error, diagnostics, errors, continued });
}

async function main(argv: string[]): Promise<number> {
  const parsed = parseArgs(argv);
  if (!parsed) {
    process.stderr.write(USAGE);
    return 2;
  }
  const { json, file, options } = parsed;
  const source = readFileSync(file, 'utf8');
  const service = new EvaluationService({ spawn: nodeWorker(join(__dirname, 'worker.js')), budgetSetting: '--budget-ms', heapSetting: 'the worker heap cap' });
  try {
    if (json) {
      process.stdout.write((await runJson(service, source, file.split('/').pop()!, options)) + '\n');
      return 0;
    }
    const { result } = await service.evaluate(source, { ...options, continueAfterError: true, recordTimeline: true, inlineElements: PLAIN_INLINE });
    process.stdout.write(plain(result) + '\n');
    return result.errors.length ? 1 : 0;
  } finally {
    service.dispose();
  }
}

if (require.main === module) {
  void main(process.argv).then((code) => {
    process.exitCode = code;
  });
}
