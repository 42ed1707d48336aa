// The process-wide torch CPU generator (torch.manual_seed resets it).
// Seeded with 0 at the start of every evaluation, as our golden runs are.

import type { DType } from '../../engine/dtype';
import { TorchGenerator } from '../../engine/random';

export interface TorchRandom {
  manualSeed(seed: number | bigint): void;
  initialSeed(): bigint | number;
  uniform(n: number, from: number, to: number, dtype: DType): ArrayLike<number>;
  normal(n: number, mean: number, std: number, dtype: DType): ArrayLike<number>;
  randint(n: number, low: number, high: number, dtype?: DType): ArrayLike<number>;
  bernoulliScalar(n: number, p: number, dtype: DType): ArrayLike<number>;
  bernoulli(probs: ArrayLike<number>, dtype: DType): ArrayLike<number>;
  randperm(n: number): ArrayLike<number>;
}

let generator: TorchRandom = new TorchGenerator() as unknown as TorchRandom;

export function torchRng(): TorchRandom {
  return generator;
}

export function resetTorchRng(seed = 0): void {
  generator = new TorchGenerator() as unknown as TorchRandom;
  generator.manualSeed(seed);
}
