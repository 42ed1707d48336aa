// The inspector's scope picker (issue #10): the module's variables (a whole
// notebook's), then each notebook cell's, then each recorded call's
// ("Attn.forward · call 2 of 3 · from line 22"). The host says which scope to
// show when the cursor or the chosen call moves (InspectorState.scope,
// 'showScope'); a pick here goes back to the host ('scopeSelected') so the
// hover and the CodeLens show the same call.
import { MODULE_SCOPE, type InspectorScope, type InspectorState, type InspectorVariable } from '../src/vscode/protocol';
import { lineLabel } from '../src/python/notebook';

/** The label of the module's scope: the file's, or the whole notebook's. */
export function moduleLabel(state: InspectorState): string {
  return /\.ipynb$/i.test(state.fileName) ? 'notebook · every cell' : `module · ${state.fileName}`;
}

/** The scope to show: the host's choice where it names one that exists, else `kept` where it exists, else the module. */
export function resolveScope(state: InspectorState, kept: string | undefined): string {
  const exists = (id: string | undefined): id is string => id === MODULE_SCOPE || (id !== undefined && (state.scopes ?? []).some((s) => s.id === id));
  if (exists(state.scope)) return state.scope;
  return exists(kept) ? kept : MODULE_SCOPE;
}

/** The variables a scope shows. */
export function scopeVariables(state: InspectorState, scope: string): InspectorVariable[] {
  if (scope === MODULE_SCOPE) return state.variables;
  return (state.scopes ?? []).find((s) => s.id === scope)?.variables ?? state.variables;
}

/** Whether `id` names a scope of `state`. */
export function hasScope(state: InspectorState, id: string): boolean {
  return id === MODULE_SCOPE || (state.scopes ?? []).some((s) => s.id === id);
}

function optionFor(s: InspectorScope, cellStartLines: number[] | undefined): { value: string; label: string; description: string } {
  const n = s.variables.length;
  return { value: s.id, label: s.label, description: `${n} value${n === 1 ? '' : 's'} · ${lineLabel(s.line, cellStartLines)}` };
}

type H = (tag: string, attrs?: Record<string, string | number | boolean | undefined>, children?: (Node | string)[]) => HTMLElement;

/**
 * Fill the picker (a vscode-single-select: arrow keys, typing to find,
 * Enter/Escape, themed by the toolkit) with the module and every scope; the
 * toolbar row holding it hides when there is only the module.
 */
export function renderScopePicker(row: HTMLElement, select: HTMLElement & { value: string }, state: InspectorState, scope: string, h: H): void {
  const scopes = state.scopes ?? [];
  row.hidden = scopes.length === 0;
  const options = [
    { value: MODULE_SCOPE, label: moduleLabel(state), description: `${state.variables.length} values` },
    ...scopes.map((s) => optionFor(s, state.cellStartLines)),
  ];
  select.replaceChildren(...options.map((o) => h('vscode-option', { value: o.value, description: o.description, selected: o.value === scope }, [o.label])));
  select.value = scope;
  select.dataset.scope = scope;
  select.setAttribute('aria-description', `${scopes.length + 1} scopes: the module, then ${scopes.some((s) => s.id.startsWith('cell:')) ? 'each cell, then ' : ''}each recorded call`);
}
