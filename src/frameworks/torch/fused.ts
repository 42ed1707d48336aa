// The torch module's fused call rule: a softmax over the last dim of a
// masked_fill result nobody else can see,
//   torch.softmax(x.masked_fill(m, float('-inf')), dim=-1)
//   F.softmax(scores.masked_fill(mask == 0, float('-inf')), dim=-1, dtype=torch.float32)
//   scores.masked_fill(mask, -inf).softmax(-1)
// runs the engine's fused masked softmax (one kernel, no masked copy of the
// scores: 256 MiB less for [8, 8, 1024, 1024]). The interpreter offers the
// pair only when the masked tensor is a temporary (see FusedCallRule in
// evaluator.ts), so it cannot be mutated or read elsewhere. The result,
// diagnostics and provenance are those of the two calls: every check runs
// on the same tensors in the same order, the masked scores are checked row
// by row as the copy would hold them, and the inspector's derivation says
// which mask filled the softmax's input.

import type { DType } from '../../engine/dtype';
import { fusesMaskedSoftmax, maskedSoftmax } from '../../engine/ops/compose';
import { normalizeDim } from '../../engine/ops/shape';
import { noteDerivation } from '../../engine/provenance';
import type { Tensor } from '../../engine/tensor';
import { bind, type Bound } from '../../python/args';
import type { FusedCallRule } from '../../python/evaluator';
import { checkBroadcast, checkMaskedFill, checkSoftmax, noteMaskConsumer } from '../../masks/checks';
import type { PyValue } from '../../python/values';
import { fillArg, softmaxArgs, tensorArg, TorchTensor, track } from './tensor';

/** torch.softmax and F.softmax builtins, with their error names and signatures (registered as the modules are built). */
const SOFTMAX_FUNCTIONS = new WeakMap<object, { fn: 'softmax' | 'F.softmax'; signature: readonly string[] }>();

/** Mark `b` as a softmax function the rule may fuse: `fn` and `signature` as its own binding uses them. Returns `b`. */
export function fusableSoftmax<T extends PyValue>(b: T, fn: 'softmax' | 'F.softmax', signature: readonly string[]): T {
  if (typeof b === 'object' && b !== null) SOFTMAX_FUNCTIONS.set(b, { fn, signature });
  return b;
}

/** What the fused pair reads, once every argument is known to be what the two calls accept. */
interface Parsed {
  x: Tensor;
  mask: Tensor;
  fill: number;
  dim: number;
}

/**
 * The two calls' arguments as they would bind them, or undefined where the
 * pair is not a float32 softmax over the last dim of a bool-masked fill, or
 * where either call would raise (the interpreter then makes both calls and
 * the error comes from the call that raises it, on its line and span).
 */
function parse(call: Parameters<FusedCallRule['fuse']>[0]): Parsed | undefined {
  const self = call.receiver as TorchTensor;
  const x = self.t;
  if (x.dtype !== 'float32' || call.inner !== 'masked_fill') return undefined;
  let a: Bound, fn: 'softmax' | 'F.softmax';
  let mask: Tensor, fillValue: unknown, dim: number, dtype: DType | undefined;
  try {
    if ('method' in call.outer) {
      if (call.outer.method !== 'softmax') return undefined;
      fn = 'softmax';
      a = bind('softmax', call.args, call.kwargs, ['dim?', 'dtype?']);
    } else {
      const entry = SOFTMAX_FUNCTIONS.get(call.outer.fn as object);
      if (!entry) return undefined;
      fn = entry.fn;
      a = bind('softmax', [self, ...call.args], call.kwargs, entry.signature);
    }
    const m = bind('masked_fill', call.innerArgs, call.innerKwargs, ['mask', 'value']);
    mask = tensorArg(m.mask, 'masked_fill', 'mask');
    fillValue = fillArg(m.value);
    ({ dim, dtype } = softmaxArgs(fn, x, a));
    if (normalizeDim(dim, x.ndim) !== x.ndim - 1) return undefined;
  } catch {
    return undefined;
  }
  // a tensor or bool fill, a non-bool mask (masked_fill raises or warns on those), a cast: the two calls as written
  const fill = typeof fillValue === 'number' ? fillValue : typeof fillValue === 'bigint' ? Number(fillValue) : undefined;
  if (fill === undefined || mask.dtype !== 'bool' || (dtype !== undefined && dtype !== 'float32')) return undefined;
  // small tensors (every hover) and masks that broadcast x up compose as written: nothing to save there
  if (!fusesMaskedSoftmax(x, mask)) return undefined;
  return { x, mask, fill, dim };
}

/** `softmax(x.masked_fill(mask, fill), -1)` in one kernel; see the file header. */
export const MASKED_SOFTMAX_RULE: FusedCallRule = {
  inner: 'masked_fill',
  accepts: (receiver) => receiver instanceof TorchTensor,
  fuse(call) {
    const p = parse(call);
    if (!p) return undefined;
    const { x, mask, fill, dim } = p;
    // Tensor.masked_fill's checks, then softmax's, as the two calls make them
    noteMaskConsumer(mask, 'masked_fill');
    checkBroadcast([{ label: 'self', t: x }, { label: 'mask', t: mask }], 'masked_fill');
    checkMaskedFill(x, mask, fill, 'masked_fill');
    checkSoftmax(x, dim, false, { mask, fill });
    const out = noteDerivation(maskedSoftmax(x, mask, fill), { op: 'softmax', dim, input: x, masked: { mask, fill: Math.fround(fill) } });
    // the temporary would have required grad exactly when the scores do (a number fill has no grad)
    return track(new TorchTensor(out), 'softmax', call.receiver);
  },
};
