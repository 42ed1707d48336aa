// contextlib: contextmanager (also usable as a decorator, like
// ContextDecorator), nullcontext, suppress, ExitStack, closing.
// Semantics: CPython 3.11 Lib/contextlib.py (_GeneratorContextManager.__exit__).

import { contextDecorated } from '../../python/decorators';
import { pyError } from '../../python/exceptions';
import { PyGenerator } from '../../python/generators';
import {
  CallContext, Kwargs, NativeFn, PyBuiltin, PyClass, PyException, PyFunction, PyInstance, PyModule, PyTuple, PyValue,
} from '../../python/values';

const fn = (name: string, f: NativeFn) => new PyBuiltin(name, f);

function managerClass(name: string, methods: Record<string, NativeFn>): PyClass {
  const cls = new PyClass(name, [], `contextlib.${name}`);
  for (const [k, f] of Object.entries(methods)) cls.dict.set(k, fn(k, f));
  return cls;
}

const self = (v: PyValue) => v as PyInstance;
const isExceptionArg = (v: PyValue | undefined): v is PyInstance => v instanceof PyInstance;

/** The object a @contextmanager function returns: the generator runs to its yield on __enter__. */
const GENERATOR_CM = managerClass('_GeneratorContextManager', {
  __enter__: ([s]) => {
    const gen = self(s).native.gen as PyValue;
    if (!(gen instanceof PyGenerator)) throw pyError('TypeError', "'@contextmanager' function did not return a generator");
    const r = gen.next();
    if (r.done) throw pyError('RuntimeError', "generator didn't yield");
    return r.value ?? null;
  },
  __exit__: ([s, type, value]) => {
    const gen = self(s).native.gen as PyGenerator;
    if (type === null || type === undefined) {
      if (!gen.next().done) throw pyError('RuntimeError', "generator didn't stop");
      return false;
    }
    const exc = isExceptionArg(value) ? new PyException(value) : pyError('RuntimeError', 'exception');
    try {
      if (!gen.throwIn(exc).done) throw pyError('RuntimeError', "generator didn't stop after throw()");
    } catch (e) {
      // the same exception coming back out means "not handled": the with statement re-raises it
      if (e instanceof PyException && e.instance === exc.instance) return false;
      throw e;
    }
    return true;
  },
  // a @contextmanager object used as a decorator re-creates its generator per call
  __call__: ([s, f]) => contextDecorated(f ?? null, () => {
    const inst = new PyInstance(GENERATOR_CM);
    const { factory, args, kwargs, ctx } = self(s).native as { factory: PyValue; args: PyValue[]; kwargs: Kwargs; ctx: CallContext };
    inst.native = { ...self(s).native, gen: ctx.call(factory, args, kwargs) };
    return inst;
  }),
});

const NULL_CM = managerClass('nullcontext', {
  __enter__: ([s]) => (self(s).native.value ?? null) as PyValue,
  __exit__: () => false,
});

const SUPPRESS = managerClass('suppress', {
  __enter__: () => null,
  __exit__: ([s, type]) => type instanceof PyClass && (self(s).native.types as PyClass[]).some((t) => type.isSubclassOf(t)),
});

/** ExitStack: callbacks and entered managers unwind in reverse order on exit. */
const EXIT_STACK = managerClass('ExitStack', {
  __enter__: ([s]) => s,
  __exit__: ([s, type, value, tb], _kw, ctx) => unwind(self(s), ctx, [type ?? null, value ?? null, tb ?? null]),
  enter_context: ([s, cm], _kw, ctx) => {
    const v = ctx.call(ctx.getAttr(cm, '__enter__'), []);
    (self(s).native.exits as PyValue[]).push(ctx.getAttr(cm, '__exit__'));
    return v;
  },
  callback: ([s, f, ...args], kw) => {
    (self(s).native.exits as PyValue[]).push(fn('callback', (_a, _k, ctx) => (ctx.call(f, args, kw), false)));
    return f;
  },
  push: ([s, exit]) => ((self(s).native.exits as PyValue[]).push(exit), exit),
  close: ([s], _kw, ctx) => (unwind(self(s), ctx, [null, null, null]), null),
  pop_all: ([s]) => {
    const moved = new PyInstance(EXIT_STACK);
    moved.native.exits = self(s).native.exits;
    self(s).native.exits = [];
    return moved;
  },
});

function unwind(stack: PyInstance, ctx: CallContext, excInfo: PyValue[]): boolean {
  const exits = (stack.native.exits as PyValue[]).splice(0).reverse();
  let suppressed = false;
  for (const exit of exits) if (ctx.truthy(ctx.call(exit, suppressed ? [null, null, null] : excInfo))) suppressed = true;
  return suppressed;
}

const CLOSING = managerClass('closing', {
  __enter__: ([s]) => self(s).native.thing as PyValue,
  __exit__: ([s], _kw, ctx) => (ctx.call(ctx.getAttr(self(s).native.thing as PyValue, 'close'), []), false),
});

function instance(cls: PyClass, native: Record<string, unknown>): PyInstance {
  const inst = new PyInstance(cls);
  inst.native = native;
  return inst;
}

export function contextlibModule(): PyModule {
  const m = new PyModule('contextlib');
  const def = (name: string, f: NativeFn) => m.dict.set(name, fn(name, f));
  def('contextmanager', ([factory]) => {
    const name = factory instanceof PyFunction ? factory.name : 'helper';
    return fn(name, (args, kwargs, ctx) => instance(GENERATOR_CM, { factory, args, kwargs, ctx, gen: ctx.call(factory ?? null, args, kwargs) }));
  });
  def('nullcontext', ([value], kw) => instance(NULL_CM, { value: value ?? kw.get('enter_result') ?? null }));
  def('suppress', (types) => instance(SUPPRESS, { types: types.flatMap((t) => (t instanceof PyTuple ? t.items : [t])) }));
  def('ExitStack', () => instance(EXIT_STACK, { exits: [] }));
  def('closing', ([thing]) => instance(CLOSING, { thing }));
  m.dict.set('AbstractContextManager', new PyClass('AbstractContextManager', [], 'contextlib.AbstractContextManager'));
  const decorator = new PyClass('ContextDecorator', [], 'contextlib.ContextDecorator');
  decorator.dict.set('__call__', fn('__call__', ([s, f]) => contextDecorated(f ?? null, () => s ?? null)));
  m.dict.set('ContextDecorator', decorator);
  return m;
}
