// Values inside functions and methods, from an evaluation's recorded calls:
// which function a line belongs to, a name's value at a line in one call,
// the call a call expression made, and the CodeLens row over a `def`.
// No 'vscode' import: unit-tested.
import { errorText, type CallRecord, type FunctionInfo, type PyErrorInfo, type RunResult, type Snapshot } from '../python/result';
import type { ResolvedValue } from './variableLookup';
import { lineLabel, type LineLabel } from '../python/notebook';

/**
 * Whether a `def` gets a CodeLens: not a property's `@x.setter` /
 * `@x.deleter`, which shares the getter's qualified name, so its lens would
 * step the getter's calls and preview the getter.
 */
export function hasLens(def: { accessor?: 'fset' | 'fdel' }): boolean {
  return def.accessor === undefined;
}

/** The innermost function whose `def` spans `line` (1-based). */
export function functionAt(result: RunResult, line: number): FunctionInfo | undefined {
  let best: FunctionInfo | undefined;
  for (const f of result.functions ?? []) {
    if (f.line <= line && line <= f.endLine && (!best || f.line >= best.line)) best = f;
  }
  return best;
}

/** The recorded calls of a function, in call order. */
export function callsOf(result: RunResult, qualname: string): CallRecord[] {
  return (result.calls ?? []).filter((c) => c.function === qualname);
}

/** The recorded call with index `call` (1-based), else the first recorded one. */
export function chooseCall(result: RunResult, qualname: string, call: number | undefined): CallRecord | undefined {
  const calls = callsOf(result, qualname);
  return calls.find((c) => c.call === call) ?? calls[0];
}

/** The previous and next recorded call around `call`, for the stepping links. */
export function neighbours(result: RunResult, call: CallRecord): { previous?: CallRecord; next?: CallRecord } {
  const calls = callsOf(result, call.function);
  const i = calls.indexOf(call);
  return { previous: calls[i - 1], next: calls[i + 1] };
}

function resolved(s: Snapshot, name = s.name): ResolvedValue {
  return { name, value: s.value, repr: s.repr, line: s.line, mask: s.mask, maskSummary: s.maskSummary, consumer: s.consumer, legend: s.legend, ...(s.note ? { note: s.note } : {}) };
}

/** The value `name` (or a path like `self.mask`) had at `line` in this call: its latest write at or above the line. */
export function valueInCall(call: CallRecord, name: string, line: number): ResolvedValue | undefined {
  let best: Snapshot | undefined;
  for (const s of call.timeline) if (s.name === name && s.line <= line) best = s;
  return best && resolved(best);
}

/** "call 1 of 3 · from line 22" ("from cell 2, line 3" in a notebook; "… · with your arguments" when Preview with Arguments… made the call). */
export function callLabel(call: CallRecord, total: number, at: LineLabel = lineLabel): string {
  return `call ${call.call} of ${Math.max(total, call.call)} · ${call.calledFrom ? `from ${at(call.calledFrom)}` : PREVIEW_CALL_LABEL}`;
}

/** How a call Preview with Arguments… made is named (the command itself is the lens's action). */
export const PREVIEW_CALL_LABEL = 'with your arguments';

/** One CodeLens over a `def`: its title, and what a click does (nothing: a label). */
export interface LensItem {
  title: string;
  action?: { kind: 'selectCall'; call: number } | { kind: 'previewWithArguments' };
}

/**
 * Whether a file imports a library whose tensors Mask Lens models (torch,
 * numpy, tensorflow, keras, einops): only then do its `def`s get lenses. A
 * web app's or a script's functions would each get a "Preview with
 * Arguments…" row (pushing the code down) that has no tensor to show.
 */
export function importsTensorLibrary(source: string): boolean {
  return /^[ \t]*(?:import|from)[ \t]+(?:torch|numpy|tensorflow|keras|einops)\b/m.test(source);
}

/**
 * The CodeLens row over a function's `def`, one lens per meaning: the
 * chosen call ("Mask Lens: call 2 of 3 · from line 22") with ‹ › stepping;
 * "Preview with Arguments…" when the file never calls it, and "Change
 * Arguments…" when the call shown is the one Preview with Arguments… made.
 * `chosen` is the call the user picked (undefined: the first).
 */
export function lensRow(result: RunResult, f: FunctionInfo, chosen: number | undefined): LensItem[] {
  const call = chooseCall(result, f.function, chosen);
  if (!call) return [{ title: 'Preview with Arguments…', action: { kind: 'previewWithArguments' } }];
  const row: LensItem[] = [{ title: `Mask Lens: ${callLabel(call, f.calls)}` }];
  const { previous, next } = neighbours(result, call);
  if (previous) row.push({ title: '‹ previous call', action: { kind: 'selectCall', call: previous.call } });
  if (next) row.push({ title: 'next call ›', action: { kind: 'selectCall', call: next.call } });
  if (call.calledFrom === 0) row.push({ title: 'Change Arguments…', action: { kind: 'previewWithArguments' } });
  return row;
}

/**
 * The call a call expression at (line, column) made, where the hovered word
 * (columns wordStart..wordEnd, 0-based) is its callee: the innermost
 * recorded call site that contains the word. A site that ran more than once
 * (a loop, a forward called twice) made several calls: `chosen(qualname)`
 * (the call picked in the hover, CodeLens or inspector) when one of them is
 * that one, else the first.
 */
export function callAtSite(
  result: RunResult, line: number, wordStart: number, wordEnd: number, chosen?: (qualname: string) => number | undefined,
): CallRecord | undefined {
  const here = callsAtSite(result, line, wordStart, wordEnd);
  return here.find((c) => chosen?.(c.function) === c.call) ?? here[0];
}

/** Every recorded call the innermost call expression around the hovered word made, in call order. */
export function callsAtSite(result: RunResult, line: number, wordStart: number, wordEnd: number): CallRecord[] {
  let column = -1;
  const calls = (result.calls ?? []).filter((c) => {
    const s = c.site;
    return s !== undefined && s.line === line && s.column <= wordStart && !(s.endLine === line && s.endColumn < wordEnd);
  });
  for (const c of calls) column = Math.max(column, c.site!.column);
  return calls.filter((c) => c.site!.column === column);
}

/** The return value of a call, as a hover shows it: named after the call. */
export function returnedValue(call: CallRecord, label: string): ResolvedValue | undefined {
  return call.returned && { ...resolved(call.returned, label), returned: true };
}

/** What Preview with Arguments… shows once the file ran with its call: the call (to preview), and what went wrong. */
export interface PreviewOutcome {
  call?: CallRecord;
  /** The error to show: the call raised, the arguments did not evaluate, or no call was recorded. */
  error?: string;
}

/**
 * The outcome of `fn(args)` made by Preview with Arguments… in `result`:
 * its call when one was recorded (a failing call too: its locals up to the
 * error still preview), and an error message whenever there is nothing
 * complete to show, so the command never ends in silence. `before`: the
 * file's evaluation before this preview; an error it does not have came
 * from the preview's arguments, wherever in the file it was raised (a
 * method's self whose constructor fails in `__init__`, a helper called in
 * the arguments).
 */
export function previewOutcome(result: RunResult, info: FunctionInfo, args: string, before?: RunResult): PreviewOutcome {
  const called = `${info.function}(${args})`;
  const call = callsOf(result, info.function).filter((c) => c.calledFrom === 0).pop();
  if (call?.error) return { call, error: `${called} raised ${errorText(call.error)} (line ${call.error.line})` };
  if (call) return { call };
  // the arguments failed (reported on the def line, or where a function they called raised), or the run
  // stopped before the call (a budget)
  const e = result.errors.find((x) => x.line >= info.line && x.line <= info.endLine)
    ?? result.errors.find((x) => x.message.includes(`(building self for ${info.function}: `))
    ?? (before ? newErrors(before.errors, result.errors)[0] : undefined)
    ?? result.errors.find((x) => x.type === 'TimeoutError' || x.type === 'MemoryError');
  if (e) return { error: `${called} was not called: ${errorText(e)} (line ${e.line})` };
  return { error: `${called} ran, but its call was not recorded: only the first maskLens.calls.maxRecorded calls of a function are recorded` };
}

/**
 * The function Preview with Arguments… previews: the one named `fn` (the
 * CodeLens's, the hover link's), else, from the palette (no name), the
 * first one whose lines hold `cursorLine` (1-based, a line of the evaluated
 * source: a notebook cell's line mapped into the joined cells).
 */
export function functionToPreview(result: RunResult, fn: unknown, cursorLine: number | undefined): FunctionInfo | undefined {
  const functions = result.functions ?? [];
  if (typeof fn === 'string') return functions.find((f) => f.function === fn);
  if (cursorLine === undefined) return undefined;
  // a property's setter / deleter shares its getter's name: no lens, no preview of its own (hasLens)
  return functions.filter(hasLens).find((f) => f.line <= cursorLine && cursorLine <= f.endLine);
}

/** The errors of `after` that `before` does not have (each error of `before` matches one of `after`). */
function newErrors(before: readonly PyErrorInfo[], after: readonly PyErrorInfo[]): PyErrorInfo[] {
  const key = (e: PyErrorInfo) => `${e.type}\0${e.message}\0${e.line}\0${e.column ?? ''}`;
  const seen = new Map<string, number>();
  for (const e of before) seen.set(key(e), (seen.get(key(e)) ?? 0) + 1);
  return after.filter((e) => {
    const n = seen.get(key(e)) ?? 0;
    if (n > 0) seen.set(key(e), n - 1);
    return n === 0;
  });
}

/** `self.mask` for the `mask` of `self.mask` (the dotted path ending at a word), else the word. */
export function dottedPathAt(lineText: string, wordStart: number, wordEnd: number): string {
  const before = /((?:[A-Za-z_][A-Za-z0-9_]*\.)+)$/.exec(lineText.slice(0, wordStart));
  return (before ? before[1] : '') + lineText.slice(wordStart, wordEnd);
}
