// Which variable a line or an identifier refers to, from an evaluation's
// timeline (falling back to the final variables and a plain-text look at the
// source when the evaluator recorded no timeline). No 'vscode' import: unit-tested.
import type { EncodedValue, MaskKind, MaskLegend, RunResult, Snapshot, SnapshotAddress } from '../python/result';

export interface ResolvedValue {
  name: string;
  value: EncodedValue;
  repr?: string;
  line?: number;
  mask?: MaskKind;
  maskSummary?: string;
  consumer?: string;
  legend?: MaskLegend;
  /** "after an error at line 7; Python would have stopped" */
  note?: string;
  /** What a call returned: `line` is its `return`'s, inside the function, not the hovered line. */
  returned?: true;
  /** How the value was computed (a loss's counted targets, say). */
  derived?: Snapshot['derived'];
  /** The mask Keras attached to this value (attachedMaskOf), shown after it in the hover. */
  attachedMask?: ResolvedValue;
  /** `value` is a 2-D sample of a larger tensor (fetched from the evaluation service). */
  sampled?: { shape: number[]; rowStep: number; colStep: number; pooled?: boolean };
}

/** Where the service holds a resolved value: its timeline snapshot, else the final variable. */
export function valueAddress(result: RunResult, v: ResolvedValue): SnapshotAddress | undefined {
  const index = result.timeline.findIndex((s) => s.value === v.value);
  if (index >= 0) return { kind: 'timeline', index };
  // a value inside a recorded call (issue #10)
  for (const [call, c] of (result.calls ?? []).entries()) {
    if (c.returned?.value === v.value) return { kind: 'call', call, index: -1 };
    const at = c.timeline.findIndex((s) => s.value === v.value);
    if (at >= 0) return { kind: 'call', call, index: at };
  }
  return result.variables[v.name] === v.value ? { kind: 'variable', name: v.name } : undefined;
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** `name =`, `name: T =`, `a, b =`, `name +=`; not `==`. */
const ASSIGN = /^\s*((?:[A-Za-z_][A-Za-z0-9_]*\s*,\s*)*[A-Za-z_][A-Za-z0-9_]*)\s*(?::[^=]*)?(?:[-+*/%@&|^]|\/\/|\*\*|<<|>>)?=(?!=)/;

function fromSnapshot(s: Snapshot): ResolvedValue {
  return {
    name: s.name, value: s.value, repr: s.repr, line: s.line, mask: s.mask, maskSummary: s.maskSummary, consumer: s.consumer, legend: s.legend,
    ...(s.derived ? { derived: s.derived } : {}),
    ...(s.note ? { note: s.note } : {}),
  };
}

/** Names a source line assigns at top level, by its text. */
export function assignedNames(lineText: string): string[] {
  const m = ASSIGN.exec(lineText);
  if (!m) return [];
  return m[1].split(',').map((s) => s.trim()).filter((s) => IDENT.test(s));
}

/** The last recorded snapshot of each name, with its repr. */
export function latestSnapshots(result: RunResult): Map<string, Snapshot> {
  const out = new Map<string, Snapshot>();
  for (const s of result.timeline) out.set(s.name, s);
  return out;
}

/**
 * The value `name` had as seen from `line` (1-based): the latest binding made
 * by a statement starting at or before that line, else the final value.
 */
export function valueOfNameAt(result: RunResult, name: string, line: number): ResolvedValue | undefined {
  let best: Snapshot | undefined;
  for (const s of result.timeline) if (s.name === name && s.line <= line) best = s;
  if (best) return fromSnapshot(best);
  const value = result.variables[name];
  if (value === undefined) return undefined;
  const last = latestSnapshots(result).get(name);
  return last ? { ...fromSnapshot(last), value } : { name, value };
}

/**
 * The mask Keras attached to `v` (its `_keras_mask`: the output of
 * Embedding(mask_zero=True), Masking, or a layer that propagates a mask),
 * recorded by the same statement; undefined when it carries none.
 */
export function attachedMaskOf(result: RunResult, v: ResolvedValue): ResolvedValue | undefined {
  if (v.line === undefined || v.name.endsWith('._keras_mask')) return undefined;
  const mask = valueOfNameAt(result, `${v.name}._keras_mask`, v.line);
  return mask && mask.line === v.line ? mask : undefined;
}

/**
 * The variable assigned by the statement covering `line`, or else the
 * nearest assignment above it (the inspector's pick for a cursor: objects
 * such as None are skipped). `lineText(n)` gives the source of 1-based line n.
 */
export function variableAtLine(result: RunResult, line: number, lineText: (n: number) => string): ResolvedValue | undefined {
  // None and dataclass values are the hover's: the inspector (which this picks for) shows values, not objects
  const timeline = result.timeline.filter((s) => s.value.type !== 'object');
  const covering = timeline.filter((s) => s.line <= line && line <= s.endLine);
  if (covering.length > 0) return fromSnapshot(covering[covering.length - 1]);
  let above: Snapshot | undefined;
  for (const s of timeline) if (s.endLine < line && (!above || s.endLine >= above.endLine)) above = s;
  if (above) return fromSnapshot(above);
  // No timeline: read assignments from the source, nearest first.
  for (let n = line; n >= 1; n--) {
    const names = assignedNames(lineText(n));
    for (let i = names.length - 1; i >= 0; i--) {
      const found = valueOfNameAt(result, names[i], n);
      if (found) return found;
    }
  }
  return undefined;
}

/** The statement end line for a cursor on `line`, where the timeline knows it. */
export function statementEndLine(result: RunResult, line: number): number {
  let end = line;
  for (const s of result.timeline) if (s.line <= line && line <= s.endLine) end = Math.max(end, s.endLine);
  return end;
}
