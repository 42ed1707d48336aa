// os, sys, time, pathlib and argparse as harmless stand-ins. Pure
// computations (os.path.join, PurePath arithmetic, argparse defaults) run;
// anything that would touch the file system, the network, processes or the
// environment raises NotImplementedError at the line that uses it, never at
// import. os.environ is empty: os.environ.get(k, d) returns d, as on a
// machine where the variable is unset.

import { toStr } from '../../python/args';
import { TYPE_CLASSES } from '../../python/builtins';
import { PROPERTY } from '../../python/decorators';
import { pyError } from '../../python/exceptions';
import { hashKey } from '../../python/protocols';
import {
  CallContext, Kwargs, NativeFn, PyBuiltin, PyClass, PyDict, PyInstance, PyList, PyModule, PyNamedTuple, PyTuple, PyValue,
} from '../../python/values';

const fn = (name: string, f: NativeFn) => new PyBuiltin(name, f);

/** A function Mask Lens will not run: it raises where it is called. */
export function refused(qualname: string, what: string): PyBuiltin {
  return fn(qualname.split('.').pop()!, () => {
    throw pyError('NotImplementedError', `${qualname} ${what}: Mask Lens evaluates snippets without side effects`);
  });
}

function module(name: string, entries: Record<string, PyValue | NativeFn>): PyModule {
  const m = new PyModule(name);
  for (const [k, v] of Object.entries(entries)) m.dict.set(k, typeof v === 'function' ? fn(k, v) : v);
  return m;
}

const FS = 'touches the file system';
const PROC = 'starts or inspects processes';

// ---------- os.path (posixpath) ----------

function normpath(p: string): string {
  if (p === '') return '.';
  const initial = p.startsWith('/') ? (p.startsWith('//') && !p.startsWith('///') ? 2 : 1) : 0;
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part !== '..' || (!initial && !out.length) || (out.length && out[out.length - 1] === '..')) out.push(part);
    else if (out.length) out.pop();
  }
  const joined = '/'.repeat(initial) + out.join('/');
  return joined || '.';
}

function join(parts: string[]): string {
  let path = parts[0] ?? '';
  for (const b of parts.slice(1)) {
    if (b.startsWith('/')) path = b;
    else if (path === '' || path.endsWith('/')) path += b;
    else path += '/' + b;
  }
  return path;
}

function splitPath(p: string): [string, string] {
  const i = p.lastIndexOf('/') + 1;
  let head = p.slice(0, i);
  const tail = p.slice(i);
  if (head && head !== '/'.repeat(head.length)) head = head.replace(/\/+$/, '');
  return [head, tail];
}

function splitext(p: string): [string, string] {
  const base = p.slice(p.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  // leading dots belong to the name (".bashrc")
  if (dot <= 0 || /^\.+$/.test(base.slice(0, dot + 1))) return [p, ''];
  const cut = p.length - base.length + dot;
  return [p.slice(0, cut), p.slice(cut)];
}

const str = (v: PyValue | undefined, what = 'path') => {
  if (v instanceof PyInstance && v.native.path !== undefined) return v.native.path as string;
  return toStr(v, what);
};

function osPathModule(): PyModule {
  return module('os.path', {
    sep: '/',
    join: (args) => join(args.map((a) => str(a))),
    basename: ([p]) => splitPath(str(p))[1],
    dirname: ([p]) => splitPath(str(p))[0],
    split: ([p]) => new PyTuple(splitPath(str(p))),
    splitext: ([p]) => new PyTuple(splitext(str(p))),
    normpath: ([p]) => normpath(str(p)),
    isabs: ([p]) => str(p).startsWith('/'),
    expanduser: ([p]) => str(p),
    exists: refused('os.path.exists', FS),
    isfile: refused('os.path.isfile', FS),
    isdir: refused('os.path.isdir', FS),
    getsize: refused('os.path.getsize', FS),
    abspath: refused('os.path.abspath', 'reads the working directory'),
    realpath: refused('os.path.realpath', FS),
  });
}

/** os.environ: an empty mapping (variables read as unset); writes stay in the snippet. */
function environ(): PyDict {
  return new PyDict();
}

function osModule(): PyModule {
  const env = environ();
  const m = module('os', {
    sep: '/', pathsep: ':', extsep: '.', altsep: null, linesep: '\n', name: 'posix', curdir: '.', pardir: '..', devnull: '/dev/null',
    environ: env,
    getenv: ([k, dflt], _kw, ctx) => env.entries.get(hashKey(str(k, 'key'), ctx))?.[1] ?? dflt ?? null,
    fspath: ([p]) => str(p),
    getcwd: refused('os.getcwd', 'reads the working directory'),
    listdir: refused('os.listdir', FS), makedirs: refused('os.makedirs', FS), mkdir: refused('os.mkdir', FS),
    remove: refused('os.remove', FS), rename: refused('os.rename', FS), walk: refused('os.walk', FS),
    stat: refused('os.stat', FS), scandir: refused('os.scandir', FS), open: refused('os.open', FS),
    system: refused('os.system', PROC), getpid: refused('os.getpid', PROC), cpu_count: refused('os.cpu_count', 'inspects the machine'),
    urandom: refused('os.urandom', 'reads the operating system'), chdir: refused('os.chdir', FS),
    PathLike: new PyClass('PathLike', [TYPE_CLASSES.get('object')!], 'os.PathLike'),
  });
  m.dict.set('path', osPathModule());
  return m;
}

// ---------- sys ----------

function sysModule(): PyModule {
  const stream = (name: string, echo: boolean) => {
    const cls = new PyClass('TextIOWrapper', []);
    cls.dict.set('write', fn('write', ([, s], _kw, ctx) => {
      const text = toStr(s, 'write() argument');
      if (echo) ctx.print(text);
      return BigInt(text.length);
    }));
    cls.dict.set('flush', fn('flush', () => null));
    const inst = new PyInstance(cls);
    inst.dict.set('name', name);
    return inst;
  };
  return module('sys', {
    version_info: new PyNamedTuple([3n, 11n, 7n, 'final', 0n], 'sys.version_info', ['major', 'minor', 'micro', 'releaselevel', 'serial']),
    version: '3.11.7 (Mask Lens)',
    platform: 'linux',
    byteorder: 'little',
    maxsize: 9223372036854775807n,
    argv: new PyList(['snippet.py']),
    path: new PyList([]),
    modules: new PyDict(),
    // stdout is the preview's output; stderr is not shown (Python's goes to the terminal, not stdout)
    stdout: stream('<stdout>', true),
    stderr: stream('<stderr>', false),
    executable: '',
    getrecursionlimit: () => 1000n,
    setrecursionlimit: () => null,
    getsizeof: refused('sys.getsizeof', 'measures CPython objects'),
    exit: ([code]) => {
      const e = pyError('SystemExit', code === undefined || code === null ? '' : String(code));
      throw e;
    },
  });
}

// ---------- time ----------

function timeModule(): PyModule {
  // a fixed clock: previews must not change from one run to the next
  return module('time', {
    time: () => 0, perf_counter: () => 0, monotonic: () => 0, process_time: () => 0,
    time_ns: () => 0n, perf_counter_ns: () => 0n,
    sleep: () => null,
    strftime: refused('time.strftime', 'reads the clock'),
    localtime: refused('time.localtime', 'reads the clock'),
  });
}

// ---------- pathlib (pure paths) ----------

function pathlibModule(): PyModule {
  const Path = new PyClass('PosixPath', [TYPE_CLASSES.get('object')!], 'pathlib.PosixPath');
  const make = (p: string) => {
    const inst = new PyInstance(Path);
    inst.native.path = normpathKeepRelative(p);
    return inst;
  };
  const of = (v: PyValue) => (v as PyInstance).native.path as string;
  Path.dict.set('__new__', fn('__new__', ([, ...parts]) => make(parts.length ? join(parts.map((x) => str(x))) : '.')));
  Path.dict.set('__truediv__', fn('__truediv__', ([s, o]) => make(join([of(s), str(o)]))));
  Path.dict.set('__rtruediv__', fn('__rtruediv__', ([s, o]) => make(join([str(o), of(s)]))));
  Path.dict.set('__str__', fn('__str__', ([s]) => of(s)));
  Path.dict.set('__fspath__', fn('__fspath__', ([s]) => of(s)));
  Path.dict.set('__repr__', fn('__repr__', ([s], _kw, ctx) => `PosixPath(${ctx.repr(of(s))})`));
  Path.dict.set('__eq__', fn('__eq__', ([s, o]) => o instanceof PyInstance && o.cls === Path && of(o) === of(s)));
  Path.dict.set('joinpath', fn('joinpath', ([s, ...parts]) => make(join([of(s), ...parts.map((x) => str(x))]))));
  Path.dict.set('with_suffix', fn('with_suffix', ([s, suf]) => make(splitext(of(s))[0] + str(suf))));
  Path.dict.set('with_name', fn('with_name', ([s, n]) => make(join([splitPath(of(s))[0], str(n)]))));
  for (const [name, f] of Object.entries({
    name: (p: string) => splitPath(p)[1],
    suffix: (p: string) => splitext(splitPath(p)[1])[1],
    stem: (p: string) => splitext(splitPath(p)[1])[0],
  })) {
    Path.dict.set(name, propertyOf((s) => f(of(s))));
  }
  Path.dict.set('parent', propertyOf((s) => make(splitPath(of(s))[0] || '.')));
  Path.dict.set('parts', propertyOf((s) => {
    const p = of(s);
    const parts = p.split('/').filter((x) => x);
    return new PyTuple(p.startsWith('/') ? ['/', ...parts] : parts);
  }));
  for (const name of ['exists', 'is_file', 'is_dir', 'read_text', 'write_text', 'read_bytes', 'mkdir', 'iterdir', 'glob', 'rglob', 'open', 'unlink', 'resolve', 'stat']) {
    Path.dict.set(name, refused(`pathlib.Path.${name}`, FS));
  }
  const m = new PyModule('pathlib');
  for (const n of ['Path', 'PosixPath', 'PurePath', 'PurePosixPath']) m.dict.set(n, Path);
  return m;
}

function normpathKeepRelative(p: string): string {
  // PurePath drops '.' parts and duplicate slashes but keeps '..'
  if (p === '') return '.';
  const abs = p.startsWith('/');
  const parts = p.split('/').filter((x) => x && x !== '.');
  return (abs ? '/' : '') + parts.join('/') || (abs ? '/' : '.');
}

/** A read-only property computed from the instance. */
function propertyOf(get: (self: PyValue) => PyValue): PyValue {
  const p = new PyInstance(PROPERTY);
  p.native = { fget: fn('fget', ([s]) => get(s ?? null)), fset: null, fdel: null, doc: null };
  return p;
}

// ---------- argparse: parsers whose defaults apply ----------

interface ArgSpec {
  dest: string;
  default: PyValue;
  positional: boolean;
  action: string;
}

function argparseModule(): PyModule {
  const Parser = new PyClass('ArgumentParser', [], 'argparse.ArgumentParser');
  const Namespace = new PyClass('Namespace', [], 'argparse.Namespace');
  Namespace.dict.set('__init__', fn('__init__', ([s], kw) => {
    for (const [k, v] of kw) (s as PyInstance).dict.set(k, v);
    return null;
  }));
  Namespace.dict.set('__repr__', fn('__repr__', ([s], _kw, ctx) =>
    `Namespace(${[...(s as PyInstance).dict].map(([k, v]) => `${k}=${ctx.repr(v)}`).join(', ')})`));
  const specs = (p: PyValue) => ((p as PyInstance).native.args ??= []) as ArgSpec[];
  Parser.dict.set('__init__', fn('__init__', () => null));
  const addArgument = fn('add_argument', ([p, ...names], kw: Kwargs) => {
    const flags = names.map((n) => toStr(n, 'name'));
    const positional = !flags[0]?.startsWith('-');
    const long = flags.find((f) => f.startsWith('--')) ?? flags[0] ?? '';
    const dest = kw.has('dest') ? toStr(kw.get('dest'), 'dest') : long.replace(/^-+/, '').replace(/-/g, '_');
    const action = kw.has('action') ? toStr(kw.get('action'), 'action') : 'store';
    const dflt = kw.has('default') ? kw.get('default')! : action === 'store_true' ? false : action === 'store_false' ? true : null;
    specs(p).push({ dest, default: dflt, positional, action });
    return null;
  });
  Parser.dict.set('add_argument', addArgument);
  Parser.dict.set('add_argument_group', fn('add_argument_group', ([p]) => p ?? null));
  Parser.dict.set('add_mutually_exclusive_group', fn('add_mutually_exclusive_group', ([p]) => p ?? null));
  Parser.dict.set('set_defaults', fn('set_defaults', ([p], kw) => {
    for (const [k, v] of kw) specs(p).push({ dest: k, default: v, positional: false, action: 'store' });
    return null;
  }));
  const parse = (known: boolean) => fn(known ? 'parse_known_args' : 'parse_args', ([p, argv], _kw, ctx: CallContext) => {
    // the snippet has no command line: only an explicit argv list is parsed (flags with values, store_true)
    const given = argv === undefined || argv === null ? [] : ctx.iterate(argv).map((a) => toStr(a, 'argument'));
    const ns = new PyInstance(Namespace);
    const all = specs(p);
    for (const s of all) ns.dict.set(s.dest, s.default);
    const positionals = all.filter((s) => s.positional);
    for (let i = 0; i < given.length; i++) {
      const a = given[i];
      if (a.startsWith('-')) {
        const [flag, inline] = a.split('=', 2);
        const s = all.find((x) => !x.positional && x.dest === flag.replace(/^-+/, '').replace(/-/g, '_'));
        if (!s) throw pyError('SystemExit', '2');
        if (s.action === 'store_true') ns.dict.set(s.dest, true);
        else if (s.action === 'store_false') ns.dict.set(s.dest, false);
        else ns.dict.set(s.dest, inline ?? given[++i] ?? null);
      } else {
        const s = positionals.shift();
        if (s) ns.dict.set(s.dest, a);
      }
    }
    const missing = positionals.filter((s) => s.default === null);
    if (missing.length) throw pyError('SystemExit', '2');
    return known ? new PyTuple([ns, new PyList([])]) : ns;
  });
  Parser.dict.set('parse_args', parse(false));
  Parser.dict.set('parse_known_args', parse(true));
  return module('argparse', {
    ArgumentParser: Parser, Namespace,
    Action: new PyClass('Action', [TYPE_CLASSES.get('object')!], 'argparse.Action'),
    SUPPRESS: '==SUPPRESS==',
    ArgumentDefaultsHelpFormatter: new PyClass('ArgumentDefaultsHelpFormatter', []),
    RawTextHelpFormatter: new PyClass('RawTextHelpFormatter', []),
  });
}

export function systemModule(name: string): PyModule | undefined {
  switch (name) {
    case 'os': return osModule();
    case 'os.path': return osPathModule();
    case 'sys': return sysModule();
    case 'time': return timeModule();
    case 'pathlib': return pathlibModule();
    case 'argparse': return argparseModule();
  }
  return undefined;
}
