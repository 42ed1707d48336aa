// Every message between the evaluation service (host side, client.ts) and
// its worker thread (worker.ts). Evaluations run in the worker and their
// values stay there: the host gets a result with small values inlined and
// asks for the rest (summary, a downsampled 2-D slice, the repr) by address.

import type { TypedData } from '../engine/tensor';
import type { EncodedNumber, PyErrorInfo, RunOptions, RunResult, SnapshotAddress } from '../python/result';

export type { SnapshotAddress };

/** A value of one evaluation held by the worker. */
export interface ValueRef {
  /** Evaluation id, from EvaluateReply. Stale once the worker restarts or forgets it. */
  evaluation: number;
  address: SnapshotAddress;
}

/** What the host shows without the data: kind, dtype, shape and a few statistics. */
export interface ValueSummary {
  type: string;
  dtype?: string;
  shape?: number[];
  numel?: number;
  /** Over finite elements; absent when there are none. */
  min?: number;
  max?: number;
  mean?: number;
  /** Count of NaN and of ±inf elements. */
  nan?: number;
  inf?: number;
  /** Fraction of non-zero elements (for masks: how much is ■). */
  nonzero?: number;
}

/** A 2-D slice of a tensor: the last two axes at fixed leading indices. */
export interface SliceRequest {
  /** Indices of the axes before the last two (missing ones are 0). */
  leading?: number[];
  /** Largest rows and columns to return: longer axes are sampled every ceil(n / max) items. */
  maxRows: number;
  maxCols: number;
  /**
   * Pool each rowStep × colStep block instead of sampling its first element:
   * the max (NaN wins) for numbers, any for booleans; a mask's blocks by its
   * masked value (the snapshot's reader and polarity: -inf wins in an
   * additive mask, False in a keep-mask), so no masked position or NaN drops
   * out of a downsampled view (the hover's and the inspector's grids).
   */
  pool?: boolean;
}

export interface Slice {
  /** The full tensor's shape. */
  shape: number[];
  dtype: string;
  rows: number;
  cols: number;
  /** Source row (column) of returned row i is i * rowStep (i * colStep). */
  rowStep: number;
  colStep: number;
  /** rows × cols values, row-major. */
  data: EncodedNumber[];
  /** int64 elements beyond 2^53, exactly: [index into data, decimal digits] (`data` holds their nearest doubles); unpooled cells only. */
  exact?: [number, string][];
  /** A pooled mask's blocks hold its masked value when any cell is masked (src/render/pool.ts MaskedCells). */
  maskedCells?: 'zero' | 'nonzero';
}

/**
 * The operands of one [rows, cols] view (the last two dims at `leading`) of
 * a large softmax over the last dim (SoftmaxOperands), for the inspector to
 * recompute on the user's GPU, with the CPU reference's row checksums of the
 * same view (src/render/checksum.ts).
 */
export interface SoftmaxViewOperands {
  rows: number;
  cols: number;
  /** Row-major float32 scores before the fill. */
  scores: Float32Array;
  /** 1 where the fill was written; absent for a plain softmax. */
  mask?: Uint8Array;
  fill: EncodedNumber;
  /** rowChecksums of the worker's own result (the CPU reference) for this view. */
  reference: Float64Array;
}

/** Most cells of one view the worker sends operands for (a 2048 × 2048 view: 16 MB of scores). */
export const MAX_OPERAND_CELLS = 1 << 22;

/** Worker options beyond RunOptions: the engine backend the host's settings chose, and the memory cap. */
export interface ServiceRunOptions extends Omit<RunOptions, 'memory'> {
  backend?: { preference: 'auto' | 'cpu' | 'gpu'; gpuThreshold: number };
  /**
   * The worker's memory cap in MB (its JS heap plus tensor buffers) and the
   * setting it comes from; the service sets both from its heap cap.
   */
  memoryCap?: { capMb: number; setting: string };
}

export type HostToWorker =
  | { type: 'evaluate'; id: number; source: string; options: ServiceRunOptions }
  | { type: 'summary'; id: number; ref: ValueRef }
  | { type: 'slice'; id: number; ref: ValueRef; request: SliceRequest }
  | { type: 'repr'; id: number; ref: ValueRef }
  /** Every element of a tensor, row-major, as one typed array (the CLI's --json writes elided values whole). */
  | { type: 'data'; id: number; ref: ValueRef }
  /** The view's softmax operands (SoftmaxViewOperands) of a large softmax a variable holds. */
  | { type: 'operands'; id: number; ref: ValueRef; leading: number[] }
  | { type: 'release'; evaluation: number };

export type WorkerToHost =
  /** Sent once the worker has loaded and listens: its start-up is not charged to any time budget. */
  | { type: 'ready'; id: -1 }
  | { type: 'evaluated'; id: number; result: RunResult; elapsedMs: number }
  /** An error of a running evaluation, sent as it happens: a stopped evaluation still reports it. */
  | { type: 'partialError'; id: number; error: PyErrorInfo }
  | { type: 'summary'; id: number; summary: ValueSummary | null }
  | { type: 'slice'; id: number; slice: Slice | null }
  | { type: 'repr'; id: number; repr: string | null }
  /** Row-major elements in the storage's own typed array (bool as 0/1); null when the worker no longer holds the tensor. */
  | { type: 'data'; id: number; data: TypedData | null }
  /** null: not a large softmax over the last dim, a view too large, or a value the worker no longer holds. */
  | { type: 'operands'; id: number; operands: SoftmaxViewOperands | null }
  | { type: 'failed'; id: number; message: string };

/** The reply type for each request type. */
export interface Replies {
  evaluate: Extract<WorkerToHost, { type: 'evaluated' }>;
  summary: Extract<WorkerToHost, { type: 'summary' }>;
  slice: Extract<WorkerToHost, { type: 'slice' }>;
  repr: Extract<WorkerToHost, { type: 'repr' }>;
  data: Extract<WorkerToHost, { type: 'data' }>;
  operands: Extract<WorkerToHost, { type: 'operands' }>;
}
