// masklens CLI: `masklens run [--json] [--budget-ms N] [--max-elements N] FILE.py|FILE.ipynb`.
// --json prints the golden-file schema (the conformance contract) plus
// `errors`, `continued` and the recorded `calls`; the plain mode prints each
// mask as a grid (■ kept/true, ⬚ masked/false), the module's first, then each
// function call's locals. Both evaluate in the same worker the editor uses
// (src/service), under the same budgets.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cellLineLabel, cellNumber, cellPosition, layoutCells, lineLabel, readNotebook, type CellLayout, type LineLabel } from './python/notebook';
import { errorText, notEvaluatedMessage, type CallRecord, type EncodedNumber, type EncodedValue, type RunOptions, type RunResult, type Snapshot } from './python/result';
import { EvaluationService } from './service/client';
import { elidedRefs, writeJson } from './service/jsonOut';
import { nodeWorker } from './service/nodeWorker';
import type { ValueRef } from './service/protocol';
import { maskGrid } from './render/grid';
import { cellFormatter } from './vscode/tensorSlice';

/** A value's grid, its numbers in the one format torch's print picks for the whole tensor (as hovers show them). */
function tensorGrid(v: Extract<EncodedValue, { data: EncodedNumber[] }>): string {
  const cell = cellFormatter(v);
  return maskGrid(v, undefined, (x) => cell.format(x));
}

/**
 * Evaluate a file in this thread as the golden harness does (Python
 * semantics: stop at the first error); the conformance test calls it.
 * The interpreter is loaded on first use from the worker's bundle, so the
 * CLI itself starts without it (the worker evaluates).
 */
export function runFile(path: string, options: RunOptions = {}): RunResult & { case: string } {
  const source = readFileSync(path, 'utf8');
  // a computed name: the bundler leaves it to Node instead of bundling the interpreter in
  const entry = __filename.endsWith('.ts') ? './service/evaluate' : join(__dirname, 'worker.js');
  const { evaluate } = require(entry) as typeof import('./service/evaluate');
  const result = evaluate(source, options);
  return { case: path.split('/').pop()!, ...result, error: goldenError(result.error) };
}

/**
 * The golden schema's `error`: the message's first line, as the generator
 * records it (`str(e).split("\n")[0]`). PyTorch's arg-parser and
 * load_state_dict errors go on with indented detail lines, which `errors`
 * and the editor keep.
 */
function goldenError<E extends { message: string }>(error: E | null): E | null {
  return error && { ...error, message: error.message.split('\n')[0] };
}

/** `--json`'s entry for one recorded call (issue #10's schema). */
export function callJson(c: CallRecord): { function: string; line: number; call: number; calledFrom: number; variables: Record<string, EncodedValue>; returned: EncodedValue | null } {
  // None and dataclass instances are recorded for the editor only (EncodedValue's 'object'): the golden record skips them
  const returned = c.returned && c.returned.value.type !== 'object' && c.returned.value.type !== 'dict' ? c.returned.value : null;
  return { function: c.function, line: c.line, call: c.call, calledFrom: c.calledFrom, variables: c.variables, returned };
}

const plainLine: LineLabel = (line) => lineLabel(line);

function valueLines(s: Snapshot, result: RunResult, printed: Set<RunResult['diagnostics'][number]>, at: LineLabel): string[] {
  const v = s.value;
  if (!('data' in v)) return [];
  const lines = [`${s.name}  ${v.dtype} [${v.shape.join(', ')}]${s.maskSummary ? `  (${s.maskSummary})` : s.mask ? `  (${s.mask} mask)` : ''}  ${at(s.line)}${s.note ? `  (${s.note})` : ''}`];
  lines.push('elided' in v ? `(${v.shape.reduce((a, b) => a * b, 1)} elements, not shown)` : tensorGrid(v as Extract<EncodedValue, { data: EncodedNumber[] }>));
  // the diagnostics raised where this value was computed go right under it
  for (const d of result.diagnostics) {
    if (printed.has(d) || d.line < s.line || d.line > s.endLine || (d.variable && d.variable !== s.name)) continue;
    printed.add(d);
    lines.push(`  ${d.severity}: ${d.message}  [${d.code}, ${at(d.line)}]`);
  }
  lines.push('');
  return lines;
}

/** CPython's compile-time errors (IndentationError and TabError are subclasses of SyntaxError). */
const isSyntaxError = (e: { type: string }) => e.type === 'SyntaxError' || e.type === 'IndentationError' || e.type === 'TabError';

/**
 * The run's stdout, with a notebook's Out[] values where Jupyter shows them:
 * each after its cell's prints, `Out[n]:` then the repr (on a line of its
 * own when it has several, as IPython's displayhook does).
 */
function printedOutput(result: RunResult, outPrompt: (line: number) => string): string[] {
  const parts: string[] = [];
  let at = 0;
  for (const o of result.outputs ?? []) {
    parts.push(result.stdout.slice(at, o.stdoutAt));
    at = o.stdoutAt;
    parts.push(`${outPrompt(o.line)}${o.repr.includes('\n') ? '\n' : ' '}${o.repr}\n`);
  }
  parts.push(result.stdout.slice(at));
  const text = parts.join('').trimEnd();
  return text ? [text, ''] : [];
}

function plain(result: RunResult, at: LineLabel = plainLine, outPrompt: (line: number) => string = () => 'Out:'): string {
  const lines: string[] = [];
  // Python refuses the whole file (cell) over a syntax error, so it comes first, before the preview of what parses
  const syntax = result.errors.filter(isSyntaxError);
  for (const e of syntax) lines.push(`${at(e.line)}: ${errorText(e)}`);
  if (syntax.length) lines.push('(so Python runs none of this file; below, Mask Lens previews the statements that parse)', '');
  lines.push(...printedOutput(result, outPrompt));
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
    if (c.error) lines.push(`raised ${errorText(c.error)}  ${at(c.error.line)}`, '');
  }
  for (const d of result.diagnostics) if (!printed.has(d)) lines.push(`${at(d.line)}: ${d.severity}: ${d.message}  [${d.code}]`);
  // a knock-on NameError (its name's statement failed earlier) is a consequence, said as the editor says it
  for (const e of result.errors) if (!isSyntaxError(e)) lines.push(`${at(e.line)}: ${notEvaluatedMessage(e, at) ?? errorText(e)}`);
  return lines.join('\n');
}

/** Each name's last snapshot, in source order. */
function finalSnapshots(timeline: Snapshot[]): Snapshot[] {
  const last = new Map<string, Snapshot>();
  for (const s of timeline) last.set(s.name, s);
  return [...last.values()].sort((a, b) => a.line - b.line);
}

/** A notebook's result with every line in its own cell's numbering, each carrying its `cell` (numbered as In[n]: code cells from 1). */
function notebookJson(layout: CellLayout, r: RunResult): Record<string, unknown> {
  const place = <T extends { line: number }>(x: T) => {
    const p = cellPosition(layout, x.line);
    const end = 'endLine' in x && typeof x.endLine === 'number' ? { endLine: cellPosition(layout, x.endLine).line } : {};
    // a knock-on error names the line that failed: in its own cell's numbering too
    const cause = 'consequenceOf' in x && x.consequenceOf ? { consequenceOf: placeCause(x.consequenceOf as { line: number; name: string }) } : {};
    return { ...x, cell: cellNumber(layout, p.cell), line: p.line, ...end, ...cause };
  };
  const placeCause = (c: { line: number; name: string }) => {
    const p = cellPosition(layout, c.line);
    return { ...c, cell: cellNumber(layout, p.cell), line: p.line };
  };
  return {
    variables: r.variables, stdout: r.stdout, warnings: r.warnings,
    error: goldenError(r.error && place(r.error)), errors: r.errors.map(place), diagnostics: r.diagnostics.map(place),
    calls: (r.calls ?? []).map((c) => {
      const from = c.calledFrom ? cellPosition(layout, c.calledFrom) : undefined;
      return { ...callJson(c), ...place(c), calledFrom: from?.line ?? 0, calledFromCell: from && cellNumber(layout, from.cell) };
    }).map(({ endLine: _e, timeline: _t, site: _s, ...rest }: Record<string, unknown>) => rest),
  };
}

/** The plain mode prints grids, not data: larger tensors stay in the worker. */
const PLAIN_INLINE = 1 << 16;

const USAGE = 'usage: masklens run [--json] [--budget-ms N] [--max-elements N] FILE.py|FILE.ipynb\n';

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
 * --json evaluates with tensors past this size left in the worker, then
 * fetches each one's data as a typed array and writes it (jsonOut.ts). It is
 * the size past which mask analysis skips a tensor anyway, so diagnostics
 * are the same as with everything inlined.
 */
const JSON_INLINE = 1 << 20;

/** Write `value` as JSON to stdout, with each elided tensor of `refs` written whole. */
async function printJson(service: EvaluationService, value: unknown, refs: Map<object, ValueRef>): Promise<void> {
  await writeJson((text) => process.stdout.write(text), value, refs, (ref) => service.data(ref));
  process.stdout.write('\n');
}

/**
 * `--json`: `error` and `variables` exactly as Python leaves them (the first
 * error, the values bound before it), plus `errors` (every error the editor
 * reports) and `continued` (the values the editor shows after going past them).
 */
async function runJson(service: EvaluationService, source: string, name: string, options: RunOptions): Promise<void> {
  // the timeline feeds the value-based mask diagnostics; it changes no value
  const first = await service.evaluate(source, { ...options, recordTimeline: true, inlineElements: JSON_INLINE });
  const r = first.result;
  const refs = elidedRefs(r, first.evaluation, new Map());
  const { variables, stdout, warnings, error, diagnostics } = r;
  let errors = r.errors, continued = variables;
  // past a time budget or a dead worker, going on would only meet the same stop again;
  // past an error on the last line of code, there is nothing to go on to
  if (error && !first.stopped && error.type !== 'TimeoutError' && !r.failedAtEnd) {
    const c = await service.evaluate(source, { ...options, recordTimeline: true, continueAfterError: true, inlineElements: JSON_INLINE });
    errors = c.result.errors;
    continued = c.result.variables;
    elidedRefs({ ...c.result, calls: [] }, c.evaluation, refs);
  }
  const calls = (r.calls ?? []).map(callJson);
  await printJson(service, { case: name, variables, stdout, warnings, error: goldenError(error), diagnostics, errors, continued, calls }, refs);
}

/** A notebook: its code cells in order; --json keeps each cell's first error (a kernel's semantics), later cells still run. */
async function runNotebook(service: EvaluationService, text: string, name: string, json: boolean, options: RunOptions): Promise<number> {
  let layout: CellLayout;
  try {
    layout = layoutCells(readNotebook(text));
  } catch (e) {
    process.stderr.write(`masklens: ${name}: ${e instanceof Error ? e.message : String(e)}\n`);
    return 2;
  }
  const { result: r, evaluation } = await service.evaluate(layout.source, {
    ...options, recordTimeline: true, continueAfterError: !json, cellStartLines: layout.startLines, inlineElements: json ? JSON_INLINE : PLAIN_INLINE,
  });
  if (json) {
    await printJson(service, { case: name, ...notebookJson(layout, r) }, elidedRefs(r, evaluation, new Map()));
    return 0;
  }
  // cells numbered as Jupyter's In[n] / Out[n] after a "Run All": code cells 1, 2, ... in order
  const at = (line: number) => cellLineLabel(layout, line);
  const outPrompt = (line: number) => `Out[${cellNumber(layout, cellPosition(layout, line).cell)}]:`;
  process.stdout.write(plain(r, at, outPrompt) + '\n');
  return r.errors.length ? 1 : 0;
}

/** CPython's wording for the file errors `python FILE` reports ("[Errno 2] No such file or directory"). */
const OS_ERRORS: Record<string, string> = {
  ENOENT: '[Errno 2] No such file or directory',
  EACCES: '[Errno 13] Permission denied',
  EISDIR: '[Errno 21] Is a directory',
};

function osErrorText(e: unknown): string {
  const code = (e as { code?: unknown }).code;
  return (typeof code === 'string' && OS_ERRORS[code]) || 'the file could not be read';
}

async function main(argv: string[]): Promise<number> {
  const parsed = parseArgs(argv);
  if (!parsed) {
    process.stderr.write(USAGE);
    return 2;
  }
  const { json, file, options } = parsed;
  let source: string;
  try {
    source = readFileSync(file, 'utf8');
  } catch (e) {
    process.stderr.write(`masklens: can't open file '${file}': ${osErrorText(e)}\n`);
    return 2;
  }
  const service = new EvaluationService({ spawn: nodeWorker(join(__dirname, 'worker.js')), budgetSetting: '--budget-ms', heapSetting: 'the worker heap cap' });
  try {
    if (file.endsWith('.ipynb')) return await runNotebook(service, source, file.split('/').pop()!, json, options);
    if (json) {
      await runJson(service, source, file.split('/').pop()!, options);
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
  // a reader that stops early (| head) is not an error of ours
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });
  void main(process.argv).then((code) => {
    process.exitCode = code;
  });
}
