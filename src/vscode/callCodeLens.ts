// CodeLenses over each `def`: the chosen call with stepping ("call 2 of 3 ·
// from line 22 ‹ ›"), or, for a function the file never calls, "Preview with
// Arguments…", which asks for argument expressions (prefilled from the file's
// evidence, remembered per function in workspace state), evaluates the call
// so its locals hover like any other call's, and opens the inspector on it.
import * as vscode from 'vscode';
import { functionToPreview, hasLens, importsTensorLibrary, lensRow, previewOutcome } from './callLookup';
import { TensorInspectorPanel } from './inspectorPanel';
import { callScopeId } from './inspectorScopes';
import { buildInspectorState } from './inspectorState';
import { prefillArguments } from './prefill';
import { SELECT_CALL_COMMAND, type CallSelection } from './callHover';
import { isPythonDocument, type DocumentEvaluations, type Evaluation } from './documentEvaluations';
import { isNotebookCell, notebookInspectorState, notebookOfCell, type NotebookEvaluation, type NotebookEvaluations } from './notebook';
import type { InspectorState } from './protocol';
import { sourceLine, type CellLayout } from '../python/notebook';
import { defLines, type DefLine } from '../python/outline';
import type { FunctionInfo, RunOptions, RunResult } from '../python/result';

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
      return this.defsOf(doc).filter(hasLens).map((d) => new DefCodeLens(new vscode.Range(d.line - 1, 0, d.line - 1, 0), doc, d.function));
    }
    const { result } = evaluation;
    const uri = doc.uri.toString();
    return (result.functions ?? []).filter(hasLens).flatMap((f) => {
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
 * Where Preview with Arguments… evaluates: a file alone (DocumentEvaluations),
 * or a notebook with every code cell before the call (NotebookEvaluations: a
 * cell run alone would not see cell 1's `import torch`). `key` names the
 * evaluation (the file's or the notebook's uri, as the hover's call
 * selection does); `cursorLine` is the editor's cursor as a line of the
 * evaluated source.
 */
interface PreviewSite {
  key: string;
  source: string;
  cursorLine: number | undefined;
  latest(): Promise<Evaluation>;
  previous(): RunOptions['previewCall'];
  evaluateWith(call: NonNullable<RunOptions['previewCall']>): Promise<Evaluation>;
  restore(call: RunOptions['previewCall']): void;
  /** The inspector's state on the call's scope. */
  state(evaluation: Evaluation, scope: string): InspectorState;
}

/** The notebook `uri` names (the hover link's notebook, or a cell's), else the one of the active cell editor. */
function notebookSite(notebooks: NotebookEvaluations, uri: unknown, editor: vscode.TextEditor | undefined): PreviewSite | undefined {
  const activeCell = editor && isNotebookCell(editor.document) ? notebookOfCell(editor.document) : undefined;
  let notebook: vscode.NotebookDocument | undefined;
  if (typeof uri === 'string') {
    notebook = vscode.workspace.notebookDocuments.find((n) => n.uri.toString() === uri)
      ?? vscode.workspace.notebookDocuments.find((n) => n.getCells().some((c) => c.document.uri.toString() === uri));
  } else notebook = activeCell?.notebook;
  if (!notebook) return undefined;
  const nb = notebook;
  const cell = activeCell?.notebook === nb ? activeCell.cell : undefined;
  let layout: CellLayout | undefined;
  const keep = (value: NotebookEvaluation) => {
    layout = value.layout;
    return value.evaluation;
  };
  return {
    key: nb.uri.toString(),
    get source() { return layout?.source ?? ''; },
    get cursorLine() { return cell && layout && editor ? sourceLine(layout, cell.index, editor.selection.active.line + 1) : undefined; },
    latest: async () => keep(await notebooks.get(nb)),
    previous: () => notebooks.previewCallOf(nb),
    evaluateWith: async (call) => keep(await notebooks.setPreviewCall(nb, call)),
    restore: (call) => notebooks.restorePreviewCall(nb, call),
    state: (evaluation, scope) => ({ ...notebookInspectorState(nb, { layout: layout!, evaluation }, cell?.index), scope }),
  };
}

/** A Python file (the CodeLens's `uri`, else the active editor's). */
async function fileSite(evaluations: DocumentEvaluations, uri: unknown, editor: vscode.TextEditor | undefined): Promise<PreviewSite | undefined> {
  const doc = typeof uri === 'string' ? await vscode.workspace.openTextDocument(vscode.Uri.parse(uri)) : editor?.document;
  if (!doc || !isPythonDocument(doc)) return undefined;
  const key = doc.uri.toString();
  return {
    key,
    source: doc.getText(),
    cursorLine: editor?.document === doc ? editor.selection.active.line + 1 : undefined,
    latest: () => evaluations.latest(doc),
    previous: () => evaluations.previewCallOf(doc),
    evaluateWith: (call) => evaluations.setPreviewCall(doc, call),
    restore: (call) => evaluations.restorePreviewCall(doc, call),
    state: (evaluation, scope) => ({ ...buildInspectorState(key, doc.uri.fsPath, evaluation, 'all'), scope }),
  };
}

/**
 * Ask for argument expressions (prefilled from what this function was last
 * given, else from the file's evidence: prefill.ts) and evaluate `fn(args)`
 * after the file runs (in a notebook, after its code cells run). The new
 * call becomes the chosen one and the inspector opens on it; whatever went
 * wrong (the call raised, the arguments did not evaluate) is an error
 * message offering Change Arguments…. `uri` and `fn` come from the CodeLens
 * or the hover's link (a notebook's uri in a cell); from the palette, the
 * function around the cursor is used.
 */
export async function previewWithArguments(
  context: vscode.ExtensionContext, evaluations: DocumentEvaluations, selection: CallSelection, uri: unknown, fn: unknown, notebooks?: NotebookEvaluations,
): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  const site = (notebooks && notebookSite(notebooks, uri, editor)) ?? (await fileSite(evaluations, uri, editor));
  if (!site) return;
  const result = (await site.latest()).result;
  const info = functionToPreview(result, fn, site.cursorLine);
  if (!info) {
    void vscode.window.showWarningMessage('Mask Lens: put the cursor in a function to preview it with arguments.');
    return;
  }
  const key = stateKey(site.key, info.function);
  const args = await vscode.window.showInputBox({
    title: `Preview ${info.function} with arguments`,
    prompt: `${info.function}(${info.params.join(', ')})`,
    value: context.workspaceState.get<string>(key) ?? prefillArguments(info, site.source, result),
    ignoreFocusOut: true,
  });
  if (args === undefined) return;
  await context.workspaceState.update(key, args);
  const previous = site.previous();
  const evaluation = await site.evaluateWith({ function: info.function, args });
  const { call, error } = previewOutcome(evaluation.result, info, args, result);
  // arguments that did not evaluate (a NameError, a syntax error): later evaluations (an edit) run the
  // file as before, so their error leaves Problems then instead of coming back with every edit
  if (!call) site.restore(previous);
  if (call) {
    // the preview: the inspector on the call's scope (its locals, what it returned, the errors), beside the editor
    const panel = TensorInspectorPanel.createOrReveal(context.extensionUri, evaluations);
    panel.update(site.state(evaluation, callScopeId(call.function, call.call)));
    selection.set(site.key, info.function, call.call);
  }
  if (error) {
    // not awaited: the message stays until dismissed; "Change Arguments…" asks again
    void vscode.window.showErrorMessage(`Mask Lens: ${error}`, CHANGE_ARGUMENTS).then((pick) => {
      if (pick === CHANGE_ARGUMENTS) void previewWithArguments(context, evaluations, selection, site.key, info.function, notebooks);
    });
  } else {
    void vscode.window.setStatusBarMessage(`Mask Lens: ${info.function}(${args}) evaluated; hover its locals`, 5000);
  }
}

const CHANGE_ARGUMENTS = 'Change Arguments…';

export function registerCallCodeLens(
  context: vscode.ExtensionContext, evaluations: DocumentEvaluations, selection: CallSelection, notebooks?: NotebookEvaluations,
): void {
  context.subscriptions.push(
    vscode.languages.registerCodeLensProvider({ language: 'python' }, new CallCodeLensProvider(evaluations, selection)),
    vscode.commands.registerCommand(PREVIEW_WITH_ARGUMENTS_COMMAND, (uri?: unknown, fn?: unknown) =>
      previewWithArguments(context, evaluations, selection, uri, fn, notebooks)),
  );
}
