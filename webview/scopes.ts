// The inspector's scope picker (issue #10): the module's variables first,
// then each recorded call of each function or method. Choosing a scope shows
// that call's locals in the variable picker and heatmap.
import type { InspectorState } from '../src/vscode/protocol';

export const MODULE_SCOPE = 'module';

/** The state as the rest of the page shows it: its variables are those of scope `id` (the module's if unknown). */
export function scopedState(state: InspectorState, id: string | undefined): InspectorState {
  const scope = state.scopes?.find((s) => s.id === id);
  return scope ? { ...state, variables: scope.variables, selected: undefined } : state;
}

/** Fill the scope dropdown; it is hidden when nothing but the module was recorded. */
export function renderScopePicker(
  dropdown: HTMLSelectElement, state: InspectorState, chosen: string | undefined,
  option: (value: string, label: string, selected: boolean) => HTMLElement,
): void {
  const scopes = state.scopes ?? [];
  const value = scopes.some((s) => s.id === chosen) ? chosen! : MODULE_SCOPE;
  dropdown.replaceChildren(option(MODULE_SCOPE, 'module', value === MODULE_SCOPE), ...scopes.map((s) => option(s.id, s.label, s.id === value)));
  (dropdown.parentElement ?? dropdown).hidden = scopes.length === 0;
  dropdown.value = value;
  // the toolkit picks up slotted options a frame later
  requestAnimationFrame(() => (dropdown.value = value));
}
