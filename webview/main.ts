// The tensor inspector's page: a variable picker, a heatmap of the chosen
// tensor (one 2-D slice at a time), its printed repr, stdout, and errors.
// Talks to the extension host only through the messages in protocol.ts.
import { html } from '@microsoft/fast-element';
import {
  provideVSCodeDesignSystem,
  vsCodeBadge,
  vsCodeButton,
  vsCodeDataGrid,
  vsCodeDataGridCell,
  vsCodeDataGridRow,
  vsCodeDropdown,
  vsCodeOption,
  vsCodePanels,
  vsCodePanelTab,
  vsCodePanelView,
} from '@vscode/webview-ui-toolkit';
import { isHostToWebviewMessage, type HostToWebviewMessage, type InspectorState, type InspectorVariable, type WebviewToHostMessage } from '../src/vscode/protocol';
import {
  finiteRange,
  formatCell,
  formatShape,
  isMaskLike,
  isTensor,
  leadingShape,
  scalarText,
  shortDtype,
  sliceMatrix,
  toNumber,
  type TensorValue,
} from '../src/vscode/tensorView';
import { MODULE_SCOPE, renderScopePicker, scopedState } from './scopes';

// Record CSP violations (element and directive) where tests can read them: the
// page must work under its strict policy, and this tells whose markup broke it.
const cspViolations: { tag: string; directive: string }[] = [];
document.addEventListener(
  'securitypolicyviolation',
  (e) => {
    const t = e.target;
    cspViolations.push({ tag: t instanceof Element ? t.tagName.toLowerCase() : String(t), directive: e.violatedDirective });
    document.body.dataset.cspViolations = JSON.stringify(cspViolations);
  },
  true,
);

/**
 * The toolkit's badge template with its `style="${…}"` binding left out: that
 * binding clones an inline style attribute the strict CSP blocks, and this
 * page never sets a badge's fill or colour, which is all it carried.
 */
const badgeTemplate = html<{ circular: boolean }>`
  <template class="${(x) => (x.circular ? 'circular' : '')}">
    <div class="control" part="control"><slot></slot></div>
  </template>
`;

provideVSCodeDesignSystem().register(
  vsCodeBadge({ template: badgeTemplate }),
  vsCodeButton(),
  vsCodeDataGrid(),
  vsCodeDataGridCell(),
  vsCodeDataGridRow(),
  vsCodeDropdown(),
  vsCodeOption(),
  vsCodePanels(),
  vsCodePanelTab(),
  vsCodePanelView(),
);

interface VsCodeApi {
  postMessage(message: WebviewToHostMessage): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;
const vscode = acquireVsCodeApi();

/** Heatmap cells beyond these are elided with … (the hover has its own, smaller limits). */
const MAX_ROWS = 64;
const MAX_COLS = 64;
/** Cell text is drawn only up to this many columns; wider grids show colour only (values in tooltips). */
const MAX_LABELLED_COLS = 24;

/** What survives a reload of the webview (it is torn down while hidden). */
interface PersistedState {
  documentUri?: string;
  selected?: string;
  /** The scope picker's choice: the module, or one recorded call ("fn#2"). */
  scope?: string;
  slices: Record<string, number[]>;
}

function loadPersisted(): PersistedState {
  const s = vscode.getState() as Partial<PersistedState> | undefined;
  return { documentUri: s?.documentUri, selected: s?.selected, scope: s?.scope, slices: s?.slices ?? {} };
}

let persisted = loadPersisted();
let current: InspectorState | undefined;
/** The state as the host sent it (`current` shows one scope of it). */
let received: InspectorState | undefined;

function post(message: WebviewToHostMessage): void {
  vscode.postMessage(message);
}

function save(): void {
  vscode.setState(persisted);
}

// ---------- DOM helpers ----------

type Attrs = Record<string, string | number | boolean | undefined>;

function h<K extends string>(tag: K, attrs: Attrs = {}, children: (Node | string)[] = []): HTMLElement {
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
      h('vscode-button', { id: 'refresh', appearance: 'secondary', title: 'Evaluate again' }, ['Refresh']),
    ]),
    h('p', { id: 'empty', class: 'empty' }),
    h('div', { id: 'error-banner', class: 'error-banner', role: 'alert', hidden: true }),
    h('vscode-panels', { id: 'tabs', activeid: 'tab-values', 'aria-label': 'Inspector views' }, [
      h('vscode-panel-tab', { id: 'tab-values' }, ['VALUES']),
      h('vscode-panel-tab', { id: 'tab-print' }, ['PRINT']),
      h('vscode-panel-tab', { id: 'tab-errors' }, ['ERRORS', h('vscode-badge', { id: 'error-count', appearance: 'secondary' }, ['0'])]),
      h('vscode-panel-view', { id: 'view-values' }, [
        h('section', { class: 'values' }, [
          h('div', { class: 'toolbar', id: 'scope-bar', hidden: true }, [
            h('label', { for: 'scope-select' }, ['Scope']),
            h('vscode-dropdown', { id: 'scope-select', position: 'below' }),
          ]),
          h('div', { class: 'toolbar' }, [
            h('label', { for: 'variable-select' }, ['Variable']),
            h('vscode-dropdown', { id: 'variable-select', position: 'below' }),
            h('span', { id: 'badges', class: 'badges' }),
          ]),
          h('div', { id: 'slice-controls', class: 'slice-controls' }),
          h('div', { id: 'slice-label', class: 'slice-label' }),
          h('div', { id: 'heatmap', class: 'heatmap', role: 'grid' }),
          h('div', { id: 'mask-legend', class: 'mask-legend' }),
          h('ul', { id: 'variable-diagnostics', class: 'variable-diagnostics' }),
          h('div', { id: 'scalar', class: 'scalar' }),
          h('h3', {}, ['Printed']),
          h('pre', { id: 'repr', class: 'repr' }),
        ]),
      ]),
      h('vscode-panel-view', { id: 'view-print' }, [h('section', {}, [h('h3', {}, ['stdout']), h('pre', { id: 'stdout', class: 'stdout' })])]),
      h('vscode-panel-view', { id: 'view-errors' }, [
        h('section', {}, [
          h('vscode-data-grid', { id: 'problems', 'aria-label': 'Errors and mask warnings', 'grid-template-columns': '5em 14em 1fr' }),
          h('p', { id: 'no-problems', class: 'muted' }, ['No errors or mask warnings.']),
        ]),
      ]),
    ]),
  );

  byId('refresh').addEventListener('click', () => post({ type: 'refresh' }));
  byId('variable-select').addEventListener('change', (e) => {
    const value = (e.target as HTMLSelectElement).value;
    if (value && current && value !== persisted.selected) {
      persisted.selected = value;
      save();
      post({ type: 'variableSelected', name: value });
      renderSelected();
    }
  });
  byId('scope-select').addEventListener('change', (e) => {
    const value = (e.target as HTMLSelectElement).value;
    if (value && received && value !== (persisted.scope ?? MODULE_SCOPE)) {
      persisted.scope = value;
      persisted.selected = undefined;
      showState(received);
    }
  });
  byId('problems').addEventListener('click', (e) => {
    const row = e.composedPath().find((n): n is HTMLElement & { rowData?: ProblemRow } => n instanceof HTMLElement && n.tagName === 'VSCODE-DATA-GRID-ROW');
    const line = row?.rowData?.Line;
    if (current && typeof line === 'number') post({ type: 'revealLine', documentUri: current.documentUri, line });
  });
}

// ---------- rendering ----------

interface ProblemRow {
  Line: number;
  Kind: string;
  Message: string;
}

function showEmpty(reason: string): void {
  current = undefined;
  document.body.dataset.state = 'empty';
  byId('empty').textContent = reason;
  byId('file-name').textContent = 'Tensor Inspector';
  byId('mode').textContent = '';
  byId('timing').textContent = '';
}

function showState(sent: InspectorState): void {
  received = sent;
  if (persisted.documentUri !== sent.documentUri) persisted = { documentUri: sent.documentUri, slices: {} };
  if (sent.scope && sent.scope !== persisted.scope) {
    persisted.scope = sent.scope;
    persisted.selected = undefined;
  }
  const state = scopedState(sent, persisted.scope);
  current = state;
  renderScopePicker(byId<HTMLSelectElement>('scope-select'), sent, persisted.scope, (value, label, selected) => h('vscode-option', { value, selected }, [label]));
  const names = state.variables.map((v) => v.name);
  if (state.selected && names.includes(state.selected)) persisted.selected = state.selected;
  else if (!persisted.selected || !names.includes(persisted.selected)) persisted.selected = pickDefault(state.variables);
  save();

  document.body.dataset.state = 'shown';
  byId('file-name').textContent = state.fileName;
  byId('mode').textContent = state.mode === 'cursor' ? `up to line ${state.stopAfterLine ?? '?'}` : 'whole file';
  byId('timing').textContent = `${state.variables.length} variables · ${state.elapsedMs} ms`;
  byId('empty').textContent = names.length === 0 ? 'No variables were bound.' : '';

  renderVariablePicker(state);
  renderSelected();
  byId('stdout').textContent = state.stdout.length > 0 ? state.stdout : '(nothing printed)';
  renderProblems(state);
}

/** Prefer the first mask-like tensor: that is what this tool is for. */
function pickDefault(vars: InspectorVariable[]): string | undefined {
  const mask = vars.find((v) => isTensor(v.value) && isMaskLike(v.value));
  return (mask ?? vars.find((v) => isTensor(v.value)) ?? vars[0])?.name;
}

function optionLabel(v: InspectorVariable): string {
  if (isTensor(v.value)) return `${v.name}  ${shortDtype(v.value.dtype)}${formatShape(v.value.shape)}`;
  return `${v.name}  ${v.value.type}`;
}

function renderVariablePicker(state: InspectorState): void {
  const dropdown = byId<HTMLSelectElement>('variable-select');
  const options = state.variables.map((v) => h('vscode-option', { value: v.name, selected: v.name === persisted.selected }, [optionLabel(v)]));
  dropdown.replaceChildren(...options);
  if (persisted.selected) {
    dropdown.value = persisted.selected;
    // The toolkit picks up slotted options a frame later.
    requestAnimationFrame(() => {
      if (persisted.selected) dropdown.value = persisted.selected;
    });
  }
}

function selectedVariable(): InspectorVariable | undefined {
  return current?.variables.find((v) => v.name === persisted.selected);
}

function renderSelected(): void {
  const v = selectedVariable();
  const badges = byId('badges');
  const heatmap = byId('heatmap');
  const scalar = byId('scalar');
  const repr = byId('repr');
  const sliceControls = byId('slice-controls');
  badges.replaceChildren();
  heatmap.replaceChildren();
  byId('mask-legend').replaceChildren();
  byId('variable-diagnostics').replaceChildren();
  sliceControls.replaceChildren();
  byId('slice-label').textContent = '';
  scalar.textContent = '';
  heatmap.dataset.variable = v?.name ?? '';
  if (!v) {
    repr.textContent = '';
    return;
  }
  const line = v.line !== undefined ? `line ${v.line}` : undefined;
  if (isTensor(v.value)) {
    const t = v.value;
    badges.append(
      h('vscode-badge', { class: 'dtype', title: 'dtype' }, [t.dtype]),
      h('vscode-badge', { class: 'shape', title: 'shape' }, [formatShape(t.shape)]),
      h('vscode-badge', { class: 'kind', title: 'type' }, [t.type]),
    );
    if (v.maskSummary) badges.append(h('vscode-badge', { class: 'mask-kind', title: 'mask kind and fraction masked' }, [v.maskSummary]));
    else if (v.mask) badges.append(h('vscode-badge', { class: 'mask-kind', title: 'mask kind' }, [`${v.mask} mask`]));
    renderSliceControls(v.name, t);
    renderHeatmap(v.name, t);
    if (isMaskLike(t) && t.data.length > 0) renderLegend(v);
  } else {
    badges.append(h('vscode-badge', { class: 'kind', title: 'type' }, [v.value.type]));
    scalar.textContent = scalarText(v.value);
  }
  if (line) badges.append(h('span', { class: 'muted' }, [line]));
  for (const d of v.diagnostics ?? []) {
    byId('variable-diagnostics').append(h('li', { class: `diagnostic ${d.severity}`, 'data-code': d.code }, [`${d.severity}: ${d.code} (line ${d.line}) — ${d.message}`]));
  }
  repr.textContent = v.repr ?? (isTensor(v.value) ? '(repr not recorded for this value)' : scalarText(v.value));
}

/** ■/⬚ in the consumer's convention (masked_fill: True = filled; sdpa: True = attends), else plain truth. */
function renderLegend(v: InspectorVariable): void {
  const legend = v.legend ?? { on: 'true/nonzero', off: 'false/zero' };
  const box = byId('mask-legend');
  box.dataset.consumer = v.consumer ?? '';
  box.append(
    h('span', { class: 'swatch on' }, ['■']), ` ${legend.on} · `,
    h('span', { class: 'swatch off' }, ['⬚']), ` ${legend.off}`,
    ...(v.consumer ? [h('span', { class: 'muted' }, [` (as read by ${v.consumer})`])] : []),
  );
}

function currentSlice(name: string, t: TensorValue): number[] {
  const lead = leadingShape(t.shape);
  const saved = persisted.slices[name] ?? [];
  return lead.map((n, i) => Math.min(Math.max(saved[i] ?? 0, 0), n - 1));
}

function renderSliceControls(name: string, t: TensorValue): void {
  const lead = leadingShape(t.shape);
  if (lead.length === 0) return;
  const idx = currentSlice(name, t);
  const box = byId('slice-controls');
  box.append(h('span', { class: 'muted' }, ['Slice']));
  lead.forEach((n, axis) => {
    const id = `slice-${axis}`;
    const dropdown = h('vscode-dropdown', { id, class: 'slice-select', 'aria-label': `index along dim ${axis}` });
    const count = Math.min(n, 512); // a longer list is unusable; later indices are rarely the point
    for (let i = 0; i < count; i++) dropdown.append(h('vscode-option', { value: i, selected: i === idx[axis] }, [String(i)]));
    dropdown.addEventListener('change', (e) => {
      const value = Number((e.target as HTMLSelectElement).value);
      const next = currentSlice(name, t);
      if (Number.isNaN(value) || next[axis] === value) return;
      next[axis] = value;
      persisted.slices[name] = next;
      save();
      renderHeatmap(name, t);
    });
    box.append(h('label', { for: id }, [`dim ${axis}`]), dropdown);
  });
}

function renderHeatmap(name: string, t: TensorValue): void {
  const heatmap = byId('heatmap');
  heatmap.replaceChildren();
  if (t.data.length === 0) {
    heatmap.append(h('div', { class: 'muted' }, ['(empty tensor)']));
    return;
  }
  const lead = currentSlice(name, t);
  const m = sliceMatrix(t, lead);
  const mask = isMaskLike(t);
  const range = mask ? null : finiteRange(t.data);
  const rows = Math.min(m.rows, MAX_ROWS);
  const cols = Math.min(m.cols, MAX_COLS);
  const moreCols = m.cols > cols;
  const labelled = cols <= MAX_LABELLED_COLS;

  const tail = t.shape.length >= 2 ? ':, :' : ':';
  byId('slice-label').textContent = t.shape.length === 0 ? `${name} (0-d)` : `${name}[${[...lead, tail].join(', ')}]`;
  heatmap.dataset.mask = String(mask);
  heatmap.dataset.slice = lead.join(',');
  heatmap.classList.toggle('compact', !labelled);
  // CSSOM (not a style attribute), so the strict CSP allows it.
  heatmap.style.gridTemplateColumns = `auto repeat(${cols + (moreCols ? 1 : 0)}, ${labelled ? 'minmax(2.2em, max-content)' : '0.9em'})`;

  const frag = document.createDocumentFragment();
  frag.append(h('div', { class: 'corner' }));
  for (let c = 0; c < cols; c++) frag.append(h('div', { class: 'col-head', role: 'columnheader' }, [labelled || c % 8 === 0 ? String(c) : '']));
  if (moreCols) frag.append(h('div', { class: 'col-head' }, ['…']));
  for (let r = 0; r < rows; r++) {
    frag.append(h('div', { class: 'row-head', role: 'rowheader' }, [String(r)]));
    for (let c = 0; c < cols; c++) {
      const x = m.at(r, c);
      const text = formatCell(x, t.dtype);
      const cell = h('div', { class: 'cell', role: 'gridcell', 'data-r': r, 'data-c': c, 'data-v': text, title: `[${[...lead, r, c].join(', ')}] = ${text}` });
      const n = toNumber(x);
      if (mask) cell.classList.add(n !== 0 ? 'on' : 'off');
      else if (Number.isNaN(n)) cell.classList.add('nan');
      else if (n === Number.NEGATIVE_INFINITY) cell.classList.add('neg-inf');
      else if (n === Number.POSITIVE_INFINITY) cell.classList.add('pos-inf');
      else {
        const level = range && range.max > range.min ? (n - range.min) / (range.max - range.min) : 0.5;
        cell.style.setProperty('--level', level.toFixed(3));
        cell.classList.add('num');
      }
      if (labelled) cell.textContent = mask ? (n !== 0 ? '1' : '0') : text;
      frag.append(cell);
    }
    if (moreCols) frag.append(h('div', { class: 'ellipsis' }, ['…']));
  }
  if (m.rows > rows) frag.append(h('div', { class: 'row-head' }, ['…']));
  heatmap.append(frag);
}

function renderProblems(state: InspectorState): void {
  const rows: ProblemRow[] = [
    ...state.errors.map((e) => ({ Line: e.line, Kind: e.type, Message: e.message })),
    ...state.diagnostics.map((d) => ({ Line: d.line, Kind: `${d.severity}: ${d.code}`, Message: d.variable && !d.message.includes(d.variable) ? `${d.message} (${d.variable})` : d.message })),
  ].sort((a, b) => a.Line - b.Line);
  const warnings = state.warnings.map((w) => ({ Line: 0, Kind: 'warning', Message: w }));
  const all = [...rows, ...warnings];
  const grid = byId('problems') as HTMLElement & { rowsData: ProblemRow[] };
  grid.rowsData = all;
  byId('no-problems').hidden = all.length > 0;
  byId('error-count').textContent = String(all.length);
  const banner = byId('error-banner');
  if (state.errors.length > 0) {
    const e = state.errors[0];
    banner.hidden = false;
    banner.textContent = `${e.type}: ${e.message} (line ${e.line})${state.errors.length > 1 ? ` and ${state.errors.length - 1} more` : ''}. The rest of the file still previews.`;
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
    case 'selectVariable':
      persisted.selected = message.name;
      save();
      if (current) {
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

buildLayout(byId('mask-lens-root'));
showEmpty('Waiting for an evaluation…');
byId('mask-lens-root').dataset.ready = 'true';
post({ type: 'ready' });
