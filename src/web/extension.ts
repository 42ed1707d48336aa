// Extension entry on the web (package.json "browser": vscode.dev, github.dev):
// the evaluation worker is a Web Worker started from the bundled source of
// src/service/webWorkerMain.ts (scripts/build.mjs inlines it), so nothing
// has to be fetched from the extension's location, whatever its scheme.
// No node: imports here or below.
import type * as vscode from 'vscode';
import workerSource from 'masklens:web-worker-source';
import { webWorker } from '../service/webWorker';
import { activateMaskLens } from '../vscode/activate';

export function activate(context: vscode.ExtensionContext): void {
  const url = URL.createObjectURL(new Blob([workerSource], { type: 'text/javascript' }));
  activateMaskLens(context, webWorker(url));
  context.subscriptions.push({ dispose: () => URL.revokeObjectURL(url) });
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
