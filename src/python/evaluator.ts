// The tree-walking evaluator: one `switch` over statements and one over
// expressions. Every error that escapes a node gets that node's span, so the
// innermost node wins, which is the line Python's traceback would show.

import type * as A from './ast';
import { toPyException } from './jsErrors';
import { checkItems } from './budget';
import { EXCEPTION_CLASSES, isExceptionClass, keyError, makeException, pyError } from './exceptions';
import {
  builtinBinary, builtinEquals, concatItems, builtinOrder, equals, hashKey, setMemberKey, repr as reprValue, str as strValue, truthy as truthyValue,
  unsupportedOperand,
} from './protocols';
import { Scope } from './scope';
import { makeSet, PyDictView, setBinary, setCompare, setFrom } from './sets';
import { PyBytes } from './bytes';
import { PyGenericAlias, typeUnion } from './typeUnion';
import {
  AttributeEntries, CallContext, ItemAttributes, Kwargs, PyBoundMethod, PyBuiltin, PyClass, PyDict, PyEllipsis, PyException, PyFunction, PyInstance,
  PyIterator, PyList, PyModule, PyNamedTuple, PyObj, PyRange, PySet, PySlice, PySuper, PyTuple, PyValue, typeNameOf,
} from './values';
import { builtinAttr, dictStoreOf, formatPercent, formatValue, NATIVE_DICT_CLASSES, newDictSubclassInstance, setInstanceAttribute, typeOf, TYPE_CLASSES } from './builtins';
import { CLASSMETHOD, isDescriptor, PROPERTY, propertyAttr, STATICMETHOD, wrapped } from './decorators';
import { drive, GeneratorExecutor, isGeneratorFunction, PyGenerator, Resumable } from './generators';
import { notModelled, OpaqueClasses, OpaqueModule, opaqueBase, PyOpaque } from './opaque';
import { BreakSignal, ContinueSignal, isSignal, ReturnSignal } from './signals';

export interface Limits {
  maxSteps: number;
  maxDepth: number;
  /** performance.now() deadline, or Infinity */
  deadline: number;
  /** progress[0] is kept at the line executing now (a host that stops the evaluation reports it). */
  progress?: Int32Array;
}

export type ModuleLoader = (name: string, interp: Interpreter) => PyModule | undefined;

/**
 * What a recorder (see record.ts) is told while the interpreter runs. The
 * interpreter itself keeps no history: it only reports, so recording can be
 * switched off without touching evaluation.
 */
export interface ExecObserver {
  /** A user-defined function starts; `site` is the call expression that led here. Returns a token for exitCall. */
  enterCall(fn: PyFunction, scope: Scope, site: A.Span | undefined): unknown;
  /** A statement finished without raising, in `scope`. */
  afterStatement(stmt: A.Stmt, scope: Scope): void;
  /** The call of `enterCall` ended: with its return value, or with an error (`returned` undefined). */
  exitCall(token: unknown, scope: Scope, returned: PyValue | undefined, error: unknown): void;
}

/**
 * A call on the result of another call, `outer(recv.inner(...), ...)` or
 * `recv.inner(...).outer(...)`, whose inner result is a temporary: it is
 * bound to no name and passed nowhere else, so nothing but the outer call
 * can ever see it. A FusedCallRule may compute such a pair in one step.
 */
export interface FusedCall {
  /** The outer callee: a value called with the temporary as its first positional argument, or a method name called on it. */
  outer: { fn: PyValue } | { method: string };
  /** The outer call's other arguments (after the temporary in the function form). */
  args: PyValue[];
  kwargs: Kwargs;
  /** The inner call's receiver, method name and arguments. */
  receiver: PyValue;
  inner: string;
  innerArgs: PyValue[];
  innerKwargs: Kwargs;
}

/**
 * A framework's rule for a pair of calls it can compute in one step (the
 * torch module's masked softmax: `softmax(x.masked_fill(m, -inf), -1)`
 * without the masked copy). The interpreter knows no framework: it hands
 * such a pair to the rules whose `inner` names the inner method.
 */
export interface FusedCallRule {
  /** The inner call's method name (`masked_fill`). */
  readonly inner: string;
  /** Whether the rule may fuse an inner call on this receiver (it must then be a builtin that runs no Python code). */
  accepts(receiver: PyValue): boolean;
  /**
   * The outer call's result, exactly what the two calls would return and
   * record (diagnostics, provenance), or undefined, having changed
   * nothing, to let the interpreter make both calls as usual (errors
   * included: a rule declines whatever would raise).
   */
  fuse(call: FusedCall, ctx: CallContext): PyValue | undefined;
}

/** A fusable pair's shape: the inner call node, and the outer call's other arguments (see Interpreter.fusedShape). */
interface FusedShape {
  inner: A.Call & { func: A.Attribute };
  /** The function form (the temporary is the first positional argument); else the method form. */
  functionForm: boolean;
}

/**
 * An argument expression that runs no code and reads nothing a call can
 * rebind: a literal, a negated literal, a name, or a dotted name (checked at
 * run time to start at a module). Only the outer call's arguments after the
 * temporary are evaluated out of order in a fused call, so they must be this.
 */
function isPlainArg(e: A.Expr): boolean {
  switch (e.kind) {
    case 'Constant':
    case 'Name':
      return true;
    case 'UnaryOp':
      return e.operand.kind === 'Constant';
    case 'Attribute':
      return e.value.kind === 'Name' || (e.value.kind === 'Attribute' && isPlainArg(e.value));
    default:
      return false;
  }
}

/** An expression CPython's AST optimizer folds to a constant: literals, and unary/binary operators and tuples of them. */
function isFoldedConstant(e: A.Expr): boolean {
  switch (e.kind) {
    case 'Constant': return true;
    case 'UnaryOp': return isFoldedConstant(e.operand);
    case 'BinOp': return isFoldedConstant(e.left) && isFoldedConstant(e.right);
    case 'Tuple': return e.elts.every(isFoldedConstant);
    default: return false;
  }
}

/** The Name a dotted argument starts at (`torch` for torch.float32). */
function rootName(e: A.Expr): A.Name | undefined {
  while (e.kind === 'Attribute') e = e.value;
  return e.kind === 'Name' ? e : undefined;
}

export class Interpreter implements CallContext {
  stdout = '';
  /** The value of the expression statement run last (a notebook cell's Out[]). */
  lastExprValue: PyValue = null;
  readonly warnings: string[] = [];
  private steps = 0;
  private depth = 0;
  /** Line currently executing, for errors raised outside any node (budget). */
  private currentSpan: A.Span | undefined;
  /** 1-based line of the statement executing now (where a diagnostic belongs). */
  get currentLine(): number | undefined {
    return this.currentSpan?.line;
  }
  readonly modules = new Map<string, PyModule>();
  /** The class whose body defines the running function (for zero-arg super()). */
  private classStack: (PyClass | null)[] = [];
  /** Told of calls and finished statements (call recording); none by default. */
  observer: ExecObserver | undefined;
  /** The call expression being evaluated now (a recorded call's "called from"). */
  private callSite: A.Span | undefined;
  /**
   * Editor previews: an error inside a module-level compound statement's body
   * is reported through this callback and the body goes on with its next
   * statement (a loop stops after that iteration). Unset: Python semantics.
   */
  continueInBlocks: ((exc: PyException, stmt: A.Stmt) => void) | undefined;
  /** Errors continued past so far (see execBody). */
  private continuedErrors = 0;
  /** Handlers of the module-level `try` statements running now, innermost last (they take their own errors). */
  private moduleTries: { handlers: readonly A.ExceptHandler[]; scope: Scope }[] = [];
  /** Runs generator bodies and the resumable forms of try/with. */
  readonly gen = new GeneratorExecutor(this);
  /** Exceptions whose `except` block is running, innermost last (bare `raise`). */
  readonly handling: PyException[] = [];
  /** Stand-in classes for bases from unmodelled packages. */
  readonly opaqueClasses = new OpaqueClasses(OBJECT_CLASS);
  /** `import x` statements inside a `try` whose handler catches ImportError: a missing package fails there as in Python. */
  private readonly guardedImports = new WeakSet<A.Stmt>();
  /** The frameworks' fused call rules (see FusedCallRule); none: every call is made as written. */
  fusedCalls: readonly FusedCallRule[] = [];
  /**
   * A package nobody loads: true binds a placeholder module whose names fail
   * where they are used (see importModule); false raises Python's
   * ModuleNotFoundError at the import, as on a machine without the package.
   */
  placeholderModules = true;
  /** Each call node's fusable shape, worked out once (null: not one). */
  private readonly fusedShapes = new WeakMap<A.Call, FusedShape | null>();

  constructor(
    readonly builtins: Map<string, PyValue>,
    readonly loadModule: ModuleLoader,
    readonly limits: Limits,
    /** Explains an attribute the real library has but Mask Lens lacks (NotImplementedError). */
    readonly unsupportedName: (owner: string, name: string) => string | undefined = () => undefined,
  ) {}

  // ---------------- CallContext ----------------

  print(text: string): void {
    this.stdout += text;
  }

  warn(message: string): void {
    this.warnings.push(message);
  }

  unobserved<T>(f: () => T, quiet = false): T {
    const observer = this.observer;
    const stdout = this.stdout;
    this.observer = undefined;
    try {
      return f();
    } finally {
      this.observer = observer;
      if (quiet) this.stdout = stdout;
    }
  }

  repr(v: PyValue): string {
    return reprValue(v, this);
  }

  str(v: PyValue): string {
    return strValue(v, this);
  }

  truthy(v: PyValue): boolean {
    return truthyValue(v, this);
  }

  // ---------------- statements ----------------

  tick(span: A.Span): void {
    this.currentSpan = span;
    if (this.limits.progress) this.limits.progress[0] = span.line;
    if (++this.steps > this.limits.maxSteps) {
      throw pyError(
        'TimeoutError',
        `Mask Lens stopped after ${this.limits.maxSteps} steps: is there an infinite loop?`,
        span,
      );
    }
    if ((this.steps & 1023) === 0 && performance.now() > this.limits.deadline) {
      throw pyError('TimeoutError', `Mask Lens stopped after ${this.steps} steps, past its time budget: is there an infinite loop?`, span);
    }
  }

  /** A new allowance: run until `deadline` (performance.now() time) and for `steps` more interpreter steps. */
  allow(deadline: number, steps: number): void {
    this.limits.deadline = deadline;
    this.limits.maxSteps = this.steps + steps;
  }

  execBlock(body: readonly A.Stmt[], scope: Scope): void {
    for (const s of body) this.exec(s, scope);
  }

  exec(s: A.Stmt, scope: Scope): void {
    this.tick(s.span);
    try {
      this.execInner(s, scope);
    } catch (e) {
      throw this.locate(e, s.span);
    }
    this.observer?.afterStatement(s, scope);
  }

  /** Whether bodies run in `scope` go on past errors (module level, editor previews). */
  continuesIn(scope: Scope): boolean {
    return this.continueInBlocks !== undefined && scope.kind === 'module';
  }

  /**
   * The body of a compound statement. At module level in editor previews
   * (`continueInBlocks`), a failing statement is reported and the body goes
   * on; returns whether one failed (nested bodies included). Errors an
   * enclosing `try` handles keep Python's path to their handler, and a spent
   * time budget ends the evaluation.
   */
  execBody(body: readonly A.Stmt[], scope: Scope): boolean {
    const report = this.continueInBlocks;
    if (!report || scope.kind !== 'module') {
      this.execBlock(body, scope);
      return false;
    }
    const before = this.continuedErrors;
    for (const s of body) {
      try {
        this.exec(s, scope);
      } catch (e) {
        const exc = this.asPyException(e);
        if (!exc) throw e;
        if (exc.pyType === 'TimeoutError' || this.handledByModuleTry(exc)) throw exc;
        if (!exc.span) exc.span = s.span;
        report(exc, s);
        this.continuedErrors++;
      }
    }
    // nested bodies count too: an error in an `if` inside a `for` ends that loop after its iteration
    return this.continuedErrors > before;
  }

  private handledByModuleTry(exc: PyException): boolean {
    return this.moduleTries.some(({ handlers, scope }) => {
      try {
        return this.matchHandler(handlers, exc, scope) !== null;
      } catch {
        return false;
      }
    });
  }

  private execInner(s: A.Stmt, scope: Scope): void {
    switch (s.kind) {
      case 'Expr':
        this.lastExprValue = this.eval(s.value, scope);
        return;
      case 'Assign': {
        const v = this.eval(s.value, scope);
        for (const t of s.targets) this.assign(t, v, scope);
        return;
      }
      case 'AugAssign':
        this.augAssign(s, scope);
        return;
      case 'AnnAssign':
        this.execAnnAssign(s, scope);
        return;
      case 'FunctionDef':
        this.execFunctionDef(s, scope);
        return;
      case 'ClassDef':
        this.defineClass(s, scope);
        return;
      case 'Return':
        throw new ReturnSignal(s.value ? this.eval(s.value, scope) : null);
      case 'If':
        if (this.truthy(this.eval(s.test, scope))) this.execBody(s.body, scope);
        else this.execBody(s.orelse, scope);
        return;
      case 'For':
        this.execFor(s, scope);
        return;
      case 'While': {
        let broke = false;
        while (this.truthy(this.eval(s.test, scope))) {
          try {
            // continuing past an error: the first failing iteration is the last
            if (this.execBody(s.body, scope)) {
              broke = true;
              break;
            }
          } catch (e) {
            if (e instanceof BreakSignal) {
              broke = true;
              break;
            }
            if (!(e instanceof ContinueSignal)) throw e;
          }
        }
        if (!broke) this.execBlock(s.orelse, scope);
        return;
      }
      case 'Break':
        throw new BreakSignal();
      case 'Continue':
        throw new ContinueSignal();
      case 'Pass':
        return;
      case 'Import':
        this.execImport(s, scope);
        return;
      case 'ImportFrom':
        this.execImportFrom(s, scope);
        return;
      case 'Try':
        this.execTry(s, scope);
        return;
      case 'Raise':
        this.execRaise(s, scope);
        return;
      case 'With':
        drive(this.gen.withItems(s, 0, scope));
        return;
      case 'Assert':
        if (!this.truthy(this.eval(s.test, scope))) {
          const msg = s.msg ? this.str(this.eval(s.msg, scope)) : '';
          throw pyError('AssertionError', msg);
        }
        return;
      case 'Delete':
        for (const t of s.targets) this.deleteTarget(t, scope);
        return;
      case 'Global':
        s.names.forEach((n) => scope.globalNames.add(n));
        return;
      case 'Nonlocal':
        s.names.forEach((n) => scope.nonlocalNames.add(n));
        return;
      case 'SyntaxError':
        throw pyError(s.errorType ?? 'SyntaxError', s.message, s.errorSpan ?? s.span);
    }
  }

  private execTry(s: A.Try, scope: Scope): void {
    this.guardImports(s);
    const atModule = this.continuesIn(scope);
    if (atModule) this.moduleTries.push({ handlers: s.handlers, scope });
    try {
      drive(this.gen.tryStmt(s, scope));
    } finally {
      if (atModule) this.moduleTries.pop();
    }
  }

  /** The `except` clause that catches `exc`, or null; handler types are evaluated only as far as needed. */
  matchHandler(handlers: readonly A.ExceptHandler[], exc: PyException, scope: Scope): A.ExceptHandler | null {
    for (const h of handlers) {
      if (!h.type) return h;
      const t = this.eval(h.type, scope);
      const classes = t instanceof PyTuple ? t.items : [t];
      for (const c of classes) {
        if (!(c instanceof PyClass) || !isExceptionClass(c)) {
          throw pyError('TypeError', 'catching classes that do not inherit from BaseException is not allowed');
        }
        if (exc.instance.cls.isSubclassOf(c)) return h;
      }
    }
    return null;
  }

  /**
   * Imports directly inside a `try` that catches ImportError (or anything
   * broader) keep Python's failure for a package Mask Lens does not model,
   * so the file's own fallback runs (`except ImportError: flash_attn = None`).
   */
  private guardImports(s: A.Try): void {
    const catches = s.handlers.some((h) => !h.type || IMPORT_CATCHERS.has(handlerNames(h.type)));
    if (!catches) return;
    const visit = (body: readonly A.Stmt[]) => {
      for (const st of body) {
        if (st.kind === 'Import' || st.kind === 'ImportFrom') this.guardedImports.add(st);
        else if (st.kind === 'If') (visit(st.body), visit(st.orelse));
        else if (st.kind === 'Try') visit(st.body);
      }
    };
    visit(s.body);
  }

  /** `with` needs __enter__ and __exit__ on the manager's type. */
  contextMethods(mgr: PyValue): { enter: PyValue; exit: PyValue } {
    const enter = this.getAttrOrUndefined(mgr, '__enter__');
    const exit = this.getAttrOrUndefined(mgr, '__exit__');
    if (enter === undefined || exit === undefined) {
      if (mgr instanceof PyOpaque) notModelled(mgr.fullName);
      throw pyError('TypeError', `'${typeNameOf(mgr)}' object does not support the context manager protocol`);
    }
    return { enter, exit };
  }

  private execRaise(s: A.Raise, scope: Scope): void {
    if (!s.exc) {
      const current = this.handling[this.handling.length - 1];
      if (current) throw current;
      throw pyError('RuntimeError', 'No active exception to reraise');
    }
    const exc = this.exceptionValue(this.eval(s.exc, scope), 'exceptions must derive from BaseException');
    if (s.cause) {
      const cause = this.eval(s.cause, scope);
      exc.native.cause = cause === null ? null : this.exceptionValue(cause, 'exception causes must derive from BaseException');
    }
    const current = this.handling[this.handling.length - 1];
    if (current && current.instance !== exc) exc.native.context = current.instance;
    throw new PyException(exc, s.span);
  }

  /** `raise X` and `raise X()`: a class is instantiated with no arguments. */
  private exceptionValue(v: PyValue, message: string): PyInstance {
    if (v instanceof PyClass && isExceptionClass(v)) v = this.call(v, []);
    if (!(v instanceof PyInstance) || !isExceptionClass(v.cls)) throw pyError('TypeError', message);
    return v;
  }

  private execFor(s: A.For, scope: Scope): void {
    const it = this.iter(this.eval(s.iter, scope));
    for (let r = it.next(); !r.done; r = it.next()) {
      this.assign(s.target, r.value, scope);
      try {
        // continuing past an error: the first failing iteration is the last
        if (this.execBody(s.body, scope)) return;
      } catch (e) {
        if (e instanceof BreakSignal) return;
        if (!(e instanceof ContinueSignal)) throw e;
      }
    }
    this.execBody(s.orelse, scope);
  }

  /** x op= v: in place when the left operand supports it; `value` is given when a generator already evaluated it. */
  augAssign(s: A.AugAssign, scope: Scope, value?: PyValue): void {
    const op = s.op;
    const rhs = () => (value !== undefined ? value : this.eval(s.value, scope));
    const t = s.target;
    if (t.kind === 'Name') {
      const cur = this.lookupName(t, scope);
      scope.assign(t.id, this.inplaceBinary(op, cur, rhs()));
    } else if (t.kind === 'Attribute') {
      const obj = this.eval(t.value, scope);
      const cur = this.getAttr(obj, t.attr);
      this.setAttr(obj, t.attr, this.inplaceBinary(op, cur, rhs()));
    } else if (t.kind === 'Subscript') {
      const obj = this.eval(t.value, scope);
      const key = this.eval(t.index, scope);
      const cur = this.getItem(obj, key);
      this.setItem(obj, key, this.inplaceBinary(op, cur, rhs()));
    } else {
      throw pyError('SyntaxError', "'tuple' is an illegal expression for augmented assignment");
    }
  }

  /** `x: T = v`; in a class body the annotation is recorded (as its source text, PEP 563) for dataclasses. */
  private execAnnAssign(s: A.AnnAssign, scope: Scope): void {
    if (scope.kind === 'class' && s.target.kind === 'Name') {
      const existing = scope.vars.get('__annotations__');
      const ann = existing instanceof PyDict ? existing : new PyDict();
      scope.vars.set('__annotations__', ann);
      ann.entries.set(hashKey(s.target.id, this), [s.target.id, annotationText(s.annotation)]);
    }
    if (s.value) this.assign(s.target, this.eval(s.value, scope), scope);
  }

  /**
   * `@d` applied to a function or class. A decorator from an unmodelled
   * package (timm's @register_notrace_function, transformers'
   * @add_start_docstrings(...)) cannot be run; such decorators mostly
   * register or document, so the definition is kept as written, with a
   * warning, instead of making every later use of the name fail.
   */
  private decorate(d: A.Expr, target: PyValue, name: string, scope: Scope): PyValue {
    const opaque = (v: PyValue) => v instanceof PyOpaque ? v.fullName : undefined;
    // a factory's callee is looked up first (names and attributes only, so nothing runs twice)
    const factory = d.kind === 'Call' && (d.func.kind === 'Name' || d.func.kind === 'Attribute') ? opaque(this.eval(d.func, scope)) : undefined;
    const dec = factory === undefined ? this.eval(d, scope) : null;
    const unmodelled = factory ?? opaque(dec);
    if (unmodelled === undefined) {
      // an error raised while applying it is on the decorator's line, as in Python's traceback
      try {
        return this.call(dec, [target]);
      } catch (e) {
        throw this.locate(e, d.span);
      }
    }
    this.warn(`@${unmodelled} is not modelled by Mask Lens: ${name} is used as written, undecorated`);
    return target;
  }

  private execFunctionDef(s: A.FunctionDef, scope: Scope): void {
    let fn: PyValue = this.makeFunction(s, scope, s.name);
    for (const d of [...s.decorators].reverse()) fn = this.decorate(d, fn, s.name, scope);
    scope.assign(s.name, fn);
  }

  private execImport(s: A.Import, scope: Scope): void {
    for (const a of s.names) {
      const mod = this.importChain(a.name, this.guardedImports.has(s));
      if (a.asname) scope.assign(a.asname, mod);
      else {
        const top = a.name.split('.')[0];
        scope.assign(top, this.importModule(top, this.guardedImports.has(s)));
      }
    }
  }

  /**
   * `import a.b.c` imports a, then a.b, then a.b.c (each becomes an
   * attribute of its parent); a guarded import fails at the first missing
   * package, as Python's does (ModuleNotFoundError.name is 'a').
   */
  private importChain(name: string, guarded: boolean): PyModule {
    const parts = name.split('.');
    for (let i = 1; i < parts.length; i++) {
      const prefix = parts.slice(0, i).join('.');
      if (!this.tryImport(prefix) && (guarded || !this.placeholderModules) && !this.unsupportedName('import', prefix)) this.importModule(prefix, true);
    }
    return this.importModule(name, guarded);
  }

  private execImportFrom(s: A.ImportFrom, scope: Scope): void {
    const mod = this.importChain(s.module, this.guardedImports.has(s));
    for (const a of s.names) {
      if (a.name === '*') {
        for (const [k, v] of mod.dict) if (!k.startsWith('_')) scope.assign(k, v);
        continue;
      }
      let v = mod.dict.get(a.name);
      if (v === undefined) {
        const sub = this.tryImport(`${s.module}.${a.name}`);
        if (sub) v = sub;
      }
      if (v === undefined && mod instanceof OpaqueModule) v = mod.getAttr(a.name);
      if (v === undefined) {
        throw pyError('ImportError', `cannot import name '${a.name}' from '${s.module}'`);
      }
      scope.assign(a.asname ?? a.name, v);
    }
  }

  /** Engine and JS failures become Python exceptions; control-flow signals stay as they are (null). */
  asPyException(e: unknown): PyException | null {
    if (e instanceof BreakSignal || e instanceof ContinueSignal || e instanceof ReturnSignal) return null;
    return toPyException(e);
  }

  /** Give an error the span of the innermost node it escaped. */
  locate(e: unknown, span: A.Span): unknown {
    if (isSignal(e)) return e;
    const exc = this.asPyException(e);
    if (exc) {
      if (!exc.span) exc.span = span;
      return exc;
    }
    return e;
  }

  private makeFunction(def: A.FunctionDef | A.Lambda, scope: Scope, name: string): PyFunction {
    const defaults = new Map<string, PyValue>();
    const p = def.params;
    for (const param of [...p.posonly, ...p.args, ...p.kwonly]) {
      if (param.default) defaults.set(param.name, this.eval(param.default, scope));
    }
    const cls = this.classStack[this.classStack.length - 1] ?? null;
    const fn = new PyFunction(name, def, scope, defaults, cls && scope.kind === 'class' ? `${cls.qualname}.${name}` : name);
    fn.definingClass = cls;
    return fn;
  }

  private defineClass(s: A.ClassDef, scope: Scope): void {
    const bases = this.evalElements(s.bases, scope);
    const baseClasses = bases.map((b) => {
      if (b instanceof PyOpaque) return this.opaqueClasses.classFor(b);
      if (!(b instanceof PyClass)) throw pyError('TypeError', `bases must be types`);
      return b;
    });
    // class keywords (metaclass=ABCMeta, total=False) are evaluated; metaclasses are not modelled
    for (const k of s.keywords) this.eval(k.value, scope);
    const outer = this.classStack[this.classStack.length - 1];
    const cls = new PyClass(s.name, baseClasses, outer && scope.kind === 'class' ? `${outer.qualname}.${s.name}` : s.name);
    cls.module = '__main__';
    const body = new Scope(scope, 'class');
    this.classStack.push(cls);
    try {
      this.execBlock(s.body, body);
    } finally {
      this.classStack.pop();
    }
    for (const [k, v] of body.vars) cls.dict.set(k, v);
    this.initSubclass(cls);
    let out: PyValue = cls;
    for (const d of [...s.decorators].reverse()) out = this.decorate(d, out, s.name, scope);
    scope.assign(s.name, out);
  }

  /** PEP 487: a base's __init_subclass__ runs for each new subclass (enum-like registries use it). */
  private initSubclass(cls: PyClass): void {
    for (const base of cls.mro().slice(1)) {
      const hook = base.dict.get('__init_subclass__');
      if (hook === undefined) continue;
      const fn = hook instanceof PyInstance && hook.cls === CLASSMETHOD ? wrapped(hook) : hook;
      this.call(fn, [cls]);
      return;
    }
  }

  // ---------------- assignment ----------------

  assign(t: A.Target, v: PyValue, scope: Scope): void {
    switch (t.kind) {
      case 'Name':
        scope.assign(t.id, v);
        return;
      case 'Attribute':
        this.setAttr(this.eval(t.value, scope), t.attr, v);
        return;
      case 'Subscript':
        this.setItem(this.eval(t.value, scope), this.eval(t.index, scope), v);
        return;
      case 'Tuple':
      case 'List': {
        const items = this.iterate(v);
        const star = t.elts.findIndex((e) => e.kind === 'Starred');
        if (star < 0) {
          if (items.length !== t.elts.length) {
            if (items.length > t.elts.length) throw pyError('ValueError', `too many values to unpack (expected ${t.elts.length})`);
            throw pyError('ValueError', `not enough values to unpack (expected ${t.elts.length}, got ${items.length})`);
          }
          t.elts.forEach((e, i) => this.assign(e, items[i], scope));
          return;
        }
        const after = t.elts.length - star - 1;
        if (items.length < t.elts.length - 1) {
          throw pyError('ValueError', `not enough values to unpack (expected at least ${t.elts.length - 1}, got ${items.length})`);
        }
        t.elts.slice(0, star).forEach((e, i) => this.assign(e, items[i], scope));
        this.assign((t.elts[star] as A.Starred).value, new PyList(items.slice(star, items.length - after)), scope);
        t.elts.slice(star + 1).forEach((e, i) => this.assign(e, items[items.length - after + i], scope));
        return;
      }
      case 'Starred':
        throw pyError('SyntaxError', 'starred assignment target must be in a list or tuple');
      default:
        throw pyError('SyntaxError', 'cannot assign to expression');
    }
  }

  private deleteTarget(t: A.Target, scope: Scope): void {
    if (t.kind === 'Name') {
      const target = scope.target(t.id);
      if (!target.vars.delete(t.id)) throw pyError('NameError', `name '${t.id}' is not defined`);
    } else if (t.kind === 'Subscript') {
      const obj = this.eval(t.value, scope);
      const key = this.eval(t.index, scope);
      if (obj instanceof PyList) {
        const i = this.listIndex(obj, key);
        obj.items.splice(i, 1);
      } else if (obj instanceof PyDict) {
        if (!obj.entries.delete(hashKey(key, this))) throw keyError(key, this);
      } else throw pyError('TypeError', `'${typeNameOf(obj)}' object doesn't support item deletion`);
    } else if (t.kind === 'Attribute') {
      const obj = this.eval(t.value, scope);
      if (obj instanceof PyInstance) obj.dict.delete(t.attr);
    } else if (t.kind === 'Tuple' || t.kind === 'List') {
      t.elts.forEach((e) => this.deleteTarget(e, scope));
    }
  }

  // ---------------- expressions ----------------

  eval(e: A.Expr, scope: Scope): PyValue {
    try {
      return this.evalInner(e, scope);
    } catch (err) {
      throw this.locate(err, e.span);
    }
  }

  private lookupName(e: A.Name, scope: Scope): PyValue {
    const v = scope.lookup(e.id);
    if (v !== undefined) return v;
    const b = this.builtins.get(e.id);
    if (b !== undefined) return b;
    throw pyError('NameError', `name '${e.id}' is not defined`);
  }

  private evalInner(e: A.Expr, scope: Scope): PyValue {
    switch (e.kind) {
      case 'Name':
        return this.lookupName(e, scope);
      case 'Constant': {
        const c = e.value;
        switch (c.type) {
          case 'int': return c.value;
          case 'float': return c.value;
          case 'str': return c.value;
          case 'bytes': return PyBytes.fromLatin1(c.value);
          case 'bool': return c.value;
          case 'None': return null;
          case 'Ellipsis': return PyEllipsis.instance;
          case 'complex': throw pyError('NotImplementedError', 'Mask Lens does not support complex numbers');
        }
        return null;
      }
      case 'FString':
        return this.evalFString(e, scope);
      case 'BinOp': {
        const l = this.eval(e.left, scope);
        const r = this.eval(e.right, scope);
        return this.binary(e.op, l, r);
      }
      case 'UnaryOp': {
        const v = this.eval(e.operand, scope);
        return this.unary(e.op, v);
      }
      case 'BoolOp': {
        let v: PyValue = null;
        for (const x of e.values) {
          v = this.eval(x, scope);
          if (e.op === 'and' ? !this.truthy(v) : this.truthy(v)) return v;
        }
        return v;
      }
      case 'Compare': {
        let left = this.eval(e.left, scope);
        let result: PyValue = true;
        for (let i = 0; i < e.ops.length; i++) {
          const right = this.eval(e.comparators[i], scope);
          result = this.compare(e.ops[i], left, right);
          if (e.ops.length > 1 && !this.truthy(result)) return result;
          left = right;
        }
        return result;
      }
      case 'Call':
        return this.evalCall(e, scope);
      case 'Attribute':
        return this.getAttr(this.eval(e.value, scope), e.attr);
      case 'Subscript':
        return this.getItem(this.eval(e.value, scope), this.eval(e.index, scope));
      case 'Slice':
        return new PySlice(
          e.lower ? this.eval(e.lower, scope) : null,
          e.upper ? this.eval(e.upper, scope) : null,
          e.step ? this.eval(e.step, scope) : null,
        );
      case 'List':
        return new PyList(this.evalElements(e.elts, scope));
      case 'Tuple':
        return new PyTuple(this.evalElements(e.elts, scope));
      case 'Set': {
        const items = this.evalElements(e.elts, scope);
        // CPython compiles a literal of more than two constants as a frozenset
        // constant (compile.c starunpack_helper), rebuilt from its own order
        // when constants are merged (merge_consts_recursive), then merged into
        // a new set: each step can change the table order
        if (e.elts.length > 2 && e.elts.every(isFoldedConstant)) {
          return setFrom(makeSet(makeSet(items, this, true).entries.values(), this, true), this);
        }
        return makeSet(items, this);
      }
      case 'Dict': {
        const d = new PyDict();
        e.keys.forEach((k, i) => {
          if (k === null) {
            const other = this.eval(e.values[i], scope);
            if (other instanceof PyDict) for (const [h, kv] of other.entries) d.entries.set(h, kv);
            return;
          }
          const key = this.eval(k, scope);
          d.entries.set(hashKey(key, this), [key, this.eval(e.values[i], scope)]);
        });
        return d;
      }
      case 'ListComp': {
        const out: PyValue[] = [];
        this.comprehend(e.generators, 0, new Scope(scope), (s) => out.push(this.eval(e.elt, s)));
        if (e.set) {
          const set = new PySet();
          for (const v of out) set.entries.set(hashKey(v, this), v);
          return set;
        }
        return new PyList(out);
      }
      case 'GeneratorExp':
        return this.evalGeneratorExp(e, scope);
      case 'DictComp': {
        const d = new PyDict();
        this.comprehend(e.generators, 0, new Scope(scope), (s) => {
          const k = this.eval(e.key, s);
          d.entries.set(hashKey(k, this), [k, this.eval(e.value, s)]);
        });
        return d;
      }
      case 'IfExp':
        return this.truthy(this.eval(e.test, scope)) ? this.eval(e.body, scope) : this.eval(e.orelse, scope);
      case 'Lambda':
        return this.makeFunction(e, scope, '<lambda>');
      case 'Starred':
        throw pyError('SyntaxError', "can't use starred expression here");
      case 'NamedExpr': {
        const v = this.eval(e.value, scope);
        // PEP 572: in a comprehension the target binds in the enclosing function
        let target = scope;
        while (target.comprehension && target.enclosing) target = target.enclosing;
        target.assign(e.target.id, v);
        return v;
      }
      case 'Yield':
      case 'YieldFrom':
        // a generator body pauses in GeneratorExecutor; reaching here means a lambda or comprehension
        throw pyError('NotImplementedError', "Mask Lens runs 'yield' in a def's body, not in a lambda or comprehension");
    }
  }

  /**
   * (elt for x in it if c): lazy, as in Python. The first iterable is
   * evaluated now (so its errors point here); the rest run as the consumer
   * pulls values.
   */
  private evalGeneratorExp(e: A.GeneratorExp, scope: Scope): PyGenerator {
    const inner = new Scope(scope);
    inner.comprehension = true;
    const first = this.iter(this.eval(e.generators[0].iter, scope));
    const self = this;
    function* walk(i: number, source: Iterator<PyValue>): Resumable<void> {
      const g = e.generators[i];
      for (let r = source.next(); !r.done; r = source.next()) {
        self.tick(g.span);
        self.assign(g.target, r.value, inner);
        if (!g.ifs.every((c) => self.truthy(self.eval(c, inner)))) continue;
        if (i + 1 === e.generators.length) yield self.eval(e.elt, inner);
        else yield* walk(i + 1, self.iter(self.eval(e.generators[i + 1].iter, inner)));
      }
    }
    function* run(): Resumable<PyValue> {
      yield* walk(0, first);
      return null;
    }
    return new PyGenerator(run(), '<genexpr>');
  }

  private evalElements(elts: readonly A.Expr[], scope: Scope): PyValue[] {
    const out: PyValue[] = [];
    for (const x of elts) {
      if (x.kind === 'Starred') for (const item of this.iterate(this.eval(x.value, scope))) out.push(item);
      else out.push(this.eval(x, scope));
    }
    return out;
  }

  private comprehend(gens: readonly A.Comprehension[], i: number, scope: Scope, emit: (s: Scope) => void): void {
    if (i === gens.length) {
      emit(scope);
      return;
    }
    const g = gens[i];
    const iterScope = i === 0 ? scope.enclosing! : scope;
    scope.comprehension = true;
    const it = this.iter(this.eval(g.iter, iterScope));
    for (let r = it.next(); !r.done; r = it.next()) {
      const item = r.value;
      this.tick(g.span);
      this.assign(g.target, item, scope);
      if (g.ifs.every((c) => this.truthy(this.eval(c, scope)))) this.comprehend(gens, i + 1, scope, emit);
    }
  }

  private evalFString(e: A.FString, scope: Scope): string {
    let out = '';
    for (const p of e.parts) {
      if (typeof p === 'string') {
        out += p;
        continue;
      }
      const v = this.eval(p.expr, scope);
      const spec = p.formatSpec ? this.evalFString(p.formatSpec, scope) : '';
      let text: string;
      if (p.conversion === 'r' || (p.debugText && !p.conversion && !spec)) text = this.repr(v);
      else if (p.conversion === 's') text = this.str(v);
      else text = formatValue(v, spec, this);
      if (p.conversion && spec) text = formatValue(text, spec, this);
      out += (p.debugText ?? '') + text;
    }
    return out;
  }

  /**
   * Whether `e` is `f(recv.inner(...), plain...)` or
   * `recv.inner(...).outer(plain...)` for an `inner` some rule names, with
   * no starred arguments, and every outer argument but the temporary plain
   * (isPlainArg).
   */
  private fusedShape(e: A.Call): FusedShape | null {
    let shape = this.fusedShapes.get(e);
    if (shape !== undefined) return shape;
    shape = null;
    const innerCall = (c: A.Expr): c is A.Call & { func: A.Attribute } =>
      c.kind === 'Call' && c.func.kind === 'Attribute' && this.fusedCalls.some((r) => r.inner === (c.func as A.Attribute).attr) &&
      c.args.every((a) => a.kind !== 'Starred') && c.keywords.every((k) => k.name !== null);
    const plain = (args: readonly A.Expr[]) => args.every((a) => a.kind !== 'Starred' && isPlainArg(a)) && e.keywords.every((k) => k.name !== null && isPlainArg(k.value));
    if (e.func.kind === 'Attribute' && innerCall(e.func.value) && plain(e.args)) shape = { inner: e.func.value, functionForm: false };
    else if (e.args.length && innerCall(e.args[0]) && plain(e.args.slice(1))) shape = { inner: e.args[0], functionForm: true };
    this.fusedShapes.set(e, shape);
    return shape;
  }

  /**
   * A fusable call (fusedShape): evaluated in Python's order (the outer
   * callee, the inner receiver, method and arguments), then, where a rule
   * accepts the receiver, the plain outer arguments and the rule's fused
   * result. Otherwise, or when the rule declines, the inner call is made
   * and the outer one after it, as written.
   */
  private evalFusable(e: A.Call, shape: FusedShape, scope: Scope): PyValue {
    const fn = shape.functionForm ? this.eval(e.func, scope) : undefined;
    const inner = shape.inner;
    const receiver = this.eval(inner.func.value, scope);
    const method = this.locateIn(inner.func, () => this.getAttr(receiver, inner.func.attr));
    const innerArgs = inner.args.map((a) => this.eval(a, scope));
    const innerKwargs: Kwargs = new Map(inner.keywords.map((k) => [k.name!, this.eval(k.value, scope)]));
    const innerCall = () => this.locateIn(inner, () => this.callAt(inner, method, innerArgs, innerKwargs));
    const outerArgs = shape.functionForm ? e.args.slice(1) : e.args;
    const rules = this.fusedCalls.filter((r) => r.inner === inner.func.attr && r.accepts(receiver));
    // a dotted argument must start at a module: an instance's attribute could be a property (Python code)
    const plainRoots = [...outerArgs, ...e.keywords.map((k) => k.value)].every((a) => {
      const root = a.kind === 'Attribute' ? rootName(a) : undefined;
      return !root || scope.lookup(root.id) instanceof PyModule || this.builtins.get(root.id) instanceof PyModule;
    });
    let early: { args: PyValue[]; kwargs: Kwargs } | undefined;
    if (rules.length && plainRoots) {
      try {
        early = { args: outerArgs.map((a) => this.eval(a, scope)), kwargs: new Map(e.keywords.map((k) => [k.name!, this.eval(k.value, scope)])) };
      } catch {
        // a name or module attribute that raises: Python raises it after the inner call (which may raise first), so make that call
      }
    }
    if (early) {
      const call: FusedCall = { outer: fn !== undefined ? { fn } : { method: (e.func as A.Attribute).attr }, ...early, receiver, inner: inner.func.attr, innerArgs, innerKwargs };
      for (const rule of rules) {
        const r = rule.fuse(call, this);
        if (r !== undefined) return r;
      }
      const temp = innerCall();
      if (fn !== undefined) return this.callAt(e, fn, [temp, ...early.args], early.kwargs);
      return this.callAt(e, this.locateIn(e.func, () => this.getAttr(temp, (e.func as A.Attribute).attr)), early.args, early.kwargs);
    }
    const temp = innerCall();
    const outer = fn ?? this.locateIn(e.func, () => this.getAttr(temp, (e.func as A.Attribute).attr));
    const args = shape.functionForm ? [temp] : [];
    for (const a of outerArgs) args.push(this.eval(a, scope));
    const kwargs: Kwargs = new Map(e.keywords.map((k) => [k.name!, this.eval(k.value, scope)]));
    return this.callAt(e, outer, args, kwargs);
  }

  /** `fn()` with `node`'s span as the error location (what eval() gives a node it evaluates). */
  private locateIn<T>(node: A.Expr, fn: () => T): T {
    try {
      return fn();
    } catch (err) {
      throw this.locate(err, node.span);
    }
  }

  /** Call `fn` as call expression `e` (the call site a recorded call reports). */
  private callAt(e: A.Call, fn: PyValue, args: PyValue[], kwargs: Kwargs): PyValue {
    const outer = this.callSite;
    this.callSite = e.span;
    try {
      return this.call(fn, args, kwargs);
    } finally {
      this.callSite = outer;
    }
  }

  private evalCall(e: A.Call, scope: Scope): PyValue {
    if (this.fusedCalls.length) {
      const shape = this.fusedShape(e);
      if (shape) return this.evalFusable(e, shape, scope);
    }
    const fn = this.eval(e.func, scope);
    const args: PyValue[] = [];
    for (const a of e.args) {
      if (a.kind === 'Starred') {
        if (a.double) {
          continue;
        }
        for (const item of this.iterate(this.eval(a.value, scope))) args.push(item);
      } else args.push(this.eval(a, scope));
    }
    const kwargs: Kwargs = new Map();
    for (const k of e.keywords) {
      const v = this.eval(k.value, scope);
      if (k.name === null) {
        const store = dictStoreOf(v);
        if (!store) throw pyError('TypeError', `argument after ** must be a mapping, not ${typeNameOf(v)}`);
        for (const [key, val] of store.entries.values()) kwargs.set(String(key), val);
      } else kwargs.set(k.name, v);
    }
    // zero-argument super() inside a method
    if (fn === this.builtins.get('super') && args.length === 0) {
      const frame = this.superFrame(scope);
      if (frame) return new PySuper(frame.cls, frame.self);
      throw pyError('RuntimeError', 'super(): no arguments');
    }
    return this.callAt(e, fn, args, kwargs);
  }

  private superFrame(scope: Scope): { cls: PyClass; self: PyValue } | null {
    let s: Scope | null = scope;
    while (s && s.kind !== 'module') {
      const marker = s.vars.get('__class__');
      if (marker instanceof PyClass) {
        const self = s.vars.get('__self__');
        return { cls: marker, self: self ?? null };
      }
      s = s.enclosing;
    }
    return null;
  }

  // ---------------- calls ----------------

  call(fn: PyValue, args: PyValue[], kwargs: Kwargs = new Map()): PyValue {
    if (fn instanceof PyBuiltin) return fn.fn(args, kwargs, this);
    if (fn instanceof PyFunction) return this.callFunction(fn, args, kwargs);
    if (fn instanceof PyBoundMethod) return this.call(fn.fn, [fn.self, ...args], kwargs);
    if (fn instanceof PyClass) return this.instantiate(fn, args, kwargs);
    if (fn instanceof PyInstance) {
      const c = fn.cls.lookup('__call__');
      if (c !== undefined) return this.call(c, [fn, ...args], kwargs);
      const opaque = opaqueBase(fn.cls);
      if (opaque) notModelled(`${opaque.opaque}.__call__`);
    }
    if (fn instanceof PyObj) {
      const r = fn.call(args, kwargs, this);
      if (r !== undefined) return r;
    }
    throw pyError('TypeError', `'${typeNameOf(fn)}' object is not callable`);
  }

  private instantiate(cls: PyClass, args: PyValue[], kwargs: Kwargs): PyValue {
    const factory = cls.lookup('__new__');
    let inst: PyInstance;
    // a subclass of dict is an instance holding its own items; its __init__ (or dict's) runs below
    const dictClass = TYPE_CLASSES.get('dict')!;
    if (!NATIVE_DICT_CLASSES.has(cls) && cls.isSubclassOf(dictClass) && factory === dictClass.dict.get('__new__')) inst = newDictSubclassInstance(cls);
    // native constructors (int, torch.Tensor, Enum lookups) return the finished value; object.__new__ is the default below
    else if (factory instanceof PyBuiltin && factory !== OBJECT_CLASS.dict.get('__new__')) return factory.fn([cls, ...args], kwargs, this);
    else if (factory instanceof PyFunction || factory instanceof PyInstance) {
      // a user __new__ is a static method; __init__ runs only on an instance of cls
      const made = this.call(factory instanceof PyInstance ? wrapped(factory) : factory, [cls, ...args], kwargs);
      if (!(made instanceof PyInstance) || !made.cls.isSubclassOf(cls)) return made;
      inst = made;
    } else inst = new PyInstance(cls);
    if (isExceptionClass(cls)) {
      inst.native.args = args;
      inst.native.message = args.length === 1 ? this.str(args[0]) : args.length === 0 ? '' : this.repr(new PyTuple(args));
    }
    const init = cls.lookup('__init__');
    if (init !== undefined) {
      const r = this.call(init, [inst, ...args], kwargs);
      if (r !== null) throw pyError('TypeError', `__init__() should return None, not '${typeNameOf(r)}'`);
    } else if ((args.length || kwargs.size) && !isExceptionClass(cls)) {
      throw pyError('TypeError', `${cls.name}() takes no arguments`);
    }
    return inst;
  }

  private callFunction(fn: PyFunction, args: PyValue[], kwargs: Kwargs): PyValue {
    // this frame never started: undo its count (frames that did start undo theirs in `finally`)
    if (++this.depth > this.limits.maxDepth) {
      this.depth--;
      throw pyError('RecursionError', 'maximum recursion depth exceeded');
    }
    // the caller's statement is the current line again once the call returns (diagnostic lines)
    const callerSpan = this.currentSpan;
    // a call expression is where its call came from; a call the interpreter makes itself
    // (a property getter, an operator's dunder) comes from the statement running now,
    // not from whichever call expression started the enclosing frame
    const callerSite = this.callSite;
    const site = callerSite ?? callerSpan;
    this.callSite = undefined;
    try {
      const scope = new Scope(fn.closure);
      this.bindParams(fn, args, kwargs, scope);
      const cls = fn.definingClass;
      if (cls) {
        scope.vars.set('__class__', cls);
        const p = fn.def.params;
        const first = p.posonly[0] ?? p.args[0];
        if (first) scope.vars.set('__self__', scope.vars.get(first.name) ?? null);
      }
      if (fn.def.kind === 'Lambda') return this.eval(fn.def.body, scope);
      if (isGeneratorFunction(fn.def)) return this.gen.start(fn.name, fn.def.body, scope);
      const token = this.observer?.enterCall(fn, scope, site);
      let returned: PyValue = null;
      try {
        this.execBlock(fn.def.body, scope);
      } catch (e) {
        if (e instanceof ReturnSignal) returned = e.value;
        else {
          this.observer?.exitCall(token, scope, undefined, e);
          throw e;
        }
      }
      this.observer?.exitCall(token, scope, returned, undefined);
      return returned;
    } finally {
      this.depth--;
      this.currentSpan = callerSpan;
      this.callSite = callerSite;
    }
  }

  private bindParams(fn: PyFunction, args: PyValue[], kwargs: Kwargs, scope: Scope): void {
    const p = fn.def.params;
    const positional = [...p.posonly, ...p.args];
    const name = fn.qualname;
    const bound = new Set<string>();
    positional.forEach((param, i) => {
      if (i < args.length) {
        scope.vars.set(param.name, args[i]);
        bound.add(param.name);
      }
    });
    if (args.length > positional.length && !p.vararg) {
      throw pyError('TypeError', tooManyPositional(name, positional.length - positional.filter((q) => fn.defaults.has(q.name)).length, positional.length, args.length));
    }
    if (p.vararg) scope.vars.set(p.vararg.name, new PyTuple(args.slice(positional.length)));
    const extra = new PyDict();
    for (const [k, v] of kwargs) {
      const param = [...p.args, ...p.kwonly].find((q) => q.name === k);
      if (param) {
        if (bound.has(k)) throw pyError('TypeError', `${name}() got multiple values for argument '${k}'`);
        scope.vars.set(k, v);
        bound.add(k);
      } else if (p.kwarg) {
        extra.entries.set(hashKey(k, this), [k, v]);
      } else {
        throw pyError('TypeError', `${name}() got an unexpected keyword argument '${k}'`);
      }
    }
    if (p.kwarg) scope.vars.set(p.kwarg.name, extra);
    const missing: string[] = [];
    for (const param of positional) {
      if (bound.has(param.name)) continue;
      if (fn.defaults.has(param.name)) scope.vars.set(param.name, fn.defaults.get(param.name)!);
      else missing.push(param.name);
    }
    if (missing.length) {
      const names = missing.map((m) => `'${m}'`);
      const list = names.length === 1 ? names[0] : names.length === 2 ? `${names[0]} and ${names[1]}` : `${names.slice(0, -1).join(', ')}, and ${names[names.length - 1]}`;
      throw pyError('TypeError', `${name}() missing ${missing.length} required positional argument${missing.length === 1 ? '' : 's'}: ${list}`);
    }
    const missingKw: string[] = [];
    for (const param of p.kwonly) {
      if (bound.has(param.name)) continue;
      if (fn.defaults.has(param.name)) scope.vars.set(param.name, fn.defaults.get(param.name)!);
      else missingKw.push(param.name);
    }
    if (missingKw.length) {
      throw pyError('TypeError', `${name}() missing ${missingKw.length} required keyword-only argument${missingKw.length === 1 ? '' : 's'}: ${missingKw.map((m) => `'${m}'`).join(' and ')}`);
    }
  }

  // ---------------- attributes ----------------

  getAttrOrUndefined(obj: PyValue, name: string): PyValue | undefined {
    if (obj instanceof PyInstance) return this.instanceAttr(obj, name);
    if (obj instanceof PyClass) {
      switch (name) {
        case '__name__': return obj.name;
        case '__qualname__': return obj.qualname;
        case '__mro__': return new PyTuple(obj.mro());
        case '__bases__': return new PyTuple(obj.bases);
        case '__module__': return obj.dict.get('__module__') ?? '__main__';
        case '__doc__': return obj.dict.get('__doc__') ?? null;
        case '__class__': return typeOf(obj);
      }
      const v = obj.lookup(name);
      return v === undefined ? undefined : this.bindAttribute(v, null, obj, name);
    }
    if (obj instanceof PySuper) {
      // super() in a classmethod has the class itself as its second argument
      const start = obj.self instanceof PyInstance ? obj.self.cls : obj.self instanceof PyClass ? obj.self : obj.cls;
      const mro = start.mro();
      for (const c of mro.slice(mro.indexOf(obj.cls) + 1)) {
        if (c.dict.has(name)) return this.bindAttribute(c.dict.get(name)!, obj.self instanceof PyClass ? null : obj.self, start, name);
      }
      if (name === '__init__') return new PyBuiltin('__init__', () => null);
      if (name === '__class__') return typeOf(obj);
      // a class statement without bases still derives from object (super().__setattr__, super().__getattribute__)
      const fromObject = OBJECT_CLASS.dict.get(name);
      if (fromObject !== undefined && name !== '__new__') return this.bindAttribute(fromObject, obj.self instanceof PyClass ? null : obj.self, start, name);
      return undefined;
    }
    if (obj instanceof PyFunction) {
      if (obj.dict.has(name)) return obj.dict.get(name);
      switch (name) {
        case '__name__': return obj.name;
        case '__qualname__': return obj.qualname;
        case '__module__': return '__main__';
        case '__doc__': return docstring(obj.def);
        case '__dict__': return new PyDict(undefined, new AttributeEntries(obj.dict));
        case '__defaults__': return obj.defaults.size ? new PyTuple([...obj.defaults.values()]) : null;
      }
    }
    if (obj instanceof PyBuiltin && (name === '__name__' || name === '__qualname__')) return name === '__name__' ? obj.name : obj.qualname;
    // Native values keep their methods in JS objects: a JS-only name must not reach them.
    if (JS_OBJECT_NAMES.has(name)) return undefined;
    if (obj instanceof PyObj) {
      const v = obj.getAttr(name, this);
      if (v !== undefined) return v;
    }
    if (name === '__class__') return typeOf(obj);
    const b = builtinAttr(obj, name, this);
    if (b !== undefined || !(obj instanceof PyNamedTuple && obj.cls)) return b;
    // a typing.NamedTuple class statement's own methods and properties (not tuple's or object's)
    for (const c of obj.cls.mro()) {
      if (c.module !== '__main__' || !c.dict.has(name)) continue;
      return this.bindAttribute(c.dict.get(name)!, obj, obj.cls, name);
    }
    return undefined;
  }

  private instanceAttr(obj: PyInstance, name: string): PyValue | undefined {
    const getattr = obj.cls.lookup('__getattr__');
    // a class's own __getattribute__ sees every lookup (Hugging Face configs map names through
    // attribute_map); an AttributeError from it falls back to __getattr__, as slot_tp_getattr_hook does
    const hook = obj.cls.lookup('__getattribute__');
    if (hook instanceof PyFunction) {
      try {
        return this.call(hook, [obj, name]);
      } catch (e) {
        if (getattr === undefined || (e as { pyType?: string }).pyType !== 'AttributeError') throw e;
        return this.call(getattr, [obj, name]);
      }
    }
    const v = this.genericInstanceAttr(obj, name);
    if (v !== undefined || getattr === undefined) return v;
    return this.call(getattr, [obj, name]);
  }

  /** object.__getattribute__: the instance dict, the type and its descriptors, never __getattr__. */
  genericGetAttr(obj: PyValue, name: string): PyValue {
    const v = obj instanceof PyInstance ? this.genericInstanceAttr(obj, name) : this.getAttrOrUndefined(obj, name);
    if (v === undefined) throw pyError('AttributeError', `'${typeNameOf(obj)}' object has no attribute '${name}'`);
    return v;
  }

  private genericInstanceAttr(obj: PyInstance, name: string): PyValue | undefined {
    const onType = obj.cls.lookup(name);
    // a property on the type wins over the instance dict (a data descriptor)
    if (isDescriptor(onType, PROPERTY)) return this.bindAttribute(onType, obj, obj.cls, name);
    if (obj.dict.has(name)) return obj.dict.get(name);
    if (onType !== undefined) return this.bindAttribute(onType, obj, obj.cls, name);
    switch (name) {
      case '__class__': return obj.cls;
      case '__dict__': return obj.dict instanceof ItemAttributes ? obj.dict.owner : new PyDict(undefined, new AttributeEntries(obj.dict));
    }
    if (obj.cls === PROPERTY) return propertyAttr(obj, name);
    if ((obj.cls === STATICMETHOD || obj.cls === CLASSMETHOD) && name === '__func__') return wrapped(obj);
    if (isExceptionClass(obj.cls)) {
      if (name === 'args') return new PyTuple((obj.native.args as PyValue[] | undefined) ?? []);
      if (name === 'value' && obj.cls.isSubclassOf(EXCEPTION_CLASSES.get('StopIteration')!)) return ((obj.native.args as PyValue[] | undefined) ?? [])[0] ?? null;
      if (name === '__cause__' || name === '__context__') return (obj.native[name.slice(2, -2)] ?? null) as PyValue;
      if (name === '__traceback__') return null;
      if ((name === 'name' || name === 'path') && obj.cls.isSubclassOf(EXCEPTION_CLASSES.get('ImportError')!)) return (obj.native[name] ?? null) as PyValue;
    }
    return undefined;
  }

  /**
   * Python's descriptor binding of a value found on a class (`instance`
   * null for access on the class itself): functions become bound methods,
   * classmethods bind the class, staticmethods unwrap, properties run fget.
   */
  private bindAttribute(v: PyValue, instance: PyValue | null, owner: PyClass, name: string): PyValue {
    if (v instanceof PyInstance) {
      if (v.cls === STATICMETHOD || v.cls.name === 'staticmethod') return v.native.fn as PyValue;
      if (v.cls === CLASSMETHOD) return new PyBoundMethod(owner, wrapped(v));
      if (v.cls === PROPERTY) {
        if (instance === null) return v;
        const fget = v.native.fget as PyValue;
        if (!fget) throw pyError('AttributeError', `property '${name}' of '${owner.name}' object has no getter`);
        return this.call(fget, [instance]);
      }
    }
    if (instance !== null && (v instanceof PyFunction || v instanceof PyBuiltin)) return new PyBoundMethod(instance, v);
    return v;
  }

  getAttr(obj: PyValue, name: string): PyValue {
    const v = this.getAttrOrUndefined(obj, name);
    if (v !== undefined) return v;
    const gap = this.unsupportedName(obj instanceof PyModule ? obj.name : typeNameOf(obj), name);
    if (gap) throw pyError('NotImplementedError', gap);
    const cls = obj instanceof PyInstance ? obj.cls : obj instanceof PyClass ? obj : obj instanceof PySuper ? obj.cls : null;
    const opaque = cls && opaqueBase(cls);
    if (opaque) notModelled(`${opaque.opaque}.${name}`);
    if (obj instanceof PyModule) throw pyError('AttributeError', `module '${obj.name}' has no attribute '${name}'`);
    if (obj instanceof PyClass) throw pyError('AttributeError', `type object '${obj.name}' has no attribute '${name}'`);
    throw pyError('AttributeError', `'${typeNameOf(obj)}' object has no attribute '${name}'`);
  }

  setAttr(obj: PyValue, name: string, v: PyValue): void {
    if (obj instanceof PyInstance) {
      const onType = obj.cls.lookup(name);
      if (isDescriptor(onType, PROPERTY)) {
        const fset = onType.native.fset as PyValue;
        if (!fset) throw pyError('AttributeError', `property '${name}' of '${obj.cls.name}' object has no setter`);
        this.call(fset, [obj, v]);
        return;
      }
      const setter = obj.cls.lookup('__setattr__');
      if (setter instanceof PyBuiltin) {
        setter.fn([obj, name, v], new Map(), this);
        return;
      }
      if (setter instanceof PyFunction) {
        this.call(setter, [obj, name, v]);
        return;
      }
      setInstanceAttribute(obj, name, v);
      return;
    }
    if (obj instanceof PyFunction) {
      if (name === '__name__') obj.name = this.str(v);
      else if (name === '__qualname__') obj.qualname = this.str(v);
      else obj.dict.set(name, v);
      return;
    }
    if (obj instanceof PyClass) {
      if (name === '__bases__') {
        setBases(obj, v);
        return;
      }
      obj.dict.set(name, v);
      return;
    }
    if (obj instanceof PyModule) {
      obj.dict.set(name, v);
      return;
    }
    if (obj instanceof PyObj && obj.setAttr(name, v, this)) return;
    throw pyError('AttributeError', `'${typeNameOf(obj)}' object has no attribute '${name}'`);
  }

  // ---------------- operators ----------------

  binary(op: A.BinaryOperator, l: PyValue, r: PyValue): PyValue {
    if (l instanceof PyObj) {
      const v = l.binaryOp(op, r, false, this);
      if (v !== undefined) return v;
    }
    if (r instanceof PyObj) {
      const v = r.binaryOp(op, l, true, this);
      if (v !== undefined) return v;
    }
    const b = builtinBinary(op, l, r);
    if (b !== undefined) return b;
    const s = setBinary(op, l, r, this);
    if (s !== undefined) return s;
    if (op === '|') {
      // PEP 604: int | None
      const u = typeUnion(l, r);
      if (u !== undefined) return u;
    }
    if (op === '%' && typeof l === 'string') return formatPercent(l, r, this);
    if (op === '+' && (typeof l === 'string' || l instanceof PyList || (l instanceof PyTuple && !(r instanceof PyObj && r.typeName !== 'tuple')))) {
      const kind = typeNameOf(l);
      throw pyError('TypeError', `can only concatenate ${kind} (not "${typeNameOf(r)}") to ${kind}`);
    }
    const dunder = BINARY_DUNDERS[op];
    if (l instanceof PyInstance && dunder) {
      const m = l.cls.lookup(dunder[0]);
      if (m !== undefined) return this.call(m, [l, r]);
    }
    if (r instanceof PyInstance && dunder) {
      const m = r.cls.lookup(dunder[1]);
      if (m !== undefined) return this.call(m, [r, l]);
    }
    throw unsupportedOperand(op, l, r);
  }

  private inplaceBinary(op: A.BinaryOperator, l: PyValue, r: PyValue): PyValue {
    if (l instanceof PyObj) {
      const v = l.binaryOp(op + '=', r, false, this);
      if (v !== undefined) return v;
    }
    if (l instanceof PyList && op === '+') {
      l.items = concatItems(l.items, this.iterate(r), 'list');
      return l;
    }
    const s = setBinary(op + '=', l, r, this);
    if (s !== undefined) return s;
    return this.binary(op, l, r);
  }

  unary(op: A.UnaryOp['op'], v: PyValue): PyValue {
    if (op === 'not') return !this.truthy(v);
    if (v instanceof PyObj) {
      const r = v.unaryOp(op, this);
      if (r !== undefined) return r;
    }
    if (typeof v === 'boolean' || typeof v === 'bigint') {
      const i = typeof v === 'boolean' ? (v ? 1n : 0n) : v;
      if (op === '-') return -i;
      if (op === '+') return i;
      if (op === '~') return -i - 1n;
    }
    if (typeof v === 'number') {
      if (op === '-') return -v;
      if (op === '+') return v;
    }
    if (v instanceof PyInstance) {
      const m = v.cls.lookup(op === '-' ? '__neg__' : op === '+' ? '__pos__' : '__invert__');
      if (m !== undefined) return this.call(m, [v]);
    }
    throw pyError('TypeError', `bad operand type for unary ${op}: '${typeNameOf(v)}'`);
  }

  compare(op: A.CompareOperator, l: PyValue, r: PyValue): PyValue {
    switch (op) {
      case 'is': return l === r || (l === null && r === null);
      case 'is not': return !(l === r);
      case 'in': return this.contains(r, l);
      case 'not in': return !this.contains(r, l);
    }
    const sc = setCompare(op, l, r, this);
    if (sc !== undefined) return sc;
    if (l instanceof PyObj) {
      const v = l.compare(op, r, false, this);
      if (v !== undefined) return v;
    }
    if (r instanceof PyObj) {
      const v = r.compare(REFLECTED[op], l, true, this);
      if (v !== undefined) return v;
    }
    if (op === '==' || op === '!=') {
      if (l instanceof PyInstance) {
        const m = l.cls.lookup(op === '==' ? '__eq__' : '__ne__');
        if (m !== undefined) return this.call(m, [l, r]);
      }
      const eq = builtinEquals(l, r, this) ?? l === r;
      return op === '==' ? eq : !eq;
    }
    const o = builtinOrder(op, l, r, this);
    if (o !== undefined) return o;
    if (l instanceof PyInstance) {
      const m = l.cls.lookup(ORDER_DUNDERS[op]);
      if (m !== undefined) return this.call(m, [l, r]);
    }
    throw pyError('TypeError', `'${op}' not supported between instances of '${typeNameOf(l)}' and '${typeNameOf(r)}'`);
  }

  contains(container: PyValue, item: PyValue): boolean {
    if (typeof container === 'string') {
      if (typeof item !== 'string') throw pyError('TypeError', `'in <string>' requires string as left operand, not ${typeNameOf(item)}`);
      return container.includes(item);
    }
    if (container instanceof PyDict) return container.entries.has(hashKey(item, this));
    if (container instanceof PySet) return container.entries.has(setMemberKey(item, this));
    if (container instanceof PyDictView) return container.contains(item, this);
    if (container instanceof PyRange) {
      if (typeof item !== 'bigint') return false;
      const { start, stop, step } = container;
      return step > 0n ? item >= start && item < stop && (item - start) % step === 0n : item <= start && item > stop && (start - item) % -step === 0n;
    }
    if (container instanceof PyInstance) {
      const m = container.cls.lookup('__contains__');
      if (m !== undefined) return this.truthy(this.call(m, [container, item]));
    }
    if (container instanceof PyObj) {
      const c = container.compare('__contains__', item, false, this);
      if (c !== undefined) return this.truthy(c);
    }
    return this.iterate(container).some((x) => equals(x, item, this));
  }

  // ---------------- items and iteration ----------------

  listIndex(list: PyList | PyTuple, key: PyValue): number {
    if (typeof key !== 'bigint' && typeof key !== 'boolean') {
      throw pyError('TypeError', `${list instanceof PyList ? 'list' : 'tuple'} indices must be integers or slices, not ${typeNameOf(key)}`);
    }
    let i = Number(key);
    if (i < 0) i += list.items.length;
    if (i < 0 || i >= list.items.length) {
      throw pyError('IndexError', `${list instanceof PyList ? 'list' : 'tuple'} index out of range`);
    }
    return i;
  }

  sliceIndices(s: PySlice, length: number): { start: number; stop: number; step: number } {
    const toInt = (v: PyValue, what: string): number | null => {
      if (v === null) return null;
      if (typeof v === 'bigint' || typeof v === 'boolean') return Number(v);
      if (v instanceof PyObj) {
        const idx = this.getAttrOrUndefined(v, '__index__');
        if (idx !== undefined) return Number(this.call(idx, []) as bigint);
      }
      throw pyError('TypeError', `slice indices must be integers or None or have an __index__ method${what ? '' : ''}`);
    };
    const step = toInt(s.step, 'step') ?? 1;
    if (step === 0) throw pyError('ValueError', 'slice step cannot be zero');
    let start = toInt(s.start, 'start'), stop = toInt(s.stop, 'stop');
    if (step > 0) {
      start = start === null ? 0 : start < 0 ? Math.max(0, start + length) : Math.min(start, length);
      stop = stop === null ? length : stop < 0 ? Math.max(0, stop + length) : Math.min(stop, length);
    } else {
      start = start === null ? length - 1 : start < 0 ? Math.max(-1, start + length) : Math.min(start, length - 1);
      stop = stop === null ? -1 : stop < 0 ? Math.max(-1, stop + length) : Math.min(stop, length - 1);
    }
    return { start, stop, step };
  }

  sliceItems<T>(items: readonly T[], s: PySlice): T[] {
    const { start, stop, step } = this.sliceIndices(s, items.length);
    const out: T[] = [];
    if (step > 0) for (let i = start; i < stop; i += step) out.push(items[i]);
    else for (let i = start; i > stop; i += step) out.push(items[i]);
    return out;
  }

  getItem(obj: PyValue, key: PyValue): PyValue {
    if (obj instanceof PyObj) {
      const v = obj.getItem(key, this);
      if (v !== undefined) return v;
    }
    if (obj instanceof PyList || obj instanceof PyTuple) {
      if (key instanceof PySlice) {
        const items = this.sliceItems(obj.items, key);
        return obj instanceof PyList ? new PyList(items) : new PyTuple(items);
      }
      return obj.items[this.listIndex(obj, key)];
    }
    if (typeof obj === 'string') {
      const chars = [...obj];
      if (key instanceof PySlice) return this.sliceItems(chars, key).join('');
      if (typeof key !== 'bigint') throw pyError('TypeError', `string indices must be integers, not '${typeNameOf(key)}'`);
      let i = Number(key);
      if (i < 0) i += chars.length;
      if (i < 0 || i >= chars.length) throw pyError('IndexError', 'string index out of range');
      return chars[i];
    }
    if (obj instanceof PyDict) {
      const hit = obj.entries.get(hashKey(key, this));
      if (hit) return hit[1];
      if (obj.defaultFactory !== undefined && obj.defaultFactory !== null) {
        const v = this.call(obj.defaultFactory, []);
        obj.entries.set(hashKey(key, this), [key, v]);
        return v;
      }
      throw keyError(key, this);
    }
    if (obj instanceof PyRange) {
      const items = this.iterate(obj);
      if (key instanceof PySlice) return new PyList(this.sliceItems(items, key));
      return items[this.listIndex(new PyTuple(items), key)];
    }
    if (obj instanceof PyInstance) {
      const m = obj.cls.lookup('__getitem__');
      if (m !== undefined) return this.call(m, [obj, key]);
    }
    if (obj instanceof PyClass) {
      // Enum['RED'] and user generics: the class's own __class_getitem__; typing aliases (List[int]) are the class
      const hook = obj.lookup('__class_getitem__');
      if (hook !== undefined) return this.call(hook instanceof PyInstance && hook.cls === CLASSMETHOD ? wrapped(hook) : hook, [obj, key]);
      // PEP 585: tuple[int, int] is a types.GenericAlias of the built-in type
      if (GENERIC_BUILTINS.has(obj.name) && TYPE_CLASSES.get(obj.name) === obj) return new PyGenericAlias(obj, key instanceof PyTuple ? key.items : [key]);
      return obj;
    }
    throw pyError('TypeError', `'${typeNameOf(obj)}' object is not subscriptable`);
  }

  setItem(obj: PyValue, key: PyValue, v: PyValue): void {
    if (obj instanceof PyObj && obj.setItem(key, v, this)) return;
    if (obj instanceof PyList) {
      if (key instanceof PySlice) {
        const { start, stop, step } = this.sliceIndices(key, obj.items.length);
        const values = this.iterate(v);
        if (step === 1) {
          obj.items.splice(start, Math.max(0, stop - start), ...values);
          return;
        }
        let j = 0;
        for (let i = start; step > 0 ? i < stop : i > stop; i += step) obj.items[i] = values[j++];
        return;
      }
      obj.items[this.listIndex(obj, key)] = v;
      return;
    }
    if (obj instanceof PyDict) {
      obj.entries.set(hashKey(key, this), [key, v]);
      return;
    }
    if (obj instanceof PyInstance) {
      const m = obj.cls.lookup('__setitem__');
      if (m !== undefined) {
        this.call(m, [obj, key, v]);
        return;
      }
    }
    throw pyError('TypeError', `'${typeNameOf(obj)}' object does not support item assignment`);
  }

  iterate(v: PyValue): PyValue[] {
    if (v instanceof PyList || v instanceof PyTuple) return v.items.slice();
    if (typeof v === 'string') return [...v];
    if (v instanceof PyDict) return [...v.entries.values()].map(([k]) => k);
    if (v instanceof PySet) return [...v.entries.values()];
    if (v instanceof PyRange) {
      const out: PyValue[] = [];
      const n = v.size;
      checkItems(n, 'list');
      for (let i = 0; i < n; i++) out.push(v.start + BigInt(i) * v.step);
      return out;
    }
    if (v instanceof PyIterator) {
      const out: PyValue[] = [];
      for (;;) {
        const r = v.next();
        if (r.done) return out;
        out.push(r.value ?? null);
        if (out.length % 4096 === 0) this.tick(this.currentSpan!);
      }
    }
    if (v instanceof PyObj) {
      const items = v.iterate(this);
      if (items !== undefined) return items;
    }
    if (v instanceof PyClass) {
      // a metaclass __iter__ (for member in Color:) stands in the class as __class_iter__
      const hook = v.lookup('__class_iter__');
      if (hook !== undefined) return this.iterate(this.call(hook, [v]));
    }
    if (v instanceof PyInstance) {
      const it = v.cls.lookup('__iter__');
      if (it !== undefined) {
        const iterator = this.call(it, [v]);
        if (!(iterator instanceof PyInstance)) return this.iterate(iterator);
        return this.drain(this.instanceIterator(iterator));
      }
      if (v.cls.lookup('__next__') !== undefined) return this.drain(this.instanceIterator(v));
      const gi = v.cls.lookup('__getitem__');
      const len = v.cls.lookup('__len__');
      if (gi !== undefined && len !== undefined) {
        const n = Number(this.call(len, [v]));
        return Array.from({ length: n }, (_, i) => this.call(gi, [v, BigInt(i)]));
      }
    }
    throw pyError('TypeError', `'${typeNameOf(v)}' object is not iterable`);
  }

  /**
   * Python's iter() as a lazy JS iterator: generators, iterators and
   * classes with __iter__/__next__ yield one value per pull, so infinite
   * iterators work wherever the consumer stops early.
   */
  iter(v: PyValue): Iterator<PyValue> {
    if (v instanceof PyIterator) return pyIterator(v);
    if (v instanceof PyDict) return dictIterator(v, ([k]) => k);
    if (v instanceof PyDictView) {
      const pick = v.kind === 'keys' ? ([k]: [PyValue, PyValue]) => k : v.kind === 'values' ? ([, x]: [PyValue, PyValue]) => x : ([k, x]: [PyValue, PyValue]) => new PyTuple([k, x]);
      return dictIterator(v.dict, pick);
    }
    if (v instanceof PySet) return sizeGuarded(this.iterate(v), () => v.entries.size, 'Set');
    if (v instanceof PyInstance) {
      const it = v.cls.lookup('__iter__');
      if (it !== undefined) {
        const iterator = this.call(it, [v]);
        if (iterator instanceof PyIterator) return pyIterator(iterator);
        if (iterator instanceof PyInstance) return this.instanceIterator(iterator);
        return this.iterate(iterator)[Symbol.iterator]();
      }
      if (v.cls.lookup('__next__') !== undefined) return this.instanceIterator(v);
    }
    return this.iterate(v)[Symbol.iterator]();
  }

  /** An instance with __next__: values until it raises StopIteration. */
  private instanceIterator(it: PyInstance): Iterator<PyValue> {
    const next = this.getAttrOrUndefined(it, '__next__');
    if (next === undefined) throw pyError('TypeError', `iter() returned non-iterator of type '${it.cls.name}'`);
    return {
      next: () => {
        try {
          return { done: false, value: this.call(next, []) };
        } catch (e) {
          if (e instanceof PyException && e.pyType === 'StopIteration') return { done: true, value: undefined };
          throw e;
        }
      },
    };
  }

  private drain(it: Iterator<PyValue>): PyValue[] {
    const out: PyValue[] = [];
    for (let r = it.next(); !r.done; r = it.next()) {
      out.push(r.value);
      if (out.length % 4096 === 0) this.tick(this.currentSpan!);
    }
    return out;
  }

  // ---------------- modules ----------------

  private tryImport(name: string): PyModule | undefined {
    const cached = this.modules.get(name);
    if (cached) return cached;
    const m = this.loadModule(name, this);
    if (m) {
      this.modules.set(name, m);
      // `import a.b` makes b an attribute of a, as the import system does
      const dot = name.lastIndexOf('.');
      const parent = dot > 0 ? this.modules.get(name.slice(0, dot)) : undefined;
      if (parent && !parent.dict.has(name.slice(dot + 1))) parent.dict.set(name.slice(dot + 1), m);
    }
    return m;
  }

  /**
   * A module Mask Lens models, or a placeholder for any other package (its
   * names fail where they are used, not here). `guarded`: the import sits in
   * a `try` that catches ImportError, so it fails as on a machine without
   * the package and the file's fallback runs.
   */
  importModule(name: string, guarded = false): PyModule {
    const m = this.tryImport(name);
    if (m) return m;
    // a submodule of torch/numpy Mask Lens lacks is a placeholder too: its names fail where used ("not supported yet")
    if (guarded || !this.placeholderModules) {
      const gap = this.unsupportedName('import', name);
      const e = pyError(gap ? 'NotImplementedError' : 'ModuleNotFoundError', gap ?? `No module named '${name}'`);
      e.instance.native.name = name;
      throw e;
    }
    const placeholder = new OpaqueModule(name);
    this.modules.set(name, placeholder);
    return placeholder;
  }
}

/** CPython's "f() takes 2 positional arguments but 3 were given" / "takes from 1 to 2 ...". */
export function tooManyPositional(name: string, min: number, max: number, given: number): string {
  const takes = min === max ? `${max} positional argument${max === 1 ? '' : 's'}` : `from ${min} to ${max} positional arguments`;
  return `${name}() takes ${takes} but ${given} ${given === 1 ? 'was' : 'were'} given`;
}


/**
 * A dict's (or view's) iterator that walks its entries live, in insertion
 * order, as CPython's dictiter does: entries deleted meanwhile are skipped,
 * ones added are reached. A size change raises 'dictionary changed size
 * during iteration' at the next step (sticky); same-size changes that would
 * yield more entries than the dict had when iteration began raise
 * 'dictionary keys changed during iteration' (dictiter_iternextkey's di_len
 * check, Objects/dictobject.c). Python's dict compacts its entries when it
 * resizes; a JS Map keeps them in order without one, the order Python shows.
 */
function dictIterator(d: PyDict, pick: (entry: [PyValue, PyValue]) => PyValue): Iterator<PyValue> {
  let start = d.entries.size;
  let left = start;
  const live = d.entries.values();
  let over = false;
  return {
    next: () => {
      if (over) return { done: true, value: undefined };
      if (d.entries.size !== start) {
        start = -1;
        throw pyError('RuntimeError', 'dictionary changed size during iteration');
      }
      const r = live.next();
      if (r.done) {
        over = true;
        return { done: true, value: undefined };
      }
      if (left === 0) {
        over = true;
        throw pyError('RuntimeError', 'dictionary keys changed during iteration');
      }
      left--;
      return { done: false, value: pick(r.value) };
    },
  };
}

/**
 * An iterator over a set's elements as they were when iteration began,
 * raising CPython's RuntimeError 'Set changed size during iteration' at the
 * first next() after the set's size changed, as setiter_iternext does
 * (Objects/setobject.c). The error is sticky (every later next() raises it
 * again, as CPython sets si_used to -1); once exhausted the iterator stays
 * done. (CPython walks the live table; a same-size change is not followed.)
 */
function sizeGuarded(items: PyValue[], size: () => number, what: 'Set'): Iterator<PyValue> {
  let start = size();
  let i = 0;
  let over = false;
  return {
    next: () => {
      if (over) return { done: true, value: undefined };
      if (size() !== start) {
        start = -1;
        throw pyError('RuntimeError', `${what} changed size during iteration`);
      }
      if (i < items.length) return { done: false, value: items[i++] };
      over = true;
      return { done: true, value: undefined };
    },
  };
}
function pyIterator(v: PyIterator): Iterator<PyValue> {
  return {
    next: () => {
      const r = v.next();
      return r.done ? { done: true, value: undefined } : { done: false, value: r.value ?? null };
    },
  };
}

function docstring(def: A.FunctionDef | A.Lambda): PyValue {
  if (def.kind !== 'FunctionDef') return null;
  const first = def.body[0];
  return first?.kind === 'Expr' && first.value.kind === 'Constant' && first.value.value.type === 'str' ? first.value.value.value : null;
}

/** The exception names an `except` clause lists (a Name, an Attribute's last part, or a tuple of them). */
function handlerNames(t: A.Expr): string {
  if (t.kind === 'Name') return t.id;
  if (t.kind === 'Attribute') return t.attr;
  if (t.kind === 'Tuple') return t.elts.map(handlerNames).find((n) => IMPORT_CATCHERS.has(n)) ?? '';
  return '';
}

/** Built-in types whose subscription makes a types.GenericAlias (PEP 585). */
const GENERIC_BUILTINS = new Set(['list', 'tuple', 'dict', 'set', 'frozenset', 'type']);

const IMPORT_CATCHERS = new Set(['ImportError', 'ModuleNotFoundError', 'Exception', 'BaseException']);

const OBJECT_CLASS = typeOf(null).bases[0] ?? typeOf(null);

/** An annotation's source text, as `from __future__ import annotations` keeps it (PEP 563). */
export function annotationText(e: A.Expr): string {
  switch (e.kind) {
    case 'Name': return e.id;
    case 'Attribute': return `${annotationText(e.value)}.${e.attr}`;
    case 'Constant':
      if (e.value.type === 'str') return reprValue(e.value.value, undefined as never);
      if (e.value.type === 'None') return 'None';
      if (e.value.type === 'Ellipsis') return '...';
      return String((e.value as { value?: unknown }).value);
    case 'Subscript': return `${annotationText(e.value)}[${annotationText(e.index)}]`;
    case 'Tuple': return e.elts.map(annotationText).join(', ');
    case 'List': return `[${e.elts.map(annotationText).join(', ')}]`;
    case 'BinOp': return `${annotationText(e.left)} ${e.op} ${annotationText(e.right)}`;
    default: return '...';
  }
}

/** Names every JS object answers (constructor, toString, __proto__, ...); no Python value has them natively. */
const JS_OBJECT_NAMES: ReadonlySet<string> = new Set(Object.getOwnPropertyNames(Object.prototype));

const BINARY_DUNDERS: Record<string, [string, string]> = {
  '+': ['__add__', '__radd__'], '-': ['__sub__', '__rsub__'], '*': ['__mul__', '__rmul__'],
  '/': ['__truediv__', '__rtruediv__'], '//': ['__floordiv__', '__rfloordiv__'], '%': ['__mod__', '__rmod__'],
  '**': ['__pow__', '__rpow__'], '@': ['__matmul__', '__rmatmul__'], '&': ['__and__', '__rand__'],
  '|': ['__or__', '__ror__'], '^': ['__xor__', '__rxor__'], '<<': ['__lshift__', '__rlshift__'], '>>': ['__rshift__', '__rrshift__'],
};

const ORDER_DUNDERS: Record<string, string> = { '<': '__lt__', '<=': '__le__', '>': '__gt__', '>=': '__ge__' };

const REFLECTED: Record<string, string> = { '<': '>', '<=': '>=', '>': '<', '>=': '<=', '==': '==', '!=': '!=' };

export { EXCEPTION_CLASSES, makeException };

/**
 * `cls.__bases__ = (A, B)`: replaces the class's bases in place, so its MRO,
 * attribute lookup, isinstance and super() follow (fairseq's
 * @with_incremental_state prepends a mixin this way). TypeErrors as CPython's
 * type_set_bases: not a tuple, an empty tuple, a non-class item, a cycle.
 */
function setBases(cls: PyClass, v: PyValue): void {
  if (!(v instanceof PyTuple)) throw pyError('TypeError', `can only assign tuple to ${cls.name}.__bases__, not ${typeNameOf(v)}`);
  if (v.items.length === 0) throw pyError('TypeError', `can only assign non-empty tuple to ${cls.name}.__bases__, not ()`);
  for (const b of v.items) {
    if (!(b instanceof PyClass)) throw pyError('TypeError', `${cls.name}.__bases__ must be tuple of classes, not '${typeNameOf(b)}'`);
    if (b.isSubclassOf(cls)) throw pyError('TypeError', 'a __bases__ item causes an inheritance cycle');
  }
  cls.bases.splice(0, cls.bases.length, ...(v.items as PyClass[]));
}
