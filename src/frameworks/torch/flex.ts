// torch.nn.attention.flex_attention (PyTorch 2.13, CPU): noop_mask, and_masks,
// or_masks, create_mask, create_block_mask with its BlockMask, and
// flex_attention's eager math path. Semantics read from
// torch/nn/attention/flex_attention.py and torch/_higher_order_ops/flex_attention.py.
//
// Real PyTorch vmaps a mask_mod / score_mod four times over (b, h, q_idx, kv_idx),
// so each call sees 0-d index tensors. Mask Lens calls it once with broadcast
// index tensors instead (b [B,1,1,1], h [1,H,1,1], q_idx [1,1,Q,1],
// kv_idx [1,1,1,KV], int64): for what mask_mods do (comparisons, arithmetic,
// `lengths[b]`, `document_id[q_idx]`, torch.where) the broadcast result is
// vmap's, element for element.

import { DType } from '../../engine/dtype';
import { runtimeError, valueError } from '../../engine/errors';
import { arange, softmax } from '../../engine/ops/compose';
import { binary, cast, contiguous, cppTypeName, scalarTensor, unary, where } from '../../engine/ops/core';
import { matmul, reduce } from '../../engine/ops/reduce';
import { expand, reshape, transpose, unsqueeze } from '../../engine/ops/shape';
import { Tensor } from '../../engine/tensor';
import { bind, toBool, toFloat, toInt } from '../../python/args';
import { formatValue, isCallable } from '../../python/builtins';
import { pyError } from '../../python/exceptions';
import { CallContext, PyBoundMethod, PyException, PyBuiltin, PyClass, PyFunction, PyInstance, PyModule, PyObj, PyTuple, PyValue } from '../../python/values';
import { ArrayValue } from '../common';
import { logsumexp } from './extra';
import { namedTupleClass } from '../stdlib/typing';
import { fn } from './nnbase';
import { TorchTensor, tensorArg } from './tensor';

/** Positional parameter counts of the native mask_mods (noop_mask, and_masks' and or_masks' results). */
const NATIVE_ARITY = new WeakMap<PyObj, number>();

function nativeMod(name: string, qualname: string, arity: number, f: (args: PyValue[], ctx: CallContext) => PyValue): PyBuiltin {
  const b = new PyBuiltin(name, (args, _kw, ctx) => f(args, ctx), qualname);
  NATIVE_ARITY.set(b, arity);
  return b;
}

/** Positional parameters without a default of a `def`/lambda (code.co_argcount minus len(__defaults__)). */
function codeArity(f: PyFunction): number {
  const p = f.def.params;
  const positional = [...p.posonly, ...p.args];
  return positional.length - positional.filter((q) => q.default !== null).length;
}

/**
 * flex_attention's _get_mod_type: 5 positional parameters make a score_mod,
 * 4 a mask_mod, anything else AssertionError("Expected 4 or 5 positional args,
 * got N"). A function counts code.co_argcount minus its defaults (a bound
 * method's count includes self, as its __code__ does); other callables count
 * inspect.signature's parameters without a default.
 */
function modArity(f: PyValue): number {
  let n: number | undefined;
  if (f instanceof PyFunction) n = codeArity(f);
  else if (f instanceof PyBoundMethod && f.fn instanceof PyFunction) n = codeArity(f.fn);
  else if (f instanceof PyObj && NATIVE_ARITY.has(f)) n = NATIVE_ARITY.get(f);
  else if (f instanceof PyInstance) {
    const call = f.cls.lookup('__call__');
    if (call instanceof PyFunction) {
      const p = call.def.params;
      const positional = [...p.posonly, ...p.args].slice(1);
      n = positional.filter((q) => q.default === null).length + (p.vararg ? 1 : 0)
        + p.kwonly.filter((q) => q.default === null).length + (p.kwarg ? 1 : 0);
    }
  }
  if (n === undefined) throw pyError('NotImplementedError', `a mask_mod or score_mod of type ${f instanceof PyObj ? f.typeName : typeof f} is not supported by Mask Lens yet`);
  if (n !== 4 && n !== 5) throw pyError('AssertionError', `Expected 4 or 5 positional args, got ${n}`);
  return n;
}

/** A mod's result as a tensor (a Python bool or number becomes a 0-d one). */
function resultTensor(v: PyValue): Tensor {
  if (v instanceof ArrayValue) return v.t;
  if (typeof v === 'boolean' || typeof v === 'number' || typeof v === 'bigint') return scalarTensor(v);
  throw pyError('TypeError', `mask_mod and score_mod must return a Tensor, not ${v === null ? 'NoneType' : v instanceof PyObj ? v.typeName : typeof v}`);
}

/**
 * Calls a mask_mod or score_mod. Under vmap, a Python `if` on an index-derived
 * tensor is vmap's RuntimeError; here that tensor has many elements, so the
 * ambiguity error becomes vmap's, at the same line.
 */
function callMod(f: PyValue, args: PyValue[], ctx: CallContext): Tensor {
  try {
    return resultTensor(ctx.call(f, args));
  } catch (e) {
    if (e instanceof PyException && e.pyType === 'RuntimeError' && e.pyMessage === 'Boolean value of Tensor with more than one value is ambiguous') {
      throw pyError('RuntimeError', "vmap: It looks like you're attempting to use a Tensor in some data-dependent control flow. We don't support that yet, please file an issue at https://github.com/pytorch/pytorch/issues .", e.span);
    }
    throw e;
  }
}

/** The four broadcast index tensors (int64) a mod is called with. */
function indexTensors(B: number, H: number, Q: number, KV: number): TorchTensor[] {
  const idx = (n: number, axis: number) => {
    const shape = [1, 1, 1, 1];
    shape[axis] = n;
    return new TorchTensor(reshape(arange(0, n, 1, 'int64'), shape));
  };
  return [idx(B, 0), idx(H, 1), idx(Q, 2), idx(KV, 3)];
}

/** A mod's result broadcast to the full [B, H, Q, KV], as vmap's output is. */
function full4(t: Tensor, shape: number[]): Tensor {
  const same = t.ndim === 4 && t.shape.every((s, i) => s === shape[i]);
  return same ? t : contiguous(expand(t, shape));
}

/**
 * create_mask's device argument: None (the current accelerator, none on a CPU
 * build, so "cpu") or a CPU device; a CUDA one is torch.arange's
 * AssertionError on a CPU-only build.
 */
function checkDevice(v: PyValue | undefined, ctx: CallContext): void {
  if (v === undefined || v === null) return;
  const s = typeof v === 'string' ? v : ctx.str(v);
  if (s.startsWith('cuda')) throw pyError('AssertionError', 'Torch not compiled with CUDA enabled');
  if (s !== 'cpu' && !s.startsWith('cpu:')) throw pyError('NotImplementedError', `create_mask on device '${s}' is not supported by Mask Lens yet`);
}

const optInt = (v: PyValue | undefined, name: string) => (v === undefined || v === null ? 1 : toInt(v, name));

/**
 * create_mask(mod_fn, B, H, Q_LEN, KV_LEN, device=None) -> bool [B, H, Q_LEN, KV_LEN]
 * (B and H None count as 1). A mask_mod's result broadcast to full size; a
 * score_mod is applied to float32 zeros and the mask is where its result is
 * not -inf. Raises AssertionError for a mod with other than 4 or 5 positional
 * parameters.
 */
function createMask(mod: PyValue, B: number, H: number, Q: number, KV: number, ctx: CallContext): Tensor {
  const kind = modArity(mod);
  const shape = [B, H, Q, KV];
  const idx = indexTensors(B, H, Q, KV);
  if (kind === 5) {
    const score = new TorchTensor(Tensor.empty('float32', shape));
    const out = full4(callMod(mod, [score, ...idx], ctx), shape);
    return unary('not', binary('eq', out, -Infinity), 'bool');
  }
  return full4(callMod(mod, idx, ctx), shape);
}

/** The positions of a row of block flags as argsort(descending=True, stable=True) orders them: set ones first. */
function orderedRow(flags: ArrayLike<number>, start: number, n: number, idx: Int32Array, at: number): number {
  let k = 0;
  for (let c = 0; c < n; c++) if (flags[start + c]) idx[at + k++] = c;
  const count = k;
  for (let c = 0; c < n; c++) if (!flags[start + c]) idx[at + k++] = c;
  return count;
}

/** _dense_to_ordered: per-row block counts [..., R] and column orders [..., R, C] (int32). */
function denseToOrdered(flags: Uint8Array, lead: number[], R: number, C: number): [Tensor, Tensor] {
  const rows = lead.reduce((a, b) => a * b, 1) * R;
  const num = new Int32Array(rows), idx = new Int32Array(rows * C);
  for (let r = 0; r < rows; r++) num[r] = orderedRow(flags, r * C, C, idx, r * C);
  return [Tensor.fromData('int32', [...lead, R], num), Tensor.fromData('int32', [...lead, R, C], idx)];
}

/** _ordered_to_dense: [..., R, C] flags of the first num[r] columns of each row's order. */
function orderedToDense(num: Tensor, idx: Tensor): Tensor {
  const C = idx.shape[idx.ndim - 1];
  const n = num.values(), ix = idx.values();
  const out = new Int32Array(idx.numel);
  for (let r = 0; r < n.length; r++) {
    for (let k = 0; k < Math.min(n[r], C); k++) out[r * C + ix[r * C + k]] = 1;
  }
  return Tensor.fromData('int32', idx.shape, out);
}

/** Transposes the last two dims of row-major [lead..., R, C] flags. */
function transposeFlags(flags: Uint8Array, batches: number, R: number, C: number): Uint8Array {
  const out = new Uint8Array(flags.length);
  for (let b = 0; b < batches; b++) {
    for (let r = 0; r < R; r++) for (let c = 0; c < C; c++) out[b * R * C + c * R + r] = flags[b * R * C + r * C + c];
  }
  return out;
}

export function makeFlexAttention(): PyModule {
  const m = new PyModule('torch.nn.attention.flex_attention');
  const mod = (name: string) => `torch.nn.attention.flex_attention.${name}`;
  // _warn_once: each warning once per process (here, per evaluation)
  const warned = new Set<string>();
  // setting it True (to debug mods with print) silences the "without torch.compile()" warning
  m.dict.set('_FLEX_ATTENTION_DISABLE_COMPILE_DEBUG', false);
  const warnOnce = (id: string, message: string, ctx: CallContext) => {
    if (warned.has(id)) return;
    warned.add(id);
    ctx.warn(message);
  };

  /** noop_mask(b, h, q_idx, kv_idx) -> tensor(True): every position attends. */
  const noopMask = nativeMod('noop_mask', 'noop_mask', 4, () => new TorchTensor(scalarTensor(true, 'bool')));
  m.dict.set('noop_mask', noopMask);

  /** and_masks / or_masks: RuntimeError unless every argument is callable; the result folds & or | over them from True / False. */
  const combine = (name: 'and_masks' | 'or_masks', inner: string, op: '&' | '|', start: boolean) =>
    fn(name, (args, _kw, ctx) => {
      if (!args.every((a) => isCallable(a))) {
        throw runtimeError(`All inputs should be callable mask_mods: ${ctx.repr(new PyTuple(args))}`);
      }
      return nativeMod(inner, `${name}.<locals>.${inner}`, 4, (bhqk, c) => {
        let result: PyValue = new TorchTensor(scalarTensor(start, 'bool'));
        for (const f of args) result = c.binary(op, result, c.call(f, bhqk.slice(0, 4)));
        return result;
      });
    });
  m.dict.set('and_masks', combine('and_masks', 'and_mask', '&', true));
  m.dict.set('or_masks', combine('or_masks', 'or_mask', '|', false));

  m.dict.set('create_mask', fn('create_mask', (args, kw, ctx) => {
    const a = bind('create_mask', args, kw, ['mod_fn', 'B', 'H', 'Q_LEN', 'KV_LEN', 'device?']);
    checkDevice(a.device, ctx);
    const t = createMask(a.mod_fn!, optInt(a.B, 'B'), optInt(a.H, 'H'), toInt(a.Q_LEN, 'Q_LEN'), toInt(a.KV_LEN, 'KV_LEN'), ctx);
    return new TorchTensor(t);
  }));

  const BlockMask = new PyClass('BlockMask', [], mod('BlockMask'));
  m.dict.set('BlockMask', BlockMask);
  const T = (self: PyValue | undefined, name: string): Tensor | null => {
    const v = (self as PyInstance).dict.get(name);
    return v instanceof ArrayValue ? v.t : null;
  };
  const blockSize = (self: PyValue | undefined, ctx: CallContext): number[] =>
    ctx.iterate((self as PyInstance).dict.get('BLOCK_SIZE')!).map((x) => toInt(x, 'BLOCK_SIZE'));
  const shapeOf = (self: PyValue | undefined, ctx: CallContext): number[] => {
    const kvi = T(self, 'kv_indices')!;
    const seq = ctx.iterate((self as PyInstance).dict.get('seq_lengths')!).map((x) => toInt(x, 'seq_lengths'));
    return [...kvi.shape.slice(0, -2), ...seq];
  };
  /** BlockMask.sparsity(): the percentage of blocks not computed, 100 * (1 - blocks * Q_BLOCK * KV_BLOCK / numel); negative when blocks overhang. */
  const sparsity = (self: PyValue | undefined, ctx: CallContext): number => {
    const total = shapeOf(self, ctx).reduce((p, q) => p * q, 1);
    let computed = 0;
    for (const name of ['kv_num_blocks', 'full_kv_num_blocks']) {
      const t = T(self, name);
      if (t) for (const x of t.values()) computed += Number(x);
    }
    const [bq, bk] = blockSize(self, ctx);
    return 100 * (1 - (computed * bq * bk) / total);
  };
  /** BlockMask.to_dense(): int32 [..., Q_BLOCKS, KV_BLOCKS], 1 where a block is computed (partial or full). */
  const toDense = (self: PyValue | undefined): Tensor => {
    const partial = orderedToDense(T(self, 'kv_num_blocks')!, T(self, 'kv_indices')!);
    const fn_ = T(self, 'full_kv_num_blocks'), fi = T(self, 'full_kv_indices');
    if (!fn_ || !fi) return partial;
    const full = orderedToDense(fn_, fi).values();
    const p = partial.values() as Int32Array;
    for (let i = 0; i < p.length; i++) p[i] |= full[i];
    return partial;
  };
  /** BlockMask.to_string(grid_size=(20, 20), limit=4): one block drawing per (batch, head), as torch draws it. */
  const toString = (self: PyValue | undefined, gridArg: PyValue | undefined, limitArg: PyValue | undefined, ctx: CallContext): string => {
    const dense = toDense(self);
    const data = dense.values();
    const lead = dense.shape.slice(0, -2);
    const R = dense.shape[dense.ndim - 2], C = dense.shape[dense.ndim - 1];
    let maxRows = 20, maxCols = 20;
    if (typeof gridArg === 'bigint' || typeof gridArg === 'boolean') maxRows = maxCols = toInt(gridArg, 'grid_size');
    else if (gridArg !== undefined) [maxRows, maxCols] = ctx.iterate(gridArg).map((x) => toInt(x, 'grid_size'));
    const limit = limitArg === undefined ? 4 : toInt(limitArg, 'limit');
    const cdiv = (a: number, b: number) => Math.floor((a + (b - 1)) / b);
    const rowStep = Math.max(1, cdiv(R, maxRows)), colStep = Math.max(1, cdiv(C, maxCols));
    const batches = lead.reduce((p, q) => p * q, 1);
    const out: string[] = [];
    for (let i = 0; i < batches; i++) {
      if (i === limit) {
        out.push('...', 'To print out more, set BlockMask.to_string(limit=N)', 'You can also index (BlockMask[batch, head]) to choose a specific batch or head');
        break;
      }
      const index: bigint[] = [];
      let rest = i;
      for (let d = lead.length - 1; d >= 0; d--) {
        index.unshift(BigInt(rest % lead[d]));
        rest = Math.floor(rest / lead[d]);
      }
      let vis = ctx.repr(new PyTuple(index)) + '\n';
      for (let r = 0; r < R; r += rowStep) {
        for (let c = 0; c < C; c += colStep) {
          let ones = 0, n = 0;
          for (let rr = r; rr < Math.min(R, r + rowStep); rr++) {
            for (let cc = c; cc < Math.min(C, c + colStep); cc++, n++) ones += data[i * R * C + rr * C + cc] ? 1 : 0;
          }
          vis += (ones === n ? '█' : ones === 0 ? ' ' : '░').repeat(2);
        }
        vis += '\n';
      }
      out.push(vis);
    }
    return out.join('\n');
  };
  const modName = (f: PyValue | undefined, ctx: CallContext): string =>
    f instanceof PyFunction || f instanceof PyBuiltin ? f.name : f instanceof PyBoundMethod && f.fn instanceof PyFunction ? f.fn.name : ctx.str(f ?? null);
  const pct = (self: PyValue | undefined, ctx: CallContext) => formatValue(sparsity(self, ctx), '.2f', ctx);
  const shapeRepr = (self: PyValue | undefined, ctx: CallContext) => ctx.repr(new PyTuple(shapeOf(self, ctx).map(BigInt)));

  BlockMask.dict.set('__repr__', fn('__repr__', ([self], _kw, ctx) => {
    const sz = (name: string) => {
      const t = T(self, name);
      return t ? `torch.Size([${t.shape.join(', ')}])` : 'None';
    };
    const d = (self as PyInstance).dict;
    return 'BlockMask(\n'
      + ['kv_num_blocks', 'kv_indices', 'full_kv_num_blocks', 'full_kv_indices', 'q_num_blocks', 'q_indices', 'full_q_num_blocks', 'full_q_indices']
        .map((n) => `    ${n}=${sz(n)},\n`).join('')
      + `    BLOCK_SIZE=${ctx.repr(d.get('BLOCK_SIZE')!)},\n`
      + `    shape=${shapeRepr(self, ctx)},\n`
      + `    sparsity=${pct(self, ctx)}%,\n`
      + `    mask_mod=${modName(d.get('mask_mod'), ctx)}\n)`;
  }));
  BlockMask.dict.set('__str__', fn('__str__', ([self], _kw, ctx) =>
    `BlockMask(shape=${shapeRepr(self, ctx)}, sparsity=${pct(self, ctx)}%, \n${toString(self, undefined, undefined, ctx).trim()}\n)`));
  BlockMask.dict.set('sparsity', fn('sparsity', ([self], _kw, ctx) => sparsity(self, ctx)));
  BlockMask.dict.set('numel', fn('numel', ([self], _kw, ctx) => BigInt(shapeOf(self, ctx).reduce((p, q) => p * q, 1))));
  BlockMask.dict.set('to_dense', fn('to_dense', ([self]) => new TorchTensor(toDense(self))));
  BlockMask.dict.set('to_string', fn('to_string', ([self, ...args], kw, ctx) => {
    const a = bind('to_string', args, kw, ['grid_size?', 'limit?']);
    return toString(self, a.grid_size, a.limit, ctx);
  }));
  // every tensor is on the CPU already
  BlockMask.dict.set('to', fn('to', ([self, ...args], kw, ctx) => {
    const a = bind('to', args, kw, ['device']);
    checkDevice(a.device, ctx);
    return self!;
  }));
  BlockMask.dict.set('__getitem__', fn('__getitem__', () => {
    throw pyError('NotImplementedError', 'BlockMask.__getitem__ is not supported by Mask Lens yet');
  }));

  /**
   * create_block_mask(mask_mod, B, H, Q_LEN, KV_LEN, device=None, BLOCK_SIZE=128,
   * _compile=False, separate_full_blocks=True) -> BlockMask. The mask is
   * create_mask's, padded with False to whole blocks; a block with every
   * position attending is "full" (full_kv_*), one with some a partial block
   * (kv_*); kv_indices order each Q-block row's blocks with the listed ones
   * first (argsort descending, stable); q_* are the transposes. Raises
   * AssertionError for a score_mod.
   */
  m.dict.set('create_block_mask', fn('create_block_mask', (args, kw, ctx) => {
    const a = bind('create_block_mask', args, kw, ['mask_mod', 'B', 'H', 'Q_LEN', 'KV_LEN', 'device?', 'BLOCK_SIZE?', '_compile?',
      'separate_full_blocks?', 'compute_dq_write_order?', 'dq_kv_order?']);
    const maskMod = a.mask_mod!;
    if (modArity(maskMod) !== 4) throw pyError('AssertionError', `create-block_mask requires a mask_mod function! Got ${ctx.str(maskMod)}`);
    const B = optInt(a.B, 'B'), H = optInt(a.H, 'H');
    const [QB, KB] = a.BLOCK_SIZE === undefined ? [128, 128]
      : typeof a.BLOCK_SIZE === 'bigint' ? [toInt(a.BLOCK_SIZE, 'BLOCK_SIZE'), toInt(a.BLOCK_SIZE, 'BLOCK_SIZE')]
        : ctx.iterate(a.BLOCK_SIZE).map((x) => toInt(x, 'BLOCK_SIZE'));
    if (a._compile !== undefined && ctx.truthy(a._compile)) throw pyError('NotImplementedError', 'create_block_mask(_compile=True) is not supported by Mask Lens yet');
    if (a.dq_kv_order !== undefined && typeof a.dq_kv_order !== 'boolean') throw valueError('dq_kv_order must be a bool when using create_block_mask');
    if (a.compute_dq_write_order !== undefined && ctx.truthy(a.compute_dq_write_order)) {
      throw pyError('NotImplementedError', 'create_block_mask(compute_dq_write_order=True) is not supported by Mask Lens yet');
    }
    checkDevice(a.device, ctx);
    const separate = a.separate_full_blocks === undefined ? true : toBool(a.separate_full_blocks, ctx);
    const Q = toInt(a.Q_LEN, 'Q_LEN'), KV = toInt(a.KV_LEN, 'KV_LEN');
    const mask = createMask(maskMod, B, H, Q, KV, ctx);
    if (mask.dtype !== 'bool') throw pyError('AssertionError', `mask.dtype must be torch.bool, got torch.${mask.dtype}`);
    const bits = mask.values();
    const R = Math.ceil(Q / QB), C = Math.ceil(KV / KB), BH = B * H;
    const partial = new Uint8Array(BH * R * C), full = new Uint8Array(BH * R * C);
    for (let bh = 0; bh < BH; bh++) {
      for (let r = 0; r < R; r++) {
        for (let c = 0; c < C; c++) {
          let sum = 0;
          for (let q = r * QB; q < Math.min(Q, (r + 1) * QB); q++) {
            for (let k = c * KB; k < Math.min(KV, (c + 1) * KB); k++) sum += bits[(bh * Q + q) * KV + k] ? 1 : 0;
          }
          const at = (bh * R + r) * C + c;
          // padding counts as masked, so an edge block is never full
          full[at] = separate && sum === QB * KB ? 1 : 0;
          partial[at] = sum > 0 && !full[at] ? 1 : 0;
        }
      }
    }
    const bm = new PyInstance(BlockMask);
    const set = (name: string, t: Tensor | null) => bm.dict.set(name, t ? new TorchTensor(t) : null);
    const [kvNum, kvIdx] = denseToOrdered(partial, [B, H], R, C);
    const [qNum, qIdx] = denseToOrdered(transposeFlags(partial, BH, R, C), [B, H], C, R);
    bm.dict.set('seq_lengths', new PyTuple([BigInt(Q), BigInt(KV)]));
    set('kv_num_blocks', kvNum);
    set('kv_indices', kvIdx);
    if (separate) {
      const [fNum, fIdx] = denseToOrdered(full, [B, H], R, C);
      const [fqNum, fqIdx] = denseToOrdered(transposeFlags(full, BH, R, C), [B, H], C, R);
      set('full_kv_num_blocks', fNum);
      set('full_kv_indices', fIdx);
      set('q_num_blocks', qNum);
      set('q_indices', qIdx);
      set('full_q_num_blocks', fqNum);
      set('full_q_indices', fqIdx);
    } else {
      set('full_kv_num_blocks', null);
      set('full_kv_indices', null);
      set('q_num_blocks', qNum);
      set('q_indices', qIdx);
      set('full_q_num_blocks', null);
      set('full_q_indices', null);
    }
    for (const n of ['dq_write_order', 'dq_write_order_full', 'dq_kv_order', 'dq_kv_order_spt']) bm.dict.set(n, null);
    bm.dict.set('BLOCK_SIZE', new PyTuple([BigInt(QB), BigInt(KB)]));
    bm.dict.set('mask_mod', maskMod);
    bm.dict.set('shape', new PyTuple([B, H, Q, KV].map(BigInt)));
    return bm;
  }));

  // return_aux=AuxRequest(lse=True) asks for the logsumexp in an AuxOutput (return_lse's successor)
  const AuxRequest = namedTupleClass('AuxRequest', ['lse', 'max_scores'], [false, false]);
  const AuxOutput = namedTupleClass('AuxOutput', ['lse', 'max_scores'], [null, null]);
  AuxRequest.module = AuxOutput.module = 'torch.nn.attention.flex_attention';
  m.dict.set('AuxRequest', AuxRequest);
  m.dict.set('AuxOutput', AuxOutput);
  m.dict.set('flex_attention', fn('flex_attention', (args, kw, ctx) => {
    const a = bind('flex_attention', args, kw, ['query', 'key', 'value', 'score_mod?', 'block_mask?', 'scale?', 'enable_gqa?', 'return_lse?', 'kernel_options?', 'return_aux?']);
    const debug = ctx.truthy(m.dict.get('_FLEX_ATTENTION_DISABLE_COMPILE_DEBUG') ?? false);
    return flexAttention(a, ctx, (id, message, c) => {
      if (!(debug && id === 'flex_attention_performance')) warnOnce(id, message, c);
    }, BlockMask, AuxOutput);
  }));
  return m;
}

/**
 * flex_attention(query [B, Hq, L, E], key [B|1, Hkv, S, E], value [B|1, Hkv, S, Ev],
 * score_mod=None, block_mask=None, scale=None, enable_gqa=False, return_lse=False)
 * -> [B, Hq, L, Ev] (and lse [B, Hq, L] with return_lse), as the eager CPU path
 * computes it (sdpa_dense / math_attention): scores = q @ k^T in float32
 * (float64 for float64 query), times scale (1/sqrt(E) by default), score_mod
 * applied, -inf where the block mask's mask_mod is False, a softmax whose
 * fully masked rows are 0 (their lse -inf), cast to query's dtype, @ value.
 * The block structure itself decides nothing on this path. Errors: torch's
 * ValueError / NotImplementedError for mismatched inputs, and
 * NotImplementedError for inputs that need grad (no backward on CPU). Warns
 * once that it runs without torch.compile, as torch does.
 */
function flexAttention(
  a: Record<string, PyValue | undefined>, ctx: CallContext,
  warnOnce: (id: string, message: string, ctx: CallContext) => void, BlockMask: PyClass, AuxOutput: PyClass,
): PyValue {
  const q = tensorArg(a.query, 'flex_attention', 'query'), k0 = tensorArg(a.key, 'flex_attention', 'key'), v0 = tensorArg(a.value, 'flex_attention', 'value');
  if (q.ndim < 2 || k0.ndim < 2 || v0.ndim < 2) {
    throw valueError(`Expected query, key, and value to all be  at least 2 dimensional, but got query.dim: ${q.ndim}, key.dim: ${k0.ndim} and value.dim: ${v0.ndim} instead.`);
  }
  if (q.shape[q.ndim - 1] !== k0.shape[k0.ndim - 1]) {
    throw valueError(`Expect query and key/value to have the same embedding dimension but got E=${q.shape[q.ndim - 1]} and E=${k0.shape[k0.ndim - 1]}.`);
  }
  if ([a.query, a.key, a.value].some((x) => x instanceof TorchTensor && x.requiresGrad)) {
    throw pyError('NotImplementedError', 'FlexAttention does not support backward on CPU. Please set the input requires_grad to False or use another device.');
  }
  if (q.ndim !== 4 || k0.ndim !== 4 || v0.ndim !== 4) throw pyError('NotImplementedError', 'NYI: query, key, and value must be 4D tensors');
  const gqa = a.enable_gqa === undefined ? false : toBool(a.enable_gqa, ctx);
  const [Bq, Hq, L, E] = q.shape;
  const [Bkv, Hkv, S] = k0.shape;
  if (!gqa && Hq !== Hkv) {
    throw valueError(`Expect query and key/value to have the same number of heads but got Hq=${Hq} and Hkv=${Hkv}. Try setting enable_gqa=True for GQA.`);
  }
  if (gqa && Hq % Hkv !== 0) throw valueError(`Expect number of query heads to be a multiple of kv heads for GQA but got Hq=${Hq} and Hkv=${Hkv}.`);
  const bm = a.block_mask === undefined || a.block_mask === null ? null : a.block_mask;
  if (bm !== null && !(bm instanceof PyInstance && bm.cls === BlockMask)) {
    throw pyError('NotImplementedError', 'flex_attention with a block_mask that is not a BlockMask is not supported by Mask Lens yet');
  }
  const bmTensor = (name: string) => ((bm as PyInstance).dict.get(name) as ArrayValue).t;
  if (Bq !== Bkv) {
    if (bm === null) {
      throw valueError(`Expect query and key/value to have the same batch size, or non-none block_mask, but got block_mask=None, Bq=${Bq}, and Bkv=${Bkv}.`);
    }
    const Bm = bmTensor('kv_num_blocks').shape[0];
    if (Bm !== Bq) {
      throw valueError(`Expect query and key/value to have the same batch size, or block_mask and query to have the same batch size, but got Bq=${Bq}, Bkv=${Bkv}, B_block_mask=${Bm}.`);
    }
  }
  let maskMod: PyValue | null = null;
  if (bm !== null) {
    const d = (bm as PyInstance).dict;
    const kvi = bmTensor('kv_indices');
    const seq = ctx.iterate(d.get('seq_lengths')!).map((x) => toInt(x, 'seq_lengths'));
    const shape = [...kvi.shape.slice(0, -2), ...seq];
    const shapeText = ctx.repr(new PyTuple(shape.map(BigInt)));
    const [mq, mk] = seq;
    if (L > mq || S > mk) {
      throw valueError(`block_mask was created for block_mask.shape=${shapeText} but got q_len=${L} and kv_len=${S}. As the block mask was created for a smaller length than you're using it for, you likely need to create a new block mask.`);
    }
    if ((L < mq && S <= mk) || (L <= mq && S < mk)) {
      throw valueError(`block_mask was created for block_mask.shape=${shapeText} but got q_len=${L} and kv_len=${S}. As the block mask was created for a larger length than you're using it for, you can either 1. create a new block mask with the correct length, or 2. 'adjust' the existing block mask to the correct length by calling block_mask._adjust(q_len, kv_len). This essentially 'crops' the block mask to the upper left corner, which does not work for all mask_mods!`);
    }
    maskMod = d.get('mask_mod') ?? null;
  }
  const scale = a.scale === undefined || a.scale === null ? 1 / Math.sqrt(E) : toFloat(a.scale, 'scale');
  const returnLse = a.return_lse === undefined ? false : toBool(a.return_lse, ctx);
  const aux = a.return_aux === undefined || a.return_aux === null ? null : a.return_aux;
  if (aux !== null && returnLse) {
    throw valueError('Cannot specify both return_lse and return_aux. return_lse is deprecated, please use return_aux=AuxRequest(lse=True) instead.');
  }
  if (returnLse) {
    warnOnce('deprecated_return_lse', 'FutureWarning: return_lse is deprecated and will be removed in v2.10. Please use return_aux=AuxRequest(lse=True) instead.', ctx);
  }
  if (a.kernel_options !== undefined && a.kernel_options !== null) {
    throw pyError('NotImplementedError', 'flex_attention(kernel_options=...) is not supported by Mask Lens yet');
  }
  const wantLse = aux !== null ? ctx.truthy(ctx.getAttr(aux, 'lse')) : returnLse;
  if (aux !== null && ctx.truthy(ctx.getAttr(aux, 'max_scores'))) {
    // _apply_kernel_options: the CPU kernels keep no running max
    throw pyError('NotImplementedError', 'Returning max scores is not supported on CPU/MPS.');
  }
  warnOnce('flex_attention_performance', 'UserWarning: flex_attention called without torch.compile() - this will use an unfused implementation that materializes the full scores matrix instead of generating a fused kernel.\n\n'
    + 'SOLUTION: Use torch.compile(flex_attention)(...)\n\n'
    + 'If you want to debug your score_mod/mask_mod, you can set:\n'
    + 'torch.nn.attention.flex_attention._FLEX_ATTENTION_DISABLE_COMPILE_DEBUG = True\n\n'
    + "This will allow you to use print statements or breakpoints. Note: This doesn't work with the backwards pass and may produce incorrect results.", ctx);

  // math_attention: GQA repeats key/value heads (repeat_interleave), a batch-1 key/value broadcasts
  const G = Hq / Hkv;
  const heads = (t: Tensor) => (G === 1 ? t
    : reshape(expand(unsqueeze(t, 2), [t.shape[0], Hkv, G, t.shape[2], t.shape[3]]), [t.shape[0], Hq, t.shape[2], t.shape[3]]));
  let key = heads(k0), value = heads(v0);
  if (!(Bq === Bkv || (Bq > 1 && Bkv === 1))) throw runtimeError(`Bq and Bkv must broadcast. Got Bq=${Bq} and Bkv=${Bkv}`);
  key = expand(key, [Bq, ...key.shape.slice(1)]);
  value = expand(value, [Bq, ...value.shape.slice(1)]);
  const wp: DType = q.dtype === 'float64' ? 'float64' : 'float32';
  let scores = matmul(cast(q, wp), transpose(cast(key, wp), -2, -1));
  scores = binary('mul', scores, scale);
  if (scores.dtype !== wp) scores = cast(scores, wp);
  const shape = [Bq, Hq, L, S];
  const idx = indexTensors(Bq, Hq, L, S);
  const scoreMod = a.score_mod === undefined || a.score_mod === null ? null : a.score_mod;
  // torch.where(mask_mod(...), score_mod(...), -inf): the mask_mod runs first
  const keep = maskMod === null ? null : full4(callMod(maskMod, idx, ctx), shape);
  let post = scoreMod === null ? scores : full4(callMod(scoreMod, [new TorchTensor(scores), ...idx], ctx), shape);
  if (keep !== null) {
    if (keep.dtype !== 'bool' && keep.dtype !== 'uint8') {
      throw runtimeError(`where expected condition to be a boolean tensor, but got a tensor with dtype ${cppTypeName(keep.dtype)}`);
    }
    post = where(keep, post, scalarTensor(-Infinity, wp));
  }
  const lseRaw = logsumexp(post, -1, false);
  const maskedRows = reduce('all', binary('eq', post, -Infinity), -1);
  let weights = softmax(post, -1);
  weights = where(unsqueeze(maskedRows, -1), 0, weights);
  const out = matmul(cast(weights, q.dtype), cast(value, q.dtype));
  const result = new TorchTensor(out);
  let lseValue: PyValue = null;
  if (wantLse) {
    // the math path returns lse / ln 2 and flex_attention multiplies it back by ln 2
    const lse = where(maskedRows, scalarTensor(-Infinity, lseRaw.dtype), lseRaw);
    lseValue = new TorchTensor(binary('mul', binary('div', lse, Math.log(2)), Math.log(2)));
  }
  if (aux !== null) return new PyTuple([result, ctx.call(AuxOutput, [], new Map([['lse', lseValue], ['max_scores', null]]))]);
  return returnLse ? new PyTuple([result, lseValue]) : result;
}
