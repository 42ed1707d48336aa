// The benchmark workloads: sizes, deterministic inputs every engine can
// rebuild bit for bit (PyTorch included), and an output checksum so the
// engines can be checked against each other.

export interface Sizes {
  combined_mask: { B: number; T: number };
  masked_softmax: { B: number; H: number; T: number };
  cross_entropy_ignore: { N: number; C: number; ignoreIndex: number };
  qk_matmul: { B: number; H: number; T: number; D: number };
}

export const FULL: Sizes = {
  combined_mask: { B: 32, T: 512 },
  masked_softmax: { B: 8, H: 8, T: 1024 },
  // [4096, 32000] is 131M floats (524 MB per copy): too much for the 2-core
  // reference machine with four engines side by side, so the brief's smaller size.
  cross_entropy_ignore: { N: 2048, C: 8192, ignoreIndex: -100 },
  qk_matmul: { B: 8, H: 8, T: 256, D: 64 },
};

export const QUICK: Sizes = {
  combined_mask: { B: 4, T: 128 },
  masked_softmax: { B: 2, H: 4, T: 256 },
  cross_entropy_ignore: { N: 256, C: 1024, ignoreIndex: -100 },
  qk_matmul: { B: 2, H: 2, T: 128, D: 64 },
};

export const WORKLOAD_NAMES = ['combined_mask', 'masked_softmax', 'cross_entropy_ignore', 'qk_matmul', 'hover_eval'] as const;
export type WorkloadName = (typeof WORKLOAD_NAMES)[number];

/**
 * Deterministic float32 inputs: ((i * 7919 + salt * 104729) mod 1000) / 100 - 5,
 * exact in float64 and rounded once to float32, so numpy reproduces them
 * exactly (see torch.ts).
 */
export function detF32(n: number, salt: number): Float32Array {
  const out = new Float32Array(n);
  const s = (salt * 104729) % 1000;
  for (let i = 0; i < n; i++) out[i] = ((i * 7919 + s) % 1000) / 100 - 5;
  return out;
}

/** n float32 values uniform in [lo, hi) from a seeded mulberry32 stream (the exp accuracy inputs). */
export function uniformF32(n: number, lo: number, hi: number, seed: number): Float32Array {
  let a = seed >>> 0;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = lo + (((t ^ (t >>> 14)) >>> 0) / 4294967296) * (hi - lo);
  }
  return out;
}

/** Sequence lengths for the padding mask: T - (b * 37 mod T/2). */
export function lengths(B: number, T: number): number[] {
  return Array.from({ length: B }, (_, b) => T - ((b * 37) % Math.max(1, T >> 1)));
}

/** Targets for cross entropy: (i * 31) mod C, every 5th row ignored. */
export function targets(N: number, C: number, ignoreIndex: number): number[] {
  return Array.from({ length: N }, (_, i) => (i % 5 === 4 ? ignoreIndex : (i * 31) % C));
}

/**
 * Checksum of an output: sum of out[i] * ((i mod 7) + 1) over finite
 * values, plus NaN and infinity counts. Position weights make a permuted
 * or misplaced result show.
 */
export interface Checksum {
  weighted_sum: number;
  nan: number;
  inf: number;
}

export function checksum(values: ArrayLike<number>): Checksum {
  let sum = 0, nan = 0, inf = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v !== v) nan++;
    else if (v === Infinity || v === -Infinity) inf++;
    else sum += v * ((i % 7) + 1);
  }
  return { weighted_sum: sum, nan, inf };
}

/** Whether two checksums describe the same result within float32 accumulation noise. */
export function sameChecksum(a: Checksum, b: Checksum, rel = 1e-4): boolean {
  if (a.nan !== b.nan || a.inf !== b.inf) return false;
  const scale = Math.max(1, Math.abs(a.weighted_sum), Math.abs(b.weighted_sum));
  return Math.abs(a.weighted_sum - b.weighted_sum) <= rel * scale;
}

/** The snippets hover_eval runs through evaluate(): the public seed cases' shape of work. */
export const HOVER_SNIPPETS: Record<string, string> = {
  combine_mask: `import numpy as np
import torch


def combine_mask(batch_text, inpad_index=0):
    pad_mask = batch_text != inpad_index  # Batch * Sequence
    sequence_len = batch_text.shape[1]
    sequence_mask = torch.tensor(np.tril(np.ones((sequence_len, sequence_len)), k=0)).byte()
    mask = pad_mask.unsqueeze(-2) & sequence_mask  # Batch * Sequence * Sequence
    return mask


batch = torch.tensor([[5, 7, 9, 0], [3, 4, 0, 0]])
combined = combine_mask(batch)
print(combined.dtype, combined.shape)
print(combined)
`,
  attention_softmax_inf: `import numpy as np
import torch
import torch.nn.functional as F

a = torch.tensor([2, 1, 0])
score = torch.tensor([1.2, 2.3, 4])
mask = (a == 0).bool()
score_ = F.softmax(score.masked_fill(mask, -np.inf), dim=-1)
print(score_)
`,
};

/**
 * A Python file of `lines` mask-building assignments (one statement per
 * line), for timing the parser on a large file: `npm run bench` reports it
 * as parse_large_file, and the parse unit test checks its statement count.
 */
export function largeFileSource(lines: number): string {
  const out: string[] = [];
  for (let i = 0; i < lines; i++) out.push(`x${i} = torch.tensor([[${i}, 2.5], [3, -4]]).masked_fill(m == 0, -1e9)[:, None]`);
  return out.join('\n') + '\n';
}
