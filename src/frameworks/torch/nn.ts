// torch.nn: Module and the layers masking code uses, torch.nn.functional,
// and torch.nn.utils.rnn.pad_sequence. Parameter initialisation draws from
// the shared generator in the same order as PyTorch, so seeded snippets match.

import { DType, caster, isFloating } from '../../engine/dtype';
import { erf } from '../../engine/ops/special';
import { runtimeError, valueError } from '../../engine/errors';
import {
  Reduction, binaryCrossEntropy, binaryCrossEntropyWithLogits, checkReduction, crossEntropy, embedding, klDiv, l1Loss, maskedFill,
  mseLoss, nllLoss, softmax, tril,
} from '../../engine/ops/compose';
import { Scalar, assignInto, binary, cast, contiguous, cppTypeName, fillScalarValue, getDefaultDtype, scalarTypeName, unary, where } from '../../engine/ops/core';
import { matmul, mean, reduce } from '../../engine/ops/reduce';
import { flashAttention, hostMaskedSoftmax } from '../../engine/ops/attention';
import { cat, expand, permute, reshape, slice, stack, transpose, unsqueeze } from '../../engine/ops/shape';
import { Tensor } from '../../engine/tensor';
import { indexSelect } from '../../engine/ops/indexing';
import { bind, kwargsDict, toBool, toFloat, toInt, toIntList } from '../../python/args';
import { pyError } from '../../python/exceptions';
import {
  CallContext, Kwargs, NativeFn, PyBuiltin, PyClass, PyDict, PyInstance, PyIterator, PyList, PyModule, PyNamedTuple, PyTuple, PyValue, typeNameOf,
} from '../../python/values';
import { ArrayValue, operand } from '../common';
import { torchRng } from './random';
import { addLayers } from './layers';
import { addTransformers } from './transformer';
import { addRecurrent } from './rnn';
import { makeFlexAttention } from './flex';
import { fusableSoftmax } from './fused';
import { collectBuffers, collectParameters, dropoutTensor, fn, getTensor, getTensorOrNull, layer, masksCanonical, moduleRepr, namedModules, normalTensor, parameter, stateEntries, uniformTensor } from './nnbase';
import { TorchTensor, filled, gradEnabled, softmaxCall, tensorArg, toDtype, track } from './tensor';
import { noteDerivation, recordingDerivations } from '../../engine/provenance';
import { checkCausalWithMask, checkClassTargets, checkKeyPaddingMask, checkMaskedFill, checkMultiheadAttnMask, noteMaskConsumer } from '../../masks/checks';

function reductionOf(self: PyInstance): Reduction {
  return checkReduction(String(self.dict.get('reduction') ?? 'mean'));
}

function lossInit(extra: string[]) {
  return (self: PyInstance, args: PyValue[], kw: Kwargs) => {
    const a = bind('__init__', args, kw, [...extra, 'size_average?', 'reduce?', 'reduction?']);
    for (const k of extra) {
      const key = k.replace('?', '');
      self.dict.set(key, a[key] ?? DEFAULTS[key] ?? null);
    }
    self.dict.set('reduction', a.reduction ?? 'mean');
  };
}

const DEFAULTS: Record<string, PyValue> = { ignore_index: -100n, label_smoothing: 0 };

export function makeNn(): { nn: PyModule; functional: PyModule } {
  const nn = new PyModule('torch.nn');
  const F = new PyModule('torch.nn.functional');

  const Module = new PyClass('Module', [], 'torch.nn.Module');
  Module.dict.set('__init__', fn('__init__', ([self]) => {
    (self as PyInstance).dict.set('training', true);
    return null;
  }));
  Module.dict.set('__call__', fn('__call__', ([self, ...args], kw, ctx) => {
    const forward = ctx.getAttr(self, 'forward');
    const hooks = (self as PyInstance).native.hooks as ModuleHooks | undefined;
    if (!hooks || (!hooks.pre.length && !hooks.post.length)) return ctx.call(forward, args, kw);
    return callWithHooks(self as PyInstance, forward, args, kw, hooks, ctx);
  }));
  Module.dict.set('__repr__', fn('__repr__', ([self], _kw, ctx) => moduleRepr(self as PyInstance, ctx)));
  const setTraining = (on: boolean) => fn(on ? 'train' : 'eval', ([self, mode], _kw, ctx) => {
    const flag = mode === undefined ? on : ctx.truthy(mode);
    const visit = (m: PyValue) => {
      if (!(m instanceof PyInstance)) return;
      m.dict.set('training', flag);
      for (const v of m.dict.values()) if (v instanceof PyInstance && v.cls.isSubclassOf(Module)) visit(v);
    };
    visit(self);
    return self;
  });
  Module.dict.set('train', setTraining(true));
  Module.dict.set('eval', setTraining(false));
  const M = (name: string, f: NativeFn) => Module.dict.set(name, fn(name, f));
  const self_ = (v: PyValue | undefined) => v as PyInstance;
  // parameters(), modules(), ... are generators in PyTorch: `next(self.parameters()).device`
  // (NaViT, timm) needs an iterator, and a second pass needs a second call
  const gen = (name: string, items: PyValue[]) => new ModuleGenerator(`Module.${name}`, items);
  const pairs = (name: string, xs: [string, PyValue][]) => gen(name, xs.map(([n, p]) => new PyTuple([n, p])));
  M('parameters', ([self]) => gen('parameters', collectParameters(self_(self), Module).map(([, p]) => p)));
  M('named_parameters', ([self]) => pairs('named_parameters', collectParameters(self_(self), Module)));
  M('buffers', ([self]) => gen('buffers', collectBuffers(self_(self), Module).map(([, b]) => b)));
  M('named_buffers', ([self]) => pairs('named_buffers', collectBuffers(self_(self), Module)));
  M('modules', ([self]) => gen('modules', namedModules(self_(self), Module).map(([, m]) => m)));
  M('named_modules', ([self]) => pairs('named_modules', namedModules(self_(self), Module)));
  const children = (self: PyInstance) => [...self.dict].filter((e): e is [string, PyInstance] => e[1] instanceof PyInstance && e[1].cls.isSubclassOf(Module));
  M('children', ([self]) => gen('children', children(self_(self)).map(([, m]) => m)));
  M('named_children', ([self]) => pairs('named_children', children(self_(self))));
  // apply(fn): children first, then the module itself (torch.nn.Module.apply)
  M('apply', ([self, f], _kw, ctx) => {
    const visit = (m: PyInstance) => {
      for (const [, c] of children(m)) visit(c);
      ctx.call(f!, [m]);
    };
    visit(self_(self));
    return self!;
  });
  for (const name of ['to', 'cpu', 'cuda', 'float', 'requires_grad_', 'share_memory']) M(name, ([self]) => self!);
  M('zero_grad', () => null);
  // Forward hooks fire on every call (whisper's kv-cache, attention capture);
  // the others never would here (no checkpoint loading, no backward): their
  // handle removes nothing.
  const Handle = removableHandleClass();
  for (const [name, kind] of [['register_forward_pre_hook', 'pre'], ['register_forward_hook', 'post']] as const) {
    M(name, (args, kw, ctx) => {
      const a = bind(name, args.slice(1), kw, ['hook', '*', 'prepend?', 'with_kwargs?', 'always_call?']);
      const extra = (a.__rest as unknown as PyValue[]).length;
      if (extra) throw pyError('TypeError', `Module.${name}() takes 2 positional arguments but ${2 + extra} were given`);
      const hooks = ((self_(args[0]).native.hooks ??= { pre: [], post: [] }) as ModuleHooks)[kind];
      const hook: ModuleHook = { id: nextHookId++, fn: a.hook!, withKwargs: toBool(a.with_kwargs, ctx, false) };
      if (toBool(a.prepend, ctx, false)) hooks.unshift(hook);
      else hooks.push(hook);
      return removableHandle(Handle, hook.id, () => {
        const i = hooks.indexOf(hook);
        if (i >= 0) hooks.splice(i, 1);
      });
    });
  }
  for (const name of ['_register_load_state_dict_pre_hook', '_register_state_dict_hook', 'register_load_state_dict_post_hook',
    'register_full_backward_hook', 'register_full_backward_pre_hook', 'register_backward_hook']) M(name, () => removableHandle(Handle, nextHookId++, () => {}));
  M('add_module', ([self, name, m]) => (self_(self).dict.set(String(name), m ?? null), null));
  M('register_module', ([self, name, m]) => (self_(self).dict.set(String(name), m ?? null), null));
  M('register_parameter', ([self, name, p]) => (self_(self).dict.set(String(name), p ?? null), null));
  M('register_buffer', (args, kw, ctx) => {
    const a = bind('register_buffer', args.slice(1), kw, ['name', 'tensor', 'persistent?']);
    const inst = self_(args[0]);
    const name = String(a.name);
    ((inst.native.buffers ??= new Set<string>()) as Set<string>).add(name);
    const transient = (inst.native.transientBuffers ??= new Set<string>()) as Set<string>;
    if (toBool(a.persistent, ctx, true)) transient.delete(name);
    else transient.add(name);
    inst.dict.set(name, a.tensor ?? null);
    return null;
  });
  M('state_dict', ([self]) => {
    const d = new PyDict();
    for (const [n, p] of stateEntries(self_(self), Module)) d.entries.set('s' + n, [n, new TorchTensor(p.t)]);
    return d;
  });
  M('load_state_dict', (args, kw, ctx) => loadStateDict(self_(args[0]), Module, bind('load_state_dict', args.slice(1), kw, ['state_dict', 'strict?', 'assign?']), ctx));
  nn.dict.set('Module', Module);

  const Parameter = new PyClass('Parameter', [], 'torch.nn.Parameter');
  Parameter.dict.set('__new__', fn('__new__', ([, data, requiresGrad], _kw, ctx) => {
    const p = parameter(tensorArg(data, 'Parameter', 'data'));
    if (requiresGrad !== undefined) p.requiresGrad = ctx.truthy(requiresGrad);
    return p;
  }));
  nn.dict.set('Parameter', Parameter);

  const add = (c: PyClass) => nn.dict.set(c.name, c);

  add(layer('Embedding', Module, (self, args, kw) => {
    const a = bind('Embedding', args, kw, ['num_embeddings', 'embedding_dim', 'padding_idx?', 'max_norm?', 'norm_type?', 'scale_grad_by_freq?', 'sparse?', '_weight?', 'device?', 'dtype?']);
    const n = toInt(a.num_embeddings, 'num_embeddings'), dim = toInt(a.embedding_dim, 'embedding_dim');
    let pad: number | null = a.padding_idx === undefined || a.padding_idx === null ? null : toInt(a.padding_idx, 'padding_idx');
    if (pad !== null) {
      if (pad >= n || pad < -n) throw pyError('AssertionError', pad > 0 ? 'Padding_idx must be within num_embeddings' : 'Padding_idx must be within num_embeddings');
      if (pad < 0) pad += n;
    }
    self.dict.set('num_embeddings', BigInt(n));
    self.dict.set('embedding_dim', BigInt(dim));
    self.dict.set('padding_idx', pad === null ? null : BigInt(pad));
    self.dict.set('max_norm', a.max_norm === undefined ? null : a.max_norm);
    self.dict.set('norm_type', a.norm_type === undefined ? 2.0 : a.norm_type);
    self.dict.set('scale_grad_by_freq', a.scale_grad_by_freq === undefined ? false : a.scale_grad_by_freq);
    self.dict.set('sparse', a.sparse === undefined ? false : a.sparse);
    let w: Tensor;
    if (a._weight instanceof ArrayValue) w = a._weight.t;
    else {
      w = normalTensor([n, dim]);
      if (pad !== null) w.storage.data.fill(0, pad * dim, (pad + 1) * dim);
    }
    self.dict.set('weight', parameter(w));
  }, (self, args, kw) => {
    const a = bind('forward', args, kw, ['input']);
    const idx = tensorArg(a.input, 'embedding');
    const maxNorm = self.dict.get('max_norm') ?? null;
    if (maxNorm !== null) embeddingRenorm(getTensor(self, 'weight'), idx, toFloat(maxNorm, 'max_norm'), toFloat(self.dict.get('norm_type') ?? 2.0, 'norm_type'));
    return track(new TorchTensor(embedding(getTensor(self, 'weight'), idx)), 'embedding', self.dict.get('weight')!);
  }, (self, ctx) => {
    // Embedding.extra_repr: each option that differs from its default
    const d = self.dict;
    let s = `${d.get('num_embeddings')}, ${d.get('embedding_dim')}`;
    if (d.get('padding_idx') !== null) s += `, padding_idx=${d.get('padding_idx')}`;
    if ((d.get('max_norm') ?? null) !== null) s += `, max_norm=${ctx.repr(d.get('max_norm')!)}`;
    if (d.get('norm_type') !== undefined && toFloat(d.get('norm_type')!, 'norm_type') !== 2) s += `, norm_type=${ctx.repr(d.get('norm_type')!)}`;
    if (d.get('scale_grad_by_freq') === true) s += ', scale_grad_by_freq=True';
    if (d.get('sparse') === true) s += ', sparse=True';
    return s;
  }));

  const linearInit = (self: PyInstance, inF: number, outF: number, bias: boolean) => {
    self.dict.set('in_features', BigInt(inF));
    self.dict.set('out_features', BigInt(outF));
    // kaiming_uniform_(a=sqrt(5)), evaluated in doubles exactly as torch.nn.init does
    const a = Math.sqrt(5);
    const gain = Math.sqrt(2 / (1 + a ** 2));
    const weightBound = inF > 0 ? Math.sqrt(3) * (gain / Math.sqrt(inF)) : 0;
    self.dict.set('weight', parameter(uniformTensor([outF, inF], weightBound)));
    self.dict.set('bias', bias ? parameter(uniformTensor([outF], inF > 0 ? 1 / Math.sqrt(inF) : 0)) : null);
  };
  const Linear = layer('Linear', Module, (self, args, kw, ctx) => {
    const a = bind('Linear', args, kw, ['in_features', 'out_features', 'bias?', 'device?', 'dtype?']);
    linearInit(self, toInt(a.in_features, 'in_features'), toInt(a.out_features, 'out_features'), toBool(a.bias, ctx, true));
  }, (self, args, kw) => {
    const a = bind('forward', args, kw, ['input']);
    return linear(a.input!, self.dict.get('weight')!, self.dict.get('bias') ?? null);
  }, (self) => `in_features=${self.dict.get('in_features')}, out_features=${self.dict.get('out_features')}, bias=${self.dict.get('bias') !== null ? 'True' : 'False'}`);
  add(Linear);

  // LazyLinear(out_features): in_features comes from the first input's last dim.
  // Its parameters are drawn at that first call (construction draws nothing, the
  // zero-element init is a no-op), in Linear's order, and the module then becomes
  // a Linear (LazyModuleMixin's cls_to_become), as torch/nn/modules/lazy.py does.
  // Before that call the weight is a 0-element stand-in for UninitializedParameter.
  add(layer('LazyLinear', Linear, (self, args, kw, ctx) => {
    const a = bind('LazyLinear', args, kw, ['out_features', 'bias?', 'device?', 'dtype?']);
    self.dict.set('in_features', 0n);
    self.dict.set('out_features', BigInt(toInt(a.out_features, 'out_features')));
    self.dict.set('weight', parameter(filled([0], 0, 'float32')));
    self.dict.set('bias', toBool(a.bias, ctx, true) ? parameter(filled([0], 0, 'float32')) : null);
    self.native.lazy = true;
  }, (self, args, kw) => {
    const a = bind('forward', args, kw, ['input']);
    if (self.native.lazy) {
      const input = tensorArg(a.input, 'forward', 'input');
      linearInit(self, input.shape[input.shape.length - 1] ?? 1, toInt(self.dict.get('out_features')!, 'out_features'), self.dict.get('bias') !== null);
      self.native.lazy = false;
      self.cls = Linear;
    }
    return linear(a.input!, self.dict.get('weight')!, self.dict.get('bias') ?? null);
  }, (self) => `in_features=${self.dict.get('in_features')}, out_features=${self.dict.get('out_features')}, bias=${self.dict.get('bias') !== null ? 'True' : 'False'}`));

  add(layer('CrossEntropyLoss', Module, lossInit(['weight?', 'ignore_index?', 'label_smoothing?']), (self, args, kw) => {
    const a = bind('forward', args, kw, ['input', 'target']);
    return crossEntropyCall(a.input!, a.target!, self.dict.get('weight') ?? null, self.dict.get('ignore_index') ?? -100n, reductionOf(self), self.dict.get('label_smoothing') ?? 0);
  }));
  add(layer('NLLLoss', Module, lossInit(['weight?', 'ignore_index?']), (self, args, kw) => {
    const a = bind('forward', args, kw, ['input', 'target']);
    return nllCall(a.input!, a.target!, self.dict.get('weight') ?? null, self.dict.get('ignore_index') ?? -100n, reductionOf(self));
  }));
  add(layer('BCEWithLogitsLoss', Module, lossInit(['weight?', 'pos_weight?']), (self, args, kw) => {
    const a = bind('forward', args, kw, ['input', 'target']);
    return track(new TorchTensor(binaryCrossEntropyWithLogits(tensorArg(a.input, 'forward'), tensorArg(a.target, 'forward', 'target'), {
      weight: getTensorOrNull(self, 'weight'), posWeight: getTensorOrNull(self, 'pos_weight'), reduction: reductionOf(self),
    })), 'binary_cross_entropy_with_logits', a.input!);
  }));
  add(layer('BCELoss', Module, lossInit(['weight?']), (self, args, kw) => {
    const a = bind('forward', args, kw, ['input', 'target']);
    return track(new TorchTensor(binaryCrossEntropy(tensorArg(a.input, 'forward'), tensorArg(a.target, 'forward', 'target'), {
      weight: getTensorOrNull(self, 'weight'), reduction: reductionOf(self),
    })), 'binary_cross_entropy', a.input!);
  }));
  add(layer('KLDivLoss', Module, (self, args, kw, ctx) => {
    const a = bind('KLDivLoss', args, kw, ['size_average?', 'reduce?', 'reduction?', 'log_target?']);
    self.dict.set('reduction', a.reduction ?? 'mean');
    self.dict.set('log_target', toBool(a.log_target, ctx, false));
  }, (self, args, kw, ctx) => {
    const a = bind('forward', args, kw, ['input', 'target']);
    return klDivCall(a.input!, a.target!, self.dict.get('reduction') ?? 'mean', self.dict.get('log_target') === true, ctx);
  }));
  add(layer('MSELoss', Module, lossInit([]), (self, args, kw) => {
    const a = bind('forward', args, kw, ['input', 'target']);
    return track(new TorchTensor(mseLoss(tensorArg(a.input, 'forward'), tensorArg(a.target, 'forward', 'target'), reductionOf(self))), 'mse_loss', a.input!);
  }));
  add(layer('L1Loss', Module, lossInit([]), (self, args, kw) => {
    const a = bind('forward', args, kw, ['input', 'target']);
    return track(new TorchTensor(l1Loss(tensorArg(a.input, 'forward'), tensorArg(a.target, 'forward', 'target'), reductionOf(self))), 'l1_loss', a.input!);
  }));
  for (const [name, log] of [['Softmax', false], ['LogSoftmax', true]] as const) {
    add(layer(name, Module, (self, args, kw) => {
      const a = bind(name, args, kw, ['dim?']);
      self.dict.set('dim', a.dim ?? null);
    }, (self, args, kw) => {
      const a = bind('forward', args, kw, ['input']);
      const x = tensorArg(a.input, 'forward');
      return track(new TorchTensor(softmaxCall('F.softmax', x, { dim: self.dict.get('dim') ?? undefined }, log)), log ? 'log_softmax' : 'softmax', a.input!);
    }, (self, ctx) => `dim=${ctx.repr(self.dict.get('dim') ?? null)}`));
  }
  for (const [name, op] of [['ReLU', 'relu'], ['Sigmoid', 'sigmoid'], ['Tanh', 'tanh'], ['Identity', 'identity']] as const) {
    add(layer(name, Module, () => {}, (_self, args) => {
      const x = tensorArg(args[0], 'forward');
      const r = op === 'relu' ? binary('maximum', x, 0n) : op === 'identity' ? x : unary(op, x);
      return track(new TorchTensor(r), op, args[0]);
    }));
  }
  // p is kept as given (Dropout(0) shows p=0, Dropout(0.) p=0.0), as torch's _DropoutNd does
  add(layer('Dropout', Module, (self, args, kw, ctx) => {
    const a = bind('Dropout', args, kw, ['p?', 'inplace?']);
    const p = a.p ?? 0.5;
    const pf = toFloat(p, 'p');
    if (pf < 0 || pf > 1) throw valueError(`dropout probability has to be between 0 and 1, but got ${ctx.repr(p)}`);
    self.dict.set('p', p);
    self.dict.set('inplace', toBool(a.inplace, ctx, false));
  }, (self, args, _kw, ctx) => dropout(args[0], Number(self.dict.get('p')), ctx.truthy(self.dict.get('training') ?? true)),
  (self, ctx) => `p=${ctx.repr(self.dict.get('p') ?? null)}, inplace=${ctx.repr(self.dict.get('inplace') ?? false)}`));
  add(makeMultiheadAttention(Module, Linear, linearInit));

  const Transformer = new PyClass('Transformer', [Module], 'torch.nn.Transformer');
  Transformer.dict.set('generate_square_subsequent_mask', staticFn('generate_square_subsequent_mask', (args, kw) => {
    const a = bind('generate_square_subsequent_mask', args, kw, ['sz', 'device?', 'dtype?']);
    const sz = toInt(a.sz, 'sz');
    const full = filled([sz, sz], -Infinity, toDtype(a.dtype) ?? getDefaultDtype());
    return new TorchTensor(triuOf(full, 1));
  }));
  add(Transformer);

  // ---------- torch.nn.functional ----------
  const def = (name: string, f: NativeFn) => F.dict.set(name, fn(name, f));
  const softmaxSignature = ['input', 'dim?', '_stacklevel?', 'dtype?'];
  def('softmax', (args, kw) => {
    const a = bind('softmax', args, kw, softmaxSignature);
    return track(new TorchTensor(softmaxCall('F.softmax', tensorArg(a.input, 'softmax'), a, false)), 'softmax', a.input!);
  });
  fusableSoftmax(F.dict.get('softmax')!, 'F.softmax', softmaxSignature);
  def('log_softmax', (args, kw) => {
    const a = bind('log_softmax', args, kw, ['input', 'dim?', '_stacklevel?', 'dtype?']);
    return track(new TorchTensor(softmaxCall('F.log_softmax', tensorArg(a.input, 'log_softmax'), a, true)), 'log_softmax', a.input!);
  });
  def('cross_entropy', (args, kw) => {
    const a = bind('cross_entropy', args, kw, ['input', 'target', 'weight?', 'size_average?', 'ignore_index?', 'reduce?', 'reduction?', 'label_smoothing?']);
    return crossEntropyCall(a.input!, a.target!, a.weight ?? null, a.ignore_index ?? -100n, checkReduction(String(a.reduction ?? 'mean')), a.label_smoothing ?? 0);
  });
  def('nll_loss', (args, kw) => {
    const a = bind('nll_loss', args, kw, ['input', 'target', 'weight?', 'size_average?', 'ignore_index?', 'reduce?', 'reduction?']);
    return nllCall(a.input!, a.target!, a.weight ?? null, a.ignore_index ?? -100n, checkReduction(String(a.reduction ?? 'mean')));
  });
  def('binary_cross_entropy_with_logits', (args, kw) => {
    const a = bind('binary_cross_entropy_with_logits', args, kw, ['input', 'target', 'weight?', 'size_average?', 'reduce?', 'reduction?', 'pos_weight?']);
    return track(new TorchTensor(binaryCrossEntropyWithLogits(tensorArg(a.input, 'binary_cross_entropy_with_logits'), tensorArg(a.target, 'binary_cross_entropy_with_logits', 'target'), {
      weight: a.weight instanceof ArrayValue ? a.weight.t : null, posWeight: a.pos_weight instanceof ArrayValue ? a.pos_weight.t : null,
      reduction: checkReduction(String(a.reduction ?? 'mean')),
    })), 'binary_cross_entropy_with_logits', a.input!);
  });
  def('binary_cross_entropy', (args, kw) => {
    const a = bind('binary_cross_entropy', args, kw, ['input', 'target', 'weight?', 'size_average?', 'reduce?', 'reduction?']);
    return track(new TorchTensor(binaryCrossEntropy(tensorArg(a.input, 'binary_cross_entropy'), tensorArg(a.target, 'binary_cross_entropy', 'target'), {
      weight: a.weight instanceof ArrayValue ? a.weight.t : null, reduction: checkReduction(String(a.reduction ?? 'mean')),
    })), 'binary_cross_entropy', a.input!);
  });
  def('kl_div', (args, kw, ctx) => {
    const a = bind('kl_div', args, kw, ['input', 'target', 'size_average?', 'reduce?', 'reduction?', 'log_target?']);
    return klDivCall(a.input!, a.target!, a.reduction ?? 'mean', toBool(a.log_target, ctx, false), ctx);
  });
  def('mse_loss', (args, kw) => {
    const a = bind('mse_loss', args, kw, ['input', 'target', 'size_average?', 'reduce?', 'reduction?']);
    return track(new TorchTensor(mseLoss(tensorArg(a.input, 'mse_loss'), tensorArg(a.target, 'mse_loss', 'target'), checkReduction(String(a.reduction ?? 'mean')))), 'mse_loss', a.input!);
  });
  def('l1_loss', (args, kw) => {
    const a = bind('l1_loss', args, kw, ['input', 'target', 'size_average?', 'reduce?', 'reduction?']);
    return track(new TorchTensor(l1Loss(tensorArg(a.input, 'l1_loss'), tensorArg(a.target, 'l1_loss', 'target'), checkReduction(String(a.reduction ?? 'mean')))), 'l1_loss', a.input!);
  });
  def('relu', ([x]) => track(new TorchTensor(binary('maximum', tensorArg(x, 'relu'), 0n)), 'relu', x));
  def('sigmoid', ([x]) => track(new TorchTensor(unary('sigmoid', tensorArg(x, 'sigmoid'))), 'sigmoid', x));
  def('tanh', ([x]) => track(new TorchTensor(unary('tanh', tensorArg(x, 'tanh'))), 'tanh', x));
  def('dropout', (args, kw, ctx) => {
    const a = bind('dropout', args, kw, ['input', 'p?', 'training?', 'inplace?']);
    return dropout(a.input!, a.p === undefined ? 0.5 : toFloat(a.p, 'p'), toBool(a.training, ctx, true));
  });
  def('embedding', (args, kw) => {
    const a = bind('embedding', args, kw, ['input', 'weight', 'padding_idx?', 'max_norm?', 'norm_type?', 'scale_grad_by_freq?', 'sparse?']);
    if (a.max_norm !== undefined && a.max_norm !== null) {
      embeddingRenorm(tensorArg(a.weight, 'embedding', 'weight'), tensorArg(a.input, 'embedding'), toFloat(a.max_norm, 'max_norm'), a.norm_type === undefined ? 2 : toFloat(a.norm_type, 'norm_type'));
    }
    return track(new TorchTensor(embedding(tensorArg(a.weight, 'embedding', 'weight'), tensorArg(a.input, 'embedding'))), 'embedding', a.weight!);
  });
  def('linear', (args, kw) => {
    const a = bind('linear', args, kw, ['input', 'weight', 'bias?']);
    return linear(a.input!, a.weight!, a.bias ?? null);
  });
  def('one_hot', (args, kw) => {
    const a = bind('one_hot', args, kw, ['tensor', 'num_classes?']);
    const t = tensorArg(a.tensor, 'one_hot', 'tensor');
    if (t.dtype !== 'int64') throw runtimeError('one_hot is only applicable to index tensor.');
    const v = t.values();
    const n = a.num_classes === undefined || a.num_classes === -1n ? Math.max(-1, ...Array.from(v)) + 1 : toInt(a.num_classes, 'num_classes');
    const out = Tensor.empty('int64', [...t.shape, n]);
    for (let i = 0; i < v.length; i++) {
      if (v[i] < 0) throw runtimeError('Class values must be non-negative.');
      if (v[i] >= n) throw runtimeError('Class values must be smaller than num_classes.');
      out.storage.data[i * n + v[i]] = 1;
    }
    return new TorchTensor(out);
  });
  def('pad', (args, kw) => {
    const a = bind('pad', args, kw, ['input', 'pad', 'mode?', 'value?']);
    if (a.mode !== undefined && a.mode !== 'constant') throw pyError('NotImplementedError', `F.pad mode '${String(a.mode)}' is not supported by Mask Lens`);
    return track(new TorchTensor(constantPad(tensorArg(a.input, 'pad'), toIntList(a.pad, 'pad'), a.value === undefined || a.value === null ? 0 : toFloat(a.value, 'value'))), 'constant_pad_nd', a.input!);
  });
  def('interpolate', (args, kw, ctx) => {
    const a = bind('interpolate', args, kw, ['input', 'size?', 'scale_factor?', 'mode?', 'align_corners?', 'recompute_scale_factor?', 'antialias?']);
    return interpolate(a, ctx);
  });
  def('multi_head_attention_forward', (args, kw, ctx) => {
    const a = bind('multi_head_attention_forward', args, kw, [
      'query', 'key', 'value', 'embed_dim_to_check', 'num_heads', 'in_proj_weight', 'in_proj_bias', 'bias_k', 'bias_v', 'add_zero_attn',
      'dropout_p', 'out_proj_weight', 'out_proj_bias', 'training?', 'key_padding_mask?', 'need_weights?', 'attn_mask?',
      'use_separate_proj_weight?', 'q_proj_weight?', 'k_proj_weight?', 'v_proj_weight?', 'static_k?', 'static_v?', 'average_attn_weights?', 'is_causal?',
    ]);
    return mhaFunctional(a, ctx);
  });
  def('scaled_dot_product_attention', (args, kw, ctx) => {
    const a = bind('scaled_dot_product_attention', args, kw, ['query', 'key', 'value', 'attn_mask?', 'dropout_p?', 'is_causal?', 'scale?', 'enable_gqa?']);
    return sdpa(a, ctx);
  });
  def('normalize', (args, kw) => {
    const a = bind('normalize', args, kw, ['input', 'p?', 'dim?', 'eps?']);
    const x = tensorArg(a.input, 'normalize');
    const dim = a.dim === undefined ? 1 : toInt(a.dim, 'dim');
    const norm = unary('sqrt', reduceSum(binary('mul', x, x), dim));
    return new TorchTensor(binary('div', x, binary('maximum', norm, a.eps === undefined ? 1e-12 : toFloat(a.eps, 'eps'))));
  });
  addLayers(nn, F, Module, moduleRepr);
  nn.dict.set('functional', F);

  const utils = new PyModule('torch.nn.utils');
  const rnn = new PyModule('torch.nn.utils.rnn');
  rnn.dict.set('pad_sequence', fn('pad_sequence', (args, kw, ctx) => {
    const a = bind('pad_sequence', args, kw, ['sequences', 'batch_first?', 'padding_value?', 'padding_side?']);
    const seqs = ctx.iterate(a.sequences!).map((s) => tensorArg(s, 'pad_sequence', 'sequences'));
    // padding_value is a Python float in pad_sequence's signature, so -1 into uint8 overflows
    return new TorchTensor(padSequence(seqs, toBool(a.batch_first, ctx), a.padding_value === undefined ? 0 : toFloat(a.padding_value, 'padding_value'), a.padding_side === 'left'));
  }));
  utils.dict.set('rnn', rnn);
  addRecurrent(nn, rnn, Module);
  nn.dict.set('utils', utils);
  nn.dict.set('init', makeInit());
  nn.dict.set('attention', makeAttention());
  addTransformers(nn, Module, Transformer);
  return { nn, functional: F };
}

function staticFn(name: string, f: NativeFn): PyValue {
  const cls = new PyClass('staticmethod', []);
  const inst = new PyInstance(cls);
  inst.native.fn = fn(name, f);
  return inst;
}

function reduceSum(x: Tensor, dim: number): Tensor {
  return reduce('sum', x, dim, true);
}

function triuOf(x: Tensor, diagonal: number): Tensor {
  // triu via tril of the complement keeps -inf above the diagonal and exact 0 elsewhere
  const keepLower = tril(filled([...x.shape], 1, 'bool'), diagonal - 1);
  return where(keepLower, 0, x);
}

function linear(input: PyValue, weight: PyValue, bias: PyValue): PyValue {
  const x = tensorArg(input, 'linear');
  const w = tensorArg(weight, 'linear', 'weight');
  let y = matmul(x, transpose(w, 0, 1));
  if (bias instanceof ArrayValue) y = binary('add', y, bias.t);
  return track(new TorchTensor(y), linearGradOp(x, bias instanceof ArrayValue), input, weight, bias);
}

/**
 * The autograd node F.linear's result ends in, from the path ATen's linear
 * takes (aten/src/ATen/native/Linear.cpp): addmm for a 2-D input with a bias,
 * mm without; a contiguous input of another rank with a bias is flattened to
 * addmm and viewed back; otherwise matmul (a 1-D input squeezed back), then
 * add_ for the bias.
 */
function linearGradOp(x: Tensor, hasBias: boolean): string {
  if (x.ndim === 2) return hasBias ? 'addmm' : 'mm';
  if (hasBias) return x.isContiguous() ? 'view' : 'add';
  return x.ndim === 1 ? 'linear.squeeze' : 'matmul';
}

function crossEntropyCall(input: PyValue, target: PyValue, weight: PyValue, ignoreIndex: PyValue, reduction: Reduction, smoothing: PyValue): PyValue {
  if (target instanceof ArrayValue && typeof ignoreIndex === 'bigint') checkClassTargets(target.t, Number(ignoreIndex), reduction, 'cross_entropy');
  const x = tensorArg(input, 'cross_entropy'), y = tensorArg(target, 'cross_entropy', 'target');
  const opts = { weight: weight instanceof ArrayValue ? weight.t : null, ignoreIndex: toInt(ignoreIndex, 'ignore_index'), labelSmoothing: toFloat(smoothing, 'label_smoothing') };
  const r = crossEntropy(x, y, { ...opts, reduction });
  if (recordingDerivations() && !isFloating(y.dtype)) {
    noteDerivation(r, { op: 'cross_entropy', perToken: crossEntropy(x, y, { ...opts, reduction: 'none' }), target: y, ignoreIndex: opts.ignoreIndex, reduction });
  }
  return track(new TorchTensor(r), 'nll_loss', input);
}

function nllCall(input: PyValue, target: PyValue, weight: PyValue, ignoreIndex: PyValue, reduction: Reduction): PyValue {
  if (target instanceof ArrayValue && typeof ignoreIndex === 'bigint') checkClassTargets(target.t, Number(ignoreIndex), reduction, 'nll_loss');
  const x = tensorArg(input, 'nll_loss'), y = tensorArg(target, 'nll_loss', 'target');
  const opts = { weight: weight instanceof ArrayValue ? weight.t : null, ignoreIndex: toInt(ignoreIndex, 'ignore_index') };
  const r = nllLoss(x, y, { ...opts, reduction });
  if (recordingDerivations()) noteDerivation(r, { op: 'nll_loss', perToken: nllLoss(x, y, { ...opts, reduction: 'none' }), target: y, ignoreIndex: opts.ignoreIndex, reduction });
  return track(new TorchTensor(r), 'nll_loss', input);
}

/**
 * torch.embedding_renorm_ (ATen embedding_renorm_cpu_), which Embedding(max_norm=...) runs before
 * each lookup: every row the input names whose norm_type-norm exceeds max_norm is scaled in place
 * by max_norm / (norm + 1e-7). The norm sums in double and rounds to the weight's dtype (the CPU
 * norm kernel's accumulate type); the scale multiplies as a float32 scalar.
 */
function embeddingRenorm(weight: Tensor, indices: Tensor, maxNorm: number, normType: number): void {
  const dim = weight.shape[1];
  const rows = [...new Set(Array.from(indices.values()))].sort((x, y) => x - y);
  const w = weight.storage.data;
  for (const r of rows) {
    const at = (k: number) => weight.offset + r * weight.strides[0] + k * weight.strides[1];
    let acc = 0;
    for (let k = 0; k < dim; k++) {
      const v = Math.abs(w[at(k)]);
      acc = normType === Infinity ? Math.max(acc, v) : acc + (normType === 2 ? v * v : normType === 1 ? v : Math.pow(v, normType));
    }
    const raw = normType === 2 ? Math.sqrt(acc) : normType === 1 || normType === Infinity ? acc : Math.pow(acc, 1 / normType);
    const norm = weight.dtype === 'float32' ? Math.fround(raw) : raw;
    if (norm > maxNorm) {
      const scale = Math.fround(maxNorm / (norm + 1e-7));
      for (let k = 0; k < dim; k++) w[at(k)] = weight.dtype === 'float32' ? Math.fround(w[at(k)] * scale) : w[at(k)] * scale;
    }
  }
}

function dropout(input: PyValue, p: number, training: boolean): PyValue {
  const x = tensorArg(input, 'dropout');
  if (p < 0 || p > 1) throw valueError(`dropout probability has to be between 0 and 1, but got ${p}`);
  if (!training || p === 0) return input;
  return track(new TorchTensor(dropoutTensor(x, p)), 'dropout', input);
}

function constantPad(x: Tensor, pad: number[], value: number): Tensor {
  if (pad.length % 2 !== 0) throw runtimeError('Padding length must be divisible by 2');
  if (pad.length / 2 > x.ndim) throw runtimeError('Padding length too large');
  let t = x;
  for (let i = 0; i < pad.length / 2; i++) {
    const dim = x.ndim - 1 - i;
    const [before, after] = [pad[2 * i], pad[2 * i + 1]];
    if (before < 0) t = slice(t, dim, -before, null);
    if (after < 0) t = slice(t, dim, 0, t.shape[dim] + after);
    const parts: Tensor[] = [];
    const side = (n: number) => {
      const shape = [...t.shape];
      shape[dim] = n;
      return filled(shape, value, x.dtype);
    };
    if (before > 0) parts.push(side(before));
    parts.push(t);
    if (after > 0) parts.push(side(after));
    t = parts.length > 1 ? cat(parts, dim) : t;
  }
  return t;
}

function padSequence(seqs: Tensor[], batchFirst: boolean, value: Scalar, left: boolean): Tensor {
  if (seqs.length === 0) throw runtimeError('received an empty list of sequences');
  // ATen takes sequences[0].sizes().slice(1), then every sequence's size(0): 0-dim ones fail there, in these words
  if (seqs[0].ndim === 0) throw runtimeError('ArrayRef: invalid slice, N = 1; size = 0');
  if (seqs.some((s) => s.ndim === 0)) throw pyError('IndexError', 'Dimension specified as 0 but tensor has no dimensions');
  const maxLen = Math.max(...seqs.map((s) => s.shape[0]));
  // ATen's pad_sequence fills the whole output with at::full, so the value is checked against its size
  const outNumel = seqs.length * maxLen * seqs[0].shape.slice(1).reduce((p, q) => p * q, 1);
  value = fillScalarValue(value, seqs[0].dtype, outNumel);
  const padded = seqs.map((s) => {
    const n = maxLen - s.shape[0];
    if (n === 0) return s;
    const fill = filled([n, ...s.shape.slice(1)], value, s.dtype);
    return cat(left ? [fill, s] : [s, fill], 0);
  });
  const out = stack(padded, 0);
  return batchFirst ? out : transpose(out, 0, 1);
}

/** load_state_dict's result: a namedtuple whose repr says when every key matched (torch.nn.modules.module._IncompatibleKeys). */
class IncompatibleKeys extends PyNamedTuple {
  override repr(): string | undefined {
    return this.items.every((l) => l instanceof PyList && l.items.length === 0) ? '<All keys matched successfully>' : undefined;
  }
}

/**
 * Module.load_state_dict(state_dict, strict=True): copies each tensor whose key
 * names one of the module's parameters or persistent buffers into it (cast to
 * its dtype, as param.copy_ does); a shape mismatch, and with strict=True a
 * missing or unexpected key, is PyTorch's RuntimeError "Error(s) in loading
 * state_dict for Cls:" listing them (torch/nn/modules/module.py). Returns
 * _IncompatibleKeys(missing_keys, unexpected_keys).
 */
function loadStateDict(self: PyInstance, Module: PyClass, a: Record<string, PyValue | undefined>, ctx: CallContext): PyValue {
  const own = new Map(stateEntries(self, Module));
  const given = new Map<string, PyValue>();
  for (const k of ctx.iterate(a.state_dict!)) given.set(String(k), ctx.getItem(a.state_dict!, k));
  const strict = toBool(a.strict, ctx, true);
  const missing = [...own.keys()].filter((k) => !given.has(k));
  const unexpected = [...given.keys()].filter((k) => !own.has(k));
  const mismatched: string[] = [];
  const copies: [Tensor, Tensor][] = [];
  for (const [k, target] of own) {
    if (!given.has(k)) continue;
    const src = tensorArg(given.get(k)!, 'load_state_dict', k);
    const same = src.shape.length === target.t.shape.length && src.shape.every((d, i) => d === target.t.shape[i]);
    if (!same) {
      mismatched.push(`size mismatch for ${k}: copying a param with shape torch.Size([${src.shape.join(', ')}]) from checkpoint, the shape in current model is torch.Size([${target.t.shape.join(', ')}]).`);
    } else copies.push([target.t, src]);
  }
  const errors = [...(strict && missing.length ? [`Missing key(s) in state_dict: ${missing.map((k) => `"${k}"`).join(', ')}. `] : []),
    ...(strict && unexpected.length ? [`Unexpected key(s) in state_dict: ${unexpected.map((k) => `"${k}"`).join(', ')}. `] : []), ...mismatched];
  if (errors.length) throw runtimeError(`Error(s) in loading state_dict for ${self.cls.name}:\n\t${errors.join('\n\t')}`);
  for (const [dst, src] of copies) assignInto(dst, cast(src, dst.dtype));
  return new IncompatibleKeys([new PyList(missing), new PyList(unexpected)], '_IncompatibleKeys', ['missing_keys', 'unexpected_keys']);
}

/**
 * F.scaled_dot_product_attention(query (..., L, E), key (..., S, E), value (..., S, Ev),
 * attn_mask=None, dropout_p=0, is_causal=False, scale=None) -> (..., L, Ev), as PyTorch 2.x
 * computes it on the CPU:
 * - attn_mask is bool (True = attend), or additive with dtype float32 or query's dtype;
 *   any other dtype is a RuntimeError (ATen's validate_sdpa_input);
 * - is_causal and attn_mask together: the CPU flash kernel (4-D inputs, no dropout)
 *   applies both, the math path raises RuntimeError;
 * - a query row whose every key is masked gets zero weights, so its output row is 0,
 *   not NaN (the CPU flash kernel and the math path's _safe_softmax);
 * - grad_fn: ScaledDotProductFlashAttentionForCpuBackward0 for 4-D inputs, the math
 *   path's last op (MmBackward0 for 2-D, UnsafeViewBackward0 otherwise) elsewhere;
 * - the math path (not 4-D, or dropout_p > 0) scales query and key by sqrt(scale) each
 *   before their matmul, and drops attention weights with at::dropout(attn, dropout_p)
 *   after the softmax (torch's generator: one draw per weight);
 * - enable_gqa=True: key and value heads (dim -3) are each repeated to the query's head
 *   count, which they must divide (RuntimeError otherwise).
 */
function sdpa(a: Record<string, PyValue | undefined>, ctx: CallContext): PyValue {
  const q = tensorArg(a.query, 'scaled_dot_product_attention', 'query');
  let k = tensorArg(a.key, 'scaled_dot_product_attention', 'key');
  let v = tensorArg(a.value, 'scaled_dot_product_attention', 'value');
  if (toBool(a.enable_gqa, ctx) && q.ndim >= 3 && k.ndim >= 3 && v.ndim >= 3) {
    // grouped-query attention: each key/value head serves q_heads / kv_heads query heads, i.e.
    // key.repeat_interleave(q_heads // k_heads, -3) (ATen's sdpa math path; key and value separately)
    const qHeads = q.shape[q.ndim - 3];
    const grouped = (t: Tensor) => {
      const heads = t.shape[t.ndim - 3];
      if (heads === 0 || qHeads % heads !== 0) throw runtimeError('Number of heads in key and value must divide the number of heads in ');
      const rep = qHeads / heads;
      if (rep === 1) return t;
      const d = t.ndim - 2; // a new axis right after the heads
      const shape = [...t.shape.slice(0, d), rep, ...t.shape.slice(d)];
      return reshape(expand(unsqueeze(t, d), shape), [...t.shape.slice(0, d - 1), qHeads, ...t.shape.slice(d)]);
    };
    k = grouped(k);
    v = grouped(v);
  }
  if (a.attn_mask instanceof ArrayValue) {
    const md = a.attn_mask.t.dtype;
    if (md !== 'bool' && md !== 'float32' && md !== q.dtype) {
      throw runtimeError(`Expected attn_mask dtype to be bool or float or to match query dtype, but got attn_mask.dtype: ${cppTypeName(md)} and  query.dtype: ${cppTypeName(q.dtype)} instead.`);
    }
  }
  const dropout = a.dropout_p === undefined || a.dropout_p === null ? 0 : toFloat(a.dropout_p, 'dropout_p');
  const isCausal = toBool(a.is_causal, ctx);
  const mask = a.attn_mask instanceof ArrayValue ? a.attn_mask.t : null;
  const maskGrad = a.attn_mask instanceof TorchTensor && a.attn_mask.requiresGrad;
  const flash = flashKernel(q, k, v, mask, maskGrad, dropout);
  checkCausalWithMask(isCausal, mask !== null);
  if (isCausal && mask && !flash) {
    throw runtimeError('_scaled_dot_product_attention: Explicit attn_mask should not be set when is_causal=True');
  }
  if (mask) noteMaskConsumer(mask, 'scaled_dot_product_attention');
  const out = attention(q, k, v, mask, dropout, isCausal, a.scale === undefined || a.scale === null ? null : toFloat(a.scale, 'scale'), flash);
  const gradFn = flash ? 'sdpa_flash_cpu' : q.ndim === 2 ? 'mm' : 'matmul';
  return track(new TorchTensor(out), gradFn, a.query!, a.key!, a.value!);
}

/**
 * Whether PyTorch 2.13 runs scaled_dot_product_attention on the CPU flash
 * kernel (ATen sdp_utils_cpp's use_flash_attention_cpp): no dropout; 4-D
 * query, key and value with the same batch size, head count and head dim;
 * no mask, or a 2-D / 4-D one whose dims are 1 or the matching size and
 * that needs no grad; nonzero sequence lengths; a last-dim stride of 1;
 * a floating dtype. Everything else runs the math path.
 */
function flashKernel(q: Tensor, k: Tensor, v: Tensor, mask: Tensor | null, maskGrad: boolean, dropout: number): boolean {
  if (dropout > 0 || q.ndim !== 4 || k.ndim !== 4 || v.ndim !== 4) return false;
  const [B, H, L, E] = q.shape;
  const S = k.shape[2];
  if ([k, v].some((t) => t.shape[0] !== B || t.shape[1] !== H || t.shape[3] !== E) || v.shape[2] !== S) return false;
  if (L === 0 || S === 0 || [q, k, v].some((t) => t.strides[3] !== 1) || !isFloating(q.dtype)) return false;
  if (!mask) return true;
  const md = mask.shape, r = mask.ndim;
  if (maskGrad || (r !== 2 && r !== 4) || (md[r - 2] !== L && md[r - 2] !== 1) || (md[r - 1] !== S && md[r - 1] !== 1)) return false;
  return r === 2 || ((md[0] === 1 || md[0] === B) && (md[1] === 1 || md[1] === H));
}

/**
 * The attention scaled_dot_product_attention computes, after its argument checks:
 * softmax(q @ k^T * scale + mask) @ v with scale = 1/sqrt(E) unless given, `mask` bool
 * (True = attend) or additive, is_causal a top-left tril; a row with every key masked
 * gets zero weights (the CPU kernels' _safe_softmax), dropout on the weights when
 * dropout > 0. (..., L, E), (..., S, E), (..., S, Ev) -> (..., L, Ev). `flash`: the
 * CPU flash kernel runs (flashKernel); float32 then takes its exact order
 * (engine flashAttention), other dtypes scale the scores after q @ k^T as it does.
 */
function attention(q: Tensor, k: Tensor, v: Tensor, mask: Tensor | null, dropout: number, isCausal: boolean, scaleArg: number | null, flash: boolean): Tensor {
  const L = q.shape[q.ndim - 2], S = k.shape[k.ndim - 2], E = q.shape[q.ndim - 1];
  const scale = scaleArg ?? 1 / Math.sqrt(E);
  if (flash && q.dtype === 'float32') return flashAttention(q, k, v, mask && mask.dtype !== 'bool' ? cast(mask, 'float32') : mask, isCausal, scale);
  // ATen's _scaled_dot_product_attention_math: q * sqrt(scale) @ (k^T * sqrt(scale))
  const root = Math.sqrt(scale);
  let scores = flash
    ? binary('mul', matmul(q, transpose(k, -2, -1)), scale)
    : matmul(binary('mul', q, root), binary('mul', transpose(k, -2, -1), root));
  if (isCausal) {
    const causal = tril(filled([L, S], 1, 'bool'));
    scores = checkedFill(scores, unary('not', causal, 'bool'), -Infinity);
  }
  if (mask) scores = mask.dtype === 'bool' ? checkedFill(scores, unary('not', mask, 'bool'), -Infinity) : binary('add', scores, mask);
  // Rows with every key masked (max = -inf) get zero weights instead of softmax's NaN.
  const fullyMasked = binary('eq', reduce('max', scores, -1, true), -Infinity);
  let w = where(fullyMasked, 0, softmax(scores, -1));
  if (dropout > 0) w = dropoutTensor(w, dropout);
  return matmul(w, v);
}

function makeMultiheadAttention(Module: PyClass, Linear: PyClass, linearInit: (self: PyInstance, i: number, o: number, b: boolean) => void): PyClass {
  // a Linear in all but name (torch.nn.modules.linear): it prints and calls as one
  const OutProj = new PyClass('NonDynamicallyQuantizableLinear', [Linear], 'torch.nn.modules.linear.NonDynamicallyQuantizableLinear');
  return layer('MultiheadAttention', Module, (self, args, kw, ctx) => {
    const a = bind('MultiheadAttention', args, kw, ['embed_dim', 'num_heads', 'dropout?', 'bias?', 'add_bias_kv?', 'add_zero_attn?', 'kdim?', 'vdim?', 'batch_first?', 'device?', 'dtype?']);
    const E = toInt(a.embed_dim, 'embed_dim'), H = toInt(a.num_heads, 'num_heads');
    if (E % H !== 0) throw pyError('AssertionError', 'embed_dim must be divisible by num_heads');
    self.dict.set('embed_dim', BigInt(E));
    self.dict.set('num_heads', BigInt(H));
    self.dict.set('batch_first', toBool(a.batch_first, ctx));
    self.dict.set('dropout', a.dropout === undefined ? 0 : toFloat(a.dropout, 'dropout'));
    // kdim and vdim other than embed_dim are refused below, so query, key and value share it
    self.dict.set('kdim', BigInt(E));
    self.dict.set('vdim', BigInt(E));
    self.dict.set('_qkv_same_embed_dim', true);
    self.dict.set('head_dim', BigInt(E / H));
    for (const d of ['kdim', 'vdim'] as const) {
      const v = a[d];
      if (v !== undefined && v !== null && toInt(v, d) !== E) {
        throw pyError('NotImplementedError', `nn.MultiheadAttention with ${d} other than embed_dim is not supported by Mask Lens yet`);
      }
    }
    const bias = toBool(a.bias, ctx, true);
    const addBiasKv = toBool(a.add_bias_kv, ctx);
    // Parameters are allocated first, the out_proj Linear initialises itself,
    // then _reset_parameters re-draws in_proj_weight (xavier), zeroes biases and
    // draws bias_k, bias_v (xavier_normal_).
    const inProj = Tensor.empty('float32', [3 * E, E]);
    const outProj = new PyInstance(OutProj);
    outProj.dict.set('training', true);
    linearInit(outProj, E, E, bias);
    const bound = xavierBound(E, 3 * E, 1);
    inProj.storage.data.set(torchRng().uniform(inProj.numel, -bound, bound, 'float32'));
    self.dict.set('in_proj_weight', parameter(inProj));
    self.dict.set('in_proj_bias', bias ? parameter(Tensor.empty('float32', [3 * E])) : null);
    if (bias) (outProj.dict.get('bias') as TorchTensor).t.storage.data.fill(0);
    // [1, 1, E]: fan_in = fan_out = E
    const kv = () => parameter(normalTensor([1, 1, E], Math.sqrt(2 / (2 * E))));
    const biasK = addBiasKv ? kv() : null;
    self.dict.set('bias_k', biasK);
    self.dict.set('bias_v', addBiasKv ? kv() : null);
    self.dict.set('add_zero_attn', toBool(a.add_zero_attn, ctx));
    self.dict.set('out_proj', outProj);
  }, (self, args, kw, ctx) => {
    const a = bind('forward', args, kw, ['query', 'key', 'value', 'key_padding_mask?', 'need_weights?', 'attn_mask?', 'average_attn_weights?', 'is_causal?']);
    return mhaForward(self, a, ctx);
  });
}

function mhaForward(self: PyInstance, a: Record<string, PyValue | undefined>, ctx: CallContext): PyValue {
  const batchFirst = self.dict.get('batch_first') === true;
  let q = tensorArg(a.query, 'forward', 'query'), k = tensorArg(a.key, 'forward', 'key'), v = tensorArg(a.value, 'forward', 'value');
  const batched = q.ndim === 3;
  if (batched && batchFirst) {
    q = transpose(q, 0, 1);
    k = transpose(k, 0, 1);
    v = transpose(v, 0, 1);
  }
  const outProj = self.dict.get('out_proj') as PyInstance;
  const training = ctx.truthy(self.dict.get('training') ?? true);
  const H = Number(self.dict.get('num_heads'));
  const floatMask = [a.attn_mask, a.key_padding_mask].some((m) => m instanceof ArrayValue && isFloating(m.t.dtype));
  // MultiheadAttention.forward's fast path (torch._native_multi_head_attention): its softmax
  // leaves a row with every key padded NaN, where scaled_dot_product_attention gives zeros
  const biasK = getTensorOrNull(self, 'bias_k'), biasV = getTensorOrNull(self, 'bias_v');
  const addZeroAttn = self.dict.get('add_zero_attn') === true;
  const nativeFastPath = !training && !gradEnabled() && batched && batchFirst && a.query === a.key && a.key === a.value && H % 2 === 0 && !floatMask
    && !biasK && !biasV && !addZeroAttn;
  const { output, weights } = multiHeadAttention(q, k, v, {
    numHeads: H, inProjWeight: getTensor(self, 'in_proj_weight'), inProjBias: getTensorOrNull(self, 'in_proj_bias'), biasK, biasV, addZeroAttn,
    outProjWeight: getTensor(outProj, 'weight'), outProjBias: getTensorOrNull(outProj, 'bias'),
    dropout: Number(self.dict.get('dropout') ?? 0), training, nativeFastPath,
  }, a, ctx);
  // F.multi_head_attention_forward ends in a view (a squeeze when unbatched); batch_first transposes it back
  const y = batched && batchFirst ? transpose(output, 0, 1) : output;
  return mhaResult(y, weights, batched && batchFirst ? 'transpose' : batched ? 'view' : 'squeeze.dim', batched, a, self.dict.get('in_proj_weight')!);
}

/**
 * F.multi_head_attention_forward(query, key, value, embed_dim_to_check, num_heads,
 * in_proj_weight, in_proj_bias, bias_k, bias_v, add_zero_attn, dropout_p, out_proj_weight,
 * out_proj_bias, training=True, key_padding_mask=None, need_weights=True, attn_mask=None,
 * use_separate_proj_weight=False, q/k/v_proj_weight=None, ..., average_attn_weights=True,
 * is_causal=False), as fairseq's MultiheadAttention calls it; see multiHeadAttention.
 * static_k / static_v (incremental decoding caches) are not modelled: NotImplementedError.
 */
function mhaFunctional(a: Record<string, PyValue | undefined>, ctx: CallContext): PyValue {
  const name = 'multi_head_attention_forward';
  const opt = (v: PyValue | undefined, what: string) => (v instanceof ArrayValue ? tensorArg(v, name, what) : null);
  if (opt(a.static_k, 'static_k') || opt(a.static_v, 'static_v')) {
    throw pyError('NotImplementedError', 'torch.nn.functional.multi_head_attention_forward with static_k / static_v is not supported by Mask Lens yet');
  }
  const q = tensorArg(a.query, name, 'query'), k = tensorArg(a.key, name, 'key'), v = tensorArg(a.value, name, 'value');
  const separate = toBool(a.use_separate_proj_weight, ctx);
  let weights: [Tensor, Tensor, Tensor] | undefined;
  if (separate) {
    for (const w of ['q', 'k', 'v']) {
      if (!(a[`${w}_proj_weight`] instanceof ArrayValue)) throw pyError('AssertionError', `use_separate_proj_weight is True but ${w}_proj_weight is None`);
    }
    weights = [opt(a.q_proj_weight, 'q_proj_weight')!, opt(a.k_proj_weight, 'k_proj_weight')!, opt(a.v_proj_weight, 'v_proj_weight')!];
  } else if (!(a.in_proj_weight instanceof ArrayValue)) {
    throw pyError('AssertionError', 'use_separate_proj_weight is False but in_proj_weight is None');
  }
  const { output, weights: w } = multiHeadAttention(q, k, v, {
    numHeads: toInt(a.num_heads, 'num_heads'), embedDim: toInt(a.embed_dim_to_check, 'embed_dim_to_check'),
    inProjWeight: opt(a.in_proj_weight, 'in_proj_weight'), inProjBias: opt(a.in_proj_bias, 'in_proj_bias'), ...(weights ? { separate: weights } : {}),
    biasK: opt(a.bias_k, 'bias_k'), biasV: opt(a.bias_v, 'bias_v'), addZeroAttn: toBool(a.add_zero_attn, ctx),
    outProjWeight: tensorArg(a.out_proj_weight, name, 'out_proj_weight'), outProjBias: opt(a.out_proj_bias, 'out_proj_bias'),
    dropout: toFloat(a.dropout_p, 'dropout_p'), training: toBool(a.training, ctx, true),
  }, a, ctx);
  const batched = q.ndim === 3;
  return mhaResult(output, w, batched ? 'view' : 'squeeze.dim', batched, a, ...[a.in_proj_weight, a.q_proj_weight, a.out_proj_weight].filter((x): x is PyValue => x !== undefined));
}

/** (output, weights) as a Python tuple, with the grad_fn names PyTorch 2.x gives them. */
function mhaResult(y: Tensor, weights: Tensor | null, outOp: string, batched: boolean, a: Record<string, PyValue | undefined>, ...params: PyValue[]): PyValue {
  const output = track(new TorchTensor(y), outOp, a.query!, ...params);
  if (!weights) return new PyTuple([output, null]);
  // attn_output_weights.mean(dim=1) is MeanBackward1; per-head weights end in a view; unbatched ones in squeeze(0)
  return new PyTuple([output, track(new TorchTensor(weights), !batched ? 'squeeze.dim' : weights.ndim === 3 ? 'mean.dim' : 'view', a.query!, ...params)]);
}

interface MhaParams {
  numHeads: number;
  /** the packed [3E, E] projection, or null with `separate` (use_separate_proj_weight=True) */
  inProjWeight: Tensor | null;
  inProjBias: Tensor | null;
  separate?: [Tensor, Tensor, Tensor];
  biasK?: Tensor | null;
  biasV?: Tensor | null;
  addZeroAttn?: boolean;
  outProjWeight: Tensor;
  outProjBias: Tensor | null;
  dropout: number;
  training: boolean;
  /** F.multi_head_attention_forward's embed_dim_to_check */
  embedDim?: number;
  /** the module's native fast path: plain softmax weights (fully padded rows NaN) even without need_weights */
  nativeFastPath?: boolean;
}

const INTERPOLATE_MODES = 'nearest | linear | bilinear | bicubic | trilinear | lanczos | area | nearest-exact';

/**
 * F.interpolate(input, size=None, scale_factor=None, mode='nearest', ...) in
 * its default mode, what DETR resizes its padding mask with
 * (`F.interpolate(m[None].float(), size=x.shape[-2:]).to(torch.bool)[0]`):
 * input [N, C, d1 … dK] (K = 1…3), each output index i along a spatial dim
 * reads input index min(floor(i * scale), in - 1) with scale the float32
 * in / out (or 1 / scale_factor when one is given and not recomputed), the
 * same index for out = in and i >> 1 for out = 2 · in (ATen's
 * UpSample.h nearest_idx). Output size from scale_factor: floor(in * s).
 * Errors as torch/nn/functional.py and the CPU kernels raise them; other
 * modes are not modelled.
 */
function interpolate(a: Record<string, PyValue | undefined>, ctx: CallContext): PyValue {
  const x = tensorArg(a.input, 'interpolate');
  const mode = a.mode === undefined || a.mode === null ? 'nearest' : String(a.mode);
  const k = x.ndim - 2;
  if (k < 1 || k > 3) {
    throw pyError('NotImplementedError', `Input Error: Only 3D, 4D and 5D input Tensors supported (got ${x.ndim}D) for the modes: ${INTERPOLATE_MODES} (got ${mode})`);
  }
  if (mode !== 'nearest') throw pyError('NotImplementedError', `torch.nn.functional.interpolate(mode='${mode}') is not supported by Mask Lens yet`);
  const none = (v: PyValue | undefined) => v === undefined || v === null;
  if (none(a.size) && none(a.scale_factor)) throw pyError('ValueError', 'either size or scale_factor should be defined');
  if (!none(a.size) && !none(a.scale_factor)) throw pyError('ValueError', 'only one of size or scale_factor should be defined');
  const spatial = x.shape.slice(2);
  const spatialText = `[${spatial.join(', ')}]`;
  let out: number[];
  let scales: (number | null)[] = spatial.map(() => null);
  if (!none(a.size)) {
    const list = a.size instanceof PyTuple || a.size instanceof PyList ? a.size.items.map((v) => toInt(v, 'size')) : null;
    if (list && list.length !== k) {
      throw pyError('ValueError', `Input and output must have the same number of spatial dimensions, but got input with spatial dimensions of ${spatialText} and output size of ${ctx.repr(a.size!)}. Please provide input tensor in (N, C, d1, d2, ...,dK) format and output size in (o1, o2, ...,oK) format.`);
    }
    out = list ?? spatial.map(() => toInt(a.size, 'size'));
  } else {
    const list = a.scale_factor instanceof PyTuple || a.scale_factor instanceof PyList ? a.scale_factor.items.map((v) => toFloat(v, 'scale_factor')) : null;
    if (list && list.length !== k) {
      throw pyError('ValueError', `Input and scale_factor must have the same number of spatial dimensions, but got input with spatial dimensions of ${spatialText} and scale_factor of shape ${ctx.repr(a.scale_factor!)}. Please provide input tensor in (N, C, d1, d2, ...,dK) format and scale_factor in (s1, s2, ...,sK) format.`);
    }
    const factors = list ?? spatial.map(() => toFloat(a.scale_factor, 'scale_factor'));
    out = spatial.map((n, i) => Math.floor(n * factors[i]));
    if (!ctx.truthy(a.recompute_scale_factor ?? false)) scales = factors;
  }
  if (!isFloating(x.dtype) && x.dtype !== 'uint8') {
    const kernel = k === 2 ? 'upsample_nearest2d_channels_last' : 'compute_indices_weights_nearest';
    throw pyError('NotImplementedError', `"${kernel}" not implemented for '${scalarTypeName(x.dtype)}'`);
  }
  let r = x;
  spatial.forEach((n, i) => {
    const m = out[i];
    const scale = scales[i] !== null && scales[i]! > 0 ? Math.fround(1 / scales[i]!) : Math.fround(n / m);
    const index = Tensor.empty('int64', [m]);
    for (let j = 0; j < m; j++) {
      index.storage.data[j] = m === n ? j : m === 2 * n ? j >> 1 : Math.min(Math.floor(Math.fround(j * scale)), n - 1);
    }
    r = indexSelect(r, 2 + i, index);
  });
  return track(new TorchTensor(contiguous(r)), `upsample_nearest${k}D`, a.input!);
}

/**
 * F.multi_head_attention_forward of PyTorch 2.x (torch/nn/functional.py), for query
 * (L, N, E) / key, value (S, N, E) or unbatched (L, E) / (S, E): in-projection (packed
 * in_proj_weight, or q/k/v_proj_weight with use_separate_proj_weight), optional bias_k/v
 * and zero-attention columns, key_padding_mask (N, S) and attn_mask (L, S) or (N*H, L, S)
 * turned additive and summed (_canonical_mask: bool True = -inf), then with need_weights
 * softmax(q * sqrt(1/hd) @ k^T + mask) (dropout on the weights while training) @ v, else
 * scaled_dot_product_attention on (N, H, L, hd) with dropout_p; out-projection. Returns
 * the (L, N, E) output and the weights: (N, L, S) averaged over heads, (N, H, L, S) with
 * average_attn_weights=False, null without need_weights. Errors: the AssertionErrors and
 * RuntimeErrors of F.multi_head_attention_forward for mask dtypes and shapes.
 */
function multiHeadAttention(query: Tensor, key: Tensor, value: Tensor, p: MhaParams, a: Record<string, PyValue | undefined>, ctx: CallContext): { output: Tensor; weights: Tensor | null } {
  let q = query, k = key, v = value;
  const unbatched = q.ndim === 2;
  let kpmArg = a.key_padding_mask instanceof ArrayValue ? a.key_padding_mask.t : null;
  if (unbatched) {
    q = unsqueeze(q, 1);
    k = unsqueeze(k, 1);
    v = unsqueeze(v, 1);
    if (kpmArg) kpmArg = unsqueeze(kpmArg, 0);
  }
  const [L, N, E] = q.shape;
  if (p.embedDim !== undefined && E !== p.embedDim) throw pyError('AssertionError', `was expecting embedding dimension of ${p.embedDim}, but got ${E}`);
  const H = p.numHeads;
  const hd = Math.floor(E / H);
  if (hd * H !== E) throw pyError('AssertionError', `embed_dim ${E} not divisible by num_heads ${H}`);
  const project = (x: Tensor, i: number) => {
    const w = p.separate ? p.separate[i] : slice(p.inProjWeight!, 0, i * E, (i + 1) * E);
    let y = matmul(x, transpose(w, 0, 1));
    if (p.inProjBias) y = binary('add', y, slice(p.inProjBias, 0, i * E, (i + 1) * E));
    return y;
  };
  let qp = project(q, 0), kp = project(k, 1), vp = project(v, 2);
  // is_causal is only a hint about attn_mask in PyTorch 2.x's multi_head_attention_forward.
  if (toBool(a.is_causal, ctx) && !(a.attn_mask instanceof ArrayValue)) {
    throw runtimeError('Need attn_mask if specifying the is_causal hint. You may use the Transformer module method `generate_square_subsequent_mask` to create this mask.');
  }
  let S = kp.shape[0];
  let mask: Tensor | null = null;
  if (a.attn_mask instanceof ArrayValue) {
    let m = a.attn_mask.t;
    noteMaskConsumer(m, 'MultiheadAttention.attn_mask');
    // PyTorch 2.x (F._canonical_mask): bool or floating only; 1.13 still took uint8 with a warning.
    if (m.dtype !== 'bool' && !isFloating(m.dtype)) {
      throw pyError('AssertionError', 'only bool and floating types of attn_mask are supported');
    }
    checkMultiheadAttnMask(m);
    if (m.ndim === 2) {
      if (m.shape[0] !== L || m.shape[1] !== S) {
        throw runtimeError(`The shape of the 2D attn_mask is torch.Size([${m.shape.join(', ')}]), but should be (${L}, ${S}).`);
      }
      m = unsqueeze(m, 0);
    } else if (m.ndim === 3) {
      if (m.shape[0] !== N * H || m.shape[1] !== L || m.shape[2] !== S) {
        throw runtimeError(`The shape of the 3D attn_mask is torch.Size([${m.shape.join(', ')}]), but should be (${N * H}, ${L}, ${S}).`);
      }
    } else {
      throw runtimeError(`attn_mask's dimension ${m.ndim} is not supported`);
    }
    mask = additiveMask(m, q.dtype);
  }
  let kpm: Tensor | null = null;
  if (kpmArg) {
    if (kpmArg.dtype !== 'bool' && !isFloating(kpmArg.dtype)) {
      throw pyError('AssertionError', 'only bool and floating types of key_padding_mask are supported');
    }
    checkKeyPaddingMask(kpmArg, N, S);
    noteMaskConsumer(kpmArg, 'MultiheadAttention.key_padding_mask');
    if (a.attn_mask instanceof ArrayValue && (a.attn_mask.t.dtype === 'bool') !== (kpmArg.dtype === 'bool') && !masksCanonical()) {
      ctx.warn('Support for mismatched key_padding_mask and attn_mask is deprecated. Use same type for both instead.');
    }
    kpm = additiveMask(kpmArg, q.dtype);
  }
  const padKey = (m: Tensor | null) => (m ? constantPad(m, [0, 1], 0) : m);
  if (p.biasK && p.biasV) {
    kp = cat([kp, repeatRows(p.biasK, N)], 0);
    vp = cat([vp, repeatRows(p.biasV, N)], 0);
    mask = padKey(mask);
    kpm = padKey(kpm);
  } else if (p.biasK || p.biasV) {
    throw pyError('AssertionError', p.biasK ? 'bias_k is set but bias_v is None' : 'bias_v is set but bias_k is None');
  }
  // (len, N, E) -> (N*H, len, hd)
  const heads = (x: Tensor) => transpose(reshape(x, [x.shape[0], N * H, hd]), 0, 1);
  const qh = heads(qp);
  let kh = heads(kp), vh = heads(vp);
  if (p.addZeroAttn) {
    const zeros = filled([N * H, 1, hd], 0, kh.dtype);
    kh = cat([kh, zeros], 1);
    vh = cat([vh, filled([N * H, 1, hd], 0, vh.dtype)], 1);
    mask = padKey(mask);
    kpm = padKey(kpm);
  }
  S = kh.shape[1];
  if (kpm) {
    const expanded = reshape(expand(reshape(kpm, [N, 1, 1, S]), [N, H, 1, S]), [N * H, 1, S]);
    mask = mask ? binary('add', mask, expanded) : expanded;
  }
  const dropoutP = p.training ? p.dropout : 0;
  const needWeights = a.need_weights === undefined || a.need_weights === null || ctx.truthy(a.need_weights);
  const outProject = (o: Tensor) => {
    let y = matmul(o, transpose(p.outProjWeight, 0, 1));
    if (p.outProjBias) y = binary('add', y, p.outProjBias);
    y = reshape(y, [L, N, E]);
    return unbatched ? reshape(y, [L, E]) : y;
  };
  if (!needWeights && !p.nativeFastPath) {
    // scaled_dot_product_attention on (N, H, L, hd); a mask of one batch row broadcasts over it
    const m4 = mask ? (mask.shape[0] === 1 ? unsqueeze(mask, 0) : reshape(mask, [N, H, -1, S])) : null;
    const [q4, k4, v4] = [reshape(qh, [N, H, L, hd]), reshape(kh, [N, H, S, hd]), reshape(vh, [N, H, S, hd])];
    const o = attention(q4, k4, v4, m4, dropoutP, false, null, flashKernel(q4, k4, v4, m4, false, dropoutP));
    return { output: outProject(reshape(permute(o, [2, 0, 1, 3]), [N * L, E])), weights: null };
  }
  // the native fast path scales q by 1 / sqrt(hd) in q's dtype (_transform_bias_rescale_qkv),
  // F.multi_head_attention_forward by the double sqrt(1 / hd)
  const qScale = p.nativeFastPath ? (q.dtype === 'float32' ? Math.fround(1 / Math.fround(Math.sqrt(hd))) : 1 / Math.sqrt(hd)) : Math.sqrt(1 / hd);
  let scores = matmul(binary('mul', qh, qScale), transpose(kh, 1, 2));
  let weights: Tensor;
  if (p.nativeFastPath && mask && isFloating(scores.dtype) && scores.dtype !== 'float16' && scores.dtype !== 'bfloat16') {
    // torch._native_multi_head_attention: the merged mask as bool (-inf = masked) into _masked_softmax
    weights = hostMaskedSoftmax(scores, binary('eq', mask, -Infinity));
  } else {
    if (mask) scores = binary('add', mask, scores); // baddbmm(attn_mask, q_scaled, k^T)
    weights = softmax(scores, -1);
  }
  if (dropoutP > 0) weights = dropoutTensor(weights, dropoutP);
  const out = reshape(transpose(matmul(weights, vh), 0, 1), [L * N, E]);
  let w = reshape(weights, [N, H, L, S]);
  const average = a.average_attn_weights === undefined || a.average_attn_weights === null || ctx.truthy(a.average_attn_weights);
  if (average) w = mean(w, 1);
  if (unbatched) w = reshape(w, w.shape.slice(1));
  return { output: outProject(out), weights: needWeights ? w : null };
}

/** bias_k.repeat(1, bsz, 1): the (1, 1, E) bias as one more key row for every batch entry. */
function repeatRows(bias: Tensor, n: number): Tensor {
  return contiguous(expand(reshape(bias, [1, 1, bias.shape[bias.ndim - 1]]), [1, n, bias.shape[bias.ndim - 1]]));
}

/** A bool mask (True = masked out) as the float mask F._canonical_mask makes of it: -inf where True, 0 elsewhere. */
function additiveMask(m: Tensor, dtype: DType): Tensor {
  return m.dtype === 'bool' ? maskedFill(filled([...m.shape], 0, dtype), m, -Infinity) : m;
}

/** xavier_uniform_ bound, in torch.nn.init's order of double operations. */
function xavierBound(fanIn: number, fanOut: number, gain: number): number {
  const std = gain * Math.sqrt(2 / (fanIn + fanOut));
  return Math.sqrt(3) * std;
}

function makeInit(): PyModule {
  const init = new PyModule('torch.nn.init');
  // each fills its tensor in place and returns it; arguments bind by name as in torch/nn/init.py
  const inPlace = (name: string, params: string[], gen: (t: Tensor, a: Record<string, PyValue | undefined>) => ArrayLike<number>) =>
    init.dict.set(name, fn(name, (args, kw) => {
      const a = bind(name, args, kw, ['tensor', ...params]);
      const t = tensorArg(a.tensor, name, 'tensor');
      t.storage.data.set(gen(t, a), t.offset);
      return a.tensor!;
    }));
  const num = (v: PyValue | undefined, d: number, what: string) => (v === undefined || v === null ? d : toFloat(v, what));
  inPlace('uniform_', ['a?', 'b?', 'generator?'], (t, a) => torchRng(a.generator).uniform(t.numel, num(a.a, 0, 'a'), num(a.b, 1, 'b'), t.dtype));
  inPlace('normal_', ['mean?', 'std?', 'generator?'], (t, a) => torchRng(a.generator).normal(t.numel, num(a.mean, 0, 'mean'), num(a.std, 1, 'std'), t.dtype));
  inPlace('zeros_', [], (t) => new Float64Array(t.numel));
  // trunc_normal_ as torch 2.13's _no_grad_trunc_normal_ (timm re-exports the same): rejection
  // sampling in the tensor's dtype. Mass p inside [a, b] above 0.3: normal_(mean, std), then every
  // value outside [a, b] is replaced from a fresh normal_ draw of the whole tensor until none is.
  // Otherwise: candidates from uniform_(a, b), each accepted when log(uniform_()) <= its log
  // density relative to the mode; the rejected ones are drawn again, whole tensors each round.
  init.dict.set('trunc_normal_', fn('trunc_normal_', (args, kw, ctx) => {
    const a = bind('trunc_normal_', args, kw, ['tensor', 'mean?', 'std?', 'a?', 'b?', 'generator?']);
    const t = tensorArg(a.tensor, 'trunc_normal_', 'tensor');
    const mean = num(a.mean, 0, 'mean'), std = num(a.std, 1, 'std'), lo = num(a.a, -2, 'a'), hi = num(a.b, 2, 'b');
    if (mean < lo - 2 * std || mean > hi + 2 * std) {
      ctx.warn('UserWarning: mean is more than 2 std from [a, b] in nn.init.trunc_normal_. The distribution of values may be incorrect.');
    }
    const cdf = (x: number) => (1 + erf(x / Math.sqrt(2))) / 2;
    const rng = torchRng(a.generator);
    const n = t.numel, dtype = t.dtype, round = caster(dtype);
    const outside = (x: number) => x < round(lo) || x > round(hi);
    let result: ArrayLike<number>;
    if (cdf((hi - mean) / std) - cdf((lo - mean) / std) > 0.3) {
      const out = Float64Array.from(rng.normal(n, mean, std, dtype));
      while (out.some(outside)) {
        const fresh = rng.normal(n, mean, std, dtype);
        for (let i = 0; i < n; i++) if (outside(out[i])) out[i] = fresh[i];
      }
      result = out;
    } else {
      const mode = Math.max(lo, Math.min(mean, hi));
      const logPeak = round(-0.5 * ((mode - mean) / std) ** 2);
      const [m, s] = [round(mean), round(std)];
      // log_pdf = -0.5 * ((x - mean) / std) ** 2 - log_peak, one rounding per in-place op
      const logPdf = (x: number) => round(round(round(round(round(x - m) / s) ** 2) * -0.5) - logPeak);
      const rejects = (cand: ArrayLike<number>) => {
        const u = rng.uniform(n, 0, 1, dtype);
        return Array.from(cand, (c, i) => round(Math.log(u[i])) > logPdf(c));
      };
      const out = Float64Array.from(rng.uniform(n, lo, hi, dtype));
      let pending = rejects(out);
      while (pending.some(Boolean)) {
        const cand = rng.uniform(n, lo, hi, dtype);
        const again = rejects(cand);
        pending = pending.map((p, i) => {
          if (p) out[i] = cand[i];
          return p && again[i];
        });
      }
      result = out;
    }
    t.storage.data.set(result, t.offset);
    return a.tensor!;
  }));
  inPlace('ones_', [], (t) => new Float64Array(t.numel).fill(1));
  // dirac_: the identity convolution, per group (x-transformers' talking heads start as it)
  inPlace('dirac_', ['groups?'], (t, a) => {
    if (t.ndim < 3 || t.ndim > 5) throw valueError('Only tensors with 3, 4, or 5 dimensions are supported');
    const groups = a.groups === undefined ? 1 : toInt(a.groups, 'groups');
    const [out, inC, ...spatial] = t.shape;
    if (out % groups !== 0) throw valueError('dim 0 must be divisible by groups');
    const perGroup = out / groups, inner = spatial.reduce((p, q) => p * q, 1);
    const centre = spatial.reduce((acc, k, i) => acc + Math.floor(k / 2) * spatial.slice(i + 1).reduce((p, q) => p * q, 1), 0);
    const data = new Float64Array(t.numel);
    for (let g = 0; g < groups; g++) for (let d = 0; d < Math.min(perGroup, inC); d++) data[((g * perGroup + d) * inC + d) * inner + centre] = 1;
    return data;
  });
  inPlace('constant_', ['val'], (t, a) => new Float64Array(t.numel).fill(toFloat(a.val, 'val')));
  const fans = (t: Tensor) => {
    if (t.ndim < 2) throw valueError('Fan in and fan out can not be computed for tensor with fewer than 2 dimensions');
    const field = t.shape.slice(2).reduce((p, q) => p * q, 1);
    return [t.shape[1] * field, t.shape[0] * field];
  };
  inPlace('xavier_uniform_', ['gain?', 'generator?'], (t, a) => {
    const [fanIn, fanOut] = fans(t);
    const bound = xavierBound(fanIn, fanOut, num(a.gain, 1, 'gain'));
    return torchRng(a.generator).uniform(t.numel, -bound, bound, t.dtype);
  });
  inPlace('xavier_normal_', ['gain?', 'generator?'], (t, a) => {
    const [fanIn, fanOut] = fans(t);
    return torchRng(a.generator).normal(t.numel, 0, num(a.gain, 1, 'gain') * Math.sqrt(2 / (fanIn + fanOut)), t.dtype);
  });
  // kaiming_*: gain for leaky_relu(a) (the default) or relu, fan_in by default
  const kaimingStd = (t: Tensor, a: Record<string, PyValue | undefined>) => {
    const [fanIn, fanOut] = fans(t);
    const fan = a.mode === 'fan_out' ? fanOut : fanIn;
    const nl = String(a.nonlinearity ?? 'leaky_relu');
    const slope = num(a.a, 0, 'a');
    const gain = nl === 'relu' ? Math.sqrt(2) : nl === 'leaky_relu' ? Math.sqrt(2 / (1 + slope ** 2)) : nl === 'tanh' ? 5 / 3 : 1;
    return gain / Math.sqrt(fan);
  };
  inPlace('kaiming_uniform_', ['a?', 'mode?', 'nonlinearity?', 'generator?'], (t, a) => {
    const bound = Math.sqrt(3) * kaimingStd(t, a);
    return torchRng(a.generator).uniform(t.numel, -bound, bound, t.dtype);
  });
  inPlace('kaiming_normal_', ['a?', 'mode?', 'nonlinearity?', 'generator?'], (t, a) => torchRng(a.generator).normal(t.numel, 0, kaimingStd(t, a), t.dtype));
  return init;
}


/** masked_fill inside attention (sdpa, MultiheadAttention), with the same checks a user's masked_fill gets. */
function checkedFill(x: Tensor, mask: Tensor, value: number): Tensor {
  checkMaskedFill(x, mask, value, 'masked_fill');
  return maskedFill(x, mask, value);
}

/**
 * torch.nn.attention: the SDPBackend enum and sdpa_kernel(backends), which
 * picks the kernel scaled_dot_product_attention runs on. The kernels agree on
 * values here (Mask Lens has one), so the context manager changes nothing;
 * x-transformers' Attend(flash=True) builds one in __init__.
 * Its flex_attention submodule is flex.ts.
 */
function makeAttention(): PyModule {
  const m = new PyModule('torch.nn.attention');
  const Backend = new PyClass('_SDPBackend', [], 'torch.nn.attention._SDPBackend');
  const value = (self: PyValue | undefined) => (self as PyInstance).dict.get('value') as bigint;
  const name = (self: PyValue | undefined) => String((self as PyInstance).dict.get('name'));
  Backend.dict.set('__repr__', fn('__repr__', ([self]) => `<SDPBackend.${name(self)}: ${value(self)}>`));
  Backend.dict.set('__str__', fn('__str__', ([self]) => `SDPBackend.${name(self)}`));
  Backend.dict.set('__int__', fn('__int__', ([self]) => value(self)));
  Backend.dict.set('__index__', fn('__index__', ([self]) => value(self)));
  Backend.dict.set('__hash__', fn('__hash__', ([self]) => value(self)));
  const SDPBackend = new PyClass('SDPBackend', [], 'torch.nn.attention.SDPBackend');
  const members = new PyDict();
  for (const [i, n] of ['ERROR', 'MATH', 'FLASH_ATTENTION', 'EFFICIENT_ATTENTION', 'CUDNN_ATTENTION', 'OVERRIDEABLE'].entries()) {
    const b = new PyInstance(Backend);
    b.dict.set('name', n);
    b.dict.set('value', BigInt(i - 1));
    SDPBackend.dict.set(n, b);
    members.entries.set('s' + n, [n, b]);
  }
  SDPBackend.dict.set('__members__', members);
  m.dict.set('SDPBackend', SDPBackend);
  const Context = new PyClass('_GeneratorContextManager', [], 'contextlib._GeneratorContextManager');
  Context.dict.set('__enter__', fn('__enter__', () => null));
  Context.dict.set('__exit__', fn('__exit__', () => false));
  m.dict.set('sdpa_kernel', fn('sdpa_kernel', (args, kw) => {
    bind('sdpa_kernel', args, kw, ['backends', 'set_priority?']);
    return new PyInstance(Context);
  }));
  m.dict.set('flex_attention', makeFlexAttention());
  return m;
}

/** F.kl_div / nn.KLDivLoss: checks the reduction as torch's _Reduction does, warns for 'mean' as F.kl_div does. */
function klDivCall(input: PyValue, target: PyValue, reductionArg: PyValue, logTarget: boolean, ctx: CallContext): PyValue {
  const reduction = String(reductionArg);
  if (reduction === 'mean') {
    ctx.warn("UserWarning: reduction: 'mean' divides the total loss by both the batch size and the support size.'batchmean' divides only by the batch size, and aligns with the KL div math definition.'mean' will be changed to behave the same as 'batchmean' in the next major release.");
  }
  const r = reduction === 'batchmean' ? 'batchmean' : checkReduction(reduction);
  const out = klDiv(tensorArg(input, 'kl_div'), tensorArg(target, 'kl_div', 'target'), r, logTarget);
  // kl_div is composite in ATen: the node is its last op's
  const last = r === 'batchmean' ? 'div' : r === 'none' ? (logTarget ? 'mul' : 'sub') : r;
  return track(new TorchTensor(out), last, input, target);
}

/** One registered forward (pre-)hook: its handle id, the callable, and whether it takes the call's kwargs. */
interface ModuleHook { id: number; fn: PyValue; withKwargs: boolean }
/** A module's forward pre-hooks and forward hooks, in the order they run (`native.hooks`). */
interface ModuleHooks { pre: ModuleHook[]; post: ModuleHook[] }

/** Handle ids count up across every module, as torch.utils.hooks.RemovableHandle.next_id does. */
let nextHookId = 0;

function removableHandleClass(): PyClass {
  const cls = new PyClass('RemovableHandle', [], 'torch.utils.hooks.RemovableHandle');
  const remove = (self: PyValue | undefined) => ((self as PyInstance).native.remove as () => void)();
  cls.dict.set('remove', fn('remove', ([self]) => (remove(self), null)));
  cls.dict.set('__enter__', fn('__enter__', ([self]) => self!));
  cls.dict.set('__exit__', fn('__exit__', ([self]) => (remove(self), null)));
  return cls;
}

function removableHandle(cls: PyClass, id: number, remove: () => void): PyInstance {
  const h = new PyInstance(cls);
  h.dict.set('id', BigInt(id));
  h.native.remove = remove;
  return h;
}

/**
 * Module.__call__ with hooks, in torch.nn.Module._call_impl's order: each
 * forward pre-hook gets (module, args) and may replace args (a non-tuple is
 * wrapped in one), or with `with_kwargs=True` gets (module, args, kwargs) and
 * may return a new (args, kwargs) pair; then forward; then each forward hook
 * gets (module, args, output), or (module, args, kwargs, output), and a
 * non-None return replaces the output. Raises RuntimeError, as torch does,
 * when a with_kwargs pre-hook returns anything else than None or a 2-tuple.
 */
function callWithHooks(self: PyInstance, forward: PyValue, args: PyValue[], kw: Kwargs, hooks: ModuleHooks, ctx: CallContext): PyValue {
  let argv = new PyTuple(args);
  let kwargs = kw;
  // a hook that removes itself while running does not skip the next one
  for (const hook of [...hooks.pre]) {
    if (hook.withKwargs) {
      const r = ctx.call(hook.fn, [self, argv, kwargsDict(kwargs)]);
      if (r === null) continue;
      if (!(r instanceof PyTuple) || r.items.length !== 2) {
        throw runtimeError(`forward pre-hook must return None or a tuple of (new_args, new_kwargs), but got ${ctx.repr(r)}.`);
      }
      argv = r.items[0] instanceof PyTuple ? r.items[0] : new PyTuple(ctx.iterate(r.items[0]));
      kwargs = kwargsFrom(r.items[1], ctx);
    } else {
      const r = ctx.call(hook.fn, [self, argv]);
      if (r !== null) argv = r instanceof PyTuple ? r : new PyTuple([r]);
    }
  }
  let result = ctx.call(forward, argv.items, kwargs);
  for (const hook of [...hooks.post]) {
    const r = hook.withKwargs ? ctx.call(hook.fn, [self, argv, kwargsDict(kwargs), result]) : ctx.call(hook.fn, [self, argv, result]);
    if (r !== null) result = r;
  }
  return result;
}

function kwargsFrom(v: PyValue, ctx: CallContext): Kwargs {
  const out: Kwargs = new Map();
  if (!(v instanceof PyDict)) throw pyError('TypeError', `argument after ** must be a mapping, not ${typeNameOf(v)}`);
  for (const [k, x] of v.entries.values()) out.set(ctx.str(k), x);
  return out;
}

/** A Module method's generator (`Module.parameters`): one pass over what it found when called. */
class ModuleGenerator extends PyIterator {
  constructor(
    private readonly qualname: string,
    items: PyValue[],
  ) {
    let i = 0;
    super(() => (i < items.length ? { done: false, value: items[i++] } : { done: true }), 'generator');
  }
  override repr(): string {
    return `<generator object ${this.qualname} at 0x7f0000000000>`;
  }
}
