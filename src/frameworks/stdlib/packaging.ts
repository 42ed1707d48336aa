// packaging.version: PEP 440 versions, as version gates in model files use
// them (`version.parse(torch.__version__) >= version.parse("2.0")` before
// choosing flash attention). A stand-in for the pure-Python `packaging`
// package: parse, compare, and the attributes such gates read
// (pypa/packaging src/packaging/version.py: _cmpkey orders release, pre,
// post, dev; the local label only breaks ties).

import { pyError } from '../../python/exceptions';
import { CallContext, PyBuiltin, PyModule, PyObj, PyTuple, PyValue, orderVerdict } from '../../python/values';

const PATTERN = /^\s*v?(?:(\d+)!)?(\d+(?:\.\d+)*)(?:[-_.]?(a|alpha|b|beta|c|rc|pre|preview)[-_.]?(\d+)?)?(?:-(\d+)|[-_.]?(post|rev|r)[-_.]?(\d+)?)?(?:[-_.]?(dev)[-_.]?(\d+)?)?(?:\+([a-z0-9]+(?:[-_.][a-z0-9]+)*))?\s*$/i;
const PRE: Record<string, string> = { a: 'a', alpha: 'a', b: 'b', beta: 'b', c: 'rc', rc: 'rc', pre: 'rc', preview: 'rc' };
const PHASE: Record<string, number> = { a: 0, b: 1, rc: 2 };

/** A parsed PEP 440 version; raises packaging's InvalidVersion for anything else. */
export class Version extends PyObj {
  readonly epoch: number;
  readonly release: number[];
  readonly pre: [string, number] | null;
  readonly post: number | null;
  readonly dev: number | null;
  readonly local: string | null;

  constructor(readonly text: string) {
    super();
    const m = PATTERN.exec(text);
    if (!m) throw pyError('InvalidVersion', `Invalid version: '${text}'`);
    this.epoch = m[1] ? Number(m[1]) : 0;
    this.release = m[2].split('.').map(Number);
    this.pre = m[3] ? [PRE[m[3].toLowerCase()], m[4] ? Number(m[4]) : 0] : null;
    // the groups say which segments are present: '1.0.post' is post 0, '1.0' has none
    this.post = m[5] !== undefined ? Number(m[5]) : m[6] !== undefined ? Number(m[7] ?? 0) : null;
    this.dev = m[8] !== undefined ? Number(m[9] ?? 0) : null;
    this.local = m[10] ? m[10].toLowerCase().replace(/[-_]/g, '.') : null;
  }

  get typeName() {
    return 'Version';
  }

  /** The public version, normalised as packaging's __str__ writes it. */
  private publicText(): string {
    let s = (this.epoch ? `${this.epoch}!` : '') + this.release.join('.');
    if (this.pre) s += `${this.pre[0]}${this.pre[1]}`;
    if (this.post !== null) s += `.post${this.post}`;
    if (this.dev !== null) s += `.dev${this.dev}`;
    return s;
  }

  override str(): string {
    return this.publicText() + (this.local ? `+${this.local}` : '');
  }
  override repr(): string {
    return `<Version('${this.str()}')>`;
  }

  override getAttr(name: string): PyValue | undefined {
    const at = (i: number) => BigInt(this.release[i] ?? 0);
    switch (name) {
      case 'major': return at(0);
      case 'minor': return at(1);
      case 'micro': return at(2);
      case 'release': return new PyTuple(this.release.map(BigInt));
      case 'epoch': return BigInt(this.epoch);
      case 'public': return this.publicText();
      case 'base_version': return (this.epoch ? `${this.epoch}!` : '') + this.release.join('.');
      case 'local': return this.local;
      case 'is_prerelease': return this.pre !== null || this.dev !== null;
      case 'is_devrelease': return this.dev !== null;
      case 'is_postrelease': return this.post !== null;
      default: return undefined;
    }
  }

  /** packaging's _cmpkey after the release: pre, post and dev, compared left to right. */
  suffixKey(): number[] {
    // a dev release with no pre or post sorts before every pre-release of its release
    const pre = this.pre ? [PHASE[this.pre[0]], this.pre[1]] : this.post === null && this.dev !== null ? [-Infinity, 0] : [Infinity, 0];
    return [...pre, this.post ?? -Infinity, this.dev ?? Infinity];
  }

  override compare(op: string, other: PyValue, reflected: boolean): PyValue | undefined {
    if (!(other instanceof Version)) return op === '==' ? false : op === '!=' ? true : undefined;
    const c = compareVersions(this, other) * (reflected ? -1 : 1);
    const local = c === 0 ? compareLocal(this.local, other.local) * (reflected ? -1 : 1) : c;
    return orderVerdict(op, local);
  }
}

function compareVersions(a: Version, b: Version): number {
  // release segments compare as tuples after trailing zeros are dropped
  const ra = [...a.release], rb = [...b.release];
  while (ra.length > 1 && ra[ra.length - 1] === 0) ra.pop();
  while (rb.length > 1 && rb[rb.length - 1] === 0) rb.pop();
  if (a.epoch !== b.epoch) return a.epoch < b.epoch ? -1 : 1;
  for (let i = 0; i < Math.max(ra.length, rb.length); i++) {
    const x = ra[i], y = rb[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    if (x !== y) return x < y ? -1 : 1;
  }
  const ka = a.suffixKey(), kb = b.suffixKey();
  for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i] < kb[i] ? -1 : 1;
  return 0;
}

/** Local labels break ties: none sorts first; numeric parts beat alphanumeric ones. */
function compareLocal(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  const pa = a.split('.'), pb = b.split('.');
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i], y = pb[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    const nx = /^\d+$/.test(x), ny = /^\d+$/.test(y);
    if (nx && ny && Number(x) !== Number(y)) return Number(x) < Number(y) ? -1 : 1;
    if (nx !== ny) return nx ? 1 : -1;
    if (!nx && x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/** The `packaging` and `packaging.version` modules. */
export function packagingModules(name: string): PyModule | undefined {
  if (name !== 'packaging' && name !== 'packaging.version') return undefined;
  const versionModule = new PyModule('packaging.version');
  const parse = new PyBuiltin('parse', ([v]: PyValue[], _kw, _ctx: CallContext) => {
    if (typeof v !== 'string') throw pyError('TypeError', `expected string or bytes-like object, got '${typeof v === 'bigint' ? 'int' : typeof v}'`);
    return new Version(v);
  }, 'packaging.version.parse');
  versionModule.dict.set('parse', parse);
  versionModule.dict.set('Version', parse);
  if (name === 'packaging.version') return versionModule;
  const packaging = new PyModule('packaging');
  packaging.dict.set('version', versionModule);
  return packaging;
}
