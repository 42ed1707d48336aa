// torch.nn containers (ModuleList, ModuleDict, Sequential indexing), the
// normalisation layers (LayerNorm, RMSNorm and their F.* forms) and the
// activation modules model files build from. Semantics follow
// torch/nn/modules/{container,normalization,activation}.py and the ATen
// kernels named at each function.

import { DType, caster, isFloating } from '../../engine/dtype';
import { runtimeError } from '../../engine/errors';
import { binary, cast, inIteratorLayout, scalarTypeName, unary, where } from '../../engine/ops/core';
import { mean } from '../../engine/ops/reduce';
import { narrow, reshape } from '../../engine/ops/shape';
import { Tensor } from '../../engine/tensor';
import { bind, toBool, toFloat, toInt } from '../../python/args';
import { pyError } from '../../python/exceptions';
import { CallContext, Kwargs, NativeFn, PyClass, PyInstance, PyList, PyModule, PySlice, PyTuple, PyValue, typeNameOf } from '../../python/values';
import { ArrayValue } from '../common';
import { erf, siluFloat32 } from '../../engine/ops/special';
import { kChunks } from '../../engine/kernels/float32_matmul';
import { fma32 } from '../../engine/random/float_math';
import { fn, getTensorOrNull, layer, parameter, uniformTensor } from './nnbase';
import { TorchTensor, filled, tensorArg, track } from './tensor';

/** finfo(dtype).eps, the default eps of rms_norm. */
function machineEps(d: DType): number {
  return d === 'float64' ? 2 ** -52 : d === 'float16' ? 2 ** -10 : d === 'bfloat16' ? 2 ** -7 : 2 ** -23;
}

function normalizedShape(v: PyValue | undefined, ctx: CallContext): number[] {
  if (typeof v === 'bigint') return [Number(v)];
  return ctx.iterate(v ?? null).map((x) => toInt(x, 'normalized_shape'));
}

function checkNormShape(fnName: string, x: Tensor, shape: number[]): void {
  const tail = x.shape.slice(x.ndim - shape.length);
  if (shape.length > x.ndim || tail.some((s, i) => s !== shape[i])) {
    throw runtimeError(`Given normalized_shape=[${shape.join(', ')}], expected input with shape [*, ${shape.join(', ')}], but got input of size[${x.shape.join(', ')}]`);
  }
  void fnName;
}

/**
 * F.group_norm(input [N, C, *], num_groups, weight [C], bias [C], eps): per
 * sample and group of C / num_groups channels, mean and biased variance
 * (accumulated in double, rounded to float as layerNorm does), then per
 * channel scale = rstd * weight[c], shift = -scale * mean + bias[c] and
 * y = x * scale + shift, as ATen's GroupNormKernelImpl. RuntimeError for
 * channels that num_groups does not divide.
 */
export function groupNorm(x: Tensor, groups: number, weight: Tensor | null, bias: Tensor | null, eps: number): Tensor {
  if (x.ndim < 2) throw runtimeError(`Expected at least 2 dimensions for input tensor but received ${x.ndim}`);
  const [N, C] = x.shape;
  if (C % groups !== 0) throw runtimeError(`Expected number of channels in input to be divisible by num_groups, but got input of shape [${x.shape.join(', ')}] and num_groups=${groups}`);
  if (!isFloating(x.dtype)) throw runtimeError(`"GroupNormKernelImpl" not implemented for '${x.dtype === 'int64' ? 'Long' : x.dtype}'`);
  const v = (x.isContiguous() ? x : cast(x, x.dtype)).values();
  const inner = x.numel / Math.max(1, N * C), cg = C / groups, D = cg * inner;
  const out = Tensor.empty(x.dtype, x.shape);
  const w = weight?.values(), b = bias?.values();
  const f32 = x.dtype === 'float32' ? Math.fround : (y: number) => y;
  for (let n = 0; n < N; n++) {
    for (let g = 0; g < groups; g++) {
      const base = (n * C + g * cg) * inner;
      let m = 0;
      for (let j = 0; j < D; j++) m += v[base + j];
      m /= D;
      let s2 = 0;
      for (let j = 0; j < D; j++) s2 += (v[base + j] - m) ** 2;
      const mean32 = f32(m), rstd = f32(1 / Math.sqrt(f32(s2 / D) + eps));
      for (let c = 0; c < cg; c++) {
        const ch = g * cg + c;
        const scale = w ? f32(rstd * w[ch]) : rstd;
        const shift = f32(f32(-scale * mean32) + (b ? b[ch] : 0));
        for (let j = 0; j < inner; j++) {
          const at = base + c * inner + j;
          out.storage.data[at] = f32(f32(v[at] * scale) + shift);
        }
      }
    }
  }
  return out;
}

/**
 * F.layer_norm(input [*, *normalized_shape], normalized_shape, weight, bias, eps):
 * per row, mean and biased variance over the trailing dims, then
 * (x * rstd + (-rstd * mean)) * weight + bias, in the input's float dtype
 * as ATen's LayerNormKernelImpl does (moments accumulated in double here).
 * Raises RuntimeError for a shape that does not end in normalized_shape.
 */
export function layerNorm(x: Tensor, shape: number[], weight: Tensor | null, bias: Tensor | null, eps: number): Tensor {
  checkNormShape('layer_norm', x, shape);
  if (!isFloating(x.dtype)) throw runtimeError(`"LayerNormKernelImpl" not implemented for '${x.dtype === 'int64' ? 'Long' : x.dtype}'`);
  const n = shape.reduce((p, q) => p * q, 1);
  const src = x.isContiguous() ? x : cast(x, x.dtype);
  const v = src.values();
  const out = Tensor.empty(x.dtype, x.shape);
  const w = weight?.values(), b = bias?.values();
  const f32 = x.dtype === 'float32' ? Math.fround : (y: number) => y;
  const rows = n === 0 ? 0 : v.length / n;
  for (let r = 0; r < rows; r++) {
    let m = 0;
    for (let j = 0; j < n; j++) m += v[r * n + j];
    m /= n;
    let s2 = 0;
    for (let j = 0; j < n; j++) s2 += (v[r * n + j] - m) ** 2;
    const mean32 = f32(m);
    const rstd = f32(1 / Math.sqrt(f32(s2 / n) + eps));
    const shift = f32(-rstd * mean32);
    for (let j = 0; j < n; j++) {
      let y = f32(f32(v[r * n + j] * rstd) + shift);
      if (w) y = f32(y * w[j]);
      if (b) y = f32(y + b[j]);
      out.storage.data[r * n + j] = y;
    }
  }
  return out;
}

/**
 * F.rms_norm(input, normalized_shape, weight, eps=None): x * rsqrt(mean(x², trailing dims) + eps) * weight,
 * eps defaulting to finfo(dtype).eps (torch/nn/functional.py, ATen's composite rms_norm).
 */
export function rmsNorm(x: Tensor, shape: number[], weight: Tensor | null, eps: number | null): Tensor {
  checkNormShape('rms_norm', x, shape);
  const dims = shape.map((_, i) => x.ndim - shape.length + i);
  const ms = mean(binary('mul', x, x), dims, true);
  let y = binary('mul', x, unary('rsqrt', binary('add', ms, eps ?? machineEps(x.dtype))));
  if (weight) y = binary('mul', y, weight);
  return y;
}

/** GELU, exact (erf) or approximate='tanh', per ATen's GeluKernel. */
export function gelu(x: Tensor, approximate: string): Tensor {
  if (approximate !== 'none' && approximate !== 'tanh') throw runtimeError(`approximate argument must be either none or tanh.`);
  const v = x.values();
  const out = Tensor.empty(x.dtype, x.shape);
  const k = Math.sqrt(2 / Math.PI);
  for (let i = 0; i < v.length; i++) {
    const a = v[i];
    out.storage.data[i] = approximate === 'tanh' ? 0.5 * a * (1 + Math.tanh(k * (a + 0.044715 * a * a * a))) : 0.5 * a * (1 + erf(a / Math.SQRT2));
  }
  return out;
}


type Act = (x: Tensor, self: PyInstance | null, kw: Record<string, PyValue | undefined>) => Tensor;

const sigmoid = (x: Tensor) => unary('sigmoid', x);
/** The activation functions: F.name and nn.Name compute the same thing; names are PyTorch's. */
const ACTIVATIONS: [string, string, string[], Act][] = [
  // ATen's silu_kernel: x / (1 + exp(-x)) (float32 lane by lane as torch rounds it)
  ['SiLU', 'silu', ['inplace?'], (x) => (x.dtype === 'float32' ? inIteratorLayout(siluFloat32(x), [x])
    : x.dtype === 'float64' ? binary('div', x, binary('add', unary('exp', unary('neg', x)), 1)) : binary('mul', x, sigmoid(x)))],
  ['Mish', 'mish', ['inplace?'], (x) => binary('mul', x, unary('tanh', softplusOf(x, 1, 20)))],
  ['GELU', 'gelu', ['approximate?'], (x, _s, a) => inIteratorLayout(gelu(x, String(a.approximate ?? 'none')), [x])],
  ['LeakyReLU', 'leaky_relu', ['negative_slope?', 'inplace?'], (x, _s, a) => {
    const slope = a.negative_slope === undefined ? 0.01 : toFloat(a.negative_slope, 'negative_slope');
    return where(binary('gt', x, 0), x, binary('mul', x, slope));
  }],
  ['ELU', 'elu', ['alpha?', 'inplace?'], (x, _s, a) => {
    const alpha = a.alpha === undefined ? 1 : toFloat(a.alpha, 'alpha');
    return where(binary('gt', x, 0), x, binary('mul', unary('expm1', x), alpha));
  }],
  ['Softplus', 'softplus', ['beta?', 'threshold?'], (x, _s, a) => softplusOf(x, a.beta === undefined ? 1 : toFloat(a.beta, 'beta'), a.threshold === undefined ? 20 : toFloat(a.threshold, 'threshold'))],
  ['Softsign', 'softsign', [], (x) => binary('div', x, binary('add', unary('abs', x), 1))],
  ['Hardtanh', 'hardtanh', ['min_val?', 'max_val?', 'inplace?'], (x, _s, a) => {
    const lo = a.min_val === undefined ? -1 : toFloat(a.min_val, 'min_val'), hi = a.max_val === undefined ? 1 : toFloat(a.max_val, 'max_val');
    return binary('minimum', binary('maximum', x, lo), hi);
  }],
  ['ReLU6', 'relu6', ['inplace?'], (x) => binary('minimum', binary('maximum', x, 0), 6)],
];

function softplusOf(x: Tensor, beta: number, threshold: number): Tensor {
  const bx = binary('mul', x, beta);
  return where(binary('gt', bx, threshold), x, binary('div', unary('log1p', unary('exp', bx)), beta));
}

/** Registers the containers, norms and activations on torch.nn / torch.nn.functional. */
export function addLayers(nn: PyModule, F: PyModule, Module: PyClass, moduleRepr: (self: PyInstance, ctx: CallContext, grouped?: boolean) => string): void {
  const add = (c: PyClass) => nn.dict.set(c.name, c);
  const def = (name: string, f: NativeFn) => F.dict.set(name, fn(name, f));

  // ---------- containers ----------
  const items = (self: PyInstance) => [...self.dict].filter(([k]) => /^\d+$/.test(k)).map(([, v]) => v);
  const setItems = (self: PyInstance, xs: PyValue[]) => {
    for (const k of [...self.dict.keys()]) if (/^\d+$/.test(k)) self.dict.delete(k);
    xs.forEach((m, i) => self.dict.set(String(i), m));
  };
  const indexed = (self: PyInstance, key: PyValue, ctx: CallContext, what: string): number => {
    const n = items(self).length;
    const i = toInt(key, 'idx');
    if (i < -n || i >= n) throw pyError('IndexError', `index ${i} is out of range`);
    void ctx;
    void what;
    return i < 0 ? i + n : i;
  };
  const sequenceClass = (name: string, callable: boolean) => {
    const cls = new PyClass(name, [Module], `torch.nn.modules.container.${name}`);
    const m = (n: string, f: NativeFn) => cls.dict.set(n, fn(n, f));
    m('__init__', ([self, ...args], _kw, ctx) => {
      const inst = self as PyInstance;
      inst.dict.set('training', true);
      const mods = name === 'ModuleList' ? (args[0] === undefined || args[0] === null ? [] : ctx.iterate(args[0])) : args;
      if (name === 'Sequential' && mods.length === 1 && mods[0] instanceof PyInstance && mods[0].cls.name === 'OrderedDict') {
        for (const [k, v] of ctx.iterate(ctx.call(ctx.getAttr(mods[0], 'items'), [])).map((t) => ctx.iterate(t))) inst.dict.set(String(k), v);
        return null;
      }
      mods.forEach((x, i) => inst.dict.set(String(i), x));
      return null;
    });
    m('__len__', ([self]) => BigInt(items(self as PyInstance).length));
    m('__iter__', ([self]) => new PyList(items(self as PyInstance)));
    m('__getitem__', ([self, key], _kw, ctx) => {
      const inst = self as PyInstance;
      if (key instanceof PySlice) {
        const out = new PyInstance(cls);
        out.dict.set('training', inst.dict.get('training') ?? true);
        sliceOf(items(inst), key).forEach((x, i) => out.dict.set(String(i), x));
        return out;
      }
      return items(inst)[indexed(inst, key!, ctx, name)];
    });
    m('__setitem__', ([self, key, v], _kw, ctx) => {
      const inst = self as PyInstance;
      const xs = items(inst);
      xs[indexed(inst, key!, ctx, name)] = v!;
      setItems(inst, xs);
      return null;
    });
    m('append', ([self, v]) => {
      const inst = self as PyInstance;
      inst.dict.set(String(items(inst).length), v!);
      return self!;
    });
    m('extend', ([self, vs], _kw, ctx) => {
      const inst = self as PyInstance;
      for (const v of ctx.iterate(vs!)) inst.dict.set(String(items(inst).length), v);
      return self!;
    });
    m('insert', ([self, idx, v]) => {
      const inst = self as PyInstance;
      const xs = items(inst);
      let i = toInt(idx, 'index');
      if (i < 0) i += xs.length;
      xs.splice(Math.max(0, Math.min(i, xs.length)), 0, v!);
      setItems(inst, xs);
      return null;
    });
    m('__repr__', ([self], _kw, ctx) => moduleRepr(self as PyInstance, ctx, name === 'ModuleList'));
    if (callable) {
      m('forward', ([self, ...args], _kw, ctx) => {
        let x = args[0];
        for (const mod of (self as PyInstance).dict.values()) if (mod instanceof PyInstance && mod.cls.isSubclassOf(Module)) x = ctx.call(mod, [x]);
        return x ?? null;
      });
    }
    return cls;
  };
  add(sequenceClass('ModuleList', false));
  add(sequenceClass('Sequential', true));

  const ModuleDict = new PyClass('ModuleDict', [Module], 'torch.nn.modules.container.ModuleDict');
  const md = (n: string, f: NativeFn) => ModuleDict.dict.set(n, fn(n, f));
  const entries = (self: PyInstance) => [...self.dict].filter(([k, v]) => k !== 'training' && v instanceof PyInstance);
  const update = (inst: PyInstance, src: PyValue, ctx: CallContext) => {
    const pairs = src instanceof PyInstance || typeNameOf(src).endsWith('dict') ? ctx.iterate(ctx.call(ctx.getAttr(src, 'items'), [])) : ctx.iterate(src);
    for (const p of pairs) {
      const [k, v] = ctx.iterate(p);
      inst.dict.set(String(k), v);
    }
  };
  md('__init__', ([self, src], _kw, ctx) => {
    const inst = self as PyInstance;
    inst.dict.set('training', true);
    if (src !== undefined && src !== null) update(inst, src, ctx);
    return null;
  });
  md('update', ([self, src], _kw, ctx) => (update(self as PyInstance, src!, ctx), null));
  md('__getitem__', ([self, k]) => {
    const v = (self as PyInstance).dict.get(String(k));
    if (v === undefined || !(v instanceof PyInstance)) throw pyError('KeyError', `'${String(k)}'`);
    return v;
  });
  md('__setitem__', ([self, k, v]) => ((self as PyInstance).dict.set(String(k), v!), null));
  md('__contains__', ([self, k]) => entries(self as PyInstance).some(([n]) => n === k));
  md('__len__', ([self]) => BigInt(entries(self as PyInstance).length));
  md('__iter__', ([self]) => new PyList(entries(self as PyInstance).map(([k]) => k)));
  md('keys', ([self]) => new PyList(entries(self as PyInstance).map(([k]) => k)));
  md('values', ([self]) => new PyList(entries(self as PyInstance).map(([, v]) => v)));
  md('items', ([self]) => new PyList(entries(self as PyInstance).map(([k, v]) => new PyTuple([k, v]))));
  md('__repr__', ([self], _kw, ctx) => moduleRepr(self as PyInstance, ctx));
  add(ModuleDict);

  // ---------- normalisation ----------
  const affine = (self: PyInstance, shape: number[], withBias: boolean, dtype: DType) => {
    self.dict.set('weight', parameter(filled(shape, 1, dtype)));
    self.dict.set('bias', withBias ? parameter(filled(shape, 0, dtype)) : null);
  };
  add(layer('LayerNorm', Module, (self, args, kw, ctx) => {
    const a = bind('LayerNorm', args, kw, ['normalized_shape', 'eps?', 'elementwise_affine?', 'bias?', 'device?', 'dtype?']);
    const shape = normalizedShape(a.normalized_shape, ctx);
    self.dict.set('normalized_shape', new PyTuple(shape.map(BigInt)));
    self.dict.set('eps', a.eps === undefined ? 1e-5 : toFloat(a.eps, 'eps'));
    const affineOn = toBool(a.elementwise_affine, ctx, true);
    self.dict.set('elementwise_affine', affineOn);
    if (affineOn) affine(self, shape, toBool(a.bias, ctx, true), 'float32');
    else {
      self.dict.set('weight', null);
      self.dict.set('bias', null);
    }
  }, (self, args, kw, ctx) => {
    const a = bind('forward', args, kw, ['input']);
    const shape = ctx.iterate(self.dict.get('normalized_shape')!).map((x) => toInt(x, 'normalized_shape'));
    const r = layerNorm(tensorArg(a.input, 'layer_norm'), shape, getTensorOrNull(self, 'weight'), getTensorOrNull(self, 'bias'), Number(self.dict.get('eps')));
    return track(new TorchTensor(r), 'layer_norm', a.input!, self.dict.get('weight') ?? null);
  }, (self, ctx) => `${ctx.repr(self.dict.get('normalized_shape')!)}, eps=${ctx.repr(self.dict.get('eps')!)}, elementwise_affine=${self.dict.get('elementwise_affine') ? 'True' : 'False'}${self.dict.get('elementwise_affine') ? `, bias=${self.dict.get('bias') !== null ? 'True' : 'False'}` : ''}`));
  addBatchNorms(add, def, Module, affine);
  add(layer('GroupNorm', Module, (self, args, kw, ctx) => {
    const a = bind('GroupNorm', args, kw, ['num_groups', 'num_channels', 'eps?', 'affine?', 'device?', 'dtype?', 'bias?']);
    const groups = toInt(a.num_groups, 'num_groups'), channels = toInt(a.num_channels, 'num_channels');
    if (groups === 0 || channels % groups !== 0) throw pyError('ValueError', `num_channels (${channels}) must be divisible by num_groups (${groups})`);
    self.dict.set('num_groups', BigInt(groups));
    self.dict.set('num_channels', BigInt(channels));
    self.dict.set('eps', a.eps === undefined ? 1e-5 : toFloat(a.eps, 'eps'));
    const affineOn = toBool(a.affine, ctx, true);
    self.dict.set('affine', affineOn);
    if (affineOn) affine(self, [channels], toBool(a.bias, ctx, true), 'float32');
    else {
      self.dict.set('weight', null);
      self.dict.set('bias', null);
    }
  }, (self, args, kw) => {
    const a = bind('forward', args, kw, ['input']);
    const r = groupNorm(tensorArg(a.input, 'group_norm'), Number(self.dict.get('num_groups')), getTensorOrNull(self, 'weight'), getTensorOrNull(self, 'bias'), Number(self.dict.get('eps')));
    return track(new TorchTensor(r), 'native_group_norm', a.input!, self.dict.get('weight') ?? null);
  }, (self, ctx) => `${self.dict.get('num_groups')}, ${self.dict.get('num_channels')}, eps=${ctx.repr(self.dict.get('eps')!)}, affine=${self.dict.get('affine') ? 'True' : 'False'}, bias=${self.dict.get('bias') !== null ? 'True' : 'False'}`));
  def('group_norm', (args, kw) => {
    const a = bind('group_norm', args, kw, ['input', 'num_groups', 'weight?', 'bias?', 'eps?']);
    const w = a.weight instanceof ArrayValue ? a.weight.t : null, b = a.bias instanceof ArrayValue ? a.bias.t : null;
    const r = groupNorm(tensorArg(a.input, 'group_norm'), toInt(a.num_groups, 'num_groups'), w, b, a.eps === undefined ? 1e-5 : toFloat(a.eps, 'eps'));
    return track(new TorchTensor(r), 'native_group_norm', a.input!, a.weight ?? null);
  });
  add(layer('RMSNorm', Module, (self, args, kw, ctx) => {
    const a = bind('RMSNorm', args, kw, ['normalized_shape', 'eps?', 'elementwise_affine?', 'device?', 'dtype?']);
    const shape = normalizedShape(a.normalized_shape, ctx);
    self.dict.set('normalized_shape', new PyTuple(shape.map(BigInt)));
    self.dict.set('eps', a.eps === undefined ? null : toFloat(a.eps, 'eps'));
    const affineOn = toBool(a.elementwise_affine, ctx, true);
    self.dict.set('elementwise_affine', affineOn);
    self.dict.set('weight', affineOn ? parameter(filled(shape, 1, 'float32')) : null);
  }, (self, args, kw, ctx) => {
    const a = bind('forward', args, kw, ['x']);
    const shape = ctx.iterate(self.dict.get('normalized_shape')!).map((x) => toInt(x, 'normalized_shape'));
    const eps = self.dict.get('eps');
    const r = rmsNorm(tensorArg(a.x, 'rms_norm'), shape, getTensorOrNull(self, 'weight'), eps === null || eps === undefined ? null : Number(eps));
    return track(new TorchTensor(r), 'mul', a.x!, self.dict.get('weight') ?? null);
  }, (self, ctx) => `${ctx.repr(self.dict.get('normalized_shape')!)}, eps=${ctx.repr(self.dict.get('eps') ?? null)}, elementwise_affine=${self.dict.get('elementwise_affine') ? 'True' : 'False'}`));

  def('layer_norm', (args, kw, ctx) => {
    const a = bind('layer_norm', args, kw, ['input', 'normalized_shape', 'weight?', 'bias?', 'eps?']);
    const w = a.weight instanceof ArrayValue ? a.weight.t : null, b = a.bias instanceof ArrayValue ? a.bias.t : null;
    const r = layerNorm(tensorArg(a.input, 'layer_norm'), normalizedShape(a.normalized_shape, ctx), w, b, a.eps === undefined ? 1e-5 : toFloat(a.eps, 'eps'));
    return track(new TorchTensor(r), 'layer_norm', a.input!, a.weight ?? null, a.bias ?? null);
  });
  def('rms_norm', (args, kw, ctx) => {
    const a = bind('rms_norm', args, kw, ['input', 'normalized_shape', 'weight?', 'eps?']);
    const w = a.weight instanceof ArrayValue ? a.weight.t : null;
    const r = rmsNorm(tensorArg(a.input, 'rms_norm'), normalizedShape(a.normalized_shape, ctx), w, a.eps === undefined || a.eps === null ? null : toFloat(a.eps, 'eps'));
    return track(new TorchTensor(r), 'mul', a.input!, a.weight ?? null);
  });

  // ---------- convolution ----------
  const conv1dClass = layer('Conv1d', Module, (self, args, kw, ctx) => {
    const a = bind('Conv1d', args, kw, ['in_channels', 'out_channels', 'kernel_size', 'stride?', 'padding?', 'dilation?', 'groups?', 'bias?', 'padding_mode?', 'device?', 'dtype?']);
    const cin = toInt(a.in_channels, 'in_channels'), cout = toInt(a.out_channels, 'out_channels');
    const k = one(a.kernel_size, 'kernel_size', ctx), groups = a.groups === undefined ? 1 : toInt(a.groups, 'groups');
    if (cin % groups !== 0) throw pyError('ValueError', 'in_channels must be divisible by groups');
    if (cout % groups !== 0) throw pyError('ValueError', 'out_channels must be divisible by groups');
    for (const [key, d] of [['in_channels', cin], ['out_channels', cout], ['kernel_size', k], ['groups', groups]] as const) self.dict.set(key, BigInt(d));
    self.dict.set('stride', a.stride === undefined ? 1n : BigInt(one(a.stride, 'stride', ctx)));
    const padding = a.padding === 'same' || a.padding === 'valid' ? a.padding : a.padding === undefined ? 0n : BigInt(one(a.padding, 'padding', ctx));
    if (typeof a.padding === 'string' && typeof padding !== 'string') throw pyError('ValueError', `Invalid padding string '${a.padding}', should be one of {'valid', 'same'}`);
    if (padding === 'same' && self.dict.get('stride') !== 1n) throw pyError('ValueError', "padding='same' is not supported for strided convolutions");
    self.dict.set('padding', padding);
    self.dict.set('dilation', a.dilation === undefined ? 1n : BigInt(one(a.dilation, 'dilation', ctx)));
    const mode = a.padding_mode === undefined ? 'zeros' : String(a.padding_mode);
    if (!['zeros', 'reflect', 'replicate', 'circular'].includes(mode)) {
      // torch formats a set here, so its order varies from run to run
      throw pyError('ValueError', `padding_mode must be one of {'zeros', 'reflect', 'replicate', 'circular'}, but got padding_mode='${mode}'`);
    }
    self.dict.set('padding_mode', mode);
    // reset_parameters: kaiming_uniform_(a=sqrt(5)) on the weight, then the bias, both bounded by 1/sqrt(fan_in)
    const fanIn = (cin / groups) * k;
    const gain = Math.sqrt(2 / (1 + 5));
    self.dict.set('weight', parameter(uniformTensor([cout, cin / groups, k], fanIn > 0 ? Math.sqrt(3) * (gain / Math.sqrt(fanIn)) : 0)));
    self.dict.set('bias', toBool(a.bias, ctx, true) ? parameter(uniformTensor([cout], fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0)) : null);
  }, (self, args, kw, ctx) => {
    // torch's Conv1d.forward: self._conv_forward(input, self.weight, self.bias), which a
    // subclass may override (whisper's Conv1d casts the weight to the input's dtype)
    const a = bind('forward', args, kw, ['input']);
    return ctx.call(ctx.getAttr(self, '_conv_forward'), [a.input!, ctx.getAttr(self, 'weight'), ctx.getAttr(self, 'bias')]);
  }, (self) => {
    // _ConvNd.extra_repr: each option that differs from its default
    const d = self.dict, pad = d.get('padding');
    let s = `${d.get('in_channels')}, ${d.get('out_channels')}, kernel_size=(${d.get('kernel_size')},), stride=(${d.get('stride')},)`;
    if (typeof pad === 'string') s += `, padding=${pad}`;
    else if (pad) s += `, padding=(${pad},)`;
    if (d.get('dilation') !== 1n) s += `, dilation=(${d.get('dilation')},)`;
    if (d.get('groups') !== 1n) s += `, groups=${d.get('groups')}`;
    if (d.get('bias') === null) s += ', bias=False';
    if (d.get('padding_mode') !== 'zeros') s += `, padding_mode=${d.get('padding_mode')}`;
    return s;
  });
  /**
   * Conv1d._conv_forward(input [N, C_in, L], weight [C_out, C_in/groups, K], bias [C_out] or None):
   * F.conv1d with the module's stride, padding, dilation and groups (torch/nn/modules/conv.py).
   */
  conv1dClass.dict.set('_conv_forward', fn('_conv_forward', ([self, ...args], kw) => {
    // CPython names the method by its __qualname__ in argument errors
    const a = bind('Conv1d._conv_forward', args, kw, ['input', 'weight', 'bias']);
    const inst = self as PyInstance;
    const g = (k: string) => Number(inst.dict.get(k));
    const b = a.bias instanceof ArrayValue ? a.bias.t : null;
    const w = tensorArg(a.weight, 'conv1d', 'weight');
    const pad = inst.dict.get('padding')!;
    const { before, after } = padsOf(typeof pad === 'string' ? (pad as 'same' | 'valid') : [g('padding'), g('padding')], [w.shape[2]], [g('dilation')], [g('stride')]);
    let x = tensorArg(a.input, 'conv1d');
    const mode = String(inst.dict.get('padding_mode') ?? 'zeros');
    // padding_mode other than zeros: F.pad(input, ..., mode) first, then an unpadded convolution
    if (mode !== 'zeros') x = padLastDim(x, before[0], after[0], mode);
    const r = mode !== 'zeros' ? conv1d(x, w, b, g('stride'), 0, g('dilation'), g('groups')) : conv1d(x, w, b, g('stride'), before[0], g('dilation'), g('groups'), after[0]);
    return track(new TorchTensor(r), 'convolution', a.input!, a.weight!);
  }));
  add(conv1dClass);
  def('conv1d', (args, kw, ctx) => {
    const a = bind('conv1d', args, kw, ['input', 'weight', 'bias?', 'stride?', 'padding?', 'dilation?', 'groups?']);
    const n = (v: PyValue | undefined, d: number, what: string) => (v === undefined ? d : one(v, what, ctx));
    const b = a.bias instanceof ArrayValue ? a.bias.t : null;
    const w = tensorArg(a.weight, 'conv1d', 'weight');
    const stride = n(a.stride, 1, 'stride'), dilation = n(a.dilation, 1, 'dilation');
    const pad = paddingArg(a.padding, ctx);
    const { before, after } = padsOf(typeof pad === 'string' ? pad : [pad[0], pad[0]], [w.shape[2]], [dilation], [stride]);
    const r = conv1d(tensorArg(a.input, 'conv1d'), w, b, stride, before[0], dilation, n(a.groups, 1, 'groups'), after[0]);
    return track(new TorchTensor(r), 'convolution', a.input!, a.weight!);
  });

  addConv2d(add, def, Module);
  addAdaptiveAvgPools(add, def, Module);

  // GLU (torch/nn/modules/activation.py, ATen's glu): halves along dim, first * sigmoid(second)
  const glu = (input: PyValue | undefined, dimArg: PyValue | undefined): PyValue => {
    const x = tensorArg(input, 'glu', 'input');
    if (x.ndim === 0) throw runtimeError('glu does not support scalars because halving size must be even');
    let dim = dimArg === undefined || dimArg === null ? -1 : toInt(dimArg, 'dim');
    if (dim < -x.ndim || dim >= x.ndim) throw pyError('IndexError', `Dimension out of range (expected to be in range of [${-x.ndim}, ${x.ndim - 1}], but got ${dim})`);
    if (dim < 0) dim += x.ndim;
    const n = x.shape[dim];
    if (n % 2 !== 0) throw runtimeError(`Halving dimension must be even, but dimension ${dim} is size ${n}`);
    if (!isFloating(x.dtype)) throw pyError('NotImplementedError', `"glu_cpu" not implemented for '${scalarTypeName(x.dtype)}'`);
    const r = binary('mul', narrow(x, dim, 0, n / 2), sigmoid(narrow(x, dim, n / 2, n / 2)));
    return track(new TorchTensor(r), 'glu', input!);
  };
  def('glu', (args, kw) => {
    const a = bind('glu', args, kw, ['input', 'dim?']);
    return glu(a.input, a.dim);
  });
  add(layer('GLU', Module, (self, args, kw) => {
    self.dict.set('dim', bind('GLU', args, kw, ['dim?']).dim ?? -1n);
  }, (self, args, kw) => glu(bind('forward', args, kw, ['input']).input, self.dict.get('dim')),
  (self, ctx) => `dim=${ctx.repr(self.dict.get('dim')!)}`));

  // ---------- activations ----------
  for (const [cls, fname, params, act] of ACTIVATIONS) {
    add(layer(cls, Module, (self, args, kw) => {
      const a = bind(cls, args, kw, params);
      for (const p of params) self.dict.set(p.replace('?', ''), a[p.replace('?', '')] ?? null);
    }, (self, args, kw) => {
      const a = bind('forward', args, kw, ['input']);
      const opts: Record<string, PyValue | undefined> = {};
      for (const p of params) {
        const v = self.dict.get(p.replace('?', ''));
        if (v !== null && v !== undefined) opts[p.replace('?', '')] = v;
      }
      return track(new TorchTensor(act(floatInput(a.input, fname), self, opts)), fname, a.input!);
    }));
    def(fname, (args, kw) => {
      const a = bind(fname, args, kw, ['input', ...params]);
      return track(new TorchTensor(act(floatInput(a.input, fname), null, a)), fname, a.input!);
    });
  }
}

/** An int or a 1-tuple (Conv1d's kernel_size=3 or (3,)). */
function one(v: PyValue | undefined, what: string, ctx: CallContext): number {
  if (typeof v === 'bigint') return Number(v);
  const xs = ctx.iterate(v ?? null);
  return toInt(xs[0], what);
}

/**
 * conv1d(input [N, C_in, L] or [C_in, L], weight [C_out, C_in/groups, K], bias [C_out]):
 * [N, C_out, L_out], L_out = floor((L + 2·padding − dilation·(K−1) − 1)/stride) + 1;
 * sums accumulated in double and rounded to the input dtype.
 */
export function conv1d(x: Tensor, w: Tensor, b: Tensor | null, stride: number, padding: number, dilation: number, groups: number, paddingAfter = padding): Tensor {
  const unbatched = x.ndim === 2;
  const xin = unbatched ? reshape(x, [1, ...x.shape]) : x;
  if (xin.ndim !== 3) throw runtimeError(`Expected 2D (unbatched) or 3D (batched) input to conv1d, but got input of size: [${x.shape.join(', ')}]`);
  const [N, C, L] = xin.shape;
  const [O, Cg, K] = w.shape;
  if (C !== Cg * groups) {
    throw runtimeError(`Given groups=${groups}, weight of size [${w.shape.join(', ')}], expected input[${xin.shape.join(', ')}] to have ${Cg * groups} channels, but got ${C} channels instead`);
  }
  const Lout = Math.floor((L + padding + paddingAfter - dilation * (K - 1) - 1) / stride) + 1;
  if (Lout <= 0) throw runtimeError(`Calculated padded input size per channel: (${L + padding + paddingAfter}). Kernel size: (${(K - 1) * dilation + 1}). Kernel size can't be greater than actual input size`);
  const xv = cast(xin, xin.dtype).values(), wv = cast(w, w.dtype).values(), bv = b?.values();
  const out = Tensor.empty(x.dtype, [N, O, Lout]);
  const og = O / groups;
  const order = x.dtype === 'float32' && w.dtype === 'float32' ? conv1dOrder32(N, C, L, K, groups, stride, padding + paddingAfter, dilation) : null;
  if (order) {
    const at = (n: number, c: number, pos: number) => (pos < 0 || pos >= L ? 0 : xv[(n * C + c) * L + pos]);
    const chunks = kChunks(Cg * K);
    for (let n = 0; n < N; n++) {
      for (let o = 0; o < O; o++) {
        const c0 = Math.floor(o / og) * Cg, wo = o * Cg * K;
        for (let t = 0; t < Lout; t++) {
          const p0 = t * stride - padding;
          let acc: number;
          if (order === 'gemm') {
            // im2col columns in (channel, tap) order, padding as zeros, one gemm dot per chunk
            acc = 0;
            chunks.forEach(([s, e], i) => {
              let part = 0;
              for (let q = s; q < e; q++) part = fma32(at(n, c0 + Math.floor(q / K), p0 + (q % K) * dilation), wv[wo + q], part);
              acc = i === 0 ? part : Math.fround(acc + part);
            });
            if (bv) acc = Math.fround(acc + bv[o]);
          } else if (order === 'onednn-1x1') {
            acc = bv ? bv[o] : 0;
            for (let c = 0; c < Cg; c++) acc = fma32(at(n, c0 + c, p0), wv[wo + c], acc);
          } else {
            // per block of 16 input channels (all of them for kernel size 1) a partial sum (taps outer,
            // channels inner), added to the output
            const block = K === 1 ? Cg : 16;
            acc = bv ? bv[o] : 0;
            for (let cb = 0; cb < Cg; cb += block) {
              let part = 0;
              for (let k = 0; k < K; k++) {
                const pos = p0 + k * dilation;
                if (pos < 0 || pos >= L) continue;
                for (let c = cb; c < Math.min(cb + block, Cg); c++) part = fma32(xv[(n * C + c0 + c) * L + pos], wv[wo + c * K + k], part);
              }
              acc = !bv && cb === 0 ? part : Math.fround(acc + part);
            }
          }
          out.storage.data[(n * O + o) * Lout + t] = acc;
        }
      }
    }
    return unbatched ? reshape(out, [O, Lout]) : out;
  }
  for (let n = 0; n < N; n++) {
    for (let o = 0; o < O; o++) {
      const g = Math.floor(o / og);
      for (let t = 0; t < Lout; t++) {
        let acc = bv ? bv[o] : 0;
        for (let c = 0; c < Cg; c++) {
          for (let k = 0; k < K; k++) {
            const pos = t * stride - padding + k * dilation;
            if (pos < 0 || pos >= L) continue;
            acc += xv[(n * C + g * Cg + c) * L + pos] * wv[(o * Cg + c) * K + k];
          }
        }
        out.storage.data[(n * O + o) * Lout + t] = acc;
      }
    }
  }
  return unbatched ? reshape(out, [O, Lout]) : out;
}

/**
 * How ATen's CPU conv1d sums a float32 output (Convolution.cpp picks the backend; the
 * orders were measured against torch 2.13 on x86-64 with several threads):
 * - 'gemm': the slow path (slow_conv2d: im2col, then MKL's sgemm with beta = 1 on the
 *   bias), taken when ConvParams::use_mkldnn says no: groups == 1, batch 1 and
 *   batch * channels * length <= 20480. Each output is a sequential fused multiply-add
 *   over (channel, tap) from +0, in MKL's k chunks, then + bias.
 * - 'onednn-1x1': oneDNN's 1x1 kernel (kernel size 1, stride 1, no padding or
 *   dilation, one group): from the bias, fused multiply-adds over the channels.
 * - 'onednn': oneDNN's direct kernel otherwise: the output starts from the bias and
 *   each block of 16 input channels (all channels for kernel size 1) adds its partial
 *   sum (from +0, taps outer, channels inner, fused). Exact for one group; grouped convolutions with a kernel wider than 1
 *   match only in part.
 */
function conv1dOrder32(
  N: number, C: number, L: number, K: number, groups: number, stride: number, padding: number, dilation: number,
): 'gemm' | 'onednn-1x1' | 'onednn' {
  const mkldnn = groups > 1 || N > 1 || N * C * L > 20480;
  if (!mkldnn) return 'gemm';
  return K === 1 && stride === 1 && padding === 0 && dilation === 1 && groups === 1 ? 'onednn-1x1' : 'onednn';
}

/**
 * F.pad(x, (before, after), mode) on the last dim for Conv1d's padding_mode
 * (reflect: mirrored without the edge; replicate: the edge repeated;
 * circular: wrapped), as torch/nn/functional.py's pad does.
 */
function padLastDim(x: Tensor, before: number, after: number, mode: string): Tensor {
  const L = x.shape[x.ndim - 1];
  if (mode === 'reflect' && (before >= L || after >= L)) throw runtimeError(`Argument #4: Padding size should be less than the corresponding input dimension, but got: padding (${before}, ${after}) at dimension ${x.ndim - 1} of input [${x.shape.join(', ')}]`);
  const src = (i: number) => {
    if (i >= 0 && i < L) return i;
    if (mode === 'replicate') return i < 0 ? 0 : L - 1;
    if (mode === 'circular') return ((i % L) + L) % L;
    return i < 0 ? -i : 2 * (L - 1) - i; // reflect
  };
  const xv = cast(x, x.dtype).values();
  const rows = x.numel / L, Lp = L + before + after;
  const out = Tensor.empty(x.dtype, [...x.shape.slice(0, -1), Lp]);
  for (let r = 0; r < rows; r++) for (let i = 0; i < Lp; i++) out.storage.data[r * Lp + i] = xv[r * L + src(i - before)];
  return out;
}

/** An int or a pair (Conv2d's kernel_size=3 or (3, 1)) as two ints. */
function pair(v: PyValue | undefined, dflt: number, what: string, ctx: CallContext): [number, number] {
  if (v === undefined) return [dflt, dflt];
  if (typeof v === 'bigint') return [Number(v), Number(v)];
  const xs = ctx.iterate(v).map((x) => toInt(x, what));
  return xs.length === 1 ? [xs[0], xs[0]] : [xs[0], xs[1]];
}

/** A padding argument: two ints, or 'same' / 'valid' (kept as the string for the repr). */
function paddingArg(v: PyValue | undefined, ctx: CallContext): [number, number] | 'same' | 'valid' {
  if (v === 'same' || v === 'valid') return v;
  if (typeof v === 'string') throw pyError('ValueError', `Invalid padding string '${v}', should be one of {'valid', 'same'}`);
  return pair(v, 0, 'padding', ctx);
}

/**
 * Padding before and after each spatial dim: 'valid' none; 'same' the total
 * dilation·(k−1) split with the extra one after, as F.conv2d(padding='same')
 * does (_conv_forward pads asymmetric totals on the right).
 */
function padsOf(padding: [number, number] | 'same' | 'valid', kernel: number[], dilation: number[], stride: number[]): { before: number[]; after: number[] } {
  if (padding === 'valid') return { before: [0, 0], after: [0, 0] };
  if (padding === 'same') {
    if (stride.some((s) => s !== 1)) throw pyError('ValueError', "padding='same' is not supported for strided convolutions");
    const total = kernel.map((k, i) => dilation[i] * (k - 1));
    const before = total.map((t) => Math.floor(t / 2));
    return { before, after: total.map((t, i) => t - before[i]) };
  }
  return { before: padding, after: padding };
}

/**
 * conv2d(input [N, C_in, H, W] or [C_in, H, W], weight [C_out, C_in/groups, kH, kW], bias [C_out]):
 * [N, C_out, H_out, W_out], H_out = floor((H + padding·2 − dilation·(kH−1) − 1)/stride) + 1 (W alike);
 * sums accumulated in double and rounded to the input dtype, as conv1d does. RuntimeError in ATen's words.
 */
export function conv2d(x: Tensor, w: Tensor, b: Tensor | null, stride: number[], before: number[], after: number[], dilation: number[], groups: number): Tensor {
  const unbatched = x.ndim === 3;
  const xin = unbatched ? reshape(x, [1, ...x.shape]) : x;
  if (xin.ndim !== 4) throw runtimeError(`Expected 3D (unbatched) or 4D (batched) input to conv2d, but got input of size: [${x.shape.join(', ')}]`);
  const [N, C, H, W] = xin.shape;
  const [O, Cg, KH, KW] = w.shape;
  if (C !== Cg * groups) {
    throw runtimeError(`Given groups=${groups}, weight of size [${w.shape.join(', ')}], expected input[${xin.shape.join(', ')}] to have ${Cg * groups} channels, but got ${C} channels instead`);
  }
  const span = [dilation[0] * (KH - 1) + 1, dilation[1] * (KW - 1) + 1];
  const padded = [H + before[0] + after[0], W + before[1] + after[1]];
  if (padded[0] < span[0] || padded[1] < span[1]) {
    throw runtimeError(`Calculated padded input size per channel: (${padded[0]} x ${padded[1]}). Kernel size: (${span[0]} x ${span[1]}). Kernel size can't be greater than actual input size`);
  }
  const HO = Math.floor((padded[0] - span[0]) / stride[0]) + 1, WO = Math.floor((padded[1] - span[1]) / stride[1]) + 1;
  const xc = cast(xin, xin.dtype), wc = cast(w, w.dtype);
  const xv = xc.values(), wv = wc.values(), bv = b?.values();
  const out = Tensor.empty(x.dtype, [N, O, HO, WO]);
  const og = O / groups;
  for (let n = 0; n < N; n++) {
    for (let o = 0; o < O; o++) {
      const g = Math.floor(o / og);
      for (let i = 0; i < HO; i++) {
        for (let j = 0; j < WO; j++) {
          let acc = bv ? bv[o] : 0;
          for (let c = 0; c < Cg; c++) {
            for (let p = 0; p < KH; p++) {
              const y = i * stride[0] - before[0] + p * dilation[0];
              if (y < 0 || y >= H) continue;
              for (let q = 0; q < KW; q++) {
                const z = j * stride[1] - before[1] + q * dilation[1];
                if (z < 0 || z >= W) continue;
                acc += xv[((n * C + g * Cg + c) * H + y) * W + z] * wv[((o * Cg + c) * KH + p) * KW + q];
              }
            }
          }
          out.storage.data[((n * O + o) * HO + i) * WO + j] = acc;
        }
      }
    }
  }
  return unbatched ? reshape(out, [O, HO, WO]) : out;
}

/** nn.Conv2d and F.conv2d (torch/nn/modules/conv.py): zeros padding, any stride, dilation and groups. */
function addConv2d(add: (c: PyClass) => void, def: (name: string, f: NativeFn) => void, Module: PyClass): void {
  const tuple = (xs: number[]) => `(${xs.join(', ')})`;
  const cls = layer('Conv2d', Module, (self, args, kw, ctx) => {
    const a = bind('Conv2d', args, kw, ['in_channels', 'out_channels', 'kernel_size', 'stride?', 'padding?', 'dilation?', 'groups?', 'bias?', 'padding_mode?', 'device?', 'dtype?']);
    const cin = toInt(a.in_channels, 'in_channels'), cout = toInt(a.out_channels, 'out_channels');
    const groups = a.groups === undefined ? 1 : toInt(a.groups, 'groups');
    if (groups <= 0) throw pyError('ValueError', 'groups must be a positive integer');
    if (cin % groups !== 0) throw pyError('ValueError', 'in_channels must be divisible by groups');
    if (cout % groups !== 0) throw pyError('ValueError', 'out_channels must be divisible by groups');
    const mode = a.padding_mode === undefined ? 'zeros' : String(a.padding_mode);
    if (mode !== 'zeros') throw pyError('NotImplementedError', `Conv2d(padding_mode='${mode}') is not supported by Mask Lens yet`);
    const kernel = pair(a.kernel_size, 1, 'kernel_size', ctx);
    const stride = pair(a.stride, 1, 'stride', ctx);
    const padding = paddingArg(a.padding, ctx);
    if (padding === 'same' && stride.some((s) => s !== 1)) throw pyError('ValueError', "padding='same' is not supported for strided convolutions");
    const dilation = pair(a.dilation, 1, 'dilation', ctx);
    for (const [key, d] of [['in_channels', cin], ['out_channels', cout], ['groups', groups]] as const) self.dict.set(key, BigInt(d));
    const big = (xs: number[]) => new PyTuple(xs.map(BigInt));
    self.dict.set('kernel_size', big(kernel));
    self.dict.set('stride', big(stride));
    self.dict.set('padding', typeof padding === 'string' ? padding : big(padding));
    self.dict.set('dilation', big(dilation));
    self.dict.set('padding_mode', mode);
    // reset_parameters: kaiming_uniform_(a=sqrt(5)) on the weight, then the bias, both bounded by 1/sqrt(fan_in)
    const fanIn = (cin / groups) * kernel[0] * kernel[1];
    const gain = Math.sqrt(2 / (1 + 5));
    self.dict.set('weight', parameter(uniformTensor([cout, cin / groups, ...kernel], fanIn > 0 ? Math.sqrt(3) * (gain / Math.sqrt(fanIn)) : 0)));
    self.dict.set('bias', toBool(a.bias, ctx, true) ? parameter(uniformTensor([cout], fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0)) : null);
  }, (self, args, kw, ctx) => {
    const a = bind('forward', args, kw, ['input']);
    return ctx.call(ctx.getAttr(self, '_conv_forward'), [a.input!, ctx.getAttr(self, 'weight'), ctx.getAttr(self, 'bias')]);
  }, (self, ctx) => {
    const d = self.dict;
    const ints = (k: string) => ctx.iterate(d.get(k)!).map(Number);
    const pad = d.get('padding')!;
    let s = `${d.get('in_channels')}, ${d.get('out_channels')}, kernel_size=${tuple(ints('kernel_size'))}, stride=${tuple(ints('stride'))}`;
    if (typeof pad === 'string') s += `, padding=${pad}`;
    else if (ints('padding').some((p) => p !== 0)) s += `, padding=${tuple(ints('padding'))}`;
    if (ints('dilation').some((p) => p !== 1)) s += `, dilation=${tuple(ints('dilation'))}`;
    if (Number(d.get('groups')) !== 1) s += `, groups=${d.get('groups')}`;
    if (d.get('bias') === null) s += ', bias=False';
    return s;
  });
  /** Conv2d._conv_forward(input, weight, bias): F.conv2d with the module's stride, padding, dilation and groups. */
  cls.dict.set('_conv_forward', fn('_conv_forward', ([self, ...args], kw, ctx) => {
    const a = bind('Conv2d._conv_forward', args, kw, ['input', 'weight', 'bias']);
    const d = (self as PyInstance).dict;
    const ints = (k: string) => ctx.iterate(d.get(k)!).map(Number);
    const pad = d.get('padding')!;
    const w = tensorArg(a.weight, 'conv2d', 'weight');
    const { before, after } = padsOf(typeof pad === 'string' ? (pad as 'same' | 'valid') : (ints('padding') as [number, number]), w.shape.slice(2), ints('dilation'), ints('stride'));
    const r = conv2d(tensorArg(a.input, 'conv2d'), w, a.bias instanceof ArrayValue ? a.bias.t : null, ints('stride'), before, after, ints('dilation'), Number(d.get('groups')));
    return track(new TorchTensor(r), 'convolution', a.input!, a.weight!, a.bias ?? null);
  }));
  add(cls);
  def('conv2d', (args, kw, ctx) => {
    const a = bind('conv2d', args, kw, ['input', 'weight', 'bias?', 'stride?', 'padding?', 'dilation?', 'groups?']);
    const w = tensorArg(a.weight, 'conv2d', 'weight');
    const stride = pair(a.stride, 1, 'stride', ctx), dilation = pair(a.dilation, 1, 'dilation', ctx);
    const { before, after } = padsOf(paddingArg(a.padding, ctx), w.shape.slice(2), dilation, stride);
    const r = conv2d(tensorArg(a.input, 'conv2d'), w, a.bias instanceof ArrayValue ? a.bias.t : null, stride, before, after, dilation, a.groups === undefined ? 1 : toInt(a.groups, 'groups'));
    return track(new TorchTensor(r), 'convolution', a.input!, a.weight!, a.bias ?? null);
  });
}

/** xs[start:stop:step] with Python's clamping of out-of-range bounds. */
function sliceOf<T>(xs: T[], s: PySlice): T[] {
  const n = xs.length;
  const step = s.step === null ? 1 : toInt(s.step, 'step');
  if (step === 0) throw pyError('ValueError', 'slice step cannot be zero');
  const norm = (v: PyValue, dflt: number) => {
    if (v === null) return dflt;
    let i = toInt(v, 'index');
    if (i < 0) i += n;
    return step > 0 ? Math.max(0, Math.min(i, n)) : Math.max(-1, Math.min(i, n - 1));
  };
  const start = norm(s.start, step > 0 ? 0 : n - 1), stop = norm(s.stop, step > 0 ? n : -1);
  const out: T[] = [];
  for (let i = start; step > 0 ? i < stop : i > stop; i += step) out.push(xs[i]);
  return out;
}

function floatInput(v: PyValue | undefined, name: string): Tensor {
  const t = tensorArg(v, name);
  if (!isFloating(t.dtype)) throw runtimeError(`"${name}_cpu" not implemented for '${t.dtype === 'int64' ? 'Long' : t.dtype}'`);
  return t;
}

export type { Kwargs };

/**
 * adaptive_avg_pool2d over the last two dims of [C, H, W] or [N, C, H, W] (ATen's
 * AdaptiveAveragePooling.cpp, cpu_adaptive_avg_pool2d): output cell (i, j) averages rows
 * floor(i·H/oH) to ceil((i+1)·H/oH) and the columns alike, summed in float (double for
 * float64), then divided by the row count and by the column count. Output (1, 1) is ATen's
 * shortcut, input.mean((-1, -2), keepdim=True).
 */
export function adaptiveAvgPool2d(x: Tensor, outH: number, outW: number): Tensor {
  for (const i of [x.ndim - 2, x.ndim - 1]) {
    if (x.shape[i] === 0) {
      throw runtimeError(`adaptive_avg_pool2d(): Expected input to have non-zero size for non-batch dimensions, but input has sizes [${x.shape.join(', ')}] with dimension ${i} being empty`);
    }
  }
  if (outH === 1 && outW === 1) return mean(x, [-1, -2], true);
  const [H, W] = x.shape.slice(-2);
  const lead = x.shape.slice(0, -2);
  const planes = lead.reduce((p, q) => p * q, 1);
  const v = (x.isContiguous() ? x : cast(x, x.dtype)).values();
  const out = Tensor.empty(x.dtype, [...lead, outH, outW]);
  const acc = x.dtype === 'float64' ? (y: number) => y : Math.fround;
  const round = caster(x.dtype);
  const start = (i: number, o: number, n: number) => Math.floor((i * n) / o);
  const end = (i: number, o: number, n: number) => Math.ceil(((i + 1) * n) / o);
  for (let p = 0; p < planes; p++) {
    for (let i = 0; i < outH; i++) {
      const h0 = start(i, outH, H), h1 = end(i, outH, H);
      for (let j = 0; j < outW; j++) {
        const w0 = start(j, outW, W), w1 = end(j, outW, W);
        let sum = 0;
        for (let h = h0; h < h1; h++) for (let w = w0; w < w1; w++) sum = acc(sum + v[(p * H + h) * W + w]);
        out.storage.data[(p * outH + i) * outW + j] = round(acc(acc(sum / (h1 - h0)) / (w1 - w0)));
      }
    }
  }
  return out;
}

/** nn.AdaptiveAvgPool1d / 2d and F.adaptive_avg_pool1d / 2d (torch/nn/modules/pooling.py). */
function addAdaptiveAvgPools(add: (c: PyClass) => void, def: (name: string, f: NativeFn) => void, Module: PyClass): void {
  // output_size entries: an int, or None for "as the input's"
  const sizes = (v: PyValue | undefined, n: number, fname: string, ctx: CallContext): (number | null)[] => {
    if (v instanceof PyTuple || v instanceof PyList) {
      const xs = ctx.iterate(v);
      if (xs.length !== n) throw runtimeError(`${fname}() argument 'output_size' should contain ${n === 1 ? 'one int' : `${n} ints`} (got ${xs.length})`);
      return xs.map((e) => (e === null ? null : toInt(e, 'output_size')));
    }
    if (typeof v !== 'bigint' && typeof v !== 'boolean') {
      throw pyError('TypeError', `${fname}(): argument 'output_size' (position 2) must be tuple of ints, not ${typeNameOf(v ?? null)}`);
    }
    return Array(n).fill(toInt(v, 'output_size'));
  };
  const pool2d = (input: PyValue | undefined, out: (number | null)[], fname: string, grad: PyValue): PyValue => {
    const x = tensorArg(input, fname, 'input');
    if (!isFloating(x.dtype)) throw pyError('NotImplementedError', `"adaptive_avg_pool2d" not implemented for '${scalarTypeName(x.dtype)}'`);
    const [oh, ow] = [out[0] ?? x.shape[x.ndim - 2], out[1] ?? x.shape[x.ndim - 1]];
    const r = adaptiveAvgPool2d(x, oh, ow);
    return track(new TorchTensor(r), oh === 1 && ow === 1 ? 'mean.dim' : 'adaptive_avg_pool2d', grad);
  };
  const pool1d = (input: PyValue | undefined, outputSize: PyValue | undefined, ctx: CallContext): PyValue => {
    const x = tensorArg(input, 'adaptive_avg_pool1d', 'input');
    if (x.ndim !== 2 && x.ndim !== 3) {
      throw runtimeError(`Expected 2 to 3 dimensions, but got ${x.ndim}-dimensional tensor for argument #1 'self' (while checking arguments for adaptive_avg_pool1d)`);
    }
    const [o] = sizes(outputSize, 1, 'adaptive_avg_pool1d', ctx);
    if (!isFloating(x.dtype)) throw pyError('NotImplementedError', `"adaptive_avg_pool2d" not implemented for '${scalarTypeName(x.dtype)}'`);
    // ATen: adaptive_avg_pool2d(self.unsqueeze(-2), {1, L}).squeeze(-2)
    const r = adaptiveAvgPool2d(reshape(x, [...x.shape.slice(0, -1), 1, x.shape[x.ndim - 1]]), 1, o ?? x.shape[x.ndim - 1]);
    return track(new TorchTensor(reshape(r, [...x.shape.slice(0, -1), r.shape[r.ndim - 1]])), 'squeeze.dim', input!);
  };
  const pool2dChecked = (input: PyValue | undefined, outputSize: PyValue | undefined, ctx: CallContext): PyValue => {
    const x = tensorArg(input, 'adaptive_avg_pool2d', 'input');
    if (x.ndim !== 3 && x.ndim !== 4) throw runtimeError(`adaptive_avg_pool2d(): Expected 3D or 4D tensor, but got [${x.shape.join(', ')}]`);
    return pool2d(input, sizes(outputSize, 2, 'adaptive_avg_pool2d', ctx), 'adaptive_avg_pool2d', input!);
  };
  def('adaptive_avg_pool1d', (args, kw, ctx) => {
    const a = bind('adaptive_avg_pool1d', args, kw, ['input', 'output_size']);
    return pool1d(a.input, a.output_size, ctx);
  });
  def('adaptive_avg_pool2d', (args, kw, ctx) => {
    const a = bind('adaptive_avg_pool2d', args, kw, ['input', 'output_size']);
    return pool2dChecked(a.input, a.output_size, ctx);
  });
  for (const [name, forward] of [['AdaptiveAvgPool1d', pool1d], ['AdaptiveAvgPool2d', pool2dChecked]] as const) {
    add(layer(name, Module, (self, args, kw) => {
      self.dict.set('output_size', bind(name, args, kw, ['output_size']).output_size!);
    }, (self, args, kw, ctx) => forward(bind('forward', args, kw, ['input']).input, self.dict.get('output_size'), ctx),
    (self, ctx) => `output_size=${ctx.repr(self.dict.get('output_size')!)}`));
  }
}

/**
 * F.batch_norm on [N, C, *] (ATen's batch_norm_cpu): per channel c, with training the batch
 * mean and biased variance (summed in double, kept in the input's type) normalise, and running_mean / running_var
 * (unbiased) move by `momentum`; without it the running statistics normalise. The output is
 * fma(x, alpha, beta) with alpha = invstd·weight, beta = bias − mean·alpha, in float32.
 */
export function batchNorm(x: Tensor, runMean: Tensor | null, runVar: Tensor | null, weight: Tensor | null, bias: Tensor | null, training: boolean, momentum: number, eps: number): Tensor {
  const C = x.shape[1];
  const inner = x.shape.slice(2).reduce((p, q) => p * q, 1);
  const N = x.shape[0];
  const count = N * inner;
  for (const [name, t] of [['running_mean', runMean], ['running_var', runVar], ['weight', weight], ['bias', bias]] as const) {
    if (t && t.numel !== C) throw runtimeError(`${name} should contain ${C} elements not ${t.numel}`);
  }
  const v = (x.isContiguous() ? x : cast(x, x.dtype)).values();
  const f = x.dtype === 'float64' ? (y: number) => y : Math.fround;
  const round = caster(x.dtype);
  const rm = runMean && (runMean.isContiguous() ? runMean.values() : cast(runMean, runMean.dtype).values());
  const rv = runVar && (runVar.isContiguous() ? runVar.values() : cast(runVar, runVar.dtype).values());
  const w = weight?.values(), b = bias?.values();
  const out = Tensor.empty(x.dtype, x.shape);
  for (let c = 0; c < C; c++) {
    let mean: number, invstd: number;
    if (training) {
      // batch_norm_cpu_collect_stats: a double sum, the mean rounded to the input's type, then
      // squares of (x - mean) in that type summed in double and kept in that type (var_sum)
      let sum = 0;
      for (let n = 0; n < N; n++) for (let i = 0; i < inner; i++) sum += v[(n * C + c) * inner + i];
      mean = f(sum / count);
      let acc = 0;
      for (let n = 0; n < N; n++) {
        for (let i = 0; i < inner; i++) {
          const d = f(v[(n * C + c) * inner + i] - mean);
          acc += f(d * d);
        }
      }
      const varSum = f(acc);
      // InvStd in double over var_sum / n taken in the input's type
      invstd = f(1 / Math.sqrt(f(varSum / count) + eps));
      // the running statistics move in the statistics' own type, one fused multiply-add:
      // fma(momentum, stat, (1 − momentum)·running)
      const blend = (stat: number, running: number) => f(f(momentum) * stat + f(f(1 - momentum) * running));
      if (runMean && rm) runMean.storage.data[runMean.offset + c * (runMean.strides[0] ?? 1)] = caster(runMean.dtype)(blend(mean, rm[c]));
      if (runVar && rv) runVar.storage.data[runVar.offset + c * (runVar.strides[0] ?? 1)] = caster(runVar.dtype)(blend(f(varSum / (count - 1)), rv[c]));
    } else {
      mean = f(rm![c]);
      invstd = f(1 / f(Math.sqrt(f(rv![c] + f(eps)))));
    }
    const alpha = f(invstd * (w ? w[c] : 1));
    const beta = f((b ? b[c] : 0) - f(mean * alpha));
    for (let n = 0; n < N; n++) {
      for (let i = 0; i < inner; i++) {
        const k = (n * C + c) * inner + i;
        // one fused multiply-add (Vectorized fmadd): the product is exact in double for float32
        out.storage.data[k] = round(f(v[k] * alpha + beta));
      }
    }
  }
  return out;
}

/** nn.BatchNorm1d / BatchNorm2d (torch/nn/modules/batchnorm.py) and F.batch_norm. */
function addBatchNorms(add: (c: PyClass) => void, def: (name: string, f: NativeFn) => void, Module: PyClass,
  affine: (self: PyInstance, shape: number[], withBias: boolean, dtype: DType) => void): void {
  const run = (input: PyValue | undefined, a: Record<string, PyValue | undefined>, training: boolean, momentum: number, eps: number, ctx: CallContext): PyValue => {
    const x = tensorArg(input, 'batch_norm', 'input');
    if (training) {
      // F.batch_norm's _verify_batch_size
      const values = x.shape[0] * x.shape.slice(2).reduce((p, q) => p * q, 1);
      if (values === 1) throw pyError('ValueError', `Expected more than 1 value per channel when training, got input size ${ctx.repr(ctx.getAttr(input!, 'shape'))}`);
    }
    const t = (v: PyValue | undefined) => (v instanceof ArrayValue ? v.t : null);
    if (!training && !t(a.running_mean)) throw runtimeError('running_mean must be defined in evaluation mode');
    if (!training && !t(a.running_var)) throw runtimeError('running_var must be defined in evaluation mode');
    // float32 statistics and affine parameters go with float32, float16 or bfloat16 input only
    const params = [a.running_mean, a.running_var, a.weight, a.bias].map(t).filter((p): p is Tensor => p !== null);
    const mixedOk = (p: Tensor) => p.dtype === x.dtype || (p.dtype === 'float32' && (x.dtype === 'float16' || x.dtype === 'bfloat16'));
    if (!params.every(mixedOk)) throw runtimeError('mixed dtype (CPU): all inputs must share same datatype.');
    const r = batchNorm(x, t(a.running_mean), t(a.running_var), t(a.weight), t(a.bias), training, momentum, eps);
    return track(new TorchTensor(r), 'native_batch_norm', input!, a.weight ?? null);
  };
  def('batch_norm', (args, kw, ctx) => {
    const a = bind('batch_norm', args, kw, ['input', 'running_mean', 'running_var', 'weight?', 'bias?', 'training?', 'momentum?', 'eps?']);
    const training = toBool(a.training, ctx, false);
    return run(a.input, a, training, a.momentum === undefined ? 0.1 : toFloat(a.momentum, 'momentum'), a.eps === undefined ? 1e-5 : toFloat(a.eps, 'eps'), ctx);
  });
  // parameters and buffers for C channels (weight ones, bias zeros, running mean 0 / var 1)
  const channels = (self: PyInstance, C: number, affineOn: boolean, withBias: boolean, track: boolean) => {
    self.dict.set('num_features', BigInt(C));
    if (affineOn) affine(self, [C], withBias, 'float32');
    else {
      self.dict.set('weight', null);
      self.dict.set('bias', null);
    }
    const buffers = (self.native.buffers ??= new Set<string>()) as Set<string>;
    for (const k of ['running_mean', 'running_var', 'num_batches_tracked']) buffers.add(k);
    self.dict.set('running_mean', track ? new TorchTensor(filled([C], 0, 'float32')) : null);
    self.dict.set('running_var', track ? new TorchTensor(filled([C], 1, 'float32')) : null);
    self.dict.set('num_batches_tracked', track ? new TorchTensor(filled([], 0, 'int64')) : null);
  };
  const batchNormClasses = new Map<string, PyClass>();
  // LazyBatchNorm1d/2d: num_features comes from the first input's dim 1; the module then
  // initialises as the BatchNorm it becomes (torch/nn/modules/batchnorm.py _LazyNormBase)
  for (const [name, dims] of [['BatchNorm1d', [2, 3]], ['BatchNorm2d', [4]], ['LazyBatchNorm1d', [2, 3]], ['LazyBatchNorm2d', [4]]] as const) {
    const lazy = name.startsWith('Lazy');
    const cls = layer(name, Module, (self, args, kw, ctx) => {
      const a = bind(name, args, kw, [...(lazy ? [] : ['num_features']), 'eps?', 'momentum?', 'affine?', 'track_running_stats?', 'device?', 'dtype?', 'bias?']);
      self.dict.set('eps', a.eps === undefined ? 1e-5 : toFloat(a.eps, 'eps'));
      self.dict.set('momentum', a.momentum === undefined ? 0.1 : a.momentum);
      const affineOn = toBool(a.affine, ctx, true);
      self.dict.set('affine', affineOn);
      const track = toBool(a.track_running_stats, ctx, true);
      self.dict.set('track_running_stats', track);
      self.native.withBias = affineOn && toBool(a.bias, ctx, true);
      self.native.lazy = lazy;
      channels(self, lazy ? 0 : toInt(a.num_features, 'num_features'), affineOn, self.native.withBias as boolean, track);
    }, (self, args, kw, ctx) => {
      const input = bind('forward', args, kw, ['input']).input;
      const x = tensorArg(input, 'batch_norm', 'input');
      const d = self.dict;
      // the lazy module initialises in a forward pre-hook, before forward checks the input's rank
      if (self.native.lazy) {
        if (x.ndim < 2) throw pyError('IndexError', 'tuple index out of range');
        channels(self, x.shape[1], ctx.truthy(d.get('affine')!), self.native.withBias as boolean, ctx.truthy(d.get('track_running_stats')!));
        self.native.lazy = false;
        self.cls = batchNormClasses.get(name.slice(4))!;
      }
      if (!(dims as readonly number[]).includes(x.ndim)) {
        throw pyError('ValueError', `expected ${dims.length === 2 ? '2D or 3D' : '4D'} input (got ${x.ndim}D input)`);
      }
      const training = ctx.truthy(d.get('training') ?? true);
      const trackOn = ctx.truthy(d.get('track_running_stats')!);
      const momentumArg = d.get('momentum');
      let factor = momentumArg === null || momentumArg === undefined ? 0 : toFloat(momentumArg, 'momentum');
      const counter = d.get('num_batches_tracked');
      if (training && trackOn && counter instanceof TorchTensor) {
        counter.t.storage.data[counter.t.offset] = Number(counter.t.storage.data[counter.t.offset]) + 1;
        if (momentumArg === null) factor = 1 / Number(counter.t.storage.data[counter.t.offset]);
      }
      const bnTraining = training || (d.get('running_mean') === null && d.get('running_var') === null);
      const stats = !training || trackOn;
      const a = { running_mean: stats ? d.get('running_mean') : undefined, running_var: stats ? d.get('running_var') : undefined, weight: d.get('weight') ?? undefined, bias: d.get('bias') ?? undefined };
      return run(input, a, bnTraining, factor, Number(d.get('eps')), ctx);
    }, (self, ctx) => {
      const d = self.dict;
      const affineOn = ctx.truthy(d.get('affine')!);
      const withBias = affineOn && d.get('bias') !== null;
      return `${d.get('num_features')}, eps=${ctx.repr(d.get('eps')!)}, momentum=${ctx.repr(d.get('momentum')!)}, affine=${affineOn ? 'True' : 'False'}, bias=${withBias ? 'True' : 'False'}, track_running_stats=${ctx.truthy(d.get('track_running_stats')!) ? 'True' : 'False'}`;
    });
    batchNormClasses.set(name, cls);
    add(cls);
  }
}
