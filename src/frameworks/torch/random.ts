// The torch CPU generator (torch.manual_seed reseeds it). Each evaluation
// has its own, seeded with 0 as our golden runs are. torch.Generator objects
// carry their own Mersenne Twister; `generator=` in a random function draws
// from that one instead, bit-exact with PyTorch as the default one is.

import { getSlot, setSlot, slot } from '../../engine/context';
import { TorchGenerator } from '../../engine/random/torch_generator';
import { MT19937, MT_N } from '../../engine/random/mt19937';
import { Tensor } from '../../engine/tensor';
import { contiguous } from '../../engine/ops/core';
import { bind, toInt } from '../../python/args';
import { pyError } from '../../python/exceptions';
import { PyBuiltin, PyObj, PyValue, typeNameOf } from '../../python/values';
import { TorchTensor } from './tensor';

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
      case 'get_state': return m(() => rngStateTensor(this.rng));
      case 'set_state': return m(([state]) => {
        this.rng = rngFromState(state);
        return this;
      });
    }
    return undefined;
  }
}

/** torch.Generator(device='cpu'). */
export function makeGenerator(args: PyValue[], kw: Map<string, PyValue>): GeneratorObject {
  const a = bind('Generator', args, kw, ['device?']);
  return new GeneratorObject(a.device === undefined ? 'cpu' : String(a.device));
}

/** sizeof(CPUGeneratorImplState) in aten/src/ATen/CPUGeneratorImpl.h: the legacy POD (5048 bytes) plus the float normal cache. */
const STATE_BYTES = 5056;

/**
 * torch.get_rng_state() / Generator.get_state(): the generator as the uint8
 * tensor [5056] CPUGeneratorImpl::get_state writes, byte for byte (little
 * endian): the uint64 seed, mt19937's `left` and `seeded`, its uint64 `next`,
 * the 624 key words widened to uint64, the cached double normal (normal_y,
 * normal_is_valid) and the cached float normal.
 */
export function rngStateTensor(rng: TorchGenerator): TorchTensor {
  const st = rng.getState();
  const buf = new ArrayBuffer(STATE_BYTES);
  const v = new DataView(buf);
  // mt19937 counts `left` down to a twist and reads key[next++]; a freshly seeded
  // engine (left 1, next 0) and one that has read all 624 words (left 1, next 624) both twist next
  const fresh = st.mt.pos === MT_N && isFreshlySeeded(st.mt.key, st.seed);
  v.setBigUint64(0, st.seed, true);
  v.setInt32(8, st.mt.pos === MT_N ? 1 : MT_N + 1 - st.mt.pos, true);
  v.setInt32(12, 1, true);
  v.setBigUint64(16, BigInt(fresh ? 0 : st.mt.pos), true);
  for (let i = 0; i < MT_N; i++) v.setBigUint64(24 + 8 * i, BigInt(st.mt.key[i]), true);
  if (st.nextDoubleNormal !== null) {
    v.setFloat64(5024, st.nextDoubleNormal, true);
    v.setInt32(5040, 1, true);
  }
  if (st.nextFloatNormal !== null) {
    v.setFloat32(5048, st.nextFloatNormal, true);
    v.setUint8(5052, 1);
  }
  const t = Tensor.empty('uint8', [STATE_BYTES]);
  t.storage.data.set(new Uint8Array(buf));
  return new TorchTensor(t);
}

/** Whether `key` is init_genrand's key for `seed` (torch seeds with its low 32 bits). */
function isFreshlySeeded(key: Uint32Array, seed: bigint): boolean {
  const seeded = new MT19937(Number(seed & 0xffffffffn)).getState().key;
  return seeded.every((w, i) => w === key[i]);
}

/**
 * The generator a torch.set_rng_state(state) / Generator.set_state(state)
 * tensor describes (the inverse of rngStateTensor). Errors as PyTorch's:
 * TypeError for a non-tensor or a tensor that is not uint8, RuntimeError for
 * the wrong size.
 */
export function rngFromState(state: PyValue | undefined): TorchGenerator {
  if (!(state instanceof TorchTensor)) throw pyError('TypeError', `expected a torch.ByteTensor, but got ${typeNameOf(state ?? null)}`);
  if (state.t.dtype !== 'uint8') throw pyError('TypeError', 'RNG state must be a torch.ByteTensor');
  if (state.t.numel !== STATE_BYTES) {
    throw pyError('RuntimeError', `Expected a CPUGeneratorImplState of size ${STATE_BYTES} but found the input RNG state size to be ${state.t.numel}`);
  }
  const bytes = Uint8Array.from(contiguous(state.t).values() as ArrayLike<number>);
  const v = new DataView(bytes.buffer);
  const left = v.getInt32(8, true);
  const next = Number(v.getBigUint64(16, true));
  const key = new Uint32Array(MT_N);
  for (let i = 0; i < MT_N; i++) key[i] = Number(v.getBigUint64(24 + 8 * i, true) & 0xffffffffn);
  const rng = new TorchGenerator(0);
  rng.setState({
    mt: { key, pos: left === 1 ? MT_N : Math.min(next, MT_N) },
    seed: v.getBigUint64(0, true),
    nextDoubleNormal: v.getInt32(5040, true) ? v.getFloat64(5024, true) : null,
    nextFloatNormal: v.getUint8(5052) ? v.getFloat32(5048, true) : null,
  });
  return rng;
}
