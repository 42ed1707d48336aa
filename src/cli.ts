// masklens CLI: `masklens run [--json] FILE.py|FILE.ipynb`.
// --json prints the golden-file schema (the conformance contract) plus the
// recorded `calls`; the plain mode prints each mask as a grid (■ kept/true,
// ⬚ masked/false), the module's first, then each function call's locals.

import { readFileSync } from 'node:fs';
import { evaluate } from './python';
import { cellPosition, evaluateNotebook, layoutCells, readNotebook, type CellLayout } from './python/notebook';
import type { CallRecord, EncodedValue, RunOptions, RunResult, Snapshot } from './python/result';
import { maskGrid } from './render/grid';

/** Evaluate a file as the golden harness does (Python semantics: stop at the first error). */
export function runFile(path: string, options: RunOptions = {}): RunResult & { case: string } {
  const source = readFileSync(path, 'utf8');
  const result = evaluate(source, options);
  return { case: path.split('/').pop()!, ...result };
}

/** `--json`'s entry for one recorded call (issue #10's schema). */
export function callJson(c: CallRecord): { function: string; line: number; call: number; calledFrom: number; variables: Record<string, EncodedValue>; returned: EncodedValue | null } {
  return { function: c.function, line: c.line, call: c.call, calledFrom: c.calledFrom, variables: c.variables, returned: c.returned?.value ?? null };
}

/** How a line reads in the output: "line 7", or "cell 2, line 3" in a notebook. */
type LineLabel = (line: number) => string;
const plainLine: LineLabel = (line) => `line ${line}`;

function valueLines(s: Snapshot, result: RunResult, printed: Set<RunResult['diagnostics'][number]>, at: LineLabel): string[] {
  const v = s.value;
  if (!('data' in v)) return [];
  const lines = [`${s.name}  ${v.dtype} [${v.shape.join(', ')}]${s.maskSummary ? `  (${s.maskSummary})` : s.mask ? `  (${s.mask} mask)` : ''}  ${at(s.line)}${s.note ? `  (${s.note})` : ''}`];
  lines.push(maskGrid(v as Extract<EncodedValue, { data: unknown }>));
  // the diagnostics raised where this value was computed go right under it
  for (const d of result.diagnostics) {
    if (printed.has(d) || d.line < s.line || d.line > s.endLine || (d.variable && d.variable !== s.name)) continue;
    printed.add(d);
    lines.push(`  ${d.severity}: ${d.message}  [${d.code}, ${at(d.line)}]`);
  }
  lines.push('');
  return lines;
}

function plain(result: RunResult, at: LineLabel = plainLine): string {
  const lines: string[] = [];
  if (result.stdout) lines.push(result.stdout.trimEnd(), '');
  const printed = new Set<RunResult['diagnostics'][number]>();
  for (const s of finalSnapshots(result.timeline)) lines.push(...valueLines(s, result, printed, at));
  const total = new Map((result.functions ?? []).map((f) => [f.function, f.calls]));
  for (const c of result.calls ?? []) {
    const locals = finalSnapshots(c.timeline).filter((s) => 'data' in s.value);
    const returned = c.returned && 'data' in c.returned.value ? c.returned : undefined;
    if (locals.length === 0 && !returned) continue;
    const from = c.calledFrom ? ` · from ${at(c.calledFrom)}` : ' · Preview with Arguments';
    lines.push(`── ${c.function}() · call ${c.call} of ${total.get(c.function) ?? c.call}${from} ──`);
    for (const s of locals) lines.push(...valueLines(s, result, printed, at));
    if (returned) lines.push(...valueLines({ ...returned, name: 'returned' }, result, printed, at));
    if (c.error) lines.push(`raised ${c.error.type}: ${c.error.message}  ${at(c.error.line)}`, '');
  }
  for (const d of result.diagnostics) if (!printed.has(d)) lines.push(`${at(d.line)}: ${d.severity}: ${d.message}  [${d.code}]`);
  for (const e of result.errors) lines.push(`${at(e.line)}: ${e.type}: ${e.message}`);
  return lines.join('\n');
}

/** Each name's last snapshot, in source order. */
function finalSnapshots(timeline: Snapshot[]): Snapshot[] {
  const last = new Map<string, Snapshot>();
  for (const s of timeline) last.set(s.name, s);
  return [...last.values()].sort((a, b) => a.line - b.line);
}

/** A notebook's result with every line in its own cell's numbering, each carrying its `cell`. */
function notebookJson(layout: CellLayout, r: RunResult): Record<string, unknown> {
  const place = <T extends { line: number }>(x: T) => {
    const p = cellPosition(layout, x.line);
    return { ...x, cell: p.cell, line: p.line, ...('endLine' in x && typeof x.endLine === 'number' ? { endLine: cellPosition(layout, x.endLine).line } : {}) };
  };
  return {
    variables: r.variables, stdout: r.stdout, warnings: r.warnings,
    error: r.error && place(r.error), errors: r.errors.map(place), diagnostics: r.diagnostics.map(place),
    calls: (r.calls ?? []).map((c) => {
      const from = c.calledFrom ? cellPosition(layout, c.calledFrom) : undefined;
      return { ...callJson(c), ...place(c), calledFrom: from?.line ?? 0, calledFromCell: from?.cell };
    }).map(({ endLine: _e, timeline: _t, site: _s, ...rest }: Record<string, unknown>) => rest),
  };
}

function main(argv: string[]): number {
  const args = argv.slice(2);
  if (args[0] !== 'run' || args.length < 2) {
    process.stderr.write('usage: masklens run [--json] FILE.py|FILE.ipynb\n');
    return 2;
  }
  const json = args.includes('--json');
  const file = args.filter((a) => a !== 'run' && !a.startsWith('--'))[0];
  const name = file.split('/').pop()!;
  if (file.endsWith('.ipynb')) {
    let layout: CellLayout;
    try {
      layout = layoutCells(readNotebook(readFileSync(file, 'utf8')));
    } catch (e) {
      process.stderr.write(`masklens: ${file}: ${e instanceof Error ? e.message : String(e)}\n`);
      return 2;
    }
    // --json: each cell stops at its first error, as running it in a kernel would; later cells still run
    const r = evaluateNotebook(layout, { recordTimeline: true, continueAfterError: !json });
    if (json) process.stdout.write(JSON.stringify({ case: name, ...notebookJson(layout, r) }) + '\n');
    else {
      const at = (line: number) => {
        const p = cellPosition(layout, line);
        return `cell ${p.cell + 1}, line ${p.line}`;
      };
      process.stdout.write(plain(r, at) + '\n');
    }
    return json || r.errors.length === 0 ? 0 : 1;
  }
  if (json) {
    // the timeline feeds the value-based mask diagnostics; it changes no value
    const r = runFile(file, { recordTimeline: true });
    const { variables, stdout, warnings, error, diagnostics } = r;
    const calls = (r.calls ?? []).map(callJson);
    process.stdout.write(JSON.stringify({ case: name, variables, stdout, warnings, error, diagnostics, calls }) + '\n');
    return 0;
  }
  const source = readFileSync(file, 'utf8');
  const result = evaluate(source, { continueAfterError: true, recordTimeline: true });
  process.stdout.write(plain(result) + '\n');
  return result.errors.length ? 1 : 0;
}

if (require.main === module) process.exitCode = main(process.argv);
