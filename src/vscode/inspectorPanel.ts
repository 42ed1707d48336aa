// The tensor inspector webview panel: one instance for the panel's life
// (create or reveal, update, dispose). Messages both ways are typed in protocol.ts.
import * as vscode from 'vscode';
import type { DocumentEvaluations } from './documentEvaluations';
import { poolingOf, sliceTensor, toWire, type SliceRequest } from './tensorSlice';
import { maskedCells } from '../masks/consumers';
import { isTensor, toNumber } from './tensorView';

/** Largest side the worker sends for one view (the webview draws at most this many cells per side). */
const MAX_SIDE = 4096;
import { buildInspectorState, withoutDisabledDiagnostics } from './inspectorState';
import { readSettings } from './settings';
import { base64ToBytes, bytesToBase64 } from './base64';
import { MODULE_SCOPE, isWebviewToHostMessage, type ExportFormat, type HostToWebviewMessage, type WireOperands, type WireSlice, type InspectorState, type WebviewToHostMessage } from './protocol';

/** What the webview keeps with vscode.setState (see webview/main.ts): enough to show the same variable again. */
export interface SavedWebviewState {
  documentUri?: string;
  selected?: string;
  /**
   * Date.now() when it was written. The serializer takes the newer of the
   * webview's state and the host's copy: VS Code stores a webview's state with
   * the editor layout, which a reload soon after a change can miss, while the
   * host's workspaceState is flushed within moments.
   */
  savedAt?: number;
}

/** workspaceState key of the last shown document and variable: the fallback when the webview's own state did not survive a reload. */
export const SAVED_KEY = 'maskLens.inspector.shown';

/** Scopes the user picks in the webview, for whoever keeps the hover and CodeLens on the same call. */
const scopePicks = new vscode.EventEmitter<{ documentUri: string; scope: string }>();

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

  private static webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions & vscode.WebviewPanelOptions {
    return {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')],
    };
  }

  /** Take over a panel VS Code restored after a reload (WebviewPanelSerializer). */
  static revive(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, evaluations: DocumentEvaluations): TensorInspectorPanel {
    TensorInspectorPanel.current?.dispose();
    panel.webview.options = TensorInspectorPanel.webviewOptions(extensionUri);
    TensorInspectorPanel.current = new TensorInspectorPanel(panel, extensionUri, evaluations);
    TensorInspectorPanel.current.restoring = true;
    return TensorInspectorPanel.current;
  }

  /**
   * A revived panel waits for the serializer's state before following
   * editors: an editor restored meanwhile would otherwise replace it.
   */
  private restoring = false;

  /** The serializer had nothing to restore: follow editors from now on. */
  restored(): void {
    this.restoring = false;
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly extensionUri: vscode.Uri,
    private readonly evaluations: DocumentEvaluations,
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
        // the scope shown stays (the webview falls back to the module's when it is gone)
        this.update({ ...buildInspectorState(s.documentUri, document.uri.fsPath, evaluation, 'all', s.selected), ...(s.scope ? { scope: s.scope } : {}) });
      }),
      // maskLens.inspector.gpu and maskLens.gpu.threshold apply to the view shown now: the webview decides again (webview/gpuView.ts)
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (this.state && (e.affectsConfiguration('maskLens.inspector.gpu') || e.affectsConfiguration('maskLens.gpu.threshold'))) this.update(this.state);
      }),
      // following the active editor, notebook cell and cursor: inspectorFollow.ts
    );
  }

  /** Documents this panel opened with an export: following them would replace the view with the export. */
  private readonly exported = new WeakSet<vscode.TextDocument>();

  /** Whether the panel should follow the editor of `doc` now: shown, and not one of its own exports. */
  canFollow(doc: vscode.TextDocument): boolean {
    return !this.disposed && !this.restoring && this.panel.visible && !this.exported.has(doc);
  }

  /** Show another scope (MODULE_SCOPE, a call's, a cell's) and optionally a variable in it, without sending the whole state again. */
  showScope(scope: string, selected?: string): void {
    const s = this.state;
    if (!s || (s.scope === scope && (selected === undefined || s.selected === selected))) return;
    this.state = { ...s, scope, ...(selected !== undefined ? { selected } : {}) };
    this.remember();
    this.send({ type: 'showScope', scope, ...(selected !== undefined ? { selected } : {}) });
  }

  /** Fires when the user picks a scope in the webview (the call picker): the hover and CodeLens follow. */
  static readonly onDidPickScope = scopePicks.event;

  /** The state shown now (undefined while empty). */
  get shownState(): InspectorState | undefined {
    return this.state;
  }

  /** Where the panel also remembers what it shows, for the serializer (webview state can miss a fast reload). */
  static memento: vscode.Memento | undefined;

  private remember(): void {
    const s = this.state;
    if (s) void TensorInspectorPanel.memento?.update(SAVED_KEY, { documentUri: s.documentUri, selected: s.selected, savedAt: Date.now() } satisfies SavedWebviewState);
  }

  update(full: InspectorState): void {
    const state = withoutDisabledDiagnostics(full, new Set(readSettings().disabledDiagnostics));
    this.state = state;
    this.restoring = false;
    this.remember();
    this.panel.title = `Tensor Inspector: ${state.fileName}`;
    const settings = readSettings();
    this.send({ type: 'showState', state: { ...state, gpu: settings.inspectorGpu, gpuThreshold: settings.gpuThreshold } });
  }

  showEmpty(reason: string): void {
    this.state = undefined;
    this.restoring = false;
    this.panel.title = 'Tensor Inspector';
    this.send({ type: 'showEmpty', reason });
  }

  reveal(): void {
    this.panel.reveal(undefined, true);
  }

  private send(message: HostToWebviewMessage): void {
    if (message.type === 'showScope') {
      if (this.lastContent.type === 'showState') this.lastContent = { type: 'showState', state: { ...this.lastContent.state, scope: message.scope, ...(message.selected !== undefined ? { selected: message.selected } : {}) } };
    } else if (message.type !== 'selectVariable') this.lastContent = message;
    else if (this.lastContent.type === 'showState') this.lastContent = { type: 'showState', state: { ...this.lastContent.state, selected: message.name } };
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
        this.remember();
        return;
      case 'scopeSelected': {
        const s = this.state;
        if (!s) return;
        this.state = { ...s, scope: message.scope };
        if (this.lastContent.type === 'showState') this.lastContent = { type: 'showState', state: { ...this.lastContent.state, scope: message.scope } };
        scopePicks.fire({ documentUri: s.documentUri, scope: message.scope });
        return;
      }
      case 'export':
        await this.saveExport(message.format, message.fileName, message.content);
        return;
      case 'requestSlice': {
        const slice = await this.serveSlice(message.request).catch(() => null);
        void this.panel.webview.postMessage({ type: 'slice', id: message.id, slice } satisfies HostToWebviewMessage);
        return;
      }
      case 'requestOperands': {
        const operands = await this.serveOperands(message.variable, message.index).catch(() => null);
        void this.panel.webview.postMessage({ type: 'operands', id: message.id, operands } satisfies HostToWebviewMessage);
        return;
      }
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

  /**
   * A pooled 2-D view of a variable too large to travel in the state: the
   * worker pools the last two dims at the leading indices down to the size
   * the webview asked for (max / any per block, see SliceRequest.pool).
   */
  private async serveSlice(req: SliceRequest): Promise<WireSlice | null> {
    const s = this.state;
    // a scope's variable (a call's local, a cell's name) carries its own address in the worker
    const variables = req.scope && req.scope !== MODULE_SCOPE ? s?.scopes?.find((x) => x.id === req.scope)?.variables : s?.variables;
    const v = variables?.find((x) => x.name === req.variable);
    if (!s || !v || !isTensor(v.value)) return null;
    if (!('elided' in v.value && v.value.elided)) return toWire(sliceTensor(v.value, req, undefined, maskedCells(v)));
    const nd = v.value.shape.length;
    if (s.evaluation === undefined || nd < 1) return null;
    const slice = await this.evaluations.service.slice(
      { evaluation: s.evaluation, address: v.address ?? { kind: 'variable', name: v.name } },
      { leading: req.index.slice(0, Math.max(nd - 2, 0)), maxRows: Math.min(req.maxRows, MAX_SIDE), maxCols: Math.min(req.maxCols, MAX_SIDE), pool: true },
    );
    if (!slice) return null;
    const pooled = slice.rowStep > 1 || slice.colStep > 1;
    return toWire({
      rows: nd >= 2 ? v.value.shape[nd - 2] : 1, cols: v.value.shape[nd - 1], rowStep: slice.rowStep, colStep: slice.colStep,
      outRows: slice.rows, outCols: slice.cols, values: Float64Array.from(slice.data, toNumber), pooling: poolingOf(pooled, slice.dtype, slice.maskedCells),
      ...(slice.exact ? { exact: new Map(slice.exact) } : {}),
    });
  }

  /**
   * One view's operands of a large softmax a module variable holds, from the
   * worker, for the webview to recompute on the user's GPU (webview/gpu.ts):
   * about 5 bytes per cell of the view, never the whole tensor.
   */
  private async serveOperands(variable: string, index: number[]): Promise<WireOperands | null> {
    const s = this.state;
    const v = s?.variables.find((x) => x.name === variable);
    if (!s || !v || !isTensor(v.value) || s.evaluation === undefined) return null;
    const nd = v.value.shape.length;
    const o = await this.evaluations.service.operands({ evaluation: s.evaluation, address: v.address ?? { kind: 'variable', name: v.name } }, index.slice(0, Math.max(nd - 2, 0)));
    if (!o) return null;
    const bytes = (a: Float32Array | Float64Array | Uint8Array) => bytesToBase64(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
    return { rows: o.rows, cols: o.cols, scores: bytes(o.scores), ...(o.mask ? { mask: bytes(o.mask) } : {}), fill: o.fill, reference: bytes(o.reference) };
  }

  /**
   * Python literals and CSV open as untitled documents (copy, save or paste
   * them as you like); a PNG goes where the save dialog says.
   */
  private async saveExport(format: ExportFormat, fileName: string, content: string): Promise<void> {
    if (format !== 'png') {
      const doc = await vscode.workspace.openTextDocument({ language: format === 'python' ? 'python' : 'plaintext', content });
      this.exported.add(doc);
      await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One, preview: true });
      return;
    }
    const base = this.state ? vscode.Uri.joinPath(vscode.Uri.parse(this.state.documentUri), '..', fileName) : undefined;
    const target = await vscode.window.showSaveDialog({ defaultUri: base, filters: { 'PNG image': ['png'] } });
    if (!target) return;
    const data = base64ToBytes(content.replace(/^data:image\/png;base64,/, ''));
    await vscode.workspace.fs.writeFile(target, data);
    vscode.window.setStatusBarMessage(`Mask Lens: saved ${target.fsPath}`, 5000);
  }

  private html(): string {
    const webview = this.panel.webview;
    const nonce = cspNonce();
    const script = webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview.js'));
    const style = webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'media', 'inspector.css'));
    // gpu.js and its kernels, loaded by the page (with this nonce) only for a large softmax view
    const gpuScript = webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview-gpu.js'));
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
<div id="mask-lens-root" data-ready="false" data-gpu-script="${gpuScript}"></div>
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
  return bytesToBase64(bytes);
}
