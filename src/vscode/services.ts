// What the commands and providers share, created once in activate().
import * as vscode from 'vscode';
import type { DocumentEvaluations } from './documentEvaluations';
import type { MaskLensDiagnostics } from './diagnostics';
import type { NotebookEvaluations } from './notebook';
import type { CallSelection } from './callHover';

export interface MaskLensServices {
  extensionUri: vscode.Uri;
  evaluations: DocumentEvaluations;
  diagnostics: MaskLensDiagnostics;
  pythonEditors: PythonEditorTracker;
  /** Notebook cells are previewed as part of their notebook. */
  notebooks?: NotebookEvaluations;
  /** The call chosen per function (hover, CodeLens, inspector): a preview inside a function opens on it. */
  selection?: CallSelection;
}

/** Remembers the last focused Python editor, so commands run from the inspector still find it. */
export class PythonEditorTracker implements vscode.Disposable {
  private last: vscode.TextEditor | undefined;
  private readonly subscription: vscode.Disposable;

  constructor() {
    this.last = isPython(vscode.window.activeTextEditor) ? vscode.window.activeTextEditor : undefined;
    this.subscription = vscode.window.onDidChangeActiveTextEditor((e) => {
      if (isPython(e)) this.last = e;
    });
  }

  /** The active Python editor, else the last one that is still open. */
  current(): vscode.TextEditor | undefined {
    const active = vscode.window.activeTextEditor;
    if (isPython(active)) return active;
    if (this.last && !this.last.document.isClosed) {
      return vscode.window.visibleTextEditors.find((e) => e.document === this.last?.document) ?? this.last;
    }
    return undefined;
  }

  dispose(): void {
    this.subscription.dispose();
  }
}

function isPython(e: vscode.TextEditor | undefined): e is vscode.TextEditor {
  return e !== undefined && e.document.languageId === 'python';
}

/** The document a command should act on: an explicit URI argument, else the current Python editor's. */
export async function targetDocument(services: MaskLensServices, uri: unknown): Promise<vscode.TextDocument | undefined> {
  if (uri instanceof vscode.Uri) return vscode.workspace.openTextDocument(uri);
  return services.pythonEditors.current()?.document;
}
