// The process-wide legacy numpy RandomState (np.random.seed reseeds it).
// Seeded with 0 at the start of every evaluation, as our golden runs are.

import { NumpyRandomState } from '../../engine/random/numpy_random';

let state = new NumpyRandomState(0);

export function numpyRng(): NumpyRandomState {
  return state;
}

export function resetNumpyRng(seed = 0): void {
  state = new NumpyRandomState(seed);
}
