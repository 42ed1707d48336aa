// The inspector's scopes beyond the module (issue #10): each recorded call's
// values, and each notebook cell's. No 'vscode' import: unit-tested.
import { cellPosition, type CellLayout } from '../python/notebook';
import type { RunResult } from '../python/result';
import { callLabel } from './callLookup';
import { diagnosticsFor } from './hoverMarkdown';
import type { InspectorScope, InspectorVariable } from './protocol';

/** Each recorded call as an inspector scope, grouped by function in source order: every local's, argument's and attribute's latest value, then what it returned. */
export function callScopes(result: RunResult): InspectorScope[] {
  const totals = new Map((result.functions ?? []).map((f) => [f.function, f.calls]));
  // grouped by function, in source order, then by call
  const calls = [...(result.calls ?? [])].sort((a, b) => a.line - b.line || a.function.localeCompare(b.function) || a.call - b.call);
  return calls.map((c) => {
    const latest = new Map(c.timeline.map((s) => [s.name, s]));
    if (c.returned) latest.set('return', c.returned);
    const variables: InspectorVariable[] = [...latest.values()].map((s) => {
      const diagnostics = diagnosticsFor(result.diagnostics, s);
      return {
        name: s === c.returned ? 'return' : s.name, value: s.value, line: s.line, repr: s.repr, mask: s.mask,
        maskSummary: s.maskSummary, consumer: s.consumer, legend: s.legend, ...(diagnostics.length ? { diagnostics } : {}),
      };
    });
    return { id: `${c.function}#${c.call}`, label: `${c.function} · ${callLabel(c, totals.get(c.function) ?? c.call)}`, function: c.function, call: c.call, line: c.line, variables };
  });
}

/** One scope per code cell: the names that cell binds, each as the cell left it. */
export function cellScopes(result: RunResult, layout: CellLayout): InspectorScope[] {
  return layout.cells.map((c, i) => {
    const latest = new Map(result.timeline.filter((s) => cellPosition(layout, s.line).cell === c.index).map((s) => [s.name, s]));
    const variables = [...latest.values()].map((s) => ({
      name: s.name, value: s.value, line: cellPosition(layout, s.line).line, repr: s.repr, mask: s.mask, maskSummary: s.maskSummary, consumer: s.consumer, legend: s.legend,
    }));
    return { id: `cell:${c.index}`, label: `cell ${c.index + 1}`, line: layout.startLines[i], variables };
  });
}

