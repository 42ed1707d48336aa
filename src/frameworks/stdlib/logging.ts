// logging: loggers that print nothing unless configured. CPython's default
// (and basicConfig's default stream) is stderr, which a preview does not
// show; only basicConfig(stream=sys.stdout) or a StreamHandler(sys.stdout)
// makes records appear, formatted with %(levelname)s, %(name)s,
// %(message)s (default "%(levelname)s:%(name)s:%(message)s").

import { pyError } from '../../python/exceptions';
import {
  CallContext, Kwargs, NativeFn, PyBuiltin, PyClass, PyInstance, PyList, PyModule, PyTuple, PyValue,
} from '../../python/values';
import { formatPercent } from '../../python/builtins';

const fn = (name: string, f: NativeFn) => new PyBuiltin(name, f);

const LEVELS: Record<string, number> = { CRITICAL: 50, FATAL: 50, ERROR: 40, WARNING: 30, WARN: 30, INFO: 20, DEBUG: 10, NOTSET: 0 };
const LEVEL_NAMES: Record<number, string> = { 50: 'CRITICAL', 40: 'ERROR', 30: 'WARNING', 20: 'INFO', 10: 'DEBUG', 0: 'NOTSET' };

interface Sink {
  level: number;
  format: string;
}

/** Whether a stream object is the preview's stdout (sys.stdout). */
const isStdout = (v: PyValue | undefined) => v instanceof PyInstance && v.dict.get('name') === '<stdout>';

export function loggingModule(): PyModule {
  const m = new PyModule('logging');
  for (const [k, v] of Object.entries(LEVELS)) m.dict.set(k, BigInt(v));
  const loggers = new Map<string, PyInstance>();
  const Logger = new PyClass('Logger', [], 'logging.Logger');
  const Handler = new PyClass('Handler', [], 'logging.Handler');
  const Formatter = new PyClass('Formatter', [], 'logging.Formatter');

  const levelOf = (v: PyValue | undefined): number => (typeof v === 'bigint' ? Number(v) : typeof v === 'string' ? LEVELS[v] ?? 0 : 0);
  const effectiveLevel = (lg: PyInstance): number => {
    for (let cur: PyInstance | null = lg; cur; cur = (cur.native.parent as PyInstance | null) ?? null) {
      const l = Number(cur.dict.get('level') ?? 0n);
      if (l) return l;
    }
    return 30;
  };
  const sinksOf = (lg: PyInstance): Sink[] => {
    const out: Sink[] = [];
    for (let cur: PyInstance | null = lg; cur; cur = (cur.native.parent as PyInstance | null) ?? null) {
      for (const h of (cur.dict.get('handlers') as PyList).items as PyInstance[]) {
        if (h.native.stdout) out.push({ level: Number(h.dict.get('level') ?? 0n), format: String(h.native.format ?? '%(message)s') });
      }
      if (cur.dict.get('propagate') === false) break;
    }
    return out;
  };
  const emit = (lg: PyInstance, level: number, msg: PyValue, args: PyValue[], ctx: CallContext) => {
    if (level < effectiveLevel(lg)) return;
    const text = args.length ? formatPercent(ctx.str(msg), args.length === 1 ? args[0] : new PyTuple(args), ctx) : ctx.str(msg);
    for (const sink of sinksOf(lg)) {
      if (level < sink.level) continue;
      const record: Record<string, string> = { levelname: LEVEL_NAMES[level] ?? `Level ${level}`, name: String(lg.dict.get('name')), message: text, asctime: '', filename: 'snippet.py', module: 'snippet', funcName: '<module>' };
      ctx.print(sink.format.replace(/%\((\w+)\)[-\d.]*[sd]/g, (_m, k: string) => record[k] ?? '') + '\n');
    }
  };

  const getLogger = (name: string): PyInstance => {
    const key = name || 'root';
    let lg = loggers.get(key);
    if (!lg) {
      lg = new PyInstance(Logger);
      lg.dict.set('name', key);
      lg.dict.set('level', BigInt(key === 'root' ? 30 : 0));
      lg.dict.set('handlers', new PyList([]));
      lg.dict.set('propagate', true);
      lg.dict.set('disabled', false);
      lg.native.parent = key === 'root' ? null : getLogger('');
      loggers.set(key, lg);
    }
    return lg;
  };
  const root = getLogger('');

  const logAt = (level: number): NativeFn => ([self, msg, ...args], _kw, ctx) => (emit(self as PyInstance, level, msg ?? null, args, ctx), null);
  for (const [name, level] of [['debug', 10], ['info', 20], ['warning', 30], ['warn', 30], ['error', 40], ['exception', 40], ['critical', 50], ['fatal', 50]] as const) {
    Logger.dict.set(name, fn(name, logAt(level)));
    m.dict.set(name, fn(name, ([msg, ...args], kw, ctx) => logAt(level)([root, msg ?? null, ...args], kw, ctx)));
  }
  Logger.dict.set('log', fn('log', ([self, level, msg, ...args], _kw, ctx) => (emit(self as PyInstance, levelOf(level), msg ?? null, args, ctx), null)));
  Logger.dict.set('setLevel', fn('setLevel', ([self, level]) => ((self as PyInstance).dict.set('level', BigInt(levelOf(level))), null)));
  Logger.dict.set('getEffectiveLevel', fn('getEffectiveLevel', ([self]) => BigInt(effectiveLevel(self as PyInstance))));
  Logger.dict.set('isEnabledFor', fn('isEnabledFor', ([self, level]) => levelOf(level) >= effectiveLevel(self as PyInstance)));
  Logger.dict.set('addHandler', fn('addHandler', ([self, h]) => (((self as PyInstance).dict.get('handlers') as PyList).items.push(h ?? null), null)));
  Logger.dict.set('removeHandler', fn('removeHandler', ([self, h]) => {
    const hs = (self as PyInstance).dict.get('handlers') as PyList;
    hs.items = hs.items.filter((x) => x !== h);
    return null;
  }));
  Logger.dict.set('hasHandlers', fn('hasHandlers', ([self]) => ((self as PyInstance).dict.get('handlers') as PyList).items.length > 0));
  Logger.dict.set('getChild', fn('getChild', ([self, suffix]) => getLogger(`${(self as PyInstance).dict.get('name')}.${String(suffix)}`)));
  Logger.dict.set('__repr__', fn('__repr__', ([self]) => {
    const lg = self as PyInstance;
    return `<${lg === root ? 'RootLogger' : 'Logger'} ${lg.dict.get('name')} (${LEVEL_NAMES[effectiveLevel(lg)]})>`;
  }));

  const handler = (stdout: boolean) => {
    const h = new PyInstance(Handler);
    h.native.stdout = stdout;
    h.native.format = '%(message)s';
    h.dict.set('level', 0n);
    return h;
  };
  Handler.dict.set('setLevel', fn('setLevel', ([h, level]) => ((h as PyInstance).dict.set('level', BigInt(levelOf(level))), null)));
  Handler.dict.set('setFormatter', fn('setFormatter', ([h, f]) => {
    (h as PyInstance).native.format = (f as PyInstance).native.format;
    return null;
  }));
  Formatter.dict.set('__init__', fn('__init__', ([f, fmt], kw) => {
    (f as PyInstance).native.format = fmt ?? kw.get('fmt') ?? '%(message)s';
    return null;
  }));
  m.dict.set('Logger', Logger);
  m.dict.set('Handler', Handler);
  m.dict.set('Formatter', Formatter);
  m.dict.set('StreamHandler', fn('StreamHandler', ([stream]) => handler(isStdout(stream))));
  m.dict.set('NullHandler', fn('NullHandler', () => handler(false)));
  m.dict.set('FileHandler', fn('FileHandler', () => {
    throw pyError('NotImplementedError', 'logging.FileHandler touches the file system: Mask Lens evaluates snippets without side effects');
  }));
  m.dict.set('getLogger', fn('getLogger', ([name]) => getLogger(name === undefined || name === null ? '' : String(name))));
  m.dict.set('root', root);
  m.dict.set('getLevelName', fn('getLevelName', ([l]) => (typeof l === 'bigint' ? LEVEL_NAMES[Number(l)] ?? `Level ${l}` : BigInt(LEVELS[String(l)] ?? 0))));
  m.dict.set('disable', fn('disable', () => null));
  m.dict.set('captureWarnings', fn('captureWarnings', () => null));
  m.dict.set('basicConfig', fn('basicConfig', (_args, kw: Kwargs) => {
    const hs = root.dict.get('handlers') as PyList;
    if (hs.items.length && kw.get('force') !== true) return null;
    if (kw.has('filename')) throw pyError('NotImplementedError', 'logging.basicConfig(filename=...) touches the file system: Mask Lens evaluates snippets without side effects');
    const h = handler(isStdout(kw.get('stream')));
    h.native.format = kw.get('format') ?? '%(levelname)s:%(name)s:%(message)s';
    hs.items = [h];
    if (kw.has('level')) root.dict.set('level', BigInt(levelOf(kw.get('level'))));
    return null;
  }));
  return m;
}
