// Public entry of the snippet interpreter: parse, run statement by statement,
// and report every top-level value in the golden-file schema.

import { EvalContext, currentContext, withContext } from '../engine/context';
import { setDiagnosticSink } from '../engine/diagnostics';
import type { FunctionDef, Module, Span, Stmt } from './ast';
import { encodeValue } from './encode';
import { makeBuiltins } from './builtins';
import { Interpreter } from './evaluator';
import { pyError } from './exceptions';
import { toPyException } from './jsErrors';
import { parseModule } from './parse';
import { FINISHING_CELL, type Diagnostic, type EncodedValue, type FunctionInfo, type PyErrorInfo, type RunOptions, type RunResult, type Snapshot, type SnapshotAddress } from './result';
import type { Tensor } from '../engine/tensor';
import { boundNames, forEachDef, propertyAccessor, qualifiedNames } from './outline';
import { errorInfo, Recorder } from './record';
import { Scope } from './scope';
import { PyDict, PyModule, TensorValue, type PyException, type PyValue } from './values';
import { NO_FRAMEWORKS, type FrameworkRegistration } from './registration';
import { softmaxOperandsOf, type SoftmaxOperands } from './derived';

export type { RunOptions, RunResult } from './result';
import { lineLabel, type CellLayout } from './notebook';
export { encodeValue } from './encode';
export { NO_FRAMEWORKS, type FrameworkRegistration, type TimelineAnnotator } from './registration';

export const DEFAULT_MAX_STEPS = 2_000_000;

/**
 * Largest single allocation, in elements, unless the caller says otherwise:
 * 2^27, so the attention scores of batch 8, 8 heads and 1024 tokens
 * ([8, 8, 1024, 1024], 67M elements, 256 MiB as float32) and twice that
 * are previewed (issue #15), while one float32 tensor stays within half of
 * the worker's default memory cap (maskLens.evaluation.maxHeapMb, 1024 MB),
 * which bounds every allocation together (a float64 one of 2^27 elements
 * is 1 GiB, the cap itself: MemoryError names the cap then).
 */
export const DEFAULT_MAX_ELEMENTS = 1 << 27;

/**
 * Python frames before RecursionError. CPython allows 1000; one Python call
 * costs about twenty JS frames here, and 200 keeps the deepest recursion well
 * inside V8's default stack, so a runaway recursion never reaches it.
 */
const MAX_DEPTH = 200;

/**
 * Statements that only bind names (a def, a class, an import): after the
 * time budget stops a file at a slow top-level call they still run, so the
 * functions and classes defined further down exist for hovers, the outline
 * and Preview with Arguments, instead of the rest of the file being lost to
 * one slow statement (the Annotated Transformer stops in a training example
 * and defines its attention code after it).
 */
const DEFINITIONS: ReadonlySet<Stmt['kind']> = new Set(['FunctionDef', 'ClassDef', 'Import', 'ImportFrom']);

/**
 * Time and interpreter steps the definitions after a stop may take together:
 * defining a function or a class of methods takes microseconds, so this
 * only bounds a class body or decorator that does real work. Small beside
 * the host's grace (client.ts), which the worker's bookkeeping needs too.
 */
const AFTER_STOP_MS = 100;
const AFTER_STOP_STEPS = 100_000;

/**
 * The allowance of a Preview with Arguments call after a stop: the user
 * asked for that function by name, and a mask function's call takes
 * milliseconds even where the file's own top level (a training loop) takes
 * seconds. Within the host's finishing grace (client.ts), with the
 * bookkeeping after it.
 */
const PREVIEW_AFTER_STOP_MS = 500;
const PREVIEW_AFTER_STOP_STEPS = 500_000;

/** Tell the host the statements are done (see FINISHING_CELL). */
function announceFinishing(progress: Int32Array | undefined): void {
  if (progress && progress.length > FINISHING_CELL) progress[FINISHING_CELL] = 1;
}

/**
 * What runs after a TimeoutError at top level: `start` tells the host the
 * evaluation is finishing and gives the definitions their own allowance
 * (AFTER_STOP_MS, AFTER_STOP_STEPS); the caller closes the pass (`open =
 * false`) when a definition runs out of it (a slow class body or
 * decorator). `grant` gives a fresh allowance (the preview call's).
 */
function definitionsAfterStop(interp: Interpreter, progress: Int32Array | undefined) {
  const grant = (ms: number, steps: number) => {
    const deadline = performance.now() + ms;
    interp.allow(deadline, steps);
    currentContext().deadline = deadline;
  };
  const state = {
    open: false,
    grant,
    start(): void {
      announceFinishing(progress);
      grant(AFTER_STOP_MS, AFTER_STOP_STEPS);
      state.open = true;
    },
  };
  return state;
}

/**
 * Evaluate a snippet with the modules, rules and timeline passes
 * `frameworks` registers (none: plain Python). Never throws: Python errors
 * are part of the result.
 */
export function evaluate(source: string, options: RunOptions = {}, frameworks: FrameworkRegistration = NO_FRAMEWORKS): RunResult {
  return evaluateLive(source, options, frameworks).result;
}

/** A finished evaluation whose values can still be read on request (the worker keeps these). */
export interface LiveEvaluation {
  result: RunResult;
  /** print() text of the final value of a top-level name, in the evaluation's own context. */
  reprOf(name: string): string | undefined;
  /** The tensor behind an elided value (data not inlined), as it stood at that snapshot. */
  tensorAt(address: SnapshotAddress): Tensor | undefined;
  /** The operands of a large softmax a module variable holds (the inspector's GPU view), if it is one. */
  softmaxOperandsAt(address: SnapshotAddress): SoftmaxOperands | undefined;
}

/** Evaluate a snippet in a fresh context, keeping its final values for later requests (frameworks: as evaluate's). */
export function evaluateLive(source: string, options: RunOptions = {}, frameworks: FrameworkRegistration = NO_FRAMEWORKS): LiveEvaluation {
  const deadline = options.timeBudgetMs === undefined ? Infinity : performance.now() + options.timeBudgetMs;
  // warnings.warn from the engine and frameworks (interpreter warnings join them in executeModule)
  const warnings: string[] = [];
  const context = new EvalContext({
    maxElements: options.maxElements ?? DEFAULT_MAX_ELEMENTS,
    budgetSetting: options.budgetSetting,
    deadline,
    warn: (m) => warnings.push(m),
    memory: options.memory,
  });
  const run = withContext(context, () => executeModule(source, options, deadline, warnings, frameworks));
  context.deadline = Infinity; // later repr and slice requests are not part of the evaluation's time
  return {
    result: run.result,
    reprOf: (name) => {
      const v = run.scope.vars.get(name);
      if (v === undefined) return undefined;
      return withContext(context, () => {
        try {
          return run.interp.repr(v);
        } catch {
          return undefined;
        }
      });
    },
    tensorAt: (address) => {
      if (address.kind === 'timeline') return run.elided.get(run.result.timeline[address.index]);
      if (address.kind === 'call') {
        const call = run.result.calls?.[address.call];
        const s = address.index < 0 ? call?.returned : call?.timeline[address.index];
        return s && run.elided.get(s);
      }
      if (address.kind === 'variable') {
        const v = run.scope.vars.get(address.name);
        return v instanceof TensorValue ? v.t : undefined;
      }
      return undefined;
    },
    softmaxOperandsAt: (address) => {
      if (address.kind !== 'variable') return undefined;
      const v = run.scope.vars.get(address.name);
      return v instanceof TensorValue ? run.softmaxOperands.get(v.t.storage) : undefined;
    },
  };
}

interface Run {
  result: RunResult;
  interp: Interpreter;
  scope: Scope;
  /** Copies of the tensors of snapshots whose data was not inlined. */
  elided: Map<Snapshot, Tensor>;
  /** Large softmax results' operands, by the result's storage (softmaxOperandsOf). */
  softmaxOperands: Map<object, SoftmaxOperands>;
}

/** CPython's compile-time errors (IndentationError and TabError are subclasses of SyntaxError). */
const SYNTAX_ERRORS = new Set(['SyntaxError', 'IndentationError', 'TabError']);

/**
 * `sys.modules` holds the running file as a module whose namespace is its
 * global scope, under '__main__' and under the name the file gave itself
 * before importing sys (`__name__ = "pkg.mod"`), so `sys.modules[__name__]`
 * (the "this module" idiom) finds it as it would when the file is imported.
 */
function registerMain(m: PyModule | undefined, name: string, scope: Scope): PyModule | undefined {
  const modules = name === 'sys' ? m?.dict.get('modules') : undefined;
  if (modules instanceof PyDict) {
    const main = new PyModule('__main__', scope.vars);
    const own = scope.vars.get('__name__');
    for (const key of new Set(['__main__', typeof own === 'string' ? own : '__main__'])) modules.entries.set('s' + key, [key, main]);
  }
  return m;
}

function executeModule(source: string, options: RunOptions, deadline: number, warnings: string[], frameworks: FrameworkRegistration): Run {
  const inline = options.inlineElements ?? Infinity;
  const load = frameworks.loader?.() ?? (() => undefined);
  let interp!: Interpreter;
  // the builtins capture nothing of this evaluation: some are installed in the shared built-in
  // classes (object.__new__), where a captured interpreter would keep its values alive after it
  const builtins = makeBuiltins();
  const scope = new Scope(null);
  scope.vars.set('__name__', '__main__');
  interp = new Interpreter(builtins, (name) => registerMain(load(name), name, scope), {
    maxSteps: options.maxSteps ?? DEFAULT_MAX_STEPS,
    maxDepth: MAX_DEPTH,
    deadline,
    progress: options.progress,
  }, frameworks.unsupportedName);
  interp.fusedCalls = frameworks.fusedCalls ?? [];
  interp.placeholderModules = frameworks.placeholderModules ?? false;
  frameworks.recording?.(options.recordTimeline ?? false);
  const consumed: Diagnostic[] = [];
  const seenDiagnostics = new Set<string>();
  const addDiagnostic = (d: Diagnostic) => {
    // a consumer inside a loop (or a function called often) reports once per line, not once per iteration
    const key = `${d.line}\u0000${d.code}\u0000${d.message}`;
    if (!seenDiagnostics.has(key)) consumed.push(d), seenDiagnostics.add(key);
  };
  setDiagnosticSink((d) => addDiagnostic({ ...d, line: interp.currentLine ?? 0 }));
  const errors: PyErrorInfo[] = [];
  const cells = parseCells(source, options.cellStartLines);
  const qualnames = new Map(cells.flatMap((c) => [...qualifiedNames(c.body)]));
  const recorder = options.recordTimeline
    ? new Recorder(interp, scope, qualnames, { maxRecorded: options.maxRecordedCalls, elementBudget: options.callElementBudget, inlineElements: inline })
    : undefined;
  interp.observer = recorder;
  const continueAfterError = options.continueAfterError ?? false;
  // names a failed statement left unbound, with the line of the failure behind it (knock-on NameErrors)
  const unbound = new Map<string, number>();
  const reportError = (exc: PyException, fallback: Span | undefined, stmt?: Stmt) => {
    const info = errorInfo(exc, fallback);
    const missing = exc.pyType === 'NameError' ? /^name '([^']+)' is not defined$/.exec(exc.pyMessage)?.[1] : undefined;
    const cause = missing !== undefined ? unbound.get(missing) : undefined;
    if (cause !== undefined) info.consequenceOf = { line: cause, name: missing! };
    if (stmt && continueAfterError) for (const n of boundNames(stmt)) if (!scope.vars.has(n)) unbound.set(n, cause ?? info.line);
    errors.push(info);
    options.onError?.(info);
    if (continueAfterError) recorder?.errorContinued(lineLabel(info.line, options.cellStartLines));
  };
  if (continueAfterError) interp.continueInBlocks = (exc, stmt) => reportError(exc, undefined, stmt);

  let outOfTime = false;
  const afterStop = definitionsAfterStop(interp, options.progress);
  let failedAtEnd = false;
  // a notebook's Out[]: what IPython's displayhook shows for a cell's last statement
  const cellOutputs = options.cellStartLines ? ([] as NonNullable<RunResult['outputs']>) : undefined;
  const sourceLines = cellOutputs && source.split('\n');
  const cellOutput = (stmt: Stmt) => {
    if (stmt.kind !== 'Expr' || interp.lastExprValue === null) return;
    // a trailing `;` hides the value, as in IPython
    const rest = (sourceLines![stmt.span.endLine - 1] ?? '').slice(stmt.span.endColumn);
    if (/^\s*;/.test(rest)) return;
    try {
      cellOutputs!.push({ line: stmt.span.line, repr: interp.repr(interp.lastExprValue), stdoutAt: interp.stdout.length });
    } catch {
      // a repr that raises: IPython shows a traceback; the cell's own error is what matters here
    }
  };
  run: for (const cell of cells) {
    recorder?.newCell();
    const cellErrors = errors.length;
    // Python refuses to run a file (a cell) with a syntax error; editors still want the rest.
    if (cell.syntaxErrors.length && !continueAfterError) {
      const first = cell.syntaxErrors[cell.reported ?? 0];
      errors.push({ type: first.errorType ?? 'SyntaxError', message: first.message, line: first.span.line, column: first.span.column });
      continue;
    }
    for (const stmt of cell.body) {
      if (options.stopAfterLine !== undefined && stmt.span.line > options.stopAfterLine) break run;
      if (outOfTime) {
        // past the budget every statement would time out again: only the syntax errors further down
        // still count, and the definitions still bind (within their own small allowance, see afterStop)
        if (stmt.kind === 'SyntaxError') reportError(pyError(stmt.errorType ?? 'SyntaxError', stmt.message, stmt.errorSpan ?? stmt.span), stmt.span);
        else if (afterStop.open && DEFINITIONS.has(stmt.kind)) {
          try {
            interp.exec(stmt, scope);
          } catch (e) {
            const exc = toPyException(e);
            // a definition the allowance cut off is not reported: the stop is the error the user sees
            if (exc.pyType === 'TimeoutError') afterStop.open = false;
            else reportError(exc, stmt.span, stmt);
          }
        }
        continue;
      }
      try {
        interp.exec(stmt, scope);
        if (cellOutputs && stmt === cell.body[cell.body.length - 1]) cellOutput(stmt);
        // bound again since: a later NameError for it is no longer the old failure's
        if (unbound.size > 0) for (const n of boundNames(stmt)) if (scope.vars.has(n)) unbound.delete(n);
      } catch (e) {
        reportError(toPyException(e), stmt.span, stmt);
        if (!continueAfterError) {
          // nothing of the file comes after the failing line: going past the error would run nothing more
          const last = errors[errors.length - 1];
          failedAtEnd = cell === cells[cells.length - 1] && stmt === cell.body[cell.body.length - 1] && last.line >= stmt.span.endLine && !SYNTAX_ERRORS.has(last.type);
          break;
        }
        if (errors[errors.length - 1].type === 'TimeoutError') {
          outOfTime = true;
          afterStop.start();
        }
      }
    }
    // Python compiles a whole file (a cell) before it runs any of it, so a syntax error
    // anywhere in it comes before its runtime errors (the preview still ran what parses)
    if (continueAfterError) {
      const mine = errors.splice(cellErrors);
      errors.push(...mine.filter((e) => SYNTAX_ERRORS.has(e.type)), ...mine.filter((e) => !SYNTAX_ERRORS.has(e.type)));
    }
  }
  if (options.previewCall && recorder) {
    if (outOfTime) afterStop.grant(PREVIEW_AFTER_STOP_MS, PREVIEW_AFTER_STOP_STEPS);
    previewCall(options.previewCall, cells, interp, scope, recorder, reportError, source);
  }
  // the statements are done: what follows is bounded by the element budget, not the clock
  currentContext().deadline = Infinity;
  announceFinishing(options.progress);
  const variables: Record<string, EncodedValue> = {};
  for (const [name, v] of scope.vars) {
    if (name.startsWith('_')) continue;
    const enc = encodeValue(v, inline);
    if (enc) variables[name] = enc;
  }
  recorder?.finish();
  recorder?.elided.settle();
  warnings.push(...interp.warnings);
  const timeline = recorder?.timeline ?? [];
  const calls = recorder?.calls ?? [];
  const annotators = frameworks.annotators ?? [];
  const timelines = recorder ? [timeline, ...calls.map((c) => [...c.timeline, ...(c.returned ? [c.returned] : [])])] : [];
  // each timeline gets every pass in turn (mask kinds before the derivations that name them)
  const findings = timelines.flatMap((t) => annotators.flatMap((annotate) => annotate(t, recorder!.storages, recorder!.elided)));
  for (const d of findings) addDiagnostic(d);
  const softmaxOperands = recorder ? largeSoftmaxOperands(scope) : new Map<object, SoftmaxOperands>();
  frameworks.recording?.(false);
  setDiagnosticSink(null);
  const result: RunResult = {
    variables,
    stdout: interp.stdout,
    warnings: [...new Set(warnings)].sort(),
    error: errors[0] ?? null,
    errors,
    timeline,
    diagnostics: consumed.sort((a, b) => a.line - b.line),
    ...(failedAtEnd ? { failedAtEnd } : {}),
    ...(cellOutputs?.length ? { outputs: cellOutputs } : {}),
    ...(recorder ? { calls, functions: functionInfos(cells, source, qualnames, recorder.counts) } : {}),
  };
  return { result, interp, scope, elided: recorder?.elided ?? new Map(), softmaxOperands };
}

/** The operands of each module variable that is a large softmax (derived.ts), by the result's storage, read before the derivations are dropped. */
function largeSoftmaxOperands(scope: Scope): Map<object, SoftmaxOperands> {
  const out = new Map<object, SoftmaxOperands>();
  for (const v of scope.vars.values()) {
    if (!(v instanceof TensorValue)) continue;
    const o = softmaxOperandsOf(v.t.storage);
    if (o) out.set(v.t.storage, o);
  }
  return out;
}

/**
 * The source's cells, each parsed on its own with its real line numbers
 * (a plain file is one cell). Padding with newlines keeps every span's line
 * the line of the joined source.
 */
function parseCells(source: string, starts: number[] | undefined): Module[] {
  if (!starts || starts.length === 0) return [parseModule(source)];
  const lines = source.split('\n');
  return starts.map((start, i) => {
    const end = i + 1 < starts.length ? starts[i + 1] - 1 : lines.length;
    return parseModule('\n'.repeat(start - 1) + lines.slice(start - 1, end).join('\n'));
  });
}

/** Every `def` in the source, with its parameters' text and how often it was called. */
function functionInfos(cells: Module[], source: string, qualnames: Map<FunctionDef, string>, counts: Map<string, number>): FunctionInfo[] {
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  const text = (sp: Span) => sp.line === sp.endLine
    ? (lines[sp.line - 1] ?? '').slice(sp.column, sp.endColumn)
    : [(lines[sp.line - 1] ?? '').slice(sp.column), ...lines.slice(sp.line, sp.endLine - 1), (lines[sp.endLine - 1] ?? '').slice(0, sp.endColumn)].join('\n');
  const out: FunctionInfo[] = [];
  for (const c of cells) {
    forEachDef(c.body, (s, inClass) => {
      const p = s.params;
      const params = [
        ...[...p.posonly, ...p.args].map((q) => text(q.span)),
        ...(p.vararg ? [`*${text(p.vararg.span)}`] : p.kwonly.length ? ['*'] : []),
        ...p.kwonly.map((q) => text(q.span)),
        ...(p.kwarg ? [`**${text(p.kwarg.span)}`] : []),
      ];
      const function_ = qualnames.get(s) ?? s.name;
      const accessor = inClass ? propertyAccessor(s) : undefined;
      out.push({
        function: function_, name: s.name, line: s.span.line, endLine: s.span.endLine, params, method: inClass, calls: counts.get(function_) ?? 0,
        ...(accessor === 'fset' || accessor === 'fdel' ? { accessor } : {}),
      });
    });
  }
  return out;
}

/**
 * Preview with Arguments…: call `fn` (a qualified name such as
 * "create_padding_mask", "Attn.forward", "outer.<locals>.inner" or
 * "outer.<locals>.Block.forward") with the argument expressions `args`, in
 * the module's scope, after the source ran. A nested function is the one the
 * last run of its enclosing function made (closure included), bound under its
 * own name (`inner`, `Block`) for the call and its arguments. The call is
 * recorded like any other; errors in the argument expressions point at the def line.
 */
function previewCall(
  request: { function: string; args: string }, cells: Module[], interp: Interpreter, scope: Scope, recorder: Recorder,
  reportError: (exc: PyException, fallback: Span | undefined) => void, source = '',
): void {
  const def = cells.flatMap((c) => [...qualifiedNames(c.body)]).find(([, q]) => q === request.function)?.[0];
  const line = def?.span.line ?? 1;
  // where an error of the arguments shows: the function's name on its def line (the arguments are no text of the file)
  const defLine = source.split(/\r?\n/)[line - 1] ?? '';
  const nameAt = def ? new RegExp(`\\bdef\\s+(${def.name})\\b`).exec(defLine) : null;
  const at: Span | undefined = def && nameAt
    ? { ...def.span, line, column: nameAt.index + nameAt[0].length - def.name.length, endLine: line, endColumn: nameAt.index + nameAt[0].length }
    : def?.span;
  const DOTTED = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;
  // outer.<locals>.inner: the enclosing part names the function object the last run of `outer` made
  const nested = /^(.+)\.<locals>\.([A-Za-z_][A-Za-z0-9_]*)((?:\.[A-Za-z_][A-Za-z0-9_]*)*)$/.exec(request.function);
  let callee = request.function;
  let callScope = scope;
  if (nested) {
    const made = recorder.nested.get(`${nested[1]}.<locals>.${nested[2]}`);
    if (made === undefined) {
      const owner = nested[1].split('.<locals>.').pop();
      reportError(pyError('NotImplementedError', `Preview with Arguments reaches ${request.function} once ${owner} has run: this file never calls ${owner} (preview ${owner} first)`), at);
      return;
    }
    callee = nested[2] + nested[3];
    callScope = new Scope(scope);
    callScope.vars.set(nested[2], made);
  } else if (!DOTTED.test(request.function)) {
    reportError(pyError('NotImplementedError', `Preview with Arguments reaches functions and class methods, not ${request.function}`), at);
    return;
  }
  // a @property (or its .setter) is called through its function: Block.head_dim.fget(self)
  const accessor = def ? propertyAccessor(def) : undefined;
  const target = accessor ? `${callee}.${accessor}` : callee;
  // one line, so that a syntax error in the arguments points at the def
  const parsed = parseModule('\n'.repeat(line - 1) + `${target}(${request.args.replace(/\s*\n\s*/g, ' ')})`);
  const stmt = parsed.body[0];
  if (parsed.syntaxErrors.length || !stmt || parsed.body.length !== 1 || stmt.kind !== 'Expr' || stmt.value.kind !== 'Call') {
    const message = parsed.syntaxErrors[0]?.message ?? 'invalid syntax';
    reportError(pyError('SyntaxError', `${message} (in the arguments of ${request.function})`), at);
    return;
  }
  recorder.previewing = true;
  recorder.previewTarget = request.function;
  try {
    const call = stmt.value;
    const ctor = call.args[0];
    // a method's instance built in the arguments (`LayerNorm(8), x`): built first, so a
    // constructor that fails says it was building self, and names the call it ran
    const owner = callee.split('.').slice(-2, -1)[0];
    if (def && owner && ctor?.kind === 'Call' && ctor.func.kind === 'Name' && ctor.func.id === owner) {
      let instance: PyValue;
      try {
        instance = interp.eval(ctor, callScope);
      } catch (e) {
        const exc = toPyException(e);
        const text = request.args.replace(/\s*\n\s*/g, ' ').slice(ctor.span.column - 1 - target.length, ctor.span.endColumn - 1 - target.length);
        exc.instance.native.message = `${exc.pyMessage}${exc.pyMessage ? ' ' : ''}(building self for ${request.function}: ${text})`;
        reportError(exc, def.span);
        return;
      }
      callScope = new Scope(callScope);
      callScope.vars.set(PREVIEW_SELF, instance);
      call.args[0] = { kind: 'Name', id: PREVIEW_SELF, span: ctor.span };
    }
    interp.exec(stmt, callScope);
  } catch (e) {
    const exc = toPyException(e);
    // a span on the def line is one of the one-line call statement, whose columns are not the file's
    if (exc.span?.line === line && exc.span.endLine === line) exc.span = at;
    reportError(exc, at);
  } finally {
    recorder.previewing = false;
    recorder.previewTarget = undefined;
  }
}


/** The name Preview with Arguments binds the instance it built to, for the call of the method (no Python name can clash with it). */
const PREVIEW_SELF = '<preview self>';

/**
 * Run a notebook's code cells in order. Lines in the result are those of the
 * joined source (map them with cellPosition). An error ends its own cell
 * only; later cells still run, as if each were run after the other.
 */
export function evaluateNotebook(layout: CellLayout, options: RunOptions = {}, frameworks: FrameworkRegistration = NO_FRAMEWORKS): RunResult {
  return evaluate(layout.source, { ...options, cellStartLines: layout.startLines }, frameworks);
}
