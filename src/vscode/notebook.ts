// Notebooks in the editor: a cell's hover, diagnostics and preview come from
// evaluating the notebook's Python code cells in order (as "Run All" would),
// cached per notebook version. The joining and line mapping live below the
// vscode layer (src/python/notebook.ts) so the CLI runs notebooks too.
import * as vscode from 'vscode';
import { cellLineLabel, cellPosition, layoutCells, sourceLine, type CellLayout, type LineLabel } from '../python/notebook';
import type { RunResult } from '../python/result';
import { fullFileOptions, type Evaluation } from './documentEvaluations';
import type { EvaluationService } from '../service/client';
import { toVsDiagnostics } from './diagnostics';
import { readSettings } from './settings';
import { buildInspectorState } from './inspectorState';
import { cellScopeId, cellScopes } from './inspectorScopes';
import type { InspectorState } from './protocol';

export const NOTEBOOK_CELL_SCHEME = 'vscode-notebook-cell';

export function isNotebookCell(doc: vscode.TextDocument): boolean {
  return doc.uri.scheme === NOTEBOOK_CELL_SCHEME;
}

/** The notebook a cell document belongs to. */
export function notebookOfCell(doc: vscode.TextDocument): { notebook: vscode.NotebookDocument; cell: vscode.NotebookCell } | undefined {
  for (const notebook of vscode.workspace.notebookDocuments) {
    const cell = notebook.getCells().find((c) => c.document === doc || c.document.uri.toString() === doc.uri.toString());
    if (cell) return { notebook, cell };
  }
  return undefined;
}

export interface NotebookEvaluation {
  layout: CellLayout;
  evaluation: Evaluation;
}

/** What a cell's hover reads: the notebook's result and how the cell's lines map into it. */
export interface CellView {
  result: RunResult;
  /** 1-based line of the joined source for a 1-based line of this cell. */
  toSource(line: number): number;
  /** How a line of the joined source reads to the user: "cell 2, line 3". */
  at: LineLabel;
  evaluation: Evaluation;
}

/** A result whose lines are one cell's own (for that cell's diagnostics). */
function cellResult(result: RunResult, layout: CellLayout, cellIndex: number): RunResult {
  const mine = <T extends { line: number }>(xs: T[]) =>
    xs.flatMap((x) => {
      const p = cellPosition(layout, x.line);
      if (p.cell !== cellIndex) return [];
      const end = 'endLine' in x && typeof x.endLine === 'number' ? { endLine: cellPosition(layout, x.endLine).line } : {};
      return [{ ...x, line: p.line, ...end }];
    });
  const errors = mine(result.errors);
  return { ...result, errors, error: errors[0] ?? null, diagnostics: mine(result.diagnostics) };
}

export class NotebookEvaluations implements vscode.Disposable {
  private readonly cache = new Map<string, { key: string; value: Promise<NotebookEvaluation> }>();
  private readonly collection = vscode.languages.createDiagnosticCollection('maskLens.notebooks');
  private readonly pending = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly subscriptions: vscode.Disposable[] = [
    vscode.workspace.onDidOpenNotebookDocument((nb) => this.schedule(nb)),
    vscode.workspace.onDidChangeNotebookDocument((e) => this.schedule(e.notebook)),
    vscode.workspace.onDidCloseNotebookDocument((nb) => {
      this.cache.delete(nb.uri.toString());
      for (const c of nb.getCells()) this.collection.delete(c.document.uri);
    }),
  ];

  constructor(private readonly service: EvaluationService) {
    for (const nb of vscode.workspace.notebookDocuments) this.schedule(nb);
  }

  /** Evaluate soon (debounced), so diagnostics appear in the cells and the first hover is instant. */
  private schedule(nb: vscode.NotebookDocument): void {
    if (!nb.getCells().some((c) => c.document.languageId === 'python')) return;
    const key = nb.uri.toString();
    clearTimeout(this.pending.get(key));
    this.pending.set(key, setTimeout(() => {
      this.pending.delete(key);
      if (!nb.isClosed) this.get(nb).catch(() => undefined);
    }, 300));
  }

  /** The evaluation of every Python code cell of `notebook`, in order, in the service's worker (cached while nothing changed). */
  get(notebook: vscode.NotebookDocument): Promise<NotebookEvaluation> {
    const cells = notebook.getCells().filter((c) => c.kind === vscode.NotebookCellKind.Code && c.document.languageId === 'python');
    const key = `${notebook.version}:${cells.map((c) => `${c.index}.${c.document.version}`).join(',')}`;
    const uri = notebook.uri.toString();
    const hit = this.cache.get(uri);
    if (hit && hit.key === key) return hit.value;
    const layout = layoutCells(cells.map((c) => ({ index: c.index, source: c.document.getText() })));
    const options = { ...fullFileOptions(readSettings()), cellStartLines: layout.startLines };
    const value = this.service.evaluate(layout.source, options, { key: uri }).then((r) => {
      const evaluation: Evaluation = { uri, version: notebook.version, options, result: r.result, elapsedMs: r.elapsedMs, id: r.evaluation };
      // every cell shows its own errors and mask warnings, on its own lines
      for (const c of cells) this.collection.set(c.document.uri, toVsDiagnostics(c.document, cellResult(r.result, layout, c.index), undefined, (line) => cellLineLabel(layout, line)));
      return { layout, evaluation };
    });
    this.cache.set(uri, { key, value });
    value.catch(() => {
      if (this.cache.get(uri)?.value === value) this.cache.delete(uri);
    });
    return value;
  }

  /** The view a hover in this cell document reads, or undefined for documents outside notebooks. */
  async viewOfCell(doc: vscode.TextDocument): Promise<CellView | undefined> {
    if (!isNotebookCell(doc)) return undefined;
    const found = notebookOfCell(doc);
    if (!found) return undefined;
    const { layout, evaluation } = await this.get(found.notebook);
    const index = found.cell.index;
    return { result: evaluation.result, evaluation, toSource: (line) => sourceLine(layout, index, line) ?? line, at: (line) => cellLineLabel(layout, line) };
  }

  dispose(): void {
    for (const t of this.pending.values()) clearTimeout(t);
    this.collection.dispose();
    for (const s of this.subscriptions) s.dispose();
  }
}

/** The inspector's view of a whole notebook: every name, then each cell's, then each recorded call; on the given cell. */
export function notebookInspectorState(notebook: vscode.NotebookDocument, value: NotebookEvaluation, activeCell: number | undefined, selected?: string): InspectorState {
  const at = (line: number) => cellLineLabel(value.layout, line);
  const base = buildInspectorState(notebook.uri.toString(), notebook.uri.fsPath, value.evaluation, 'all', selected, at);
  const scopes = [...cellScopes(value.evaluation.result, value.layout), ...(base.scopes ?? [])];
  return { ...base, scopes, cellStartLines: value.layout.startLines, ...(activeCell !== undefined ? { scope: cellScopeId(activeCell) } : {}) };
}
