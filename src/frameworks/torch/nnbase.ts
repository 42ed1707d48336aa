// Shared pieces of the torch.nn layers: the native-layer class builder,
// parameters drawn from torch's generator, and the Module tree walks
// (parameters, buffers, children) in PyTorch's order.

import { getSlot, slot } from '../../engine/context';
import { runtimeError } from '../../engine/errors';
import { Tensor } from '../../engine/tensor';
import { binary } from '../../engine/ops/core';
import { emptyLikeOrder, placeDraws } from '../../engine/random/fill_order';
import { noteRandom } from '../../engine/diagnostics';
import { pyError } from '../../python/exceptions';
import { CallContext, Kwargs, NativeFn, PyBuiltin, PyClass, PyException, PyInstance, PyValue } from '../../python/values';
import { ArrayValue } from '../common';
import { torchRng } from './random';
import { TorchTensor } from './tensor';

export const fn = (name: string, f: NativeFn) => new PyBuiltin(name, f, name);

export function parameter(t: Tensor): TorchTensor {
  const p = new TorchTensor(t);
  p.requiresGrad = true;
  p.isParameter = true;
  return p;
}

export function uniformTensor(shape: number[], bound: number): Tensor {
  const t = Tensor.empty('float32', shape);
  t.storage.data.set(torchRng().uniform(t.numel, -bound, bound, 'float32'));
  return t;
}

export function normalTensor(shape: number[], std = 1): Tensor {
  const t = Tensor.empty('float32', shape);
  t.storage.data.set(torchRng().normal(t.numel, 0, std, 'float32'));
  return t;
}

/**
 * at::dropout(x, p, train=True) on the CPU (ATen's _dropout_impl), 0 < p <= 1:
 * noise = empty_like(x).bernoulli_(1 - p), drawn in x's memory order; noise.div_(1 - p);
 * x * noise. Same shape and dtype as x; advances torch's generator by x.numel draws.
 */
export function dropoutTensor(x: Tensor, p: number): Tensor {
  if (p === 1) return binary('mul', x, 0);
  const keep = placeDraws(torchRng().bernoulliScalar(x.numel, 1 - p), emptyLikeOrder(x));
  const mask = noteRandom(Tensor.empty(x.dtype, x.shape));
  mask.storage.data.set(keep);
  // the scale is folded into the noise first: one rounding there, one in the product
  return binary('mul', x, binary('div', mask, 1 - p));
}

export function getTensor(self: PyValue, name: string): Tensor {
  const v = (self as PyInstance).dict.get(name);
  if (!(v instanceof ArrayValue)) throw runtimeError(`${name} is not a tensor`);
  return v.t;
}

export function getTensorOrNull(self: PyInstance, name: string): Tensor | null {
  const v = self.dict.get(name);
  return v instanceof ArrayValue ? v.t : null;
}

/** A native nn layer: __init__ binds arguments into attributes; forward computes. */
export function layer(
  name: string,
  base: PyClass,
  init: (self: PyInstance, args: PyValue[], kw: Kwargs, ctx: CallContext) => void,
  forward: (self: PyInstance, args: PyValue[], kw: Kwargs, ctx: CallContext) => PyValue,
  reprArgs?: (self: PyInstance, ctx: CallContext) => string,
): PyClass {
  const cls = new PyClass(name, [base], `torch.nn.modules.${name}`);
  cls.dict.set('__init__', fn('__init__', ([self, ...args], kw, ctx) => {
    const inst = self as PyInstance;
    inst.dict.set('training', true);
    init(inst, args, kw, ctx);
    return null;
  }));
  cls.dict.set('forward', fn('forward', ([self, ...args], kw, ctx) => {
    try {
      return forward(self as PyInstance, args, kw, ctx);
    } catch (e) {
      // CPython names a method by its __qualname__ in argument errors: `Linear.forward() missing 1 required ...`
      if (e instanceof PyException && e.pyType === 'TypeError' && e.pyMessage.startsWith('forward() ')) {
        throw pyError('TypeError', `${name}.${e.pyMessage}`, e.span);
      }
      throw e;
    }
  }));
  if (reprArgs) cls.dict.set('extra_repr', fn('extra_repr', ([self], _kw, ctx) => reprArgs(self as PyInstance, ctx)));
  return cls;
}

/**
 * Module.__repr__: `Name(extra_repr)` or the children indented one per line;
 * `grouped` (ModuleList in PyTorch 2.x) folds runs of identical children
 * into `(0-1): 2 x Block(...)`.
 */
export function moduleRepr(self: PyInstance, ctx: CallContext, grouped = false): string {
  const extra = self.cls.lookup('extra_repr');
  const inner = extra !== undefined ? ctx.str(ctx.call(extra, [self])) : '';
  const children = [...self.dict].filter(([k, v]) => v instanceof PyInstance && isModule(v) && k !== '__class__');
  if (!children.length) return `${self.cls.name}(${inner})`;
  const reprs = children.map(([k, v]) => [k, ctx.repr(v)] as const);
  const lines: string[] = [];
  for (let i = 0; i < reprs.length;) {
    let j = i;
    while (grouped && j + 1 < reprs.length && reprs[j + 1][1] === reprs[i][1]) j++;
    const key = j > i ? `${reprs[i][0]}-${reprs[j][0]}` : reprs[i][0];
    const body = j > i ? `${j - i + 1} x ${reprs[i][1]}` : reprs[i][1];
    lines.push(`  (${key}): ${body.split('\n').join('\n  ')}`);
    i = j + 1;
  }
  const head = inner ? `${self.cls.name}(\n  ${inner}` : `${self.cls.name}(`;
  return inner ? `${head}\n${lines.join('\n')}\n)` : `${head}\n${lines.join('\n')}\n)`;
}

/** Anything with nn.Module in its classes (forward may come from a subclass or not exist, as for ModuleList). */
function isModule(v: PyInstance): boolean {
  return v.cls.mro().some((c) => c.qualname === 'torch.nn.Module');
}

/** A module's own parameters (in assignment order) and the modules it holds, as torch keeps _parameters and _modules apart. */
function parts(self: PyInstance, Module: PyClass) {
  const params: [string, TorchTensor][] = [], buffers: [string, TorchTensor][] = [], children: [string, PyInstance][] = [];
  const registered = (self.native.buffers as Set<string> | undefined) ?? new Set<string>();
  for (const [k, v] of self.dict) {
    if (v instanceof TorchTensor && v.isParameter) params.push([k, v]);
    else if (v instanceof TorchTensor && registered.has(k)) buffers.push([k, v]);
    else if (v instanceof PyInstance && v.cls.isSubclassOf(Module)) children.push([k, v]);
  }
  return { params, buffers, children };
}

/**
 * named_modules(): the module, then its children depth-first, each module
 * once (torch's memo by identity).
 */
export function namedModules(self: PyInstance, Module: PyClass, prefix = '', seen = new Set<PyInstance>()): [string, PyInstance][] {
  if (seen.has(self)) return [];
  seen.add(self);
  const out: [string, PyInstance][] = [[prefix, self]];
  for (const [k, c] of parts(self, Module).children) out.push(...namedModules(c, Module, prefix ? `${prefix}.${k}` : k, seen));
  return out;
}

/** named_parameters(): each module's own parameters, module by module, shared ones only the first time. */
export function collectParameters(self: PyInstance, Module: PyClass): [string, TorchTensor][] {
  const out: [string, TorchTensor][] = [];
  const seen = new Set<TorchTensor>();
  for (const [name, m] of namedModules(self, Module)) {
    for (const [k, p] of parts(m, Module).params) {
      if (seen.has(p)) continue;
      seen.add(p);
      out.push([name ? `${name}.${k}` : k, p]);
    }
  }
  return out;
}

/** named_buffers(), with `persistent` limiting it to what state_dict() saves. */
export function collectBuffers(self: PyInstance, Module: PyClass, persistentOnly = false): [string, TorchTensor][] {
  const out: [string, TorchTensor][] = [];
  for (const [name, m] of namedModules(self, Module)) {
    const transient = (m.native.transientBuffers as Set<string> | undefined) ?? new Set<string>();
    for (const [k, b] of parts(m, Module).buffers) {
      if (persistentOnly && transient.has(k)) continue;
      out.push([name ? `${name}.${k}` : k, b]);
    }
  }
  return out;
}

/** state_dict() order: per module, its parameters then its persistent buffers (duplicates kept, as torch keeps them). */
export function stateEntries(self: PyInstance, Module: PyClass, prefix = ''): [string, TorchTensor][] {
  const out: [string, TorchTensor][] = [];
  const { params, buffers, children } = parts(self, Module);
  const transient = (self.native.transientBuffers as Set<string> | undefined) ?? new Set<string>();
  for (const [k, p] of params) out.push([prefix + k, p]);
  for (const [k, b] of buffers) if (!transient.has(k)) out.push([prefix + k, b]);
  for (const [k, c] of children) out.push(...stateEntries(c, Module, `${prefix}${k}.`));
  return out;
}

// F._canonical_mask: TransformerEncoder.forward and TransformerEncoderLayer.forward turn both masks
// into floats of the input's dtype before the layers and self-attention read them, so a bool / float
// mismatch warns once, at the outermost of them, and never again below (torch/nn/modules/transformer.py)
const CANONICAL_MASKS = slot<{ depth: number }>('torch.canonical-masks', () => ({ depth: 0 }));

/** Run `f` as code that receives canonical (float) masks: the mismatch warnings below it stay quiet. */
export function withCanonicalMasks<T>(f: () => T): T {
  const s = getSlot(CANONICAL_MASKS);
  s.depth++;
  try {
    return f();
  } finally {
    s.depth--;
  }
}

/** Whether an enclosing TransformerEncoder / TransformerEncoderLayer already made the masks canonical. */
export function masksCanonical(): boolean {
  return getSlot(CANONICAL_MASKS).depth > 0;
}
