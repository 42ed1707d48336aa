// distutils.version (Python 3.11; setuptools' _distutils/version.py is what
// `import distutils` finds there): LooseVersion and StrictVersion, as older
// model files gate on them (ESPnet's `LooseVersion(torch.__version__) <
// LooseVersion("1.2")` picks uint8 or bool masks). Parse, compare with each
// other or with strings, and the attributes such gates read.

import { pyError } from '../../python/exceptions';
import { PyBuiltin, PyModule, PyObj, PyTuple, PyList, PyValue, orderVerdict } from '../../python/values';

type Part = bigint | string;

/** Python's `<` between two list items of a LooseVersion: ints and strs do not order. */
function lessThan(a: Part, b: Part): boolean {
  if (typeof a !== typeof b) {
    throw pyError('TypeError', `'<' not supported between instances of '${typeof a === 'bigint' ? 'int' : 'str'}' and '${typeof b === 'bigint' ? 'int' : 'str'}'`);
  }
  return a < b;
}

/** Python's list comparison of two version lists: -1, 0 or 1 (the first unequal items decide, compared with `<`). */
function compareParts(a: Part[], b: Part[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (a[i] === b[i]) continue;
    return lessThan(a[i], b[i]) ? -1 : 1;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

/**
 * distutils.version.LooseVersion(vstring): the string split into runs of
 * digits (ints), runs of letters and any other characters, dots dropped
 * ('2.13.0+cpu' → [2, 13, 0, '+', 'cpu']). Compares as those lists with a
 * string or another LooseVersion; an int meeting a str raises TypeError.
 */
export class LooseVersion extends PyObj {
  readonly parts: Part[];
  constructor(readonly vstring: string) {
    super();
    this.parts = vstring.split(/(\d+|[a-z]+|\.)/).filter((x) => x !== '' && x !== '.').map((x) => (/^\d+$/.test(x) ? BigInt(x) : x));
  }
  get typeName() {
    return 'LooseVersion';
  }
  override str() {
    return this.vstring;
  }
  override repr() {
    return `LooseVersion ('${this.vstring}')`;
  }
  override getAttr(name: string): PyValue | undefined {
    if (name === 'version') return new PyList([...this.parts]);
    if (name === 'vstring') return this.vstring;
    return undefined;
  }
  override compare(op: string, other: PyValue): PyValue | undefined {
    const o = typeof other === 'string' ? new LooseVersion(other) : other;
    if (!(o instanceof LooseVersion)) return op === '==' ? false : op === '!=' ? true : undefined;
    // a reflected call gets the reflected op (`'1.2' < v` arrives as v > '1.2'), and Python's _cmp
    // always orders self's list against other's, which is also the order its TypeError names them in
    return orderVerdict(op, compareParts(this.parts, o.parts));
  }
}

const STRICT = /^(\d+)\.(\d+)(\.(\d+))?([ab](\d+))?$/;

/**
 * distutils.version.StrictVersion(vstring): 'major.minor[.patch][{a|b}N]',
 * else ValueError "invalid version number '...'"; a pre-release sorts before
 * its release.
 */
export class StrictVersion extends PyObj {
  readonly version: [bigint, bigint, bigint];
  readonly prerelease: [string, bigint] | null;
  constructor(vstring: string) {
    super();
    const m = STRICT.exec(vstring);
    if (!m) throw pyError('ValueError', `invalid version number '${vstring}'`);
    this.version = [BigInt(m[1]), BigInt(m[2]), BigInt(m[4] ?? 0)];
    this.prerelease = m[5] ? [m[5][0], BigInt(m[6])] : null;
  }
  get typeName() {
    return 'StrictVersion';
  }
  override str() {
    const [a, b, c] = this.version;
    return (c === 0n ? `${a}.${b}` : `${a}.${b}.${c}`) + (this.prerelease ? `${this.prerelease[0]}${this.prerelease[1]}` : '');
  }
  override repr() {
    return `StrictVersion ('${this.str()}')`;
  }
  override getAttr(name: string): PyValue | undefined {
    if (name === 'version') return new PyTuple([...this.version]);
    if (name === 'prerelease') return this.prerelease ? new PyTuple([...this.prerelease]) : null;
    return undefined;
  }
  private cmp(o: StrictVersion): number {
    const c = compareParts(this.version, o.version);
    if (c !== 0) return c;
    if (!this.prerelease || !o.prerelease) return this.prerelease ? -1 : o.prerelease ? 1 : 0;
    return compareParts(this.prerelease, o.prerelease);
  }
  override compare(op: string, other: PyValue): PyValue | undefined {
    const o = typeof other === 'string' ? new StrictVersion(other) : other;
    if (!(o instanceof StrictVersion)) return op === '==' ? false : op === '!=' ? true : undefined;
    return orderVerdict(op, this.cmp(o));
  }
}

/** The `distutils` and `distutils.version` modules. */
export function distutilsModules(name: string): PyModule | undefined {
  if (name !== 'distutils' && name !== 'distutils.version') return undefined;
  const version = new PyModule('distutils.version');
  const ctor = (cls: string, make: (s: string) => PyObj) => new PyBuiltin(cls, ([v]: PyValue[]) => {
    if (v === undefined || v === null) throw pyError('NotImplementedError', `distutils.version.${cls}() without a version string is not supported by Mask Lens yet`);
    if (typeof v !== 'string') throw pyError('TypeError', `expected string or bytes-like object, got '${v instanceof PyObj ? v.typeName : typeof v === 'bigint' ? 'int' : typeof v === 'number' ? 'float' : 'bool'}'`);
    return make(v);
  }, `distutils.version.${cls}`);
  version.dict.set('LooseVersion', ctor('LooseVersion', (s) => new LooseVersion(s)));
  version.dict.set('StrictVersion', ctor('StrictVersion', (s) => new StrictVersion(s)));
  if (name === 'distutils.version') return version;
  const distutils = new PyModule('distutils');
  distutils.dict.set('version', version);
  return distutils;
}
