// Jupyter notebooks (.ipynb, nbformat 4): the code cells joined into one
// source, run in order as a kernel's "Run All" would, with every line of the
// result mapped back to its own cell. No 'vscode' import: the CLI runs
// notebooks too, and the editor gives its cells' text in the same shape.
// Layout only (no evaluator import), so the extension host can map lines
// without bundling the interpreter; evaluateNotebook lives in index.ts.


/** One code cell's source, in notebook order. */
export interface CodeCell {
  /** Index among all the notebook's cells (markdown included), as Jupyter numbers them from 0. */
  index: number;
  source: string;
}

/** The joined source and where each cell starts in it. */
export interface CellLayout {
  source: string;
  /** 1-based line of the joined source where cells[i] starts. */
  startLines: number[];
  cells: CodeCell[];
}

/** A position in a notebook: which code cell (its notebook index) and the 1-based line inside it. */
export interface CellPosition {
  cell: number;
  line: number;
}

/**
 * The code cells of an .ipynb file's JSON text. Raises SyntaxError-like
 * Error with a plain message when the text is not a notebook.
 */
export function readNotebook(json: string): CodeCell[] {
  let nb: unknown;
  try {
    nb = JSON.parse(json);
  } catch {
    throw new Error('not a notebook: the file is not JSON');
  }
  const cells = (nb as { cells?: unknown }).cells;
  if (!Array.isArray(cells)) throw new Error('not a notebook: no "cells" list (nbformat 4)');
  const out: CodeCell[] = [];
  cells.forEach((c: { cell_type?: unknown; source?: unknown }, index) => {
    if (c?.cell_type !== 'code') return;
    const src = Array.isArray(c.source) ? c.source.join('') : typeof c.source === 'string' ? c.source : '';
    out.push({ index, source: src });
  });
  return out;
}

/**
 * IPython lines that are not Python (`%matplotlib inline`, `!pip install x`,
 * `%%time`) become blank lines: the kernel handles them, and numbering stays.
 */
function withoutMagics(source: string): string {
  return source
    .split('\n')
    .map((l) => (/^\s*(%|!)/.test(l) ? '' : l))
    .join('\n');
}

/** Join code cells into one source; each cell begins on a line of its own. */
export function layoutCells(cells: CodeCell[]): CellLayout {
  const startLines: number[] = [];
  const parts: string[] = [];
  let line = 1;
  for (const c of cells) {
    startLines.push(line);
    const text = withoutMagics(c.source.replace(/\r\n?/g, '\n')).replace(/\n$/, '');
    parts.push(text);
    line += text.split('\n').length;
  }
  return { source: parts.join('\n'), startLines, cells };
}

/** Where a line of the joined source lies in the notebook. */
export function cellPosition(layout: CellLayout, line: number): CellPosition {
  let i = 0;
  while (i + 1 < layout.startLines.length && layout.startLines[i + 1] <= line) i++;
  return { cell: layout.cells[i]?.index ?? 0, line: line - (layout.startLines[i] ?? 1) + 1 };
}

/**
 * The number a user sees for the code cell with notebook index `cell`: its
 * place among the code cells, from 1, as a "Run All" numbers them In[n] /
 * Out[n] (markdown cells have no number). 0 when it is not a code cell.
 */
export function cellNumber(layout: CellLayout, cell: number): number {
  return layout.cells.findIndex((c) => c.index === cell) + 1;
}

/** How a line reads to a user: "line 7", or "cell 2, line 3" in a notebook (lineLabel). */
export type LineLabel = (line: number) => string;

/**
 * How a user names a line: "line 7" in a file; in a notebook (the joined
 * source of cells starting at `cellStartLines`) "cell 2, line 3", the cell
 * numbered as cellNumber and the line counted in that cell.
 */
export function lineLabel(line: number, cellStartLines?: readonly number[]): string {
  if (!cellStartLines?.length) return `line ${line}`;
  let i = 0;
  while (i + 1 < cellStartLines.length && cellStartLines[i + 1] <= line) i++;
  return `cell ${i + 1}, line ${line - cellStartLines[i] + 1}`;
}

/** "cell 2, line 3" for a line of a notebook's joined source (lineLabel). */
export function cellLineLabel(layout: CellLayout, line: number): string {
  return lineLabel(line, layout.startLines);
}

/** The joined-source line of line `line` (1-based) of the code cell with notebook index `cell`. */
export function sourceLine(layout: CellLayout, cell: number, line: number): number | undefined {
  const i = layout.cells.findIndex((c) => c.index === cell);
  return i < 0 ? undefined : layout.startLines[i] + line - 1;
}

/** The joined-source line where the code cell with notebook index `cell` ends. */
export function cellEndLine(layout: CellLayout, cell: number): number | undefined {
  const i = layout.cells.findIndex((c) => c.index === cell);
  if (i < 0) return undefined;
  return i + 1 < layout.startLines.length ? layout.startLines[i + 1] - 1 : layout.source.split('\n').length;
}
