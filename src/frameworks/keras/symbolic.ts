// Keras 3 symbolic tensors (keras/src/backend/common/keras_tensor.py) and the
// graph a functional model replays (keras/src/ops/node.py, models/functional.py).
//
// A KerasTensor knows only its shape (None for unknown dimensions), dtype and
// name. Keras's TensorFlow backend traces `call` under a placeholder graph to
// learn its output shapes; Mask Lens instead runs the call on two concrete
// probes in which every None dimension is a different size, and a dimension
// that comes out different in the two runs is None (the same trick Keras's JAX
// backend uses in compute_output_spec). The probes are zeros (True for bool),
// and their masks all True: no value of theirs is ever shown.

import { DType } from '../../engine/dtype';
import { Tensor } from '../../engine/tensor';
import { NumpyRandomState } from '../../engine/random/numpy_random';
import { pyError } from '../../python/exceptions';
import { CallContext, Kwargs, PyBuiltin, PyDict, PyInstance, PyList, PyObj, PyTuple, PyValue } from '../../python/values';
import { ArrayValue } from '../common';
import { TfTensor } from '../tensorflow';

/** The sizes a None dimension takes in the two probe runs (even, so halving a time axis works). */
const PROBE_SIZES = [4, 6] as const;

/** Keras's message when a TensorFlow function is given a KerasTensor (keras_tensor.py __tf_tensor__). */
export const KERAS_TENSOR_IN_TF = 'A KerasTensor cannot be used as input to a TensorFlow function. A KerasTensor is a symbolic placeholder for a shape and dtype, used when constructing Keras Functional models or Keras Functions. You can only use it as input to a Keras layer or a Keras operation (from the namespaces `keras.layers` and `keras.ops`). You are likely doing something like:\n\n```\nx = Input(...)\n...\ntf_fn(x)  # Invalid.\n```\n\nWhat you should do instead is wrap `tf_fn` in a layer:\n\n```\nclass MyLayer(Layer):\n    def call(self, x):\n        return tf_fn(x)\n\nx = MyLayer()(x)\n```\n';

/** One symbolic call: the function (a layer, a keras.ops function) and the arguments it was given. */
export interface KerasNode {
  fn: PyValue;
  args: PyValue[];
  kwargs: Kwargs;
  outputs: KerasTensor[];
}

export type ShapeDims = (number | null)[];

/** Python's repr of a shape tuple: (None, None, 16), (3,). */
export function shapeRepr(shape: readonly (number | null)[]): string {
  const items = shape.map((d) => (d === null ? 'None' : String(d)));
  return items.length === 1 ? `(${items[0]},)` : `(${items.join(', ')})`;
}

/** Per-evaluation Keras state: the name counters (backend.get_uid) and the weights' generator. */
export class KerasSession {
  private readonly uids = new Map<string, number>();
  /**
   * Keras draws initial weights from its own seeded TensorFlow generator, which
   * Mask Lens does not reproduce; a private NumPy generator stands in so that
   * creating a layer never moves `np.random`'s stream, as in Keras.
   */
  readonly weightRng = new NumpyRandomState(1337);

  /** The open name scopes (backend.name_scope), each as its full path: "sequential", "sequential/dense". */
  private readonly scopes: string[] = [];

  /** name_scope.current_path(): the innermost open scope's path, "" when none is open. */
  currentPath(): string {
    return this.scopes[this.scopes.length - 1] ?? '';
  }

  /**
   * A layer's scope path: its `_parent_path` (the path open when its scope was first
   * opened, recorded now when `open`) joined with its name. A variable the layer
   * creates is named `<path>/<variable>` (keras/src/backend/common/name_scope.py).
   */
  layerPath(layer: PyInstance, open = false): string {
    let parent = layer.native.parentPath as string | undefined;
    if (parent === undefined) {
      parent = this.currentPath();
      if (open) layer.native.parentPath = parent;
    }
    const name = String(layer.dict.get('name') ?? '');
    return parent ? `${parent}/${name}` : name;
  }

  /** Layer._open_name_scope around `f` (a scope the same layer already has open is not reopened). */
  inScope<T>(layer: PyInstance, f: () => T): T {
    const path = this.layerPath(layer, true);
    const push = this.currentPath() !== path;
    if (push) this.scopes.push(path);
    try {
      return f();
    } finally {
      if (push) this.scopes.pop();
    }
  }

  /** naming.uniquify: the first `base`, then base_1, base_2, ... */
  uniquify(base: string): string {
    const n = this.uids.get(base) ?? 0;
    this.uids.set(base, n + 1);
    return n === 0 ? base : `${base}_${n}`;
  }

  tensor(shape: ShapeDims, dtype: DType, name?: string): KerasTensor {
    return new KerasTensor(shape, dtype, name ?? this.uniquify('keras_tensor'), this);
  }

  /**
   * `fn(*args, **kwargs)` where some arguments are KerasTensors: the outputs as
   * KerasTensors of the shapes and dtypes the call gives (see the file header),
   * in the structure the call returns. Masks the call attaches come along
   * (a mask passed through unchanged stays the same KerasTensor), except for a
   * layer's call (`record` false): the TensorFlow backend's compute_output_spec
   * makes fresh KerasTensors without them, and Layer.__call__ then asks
   * compute_mask. With `record`, the outputs remember the call, for a
   * functional model to replay.
   */
  symbolicCall(ctx: CallContext, fn: PyValue, args: PyValue[], kwargs: Kwargs, record = true): PyValue {
    const runs: PyValue[] = [];
    const inverse = new Map<PyValue, KerasTensor>();
    for (const size of PROBE_SIZES) {
      const probes = new Map<KerasTensor, TfTensor>();
      const probe = (kt: KerasTensor): TfTensor => {
        let c = probes.get(kt);
        if (!c) {
          const t = Tensor.empty(kt.dtype, kt.shape.map((d) => d ?? size));
          if (kt.dtype === 'bool') t.storage.data.fill(1);
          c = new TfTensor(t);
          probes.set(kt, c);
          if (kt.kerasMask) c.kerasMask = probe(kt.kerasMask);
        }
        return c;
      };
      const run = () => ctx.call(fn, args.map((a) => substitute(a, probe)), substituteKwargs(kwargs, probe));
      // the probes are Mask Lens's way to learn shapes: they stay out of the per-call timeline,
      // and Keras traces call() once, so only the first probe's prints are kept
      runs.push(ctx.unobserved ? ctx.unobserved(run, size !== PROBE_SIZES[0]) : run());
      if (size === PROBE_SIZES[0]) for (const [kt, c] of probes) inverse.set(c, kt);
    }
    const leaves: [KerasTensor, TfTensor, TfTensor][] = [];
    const build = (a: PyValue, b: PyValue): PyValue => {
      if (a instanceof ArrayValue && b instanceof ArrayValue) {
        const kt = this.tensor(mergeShapes(a.t.shape, b.t.shape), a.t.dtype);
        leaves.push([kt, a as TfTensor, b as TfTensor]);
        return kt;
      }
      if ((a instanceof PyList || a instanceof PyTuple) && b instanceof a.constructor && (b as PyList).items.length === a.items.length) {
        const items = a.items.map((x, i) => build(x, (b as PyList).items[i]));
        return a instanceof PyList ? new PyList(items) : new PyTuple(items);
      }
      if (a instanceof PyDict && b instanceof PyDict) {
        const d = new PyDict();
        for (const [k, [key, val]] of a.entries) d.entries.set(k, [key, build(val, b.entries.get(k)?.[1] ?? null)]);
        return d;
      }
      return a;
    };
    const out = build(runs[0], runs[1]);
    for (const [kt, a, b] of record ? leaves : []) {
      const ma = a instanceof TfTensor ? a.kerasMask : null, mb = b instanceof TfTensor ? b.kerasMask : null;
      if (ma && mb) kt.kerasMask = inverse.get(ma) ?? this.tensor(mergeShapes(ma.t.shape, mb.t.shape), ma.t.dtype);
    }
    if (record) recordNode({ fn, args, kwargs, outputs: leaves.map(([kt]) => kt) });
    return out;
  }
}

/** Links each output to the call that made it (Node.__init__ sets _keras_history). */
export function recordNode(node: KerasNode): void {
  node.outputs.forEach((kt, i) => {
    kt.history = node;
    kt.historyIndex = i;
  });
}

function mergeShapes(a: readonly number[], b: readonly number[]): ShapeDims {
  if (a.length !== b.length) throw pyError('NotImplementedError', 'a layer whose output rank depends on its input sizes is not supported by Mask Lens yet');
  return a.map((d, i) => (d === b[i] ? d : null));
}

/** `v` with every KerasTensor inside lists, tuples and dicts replaced by `f(kt)`. */
export function substitute(v: PyValue, f: (kt: KerasTensor) => PyValue): PyValue {
  if (v instanceof KerasTensor) return f(v);
  if (v instanceof PyList) return new PyList(v.items.map((x) => substitute(x, f)));
  if (v instanceof PyTuple && v.constructor === PyTuple) return new PyTuple(v.items.map((x) => substitute(x, f)));
  if (v instanceof PyDict) {
    const d = new PyDict();
    for (const [k, [key, val]] of v.entries) d.entries.set(k, [key, substitute(val, f)]);
    return d;
  }
  return v;
}

export function substituteKwargs(kw: Kwargs, f: (kt: KerasTensor) => PyValue): Kwargs {
  return new Map([...kw].map(([k, v]) => [k, substitute(v, f)]));
}

/** Whether any argument holds a KerasTensor (any_symbolic_tensors). */
export function anySymbolic(args: readonly PyValue[], kw?: Kwargs): boolean {
  const has = (v: PyValue): boolean => v instanceof KerasTensor
    || ((v instanceof PyList || v instanceof PyTuple) && v.items.some(has))
    || (v instanceof PyDict && [...v.entries.values()].some(([, x]) => has(x)));
  return args.some(has) || (kw !== undefined && [...kw.values()].some(has));
}

/** The tensors of a call's result in the order symbolicCall numbered its outputs. */
export function flattenTensors(v: PyValue): PyValue[] {
  if (v instanceof ArrayValue || v instanceof KerasTensor) return [v];
  if (v instanceof PyList || v instanceof PyTuple) return v.items.flatMap(flattenTensors);
  if (v instanceof PyDict) return [...v.entries.values()].flatMap(([, x]) => flattenTensors(x));
  return [];
}

/**
 * Functional._run_through_graph: the value of each of `outputs` when `inputs`
 * take `given`, calling every recorded node once, in dependency order.
 */
export function runGraph(ctx: CallContext, inputs: KerasTensor[], given: PyValue[], outputs: PyValue): PyValue {
  const memo = new Map<KerasTensor, PyValue>();
  inputs.forEach((kt, i) => memo.set(kt, given[i]));
  const valueOf = (kt: KerasTensor): PyValue => {
    if (memo.has(kt)) return memo.get(kt)!;
    const node = kt.history;
    if (!node) {
      throw pyError('ValueError', `Graph disconnected: cannot find parent for tensor ${kt.repr()}. The following previous inputs were successfully accessed: ${inputs.map((i) => i.name).join(', ')}`);
    }
    const res = ctx.call(node.fn, node.args.map((a) => substitute(a, valueOf)), substituteKwargs(node.kwargs, valueOf));
    const flat = flattenTensors(res);
    node.outputs.forEach((o, i) => memo.set(o, flat[i] ?? null));
    return memo.get(kt)!;
  };
  return substitute(outputs, valueOf);
}

/** keras.KerasTensor: a symbolic placeholder with a shape, a dtype, a name and maybe a mask. */
export class KerasTensor extends PyObj {
  kerasMask: KerasTensor | null = null;
  history: KerasNode | null = null;
  historyIndex = 0;
  /** For keras.Input's tensor: its InputLayer. */
  inputLayer: PyInstance | null = null;
  constructor(
    readonly shape: ShapeDims,
    readonly dtype: DType,
    readonly name: string,
    readonly session: KerasSession,
  ) {
    super();
  }
  get typeName() {
    return 'KerasTensor';
  }
  override repr() {
    return `<KerasTensor shape=${shapeRepr(this.shape)}, dtype=${this.dtype}, sparse=False, ragged=False, name=${this.name}>`;
  }
  override getAttr(name: string): PyValue | undefined {
    switch (name) {
      case 'shape': return new PyTuple(this.shape.map((d) => (d === null ? null : BigInt(d))));
      case 'dtype': return this.dtype;
      case 'ndim': return BigInt(this.shape.length);
      case 'name': return this.name;
      case 'sparse': case 'ragged': return false;
      case '_keras_mask': return this.kerasMask ?? undefined;
    }
    return undefined;
  }
  override setAttr(name: string, value: PyValue): boolean {
    if (name !== '_keras_mask') return false;
    if (value !== null && !(value instanceof KerasTensor)) throw pyError('TypeError', 'the mask of a KerasTensor must be a KerasTensor or None');
    this.kerasMask = value;
    return true;
  }
  private op(ctx: CallContext, name: string, f: (a: PyValue[], c: CallContext) => PyValue, args: PyValue[]): PyValue {
    return this.session.symbolicCall(ctx, new PyBuiltin(name, (a, _kw, c) => f(a, c)), args, new Map());
  }
  override binaryOp(op: string, other: PyValue, reflected: boolean, ctx: CallContext): PyValue | undefined {
    return this.op(ctx, op, ([a, b], c) => c.binary(op, a, b), reflected ? [other, this] : [this, other]);
  }
  override compare(op: string, other: PyValue, reflected: boolean, ctx: CallContext): PyValue | undefined {
    return this.op(ctx, op, ([a, b], c) => c.compare(op, a, b), reflected ? [other, this] : [this, other]);
  }
  override unaryOp(op: string, ctx: CallContext): PyValue | undefined {
    const fn = new PyBuiltin(op, ([a]) => {
      const r = a instanceof PyObj ? a.unaryOp(op, ctx) : undefined;
      if (r === undefined) throw pyError('TypeError', `bad operand type for unary ${op}: '${a instanceof PyObj ? a.typeName : typeof a}'`);
      return r;
    });
    return this.session.symbolicCall(ctx, fn, [this], new Map());
  }
  override getItem(key: PyValue, ctx: CallContext): PyValue {
    return this.op(ctx, '__getitem__', ([a, k], c) => c.getItem(a, k), [this, key]);
  }
  override length(): number | undefined {
    throw pyError('TypeError', "object of type 'KerasTensor' has no len()");
  }
}
