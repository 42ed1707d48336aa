// Hovers for code inside functions and methods (issue #10): a name's value
// at that line in the chosen call ("call 1 of 3 · from line 22", with links
// stepping to the previous and next call), what a call expression returned,
// `self.mask`, and a note on functions the file never calls.
import * as vscode from 'vscode';
import { lineLabel, type LineLabel } from '../python/notebook';
import type { CallRecord, RunResult } from '../python/result';
import {
  callAtSite, callLabel, callsAtSite, chooseCall, dottedPathAt, functionAt, neighbours, returnedValue, valueInCall,
} from './callLookup';
import { diagnosticsFor, hoverMarkdown, notCalledText } from './hoverMarkdown';
import { readSettings } from './settings';
import { assignedNames, type ResolvedValue } from './variableLookup';

export const SELECT_CALL_COMMAND = 'maskLens.selectCall';

/** Which recorded call the hover, CodeLens and inspector show, per document (a notebook as a whole) and function. */
export class CallSelection implements vscode.Disposable {
  private readonly chosen = new Map<string, number>();
  private readonly emitter = new vscode.EventEmitter<{ uri: string; function: string; call: number }>();
  readonly onDidChange = this.emitter.event;

  get(uri: string, fn: string): number | undefined {
    return this.chosen.get(`${uri}#${fn}`);
  }

  set(uri: string, fn: string, call: number): void {
    this.chosen.set(`${uri}#${fn}`, call);
    this.emitter.fire({ uri, function: fn, call });
  }

  dispose(): void {
    this.emitter.dispose();
  }
}

export interface SelectCallArgs {
  uri: string;
  function: string;
  call: number;
}

/** The ‹ previous · next › links to the calls around the one shown ('' when there are none). */
function stepLinks(uri: string, fn: string, previous: CallRecord | undefined, next: CallRecord | undefined): string {
  return [
    previous ? stepLink('‹ previous', { uri, function: fn, call: previous.call }) : '',
    next ? stepLink('next ›', { uri, function: fn, call: next.call }) : '',
  ].filter(Boolean).join(' · ');
}

/** A markdown link running the selectCall command. */
function stepLink(label: string, args: SelectCallArgs): string {
  return `[${label}](command:${SELECT_CALL_COMMAND}?${encodeURIComponent(JSON.stringify(args))} "${label} call")`;
}

function render(values: ResolvedValue[], result: RunResult, head: string[], at: LineLabel): vscode.MarkdownString {
  const settings = readSettings();
  const disabled = new Set(settings.disabledDiagnostics);
  const shown = result.diagnostics.filter((d) => !disabled.has(d.code));
  const body = values.map((v) => hoverMarkdown(v, { maxElements: settings.maxElements, at }, diagnosticsFor(shown, v))).join('\n\n---\n\n');
  const md = new vscode.MarkdownString([...head, body].filter(Boolean).join('\n\n'));
  md.supportHtml = true; // the repr's <details>; value-derived text is escaped or fenced
  md.supportThemeIcons = true;
  md.isTrusted = { enabledCommands: [SELECT_CALL_COMMAND, 'maskLens.previewWithArguments'] };
  return md;
}

/** A hover inside a function: the value it shows (its data may still be fetched), and how to draw it. */
export interface CallHover {
  value: ResolvedValue | undefined;
  render(value: ResolvedValue | undefined): vscode.MarkdownString;
}

function parts(result: RunResult, value: ResolvedValue | undefined, head: string[], at: LineLabel): CallHover {
  return { value, render: (v) => render(v ? [v] : [], result, head, at) };
}

/**
 * The hover for a word inside a function, or on a call expression's callee;
 * undefined when the word is neither (the module-level hover applies).
 * `line` is the 1-based line of the evaluated source, `uri` the document's;
 * `at` names lines as the user sees them (a notebook's "cell 2, line 3").
 */
export function callHover(
  result: RunResult, selection: CallSelection, uri: string, lineText: string, wordStart: number, wordEnd: number, line: number, at: LineLabel = lineLabel,
): CallHover | undefined {
  const word = lineText.slice(wordStart, wordEnd);
  // a callee: `create_look_ahead_mask(4)`, `self.attn(x, mask)`
  if (/^\s*\(/.test(lineText.slice(wordEnd))) {
    const call = callAtSite(result, line, wordStart, wordEnd, (fn) => selection.get(uri, fn));
    const total = call && (result.functions ?? []).find((f) => f.function === call.function)?.calls;
    const v = call && returnedValue(call, `${word}(…)`);
    if (call && v) {
      // a site that ran several times (a loop): step through its calls, as inside the function
      const here = callsAtSite(result, line, wordStart, wordEnd).filter((c) => c.function === call.function);
      const i = here.indexOf(call);
      const links = stepLinks(uri, call.function, here[i - 1], here[i + 1]);
      return parts(result, v, [`$(symbol-function) \`${call.function}\` returned · ${callLabel(call, total ?? call.call, at)}${links ? ` · ${links}` : ''}`], at);
    }
  }
  const fn = functionAt(result, line);
  if (!fn) return undefined;
  const path = dottedPathAt(lineText, wordStart, wordEnd);
  const locals = new Set([fn.name, ...fn.params.map((p) => /^\**([A-Za-z_][A-Za-z0-9_]*)/.exec(p)?.[1] ?? '')]);
  const call = chooseCall(result, fn.function, selection.get(uri, fn.function));
  if (!call) {
    const bodyLocal = locals.has(word) || assignedNames(lineText).includes(word);
    if (!bodyLocal) return undefined;
    const args = encodeURIComponent(JSON.stringify([uri, fn.function]));
    return parts(result, undefined, [
      notCalledText(result, fn.function, path, at),
      `[Preview with Arguments…](command:maskLens.previewWithArguments?${args} "Call it with arguments you choose")`,
    ], at);
  }
  const value = word === fn.name && line === fn.line ? returnedValue(call, `${fn.name}(…)`) : valueInCall(call, path, line);
  if (!value) return undefined;
  const { previous, next } = neighbours(result, call);
  const links = stepLinks(uri, fn.function, previous, next);
  const head = `$(symbol-method) \`${fn.function}\` · ${callLabel(call, fn.calls, at)}${links ? ` · ${links}` : ''}${call.truncated ? ' · some values not recorded (element budget)' : ''}`;
  return parts(result, value, [head], at);
}

/** The command behind the stepping links: choose a call, then show the hover again on the new call. */
export function registerCallSelection(context: vscode.ExtensionContext, selection: CallSelection): void {
  context.subscriptions.push(
    selection,
    vscode.commands.registerCommand(SELECT_CALL_COMMAND, async (args: SelectCallArgs) => {
      if (!args || typeof args.uri !== 'string' || typeof args.function !== 'string' || typeof args.call !== 'number') return;
      // the inspector and the CodeLens follow (inspectorFollow.ts, callCodeLens.ts)
      selection.set(args.uri, args.function, args.call);
      await vscode.commands.executeCommand('editor.action.showHover');
    }),
  );
}
