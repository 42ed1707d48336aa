// Restores the Tensor Inspector after a window reload. VS Code activates the
// extension for it through onWebviewPanel:maskLens.inspector and hands over
// the webview's persisted state (webview/main.ts saves documentUri and the
// selected variable there); the host's workspaceState copy covers a reload
// too fast for the webview to save it.
import * as vscode from 'vscode';
import { SAVED_KEY, TensorInspectorPanel, type SavedWebviewState } from './inspectorPanel';
import { buildInspectorState } from './inspectorState';
import type { MaskLensServices } from './services';

export function registerInspectorSerializer(context: vscode.ExtensionContext, services: MaskLensServices): void {
  context.subscriptions.push(vscode.window.registerWebviewPanelSerializer(TensorInspectorPanel.viewType, inspectorSerializer(context, services)));
}

/** The serializer that revives the inspector (the desktop entry registers it at activation and delegates here). */
export function inspectorSerializer(context: vscode.ExtensionContext, services: MaskLensServices): vscode.WebviewPanelSerializer {
  TensorInspectorPanel.memento = context.workspaceState;
  return {
    async deserializeWebviewPanel(panel: vscode.WebviewPanel, saved: unknown): Promise<void> {
      const inspector = TensorInspectorPanel.revive(panel, services.extensionUri, services.evaluations);
      const s = newerSaved((typeof saved === 'object' && saved !== null ? saved : {}) as SavedWebviewState, context.workspaceState.get<SavedWebviewState>(SAVED_KEY));
      if (typeof s.documentUri !== 'string') {
        inspector.restored();
        return;
      }
      try {
        const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(s.documentUri));
        const evaluation = await services.evaluations.latest(doc);
        inspector.update(buildInspectorState(doc.uri.toString(), doc.uri.fsPath, evaluation, 'all', typeof s.selected === 'string' ? s.selected : undefined));
      } catch {
        inspector.showEmpty('The file this inspector showed is gone. Open a Python file and run "Mask Lens: Preview Masks".');
      }
    },
  };
}

/**
 * What to restore: the webview's own state when it is complete and at least
 * as new as the host's copy (`savedAt`), else the host's copy filled in by the
 * webview's. A stale webview state (written with the editor layout before the
 * last pick) would otherwise win after a quick reload.
 */
export function newerSaved(fromWebview: SavedWebviewState, fromHost: SavedWebviewState | undefined): SavedWebviewState {
  const complete = typeof fromWebview.documentUri === 'string' && typeof fromWebview.selected === 'string';
  if (complete && (!fromHost || (fromWebview.savedAt ?? 0) >= (fromHost.savedAt ?? 0))) return fromWebview;
  return { ...fromWebview, ...fromHost };
}
