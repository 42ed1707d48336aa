// Markdown for a variable hover: name, dtype, shape, a ■/⬚ grid for masks or
// a small numeric table, and the printed repr. No 'vscode' import: unit-tested.
import type { Diagnostic, MaskLegend } from '../python/result';
import type { ResolvedValue } from './variableLookup';
import { maskSvgMarkdown } from './maskSvg';
import {
  describeValue,
  formatShape,
  isMaskLike,
  isTensor,
  leadingIndices,
  maskGridText,
  numericTableText,
  scalarText,
  sliceMatrix,
} from './tensorView';

export interface HoverLimits {
  /** Largest number of 2-D slices shown for >2-D tensors. */
  maxSlices?: number;
  /** Largest number of repr lines shown. */
  maxReprLines?: number;
  /** maskLens.hover.maxElements: slices are shown until this many elements. */
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

/** How a sampled grid relates to the tensor: "first slice, every 625th row and column". */
function sampledNote(s: NonNullable<ResolvedValue['sampled']>): string {
  const lead = s.shape.length > 2 ? `[${s.shape.slice(0, -2).map(() => '0').join(', ')}, :, :], ` : '';
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

export function hoverMarkdown(v: ResolvedValue, limits: HoverLimits = {}, diagnostics: readonly Diagnostic[] = []): string {
  const sliceCap = limits.maxSlices ?? 4;
  const maxReprLines = limits.maxReprLines ?? 24;
  const parts: string[] = [];
  const d = describeValue(v.value);
  const head = [`**${v.name}**`, `\`${d.kind}\``];
  if (d.dtype) head.push(`dtype \`${d.dtype}\``);
  if (d.shape && isTensor(v.value)) head.push(`shape \`${formatShape(v.sampled?.shape ?? d.shape)}\``);
  if (v.mask) head.push(`${v.mask} mask`);
  parts.push(head.join(' · '));
  if (v.maskSummary) parts.push(`mask: ${escapeMd(v.maskSummary)}${v.consumer ? ` — read by \`${v.consumer}\`` : ''}`);
  const loss = v.derived && 'counted' in v.derived ? v.derived : undefined;
  if (loss) parts.push(escapeMd(`${loss.counted} of ${loss.total} targets counted · ignore_index = ${loss.ignoreIndex} · reduction = ${loss.reduction}`));
  for (const d of diagnostics) parts.push(`${SEVERITY_ICON[d.severity]} **${d.code}**: ${escapeMd(d.message)}`);

  if (isTensor(v.value) && v.value.data.length === 0 && v.value.elided) {
    // its data stayed in the evaluation worker and could not be fetched
    parts.push(`_${v.value.shape.reduce((a, b) => a * b, 1)} elements: too many to show here_`);
  } else if (isTensor(v.value)) {
    const t = v.value;
    const mask = isMaskLike(t);
    const slices = leadingIndices(t.shape);
    const perSlice = Math.max(1, t.data.length / Math.max(slices.length, 1));
    const maxSlices = Math.min(sliceCap, Math.max(1, Math.floor((limits.maxElements ?? Infinity) / perSlice)));
    const blocks: string[] = [];
    for (const lead of slices.slice(0, maxSlices)) {
      const m = sliceMatrix(t, lead);
      const body = mask ? maskGridText(m, { maxRows: 16, maxCols: 16 }) : numericTableText(m, t.dtype, { maxRows: 16, maxCols: 8 });
      blocks.push(lead.length > 0 ? `[${lead.join(', ')}, :, :]\n${body}` : body);
    }
    if (slices.length > maxSlices) blocks.push(`… ${slices.length - maxSlices} more slices`);
    if (t.data.length > 0) {
      // the first slice as a picture (legible at the default hover zoom in every theme), then the exact grid
      if (mask && t.shape.length >= 1) parts.push(maskSvgMarkdown(sliceMatrix(t, slices[0]), `${v.name} mask grid`, { onIsMasked: legendMasksOn(v.legend) }));
      parts.push(fence(blocks.join('\n'), 'text'));
      if (mask) parts.push(escapeMd(legendText(v.legend)));
      if (v.sampled) parts.push(escapeMd(sampledNote(v.sampled)));
    }
  } else if (!v.repr) {
    parts.push(fence(scalarText(v.value), 'python'));
  }

  if (v.repr) {
    const lines = v.repr.split('\n');
    const shown = lines.length > maxReprLines ? [...lines.slice(0, maxReprLines), '…'] : lines;
    parts.push(fence(shown.join('\n'), 'python'));
  }
  if (v.line !== undefined) parts.push(`_as of line ${v.line}_${v.note ? ` · $(warning) ${escapeMd(v.note)}` : ''}`);
  return parts.join('\n\n');
}
