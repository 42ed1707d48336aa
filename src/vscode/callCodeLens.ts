// CodeLenses over each `def`: the chosen call with stepping ("call 2 of 3 ·
// from line 22 ‹ ›"), or, for a function the file never calls, "Preview with
// Arguments…", which asks for argument expressions (prefilled from the file's
// evidence, remembered per function in workspace state), evaluates the call
// so its locals hover like any other call's, and opens the inspector on it.
import * as vscode from 'vscode';
import { importsTensorLibrary, lensRow, previewOutcome } from './callLookup';
import { TensorInspectorPanel } from './inspectorPanel';
import { callScopeId } from './inspectorScopes';
import { buildInspectorState } from './inspectorState';
import { prefillArguments } from './prefill';
import { SELECT_CALL_COMMAND, type CallSelection } from './callHover';
import { isPythonDocument, type DocumentEvaluations } from './documentEvaluations';
import { defLines, type DefLine } from '../python/outline';
import type { FunctionInfo, RunResult } from '../python/result';

/**
 * Where a file's own editor shows lenses: disk, untitled, a remote or web
 * workspace (code-server, github.dev's vscode-vfs). Not notebook cells, nor
 * git's and diff views' copies of a file.
 */
const LENS_SCHEMES = new Set(['file', 'untitled', 'vscode-remote', 'vscode-vfs']);

export const PREVIEW_WITH_ARGUMENTS_COMMAND = 'maskLens.previewWithArguments';

function stateKey(uri: string, fn: string): string {
  return `maskLens.previewArguments:${uri}#${fn}`;
}

/** A `def`'s lens placed from the parse alone: its title comes in resolveCodeLens, once the file is evaluated. */
class DefCodeLens extends vscode.CodeLens {
  constructor(range: vscode.Range, readonly doc: vscode.TextDocument, readonly fn: string) {
    super(range);
  }
}

/**
 * The lenses over each `def`. Until the document's current version is
 * evaluated they come from a parse-only pass (one per `def`, on its line) and
 * resolveCodeLens fills their titles when the evaluation is done: the lens
 * rows exist from the start, so the text does not move under the mouse when
 * the evaluation finishes (its lenses are on the same lines).
 */
export class CallCodeLensProvider implements vscode.CodeLensProvider {
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.emitter.event;
  /** The last parse-only pass of each open document: parsed once per version. */
  private readonly parsed = new WeakMap<vscode.TextDocument, { version: number; defs: DefLine[] }>();

  constructor(private readonly evaluations: DocumentEvaluations, private readonly selection: CallSelection) {
    evaluations.onDidEvaluate(() => this.emitter.fire());
    selection.onDidChange(() => this.emitter.fire());
  }

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    if (!LENS_SCHEMES.has(doc.uri.scheme) || !importsTensorLibrary(doc.getText())) return [];
    const evaluation = this.evaluations.peek(doc);
    if (!evaluation) {
      this.evaluations.warm(doc);
      return this.defsOf(doc).map((d) => new DefCodeLens(new vscode.Range(d.line - 1, 0, d.line - 1, 0), doc, d.function));
    }
    const { result } = evaluation;
    const uri = doc.uri.toString();
    return (result.functions ?? []).flatMap((f) => {
      const range = new vscode.Range(f.line - 1, 0, f.line - 1, 0);
      return this.commandsFor(result, uri, f).map((c) => new vscode.CodeLens(range, c));
    });
  }

  async resolveCodeLens(lens: vscode.CodeLens, token: vscode.CancellationToken): Promise<vscode.CodeLens> {
    if (!(lens instanceof DefCodeLens) || lens.command) return lens;
    const uri = lens.doc.uri.toString();
    const evaluation = await this.evaluations.latest(lens.doc).catch(() => undefined);
    const f = evaluation?.result.functions?.find((x) => x.function === lens.fn);
    // the file changed under the pending lens (or failed to evaluate): a neutral title until the next pass
    lens.command = f && !token.isCancellationRequested ? this.commandsFor(evaluation!.result, uri, f)[0] : { title: 'Mask Lens', command: '' };
    return lens;
  }

  /** The `def` lines of the document's current version, parsed (not evaluated). */
  private defsOf(doc: vscode.TextDocument): DefLine[] {
    const hit = this.parsed.get(doc);
    if (hit && hit.version === doc.version) return hit.defs;
    let defs: DefLine[];
    try {
      defs = defLines(doc.getText());
    } catch {
      defs = []; // a parse the evaluation will report; no lenses until then
    }
    this.parsed.set(doc, { version: doc.version, defs });
    return defs;
  }

  /** The commands of a function's lenses (lensRow): its chosen call with ‹ › stepping, or Preview with Arguments…. */
  private commandsFor(result: RunResult, uri: string, f: FunctionInfo): vscode.Command[] {
    return lensRow(result, f, this.selection.get(uri, f.function)).map(({ title, action }) => {
      if (!action) return { title, command: '' };
      if (action.kind === 'selectCall') return { title, command: SELECT_CALL_COMMAND, arguments: [{ uri, function: f.function, call: action.call }] };
      return { title, command: PREVIEW_WITH_ARGUMENTS_COMMAND, arguments: [uri, f.function] };
    });
  }
}

/**
 * Ask for argument expressions (prefilled from what this function was last
 * given, else from the file's evidence: prefill.ts) and evaluate `fn(args)`
 * after the file runs. The new call becomes the chosen one and the inspector
 * opens on it; whatever went wrong (the call raised, the arguments did not
 * evaluate) is an error message offering Change Arguments…. `uri` and `fn`
 * come from the CodeLens; from the palette, the function around the cursor
 * is used.
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
    value: context.workspaceState.get<string>(key) ?? prefillArguments(info, doc.getText(), result),
    ignoreFocusOut: true,
  });
  if (args === undefined) return;
  await context.workspaceState.update(key, args);
  const previous = evaluations.previewCallOf(doc);
  const evaluation = await evaluations.setPreviewCall(doc, { function: info.function, args });
  const { call, error } = previewOutcome(evaluation.result, info, args, result);
  // arguments that did not evaluate (a NameError, a syntax error): later evaluations (an edit) run the
  // file as before, so their error leaves Problems then instead of coming back with every edit
  if (!call) evaluations.restorePreviewCall(doc, previous);
  if (call) {
    // the preview: the inspector on the call's scope (its locals, what it returned, the errors), beside the editor
    const uri = doc.uri.toString();
    const panel = TensorInspectorPanel.createOrReveal(context.extensionUri, evaluations);
    panel.update({ ...buildInspectorState(uri, doc.uri.fsPath, evaluation, 'all'), scope: callScopeId(call.function, call.call) });
    selection.set(uri, info.function, call.call);
  }
  if (error) {
    // not awaited: the message stays until dismissed; "Change Arguments…" asks again
    void vscode.window.showErrorMessage(`Mask Lens: ${error}`, CHANGE_ARGUMENTS).then((pick) => {
      if (pick === CHANGE_ARGUMENTS) void previewWithArguments(context, evaluations, selection, doc.uri.toString(), info.function);
    });
  } else {
    void vscode.window.setStatusBarMessage(`Mask Lens: ${info.function}(${args}) evaluated; hover its locals`, 5000);
  }
}

const CHANGE_ARGUMENTS = 'Change Arguments…';

export function registerCallCodeLens(
  context: vscode.ExtensionContext, evaluations: DocumentEvaluations, selection: CallSelection,
): void {
  context.subscriptions.push(
    vscode.languages.registerCodeLensProvider({ language: 'python' }, new CallCodeLensProvider(evaluations, selection)),
    vscode.commands.registerCommand(PREVIEW_WITH_ARGUMENTS_COMMAND, (uri?: unknown, fn?: unknown) =>
      previewWithArguments(context, evaluations, selection, uri, fn)),
  );
}
