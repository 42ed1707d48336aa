// torch.optim's Adam, AdamW and SGD: constructed as PyTorch 2.13 constructs
// them (torch/optim/optimizer.py Optimizer.__init__ / add_param_group and
// each class's argument checks, with their error wording), so the setup lines
// of a training notebook evaluate cleanly. Mask Lens has no autograd (.grad
// is always None), so zero_grad() has nothing to clear and step() raises
// NotImplementedError naming step.

import { pyError } from '../../python/exceptions';
import { hashKey } from '../../python/protocols';
import { bind } from '../../python/args';
import {
  CallContext, Kwargs, PyBuiltin, PyClass, PyDict, PyInstance, PyList, PyModule, PyTuple, PyValue, typeNameOf,
} from '../../python/values';
import { TorchTensor, tensorTypeName } from './tensor';

type Defaults = [string, PyValue][];

/** torch.optim.Optimizer's other public methods (PyTorch 2.13). */
const OPTIMIZER_METHODS = new Set([
  'add_param_group', 'load_state_dict', 'state_dict', 'profile_hook_step', 'register_load_state_dict_post_hook',
  'register_load_state_dict_pre_hook', 'register_state_dict_post_hook', 'register_state_dict_pre_hook',
  'register_step_post_hook', 'register_step_pre_hook',
]);

function dictOf(pairs: [string, PyValue][], ctx: CallContext): PyDict {
  const d = new PyDict();
  for (const [k, v] of pairs) d.entries.set(hashKey(k, ctx), [k, v]);
  return d;
}

const num = (v: PyValue): number => (typeof v === 'bigint' ? Number(v) : typeof v === 'boolean' ? Number(v) : (v as number));

/**
 * Optimizer.__init__ + add_param_group: params is an iterable of tensors (one
 * group) or of dicts (a group each, missing options from the defaults).
 * TypeError for a bare tensor, a set or a non-tensor param; ValueError for
 * an empty list.
 */
function paramGroups(params: PyValue, defaults: Defaults, ctx: CallContext): PyList {
  if (params instanceof TorchTensor) {
    throw pyError('TypeError', `params argument given to the optimizer should be an iterable of Tensors or dicts, but got torch.${tensorTypeName(params.t.dtype)}`);
  }
  let groups = ctx.iterate(params);
  if (groups.length === 0) throw pyError('ValueError', 'optimizer got an empty parameter list');
  if (!(groups[0] instanceof PyDict)) groups = [dictOf([['params', new PyList(groups)]], ctx)];
  const out: PyValue[] = [];
  for (const g of groups) {
    if (!(g instanceof PyDict)) throw pyError('TypeError', `param_group must be a dict, but got <class '${typeNameOf(g)}'>`);
    const group = new PyDict(undefined, new Map(g.entries));
    const pk = hashKey('params', ctx);
    const ps = group.entries.get(pk)?.[1];
    if (ps === undefined) throw pyError('KeyError', "'params'");
    if (typeNameOf(ps) === 'set') {
      throw pyError('TypeError', 'optimizer parameters need to be organized in ordered collections, but the ordering of tensors in sets will change between runs. Please use a list instead.');
    }
    const list = ps instanceof TorchTensor ? [ps] : ctx.iterate(ps);
    for (const p of list) {
      if (!(p instanceof TorchTensor)) throw pyError('TypeError', `optimizer can only optimize Tensors, but one of the params is ${typeNameOf(p)}`);
    }
    group.entries.set(pk, ['params', new PyList(list)]);
    for (const [k, v] of defaults) if (!group.entries.has(hashKey(k, ctx))) group.entries.set(hashKey(k, ctx), [k, v]);
    out.push(group);
  }
  return new PyList(out);
}

/** One optimizer class: `check` validates the bound arguments (PyTorch's wording) and returns the defaults in PyTorch's order. */
function optimizerClass(name: string, signature: string[], check: (a: Record<string, PyValue>, ctx: CallContext) => Defaults): PyClass {
  const cls = new PyClass(name, [], `torch.optim.${name.toLowerCase()}.${name}`);
  cls.dict.set('__init__', new PyBuiltin('__init__', ([self, ...args]: PyValue[], kw: Kwargs, ctx: CallContext) => {
    const a = bind(name, args, kw, ['params', ...signature]) as Record<string, PyValue>;
    const defaults = check(a, ctx);
    const inst = self as PyInstance;
    inst.dict.set('defaults', dictOf(defaults, ctx));
    inst.dict.set('param_groups', paramGroups(a.params, defaults, ctx));
    inst.dict.set('state', new PyDict());
    return null;
  }));
  cls.dict.set('zero_grad', new PyBuiltin('zero_grad', () => null)); // .grad is always None here: nothing to clear
  cls.dict.set('step', new PyBuiltin('step', () => {
    throw pyError('NotImplementedError', `torch.optim.${name}.step is not supported by Mask Lens yet (no autograd: parameters have no .grad)`);
  }));
  // the rest of Optimizer's public API is a gap in Mask Lens, not a typo
  cls.dict.set('__getattr__', new PyBuiltin('__getattr__', ([, attr]: PyValue[]) => {
    if (typeof attr === 'string' && OPTIMIZER_METHODS.has(attr)) throw pyError('NotImplementedError', `torch.optim.${name}.${attr} is not supported by Mask Lens yet`);
    throw pyError('AttributeError', `'${name}' object has no attribute '${String(attr)}'`);
  }));
  cls.dict.set('__repr__', new PyBuiltin('__repr__', ([self]: PyValue[], _kw: Kwargs, ctx: CallContext) => {
    const groups = ctx.iterate(ctx.getAttr(self, 'param_groups'));
    // Optimizer.__repr__: each group opens with "\n", each line ends with "\n", so groups are a blank line apart
    let s = `${name} (`;
    groups.forEach((g, i) => {
      s += `\nParameter Group ${i}\n`;
      const entries = [...(g as PyDict).entries.values()].filter(([k]) => k !== 'params').sort(([a], [b]) => (String(a) < String(b) ? -1 : 1));
      for (const [k, v] of entries) s += `    ${ctx.str(k)}: ${ctx.str(v)}\n`;
    });
    return `${s})`;
  }));
  return cls;
}

const opt = (a: Record<string, PyValue>, k: string, d: PyValue): PyValue => (a[k] === undefined ? d : a[k]);

/** torch/optim/adam.py and adamw.py's checks, in their order. */
function adamDefaults(a: Record<string, PyValue>, ctx: CallContext, weightDecay: PyValue, adamw: boolean): Defaults {
  const lr = opt(a, 'lr', 0.001), eps = opt(a, 'eps', 1e-8), wd = opt(a, 'weight_decay', weightDecay);
  const betas = opt(a, 'betas', new PyTuple([0.9, 0.999]));
  const [b0, b1] = ctx.iterate(betas);
  if (!(0 <= num(lr))) throw pyError('ValueError', `Invalid learning rate: ${ctx.str(lr)}`);
  if (!(0 <= num(eps))) throw pyError('ValueError', `Invalid epsilon value: ${ctx.str(eps)}`);
  if (!(0 <= num(b0) && num(b0) < 1)) throw pyError('ValueError', `Invalid beta parameter at index 0: ${ctx.str(b0)}`);
  if (!(0 <= num(b1) && num(b1) < 1)) throw pyError('ValueError', `Invalid beta parameter at index 1: ${ctx.str(b1)}`);
  if (!(0 <= num(wd))) throw pyError('ValueError', `Invalid weight_decay value: ${ctx.str(wd)}`);
  return [
    ['lr', lr], ['betas', betas], ['eps', eps], ['weight_decay', wd], ['amsgrad', opt(a, 'amsgrad', false)],
    ['maximize', opt(a, 'maximize', false)], ['foreach', opt(a, 'foreach', null)], ['capturable', opt(a, 'capturable', false)],
    ['differentiable', opt(a, 'differentiable', false)], ['fused', opt(a, 'fused', null)],
    ['decoupled_weight_decay', adamw ? true : opt(a, 'decoupled_weight_decay', false)],
  ];
}

/** Adam, AdamW and SGD into the torch.optim placeholder module (its other names stay "not supported yet"). */
export function installOptimizers(optim: PyModule): void {
  const adamSig = ['lr?', 'betas?', 'eps?', 'weight_decay?', 'amsgrad?', 'foreach?', 'maximize?', 'capturable?', 'differentiable?', 'fused?'];
  optim.dict.set('Adam', optimizerClass('Adam', [...adamSig, 'decoupled_weight_decay?'], (a, ctx) => adamDefaults(a, ctx, 0n, false)));
  optim.dict.set('AdamW', optimizerClass('AdamW', adamSig, (a, ctx) => adamDefaults(a, ctx, 0.01, true)));
  optim.dict.set('SGD', optimizerClass('SGD', ['lr?', 'momentum?', 'dampening?', 'weight_decay?', 'nesterov?', 'maximize?', 'foreach?', 'differentiable?', 'fused?'], (a, ctx) => {
    const lr = opt(a, 'lr', 0.001), momentum = opt(a, 'momentum', 0n), dampening = opt(a, 'dampening', 0n), wd = opt(a, 'weight_decay', 0n), nesterov = opt(a, 'nesterov', false);
    if (num(lr) < 0) throw pyError('ValueError', `Invalid learning rate: ${ctx.str(lr)}`);
    if (num(momentum) < 0) throw pyError('ValueError', `Invalid momentum value: ${ctx.str(momentum)}`);
    if (num(wd) < 0) throw pyError('ValueError', `Invalid weight_decay value: ${ctx.str(wd)}`);
    if (ctx.truthy(nesterov) && (num(momentum) <= 0 || num(dampening) !== 0)) throw pyError('ValueError', 'Nesterov momentum requires a momentum and zero dampening');
    return [
      ['lr', lr], ['momentum', momentum], ['dampening', dampening], ['weight_decay', wd], ['nesterov', nesterov],
      ['maximize', opt(a, 'maximize', false)], ['foreach', opt(a, 'foreach', null)], ['differentiable', opt(a, 'differentiable', false)], ['fused', opt(a, 'fused', null)],
    ];
  }));
}
