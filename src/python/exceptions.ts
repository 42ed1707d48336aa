// Python's built-in exception hierarchy, as classes snippets can catch,
// raise and subclass.

import type { Span } from './ast';
import { BUILTIN_EXCEPTIONS } from './exceptionNames';
import { PyBuiltin, PyClass, PyException, PyInstance, PyTuple, PyValue } from './values';

const HIERARCHY: (readonly [string, string | null])[] = [
  ...BUILTIN_EXCEPTIONS,
  ['InvalidArgumentError', 'Exception'],
  // Mask Lens's own failures (src/python/jsErrors.ts); not a Python built-in
  ['InternalError', 'Exception'],
];

export const EXCEPTION_CLASSES = new Map<string, PyClass>();
for (const [name, base] of HIERARCHY) {
  EXCEPTION_CLASSES.set(name, new PyClass(name, base ? [EXCEPTION_CLASSES.get(base)!] : []));
}

export const BASE_EXCEPTION = EXCEPTION_CLASSES.get('BaseException')!;

// BaseException.__init__ stores args, so a subclass's `super().__init__(msg)` sets the message str(e) shows.
BASE_EXCEPTION.dict.set('__init__', new PyBuiltin('__init__', ([self, ...args], _kw, ctx) => {
  if (self instanceof PyInstance) {
    self.native.args = args;
    self.native.message = args.length === 1 ? ctx.str(args[0]) : args.length === 0 ? '' : ctx.repr(new PyTuple(args));
  }
  return null;
}, 'BaseException.__init__'));

export function isExceptionClass(c: PyValue): boolean {
  return c instanceof PyClass && c.isSubclassOf(BASE_EXCEPTION);
}

/** An exception instance with `args` and the message str(e) shows. */
export function makeException(cls: PyClass, args: PyValue[], message: string): PyInstance {
  const inst = new PyInstance(cls);
  inst.native.args = args;
  inst.native.message = message;
  return inst;
}

/** KeyError as a failed lookup raises it: `args == (key,)`, so str(e) and repr(e) are Python's (`'zz'`, `KeyError('zz')`). */
export function keyError(key: PyValue, ctx: { repr(v: PyValue): string }): PyException {
  const message = ctx.repr(key);
  const e = new PyException(makeException(EXCEPTION_CLASSES.get('KeyError')!, [key], message));
  e.message = `KeyError: ${message}`;
  return e;
}

/** Raise-ready error of a built-in type: pyError('TypeError', "...") */
export function pyError(type: string, message: string, span?: Span): PyException {
  const cls = EXCEPTION_CLASSES.get(type) ?? EXCEPTION_CLASSES.get('RuntimeError')!;
  const e = new PyException(makeException(cls, [message], message), span);
  e.message = `${type}: ${message}`;
  return e;
}
