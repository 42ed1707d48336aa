// numpy.random: the legacy RandomState functions (np.random.seed / rand /
// randint / binomial / choice / permutation / shuffle) and the new-style
// np.random.default_rng(seed) Generator, both bit-exact with numpy 2.x (the
// algorithms live in src/engine/random). Each evaluation has its own legacy
// state, seeded with 0 as our golden runs are.

import { getSlot, setSlot, slot } from '../../engine/context';
import type { DType } from '../../engine/dtype';
import { assignInto, cast } from '../../engine/ops/core';
import { indexSelect } from '../../engine/ops/indexing';
import { normalizeDim, reshape } from '../../engine/ops/shape';
import { checkChoiceP, entropyWords, NumpyGenerator } from '../../engine/random/numpy_generator';
import { NumpyRandomState } from '../../engine/random/numpy_random';
import { Tensor, checkAllocation, numelOf } from '../../engine/tensor';
import { bind, toBool, toFloat, toInt, toShape } from '../../python/args';
import { pyError } from '../../python/exceptions';
import { axisError } from './errors';
import { CallContext, Kwargs, NativeFn, PyBuiltin, PyList, PyModule, PyObj, PyTuple, PyValue, typeNameOf } from '../../python/values';
import { ArrayValue, scalarOf } from '../common';
import { NumpyArray, NumpyDtype, npDtype, npScalar, toNumpyTensor } from './index';

const STATE = slot('numpy.random', () => new NumpyRandomState(0));

export function numpyRng(): NumpyRandomState {
  return getSlot(STATE);
}

export function resetNumpyRng(seed = 0): void {
  setSlot(STATE, new NumpyRandomState(seed));
}

const fn = (name: string, f: NativeFn) => new PyBuiltin(name, f, `numpy.random.${name}`);

/** `size` as a shape: None is a scalar draw (undefined), an int or a tuple an array. */
function sizeShape(size: PyValue | undefined): number[] | undefined {
  if (size === undefined || size === null) return undefined;
  const shape = toShape([size], 'size');
  if (shape.some((d) => d < 0)) throw pyError('ValueError', 'negative dimensions are not allowed');
  // the draws and broadcast parameters are built before the result: check its size first
  checkAllocation('float64', numelOf(shape));
  return shape;
}

/** Values drawn for `shape` (or one scalar value when shape is undefined) as numpy returns them. */
function drawn(shape: number[] | undefined, dtype: DType, values: (n: number) => ArrayLike<number>, scalar: (t: Tensor) => PyValue): PyValue {
  const n = shape === undefined ? 1 : shape.reduce((a, b) => a * b, 1);
  const t = Tensor.empty(dtype, shape ?? []);
  t.storage.data.set(values(n));
  return shape === undefined ? scalar(t) : new NumpyArray(t);
}

const pyScalar = (t: Tensor): PyValue => scalarOf(t.dtype, t.item());

/**
 * Broadcast distribution parameters to the output shape (`size`, else their
 * common shape), as numpy's MultiIter does, with its error wording; `first`
 * is the argument number numpy's message gives the first parameter.
 */
function broadcastParams(params: Tensor[], size: number[] | undefined, first: number): { shape: number[]; values: ArrayLike<number>[] } {
  const shapes = params.map((p) => p.shape);
  const all = size === undefined ? shapes : [size, ...shapes];
  const ndim = Math.max(...all.map((s) => s.length));
  const out: number[] = new Array(ndim).fill(1);
  const mismatch = (i: number, j: number) => {
    const args = size === undefined ? [first + i, first + j] : [i === 0 ? 0 : first + i - 1, first + j - 1];
    const fmt = (s: readonly number[]) => `(${s.join(',')}${s.length === 1 ? ',' : ''})`;
    return pyError('ValueError', `shape mismatch: objects cannot be broadcast to a single shape.  Mismatch is between arg ${args[0]} with shape ${fmt(all[i])} and arg ${args[1]} with shape ${fmt(all[j])}.`);
  };
  const owner: number[] = new Array(ndim).fill(0);
  all.forEach((s, k) => {
    for (let d = 0; d < s.length; d++) {
      const o = ndim - s.length + d;
      if (s[d] === 1) continue;
      if (out[o] !== 1 && out[o] !== s[d]) throw mismatch(owner[o], k);
      if (size !== undefined && k > 0 && (s.length > size.length || size[o - (ndim - size.length)] !== s[d])) throw mismatch(0, k);
      out[o] = s[d];
      owner[o] = k;
    }
  });
  const shape = size ?? out;
  return { shape, values: params.map((p) => expandValues(p, shape)) };
}

function expandValues(p: Tensor, shape: number[]): ArrayLike<number> {
  const n = shape.reduce((a, b) => a * b, 1);
  if (p.numel === 1) return new Float64Array(n).fill(p.values()[0]);
  const src = p.values();
  const out = new Float64Array(n);
  const pad = shape.length - p.ndim;
  for (let i = 0; i < n; i++) {
    let rem = i;
    let off = 0;
    let stride = 1;
    for (let d = shape.length - 1; d >= 0; d--) {
      const idx = rem % shape[d];
      rem = Math.floor(rem / shape[d]);
      const pd = d - pad;
      if (pd >= 0 && p.shape[pd] !== 1) off += idx * stride;
      if (pd >= 0) stride *= p.shape[pd];
    }
    out[i] = src[off];
  }
  return out;
}

/**
 * binomial(n, p, size=None) for the legacy state and the Generator: n and p
 * broadcast; a scalar draw is a Python int, arrays are int64. Errors:
 * ValueError "n < 0" and "p < 0, p > 1 or p is NaN" (numpy's constraint checks).
 */
function binomial(args: PyValue[], kw: Kwargs, ctx: CallContext, draw: (n: ArrayLike<number>, p: ArrayLike<number>) => ArrayLike<number>): PyValue {
  const a = bind('binomial', args, kw, ['n', 'p', 'size?']);
  const nT = cast(toNumpyTensor(a.n!, ctx), 'int64');
  const pT = cast(toNumpyTensor(a.p!, ctx), 'float64');
  const size = sizeShape(a.size);
  const pv = pT.values();
  for (let i = 0; i < pv.length; i++) if (!(pv[i] >= 0 && pv[i] <= 1)) throw pyError('ValueError', 'p < 0, p > 1 or p is NaN');
  if (nT.values().some((v) => v < 0)) throw pyError('ValueError', 'n < 0');
  if (nT.ndim === 0 && pT.ndim === 0 && size === undefined) return BigInt(draw([nT.item()], [pT.item()])[0]);
  // mtrand iterates (randoms, p, n): p is arg 1, n arg 2
  const { shape, values } = broadcastParams([pT, nT], size, 1);
  return drawn(shape, 'int64', () => draw(values[1], values[0]), pyScalar);
}

/** numpy's POISSON_LAM_MAX: int64 max - 10 * sqrt(int64 max). */
const POISSON_LAM_MAX = 9223372036854775807 - Math.sqrt(9223372036854775807) * 10;

/**
 * poisson(lam=1.0, size=None) for the legacy state and the Generator: a
 * scalar draw is a Python int, arrays int64. Errors: ValueError "lam < 0 or
 * lam is NaN", "lam value too large" (numpy's CONS_POISSON).
 */
function poisson(args: PyValue[], kw: Kwargs, ctx: CallContext, draw: (lam: ArrayLike<number>) => ArrayLike<number>): PyValue {
  const a = bind('poisson', args, kw, ['lam?', 'size?']);
  const lam = cast(toNumpyTensor(a.lam ?? 1.0, ctx), 'float64');
  const size = sizeShape(a.size);
  const lv = lam.values();
  for (let i = 0; i < lv.length; i++) {
    if (!(lv[i] >= 0)) throw pyError('ValueError', 'lam < 0 or lam is NaN');
    if (lv[i] > POISSON_LAM_MAX) throw pyError('ValueError', 'lam value too large');
  }
  if (lam.ndim === 0 && size === undefined) return BigInt(draw([lam.item()])[0]);
  const { shape, values } = broadcastParams([lam], size, 1);
  return drawn(shape, 'int64', () => draw(values[0]), pyScalar);
}

/**
 * RandomState.geometric(p, size=None): the trial of the first success, p in (0, 1]
 * broadcast against size; a scalar draw is a Python int, arrays int64. Error:
 * ValueError "p <= 0, p > 1 or p contains NaNs" (mtrand's CONS_BOUNDED_GT_0_1).
 */
function geometric(args: PyValue[], kw: Kwargs, ctx: CallContext, draw: (p: number) => number): PyValue {
  const a = bind('geometric', args, kw, ['p', 'size?']);
  const p = cast(toNumpyTensor(a.p!, ctx), 'float64');
  const size = sizeShape(a.size);
  const pv = p.values();
  for (let i = 0; i < pv.length; i++) if (!(pv[i] > 0 && pv[i] <= 1)) throw pyError('ValueError', 'p <= 0, p > 1 or p contains NaNs');
  if (p.ndim === 0 && size === undefined) return BigInt(draw(p.item()));
  const { shape, values } = broadcastParams([p], size, 1);
  return drawn(shape, 'int64', () => Float64Array.from(values[0], draw), pyScalar);
}

/**
 * a.take(idx, axis) for choice and permutation: idx has `shape` (undefined:
 * one scalar index, which gives an element of a 1-d `a` as a NumPy scalar).
 */
function take(t: Tensor, idx: readonly number[], shape: number[] | undefined, axis: number): PyValue {
  const index = Tensor.fromData('int64', [idx.length], Float64Array.from(idx));
  const picked = indexSelect(t, axis, index);
  const outShape = [...t.shape.slice(0, axis), ...(shape ?? []), ...t.shape.slice(axis + 1)];
  const r = reshape(picked, outShape);
  return r.ndim === 0 ? npScalar(r) : new NumpyArray(r);
}

/**
 * choice's `a`: an int population size, or an array whose first (`axis`)
 * dimension is sampled. Errors (ValueError) in the wording of the legacy
 * RandomState (`legacy`) or of the Generator.
 */
function population(a: PyValue, ctx: CallContext, legacy: boolean): { size: number; array?: Tensor } {
  if (typeof a === 'bigint') return { size: Number(a) };
  const t = toNumpyTensor(a, ctx);
  if (t.ndim === 0) {
    if (t.dtype.startsWith('float') || t.dtype === 'bool') {
      throw pyError('ValueError', legacy ? 'a must be 1-dimensional or an integer' : `a must be a sequence or an integer, not <class '${typeNameOf(a)}'>`);
    }
    return { size: t.item() };
  }
  if (legacy && t.ndim > 1) throw pyError('ValueError', 'a must be 1-dimensional');
  if (legacy && t.shape[0] === 0) throw pyError('ValueError', "'a' cannot be empty unless no samples are taken");
  return { size: t.shape[0], array: t };
}

function probabilities(p: PyValue | undefined, ctx: CallContext): { p?: Float64Array; f32: boolean } {
  if (p === undefined || p === null) return { f32: false };
  const t = toNumpyTensor(p, ctx);
  if (t.ndim !== 1) throw pyError('ValueError', 'p must be 1-dimensional');
  return { p: Float64Array.from(cast(t, 'float64').values()), f32: p instanceof ArrayValue && (p.t.dtype === 'float32' || p.t.dtype === 'float16') };
}

/** shuffle(x) in place along axis 0 (Generator: `axis`): a list's items, or an array's rows. */
function shuffleInPlace(x: PyValue, axis: number, order: (n: number) => number[]): PyValue {
  if (x instanceof PyList) {
    const items = x.items.slice();
    order(items.length).forEach((src, i) => (x.items[i] = items[src]));
    return null;
  }
  if (x instanceof NumpyArray) {
    if (x.t.ndim === 0) throw pyError('TypeError', 'len() of unsized object');
    const ax = normalizeDim(axis, x.t.ndim);
    const idx = order(x.t.shape[ax]);
    const rows = indexSelect(x.t, ax, Tensor.fromData('int64', [idx.length], Float64Array.from(idx)));
    assignInto(x.t, rows);
    return null;
  }
  throw pyError('NotImplementedError', `shuffling a '${typeNameOf(x)}' is not supported by Mask Lens`);
}

/**
 * The legacy RandomState API (mtrand.pyx) over one state: the module-level
 * functions use the evaluation's state, a RandomState(seed) object its own.
 */
function legacyFunctions(state: () => NumpyRandomState): Record<string, NativeFn> {
  const f: Record<string, NativeFn> = {};
  const def = (name: string, g: NativeFn) => (f[name] = g);
  const shaped = (args: PyValue[], values: (n: number) => ArrayLike<number>) =>
    drawn(args.length === 0 ? undefined : sizeShape(new PyTuple(args)), 'float64', values, pyScalar);
  def('seed', ([s], _kw, ctx) => {
    if (s instanceof PyList || s instanceof PyTuple || s instanceof ArrayValue) state().seed(toNumpyTensor(s, ctx).toArray());
    else state().seed(s === undefined || s === null ? 0 : toInt(s, 'seed'));
    return null;
  });
  def('rand', (args) => shaped(args, (n) => state().randomSample(n)));
  def('randn', (args) => shaped(args, (n) => state().standardNormal(n)));
  const sample: NativeFn = (args, kw) => drawn(sizeShape(args[0] ?? kw.get('size')), 'float64', (n) => state().randomSample(n), pyScalar);
  def('random', sample);
  def('random_sample', sample);
  def('uniform', (args, kw) => {
    const a = bind('uniform', args, kw, ['low?', 'high?', 'size?']);
    const lo = a.low === undefined ? 0 : toFloat(a.low, 'low'), hi = a.high === undefined ? 1 : toFloat(a.high, 'high');
    return drawn(sizeShape(a.size), 'float64', (n) => state().uniform(n, lo, hi), pyScalar);
  });
  def('normal', (args, kw) => {
    const a = bind('normal', args, kw, ['loc?', 'scale?', 'size?']);
    const m = a.loc === undefined ? 0 : toFloat(a.loc, 'loc'), s = a.scale === undefined ? 1 : toFloat(a.scale, 'scale');
    return drawn(sizeShape(a.size), 'float64', (n) => state().normal(n, m, s), pyScalar);
  });
  def('randint', (args, kw) => {
    const a = bind('randint', args, kw, ['low', 'high?', 'size?', 'dtype?']);
    const [lo, hi] = a.high === undefined || a.high === null ? [0, toInt(a.low, 'low')] : [toInt(a.low, 'low'), toInt(a.high, 'high')];
    if (lo >= hi) throw pyError('ValueError', 'low >= high');
    return drawn(sizeShape(a.size), npDtype(a.dtype) ?? 'int64', (n) => state().randint(n, lo, hi), pyScalar);
  });
  def('binomial', (args, kw, ctx) => binomial(args, kw, ctx, (n, p) => Float64Array.from(n, (ni, i) => state().binomial(ni, p[i]))));
  def('poisson', (args, kw, ctx) => poisson(args, kw, ctx, (lam) => Float64Array.from(lam, (l) => state().poisson(l))));
  def('geometric', (args, kw, ctx) => geometric(args, kw, ctx, (p) => state().geometric(p)));
  def('choice', (args, kw, ctx) => {
    const a = bind('choice', args, kw, ['a', 'size?', 'replace?', 'p?']);
    const pop = population(a.a!, ctx, true);
    const { p, f32 } = probabilities(a.p, ctx);
    const shape = sizeShape(a.size);
    const count = shape === undefined ? 1 : shape.reduce((x, y) => x * y, 1);
    const idx = Array.from(state().choice(pop.size, count, a.replace === undefined ? true : toBool(a.replace, ctx), p, f32));
    if (!pop.array) return shape === undefined ? BigInt(idx[0]) : drawn(shape, 'int64', () => idx, pyScalar);
    return take(pop.array, idx, shape, 0);
  });
  def('permutation', ([x], _kw, ctx) => {
    if (typeof x === 'bigint') return drawn([Number(x)], 'int64', (n) => state().permutation(n), pyScalar);
    const t = toNumpyTensor(x, ctx);
    if (t.ndim < 1) throw pyError('IndexError', 'x must be an integer or at least 1-dimensional');
    return take(t, Array.from(state().permutation(t.shape[0])), [t.shape[0]], 0);
  });
  def('shuffle', ([x]) => shuffleInPlace(x, 0, (n) => Array.from(state().permutation(n))));
  return f;
}

/** numpy.random: the legacy functions on the evaluation's state, RandomState, default_rng and Generator. */
export function makeRandomModule(): PyModule {
  const r = new PyModule('numpy.random');
  for (const [name, g] of Object.entries(legacyFunctions(numpyRng))) r.dict.set(name, fn(name, g));
  r.dict.set('default_rng', fn('default_rng', (args, kw, ctx) => defaultRng(args, kw, ctx)));
  r.dict.set('Generator', GENERATOR_TYPE);
  r.dict.set('RandomState', fn('RandomState', (args, kw, ctx) => {
    const a = bind('RandomState', args, kw, ['seed?']);
    const rs = new RandomStateObject();
    (rs.getAttr('seed') as PyBuiltin).fn([a.seed ?? null], new Map(), ctx);
    return rs;
  }));
  return r;
}

/**
 * A numpy.random.RandomState(seed) object: the legacy functions on a state
 * of its own (MT19937). Unseeded, numpy seeds from OS entropy; Mask Lens
 * seeds with 0 so previews repeat.
 */
export class RandomStateObject extends PyObj {
  readonly state = new NumpyRandomState(0);
  private readonly methods = legacyFunctions(() => this.state);
  get typeName() {
    return 'RandomState';
  }
  override repr() {
    return 'RandomState(MT19937) at 0x7F0000000000';
  }
  override getAttr(name: string): PyValue | undefined {
    const g = this.methods[name];
    return g && new PyBuiltin(name, g, `RandomState.${name}`);
  }
}


/**
 * np.random.default_rng(seed=None): a Generator over PCG64(SeedSequence(seed)).
 * A seed is a non-negative int or a sequence of them; a Generator passes
 * through. Unseeded, numpy draws fresh OS entropy; a preview must repeat, so
 * Mask Lens seeds it with 0 (its values then differ from any one real run).
 * Errors: ValueError "expected non-negative integer", TypeError
 * "SeedSequence expects int or sequence of ints for entropy not ...".
 */
function defaultRng(args: PyValue[], kw: Kwargs, ctx: CallContext): PyValue {
  const a = bind('default_rng', args, kw, ['seed?']);
  const s = a.seed;
  if (s instanceof GeneratorObject) return s;
  let entropy: number[];
  if (s === undefined || s === null) entropy = entropyWords(0n);
  else if (typeof s === 'bigint') entropy = entropyWords(s);
  else if (s instanceof PyList || s instanceof PyTuple || (s instanceof ArrayValue && s.t.ndim > 0)) {
    const t = toNumpyTensor(s, ctx);
    if (t.dtype.startsWith('float')) throw pyError('TypeError', 'seed must be integer');
    entropy = entropyWords(t.toArray().map((v) => BigInt(v)));
  } else if (s instanceof ArrayValue && !s.t.dtype.startsWith('float') && s.t.dtype !== 'bool') entropy = entropyWords(BigInt(s.t.item()));
  else throw pyError('TypeError', `SeedSequence expects int or sequence of ints for entropy not ${ctx.repr(s)}`);
  return new GeneratorObject(new NumpyGenerator(entropy));
}

const GENERATOR_TYPE = fn('Generator', () => {
  throw pyError('NotImplementedError', 'numpy.random.Generator(bit_generator) is not supported by Mask Lens; use np.random.default_rng(seed)');
});

/** A numpy.random.Generator object (PCG64). */
export class GeneratorObject extends PyObj {
  constructor(readonly rng: NumpyGenerator) {
    super();
  }
  get typeName() {
    return 'Generator';
  }
  override repr() {
    return 'Generator(PCG64) at 0x7F0000000000';
  }
  override getAttr(name: string): PyValue | undefined {
    const f = GENERATOR_METHODS[name];
    if (!f) return undefined;
    return new PyBuiltin(name, (args, kw, ctx) => f(this.rng, args, kw, ctx), `Generator.${name}`);
  }
}

type GeneratorMethod = (g: NumpyGenerator, args: PyValue[], kw: Kwargs, ctx: CallContext) => PyValue;

const notModelled = (name: string): GeneratorMethod => () => {
  throw pyError('NotImplementedError', `Generator.${name} is not supported by Mask Lens yet`);
};

/** Generator methods (numpy/random/_generator.pyx), scalars and dtypes as numpy returns them. */
const GENERATOR_METHODS: Record<string, GeneratorMethod> = {
  random: (g, args, kw, ctx) => {
    const a = bind('random', args, kw, ['size?', 'dtype?', 'out?']);
    const d = npDtype(a.dtype) ?? 'float64';
    if (d !== 'float64' && d !== 'float32') throw pyError('TypeError', `Unsupported dtype ${ctx.repr(NumpyDtype.of(d))} for random`);
    return drawn(sizeShape(a.size), d, (n) => (d === 'float32' ? g.randomFloat32(n) : g.random(n)), pyScalar);
  },
  integers: (g, args, kw) => {
    const a = bind('integers', args, kw, ['low', 'high?', 'size?', 'dtype?', 'endpoint?']);
    const d = npDtype(a.dtype) ?? 'int64';
    if (d !== 'int64' && d !== 'int32') throw pyError('NotImplementedError', `Generator.integers with dtype ${d} is not supported by Mask Lens yet`);
    const int = (v: PyValue | undefined, what: string) => BigInt(toInt(v, what));
    const [lo, hi] = a.high === undefined || a.high === null ? [0n, int(a.low, 'low')] : [int(a.low, 'low'), int(a.high, 'high')];
    const endpoint = a.endpoint !== undefined && a.endpoint === true;
    const bound = d === 'int32' ? 1n << 31n : 1n << 63n;
    if (lo < -bound) throw pyError('ValueError', `low is out of bounds for ${d}`);
    if ((endpoint ? hi : hi - 1n) >= bound) throw pyError('ValueError', `high is out of bounds for ${d}`);
    return drawn(sizeShape(a.size), d, (n) => g.integers(n, lo, hi, endpoint), npScalar);
  },
  uniform: (g, args, kw, ctx) => {
    const a = bind('uniform', args, kw, ['low?', 'high?', 'size?']);
    const low = cast(toNumpyTensor(a.low ?? 0, ctx), 'float64');
    const high = cast(toNumpyTensor(a.high ?? 1, ctx), 'float64');
    const size = sizeShape(a.size);
    const { shape, values } = broadcastParams([low, high], size, 1);
    for (let i = 0; i < values[0].length; i++) {
      if (!Number.isFinite(values[1][i] - values[0][i])) throw pyError('OverflowError', 'Range exceeds valid bounds');
    }
    return drawn(low.ndim === 0 && high.ndim === 0 && size === undefined ? undefined : shape, 'float64', () => g.uniform(values[0], values[1]), pyScalar);
  },
  binomial: (g, args, kw, ctx) => binomial(args, kw, ctx, (n, p) => g.binomial(n, p)),
  choice: (g, args, kw, ctx) => {
    const a = bind('choice', args, kw, ['a', 'size?', 'replace?', 'p?', 'axis?', 'shuffle?']);
    const pop = population(a.a!, ctx, false);
    const shape = sizeShape(a.size);
    const count = shape === undefined ? 1 : shape.reduce((x, y) => x * y, 1);
    const axis = a.axis === undefined ? 0 : toInt(a.axis, 'axis');
    let popSize = pop.size;
    if (pop.array) popSize = pop.array.shape[normalizeDim(axis, pop.array.ndim)];
    if (!pop.array && popSize <= 0 && count !== 0) throw pyError('ValueError', 'a must be a positive integer unless no samples are taken');
    if (pop.array && popSize === 0 && count !== 0) throw pyError('ValueError', 'a cannot be empty unless no samples are taken');
    const { p, f32 } = probabilities(a.p, ctx);
    if (p) checkChoiceP(p, popSize, f32);
    const replace = a.replace === undefined ? true : toBool(a.replace, ctx);
    const idx = g.choice(popSize, count, replace, p, a.shuffle === undefined ? true : toBool(a.shuffle, ctx));
    if (!pop.array) return shape === undefined ? BigInt(idx[0]) : drawn(shape, 'int64', () => idx, pyScalar);
    return take(pop.array, idx, shape, normalizeDim(axis, pop.array.ndim));
  },
  permutation: (g, args, kw, ctx) => {
    const a = bind('permutation', args, kw, ['x', 'axis?']);
    if (typeof a.x === 'bigint') return drawn([Number(a.x)], 'int64', (n) => g.permutation(n), pyScalar);
    const t = toNumpyTensor(a.x!, ctx);
    if (t.ndim < 1) throw axisError(`axis ${a.axis ?? 0} is out of bounds for array of dimension 0`);
    const axis = normalizeDim(a.axis === undefined ? 0 : toInt(a.axis, 'axis'), t.ndim);
    return take(t, g.permutation(t.shape[axis]), [t.shape[axis]], axis);
  },
  shuffle: (g, args, kw) => {
    const a = bind('shuffle', args, kw, ['x', 'axis?']);
    return shuffleInPlace(a.x!, a.axis === undefined ? 0 : toInt(a.axis, 'axis'), (n) => g.permutation(n));
  },
  // standard_normal(size=None, dtype=np.float64, out=None): the ziggurat; a scalar draw is a Python float
  standard_normal: (g, args, kw, ctx) => {
    const a = bind('standard_normal', args, kw, ['size?', 'dtype?', 'out?']);
    if (a.out !== undefined && a.out !== null) throw pyError('NotImplementedError', 'Generator.standard_normal with out= is not supported by Mask Lens yet');
    const d = npDtype(a.dtype) ?? 'float64';
    if (d !== 'float64' && d !== 'float32') throw pyError('TypeError', `Unsupported dtype ${ctx.repr(NumpyDtype.of(d))} for standard_normal`);
    return drawn(sizeShape(a.size), d, (n) => (d === 'float32' ? g.standardNormalFloat32(n) : g.standardNormal(n)), pyScalar);
  },
  // normal(loc=0.0, scale=1.0, size=None): loc + scale * z with loc and scale broadcast (cont(), CONS_NON_NEGATIVE on scale)
  normal: (g, args, kw, ctx) => {
    const a = bind('normal', args, kw, ['loc?', 'scale?', 'size?']);
    const loc = cast(toNumpyTensor(a.loc ?? 0, ctx), 'float64');
    const scale = cast(toNumpyTensor(a.scale ?? 1, ctx), 'float64');
    if (scale.values().some((s) => s < 0 || Object.is(s, -0))) throw pyError('ValueError', 'scale < 0');
    const size = sizeShape(a.size);
    const { shape, values } = broadcastParams([loc, scale], size, 1);
    return drawn(loc.ndim === 0 && scale.ndim === 0 && size === undefined ? undefined : shape, 'float64', () => g.normal(values[0], values[1]), pyScalar);
  },
  poisson: (g, args, kw, ctx) => poisson(args, kw, ctx, (lam) => g.poisson(lam)),
  exponential: notModelled('exponential'),
};
