// Extension entry: registers the commands, the hover provider, diagnostics
// and settings handling; the work lives in src/vscode/.
import * as vscode from 'vscode';
import { registerBackendSettings } from './vscode/backendSettings';
import { registerOpenInspector } from './vscode/commands/openInspector';
import { registerPreviewMaskAtCursor } from './vscode/commands/previewMaskAtCursor';
import { registerPreviewMasks } from './vscode/commands/previewMasks';
import { MaskLensDiagnostics } from './vscode/diagnostics';
import { DocumentEvaluations } from './vscode/documentEvaluations';
import { registerHoverProvider } from './vscode/hoverProvider';
import { registerShapeInlayHints } from './vscode/inlayHints';
import { registerInspectorSerializer } from './vscode/inspectorPanel';
import { PythonEditorTracker, type MaskLensServices } from './vscode/services';

export function activate(context: vscode.ExtensionContext): void {
  const evaluations = new DocumentEvaluations();
  const services: MaskLensServices = {
    extensionUri: context.extensionUri,
    evaluations,
    diagnostics: new MaskLensDiagnostics(evaluations),
    pythonEditors: new PythonEditorTracker(),
  };
  context.subscriptions.push(evaluations, services.diagnostics, services.pythonEditors);
  registerBackendSettings(context);
  registerHoverProvider(context, evaluations);
  registerPreviewMasks(context, services);
  registerPreviewMaskAtCursor(context, services);
  registerOpenInspector(context, services);
  registerInspectorSerializer(context, services.extensionUri, evaluations);
  registerShapeInlayHints(context, evaluations);
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
