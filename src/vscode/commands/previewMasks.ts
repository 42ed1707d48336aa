// "Mask Lens: Preview Masks": evaluate the whole Python file (continuing past
// errors, recording the timeline) and show every variable in the inspector.
import * as vscode from 'vscode';
import { TensorInspectorPanel } from '../inspectorPanel';
import { buildInspectorState } from '../inspectorState';
import { targetDocument, type MaskLensServices } from '../services';
import { reportEvaluation } from './report';

export const PREVIEW_MASKS_COMMAND = 'maskLens.previewMasks';

export async function previewMasks(services: MaskLensServices, uri?: unknown): Promise<void> {
  const doc = await targetDocument(services, uri);
  if (!doc) {
    void vscode.window.showWarningMessage('Mask Lens: open a Python file to preview its masks.');
    return;
  }
  const evaluation = await services.evaluations.latest(doc);
  services.diagnostics.publish(doc, evaluation.result);
  const panel = TensorInspectorPanel.createOrReveal(services.extensionUri, services.evaluations);
  const previous = panel.shownState;
  const keep = previous?.documentUri === doc.uri.toString() ? previous.selected : undefined;
  panel.update(buildInspectorState(doc.uri.toString(), doc.uri.fsPath, evaluation, 'all', keep));
  reportEvaluation(evaluation);
}

export function registerPreviewMasks(context: vscode.ExtensionContext, services: MaskLensServices): void {
  context.subscriptions.push(vscode.commands.registerCommand(PREVIEW_MASKS_COMMAND, (uri?: unknown) => previewMasks(services, uri)));
}
