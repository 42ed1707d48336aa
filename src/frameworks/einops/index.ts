// einops 0.8 as einops defines it (einops/parsing.py, einops/einops.py,
// einops/packing.py): the pattern parser with its errors, the
// transformation recipe (reshape -> transpose -> reduce -> add axes ->
// reshape), rearrange/repeat/reduce, einsum with named axes, pack/unpack,
// and the torch layers Rearrange/Reduce. Tensor work goes through the
// tensors' own Python methods (reshape, permute/transpose, expand, sum, ...)
// so torch and NumPy inputs get exactly their library's results.

import { EXCEPTION_CLASSES, makeException, pyError } from '../../python/exceptions';
import { reprStr } from '../../python/protocols';
import {
  CallContext, Kwargs, NativeFn, PyBuiltin, PyClass, PyDict, PyException, PyInstance, PyList, PyModule, PySlice, PyTuple, PyValue,
  typeNameOf,
} from '../../python/values';

const fn = (name: string, f: NativeFn) => new PyBuiltin(name, f);

/** einops.EinopsError(RuntimeError) */
export const EINOPS_ERROR = new PyClass('EinopsError', [EXCEPTION_CLASSES.get('RuntimeError')!], 'einops.EinopsError');

function einopsError(message: string): PyException {
  return new PyException(makeException(EINOPS_ERROR, [message], message));
}

const ELLIPSIS = '…';

/** An anonymous axis (a number other than 1 in a pattern): every occurrence is distinct. */
class Anon {
  constructor(readonly value: number) {
    if (value <= 1) {
      throw einopsError(value === 1 ? 'No need to create anonymous axis of length 1. Report this as an issue' : `Anonymous axis should have positive length, not ${value}`);
    }
  }
  toString(): string {
    return `${this.value}-axis`;
  }
}

type Axis = string | Anon;
type Composite = Axis[] | typeof ELLIPSIS;

const PY_KEYWORDS = new Set(['False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue', 'def', 'del', 'elif', 'else', 'except', 'finally', 'for', 'from', 'global', 'if', 'import', 'in', 'is', 'lambda', 'nonlocal', 'not', 'or', 'pass', 'raise', 'return', 'try', 'while', 'with', 'yield']);

function axisNameProblem(name: string, allowUnderscore = false): string | null {
  if (!/^[\p{L}_][\p{L}\p{N}_]*$/u.test(name)) return 'not a valid python identifier';
  if (name[0] === '_' || name[name.length - 1] === '_') {
    if (name === '_' && allowUnderscore) return null;
    return 'axis name should should not start or end with underscore';
  }
  void PY_KEYWORDS;
  return null;
}

/** ParsedExpression: one side of a pattern. */
class Parsed {
  hasEllipsis = false;
  hasEllipsisParenthesized: boolean | null = null;
  identifiers = new Set<Axis>();
  hasNonUnitaryAnonymousAxes = false;
  composition: Composite[] = [];

  constructor(expression: string, allowUnderscore = false, allowDuplicates = false) {
    if (expression.includes('.')) {
      if (!expression.includes('...')) throw einopsError('Expression may contain dots only inside ellipsis (...)');
      if (expression.split('...').length !== 2 || expression.split('.').length !== 4) {
        throw einopsError('Expression may contain dots only inside ellipsis (...); only one ellipsis for tensor ');
      }
      expression = expression.replace('...', ELLIPSIS);
      this.hasEllipsis = true;
    }
    let group: Axis[] | null = null;
    const add = (x: string) => {
      if (this.identifiers.has(x) && !(allowUnderscore && x === '_') && !allowDuplicates) {
        throw einopsError(`Indexing expression contains duplicate dimension "${x}"`);
      }
      if (x === ELLIPSIS) {
        this.identifiers.add(ELLIPSIS);
        if (group === null) {
          this.composition.push(ELLIPSIS);
          this.hasEllipsisParenthesized = false;
        } else {
          group.push(ELLIPSIS);
          this.hasEllipsisParenthesized = true;
        }
      } else if (x === '1') {
        if (group === null) this.composition.push([]);
      } else if (/^\d+$/.test(x)) {
        const y = new Anon(Number(x));
        this.hasNonUnitaryAnonymousAxes = true;
        this.identifiers.add(y);
        if (group === null) this.composition.push([y]);
        else group.push(y);
      } else {
        const problem = axisNameProblem(x, allowUnderscore);
        if (problem) throw einopsError(`Invalid axis identifier: ${x}\n${problem}`);
        this.identifiers.add(x);
        if (group === null) this.composition.push([x]);
        else group.push(x);
      }
    };
    let current: string | null = null;
    for (const ch of expression) {
      if (ch === '(' || ch === ')' || ch === ' ') {
        if (current !== null) add(current);
        current = null;
        if (ch === '(') {
          if (group !== null) throw einopsError('Axis composition is one-level (brackets inside brackets not allowed)');
          group = [];
        } else if (ch === ')') {
          if (group === null) throw einopsError('Brackets are not balanced');
          this.composition.push(group);
          group = null;
        }
      } else if (/[\p{L}\p{N}_]/u.test(ch) || ch === ELLIPSIS) {
        current = current === null ? ch : current + ch;
      } else {
        throw einopsError(`Unknown character '${ch}'`);
      }
    }
    if (group !== null) throw einopsError(`Imbalanced parentheses in expression: "${expression}"`);
    if (current !== null) add(current);
  }
}

/** Python's repr of a set of axis names ({'c'} or {2-axis}). */
function setRepr(s: Set<Axis>): string {
  return `{${[...s].map((a) => (typeof a === 'string' ? reprStr(a) : a.toString())).join(', ')}}`;
}

const REDUCTIONS = ['min', 'max', 'sum', 'mean', 'prod', 'any', 'all'];

interface Recipe {
  initShapes: number[] | null;
  permutation: number[] | null;
  reducedAxes: number[];
  addedAxes: Map<number, number>;
  finalShapes: number[] | null;
  nAxesWithAdded: number;
}

/** _prepare_transformation_recipe followed by _reconstruct_from_shape for one concrete shape. */
function recipe(pattern: string, operation: string | PyValue, axesLengths: [string, number][], shape: number[], ctx: CallContext): Recipe {
  const arrow = pattern.split('->');
  if (arrow.length !== 2) throw pyError('ValueError', `${arrow.length < 2 ? 'not enough' : 'too many'} values to unpack (expected 2${arrow.length < 2 ? `, got ${arrow.length}` : ''})`);
  const left = new Parsed(arrow[0]);
  const rght = new Parsed(arrow[1]);
  const ndim = shape.length;
  const opName = typeof operation === 'string' ? operation : null;
  if (!left.hasEllipsis && rght.hasEllipsis) throw einopsError(`Ellipsis found in right side, but not left side of a pattern ${pattern}`);
  if (left.hasEllipsis && left.hasEllipsisParenthesized) throw einopsError(`Ellipsis inside parenthesis in the left side is not allowed: ${pattern}`);
  const minus = (a: Set<Axis>, b: Set<Axis>) => new Set([...a].filter((x) => !b.has(x)));
  if (opName === 'rearrange') {
    if (left.hasNonUnitaryAnonymousAxes || rght.hasNonUnitaryAnonymousAxes) {
      throw einopsError('Non-unitary anonymous axes are not supported in rearrange (exception is length 1)');
    }
    const diff = new Set([...minus(left.identifiers, rght.identifiers), ...minus(rght.identifiers, left.identifiers)]);
    if (diff.size) throw einopsError(`Identifiers only on one side of expression (should be on both): ${setRepr(diff)}`);
  } else if (opName === 'repeat') {
    const diff = minus(left.identifiers, rght.identifiers);
    if (diff.size) throw einopsError(`Unexpected identifiers on the left side of repeat: ${setRepr(diff)}`);
    const known = new Set<Axis>([...left.identifiers, ...axesLengths.map(([k]) => k)]);
    const without = new Set([...rght.identifiers].filter((a) => !(a instanceof Anon) && !known.has(a)));
    if (without.size) throw einopsError(`Specify sizes for new axes in repeat: ${setRepr(without)}`);
  } else if (opName === null || REDUCTIONS.includes(opName)) {
    const diff = minus(rght.identifiers, left.identifiers);
    if (diff.size) throw einopsError(`Unexpected identifiers on the right side of reduce ${opName ?? ctx.repr(operation as PyValue)}: ${setRepr(diff)}`);
  } else {
    throw einopsError(`Unknown reduction ${opName}. Expect one of {${REDUCTIONS.map((r) => reprStr(r)).join(', ')}}.`);
  }

  let leftComp: Axis[][];
  let rghtComp: Axis[][];
  if (left.hasEllipsis) {
    const nOther = left.composition.length - 1;
    if (ndim < nOther) throw einopsError(`Wrong shape: expected >=${nOther} dims. Received ${ndim}-dim tensor.`);
    const ell = Array.from({ length: ndim - nOther }, (_, i) => `${ELLIPSIS}${i}`);
    leftComp = left.composition.flatMap((c) => (c === ELLIPSIS ? ell.map((a) => [a]) : [c]));
    rghtComp = rght.composition.flatMap((c) => (c === ELLIPSIS ? ell.map((a) => [a]) : [c.flatMap((a) => (a === ELLIPSIS ? ell : [a]))]));
    for (const a of ell) left.identifiers.add(a);
    left.identifiers.delete(ELLIPSIS);
    if (rght.hasEllipsis) {
      for (const a of ell) rght.identifiers.add(a);
      rght.identifiers.delete(ELLIPSIS);
    }
  } else {
    if (ndim !== left.composition.length) throw einopsError(`Wrong shape: expected ${left.composition.length} dims. Received ${ndim}-dim tensor.`);
    leftComp = left.composition as Axis[][];
    rghtComp = rght.composition as Axis[][];
  }

  const UNKNOWN = -999999, EXPECTED = -99999;
  const known = new Map<Axis, number>();
  for (const c of leftComp) for (const a of c) known.set(a, a instanceof Anon ? a.value : UNKNOWN);
  for (const a of rght.identifiers) {
    if (!known.has(a)) known.set(a, a instanceof Anon ? a.value : UNKNOWN);
  }
  const position = new Map([...known.keys()].map((a, i) => [a, i]));
  for (const [name] of axesLengths) {
    if (axisNameProblem(name)) throw einopsError(`('Invalid name for an axis', ${reprStr(name)})`);
    if (!known.has(name)) throw einopsError(`Axis ${name} is not used in transform`);
    known.set(name, EXPECTED);
  }
  const lengths = [...known.values()];
  for (const [name, len] of axesLengths) lengths[position.get(name)!] = len;

  // _reconstruct_from_shape
  let needInitReshape = false;
  leftComp.forEach((c, inputAxis) => {
    const length = shape[inputAxis];
    const knownAxes = c.filter((a) => known.get(a) !== UNKNOWN);
    const unknownAxes = c.filter((a) => known.get(a) === UNKNOWN);
    if (unknownAxes.length > 1) throw einopsError(`Could not infer sizes for ${setRepr(new Set(unknownAxes))}`);
    if (knownAxes.length === 0 && unknownAxes.length === 1) {
      lengths[position.get(unknownAxes[0])!] = length;
      return;
    }
    const knownProduct = knownAxes.reduce((p, a) => p * lengths[position.get(a)!], 1);
    if (unknownAxes.length === 0) {
      if (length !== knownProduct) throw einopsError(`Shape mismatch, ${length} != ${knownProduct}`);
    } else {
      if (length % knownProduct !== 0) throw einopsError(`Shape mismatch, can't divide axis of length ${length} in chunks of ${knownProduct}`);
      lengths[position.get(unknownAxes[0])!] = Math.floor(length / knownProduct);
    }
    if (knownAxes.length + unknownAxes.length !== 1) needInitReshape = true;
  });

  const orderedLeft = leftComp.flat();
  const orderedRght = rghtComp.flat();
  const reduced = orderedLeft.filter((a) => !rght.identifiers.has(a));
  const afterTranspose = [...orderedRght.filter((a) => left.identifiers.has(a)), ...reduced];
  const permutation = afterTranspose.map((a) => orderedLeft.indexOf(a));
  const addedAxes = new Map<number, number>();
  orderedRght.forEach((a, i) => {
    if (!left.identifiers.has(a)) addedAxes.set(i, lengths[position.get(a)!]);
  });
  const firstReduced = afterTranspose.length - reduced.length;
  let needFinalReshape = false;
  const finalShapes = rghtComp.map((g) => {
    if (g.length !== 1) needFinalReshape = true;
    return g.reduce((p, a) => p * lengths[position.get(a)!], 1);
  });
  const identity = permutation.every((p, i) => p === i);
  return {
    initShapes: needInitReshape ? lengths.slice(0, permutation.length) : null,
    permutation: identity ? null : permutation,
    reducedAxes: Array.from({ length: permutation.length - firstReduced }, (_, i) => firstReduced + i),
    addedAxes,
    finalShapes: needFinalReshape ? finalShapes : null,
    nAxesWithAdded: addedAxes.size + permutation.length,
  };
}

// ---------- backends: the tensor's own methods ----------

type Library = 'torch' | 'numpy';

function libraryOf(x: PyValue): Library {
  const t = typeNameOf(x);
  if (t === 'Tensor' || t === 'Parameter') return 'torch';
  if (t === 'ndarray') return 'numpy';
  throw einopsError(`Tensor type unknown to einops ${typeNameOf(x) === 'type' ? '' : `<class '${typeNameOf(x)}'>`}`);
}

// an axis length the user gave as a float stays a float, for the library's own TypeError
const ints = (xs: number[]) => new PyTuple(xs.map((n) => (Number.isInteger(n) ? BigInt(n) : n)));
const method = (ctx: CallContext, x: PyValue, name: string, args: PyValue[], kw: Kwargs = new Map()) => ctx.call(ctx.getAttr(x, name), args, kw);

function shapeOf(x: PyValue, ctx: CallContext): number[] {
  return ctx.iterate(ctx.getAttr(x, 'shape')).map((d) => Number(d));
}

function isFloat(x: PyValue, ctx: CallContext): boolean {
  return /float|bfloat|half|double/.test(ctx.str(ctx.getAttr(x, 'dtype')));
}

function applyRecipe(x: PyValue, r: Recipe, reduction: string | PyValue, ctx: CallContext): PyValue {
  const lib = libraryOf(x);
  let t = x;
  if (r.initShapes) t = method(ctx, t, 'reshape', [ints(r.initShapes)]);
  if (r.permutation) t = method(ctx, t, lib === 'torch' ? 'permute' : 'transpose', [ints(r.permutation)]);
  if (r.reducedAxes.length) {
    const axes = r.reducedAxes;
    if (typeof reduction !== 'string') t = ctx.call(reduction, [t, ints(axes)]);
    else {
      if (reduction === 'mean' && !isFloat(t, ctx)) throw pyError('NotImplementedError', 'reduce_mean is not available for non-floating tensors');
      if (lib === 'numpy') t = method(ctx, t, reduction, [], new Map([['axis', ints(axes)]]));
      else if (reduction === 'min' || reduction === 'max') t = method(ctx, t, reduction === 'min' ? 'amin' : 'amax', [], new Map([['dim', ints(axes)]]));
      else if (reduction === 'sum' || reduction === 'mean') t = method(ctx, t, reduction, [], new Map([['dim', ints(axes)]]));
      // torch reduces any/all/prod one axis at a time, last first
      else for (const i of [...axes].sort((a, b) => b - a)) t = method(ctx, t, reduction, [], new Map([['dim', BigInt(i)]]));
    }
  }
  if (r.addedAxes.size) {
    const repeats = new Array(r.nAxesWithAdded).fill(-1);
    for (const [pos, len] of r.addedAxes) {
      t = lib === 'torch' ? method(ctx, t, 'unsqueeze', [BigInt(pos)]) : method(ctx, t, 'reshape', [ints(insertAxis(shapeOf(t, ctx), pos))]);
      repeats[pos] = len;
    }
    if (lib === 'torch') t = method(ctx, t, 'expand', [ints(repeats)]);
    else {
      const shape = shapeOf(t, ctx).map((d, i) => (repeats[i] === -1 ? d : repeats[i]));
      t = ctx.call(ctx.getAttr(numpyOf(ctx), 'broadcast_to'), [t, ints(shape)]);
    }
  }
  if (r.finalShapes) t = method(ctx, t, 'reshape', [ints(r.finalShapes)]);
  return t;
}

function insertAxis(shape: number[], pos: number): number[] {
  return [...shape.slice(0, pos), 1, ...shape.slice(pos)];
}

let loader: ((name: string) => PyModule | undefined) | null = null;
const numpyOf = (_ctx: CallContext) => loader!('numpy')!;
const torchOf = () => loader!('torch')!;

/** reduce(tensor, pattern, reduction, **axes_lengths), which rearrange and repeat also are. */
function einopsReduce(tensor: PyValue, pattern: string, reduction: string | PyValue, axes: Kwargs, ctx: CallContext): PyValue {
  let t = tensor;
  let shapeText = '';
  const isList = tensor instanceof PyList;
  try {
    if (tensor instanceof PyList) {
      if (!tensor.items.length) throw pyError('TypeError', "Rearrange/Reduce/Repeat can't be applied to an empty list");
      const lib = libraryOf(tensor.items[0]);
      t = ctx.call(ctx.getAttr(lib === 'torch' ? torchOf() : numpyOf(ctx), 'stack'), [tensor]);
    }
    const shape = shapeOf(t, ctx);
    shapeText = ctx.repr(ctx.getAttr(t, 'shape'));
    const lengths: [string, number][] = [...axes].map(([k, v]) => [k, Number(v)]);
    return applyRecipe(t, recipe(pattern, reduction, lengths, shape, ctx), reduction, ctx);
  } catch (e) {
    if (!(e instanceof PyException) || e.instance.cls !== EINOPS_ERROR) throw e;
    const name = typeof reduction === 'string' ? reduction : ctx.repr(reduction);
    let message = ` Error while processing ${name}-reduction pattern "${pattern}".`;
    message += isList ? '\n Input is list. ' : `\n Input tensor shape: ${shapeText}. `;
    const info = new PyDict();
    for (const [k, v] of axes) info.entries.set('s' + k, [k, v]);
    message += `Additional info: ${ctx.repr(info)}.`;
    throw einopsError(`${message}\n ${e.pyMessage}`);
  }
}

/** einops.einsum(*tensors, pattern): multi-letter axis names compacted to single letters, then the library's einsum. */
function einsum(args: PyValue[], ctx: CallContext): PyValue {
  if (args.length < 2) throw pyError('ValueError', 'einops.einsum requires at least one tensor and a pattern');
  const pattern = args[args.length - 1];
  if (typeof pattern !== 'string') throw pyError('ValueError', 'The last argument passed to `einops.einsum` must be a string, representing the einsum pattern.');
  const tensors = args.slice(0, -1);
  if (!pattern.includes('->')) throw pyError('ValueError', "Einsum pattern must contain '->'.");
  const [lefts, right] = pattern.split('->');
  const letters = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
  const mapping = new Map<string, string>();
  const name = (c: Composite): string => {
    if (c === ELLIPSIS) return '...';
    if (c.length === 0) throw pyError('NotImplementedError', 'Singleton () axes are not yet supported in einsum.');
    if (c.length > 1) throw pyError('NotImplementedError', 'Shape rearrangement is not yet supported in einsum.');
    return String(c[0]);
  };
  const leftParts = lefts.split(',').map((l) => new Parsed(l, true, true).composition.map((c) => {
    const n = name(c);
    if (n === '...') return n;
    if (!mapping.has(n)) {
      if (mapping.size >= letters.length) throw pyError('RuntimeError', 'Too many axes in einsum.');
      mapping.set(n, letters[mapping.size]);
    }
    return mapping.get(n)!;
  }).join(''));
  const rightPart = new Parsed(right, true).composition.map((c) => {
    const n = name(c);
    if (n === '...') return n;
    if (!mapping.has(n)) throw einopsError(`Unknown axis ${n} on right side of einsum ${pattern}.`);
    return mapping.get(n)!;
  }).join('');
  const lib = libraryOf(tensors[0]);
  return ctx.call(ctx.getAttr(lib === 'torch' ? torchOf() : numpyOf(ctx), 'einsum'), [`${leftParts.join(',')}->${rightPart}`, ...tensors]);
}

function analyzePattern(pattern: string, opname: string): [number, number, number] {
  const axes = pattern.split(/\s+/).filter((a) => a);
  if (new Set(axes).size !== axes.length) throw einopsError(`Duplicates in axes names in ${opname}(..., "${pattern}")`);
  if (!axes.includes('*')) throw einopsError(`No *-axis in ${opname}(..., "${pattern}")`);
  for (const a of axes) if (a !== '*' && axisNameProblem(a)) throw einopsError(`Invalid axis name ${a} in ${opname}(..., "${pattern}")`);
  const before = axes.indexOf('*');
  const after = axes.length - before - 1;
  return [before, after, before + after];
}

function pack(tensors: PyValue, pattern: string, ctx: CallContext): PyValue {
  const [before, after, min] = analyzePattern(pattern, 'pack');
  const items = ctx.iterate(tensors);
  const lib = libraryOf(items[0]);
  const reshaped: PyValue[] = [];
  const packedShapes: PyValue[] = [];
  items.forEach((t, i) => {
    const shape = shapeOf(t, ctx);
    if (shape.length < min) {
      throw einopsError(`packed tensor #${i} (enumeration starts with 0) has shape ${ctx.repr(ctx.getAttr(t, 'shape'))}, while pattern ${pattern} assumes at least ${min} axes`);
    }
    const end = shape.length - after;
    const packed = shape.slice(before, end);
    packedShapes.push(lib === 'torch' ? ctx.getItem(ctx.getAttr(t, 'shape'), slice(before, end)) : ints(packed));
    reshaped.push(method(ctx, t, 'reshape', [ints([...shape.slice(0, before), -1, ...shape.slice(end)])]));
  });
  const lm = lib === 'torch' ? torchOf() : numpyOf(ctx);
  const joined = ctx.call(ctx.getAttr(lm, lib === 'torch' ? 'cat' : 'concatenate'), [new PyList(reshaped)], new Map([[lib === 'torch' ? 'dim' : 'axis', BigInt(before)]]));
  return new PyTuple([joined, new PyList(packedShapes)]);
}

const slice = (a: number | null, b: number | null) => new PySlice(a === null ? null : BigInt(a), b === null ? null : BigInt(b), null);

function unpack(tensor: PyValue, packedShapes: PyValue, pattern: string, ctx: CallContext): PyValue {
  const [before, after] = analyzePattern(pattern, 'unpack');
  const shape = shapeOf(tensor, ctx);
  if (shape.length !== before + 1 + after) throw einopsError(`unpack(..., ${pattern}) received input of wrong dim with shape ${ctx.repr(ctx.getAttr(tensor, 'shape'))}`);
  const shapes = ctx.iterate(packedShapes).map((p) => ctx.iterate(p).map((d) => Number(d)));
  const lengths = shapes.map((p) => (p.includes(-1) ? -1 : p.reduce((a, b) => a * b, 1)));
  const unknown = lengths.filter((x) => x === -1).length;
  if (unknown > 1) throw einopsError(`unpack(..., ${pattern}) received more than one -1 in ${ctx.repr(packedShapes)} and can't infer dimensions`);
  const split = [...new Array(shapes.length).fill(0), shape[before]];
  if (unknown === 0) lengths.slice(0, -1).forEach((x, i) => (split[i + 1] = split[i] + x));
  else {
    const u = lengths.indexOf(-1);
    for (let i = 0; i < u; i++) split[i + 1] = split[i] + lengths[i];
    for (let j = lengths.length - 1; j > u; j--) split[j] = split[j + 1] - lengths[j];
  }
  const start = shape.slice(0, before);
  const end = shape.slice(before + 1);
  return new PyList(shapes.map((p, i) => {
    const index = new PyTuple([...new Array(before).fill(slice(null, null)), slice(split[i], split[i + 1])]);
    const piece = ctx.getItem(tensor, index);
    return method(ctx, piece, 'reshape', [ints([...start, ...p, ...end])]);
  }));
}

/** einops.layers.torch: Rearrange and Reduce as nn.Modules (usable in nn.Sequential). */
function torchLayers(nnModule: PyClass | null): PyModule {
  const m = new PyModule('einops.layers.torch');
  const layer = (name: string, reduction: boolean) => {
    const cls = new PyClass(name, nnModule ? [nnModule] : [], `einops.layers.torch.${name}`);
    cls.dict.set('__init__', fn('__init__', ([self, pattern, red], kw, ctx) => {
      const inst = self as PyInstance;
      if (nnModule) ctx.call(nnModule.dict.get('__init__')!, [inst]);
      inst.native.pattern = pattern;
      inst.native.reduction = reduction ? red ?? kw.get('reduction') ?? null : 'rearrange';
      const lengths = new Map(kw);
      lengths.delete('reduction');
      inst.native.axes = lengths;
      return null;
    }));
    cls.dict.set('forward', fn('forward', ([self, x], _kw, ctx) => {
      const inst = self as PyInstance;
      return einopsReduce(x ?? null, String(inst.native.pattern), inst.native.reduction as string, inst.native.axes as Kwargs, ctx);
    }));
    cls.dict.set('__repr__', fn('__repr__', ([self], _kw, ctx) => {
      const inst = self as PyInstance;
      const parts = [reprStr(String(inst.native.pattern))];
      if (reduction) parts.push(reprStr(String(inst.native.reduction)));
      for (const [k, v] of inst.native.axes as Kwargs) parts.push(`${k}=${ctx.repr(v)}`);
      return `${name}(${parts.join(', ')})`;
    }));
    cls.dict.set('extra_repr', fn('extra_repr', () => ''));
    return cls;
  };
  m.dict.set('Rearrange', layer('Rearrange', false));
  m.dict.set('Reduce', layer('Reduce', true));
  return m;
}

/** The einops modules, built per evaluation over the host's module loader (for torch.stack, np.einsum, nn.Module). */
export function makeEinopsModules(load: (name: string) => PyModule | undefined): Map<string, PyModule> {
  loader = load;
  const m = new PyModule('einops');
  const str = (v: PyValue | undefined, what: string) => {
    if (typeof v !== 'string') throw pyError('TypeError', `${what} must be str, not ${typeNameOf(v ?? null)}`);
    return v;
  };
  m.dict.set('rearrange', fn('rearrange', ([t, p], kw, ctx) => einopsReduce(t ?? null, str(p ?? kw.get('pattern'), 'pattern'), 'rearrange', without(kw, 'pattern'), ctx)));
  m.dict.set('repeat', fn('repeat', ([t, p], kw, ctx) => einopsReduce(t ?? null, str(p ?? kw.get('pattern'), 'pattern'), 'repeat', without(kw, 'pattern'), ctx)));
  m.dict.set('reduce', fn('reduce', ([t, p, r], kw, ctx) => {
    const reduction = r ?? kw.get('reduction') ?? null;
    return einopsReduce(t ?? null, str(p ?? kw.get('pattern'), 'pattern'), typeof reduction === 'string' ? reduction : reduction, without(without(kw, 'pattern'), 'reduction'), ctx);
  }));
  m.dict.set('einsum', fn('einsum', (args, _kw, ctx) => einsum(args, ctx)));
  m.dict.set('pack', fn('pack', ([ts, p], _kw, ctx) => pack(ts ?? null, str(p, 'pattern'), ctx)));
  m.dict.set('unpack', fn('unpack', ([t, ps, p], _kw, ctx) => unpack(t ?? null, ps ?? null, str(p, 'pattern'), ctx)));
  m.dict.set('parse_shape', fn('parse_shape', ([t, p], _kw, ctx) => {
    const names = str(p, 'pattern').split(/\s+/).filter((x) => x);
    const shape = shapeOf(t ?? null, ctx);
    if (names.length !== shape.length) throw einopsError(`Can't parse shape with different number of dimensions: ${p} ${ctx.repr(ctx.getAttr(t ?? null, 'shape'))}`);
    const d = new PyDict();
    names.forEach((n, i) => {
      if (n !== '_') d.entries.set('s' + n, [n, BigInt(shape[i])]);
    });
    return d;
  }));
  m.dict.set('EinopsError', EINOPS_ERROR);
  const layers = new PyModule('einops.layers');
  const nn = load('torch.nn');
  const torchLayer = torchLayers((nn?.dict.get('Module') as PyClass | undefined) ?? null);
  layers.dict.set('torch', torchLayer);
  m.dict.set('layers', layers);
  return new Map([['einops', m], ['einops.layers', layers], ['einops.layers.torch', torchLayer]]);
}

function without(kw: Kwargs, name: string): Kwargs {
  const out = new Map(kw);
  out.delete(name);
  return out;
}
