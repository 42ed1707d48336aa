// The inspector's PROBLEMS tab: the file's errors (knock-on NameErrors as
// "not evaluated"), its mask warnings by line, then the evaluator's
// warnings, which have no line (an unmodelled decorator, torch's
// UserWarnings): those show no line and are not clickable.
import type { InspectorState } from '../src/vscode/protocol';
import { lineLabel } from '../src/python/notebook';
import { errorText, isMaskLensLimit, notEvaluatedMessage } from '../src/python/result';

/** One row of the table; `line` is null for a warning that has none. */
export interface ProblemRow {
  line: number | null;
  kind: string;
  message: string;
}

/**
 * The rows in the order the table shows them: errors and mask warnings by
 * line, then lineless warnings. A knock-on error names its cause's line as a
 * notebook cell's ("cell 2, line 3") where the state has cells.
 */
export function problemRows(state: Pick<InspectorState, 'errors' | 'diagnostics' | 'warnings' | 'cellStartLines'>): ProblemRow[] {
  const at = (line: number) => lineLabel(line, state.cellStartLines);
  const rows: ProblemRow[] = [
    ...state.errors.map((e) => {
      const knockOn = notEvaluatedMessage(e, at);
      if (knockOn) return { line: e.line, kind: 'info: not-evaluated', message: knockOn };
      // Mask Lens's own limit (a package it does not model): information, as in the Problems view
      return { line: e.line, kind: isMaskLensLimit(e) ? `info: ${e.type}` : e.type, message: e.message };
    }),
    ...state.diagnostics.map((d) => ({ line: d.line, kind: `${d.severity}: ${d.code}`, message: d.variable && !d.message.includes(d.variable) ? `${d.message} (${d.variable})` : d.message })),
  ].sort((a, b) => a.line - b.line);
  return [...rows, ...state.warnings.map((w) => ({ line: null, kind: 'warning', message: w }))];
}

/** The Line cell's text: blank for a warning without a line, "cell 2, line 3" in a notebook, else the line. */
export function lineCell(line: number | null, cellStartLines?: readonly number[]): string {
  if (line === null || line <= 0) return '';
  return cellStartLines ? lineLabel(line, cellStartLines) : String(line);
}

/** What the user calls what was evaluated: a notebook (the state has cells) or a file. */
export function documentNoun(state: Pick<InspectorState, 'cellStartLines'>): 'notebook' | 'file' {
  return state.cellStartLines?.length ? 'notebook' : 'file';
}

/**
 * The banner over the views: the first cause (the code's own errors before
 * what Mask Lens does not model, knock-ons left out), where it is, how many
 * more, and that the rest still previews; `limit` when that cause is Mask
 * Lens's own limit (an information banner). Undefined without errors.
 */
export function errorBanner(state: Pick<InspectorState, 'errors' | 'cellStartLines'>): { text: string; limit: boolean } | undefined {
  const causes = state.errors.filter((e) => !e.consequenceOf).sort((a, b) => Number(isMaskLensLimit(a)) - Number(isMaskLensLimit(b)));
  const e = causes[0];
  if (!e) return undefined;
  const more = causes.length > 1 ? ` and ${causes.length - 1} more` : '';
  return { text: `${errorText(e)} (${lineLabel(e.line, state.cellStartLines)})${more}. The rest of the ${documentNoun(state)} still previews.`, limit: isMaskLensLimit(e) };
}
