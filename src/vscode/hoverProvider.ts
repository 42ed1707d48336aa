// Hover over a variable in a Python file: its dtype, shape, mask grid and repr,
// from the cached evaluation of the document's current version.
import * as vscode from 'vscode';
import { isPythonDocument, type DocumentEvaluations } from './documentEvaluations';
import { diagnosticsFor, hoverMarkdown } from './hoverMarkdown';
import type { RunResult } from '../python/result';
import { readSettings } from './settings';
import { assignedNames, valueOfNameAt, type ResolvedValue } from './variableLookup';
import { callHover, type CallSelection } from './callHover';
import type { NotebookEvaluations } from './notebook';

const IDENTIFIER = /[A-Za-z_][A-Za-z0-9_]*/;

export class MaskHoverProvider implements vscode.HoverProvider {
  constructor(
    private readonly evaluations: DocumentEvaluations,
    private readonly selection?: CallSelection,
    private readonly notebooks?: NotebookEvaluations,
  ) {}

  /** The result a hover in `doc` reads, and the evaluated source's line of the 0-based document line. */
  private source(doc: vscode.TextDocument): { result: RunResult; line: (line0: number) => number } {
    const cell = this.notebooks?.viewOfCell(doc);
    if (cell) return { result: cell.result, line: (l) => cell.toSource(l + 1) };
    return { result: this.evaluations.get(doc).result, line: (l) => l + 1 };
  }

  provideHover(doc: vscode.TextDocument, pos: vscode.Position): vscode.Hover | undefined {
    if (!readSettings().hoverEnabled) return undefined;
    const range = doc.getWordRangeAtPosition(pos, IDENTIFIER);
    if (!range) return undefined;
    const { result, line } = this.source(doc);
    if (this.selection) {
      const md = callHover(result, this.selection, doc.uri.toString(), doc.lineAt(pos.line).text, range.start.character, range.end.character, line(pos.line));
      if (md) return new vscode.Hover(md, range);
    }
    const text = doc.lineAt(pos.line).text;
    // Attribute names (`x.shape`) are not variables; a recorded path (`model.mask`) is.
    if (range.start.character > 0 && text[range.start.character - 1] === '.') {
      const path = /((?:[A-Za-z_][A-Za-z0-9_]*\.)+)$/.exec(text.slice(0, range.start.character))?.[1];
      const found = path ? valueOfNameAt({ ...result, variables: {} }, path + doc.getText(range), line(pos.line)) : undefined;
      if (found) return this.hover([found], range, result.diagnostics);
      return this.assignmentHover(doc, pos, range, result, line(pos.line));
    }
    const found = valueOfNameAt(result, doc.getText(range), line(pos.line));
    if (found) return this.hover([found], range, result.diagnostics);
    return this.assignmentHover(doc, pos, range, result, line(pos.line));
  }

  /** An identifier inside the expression of `name = ...` shows what `name` became. */
  private assignmentHover(doc: vscode.TextDocument, pos: vscode.Position, range: vscode.Range, result: RunResult, line: number): vscode.Hover | undefined {
    const names = assignedNames(doc.lineAt(pos.line).text);
    if (names.length === 0) return undefined;
    const found = names.map((n) => valueOfNameAt(result, n, line)).filter((v): v is ResolvedValue => v !== undefined);
    return found.length > 0 ? this.hover(found, range, result.diagnostics) : undefined;
  }

  private hover(values: ResolvedValue[], range: vscode.Range, diagnostics: RunResult['diagnostics']): vscode.Hover {
    const settings = readSettings();
    const disabled = new Set(settings.disabledDiagnostics);
    const shown = diagnostics.filter((d) => !disabled.has(d.code));
    const limits = { maxElements: settings.maxElements };
    const md = new vscode.MarkdownString(values.map((v) => hoverMarkdown(v, limits, diagnosticsFor(shown, v))).join('\n\n---\n\n'));
    md.supportHtml = false;
    md.supportThemeIcons = true;
    md.isTrusted = false;
    return new vscode.Hover(md, range);
  }
}

export function registerHoverProvider(
  context: vscode.ExtensionContext, evaluations: DocumentEvaluations, selection?: CallSelection, notebooks?: NotebookEvaluations,
): void {
  const warm = (editor: vscode.TextEditor | undefined) => {
    if (editor && isPythonDocument(editor.document) && editor.document.uri.scheme !== 'vscode-notebook-cell' && readSettings().hoverEnabled) evaluations.warm(editor.document);
  };
  warm(vscode.window.activeTextEditor);
  context.subscriptions.push(
    vscode.languages.registerHoverProvider({ language: 'python' }, new MaskHoverProvider(evaluations, selection, notebooks)),
    vscode.window.onDidChangeActiveTextEditor(warm),
  );
}
