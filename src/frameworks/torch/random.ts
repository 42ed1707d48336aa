// The torch CPU generator (torch.manual_seed reseeds it). Each evaluation
// has its own, seeded with 0 as our golden runs are.

import { getSlot, setSlot, slot } from '../../engine/context';
import { TorchGenerator } from '../../engine/random/torch_generator';

const GENERATOR = slot('torch.generator', () => new TorchGenerator(0));

export function torchRng(): TorchGenerator {
  return getSlot(GENERATOR);
}

export function resetTorchRng(seed = 0): void {
  setSlot(GENERATOR, new TorchGenerator(seed));
}
