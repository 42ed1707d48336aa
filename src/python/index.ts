// Public entry of the snippet interpreter: parse, run statement by statement,
// and report every top-level value in the golden-file schema.

import { EvalContext, currentContext, untimed, withContext } from '../engine/context';
import { consumerOf, isRandom, setDiagnosticSink } from '../engine/diagnostics';
import { hasMaskEvidence, recordDerivations, recordMaskEvidence } from '../engine/provenance';
import { ArrayValue } from '../frameworks/common';
import { frameworkLoader } from '../frameworks';
import { unsupportedName } from '../frameworks/known';
import { NumpyScalar } from '../frameworks/numpy';
import { TorchTensor } from '../frameworks/torch/tensor';
import type { Span, Stmt } from './ast';
import { makeBuiltins } from './builtins';
import { Interpreter } from './evaluator';
import { toPyException } from './jsErrors';
import { parseModule } from './parse';
import type { Diagnostic, EncodedNumber, EncodedValue, PyErrorInfo, RunOptions, RunResult, Snapshot, SnapshotAddress } from './result';
import { cast } from '../engine/ops/core';
import type { Tensor } from '../engine/tensor';
import { Scope } from './scope';
import { PyException, PyList, PyNamedTuple, PyTuple, PyValue } from './values';
import { derivedFor } from './derived';
import { analyzeMasks, consumerLegend, markRandom, nameLegend } from './masks';

export type { RunOptions, RunResult } from './result';

export const DEFAULT_MAX_STEPS = 2_000_000;

/**
 * Largest single allocation, in elements, unless the caller says otherwise:
 * 2^24 (128 MiB as float64) keeps one tensor, list or string well inside the
 * worker's 1 GB heap cap, while every mask and attention snippet we know of
 * needs far less.
 */
export const DEFAULT_MAX_ELEMENTS = 1 << 24;

/**
 * Python frames before RecursionError. CPython allows 1000; one Python call
 * costs about twenty JS frames here, and 200 keeps the deepest recursion well
 * inside V8's default stack, so a runaway recursion never reaches it.
 */
const MAX_DEPTH = 200;

/** Largest tensor (elements) whose snapshot is classified as a mask: a 1024 × 1024 grid. */
const MASK_ANALYSIS_LIMIT = 1 << 20;

function encodeNumber(x: number, isBool: boolean, isInt: boolean): EncodedNumber {
  if (isBool) return x !== 0;
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  return isInt ? x : x;
}

/**
 * A Python value in the golden JSON shape, or undefined for what golden.py
 * skips. A tensor of more than `inlineElements` elements keeps its shape and
 * dtype but not its data (`elided`); a longer list or tuple is skipped.
 */
export function encodeValue(v: PyValue, inlineElements = Infinity): EncodedValue | undefined {
  if (v instanceof NumpyScalar) {
    const x = v.t.item();
    return { type: v.typeName as 'int', value: encodeNumber(x, v.t.dtype === 'bool', !v.t.isFloating) };
  }
  if (v instanceof ArrayValue) {
    const t = v.t;
    const isBool = t.dtype === 'bool';
    const isInt = !t.isFloating && !isBool;
    const type = v.library === 'torch' ? 'torch.Tensor' : v.library === 'numpy' ? 'numpy.ndarray' : 'tf.Tensor';
    const dtype = v.library === 'torch' ? `torch.${t.dtype}` : t.dtype;
    if (t.numel > inlineElements) return { type, dtype, shape: [...t.shape], data: [], elided: true };
    return { type, dtype, shape: [...t.shape], data: Array.from(t.values(), (x) => encodeNumber(x, isBool, isInt)) };
  }
  if (typeof v === 'boolean') return { type: 'bool', value: v };
  if (typeof v === 'bigint') return { type: 'int', value: Number(v) };
  if (typeof v === 'number') return { type: 'float', value: encodeNumber(v, false, false) };
  if (typeof v === 'string') return { type: 'str', value: v };
  if ((v instanceof PyList || v instanceof PyTuple) && !(v instanceof PyNamedTuple && v.fullName !== 'torch.Size')) {
    if (v.items.length > inlineElements) return undefined;
    const items = v.items.map((x) => encodeValue(x, inlineElements));
    if (items.some((i) => i === undefined)) return undefined;
    const type = v instanceof PyList ? 'list' : v instanceof PyNamedTuple ? 'Size' : 'tuple';
    return { type: type as 'list' | 'tuple', items: items as EncodedValue[] };
  }
  return undefined;
}

function errorInfo(e: PyException, fallback: Span | undefined): PyErrorInfo {
  const span = e.span ?? fallback;
  return {
    type: e.pyType,
    message: e.pyMessage,
    line: span?.line ?? 0,
    column: span?.column,
    endLine: span?.endLine,
    endColumn: span?.endColumn,
    ...(e.detail ? { detail: e.detail } : {}),
  };
}

/** Evaluate a snippet. Never throws: Python errors are part of the result. */
export function evaluate(source: string, options: RunOptions = {}): RunResult {
  return evaluateLive(source, options).result;
}

/** A finished evaluation whose values can still be read on request (the worker keeps these). */
export interface LiveEvaluation {
  result: RunResult;
  /** print() text of the final value of a top-level name, in the evaluation's own context. */
  reprOf(name: string): string | undefined;
  /** The tensor behind an elided value (data not inlined), as it stood at that snapshot. */
  tensorAt(address: SnapshotAddress): Tensor | undefined;
}

/** Evaluate a snippet in a fresh context, keeping its final values for later requests. */
export function evaluateLive(source: string, options: RunOptions = {}): LiveEvaluation {
  const deadline = options.timeBudgetMs === undefined ? Infinity : performance.now() + options.timeBudgetMs;
  // warnings.warn from the engine and frameworks (interpreter warnings join them in executeModule)
  const warnings: string[] = [];
  const context = new EvalContext({
    maxElements: options.maxElements ?? DEFAULT_MAX_ELEMENTS,
    budgetSetting: options.budgetSetting,
    deadline,
    warn: (m) => warnings.push(m),
  });
  const run = withContext(context, () => executeModule(source, options, deadline, warnings));
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
      if (address.kind === 'variable') {
        const v = run.scope.vars.get(address.name);
        return v instanceof ArrayValue ? v.t : undefined;
      }
      return undefined;
    },
  };
}

interface Run {
  result: RunResult;
  interp: Interpreter;
  scope: Scope;
  /** Copies of the tensors of snapshots whose data was not inlined. */
  elided: Map<Snapshot, Tensor>;
}

function executeModule(source: string, options: RunOptions, deadline: number, warnings: string[]): Run {
  const inline = options.inlineElements ?? Infinity;
  const elided = new Map<Snapshot, Tensor>();
  const load = frameworkLoader();
  let interp!: Interpreter;
  const builtins = makeBuiltins((op, a, b) => interp.binary(op as never, a, b));
  interp = new Interpreter(builtins, (name) => load(name), {
    maxSteps: options.maxSteps ?? DEFAULT_MAX_STEPS,
    maxDepth: MAX_DEPTH,
    deadline,
    progress: options.progress,
  }, unsupportedName);
  recordDerivations(options.recordTimeline ?? false);
  recordMaskEvidence(options.recordTimeline ?? false);
  const consumed: Diagnostic[] = [];
  const seenDiagnostics = new Set<string>();
  setDiagnosticSink((d) => {
    // a consumer inside a loop reports once per line, not once per iteration
    const line = interp.currentLine ?? 0;
    const key = `${line}\u0000${d.code}\u0000${d.message}`;
    if (!seenDiagnostics.has(key)) consumed.push({ ...d, line }), seenDiagnostics.add(key);
  });
  const scope = new Scope(null);
  scope.vars.set('__name__', '__main__');
  const errors: PyErrorInfo[] = [];
  const timeline: Snapshot[] = [];
  const storages = new Map<Snapshot, object>();
  const module = parseModule(source);
  const continueAfterError = options.continueAfterError ?? false;

  // Python refuses to run a file with a syntax error; editors still want the rest.
  if (module.syntaxErrors.length && !continueAfterError) {
    const first = module.syntaxErrors[module.reported ?? 0];
    errors.push({ type: first.errorType ?? 'SyntaxError', message: first.message, line: first.span.line, column: first.span.column });
  } else {
    for (const stmt of module.body) {
      if (options.stopAfterLine !== undefined && stmt.span.line > options.stopAfterLine) break;
      try {
        interp.exec(stmt, scope);
      } catch (e) {
        const exc = toPyException(e);
        const info = errorInfo(exc, stmt.span);
        errors.push(info);
        options.onError?.(info);
        if (!continueAfterError) break;
      }
      if (options.recordTimeline) {
        try {
          untimed(() => snapshot(stmt, scope, interp, { timeline, storages, elided, inline }));
        } catch {
          // a value that cannot be recorded is left out of the timeline; the evaluation goes on
        }
      }
    }
  }

  // the statements are done: what follows is bounded by the element budget, not the clock
  currentContext().deadline = Infinity;
  const variables: Record<string, EncodedValue> = {};
  for (const [name, v] of scope.vars) {
    if (name.startsWith('_')) continue;
    const enc = encodeValue(v, inline);
    if (enc) variables[name] = enc;
  }
  warnings.push(...interp.warnings);
  // classifying a mask reads every element: past this size it would cost more than the evaluation
  const readable = timeline.filter((s) => !('data' in s.value) || s.value.data.length <= MASK_ANALYSIS_LIMIT);
  const readableSet = new Set(readable);
  const findings = analyzeMasks(readable, (s) => {
    const storage = storages.get(s);
    return storage !== undefined && (hasMaskEvidence(storage) || consumerOf(storage) !== undefined || isRandom(storage));
  });
  for (const s of timeline) {
    const storage = storages.get(s);
    if (storage && isRandom(storage) && readableSet.has(s)) markRandom(s);
    const use = storage && consumerOf(storage);
    const named = use ? undefined : nameLegend(s.name, s.value);
    if (use) Object.assign(s, { consumer: use.consumer, legend: consumerLegend(use.consumer, use.dtype) });
    else if (named) Object.assign(s, { consumer: named.consumer, legend: { on: named.on, off: named.off } });
  }
  attachDerivations(timeline, storages);
  recordDerivations(false);
  recordMaskEvidence(false);
  setDiagnosticSink(null);
  const result: RunResult = {
    variables,
    stdout: interp.stdout,
    warnings: [...new Set(warnings)].sort(),
    error: errors[0] ?? null,
    errors,
    timeline,
    diagnostics: [...consumed, ...findings].sort((a, b) => a.line - b.line),
  };
  return { result, interp, scope, elided };
}

/** Snapshot.derived for every snapshot whose tensor came from softmax, masked_fill or a loss. */
function attachDerivations(timeline: Snapshot[], storages: Map<Snapshot, object>): void {
  const names = new Map<object, string>();
  for (const s of timeline) {
    const storage = storages.get(s);
    if (storage) names.set(storage, s.name); // the latest binding names a storage
  }
  const encode = (t: Tensor) => encodeValue(new TorchTensor(t)) as EncodedValue;
  for (const s of timeline) {
    const storage = storages.get(s);
    const derived = storage && derivedFor(storage, encode, (st) => names.get(st));
    if (derived) s.derived = derived;
  }
}

function assignedNames(stmt: Stmt): string[] {
  const names: string[] = [];
  const visit = (t: { kind: string } & Record<string, unknown>) => {
    if (t.kind === 'Name') names.push(t.id as string);
    else if (t.kind === 'Tuple' || t.kind === 'List') (t.elts as typeof t[]).forEach(visit);
    else if (t.kind === 'Starred') visit(t.value as typeof t);
  };
  if (stmt.kind === 'Assign') stmt.targets.forEach((t) => visit(t as never));
  else if (stmt.kind === 'AugAssign' || stmt.kind === 'AnnAssign') visit(stmt.target as never);
  else if (stmt.kind === 'For') visit(stmt.target as never);
  else if (stmt.kind === 'Expr' && stmt.value.kind === 'Call' && stmt.value.func.kind === 'Attribute' && stmt.value.func.attr.endsWith('_')) {
    // in-place tensor method: a.masked_fill_(...) changes `a`
    const target = stmt.value.func.value;
    if (target.kind === 'Name') names.push(target.id);
  }
  return names;
}

interface Recording {
  timeline: Snapshot[];
  // storage of each snapshot's tensor: consumers are known only after later statements run
  storages: Map<Snapshot, object>;
  elided: Map<Snapshot, Tensor>;
  inline: number;
}

function snapshot(stmt: Stmt, scope: Scope, interp: Interpreter, rec: Recording): void {
  for (const name of assignedNames(stmt)) {
    const v = scope.vars.get(name);
    if (v === undefined) continue;
    const value = encodeValue(v, rec.inline);
    if (!value) continue;
    let repr: string;
    try {
      repr = interp.repr(v);
    } catch {
      repr = '<unprintable>';
    }
    const s: Snapshot = { line: stmt.span.line, endLine: stmt.span.endLine, name, value, repr };
    rec.timeline.push(s);
    if (v instanceof ArrayValue) {
      rec.storages.set(s, v.t.storage);
      // later in-place ops must not change what this snapshot shows
      // (an expand()ed view can be far larger than the budget: keep the view itself then)
      if ('elided' in value) rec.elided.set(s, v.t.numel <= currentContext().maxElements ? cast(v.t, v.t.dtype) : v.t);
    }
  }
}
