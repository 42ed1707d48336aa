// "Mask Lens: Preview Mask at Cursor": evaluate up to the cursor's statement
// and show the variable assigned on that line, or the nearest one above.
import * as vscode from 'vscode';
import { TensorInspectorPanel } from '../inspectorPanel';
import { buildInspectorState } from '../inspectorState';
import { targetDocument, type MaskLensServices } from '../services';
import { statementEndLine, variableAtLine } from '../variableLookup';
import { reportEvaluation } from './report';
import { isNotebookCell, notebookInspectorState, notebookOfCell } from '../notebook';
import { cellFollowTarget, followTarget } from '../inspectorScopes';
import { lineTextOf } from '../inspectorFollow';
import { MODULE_SCOPE } from '../protocol';
import { functionAt } from '../callLookup';
import { PREVIEW_WITH_ARGUMENTS_COMMAND } from '../callCodeLens';

export const PREVIEW_MASK_AT_CURSOR_COMMAND = 'maskLens.previewMaskAtCursor';

/** `uri`/`line` (1-based) are given when re-run from the inspector; else the active editor's cursor. */
export async function previewMaskAtCursor(services: MaskLensServices, uri?: unknown, line?: unknown): Promise<void> {
  const doc = await targetDocument(services, uri);
  if (!doc) {
    void vscode.window.showWarningMessage('Mask Lens: open a Python file and put the cursor on a line to preview.');
    return;
  }
  const editor = vscode.window.visibleTextEditors.find((e) => e.document === doc) ?? services.pythonEditors.current();
  const cursorLine = typeof line === 'number' ? line : (editor?.selection.active.line ?? 0) + 1;
  const cell = isNotebookCell(doc) ? notebookOfCell(doc) : undefined;
  if (cell && services.notebooks) {
    // a notebook cell runs with the cells before it (alone, cell 2 would not see cell 1's import): the
    // notebook's evaluation, on this cell (or, in a function's body, its chosen call), with the variable at or above the cursor
    const value = await services.notebooks.get(cell.notebook);
    const uri = cell.notebook.uri.toString();
    const target = cellFollowTarget(value.evaluation.result, value.layout, cell.cell.index, cursorLine, lineTextOf(doc), (fn) => services.selection?.get(uri, fn));
    TensorInspectorPanel.createOrReveal(services.extensionUri, services.evaluations)
      .update({ ...notebookInspectorState(cell.notebook, value, cell.cell.index, target.selected), scope: target.scope });
    const found = target.selected;
    if (!found) vscode.window.setStatusBarMessage(`Mask Lens: no variable assigned at or above line ${cursorLine} of this cell`, 8000);
    else reportEvaluation(value.evaluation);
    return;
  }
  // The cached whole-file timeline tells where a multi-line statement ends.
  const whole = await services.evaluations.latest(doc);
  services.diagnostics.publish(doc, whole.result);
  // in a function's body: evaluating up to the cursor would stop before any call of it (a forward called at
  // the end of the file showed "No variables were bound"); the whole file, on its chosen call, as a cell does
  const key = doc.uri.toString();
  const target = followTarget(whole.result, cursorLine, lineTextOf(doc), (fn) => services.selection?.get(key, fn), MODULE_SCOPE);
  if (target.scope !== MODULE_SCOPE) {
    TensorInspectorPanel.createOrReveal(services.extensionUri, services.evaluations)
      .update({ ...buildInspectorState(key, doc.uri.fsPath, whole, 'all', target.selected), scope: target.scope });
    if (!target.selected) vscode.window.setStatusBarMessage(`Mask Lens: no variable assigned at or above line ${cursorLine} in this call`, 8000);
    else reportEvaluation(whole);
    return;
  }
  const uncalled = functionAt(whole.result, cursorLine);
  const stopped = whole.result.errors.some((e) => e.type === 'TimeoutError');
  if (uncalled && uncalled.calls === 0 && !stopped) {
    // a function the file never calls has no values at any line of it: say so, and offer to call it
    const pick = await vscode.window.showInformationMessage(
      `Mask Lens: ${uncalled.function} is never called in this file, so it has no values to preview yet.`, PREVIEW_WITH_ARGUMENTS);
    if (pick === PREVIEW_WITH_ARGUMENTS) await vscode.commands.executeCommand(PREVIEW_WITH_ARGUMENTS_COMMAND, key, uncalled.function);
    return;
  }
  const stopAfterLine = statementEndLine(whole.result, cursorLine);
  const evaluation = await services.evaluations.evaluateUpTo(doc, stopAfterLine);
  const found = variableAtLine(evaluation.result, cursorLine, (n) => (n >= 1 && n <= doc.lineCount ? doc.lineAt(n - 1).text : ''));
  const panel = TensorInspectorPanel.createOrReveal(services.extensionUri, services.evaluations);
  panel.update(buildInspectorState(doc.uri.toString(), doc.uri.fsPath, evaluation, 'cursor', found?.name));
  if (!found) vscode.window.setStatusBarMessage(`Mask Lens: no variable assigned at or above line ${cursorLine}`, 8000);
  else reportEvaluation(evaluation);
}

const PREVIEW_WITH_ARGUMENTS = 'Preview with Arguments…';

export function registerPreviewMaskAtCursor(context: vscode.ExtensionContext, services: MaskLensServices): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(PREVIEW_MASK_AT_CURSOR_COMMAND, (uri?: unknown, line?: unknown) => previewMaskAtCursor(services, uri, line)),
  );
}
