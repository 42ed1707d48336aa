// The desktop extension's body (dist/host.js), loaded by src/extension.ts on
// first use: every evaluation runs in a Node worker thread, dist/worker.js
// (src/service/); src/vscode/activate.ts registers the providers and commands.
import type * as vscode from 'vscode';
import { nodeWorker } from './service/nodeWorker';
import { activateMaskLens, type EntryRegistrations } from './vscode/activate';
import { monitorHostBlocks } from './vscode/hostBlock';

/** Start Mask Lens in this extension host; `entry` holds what activation already registered. */
export function start(context: vscode.ExtensionContext, entry: EntryRegistrations): void {
  activateMaskLens(context, nodeWorker(context.asAbsolutePath('dist/worker.js')), entry);
  context.subscriptions.push(monitorHostBlocks(process.env.MASKLENS_HOST_STATS));
}
