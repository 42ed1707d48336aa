// The parts of torch that real model files touch around their masks but that
// compute nothing Mask Lens shows: devices and CUDA queries, the compiler and
// tracer switches, optimisers, data loading and distributed setup.
//
// Mask Lens runs on the CPU only, as CPU-only PyTorch does:
// `torch.cuda.is_available()` is False, `torch.device('cuda')` is accepted and
// tensors stay where they are (`.to(device)`, `.cuda()`, `device=`). The
// tracing/compile queries answer as eager PyTorch does (`is_tracing()` False).
// Modules that only matter for training (optim, utils.data, distributed)
// import fine, so the rest of a model file still previews; *calling* one of
// their functions raises NotImplementedError at that line. Their base classes
// (Optimizer, Dataset, Sampler) can be subclassed. DataLoader iterates in
// order (data.ts): a collate_fn that pads a batch builds its masks.

import { bind, toInt } from '../../python/args';
import { pyError } from '../../python/exceptions';
import { CLASSMETHOD } from '../../python/decorators';
import { isFloating } from '../../engine/dtype';
import { TorchTensor, gradEnabled, setGradEnabled } from './tensor';
import { addDataLoading } from './data';
import { vmapFunction } from './vmap';
import { CallContext, Kwargs, NativeFn, PyBuiltin, PyClass, PyInstance, PyModule, PyObj, PyTuple, PyValue } from '../../python/values';

const fn = (name: string, f: NativeFn, qual = name) => new PyBuiltin(name, f, qual);

/** A torch.device: `device(type='cuda', index=0)`; tensors never move, only the object records the request. */
export class TorchDevice extends PyObj {
  constructor(readonly type = 'cpu', readonly index: number | null = null) {
    super();
  }
  get typeName() {
    return 'device';
  }
  override repr() {
    return this.index === null ? `device(type='${this.type}')` : `device(type='${this.type}', index=${this.index})`;
  }
  override str() {
    return this.index === null ? this.type : `${this.type}:${this.index}`;
  }
  override getAttr(name: string): PyValue | undefined {
    if (name === 'type') return this.type;
    if (name === 'index') return this.index === null ? null : BigInt(this.index);
    return undefined;
  }
  override compare(op: string, other: PyValue): PyValue | undefined {
    if (op !== '==' && op !== '!=') return undefined;
    const same = other instanceof TorchDevice ? other.type === this.type && other.index === this.index : other === this.str();
    return op === '==' ? same : !same;
  }
}

/** torch.layout: torch.strided for a dense tensor, torch.sparse_coo for a COO one (one object each, so `is` works). */
export class TorchLayout extends PyObj {
  static readonly STRIDED = new TorchLayout('strided');
  static readonly SPARSE_COO = new TorchLayout('sparse_coo');
  private constructor(readonly name: string) {
    super();
  }
  get typeName() {
    return 'layout';
  }
  override repr() {
    return `torch.${this.name}`;
  }
}

/**
 * torch.memory_format values (torch.contiguous_format, torch.preserve_format,
 * torch.channels_last, torch.channels_last_3d): what clone / to / the _like
 * factories / is_contiguous take as memory_format=. Singletons, so `is` works.
 */
export class TorchMemoryFormat extends PyObj {
  static readonly CONTIGUOUS = new TorchMemoryFormat('contiguous_format');
  static readonly PRESERVE = new TorchMemoryFormat('preserve_format');
  static readonly CHANNELS_LAST = new TorchMemoryFormat('channels_last');
  static readonly CHANNELS_LAST_3D = new TorchMemoryFormat('channels_last_3d');
  private constructor(readonly name: string) {
    super();
  }
  get typeName() {
    return 'memory_format';
  }
  override repr() {
    return `torch.${this.name}`;
  }
}

const DEVICE_TYPES = ['cpu', 'cuda', 'mps', 'xpu', 'meta', 'hip', 'xla', 'lazy', 'vulkan', 'ipu', 'hpu', 'mtia', 'privateuseone'];

/**
 * torch.device(type, index=None) or torch.device('cuda:1'), with PyTorch's
 * error for an unknown type (c10/core/Device.cpp).
 */
export function makeDevice(args: PyValue[], kw: Map<string, PyValue>): TorchDevice {
  const a = bind('device', args, kw, ['type', 'index?']);
  if (a.type instanceof TorchDevice) return a.type;
  if (typeof a.type === 'bigint') return new TorchDevice('cuda', Number(a.type));
  if (typeof a.type !== 'string') throw pyError('TypeError', 'device() received an invalid combination of arguments');
  // c10's device string: a type of letters and underscores, then an optional ':index' without leading zeros
  const m = /^([a-zA-Z_]+)(?::([1-9]\d*|0))?$/.exec(a.type);
  if (!m) throw pyError('RuntimeError', `Invalid device string: '${a.type}'`);
  const [, type, idx] = m;
  if (!DEVICE_TYPES.includes(type)) {
    throw pyError('RuntimeError', `Expected one of cpu, cuda, ipu, xpu, mkldnn, opengl, opencl, ideep, hip, ve, fpga, maia, xla, lazy, vulkan, mps, meta, hpu, mtia, privateuseone device type at start of device string: ${a.type}`);
  }
  const index = idx !== undefined ? Number(idx) : a.index === undefined || a.index === null ? null : toInt(a.index, 'index');
  return new TorchDevice(type, index);
}

/**
 * A module whose listed names are modelled; any other public name is a
 * function that refuses when called. The lookup lives in the dict itself so
 * that `from torch.optim import AdamW` binds the name as `torch.optim.AdamW` does.
 */
class PartialModule extends PyModule {
  override readonly dict: Map<string, PyValue> = new RefusingDict(this.name);
}

class RefusingDict extends Map<string, PyValue> {
  constructor(private readonly owner: string) {
    super();
  }
  override get(name: string): PyValue | undefined {
    const own = super.get(name);
    if (own !== undefined || name.startsWith('_')) return own;
    const full = `${this.owner}.${name}`;
    return fn(name, () => {
      throw pyError('NotImplementedError', `${full} is not supported by Mask Lens yet`);
    }, full);
  }
}

/** A mutable attribute bag (torch.backends.cuda.matmul.allow_tf32 = True must work). */
function namespace(qual: string, attrs: Record<string, PyValue>): PyInstance {
  const cls = new PyClass(qual.split('.').pop()!, [], qual);
  const inst = new PyInstance(cls);
  for (const [k, v] of Object.entries(attrs)) inst.dict.set(k, v);
  return inst;
}

/** A class model files subclass (Dataset, Optimizer): construction does nothing; its own methods run. */
function baseClass(name: string, qual: string): PyClass {
  const cls = new PyClass(name, [], qual);
  cls.dict.set('__init__', fn('__init__', () => null, `${qual}.__init__`));
  return cls;
}

/** A module of which only `defs` are modelled: any other public name is a function that raises NotImplementedError when called. */
export function partial(name: string, defs: Record<string, PyValue> = {}): PartialModule {
  const m = new PartialModule(name);
  for (const [k, v] of Object.entries(defs)) m.dict.set(k, v);
  return m;
}

const identityDecorator = (name: string): PyBuiltin => fn(name, ([f], kw) => {
  // @torch.jit.ignore and @torch.jit.ignore(drop=True) alike
  if (f === undefined || kw.size) return fn(name, ([g]) => g ?? null);
  return f;
});

/** File access stays refused, at the line of use. */
const refuse = (full: string) => {
  throw pyError('NotImplementedError', `${full} is not supported by Mask Lens (it reads or writes files)`);
};

/**
 * The torch submodules and functions listed at the top of this file, keyed
 * by attribute name on `torch`. `nn` gives torch.nn so that nn.parallel can
 * be attached to it.
 */
export function makeRuntime(nn: () => PyModule): Record<string, PyValue> {
  const cudaNotCompiled = (name: string) => fn(name, () => {
    throw pyError('AssertionError', 'Torch not compiled with CUDA enabled');
  }, `torch.cuda.${name}`);
  const none = (name: string, qual: string) => fn(name, () => null, qual);
  const cuda = partial('torch.cuda', {
    is_available: fn('is_available', () => false, 'torch.cuda.is_available'),
    is_bf16_supported: fn('is_bf16_supported', () => false, 'torch.cuda.is_bf16_supported'),
    is_initialized: fn('is_initialized', () => false, 'torch.cuda.is_initialized'),
    device_count: fn('device_count', () => 0n, 'torch.cuda.device_count'),
    // seeding CUDA generators is a no-op without CUDA, as in CPU-only PyTorch
    manual_seed: none('manual_seed', 'torch.cuda.manual_seed'),
    manual_seed_all: none('manual_seed_all', 'torch.cuda.manual_seed_all'),
    empty_cache: none('empty_cache', 'torch.cuda.empty_cache'),
    synchronize: cudaNotCompiled('synchronize'),
    current_device: cudaNotCompiled('current_device'),
    set_device: cudaNotCompiled('set_device'),
    get_device_name: cudaNotCompiled('get_device_name'),
    get_device_capability: cudaNotCompiled('get_device_capability'),
    get_device_properties: cudaNotCompiled('get_device_properties'),
  });
  const jit = partial('torch.jit', {
    is_tracing: fn('is_tracing', () => false, 'torch.jit.is_tracing'),
    is_scripting: fn('is_scripting', () => false, 'torch.jit.is_scripting'),
    script: identityDecorator('script'),
    ignore: identityDecorator('ignore'),
    unused: identityDecorator('unused'),
    export: identityDecorator('export'),
  });
  const fx = partial('torch.fx', {
    Proxy: baseClass('Proxy', 'torch.fx.Proxy'),
    wrap: fn('wrap', ([f]) => f ?? null, 'torch.fx.wrap'),
  });
  const dynamo = partial('torch._dynamo', {
    is_compiling: fn('is_compiling', () => false, 'torch._dynamo.is_compiling'),
    disable: identityDecorator('disable'),
  });
  const compiler = partial('torch.compiler', {
    is_compiling: fn('is_compiling', () => false, 'torch.compiler.is_compiling'),
    is_dynamo_compiling: fn('is_dynamo_compiling', () => false, 'torch.compiler.is_dynamo_compiling'),
    disable: identityDecorator('disable'),
  });
  const flag = (qual: string, attrs: Record<string, PyValue>) => namespace(qual, attrs);
  const backends = partial('torch.backends', {
    cuda: flag('torch.backends.cuda', {
      matmul: flag('torch.backends.cuda.matmul', { allow_tf32: false, allow_fp16_reduced_precision_reduction: true }),
      is_built: fn('is_built', () => false, 'torch.backends.cuda.is_built'),
      enable_flash_sdp: none('enable_flash_sdp', 'torch.backends.cuda.enable_flash_sdp'),
      enable_math_sdp: none('enable_math_sdp', 'torch.backends.cuda.enable_math_sdp'),
      enable_mem_efficient_sdp: none('enable_mem_efficient_sdp', 'torch.backends.cuda.enable_mem_efficient_sdp'),
      flash_sdp_enabled: fn('flash_sdp_enabled', () => true, 'torch.backends.cuda.flash_sdp_enabled'),
    }),
    cudnn: flag('torch.backends.cudnn', { allow_tf32: true, benchmark: false, deterministic: false, enabled: true }),
    mps: flag('torch.backends.mps', { is_available: fn('is_available', () => false, 'torch.backends.mps.is_available') }),
  });

  // torch.autograd.Function, forward only: Fn.apply(*args) calls Fn.forward(ctx, *args) with a context that
  // records save_for_backward and the marks; backward never runs here
  const Function = baseClass('Function', 'torch.autograd.Function');
  // the base's own forward and setup_context (torch/autograd/function.py _SingleLevelFunction): a subclass overrides them
  Function.dict.set('forward', fn('forward', () => {
    throw pyError('NotImplementedError', 'You must implement the forward function for custom autograd.Function.');
  }, 'torch.autograd.Function.forward'));
  Function.dict.set('setup_context', fn('setup_context', () => {
    throw pyError('NotImplementedError', 'setup_context is not implemented.');
  }, 'torch.autograd.Function.setup_context'));
  const FunctionCtx = new PyClass('FunctionCtx', [], 'torch.autograd.function.FunctionCtx');
  const ctxMethod = (name: string, f: NativeFn) => FunctionCtx.dict.set(name, fn(name, f, `FunctionCtx.${name}`));
  // FunctionCtx.save_for_backward keeps them in to_save; the node apply passes as ctx also gives them back as saved_tensors
  ctxMethod('save_for_backward', ([self, ...ts]) => {
    const c = self as PyInstance;
    c.dict.set('to_save', new PyTuple(ts));
    if (c.cls !== FunctionCtx) c.dict.set('saved_tensors', new PyTuple(ts));
    return null;
  });
  const nonDifferentiable = new WeakMap<PyInstance, PyValue[]>();
  ctxMethod('mark_non_differentiable', ([self, ...ts]) => (nonDifferentiable.set(self as PyInstance, ts), null));
  for (const name of ['mark_dirty', 'set_materialize_grads']) ctxMethod(name, () => null);
  const apply = new PyInstance(CLASSMETHOD);
  apply.native.fn = fn('apply', ([cls, ...args], kw, ctx) => functionApply(cls as PyClass, args, kw, ctx), 'torch.autograd.Function.apply');
  /**
   * Fn.apply(*args, **kwargs), as torch/autograd/function.py and the C++
   * THPFunction_apply run it: `needs_input_grad` says which inputs are tensors
   * that require grad (grad mode on); forward runs with grad mode off (its
   * own ops record no grad_fn); a forward without ctx is followed by
   * setup_context(ctx, inputs, output). When an input requires grad (and grad
   * mode is on), each floating tensor output not marked non-differentiable
   * gets the node `<Fn>Backward` (an input returned as is becomes a new
   * tensor on it).
   */
  const functionApply = (cls: PyClass, args: PyValue[], kw: Kwargs | undefined, ctx: CallContext): PyValue => {
    // ctx is the node itself: an instance of <Fn>Backward (y.grad_fn is ctx)
    const node = `torch.autograd.function.${cls.name}Backward`;
    const fctx = new PyInstance(new PyClass(`${cls.name}Backward`, [FunctionCtx], node));
    // one entry per argument, keywords after positionals, whatever grad mode says
    const needs = [...args, ...(kw?.values() ?? [])].map((a) => a instanceof TorchTensor && a.requiresGrad);
    fctx.dict.set('needs_input_grad', new PyTuple(needs));
    // the newer style: forward(*args) and a separate setup_context (torch 2.0's vmap/functorch support)
    const setupContext = cls.lookup('setup_context');
    const ownSetup = setupContext !== undefined && setupContext !== Function.dict.get('setup_context');
    const before = setGradEnabled(false);
    let out: PyValue;
    try {
      out = ctx.call(ctx.getAttr(cls, 'forward'), ownSetup ? args : [fctx, ...args], kw);
      if (ownSetup) ctx.call(ctx.getAttr(cls, 'setup_context'), [fctx, new PyTuple(args), out]);
    } finally {
      setGradEnabled(before);
    }
    if (!needs.some(Boolean) || !gradEnabled()) return out;
    const skip = nonDifferentiable.get(fctx) ?? [];
    const mark = (v: PyValue): PyValue => {
      if (!(v instanceof TorchTensor) || skip.includes(v) || !isFloating(v.t.dtype)) return v;
      const t = args.includes(v) ? new TorchTensor(v.t) : v;
      t.requiresGrad = true;
      t.gradFn = node;
      return t;
    };
    return out instanceof PyTuple ? new PyTuple(out.items.map(mark)) : mark(out);
  };
  Function.dict.set('apply', apply);
  const autograd = partial('torch.autograd', { Function, Variable: fn('Variable', ([t]) => t ?? null, 'torch.autograd.Variable') });
  autograd.dict.set('function', partial('torch.autograd.function', { Function, FunctionCtx }));
  const optim = partial('torch.optim', { Optimizer: baseClass('Optimizer', 'torch.optim.Optimizer') });
  optim.dict.set('lr_scheduler', partial('torch.optim.lr_scheduler', {
    LRScheduler: baseClass('LRScheduler', 'torch.optim.lr_scheduler.LRScheduler'),
    _LRScheduler: baseClass('_LRScheduler', 'torch.optim.lr_scheduler._LRScheduler'),
  }));
  const datasetBase = baseClass('Dataset', 'torch.utils.data.Dataset');
  const data = partial('torch.utils.data', {
    Dataset: datasetBase,
    IterableDataset: baseClass('IterableDataset', 'torch.utils.data.IterableDataset'),
    Sampler: baseClass('Sampler', 'torch.utils.data.Sampler'),
  });
  const dataloader = partial('torch.utils.data.dataloader');
  data.dict.set('dataloader', dataloader);
  addDataLoading(data, dataloader, datasetBase);
  data.dict.set('distributed', partial('torch.utils.data.distributed', {
    DistributedSampler: baseClass('DistributedSampler', 'torch.utils.data.distributed.DistributedSampler'),
  }));
  const utils = partial('torch.utils', { data });
  utils.dict.set('checkpoint', partial('torch.utils.checkpoint'));
  const distributed = partial('torch.distributed', {
    is_available: fn('is_available', () => false, 'torch.distributed.is_available'),
    is_initialized: fn('is_initialized', () => false, 'torch.distributed.is_initialized'),
  });
  const multiprocessing = partial('torch.multiprocessing');
  const nnParallel = partial('torch.nn.parallel');
  nn().dict.set('parallel', nnParallel);

  const vmap = vmapFunction('torch.vmap');
  const func = partial('torch.func', { vmap });

  return {
    vmap, func,
    device: fn('device', (args, kw) => makeDevice(args, kw), 'torch.device'),
    cuda, jit, fx, _dynamo: dynamo, compiler, backends, optim, utils, distributed, multiprocessing, autograd,
    // torch.compile(model) runs the model eagerly, as with backend="eager"; with only options it is a decorator
    compile: fn('compile', ([f]) => f ?? fn('compile', ([g]) => g ?? null, 'torch.compile'), 'torch.compile'),
    set_float32_matmul_precision: fn('set_float32_matmul_precision', () => null, 'torch.set_float32_matmul_precision'),
    get_float32_matmul_precision: fn('get_float32_matmul_precision', () => 'highest', 'torch.get_float32_matmul_precision'),
    load: fn('load', () => refuse('torch.load'), 'torch.load'),
    save: fn('save', () => refuse('torch.save'), 'torch.save'),
  };
}

/** Submodules `import torch.X.Y` can name, found by walking attributes from torch. */
export function torchSubmodule(torch: PyModule, name: string): PyModule | undefined {
  let cur: PyValue | undefined = torch;
  for (const part of name.split('.').slice(1)) {
    if (!(cur instanceof PyModule)) return undefined;
    cur = cur.dict.get(part);
  }
  return cur instanceof PyModule ? cur : undefined;
}

export type { CallContext };
