// The tensor inspector's page: a variable picker, one figure of the chosen
// tensor (any two dims, steppers for the rest), the view its derivation calls
// for (masked softmax with row sums; scores → mask → probabilities; a loss's
// per-token contributions), its printed repr, stdout and errors. Components
// from @vscode-elements/elements; talks to the host only through protocol.ts.
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-collapsible/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-tab-header/index.js';
import '@vscode-elements/elements/dist/vscode-tab-panel/index.js';
import '@vscode-elements/elements/dist/vscode-tabs/index.js';
import { isHostToWebviewMessage, type WireOperands, type ExportFormat, type HostToWebviewMessage, type InspectorState, type InspectorVariable, type WebviewToHostMessage } from '../src/vscode/protocol';
import { consumerPhrase, maskedCells } from '../src/masks/consumers';
import { lineLabel } from '../src/python/notebook';
import { entriesText, maskKindLabel, type Derived, type EncodedValue, type MaskedBy } from '../src/python/result';
import { describeValue, finiteRange, formatShape, isBoolDtype, isMaskLike, isTensor, scalarText, shortDtype, toNumber, type TensorValue } from '../src/vscode/tensorView';
import { LocalSliceSource, cellFormatter, cellIndex, defaultDims, fillText, flatIndex, fromWire, rowSums, sliceTensor, type SliceSource, type TensorSlice } from '../src/vscode/tensorSlice';
import { csvOfView, pythonLiteral } from '../src/vscode/tensorExport';
import { layeredSlice, maskLayers, maskedBy, type LayerId } from '../src/vscode/maskLayers';
import { cellColor, colorBar, drawHeatmap, readPalette, rgb, type FigureMode, type FigureSpec } from './figure';
import { hasScope, renderScopePicker, resolveScope, scopeVariables } from './scopes';
import { documentNoun, errorBanner, lineCell, problemRows } from './problems';
import { fromWireOperands, loadGpuModule, overGpuThreshold, probabilitiesOnGpu, type ComputedBy, type GpuSize, type ViewOperands } from './gpuView';

// Record CSP violations where tests can read them: the page must work under its strict policy.
const cspViolations: { tag: string; directive: string }[] = [];
document.addEventListener('securitypolicyviolation', (e) => {
  const t = e.target;
  cspViolations.push({ tag: t instanceof Element ? t.tagName.toLowerCase() : String(t), directive: e.violatedDirective });
  document.body.dataset.cspViolations = JSON.stringify(cspViolations);
}, true);

interface VsCodeApi {
  postMessage(message: WebviewToHostMessage): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;
const vscode = acquireVsCodeApi();

/** Tables of values beyond this many cells switch to the heatmap (text would not fit anyway). */
const MAX_VALUE_CELLS = 64 * 64;
/** Largest heatmap drawn, in output cells per side (bigger tensors are pooled down to it). */
const MAX_SIDE = 4096;
const ZOOMS = [0, 1, 2, 4, 8, 16, 24, 32]; // 0 = fit to panel

/** What survives a reload of the webview; the host's serializer reads documentUri and selected. */
interface ViewState {
  rowDim: number | null;
  colDim: number | null;
  index: number[];
  mode?: FigureMode;
  zoom: number;
}
interface PersistedState {
  documentUri?: string;
  selected?: string;
  /** The scope shown (MODULE_SCOPE, a recorded call's, a notebook cell's). */
  scope?: string;
  views: Record<string, ViewState>;
}

function loadPersisted(): PersistedState {
  const s = vscode.getState() as Partial<PersistedState> | undefined;
  return { documentUri: s?.documentUri, selected: s?.selected, scope: s?.scope, views: s?.views ?? {} };
}

let persisted = loadPersisted();
let current: InspectorState | undefined;
const post = (m: WebviewToHostMessage) => vscode.postMessage(m);
// savedAt lets the serializer tell this state from the host's newer copy (inspectorSerializer.ts)
const save = () => vscode.setState({ ...persisted, savedAt: Date.now() });

/** Whether the state carries this tensor's data (large ones stay in the evaluation worker). */
const isElided = (t: TensorValue) => 'elided' in t && t.elided === true;

/** Slices of tensors the state carries, computed here. */
const local = new LocalSliceSource((name) => {
  const found = figureTensors().find((f) => f.key === name);
  return found && !isElided(found.value) ? { value: found.value, masked: found.masked, maskedCells: figureMaskedCells(found) } : undefined;
});

/** The selected mask's masked value, so its pooled blocks keep it (-inf of an additive mask, False of a keep-mask). */
function figureMaskedCells(f: FigureTensor) {
  const v = selectedVariable();
  return v && f.key === v.name ? maskedCells(v) : undefined;
}

/** Slices the host serves (from the evaluation worker), answered by id. */
const waiting = new Map<number, (s: TensorSlice | null) => void>();
let nextSliceId = 1;
const host: SliceSource = {
  slice: (request) =>
    new Promise((resolve, reject) => {
      const id = nextSliceId++;
      waiting.set(id, (s) => (s ? resolve(s) : reject(new Error(`no slice of ${request.variable}`))));
      post({ type: 'requestSlice', id, request: { ...request, ...(persisted.scope ? { scope: persisted.scope } : {}) } });
    }),
};

/** Operands the host serves (from the evaluation worker), answered by id. */
const waitingOperands = new Map<number, (o: WireOperands | null) => void>();

/** A softmax too large to send whose view's operands the worker serves (derived.ts: its tensors are elided stubs). */
function largeSoftmax(v: InspectorVariable | undefined): v is InspectorVariable & { value: TensorValue } {
  const d = v?.derived;
  return !!v && isTensor(v.value) && isElided(v.value) && d?.op === 'softmax' && isTensor(d.scores) && isElided(d.scores);
}

/** The operands of the view drawn last (one view: a [1024, 1024] one holds 5 MB) and what was made of them. */
let operandView: { key: string; operands: Promise<ViewOperands | null>; probabilities?: { values: Float32Array | null; by: ComputedBy }; setting?: string } | undefined;
/** Who computed the probabilities drawn now, for the badge; undefined when the view is not a large softmax. */
let computedBy: ComputedBy | undefined;

function viewOperands(v: InspectorVariable & { value: TensorValue }, index: number[]) {
  const leading = index.slice(0, Math.max(v.value.shape.length - 2, 0));
  const key = `${current?.evaluation}|${v.name}|${leading.join(',')}`;
  if (operandView?.key !== key) {
    const operands = new Promise<ViewOperands | null>((resolve) => {
      const id = nextSliceId++;
      waitingOperands.set(id, (o) => resolve(o ? fromWireOperands(o) : null));
      post({ type: 'requestOperands', id, variable: v.name, index: leading });
    });
    operandView = { key, operands };
  }
  return operandView;
}

/** A [rows, cols] tensor of the view's own values, sliced here like any inlined tensor. */
function viewTensor(data: ArrayLike<number>, rows: number, cols: number, dtype: string): TensorValue {
  return { type: 'torch.Tensor', dtype, shape: [rows, cols], data: Array.from(data) };
}

/**
 * The scores, mask and probabilities of a large softmax's view along its last
 * two dims, from the view's operands: probabilities from gpu.js where
 * gpuView.ts accepts them, else the worker's own (CPU) values.
 */
async function operandSlice(v: InspectorVariable & { value: TensorValue }, request: Parameters<SliceSource['slice']>[0]): Promise<TensorSlice> {
  const nd = v.value.shape.length;
  const probabilities = request.variable === v.name;
  if (request.rowDim !== nd - 2 || request.colDim !== nd - 1) {
    if (probabilities) return host.slice(request);
    throw new Error('scores and mask are served along the last two dims only');
  }
  const view = viewOperands(v, request.index);
  const o = await view.operands;
  if (!o) {
    if (probabilities) return host.slice(request);
    throw new Error(`no operands for ${v.name}`);
  }
  const req = { rowDim: 0, colDim: 1, index: [0, 0], maxRows: request.maxRows, maxCols: request.maxCols };
  if (request.variable.endsWith('#scores')) return sliceTensor(viewTensor(o.scores, o.rows, o.cols, 'torch.float32'), req);
  if (request.variable.endsWith('#mask')) return sliceTensor(viewTensor(o.mask ?? new Uint8Array(o.rows * o.cols), o.rows, o.cols, 'torch.bool'), req, o.mask);
  const setting = current?.gpu ?? 'auto';
  const size: GpuSize | undefined = current?.gpuThreshold !== undefined ? { elements: v.value.shape.reduce((a, b) => a * b, 1), threshold: current.gpuThreshold } : undefined;
  // both settings decide again when either changes (inspectorPanel.ts re-sends the state)
  const settings = `${setting}|${size?.threshold ?? ''}`;
  if (!view.probabilities || view.setting !== settings) {
    const nonce = document.querySelector('meta[property="csp-nonce"]')?.getAttribute('content') ?? undefined;
    // gpu.js is loaded only for a softmax the GPU may compute
    const gpu = setting === 'off' || !overGpuThreshold(size) ? null : await loadGpuModule(byId('mask-lens-root').dataset.gpuScript, nonce);
    view.probabilities = probabilitiesOnGpu(setting, gpu, o, size);
    view.setting = settings;
  }
  computedBy = view.probabilities.by;
  const values = view.probabilities.values;
  if (values) return sliceTensor(viewTensor(values, o.rows, o.cols, 'torch.float32'), req, o.mask);
  // the worker's values, hatched where the mask filled, as the GPU's are
  const cpu = await host.slice(request);
  if (o.mask && !cpu.masked) {
    const m = sliceTensor(viewTensor(o.mask, o.rows, o.cols, 'torch.bool'), req, o.mask);
    if (m.outRows === cpu.outRows && m.outCols === cpu.outCols) cpu.masked = m.masked;
  }
  return cpu;
}

/** Where the figures' data comes from: this page for inlined values and large softmax views, the host (worker) for the rest. */
const source: SliceSource = {
  slice: (request) => {
    const v = selectedVariable();
    if (largeSoftmax(v) && (request.variable === v.name || request.variable.startsWith(`${v.name}#`))) return operandSlice(v, request);
    const f = figureTensors().find((x) => x.key === request.variable);
    return f && !isElided(f.value) ? local.slice(request) : host.slice(request);
  },
};

// ---------- DOM helpers ----------

type Attrs = Record<string, string | number | boolean | undefined>;

function h(tag: string, attrs: Attrs = {}, children: (Node | string)[] = []): HTMLElement {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children) el.append(c);
  return el;
}

function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`missing #${id}`);
  return el as T;
}

// ---------- static layout ----------

function buildLayout(root: HTMLElement): void {
  root.replaceChildren(
    h('header', { class: 'title-bar' }, [
      h('span', { id: 'file-name', class: 'file-name' }),
      h('span', { id: 'mode', class: 'mode' }),
      h('span', { id: 'timing', class: 'timing' }),
      h('vscode-button', { id: 'refresh', secondary: true, title: 'Evaluate again' }, ['Refresh']),
    ]),
    h('p', { id: 'empty', class: 'empty' }),
    h('div', { id: 'error-banner', class: 'error-banner', role: 'alert', hidden: true }),
    // vscode-tabs gives its headers and panels ids of its own (aria-controls): ours are classes
    h('vscode-tabs', { id: 'tabs', 'aria-label': 'Inspector views' }, [
      h('vscode-tab-header', { class: 'tab-values', slot: 'header' }, ['VALUES']),
      h('vscode-tab-panel', { class: 'view-values' }, [
        h('section', { class: 'values' }, [
          h('div', { id: 'scope-bar', class: 'toolbar scope-bar', hidden: true }, [
            h('label', { for: 'scope-select' }, ['Scope']),
            h('vscode-single-select', { id: 'scope-select', 'aria-label': 'Scope: the module or a recorded call' }),
          ]),
          h('div', { class: 'toolbar' }, [
            h('label', { for: 'variable-select' }, ['Variable']),
            h('vscode-single-select', { id: 'variable-select', 'aria-label': 'Variable' }),
            h('span', { id: 'badges', class: 'badges' }),
          ]),
          h('div', { id: 'view-header', class: 'view-header' }),
          h('div', { id: 'dim-picker', class: 'dim-picker' }),
          h('div', { id: 'controls', class: 'controls' }, [
            h('span', { class: 'segmented', role: 'group', 'aria-label': 'Show' }, [
              h('vscode-button', { id: 'mode-heatmap', secondary: true }, ['Heatmap']),
              h('vscode-button', { id: 'mode-values', secondary: true }, ['Values']),
            ]),
            h('span', { class: 'segmented', role: 'group', 'aria-label': 'Zoom' }, [
              h('vscode-button', { id: 'zoom-out', secondary: true, title: 'Zoom out' }, ['−']),
              h('span', { id: 'zoom-level', class: 'zoom-level' }, ['fit']),
              h('vscode-button', { id: 'zoom-in', secondary: true, title: 'Zoom in' }, ['+']),
              h('vscode-button', { id: 'zoom-fit', secondary: true, title: 'Fit to panel' }, ['Fit']),
            ]),
            h('span', { class: 'segmented', role: 'group', 'aria-label': 'Export' }, [
              h('vscode-button', { id: 'export-python', secondary: true, title: 'Export as a Python literal' }, ['Python']),
              h('vscode-button', { id: 'export-csv', secondary: true, title: 'Export this 2-D view as CSV' }, ['CSV']),
              h('vscode-button', { id: 'export-png', secondary: true, title: 'Export the figure as PNG' }, ['PNG']),
            ]),
          ]),
          h('div', { id: 'mask-layers', class: 'mask-layers', role: 'group', 'aria-label': 'Mask layers', hidden: true }),
          h('div', { id: 'computed-by', class: 'computed-by', role: 'status', hidden: true }),
          h('div', { id: 'figures', class: 'figures' }),
          h('div', { id: 'pool-note', class: 'muted pool-note' }),
          h('div', { id: 'mask-legend', class: 'mask-legend' }),
          h('div', { id: 'tooltip', class: 'cell-tooltip', role: 'tooltip', hidden: true }),
          h('div', { id: 'live', class: 'sr-only', 'aria-live': 'polite' }),
          h('ul', { id: 'variable-diagnostics', class: 'variable-diagnostics' }),
          h('div', { id: 'scalar', class: 'scalar' }),
          h('vscode-collapsible', { id: 'repr-box', title: 'Printed', heading: 'Printed' }, [h('pre', { id: 'repr', class: 'repr' })]),
        ]),
      ]),
      h('vscode-tab-header', { class: 'tab-print', slot: 'header' }, ['PRINT']),
      h('vscode-tab-panel', { class: 'view-print' }, [h('section', {}, [h('h3', {}, ['stdout']), h('pre', { id: 'stdout', class: 'stdout' })])]),
      h('vscode-tab-header', { class: 'tab-errors', slot: 'header' }, ['PROBLEMS ', h('vscode-badge', { id: 'error-count', variant: 'counter' }, ['0'])]),
      h('vscode-tab-panel', { class: 'view-errors' }, [
        h('section', {}, [
          h('table', { id: 'problems', class: 'problems', 'aria-label': 'Errors and mask warnings' }),
          h('p', { id: 'no-problems', class: 'muted' }, ['No errors or mask warnings.']),
        ]),
      ]),
    ]),
  );

  byId('refresh').addEventListener('click', () => post({ type: 'refresh' }));
  byId('scope-select').addEventListener('change', (e) => {
    const value = (e.target as HTMLSelectElement).value;
    if (value && current && value !== persisted.scope && hasScope(current, value)) showScope(value, undefined, true);
  });
  byId('variable-select').addEventListener('change', (e) => {
    const value = (e.target as HTMLSelectElement).value;
    if (value && current && value !== persisted.selected) selectVariable(value, true);
  });
  byId('mode-heatmap').addEventListener('click', () => setView({ mode: 'heatmap' }));
  byId('mode-values').addEventListener('click', () => setView({ mode: 'values' }));
  byId('zoom-in').addEventListener('click', () => stepZoom(1));
  byId('zoom-out').addEventListener('click', () => stepZoom(-1));
  byId('zoom-fit').addEventListener('click', () => setView({ zoom: 0 }));
  for (const f of ['python', 'csv', 'png'] as const) byId(`export-${f}`).addEventListener('click', () => exportAs(f));
  byId('problems').addEventListener('click', (e) => {
    const row = (e.target as HTMLElement).closest('tr');
    const line = Number(row?.dataset.line);
    if (current && line > 0) post({ type: 'revealLine', documentUri: current.documentUri, line });
  });
  let resizeTimer: number | undefined;
  new ResizeObserver(() => {
    window.clearTimeout(resizeTimer);
    resizeTimer = window.setTimeout(() => {
      if ((view()?.zoom ?? 0) === 0) void renderFigures();
    }, 100);
  }).observe(byId('figures'));
}

// ---------- state ----------

/** The variables of the scope shown (the module's, a call's, a cell's). */
function shownVariables(): InspectorVariable[] {
  return current ? scopeVariables(current, persisted.scope ?? resolveScope(current, undefined)) : [];
}

function selectedVariable(): InspectorVariable | undefined {
  return shownVariables().find((v) => v.name === persisted.selected);
}

/**
 * Show a scope and select `name` in it (else keep the variable shown where the
 * scope has it, else its first mask); `fromUser`: tell the host, whose hover
 * and CodeLens then show the same call.
 */
function showScope(scope: string, name: string | undefined, fromUser: boolean): void {
  if (!current) return;
  persisted.scope = scope;
  const vars = shownVariables();
  const names = vars.map((v) => v.name);
  if (name !== undefined && names.includes(name)) persisted.selected = name;
  else if (!persisted.selected || !names.includes(persisted.selected)) persisted.selected = pickDefault(vars);
  save();
  if (fromUser) post({ type: 'scopeSelected', scope });
  renderScopes(current);
  renderVariablePicker(current);
  renderSelected();
}

function renderScopes(state: InspectorState): void {
  renderScopePicker(byId('scope-bar'), byId<HTMLElement & { value: string }>('scope-select'), state, persisted.scope ?? resolveScope(state, undefined), h);
  byId('timing').textContent = `${shownVariables().length} variables · ${state.elapsedMs} ms`;
}

function selectVariable(name: string, fromUser: boolean): void {
  persisted.selected = name;
  save();
  if (fromUser) post({ type: 'variableSelected', name });
  renderSelected();
}

function view(): ViewState | undefined {
  const v = selectedVariable();
  if (!v || !isTensor(v.value)) return undefined;
  const nd = v.value.shape.length;
  const saved = persisted.views[v.name];
  const ok = saved && saved.index.length === nd && [saved.rowDim, saved.colDim].every((d) => d === null || d < nd);
  if (ok) return saved;
  // a mask whose query and key are not the last two dims ([query, key, batch]) opens on them
  const dims = v.maskParts?.dims;
  const fresh: ViewState = { ...(dims ? { rowDim: dims[0], colDim: dims[1] } : defaultDims(nd)), index: new Array(nd).fill(0), zoom: 0 };
  persisted.views[v.name] = fresh;
  return fresh;
}

function setView(patch: Partial<ViewState>): void {
  const v = selectedVariable();
  const cur = view();
  if (!v || !cur) return;
  persisted.views[v.name] = { ...cur, ...patch };
  save();
  renderDimPicker();
  void renderFigures();
}

function stepZoom(dir: 1 | -1): void {
  const cur = view();
  if (!cur) return;
  const fitCell = Number(byId('figures').dataset.cell ?? '1');
  const from = cur.zoom === 0 ? ZOOMS.findIndex((z) => z >= fitCell) : ZOOMS.indexOf(cur.zoom);
  const next = ZOOMS[Math.min(Math.max((from < 0 ? 1 : from) + dir, 1), ZOOMS.length - 1)];
  setView({ zoom: next, mode: 'heatmap' });
}

// ---------- messages in ----------

function showEmpty(reason: string): void {
  current = undefined;
  document.body.dataset.state = 'empty';
  byId('empty').textContent = reason;
  byId('file-name').textContent = 'Tensor Inspector';
  byId('mode').textContent = '';
  byId('timing').textContent = '';
}

function showState(state: InspectorState): void {
  current = state;
  if (persisted.documentUri !== state.documentUri) persisted = { documentUri: state.documentUri, views: {} };
  persisted.scope = resolveScope(state, persisted.scope);
  const shown = shownVariables();
  const names = shown.map((v) => v.name);
  if (state.selected && names.includes(state.selected)) persisted.selected = state.selected;
  else if (!persisted.selected || !names.includes(persisted.selected)) persisted.selected = pickDefault(shown);
  save();
  document.body.dataset.state = 'shown';
  byId('file-name').textContent = state.fileName;
  byId('mode').textContent = state.mode === 'cursor' ? `up to line ${state.stopAfterLine ?? '?'}` : `whole ${documentNoun(state)}`;
  byId('empty').textContent = state.variables.length === 0 && !state.scopes?.length ? 'No variables were bound.' : '';
  renderScopes(state);
  renderVariablePicker(state);
  renderSelected();
  byId('stdout').textContent = state.stdout.length > 0 ? state.stdout : '(nothing printed)';
  renderProblems(state);
}

/** Prefer the first mask: that is what this tool is for. */
function pickDefault(vars: InspectorVariable[]): string | undefined {
  const mask = vars.find((v) => v.mask !== undefined) ?? vars.find((v) => isTensor(v.value) && isMaskLike(v.value));
  return (mask ?? vars.find((v) => isTensor(v.value)) ?? vars[0])?.name;
}

function optionLabel(v: InspectorVariable): string {
  const what = isTensor(v.value) ? `${shortDtype(v.value.dtype)}${formatShape(v.value.shape)}` : describeValue(v.value).kind;
  const role = v.derived ? ` · ${v.derived.op}` : v.mask ? ` · ${maskKindLabel(v.mask)}` : '';
  return `${v.name}  ${what}${role}`;
}

/** The variables of the scope shown (the scope picker chooses among the module and each call). */
function renderVariablePicker(_state: InspectorState): void {
  const select = byId<HTMLSelectElement>('variable-select');
  select.replaceChildren(...shownVariables().map((v) => h('vscode-option', { value: v.name, selected: v.name === persisted.selected }, [optionLabel(v)])));
  if (persisted.selected) select.value = persisted.selected;
}

// ---------- what to draw ----------

interface FigureTensor {
  key: string;
  title?: string;
  value: TensorValue;
  masked?: Uint8Array;
  /** For 0/1 masks: whether ■ (True) means masked in the consumer's legend. */
  onIsMasked?: boolean;
}

const asTensor = (v: EncodedValue | undefined) => (v && isTensor(v) ? v : undefined);

function maskedFlags(m: MaskedBy | undefined): Uint8Array | undefined {
  const t = asTensor(m?.mask);
  // an elided mask's flags come with its view's operands (operandSlice)
  return t && !isElided(t) ? Uint8Array.from(t.data, (x) => (toNumber(x) !== 0 ? 1 : 0)) : undefined;
}

/** Whether ■ means masked for this variable's consumer (masked_fill, key_padding_mask: yes; sdpa bool: no). */
function onIsMasked(v: InspectorVariable): boolean | undefined {
  if (!v.legend) return undefined;
  if (/masked|ignore/i.test(v.legend.on) && !/attends/.test(v.legend.on.split('(')[0])) return true;
  if (/masked/i.test(v.legend.off)) return false;
  return undefined;
}

const figureCache = new WeakMap<InspectorVariable, FigureTensor[]>();

/** The figures of the selected variable: one, or scores → mask → probabilities for a masked softmax. */
function figureTensors(): FigureTensor[] {
  const v = selectedVariable();
  if (!v || !isTensor(v.value)) return [];
  const hit = figureCache.get(v);
  if (hit) return hit;
  const figs = buildFigureTensors(v);
  figureCache.set(v, figs);
  return figs;
}

function buildFigureTensors(v: InspectorVariable): FigureTensor[] {
  if (!isTensor(v.value)) return [];
  const d = v.derived;
  const t = v.value;
  if (d?.op === 'softmax' || d?.op === 'log_softmax') {
    const flags = maskedFlags(d.masked);
    const before = asTensor(d.masked?.before);
    const mask = asTensor(d.masked?.mask);
    if (before && mask && sameShape(before, t)) {
      return [
        { key: `${v.name}#scores`, title: `scores${d.scoresName ? ` (${d.scoresName} before the fill)` : ''}`, value: before },
        { key: `${v.name}#mask`, title: `mask${d.masked?.name ? ` (${d.masked.name}, broadcast)` : ''} · ■ filled with ${d.masked ? filledWith(d.masked) : ''}`, value: mask, masked: flags, onIsMasked: true },
        { key: v.name, title: d.op === 'softmax' ? 'probabilities' : 'log-probabilities', value: t, masked: flags },
      ];
    }
    return [{ key: v.name, value: t, masked: flags }];
  }
  if (d?.op === 'masked_fill') return [{ key: v.name, value: t, masked: maskedFlags(d.masked) }];
  const on = onIsMasked(v);
  const mask = isMaskLike(t) && (v.mask !== undefined || isBoolDtype(t.dtype));
  if (mask && on !== undefined) {
    if (isElided(t)) return [{ key: v.name, value: t, onIsMasked: on }];
    return [{ key: v.name, value: t, masked: Uint8Array.from(t.data, (x) => ((toNumber(x) !== 0) === on ? 1 : 0)), onIsMasked: on }];
  }
  return [{ key: v.name, value: t }];
}

function sameShape(a: TensorValue, b: TensorValue): boolean {
  return a.shape.length === b.shape.length && a.shape.every((s, i) => s === b.shape[i]);
}

/** Axis names: query/key where the consumer or the view says so, else dim k. */
function axisNames(v: InspectorVariable, rowDim: number | null, colDim: number | null): [string, string] {
  const t = v.value as TensorValue;
  const nd = t.shape.length;
  const attention = v.derived?.op === 'softmax' || v.derived?.op === 'log_softmax' || v.derived?.op === 'masked_fill'
    || /scaled_dot_product_attention|attn_mask|added|masked_fill/.test(v.consumer ?? '') || v.mask === 'causal' || v.mask === 'combined'
    || v.mask === 'sliding-window' || v.mask === 'prefix-lm' || v.mask === 'block-diagonal' || v.mask === 'chunked-causal' || v.mask === 'anti-causal';
  const keyPadding = /key_padding_mask|attention_mask/.test(v.consumer ?? '') || (v.mask === 'padding' && nd >= 1);
  // a seq-first [T, B] padding mask: keys (time steps) down dim 0, batch along dim 1
  const seqFirst = v.maskParts?.seqFirst === true;
  const [queryDim, keyDim] = v.maskParts?.dims ?? (seqFirst ? [-1, 0] : [nd - 2, nd - 1]);
  const name = (d: number | null): string => {
    if (d === null) return '';
    if (d === keyDim && (attention || keyPadding)) return `key (dim ${d})`;
    if (d === queryDim && attention && t.shape[d] > 1) return `query (dim ${d})`;
    if (d === (seqFirst ? 1 : 0) && keyPadding && nd === 2) return `batch (dim ${d})`;
    return `dim ${d}`;
  };
  return [name(rowDim), name(colDim)];
}

/** The parts of the mask behind a variable: its own, or those of the mask its derivation filled with. */
function partsOf(v: InspectorVariable) {
  return v.maskParts ?? shownVariables().find((x) => x.name === (v.derived && 'masked' in v.derived ? v.derived.masked?.name : undefined))?.maskParts;
}

/** Which part of a mask masked view cell (r, c): padding (key past the length), causal (key after query), window. */
function maskReason(v: InspectorVariable, masked: boolean, idx: number[]): string | undefined {
  if (!masked) return undefined;
  const p = partsOf(v);
  const parts = p ? maskedBy(p, (v.value as TensorValue).shape, idx) : [];
  if (parts.length === 0) {
    const kind = v.mask ?? (v.derived && 'masked' in v.derived ? `mask ${v.derived.masked?.name ?? ''}`.trim() : 'mask');
    return `masked by the ${kind}`;
  }
  return `masked by ${parts.join(' and ')}`;
}

/** Layers switched on, per variable (all of them until the user turns one off). */
const enabledLayers = new Map<string, Set<LayerId>>();

/** The layers of a combined mask shown as its own figure (two parts or more), with those switched on. */
function layersOf(v: InspectorVariable): { layers: ReturnType<typeof maskLayers>; enabled: Set<LayerId> } | undefined {
  if (!isTensor(v.value) || !isMaskLike(v.value) && !isElided(v.value)) return undefined;
  const layers = maskLayers(v.maskParts);
  if (layers.length < 2) return undefined;
  let enabled = enabledLayers.get(v.name);
  if (!enabled) enabledLayers.set(v.name, (enabled = new Set(layers.map((l) => l.id))));
  return { layers, enabled };
}

/** One checkbox per layer of a combined mask; switching one redraws the mask from the layers left on. */
function renderLayers(v: InspectorVariable): void {
  const box = byId('mask-layers');
  box.replaceChildren();
  const found = layersOf(v);
  box.hidden = !found;
  if (!found) return;
  box.append(h('span', { class: 'muted' }, ['Layers:']));
  for (const l of found.layers) {
    const cb = h('vscode-checkbox', { class: 'mask-layer', 'data-layer': l.id, label: l.label, checked: found.enabled.has(l.id), title: `show the ${l.id} part of the mask` });
    cb.addEventListener('change', () => {
      const on = (cb as HTMLElement & { checked: boolean }).checked;
      if (on) found.enabled.add(l.id);
      else found.enabled.delete(l.id);
      box.dataset.enabled = [...found.enabled].join(',');
      void renderFigures();
    });
    box.append(cb);
  }
  box.dataset.enabled = [...found.enabled].join(',');
}

// ---------- rendering ----------

function renderSelected(): void {
  const v = selectedVariable();
  const badges = byId('badges');
  badges.replaceChildren();
  byId('mask-legend').replaceChildren();
  byId('variable-diagnostics').replaceChildren();
  byId('view-header').replaceChildren();
  byId('dim-picker').replaceChildren();
  byId('figures').replaceChildren();
  byId('pool-note').textContent = '';
  byId('scalar').textContent = '';
  byId('figures').dataset.variable = v?.name ?? '';
  byId('mask-layers').hidden = true;
  byId('controls').hidden = !v || !isTensor(v.value) || (v.value.data.length === 0 && !isElided(v.value)) || v.value.shape.length === 0;
  const carried = !!v && isTensor(v.value) && !isElided(v.value);
  for (const id of ['export-python', 'export-csv']) byId(id).toggleAttribute('disabled', !carried);
  byId('tooltip').hidden = true;
  if (!v) {
    byId('repr').textContent = '';
    return;
  }
  if (isTensor(v.value)) {
    const t = v.value;
    badges.append(
      h('vscode-badge', { class: 'dtype', title: 'dtype' }, [t.dtype]),
      h('vscode-badge', { class: 'shape', title: 'shape' }, [formatShape(t.shape)]),
      h('vscode-badge', { class: 'kind', title: 'type' }, [t.type]),
    );
    if (v.maskSummary) badges.append(h('vscode-badge', { class: 'mask-kind', title: 'mask kind and fraction masked' }, [v.maskSummary]));
    else if (v.mask) badges.append(h('vscode-badge', { class: 'mask-kind', title: 'mask kind' }, [maskKindLabel(v.mask)]));
    renderViewHeader(v);
    renderLayers(v);
    if (t.shape.length === 0) {
      // a 0-d tensor (a loss, say) is one number, not a figure
      if (t.data.length > 0) byId('scalar').textContent = factsOf(t).fmt.format(t.data[0]);
    } else {
      renderDimPicker();
      void renderFigures();
    }
  } else {
    badges.append(h('vscode-badge', { class: 'kind', title: 'type' }, [describeValue(v.value).kind]));
    if (v.value.type === 'dict') badges.append(h('vscode-badge', { class: 'size', title: 'entries' }, [entriesText(v.value.size)]));
    byId('scalar').textContent = scalarText(v.value);
  }
  // a notebook's lines are its joined cells': named "cell 2, line 3"
  const at = (line: number) => lineLabel(line, current?.cellStartLines);
  if (v.line !== undefined) badges.append(h('span', { class: 'muted' }, [at(v.line)]));
  for (const d of v.diagnostics ?? []) {
    byId('variable-diagnostics').append(h('li', { class: `diagnostic ${d.severity}`, 'data-code': d.code }, [`${d.severity}: ${d.code} (${at(d.line)}) — ${d.message}`]));
  }
  // a dict holding large tensors keeps no repr (its entries above summarise them): '' falls back too
  byId('repr').textContent = v.repr || (isTensor(v.value) ? '(repr not recorded for this value)' : scalarText(v.value));
}

/** A line over the figure saying what this view is: a loss's counted targets, a softmax's dim. */
function renderViewHeader(v: InspectorVariable): void {
  const box = byId('view-header');
  const d: Derived | undefined = v.derived;
  if (!d) return;
  if (d.op === 'cross_entropy' || d.op === 'nll_loss') {
    box.append(h('div', { id: 'loss-header', class: 'loss-header' }, [`${d.counted} of ${d.total} targets counted · ignore_index = ${d.ignoreIndex} · reduction = ${d.reduction}`]));
    renderLossTable(v, d);
  } else if (d.op === 'softmax' || d.op === 'log_softmax') {
    box.append(h('div', { class: 'muted' }, [`${d.op} over dim ${d.dim}${d.masked ? ` of ${d.scoresName ?? 'scores'} filled with ${filledWith(d.masked)} where ${d.masked.name ?? 'the mask'} is True` : ''}`]));
  } else if (d.op === 'masked_fill') {
    box.append(h('div', { class: 'muted' }, [`masked_fill: ${filledWith(d.masked)} where ${d.masked.name ?? 'the mask'} is True (hatched)`]));
  }
}

/** The fill a masked_fill wrote, printed as torch prints it in the filled tensor's dtype. */
function filledWith(m: MaskedBy): string {
  return fillText(m.fill, isTensor(m.before) ? m.before.dtype : undefined);
}

/** Each target's contribution to the loss (reduction='none'), ignored targets greyed. */
function renderLossTable(v: InspectorVariable, d: Extract<Derived, { perToken: EncodedValue }>): void {
  const per = asTensor(d.perToken);
  const target = asTensor(d.target);
  if (!per || !target) return;
  const fmt = cellFormatter(per);
  const T = target.shape.length >= 1 ? target.shape[target.shape.length - 1] : 1;
  const table = h('table', { id: 'loss-table', class: 'loss-table', role: 'grid', 'aria-label': `${v.name}: loss per target` });
  table.append(h('tr', { role: 'row' }, [h('th', { role: 'columnheader' }, ['position']), h('th', { role: 'columnheader' }, ['target']), h('th', { role: 'columnheader' }, ['loss']), h('th', { role: 'columnheader' }, [''])]));
  const n = Math.min(target.data.length, 512);
  for (let i = 0; i < n; i++) {
    const ignored = toNumber(target.data[i]) === d.ignoreIndex;
    const pos = target.shape.length >= 2 ? `[${Math.floor(i / T)}, ${i % T}]` : String(i);
    table.append(h('tr', { role: 'row', class: ignored ? 'ignored' : 'counted', 'data-i': i }, [
      h('td', { role: 'gridcell' }, [pos]),
      h('td', { role: 'gridcell', class: 'num' }, [String(toNumber(target.data[i]))]),
      h('td', { role: 'gridcell', class: 'num' }, [ignored ? '—' : fmt.format(per.data[i])]),
      h('td', { role: 'gridcell', class: 'muted' }, [ignored ? 'ignored' : '']),
    ]));
  }
  byId('view-header').append(table);
}

/** Which two dims to show and the index on every other dim (steppers, as in Jupyter's Data Viewer). */
function renderDimPicker(): void {
  const v = selectedVariable();
  const s = view();
  const box = byId('dim-picker');
  box.replaceChildren();
  if (!v || !s || !isTensor(v.value)) return;
  const shape = v.value.shape;
  const nd = shape.length;
  if (nd < 2) return;
  const elided = isElided(v.value);
  const dimSelect = (id: string, label: string, value: number | null, other: number | null, onPick: (d: number) => void) => {
    const sel = h('vscode-single-select', { id, 'aria-label': label, class: 'dim-select' });
    for (let d = 0; d < nd; d++) sel.append(h('vscode-option', { value: d, selected: d === value, disabled: d === other }, [`dim ${d} (${shape[d]})`]));
    sel.addEventListener('change', (e) => {
      const d = Number((e.target as HTMLSelectElement).value);
      if (!Number.isNaN(d) && d !== value) onPick(d);
    });
    return h('span', { class: 'dim-field' }, [h('label', { for: id }, [label]), sel]);
  };
  if (elided) box.append(h('span', { class: 'muted' }, [`rows: dim ${nd - 2} · cols: dim ${nd - 1} (a tensor this large is sliced by the evaluation worker along its last two dims)`]));
  else box.append(
    dimSelect('row-dim', 'rows', s.rowDim, s.colDim, (d) => setView({ rowDim: d, colDim: d === s.colDim ? s.rowDim : s.colDim })),
    dimSelect('col-dim', 'cols', s.colDim, s.rowDim, (d) => setView({ colDim: d, rowDim: d === s.rowDim ? s.colDim : s.rowDim })),
  );
  for (let d = 0; d < nd; d++) {
    if (d === s.rowDim || d === s.colDim) continue;
    const set = (i: number) => {
      const index = [...s.index];
      index[d] = Math.min(Math.max(i, 0), shape[d] - 1);
      setView({ index });
    };
    box.append(h('span', { class: 'stepper', role: 'group', 'aria-label': `index along dim ${d}` }, [
      h('span', { class: 'muted' }, [`dim ${d}`]),
      h('vscode-button', { id: `step-${d}-down`, secondary: true, title: `previous index along dim ${d}`, disabled: s.index[d] <= 0 }, ['‹']),
      h('span', { id: `step-${d}`, class: 'step-value', 'data-dim': d }, [`${s.index[d]} / ${shape[d] - 1}`]),
      h('vscode-button', { id: `step-${d}-up`, secondary: true, title: `next index along dim ${d}`, disabled: s.index[d] >= shape[d] - 1 }, ['›']),
    ]));
    queueMicrotask(() => {
      byId(`step-${d}-down`).addEventListener('click', () => set(s.index[d] - 1));
      byId(`step-${d}-up`).addEventListener('click', () => set(s.index[d] + 1));
    });
  }
}

/** The label of the current view, e.g. probs[0, 1, :, :]. */
function viewLabel(name: string, nd: number, s: ViewState): string {
  if (nd === 0) return `${name} (0-d)`;
  return `${name}[${Array.from({ length: nd }, (_, d) => (d === s.rowDim || d === s.colDim ? ':' : String(s.index[d]))).join(', ')}]`;
}

let renderToken = 0;

async function renderFigures(): Promise<void> {
  const v = selectedVariable();
  const s = view();
  const box = byId('figures');
  // a 0-d tensor is shown as a number (renderSelected), not a figure
  if (!v || !s || !isTensor(v.value) || v.value.shape.length === 0) return;
  const token = ++renderToken;
  const tStart = performance.now();
  const t = v.value;
  // a large softmax's scores and mask come with its view's operands, along the last two dims only
  const lastTwo = s.rowDim === t.shape.length - 2 && s.colDim === t.shape.length - 1;
  const figs = largeSoftmax(v) && !lastTwo ? figureTensors().filter((f) => f.key === v.name) : figureTensors();
  if (t.data.length === 0 && !isElided(t)) {
    box.replaceChildren(h('div', { class: 'muted' }, ['(empty tensor)']));
    return;
  }
  const g = { rows: s.rowDim === null ? 1 : t.shape[s.rowDim], cols: s.colDim === null ? 1 : t.shape[s.colDim] };
  const mode: FigureMode = s.mode ?? (g.rows * g.cols <= MAX_VALUE_CELLS && g.cols <= 32 ? 'values' : 'heatmap');
  const valuesFit = g.rows * g.cols <= MAX_VALUE_CELLS;
  const shownMode: FigureMode = mode === 'values' && !valuesFit ? 'heatmap' : mode;
  byId('mode-heatmap').toggleAttribute('aria-pressed', shownMode === 'heatmap');
  byId('mode-values').toggleAttribute('aria-pressed', shownMode === 'values');
  byId('mode-heatmap').setAttribute('aria-pressed', String(shownMode === 'heatmap'));
  byId('mode-values').setAttribute('aria-pressed', String(shownMode === 'values'));
  byId('mode-values').toggleAttribute('disabled', !valuesFit);
  box.dataset.mode = shownMode;
  // Fit: the panel's width shared by the figures side by side, less labels and row sums.
  const avail = Math.max(120, (box.clientWidth || 600) / figs.length - 90);
  const fitCell = Math.max(1, Math.min(32, Math.floor(avail / g.cols)));
  const cell = s.zoom === 0 ? fitCell : s.zoom;
  box.dataset.cell = String(fitCell);
  byId('zoom-level').textContent = s.zoom === 0 ? `fit (${fitCell}px)` : `${s.zoom}px`;
  const maxSide = s.zoom === 0 ? Math.min(MAX_SIDE, Math.floor(avail)) : MAX_SIDE;
  const nodes: HTMLElement[] = [];
  let pooled: TensorSlice | undefined;
  let drawMs = 0;
  const palette = readPalette();
  computedBy = undefined;
  for (const f of figs) {
    let slice: TensorSlice;
    try {
      slice = await source.slice({ variable: f.key, rowDim: s.rowDim, colDim: s.colDim, index: s.index, maxRows: shownMode === 'values' ? g.rows : maxSide, maxCols: shownMode === 'values' ? g.cols : maxSide });
    } catch {
      // a large softmax whose operands the worker does not serve (a call's local) still shows its probabilities
      if (largeSoftmax(v) && f.key !== v.name) continue;
      if (token === renderToken) box.replaceChildren(h('div', { class: 'muted' }, ['This value is no longer available: Refresh evaluates the file again.']));
      return;
    }
    if (token !== renderToken) return;
    // a combined mask with a layer switched off is drawn from the layers left on
    const layered = f.key === v.name ? layersOf(v) : undefined;
    if (layered && layered.enabled.size < layered.layers.length) slice = layeredSlice(slice, v.maskParts!, t.shape, s.rowDim, s.colDim, s.index, layered.enabled);
    if (slice.pooling !== 'none') pooled = slice;
    const spec = figureSpec(v, f, slice, s);
    const t0 = performance.now();
    nodes.push(shownMode === 'values' ? valuesTable(v, f, spec) : heatmapFigure(v, f, spec, palette, slice.rowStep > 1 || slice.colStep > 1 ? 1 : cell));
    drawMs += performance.now() - t0;
  }
  box.replaceChildren(...nodes);
  box.dataset.variable = v.name;
  box.dataset.slice = s.index.filter((_, d) => d !== s.rowDim && d !== s.colDim).join(',');
  box.dataset.dims = `${s.rowDim},${s.colDim}`;
  // slicing, pooling, drawing and layout of every figure of this view
  box.dataset.renderMs = (performance.now() - tStart).toFixed(1);
  box.dataset.drawMs = drawMs.toFixed(1);
  box.dataset.label = viewLabel(v.name, t.shape.length, s);
  renderComputedBy(largeSoftmax(v) ? computedBy : undefined);
  byId('pool-note').textContent = pooled
    ? `Downsampled ${g.rows}×${g.cols} → ${pooled.outRows}×${pooled.outCols}: each cell is a ${pooled.rowStep}×${pooled.colStep} block, pooled by ${pooled.pooling === 'any' ? 'any (True wins)' : pooled.pooling === 'masked' ? 'its masked value (a masked cell wins)' : 'max (NaN wins)'}; a block with a masked position is marked masked (tinted when cells are too small to hatch). Zoom in to see every cell.`
    : '';
  renderLegend(v, figs);
}

/** The badge saying who computed a large softmax view's probabilities (gpuView.ts), with data-* for tests. */
function renderComputedBy(by: ComputedBy | undefined): void {
  const badge = byId('computed-by');
  const box = byId('figures');
  badge.hidden = !by;
  badge.textContent = by?.label ?? '';
  badge.title = by?.detail ?? '';
  for (const [k, x] of Object.entries({ gpuSetting: by ? current?.gpu ?? 'auto' : undefined, gpuThreshold: by && current?.gpuThreshold !== undefined ? String(current.gpuThreshold) : undefined, backend: by?.backend, renderer: by?.renderer ?? undefined, checksum: by?.checksum, gpuMs: by?.gpuMs?.toFixed(1) })) {
    if (x === undefined) delete box.dataset[k];
    else box.dataset[k] = x;
  }
  if (by) badge.className = `computed-by ${by.backend}${by.checksum === 'mismatch' ? ' mismatch' : ''}`;
}

/** Per-tensor facts that take a pass over every element: computed once per tensor. */
const tensorFacts = new WeakMap<TensorValue, { fmt: ReturnType<typeof cellFormatter>; range: ReturnType<typeof finiteRange> }>();
function factsOf(t: TensorValue) {
  let f = tensorFacts.get(t);
  if (!f) tensorFacts.set(t, (f = { fmt: cellFormatter(t), range: finiteRange(t.data) }));
  return f;
}

function figureSpec(v: InspectorVariable, f: FigureTensor, slice: TensorSlice, s: ViewState): FigureSpec {
  const t = f.value;
  // an elided tensor's format and range come from the view the worker sent
  const { fmt, range } = isElided(t) ? factsOf({ ...t, shape: [slice.outRows, slice.outCols], data: Array.from(slice.values) }) : factsOf(t);
  if (isElided(t) && !slice.masked && f.onIsMasked === true && isBoolDtype(t.dtype)) slice.masked = Uint8Array.from(slice.values, (x) => (x !== 0 ? 1 : 0));
  // bool tensors, and 0/1 tensors classified as masks, read ■/⬚ (never 1/0)
  const bool = isBoolDtype(t.dtype) || (isMaskLike(t) && (f.onIsMasked !== undefined || (f.key === v.name && v.mask !== undefined)));
  const [rowLabel, colLabel] = axisNames(v, s.rowDim, s.colDim);
  const nd = t.shape.length;
  const pooled = slice.rowStep > 1 || slice.colStep > 1;
  const idx = (r: number, c: number) => cellIndex(nd, s.rowDim, s.colDim, s.index, r * slice.rowStep, c * slice.colStep);
  const spec: FigureSpec = {
    title: f.title,
    slice, bool, onIsMasked: f.onIsMasked, rowLabel, colLabel,
    range: bool ? null : range,
    format: (x) => fmt.format(x),
    width: fmt.width,
    reason: (r, c) => {
      const layers = f.key === v.name ? layersOf(v) : undefined;
      if (layers) {
        // a layered mask: the enabled parts that mask this cell, by name
        const parts = maskedBy(v.maskParts!, t.shape, idx(r, c), layers.enabled);
        return parts.length > 0 ? `masked by ${parts.join(' and ')}` : undefined;
      }
      return maskReason(v, (f.masked?.[flatIndex(t.shape, s.rowDim, s.colDim, s.index, r * slice.rowStep, c * slice.colStep)] ?? 0) !== 0, idx(r, c));
    },
    indexText: (r, c) => {
      const i = idx(r, c);
      const text = `[${i.join(', ')}]`;
      return pooled ? `${text} (block ${slice.rowStep}×${slice.colStep})` : text;
    },
  };
  const d = v.derived;
  if ((d?.op === 'softmax') && f.key === v.name && !pooled && s.colDim !== null && normDim(d.dim, nd) === s.colDim) {
    const sums = rowSums(t, s.rowDim, s.colDim, s.index);
    const scores = asTensor(d.masked?.before);
    const flags = f.masked;
    const fill = d.masked ? toNumber(d.masked.fill) : undefined;
    spec.rowNotes = sums.map((sum, r) => {
      const cols = s.colDim === null ? 1 : t.shape[s.colDim];
      let all = flags !== undefined;
      for (let c = 0; c < cols && all; c++) all = flags![flatIndex(t.shape, s.rowDim, s.colDim, s.index, r, c)] !== 0;
      if (Number.isNaN(sum) || (all && fill === Number.NEGATIVE_INFINITY)) return { text: 'nan', flag: 'fully masked: every key is -inf, the row is NaN' };
      if (all && fill !== undefined && Number.isFinite(fill)) return { text: fmtSum(sum), flag: `fully masked under a finite fill (${filledWith(d.masked!)}): uniform 1/${cols}, attends to padding` };
      void scores;
      return { text: fmtSum(sum) };
    });
  }
  if (d && (d.op === 'cross_entropy' || d.op === 'nll_loss')) spec.greyed = () => false;
  return spec;
}

const normDim = (d: number, nd: number) => (d < 0 ? d + nd : d);
const fmtSum = (x: number) => (Math.abs(x - 1) < 5e-7 ? '1.0000' : x.toFixed(4));

function figureShell(v: InspectorVariable, f: FigureTensor, spec: FigureSpec, body: HTMLElement): HTMLElement {
  const fig = h('figure', { class: 'figure', 'data-key': f.key });
  if (spec.title) fig.append(h('figcaption', { class: 'fig-title' }, [spec.title]));
  const grid = h('div', { class: 'fig-grid' });
  grid.append(h('div', { class: 'axis-col', 'aria-hidden': 'true' }, [spec.colLabel ? `${spec.colLabel} →` : '']));
  const row = h('div', { class: 'fig-row' }, [h('div', { class: 'axis-row', 'aria-hidden': 'true' }, [spec.rowLabel ? `${spec.rowLabel} →` : '']), body]);
  grid.append(row);
  fig.append(grid);
  if (!spec.bool) fig.append(colorBar(spec, readPalette()));
  else if (spec.slice.masked?.some((x) => x)) fig.append(colorBar(spec, readPalette()));
  void v;
  return fig;
}

/** Values in equal, right-aligned columns; ARIA grid with arrow-key navigation. */
function valuesTable(v: InspectorVariable, f: FigureTensor, spec: FigureSpec): HTMLElement {
  const { slice } = spec;
  const table = h('div', { class: `heatmap values-grid${spec.rowNotes ? ' with-sums' : ''}`, role: 'grid', 'aria-label': `${spec.title ?? v.name}: ${spec.rowLabel || 'row'} by ${spec.colLabel || 'column'}`, 'data-mask': String(spec.bool), 'data-variable': f.key });
  table.style.setProperty('--cols', String(slice.outCols));
  table.style.setProperty('--cell-ch', String(spec.bool ? 2 : spec.width));
  const p = readPalette();
  // ■ in the palette's orange made opaque (the theme's may carry alpha, pale on a light background)
  table.style.setProperty('--mask-on', `rgb(${rgb(p.on).join(', ')})`);
  const head = h('div', { role: 'row', class: 'grid-row head' }, [h('div', { class: 'corner', role: 'columnheader' })]);
  for (let c = 0; c < slice.outCols; c++) head.append(h('div', { class: 'col-head', role: 'columnheader' }, [String(c)]));
  if (spec.rowNotes) head.append(h('div', { class: 'col-head sum-head', role: 'columnheader' }, ['Σ row']));
  table.append(head);
  for (let r = 0; r < slice.outRows; r++) {
    const row = h('div', { role: 'row', class: 'grid-row' }, [h('div', { class: 'row-head', role: 'rowheader' }, [String(r)])]);
    for (let c = 0; c < slice.outCols; c++) {
      const i = r * slice.outCols + c;
      const x = slice.values[i];
      // True/False for bool, as print() shows other dtypes; an int64 past 2^53 by its exact digits
      const text = slice.exact?.get(i) ?? spec.format(x);
      const cls = ['cell'];
      if (spec.bool) cls.push(x !== 0 ? 'on' : 'off');
      else if (Number.isNaN(x)) cls.push('nan');
      else if (x === Number.POSITIVE_INFINITY) cls.push('pos-inf');
      else if (x === Number.NEGATIVE_INFINITY) cls.push('neg-inf');
      else cls.push('num');
      if (slice.masked?.[i]) cls.push('masked');
      const cell = h('div', { class: cls.join(' '), role: 'gridcell', tabindex: r === 0 && c === 0 ? 0 : -1, 'data-r': r, 'data-c': c, 'data-v': text }, [spec.bool ? (x !== 0 ? '■' : '⬚') : text]);
      if (!spec.bool && Number.isFinite(x)) {
        const [cr, cg, cb] = cellColor(spec, p, x);
        cell.style.setProperty('--cell-bg', `rgb(${cr | 0}, ${cg | 0}, ${cb | 0})`);
        cell.style.setProperty('--cell-fg', contrastText([cr, cg, cb], p));
      }
      row.append(cell);
    }
    if (spec.rowNotes) {
      const n = spec.rowNotes[r];
      row.append(h('div', { class: `row-sum${n.flag ? ' flagged' : ''}`, role: 'gridcell', 'data-r': r, title: n.flag ?? 'row sum', 'aria-label': `row ${r} sums to ${n.text}${n.flag ? `: ${n.flag}` : ''}` }, [n.flag ? `${n.text} ⚠` : n.text]));
    }
    table.append(row);
  }
  table.addEventListener('keydown', (e) => moveFocus(e, table, slice.outRows, slice.outCols));
  // the keyboard's cell: its tip under the grid, off the rows the arrow keys go to next
  table.addEventListener('focusin', (e) => showCellTip(e.target as HTMLElement, spec, table.getBoundingClientRect()));
  table.addEventListener('mouseover', (e) => showCellTip(e.target as HTMLElement, spec));
  table.addEventListener('mouseleave', () => (byId('tooltip').hidden = true));
  return figureShell(v, f, spec, table);
}

function contrastText(bg: [number, number, number], p: ReturnType<typeof readPalette>): string {
  const lum = (0.2126 * bg[0] + 0.7152 * bg[1] + 0.0722 * bg[2]) / 255;
  const fg = rgb(p.fg);
  const fgLum = (0.2126 * fg[0] + 0.7152 * fg[1] + 0.0722 * fg[2]) / 255;
  // the theme's text where it contrasts, else the background colour
  return Math.abs(lum - fgLum) > 0.4 ? p.fg : p.bg;
}

function moveFocus(e: KeyboardEvent, table: HTMLElement, rows: number, cols: number): void {
  const cell = (e.target as HTMLElement).closest<HTMLElement>('.cell');
  if (!cell) return;
  let r = Number(cell.dataset.r), c = Number(cell.dataset.c);
  switch (e.key) {
    case 'ArrowLeft': c = Math.max(0, c - 1); break;
    case 'ArrowRight': c = Math.min(cols - 1, c + 1); break;
    case 'ArrowUp': r = Math.max(0, r - 1); break;
    case 'ArrowDown': r = Math.min(rows - 1, r + 1); break;
    case 'Home': c = 0; break;
    case 'End': c = cols - 1; break;
    case 'Escape': byId('tooltip').hidden = true; return;
    default: return;
  }
  e.preventDefault();
  const next = table.querySelector<HTMLElement>(`.cell[data-r="${r}"][data-c="${c}"]`);
  if (!next) return;
  cell.tabIndex = -1;
  next.tabIndex = 0;
  next.focus();
}

function tipText(spec: FigureSpec, r: number, c: number): string {
  const i = r * spec.slice.outCols + c;
  const x = spec.slice.values[i];
  const value = `${spec.slice.exact?.get(i) ?? spec.format(x)}${spec.bool ? (x !== 0 ? ' ■' : ' ⬚') : ''}`;
  const reason = spec.reason(r, c);
  return `${spec.indexText(r, c)} = ${value}${reason ? ` · ${reason}` : ''}`;
}

function showCellTip(target: HTMLElement, spec: FigureSpec, grid?: DOMRect): void {
  const cell = target.closest<HTMLElement>('.cell');
  if (!cell) return;
  const text = tipText(spec, Number(cell.dataset.r), Number(cell.dataset.c));
  placeTip(text, cell.getBoundingClientRect(), grid);
}

/**
 * Show the cell tip under `rect` (the cell), or, for the keyboard's cell
 * (`grid` given), under the whole grid when its bottom is on screen: under
 * the cell it would cover the next rows the arrow keys move to.
 */
function placeTip(text: string, rect: DOMRect, grid?: DOMRect): void {
  const tip = byId('tooltip');
  tip.textContent = text;
  tip.hidden = false;
  const bottom = grid && grid.bottom + 2 * tip.offsetHeight <= window.innerHeight ? Math.max(grid.bottom, rect.bottom) : rect.bottom;
  tip.style.left = `${Math.round(rect.left + window.scrollX)}px`;
  tip.style.top = `${Math.round(bottom + window.scrollY + 4)}px`;
  byId('live').textContent = text;
}

/** A canvas heatmap; a focusable grid whose arrow keys move a cell cursor (index, value, reason in the tooltip). */
function heatmapFigure(v: InspectorVariable, f: FigureTensor, spec: FigureSpec, p: ReturnType<typeof readPalette>, cell: number): HTMLElement {
  const drawn = drawHeatmap(spec, p, cell);
  const wrap = h('div', { class: 'heatmap-canvas', role: 'grid', tabindex: 0, 'aria-label': `${spec.title ?? v.name}: heatmap of ${spec.slice.rows} by ${spec.slice.cols}, arrow keys move between cells`, 'data-variable': f.key, 'data-cell': drawn.cell, 'data-draw-ms': drawn.ms.toFixed(1), 'data-out': `${spec.slice.outRows}x${spec.slice.outCols}`, 'data-masked-cells': String(spec.slice.masked?.reduce((a, b) => a + b, 0) ?? 0) });
  const cursor = h('div', { class: 'cursor', hidden: true, 'aria-hidden': 'true' });
  const row = h('div', { class: 'canvas-row' }, [wrap]);
  wrap.append(drawn.canvas, cursor);
  let at: [number, number] = [0, 0];
  const show = ([r, c]: [number, number], keyboard = false) => {
    at = [r, c];
    cursor.hidden = false;
    cursor.style.left = `${c * drawn.cell}px`;
    cursor.style.top = `${r * drawn.cell}px`;
    cursor.style.width = `${Math.max(drawn.cell, 3)}px`;
    cursor.style.height = `${Math.max(drawn.cell, 3)}px`;
    wrap.setAttribute('aria-activedescendant', '');
    placeTip(tipText(spec, r, c), cursor.getBoundingClientRect(), keyboard ? drawn.canvas.getBoundingClientRect() : undefined);
  };
  wrap.addEventListener('mousemove', (e) => {
    const rect = drawn.canvas.getBoundingClientRect();
    const c = Math.floor((e.clientX - rect.left) / drawn.cell), r = Math.floor((e.clientY - rect.top) / drawn.cell);
    if (r >= 0 && c >= 0 && r < spec.slice.outRows && c < spec.slice.outCols) show([r, c]);
  });
  wrap.addEventListener('mouseleave', () => ((byId('tooltip').hidden = true), (cursor.hidden = true)));
  wrap.addEventListener('focus', () => show(at, true));
  wrap.addEventListener('keydown', (e) => {
    const [r, c] = at;
    const step = e.shiftKey ? 8 : 1;
    const next: Record<string, [number, number]> = {
      ArrowLeft: [r, Math.max(0, c - step)], ArrowRight: [r, Math.min(spec.slice.outCols - 1, c + step)],
      ArrowUp: [Math.max(0, r - step), c], ArrowDown: [Math.min(spec.slice.outRows - 1, r + step), c],
    };
    if (e.key === 'Escape') return void ((byId('tooltip').hidden = true), (cursor.hidden = true));
    if (!next[e.key]) return;
    e.preventDefault();
    show(next[e.key], true);
  });
  if (spec.rowNotes && spec.rowNotes.length === spec.slice.outRows && drawn.cell >= 10) {
    const sums = h('div', { class: 'row-sums', 'aria-label': 'row sums' });
    spec.rowNotes.forEach((n, r) => {
      const s = h('div', { class: `row-sum${n.flag ? ' flagged' : ''}`, 'data-r': r, title: n.flag ?? 'row sum' }, [n.flag ? `${n.text} ⚠` : n.text]);
      s.style.height = `${drawn.cell}px`;
      sums.append(s);
    });
    row.append(sums);
  }
  return figureShell(v, f, spec, row);
}

/** The reader of a mask in words: "read by masked_fill", "added to scores". */
function consumerWords(consumer: string): string {
  const p = consumerPhrase(consumer);
  return p.code ? `${p.text} ${p.code}` : p.text;
}

/** ■/⬚ in the consumer's convention (masked_fill: True = filled; sdpa: True = attends). */
function renderLegend(v: InspectorVariable, figs: FigureTensor[]): void {
  const box = byId('mask-legend');
  box.replaceChildren();
  const t = v.value as TensorValue;
  if (!(isMaskLike(t) && (v.mask !== undefined || isBoolDtype(t.dtype)))) {
    if (figs.some((f) => f.masked?.some((x) => x))) box.append(h('span', { class: 'swatch masked-swatch' }, ['▨']), ' hatched = masked by the mask that produced these values');
    return;
  }
  const legend = v.legend ?? { on: 'true/nonzero', off: 'false/zero' };
  box.dataset.consumer = v.consumer ?? '';
  box.append(
    h('span', { class: 'swatch on' }, ['■']), ` ${legend.on} · `,
    h('span', { class: 'swatch off' }, ['⬚']), ` ${legend.off}`,
    ...(v.consumer ? [h('span', { class: 'muted' }, [` (${consumerWords(v.consumer)})`])] : []),
    ...(figs[0]?.masked ? [' · ', h('span', { class: 'swatch masked-swatch' }, ['▨']), ' hatched = masked'] : []),
  );
}

// ---------- export ----------

function exportAs(format: ExportFormat): void {
  const v = selectedVariable();
  const s = view();
  if (!v || !s || !isTensor(v.value)) return;
  const t = v.value;
  let content: string;
  let fileName: string;
  if (format === 'python') {
    content = pythonLiteral(v.name, t) + '\n';
    fileName = `${v.name}.py`;
  } else if (format === 'csv') {
    content = csvOfView(t, s.rowDim, s.colDim, s.index);
    fileName = `${v.name}.csv`;
  } else {
    const canvas = figurePng();
    if (!canvas) return;
    content = canvas.toDataURL('image/png');
    fileName = `${v.name}.png`;
  }
  document.body.dataset.lastExport = JSON.stringify({ format, fileName, length: content.length, head: content.slice(0, 200) });
  post({ type: 'export', format, fileName, content });
}

/** The figures side by side on one canvas, with the theme background (titles left out). */
function figurePng(): HTMLCanvasElement | undefined {
  const canvases = Array.from(byId('figures').querySelectorAll('canvas')).filter((c) => c.closest('.heatmap-canvas'));
  // values mode: draw the heatmap off-screen at 16 px per cell
  const s = view()!;
  const v = selectedVariable()!;
  const p = readPalette();
  const sources = canvases.length > 0 ? canvases : figureTensors().map((f) => drawHeatmap(figureSpec(v, f, sliceNow(f, s), s), p, 16).canvas);
  const gap = 16;
  const out = document.createElement('canvas');
  out.width = sources.reduce((a, c) => a + c.width, 0) + gap * (sources.length + 1);
  out.height = Math.max(...sources.map((c) => c.height)) + 2 * gap;
  const ctx = out.getContext('2d')!;
  ctx.fillStyle = readPalette().bg;
  ctx.fillRect(0, 0, out.width, out.height);
  let x = gap;
  for (const c of sources) {
    ctx.drawImage(c, x, gap);
    x += c.width + gap;
  }
  return out;
}

/** The view pooled to at most 1024 × 1024, synchronously (for the PNG of a values table). */
function sliceNow(f: FigureTensor, s: ViewState): TensorSlice {
  return sliceTensor(f.value, { rowDim: s.rowDim, colDim: s.colDim, index: s.index, maxRows: 1024, maxCols: 1024 }, f.masked, figureMaskedCells(f));
}

// ---------- problems ----------

function renderProblems(state: InspectorState): void {
  const all = problemRows(state);
  const table = byId('problems');
  table.replaceChildren(h('tr', {}, [h('th', {}, ['Line']), h('th', {}, ['Kind']), h('th', {}, ['Message'])]));
  for (const r of all) {
    // a warning without a line is not a link (its line cell was "0")
    const at = r.line !== null && r.line > 0 ? r.line : undefined;
    table.append(h('tr', { 'data-line': at, tabindex: at !== undefined ? 0 : undefined, class: 'problem-row' }, [h('td', {}, [lineCell(r.line, state.cellStartLines)]), h('td', {}, [r.kind]), h('td', {}, [r.message])]));
  }
  table.hidden = all.length === 0;
  byId('no-problems').hidden = all.length > 0;
  byId('error-count').textContent = String(all.length);
  const banner = byId('error-banner');
  // the code's own errors first; a file whose only problems are what Mask Lens does not model gets an information banner
  const shown = errorBanner(state);
  if (shown) {
    banner.hidden = false;
    banner.classList.toggle('limit', shown.limit);
    banner.textContent = shown.text;
  } else {
    banner.hidden = true;
    banner.textContent = '';
  }
}

// ---------- messages ----------

function handle(message: HostToWebviewMessage): void {
  switch (message.type) {
    case 'showState':
      showState(message.state);
      return;
    case 'showEmpty':
      showEmpty(message.reason);
      return;
    case 'showScope':
      // the cursor moved into a call or a cell, or a call was chosen in the hover or the CodeLens
      if (current && hasScope(current, message.scope)) {
        if (message.selected !== undefined) (byId('tabs') as HTMLElement & { selectedIndex: number }).selectedIndex = 0;
        showScope(message.scope, message.selected, false);
      }
      return;
    case 'slice': {
      const done = waiting.get(message.id);
      waiting.delete(message.id);
      done?.(message.slice ? fromWire(message.slice) : null);
      return;
    }
    case 'operands': {
      const done = waitingOperands.get(message.id);
      waitingOperands.delete(message.id);
      done?.(message.operands);
      return;
    }
    case 'selectVariable':
      if (current && shownVariables().some((v) => v.name === message.name)) {
        // the cursor moved to a variable: show its values
        (byId('tabs') as HTMLElement & { selectedIndex: number }).selectedIndex = 0;
        persisted.selected = message.name;
        save();
        renderVariablePicker(current);
        renderSelected();
      }
      return;
    default: {
      const unhandled: never = message;
      return unhandled;
    }
  }
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  if (isHostToWebviewMessage(event.data)) handle(event.data);
});
// Theme changes re-colour the canvas figures.
new MutationObserver(() => void renderFigures()).observe(document.body, { attributes: true, attributeFilter: ['class'] });

buildLayout(byId('mask-lens-root'));
showEmpty('Waiting for an evaluation…');
byId('mask-lens-root').dataset.ready = 'true';
post({ type: 'ready' });
