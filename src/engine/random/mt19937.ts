// The 32-bit Mersenne Twister (MT19937) shared by torch's CPU generator and
// numpy's legacy RandomState. Both use the reference tempering and twist;
// they differ only in how they seed (torch: init_genrand with the low 32
// bits of a uint64 seed; numpy: init_genrand or init_by_array).

export const MT_N = 624;
const MT_M = 397;
const MATRIX_A = 0x9908b0df;
const UPPER_MASK = 0x80000000;
const LOWER_MASK = 0x7fffffff;

/** The reference tempering of one key word, as an unsigned number in [0, 2^32). */
function temper(y: number): number {
  y ^= y >>> 11;
  y ^= (y << 7) & 0x9d2c5680;
  y ^= (y << 15) & 0xefc60000;
  y ^= y >>> 18;
  return y >>> 0;
}

/** A snapshot of the twister: the 624-word key and the read position. */
export interface MT19937State {
  key: Uint32Array;
  pos: number;
}

export class MT19937 {
  private key = new Uint32Array(MT_N);
  private pos = MT_N;

  constructor(seed = 5489) {
    this.seed(seed);
  }

  /** Knuth's init_genrand: key[0] = seed, key[i] = 1812433253*(k ^ k>>>30) + i. */
  seed(seed: number): void {
    const mt = this.key;
    mt[0] = seed >>> 0;
    for (let i = 1; i < MT_N; i++) {
      const prev = mt[i - 1] ^ (mt[i - 1] >>> 30);
      mt[i] = (Math.imul(1812433253, prev) + i) >>> 0;
    }
    this.pos = MT_N;
  }

  /** The reference init_by_array (numpy's seeding with a sequence of uint32). */
  seedByArray(initKey: ArrayLike<number>): void {
    const mt = this.key;
    const len = initKey.length;
    this.seed(19650218);
    let i = 1;
    let j = 0;
    for (let k = Math.max(MT_N, len); k > 0; k--) {
      const prev = mt[i - 1] ^ (mt[i - 1] >>> 30);
      mt[i] = ((mt[i] ^ Math.imul(prev, 1664525)) + (initKey[j] >>> 0) + j) >>> 0;
      i++;
      j++;
      if (i >= MT_N) {
        mt[0] = mt[MT_N - 1];
        i = 1;
      }
      if (j >= len) j = 0;
    }
    for (let k = MT_N - 1; k > 0; k--) {
      const prev = mt[i - 1] ^ (mt[i - 1] >>> 30);
      mt[i] = ((mt[i] ^ Math.imul(prev, 1566083941)) - i) >>> 0;
      i++;
      if (i >= MT_N) {
        mt[0] = mt[MT_N - 1];
        i = 1;
      }
    }
    mt[0] = 0x80000000;
    this.pos = MT_N;
  }

  private twist(): void {
    const mt = this.key;
    let kk = 0;
    for (; kk < MT_N - MT_M; kk++) {
      const y = (mt[kk] & UPPER_MASK) | (mt[kk + 1] & LOWER_MASK);
      mt[kk] = mt[kk + MT_M] ^ (y >>> 1) ^ (-(y & 1) & MATRIX_A);
    }
    for (; kk < MT_N - 1; kk++) {
      const y = (mt[kk] & UPPER_MASK) | (mt[kk + 1] & LOWER_MASK);
      mt[kk] = mt[kk + (MT_M - MT_N)] ^ (y >>> 1) ^ (-(y & 1) & MATRIX_A);
    }
    const y = (mt[MT_N - 1] & UPPER_MASK) | (mt[0] & LOWER_MASK);
    mt[MT_N - 1] = mt[MT_M - 1] ^ (y >>> 1) ^ (-(y & 1) & MATRIX_A);
    this.pos = 0;
  }

  /** Next tempered 32-bit output, as an unsigned number in [0, 2^32). */
  nextUint32(): number {
    if (this.pos >= MT_N) this.twist();
    return temper(this.key[this.pos++]);
  }

  getState(): MT19937State {
    return { key: this.key.slice(), pos: this.pos };
  }

  setState(state: MT19937State): void {
    if (state.key.length !== MT_N) throw new Error(`MT19937 state needs ${MT_N} words`);
    this.key = Uint32Array.from(state.key);
    this.pos = state.pos;
  }
}
