// Extension entry (desktop, package.json "main"), kept to registration so
// activation stays cheap (issue #13): the contributed commands and the
// inspector's serializer, whose implementations live in dist/host.js
// (src/host.ts). That bundle loads on first use: a command, a restored
// inspector, or, shortly after activation, the evaluation of the Python file
// that activated the extension (the same debounce as an edit's). The web
// entry is src/web/extension.ts.
import * as vscode from 'vscode';
import type * as Host from './host';

/** As documentEvaluations.ts debounces an edit's re-evaluation. */
const LOAD_DELAY_MS = 300;
const INSPECTOR_VIEW_TYPE = 'maskLens.inspector';

export function activate(context: vscode.ExtensionContext): void {
  let serializer: vscode.WebviewPanelSerializer | undefined;
  let loaded = false;
  const stubs: vscode.Disposable[] = [];
  const load = () => {
    if (loaded) return;
    loaded = true;
    clearTimeout(timer);
    // the host registers the real commands under the same ids
    for (const s of stubs) s.dispose();
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a separate bundle, loaded on first use
    const host = require('masklens:host') as typeof Host;
    host.start(context, { serializer: (s) => (serializer = s) });
  };
  // every command package.json contributes: VS Code may invoke one as soon as activation ends
  const contributed = (context.extension.packageJSON.contributes?.commands ?? []) as { command: string }[];
  for (const { command } of contributed) {
    stubs.push(vscode.commands.registerCommand(command, (...args: unknown[]) => {
      load();
      return vscode.commands.executeCommand(command, ...args);
    }));
  }
  // VS Code restores a panel only through a serializer registered during activation
  context.subscriptions.push(
    vscode.window.registerWebviewPanelSerializer(INSPECTOR_VIEW_TYPE, {
      deserializeWebviewPanel(panel, state) {
        load();
        return serializer?.deserializeWebviewPanel(panel, state) ?? Promise.resolve();
      },
    }),
    { dispose: () => stubs.forEach((s) => s.dispose()) },
  );
  const timer = setTimeout(load, LOAD_DELAY_MS);
  context.subscriptions.push({ dispose: () => clearTimeout(timer) });
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
