// A mask grid as an SVG picture for hovers (a data: URI in markdown). Hovers
// cannot read theme colours, so the picture uses colours that hold contrast
// on dark, light and high-contrast backgrounds alike: a saturated orange for
// ■, a mid-grey outline for ⬚, and dark-edged hatching for masked cells. Pure.
import type { Matrix } from './tensorView';
import { toNumber } from './tensorView';
import { bytesToBase64 } from './base64';

export interface MaskSvgOptions {
  /** Largest rows / columns drawn (the rest is cut, with a note beside the picture). */
  maxRows?: number;
  maxCols?: number;
  /** Side of one cell in CSS pixels; by default 20 for a small grid, down to 12 so a wide one stays about 320 px wide. */
  cell?: number;
  /** Whether ■ (True / non-zero) means masked under the consumer's legend: those cells are hatched. */
  onIsMasked?: boolean;
}

const ON = '#e07b00';
const OFF_STROKE = '#8a8a8a';
const HATCH = '#3d2700';
/** The picture's cells: 20 px reads at a glance (10 px cells were too small to read); 12 px at least. */
const MAX_CELL = 20;
const MIN_CELL = 12;
/** Width a wide grid is fitted to, in CSS pixels: about half a default hover. */
const PICTURE_WIDTH = 320;

/** The SVG markup of the first maxRows × maxCols cells of `m`. */
export function maskSvg(m: Matrix, opts: MaskSvgOptions = {}): { svg: string; rows: number; cols: number; cut: boolean } {
  const rows = Math.min(m.rows, opts.maxRows ?? 16);
  const cols = Math.min(m.cols, opts.maxCols ?? 32);
  const cell = opts.cell ?? Math.max(MIN_CELL, Math.min(MAX_CELL, Math.floor(PICTURE_WIDTH / cols)));
  const gap = 2;
  const w = cols * cell, h = rows * cell;
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${w + gap}" height="${h + gap}" viewBox="-1 -1 ${w + gap} ${h + gap}">`);
  parts.push(`<defs><pattern id="h" width="5" height="5" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="2" height="5" fill="${HATCH}"/></pattern></defs>`);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const on = toNumber(m.at(r, c)) !== 0;
      const x = c * cell + 1, y = r * cell + 1, s = cell - 2;
      if (on) {
        parts.push(`<rect x="${x}" y="${y}" width="${s}" height="${s}" fill="${ON}"/>`);
        if (opts.onIsMasked === true) parts.push(`<rect x="${x}" y="${y}" width="${s}" height="${s}" fill="url(#h)"/>`);
      } else {
        parts.push(`<rect x="${x + 0.5}" y="${y + 0.5}" width="${s - 1}" height="${s - 1}" fill="none" stroke="${OFF_STROKE}" stroke-width="1"/>`);
        if (opts.onIsMasked === false) parts.push(`<rect x="${x}" y="${y}" width="${s}" height="${s}" fill="url(#h)" opacity="0.6"/>`);
      }
    }
  }
  parts.push('</svg>');
  return { svg: parts.join(''), rows, cols, cut: rows < m.rows || cols < m.cols };
}

/** Markdown for the picture: an image with a data: URI and alt text that says what it shows. */
export function maskSvgMarkdown(m: Matrix, alt: string, opts: MaskSvgOptions = {}): string {
  const { svg, rows, cols, cut } = maskSvg(m, opts);
  const uri = `data:image/svg+xml;base64,${bytesToBase64(new TextEncoder().encode(svg))}`;
  return `![${alt}](${uri})${cut ? ` _(first ${rows}×${cols} of ${m.rows}×${m.cols})_` : ''}`;
}
