// One tensor view drawn as a figure: a canvas heatmap (fit to the panel or
// zoomed, pooled so masked cells never vanish) or a table of values in equal,
// right-aligned columns; axis labels, row sums, hatching for masked cells,
// distinct marks for NaN and ±inf, and a keyboard-driven cell cursor whose
// tooltip gives index, value and mask reason. Colours come from the theme.
import type { TensorSlice } from '../src/vscode/tensorSlice';

export type FigureMode = 'heatmap' | 'values';

export interface FigureSpec {
  /** Short title over the figure ("scores", "mask", "probabilities"). */
  title?: string;
  slice: TensorSlice;
  bool: boolean;
  /** For bool/0-1 masks: which value means masked under the consumer's legend (true: ■ is masked). */
  onIsMasked?: boolean;
  rowLabel: string;
  colLabel: string;
  /** Finite value range for the colour scale (null: none). */
  range: { min: number; max: number } | null;
  format(v: number): string;
  /** Character width of every cell in values mode (torch's common width). */
  width: number;
  /** Text for a cell's tooltip beyond its value: the mask reason. */
  reason(r: number, c: number): string | undefined;
  /** Index tuple text for cell (r, c) of the unpooled view. */
  indexText(r: number, c: number): string;
  /** Values beside each row (row sums), with flags; unpooled views only. */
  rowNotes?: { text: string; flag?: string }[];
  /** Cells to grey out (ignored targets), unpooled. */
  greyed?: (r: number, c: number) => boolean;
}

export interface Palette {
  bg: string;
  fg: string;
  muted: string;
  border: string;
  low: string;
  high: string;
  on: string;
  nan: string;
  posInf: string;
  negInf: string;
  hatch: string;
  /** Hatching over a filled ■ cell: it must contrast with `on` (dark stripes on orange, light stripes on white). */
  onHatch: string;
  focus: string;
}

/** Theme colours, read from the --vscode-* variables the webview host sets. */
export function readPalette(): Palette {
  const cs = getComputedStyle(document.body);
  const v = (name: string, fallback: string) => cs.getPropertyValue(name).trim() || fallback;
  const hc = document.body.classList.contains('vscode-high-contrast') || document.body.classList.contains('vscode-high-contrast-light');
  return {
    bg: v('--vscode-editor-background', '#1e1e1e'),
    fg: v('--vscode-editor-foreground', '#d4d4d4'),
    muted: v('--vscode-descriptionForeground', '#999'),
    border: hc ? v('--vscode-contrastBorder', '#6fc3df') : v('--vscode-editorWidget-border', '#454545'),
    low: v('--vscode-editor-background', '#1e1e1e'),
    high: v('--vscode-charts-blue', '#3794ff'),
    on: hc ? v('--vscode-editor-foreground', '#fff') : v('--vscode-charts-orange', '#d18616'),
    nan: v('--vscode-editorError-foreground', '#f14c4c'),
    posInf: v('--vscode-charts-red', '#f14c4c'),
    negInf: v('--vscode-charts-purple', '#b180d7'),
    hatch: hc ? v('--vscode-contrastActiveBorder', '#f38518') : v('--vscode-editorWarning-foreground', '#cca700'),
    // on a light theme the background is white, which washes the orange out: stripes in the text colour there
    onHatch: document.body.classList.contains('vscode-light') ? v('--vscode-editor-foreground', '#3b3b3b') : v('--vscode-editor-background', '#1e1e1e'),
    focus: v('--vscode-focusBorder', '#007fd4'),
  };
}

/** [r, g, b] of any CSS colour, through a canvas (it normalises every syntax). */
const rgbCache = new Map<string, [number, number, number]>();
export function rgb(color: string): [number, number, number] {
  const hit = rgbCache.get(color);
  if (hit) return hit;
  const ctx = document.createElement('canvas').getContext('2d')!;
  ctx.fillStyle = '#000';
  ctx.fillStyle = color;
  const s = ctx.fillStyle;
  let out: [number, number, number] = [0, 0, 0];
  const hex = /^#([0-9a-f]{6})$/i.exec(s);
  if (hex) out = [parseInt(hex[1].slice(0, 2), 16), parseInt(hex[1].slice(2, 4), 16), parseInt(hex[1].slice(4, 6), 16)];
  else {
    const m = /rgba?\(([^)]+)\)/.exec(s);
    if (m) {
      const p = m[1].split(',').map((x) => parseFloat(x));
      out = [p[0], p[1], p[2]];
    }
  }
  rgbCache.set(color, out);
  return out;
}

export function mix(a: [number, number, number], b: [number, number, number], t: number): [number, number, number] {
  return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];
}

const css = (c: [number, number, number]) => `rgb(${Math.round(c[0])}, ${Math.round(c[1])}, ${Math.round(c[2])})`;

/** Colour of one cell (without hatching). */
export function cellColor(spec: FigureSpec, p: Palette, v: number): [number, number, number] {
  if (Number.isNaN(v)) return rgb(p.nan);
  if (v === Number.POSITIVE_INFINITY) return rgb(p.posInf);
  if (v === Number.NEGATIVE_INFINITY) return rgb(p.negInf);
  if (spec.bool) return v !== 0 ? rgb(p.on) : rgb(p.bg);
  const r = spec.range;
  const level = !r || r.max === r.min ? 0.5 : (v - r.min) / (r.max - r.min);
  // keep the low end a step off the background so a minimum is still a visible cell
  return mix(rgb(p.low), rgb(p.high), 0.08 + 0.92 * level);
}

export interface DrawResult {
  canvas: HTMLCanvasElement;
  cell: number;
  ms: number;
}

/**
 * Draw the slice on a canvas with `cell` CSS pixels per output cell (≥ 1).
 * Colours are written once per cell as pixels and scaled up without smoothing;
 * masked cells get a hatch layer (composited through the mask, not cell by
 * cell), large cells a grid and glyphs for NaN and ±inf.
 */
export function drawHeatmap(spec: FigureSpec, p: Palette, cell: number): DrawResult {
  const t0 = performance.now();
  const { slice } = spec;
  const dpr = Math.min(window.devicePixelRatio || 1, 2);
  const canvas = document.createElement('canvas');
  const w = slice.outCols * cell;
  const h = slice.outRows * cell;
  canvas.width = Math.max(1, Math.round(w * dpr));
  canvas.height = Math.max(1, Math.round(h * dpr));
  canvas.style.width = `${w}px`;
  canvas.style.height = `${h}px`;
  const ctx = canvas.getContext('2d')!;
  const n = slice.values.length;
  const img = new ImageData(slice.outCols, slice.outRows);
  const small = cell * dpr < 4; // too small to hatch: tint masked cells instead
  const hatch = rgb(p.hatch);
  const grey = rgb(p.muted);
  for (let i = 0; i < n; i++) {
    let c = cellColor(spec, p, slice.values[i]);
    if (small && slice.masked?.[i]) c = mix(c, hatch, 0.6);
    if (spec.greyed?.(Math.floor(i / slice.outCols), i % slice.outCols)) c = mix(c, grey, 0.35);
    img.data[4 * i] = c[0];
    img.data[4 * i + 1] = c[1];
    img.data[4 * i + 2] = c[2];
    img.data[4 * i + 3] = 255;
  }
  const cells = document.createElement('canvas');
  cells.width = slice.outCols;
  cells.height = slice.outRows;
  cells.getContext('2d')!.putImageData(img, 0, 0);
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(cells, 0, 0, canvas.width, canvas.height);
  if (!small && slice.masked?.some((x) => x)) {
    const masked = slice.masked;
    const step = Math.max(4, Math.min(cell * dpr / 2, 8));
    // a filled ■ cell takes stripes that contrast with its fill; every other masked cell the hatch colour
    const filled = (i: number) => spec.bool && slice.values[i] !== 0;
    overlayHatch(ctx, slice.outCols, slice.outRows, (i) => masked[i] !== 0 && !filled(i), p.hatch, step);
    if (spec.bool) overlayHatch(ctx, slice.outCols, slice.outRows, (i) => masked[i] !== 0 && filled(i), p.onHatch, step);
  }
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  if (cell >= 8) {
    ctx.font = `${Math.floor(cell * 0.7)}px sans-serif`;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    for (let i = 0; i < n; i++) {
      const v = slice.values[i];
      if (Number.isFinite(v)) continue;
      const r = Math.floor(i / slice.outCols), c = i % slice.outCols;
      ctx.fillStyle = Number.isNaN(v) ? p.bg : p.fg;
      ctx.fillText(Number.isNaN(v) ? '×' : v > 0 ? '+' : '−', c * cell + cell / 2, r * cell + cell / 2);
    }
  }
  if (cell >= 6) {
    ctx.strokeStyle = p.border;
    ctx.lineWidth = 1 / dpr;
    ctx.beginPath();
    for (let r = 0; r <= slice.outRows; r++) {
      ctx.moveTo(0, r * cell);
      ctx.lineTo(w, r * cell);
    }
    for (let c = 0; c <= slice.outCols; c++) {
      ctx.moveTo(c * cell, 0);
      ctx.lineTo(c * cell, h);
    }
    ctx.stroke();
  }
  return { canvas, cell, ms: performance.now() - t0 };
}

/**
 * Hatch the cells of an outCols × outRows grid drawn on `ctx` (scaled to the
 * canvas) where `where(i)` holds: the pattern fills a layer that is cut to
 * those cells (scaled without smoothing) and laid over, not drawn cell by cell.
 */
function overlayHatch(ctx: CanvasRenderingContext2D, outCols: number, outRows: number, where: (i: number) => boolean, color: string, step: number): void {
  const alpha = new ImageData(outCols, outRows);
  let any = false;
  for (let i = 0; i < outCols * outRows; i++) {
    if (!where(i)) continue;
    alpha.data[4 * i + 3] = 255;
    any = true;
  }
  if (!any) return;
  const maskCanvas = document.createElement('canvas');
  maskCanvas.width = outCols;
  maskCanvas.height = outRows;
  maskCanvas.getContext('2d')!.putImageData(alpha, 0, 0);
  const layer = document.createElement('canvas');
  layer.width = ctx.canvas.width;
  layer.height = ctx.canvas.height;
  const lc = layer.getContext('2d')!;
  lc.fillStyle = hatchPattern(lc, color, step);
  lc.fillRect(0, 0, layer.width, layer.height);
  lc.globalCompositeOperation = 'destination-in';
  lc.imageSmoothingEnabled = false;
  lc.drawImage(maskCanvas, 0, 0, layer.width, layer.height);
  ctx.drawImage(layer, 0, 0);
}

/** A repeating diagonal-line pattern, `step` device pixels apart. */
function hatchPattern(ctx: CanvasRenderingContext2D, color: string, step: number): CanvasPattern {
  const tile = document.createElement('canvas');
  const s = Math.round(step);
  tile.width = s;
  tile.height = s;
  const t = tile.getContext('2d')!;
  t.strokeStyle = color;
  t.lineWidth = Math.max(1, s / 4);
  t.beginPath();
  // the tile's diagonal plus the two corner pieces, so tiles join into continuous lines
  t.moveTo(0, s);
  t.lineTo(s, 0);
  t.moveTo(-1, 1);
  t.lineTo(1, -1);
  t.moveTo(s - 1, s + 1);
  t.lineTo(s + 1, s - 1);
  t.stroke();
  return ctx.createPattern(tile, 'repeat')!;
}

/** Diagonal hatching: masked, as distinct from a computed zero. */
export function hatchCell(ctx: CanvasRenderingContext2D, x: number, y: number, size: number, color: string): void {
  ctx.save();
  ctx.beginPath();
  ctx.rect(x, y, size, size);
  ctx.clip();
  ctx.strokeStyle = color;
  ctx.lineWidth = Math.max(1, size / 10);
  const step = Math.max(3, size / 3);
  ctx.beginPath();
  for (let d = -size; d < size; d += step) {
    ctx.moveTo(x + d, y + size);
    ctx.lineTo(x + d + size, y);
  }
  ctx.stroke();
  ctx.restore();
}

/** A horizontal colour bar from min to max, with swatches for what the figure also shows. */
export function colorBar(spec: FigureSpec, p: Palette): HTMLElement {
  const box = document.createElement('div');
  box.className = 'colorbar';
  box.setAttribute('role', 'img');
  const swatch = (label: string, draw: (ctx: CanvasRenderingContext2D) => void) => {
    const c = document.createElement('canvas');
    c.width = 14;
    c.height = 14;
    const ctx = c.getContext('2d')!;
    draw(ctx);
    const s = document.createElement('span');
    s.className = 'swatch-item';
    s.append(c, ` ${label}`);
    return s;
  };
  const parts: string[] = [];
  if (!spec.bool && spec.range) {
    const bar = document.createElement('canvas');
    bar.width = 160;
    bar.height = 12;
    const ctx = bar.getContext('2d')!;
    for (let x = 0; x < bar.width; x++) {
      ctx.fillStyle = css(mix(rgb(p.low), rgb(p.high), 0.08 + (0.92 * x) / (bar.width - 1)));
      ctx.fillRect(x, 0, 1, bar.height);
    }
    ctx.strokeStyle = p.border;
    ctx.strokeRect(0.5, 0.5, bar.width - 1, bar.height - 1);
    const lo = document.createElement('span');
    lo.className = 'range-min';
    lo.textContent = spec.format(spec.range.min);
    const hi = document.createElement('span');
    hi.className = 'range-max';
    hi.textContent = spec.format(spec.range.max);
    box.append(lo, bar, hi);
    parts.push(`colour scale from ${lo.textContent} to ${hi.textContent}`);
  }
  const has = (pred: (v: number) => boolean) => spec.slice.values.some(pred);
  if (has(Number.isNaN)) box.append(swatch('nan', (c) => ((c.fillStyle = p.nan), c.fillRect(0, 0, 14, 14)))), parts.push('nan');
  if (has((v) => v === Number.POSITIVE_INFINITY)) box.append(swatch('+inf', (c) => ((c.fillStyle = p.posInf), c.fillRect(0, 0, 14, 14)))), parts.push('+inf');
  if (has((v) => v === Number.NEGATIVE_INFINITY)) box.append(swatch('-inf', (c) => ((c.fillStyle = p.negInf), c.fillRect(0, 0, 14, 14)))), parts.push('-inf');
  if (spec.slice.masked?.some((x) => x)) {
    box.append(swatch('masked', (c) => ((c.fillStyle = p.bg), c.fillRect(0, 0, 14, 14), hatchCell(c, 0, 0, 14, p.hatch))));
    parts.push('hatched = masked');
  }
  box.setAttribute('aria-label', parts.join(', '));
  return box;
}
