// The torch CPU generator (torch.manual_seed reseeds it). Each evaluation
// has its own, seeded with 0 as our golden runs are. torch.Generator objects
// carry their own Mersenne Twister; `generator=` in a random function draws
// from that one instead, bit-exact with PyTorch as the default one is.

import { getSlot, setSlot, slot } from '../../engine/context';
import { TorchGenerator } from '../../engine/random/torch_generator';
import { bind, toInt } from '../../python/args';
import { pyError } from '../../python/exceptions';
import { PyBuiltin, PyObj, PyValue, typeNameOf } from '../../python/values';

const GENERATOR = slot('torch.generator', () => new TorchGenerator(0));

/** The generator a random function draws from: its `generator=` argument, else the default CPU generator. */
export function torchRng(generator?: PyValue): TorchGenerator {
  if (generator instanceof GeneratorObject) return generator.rng;
  if (generator !== undefined && generator !== null) {
    throw pyError('TypeError', `generator must be torch.Generator, not ${typeNameOf(generator)}`);
  }
  return getSlot(GENERATOR);
}

export function resetTorchRng(seed = 0): void {
  setSlot(GENERATOR, new TorchGenerator(seed));
}

/** c10's default_rng_seed_val: the seed of a fresh torch.Generator(). */
const DEFAULT_SEED = 67280421310721n;

/**
 * A torch.Generator(device='cpu') object, or (`isDefault`) torch.default_generator,
 * which torch.manual_seed returns: its state is the global generator's.
 */
export class GeneratorObject extends PyObj {
  private own?: TorchGenerator;
  readonly fullName = 'torch._C.Generator';
  constructor(readonly device = 'cpu', readonly isDefault = false) {
    super();
  }
  get rng(): TorchGenerator {
    return this.isDefault ? getSlot(GENERATOR) : (this.own ??= new TorchGenerator(DEFAULT_SEED));
  }
  set rng(r: TorchGenerator) {
    if (this.isDefault) setSlot(GENERATOR, r);
    else this.own = r;
  }
  get typeName() {
    return 'Generator';
  }
  override repr() {
    return '<torch._C.Generator object at 0x7f0000000000>';
  }
  override getAttr(name: string): PyValue | undefined {
    const m = (f: (args: PyValue[]) => PyValue) => new PyBuiltin(name, f, `Generator.${name}`);
    switch (name) {
      case 'manual_seed': return m(([s]) => {
        this.rng = new TorchGenerator(typeof s === 'bigint' ? s : BigInt(toInt(s, 'seed')));
        return this;
      });
      case 'initial_seed': return m(() => this.rng.initialSeed());
      case 'seed': return m(() => this.rng.initialSeed());
      case 'device': return `${this.device}`;
    }
    return undefined;
  }
}

/** torch.Generator(device='cpu'). */
export function makeGenerator(args: PyValue[], kw: Map<string, PyValue>): GeneratorObject {
  const a = bind('Generator', args, kw, ['device?']);
  return new GeneratorObject(a.device === undefined ? 'cpu' : String(a.device));
}
