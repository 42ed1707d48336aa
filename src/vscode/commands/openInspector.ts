// "Mask Lens: Open Tensor Inspector": open (or reveal) the panel, showing the
// current Python file's whole-file evaluation when there is one.
import * as vscode from 'vscode';
import { TensorInspectorPanel } from '../inspectorPanel';
import { buildInspectorState } from '../inspectorState';
import type { MaskLensServices } from '../services';

export const OPEN_INSPECTOR_COMMAND = 'maskLens.openInspector';

export async function openInspector(services: MaskLensServices): Promise<void> {
  const panel = TensorInspectorPanel.createOrReveal(services.extensionUri, services.evaluations);
  if (panel.shownState) return;
  const doc = services.pythonEditors.current()?.document;
  if (!doc) {
    panel.showEmpty('Open a Python file and run "Mask Lens: Preview Masks".');
    return;
  }
  const evaluation = await services.evaluations.latest(doc).catch(() => undefined);
  if (evaluation) panel.update(buildInspectorState(doc.uri.toString(), doc.uri.fsPath, evaluation, 'all'));
}

export function registerOpenInspector(context: vscode.ExtensionContext, services: MaskLensServices): void {
  context.subscriptions.push(vscode.commands.registerCommand(OPEN_INSPECTOR_COMMAND, () => openInspector(services)));
}
