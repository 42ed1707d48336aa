// Snippet errors (every one in RunResult.errors) and mask warnings
// (RunResult.diagnostics) as VS Code Diagnostics on their lines, for every
// Python file shown in an editor: it is evaluated (debounced, in the worker)
// when it is opened or saved, so the Problems view fills without a hover or
// a preview.
import * as vscode from 'vscode';
import { lineLabel, type LineLabel } from '../python/notebook';
import { errorText, isMaskLensLimit, notEvaluatedMessage, type Diagnostic as MaskDiagnostic, type RunResult } from '../python/result';
import { isPythonDocument, type DocumentEvaluations } from './documentEvaluations';
import { allErrors } from './evaluationSummary';
import { readSettings, SETTINGS_SECTION } from './settings';

export const DIAGNOSTIC_SOURCE = 'Mask Lens';

export { allErrors } from './evaluationSummary';

function lineRange(doc: vscode.TextDocument, line1: number, column?: number, endLine1?: number, endColumn?: number): vscode.Range {
  const lastLine = Math.max(doc.lineCount - 1, 0);
  const line = Math.min(Math.max(line1 - 1, 0), lastLine);
  const text = doc.lineAt(line);
  if (column !== undefined) {
    const start = new vscode.Position(line, Math.min(column, text.range.end.character));
    const endLn = endLine1 !== undefined ? Math.min(Math.max(endLine1 - 1, line), lastLine) : line;
    const end =
      endColumn !== undefined
        ? new vscode.Position(endLn, Math.min(endColumn, doc.lineAt(endLn).range.end.character))
        : doc.lineAt(endLn).range.end;
    if (end.isAfter(start)) return new vscode.Range(start, end);
  }
  // Whole line without its indentation.
  return new vscode.Range(line, text.firstNonWhitespaceCharacterIndex, line, text.range.end.character);
}

const SEVERITY: Record<MaskDiagnostic['severity'], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

/** Problems for `doc` from `result`; `at` names the line a knock-on's cause failed on (a notebook's "cell 2, line 3"). */
export function toVsDiagnostics(
  doc: vscode.TextDocument, result: RunResult, disabled: ReadonlySet<string> = new Set(readSettings().disabledDiagnostics), at: LineLabel = lineLabel,
): vscode.Diagnostic[] {
  const out: vscode.Diagnostic[] = [];
  for (const e of allErrors(result)) {
    // a knock-on NameError (its name's statement failed earlier) is information: one problem per cause
    const knockOn = notEvaluatedMessage(e, at);
    // what Mask Lens does not model (flask.Flask, open()) is no error in the code: information, as a knock-on is
    const severity = knockOn || isMaskLensLimit(e) ? vscode.DiagnosticSeverity.Information : vscode.DiagnosticSeverity.Error;
    const d = new vscode.Diagnostic(lineRange(doc, e.line, e.column, e.endLine, e.endColumn), knockOn ?? errorText(e), severity);
    d.source = DIAGNOSTIC_SOURCE;
    d.code = knockOn ? 'not-evaluated' : e.type;
    out.push(d);
  }
  for (const m of result.diagnostics) {
    if (disabled.has(m.code)) continue;
    const message = m.variable && !m.message.includes(m.variable) ? `${m.message} (${m.variable})` : m.message;
    const d = new vscode.Diagnostic(lineRange(doc, m.line), message, SEVERITY[m.severity]);
    d.source = DIAGNOSTIC_SOURCE;
    d.code = m.code;
    out.push(d);
  }
  return out;
}

/** A Python file in an editor; notebook cells are evaluated with their notebook (notebook.ts). */
function isDiagnosable(doc: vscode.TextDocument): boolean {
  return isPythonDocument(doc) && doc.uri.scheme !== 'vscode-notebook-cell';
}

/**
 * Publishes the diagnostics of every evaluated Python document and keeps them
 * current as it is re-evaluated; a file opened in an editor or saved is
 * evaluated soon (DocumentEvaluations.warm: debounced, skipped when cached).
 */
export class MaskLensDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('maskLens');
  private readonly subscriptions: vscode.Disposable[];

  constructor(evaluations: DocumentEvaluations) {
    const evaluateSoon = (doc: vscode.TextDocument) => {
      if (isDiagnosable(doc) && !doc.isClosed) evaluations.warm(doc);
    };
    this.subscriptions = [
      evaluations.onDidEvaluate(({ document, evaluation }) => {
        if (isDiagnosable(document) && !document.isClosed) this.collection.set(document.uri, toVsDiagnostics(document, evaluation.result));
      }),
      vscode.window.onDidChangeVisibleTextEditors((editors) => editors.forEach((e) => evaluateSoon(e.document))),
      vscode.workspace.onDidSaveTextDocument(evaluateSoon),
      vscode.workspace.onDidCloseTextDocument((doc) => this.forget(doc.uri)),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(`${SETTINGS_SECTION}.diagnostics.disabled`)) this.refreshAll(evaluations);
      }),
    ];
    for (const e of vscode.window.visibleTextEditors) evaluateSoon(e.document);
  }

  /** Show diagnostics for this result now (a preview's own evaluation). */
  publish(doc: vscode.TextDocument, result: RunResult): void {
    this.collection.set(doc.uri, toVsDiagnostics(doc, result));
  }

  /** Re-publish every document's diagnostics (the disabled codes changed). */
  private refreshAll(evaluations: DocumentEvaluations): void {
    for (const doc of vscode.workspace.textDocuments) {
      if (!this.collection.has(doc.uri)) continue;
      evaluations.latest(doc).then((e) => this.collection.set(doc.uri, toVsDiagnostics(doc, e.result)), () => undefined);
    }
  }

  private forget(uri: vscode.Uri): void {
    this.collection.delete(uri);
  }

  dispose(): void {
    this.collection.dispose();
    for (const s of this.subscriptions) s.dispose();
  }
}
