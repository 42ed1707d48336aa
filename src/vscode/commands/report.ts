// A short status-bar summary of an evaluation (errors are also Diagnostics and
// listed in the inspector; a status message does not cover the editor).
import * as vscode from 'vscode';
import type { Evaluation } from '../documentEvaluations';
import { allErrors } from '../diagnostics';

export function summarize(evaluation: Evaluation): string {
  const { result } = evaluation;
  const errors = allErrors(result);
  const n = Object.keys(result.variables).length;
  let text = `Mask Lens: ${n} variable${n === 1 ? '' : 's'} in ${evaluation.elapsedMs.toFixed(0)} ms`;
  if (errors.length > 0) {
    const first = errors[0];
    text += ` · ${errors.length} error${errors.length === 1 ? '' : 's'} (${first.type} on line ${first.line})`;
  }
  if (result.diagnostics.length > 0) text += ` · ${result.diagnostics.length} mask warning${result.diagnostics.length === 1 ? '' : 's'}`;
  return text;
}

export function reportEvaluation(evaluation: Evaluation): void {
  vscode.window.setStatusBarMessage(summarize(evaluation), 8000);
}
