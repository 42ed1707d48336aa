// Restores the Tensor Inspector after a window reload. VS Code activates the
// extension for it through onWebviewPanel:maskLens.inspector and hands over
// the webview's persisted state (webview/main.ts saves documentUri there).
import * as vscode from 'vscode';
import { TensorInspectorPanel } from './inspectorPanel';
import { buildInspectorState } from './inspectorState';
import type { MaskLensServices } from './services';

export function registerInspectorSerializer(context: vscode.ExtensionContext, services: MaskLensServices): void {
  context.subscriptions.push(
    vscode.window.registerWebviewPanelSerializer(TensorInspectorPanel.viewType, {
      async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
        const inspector = TensorInspectorPanel.revive(panel, services.extensionUri, services.evaluations);
        const documentUri = (state as { documentUri?: unknown } | undefined)?.documentUri;
        if (typeof documentUri !== 'string') return;
        try {
          const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(documentUri));
          inspector.update(buildInspectorState(doc.uri.toString(), doc.uri.fsPath, await services.evaluations.latest(doc), 'all'));
        } catch {
          // The file is gone (or was untitled): the restored panel stays empty.
        }
      },
    }),
  );
}
