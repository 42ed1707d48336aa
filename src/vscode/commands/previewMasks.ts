// "Mask Lens: Preview Masks": evaluate the whole Python file (continuing past
// errors, recording the timeline) and show every variable in the inspector.
import * as vscode from 'vscode';
import { TensorInspectorPanel } from '../inspectorPanel';
import { buildInspectorState } from '../inspectorState';
import { targetDocument, type MaskLensServices } from '../services';
import { reportEvaluation } from './report';
import { isNotebookCell, notebookInspectorState, notebookOfCell } from '../notebook';
import { cellFollowTarget, followTarget } from '../inspectorScopes';
import { MODULE_SCOPE } from '../protocol';
import { lineTextOf } from '../inspectorFollow';

export const PREVIEW_MASKS_COMMAND = 'maskLens.previewMasks';

export async function previewMasks(services: MaskLensServices, uri?: unknown): Promise<void> {
  // the inspector's Refresh on a notebook names the notebook: preview it again, on the scope shown
  const notebook = uri instanceof vscode.Uri ? vscode.workspace.notebookDocuments.find((n) => n.uri.toString() === uri.toString()) : undefined;
  if (notebook && services.notebooks) {
    const value = await services.notebooks.get(notebook);
    TensorInspectorPanel.createOrReveal(services.extensionUri, services.evaluations).update(notebookInspectorState(notebook, value, undefined));
    return;
  }
  const doc = (uri === undefined ? activeNotebookCell() : undefined) ?? (await targetDocument(services, uri));
  if (!doc) {
    void vscode.window.showWarningMessage('Mask Lens: open a Python file to preview its masks.');
    return;
  }
  const cell = isNotebookCell(doc) ? notebookOfCell(doc) : undefined;
  if (cell && services.notebooks) {
    // a notebook previews whole, grouped by cell, on the active cell: on its cursor's function's chosen call
    // when the cursor is in a function's body (a cell of defs binds nothing itself), as the inspector follows it
    const value = await services.notebooks.get(cell.notebook);
    const editor = vscode.window.activeTextEditor?.document === doc ? vscode.window.activeTextEditor : undefined;
    const uri = cell.notebook.uri.toString();
    const target = cellFollowTarget(value.evaluation.result, value.layout, cell.cell.index, editor && editor.selection.active.line + 1, lineTextOf(doc), (fn) => services.selection?.get(uri, fn));
    TensorInspectorPanel.createOrReveal(services.extensionUri, services.evaluations)
      .update({ ...notebookInspectorState(cell.notebook, value, cell.cell.index, target.selected), scope: target.scope });
    reportEvaluation(value.evaluation);
    return;
  }
  const evaluation = await services.evaluations.latest(doc);
  services.diagnostics.publish(doc, evaluation.result);
  const panel = TensorInspectorPanel.createOrReveal(services.extensionUri, services.evaluations);
  const previous = panel.shownState;
  const key = doc.uri.toString();
  // the cursor in the body of a function the file calls: that call's scope, as for a notebook cell
  const editor = vscode.window.activeTextEditor?.document === doc ? vscode.window.activeTextEditor : undefined;
  const target = editor && followTarget(evaluation.result, editor.selection.active.line + 1, lineTextOf(doc), (fn) => services.selection?.get(key, fn), MODULE_SCOPE);
  if (target && target.scope !== MODULE_SCOPE) panel.update({ ...buildInspectorState(key, doc.uri.fsPath, evaluation, 'all', target.selected), scope: target.scope });
  else panel.update(buildInspectorState(key, doc.uri.fsPath, evaluation, 'all', previous?.documentUri === key ? previous.selected : undefined));
  reportEvaluation(evaluation);
}

/** The selected cell of the notebook in focus, whether or not its text editor has focus. */
function activeNotebookCell(): vscode.TextDocument | undefined {
  const nb = vscode.window.activeNotebookEditor;
  if (!nb || vscode.window.activeTextEditor?.document.uri.scheme === 'file') return undefined;
  const index = nb.selections[0]?.start ?? 0;
  return index < nb.notebook.cellCount ? nb.notebook.cellAt(index).document : undefined;
}

export function registerPreviewMasks(context: vscode.ExtensionContext, services: MaskLensServices): void {
  context.subscriptions.push(vscode.commands.registerCommand(PREVIEW_MASKS_COMMAND, (uri?: unknown) => previewMasks(services, uri)));
}
