// masklens CLI: `masklens run [--json] FILE.py`.
// --json prints the golden-file schema (the conformance contract); the plain
// mode prints each mask as a grid (■ kept/true, ⬚ masked/false).

import { readFileSync } from 'node:fs';
import { evaluate } from './python';
import type { EncodedValue, RunOptions, RunResult, Snapshot } from './python/result';
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
    lines.push(maskGrid(v as Extract<EncodedValue, { data: unknown }>));
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

function main(argv: string[]): number {
  const args = argv.slice(2);
  if (args[0] !== 'run' || args.length < 2) {
    process.stderr.write('usage: masklens run [--json] FILE.py\n');
    return 2;
  }
  const json = args.includes('--json');
  const file = args.filter((a) => a !== 'run' && !a.startsWith('--'))[0];
  if (json) {
    // the timeline feeds the value-based mask diagnostics; it changes no value
    const r = runFile(file, { recordTimeline: true });
    const { case: name, variables, stdout, warnings, error, diagnostics } = r;
    process.stdout.write(JSON.stringify({ case: name, variables, stdout, warnings, error, diagnostics }) + '\n');
    return 0;
  }
  const source = readFileSync(file, 'utf8');
  const result = evaluate(source, { continueAfterError: true, recordTimeline: true });
  process.stdout.write(plain(result) + '\n');
  return result.errors.length ? 1 : 0;
}

if (require.main === module) process.exitCode = main(process.argv);
