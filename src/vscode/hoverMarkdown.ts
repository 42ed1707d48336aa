// Markdown for a variable hover: name, dtype, shape, one picture (an SVG mask
// grid, or a small numeric table), one summary line, the legend and the repr,
// collapsed. No 'vscode' import: unit-tested.
import { BUILTIN_EXCEPTIONS, BUILTIN_EXCEPTION_ALIASES } from '../python/exceptionNames';
import { consumerPhrase } from '../masks/consumers';
import { lineLabel, type LineLabel } from '../python/notebook';
import { entriesText, maskKindLabel, notEvaluatedMessage, type Diagnostic, type MaskLegend, type RunResult } from '../python/result';
import { assignedNames, type ResolvedValue } from './variableLookup';
import { maskSvgMarkdown } from './maskSvg';
import { cellFormatter } from './tensorSlice';
import {
  describeValue,
  dictText,
  exactDigits,
  formatShape,
  isMaskLike,
  isTensor,
  leadingIndices,
  numericTableText,
  scalarText,
  sliceMatrix,
} from './tensorView';

export interface HoverLimits {
  /** How a line reads ("line 7"; "cell 2, line 3" in a notebook); default lineLabel's file form. */
  at?: LineLabel;
  /** Largest number of repr lines shown. */
  maxReprLines?: number;
  /**
   * maskLens.hover.maxElements: a sampled slice (of a tensor too big to send
   * whole) is drawn as a numeric table only up to this many elements; exact
   * values are always drawn, summarised with `...` as print() does.
   */
  maxElements?: number;
}

/** Used when no consumer says what the cells mean. */
export const DEFAULT_LEGEND: MaskLegend = { on: 'true/nonzero', off: 'false/zero' };

export function legendText(legend: MaskLegend | undefined): string {
  const l = legend ?? DEFAULT_LEGEND;
  return `■ ${l.on} · ⬚ ${l.off}`;
}

/**
 * Diagnostics about the value bound at `v.line`: those naming the variable,
 * and unnamed ones raised by the statement that bound it.
 */
export function diagnosticsFor(diagnostics: readonly Diagnostic[], v: Pick<ResolvedValue, 'name' | 'line'>): Diagnostic[] {
  return diagnostics.filter((d) => (d.variable !== undefined ? d.variable === v.name : v.line !== undefined && d.line === v.line));
}

const SEVERITY_ICON: Record<Diagnostic['severity'], string> = { error: '$(error)', warning: '$(warning)', info: '$(info)' };

/** Markdown-escape text that comes from evaluation (messages hold shapes, `*`, `_`). */
function escapeMd(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, (c) => `\\${c}`);
}

/** A code fence longer than any backtick run inside `text`. */
function fence(text: string, lang = ''): string {
  const longest = Math.max(2, ...Array.from(text.matchAll(/`+/g), (m) => m[0].length));
  const f = '`'.repeat(longest + 1);
  return `${f}${lang}\n${text}\n${f}`;
}

/** How a fetched grid relates to the tensor: "first slice, 64 × 64 blocks pooled (a masked cell marks its block)". */
function sampledNote(s: NonNullable<ResolvedValue['sampled']>): string {
  const lead = s.shape.length > 2 ? `[${s.shape.slice(0, -2).map(() => '0').join(', ')}, :, :], ` : '';
  if (s.pooled) return `${lead}${s.rowStep} × ${s.colStep} blocks pooled (any masked cell marks its block)`;
  const every = (k: number, what: string) => (k === 1 ? `every ${what}` : `every ${ordinal(k)} ${what}`);
  return `sampled: ${lead}${every(s.rowStep, 'row')}, ${every(s.colStep, 'column')}`;
}

function ordinal(k: number): string {
  const rem = k % 100;
  const suffix = rem >= 11 && rem <= 13 ? 'th' : k % 10 === 1 ? 'st' : k % 10 === 2 ? 'nd' : k % 10 === 3 ? 'rd' : 'th';
  return `${k}${suffix}`;
}

/** Whether ■ means masked under the legend (masked_fill: yes; sdpa's bool attn_mask: no); undefined when it says neither. */
function legendMasksOn(legend: MaskLegend | undefined): boolean | undefined {
  if (!legend) return undefined;
  if (/^masked/i.test(legend.on)) return true;
  if (/^masked/i.test(legend.off)) return false;
  return undefined;
}

/** Reprs up to this many lines show open; longer ones are collapsed under a "repr" summary. */
/** The reader of a mask for the hover: "read by `masked_fill`", "added to scores". */
function consumerText(consumer: string): string {
  const p = consumerPhrase(consumer);
  return p.code ? `${p.text} \`${p.code}\`` : p.text;
}

const OPEN_REPR_LINES = 6;
/** A summarised print of a large 3-D tensor: two 2-D blocks of 3 + ... + 3 rows, `...` and the brackets. */
const SUMMARISED_REPR_LINES = 16;

/**
 * The repr as a code block: open when short, else inside `<details>` (VS Code's
 * hover renderer allows details/summary once the MarkdownString has
 * supportHtml), cut at `maxLines`.
 */
function reprBlock(repr: string, maxLines: number, collapse: boolean, openLines = OPEN_REPR_LINES): string {
  const lines = repr.split('\n');
  const shown = lines.length > maxLines ? [...lines.slice(0, maxLines), '…'] : lines;
  const block = fence(shown.join('\n'), 'python');
  if (!collapse && lines.length <= openLines) return block;
  return `<details><summary>repr (${lines.length} line${lines.length === 1 ? '' : 's'})</summary>\n\n${block}\n\n</details>`;
}

/**
 * A compact hover for one value: a head line (name, type, dtype, shape, mask
 * kind), one picture (an SVG mask grid, or a small numeric table of the first
 * slice), one summary line (mask summary, counted loss targets), the legend,
 * diagnostics, and the repr (collapsed when the picture already shows the
 * values or the repr is long). Markdown for a MarkdownString with supportHtml.
 */
export function hoverMarkdown(v: ResolvedValue, limits: HoverLimits = {}, diagnostics: readonly Diagnostic[] = []): string {
  const maxReprLines = limits.maxReprLines ?? 24;
  const parts: string[] = [];
  const d = describeValue(v.value);
  const head = [`**${v.name}**`, `\`${d.kind}\``];
  if (d.dtype) head.push(`dtype \`${d.dtype}\``);
  if (d.shape && isTensor(v.value)) head.push(`shape \`${formatShape(v.sampled?.shape ?? d.shape)}\``);
  if (v.value.type === 'dict') head.push(entriesText(v.value.size));
  if (v.mask) head.push(maskKindLabel(v.mask));
  parts.push(head.join(' · '));
  // a Keras layer output: the mask it carries, in one line (its picture follows this value's)
  const carried = v.attachedMask;
  if (carried) parts.push(`carries \`${carried.name.slice(v.name.length + 1)}\`: ${escapeMd(carried.maskSummary ?? `${carried.mask ?? 'a'} mask`)} · ${escapeMd(legendText(carried.legend))} (below)`);

  let pictured = false;
  let legend: string | undefined;
  if (isTensor(v.value) && v.value.data.length === 0 && v.value.elided) {
    // its data stayed in the evaluation worker and could not be fetched
    parts.push(`_${v.value.shape.reduce((a, b) => a * b, 1)} elements: too many to draw here_`);
  } else if (isTensor(v.value) && v.value.data.length > 0) {
    const t = v.value;
    const slices = leadingIndices(t.shape);
    const first = sliceMatrix(t, slices[0]);
    const where = slices.length > 1 ? `[${slices[0].join(', ')}, :, :] of ${slices.length} slices` : undefined;
    if (isMaskLike(t) && t.shape.length >= 1) {
      parts.push(maskSvgMarkdown(first, `${v.name} mask grid`, { onIsMasked: legendMasksOn(v.legend) }));
      legend = escapeMd(legendText(v.legend));
      pictured = true;
    } else if (!v.sampled || (!v.sampled.pooled && (limits.maxElements ?? Infinity) >= first.rows * first.cols)) {
      // (a pooled grid holds block maxima, no values print() shows: the repr, print's own summary, stands instead)
      // exact values: summarised as print() does, in the tensor's own print format
      const cell = cellFormatter(t);
      const exact = exactDigits(t); // int64 beyond 2^53: the digits print() shows, not the nearest double
      parts.push(fence(numericTableText(first, (x, i) => exact.get(i) ?? cell.format(x), { maxRows: 8, maxCols: 8 }), 'text'));
      pictured = true;
    }
    // how the grid was fetched, said only where it is drawn
    const notes = [where, pictured && v.sampled && sampledNote(v.sampled)].filter(Boolean).join(' · ');
    if (notes) parts.push(`_${escapeMd(notes)}_`);
  } else if (v.value.type === 'dict') {
    // its entries, each value by its summary (a tensor's dtype and shape): the repr, if kept, prints them whole
    parts.push(fence(dictText(v.value), 'python'));
    pictured = true;
  } else if (!v.repr) {
    parts.push(fence(scalarText(v.value), 'python'));
  }

  // one summary line: what the mask is and who read it, or what a loss counted
  const summary: string[] = [];
  if (v.maskSummary) summary.push(`mask: ${escapeMd(v.maskSummary)}${v.consumer ? ` — ${consumerText(v.consumer)}` : ''}`);
  const loss = v.derived && 'counted' in v.derived ? v.derived : undefined;
  if (loss) summary.push(escapeMd(`${loss.counted} of ${loss.total} targets counted · ignore_index = ${loss.ignoreIndex} · reduction = ${loss.reduction}`));
  if (summary.length) parts.push(summary.join(' · '));
  if (legend) parts.push(legend);
  for (const d of diagnostics) parts.push(`${SEVERITY_ICON[d.severity]} **${d.code}**: ${escapeMd(d.message)}`);

  // a tensor too big to draw in values: its repr is the picture, open up to print()'s summarised 2-D form and more
  const reprIsPicture = !pictured && v.sampled?.pooled === true;
  if (v.repr) parts.push(reprBlock(v.repr, maxReprLines, pictured, reprIsPicture ? SUMMARISED_REPR_LINES : OPEN_REPR_LINES));
  // a callee's value came from its `return` line inside the function: "as of line 48" under line 55 misled
  if (v.line !== undefined) parts.push(`_${v.returned ? 'returned at' : 'as of'} ${(limits.at ?? lineLabel)(v.line)}_${v.note ? ` · $(warning) ${escapeMd(v.note)}` : ''}`);
  return parts.join('\n\n');
}

/** Each built-in exception name and the class it names (`IOError` is `OSError`). */
/**
 * Why a function's body has no values to show for `path`: it was never
 * called, or Mask Lens stopped the evaluation (its time budget) before the
 * file reached a call, in which case "never called" would be wrong (the
 * Annotated Transformer's attention() is called after its stop at line 762).
 * `at` names the stop's line ("cell 30, line 4" in a notebook).
 */
export function notCalledText(result: Pick<RunResult, 'errors'>, fn: string, path: string, at: LineLabel = lineLabel): string {
  const stop = result.errors.find((e) => e.type === 'TimeoutError' && e.message.startsWith('Mask Lens stopped'));
  if (stop) {
    return `$(info) Mask Lens stopped evaluating this file at ${at(stop.line)} (its time budget, \`maskLens.evaluation.timeBudgetMs\`) before \`${fn}\` was called, so it has no values for \`${path}\` yet.`;
  }
  return `$(info) \`${fn}\` is never called in this file, so Mask Lens has no values for \`${path}\` yet.`;
}

const BUILTIN_EXCEPTION_NAMES = new Map<string, string>([...BUILTIN_EXCEPTIONS.map(([name]) => [name, name] as const), ...BUILTIN_EXCEPTION_ALIASES]);

/** Whether `source` binds `name` itself (`class TimeoutError(...)`, `from x import TimeoutError`, `TimeoutError = ...`). */
function rebinds(source: string, name: string): boolean {
  return new RegExp(`^\\s*((class|def)\\s+${name}\\b|(from\\s+\\S+\\s+)?import\\b.*\\b${name}\\b|${name}\\s*=[^=])`, 'm').test(source);
}

/**
 * The hover for a word that has no recorded value at `line`: a built-in
 * exception class as Python prints it (`<class 'ValueError'>` in `raise
 * ValueError(...)`); a name the line would bind, with the error that kept it
 * unbound; a name a knock-on error names ("not evaluated: ..."); otherwise
 * nothing (the word is bound elsewhere, or is not a variable: the line's own
 * error is the Problems hover's to show, not a claim about this word).
 */
export function unresolvedHover(
  result: Pick<RunResult, 'errors'>, word: string, lineText: string, line: number, isAttribute = false, source = '', at: LineLabel = lineLabel,
): string | undefined {
  if (!isAttribute && BUILTIN_EXCEPTION_NAMES.has(word) && !rebinds(source, word)) return fence(`<class '${BUILTIN_EXCEPTION_NAMES.get(word)}'>`, 'python');
  const binds = !isAttribute && assignedNames(lineText).includes(word);
  const texts = result.errors.filter((e) => e.line === line).flatMap((e) => {
    const knockOn = notEvaluatedMessage(e, at);
    if (knockOn) return binds || e.consequenceOf?.name === word ? [`**${word}**: ${escapeMd(knockOn)}`] : [];
    return binds ? [`**${word}**: not bound, ${at(e.line)} raised\n\n\`${e.type}\`${e.message ? `: ${escapeMd(e.message)}` : ''}`] : [];
  });
  return texts.length ? texts.join('\n\n---\n\n') : undefined;
}
