// The storage behind set/frozenset: a Map from our hash keys (protocols.ts
// hashKey) to the element, plus an emulation of CPython 3.11's open-addressing
// table (Objects/setobject.c) so that iteration, repr and pop() follow
// CPython's order. Only elements whose Python hash is the same in every
// process (int, bool, float, tuples and frozensets of those) can be placed as CPython places
// them; str/bytes hashes are randomised per process (and None's and objects'
// are address-based in 3.11), so any order is "right" there and a set holding
// one of them keeps insertion order for good.

import { PySet, PyTuple, PyValue } from './values';

const MODULUS = (1n << 61n) - 1n; // _PyHASH_MODULUS, 2**61 - 1
const U64 = (1n << 64n) - 1n;
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const XXPRIME_1 = 11400714785074694791n;
const XXPRIME_2 = 14029467366897019727n;
const XXPRIME_5 = 2870177450012600261n;
const LINEAR_PROBES = 9;
const MINSIZE = 8;
const DUMMY = 1; // a deleted slot (CPython's dummy key, hash -1)

/** hash(n) for an int (Objects/longobject.c): n mod 2**61-1 keeping the sign, -1 -> -2. */
function intHash(n: bigint): bigint {
  if (n >= 0n && n < MODULUS) return n;
  const h = n < 0n ? -(-n % MODULUS) : n % MODULUS;
  return h === -1n ? -2n : h;
}

/** _Py_HashDouble (Python/pyhash.c): integral floats hash as ints; nan is id-based in 3.11 (undefined). */
function floatHash(v: number): bigint | undefined {
  if (Number.isNaN(v)) return undefined;
  if (!Number.isFinite(v)) return v > 0 ? 314159n : -314159n;
  if (Number.isInteger(v)) return intHash(BigInt(v));
  let [m, e] = frexp(v);
  let sign = 1n;
  if (m < 0) { sign = -1n; m = -m; }
  let x = 0n;
  while (m) {
    x = ((x << 28n) & MODULUS) | (x >> 33n); // 61 - 28
    m *= 268435456.0;
    e -= 28;
    const y = Math.floor(m);
    m -= y;
    x += BigInt(y);
    if (x >= MODULUS) x -= MODULUS;
  }
  const sh = BigInt(e >= 0 ? e % 61 : 61 - 1 - ((-1 - e) % 61));
  x = ((x << sh) & MODULUS) | (x >> (61n - sh));
  x *= sign;
  return x === -1n ? -2n : x;
}

function frexp(v: number): [number, number] {
  let e = Math.max(-1073, Math.floor(Math.log2(Math.abs(v))) + 1);
  const half = Math.trunc(-e / 2);
  let m = v * 2 ** half * 2 ** (-e - half); // two steps: 2**1073 alone overflows
  while (Math.abs(m) < 0.5) { m *= 2; e--; }
  while (Math.abs(m) >= 1) { m /= 2; e++; }
  return [m, e];
}

/**
 * Python's hash(v) as an unsigned 64-bit value when it is the same in every
 * CPython 3.11 process; undefined otherwise (str, bytes, None, objects).
 */
export function stableHash(v: PyValue): bigint | undefined {
  let h: bigint | undefined;
  if (typeof v === 'boolean') h = v ? 1n : 0n;
  else if (typeof v === 'bigint') h = intHash(v);
  else if (typeof v === 'number') h = floatHash(v);
  else if (v instanceof PyTuple) h = tupleHash(v.items);
  else if (v instanceof PySet && v.frozen) h = frozensetHash([...v.entries.values()]);
  return h === undefined ? undefined : h >= 0n ? h : h & U64;
}

/**
 * Python's hash(v) (a signed 64-bit value, as CPython's Py_hash_t) when it is
 * the same in every CPython 3.11 process: int, bool, float and tuples and
 * frozensets of those; undefined otherwise. The builtin hash() and the set table share it.
 */
export function pythonHash(v: PyValue): bigint | undefined {
  const h = stableHash(v);
  return h === undefined ? undefined : BigInt.asIntN(64, h);
}

/** tuplehash (Objects/tupleobject.c, 3.8+): xxHash-style mixing of the items' hashes. */
function tupleHash(items: PyValue[]): bigint | undefined {
  let acc = XXPRIME_5;
  for (const item of items) {
    const lane = stableHash(item);
    if (lane === undefined) return undefined;
    acc = (acc + lane * XXPRIME_2) & U64;
    acc = ((acc << 31n) | (acc >> 33n)) & U64;
    acc = (acc * XXPRIME_1) & U64;
  }
  acc = (acc + (BigInt(items.length) ^ (XXPRIME_5 ^ 3527539n))) & U64;
  return acc === U64 ? 1546275796n : acc;
}

/** _shuffle_bits (Objects/setobject.c): spreads closely spaced element hashes before they are xor-ed. */
function shuffleBits(h: bigint): bigint {
  return (((h ^ 89869747n) ^ (h << 16n)) * 3644798167n) & U64;
}

/**
 * frozenset_hash (Objects/setobject.c, 3.11): the xor of every element's
 * shuffled hash (order-free), the size folded in, then dispersed for nested
 * frozensets. CPython xors the whole table, empty and dummy slots included,
 * and cancels those out again; xor-ing the elements alone is the same value.
 */
function frozensetHash(items: PyValue[]): bigint | undefined {
  let acc = 0n;
  for (const item of items) {
    const h = stableHash(item);
    if (h === undefined) return undefined;
    acc ^= shuffleBits(h);
  }
  acc ^= ((BigInt(items.length) + 1n) * 1927868237n) & U64;
  acc ^= (acc >> 11n) ^ (acc >> 25n);
  acc = (acc * 69069n + 907133923n) & U64;
  return acc === U64 ? 590923713n : acc;
}

/**
 * CPython's probe sequence for `hash` in a table of mask+1 slots: i = hash &
 * mask, then i = (i*5 + 1 + (perturb >>= 5)) & mask. Hashes below 2**53 (most
 * ints) run on plain numbers, the others on bigints.
 */
class Probe {
  i: number;
  private p: number;
  private pb: bigint;
  constructor(hash: bigint, private readonly mask: number) {
    this.pb = hash;
    this.p = hash <= MAX_SAFE ? Number(hash) : -1;
    this.i = this.p >= 0 ? this.p % (mask + 1) : Number(hash & BigInt(mask));
  }
  next(): number {
    let low: number;
    if (this.p >= 0) {
      this.p = Math.floor(this.p / 32);
      low = this.p % (this.mask + 1);
    } else {
      this.pb >>= 5n;
      low = Number(this.pb & BigInt(this.mask));
    }
    this.i = (this.i * 5 + 1 + low) & this.mask;
    return this.i;
  }
}

/**
 * A set's elements keyed by hashKey. Adding, deleting and iterating behave as
 * CPython's set table does (set_add_entry, set_discard_entry, set_table_resize,
 * set_pop's finger); re-adding an equal element keeps the first one ({1, 1.0}
 * is {1}).
 */
export class SetTable extends Map<string, PyValue> {
  /** Slot contents: undefined empty, DUMMY deleted, else the element's hash key. */
  private slots: (string | typeof DUMMY | undefined)[] = new Array(MINSIZE).fill(undefined);
  private hashes: bigint[] = new Array(MINSIZE);
  private slotOf = new Map<string, number>();
  private fill = 0;
  private finger = 0;
  /** False once an element without a stable hash arrived: insertion order from then on. */
  private stable = true;

  override set(key: string, value: PyValue): this {
    if (super.has(key)) return this;
    super.set(key, value);
    if (!this.stable) return this;
    const h = stableHash(value);
    if (h === undefined) this.stable = false;
    else this.addEntry(key, h);
    return this;
  }

  override delete(key: string): boolean {
    if (!super.delete(key)) return false;
    const i = this.slotOf.get(key);
    if (i !== undefined) {
      this.slots[i] = DUMMY;
      this.slotOf.delete(key);
    }
    return true;
  }

  override clear(): void {
    super.clear();
    this.reset(MINSIZE);
    this.fill = 0;
    this.stable = true;
  }

  /** Take over `other`'s elements and table as they are (set_swap_bodies, for intersection_update). */
  replaceWith(other: SetTable): void {
    if (other === this) return;
    super.clear();
    for (const [k, v] of other) super.set(k, v);
    this.slots = [...other.slots];
    this.hashes = [...other.hashes];
    this.slotOf = new Map(other.slotOf);
    this.fill = other.fill;
    this.stable = other.stable;
  }

  /** set.pop(): the first live slot from the finger on (CPython's set_pop); undefined when empty. */
  popEntry(): [string, PyValue] | undefined {
    if (this.size === 0) return undefined;
    if (!this.stable) {
      const first = super.entries().next().value as [string, PyValue];
      this.delete(first[0]);
      return first;
    }
    const mask = this.slots.length - 1;
    let i = this.finger & mask;
    while (typeof this.slots[i] !== 'string') i = i + 1 > mask ? 0 : i + 1;
    const key = this.slots[i] as string;
    const value = super.get(key)!;
    this.delete(key);
    this.finger = i + 1;
    return [key, value];
  }

  /**
   * Add every element of `other` as set_merge does (set(s), s.copy(), s | t,
   * s.update(t)): one resize up front, then a slot-for-slot copy or clean
   * insertion when this table is empty.
   */
  merge(other: SetTable): void {
    if (other === this || other.size === 0) return;
    if (!this.stable || !other.stable) {
      for (const [k, v] of other) this.set(k, v);
      return;
    }
    const mask = this.slots.length - 1;
    if ((this.fill + other.size) * 5 >= mask * 3) this.resize((this.size + other.size) * 2);
    if (this.fill === 0) {
      for (const [k, v] of other.liveSlots()) super.set(k, v);
      if (this.slots.length === other.slots.length && other.fill === other.size) {
        this.slots = [...other.slots];
        this.hashes = [...other.hashes];
        this.slotOf = new Map(other.slotOf);
      } else {
        other.slots.forEach((s, i) => { if (typeof s === 'string') this.insertClean(s, other.hashes[i]); });
        this.reindexSorted();
      }
      this.fill = other.size;
      return;
    }
    for (const [k, v] of other) this.set(k, v);
  }

  /** Reserve room before adding `n` keys of a dict (set_update_internal's dict branch). */
  reserveForDict(n: number): void {
    if (!this.stable) return;
    if ((this.fill + n) * 5 >= (this.slots.length - 1) * 3) this.resize((this.size + n) * 2);
  }

  /** After removals (difference_update): resize away dummies once they pass a quarter of the table. */
  purgeDummies(): void {
    if (!this.stable) return;
    if (this.fill - this.size <= Math.floor((this.slots.length - 1) / 4)) return;
    this.resize(this.size > 50000 ? this.size * 2 : this.size * 4);
  }

  override keys(): MapIterator<string> {
    return this.order().map(([k]) => k)[Symbol.iterator]() as MapIterator<string>;
  }
  override values(): MapIterator<PyValue> {
    return this.order().map(([, v]) => v)[Symbol.iterator]() as MapIterator<PyValue>;
  }
  override entries(): MapIterator<[string, PyValue]> {
    return this.order()[Symbol.iterator]() as MapIterator<[string, PyValue]>;
  }
  override [Symbol.iterator](): MapIterator<[string, PyValue]> {
    return this.entries();
  }
  override forEach(cb: (value: PyValue, key: string, map: Map<string, PyValue>) => void): void {
    for (const [k, v] of this.order()) cb(v, k, this);
  }

  private order(): [string, PyValue][] {
    return this.stable ? this.liveSlots() : [...super.entries()];
  }

  private liveSlots(): [string, PyValue][] {
    const out: [string, PyValue][] = [];
    for (const s of this.slots) if (typeof s === 'string') out.push([s, super.get(s)!]);
    return out;
  }

  private reset(size: number): void {
    this.slots = new Array(size).fill(undefined);
    this.hashes = new Array(size);
    this.slotOf = new Map();
  }

  /** set_add_entry for a key known to be absent: probe, reuse the last dummy seen, resize when 3/5 full. */
  private addEntry(key: string, hash: bigint): void {
    const mask = this.slots.length - 1;
    const probe = new Probe(hash, mask);
    let i = probe.i;
    let freeslot = -1;
    for (;;) {
      const probes = i + LINEAR_PROBES <= mask ? LINEAR_PROBES : 0;
      for (let j = i; j <= i + probes; j++) {
        const s = this.slots[j];
        if (s === undefined) {
          if (freeslot >= 0) return this.place(freeslot, key, hash);
          this.place(j, key, hash);
          this.fill++;
          if (this.fill * 5 >= mask * 3) this.resize(this.size > 50000 ? this.size * 2 : this.size * 4);
          return;
        }
        if (s === DUMMY) freeslot = j;
      }
      i = probe.next();
    }
  }

  private place(i: number, key: string, hash: bigint): void {
    this.slots[i] = key;
    this.hashes[i] = hash;
    this.slotOf.set(key, i);
  }

  /** set_insert_clean: first empty slot along the probe sequence (no dummies in the table). */
  private insertClean(key: string, hash: bigint): void {
    const mask = this.slots.length - 1;
    const probe = new Probe(hash, mask);
    let i = probe.i;
    for (;;) {
      const probes = i + LINEAR_PROBES <= mask ? LINEAR_PROBES : 0;
      for (let j = i; j <= i + probes; j++) {
        if (this.slots[j] === undefined) {
          this.slots[j] = key;
          this.hashes[j] = hash;
          return;
        }
      }
      i = probe.next();
    }
  }

  private reindexSorted(): void {
    this.slotOf = new Map();
    this.slots.forEach((s, i) => { if (typeof s === 'string') this.slotOf.set(s, i); });
  }

  /** set_table_resize: smallest power of two above minused, live entries re-inserted in table order. */
  private resize(minused: number): void {
    let size = MINSIZE;
    while (size <= minused) size *= 2;
    if (size === MINSIZE && this.slots.length === MINSIZE && this.fill === this.size) return;
    const [oldSlots, oldHashes] = [this.slots, this.hashes];
    this.reset(size);
    for (let i = 0; i < oldSlots.length; i++) {
      const s = oldSlots[i];
      if (typeof s === 'string') this.insertClean(s, oldHashes[i]);
    }
    this.reindexSorted();
    this.fill = this.size;
  }
}
