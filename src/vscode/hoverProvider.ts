// Hover over a variable in a Python file: its dtype, shape, mask grid and repr,
// from the cached evaluation of the document's current version.
import * as vscode from 'vscode';
import { isExampleDocument } from './commands/openExample';
import { isPythonDocument, type DocumentEvaluations } from './documentEvaluations';
import { diagnosticsFor, hoverMarkdown } from './hoverMarkdown';
import type { RunResult } from '../python/result';
import { readSettings } from './settings';
import { assignedNames, valueOfNameAt, type ResolvedValue } from './variableLookup';

const IDENTIFIER = /[A-Za-z_][A-Za-z0-9_]*/;

/**
 * Context key set when a hover shows in the walkthrough's example; it
 * completes the "Hover a mask" step. Only the example counts: VS Code misses
 * a completion context key that was already true when the walkthrough was
 * first loaded (seen on 1.90 and 1.139), so it must turn true afterwards.
 */
export const EXAMPLE_HOVERED_CONTEXT = 'maskLens.exampleHovered';

export class MaskHoverProvider implements vscode.HoverProvider {
  private exampleHovered = false;

  constructor(private readonly evaluations: DocumentEvaluations) {}

  provideHover(doc: vscode.TextDocument, pos: vscode.Position): vscode.Hover | undefined {
    const hover = this.hoverAt(doc, pos);
    if (hover && !this.exampleHovered && isExampleDocument(doc)) {
      this.exampleHovered = true;
      void vscode.commands.executeCommand('setContext', EXAMPLE_HOVERED_CONTEXT, true);
    }
    return hover;
  }

  private hoverAt(doc: vscode.TextDocument, pos: vscode.Position): vscode.Hover | undefined {
    if (!readSettings().hoverEnabled) return undefined;
    const range = doc.getWordRangeAtPosition(pos, IDENTIFIER);
    if (!range) return undefined;
    // Attribute names (`x.shape`) are not variables.
    if (range.start.character > 0 && doc.lineAt(pos.line).text[range.start.character - 1] === '.') {
      return this.assignmentHover(doc, pos, range);
    }
    const { result } = this.evaluations.get(doc);
    const found = valueOfNameAt(result, doc.getText(range), pos.line + 1);
    if (found) return this.hover([found], range, result.diagnostics);
    return this.assignmentHover(doc, pos, range);
  }


  /** An identifier inside the expression of `name = ...` shows what `name` became. */
  private assignmentHover(doc: vscode.TextDocument, pos: vscode.Position, range: vscode.Range): vscode.Hover | undefined {
    const names = assignedNames(doc.lineAt(pos.line).text);
    if (names.length === 0) return undefined;
    const { result } = this.evaluations.get(doc);
    const found = names.map((n) => valueOfNameAt(result, n, pos.line + 1)).filter((v): v is ResolvedValue => v !== undefined);
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

export function registerHoverProvider(context: vscode.ExtensionContext, evaluations: DocumentEvaluations): void {
  const warm = (editor: vscode.TextEditor | undefined) => {
    if (editor && isPythonDocument(editor.document) && readSettings().hoverEnabled) evaluations.warm(editor.document);
  };
  warm(vscode.window.activeTextEditor);
  context.subscriptions.push(
    vscode.languages.registerHoverProvider({ language: 'python' }, new MaskHoverProvider(evaluations)),
    vscode.window.onDidChangeActiveTextEditor(warm),
  );
}
