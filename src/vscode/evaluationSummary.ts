// The errors of an evaluation and its status-bar summary, counted as the
// Problems view shows them. No 'vscode' import: unit-tested.
import { lineLabel } from '../python/notebook';
import { isMaskLensLimit, type PyErrorInfo, type RunResult } from '../python/result';

/** errors[] holds every error; older results may only fill `error`. */
export function allErrors(result: RunResult): PyErrorInfo[] {
  if (result.errors.length > 0) return result.errors;
  return result.error ? [result.error] : [];
}

/**
 * "Mask Lens: 17 variables in 66 ms · 1 error (RuntimeError on line 7) · 2
 * lines not modelled · 1 mask warning": the errors are those the Problems
 * view shows as errors (not a knock-on NameError, not a line Mask Lens does
 * not model), the first named with its line ("cell 2, line 3" in a notebook,
 * whose joined source starts its cells at `cellStartLines`).
 */
export function summarizeEvaluation(result: RunResult, elapsedMs: number, cellStartLines?: readonly number[]): string {
  const n = Object.keys(result.variables).length;
  let text = `Mask Lens: ${n} variable${n === 1 ? '' : 's'} in ${elapsedMs.toFixed(0)} ms`;
  const causes = allErrors(result).filter((e) => !e.consequenceOf);
  const errors = causes.filter((e) => !isMaskLensLimit(e));
  const limits = causes.length - errors.length;
  if (errors.length > 0) {
    text += ` · ${errors.length} error${errors.length === 1 ? '' : 's'} (${errors[0].type} on ${lineLabel(errors[0].line, cellStartLines)})`;
  }
  if (limits > 0) text += ` · ${limits} line${limits === 1 ? '' : 's'} not modelled`;
  if (result.diagnostics.length > 0) text += ` · ${result.diagnostics.length} mask warning${result.diagnostics.length === 1 ? '' : 's'}`;
  return text;
}
