// Markdown for a variable hover: name, dtype, shape, a ■/⬚ grid for masks or
// a small numeric table, and the printed repr. No 'vscode' import: unit-tested.
import type { ResolvedValue } from './variableLookup';
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
}

/** A code fence longer than any backtick run inside `text`. */
function fence(text: string, lang = ''): string {
  const longest = Math.max(2, ...Array.from(text.matchAll(/`+/g), (m) => m[0].length));
  const f = '`'.repeat(longest + 1);
  return `${f}${lang}\n${text}\n${f}`;
}

export function hoverMarkdown(v: ResolvedValue, limits: HoverLimits = {}): string {
  const maxSlices = limits.maxSlices ?? 4;
  const maxReprLines = limits.maxReprLines ?? 24;
  const parts: string[] = [];
  const d = describeValue(v.value);
  const head = [`**${v.name}**`, `\`${d.kind}\``];
  if (d.dtype) head.push(`dtype \`${d.dtype}\``);
  if (d.shape && isTensor(v.value)) head.push(`shape \`${formatShape(d.shape)}\``);
  if (v.mask) head.push(`${v.mask} mask`);
  parts.push(head.join(' · '));

  if (isTensor(v.value)) {
    const t = v.value;
    const mask = isMaskLike(t);
    const slices = leadingIndices(t.shape);
    const blocks: string[] = [];
    for (const lead of slices.slice(0, maxSlices)) {
      const m = sliceMatrix(t, lead);
      const body = mask ? maskGridText(m, { maxRows: 16, maxCols: 16 }) : numericTableText(m, t.dtype, { maxRows: 16, maxCols: 8 });
      blocks.push(lead.length > 0 ? `[${lead.join(', ')}, :, :]\n${body}` : body);
    }
    if (slices.length > maxSlices) blocks.push(`… ${slices.length - maxSlices} more slices`);
    if (t.data.length > 0) parts.push(fence(blocks.join('\n'), 'text'));
  } else if (!v.repr) {
    parts.push(fence(scalarText(v.value), 'python'));
  }

  if (v.repr) {
    const lines = v.repr.split('\n');
    const shown = lines.length > maxReprLines ? [...lines.slice(0, maxReprLines), '…'] : lines;
    parts.push(fence(shown.join('\n'), 'python'));
  }
  if (v.line !== undefined) parts.push(`_as of line ${v.line}_`);
  return parts.join('\n\n');
}
