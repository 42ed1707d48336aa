// The tensor inspector webview panel: one instance for the panel's life
// (create or reveal, update, dispose). Messages both ways are typed in protocol.ts.
import * as vscode from 'vscode';
import type { DocumentEvaluations } from './documentEvaluations';
import { buildInspectorState, withoutDisabledDiagnostics } from './inspectorState';
import { readSettings } from './settings';
import { isWebviewToHostMessage, type HostToWebviewMessage, type InspectorState, type WebviewToHostMessage } from './protocol';

export class TensorInspectorPanel implements vscode.Disposable {
  static readonly viewType = 'maskLens.inspector';
  private static current: TensorInspectorPanel | undefined;

  private readonly disposables: vscode.Disposable[] = [];
  private ready = false;
  private disposed = false;
  /** The last content message, re-sent whenever the webview (re)loads. */
  private lastContent: HostToWebviewMessage = { type: 'showEmpty', reason: 'Open a Python file and run "Mask Lens: Preview Masks".' };
  private state: InspectorState | undefined;

  static get currentPanel(): TensorInspectorPanel | undefined {
    return TensorInspectorPanel.current;
  }

  /** The existing panel, revealed without taking focus, or a new one beside the editor. */
  static createOrReveal(extensionUri: vscode.Uri, evaluations: DocumentEvaluations): TensorInspectorPanel {
    const existing = TensorInspectorPanel.current;
    if (existing) {
      existing.panel.reveal(undefined, true);
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(
      TensorInspectorPanel.viewType,
      'Tensor Inspector',
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      TensorInspectorPanel.webviewOptions(extensionUri),
    );
    TensorInspectorPanel.current = new TensorInspectorPanel(panel, extensionUri, evaluations);
    return TensorInspectorPanel.current;
  }

  /** Adopt a panel VS Code restored after a reload (see inspectorSerializer.ts); it replaces any current one. */
  static revive(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, evaluations: DocumentEvaluations): TensorInspectorPanel {
    TensorInspectorPanel.current?.dispose();
    panel.webview.options = TensorInspectorPanel.webviewOptions(extensionUri);
    TensorInspectorPanel.current = new TensorInspectorPanel(panel, extensionUri, evaluations);
    return TensorInspectorPanel.current;
  }

  private static webviewOptions(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    return {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')],
    };
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly extensionUri: vscode.Uri,
    evaluations: DocumentEvaluations,
  ) {
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'inspector-icon.svg');
    panel.webview.html = this.html();
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((m: unknown) => {
        if (isWebviewToHostMessage(m)) void this.handle(m);
      }),
      // Keep a whole-file view live while its document is edited.
      evaluations.onDidEvaluate(({ document, evaluation }) => {
        const s = this.state;
        if (!s || s.mode !== 'all' || s.documentUri !== document.uri.toString()) return;
        this.update(buildInspectorState(s.documentUri, document.uri.fsPath, evaluation, 'all'));
      }),
    );
  }

  /** The state shown now (undefined while empty). */
  get shownState(): InspectorState | undefined {
    return this.state;
  }

  update(full: InspectorState): void {
    const state = withoutDisabledDiagnostics(full, new Set(readSettings().disabledDiagnostics));
    this.state = state;
    this.panel.title = `Tensor Inspector: ${state.fileName}`;
    this.send({ type: 'showState', state });
  }

  showEmpty(reason: string): void {
    this.state = undefined;
    this.panel.title = 'Tensor Inspector';
    this.send({ type: 'showEmpty', reason });
  }

  reveal(): void {
    this.panel.reveal(undefined, true);
  }

  private send(message: HostToWebviewMessage): void {
    if (message.type !== 'selectVariable') this.lastContent = message;
    if (this.ready) void this.panel.webview.postMessage(message);
  }

  private async handle(message: WebviewToHostMessage): Promise<void> {
    switch (message.type) {
      case 'ready':
        this.ready = true;
        void this.panel.webview.postMessage(this.lastContent);
        return;
      case 'revealLine': {
        const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(message.documentUri));
        const line = Math.min(Math.max(message.line - 1, 0), Math.max(doc.lineCount - 1, 0));
        const editor = await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One, preserveFocus: false });
        const pos = new vscode.Position(line, doc.lineAt(line).firstNonWhitespaceCharacterIndex);
        editor.selection = new vscode.Selection(pos, pos);
        editor.revealRange(new vscode.Range(pos, pos), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
        return;
      }
      case 'variableSelected':
        if (this.state) this.state = { ...this.state, selected: message.name };
        return;
      case 'refresh': {
        const s = this.state;
        if (!s) return;
        const uri = vscode.Uri.parse(s.documentUri);
        if (s.mode === 'cursor' && s.stopAfterLine !== undefined) {
          await vscode.commands.executeCommand('maskLens.previewMaskAtCursor', uri, s.stopAfterLine);
        } else {
          await vscode.commands.executeCommand('maskLens.previewMasks', uri);
        }
        return;
      }
      default: {
        const unhandled: never = message;
        return unhandled;
      }
    }
  }

  private html(): string {
    const webview = this.panel.webview;
    const nonce = cspNonce();
    const script = webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview.js'));
    const style = webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'media', 'inspector.css'));
    const csp = [
      "default-src 'none'",
      `script-src 'nonce-${nonce}'`,
      // The nonce lets the toolkit's one feature-detection <style> through (it reads meta[property=csp-nonce]).
      `style-src ${webview.cspSource} 'nonce-${nonce}'`,
      `font-src ${webview.cspSource}`,
      `img-src ${webview.cspSource} data:`,
    ].join('; ');
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta property="csp-nonce" content="${nonce}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style}">
<title>Tensor Inspector</title>
</head>
<body>
<div id="mask-lens-root" data-ready="false"></div>
<script nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (TensorInspectorPanel.current === this) TensorInspectorPanel.current = undefined;
    this.ready = false;
    this.panel.dispose();
    while (this.disposables.length > 0) this.disposables.pop()?.dispose();
  }
}

/** 128 random bits, base64, from Web Crypto (in Node 20+ and in browsers alike). */
function cspNonce(): string {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes));
}
