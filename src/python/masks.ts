// Mask semantics: classify the tensors a snippet builds (padding, causal,
// combined, additive) and flag what silently breaks training: rows that are
// entirely masked (NaN after softmax) and causal masks that let a position
// see the future.

import type { Diagnostic, EncodedNumber, EncodedValue, MaskKind, Snapshot } from './result';

type TensorValue = Extract<EncodedValue, { data: EncodedNumber[] }>;

const num = (x: EncodedNumber): number =>
  typeof x === 'boolean' ? (x ? 1 : 0) : x === 'nan' ? NaN : x === 'inf' ? Infinity : x === '-inf' ? -Infinity : x;

function isTensor(v: EncodedValue): v is TensorValue {
  return 'data' in v;
}

/** Values of the last two dims as matrices [batch][row][col] (a 1-D tensor is one row). */
function matrices(v: TensorValue): { rows: number; cols: number; mats: number[][][] } {
  const shape = v.shape.length === 0 ? [1] : v.shape;
  const cols = shape[shape.length - 1];
  const rows = shape.length >= 2 ? shape[shape.length - 2] : 1;
  const mats: number[][][] = [];
  const per = rows * cols;
  for (let b = 0; per > 0 && b < v.data.length / per; b++) {
    mats.push(Array.from({ length: rows }, (_, r) => Array.from({ length: cols }, (_, c) => num(v.data[b * per + r * cols + c]))));
  }
  return { rows, cols, mats };
}

function binaryValued(v: TensorValue): boolean {
  return v.data.every((x) => typeof x === 'boolean' || x === 0 || x === 1);
}

function additiveValued(v: TensorValue): boolean {
  let sawBlock = false;
  for (const x of v.data) {
    const n = num(x);
    if (n === 0) continue;
    if (n === -Infinity || n <= -1e4) sawBlock = true;
    else return false;
  }
  return sawBlock;
}

/** A keep-mask (1 = attend) or block-mask (1 = masked) that is triangular over its last two dims. */
function triangular(mats: number[][][], rows: number, cols: number, blocked: (x: number) => boolean): 'lower-keep' | 'upper-block' | null {
  if (rows < 2 || cols < 2) return null;
  let lowerKeep = true, upperBlock = true;
  for (const m of mats) {
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        const b = blocked(m[r][c]);
        if (c > r && !b) upperBlock = false;
        if (c <= r && b) upperBlock = false;
        if (c > r && !b) lowerKeep = false;
      }
    }
  }
  if (upperBlock) return 'upper-block';
  return lowerKeep ? 'lower-keep' : null;
}

export function classifyMask(name: string, v: EncodedValue): MaskKind | undefined {
  if (!isTensor(v) || v.data.length === 0 || v.shape.length === 0) return undefined;
  const binaryMask = binaryValued(v);
  const additive = !binaryMask && additiveValued(v);
  if (!binaryMask && !additive) return undefined;
  const { rows, cols, mats } = matrices(v);
  const isUpperBlock = triangular(mats, rows, cols, (x) => (additive ? x !== 0 : x === 1));
  const isLowerKeep = binaryMask && triangular(mats, rows, cols, (x) => x === 0);
  const fullTriangle = (keepValue: number) =>
    mats.every((m) => m.every((row, r) => row.every((x, c) => (c <= r ? x === keepValue : x !== keepValue))));
  if (additive) return isUpperBlock && fullTriangle(0) ? 'causal' : isUpperBlock ? 'combined' : 'additive';
  if (isUpperBlock && fullTriangle(0)) return 'causal';
  if (isLowerKeep && fullTriangle(1)) return 'causal';
  if (isUpperBlock || isLowerKeep) return 'combined';
  if (v.shape.some((s) => s === 1) || /pad|mask|valid|keep|attn/i.test(name)) return 'padding';
  return 'other';
}

export function analyzeMasks(timeline: Snapshot[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const s of timeline) {
    s.mask = classifyMask(s.name, s.value);
    const v = s.value;
    if (!isTensor(v) || v.data.length === 0 || v.dtype.includes('int') || v.dtype.includes('bool')) continue;
    const { cols, mats } = matrices(v);
    const nanRows: string[] = [];
    mats.forEach((m, b) => m.forEach((row, r) => {
      if (cols > 0 && row.every((x) => Number.isNaN(x))) nanRows.push(mats.length > 1 ? `[${b}, ${r}]` : `${r}`);
    }));
    if (nanRows.length) {
      out.push({
        code: 'fully-masked-row',
        severity: 'warning',
        line: s.line,
        variable: s.name,
        message: `${s.name}: ${nanRows.length} row${nanRows.length > 1 ? 's are' : ' is'} entirely NaN (${nanRows.slice(0, 4).join(', ')}${nanRows.length > 4 ? ', …' : ''}): every position was masked with -inf before softmax, so the loss will be NaN.`,
      });
    }
  }
  return out;
}
