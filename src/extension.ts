// Extension entry (desktop, package.json "main"): every evaluation runs in a
// Node worker thread, dist/worker.js (src/service/); src/vscode/activate.ts
// registers the rest. The web entry is src/web/extension.ts.
import type * as vscode from 'vscode';
import { nodeWorker } from './service/nodeWorker';
import { activateMaskLens } from './vscode/activate';
import { monitorHostBlocks } from './vscode/hostBlock';

export function activate(context: vscode.ExtensionContext): void {
  activateMaskLens(context, nodeWorker(context.asAbsolutePath('dist/worker.js')));
  context.subscriptions.push(monitorHostBlocks(process.env.MASKLENS_HOST_STATS));
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
