// The inspector's ERRORS tab: the file's errors (knock-on NameErrors as
// "not evaluated"), its mask warnings by line, then the evaluator's
// warnings, which have no line (an unmodelled decorator, torch's
// UserWarnings): those show no line and are not clickable.
import type { InspectorState } from '../src/vscode/protocol';
import { notEvaluatedMessage } from '../src/python/result';

/** One row of the table; `line` is null for a warning that has none. */
export interface ProblemRow {
  line: number | null;
  kind: string;
  message: string;
}

/** The rows in the order the table shows them: errors and mask warnings by line, then lineless warnings. */
export function problemRows(state: Pick<InspectorState, 'errors' | 'diagnostics' | 'warnings'>): ProblemRow[] {
  const rows: ProblemRow[] = [
    ...state.errors.map((e) => {
      const knockOn = notEvaluatedMessage(e);
      return knockOn ? { line: e.line, kind: 'info: not-evaluated', message: knockOn } : { line: e.line, kind: e.type, message: e.message };
    }),
    ...state.diagnostics.map((d) => ({ line: d.line, kind: `${d.severity}: ${d.code}`, message: d.variable && !d.message.includes(d.variable) ? `${d.message} (${d.variable})` : d.message })),
  ].sort((a, b) => a.line - b.line);
  return [...rows, ...state.warnings.map((w) => ({ line: null, kind: 'warning', message: w }))];
}
