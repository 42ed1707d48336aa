// From an evaluation of a document to what the inspector webview shows.
import type { InspectorState, InspectorVariable } from './protocol';
import { callScopes } from './inspectorScopes';
import { lineLabel, type LineLabel } from '../python/notebook';
import type { Evaluation } from './documentEvaluations';
// evaluationSummary, not diagnostics.ts (which imports 'vscode'): the state is built and unit-tested without VS Code
import { allErrors } from './evaluationSummary';
import { diagnosticsFor } from './hoverMarkdown';
import { latestSnapshots } from './variableLookup';

export function buildInspectorState(
  documentUri: string,
  fsPath: string,
  evaluation: Evaluation,
  mode: InspectorState['mode'],
  selected?: string,
  lineAt: LineLabel = lineLabel,
): InspectorState {
  const { result } = evaluation;
  const snapshots = latestSnapshots(result);
  const variables: InspectorVariable[] = Object.entries(result.variables).map(([name, value]) => {
    const s = snapshots.get(name);
    // An in-place op after the last recorded binding changes the value but not the snapshot's repr.
    const current = s !== undefined && JSON.stringify(s.value) === JSON.stringify(value);
    const diagnostics = diagnosticsFor(result.diagnostics, { name, line: s?.line });
    return {
      name, value, line: s?.line, repr: current ? s.repr : undefined, mask: s?.mask,
      maskSummary: current ? s.maskSummary : undefined, consumer: s?.consumer, legend: s?.legend,
      ...(current && s.maskParts ? { maskParts: s.maskParts } : {}),
      ...(current && s.derived ? { derived: s.derived } : {}),
      ...(diagnostics.length ? { diagnostics } : {}),
    };
  });
  const scopes = callScopes(result, lineAt);
  return {
    documentUri,
    fileName: baseName(fsPath),
    mode,
    stopAfterLine: evaluation.options.stopAfterLine,
    variables,
    ...(scopes.length ? { scopes } : {}),
    selected,
    stdout: result.stdout,
    warnings: result.warnings,
    errors: allErrors(result),
    diagnostics: result.diagnostics,
    elapsedMs: Math.round(evaluation.elapsedMs * 10) / 10,
    evaluation: evaluation.id,
  };
}

/** The state without the diagnostics whose codes the user turned off (maskLens.diagnostics.disabled). */
export function withoutDisabledDiagnostics(state: InspectorState, disabled: ReadonlySet<string>): InspectorState {
  if (disabled.size === 0) return state;
  const keep = (d: { code: string }) => !disabled.has(d.code);
  return {
    ...state,
    diagnostics: state.diagnostics.filter(keep),
    variables: state.variables.map((v) => (v.diagnostics ? { ...v, diagnostics: v.diagnostics.filter(keep) } : v)),
  };
}

/** The last segment of a path with either separator (no node:path, so it also runs in the browser). */
export function baseName(fsPath: string): string {
  return fsPath.slice(Math.max(fsPath.lastIndexOf('/'), fsPath.lastIndexOf('\\')) + 1);
}
