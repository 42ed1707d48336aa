// `print(t)` / `repr(t)` for a torch tensor, following torch/_tensor_str.py
// (PyTorch 1.13, unchanged in 2.x for dense CPU tensors): the _Formatter's
// int / fixed / scientific choice, nested brackets, summarization with
// '...', line wrapping at `linewidth`, and the dtype / size / grad_fn suffixes.

import { Grid, edgeValues, gridOf } from './grid';
import type { DType } from '../dtype';
import { isFloating } from '../dtype';
import { type Tensor, hasWide, int64Values } from '../tensor';
import { pyExp, pyFixed } from './pyfloat';

export interface PrintOptions {
  precision: number;
  threshold: number;
  edgeitems: number;
  linewidth: number;
  sciMode: boolean | null;
}

export const DEFAULT_PRINT_OPTIONS: Readonly<PrintOptions> = Object.freeze({
  precision: 4,
  threshold: 1000,
  edgeitems: 3,
  linewidth: 80,
  sciMode: null,
});

export type PrintProfile = 'default' | 'short' | 'full';

/**
 * torch.set_printoptions(...): a profile first resets precision, threshold,
 * edgeitems and linewidth; explicit fields then override. sci_mode is always
 * replaced (torch sets it to the argument, None included).
 */
export function setPrintOptions(
  current: Readonly<PrintOptions>,
  args: Partial<PrintOptions> & { profile?: PrintProfile },
): PrintOptions {
  const o: PrintOptions = { ...current };
  if (args.profile === 'default') Object.assign(o, { precision: 4, threshold: 1000, edgeitems: 3, linewidth: 80 });
  else if (args.profile === 'short') Object.assign(o, { precision: 2, threshold: 1000, edgeitems: 2, linewidth: 80 });
  else if (args.profile === 'full') Object.assign(o, { precision: 4, threshold: Infinity, edgeitems: 3, linewidth: 80 });
  if (args.precision !== undefined) o.precision = args.precision;
  if (args.threshold !== undefined) o.threshold = args.threshold;
  if (args.edgeitems !== undefined) o.edgeitems = args.edgeitems;
  if (args.linewidth !== undefined) o.linewidth = args.linewidth;
  o.sciMode = args.sciMode ?? null;
  return o;
}

export interface TorchFormatOptions {
  /** `grad_fn=<...>` name, e.g. 'EmbeddingBackward0'; defaults to the tensor's own. */
  gradFn?: string;
  /** Shown as `requires_grad=True` when there is no grad_fn; defaults to the tensor's own. */
  requiresGrad?: boolean;
  printOptions?: Readonly<PrintOptions>;
  /** An nn.Parameter: `Parameter containing:\ntensor(...)`. */
  parameter?: boolean;
}

/**
 * Python `str(int)` for an integer-valued double, exactly (int64 beyond 2^53
 * included). Never throws: a non-integer here would break the dtype
 * invariant (assertDtype), so it prints truncated rather than failing the preview.
 */
function intStr(x: number | bigint): string {
  if (typeof x === 'bigint' || Number.isSafeInteger(x)) return String(x);
  return Number.isFinite(x) ? BigInt(Math.trunc(x)).toString() : String(x);
}

/** torch._tensor_str._Formatter. */
class Formatter {
  private readonly floating: boolean;
  private readonly isBool: boolean;
  intMode = true;
  sciMode = false;
  maxWidth = 1;

  // an int64 tensor with values beyond 2^53 passes its exact values (bigint); floats are numbers
  constructor(dtype: DType, values: ArrayLike<number | bigint>, private readonly opts: Readonly<PrintOptions>) {
    this.floating = isFloating(dtype);
    this.isBool = dtype === 'bool';
    if (!this.floating) {
      for (let i = 0; i < values.length; i++) this.maxWidth = Math.max(this.maxWidth, this.plain(values[i]).length);
      return;
    }
    const finite: number[] = [];
    for (let i = 0; i < values.length; i++) {
      const v = values[i] as number;
      if (Number.isFinite(v) && v !== 0) finite.push(v);
    }
    // No nonzero finite value: torch returns early and ignores sci_mode.
    if (finite.length === 0) return;
    let min = Infinity;
    let max = 0;
    for (const v of finite) {
      const a = Math.abs(v);
      if (a < min) min = a;
      if (a > max) max = a;
    }
    for (const v of finite) {
      if (v !== Math.ceil(v)) {
        this.intMode = false;
        break;
      }
    }
    const p = opts.precision;
    if (this.intMode) {
      if (max / min > 1000 || max > 1e8) {
        this.sciMode = true;
        for (const v of finite) this.maxWidth = Math.max(this.maxWidth, pyExp(v, p).length);
      } else {
        for (const v of finite) this.maxWidth = Math.max(this.maxWidth, pyFixed(v, 0).length + 1);
      }
    } else if (max / min > 1000 || max > 1e8 || min < 1e-4) {
      this.sciMode = true;
      for (const v of finite) this.maxWidth = Math.max(this.maxWidth, pyExp(v, p).length);
    } else {
      for (const v of finite) this.maxWidth = Math.max(this.maxWidth, pyFixed(v, p).length);
    }
    if (opts.sciMode !== null) this.sciMode = opts.sciMode;
  }

  private plain(v: number | bigint): string {
    return this.isBool ? (v ? 'True' : 'False') : intStr(v);
  }

  width(): number {
    return this.maxWidth;
  }

  format(e: number | bigint): string {
    let ret: string;
    if (this.floating) {
      const v = e as number;
      if (this.sciMode) ret = pyExp(v, this.opts.precision);
      else if (this.intMode) {
        ret = pyFixed(v, 0);
        if (Number.isFinite(v)) ret += '.';
      } else ret = pyFixed(v, this.opts.precision);
    } else ret = this.plain(e);
    return ret.length < this.maxWidth ? ' '.repeat(this.maxWidth - ret.length) + ret : ret;
  }
}

/**
 * The element formatter torch's print would use for these values (precision,
 * int / fixed / scientific mode, common width), for tables that show a
 * tensor's elements one per cell: `format(v)` is right-aligned to `width`.
 * `values` are the tensor's elements in row-major order of `shape`.
 */
export function elementFormatter(dtype: DType, shape: readonly number[], values: ArrayLike<number>, opts: Readonly<PrintOptions> = DEFAULT_PRINT_OPTIONS): { format(v: number): string; width: number } {
  // a summarized print (numel > threshold) picks its format from the edge items only, as torch does
  const strides = new Array<number>(shape.length);
  for (let i = shape.length - 1, s = 1; i >= 0; s *= shape[i], i--) strides[i] = s;
  const summarize = values.length > opts.threshold;
  const f = new Formatter(dtype, summarize ? edgeValues({ shape, strides, data: values } as Grid, opts.edgeitems) : values, opts);
  return { format: (v) => f.format(v), width: f.width() };
}

function vectorStr(g: Grid<number | bigint>, base: number, indent: number, summarize: boolean, f: Formatter, o: Readonly<PrintOptions>): string {
  const n = g.shape[g.shape.length - 1];
  const st = g.strides[g.shape.length - 1];
  const elementLength = f.width() + 2;
  const perLine = Math.max(1, Math.floor((o.linewidth - indent) / elementLength));
  const data: string[] = [];
  if (summarize && n > 2 * o.edgeitems) {
    for (let i = 0; i < o.edgeitems; i++) data.push(f.format(g.data[base + i * st]));
    data.push(' ...');
    for (let i = n - o.edgeitems; i < n; i++) data.push(f.format(g.data[base + i * st]));
  } else for (let i = 0; i < n; i++) data.push(f.format(g.data[base + i * st]));
  const lines: string[] = [];
  for (let i = 0; i < data.length; i += perLine) lines.push(data.slice(i, i + perLine).join(', '));
  return '[' + lines.join(',\n' + ' '.repeat(indent + 1)) + ']';
}

function tensorStrWith(
  g: Grid<number | bigint>, dim: number, base: number, indent: number, summarize: boolean, f: Formatter, o: Readonly<PrintOptions>,
): string {
  const left = g.shape.length - dim;
  if (left === 0) return f.format(g.data[base]);
  if (left === 1) return vectorStr(g, base, indent, summarize, f, o);
  const n = g.shape[dim];
  const st = g.strides[dim];
  const sub = (i: number) => tensorStrWith(g, dim + 1, base + i * st, indent + 1, summarize, f, o);
  const slices: string[] = [];
  if (summarize && n > 2 * o.edgeitems) {
    for (let i = 0; i < o.edgeitems; i++) slices.push(sub(i));
    slices.push('...');
    for (let i = n - o.edgeitems; i < n; i++) slices.push(sub(i));
  } else for (let i = 0; i < n; i++) slices.push(sub(i));
  return '[' + slices.join(',' + '\n'.repeat(left - 1) + ' '.repeat(indent + 1)) + ']';
}

/** torch._tensor_str._tensor_str: the bracketed values of a non-empty tensor. */
function tensorStr(t: Tensor, indent: number, o: Readonly<PrintOptions>): string {
  if (t.numel === 0) return '[]';
  const summarize = t.numel > o.threshold;
  const g: Grid<number | bigint> = gridOf(t);
  if (t.dtype === 'int64' && hasWide(t)) g.data = int64Values(t); // beyond 2^53: the exact values
  const f = new Formatter(t.dtype, summarize ? edgeValues(g, o.edgeitems) : g.data, o);
  return tensorStrWith(g, 0, 0, indent, summarize, f, o);
}

function addSuffixes(tensorStr: string, suffixes: string[], indent: number, linewidth: number, forceNewline = false): string {
  const parts = [tensorStr];
  // torch's own arithmetic (it counts two characters more than the last line has)
  let lastLineLen = tensorStr.length - tensorStr.lastIndexOf('\n') + 1;
  for (const suffix of suffixes) {
    if (forceNewline || lastLineLen + suffix.length + 2 > linewidth) {
      parts.push(',\n' + ' '.repeat(indent) + suffix);
      lastLineLen = indent + suffix.length;
      forceNewline = false;
    } else {
      parts.push(', ' + suffix);
      lastLineLen += suffix.length + 2;
    }
  }
  parts.push(')');
  return parts.join('');
}

/** Python `str(tuple(shape))`: (2, 3), (0,), (). */
export function pyTupleStr(shape: readonly number[]): string {
  if (shape.length === 1) return `(${shape[0]},)`;
  return '(' + shape.join(', ') + ')';
}

// Dtypes torch leaves implicit: the default float dtype, int64 and bool.
const DEFAULT_DTYPES: ReadonlySet<DType> = new Set<DType>(['float32', 'int64', 'bool']);

/**
 * What PyTorch prints for a sparse COO tensor (torch._tensor_str, the
 * `self.is_sparse` branch): `indices=tensor(...)` and `values=tensor(...)`
 * each laid out at its own indent (an empty one adds its size), then size,
 * nnz, a non-default dtype, the layout and grad_fn, the first suffix on a
 * new line. `indices` is int64 [sparse_dim, nnz]; `values` [nnz, dense dims].
 */
export function formatTorchSparseCoo(indices: Tensor, values: Tensor, shape: readonly number[], options: TorchFormatOptions = {}): string {
  const o = options.printOptions ?? DEFAULT_PRINT_OPTIONS;
  const indent = 'tensor('.length;
  const part = (prefix: string, t: Tensor) =>
    prefix + tensorStr(t, indent + prefix.length, o) + (t.numel === 0 ? ', size=' + pyTupleStr(t.shape) : '') + ')';
  const body = part('indices=tensor(', indices) + ',\n' + ' '.repeat(indent) + part('values=tensor(', values);
  const suffixes = ['size=' + pyTupleStr(shape), 'nnz=' + indices.shape[1]];
  if (!DEFAULT_DTYPES.has(values.dtype)) suffixes.push('dtype=torch.' + values.dtype);
  suffixes.push('layout=torch.sparse_coo');
  const gradFn = options.gradFn ?? null;
  if (gradFn) suffixes.push(`grad_fn=<${gradFn}>`);
  else if (options.requiresGrad) suffixes.push('requires_grad=True');
  return addSuffixes('tensor(' + body, suffixes, indent, o.linewidth, true);
}

/** Exactly what PyTorch prints for `print(t)` / `repr(t)` (CPU, dense, default float32). */
export function formatTorchTensor(t: Tensor, options: TorchFormatOptions = {}): string {
  const o = options.printOptions ?? DEFAULT_PRINT_OPTIONS;
  const prefix = 'tensor(';
  const indent = prefix.length;
  const suffixes: string[] = [];
  let body: string;
  if (t.numel === 0) {
    // An empty tensor has no values to show its dtype, so only float32 is implicit.
    if (t.ndim !== 1) suffixes.push('size=' + pyTupleStr(t.shape));
    if (t.dtype !== 'float32') suffixes.push('dtype=torch.' + t.dtype);
    body = '[]';
  } else {
    if (!DEFAULT_DTYPES.has(t.dtype)) suffixes.push('dtype=torch.' + t.dtype);
    body = tensorStr(t, indent, o);
  }
  const gradFn = options.gradFn ?? t.grad.gradFn;
  const requiresGrad = options.requiresGrad ?? t.grad.requiresGrad;
  if (gradFn) suffixes.push(`grad_fn=<${gradFn}>`);
  else if (requiresGrad) suffixes.push('requires_grad=True');
  const s = addSuffixes(prefix + body, suffixes, indent, o.linewidth);
  return options.parameter ? 'Parameter containing:\n' + s : s;
}
