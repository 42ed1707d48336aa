// The inspector's scopes beyond the module (issue #10): each recorded call's
// values, and each notebook cell's. No 'vscode' import: unit-tested.
import { lineLabel, sourceLine, type CellLayout, type LineLabel } from '../python/notebook';
import type { RunResult } from '../python/result';
import { callLabel, chooseCall, functionAt } from './callLookup';
import { diagnosticsFor } from './hoverMarkdown';
import type { InspectorScope, InspectorVariable } from './protocol';
import { variableAtLine } from './variableLookup';

/**
 * Each recorded call as an inspector scope, grouped by function in source
 * order: every local's, argument's and attribute's latest value, then what it
 * returned. `lineAt` names the calling line ("from cell 2, line 3" in a notebook).
 */
export function callScopes(result: RunResult, lineAt: LineLabel = lineLabel): InspectorScope[] {
  const totals = new Map((result.functions ?? []).map((f) => [f.function, f.calls]));
  // grouped by function, in source order, then by call; `at` is the call's index in result.calls (its worker address)
  const calls = (result.calls ?? []).map((c, at) => ({ c, at })).sort((a, b) => a.c.line - b.c.line || a.c.function.localeCompare(b.c.function) || a.c.call - b.c.call);
  return calls.map(({ c, at }) => {
    const latest = new Map(c.timeline.map((s, index) => [s.name, { s, index }]));
    if (c.returned) latest.set('return', { s: c.returned, index: -1 });
    const variables: InspectorVariable[] = [...latest.values()].map(({ s, index }) => {
      const diagnostics = diagnosticsFor(result.diagnostics, s);
      return {
        name: index < 0 ? 'return' : s.name, value: s.value, line: s.line, repr: s.repr, mask: s.mask,
        maskSummary: s.maskSummary, consumer: s.consumer, legend: s.legend, ...(diagnostics.length ? { diagnostics } : {}),
        ...(s.maskParts ? { maskParts: s.maskParts } : {}), ...(s.derived ? { derived: s.derived } : {}),
        address: { kind: 'call', call: at, index },
      };
    });
    return { id: callScopeId(c.function, c.call), label: `${c.function} · ${callLabel(c, totals.get(c.function) ?? c.call, lineAt)}`, function: c.function, call: c.call, line: c.line, variables };
  });
}

/** The inspector scope id of a recorded call: "Attn.forward#2". */
export function callScopeId(qualname: string, call: number): string {
  return `${qualname}#${call}`;
}

/** "Attn.forward#2" -> Attn.forward, call 2; undefined for the module's and cells' scopes. */
export function parseCallScope(scope: string): { function: string; call: number } | undefined {
  const m = /^(.+)#(\d+)$/.exec(scope);
  return m ? { function: m[1], call: Number(m[2]) } : undefined;
}

/** The inspector scope id of a notebook cell (its index among all the notebook's cells). */
export function cellScopeId(cell: number): string {
  return `cell:${cell}`;
}

/** One scope per code cell: the names that cell binds, each as the cell left it. */
export function cellScopes(result: RunResult, layout: CellLayout): InspectorScope[] {
  return layout.cells.map((c, i) => {
    const end = layout.startLines[i + 1] ?? Infinity;
    const latest = new Map(result.timeline.map((s, index) => ({ s, index })).filter(({ s }) => s.line >= layout.startLines[i] && s.line < end).map((x) => [x.s.name, x]));
    const variables: InspectorVariable[] = [...latest.values()].map(({ s, index }) => ({
      // the joined source's line, as every line of a notebook's state (the webview names it "cell 2, line 3")
      name: s.name, value: s.value, line: s.line, repr: s.repr, mask: s.mask, maskSummary: s.maskSummary, consumer: s.consumer, legend: s.legend,
      ...(s.maskParts ? { maskParts: s.maskParts } : {}), ...(s.derived ? { derived: s.derived } : {}),
      address: { kind: 'timeline', index },
    }));
    return { id: cellScopeId(c.index), label: `cell ${i + 1}`, line: layout.startLines[i], variables };
  });
}

/** What the inspector shows for a cursor: a scope id and the variable to select in it. */
export interface FollowTarget {
  scope: string;
  selected?: string;
}

/**
 * Where the inspector goes for a cursor on `line` (1-based, of the evaluated
 * source): inside a function the file called, that function's chosen call
 * (`chosen(qualname)`, else its first) and the local bound at or above the
 * line; elsewhere the scope `outside` (the module, or the cursor's notebook
 * cell) and the variable bound at or above the line there.
 */
export function followTarget(
  result: RunResult, line: number, lineText: (n: number) => string, chosen: (qualname: string) => number | undefined, outside: string,
): FollowTarget {
  const fn = functionAt(result, line);
  const call = fn && chooseCall(result, fn.function, chosen(fn.function));
  if (call) {
    const found = variableAtLine({ ...result, timeline: call.timeline, variables: call.variables }, line, lineText);
    return { scope: callScopeId(call.function, call.call), ...(found ? { selected: found.name } : {}) };
  }
  const found = variableAtLine(result, line, lineText);
  return { scope: outside, ...(found ? { selected: found.name } : {}) };
}

/**
 * Where the inspector goes for a cursor in a notebook cell: followTarget on
 * the notebook's joined source, with the cell's own scope outside functions
 * (a cursor in a function's body: its chosen call, as in a file). `cell` is
 * the cell's index among all the notebook's cells, `cellLine` the cursor's
 * 1-based line in it (undefined: no cursor, the cell's scope), `cellText`
 * that cell's line n.
 */
export function cellFollowTarget(
  result: RunResult, layout: CellLayout, cell: number, cellLine: number | undefined, cellText: (n: number) => string, chosen: (qualname: string) => number | undefined,
): FollowTarget {
  const line = cellLine === undefined ? undefined : sourceLine(layout, cell, cellLine);
  if (line === undefined) return { scope: cellScopeId(cell) };
  const start = layout.startLines[layout.cells.findIndex((c) => c.index === cell)] ?? 1;
  return followTarget(result, line, (n) => cellText(n - start + 1), chosen, cellScopeId(cell));
}
