// Keras 3.15's merging, reshaping and activation layers (keras/src/layers/merging/*.py,
// reshaping/{flatten,reshape,permute}.py, activations/activation.py) on the TensorFlow
// backend, with the masks they pass on: the merge layers support masking (Concatenate
// concatenates the masks, the others OR them; Multiply, Maximum and Minimum also fill
// the masked steps as Keras does), Activation passes the mask on, and Flatten, Reshape
// and Permute do not support masking, so Layer.__call__ drops a mask with its warning.

import { DType, isFloating } from '../../engine/dtype';
import { binary, cast, scalarTensor, where } from '../../engine/ops/core';
import { reduce } from '../../engine/ops/reduce';
import { cat, expand, permute, reshape, unsqueeze } from '../../engine/ops/shape';
import { Tensor } from '../../engine/tensor';
import { bind, toInt } from '../../python/args';
import { pyError } from '../../python/exceptions';
import { CallContext, NativeFn, PyBuiltin, PyClass, PyInstance, PyList, PyModule, PyTuple, PyValue } from '../../python/values';
import { TfTensor, toTf } from '../tensorflow';
import { activationFn, inputSpecError, layerClass, nativeCall } from './layers';
import { kerasResultType } from './ops';
import { KerasSession, KerasTensor, anySymbolic, shapeRepr } from './symbolic';

type Dims = (number | null)[];

/** Python's repr of a shape tuple, `()` for none. */
const tupleRepr = (s: Dims): string => (s.length === 0 ? '()' : shapeRepr(s));

/** The shapes `build` was given when it is a list of shapes (a merge layer's input), else null. */
function shapeList(shape: PyValue | undefined, ctx: CallContext): Dims[] | null {
  if (!(shape instanceof PyList || shape instanceof PyTuple) || shape.items.length === 0) return null;
  if (!(shape.items[0] instanceof PyList || shape.items[0] instanceof PyTuple)) return null;
  return shape.items.map((s) => ctx.iterate(s).map((d) => (d === null ? null : toInt(d, 'shape'))));
}

/** Merge._compute_elemwise_op_output_shape: trailing dims broadcast (1 or None gives way), else ValueError. */
function elementwiseShape(a: Dims, b: Dims): Dims {
  if (a.length < b.length) return elementwiseShape(b, a);
  if (b.length === 0) return a;
  const out = a.slice(0, a.length - b.length);
  a.slice(a.length - b.length).forEach((i, k) => {
    const j = b[k];
    if (i === null || j === null) out.push(null);
    else if (i === 1) out.push(j);
    else if (j === 1) out.push(i);
    else if (i !== j) throw pyError('ValueError', `Inputs have incompatible shapes. Received shapes ${tupleRepr(a)} and ${tupleRepr(b)}`);
    else out.push(i);
  });
  return out;
}

/** Merge.build: a list of shapes with one batch size whose other dims broadcast. */
function mergeBuild(shape: PyValue | undefined, ctx: CallContext): Dims[] {
  if (shape === undefined || ((shape instanceof PyList || shape instanceof PyTuple) && shape.items.length === 0)) throw pyError('IndexError', 'list index out of range');
  const shapes = shapeList(shape, ctx);
  if (!shapes) throw pyError('ValueError', `A merge layer should be called on a list of inputs. Received: input_shape=${ctx.repr(shape)} (not a list of shapes)`);
  const batches = new Set(shapes.filter((s) => s.length > 0).map((s) => s[0]).filter((d) => d !== null));
  if (batches.size > 1) throw pyError('ValueError', `Cannot merge tensors with different batch sizes. Received tensors with shapes ${ctx.repr(shape)}`);
  shapes.slice(1).reduce((acc, s) => elementwiseShape(acc, s.slice(1)), shapes[0].slice(1));
  return shapes;
}

/** Concatenate.build's check: shapes equal except on the axis (Nones match anything). */
function concatenateBuild(axis: number, shape: PyValue | undefined, ctx: CallContext): void {
  const shapes = shapeList(shape, ctx);
  if (!shapes) throw pyError('ValueError', `A \`Concatenate\` layer should be called on a list of at least 1 input. Received: input_shape=${ctx.repr(shape ?? null)}`);
  // Keras deletes input_shape[axis] when the rank exceeds `axis` (a negative axis always)
  const reduced = shapes.map((s) => (s.length > axis ? s.filter((_, i) => i !== (axis < 0 ? s.length + axis : axis)) : s.slice()));
  const distinct = new Set(reduced.map((s) => s.join()));
  if (distinct.size === 1) return;
  const error = () => pyError('ValueError', `A \`Concatenate\` layer requires inputs with matching shapes except for the concatenation axis. Received: input_shape=${ctx.repr(shape!)}`);
  if (new Set(reduced.map((s) => s.length)).size !== 1) throw error();
  for (let d = 0; d < reduced[0].length; d++) {
    if (new Set(reduced.map((s) => s[d]).filter((x) => x !== null)).size > 1) throw error();
  }
}

/** The tensors of a merge layer's `inputs` list, their masks, and the list check of Merge.call. */
function mergeInputs(inputs: PyValue, ctx: CallContext): { xs: Tensor[]; masks: (Tensor | null)[] } {
  if (!(inputs instanceof PyList || inputs instanceof PyTuple)) {
    throw pyError('ValueError', `A merge layer should be called on a list of inputs. Received: inputs=${ctx.str(inputs)} (not a list of tensors)`);
  }
  return {
    xs: inputs.items.map((v) => toTf(v, ctx)),
    masks: inputs.items.map((v) => (v instanceof TfTensor && v.kerasMask ? v.kerasMask.t : null)),
  };
}

/** The operands cast to Keras's result type (ops.add and friends promote before the TF op). */
function promote(xs: Tensor[]): Tensor[] {
  const d = kerasResultType(xs.map((x) => x.dtype));
  return xs.map((x) => (x.dtype === d ? x : cast(x, d)));
}

/** Merge.call with _reshape_required: lower-rank inputs get size-1 axes at 1 until every rank matches. */
function sameRank(xs: Tensor[]): Tensor[] {
  const rank = Math.max(...xs.map((x) => x.ndim));
  return xs.map((x) => {
    let y = x;
    while (y.ndim < rank) y = unsqueeze(y, 1);
    return y;
  });
}

/** A mask [..., T] seen on x's shape: broadcast_to(expand_dims(mask, -1), shape(x)). */
const maskOn = (mask: Tensor, x: Tensor): Tensor => expand(unsqueeze(mask, -1), x.shape);

/** Merge._apply_merge_op_and_or_mask (Maximum, Minimum): masked steps take the other operand; the output mask ORs. */
function mergeWithMasks(op: 'maximum' | 'minimum', xs: Tensor[], masks: (Tensor | null)[]): { out: Tensor; mask: Tensor | null } {
  let out: Tensor | null = null;
  let outMask: Tensor | null = null;
  xs.forEach((x0, i) => {
    let x = x0;
    const m = masks[i] ? maskOn(masks[i]!, x) : null;
    if (out === null) {
      out = x;
      outMask = m;
      return;
    }
    if (m) x = where(m, x, out);
    if (outMask) out = where(outMask, out, x);
    outMask = m && outMask ? binary('or', outMask, m) : null;
    const [a, b] = promote([out, x]);
    out = binary(op, a, b);
  });
  return { out: out!, mask: outMask ? reduce('any', outMask, [-1], false) : null };
}

/** Multiply._merge_function: masked steps count as 1 in the product, then the output is 0 outside the ORed mask. */
function multiplyWithMasks(xs: Tensor[], masks: (Tensor | null)[]): { out: Tensor; mask: Tensor | null } {
  const all = masks.every((m) => m !== null);
  let out: Tensor | null = null;
  let outMask: Tensor | null = null;
  xs.forEach((x0, i) => {
    let x = x0;
    if (masks[i]) {
      const m = maskOn(masks[i]!, x);
      x = where(m, x, scalarTensor(1, x.dtype));
      if (all) outMask = outMask === null ? m : binary('or', outMask, m);
    }
    if (out === null) out = x;
    else {
      const [a, b] = promote([out, x]);
      out = binary('mul', a, b);
    }
  });
  if (!all || outMask === null) return { out: out!, mask: null };
  return { out: where(outMask, out!, scalarTensor(0, out!.dtype)), mask: reduce('any', outMask, [-1], false) };
}

/** Concatenate.compute_mask: each mask (all True for an unmasked input) on its input's shape, concatenated on axis, any over the last axis. */
function concatenateMask(xs: Tensor[], masks: (Tensor | null)[], axis: number): Tensor | null {
  if (masks.every((m) => m === null)) return null;
  const full = xs.map((x, i) => {
    const m = masks[i];
    if (m === null) return expand(scalarTensor(true, 'bool'), x.shape);
    return m.ndim < x.ndim ? maskOn(m, x) : m;
  });
  return reduce('any', concatOp(full, axis), [-1], false);
}

/** ops.concatenate on TF (ConcatV2): the result type of the inputs, TF's range and shape errors. */
function concatOp(xs: Tensor[], axis: number): Tensor {
  const rank = xs[0].ndim;
  if (axis < -rank || axis >= rank) {
    throw pyError('InvalidArgumentError', `{{function_node __wrapped__ConcatV2_N_${xs.length}_device_/job:localhost/replica:0/task:0/device:CPU:0}} ConcatOp : Expected concatenating dimensions in the range [${-rank}, ${rank}), but got ${axis} [Op:ConcatV2] name: concat`);
  }
  const d = axis < 0 ? axis + rank : axis;
  xs.forEach((x, i) => {
    const bad = x.ndim !== rank || x.shape.some((n, k) => k !== d && n !== xs[0].shape[k]);
    if (bad && i > 0) {
      throw pyError('InvalidArgumentError', `{{function_node __wrapped__ConcatV2_N_${xs.length}_device_/job:localhost/replica:0/task:0/device:CPU:0}} ConcatOp : Dimension ${x.shape.findIndex((n, k) => k !== d && n !== xs[0].shape[k])} in both shapes must be equal: shape[0] = [${xs[0].shape.join(',')}] vs. shape[${i}] = [${x.shape.join(',')}] [Op:ConcatV2] name: concat`);
    }
  });
  return cat(promote(xs), d);
}

/**
 * A native compute_mask that, given KerasTensors, runs on probes (symbolicCall); Keras's
 * ops on KerasTensors each take a keras_tensor name, `ops` of them before the result's.
 */
function symbolicMask(session: KerasSession, f: NativeFn, ops: (args: PyValue[]) => number): PyBuiltin {
  return new PyBuiltin('compute_mask', (args, kw, ctx) => {
    if (!anySymbolic(args, kw)) return f(args, kw, ctx);
    for (let i = ops(args); i > 1; i--) session.uniquify('keras_tensor');
    return session.symbolicCall(ctx, new PyBuiltin('compute_mask', f), args, kw);
  });
}

const listItems = (v: PyValue | undefined): PyValue[] => (v instanceof PyList || v instanceof PyTuple ? v.items : []);
const ndimOf = (v: PyValue): number => (v instanceof KerasTensor ? v.shape.length : v instanceof TfTensor ? v.t.ndim : 0);

/** Merge.compute_mask's and Concatenate.compute_mask's list checks; null when there is nothing to merge. */
function maskLists(inputs: PyValue | undefined, mask: PyValue | undefined, ctx: CallContext): { xs: PyValue[]; ms: PyValue[] } | null {
  if (mask === undefined || mask === null) return null;
  if (!(mask instanceof PyList || mask instanceof PyTuple)) throw pyError('ValueError', `\`mask\` should be a list. Received: mask=${ctx.str(mask)}`);
  if (!(inputs instanceof PyList || inputs instanceof PyTuple)) throw pyError('ValueError', `\`inputs\` should be a list. Received: inputs=${ctx.str(inputs ?? null)}`);
  if (mask.items.length !== inputs.items.length) {
    throw pyError('ValueError', `The lists \`inputs\` and \`mask\` should have the same length. Received: inputs=${ctx.str(inputs)} of length ${inputs.items.length}, and mask=${ctx.str(mask)} of length ${mask.items.length}`);
  }
  return { xs: inputs.items, ms: mask.items };
}

type Merge = 'Add' | 'Subtract' | 'Multiply' | 'Average' | 'Maximum' | 'Minimum';

/**
 * Adds Concatenate, Add, Subtract, Multiply, Average, Maximum, Minimum (and their
 * functional forms keras.layers.add, concatenate, ...), Activation, Flatten, Reshape
 * and Permute to `layers`.
 */
export function installCoreLayers(session: KerasSession, layers: PyModule, Layer: PyClass): void {
  const def = (cls: PyClass) => layers.dict.set(cls.name, cls);
  const fnForm = (name: string, cls: PyClass, sig: string[]) => layers.dict.set(name, new PyBuiltin(name, (args, kw, ctx) => {
    const a = bind(name, args, kw, [...sig, '**kw']);
    const init = new Map(a.__kw ?? []);
    for (const k of sig.slice(1)) if (a[k.replace('?', '')] !== undefined) init.set(k.replace('?', ''), a[k.replace('?', '')]!);
    return ctx.call(ctx.call(cls, [], init), [a.inputs!]);
  }, `keras.layers.${name}`));

  // Merge.compute_mask: None unless every input is masked, else the masks ORed
  const mergeMask = symbolicMask(session, ([, ...args], kw, ctx) => {
    const a = bind('compute_mask', args, kw, ['inputs', 'mask?']);
    const lists = maskLists(a.inputs, a.mask, ctx);
    if (!lists || lists.ms.some((m) => m === null)) return null;
    return new TfTensor(lists.ms.map((m) => toTf(m, ctx)).reduce((p, q) => binary('or', p, q)));
  }, (args) => Math.max(1, listItems(args[2]).length - 1));

  for (const name of ['Add', 'Subtract', 'Multiply', 'Average', 'Maximum', 'Minimum'] as Merge[]) {
    const cls = layerClass(Layer, name, [], (self) => {
      self.dict.set('supports_masking', true);
    });
    cls.dict.set('build', new PyBuiltin('build', ([self, shape], _kw, ctx) => {
      const shapes = mergeBuild(shape, ctx);
      if (name === 'Subtract' && shapes.length !== 2) throw pyError('ValueError', `A \`Subtract\` layer should be called on exactly 2 inputs. Received: input_shape=${ctx.repr(shape!)}`);
      (self as PyInstance).dict.set('built', true);
      return null;
    }));
    cls.dict.set('call', nativeCall(([, inputs, ...rest], kw, ctx) => {
      bind(`${name}.call`, rest, kw, []);
      const given = mergeInputs(inputs, ctx);
      const xs = sameRank(given.xs);
      if (name === 'Subtract' && xs.length !== 2) throw pyError('ValueError', `A \`Subtract\` layer should be called on exactly 2 inputs. Received: inputs=${ctx.str(inputs)}`);
      if (name === 'Multiply' || name === 'Maximum' || name === 'Minimum') {
        // these set the output's mask themselves (backend.set_keras_mask)
        const { out, mask } = name === 'Multiply' ? multiplyWithMasks(xs, given.masks) : mergeWithMasks(name === 'Maximum' ? 'maximum' : 'minimum', xs, given.masks);
        const res = new TfTensor(out);
        if (mask) res.kerasMask = new TfTensor(mask);
        return res;
      }
      if (name === 'Subtract') return new TfTensor(binary('sub', ...(promote(xs) as [Tensor, Tensor])));
      let out = xs[0];
      for (const x of xs.slice(1)) out = binary('add', ...(promote([out, x]) as [Tensor, Tensor]));
      if (name === 'Average') {
        // output / len(inputs): TF's truediv makes an integer sum float64
        const f: DType = isFloating(out.dtype) ? out.dtype : 'float64';
        out = binary('div', out.dtype === f ? out : cast(out, f), scalarTensor(xs.length, f));
      }
      return new TfTensor(out);
    }, ['inputs']));
    cls.dict.set('compute_mask', mergeMask);
    def(cls);
    fnForm(name.toLowerCase(), cls, ['inputs']);
  }

  // Concatenate(axis=-1): ops.concatenate; its mask concatenates the inputs' masks (all True for an unmasked one)
  const Concatenate = layerClass(Layer, 'Concatenate', ['axis?'], (self, a) => {
    self.dict.set('axis', a.axis ?? -1n);
    self.dict.set('supports_masking', true);
  });
  const axisOf = (self: PyValue) => toInt((self as PyInstance).dict.get('axis') ?? -1n, 'axis');
  Concatenate.dict.set('build', new PyBuiltin('build', ([self, shape], _kw, ctx) => {
    concatenateBuild(axisOf(self), shape, ctx);
    (self as PyInstance).dict.set('built', true);
    return null;
  }));
  Concatenate.dict.set('call', nativeCall(([self, inputs, ...rest], kw, ctx) => {
    bind('Concatenate.call', rest, kw, []);
    return new TfTensor(concatOp(mergeInputs(inputs, ctx).xs, axisOf(self)));
  }, ['inputs']));
  Concatenate.dict.set('compute_mask', symbolicMask(session, ([self, ...args], kw, ctx) => {
    const a = bind('compute_mask', args, kw, ['inputs', 'mask?']);
    const lists = maskLists(a.inputs, a.mask, ctx);
    if (!lists) return null;
    const m = concatenateMask(lists.xs.map((x) => toTf(x, ctx)), lists.ms.map((v) => (v === null ? null : toTf(v, ctx))), axisOf(self));
    return m === null ? null : new TfTensor(m);
  }, (args) => {
    // ones_like per unmasked input, expand_dims + zeros_like + logical_or per lower-rank mask, then concatenate and any
    const xs = listItems(args[1]), ms = listItems(args[2]);
    return 2 + xs.reduce((n: number, x, i) => n + (ms[i] === null || ms[i] === undefined ? 1 : ndimOf(ms[i]) < ndimOf(x) ? 3 : 0), 0);
  }));
  def(Concatenate);
  fnForm('concatenate', Concatenate, ['inputs', 'axis?']);

  // Activation(activation): activations.get(activation) applied; supports masking
  const Activation = layerClass(Layer, 'Activation', ['activation'], (self, a, ctx) => {
    self.native.activation = activationFn(a.activation ?? null, ctx);
    self.dict.set('activation', a.activation ?? null);
    self.dict.set('supports_masking', true);
    self.dict.set('built', true);
  });
  Activation.dict.set('call', nativeCall(([self, inputs, ...rest], kw, ctx) => {
    bind('Activation.call', rest, kw, []);
    return new TfTensor(((self as PyInstance).native.activation as (x: Tensor, ctx: CallContext) => Tensor)(toTf(inputs, ctx), ctx));
  }, ['inputs']));
  def(Activation);

  // Flatten(data_format=None): (batch, prod(rest)); channels_first moves the channels last first
  const Flatten = layerClass(Layer, 'Flatten', ['data_format?'], (self, a, ctx) => {
    const format = a.data_format === undefined || a.data_format === null ? 'channels_last' : String(a.data_format).toLowerCase();
    if (format !== 'channels_last' && format !== 'channels_first') {
      throw pyError('ValueError', `The \`data_format\` argument must be one of {'channels_first', 'channels_last'}. Received: data_format=${ctx.repr(a.data_format!)}`);
    }
    self.dict.set('data_format', format);
  });
  Flatten.dict.set('call', nativeCall(([self, inputs, ...rest], kw, ctx) => {
    bind('Flatten.call', rest, kw, []);
    let x = toTf(inputs, ctx);
    if (x.ndim < 1) throw inputSpecError(`Input 0 with name 'None' of layer '${(self as PyInstance).dict.get('name')}' is incompatible with the layer: expected min_ndim=1, found ndim=0. Full shape received: ()`);
    if ((self as PyInstance).dict.get('data_format') === 'channels_first' && x.ndim > 1) x = permute(x, [0, ...x.shape.slice(2).map((_, i) => i + 2), 1]);
    return new TfTensor(reshape(x, [x.shape[0], x.shape.slice(1).reduce((p, q) => p * q, 1)]));
  }, ['inputs']));
  def(Flatten);

  // Reshape(target_shape): the batch axis kept, the rest reshaped (one -1 inferred)
  const Reshape = layerClass(Layer, 'Reshape', ['target_shape'], (self, a, ctx) => {
    const target = ctx.iterate(a.target_shape!).map((d) => toInt(d, 'target_shape'));
    const text = `target_shape=${tupleRepr(target)}.`;
    if (target.some((d) => d < -1)) throw pyError('ValueError', `Each dimension in \`target_shape\` must be a non-negative integer, or \`-1\` for a single unknown dimension. Received: ${text}`);
    if (target.filter((d) => d === -1).length > 1) throw pyError('ValueError', `There must be at most one unknown dimension (-1) in \`target_shape\`. Received: ${text}`);
    self.dict.set('target_shape', new PyTuple(target.map(BigInt)));
    self.dict.set('built', true);
  });
  Reshape.dict.set('call', nativeCall(([self, inputs, ...rest], kw, ctx) => {
    bind('Reshape.call', rest, kw, []);
    const x = toTf(inputs, ctx);
    const target = ctx.iterate((self as PyInstance).dict.get('target_shape')!).map((d) => toInt(d, 'target_shape'));
    // operation_utils.compute_reshape_output_shape on the non-batch dims
    const inShape = x.shape.slice(1);
    const size = inShape.reduce((p, q) => p * q, 1);
    const known = target.filter((d) => d !== -1).reduce((p, q) => p * q, 1);
    const where = `Received: input_shape=${tupleRepr(inShape)}, target_shape=${tupleRepr(target)}`;
    if (!target.includes(-1) && known !== size) throw pyError('ValueError', `The total size of the tensor must be unchanged. ${where}`);
    if (target.includes(-1) && (known === 0 || size % known !== 0)) {
      throw pyError('ValueError', `The total size of the tensor must be unchanged, however, the input size cannot by divided by the specified dimensions in target_shape. ${where}`);
    }
    return new TfTensor(reshape(x, [x.shape[0], ...target.map((d) => (d === -1 ? size / known : d))]));
  }, ['inputs']));
  def(Reshape);

  // Permute(dims): a permutation of 1..n (the batch axis stays first); InputSpec(ndim=n + 1)
  const Permute = layerClass(Layer, 'Permute', ['dims'], (self, a, ctx) => {
    const dims = ctx.iterate(a.dims!).map((d) => toInt(d, 'dims'));
    if ([...dims].sort((p, q) => p - q).some((d, i) => d !== i + 1)) {
      throw pyError('ValueError', `Invalid permutation argument \`dims\` for Permute Layer. The set of indices in \`dims\` must be consecutive and start from 1. Received dims=${ctx.repr(a.dims!)}`);
    }
    self.dict.set('dims', new PyTuple(dims.map(BigInt)));
  });
  Permute.dict.set('call', nativeCall(([self, inputs, ...rest], kw, ctx) => {
    bind('Permute.call', rest, kw, []);
    const inst = self as PyInstance;
    const x = toTf(inputs, ctx);
    const dims = ctx.iterate(inst.dict.get('dims')!).map((d) => toInt(d, 'dims'));
    if (x.ndim !== dims.length + 1) {
      throw inputSpecError(`Input 0 with name 'None' of layer '${inst.dict.get('name')}' is incompatible with the layer: expected ndim=${dims.length + 1}, found ndim=${x.ndim}. Full shape received: ${shapeRepr(x.shape)}`);
    }
    return new TfTensor(permute(x, [0, ...dims]));
  }, ['inputs']));
  def(Permute);
}
