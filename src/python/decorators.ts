// The built-in descriptors (property, classmethod, staticmethod) and the
// context-decorator pattern (`@torch.no_grad()`, `@contextmanager`
// functions used as decorators). How an attribute lookup binds them is in
// the evaluator (`bindAttribute`); this file only builds the objects.
// Semantics: Python's Descriptor HowTo Guide (Doc/howto/descriptor.rst).

import { CallContext, NativeFn, PyBuiltin, PyClass, PyFunction, PyInstance, PyValue } from './values';

const native = (name: string, f: NativeFn) => new PyBuiltin(name, f);

function descriptorClass(name: string, slots: string[]): PyClass {
  const cls = new PyClass(name, []);
  cls.dict.set('__new__', native('__new__', ([, ...args], kw) => {
    const inst = new PyInstance(cls);
    slots.forEach((s, i) => (inst.native[s] = args[i] ?? kw.get(s) ?? null));
    return inst;
  }));
  return cls;
}

/** property(fget, fset, fdel, doc) with .setter/.getter/.deleter returning a copy, as CPython does. */
export const PROPERTY = descriptorClass('property', ['fget', 'fset', 'fdel', 'doc']);
for (const slot of ['getter', 'setter', 'deleter']) {
  const field = slot === 'getter' ? 'fget' : slot === 'setter' ? 'fset' : 'fdel';
  PROPERTY.dict.set(slot, native(slot, ([self, f]) => {
    const old = self as PyInstance;
    const copy = new PyInstance(PROPERTY);
    copy.native = { ...old.native, [field]: f ?? null };
    return copy;
  }));
}
/** classmethod(f): bound to the class it is looked up on. */
export const CLASSMETHOD = descriptorClass('classmethod', ['fn']);
/** staticmethod(f): never bound. */
export const STATICMETHOD = descriptorClass('staticmethod', ['fn']);

export function isDescriptor(v: PyValue | undefined, cls: PyClass): v is PyInstance {
  return v instanceof PyInstance && v.cls === cls;
}

/** The function a staticmethod or classmethod wraps. */
export function wrapped(v: PyInstance): PyValue {
  return (v.native.fn ?? null) as PyValue;
}

/** Attributes of a property object (fget, fset, __doc__, __isabstractmethod__). */
export function propertyAttr(p: PyInstance, name: string): PyValue | undefined {
  if (name === 'fget' || name === 'fset' || name === 'fdel') return (p.native[name] ?? null) as PyValue;
  if (name === '__doc__') return (p.native.doc ?? null) as PyValue;
  return undefined;
}

/**
 * The function a context-manager decorator returns: like functools.wraps
 * (which ContextDecorator and torch's _DecoratorContextManager both apply),
 * it carries the wrapped function's __name__, __qualname__, __doc__ and
 * __module__, and __wrapped__ is the function itself.
 */
class ContextWrapped extends PyBuiltin {
  constructor(readonly inner: PyValue, call: NativeFn) {
    super(
      inner instanceof PyFunction || inner instanceof PyBuiltin ? inner.name : 'wrapper', call,
      inner instanceof PyFunction || inner instanceof PyBuiltin ? inner.qualname : 'wrapper',
    );
  }
  override getAttr(name: string, ctx: CallContext): PyValue | undefined {
    if (name === '__wrapped__') return this.inner;
    if (name === '__doc__' || name === '__module__') return ctx.getAttr(this.inner, name);
    return undefined;
  }
}

/**
 * A context manager used as a decorator (contextlib.ContextDecorator):
 * each call of the result runs `fn` inside `with manager():`, where
 * `manager` makes a fresh context manager per call. The result has
 * functools.wraps's attributes (__wrapped__ = fn).
 */
export function contextDecorated(fn: PyValue, manager: () => PyValue): PyBuiltin {
  return new ContextWrapped(fn, (args, kw, c) => {
    const mgr = manager();
    const enter = c.getAttr(mgr, '__enter__');
    const exit = c.getAttr(mgr, '__exit__');
    c.call(enter, []);
    let result: PyValue;
    try {
      result = c.call(fn, args, kw);
    } catch (e) {
      const exc = e as { instance?: PyInstance };
      if (exc.instance instanceof PyInstance && c.truthy(c.call(exit, [exc.instance.cls, exc.instance, null]))) return null;
      throw e;
    }
    c.call(exit, [null, null, null]);
    return result;
  });
}
