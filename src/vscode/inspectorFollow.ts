// The inspector follows the user (issue #10): the active Python editor or
// notebook cell, the cursor in it (a cursor inside a function shows its
// chosen call's scope), and the call chosen anywhere else (the hover's ‹ ›
// links, the CodeLens, Preview with Arguments…); a call picked in the
// inspector becomes the hover's and the CodeLens's chosen call.
import * as vscode from 'vscode';
import type { CallSelection } from './callHover';
import { ignoreCancelled, isPythonDocument, type DocumentEvaluations } from './documentEvaluations';
import { TensorInspectorPanel } from './inspectorPanel';
import { callScopeId, cellFollowTarget, followTarget, parseCallScope } from './inspectorScopes';
import { buildInspectorState } from './inspectorState';
import { isNotebookCell, notebookInspectorState, notebookOfCell, type NotebookEvaluations } from './notebook';
import { MODULE_SCOPE } from './protocol';

export function registerInspectorFollow(
  context: vscode.ExtensionContext, evaluations: DocumentEvaluations, notebooks: NotebookEvaluations, selection: CallSelection,
): void {
  let cursorTimer: ReturnType<typeof setTimeout> | undefined;
  const follow = (editor: vscode.TextEditor, activated: boolean) => {
    const run = isNotebookCell(editor.document) ? followCell(editor, notebooks, selection) : followFile(editor, evaluations, selection, activated);
    void run.catch(ignoreCancelled).catch(() => undefined);
  };
  context.subscriptions.push(
    { dispose: () => clearTimeout(cursorTimer) },
    vscode.window.onDidChangeActiveTextEditor((editor) => {
      // another document (or notebook): show it; the one already shown keeps its selection (a restored panel's, say)
      if (editor && isPythonDocument(editor.document)) follow(editor, true);
    }),
    vscode.window.onDidChangeTextEditorSelection((e) => {
      // follow the user's cursor (keyboard, mouse), not the selection an editor restores when it opens:
      // after a window reload that would race the serializer and select another variable
      if (!isPythonDocument(e.textEditor.document) || e.kind === undefined) return;
      clearTimeout(cursorTimer);
      cursorTimer = setTimeout(() => follow(e.textEditor, false), 250);
    }),
    // a call chosen by the hover's links, the CodeLens or Preview with Arguments…: the inspector shows it
    selection.onDidChange((chosen) => {
      const panel = TensorInspectorPanel.currentPanel;
      if (chosen && panel?.shownState?.documentUri === chosen.uri) panel.showScope(callScopeId(chosen.function, chosen.call));
    }),
    // a call picked in the inspector: the hover and the CodeLens show it
    TensorInspectorPanel.onDidPickScope(({ documentUri, scope }) => {
      const call = parseCallScope(scope);
      if (call && selection.get(documentUri, call.function) !== call.call) selection.set(documentUri, call.function, call.call);
    }),
  );
}

/**
 * A Python file's editor: the document shown moves to the cursor's scope and
 * variable (unless its editor was just `activated`: what it shows stays);
 * another document is shown whole.
 */
async function followFile(editor: vscode.TextEditor, evaluations: DocumentEvaluations, selection: CallSelection, activated: boolean): Promise<void> {
  const doc = editor.document;
  const panel = TensorInspectorPanel.currentPanel;
  if (!panel?.canFollow(doc)) return;
  const uri = doc.uri.toString();
  const s = panel.shownState;
  if (s?.documentUri === uri && activated) return; // the document shown keeps its selection
  if (s && s.mode === 'cursor' && s.documentUri === uri) return; // an explicit preview at a line stays
  const evaluation = await evaluations.get(doc);
  if (!panel.canFollow(doc) || editor.document !== vscode.window.activeTextEditor?.document) return;
  const target = followTarget(evaluation.result, editor.selection.active.line + 1, lineTextOf(doc), (fn) => selection.get(uri, fn), MODULE_SCOPE);
  const now = panel.shownState;
  if (now?.documentUri === uri && now.mode === 'all') panel.showScope(target.scope, target.selected);
  else panel.update({ ...buildInspectorState(uri, doc.uri.fsPath, evaluation, 'all', target.selected), scope: target.scope });
}

/**
 * A notebook cell's editor (activated, or its cursor moved): the inspector
 * shows the whole notebook (switching to it from another document), on that
 * cell's scope, or on the chosen call of the function the cursor is in, with
 * the variable at the cursor.
 */
async function followCell(editor: vscode.TextEditor, notebooks: NotebookEvaluations, selection: CallSelection): Promise<void> {
  const panel = TensorInspectorPanel.currentPanel;
  const found = notebookOfCell(editor.document);
  if (!panel?.canFollow(editor.document) || !found) return;
  const uri = found.notebook.uri.toString();
  const value = await notebooks.get(found.notebook);
  if (!panel.canFollow(editor.document) || editor.document !== vscode.window.activeTextEditor?.document) return;
  const index = found.cell.index;
  const target = cellFollowTarget(value.evaluation.result, value.layout, index, editor.selection.active.line + 1, lineTextOf(editor.document), (fn) => selection.get(uri, fn));
  // the notebook shown, evaluated as it is now: only the scope moves; edited since (or another document): the whole state
  const shown = panel.shownState;
  if (shown?.documentUri === uri && shown.evaluation === value.evaluation.id) panel.showScope(target.scope, target.selected);
  else panel.update({ ...notebookInspectorState(found.notebook, value, index), scope: target.scope, ...(target.selected ? { selected: target.selected } : {}) });
}

export function lineTextOf(doc: vscode.TextDocument): (n: number) => string {
  return (n) => (n >= 1 && n <= doc.lineCount ? doc.lineAt(n - 1).text : '');
}
