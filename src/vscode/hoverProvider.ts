// Hover over a variable in a Python file: its dtype, shape, mask grid and repr,
// from the evaluation of the document's current version. The evaluation runs
// in the service's worker; the hover waits for it unless VS Code cancels the
// hover, and fetches a downsampled slice of tensors too big to be inlined.
import * as vscode from 'vscode';
import { isExampleDocument } from './commands/openExample';
import { isPythonDocument, type DocumentEvaluations, type Evaluation } from './documentEvaluations';
import { diagnosticsFor, hoverMarkdown, unresolvedHover } from './hoverMarkdown';
import type { RunResult } from '../python/result';
import { lineLabel, type LineLabel } from '../python/notebook';
import { readSettings } from './settings';
import { assignedNames, attachedMaskOf, valueAddress, valueOfNameAt, type ResolvedValue } from './variableLookup';
import { callHover, type CallSelection } from './callHover';
import { lossConstructorHover } from './lossHover';
import type { NotebookEvaluations } from './notebook';
import { isMaskLike } from './tensorView';

const IDENTIFIER = /[A-Za-z_][A-Za-z0-9_]*/;

/** Grid size a hover shows, pooled so that no masked cell drops out of the picture. */
const HOVER_SLICE = { maxRows: 16, maxCols: 16, pool: true };

/**
 * Context key set when a hover shows in the walkthrough's example; it
 * completes the "Hover a mask" step. Only the example counts: VS Code misses
 * a completion context key that was already true when the walkthrough was
 * first loaded (seen on 1.90 and 1.139), so it must turn true afterwards.
 */
export const EXAMPLE_HOVERED_CONTEXT = 'maskLens.exampleHovered';

export class MaskHoverProvider implements vscode.HoverProvider {
  private exampleHovered = false;

  constructor(
    private readonly evaluations: DocumentEvaluations,
    private readonly selection?: CallSelection,
    private readonly notebooks?: NotebookEvaluations,
  ) {}

  /** The evaluation a hover in `doc` reads (a notebook cell's is its notebook's), and how its lines map. */
  private async source(doc: vscode.TextDocument): Promise<{ evaluation: Evaluation; toSource: (line: number) => number; at: LineLabel }> {
    const cell = await this.notebooks?.viewOfCell(doc);
    if (cell) return cell;
    return { evaluation: await this.evaluations.latest(doc), toSource: (line) => line, at: lineLabel };
  }

  async provideHover(doc: vscode.TextDocument, pos: vscode.Position, token?: vscode.CancellationToken): Promise<vscode.Hover | undefined> {
    const hover = await this.hoverAt(doc, pos, token);
    if (hover && !this.exampleHovered && isExampleDocument(doc)) {
      this.exampleHovered = true;
      void vscode.commands.executeCommand('setContext', EXAMPLE_HOVERED_CONTEXT, true);
    }
    return hover;
  }

  private async hoverAt(doc: vscode.TextDocument, pos: vscode.Position, token?: vscode.CancellationToken): Promise<vscode.Hover | undefined> {
    if (!readSettings().hoverEnabled) return undefined;
    const range = doc.getWordRangeAtPosition(pos, IDENTIFIER);
    if (!range) return undefined;
    const src = await untilCancelled(this.source(doc), token);
    if (!src || token?.isCancellationRequested) return undefined;
    const { evaluation, toSource, at } = src;
    const { result } = evaluation;
    const line = toSource(pos.line + 1);
    const text = doc.lineAt(pos.line).text;
    if (this.selection) {
      // inside a function or on a callee: the recorded call's values (issue #10)
      // a notebook keys the chosen call by the notebook (the inspector shows it whole), a file by itself
      const inCall = callHover(result, this.selection, evaluation.uri, text, range.start.character, range.end.character, line, at);
      if (inCall) {
        const value = inCall.value && (await this.withSlice(evaluation, inCall.value));
        if (token?.isCancellationRequested) return undefined;
        return new vscode.Hover(inCall.render(value), range);
      }
    }
    // a loss constructor: what it ignores
    const loss = lossConstructorHover(result, text, range.start.character, range.end.character, line, at);
    if (loss) return new vscode.Hover(plainMarkdown(loss), range);
    // Attribute names (`x.shape`) are not variables; a recorded path (`model.mask`) is.
    const isAttribute = range.start.character > 0 && text[range.start.character - 1] === '.';
    const path = isAttribute ? /((?:[A-Za-z_][A-Za-z0-9_]*\.)+)$/.exec(text.slice(0, range.start.character))?.[1] : undefined;
    let found = [isAttribute
      ? path && valueOfNameAt({ ...result, variables: {} }, path + doc.getText(range), line)
      : valueOfNameAt(result, doc.getText(range), line)].filter((v): v is ResolvedValue => !!v);
    if (found.length === 0) {
      // An identifier inside the expression of `name = ...` shows what `name` became.
      found = assignedNames(text)
        .map((n) => valueOfNameAt(result, n, line))
        .filter((v): v is ResolvedValue => v !== undefined);
    }
    if (found.length === 0) {
      // No value: a built-in class, or the error that kept this line's name unbound (a budget error, say)
      const unresolved = unresolvedHover(result, doc.getText(range), text, line, isAttribute, doc.getText(), at);
      return unresolved === undefined ? undefined : new vscode.Hover(plainMarkdown(unresolved), range);
    }
    // a Keras layer output: its `_keras_mask` too, as the mask it is
    found = found.flatMap((v) => {
      const mask = attachedMaskOf(result, v);
      return mask ? [{ ...v, attachedMask: mask }, mask] : [v];
    });
    const shown = await Promise.all(found.map((v) => this.withSlice(evaluation, v)));
    if (token?.isCancellationRequested) return undefined;
    return this.hover(shown, range, result.diagnostics, at);
  }

  /**
   * A tensor whose data stayed in the worker: fetch a 2-D slice to draw,
   * pooled so that no masked cell drops out of a mask's picture; a grid that
   * is no mask is fetched again unpooled (every k-th element), since its
   * block maxima are no values of the tensor to table.
   */
  private async withSlice(evaluation: Evaluation, v: ResolvedValue): Promise<ResolvedValue> {
    if (!('elided' in v.value) || !v.value.elided) return v;
    const type = v.value.type;
    const address = valueAddress(evaluation.result, v);
    if (!address) return v;
    const ref = { evaluation: evaluation.id, address };
    const pooledSlice = await this.evaluations.service.slice(ref, HOVER_SLICE);
    if (!pooledSlice) return v;
    const asValue = (s: typeof pooledSlice) => ({ type, dtype: s.dtype, shape: [s.rows, s.cols], data: s.data });
    const pooled = pooledSlice.rowStep > 1 || pooledSlice.colStep > 1;
    const slice = pooled && !isMaskLike(asValue(pooledSlice)) ? (await this.evaluations.service.slice(ref, { ...HOVER_SLICE, pool: false })) ?? pooledSlice : pooledSlice;
    return {
      ...v,
      value: asValue(slice),
      sampled: { shape: slice.shape, rowStep: slice.rowStep, colStep: slice.colStep, pooled: pooled && slice === pooledSlice },
    };
  }

  private hover(values: ResolvedValue[], range: vscode.Range, diagnostics: RunResult['diagnostics'], at: LineLabel): vscode.Hover {
    const settings = readSettings();
    const disabled = new Set(settings.disabledDiagnostics);
    const shown = diagnostics.filter((d) => !disabled.has(d.code));
    const limits = { maxElements: settings.maxElements, at };
    return new vscode.Hover(plainMarkdown(values.map((v) => hoverMarkdown(v, limits, diagnosticsFor(shown, v))).join('\n\n---\n\n')), range);
  }
}

/** Untrusted markdown; HTML on for the repr's <details> (every value-derived text is escaped or fenced). */
function plainMarkdown(text: string): vscode.MarkdownString {
  const md = new vscode.MarkdownString(text);
  md.supportHtml = true;
  md.supportThemeIcons = true;
  md.isTrusted = false;
  return md;
}

/** The promise's value, or undefined as soon as the token is cancelled (the evaluation itself goes on, cached). */
function untilCancelled<T>(p: Promise<T>, token: vscode.CancellationToken | undefined): Promise<T | undefined> {
  if (!token) return p.catch(() => undefined);
  return new Promise((resolve) => {
    if (token.isCancellationRequested) return resolve(undefined);
    const sub = token.onCancellationRequested(() => {
      sub.dispose();
      resolve(undefined);
    });
    p.then(
      (v) => (sub.dispose(), resolve(v)),
      () => (sub.dispose(), resolve(undefined)),
    );
  });
}

export function registerHoverProvider(
  context: vscode.ExtensionContext, evaluations: DocumentEvaluations, selection?: CallSelection, notebooks?: NotebookEvaluations,
): void {
  const warm = (editor: vscode.TextEditor | undefined) => {
    // notebook cells are evaluated with their notebook (notebook.ts)
    if (editor && isPythonDocument(editor.document) && editor.document.uri.scheme !== 'vscode-notebook-cell' && readSettings().hoverEnabled) evaluations.warm(editor.document);
  };
  warm(vscode.window.activeTextEditor);
  context.subscriptions.push(
    vscode.languages.registerHoverProvider({ language: 'python' }, new MaskHoverProvider(evaluations, selection, notebooks)),
    vscode.window.onDidChangeActiveTextEditor(warm),
  );
}
