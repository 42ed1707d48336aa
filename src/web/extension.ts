// Extension entry on the web (package.json "browser": vscode.dev, github.dev):
// the evaluation worker is a Web Worker running dist/worker.js, the same
// bundle the desktop host runs in a Node worker thread (it ships once).
// No node: imports here or below.
import * as vscode from 'vscode';
import { webWorker } from '../service/webWorker';
import { activateMaskLens } from '../vscode/activate';

/**
 * The worker bundle as a blob: URL, fetched once from the extension's own
 * location. `new Worker(uri)` is not enough: the web extension host refuses
 * workers from a remote extension's vscode-remote: location (code-server,
 * Codespaces), while its fetch translates file: and vscode-remote: URIs to
 * ones the browser can load (as it does to load this file), and https:
 * locations (vscode.dev's gallery) load as they are. A failed fetch is
 * forgotten, so the next worker start tries again.
 */
function workerScriptUrl(context: vscode.ExtensionContext): () => Promise<string> {
  const file = vscode.Uri.joinPath(context.extensionUri, 'dist', 'worker.js');
  let url: Promise<string> | undefined;
  context.subscriptions.push({ dispose: () => void url?.then((u) => URL.revokeObjectURL(u), () => undefined) });
  return () =>
    (url ??= fetch(file.toString())
      .then((r) => {
        if (!r.ok) throw new Error(`could not load ${file.toString()}: HTTP ${r.status}`);
        return r.text();
      })
      .then((source) => URL.createObjectURL(new Blob([source], { type: 'text/javascript' })))
      .catch((e: unknown) => {
        url = undefined;
        throw e;
      }));
}

export function activate(context: vscode.ExtensionContext): void {
  activateMaskLens(context, webWorker(workerScriptUrl(context)));
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
