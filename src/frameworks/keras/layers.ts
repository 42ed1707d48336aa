// Keras 3 Layer.__call__ (keras/src/layers/layer.py), the built-in layers the
// masking guide uses (Dense, LSTM, GRU, SimpleRNN, MultiHeadAttention, Dropout)
// and the models that chain them (keras.Input, keras.Model, keras.Sequential).
// Every layer runs eagerly on tf tensors, or symbolically on KerasTensors
// (symbolic.ts), with masks travelling as `_keras_mask` as Keras 3.15 does.

import { DType, isFloating } from '../../engine/dtype';
import { binary, cast, scalarTensor, unary, where } from '../../engine/ops/core';
import { matmul, mean, reduce } from '../../engine/ops/reduce';
import { reshape, unsqueeze } from '../../engine/ops/shape';
import { Tensor } from '../../engine/tensor';
import { noteMaskConsumer } from '../../masks/checks';
import { bind, toBool, toFloat, toInt } from '../../python/args';
import { PROPERTY } from '../../python/decorators';
import { makeException, pyError } from '../../python/exceptions';
import {
  CallContext, Kwargs, NativeFn, PyBoundMethod, PyBuiltin, PyClass, PyDict, PyException, PyFunction, PyInstance, PyList, PyModule, PyObj, PyTuple, PyValue,
  typeNameOf,
} from '../../python/values';
import { ArrayValue } from '../common';
import { NumpyArray } from '../numpy';
import { KerasVariable, TfTensor, tfDtype, tfSoftmax, toTf } from '../tensorflow';
import { installCoreLayers } from './core_layers';
import { GruWeights, LstmWeights, RnnResult, gru, lstm, maskDestroyedWarning, mhaComputeAttentionMask, mhaMaskedSoftmax, simpleRnn, softmaxLayer } from './masking';
import { KerasError } from './pad_sequences';
import {
  KerasSession, KerasTensor, ShapeDims, anySymbolic, flattenTensors, recordNode, runGraph, shapeRepr,
} from './symbolic';

// ---------------------------------------------------------------- Layer.__call__

/** The parameter names of native `call` methods, for mask population (Layer.__call__ step 6). */
const NATIVE_CALL_PARAMS = new WeakMap<PyBuiltin, string[]>();

/** A native method whose Python signature is `call(self, <params>)`. */
export function nativeCall(f: NativeFn, params: string[]): PyBuiltin {
  const b = new PyBuiltin('call', f);
  NATIVE_CALL_PARAMS.set(b, params);
  return b;
}

/** The argument names of a layer's `call` (without self), as CallSpec reads the signature. */
function callParams(call: PyValue): string[] {
  const f = call instanceof PyBoundMethod ? call.fn : call;
  if (f instanceof PyFunction) {
    const p = f.def.params;
    const names = [...p.args.map((q) => q.name), ...p.kwonly.map((q) => q.name)];
    return call instanceof PyBoundMethod ? names.slice(1) : names;
  }
  if (f instanceof PyBuiltin) return NATIVE_CALL_PARAMS.get(f) ?? ['inputs'];
  return ['inputs'];
}

const isTensor = (v: PyValue): boolean => v instanceof ArrayValue || v instanceof KerasTensor;
const hasTensor = (v: PyValue): boolean => isTensor(v) || ((v instanceof PyList || v instanceof PyTuple) && v.items.some(hasTensor));

/** backend.get_keras_mask over a structure. */
function maskOf(v: PyValue): PyValue {
  if (v instanceof TfTensor || v instanceof KerasTensor) return v.kerasMask;
  if (v instanceof PyList) return new PyList(v.items.map(maskOf));
  if (v instanceof PyTuple) return new PyTuple(v.items.map(maskOf));
  return null;
}

const anyMask = (m: PyValue): boolean => (m instanceof PyList || m instanceof PyTuple ? m.items.some(anyMask) : m !== null);

/** tree.flatten of masks: None leaves kept. */
function flattenMasks(v: PyValue): PyValue[] {
  return v instanceof PyList || v instanceof PyTuple ? v.items.flatMap(flattenMasks) : [v];
}

/**
 * DTypePolicy.convert_input: NumPy and torch arrays become tf tensors (keeping
 * their dtype); floating inputs other than float32 are cast to float32 (autocast).
 * The mask an input carries stays with it.
 */
function convertInput(v: PyValue, ctx: CallContext): PyValue {
  if (v instanceof PyList) return new PyList(v.items.map((x) => convertInput(x, ctx)));
  if (v instanceof PyTuple && v.constructor === PyTuple) return new PyTuple(v.items.map((x) => convertInput(x, ctx)));
  if (!(v instanceof ArrayValue)) return v;
  if (isFloating(v.t.dtype) && v.t.dtype !== 'float32') {
    const out = new TfTensor(cast(v.t, 'float32'));
    if (v instanceof TfTensor) out.kerasMask = v.kerasMask;
    return out;
  }
  return v instanceof TfTensor ? v : new TfTensor(v.t);
}

/** A shape as `build` receives it: a tuple, None where unknown. */
function shapeTuple(v: PyValue): PyValue {
  if (v instanceof KerasTensor) return new PyTuple(v.shape.map((d) => (d === null ? null : BigInt(d))));
  if (v instanceof ArrayValue) return new PyTuple(v.t.shape.map((d) => BigInt(d)));
  if (v instanceof PyList || v instanceof PyTuple) return new PyList(v.items.map(shapeTuple));
  return null;
}

function asMaskValue(m: PyValue, ctx: CallContext): TfTensor | KerasTensor | null {
  if (m === null || m instanceof TfTensor || m instanceof KerasTensor) return m;
  return new TfTensor(toTf(m, ctx));
}

/**
 * Keras 3 Layer.__call__: inputs converted, build on first call, the `mask`
 * (one tensor argument) or `<arg>_mask` (several) filled from `_keras_mask`,
 * call (symbolically when any argument is a KerasTensor), then, for layers that
 * support masking, compute_mask's masks attached to the outputs that lack one
 * (zipped in order); a mask reaching a layer that does not support masking is
 * dropped with Keras's warning.
 */
export function layerCall(session: KerasSession, self: PyInstance, rawArgs: PyValue[], rawKw: Kwargs, ctx: CallContext): PyValue {
  const args = rawArgs.map((a) => convertInput(a, ctx));
  const kw: Kwargs = new Map([...rawKw].map(([k, v]) => [k, convertInput(v, ctx)]));
  const call = ctx.getAttr(self, 'call');
  const params = callParams(call);
  // `training` is a call-context argument: a call() without it never receives it
  if (!params.includes('training')) kw.delete('training');
  const named = new Map<string, PyValue>();
  args.forEach((a, i) => {
    if (i < params.length) named.set(params[i], a);
  });
  for (const [k, v] of kw) named.set(k, v);
  const tensorArgs = [...named].filter(([k, v]) => !k.endsWith('mask') && hasTensor(v));
  const callKw: Kwargs = new Map(kw);
  const unset = (name: string) => params.includes(name) && (named.get(name) ?? null) === null;
  if (tensorArgs.length === 1) {
    if (unset('mask')) callKw.set('mask', maskOf(tensorArgs[0][1]));
  } else {
    for (const [k, v] of tensorArgs) if (unset(`${k}_mask`)) callKw.set(`${k}_mask`, maskOf(v));
  }
  const firstArg = args[0] ?? kw.get(params[0]) ?? null;
  const given = callKw.get('mask') ?? null;
  const previousMask = given !== null ? given : maskOf(firstArg);
  const symbolic = anySymbolic(args, callKw);
  if (!symbolic) for (const m of flattenMasks(previousMask)) if (m instanceof ArrayValue) noteMaskConsumer(m.t, 'keras-mask');

  let traced = false;
  if (!ctx.truthy(self.dict.get('built') ?? false)) {
    const build = ctx.getAttr(self, 'build');
    // _maybe_build: a default build() with unbuilt sublayers traces call() once (backend.compute_output_spec),
    // which makes a KerasTensor per output; the names it takes are taken below
    const base = self.cls.mro().find((c) => c.qualname === 'keras.layers.Layer');
    traced = base !== undefined && self.cls.lookup('build') === base.dict.get('build') && [...self.dict.values()].some((v) => v instanceof PyInstance && v !== self && v.dict.has('built') && !v.dict.get('built'));
    const shapes = tensorArgs.map(([, v]) => shapeTuple(v));
    const f = build instanceof PyBoundMethod ? build.fn : build;
    const arity = f instanceof PyFunction ? f.def.params.args.length - 1 : shapes.length;
    session.inScope(self, () => ctx.call(build, shapes.slice(0, Math.max(1, arity))));
    self.dict.set('built', true);
  }
  let out: PyValue;
  try {
    out = session.inScope(self, () => (symbolic ? session.symbolicCall(ctx, call, args, callKw, false) : ctx.call(call, args, callKw)));
  } catch (e) {
    throw withCallInfo(e, self, params, args, callKw, symbolic, ctx);
  }
  self.dict.set('built', true);
  if (traced) for (let i = flattenTensors(out).length; i > 0; i--) session.uniquify('keras_tensor');
  if (!symbolic && (ownWeights(self).some(isStandIn) || flattenTensors(new PyList([...args, ...callKw.values()])).some(isStandIn))) {
    for (const o of flattenTensors(out)) if (o instanceof ArrayValue && !args.includes(o)) o.valueNote = STAND_IN_NOTE;
  }
  const spec = self.native.outputSpec as ((out: PyValue, named: Map<string, PyValue>) => void) | undefined;
  if (symbolic && spec) spec(out, named);

  if (ctx.truthy(ctx.getAttr(self, 'supports_masking'))) {
    setMaskMetadata(ctx, self, firstArg, out, previousMask, symbolic);
  } else if (anyMask(previousMask)) {
    ctx.warn(maskDestroyedWarning(String(self.dict.get('name') ?? ''), self.cls.name));
  }
  if (symbolic) {
    recordNode({ fn: self, args: rawArgs, kwargs: rawKw, outputs: flattenTensors(out).filter((x): x is KerasTensor => x instanceof KerasTensor) });
  }
  return out;
}

const WITH_CALL_INFO = new WeakSet<object>();

/** A value as "Arguments received by X.call()" lists it: tensors by shape and dtype, the rest by repr. */
function argumentInfo(v: PyValue, symbolic: boolean, ctx: CallContext): string {
  // a list or tuple of tensors shows each as its quoted summary (tree.map_structure, then the list's repr)
  if ((v instanceof PyList || v instanceof PyTuple) && v.items.some((x) => x instanceof ArrayValue)) {
    const items = v.items.map((x) => (x instanceof TfTensor || x instanceof NumpyArray ? `'${argumentInfo(x, symbolic, ctx)}'` : ctx.repr(x)));
    return v instanceof PyList ? `[${items.join(', ')}]` : `(${items.join(', ')}${items.length === 1 ? ',' : ''})`;
  }
  if (v instanceof TfTensor) return `tf.Tensor(shape=${shapeRepr(v.t.shape)}, dtype=${v.t.dtype})`;
  if (v instanceof NumpyArray) return `np.ndarray(shape=${shapeRepr(v.t.shape)}, dtype=${v.t.dtype})`;
  return symbolic ? `'${ctx.repr(v)}'` : ctx.repr(v);
}

/**
 * traceback_utils.inject_argument_info_in_traceback: an exception raised inside a
 * layer's call() keeps its type, and its message becomes "Exception encountered
 * when calling X.call().", the original (for a symbolic call, inside Keras's "Could
 * not automatically infer the output shape" note) and the arguments received.
 * Only the innermost layer's call wraps; Mask Lens's own "not supported" errors pass as they are.
 */
function withCallInfo(e: unknown, self: PyInstance, params: string[], args: PyValue[], kw: Kwargs, symbolic: boolean, ctx: CallContext): unknown {
  if (!(e instanceof PyException) || WITH_CALL_INFO.has(e) || e.pyType === 'InternalError' || e.pyMessage.includes('Mask Lens')) return e;
  const cls = self.cls.name;
  const inner = symbolic
    ? `Could not automatically infer the output shape / dtype of '${self.dict.get('name')}' (of type ${cls}). Either the \`${cls}.call()\` method is incorrect, or you need to implement the \`${cls}.compute_output_spec() / compute_output_shape()\` method. Error encountered:\n\n${e.pyMessage}`
    : e.pyMessage;
  const lines = symbolic
    ? [`  • args=(${args.map((a) => argumentInfo(a, true, ctx)).join(', ')}${args.length === 1 ? ',' : ''})`, `  • kwargs={${[...kw].map(([k, v]) => `'${k}': ${argumentInfo(v, true, ctx)}`).join(', ')}}`]
    : [...args.map((a, i) => `  • ${params[i] ?? `arg${i}`}=${argumentInfo(a, false, ctx)}`), ...[...kw].map(([k, v]) => `  • ${k}=${argumentInfo(v, false, ctx)}`)];
  const message = `Exception encountered when calling ${cls}.call().\n\n${inner}\n\nArguments received by ${cls}.call():\n${lines.join('\n')}`;
  const wrapped = new PyException(makeException(e.instance.cls, [message], message), e.span);
  wrapped.message = `${e.pyType}: ${message}`;
  WITH_CALL_INFO.add(wrapped);
  return wrapped;
}

/** Layer._set_mask_metadata: compute_mask's masks on the outputs without one, unless every output has one. */
function setMaskMetadata(ctx: CallContext, self: PyInstance, inputs: PyValue, outputs: PyValue, previousMask: PyValue, symbolic: boolean): void {
  const flat = flattenTensors(outputs).filter((o): o is TfTensor | KerasTensor => o instanceof TfTensor || o instanceof KerasTensor);
  if (flat.every((o) => o.kerasMask !== null)) return;
  const masks = ctx.call(ctx.getAttr(self, 'compute_mask'), [inputs, previousMask]);
  if (masks === null) return;
  flattenMasks(masks).forEach((m, i) => {
    const o = flat[i];
    const mv = asMaskValue(m, ctx);
    if (!o || o.kerasMask !== null || mv === null) return;
    if (o instanceof KerasTensor) {
      if (mv instanceof KerasTensor) o.kerasMask = mv;
    } else if (mv instanceof TfTensor) {
      o.kerasMask = mv;
      if (!symbolic) noteMaskConsumer(mv.t, 'keras-mask');
    }
  });
}

// ---------------------------------------------------------------- weights

/** keras.src.utils.naming.to_snake_case. */
export function toSnakeCase(name: string): string {
  return name.replace(/\W+/g, '').replace(/(.)([A-Z][a-z]+)/g, '$1_$2').replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
}

/** What the timeline says with a value computed from stand-in weights. */
export const STAND_IN_NOTE = "values come from stand-in random weights (Keras's own initial values are not reproduced); shapes, dtypes and masks are exact";

// storages of weights drawn by a stand-in initializer (cleared when set_weights writes real values)
const STAND_IN = new WeakSet<object>();

/** Marks `t` as drawn by a stand-in for one of Keras's random initializers. */
export function markStandIn(t: Tensor): Tensor {
  STAND_IN.add(t.storage);
  return t;
}

const isStandIn = (v: PyValue): boolean => v instanceof ArrayValue && (v.valueNote !== undefined || STAND_IN.has(v.t.storage));

const RANDOM_INITIALIZERS = new Set([
  'glorot_uniform', 'glorot_normal', 'he_uniform', 'he_normal', 'lecun_uniform', 'lecun_normal', 'orthogonal',
  'random_normal', 'random_uniform', 'truncated_normal', 'uniform', 'normal', 'variance_scaling',
]);

/**
 * An initializer's values for `shape` (fan_in, fan_out as Keras computes them):
 * "zeros", "ones" and keras.initializers.Constant/Zeros/Ones are exact; the
 * random ones (glorot_uniform, orthogonal, ...) draw from the session's stand-in
 * generator (uniform within glorot's limit), which does not reproduce Keras's values.
 */
export function initialValues(session: KerasSession, init: PyValue, shape: number[], ctx: CallContext): Tensor {
  const t = Tensor.empty('float32', shape);
  let name = init;
  if (init instanceof PyInstance && init.dict.has('__initializer__')) name = init.dict.get('__initializer__')!;
  if (name === 'zeros') return t;
  if (name === 'ones') {
    t.storage.data.fill(1);
    return t;
  }
  if (name === 'constant') {
    t.storage.data.fill(Math.fround(toFloat((init as PyInstance).dict.get('value') ?? 0, 'value')));
    return t;
  }
  if (typeof name === 'string' && RANDOM_INITIALIZERS.has(name)) {
    const fanIn = shape.length < 2 ? (shape[0] ?? 1) : shape.slice(0, -1).reduce((a, b) => a * b, 1);
    const fanOut = shape.length < 2 ? (shape[0] ?? 1) : shape[shape.length - 1];
    const limit = Math.sqrt(6 / (fanIn + fanOut));
    t.storage.data.set(Float64Array.from(session.weightRng.uniform(t.numel, -limit, limit), Math.fround));
    return markStandIn(t);
  }
  throw pyError('ValueError', `Could not interpret initializer identifier: ${ctx.repr(init)}`);
}

/** The weights a layer created itself, in creation order (built-in weights and add_weight's). */
function ownWeights(self: PyInstance): KerasVariable[] {
  return (self.native.weights as KerasVariable[] | undefined) ?? [];
}

/** Whether `v` is a Keras layer instance (anything with Layer's __init__ state). */
const isLayer = (v: PyValue): v is PyInstance => v instanceof PyInstance && v.cls.mro().some((c) => c.qualname === 'keras.layers.Layer');

/**
 * Layer.weights with each weight's effective trainability: the layer's own weights
 * (trainable ones first, as `_trainable_variables + _non_trainable_variables`), then
 * each tracked sublayer's (attributes holding layers, lists and tuples of them: the
 * `layers` of a Sequential or functional model), each weight once. A layer with
 * `trainable = False` makes its weights and its sublayers' non-trainable, as Keras's
 * trainable setter does.
 */
function allWeights(self: PyInstance, ctx: CallContext): { w: KerasVariable; trainable: boolean }[] {
  const out: { w: KerasVariable; trainable: boolean }[] = [];
  const seenWeights = new Set<KerasVariable>();
  const seenLayers = new Set<PyInstance>();
  const visit = (layer: PyInstance, parentTrainable: boolean) => {
    if (seenLayers.has(layer)) return;
    seenLayers.add(layer);
    const trainable = parentTrainable && ctx.truthy(layer.dict.get('trainable') ?? true);
    const own = ownWeights(layer);
    for (const w of [...own.filter((v) => v.trainable), ...own.filter((v) => !v.trainable)]) {
      if (seenWeights.has(w)) continue;
      seenWeights.add(w);
      out.push({ w, trainable: trainable && w.trainable });
    }
    const track = (v: PyValue) => {
      if (isLayer(v)) visit(v, trainable);
      else if (v instanceof PyList || v instanceof PyTuple) v.items.forEach(track);
      else if (v instanceof PyDict) for (const [, x] of v.entries.values()) track(x);
    };
    for (const v of layer.dict.values()) track(v);
  };
  visit(self, true);
  return out;
}

/** Creates weight `name` as attribute `name` (its path under the layer's scope) and registers it for get_weights/set_weights. */
export function setWeight(session: KerasSession, self: PyInstance, name: string, t: Tensor): TfTensor {
  const w = new KerasVariable(t, `${session.layerPath(self)}/${name}`);
  const old = self.dict.get(name);
  const list = ownWeights(self);
  // building again (an explicit build() before the first call) replaces the weight, as Keras's build-once does
  if (old instanceof KerasVariable && list.includes(old)) list[list.indexOf(old)] = w;
  else trackWeight(self, w);
  self.dict.set(name, w);
  self.dict.set('built', true);
  return w;
}

/** Registers a weight of `self` (in creation order, as Keras tracks variables). */
export function trackWeight(self: PyInstance, w: KerasVariable): KerasVariable {
  self.native.weights = [...ownWeights(self), w];
  return w;
}

/** A read-only property computed from the layer. */
function layerProperty(get: (self: PyInstance, ctx: CallContext) => PyValue): PyInstance {
  const p = new PyInstance(PROPERTY);
  p.native = { fget: new PyBuiltin('fget', ([s], _kw, ctx) => get(s as PyInstance, ctx)), fset: null, fdel: null, doc: null };
  return p;
}

function layerMethods(Layer: PyClass): void {
  const m = (name: string, f: NativeFn) => Layer.dict.set(name, new PyBuiltin(name, f));
  const weightsOf = (self: PyInstance, ctx: CallContext) => allWeights(self, ctx).map(({ w }) => w);
  Layer.dict.set('weights', layerProperty((self, ctx) => new PyList(weightsOf(self, ctx))));
  Layer.dict.set('variables', layerProperty((self, ctx) => new PyList(weightsOf(self, ctx))));
  for (const [name, trainable] of [['trainable_weights', true], ['non_trainable_weights', false], ['trainable_variables', true], ['non_trainable_variables', false]] as const) {
    Layer.dict.set(name, layerProperty((self, ctx) => new PyList(allWeights(self, ctx).filter((x) => x.trainable === trainable).map(({ w }) => w))));
  }
  m('get_weights', ([self], _kw, ctx) => new PyList(weightsOf(self as PyInstance, ctx).map((w) => new NumpyArray(w.t))));
  m('set_weights', ([self, weights], _kw, ctx) => {
    const inst = self as PyInstance;
    const own = weightsOf(inst, ctx);
    const given = ctx.iterate(weights);
    if (given.length !== own.length) {
      throw pyError('ValueError', `You called \`set_weights(weights)\` on layer '${inst.dict.get('name')}' with a weight list of length ${given.length}, but the layer was expecting ${own.length} weights.`);
    }
    const values = own.map((w, i) => {
      const t = toTf(given[i], ctx);
      if (t.shape.join() !== w.t.shape.join()) {
        throw pyError('ValueError', `Layer ${inst.dict.get('name')} weight shape ${shapeRepr(w.t.shape)} is not compatible with provided weight shape ${shapeRepr(t.shape)}.`);
      }
      return cast(t, w.t.dtype).values();
    });
    // Variable.assign: the weights change in place, so tensors that hold them see the new values
    own.forEach((w, i) => {
      w.t.storage.data.set(values[i], w.t.offset);
      STAND_IN.delete(w.t.storage);
    });
    return null;
  });
  m('__repr__', ([self]) => {
    const inst = self as PyInstance;
    return `<${inst.cls.name} name=${inst.dict.get('name')}, built=${inst.dict.get('built') ? 'True' : 'False'}>`;
  });
  // count_params: the scalars in layer.weights; an unbuilt layer is Keras's ValueError
  m('count_params', ([self], _kw, ctx) => {
    const inst = self as PyInstance;
    if (!ctx.truthy(inst.dict.get('built') ?? false)) {
      throw pyError('ValueError', `You tried to call \`count_params\` on layer '${inst.dict.get('name')}', but the layer isn't built. You can build it manually via: \`layer.build(input_shape)\`.`);
    }
    return BigInt(weightsOf(inst, ctx).reduce((n, w) => n + w.t.numel, 0));
  });
}

// ---------------------------------------------------------------- activations

// keras.activations.ALL_OBJECTS_DICT: a name outside it is Keras's ValueError; one inside it
// that Mask Lens does not compute is NotImplementedError
const KERAS_ACTIVATIONS = new Set([
  'relu', 'leaky_relu', 'relu6', 'softmax', 'celu', 'elu', 'selu', 'softplus', 'softsign', 'squareplus', 'soft_shrink', 'sparse_plus',
  'silu', 'swish', 'gelu', 'glu', 'tanh', 'tanh_shrink', 'threshold', 'sigmoid', 'sparse_sigmoid', 'exponential', 'hard_sigmoid',
  'hard_silu', 'hard_swish', 'hard_tanh', 'hard_shrink', 'linear', 'mish', 'log_softmax', 'log_sigmoid', 'sparsemax',
]);

/**
 * keras.activations.get(identifier) as a function of a tensor: None/linear, relu, sigmoid,
 * tanh, softmax (last axis), or a callable run on a tf tensor. Raises ValueError "Could not
 * interpret activation function identifier: foo" for a name Keras does not know.
 */
export function activationFn(act: PyValue, ctx: CallContext): (x: Tensor, ctx: CallContext) => Tensor {
  if (act === null || act === undefined || act === 'linear') return (x) => x;
  if (act === 'relu') return (x) => binary('maximum', x, 0);
  if (act === 'sigmoid' || act === 'tanh') return (x) => unary(act, x);
  if (act === 'softmax') return (x) => tfSoftmax(x, -1);
  if (typeof act === 'string') {
    if (KERAS_ACTIVATIONS.has(act)) throw pyError('NotImplementedError', `activation '${act}' is not supported by Mask Lens yet`);
    throw pyError('ValueError', `Could not interpret activation function identifier: ${act}`);
  }
  if (!(act instanceof PyObj)) throw pyError('ValueError', `Could not interpret activation function identifier: ${ctx.str(act)}`);
  return (x, c) => toTf(c.call(act, [new TfTensor(x)]), c);
}

/** `activationFn(act)` applied to `x`. */
function activate(act: PyValue, x: Tensor, ctx: CallContext): Tensor {
  return activationFn(act, ctx)(x, ctx);
}

const floatInput = (v: PyValue, ctx: CallContext): Tensor => {
  const t = toTf(v, ctx);
  return t.dtype === 'float32' ? t : cast(t, 'float32');
};

/** Dense's InputSpec(min_ndim=2). */
function denseRankError(inst: PyInstance, shape: string, ndim: number): PyException {
  return inputSpecError(`Input 0 with name 'None' of layer '${inst.dict.get('name')}' is incompatible with the layer: expected min_ndim=2, found ndim=${ndim}. Full shape received: ${shape}`);
}

/** InputSpec's ValueError: raised by Layer.__call__ before call(), so never wrapped with the call's arguments. */
export function inputSpecError(message: string): PyException {
  const e = pyError('ValueError', message);
  WITH_CALL_INFO.add(e);
  return e;
}

function kerasErrors<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof KerasError) throw pyError(e.pyType, e.message);
    throw e;
  }
}

// ---------------------------------------------------------------- built-in layers

type LayerInit = (self: PyInstance, a: Record<string, PyValue | undefined>, ctx: CallContext) => void;

/** A built-in layer class: __init__ binds `signature` (plus name/dtype/...), then `init` stores the config. */
export function layerClass(Layer: PyClass, name: string, signature: string[], init: LayerInit): PyClass {
  const cls = new PyClass(name, [Layer], `keras.layers.${name}`);
  cls.dict.set('__init__', new PyBuiltin('__init__', ([self, ...args], kw, ctx) => {
    const a = bind(name, args, kw, [...signature, '**kw']);
    const inst = self as PyInstance;
    const base = new Map([...(a.__kw ?? new Map())].filter(([k]) => k === 'name'));
    ctx.call(Layer.dict.get('__init__')!, [inst], base);
    init(inst, a, ctx);
    return null;
  }));
  return cls;
}

/**
 * Adds the built-in layers (Dense, Dropout, LSTM, GRU, SimpleRNN, MultiHeadAttention),
 * keras.Input / Model / Sequential, keras.initializers and keras.saving to the
 * `keras` and `keras.layers` modules, and the weight methods to `Layer`.
 */
export function installKerasLayers(session: KerasSession, keras: PyModule, layers: PyModule, Layer: PyClass): void {
  layerMethods(Layer);
  const def = (cls: PyClass) => layers.dict.set(cls.name, cls);

  // Dense: y = activation(x @ kernel + bias) on the last axis; passes the mask on
  const Dense = layerClass(Layer, 'Dense', ['units', 'activation?', 'use_bias?', 'kernel_initializer?', 'bias_initializer?', 'kernel_regularizer?', 'bias_regularizer?', 'activity_regularizer?', 'kernel_constraint?', 'bias_constraint?', 'lora_rank?'], (self, a, ctx) => {
    const units = toInt(a.units, 'units');
    if (units <= 0) throw pyError('ValueError', `Received an invalid value for \`units\`, expected a positive integer. Received: units=${units}`);
    self.dict.set('units', BigInt(units));
    self.dict.set('activation', a.activation ?? null);
    self.dict.set('use_bias', toBool(a.use_bias ?? true, ctx));
    self.native.kernelInit = a.kernel_initializer ?? 'glorot_uniform';
    self.native.biasInit = a.bias_initializer ?? 'zeros';
    self.dict.set('supports_masking', true);
  });
  Dense.dict.set('build', new PyBuiltin('build', ([self, shape], _kw, ctx) => {
    const inst = self as PyInstance;
    const dims = ctx.iterate(shape);
    if (dims.length < 2) throw denseRankError(inst, ctx.repr(shape), dims.length);
    const inDim = dims[dims.length - 1];
    if (inDim === null || inDim === undefined) {
      throw pyError('ValueError', `Shapes used to initialize variables must be fully-defined (no \`None\` dimensions). Received: shape=(None, ${inst.dict.get('units')}) for variable path='${inst.dict.get('name')}/kernel'`);
    }
    const units = toInt(inst.dict.get('units'), 'units');
    setWeight(session, inst, 'kernel', initialValues(session, inst.native.kernelInit as PyValue, [toInt(inDim, 'shape'), units], ctx));
    if (ctx.truthy(inst.dict.get('use_bias') ?? true)) setWeight(session, inst, 'bias', initialValues(session, inst.native.biasInit as PyValue, [units], ctx));
    else inst.dict.set('bias', null);
    return null;
  }));
  Dense.dict.set('call', nativeCall(([self, inputs, ...rest], kw, ctx) => {
    bind('Dense.call', rest, kw, ['training?']);
    const inst = self as PyInstance;
    const kernel = (inst.dict.get('kernel') as TfTensor).t;
    const x = floatInput(inputs, ctx);
    if (x.ndim < 2) throw denseRankError(inst, shapeRepr(x.shape), x.ndim);
    if (x.shape[x.ndim - 1] !== kernel.shape[0]) {
      throw inputSpecError(`Input 0 with name 'None' of layer '${inst.dict.get('name')}' is incompatible with the layer: expected axis -1 of input shape to have value ${kernel.shape[0]}, but received input with shape ${shapeRepr(x.shape)}`);
    }
    let y = matmul(x, kernel);
    const bias = inst.dict.get('bias');
    if (bias instanceof TfTensor) y = binary('add', y, bias.t);
    return new TfTensor(activate(inst.dict.get('activation') ?? null, y, ctx));
  }, ['inputs', 'training']));
  def(Dense);

  // Dropout: identity at inference (the default); passes the mask on
  const Dropout = layerClass(Layer, 'Dropout', ['rate', 'noise_shape?', 'seed?'], (self, a) => {
    const rate = toFloat(a.rate, 'rate');
    if (!(rate >= 0 && rate <= 1)) throw pyError('ValueError', `Invalid value received for argument \`rate\`. Expected a float value between 0 and 1. Received: rate=${rate}`);
    self.dict.set('rate', rate);
    self.dict.set('supports_masking', true);
    self.dict.set('built', true);
  });
  Dropout.dict.set('call', nativeCall(([self, inputs, ...rest], kw, ctx) => {
    const a = bind('Dropout.call', rest, kw, ['training?']);
    if (toBool(a.training ?? false, ctx) && toFloat((self as PyInstance).dict.get('rate') ?? 0, 'rate') > 0) {
      throw pyError('NotImplementedError', 'Dropout with training=True draws from Keras\'s random generator, which Mask Lens does not reproduce');
    }
    return inputs;
  }, ['inputs', 'training']));
  def(Dropout);

  // LayerNormalization (keras/src/layers/normalization/layer_normalization.py, ops._layer_normalization
  // on TensorFlow): tf.nn.moments over `axis`, inv = rsqrt(variance + epsilon) * gamma,
  // out = x * inv + (beta - mean * inv); gamma starts at ones, beta at zeros; passes the mask on
  const LayerNormalization = layerClass(Layer, 'LayerNormalization', ['axis?', 'epsilon?', 'center?', 'scale?', 'beta_initializer?', 'gamma_initializer?',
    'beta_regularizer?', 'gamma_regularizer?', 'beta_constraint?', 'gamma_constraint?', 'rms_scaling?'], (self, a, ctx) => {
    const axis = a.axis ?? -1n;
    if (axis instanceof PyList || axis instanceof PyTuple) self.dict.set('axis', new PyList(ctx.iterate(axis)));
    else if (typeof axis === 'bigint') self.dict.set('axis', axis);
    else throw pyError('TypeError', `Expected an int or a list/tuple of ints for the argument 'axis', but received: ${ctx.repr(axis)}`);
    if (a.rms_scaling !== undefined && ctx.truthy(a.rms_scaling)) {
      throw pyError('NotImplementedError', 'keras.layers.LayerNormalization(rms_scaling=True) is not supported by Mask Lens yet (use keras.layers.RMSNormalization)');
    }
    self.dict.set('epsilon', a.epsilon ?? 1e-3);
    self.dict.set('center', toBool(a.center ?? true, ctx));
    self.dict.set('scale', toBool(a.scale ?? true, ctx));
    self.native.betaInit = a.beta_initializer ?? 'zeros';
    self.native.gammaInit = a.gamma_initializer ?? 'ones';
    self.dict.set('supports_masking', true);
  });
  // the axes as non-negative dims, sorted; one past the rank is build's input_shape[dim] IndexError
  const normAxes = (inst: PyInstance, ndim: number): number[] => {
    const axis = inst.dict.get('axis')!;
    const list = axis instanceof PyList ? axis.items.map((d) => toInt(d, 'axis')) : [toInt(axis, 'axis')];
    return list.map((d) => (d < 0 ? d + ndim : d)).sort((p, q) => p - q).map((d) => {
      if (d < 0 || d >= ndim) throw pyError('IndexError', 'tuple index out of range');
      return d;
    });
  };
  LayerNormalization.dict.set('build', new PyBuiltin('build', ([self, shape], _kw, ctx) => {
    const inst = self as PyInstance;
    const dims = ctx.iterate(shape);
    const axes = normAxes(inst, dims.length);
    // build keeps the axes as a list: sorted(axis), or [axis]
    const axis = inst.dict.get('axis')!;
    inst.dict.set('axis', new PyList(axis instanceof PyList ? [...axis.items].sort((p, q) => toInt(p, 'axis') - toInt(q, 'axis')) : [axis]));
    const wShape = axes.map((d) => toInt(dims[d], 'shape'));
    if (ctx.truthy(inst.dict.get('scale')!)) setWeight(session, inst, 'gamma', initialValues(session, inst.native.gammaInit as PyValue, wShape, ctx));
    else inst.dict.set('gamma', null);
    if (ctx.truthy(inst.dict.get('center')!)) setWeight(session, inst, 'beta', initialValues(session, inst.native.betaInit as PyValue, wShape, ctx));
    else inst.dict.set('beta', null);
    inst.dict.set('built', true);
    return null;
  }));
  LayerNormalization.dict.set('call', nativeCall(([self, inputs, ...rest], kw, ctx) => {
    bind('LayerNormalization.call', rest, kw, ['training?']);
    const inst = self as PyInstance;
    const x = floatInput(inputs, ctx);
    const axes = normAxes(inst, x.ndim);
    // gamma/beta of shape [x.shape[a] for a in axes], seen at those axes
    const broadcastShape = x.shape.map((n, d) => (axes.includes(d) ? n : 1));
    const at = (w: PyValue | undefined) => (w instanceof TfTensor ? reshape(w.t, broadcastShape) : null);
    const mu = mean(x, axes, true);
    const variance = mean(binary('mul', binary('sub', x, mu), binary('sub', x, mu)), axes, true);
    let inv = unary('rsqrt', binary('add', variance, toFloat(inst.dict.get('epsilon')!, 'epsilon')));
    const gamma = at(inst.dict.get('gamma')), beta = at(inst.dict.get('beta'));
    if (gamma) inv = binary('mul', inv, gamma);
    let res = binary('mul', unary('neg', mu), inv);
    if (beta) res = binary('add', res, beta);
    return new TfTensor(binary('add', binary('mul', x, inv), res));
  }, ['inputs', 'training']));
  def(LayerNormalization);

  // Softmax (keras/src/layers/activations/softmax.py): where(mask, x, -1e9), softmax over axis
  // (an int or a list), where(mask, out, 0); supports masking, the mask passes on
  const SoftmaxLayer = layerClass(Layer, 'Softmax', ['axis?'], (self, a, ctx) => {
    const axis = a.axis ?? -1n;
    self.dict.set('axis', axis instanceof PyList || axis instanceof PyTuple ? new PyList(ctx.iterate(axis)) : axis);
    self.dict.set('supports_masking', true);
    self.dict.set('built', true);
  });
  SoftmaxLayer.dict.set('call', nativeCall(([self, inputs, ...rest], kw, ctx) => {
    const a = bind('Softmax.call', rest, kw, ['mask?']);
    const axis = (self as PyInstance).dict.get('axis')!;
    const axes = axis instanceof PyList ? axis.items.map((d) => toInt(d, 'axis')) : toInt(axis, 'axis');
    const mask = a.mask === undefined || a.mask === null ? null : toTf(a.mask, ctx);
    return new TfTensor(kerasErrors(() => softmaxLayer(toTf(inputs, ctx), mask, { axis: axes })));
  }, ['inputs', 'mask']));
  def(SoftmaxLayer);

  // GlobalAveragePooling1D / GlobalMaxPooling1D (keras/src/layers/pooling/global_*_pooling1d.py):
  // the mean (over the kept steps when a mask comes: sum(where(mask, x, 0)) / sum(mask)) or the max
  // over the steps axis; the average one supports masking and returns no mask
  for (const [name, average] of [['GlobalAveragePooling1D', true], ['GlobalMaxPooling1D', false]] as const) {
    const cls = layerClass(Layer, name, ['data_format?', 'keepdims?'], (self, a, ctx) => {
      const format = a.data_format === undefined || a.data_format === null ? 'channels_last' : String(a.data_format).toLowerCase();
      if (format !== 'channels_last' && format !== 'channels_first') {
        throw pyError('ValueError', `The \`data_format\` argument must be one of {'channels_first', 'channels_last'}. Received: data_format=${ctx.repr(a.data_format!)}`);
      }
      self.dict.set('data_format', format);
      self.dict.set('keepdims', toBool(a.keepdims ?? false, ctx));
      self.dict.set('supports_masking', average);
      self.dict.set('built', true);
    });
    cls.dict.set('call', nativeCall(([self, inputs, ...rest], kw, ctx) => {
      const a = bind(`${name}.call`, rest, kw, average ? ['mask?'] : []);
      const inst = self as PyInstance;
      const x = toTf(inputs, ctx);
      if (x.ndim !== 3) throw inputSpecError(`Input 0 of layer "${inst.dict.get('name')}" is incompatible with the layer: expected ndim=3, found ndim=${x.ndim}. Full shape received: ${shapeRepr(x.shape)}`);
      const steps = inst.dict.get('data_format') === 'channels_last' ? 1 : 2;
      const keep = ctx.truthy(inst.dict.get('keepdims')!);
      if (!average) return new TfTensor(reduce('max', x, [steps], keep));
      if (a.mask === undefined || a.mask === null) return new TfTensor(mean(x, [steps], keep));
      const m = toTf(a.mask, ctx);
      const kept = unsqueeze(m.dtype === 'bool' ? m : binary('ne', m, 0), steps === 1 ? 2 : 1);
      const summed = reduce('sum', where(kept, x, scalarTensor(0, x.dtype)), [steps], keep);
      return new TfTensor(binary('div', summed, reduce('sum', cast(kept, x.dtype), [steps], keep)));
    }, average ? ['inputs', 'mask'] : ['inputs']));
    if (average) cls.dict.set('compute_mask', new PyBuiltin('compute_mask', () => null));
    def(cls);
  }

  installRecurrent(session, Layer, def);
  installAttention(session, Layer, def);
  installCoreLayers(session, layers, Layer);
  installModels(session, keras, layers, Layer);

  // keras.initializers: the deterministic ones are exact; the random ones stand in (see initialValues)
  const initializers = new PyModule('keras.initializers');
  const initClass = (clsName: string, id: string, sig: string[]) => {
    const cls = new PyClass(clsName, [], `keras.initializers.${clsName}`);
    cls.dict.set('__init__', new PyBuiltin('__init__', ([self, ...args], kw) => {
      const a = bind(clsName, args, kw, sig);
      const inst = self as PyInstance;
      inst.dict.set('__initializer__', id);
      for (const k of sig) inst.dict.set(k.replace('?', ''), a[k.replace('?', '')] ?? (k === 'value?' ? 0 : null));
      return null;
    }));
    initializers.dict.set(clsName, cls);
  };
  initClass('Constant', 'constant', ['value?']);
  initClass('Zeros', 'zeros', []);
  initClass('Ones', 'ones', []);
  for (const [clsName, id] of [['GlorotUniform', 'glorot_uniform'], ['GlorotNormal', 'glorot_normal'], ['Orthogonal', 'orthogonal'],
    ['RandomNormal', 'random_normal'], ['RandomUniform', 'random_uniform'], ['HeNormal', 'he_normal'], ['HeUniform', 'he_uniform']]) {
    initClass(clsName, id, ['*args', '**kw']);
  }
  keras.dict.set('initializers', initializers);

  // @keras.saving.register_keras_serializable(): registration only matters for saving, which a preview never does
  const saving = new PyModule('keras.saving');
  saving.dict.set('register_keras_serializable', new PyBuiltin('register_keras_serializable', (args, kw) => {
    bind('register_keras_serializable', args, kw, ['package?', 'name?']);
    return new PyBuiltin('decorator', ([cls]) => cls);
  }, 'keras.saving.register_keras_serializable'));
  keras.dict.set('saving', saving);
}

// ---------------------------------------------------------------- recurrent layers

function installRecurrent(session: KerasSession, Layer: PyClass, def: (cls: PyClass) => void): void {
  type Kind = 'LSTM' | 'GRU' | 'SimpleRNN';
  const gates: Record<Kind, number> = { LSTM: 4, GRU: 3, SimpleRNN: 1 };
  const stateCount: Record<Kind, number> = { LSTM: 2, GRU: 1, SimpleRNN: 1 };
  for (const kind of ['LSTM', 'GRU', 'SimpleRNN'] as Kind[]) {
    const sig = ['units', 'activation?', ...(kind === 'SimpleRNN' ? [] : ['recurrent_activation?']), 'use_bias?', 'kernel_initializer?', 'recurrent_initializer?',
      'bias_initializer?', ...(kind === 'LSTM' ? ['unit_forget_bias?'] : []), 'kernel_regularizer?', 'recurrent_regularizer?', 'bias_regularizer?',
      'activity_regularizer?', 'kernel_constraint?', 'recurrent_constraint?', 'bias_constraint?', 'dropout?', 'recurrent_dropout?', 'seed?',
      'return_sequences?', 'return_state?', 'go_backwards?', 'stateful?', 'unroll?', ...(kind === 'GRU' ? ['reset_after?'] : []), 'use_cudnn?'];
    const cls = layerClass(Layer, kind, sig, (self, a, ctx) => {
      const units = toInt(a.units, 'units');
      if (units <= 0) throw pyError('ValueError', `Received an invalid value for argument \`units\`, expected a positive integer, got ${units}.`);
      self.dict.set('units', BigInt(units));
      const act = a.activation === undefined ? 'tanh' : a.activation;
      const rec = a.recurrent_activation === undefined ? 'sigmoid' : a.recurrent_activation;
      if (act !== 'tanh' || (kind !== 'SimpleRNN' && rec !== 'sigmoid')) {
        throw pyError('NotImplementedError', `keras.layers.${kind} with activation=${ctx.repr(act)}${kind === 'SimpleRNN' ? '' : `, recurrent_activation=${ctx.repr(rec)}`} is not supported by Mask Lens yet (only tanh / sigmoid)`);
      }
      for (const flag of ['return_sequences', 'return_state', 'go_backwards', 'stateful', 'unroll']) self.dict.set(flag, toBool(a[flag] ?? false, ctx));
      if (ctx.truthy(self.dict.get('stateful')!)) throw pyError('NotImplementedError', `keras.layers.${kind}(stateful=True) is not supported by Mask Lens yet`);
      self.dict.set('use_bias', toBool(a.use_bias ?? true, ctx));
      self.native.kernelInit = a.kernel_initializer ?? 'glorot_uniform';
      self.native.recurrentInit = a.recurrent_initializer ?? 'orthogonal';
      self.native.biasInit = a.bias_initializer ?? 'zeros';
      self.native.unitForgetBias = kind === 'LSTM' ? toBool(a.unit_forget_bias ?? true, ctx) : false;
      self.native.resetAfter = kind === 'GRU' ? toBool(a.reset_after ?? true, ctx) : false;
      // RNN.__init__ (keras 3.15.1): supports_masking = True; zero_output_for_mask comes through **kwargs
      self.dict.set('supports_masking', true);
      self.dict.set('zero_output_for_mask', false);
    });
    // zero_output_for_mask is an RNN **kwargs option (keras/src/layers/rnn/rnn.py)
    const baseInit = cls.dict.get('__init__') as PyBuiltin;
    cls.dict.set('__init__', new PyBuiltin('__init__', ([self, ...args], kw, ctx) => {
      const z = kw.get('zero_output_for_mask');
      const rest = new Map([...kw].filter(([k]) => k !== 'zero_output_for_mask'));
      baseInit.fn([self, ...args], rest, ctx);
      if (z !== undefined) (self as PyInstance).dict.set('zero_output_for_mask', toBool(z, ctx));
      return null;
    }));
    cls.dict.set('build', new PyBuiltin('build', ([self, shape], _kw, ctx) => {
      const inst = self as PyInstance;
      const dims = ctx.iterate(shape);
      if (dims.length !== 3) throw inputSpecError(`Input 0 with name 'None' of layer '${inst.dict.get('name')}' is incompatible with the layer: expected ndim=3, found ndim=${dims.length}. Full shape received: ${ctx.repr(shape)}`);
      const feat = toInt(dims[2], 'shape');
      const u = toInt(inst.dict.get('units'), 'units'), g = gates[kind] * u;
      setWeight(session, inst, 'kernel', initialValues(session, inst.native.kernelInit as PyValue, [feat, g], ctx));
      setWeight(session, inst, 'recurrent_kernel', initialValues(session, inst.native.recurrentInit as PyValue, [u, g], ctx));
      if (ctx.truthy(inst.dict.get('use_bias')!)) {
        let bias: Tensor;
        if (inst.native.unitForgetBias) {
          // LSTMCell.build: concat([init((u,)), ones((u,)), init((2u,))])
          const b = Tensor.empty('float32', [g]);
          b.storage.data.set(initialValues(session, inst.native.biasInit as PyValue, [u], ctx).values(), 0);
          b.storage.data.fill(1, u, 2 * u);
          b.storage.data.set(initialValues(session, inst.native.biasInit as PyValue, [2 * u], ctx).values(), 2 * u);
          bias = b;
        } else {
          bias = initialValues(session, inst.native.biasInit as PyValue, inst.native.resetAfter ? [2, g] : [g], ctx);
        }
        setWeight(session, inst, 'bias', bias);
      } else inst.dict.set('bias', null);
      return null;
    }));
    cls.dict.set('call', nativeCall(([self, sequences, ...rest], kw, ctx) => {
      const a = bind(`${kind}.call`, rest, kw, ['initial_state?', 'mask?', 'training?']);
      const inst = self as PyInstance;
      const x = floatInput(sequences, ctx);
      const w = (n: string) => (inst.dict.get(n) instanceof TfTensor ? (inst.dict.get(n) as TfTensor).t : null);
      let mask = a.mask === undefined || a.mask === null ? null : toTf(a.mask instanceof PyList || a.mask instanceof PyTuple ? a.mask.items[0] : a.mask, ctx);
      if (mask && mask.dtype !== 'bool') mask = cast(mask, 'bool');
      const init = a.initial_state === undefined || a.initial_state === null ? null
        : (a.initial_state instanceof PyList || a.initial_state instanceof PyTuple ? a.initial_state.items : [a.initial_state]).map((s) => floatInput(s, ctx));
      const opts = { mask, goBackwards: ctx.truthy(inst.dict.get('go_backwards')!), zeroOutputForMask: ctx.truthy(inst.dict.get('zero_output_for_mask')!), initialState: init };
      const r: RnnResult = kerasErrors(() => {
        if (kind === 'LSTM') return lstm(x, { kernel: w('kernel')!, recurrentKernel: w('recurrent_kernel')!, bias: w('bias') } as LstmWeights, opts);
        if (kind === 'GRU') return gru(x, { kernel: w('kernel')!, recurrentKernel: w('recurrent_kernel')!, bias: w('bias'), resetAfter: inst.native.resetAfter as boolean } as GruWeights, opts);
        return simpleRnn(x, { kernel: w('kernel')!, recurrentKernel: w('recurrent_kernel')!, bias: w('bias') }, opts);
      });
      const output = new TfTensor(ctx.truthy(inst.dict.get('return_sequences')!) ? r.sequence : r.lastOutput);
      if (!ctx.truthy(inst.dict.get('return_state')!)) return output;
      return new PyTuple([output, ...r.states.map((s) => new TfTensor(s))]);
    }, ['sequences', 'initial_state', 'mask', 'training']));
    // RNN.compute_mask: the input mask when return_sequences, else None; None for each state
    cls.dict.set('compute_mask', new PyBuiltin('compute_mask', ([self, , mask]) => {
      const inst = self as PyInstance;
      const m = flattenMasks(mask ?? null)[0] ?? null;
      const out = inst.dict.get('return_sequences') ? m : null;
      if (!inst.dict.get('return_state')) return out;
      return new PyList([out, ...new Array<PyValue>(stateCount[kind]).fill(null)]);
    }));
    def(cls);
  }
}

// ---------------------------------------------------------------- MultiHeadAttention

function installAttention(session: KerasSession, Layer: PyClass, def: (cls: PyClass) => void): void {
  const sig = ['num_heads', 'key_dim', 'value_dim?', 'dropout?', 'use_bias?', 'output_shape?', 'attention_axes?', 'sliding_window?', 'flash_attention?',
    'kernel_initializer?', 'bias_initializer?', 'kernel_regularizer?', 'bias_regularizer?', 'activity_regularizer?', 'kernel_constraint?', 'bias_constraint?', 'use_gate?', 'seed?'];
  const MHA = layerClass(Layer, 'MultiHeadAttention', sig, (self, a, ctx) => {
    const heads = a.num_heads;
    if (typeof heads !== 'bigint' || heads <= 0n) throw pyError('ValueError', `Received an invalid value for argument \`num_heads\`, expected a positive integer. Received: num_heads=${ctx.repr(heads ?? null)}`);
    const keyDim = a.key_dim;
    if (typeof keyDim !== 'bigint' || keyDim <= 0n) throw pyError('ValueError', `Received an invalid value for argument \`key_dim\`, expected a positive integer. Received: key_dim=${ctx.repr(keyDim ?? null)}`);
    self.dict.set('num_heads', heads);
    self.dict.set('key_dim', keyDim);
    self.dict.set('value_dim', a.value_dim ?? keyDim);
    self.dict.set('dropout', toFloat(a.dropout ?? 0, 'dropout'));
    self.dict.set('use_bias', toBool(a.use_bias ?? true, ctx));
    if (a.output_shape !== undefined && a.output_shape !== null) throw pyError('NotImplementedError', 'MultiHeadAttention(output_shape=...) is not supported by Mask Lens yet');
    if (a.attention_axes !== undefined && a.attention_axes !== null) throw pyError('NotImplementedError', 'MultiHeadAttention(attention_axes=...) is not supported by Mask Lens yet');
    if (toBool(a.use_gate ?? false, ctx)) throw pyError('NotImplementedError', 'MultiHeadAttention(use_gate=True) is not supported by Mask Lens yet');
    self.dict.set('sliding_window', a.sliding_window ?? null);
    self.native.kernelInit = a.kernel_initializer ?? 'glorot_uniform';
    self.native.biasInit = a.bias_initializer ?? 'zeros';
    self.dict.set('supports_masking', true);
    // compute_output_spec gives the scores the shape (B, num_heads, T, T), the query's length twice
    self.native.outputSpec = (out: PyValue, named: Map<string, PyValue>) => {
      const q = named.get('query');
      if (!(out instanceof PyTuple) || !(q instanceof KerasTensor) || !(out.items[1] instanceof KerasTensor)) return;
      out.items[1].shape.splice(0, 4, q.shape[0], Number(heads), q.shape[1], q.shape[1]);
    };
  });
  MHA.dict.set('build', new PyBuiltin('build', ([self, queryShape, valueShape, keyShape], _kw, ctx) => {
    const inst = self as PyInstance;
    // call(query, value, ...): Keras binds the signature before anything else
    if (valueShape === undefined) throw pyError('TypeError', "missing a required argument: 'value'");
    const q = ctx.iterate(queryShape), v = ctx.iterate(valueShape), k = keyShape === undefined || keyShape === null ? v : ctx.iterate(keyShape);
    if (q.length !== 3 || v.length !== 3 || k.length !== 3) throw pyError('NotImplementedError', 'MultiHeadAttention on inputs of rank other than 3 is not supported by Mask Lens yet');
    const n = toInt(inst.dict.get('num_heads'), 'num_heads'), kd = toInt(inst.dict.get('key_dim'), 'key_dim'), vd = toInt(inst.dict.get('value_dim'), 'value_dim');
    const bias = ctx.truthy(inst.dict.get('use_bias')!);
    const proj = (name: string, dim: PyValue, h: number) => {
      setWeight(session, inst, `${name}/kernel`, initialValues(session, inst.native.kernelInit as PyValue, [toInt(dim, 'shape'), n, h], ctx));
      if (bias) setWeight(session, inst, `${name}/bias`, initialValues(session, inst.native.biasInit as PyValue, [n, h], ctx));
    };
    proj('query', q[2], kd);
    proj('key', k[2], kd);
    proj('value', v[2], vd);
    const e = toInt(q[2], 'shape');
    setWeight(session, inst, 'attention_output/kernel', initialValues(session, inst.native.kernelInit as PyValue, [n, vd, e], ctx));
    if (bias) setWeight(session, inst, 'attention_output/bias', initialValues(session, inst.native.biasInit as PyValue, [e], ctx));
    // _build_attention makes a Softmax and a Dropout sublayer, which take the next names
    session.uniquify('softmax');
    session.uniquify('dropout');
    return null;
  }));
  MHA.dict.set('call', nativeCall(([self, ...args], kw, ctx) => {
    const a = bind('MultiHeadAttention.call', args, kw, ['query', 'value', 'key?', 'query_mask?', 'value_mask?', 'key_mask?', 'attention_mask?',
      'return_attention_scores?', 'training?', 'use_causal_mask?']);
    const inst = self as PyInstance;
    const given = (v: PyValue | undefined) => (v === undefined || v === null ? null : toTf(v, ctx));
    const query = floatInput(a.query!, ctx), value = floatInput(a.value!, ctx);
    const key = a.key === undefined || a.key === null ? value : floatInput(a.key, ctx);
    // call() reads the query's own mask (value_mask / key_mask come from Layer.__call__), then
    // set_keras_mask(query/value/key, None): the caller's tensors are left with _keras_mask = None
    const queryMaskValue = a.query instanceof TfTensor ? a.query.kerasMask : null;
    const queryMask = queryMaskValue?.t ?? null;
    for (const t of [a.query, a.value, a.key]) {
      if (t instanceof TfTensor) {
        t.kerasMask = null;
        t.maskAttr = true;
      }
    }
    const returnScores = toBool(a.return_attention_scores ?? false, ctx);
    const causal = toBool(a.use_causal_mask ?? false, ctx);
    const valueMask = given(a.value_mask), keyMask = given(a.key_mask), explicit = given(a.attention_mask);
    if (explicit) {
      // the mask gains axes up to (B, N, T, S) and must broadcast against the scores (tf.where's check)
      const m = [...new Array(Math.max(0, 4 - explicit.ndim)).fill(1), ...explicit.shape];
      if (explicit.ndim === 3) m.splice(0, 2, explicit.shape[0], 1);
      const scores = [query.shape[0], toInt(inst.dict.get('num_heads'), 'num_heads'), query.shape[1], key.shape[1]];
      if (m.length !== 4 || m.some((d, i) => d !== 1 && d !== scores[i])) {
        throw pyError('InvalidArgumentError', `Incompatible shapes: [${scores.join(',')}] vs. [${m.join(',')}] [Op:SelectV2]`);
      }
    }
    const slidingWindow = inst.dict.get('sliding_window') ?? null;
    const mask = mhaComputeAttentionMask({
      queryLength: query.shape[1], valueLength: value.shape[1], queryMask, valueMask, keyMask, attentionMask: explicit, useCausalMask: causal,
      slidingWindow: slidingWindow === null ? null : toInt(slidingWindow, 'sliding_window'),
    });
    for (const m of [queryMask, valueMask, keyMask, explicit]) if (m) noteMaskConsumer(m, 'keras-mask');
    const w = (n: string) => (inst.dict.get(n) instanceof TfTensor ? (inst.dict.get(n) as TfTensor).t : null);
    const { output, scores } = mhaForward(query, key, value, mask, {
      wq: w('query/kernel')!, bq: w('query/bias'), wk: w('key/kernel')!, bk: w('key/bias'), wv: w('value/kernel')!, bv: w('value/bias'),
      wo: w('attention_output/kernel')!, bo: w('attention_output/bias'),
    }, returnScores || (inst.dict.get('dropout') as number) > 0);
    const out = new TfTensor(output);
    // backend.set_keras_mask(attention_output, query_mask): the same mask object
    if (queryMaskValue) out.kerasMask = queryMaskValue;
    return returnScores ? new PyTuple([out, new TfTensor(scores!)]) : out;
  }, ['query', 'value', 'key', 'query_mask', 'value_mask', 'key_mask', 'attention_mask', 'return_attention_scores', 'training', 'use_causal_mask']));
  def(MHA);
}

interface MhaWeights {
  wq: Tensor; bq: Tensor | null; wk: Tensor; bk: Tensor | null; wv: Tensor; bv: Tensor | null; wo: Tensor; bo: Tensor | null;
}

/** EinsumDense "abc,cde->abde" (+ bias "de"): x (B, T, D) with w (D, N, H) gives (B, T, N, H). */
function project(x: Tensor, w: Tensor, b: Tensor | null): Float64Array {
  const [batch, t, d] = x.shape;
  const nh = w.shape[1] * w.shape[2];
  const xv = x.values(), wv = w.values(), bv = b ? b.values() : null;
  const out = new Float64Array(batch * t * nh);
  for (let r = 0; r < batch * t; r++) {
    for (let j = 0; j < nh; j++) {
      let acc = 0;
      for (let k = 0; k < d; k++) acc += xv[r * d + k] * wv[k * nh + j];
      out[r * nh + j] = bv ? Math.fround(Math.fround(acc) + bv[j]) : Math.fround(acc);
    }
  }
  return out;
}

/**
 * MultiHeadAttention's forward pass on (B, T, D) query and (B, S, D') key/value
 * with an optional (B|1, T, S) keep-mask. `explicitScores` follows the
 * `_compute_attention` path that returns the scores (return_attention_scores or
 * dropout): the query is scaled first, the mask goes through the Softmax layer
 * (masked weights 0, a fully masked row all 0). Otherwise ops.dot_product_attention
 * (TensorFlow backend): logits scaled, masked logits -0.7 * 3.38953e38, softmax,
 * so a fully masked row attends uniformly. Scores are (B, N, T, S).
 */
function mhaForward(query: Tensor, key: Tensor, value: Tensor, mask: Tensor | null, w: MhaWeights, explicitScores: boolean): { output: Tensor; scores: Tensor | null } {
  const [b, t] = query.shape, s = key.shape[1];
  const n = w.wq.shape[1], h = w.wq.shape[2], hv = w.wv.shape[2], e = w.wo.shape[2];
  const f = Math.fround;
  const scale = f(1 / Math.sqrt(h));
  const q = project(query, w.wq, w.bq), k = project(key, w.wk, w.bk), v = project(value, w.wv, w.bv);
  if (explicitScores) for (let i = 0; i < q.length; i++) q[i] = f(q[i] * scale);
  const logits = Tensor.empty('float32', [b, n, t, s]);
  const lv = logits.storage.data;
  for (let bi = 0; bi < b; bi++) for (let ni = 0; ni < n; ni++) for (let ti = 0; ti < t; ti++) for (let si = 0; si < s; si++) {
    let acc = 0;
    for (let hi = 0; hi < h; hi++) acc += q[((bi * t + ti) * n + ni) * h + hi] * k[((bi * s + si) * n + ni) * h + hi];
    lv[((bi * n + ni) * t + ti) * s + si] = explicitScores ? f(acc) : f(f(acc) * scale);
  }
  let probs: Tensor;
  if (explicitScores) {
    probs = mhaMaskedSoftmax(logits, mask, 1);
  } else {
    if (mask) {
      const big = f(3.38953e38 * -0.7);
      const mv = mask.values();
      const [mb, mt, ms] = mask.ndim === 3 ? mask.shape : [1, ...mask.shape];
      for (let bi = 0; bi < b; bi++) for (let ni = 0; ni < n; ni++) for (let ti = 0; ti < t; ti++) for (let si = 0; si < s; si++) {
        const keep = mv[((mb === 1 ? 0 : bi) * mt + (mt === 1 ? 0 : ti)) * ms + (ms === 1 ? 0 : si)];
        if (!keep) lv[((bi * n + ni) * t + ti) * s + si] = big;
      }
    }
    probs = tfSoftmax(logits, -1);
  }
  const p = probs.values();
  const ctxv = new Float64Array(b * t * n * hv);
  for (let bi = 0; bi < b; bi++) for (let ni = 0; ni < n; ni++) for (let ti = 0; ti < t; ti++) for (let c = 0; c < hv; c++) {
    let acc = 0;
    for (let si = 0; si < s; si++) acc += p[((bi * n + ni) * t + ti) * s + si] * v[((bi * s + si) * n + ni) * hv + c];
    ctxv[((bi * t + ti) * n + ni) * hv + c] = f(acc);
  }
  const out = Tensor.empty('float32', [b, t, e]);
  const wo = w.wo.values(), bo = w.bo ? w.bo.values() : null;
  for (let r = 0; r < b * t; r++) for (let j = 0; j < e; j++) {
    let acc = 0;
    for (let c = 0; c < n * hv; c++) acc += ctxv[r * n * hv + c] * wo[c * e + j];
    out.storage.data[r * e + j] = bo ? f(f(acc) + bo[j]) : f(acc);
  }
  return { output: out, scores: explicitScores ? probs : null };
}

// ---------------------------------------------------------------- models

function installModels(session: KerasSession, keras: PyModule, layers: PyModule, Layer: PyClass): void {
  const InputLayer = new PyClass('InputLayer', [Layer], 'keras.layers.InputLayer');
  layers.dict.set('InputLayer', InputLayer);

  // keras.Input(shape, batch_size, dtype, sparse, batch_shape, name, tensor, optional): the KerasTensor of a new InputLayer
  const input = new PyBuiltin('Input', (args, kw, ctx) => {
    const a = bind('Input', args, kw, ['shape?', 'batch_size?', 'dtype?', 'sparse?', 'ragged?', 'batch_shape?', 'name?', 'tensor?', 'optional?']);
    const none = (v: PyValue | undefined) => v === undefined || v === null;
    if (!none(a.shape) && !none(a.batch_shape)) throw pyError('ValueError', 'You cannot pass both `shape` and `batch_shape` at the same time.');
    if (!none(a.batch_size) && !none(a.batch_shape)) throw pyError('ValueError', 'You cannot pass both `batch_size` and `batch_shape` at the same time.');
    if (none(a.shape) && none(a.batch_shape)) throw pyError('ValueError', 'You must pass a `shape` argument.');
    if (ctx.truthy(a.sparse ?? false) || ctx.truthy(a.ragged ?? false)) throw pyError('NotImplementedError', 'sparse and ragged keras.Input are not supported by Mask Lens yet');
    const dimsOf = (v: PyValue): ShapeDims => {
      const items = typeof v === 'bigint' ? [v] : ctx.iterate(v);
      return items.map((d) => (d === null ? null : toInt(d, 'shape')));
    };
    const shape: ShapeDims = none(a.batch_shape)
      ? [none(a.batch_size) ? null : toInt(a.batch_size, 'batch_size'), ...dimsOf(a.shape!)]
      : dimsOf(a.batch_shape!);
    const dtype = kerasDtype(a.dtype, ctx) ?? 'float32';
    const inst = new PyInstance(InputLayer);
    const name = none(a.name) ? session.uniquify('input_layer') : String(a.name);
    inst.dict.set('name', name);
    inst.dict.set('built', true);
    inst.dict.set('supports_masking', false);
    const kt = session.tensor(shape, dtype, none(a.name) ? undefined : name);
    kt.inputLayer = inst;
    inst.dict.set('output', kt);
    return kt;
  }, 'keras.Input');
  keras.dict.set('Input', input);
  layers.dict.set('Input', input);

  const Model = keras.dict.get('Model') as PyClass;
  const Functional = new PyClass('Functional', [Model], 'keras.src.models.functional.Functional');

  // keras.Model(inputs, outputs, name=None) makes a Functional model; a subclass's Model() is a Layer that runs its call().
  // A native __new__ returns the finished instance, so it runs the __init__ of the class it made.
  Model.dict.set('__new__', new PyBuiltin('__new__', ([cls, ...args], kw, ctx) => {
    const functional = cls === Model && (args.length > 0 || kw.has('inputs'));
    const target = functional ? Functional : (cls as PyClass);
    const inst = new PyInstance(target);
    const r = ctx.call(new PyBoundMethod(inst, target.lookup('__init__')!), args, kw);
    if (r !== null) throw pyError('TypeError', `__init__() should return None, not '${r instanceof PyObj ? r.typeName : typeof r}'`);
    return inst;
  }));
  Model.dict.set('__init__', new PyBuiltin('__init__', ([self, ...args], kw, ctx) => {
    const inst = self as PyInstance;
    const a = bind('Model', args, kw, ['inputs?', 'outputs?', 'name?', 'trainable?', '**kw']);
    if (inst.cls !== Functional) {
      ctx.call(Layer.dict.get('__init__')!, [inst], a.name === undefined ? new Map() : new Map([['name', a.name]]));
      return null;
    }
    if (a.outputs === undefined) throw pyError('TypeError', "Functional.__init__() missing 1 required positional argument: 'outputs'");
    const inputs = a.inputs instanceof PyList || a.inputs instanceof PyTuple ? a.inputs.items
      : a.inputs instanceof PyDict ? [...a.inputs.entries.values()].map(([, v]) => v) : [a.inputs!];
    for (const i of inputs) {
      if (!(i instanceof KerasTensor)) {
        const type = i instanceof NumpyArray ? 'numpy.ndarray' : i instanceof PyObj ? i.typeName : typeof i;
        throw pyError('ValueError', `All \`inputs\` values must be KerasTensors. Received: inputs=${ctx.str(a.inputs!)} including invalid value ${ctx.str(i)} of type <class '${type}'>`);
      }
    }
    const outs = flattenTensors(a.outputs);
    if (outs.length === 0 || outs.some((o) => !(o instanceof KerasTensor))) throw pyError('ValueError', `All \`outputs\` values must be KerasTensors. Received: outputs=${ctx.repr(a.outputs)}`);
    outs.forEach((o, i) => {
      if (!reaches(o as KerasTensor, inputs as KerasTensor[])) {
        throw pyError('ValueError', `Output with path \`${a.outputs instanceof KerasTensor ? '' : i}\` is not connected to \`inputs\``);
      }
    });
    ctx.call(Layer.dict.get('__init__')!, [inst], new Map([['name', a.name ?? session.uniquify('functional')]]));
    inst.native.inputs = inputs;
    inst.native.inputStructure = a.inputs;
    inst.native.outputs = a.outputs;
    inst.dict.set('inputs', new PyList(inputs));
    inst.dict.set('outputs', a.outputs instanceof KerasTensor ? new PyList([a.outputs]) : a.outputs);
    inst.dict.set('built', true);
    inst.dict.set('layers', new PyList(graphLayers(inputs as KerasTensor[], a.outputs)));
    return null;
  }));
  const runFunctional = (inst: PyInstance, args: PyValue[], kw: Kwargs, ctx: CallContext): PyValue => {
    if (args.length > 1) throw pyError('TypeError', "Functional.call() got multiple values for argument 'training'");
    const a = bind('Functional.call', args, kw, ['inputs', 'training?', 'mask?']);
    const inputs = inst.native.inputs as KerasTensor[];
    const structure = inst.native.inputStructure as PyValue;
    let given: PyValue[];
    if (structure instanceof PyDict && a.inputs instanceof PyDict) {
      // inputs by name: the model's dict keys pick the values
      const byKey = new Map([...a.inputs.entries.values()].map(([k, v]) => [ctx.str(k), v]));
      given = [...structure.entries.values()].map(([k]) => {
        const v = byKey.get(ctx.str(k));
        if (v === undefined) throw pyError('KeyError', ctx.repr(k));
        return v;
      });
    } else {
      given = inputs.length === 1 && !(a.inputs instanceof PyList || a.inputs instanceof PyTuple) ? [a.inputs!] : ctx.iterate(a.inputs!);
    }
    if (given.length !== inputs.length) {
      const keys = inputs.map((i) => `'${i.inputLayer?.dict.get('name') ?? i.name}'`);
      throw pyError('ValueError', `Layer "${inst.dict.get('name')}" expects ${inputs.length} named input(s) with keys [${keys.join(', ')}], but it received ${given.length} input tensors. Pass inputs as a dict, e.g. \`layer({${keys[0]}: ...})\`.`);
    }
    if (anySymbolic(given)) return session.symbolicCall(ctx, inst, args, kw);
    // Functional._convert_inputs_to_tensors: each input converted to its Input's dtype
    const masks = a.mask === undefined || a.mask === null ? [] : flattenMasks(a.mask);
    const concrete = given.map((g, i) => {
      const t = toTf(g, ctx);
      const c = new TfTensor(t.dtype === inputs[i].dtype ? t : cast(t, inputs[i].dtype));
      if (g instanceof TfTensor && t.dtype === inputs[i].dtype) c.kerasMask = g.kerasMask;
      const m = masks[i] ?? null;
      if (m !== null) c.kerasMask = new TfTensor(toTf(m, ctx));
      return c;
    });
    return runGraph(ctx, inputs, concrete, inst.native.outputs as PyValue);
  };
  Functional.dict.set('__call__', new PyBuiltin('__call__', ([self, ...args], kw, ctx) => runFunctional(self as PyInstance, args, kw, ctx)));
  Functional.dict.set('call', new PyBuiltin('call', ([self, ...args], kw, ctx) => runFunctional(self as PyInstance, args, kw, ctx)));
  Functional.dict.set('compute_mask', new PyBuiltin('compute_mask', ([self, inputs], _kw, ctx) => {
    const out = runFunctional(self as PyInstance, [inputs], new Map(), ctx);
    return maskOf(out);
  }));
  const predict = new PyBuiltin('predict', ([self, ...args], kw, ctx) => {
    const a = bind('predict', args, kw, ['x', 'batch_size?', 'verbose?', 'steps?', 'callbacks?']);
    const out = ctx.call(self, [a.x!]);
    const toNp = (v: PyValue): PyValue => (v instanceof ArrayValue ? new NumpyArray(v.t) : v instanceof PyList ? new PyList(v.items.map(toNp)) : v instanceof PyTuple ? new PyTuple(v.items.map(toNp)) : v);
    return toNp(out);
  });
  Model.dict.set('predict', predict);
  for (const name of ['summary', 'compile', 'fit', 'evaluate', 'train_on_batch', 'save']) {
    Model.dict.set(name, new PyBuiltin(name, () => {
      throw pyError('NotImplementedError', `keras.Model.${name} is not supported by Mask Lens yet`);
    }));
  }

  // keras.Sequential(layers=None, trainable=True, name=None): the layers called in order
  const Sequential = new PyClass('Sequential', [Model], 'keras.Sequential');
  Sequential.dict.set('__init__', new PyBuiltin('__init__', ([self, ...args], kw, ctx) => {
    const inst = self as PyInstance;
    const a = bind('Sequential', args, kw, ['layers?', 'trainable?', 'name?']);
    ctx.call(Layer.dict.get('__init__')!, [inst], new Map([['name', a.name ?? session.uniquify('sequential')]]));
    inst.dict.set('layers', new PyList([]));
    inst.dict.set('supports_masking', false);
    inst.native.building = true;
    if (a.layers !== undefined && a.layers !== null) for (const l of ctx.iterate(a.layers)) ctx.call(ctx.getAttr(inst, 'add'), [l]);
    inst.native.building = false;
    rebuild(inst, ctx);
    return null;
  }));
  // Sequential._maybe_rebuild: with an Input first, the layers are run on it (building them) as soon as there are any
  const rebuild = (inst: PyInstance, ctx: CallContext) => {
    const input = inst.native.input as KerasTensor | undefined;
    const list = (inst.dict.get('layers') as PyList).items;
    if (!input || list.length === 0) return;
    session.inScope(inst, () => {
      let kt: PyValue = input;
      for (const l of list) kt = ctx.call(l, [kt]);
    });
    inst.dict.set('built', true);
  };
  // Sequential.build(input_shape): an Input of that shape run through the layers, inside the model's name scope
  Sequential.dict.set('build', new PyBuiltin('build', ([self, ...args], kw, ctx) => {
    const inst = self as PyInstance;
    const a = bind('build', args, kw, ['input_shape?']);
    const list = (inst.dict.get('layers') as PyList).items;
    if (inst.native.input === undefined) {
      if (a.input_shape === undefined || a.input_shape === null) throw pyError('ValueError', 'You must provide an `input_shape` argument.');
      const dims = ctx.iterate(a.input_shape).map((d) => (d === null ? null : toInt(d, 'input_shape')));
      session.uniquify('input_layer');
      inst.native.input = session.tensor(dims, 'float32');
    }
    if (list.length > 0) rebuild(inst, ctx);
    inst.dict.set('built', true);
    return null;
  }));
  Sequential.dict.set('add', new PyBuiltin('add', ([self, layer], _kw, ctx) => {
    const inst = self as PyInstance;
    if (layer instanceof KerasTensor && layer.inputLayer) {
      inst.native.input = layer;
      return null;
    }
    if (!(layer instanceof PyInstance && layer.cls.isSubclassOf(Layer))) {
      throw pyError('ValueError', `Only instances of \`keras.Layer\` can be added to a Sequential model. Received: ${ctx.str(layer)} (of type <class '${typeNameOf(layer)}'>)`);
    }
    (inst.dict.get('layers') as PyList).items.push(layer);
    if (!inst.native.building) rebuild(inst, ctx);
    return null;
  }));
  const runSequential = (inst: PyInstance, args: PyValue[], kw: Kwargs, ctx: CallContext): PyValue => {
    const a = bind('Sequential.call', args, kw, ['inputs', 'training?', 'mask?']);
    if (anySymbolic([a.inputs!])) return session.symbolicCall(ctx, inst, args, kw);
    let x: PyValue = convertInput(a.inputs!, ctx);
    const input = inst.native.input as KerasTensor | undefined;
    if (input && x instanceof ArrayValue && x.t.dtype !== input.dtype) x = new TfTensor(cast(x.t, input.dtype));
    if (a.mask !== undefined && a.mask !== null && x instanceof TfTensor) x.kerasMask = new TfTensor(toTf(a.mask, ctx));
    if (!inst.dict.get('built') && x instanceof ArrayValue) {
      // Sequential.build: an Input of the first batch's shape run through the layers (this names tensors as Keras does)
      let kt: PyValue = input ?? session.tensor(x.t.shape.slice(), x.t.dtype);
      if (!input) session.uniquify('input_layer');
      session.inScope(inst, () => {
        for (const l of (inst.dict.get('layers') as PyList).items) kt = ctx.call(l, [kt]);
      });
      inst.dict.set('built', true);
    }
    return session.inScope(inst, () => {
      for (const l of (inst.dict.get('layers') as PyList).items) x = ctx.call(l, [x]);
      return x;
    });
  };
  Sequential.dict.set('__call__', new PyBuiltin('__call__', ([self, ...args], kw, ctx) => runSequential(self as PyInstance, args, kw, ctx)));
  Sequential.dict.set('call', new PyBuiltin('call', ([self, ...args], kw, ctx) => runSequential(self as PyInstance, args, kw, ctx)));
  keras.dict.set('Sequential', Sequential);
  const models = new PyModule('keras.models');
  models.dict.set('Model', Model);
  models.dict.set('Sequential', Sequential);
  keras.dict.set('models', models);
}

/** A dtype argument as Keras standardizes it: "int32", tf.int32, np.int32; None stays undefined. */
function kerasDtype(v: PyValue | undefined, ctx: CallContext): DType | undefined {
  if (v === undefined || v === null) return undefined;
  const d = tfDtype(v);
  if (!d) throw pyError('ValueError', `Invalid dtype: ${ctx.repr(v)}`);
  return d;
}

/** Whether every path back from `kt` ends at one of `inputs` (Functional's connectivity check). */
function reaches(kt: KerasTensor, inputs: KerasTensor[]): boolean {
  if (inputs.includes(kt)) return true;
  const node = kt.history;
  if (!node) return false;
  const all = flattenTensors(new PyList([...node.args, ...node.kwargs.values()])).filter((x): x is KerasTensor => x instanceof KerasTensor);
  return all.every((x) => reaches(x, inputs));
}

/** Functional.layers: the InputLayers, then every layer the graph calls, in call order. */
function graphLayers(inputs: KerasTensor[], outputs: PyValue): PyValue[] {
  const seen = new Set<object>();
  const order: PyValue[] = [];
  const visit = (kt: KerasTensor) => {
    const node = kt.history;
    if (!node || seen.has(node)) return;
    seen.add(node);
    const walk = (v: PyValue) => {
      if (v instanceof KerasTensor) visit(v);
      else if (v instanceof PyList || v instanceof PyTuple) v.items.forEach(walk);
    };
    node.args.forEach(walk);
    [...node.kwargs.values()].forEach(walk);
    if (node.fn instanceof PyInstance && !order.includes(node.fn)) order.push(node.fn);
  };
  flattenTensors(outputs).forEach((o) => visit(o as KerasTensor));
  return [...inputs.map((i) => i.inputLayer).filter((l): l is PyInstance => l !== null), ...order];
}

