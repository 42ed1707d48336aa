// A short status-bar summary of an evaluation (errors are also Diagnostics and
// listed in the inspector; a status message does not cover the editor).
import * as vscode from 'vscode';
import type { Evaluation } from '../documentEvaluations';
import { summarizeEvaluation } from '../evaluationSummary';

export function reportEvaluation(evaluation: Evaluation): void {
  vscode.window.setStatusBarMessage(summarizeEvaluation(evaluation.result, evaluation.elapsedMs, evaluation.options.cellStartLines), 8000);
}
