// nn.TransformerEncoderLayer / TransformerEncoder / TransformerDecoderLayer /
// TransformerDecoder / Transformer, following torch/nn/modules/transformer.py
// (PyTorch 2.x): submodules are built in the same order (so seeded weights
// match), stacks are deep copies of the given layer (_get_clones),
// nn.Transformer re-draws every >1-d parameter with xavier_uniform_, and
// masks are made additive (F._canonical_mask) before attention.
//
// The one place eval mode changes values: TransformerEncoder's nested-tensor
// fast path. In eval mode without autograd (torch.no_grad / inference_mode),
// batch_first, an even head count, a right-padded src_key_padding_mask and no
// src mask, PyTorch packs the batch into a nested tensor and pads the output
// back with 0.0, so padded positions come out as exact zeros (then through
// the final norm). Everywhere else padded positions get ordinary values.

import { runtimeError } from '../../engine/errors';
import { binary, cast, unary } from '../../engine/ops/core';
import { Tensor } from '../../engine/tensor';
import { bind, toBool, toFloat, toInt } from '../../python/args';
import { pyError } from '../../python/exceptions';
import { CallContext, Kwargs, PyClass, PyInstance, PyModule, PyTuple, PyValue } from '../../python/values';
import { ArrayValue } from '../common';
import { fn, masksCanonical, withCanonicalMasks } from './nnbase';
import { TorchTensor, gradEnabled, tensorArg, track } from './tensor';

/** copy.deepcopy of a module: tensors copied (parameters stay parameters), submodules cloned, other attributes shared. */
export function cloneModule(m: PyInstance, Module: PyClass): PyInstance {
  const out = new PyInstance(m.cls);
  out.native = { ...m.native };
  for (const [k, v] of m.dict) {
    if (v instanceof TorchTensor) {
      const t = new TorchTensor(cast(v.t, v.t.dtype));
      t.isParameter = v.isParameter;
      t.requiresGrad = v.requiresGrad;
      out.dict.set(k, t);
    } else if (v instanceof PyInstance && v.cls.isSubclassOf(Module)) out.dict.set(k, cloneModule(v, Module));
    else out.dict.set(k, v);
  }
  return out;
}

type Bound = Record<string, PyValue | undefined>;

/** Registers the transformer classes on torch.nn; `Transformer` already carries generate_square_subsequent_mask. */
export function addTransformers(nn: PyModule, Module: PyClass, Transformer: PyClass): void {
  const cls = (name: string) => nn.dict.get(name) as PyClass;
  const get = (self: PyInstance, k: string) => self.dict.get(k)!;
  const call = (ctx: CallContext, m: PyValue, args: PyValue[], kw: Kwargs = new Map()) => ctx.call(m, args, kw);
  const make = (name: string, init: (self: PyInstance, a: Bound, ctx: CallContext) => void, params: string[], forward: (self: PyInstance, a: Bound, ctx: CallContext) => PyValue) => {
    const c = new PyClass(name, [Module], `torch.nn.modules.transformer.${name}`);
    c.dict.set('__init__', fn('__init__', ([self, ...args], kw, ctx) => {
      const inst = self as PyInstance;
      inst.dict.set('training', true);
      init(inst, bind(name, args, kw, params), ctx);
      return null;
    }));
    return c;
  };

  const activationOf = (v: PyValue | undefined, ctx: CallContext): PyValue => {
    const F = nn.dict.get('functional') as PyModule;
    if (v === undefined || v === null || v === 'relu') return F.dict.get('relu')!;
    if (v === 'gelu') return F.dict.get('gelu')!;
    if (typeof v === 'string') throw runtimeError(`activation should be relu/gelu, not ${v}`);
    void ctx;
    return v;
  };

  const layerInit = (decoder: boolean) => (self: PyInstance, a: Bound, ctx: CallContext) => {
    const d = a.d_model!, h = a.nhead!;
    const ff = a.dim_feedforward ?? 2048n;
    // kept as given: Dropout(p=0) and Dropout(p=0.0) print differently
    const p = a.dropout ?? 0.1;
    const bias = toBool(a.bias, ctx, true);
    const batchFirst = toBool(a.batch_first, ctx);
    const mhaKw = new Map<string, PyValue>([['dropout', p], ['bias', bias], ['batch_first', batchFirst]]);
    self.dict.set('self_attn', call(ctx, cls('MultiheadAttention'), [d, h], mhaKw));
    if (decoder) self.dict.set('multihead_attn', call(ctx, cls('MultiheadAttention'), [d, h], mhaKw));
    self.dict.set('linear1', call(ctx, cls('Linear'), [d, ff], new Map([['bias', bias]])));
    self.dict.set('dropout', call(ctx, cls('Dropout'), [p]));
    self.dict.set('linear2', call(ctx, cls('Linear'), [ff, d], new Map([['bias', bias]])));
    self.dict.set('norm_first', toBool(a.norm_first, ctx));
    const eps = a.layer_norm_eps === undefined ? 1e-5 : toFloat(a.layer_norm_eps, 'layer_norm_eps');
    const norm = () => call(ctx, cls('LayerNorm'), [d], new Map<string, PyValue>([['eps', eps], ['bias', bias]]));
    self.dict.set('norm1', norm());
    self.dict.set('norm2', norm());
    if (decoder) self.dict.set('norm3', norm());
    self.dict.set('dropout1', call(ctx, cls('Dropout'), [p]));
    self.dict.set('dropout2', call(ctx, cls('Dropout'), [p]));
    if (decoder) self.dict.set('dropout3', call(ctx, cls('Dropout'), [p]));
    self.dict.set('activation_relu_or_gelu', a.activation === undefined || a.activation === 'relu' ? 1n : a.activation === 'gelu' ? 2n : 0n);
    self.dict.set('activation', activationOf(a.activation, ctx));
    self.dict.set('batch_first', batchFirst);
  };
  const layerParams = ['d_model', 'nhead', 'dim_feedforward?', 'dropout?', 'activation?', 'layer_norm_eps?', 'batch_first?', 'norm_first?', 'bias?', 'device?', 'dtype?'];

  /** attention block: self_attn or multihead_attn with need_weights=False, then its dropout. */
  const attend = (self: PyInstance, which: string, drop: string, x: PyValue, mem: PyValue, mask: PyValue | undefined, kpm: PyValue | undefined, causal: PyValue | undefined, ctx: CallContext) => {
    const kw = new Map<string, PyValue>([['attn_mask', mask ?? null], ['key_padding_mask', kpm ?? null], ['need_weights', false]]);
    if (causal !== undefined && causal !== null) kw.set('is_causal', causal);
    const out = (call(ctx, get(self, which), [x, mem, mem], kw) as PyTuple).items[0];
    return call(ctx, get(self, drop), [out]);
  };
  const feedForward = (self: PyInstance, x: PyValue, ctx: CallContext) => {
    const h = call(ctx, get(self, 'dropout'), [call(ctx, get(self, 'activation'), [call(ctx, get(self, 'linear1'), [x])])]);
    return call(ctx, get(self, 'dropout2'), [call(ctx, get(self, 'linear2'), [h])]);
  };
  const addT = (x: PyValue, y: PyValue) => track(new TorchTensor(binary('add', tensorArg(x, 'add'), tensorArg(y, 'add'))), 'add', x, y);
  const norm = (self: PyInstance, k: string, x: PyValue, ctx: CallContext) => call(ctx, get(self, k), [x]);

  const EncoderLayer = make('TransformerEncoderLayer', layerInit(false), layerParams, () => null);
  EncoderLayer.dict.set('forward', fn('forward', ([self, ...args], kw, ctx) => {
    const s = self as PyInstance;
    const a = bind('forward', args, kw, ['src', 'src_mask?', 'src_key_padding_mask?', 'is_causal?']);
    checkMaskTypes(a.src_key_padding_mask, a.src_mask, 'src_key_padding_mask', 'src_mask', ctx);
    let x: PyValue = a.src!;
    const sa = (y: PyValue) => attend(s, 'self_attn', 'dropout1', y, y, a.src_mask, a.src_key_padding_mask, a.is_causal, ctx);
    return withCanonicalMasks(() => {
      if (s.dict.get('norm_first') === true) {
        x = addT(x, sa(norm(s, 'norm1', x, ctx)));
        x = addT(x, feedForward(s, norm(s, 'norm2', x, ctx), ctx));
      } else {
        x = norm(s, 'norm1', addT(x, sa(x)), ctx);
        x = norm(s, 'norm2', addT(x, feedForward(s, x, ctx)), ctx);
      }
      return x;
    });
  }));
  nn.dict.set('TransformerEncoderLayer', EncoderLayer);

  const DecoderLayer = make('TransformerDecoderLayer', layerInit(true), layerParams, () => null);
  DecoderLayer.dict.set('forward', fn('forward', ([self, ...args], kw, ctx) => {
    const s = self as PyInstance;
    const a = bind('forward', args, kw, ['tgt', 'memory', 'tgt_mask?', 'memory_mask?', 'tgt_key_padding_mask?', 'memory_key_padding_mask?', 'tgt_is_causal?', 'memory_is_causal?']);
    let x: PyValue = a.tgt!;
    const mem = a.memory!;
    const sa = (y: PyValue) => attend(s, 'self_attn', 'dropout1', y, y, a.tgt_mask, a.tgt_key_padding_mask, a.tgt_is_causal, ctx);
    const ca = (y: PyValue) => attend(s, 'multihead_attn', 'dropout2', y, mem, a.memory_mask, a.memory_key_padding_mask, a.memory_is_causal, ctx);
    const ff = (y: PyValue) => {
      const h = call(ctx, get(s, 'dropout'), [call(ctx, get(s, 'activation'), [call(ctx, get(s, 'linear1'), [y])])]);
      return call(ctx, get(s, 'dropout3'), [call(ctx, get(s, 'linear2'), [h])]);
    };
    if (s.dict.get('norm_first') === true) {
      x = addT(x, sa(norm(s, 'norm1', x, ctx)));
      x = addT(x, ca(norm(s, 'norm2', x, ctx)));
      x = addT(x, ff(norm(s, 'norm3', x, ctx)));
    } else {
      x = norm(s, 'norm1', addT(x, sa(x)), ctx);
      x = norm(s, 'norm2', addT(x, ca(x)), ctx);
      x = norm(s, 'norm3', addT(x, ff(x)), ctx);
    }
    return x;
  }));
  nn.dict.set('TransformerDecoderLayer', DecoderLayer);

  const stack = (name: string, layerName: string) => {
    const c = new PyClass(name, [Module], `torch.nn.modules.transformer.${name}`);
    c.dict.set('__init__', fn('__init__', ([self, ...args], kw, ctx) => {
      const inst = self as PyInstance;
      const a = bind(name, args, kw, [layerName, 'num_layers', 'norm?', 'enable_nested_tensor?', 'mask_check?']);
      inst.dict.set('training', true);
      const proto = a[layerName] as PyInstance;
      const n = toInt(a.num_layers, 'num_layers');
      const list = call(ctx, cls('ModuleList'), []) as PyInstance;
      for (let i = 0; i < n; i++) list.dict.set(String(i), cloneModule(proto, Module));
      inst.dict.set('layers', list);
      inst.dict.set('num_layers', BigInt(n));
      inst.dict.set('norm', a.norm ?? null);
      if (name === 'TransformerEncoder') {
        const enable = toBool(a.enable_nested_tensor, ctx, true);
        const why = whyNotNested(proto, ctx);
        if (enable && why) ctx.warn(`enable_nested_tensor is True, but self.use_nested_tensor is False because ${why}`);
        inst.dict.set('use_nested_tensor', enable && !why);
        inst.dict.set('mask_check', toBool(a.mask_check, ctx, true));
      }
      return null;
    }));
    return c;
  };
  const layersOf = (self: PyInstance) => [...(self.dict.get('layers') as PyInstance).dict].filter(([k]) => /^\d+$/.test(k)).map(([, v]) => v);

  const Encoder = stack('TransformerEncoder', 'encoder_layer');
  Encoder.dict.set('forward', fn('forward', ([self, ...args], kw, ctx) => {
    const s = self as PyInstance;
    const a = bind('forward', args, kw, ['src', 'mask?', 'src_key_padding_mask?', 'is_causal?']);
    checkMaskTypes(a.src_key_padding_mask, a.mask, 'src_key_padding_mask', 'mask', ctx);
    const nested = nestedFastPath(s, layersOf(s)[0] as PyInstance, a);
    let x: PyValue = a.src!;
    const layerKw = new Map<string, PyValue>([['src_mask', a.mask ?? null], ['src_key_padding_mask', a.src_key_padding_mask ?? null]]);
    if (a.is_causal !== undefined && a.is_causal !== null) layerKw.set('is_causal', a.is_causal);
    x = withCanonicalMasks(() => layersOf(s).reduce((y, layer) => call(ctx, layer, [y], layerKw), x));
    if (nested) x = zeroPadded(x, tensorArg(a.src_key_padding_mask, 'forward', 'src_key_padding_mask'));
    const n = s.dict.get('norm');
    return n === null || n === undefined ? x : call(ctx, n, [x]);
  }));
  nn.dict.set('TransformerEncoder', Encoder);

  const Decoder = stack('TransformerDecoder', 'decoder_layer');
  Decoder.dict.set('forward', fn('forward', ([self, ...args], kw, ctx) => {
    const s = self as PyInstance;
    const a = bind('forward', args, kw, ['tgt', 'memory', 'tgt_mask?', 'memory_mask?', 'tgt_key_padding_mask?', 'memory_key_padding_mask?', 'tgt_is_causal?', 'memory_is_causal?']);
    let x: PyValue = a.tgt!;
    const layerKw = new Map<string, PyValue>();
    for (const k of ['tgt_mask', 'memory_mask', 'tgt_key_padding_mask', 'memory_key_padding_mask', 'tgt_is_causal', 'memory_is_causal']) {
      if (a[k] !== undefined && a[k] !== null) layerKw.set(k, a[k]!);
    }
    for (const layer of layersOf(s)) x = call(ctx, layer, [x, a.memory!], layerKw);
    const n = s.dict.get('norm');
    return n === null || n === undefined ? x : call(ctx, n, [x]);
  }));
  nn.dict.set('TransformerDecoder', Decoder);

  Transformer.dict.set('__init__', fn('__init__', ([self, ...args], kw, ctx) => {
    const inst = self as PyInstance;
    const a = bind('Transformer', args, kw, ['d_model?', 'nhead?', 'num_encoder_layers?', 'num_decoder_layers?', 'dim_feedforward?', 'dropout?', 'activation?', 'custom_encoder?', 'custom_decoder?', 'layer_norm_eps?', 'batch_first?', 'norm_first?', 'bias?', 'device?', 'dtype?']);
    inst.dict.set('training', true);
    const d = a.d_model ?? 512n, h = a.nhead ?? 8n;
    const layerKw = new Map<string, PyValue>([['dim_feedforward', a.dim_feedforward ?? 2048n], ['dropout', a.dropout ?? 0.1],
      ['activation', a.activation ?? 'relu'], ['layer_norm_eps', a.layer_norm_eps ?? 1e-5], ['batch_first', a.batch_first ?? false],
      ['norm_first', a.norm_first ?? false], ['bias', a.bias ?? true]] as [string, PyValue][]);
    const normKw = new Map<string, PyValue>([['eps', a.layer_norm_eps ?? 1e-5], ['bias', a.bias ?? true]] as [string, PyValue][]);
    if (a.custom_encoder !== undefined && a.custom_encoder !== null) inst.dict.set('encoder', a.custom_encoder);
    else {
      const layer = call(ctx, EncoderLayer, [d, h], layerKw);
      const norm = call(ctx, cls('LayerNorm'), [d], normKw);
      inst.dict.set('encoder', call(ctx, Encoder, [layer, a.num_encoder_layers ?? 6n, norm]));
    }
    if (a.custom_decoder !== undefined && a.custom_decoder !== null) inst.dict.set('decoder', a.custom_decoder);
    else {
      const layer = call(ctx, DecoderLayer, [d, h], layerKw);
      const norm = call(ctx, cls('LayerNorm'), [d], normKw);
      inst.dict.set('decoder', call(ctx, Decoder, [layer, a.num_decoder_layers ?? 6n, norm]));
    }
    // _reset_parameters: xavier_uniform_ on every parameter with more than one dim, in parameters() order
    const xavier = (nn.dict.get('init') as PyModule).dict.get('xavier_uniform_')!;
    for (const p of ctx.iterate(ctx.call(ctx.getAttr(inst, 'parameters'), []))) {
      if (p instanceof TorchTensor && p.t.ndim > 1) ctx.call(xavier, [p]);
    }
    inst.dict.set('d_model', d);
    inst.dict.set('nhead', h);
    inst.dict.set('batch_first', a.batch_first ?? false);
    return null;
  }));
  Transformer.dict.set('forward', fn('forward', ([self, ...args], kw, ctx) => {
    const s = self as PyInstance;
    const a = bind('forward', args, kw, ['src', 'tgt', 'src_mask?', 'tgt_mask?', 'memory_mask?', 'src_key_padding_mask?', 'tgt_key_padding_mask?', 'memory_key_padding_mask?', 'src_is_causal?', 'tgt_is_causal?', 'memory_is_causal?']);
    const src = tensorArg(a.src, 'forward', 'src'), tgt = tensorArg(a.tgt, 'forward', 'tgt');
    const batched = src.ndim === 3;
    const bdim = s.dict.get('batch_first') === true ? 0 : 1;
    if (!batched && tgt.ndim === 3) throw runtimeError('the batch number of src and tgt must be equal');
    if (batched && src.shape[bdim] !== tgt.shape[bdim]) throw runtimeError('the batch number of src and tgt must be equal');
    const dm = Number(s.dict.get('d_model'));
    if (src.shape[src.ndim - 1] !== dm || tgt.shape[tgt.ndim - 1] !== dm) throw runtimeError('the feature number of src and tgt must be equal to d_model');
    const encKw = new Map<string, PyValue>([['mask', a.src_mask ?? null], ['src_key_padding_mask', a.src_key_padding_mask ?? null]]);
    if (a.src_is_causal !== undefined && a.src_is_causal !== null) encKw.set('is_causal', a.src_is_causal);
    const memory = call(ctx, get(s, 'encoder'), [a.src!], encKw);
    const decKw = new Map<string, PyValue>();
    for (const k of ['tgt_mask', 'memory_mask', 'tgt_key_padding_mask', 'memory_key_padding_mask', 'tgt_is_causal', 'memory_is_causal']) {
      if (a[k] !== undefined && a[k] !== null) decKw.set(k, a[k]!);
    }
    return call(ctx, get(s, 'decoder'), [a.tgt!, memory], decKw);
  }));
}

/**
 * TransformerEncoder.__init__'s why_not_sparsity_fast_path: the first reason,
 * in torch's order, its encoder layer rules nested tensors out (the default
 * batch_first=False is one, so the tutorials' encoders warn), or '' when none.
 */
function whyNotNested(layer: PyInstance, ctx: CallContext): string {
  const e = 'encoder_layer';
  const attr = (o: PyValue, k: string) => ctx.getAttr(o, k);
  if (!(layer instanceof PyInstance) || !layer.cls.mro().some((c) => c.name === 'TransformerEncoderLayer')) return `${e} was not TransformerEncoderLayer`;
  const sa = attr(layer, 'self_attn');
  if (ctx.truthy(attr(layer, 'norm_first'))) return `${e}.norm_first was True`;
  if (!ctx.truthy(attr(sa, 'batch_first'))) return `${e}.self_attn.batch_first was not True(use batch_first for better inference performance)`;
  if (!ctx.truthy(attr(sa, '_qkv_same_embed_dim'))) return `${e}.self_attn._qkv_same_embed_dim was not True`;
  if (attr(sa, 'in_proj_bias') === null) return `${e}.self_attn was passed bias=False`;
  if (!ctx.truthy(attr(layer, 'activation_relu_or_gelu'))) return `${e}.activation_relu_or_gelu was not True`;
  if (Number(attr(attr(layer, 'norm1'), 'eps')) !== Number(attr(attr(layer, 'norm2'), 'eps'))) return `${e}.norm1.eps was not equal to ${e}.norm2.eps`;
  if (Number(attr(sa, 'num_heads')) % 2 === 1) return `${e}.self_attn.num_heads is odd`;
  return '';
}

/** F._canonical_mask's warning when one mask is bool and the other float. */
function checkMaskTypes(kpm: PyValue | undefined, mask: PyValue | undefined, kpmName: string, maskName: string, ctx: CallContext): void {
  if (!(kpm instanceof ArrayValue) || !(mask instanceof ArrayValue) || masksCanonical()) return;
  if ((kpm.t.dtype === 'bool') !== (mask.t.dtype === 'bool')) {
    ctx.warn(`Support for mismatched ${kpmName} and ${maskName} is deprecated. Use same type for both instead.`);
  }
  void pyError;
}

/** Whether TransformerEncoder.forward takes the nested-tensor path (see the file header). */
function nestedFastPath(self: PyInstance, first: PyInstance | undefined, a: Record<string, PyValue | undefined>): boolean {
  if (!first || self.dict.get('use_nested_tensor') !== true) return false;
  if (self.dict.get('training') === true || first.dict.get('training') === true) return false;
  if (gradEnabled()) return false; // the real check: grad enabled and parameters requiring grad
  if (!(a.src_key_padding_mask instanceof ArrayValue) || (a.mask !== undefined && a.mask !== null)) return false;
  const attn = first.dict.get('self_attn') as PyInstance;
  if (attn.dict.get('batch_first') !== true || first.dict.get('activation_relu_or_gelu') === 0n) return false;
  const src = tensorArg(a.src, 'forward', 'src');
  if (src.ndim !== 3) return false;
  // mask_check: the padding must be right-aligned (_nested_tensor_from_mask_left_aligned)
  const kpm = a.src_key_padding_mask.t;
  const pad = kpm.dtype === 'bool' ? kpm : unary('isinf', kpm, 'bool');
  const v = pad.values();
  const [B, S] = pad.shape;
  for (let b = 0; b < B; b++) {
    let seenPad = false;
    for (let j = 0; j < S; j++) {
      if (v[b * S + j]) seenPad = true;
      else if (seenPad) return false;
    }
  }
  return true;
}

/** to_padded_tensor(0.0): positions the key padding mask marks come back as exact zeros. */
function zeroPadded(x: PyValue, kpm: Tensor): PyValue {
  const t = tensorArg(x, 'forward');
  const pad = kpm.dtype === 'bool' ? kpm : unary('isinf', kpm, 'bool');
  const [B, S] = pad.shape;
  const E = t.shape[2];
  const out = cast(t, t.dtype);
  const v = pad.values();
  for (let b = 0; b < B; b++) for (let j = 0; j < S; j++) if (v[b * S + j]) out.storage.data.fill(0, (b * S + j) * E, (b * S + j + 1) * E);
  return track(new TorchTensor(out), 'to_padded_tensor', x);
}
