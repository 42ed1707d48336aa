// Applies maskLens.backend / maskLens.gpu.threshold at start and on change.
import * as vscode from 'vscode';
import { applyBackendPreference } from './backendPreference';
import { readSettings } from './settings';

export function registerBackendSettings(context: vscode.ExtensionContext): void {
  const apply = () => {
    const s = readSettings();
    applyBackendPreference(s.backend, s.gpuThreshold);
  };
  apply();
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('maskLens.backend') || e.affectsConfiguration('maskLens.gpu.threshold')) apply();
    }),
  );
}
