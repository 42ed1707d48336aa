// The process-wide legacy numpy RandomState (np.random.seed resets it).
// Seeded with 0 at the start of every evaluation, as our golden runs are.

import { NumpyRandomState } from '../../engine/random';

export interface NumpyRandom {
  seed(seed: number): void;
  randomSample(n: number): ArrayLike<number>;
  standardNormal(n: number): ArrayLike<number>;
  uniform(n: number, low: number, high: number): ArrayLike<number>;
  normal(n: number, loc: number, scale: number): ArrayLike<number>;
  randint(n: number, low: number, high: number): ArrayLike<number>;
  permutation(n: number): ArrayLike<number>;
}

let state: NumpyRandom = new NumpyRandomState() as unknown as NumpyRandom;

export function numpyRng(): NumpyRandom {
  return state;
}

export function resetNumpyRng(seed = 0): void {
  state = new NumpyRandomState() as unknown as NumpyRandom;
  state.seed(seed);
}
