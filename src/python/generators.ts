// Generators. The evaluator is a recursive tree-walker whose `exec` cannot
// pause, so a generator function's body runs on a second, resumable walker:
// each statement becomes a JS generator (`*stmt`), and `yield` in Python is
// `yield` in JS. Only statements that contain a `yield` take this path;
// everything else in the body is handed to the ordinary `exec`, so a
// generator costs nothing where it does not pause. Because the body only
// runs as far as the consumer asks, infinite generators (`while True:
// yield i`) work with `break`, `zip`, `next` and `itertools.islice`.
//
// `try` and `with` are written once, here, in resumable form; the
// evaluator runs them by draining the same JS generator (`drive`), which
// never pauses when the body has no `yield`.

import type * as A from './ast';
import type { Interpreter } from './evaluator';
import { pyError } from './exceptions';
import type { Scope } from './scope';
import { BreakSignal, ContinueSignal, ReturnSignal } from './signals';
import { CallContext, PyBuiltin, PyException, PyIterator, PyList, PyTuple, PyValue } from './values';

/** A resumable walk: yields Python values, receives what `send` passes, returns a value. */
export type Resumable<T> = Generator<PyValue, T, PyValue>;

const yieldCache = new WeakMap<object, boolean>();

/** Does this node contain `yield` outside nested functions, lambdas and classes? */
export function hasYield(node: unknown): boolean {
  if (node === null || typeof node !== 'object') return false;
  const cached = yieldCache.get(node);
  if (cached !== undefined) return cached;
  let found = false;
  const kind = (node as { kind?: string }).kind;
  if (kind === 'Yield' || kind === 'YieldFrom') found = true;
  else if (kind !== 'FunctionDef' && kind !== 'Lambda' && kind !== 'ClassDef') {
    for (const [key, value] of Object.entries(node)) {
      if (key === 'span' || key === 'attrSpan') continue;
      if (Array.isArray(value) ? value.some(hasYield) : hasYield(value)) {
        found = true;
        break;
      }
    }
  }
  yieldCache.set(node, found);
  return found;
}

/** A `def` whose body yields is a generator function. */
export function isGeneratorFunction(def: A.FunctionDef | A.Lambda): boolean {
  return def.kind === 'FunctionDef' && def.body.some(hasYield);
}

/** Run a resumable walk to its end; it must not pause (no `yield` reached it). */
export function drive<T>(walk: Resumable<T>): T {
  const r = walk.next();
  if (!r.done) throw pyError('SyntaxError', "'yield' outside function");
  return r.value;
}

/**
 * A Python generator object: `next()`, `send()`, `throw()`, `close()`.
 * It is a PyIterator, so every lazy consumer (for, zip, next, islice)
 * pulls one value at a time.
 */
export class PyGenerator extends PyIterator {
  private started = false;
  private finished = false;
  private running = false;
  /** The value of the `return` that ended the generator (`yield from`'s result). */
  returnValue: PyValue = null;

  constructor(
    private readonly walk: Resumable<PyValue>,
    readonly name: string,
  ) {
    super(() => this.resume((w) => w.next(null)), 'generator');
  }

  send(v: PyValue): { done: boolean; value?: PyValue } {
    if (!this.started && v !== null) throw pyError('TypeError', "can't send non-None value to a just-started generator");
    return this.resume((w) => w.next(v));
  }

  /** gen.throw(exc): raise `exc` at the paused `yield`. */
  throwIn(exc: PyException): { done: boolean; value?: PyValue } {
    if (!this.started) {
      this.finished = true;
      throw exc;
    }
    return this.resume((w) => w.throw(exc));
  }

  /** gen.close(): GeneratorExit at the paused `yield`; a `yield` in reply is a RuntimeError. */
  close(): void {
    if (!this.started || this.finished) {
      this.finished = true;
      return;
    }
    try {
      this.walk.return(null);
    } finally {
      this.finished = true;
    }
  }

  private resume(step: (w: Resumable<PyValue>) => IteratorResult<PyValue, PyValue>): { done: boolean; value?: PyValue } {
    if (this.finished) return { done: true };
    if (this.running) throw pyError('ValueError', 'generator already executing');
    this.started = true;
    this.running = true;
    try {
      const r = step(this.walk);
      if (r.done) {
        this.finished = true;
        this.returnValue = r.value;
        return { done: true };
      }
      return { done: false, value: r.value };
    } catch (e) {
      this.finished = true;
      // PEP 479: a StopIteration escaping the body would silently end the caller's loop
      if (e instanceof PyException && e.pyType === 'StopIteration') {
        throw pyError('RuntimeError', 'generator raised StopIteration');
      }
      throw e;
    } finally {
      this.running = false;
    }
  }

  override getAttr(name: string, _ctx: CallContext): PyValue | undefined {
    const method = (f: (args: PyValue[]) => PyValue) => new PyBuiltin(name, (args) => f(args), `generator.${name}`);
    const value = (r: { done: boolean; value?: PyValue }) => {
      if (r.done) throw stopIteration(this.returnValue);
      return r.value ?? null;
    };
    switch (name) {
      case '__next__': return method(() => value(this.next()));
      case '__iter__': return method(() => this);
      case 'send': return method(([v]) => value(this.send(v ?? null)));
      case 'throw': return method(([exc]) => {
        const e = exc instanceof PyException ? exc : toException(exc);
        return value(this.throwIn(e));
      });
      case 'close': return method(() => (this.close(), null));
      case '__name__': return this.name;
    }
    return undefined;
  }

  override repr(): string {
    return `<generator object ${this.name} at 0x7f0000000000>`;
  }
}

function toException(v: PyValue): PyException {
  // gen.throw(SomeError("x")) receives an exception instance
  if (v && typeof v === 'object' && 'cls' in v) return new PyException(v as never);
  throw pyError('TypeError', 'exceptions must be classes or instances deriving from BaseException, not ' + String(v));
}

export function stopIteration(value: PyValue): PyException {
  const e = pyError('StopIteration', '');
  e.instance.native.args = value === null ? [] : [value];
  return e;
}

/** The resumable walker for generator bodies (and the shared form of try/with). */
export class GeneratorExecutor {
  constructor(private readonly interp: Interpreter) {}

  /** The body of a generator function, as a PyGenerator over `scope`. */
  start(name: string, body: readonly A.Stmt[], scope: Scope): PyGenerator {
    return new PyGenerator(this.run(body, scope), name);
  }

  private *run(body: readonly A.Stmt[], scope: Scope): Resumable<PyValue> {
    try {
      yield* this.block(body, scope);
    } catch (e) {
      if (e instanceof ReturnSignal) return e.value;
      throw e;
    }
    return null;
  }

  *block(body: readonly A.Stmt[], scope: Scope): Resumable<void> {
    // module level never yields; editor previews go on past errors there (Interpreter.execBody)
    if (this.interp.continuesIn(scope)) {
      this.interp.execBody(body, scope);
      return;
    }
    for (const s of body) yield* this.stmt(s, scope);
  }

  *stmt(s: A.Stmt, scope: Scope): Resumable<void> {
    if (!hasYield(s)) {
      this.interp.exec(s, scope);
      return;
    }
    this.interp.tick(s.span);
    try {
      yield* this.stmtInner(s, scope);
    } catch (e) {
      throw this.interp.locate(e, s.span);
    }
  }

  private *stmtInner(s: A.Stmt, scope: Scope): Resumable<void> {
    const interp = this.interp;
    switch (s.kind) {
      case 'Expr':
        yield* this.expr(s.value, scope);
        return;
      case 'Assign': {
        const v = yield* this.expr(s.value, scope);
        for (const t of s.targets) interp.assign(t, v, scope);
        return;
      }
      case 'AnnAssign':
        if (s.value) interp.assign(s.target, yield* this.expr(s.value, scope), scope);
        return;
      case 'AugAssign': {
        const v = yield* this.expr(s.value, scope);
        interp.augAssign(s, scope, v);
        return;
      }
      case 'Return':
        throw new ReturnSignal(s.value ? yield* this.expr(s.value, scope) : null);
      case 'If':
        if (interp.truthy(yield* this.expr(s.test, scope))) yield* this.block(s.body, scope);
        else yield* this.block(s.orelse, scope);
        return;
      case 'While': {
        while (interp.truthy(yield* this.expr(s.test, scope))) {
          if (!(yield* this.loopBody(s.body, scope))) return;
        }
        yield* this.block(s.orelse, scope);
        return;
      }
      case 'For': {
        const it = interp.iter(yield* this.expr(s.iter, scope));
        for (let r = it.next(); !r.done; r = it.next()) {
          interp.assign(s.target, r.value, scope);
          if (!(yield* this.loopBody(s.body, scope))) return;
        }
        yield* this.block(s.orelse, scope);
        return;
      }
      case 'Try':
        yield* this.tryStmt(s, scope);
        return;
      case 'With':
        yield* this.withItems(s, 0, scope);
        return;
      case 'Raise':
      case 'Assert':
      case 'Delete':
      default:
        throw pyError('NotImplementedError', `Mask Lens runs 'yield' in statements and assignments, not inside a ${s.kind} statement`);
    }
  }

  /** One pass of a loop body: false when it hit `break` (continue just ends the pass). */
  private *loopBody(body: readonly A.Stmt[], scope: Scope): Resumable<boolean> {
    try {
      yield* this.block(body, scope);
    } catch (e) {
      if (e instanceof BreakSignal) return false;
      if (!(e instanceof ContinueSignal)) throw e;
    }
    return true;
  }

  /** try / except / else / finally; the handler's name is unbound afterwards, as in Python. */
  *tryStmt(s: A.Try, scope: Scope): Resumable<void> {
    const interp = this.interp;
    try {
      let handled = false;
      try {
        yield* this.block(s.body, scope);
      } catch (e) {
        const exc = interp.asPyException(e);
        if (!exc) throw e;
        const h = interp.matchHandler(s.handlers, exc, scope);
        if (!h) throw exc;
        handled = true;
        if (h.name) scope.assign(h.name, exc.instance);
        interp.handling.push(exc);
        try {
          yield* this.block(h.body, scope);
        } finally {
          interp.handling.pop();
          if (h.name) scope.target(h.name).vars.delete(h.name);
        }
      }
      if (!handled) yield* this.block(s.orelse, scope);
    } finally {
      yield* this.block(s.finalbody, scope);
    }
  }

  /** `with a as x, b as y:` is `with a as x: with b as y:`; __exit__ sees the exception and may suppress it. */
  *withItems(s: A.With, i: number, scope: Scope): Resumable<void> {
    const interp = this.interp;
    if (i === s.items.length) {
      yield* this.block(s.body, scope);
      return;
    }
    const item = s.items[i];
    const mgr = yield* this.expr(item.context, scope);
    const { enter, exit } = interp.contextMethods(mgr);
    const v = interp.call(enter, []);
    if (item.target) interp.assign(item.target, v, scope);
    try {
      yield* this.withItems(s, i + 1, scope);
    } catch (e) {
      const exc = interp.asPyException(e);
      if (!exc) {
        interp.call(exit, [null, null, null]);
        throw e;
      }
      if (interp.truthy(interp.call(exit, [exc.instance.cls, exc.instance, null]))) return;
      throw exc;
    }
    interp.call(exit, [null, null, null]);
  }

  /** An expression that may pause: `yield x`, `x = yield`, `yield from it`. */
  *expr(e: A.Expr, scope: Scope): Resumable<PyValue> {
    if (!hasYield(e)) return this.interp.eval(e, scope);
    try {
      switch (e.kind) {
        case 'Yield': {
          const v = e.value ? yield* this.expr(e.value, scope) : null;
          return yield v;
        }
        case 'YieldFrom':
          return yield* this.yieldFrom(yield* this.expr(e.value, scope));
        case 'Tuple':
        case 'List': {
          // `yield a, (yield b)` style displays (no starred items)
          const items: PyValue[] = [];
          for (const x of e.elts) items.push(yield* this.expr(x, scope));
          return e.kind === 'Tuple' ? new PyTuple(items) : new PyList(items);
        }
        default:
          throw pyError('NotImplementedError', "Mask Lens runs 'yield' as a statement, an assignment's value or 'yield from', not inside a larger expression");
      }
    } catch (err) {
      throw this.interp.locate(err, e.span);
    }
  }

  /** PEP 380: values pass straight through; send() reaches a sub-generator; its return value is the result. */
  private *yieldFrom(source: PyValue): Resumable<PyValue> {
    if (source instanceof PyGenerator) {
      let r = source.next();
      while (!r.done) {
        const sent = yield r.value ?? null;
        r = sent === null ? source.next() : source.send(sent);
      }
      return source.returnValue;
    }
    const it = this.interp.iter(source);
    for (let r = it.next(); !r.done; r = it.next()) yield r.value;
    return null;
  }
}
