// Keras's masking semantics as pure functions on engine Tensors, ported from
// keras-team/keras HEAD 3422977a5e (Keras 3) with the tf.keras v2.15 variants
// where they differ (see ../shared/reference/keras_masking.md).
//
// Convention: a Keras mask is boolean with True = keep the timestep and
// False = masked, the opposite of PyTorch's key_padding_mask. Any non-bool
// mask a function receives is read as `mask != 0` (Keras's cast to bool),
// except Softmax, which keeps `mask > 0.5` as its source does.
//
// Arithmetic on float32 tensors is rounded to float32 after every operation,
// as TensorFlow computes it; results agree with TF to float32 rounding
// (sums and matmuls may differ in the last ulp because TF orders them differently).

import { DType, castValue, isFloating } from '../../engine/dtype';
import { Tensor, allocate } from '../../engine/tensor';
import { KerasError } from './pad_sequences';
import { tfSoftmaxFloat32 } from '../../engine/ops/onednn';

/** Which Keras a rule follows where Keras 3 and tf.keras 2.x differ. */
export type KerasFlavor = 'keras3' | 'keras2';

// ---------------------------------------------------------------- helpers

function tensorOf(dtype: DType, shape: readonly number[], values: ArrayLike<number>): Tensor {
  const data = allocate(dtype, values.length);
  if (dtype === 'float16' || dtype === 'bfloat16' || dtype === 'bool') {
    for (let i = 0; i < values.length; i++) data[i] = castValue(dtype, values[i]);
  } else {
    data.set(values);
  }
  return Tensor.fromData(dtype, shape, data);
}

/** Rounds a value to the arithmetic precision of `dtype` (float32 for float32/16 math). */
function rounder(dtype: DType): (x: number) => number {
  if (dtype === 'float64') return (x) => x;
  if (dtype === 'float16' || dtype === 'bfloat16') return (x) => castValue(dtype, x);
  return Math.fround;
}

const pyTuple = (s: readonly number[]): string => (s.length === 1 ? `(${s[0]},)` : `(${s.join(', ')})`);

function normalizeAxis(axis: number, ndim: number): number {
  const a = axis < 0 ? axis + ndim : axis;
  if (a < 0 || a >= ndim) throw new KerasError('ValueError', `axis ${axis} is out of bounds for a tensor of rank ${ndim}`);
  return a;
}

/** NumPy broadcasting of two shapes; undefined when they do not broadcast. */
function broadcastShape(a: readonly number[], b: readonly number[]): number[] | undefined {
  const n = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = a[a.length - n + i] ?? 1, y = b[b.length - n + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) return undefined;
    out.push(x === 1 ? y : x);
  }
  return out;
}

/** `t`'s values broadcast to `shape`, row-major. */
function broadcastValues(t: Tensor, shape: readonly number[]): Float64Array {
  const src = t.values();
  const nd = shape.length;
  const strides = new Array<number>(nd).fill(0);
  let s = 1;
  for (let i = t.ndim - 1; i >= 0; i--) {
    const d = nd - t.ndim + i;
    strides[d] = t.shape[i] === 1 ? 0 : s;
    s *= t.shape[i];
  }
  const n = shape.reduce((p, q) => p * q, 1);
  const out = new Float64Array(n);
  const idx = new Array<number>(nd).fill(0);
  let off = 0;
  for (let i = 0; i < n; i++) {
    out[i] = src[off];
    for (let d = nd - 1; d >= 0; d--) {
      idx[d]++;
      off += strides[d];
      if (idx[d] < shape[d]) break;
      off -= strides[d] * shape[d];
      idx[d] = 0;
    }
  }
  return out;
}

function requireBroadcast(a: Tensor, b: Tensor, what: string): number[] {
  const shape = broadcastShape(a.shape, b.shape);
  if (!shape) {
    throw new KerasError('ValueError', `${what}: shapes ${pyTuple(a.shape)} and ${pyTuple(b.shape)} are incompatible`);
  }
  return shape;
}

/** Keras's `ops.cast(mask, "bool")`. */
function asBoolValues(mask: Tensor, shape: readonly number[]): Uint8Array {
  const v = broadcastValues(mask, shape);
  const out = new Uint8Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = v[i] !== 0 ? 1 : 0; // NaN is True
  return out;
}

/**
 * Groups of flat indices that a reduction over `axes` combines: for each
 * element, the index of its group (row-major over the kept axes).
 */
function reductionGroups(shape: readonly number[], axes: readonly number[]): { group: Int32Array; groups: number } {
  const nd = shape.length;
  const keep = shape.map((_, i) => !axes.includes(i));
  const groupStrides = new Array<number>(nd).fill(0);
  let g = 1;
  for (let i = nd - 1; i >= 0; i--) {
    if (keep[i]) {
      groupStrides[i] = g;
      g *= shape[i];
    }
  }
  const n = shape.reduce((p, q) => p * q, 1);
  const group = new Int32Array(n);
  const idx = new Array<number>(nd).fill(0);
  let cur = 0;
  for (let i = 0; i < n; i++) {
    group[i] = cur;
    for (let d = nd - 1; d >= 0; d--) {
      idx[d]++;
      cur += groupStrides[d];
      if (idx[d] < shape[d]) break;
      cur -= groupStrides[d] * shape[d];
      idx[d] = 0;
    }
  }
  return { group, groups: g };
}

// ---------------------------------------------------------------- mask producers

/** Embedding(mask_zero=True).compute_mask: `ids != 0`, bool, the shape of `ids`. */
export function embeddingComputeMask(ids: Tensor): Tensor {
  const v = ids.values();
  const out = new Uint8Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = v[i] !== 0 ? 1 : 0;
  return tensorOf('bool', ids.shape, out);
}

/** Embedding.compute_mask(inputs): None (null) unless mask_zero. */
export function embeddingLayerComputeMask(ids: Tensor, maskZero: boolean): Tensor | null {
  return maskZero ? embeddingComputeMask(ids) : null;
}

/**
 * Embedding.call: `take(embeddings, ids, axis=0)`, shape ids.shape + (output_dim,).
 * Row 0 is an ordinary row: mask_zero does not zero it. Non-integer ids are cast
 * to int32 first, as Keras 3 does. An id outside [0, input_dim) fails as
 * TensorFlow's CPU gather does (InvalidArgumentError, multi-index of the first bad id).
 */
export function embeddingLookup(embeddings: Tensor, ids: Tensor): Tensor {
  if (embeddings.ndim !== 2) throw new KerasError('ValueError', `embeddings must be 2-D, got shape ${pyTuple(embeddings.shape)}`);
  const [n, dim] = embeddings.shape;
  const table = embeddings.values();
  const idv = ids.values();
  const out = allocate(embeddings.dtype, idv.length * dim);
  for (let i = 0; i < idv.length; i++) {
    const id = isFloating(ids.dtype) ? castValue('int32', idv[i]) : idv[i];
    if (!(id >= 0 && id < n)) {
      throw new KerasError('InvalidArgumentError', `indices${indexString(ids.shape, i)} = ${id} is not in [0, ${n})`);
    }
    for (let j = 0; j < dim; j++) out[i * dim + j] = table[id * dim + j];
  }
  return Tensor.fromData(embeddings.dtype, [...ids.shape, dim], out);
}

/** TensorFlow's SliceDebugString: `[1,2]` for flat index 5 of shape (2, 3). */
function indexString(shape: readonly number[], flat: number): string {
  if (shape.length === 0) return '';
  const idx: number[] = [];
  for (let d = shape.length - 1; d >= 0; d--) {
    idx.unshift(flat % shape[d]);
    flat = Math.floor(flat / shape[d]);
  }
  return `[${idx.join(',')}]`;
}

/**
 * `not_equal(x, mask_value)` as Keras computes it on TensorFlow: the Python
 * float becomes a float32 tensor, and the comparison runs in the promoted
 * dtype (float64 for float64 inputs, float32 otherwise). NaN never equals.
 */
function notMaskValue(x: Tensor, maskValue: number): (v: number) => boolean {
  const mv = Math.fround(maskValue);
  if (x.dtype === 'float64') return (v) => v !== mv;
  return (v) => Math.fround(v) !== mv;
}

/** Masking.compute_mask: `any(x != mask_value, axis=-1)`, bool of shape x.shape[:-1]. */
export function maskingComputeMask(x: Tensor, maskValue: number): Tensor {
  if (x.ndim === 0) throw new KerasError('ValueError', 'Masking needs inputs of rank >= 1');
  const f = x.shape[x.ndim - 1];
  const v = x.values();
  const ne = notMaskValue(x, maskValue);
  const rows = f === 0 ? x.shape.slice(0, -1).reduce((p, q) => p * q, 1) : v.length / f;
  const out = new Uint8Array(rows);
  for (let r = 0; r < rows; r++) {
    let any = 0;
    for (let j = 0; j < f && !any; j++) if (ne(v[r * f + j])) any = 1;
    out[r] = any;
  }
  return tensorOf('bool', x.shape.slice(0, -1), out);
}

/**
 * Masking.call's output: masked timesteps (all features == mask_value) become 0.
 * Keras 3: `where(mask[..., None], x, 0)`. tf.keras 2: `x * cast(mask[..., None], x.dtype)`,
 * which differs only where a masked value is ±inf/NaN (inf*0 = NaN) or negative (-0.0).
 */
export function maskingApply(x: Tensor, maskValue: number, flavor: KerasFlavor = 'keras3'): Tensor {
  const mask = maskingComputeMask(x, maskValue).values();
  const f = x.shape[x.ndim - 1];
  const v = x.values();
  const out = allocate(x.dtype, v.length);
  for (let i = 0; i < v.length; i++) {
    const keep = mask[Math.floor(i / f)] !== 0;
    out[i] = flavor === 'keras3' ? (keep ? v[i] : 0) : v[i] * (keep ? 1 : 0);
  }
  return Tensor.fromData(x.dtype, x.shape, out);
}

/** Masking layer call: the output and the `_keras_mask` it carries. */
export function maskingCall(x: Tensor, maskValue: number, flavor: KerasFlavor = 'keras3'): { output: Tensor; mask: Tensor } {
  return { output: maskingApply(x, maskValue, flavor), mask: maskingComputeMask(x, maskValue) };
}

// ---------------------------------------------------------------- mask propagation

// Built-in layers with `supports_masking = True` in Keras 3 (grep of keras/src/layers
// at v3.15.1 and HEAD), plus those that override compute_mask (Attention,
// AdditiveAttention), which Layer.__init__ counts as supporting masks.
const KERAS3_MASKING_LAYERS: ReadonlySet<string> = new Set([
  'Activation', 'ELU', 'LeakyReLU', 'PReLU', 'ReLU', 'Softmax', 'Dense', 'Identity', 'Masking',
  'MultiHeadAttention', 'GroupedQueryAttention', 'Attention', 'AdditiveAttention',
  'Add', 'Subtract', 'Multiply', 'Average', 'Maximum', 'Minimum', 'Concatenate', 'Dot',
  'BatchNormalization', 'LayerNormalization', 'GroupNormalization', 'UnitNormalization', 'Normalization', 'Rescaling',
  'Dropout', 'SpatialDropout1D', 'SpatialDropout2D', 'SpatialDropout3D', 'GaussianDropout', 'AlphaDropout', 'GaussianNoise',
  'ActivityRegularization', 'GlobalAveragePooling1D',
]);
const RNN_LAYERS: ReadonlySet<string> = new Set(['RNN', 'LSTM', 'GRU', 'SimpleRNN', 'ConvLSTM1D', 'ConvLSTM2D', 'ConvLSTM3D', 'Bidirectional', 'TimeDistributed']);

/**
 * Whether a built-in Keras 3 layer class attaches an output mask (supports_masking).
 * Embedding: iff mask_zero. Lambda: iff it was given `mask`. RNN, Bidirectional and
 * TimeDistributed: True in every release up to v3.15.1, False on HEAD (a8b52ca11a);
 * they consume the mask either way. A user-defined Layer supports masking iff it
 * overrides compute_mask (not decided here). GlobalAveragePooling1D supports masking
 * but its compute_mask returns None.
 */
export function kerasSupportsMasking(
  className: string,
  opts: { maskZero?: boolean; lambdaMask?: boolean; release?: 'v3.15' | 'head' } = {},
): boolean {
  if (className === 'Embedding') return opts.maskZero ?? false;
  if (className === 'Lambda') return opts.lambdaMask ?? false;
  if (RNN_LAYERS.has(className)) return (opts.release ?? 'v3.15') !== 'head';
  return KERAS3_MASKING_LAYERS.has(className);
}

/** RNN.compute_mask: the input mask when return_sequences, else None. */
export function rnnComputeMask(mask: Tensor | null, returnSequences: boolean): Tensor | null {
  return returnSequences ? mask : null;
}

/** Keras 3 Layer.__call__'s warning when a layer without mask support receives a mask. */
export function maskDestroyedWarning(layerName: string, className: string): string {
  return `Layer '${layerName}' (of type ${className}) was passed an input with a mask attached to it. `
    + 'However, this layer does not support masking and will therefore destroy the mask information. '
    + 'Downstream layers will not see the mask.';
}

/** tf.keras 2.x default Layer.compute_mask on a layer without mask support (`maskStr` is str(mask)). */
export function maskNotSupportedError(layerName: string, maskStr: string): KerasError {
  return new KerasError('TypeError', `Layer ${layerName} does not support masking, but was passed an input_mask: ${maskStr}`);
}

// ---------------------------------------------------------------- recurrent layers

export interface LstmWeights {
  /** (input_dim, 4*units), gates i, f, c, o. */
  kernel: Tensor;
  /** (units, 4*units). */
  recurrentKernel: Tensor;
  /** (4*units,), or null for use_bias=False. */
  bias?: Tensor | null;
}

export interface GruWeights {
  /** (input_dim, 3*units), gates z, r, h. */
  kernel: Tensor;
  /** (units, 3*units). */
  recurrentKernel: Tensor;
  /** reset_after: (2, 3*units) = [input bias, recurrent bias]; otherwise (3*units,). null for use_bias=False. */
  bias?: Tensor | null;
  /** Default true (Keras's default). */
  resetAfter?: boolean;
}

export interface RnnOptions {
  /** (batch, timesteps) keep-mask. */
  mask?: Tensor | null;
  goBackwards?: boolean;
  zeroOutputForMask?: boolean;
  /** [h] for GRU, [h, c] for LSTM; zeros by default. */
  initialState?: Tensor[] | null;
  /**
   * What a masked step outputs when zero_output_for_mask is False: the previous
   * step's output, starting from zeros (TensorFlow and torch backends), or the
   * carried h (NumPy and JAX backends). They differ only with a non-zero initial state.
   */
  backend?: 'tensorflow' | 'numpy';
}

export interface RnnResult {
  /** Output of the last processed step (the layer's output when return_sequences=False). */
  lastOutput: Tensor;
  /** (batch, timesteps, units) outputs in processing order (return_sequences=True). */
  sequence: Tensor;
  /** Final states: [h, c] for LSTM, [h] for GRU. */
  states: Tensor[];
}

const sigmoid = (x: number) => Math.fround(1 / (1 + Math.exp(-x)));
const tanh = (x: number) => Math.fround(Math.tanh(x));

/** One cell step on a batch row: new states from input row `x` and states `s`. */
type CellStep = (x: Float64Array, s: Float64Array[]) => { output: Float64Array; states: Float64Array[] };

/** `x @ W` for a row vector, float32-rounded: W is (in, out) row-major. */
function rowMatmul(x: Float64Array, w: ArrayLike<number>, outDim: number, colStart = 0, cols = outDim): Float64Array {
  const out = new Float64Array(cols);
  for (let j = 0; j < cols; j++) {
    let acc = 0;
    for (let k = 0; k < x.length; k++) acc += x[k] * w[k * outDim + colStart + j];
    out[j] = Math.fround(acc);
  }
  return out;
}

function checkRnnInputs(x: Tensor, kernel: Tensor, recurrent: Tensor, gates: number): { units: number } {
  if (x.ndim !== 3) throw new KerasError('ValueError', `Input should have rank 3 (batch, timesteps, features); received shape ${pyTuple(x.shape)}`);
  const units = recurrent.shape[0];
  if (kernel.ndim !== 2 || kernel.shape[0] !== x.shape[2] || kernel.shape[1] !== gates * units
    || recurrent.ndim !== 2 || recurrent.shape[1] !== gates * units) {
    throw new KerasError('ValueError', `kernel ${pyTuple(kernel.shape)} / recurrent_kernel ${pyTuple(recurrent.shape)} do not fit inputs ${pyTuple(x.shape)}`);
  }
  return { units };
}

/** backend.rnn's masked time loop (keras/src/backend/tensorflow/rnn.py), cell-agnostic. */
function runRnn(x: Tensor, units: number, stateCount: number, step: CellStep, opts: RnnOptions): RnnResult {
  const [batch, steps, features] = x.shape;
  const xv = x.values();
  const mask = opts.mask ?? null;
  if (mask && (mask.ndim !== 2 || mask.shape[0] !== batch || mask.shape[1] !== steps)) {
    throw new KerasError('ValueError', `mask shape ${pyTuple(mask.shape)} does not match inputs (batch, timesteps) = ${pyTuple([batch, steps])}`);
  }
  const mv = mask ? asBoolValues(mask, mask.shape) : null;
  const init = opts.initialState ?? null;
  if (init && init.length !== stateCount) throw new KerasError('ValueError', `expected ${stateCount} initial state tensors, got ${init.length}`);
  const seq = new Float64Array(batch * steps * units);
  const finalStates = Array.from({ length: stateCount }, () => new Float64Array(batch * units));
  const last = new Float64Array(batch * units);
  const order = Array.from({ length: steps }, (_, i) => (opts.goBackwards ? steps - 1 - i : i));
  for (let b = 0; b < batch; b++) {
    let states: Float64Array[] = Array.from({ length: stateCount }, (_, k) =>
      init ? Float64Array.from(init[k].values().subarray(b * units, (b + 1) * units), Math.fround) : new Float64Array(units));
    let prevOutput: Float64Array = new Float64Array(units);
    order.forEach((t, pos) => {
      const xt = Float64Array.from(xv.subarray((b * steps + t) * features, (b * steps + t + 1) * features));
      const r = step(xt, states);
      const keep = mv ? mv[b * steps + t] !== 0 : true;
      let y: Float64Array;
      if (keep) {
        states = r.states;
        y = r.output;
      } else if (opts.zeroOutputForMask) {
        y = new Float64Array(units);
      } else {
        y = opts.backend === 'numpy' ? states[0] : prevOutput;
      }
      seq.set(y, (b * steps + pos) * units);
      prevOutput = y;
    });
    last.set(prevOutput, b * units);
    states.forEach((s, k) => finalStates[k].set(s, b * units));
  }
  return {
    lastOutput: tensorOf('float32', [batch, units], last),
    sequence: tensorOf('float32', [batch, steps, units], seq),
    states: finalStates.map((s) => tensorOf('float32', [batch, units], s)),
  };
}

/** keras.layers.LSTM (tanh / sigmoid) over (batch, timesteps, features) with an optional mask. */
export function lstm(x: Tensor, w: LstmWeights, opts: RnnOptions = {}): RnnResult {
  const { units } = checkRnnInputs(x, w.kernel, w.recurrentKernel, 4);
  const k = w.kernel.values(), r = w.recurrentKernel.values();
  const bias = w.bias ? w.bias.values() : null;
  const g = 4 * units;
  const step: CellStep = (xt, [h, c]) => {
    const zx = rowMatmul(xt, k, g), zh = rowMatmul(h, r, g);
    const z = new Float64Array(g);
    for (let j = 0; j < g; j++) z[j] = Math.fround(Math.fround(zx[j] + zh[j]) + (bias ? bias[j] : 0));
    const hNew = new Float64Array(units), cNew = new Float64Array(units);
    for (let j = 0; j < units; j++) {
      const i = sigmoid(z[j]), f = sigmoid(z[units + j]), cc = tanh(z[2 * units + j]), o = sigmoid(z[3 * units + j]);
      cNew[j] = Math.fround(Math.fround(f * c[j]) + Math.fround(i * cc));
      hNew[j] = Math.fround(o * tanh(cNew[j]));
    }
    return { output: hNew, states: [hNew, cNew] };
  };
  return runRnn(x, units, 2, step, opts);
}

/** keras.layers.GRU (tanh / sigmoid, reset_after per weights) with an optional mask. */
export function gru(x: Tensor, w: GruWeights, opts: RnnOptions = {}): RnnResult {
  const { units } = checkRnnInputs(x, w.kernel, w.recurrentKernel, 3);
  const resetAfter = w.resetAfter ?? true;
  const k = w.kernel.values(), r = w.recurrentKernel.values();
  const g = 3 * units;
  const bv = w.bias ? w.bias.values() : null;
  const inBias = bv ? bv.subarray(0, g) : null;
  const recBias = bv && resetAfter ? bv.subarray(g, 2 * g) : null;
  const step: CellStep = (xt, [h]) => {
    const mx = rowMatmul(xt, k, g);
    if (inBias) for (let j = 0; j < g; j++) mx[j] = Math.fround(mx[j] + inBias[j]);
    const inner = resetAfter ? rowMatmul(h, r, g) : rowMatmul(h, r, g, 0, 2 * units);
    if (recBias) for (let j = 0; j < g; j++) inner[j] = Math.fround(inner[j] + recBias[j]);
    const z = new Float64Array(units), rr = new Float64Array(units);
    for (let j = 0; j < units; j++) {
      z[j] = sigmoid(Math.fround(mx[j] + inner[j]));
      rr[j] = sigmoid(Math.fround(mx[units + j] + inner[units + j]));
    }
    let recH: Float64Array;
    if (resetAfter) {
      recH = new Float64Array(units);
      for (let j = 0; j < units; j++) recH[j] = Math.fround(rr[j] * inner[2 * units + j]);
    } else {
      const rh = new Float64Array(units);
      for (let j = 0; j < units; j++) rh[j] = Math.fround(rr[j] * h[j]);
      recH = rowMatmul(rh, r, g, 2 * units, units);
    }
    const hNew = new Float64Array(units);
    for (let j = 0; j < units; j++) {
      const hh = tanh(Math.fround(mx[2 * units + j] + recH[j]));
      hNew[j] = Math.fround(Math.fround(z[j] * h[j]) + Math.fround(Math.fround(1 - z[j]) * hh));
    }
    return { output: hNew, states: [hNew] };
  };
  return runRnn(x, units, 1, step, opts);
}

export interface SimpleRnnWeights {
  /** (input_dim, units). */
  kernel: Tensor;
  /** (units, units). */
  recurrentKernel: Tensor;
  /** (units,), or null for use_bias=False. */
  bias?: Tensor | null;
}

/**
 * keras.layers.SimpleRNN (tanh) with an optional mask: h' = tanh(x@K + b + h@R)
 * (keras/src/layers/rnn/simple_rnn.py SimpleRNNCell.call: the bias joins x@K before h@R).
 */
export function simpleRnn(x: Tensor, w: SimpleRnnWeights, opts: RnnOptions = {}): RnnResult {
  const { units } = checkRnnInputs(x, w.kernel, w.recurrentKernel, 1);
  const k = w.kernel.values(), r = w.recurrentKernel.values();
  const bias = w.bias ? w.bias.values() : null;
  const step: CellStep = (xt, [h]) => {
    const hx = rowMatmul(xt, k, units), hh = rowMatmul(h, r, units);
    const out = new Float64Array(units);
    for (let j = 0; j < units; j++) out[j] = tanh(Math.fround(Math.fround(hx[j] + (bias ? bias[j] : 0)) + hh[j]));
    return { output: out, states: [out] };
  };
  return runRnn(x, units, 1, step, opts);
}

// ---------------------------------------------------------------- softmax consumers

/**
 * tf.nn.softmax over `axes` (exp(x - max) / sum), in the tensor's float precision: float32
 * through oneDNN's kernel as TensorFlow runs it (engine/ops/onednn.ts), float16 and float64
 * here, summed in order and scaled by the sum's inverse.
 */
function softmaxValues(v: Float64Array, shape: readonly number[], axes: readonly number[], round: (x: number) => number): Float64Array {
  if (round === Math.fround) {
    const t = Tensor.empty('float32', shape);
    t.storage.data.set(v);
    return Float64Array.from(tfSoftmaxFloat32(t, axes).values());
  }
  const { group, groups } = reductionGroups(shape, axes);
  const max = new Float64Array(groups).fill(-Infinity);
  for (let i = 0; i < v.length; i++) if (v[i] > max[group[i]] || Number.isNaN(v[i])) max[group[i]] = v[i];
  const e = new Float64Array(v.length);
  const sum = new Float64Array(groups);
  for (let i = 0; i < v.length; i++) {
    e[i] = round(Math.exp(round(v[i] - max[group[i]])));
    sum[group[i]] = round(sum[group[i]] + e[i]);
  }
  // TensorFlow's SoftmaxFunctor multiplies by the sum's inverse rather than dividing
  for (let i = 0; i < v.length; i++) e[i] = round(e[i] * round(1 / sum[group[i]]));
  return e;
}

/**
 * Which Softmax.call: 'head' (Keras 3 since PR #21149: where(mask, x, -1e9), softmax,
 * where(mask, out, 0), so a fully masked row is all zeros), 'v3.0' (x += (1 - mask) * -1e9,
 * a fully masked row comes out uniform) or 'tf2' (tf.keras 2.15: as v3.0 but float16 uses
 * float16.min / 2).
 */
export type SoftmaxVersion = 'head' | 'v3.0' | 'tf2';

/** keras.layers.Softmax(axis)(inputs, mask). */
export function softmaxLayer(x: Tensor, mask: Tensor | null = null, opts: { axis?: number | number[]; version?: SoftmaxVersion } = {}): Tensor {
  const version = opts.version ?? 'head';
  const axisOpt = opts.axis ?? -1;
  const axes = (Array.isArray(axisOpt) ? axisOpt : [axisOpt]).map((a) => normalizeAxis(a, x.ndim));
  const dtype = isFloating(x.dtype) ? x.dtype : 'float32';
  const round = rounder(dtype);
  const shape = [...x.shape];
  const v = Float64Array.from(x.values(), round);
  let keep: Uint8Array | null = null;
  if (mask) {
    if (version === 'head') {
      if (mask.ndim > x.ndim) {
        throw new KerasError('ValueError', 'The `mask` must be broadcastable to `inputs` and must not have more dimensions. '
          + `Received: inputs.shape=${pyTuple(x.shape)}, mask.shape=${pyTuple(mask.shape)}`);
      }
      for (let i = 1; i <= mask.ndim; i++) {
        const m = mask.shape[mask.ndim - i], d = x.shape[x.ndim - i];
        if (m !== 1 && m !== d) {
          throw new KerasError('ValueError', 'The `mask` must be broadcastable to `inputs`. Each mask dimension must be 1 '
            + `or match the corresponding input dimension. Received: inputs.shape=${pyTuple(x.shape)}, mask.shape=${pyTuple(mask.shape)}`);
        }
      }
    } else {
      requireBroadcast(x, mask, 'Softmax mask');
    }
    const mv = broadcastValues(mask, shape);
    keep = new Uint8Array(mv.length);
    // Non-bool masks: `mask > 0.5` on HEAD; older versions use the mask as a float.
    for (let i = 0; i < mv.length; i++) keep[i] = mask.dtype === 'bool' ? (mv[i] ? 1 : 0) : mv[i] > 0.5 ? 1 : 0;
    if (version === 'head') {
      const neg = dtype === 'float16' ? -3e4 : -1e9;
      for (let i = 0; i < v.length; i++) if (!keep[i]) v[i] = round(neg);
    } else {
      const neg = dtype === 'float16' ? (version === 'tf2' ? -32752 : -3e4) : -1e9;
      for (let i = 0; i < v.length; i++) v[i] = round(v[i] + round(round(1 - (mask.dtype === 'bool' ? (mv[i] ? 1 : 0) : round(mv[i]))) * neg));
    }
  }
  const out = softmaxValues(v, shape, axes, round);
  if (keep && version === 'head') for (let i = 0; i < out.length; i++) if (!keep[i]) out[i] = 0;
  return tensorOf(dtype, shape, out);
}

/**
 * The guide's TemporalSoftmax as written (keras-io / Keras guide, sum over axis=-1):
 * `exp(x)*m / sum(exp(x)*m*m, axis=-1, keepdims)` with m = mask[..., None] as float32.
 * On (B, T, 1) scores this is exactly 1.0 at kept steps and 0/0 = NaN at masked ones.
 */
export function temporalSoftmaxGuide(x: Tensor, mask: Tensor): Tensor {
  return temporalSoftmax(x, mask, -1);
}

/** The intended TemporalSoftmax: softmax over time (axis 1) of the kept steps, 0 at masked ones. */
export function temporalSoftmaxOverTime(x: Tensor, mask: Tensor): Tensor {
  return temporalSoftmax(x, mask, 1);
}

function temporalSoftmax(x: Tensor, mask: Tensor, axis: number): Tensor {
  if (mask.ndim + 1 !== x.ndim) {
    throw new KerasError('ValueError', `TemporalSoftmax expects a mask of rank ${x.ndim - 1} for inputs ${pyTuple(x.shape)}, got ${pyTuple(mask.shape)}`);
  }
  const f = Math.fround;
  const shape = [...x.shape];
  const m = broadcastValues(tensorOf(mask.dtype, [...mask.shape, 1], mask.values()), shape);
  const xv = x.values();
  const e = new Float64Array(xv.length);
  for (let i = 0; i < xv.length; i++) e[i] = f(f(Math.exp(xv[i])) * (m[i] !== 0 ? 1 : 0));
  const { group, groups } = reductionGroups(shape, [normalizeAxis(axis, shape.length)]);
  const sum = new Float64Array(groups);
  for (let i = 0; i < e.length; i++) sum[group[i]] = f(sum[group[i]] + f(e[i] * (m[i] !== 0 ? 1 : 0)));
  const out = new Float64Array(e.length);
  for (let i = 0; i < e.length; i++) out[i] = f(e[i] / sum[group[i]]);
  return tensorOf('float32', shape, out);
}

/**
 * GlobalAveragePooling1D(data_format, keepdims)(x, mask): mean over the kept steps.
 * Keras 3 zeroes masked steps with where(); tf.keras 2 multiplies by the mask
 * (inf*0 = NaN). A fully masked row divides 0 by 0: NaN. Its output mask is None.
 */
export function globalAveragePooling1D(
  x: Tensor,
  mask: Tensor | null = null,
  opts: { dataFormat?: 'channels_last' | 'channels_first'; keepdims?: boolean; flavor?: KerasFlavor } = {},
): Tensor {
  if (x.ndim !== 3) throw new KerasError('ValueError', `GlobalAveragePooling1D expects inputs of rank 3, got shape ${pyTuple(x.shape)}`);
  const channelsLast = (opts.dataFormat ?? 'channels_last') === 'channels_last';
  const stepsAxis = channelsLast ? 1 : 2;
  const dtype = isFloating(x.dtype) ? x.dtype : 'float32';
  const round = rounder(dtype);
  const shape = [...x.shape];
  const xv = x.values();
  const outShape = shape.map((d, i) => (i === stepsAxis ? 1 : d));
  const { group, groups } = reductionGroups(shape, [stepsAxis]);
  const sum = new Float64Array(groups);
  const count = new Float64Array(groups);
  let m: Float64Array | null = null;
  if (mask) {
    const expanded = tensorOf(mask.dtype, channelsLast ? [...mask.shape, 1] : [mask.shape[0], 1, ...mask.shape.slice(1)], mask.values());
    m = broadcastValues(expanded, shape);
  }
  for (let i = 0; i < xv.length; i++) {
    const keep = m ? m[i] !== 0 : true;
    const val = m ? (opts.flavor === 'keras2' ? round(xv[i] * (keep ? 1 : 0)) : keep ? xv[i] : 0) : xv[i];
    sum[group[i]] = round(sum[group[i]] + val);
    if (keep) count[group[i]]++;
  }
  const out = new Float64Array(groups);
  for (let g = 0; g < groups; g++) out[g] = round(sum[g] / count[g]);
  const finalShape = opts.keepdims ? outShape : shape.filter((_, i) => i !== stepsAxis);
  return tensorOf(dtype, finalShape, out);
}

/** GlobalAveragePooling1D consumes the mask. */
export function globalAveragePooling1DComputeMask(): null {
  return null;
}

// ---------------------------------------------------------------- attention

/** The causal mask Keras builds from cumsums: (1, T, S), True where row >= column. */
export function causalMask(queryLength: number, valueLength: number = queryLength): Tensor {
  const out = new Uint8Array(queryLength * valueLength);
  for (let i = 0; i < queryLength; i++) for (let j = 0; j < valueLength; j++) out[i * valueLength + j] = i >= j ? 1 : 0;
  return tensorOf('bool', [1, queryLength, valueLength], out);
}

function andMasks(a: Tensor | null, b: Tensor): Tensor {
  if (!a) return b;
  const shape = requireBroadcast(a, b, 'attention mask');
  const av = asBoolValues(a, shape), bv = asBoolValues(b, shape);
  for (let i = 0; i < av.length; i++) av[i] &= bv[i];
  return tensorOf('bool', shape, av);
}

function expandBool(mask: Tensor, axis: number): Tensor {
  const shape = [...mask.shape];
  shape.splice(axis < 0 ? shape.length + 1 + axis : axis, 0, 1);
  return tensorOf('bool', shape, asBoolValues(mask, mask.shape));
}

/**
 * MultiHeadAttention._compute_attention_mask: query mask (B,T)->(B,T,1), value and
 * key masks (B,S)->(B,1,S), the causal mask (1,T,S) and a sliding window (1,T,S),
 * all ANDed with the explicit attention_mask; null when there is none.
 * The query mask is the query's `_keras_mask`; value/key masks come from
 * `value_mask`/`key_mask`, which Layer.__call__ fills from value's/key's `_keras_mask`.
 * (When the causal mask is the only one, Keras passes is_causal instead; same result.)
 */
export function mhaComputeAttentionMask(o: {
  queryLength: number;
  valueLength: number;
  queryMask?: Tensor | null;
  valueMask?: Tensor | null;
  keyMask?: Tensor | null;
  attentionMask?: Tensor | null;
  useCausalMask?: boolean;
  slidingWindow?: number | null;
}): Tensor | null {
  let auto: Tensor | null = null;
  if (o.queryMask) auto = expandBool(o.queryMask, -1);
  if (o.valueMask) auto = andMasks(auto, expandBool(o.valueMask, -2));
  if (o.keyMask) auto = andMasks(auto, expandBool(o.keyMask, -2));
  if (o.useCausalMask) auto = andMasks(auto, causalMask(o.queryLength, o.valueLength));
  if (o.slidingWindow !== undefined && o.slidingWindow !== null) {
    const w = o.slidingWindow, t = o.queryLength, s = o.valueLength;
    const band = new Uint8Array(t * s);
    for (let i = 0; i < t; i++) for (let j = 0; j < s; j++) band[i * s + j] = Math.abs(i - j) < w ? 1 : 0;
    auto = andMasks(auto, tensorOf('bool', [1, t, s], band));
  }
  const explicit = o.attentionMask ? tensorOf('bool', o.attentionMask.shape, asBoolValues(o.attentionMask, o.attentionMask.shape)) : null;
  if (!auto) return explicit;
  return explicit ? andMasks(explicit, auto) : auto;
}

/**
 * MultiHeadAttention._masked_softmax: the mask (B,T,S) gains axes before the
 * attention axes until it matches the scores (B,N,T,S), then Softmax (HEAD) applies it.
 */
export function mhaMaskedSoftmax(scores: Tensor, attentionMask: Tensor | null, attentionAxesCount = 1): Tensor {
  if (!attentionMask) return softmaxLayer(scores, null, { axis: -1 });
  let m = attentionMask;
  const at = -attentionAxesCount * 2 - 1;
  while (m.ndim < scores.ndim) m = expandBool(m, at);
  const axes = Array.from({ length: attentionAxesCount }, (_, i) => -attentionAxesCount + i);
  return softmaxLayer(scores, m, { axis: axes.length === 1 ? axes[0] : axes });
}

/**
 * keras.layers.Attention (score_mode="dot") on (B,Tq,dim) query and (B,Tv,dim) value/key
 * with mask=[query_mask, value_mask]: scores = q @ k^T (* scale); masked keys get
 * scores - 1e9 (65504 for float16); softmax over Tv; out = weights @ v; query-masked
 * rows of the output are 0. The output mask is query_mask.
 */
export function attentionLayer(
  query: Tensor,
  value: Tensor,
  opts: { key?: Tensor | null; queryMask?: Tensor | null; valueMask?: Tensor | null; useCausalMask?: boolean; scale?: number | null } = {},
): { output: Tensor; scores: Tensor } {
  const key = opts.key ?? value;
  if (query.ndim !== 3 || value.ndim !== 3 || key.ndim !== 3) throw new KerasError('ValueError', 'Attention expects query, value and key of rank 3');
  const [b, tq, dim] = query.shape, tv = key.shape[1], vdim = value.shape[2];
  const f = Math.fround;
  const qv = query.values(), kv = key.values(), vv = value.values();
  const scores = new Float64Array(b * tq * tv);
  for (let n = 0; n < b; n++) {
    for (let i = 0; i < tq; i++) {
      for (let j = 0; j < tv; j++) {
        let acc = 0;
        for (let d = 0; d < dim; d++) acc += qv[(n * tq + i) * dim + d] * kv[(n * tv + j) * dim + d];
        let s = f(acc);
        if (opts.scale !== undefined && opts.scale !== null) s = f(s * opts.scale);
        scores[(n * tq + i) * tv + j] = s;
      }
    }
  }
  let scoresMask: Tensor | null = opts.valueMask ?? null;
  if (opts.useCausalMask) scoresMask = andMasks(scoresMask ? expandBool(scoresMask, -2) : null, causalMask(tq, tv));
  const shape = [b, tq, tv];
  if (scoresMask) {
    const m = scoresMask.ndim === 2 ? expandBool(scoresMask, -2) : scoresMask;
    const keep = asBoolValues(m, shape);
    const big = query.dtype === 'float16' ? 65504 : 1e9;
    for (let i = 0; i < scores.length; i++) if (!keep[i]) scores[i] = f(scores[i] - big);
  }
  const weights = softmaxValues(scores, shape, [2], f);
  const out = new Float64Array(b * tq * vdim);
  for (let n = 0; n < b; n++) {
    for (let i = 0; i < tq; i++) {
      for (let d = 0; d < vdim; d++) {
        let acc = 0;
        for (let j = 0; j < tv; j++) acc += weights[(n * tq + i) * tv + j] * vv[(n * tv + j) * vdim + d];
        out[(n * tq + i) * vdim + d] = f(acc);
      }
    }
  }
  if (opts.queryMask) {
    const qk = asBoolValues(expandBool(opts.queryMask, -1), [b, tq, vdim]);
    for (let i = 0; i < out.length; i++) if (!qk[i]) out[i] = 0;
  }
  return { output: tensorOf('float32', [b, tq, vdim], out), scores: tensorOf('float32', shape, weights) };
}
