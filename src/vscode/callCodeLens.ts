// CodeLenses over each `def`: the chosen call with stepping ("call 2 of 3 ·
// from line 22 ‹ ›"), or, for a function the file never calls, "Preview with
// Arguments…", which asks for argument expressions (prefilled from defaults
// and type hints, remembered per function in workspace state) and evaluates
// the call so its locals hover like any other call's.
import * as vscode from 'vscode';
import { callLabel, chooseCall, neighbours, prefillArguments } from './callLookup';
import { SELECT_CALL_COMMAND, type CallSelection } from './callHover';
import { isPythonDocument, type DocumentEvaluations } from './documentEvaluations';

export const PREVIEW_WITH_ARGUMENTS_COMMAND = 'maskLens.previewWithArguments';

function stateKey(uri: string, fn: string): string {
  return `maskLens.previewArguments:${uri}#${fn}`;
}

export class CallCodeLensProvider implements vscode.CodeLensProvider {
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.emitter.event;

  constructor(private readonly evaluations: DocumentEvaluations, private readonly selection: CallSelection) {
    evaluations.onDidEvaluate(() => this.emitter.fire());
    selection.onDidChange(() => this.emitter.fire());
  }

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    if (doc.uri.scheme !== 'file' && doc.uri.scheme !== 'untitled') return [];
    const evaluation = this.evaluations.peek(doc);
    if (!evaluation) {
      this.evaluations.warm(doc);
      return [];
    }
    const { result } = evaluation;
    const uri = doc.uri.toString();
    const lenses: vscode.CodeLens[] = [];
    for (const f of result.functions ?? []) {
      const range = new vscode.Range(f.line - 1, 0, f.line - 1, 0);
      const call = chooseCall(result, f.function, this.selection.get(uri, f.function));
      if (!call) {
        lenses.push(new vscode.CodeLens(range, { title: 'Preview with Arguments…', command: PREVIEW_WITH_ARGUMENTS_COMMAND, arguments: [uri, f.function] }));
        continue;
      }
      lenses.push(new vscode.CodeLens(range, { title: `Mask Lens: ${callLabel(call, f.calls)}`, command: '' }));
      const { previous, next } = neighbours(result, call);
      if (previous) lenses.push(new vscode.CodeLens(range, { title: '‹ previous call', command: SELECT_CALL_COMMAND, arguments: [{ uri, function: f.function, call: previous.call }] }));
      if (next) lenses.push(new vscode.CodeLens(range, { title: 'next call ›', command: SELECT_CALL_COMMAND, arguments: [{ uri, function: f.function, call: next.call }] }));
      if (f.calls === 0 || call.calledFrom === 0) {
        lenses.push(new vscode.CodeLens(range, { title: 'Preview with Arguments…', command: PREVIEW_WITH_ARGUMENTS_COMMAND, arguments: [uri, f.function] }));
      }
    }
    return lenses;
  }
}

/**
 * Ask for argument expressions (prefilled from what this function was last
 * given, else from its defaults and type hints) and evaluate `fn(args)` after
 * the file runs; the new call becomes the chosen one. `uri` and `fn` come from
 * the CodeLens; from the palette, the function around the cursor is used.
 */
export async function previewWithArguments(
  context: vscode.ExtensionContext, evaluations: DocumentEvaluations, selection: CallSelection, uri: unknown, fn: unknown,
): Promise<void> {
  const editorDoc = vscode.window.activeTextEditor?.document;
  const doc = typeof uri === 'string' ? await vscode.workspace.openTextDocument(vscode.Uri.parse(uri)) : editorDoc;
  if (!doc || !isPythonDocument(doc)) return;
  const result = (await evaluations.latest(doc)).result;
  const info = (result.functions ?? []).find((f) => f.function === fn)
    ?? (typeof fn !== 'string' ? (result.functions ?? []).find((f) => f.line <= (vscode.window.activeTextEditor?.selection.active.line ?? -1) + 1 && (vscode.window.activeTextEditor?.selection.active.line ?? -1) + 1 <= f.endLine) : undefined);
  if (!info) {
    void vscode.window.showWarningMessage('Mask Lens: put the cursor in a function to preview it with arguments.');
    return;
  }
  const key = stateKey(doc.uri.toString(), info.function);
  const args = await vscode.window.showInputBox({
    title: `Preview ${info.function} with arguments`,
    prompt: `${info.function}(${info.params.join(', ')})`,
    value: context.workspaceState.get<string>(key) ?? prefillArguments(info),
    ignoreFocusOut: true,
  });
  if (args === undefined) return;
  await context.workspaceState.update(key, args);
  const after = (await evaluations.setPreviewCall(doc, { function: info.function, args })).result;
  const call = (after.calls ?? []).find((c) => c.function === info.function && c.calledFrom === 0);
  if (call) selection.set(doc.uri.toString(), info.function, call.call);
  const error = after.errors.find((e) => e.line >= info.line && e.line <= info.endLine);
  if (call?.error ?? error) {
    const e = call?.error ?? error!;
    void vscode.window.showWarningMessage(`Mask Lens: ${info.function}(${args}) raised ${e.type}: ${e.message} (line ${e.line})`);
  } else if (call) {
    void vscode.window.setStatusBarMessage(`Mask Lens: ${info.function}(${args}) evaluated; hover its locals`, 5000);
  }
}

export function registerCallCodeLens(
  context: vscode.ExtensionContext, evaluations: DocumentEvaluations, selection: CallSelection,
): void {
  context.subscriptions.push(
    vscode.languages.registerCodeLensProvider({ language: 'python' }, new CallCodeLensProvider(evaluations, selection)),
    vscode.commands.registerCommand(PREVIEW_WITH_ARGUMENTS_COMMAND, (uri?: unknown, fn?: unknown) =>
      previewWithArguments(context, evaluations, selection, uri, fn)),
  );
}
