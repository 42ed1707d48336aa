// The process-wide torch CPU generator (torch.manual_seed reseeds it).
// Seeded with 0 at the start of every evaluation, as our golden runs are.

import { TorchGenerator } from '../../engine/random/torch_generator';

let generator = new TorchGenerator(0);

export function torchRng(): TorchGenerator {
  return generator;
}

export function resetTorchRng(seed = 0): void {
  generator = new TorchGenerator(seed);
}
