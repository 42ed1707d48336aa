// Values inside functions and methods, from an evaluation's recorded calls:
// which function a line belongs to, a name's value at a line in one call,
// the call a call expression made, and the arguments "Preview with
// Arguments…" starts from. No 'vscode' import: unit-tested.
import type { CallRecord, FunctionInfo, RunResult, Snapshot } from '../python/result';
import type { ResolvedValue } from './variableLookup';

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

/** "call 1 of 3 · from line 22" ("… · with your arguments" when Preview with Arguments… made the call). */
export function callLabel(call: CallRecord, total: number): string {
  return `call ${call.call} of ${Math.max(total, call.call)} · ${call.calledFrom ? `from line ${call.calledFrom}` : PREVIEW_CALL_LABEL}`;
}

/** How a call Preview with Arguments… made is named (the command itself is the lens's action). */
export const PREVIEW_CALL_LABEL = 'with your arguments';

/** One CodeLens over a `def`: its title, and what a click does (nothing: a label). */
export interface LensItem {
  title: string;
  action?: { kind: 'selectCall'; call: number } | { kind: 'previewWithArguments' };
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
 * recorded call site that contains the word.
 */
export function callAtSite(result: RunResult, line: number, wordStart: number, wordEnd: number): CallRecord | undefined {
  let best: CallRecord | undefined;
  for (const c of result.calls ?? []) {
    const s = c.site;
    if (!s || s.line !== line || s.column > wordStart || (s.endLine === line && s.endColumn < wordEnd)) continue;
    if (!best || s.column > best.site!.column) best = c;
  }
  return best;
}

/** The return value of a call, as a hover shows it: named after the call. */
export function returnedValue(call: CallRecord, label: string): ResolvedValue | undefined {
  return call.returned && resolved(call.returned, label);
}

const TENSOR_HINT = /^(torch\.)?Tensor$|^(torch\.)?(Bool|Long|Float)Tensor$/;

/** An example argument for a parameter with this annotation and name. */
function exampleFor(name: string, annotation: string | undefined): string {
  const a = annotation?.replace(/^Optional\[(.*)\]$/, '$1').replace(/\s*\|\s*None$/, '').trim();
  if (a) {
    if (TENSOR_HINT.test(a)) return /mask/i.test(name) ? 'torch.tensor([[1, 1, 0, 0]])' : 'torch.tensor([[7, 6, 0, 0]])';
    if (/^(np\.|numpy\.)?ndarray$/.test(a)) return 'np.array([[7, 6, 0, 0]])';
    if (a === 'int') return '4';
    if (a === 'float') return '1.0';
    if (a === 'bool') return 'True';
    if (a === 'str') return "'a'";
    if (/^(list|List|Sequence)\b/.test(a)) return '[3, 1]';
    if (/^(tuple|Tuple)\b/.test(a)) return '(4, 4)';
  }
  if (/mask/i.test(name)) return 'torch.tensor([[1, 1, 0, 0]])';
  if (/^(n|k|size|dim|d_model|num_\w+|\w*_len|\w*len|length|\w*_size)$/i.test(name)) return '4';
  return 'torch.tensor([[7, 6, 0, 0]])';
}

/**
 * The argument expressions Preview with Arguments… offers first: defaults
 * as keywords (`pad_token=0`), examples from type hints (`seq: Tensor` ->
 * `torch.tensor([[7, 6, 0, 0]])`, `size: int` -> `4`), an instance of the
 * class for a method's `self` (`Block()` for a class defined in a
 * function); `*args`/`**kwargs` are left out.
 */
export function prefillArguments(f: FunctionInfo): string {
  const out: string[] = [];
  f.params.forEach((p, i) => {
    if (p.startsWith('*')) return;
    const m = /^([A-Za-z_][A-Za-z0-9_]*)\s*(?::\s*([^=]+?))?\s*(?:=\s*(.+))?$/s.exec(p.trim());
    if (!m) return;
    const [, name, annotation, dflt] = m;
    if (f.method && i === 0) {
      // a class defined in a function is called by its own name (`Block()` for outer.<locals>.Block.forward)
      const cls = f.function.split('.<locals>.').pop()!.split('.').slice(0, -1).join('.');
      out.push(`${cls}()`);
    } else if (dflt !== undefined) out.push(`${name}=${dflt.trim()}`);
    else out.push(exampleFor(name, annotation));
  });
  return out.join(', ');
}

/** `self.mask` for the `mask` of `self.mask` (the dotted path ending at a word), else the word. */
export function dottedPathAt(lineText: string, wordStart: number, wordEnd: number): string {
  const before = /((?:[A-Za-z_][A-Za-z0-9_]*\.)+)$/.exec(lineText.slice(0, wordStart));
  return (before ? before[1] : '') + lineText.slice(wordStart, wordEnd);
}
