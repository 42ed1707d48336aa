// The legacy numpy RandomState (np.random.seed reseeds it). Each evaluation
// has its own, seeded with 0 as our golden runs are.

import { getSlot, setSlot, slot } from '../../engine/context';
import { NumpyRandomState } from '../../engine/random/numpy_random';

const STATE = slot('numpy.random', () => new NumpyRandomState(0));

export function numpyRng(): NumpyRandomState {
  return getSlot(STATE);
}

export function resetNumpyRng(seed = 0): void {
  setSlot(STATE, new NumpyRandomState(seed));
}
