// Python's `random`, bit-exact with CPython 3.11 (Lib/random.py over
// Modules/_randommodule.c): the same MT19937 seeded by init_by_array with
// the seed's 32-bit words, the same 53-bit random(), getrandbits and
// rejection-sampling _randbelow, and the same algorithms for randrange,
// choice, shuffle, sample, choices, uniform, gauss (glibc log/sin/cos, as
// CPython calls them), normalvariate and expovariate.

import { MT19937 } from '../../engine/random/mt19937';
import { cos, log, sin } from '../../engine/random/libm';
import { toIndex } from '../../python/builtins';
import { pyError } from '../../python/exceptions';
import { asNumber } from '../../python/protocols';
import {
  CallContext, Kwargs, PyBuiltin, PyClass, PyInstance, PyList, PyModule, PyObj, PyValue, typeNameOf,
} from '../../python/values';

const NV_MAGICCONST = 1.7155277699214135; // 4 * exp(-0.5) / sqrt(2.0)
const TWOPI = 2 * Math.PI;

/** One generator's state: the twister and gauss()'s cached second value. */
export class PyRandomState {
  private mt = new MT19937();
  private gaussNext: number | null = null;

  constructor(seed: bigint = 0n) {
    this.seed(seed);
  }

  /** random_seed for an int: init_by_array with |a| in little-endian 32-bit words ([0] for 0). */
  seed(a: bigint): void {
    let n = a < 0n ? -a : a;
    const key: number[] = [];
    do {
      key.push(Number(n & 0xffffffffn));
      n >>= 32n;
    } while (n > 0n);
    this.mt.seedByArray(key);
    this.gaussNext = null;
  }

  random(): number {
    const a = this.mt.nextUint32() >>> 5;
    const b = this.mt.nextUint32() >>> 6;
    return (a * 67108864 + b) * (1 / 9007199254740992);
  }

  getrandbits(k: number): bigint {
    if (k < 0) throw pyError('ValueError', 'number of bits must be non-negative');
    if (k === 0) return 0n;
    if (k <= 32) return BigInt(this.mt.nextUint32() >>> (32 - k));
    let out = 0n;
    let shift = 0n;
    for (let left = k; left > 0; left -= 32) {
      let r = this.mt.nextUint32();
      if (left < 32) r >>>= 32 - left;
      out |= BigInt(r) << shift;
      shift += 32n;
    }
    return out;
  }

  randbelow(n: bigint): bigint {
    const k = n.toString(2).length;
    let r = this.getrandbits(k);
    while (r >= n) r = this.getrandbits(k);
    return r;
  }

  randrange(start: bigint, stop: bigint | null, step: bigint): bigint {
    if (stop === null) {
      if (step !== 1n) throw pyError('TypeError', 'Missing a non-None stop argument');
      if (start > 0n) return this.randbelow(start);
      throw pyError('ValueError', 'empty range for randrange()');
    }
    const width = stop - start;
    if (step === 1n) {
      if (width > 0n) return start + this.randbelow(width);
      throw pyError('ValueError', `empty range for randrange() (${start}, ${stop}, ${width})`);
    }
    let n: bigint;
    if (step > 0n) n = floorDiv(width + step - 1n, step);
    else if (step < 0n) n = floorDiv(width + step + 1n, step);
    else throw pyError('ValueError', 'zero step for randrange()');
    if (n <= 0n) throw pyError('ValueError', 'empty range for randrange()');
    return start + step * this.randbelow(n);
  }

  gauss(mu: number, sigma: number): number {
    let z = this.gaussNext;
    this.gaussNext = null;
    if (z === null) {
      const x2pi = this.random() * TWOPI;
      const g2rad = Math.sqrt(-2.0 * log(1.0 - this.random()));
      z = cos(x2pi) * g2rad;
      this.gaussNext = sin(x2pi) * g2rad;
    }
    return mu + z * sigma;
  }

  normalvariate(mu: number, sigma: number): number {
    let z: number;
    for (;;) {
      const u1 = this.random();
      const u2 = 1.0 - this.random();
      z = (NV_MAGICCONST * (u1 - 0.5)) / u2;
      const zz = (z * z) / 4.0;
      if (zz <= -log(u2)) break;
    }
    return mu + z * sigma;
  }
}

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && (a < 0n) !== (b < 0n) ? q - 1n : q;
}

function num(v: PyValue | undefined): number {
  const n = v === undefined ? undefined : asNumber(v);
  if (n !== undefined) return n;
  const x = v instanceof PyObj ? (v as PyObj & { asNumber?: () => number | undefined }).asNumber?.() : undefined;
  if (x !== undefined) return x;
  throw pyError('TypeError', `must be real number, not ${typeNameOf(v ?? null)}`);
}

type Method = (rng: PyRandomState, args: PyValue[], kw: Kwargs, ctx: CallContext) => PyValue;

/** bisect.bisect_right(a, x, lo, hi) over numbers. */
function bisectRight(a: number[], x: number, lo: number, hi: number): number {
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (x < a[mid]) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

const METHODS: Record<string, Method> = {
  seed: (rng, [a]) => {
    if (a === undefined || a === null) rng.seed(0n);
    else if (typeof a === 'bigint' || typeof a === 'boolean') rng.seed(toIndex(a));
    else throw pyError('NotImplementedError', `random.seed(${typeNameOf(a)}) is not supported by Mask Lens yet: seed with an int`);
    return null;
  },
  random: (rng) => rng.random(),
  getrandbits: (rng, [k]) => rng.getrandbits(Number(toIndex(k ?? null))),
  randrange: (rng, [start, stop, step]) =>
    rng.randrange(toIndex(start ?? null), stop === undefined || stop === null ? null : toIndex(stop), step === undefined ? 1n : toIndex(step)),
  randint: (rng, [a, b]) => rng.randrange(toIndex(a ?? null), toIndex(b ?? null) + 1n, 1n),
  choice: (rng, [seq], _kw, ctx) => {
    const items = ctx.iterate(seq ?? null);
    if (!items.length) throw pyError('IndexError', 'Cannot choose from an empty sequence');
    return items[Number(rng.randbelow(BigInt(items.length)))];
  },
  shuffle: (rng, [x]) => {
    if (!(x instanceof PyList)) throw pyError('TypeError', `'${typeNameOf(x ?? null)}' object does not support item assignment`);
    const a = x.items;
    for (let i = a.length - 1; i >= 1; i--) {
      const j = Number(rng.randbelow(BigInt(i + 1)));
      [a[i], a[j]] = [a[j], a[i]];
    }
    return null;
  },
  sample: (rng, [population, kArg], kw, ctx) => {
    const pool0 = ctx.iterate(population ?? null);
    const n = pool0.length;
    const k = Number(toIndex(kArg ?? kw.get('k') ?? null));
    if (!(k >= 0 && k <= n)) throw pyError('ValueError', 'Sample larger than population or is negative');
    const result: PyValue[] = new Array(k).fill(null);
    let setsize = 21;
    if (k > 5) setsize += 4 ** Math.ceil(log(k * 3) / log(4));
    if (n <= setsize) {
      const pool = pool0.slice();
      for (let i = 0; i < k; i++) {
        const j = Number(rng.randbelow(BigInt(n - i)));
        result[i] = pool[j];
        pool[j] = pool[n - i - 1];
      }
    } else {
      const selected = new Set<number>();
      for (let i = 0; i < k; i++) {
        let j = Number(rng.randbelow(BigInt(n)));
        while (selected.has(j)) j = Number(rng.randbelow(BigInt(n)));
        selected.add(j);
        result[i] = pool0[j];
      }
    }
    return new PyList(result);
  },
  choices: (rng, [population, weights], kw, ctx) => {
    const pop = ctx.iterate(population ?? null);
    const n = pop.length;
    const k = kw.has('k') ? Number(toIndex(kw.get('k')!)) : 1;
    const w = weights ?? kw.get('weights') ?? null;
    const cw = kw.get('cum_weights') ?? null;
    if (w === null && cw === null) {
      return new PyList(Array.from({ length: k }, () => pop[Math.floor(rng.random() * n)]));
    }
    let cum: number[];
    if (cw !== null) cum = ctx.iterate(cw).map((x) => num(x));
    else {
      let acc = 0;
      cum = ctx.iterate(w).map((x) => (acc += num(x)));
    }
    if (cum.length !== n) throw pyError('ValueError', 'The number of weights does not match the population');
    const total = cum[cum.length - 1] + 0.0;
    if (total <= 0.0) throw pyError('ValueError', 'Total of weights must be greater than zero');
    if (!Number.isFinite(total)) throw pyError('ValueError', 'Total of weights must be finite');
    return new PyList(Array.from({ length: k }, () => pop[bisectRight(cum, rng.random() * total, 0, n - 1)]));
  },
  uniform: (rng, [a, b]) => {
    const lo = num(a);
    return lo + (num(b) - lo) * rng.random();
  },
  gauss: (rng, [mu, sigma]) => rng.gauss(mu === undefined ? 0 : num(mu), sigma === undefined ? 1 : num(sigma)),
  normalvariate: (rng, [mu, sigma]) => rng.normalvariate(mu === undefined ? 0 : num(mu), sigma === undefined ? 1 : num(sigma)),
  expovariate: (rng, [lambd]) => -log(1.0 - rng.random()) / num(lambd),
};

/** The `random` module: functions over one hidden Random(), plus the Random class. */
export function randomModule(): PyModule {
  const m = new PyModule('random');
  const shared = new PyRandomState(0n);
  for (const [name, f] of Object.entries(METHODS)) {
    m.dict.set(name, new PyBuiltin(name, (args, kw, ctx) => f(shared, args, kw, ctx), `Random.${name}`));
  }
  const Random = new PyClass('Random', [], 'random.Random');
  Random.dict.set('__init__', new PyBuiltin('__init__', ([self, seed], _kw, ctx) => {
    const rng = new PyRandomState(0n);
    (self as PyInstance).native.rng = rng;
    METHODS.seed(rng, [seed ?? null], new Map(), ctx);
    return null;
  }));
  for (const [name, f] of Object.entries(METHODS)) {
    Random.dict.set(name, new PyBuiltin(name, ([self, ...args], kw, ctx) => f((self as PyInstance).native.rng as PyRandomState, args, kw, ctx), `Random.${name}`));
  }
  m.dict.set('Random', Random);
  m.dict.set('SystemRandom', new PyBuiltin('SystemRandom', () => {
    throw pyError('NotImplementedError', 'random.SystemRandom reads the operating system: Mask Lens evaluates snippets without side effects');
  }));
  return m;
}
