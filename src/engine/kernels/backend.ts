// The kernel layer: a small set of primitives every backend implements.
// Ops (src/engine/ops) validate, promote and broadcast, then hand a backend
// operands that are already in the compute dtype and already broadcast
// (a broadcast dimension has stride 0). Everything else (softmax, triu,
// tril, masked_fill, losses) is composed from these in the ops layer.

import type { MatmulOrder } from './float32_matmul';
import type { TypedData } from '../tensor';

export type UnaryOp =
  | 'neg' | 'exp' | 'log' | 'sqrt' | 'rsqrt' | 'abs' | 'recip' | 'not' | 'floor' | 'ceil' | 'round'
  | 'trunc' | 'sin' | 'cos' | 'sinh' | 'cosh' | 'tanh' | 'sigmoid' | 'log1p' | 'expm1' | 'sign' | 'isnan' | 'isinf'
  | 'isfinite' | 'identity' | 'bitnot';

export type BinaryOp =
  | 'add' | 'sub' | 'mul' | 'div' | 'floordiv' | 'remainder' | 'fmod' | 'pow' | 'maximum' | 'minimum'
  | 'lt' | 'le' | 'gt' | 'ge' | 'eq' | 'ne' | 'and' | 'or' | 'xor' | 'bitand' | 'bitor' | 'bitxor'
  | 'lshift' | 'rshift' | 'atan2';

export type ReduceOp = 'sum' | 'prod' | 'max' | 'min' | 'argmax' | 'argmin' | 'any' | 'all';

/** A strided read of a storage, with strides already broadcast to the output shape. */
export interface Operand {
  data: TypedData;
  strides: readonly number[];
  offset: number;
}

export interface Backend {
  readonly name: string;
  /**
   * Whether this backend wants an op over `numel` output elements whose
   * compute dtype is `dtype`. The CPU reference accepts everything; an
   * accelerated backend accepts only large floating-point work.
   */
  accepts(numel: number, dtype: string): boolean;

  /** out[i] = op(x[i]) over `shape`, out contiguous. `integer` says ints (for div/round semantics). */
  unary(op: UnaryOp, x: Operand, shape: readonly number[], out: TypedData, integer: boolean): void;
  binary(op: BinaryOp, a: Operand, b: Operand, shape: readonly number[], out: TypedData, integer: boolean): void;
  /** out[i] = cond[i] ? a[i] : b[i] */
  where(cond: Operand, a: Operand, b: Operand, shape: readonly number[], out: TypedData): void;
  /**
   * Reduce the middle axis of a contiguous [outer, size, inner] array into
   * out [outer, inner]. argmax/argmin write indices.
   */
  reduce(op: ReduceOp, x: TypedData, outer: number, size: number, inner: number, out: TypedData): void;
  /**
   * out[b] = a[b] @ bm[b] for contiguous a [batch, m, k], bm [batch, k, n], out [batch, m, n].
   * `order` names the kernel PyTorch's CPU build runs, whose float32 summation
   * order the CPU reference follows (float32_matmul.ts); other backends may ignore it.
   */
  matmul(a: TypedData, bm: TypedData, batch: number, m: number, k: number, n: number, out: TypedData, order?: MatmulOrder): void;
  /**
   * Fused (log-)softmax over the last axis of a contiguous [rows, cols] array.
   * Optional: ops compose max/sub/exp/sum/div when a backend lacks it.
   */
  softmax?(x: TypedData, rows: number, cols: number, out: TypedData, log: boolean, lend?: boolean): TypedData | void;
  /**
   * Fused masked softmax: where mask[r, c] (broadcast by its strides) is
   * true the score becomes `fill` before the softmax. `shape` is x's shape,
   * which the mask's strides refer to. Optional.
   *
   * `lend` (softmax and maskedSoftmax): `out` is a fresh array that spans
   * its whole buffer and that nothing else references, so the backend may
   * move that buffer to a worker thread for the call (the wasm backend's
   * copier writes results into it there; `out` is then left detached). The
   * result is in the returned array when one is returned, else in `out`.
   */
  maskedSoftmax?(x: TypedData, mask: Operand, rows: number, cols: number, fill: number, out: TypedData, shape: readonly number[], lend?: boolean): TypedData | void;
  /**
   * cross entropy's picked term without writing log_softmax out: out[r] =
   * the element target[r] of log_softmax(x[r]) (bit-identical to softmax(x,
   * rows, cols, _, true) there), 0 where target[r] === ignoreIndex. x:
   * contiguous float32 [rows, cols]; targets already validated. Optional.
   */
  logSoftmaxPick?(x: Float32Array, rows: number, cols: number, target: ArrayLike<number>, ignoreIndex: number, out: Float32Array): void;
}
