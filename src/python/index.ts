// Public entry of the snippet interpreter: parse, run statement by statement,
// and report every top-level value in the golden-file schema.

import { setElementBudget } from '../engine/ops/core';
import { setWarningSink } from '../engine/errors';
import { consumerOf, isRandom, setDiagnosticSink } from '../engine/diagnostics';
import { hasMaskEvidence, recordDerivations, recordMaskEvidence } from '../engine/provenance';
import type { Tensor } from '../engine/tensor';
import { ArrayValue } from '../frameworks/common';
import { frameworkLoader } from '../frameworks';
import { unsupportedName } from '../frameworks/known';
import { NumpyScalar } from '../frameworks/numpy';
import { TorchTensor } from '../frameworks/torch/tensor';
import type { Span, Stmt } from './ast';
import { makeBuiltins } from './builtins';
import { Interpreter } from './evaluator';
import { pyError } from './exceptions';
import { parseModule } from './parse';
import type { Diagnostic, EncodedNumber, EncodedValue, PyErrorInfo, RunOptions, RunResult, Snapshot } from './result';
import { Scope } from './scope';
import { PyException, PyList, PyNamedTuple, PyTuple, PyValue } from './values';
import { derivedFor } from './derived';
import { analyzeMasks, consumerLegend, markRandom, nameLegend } from './masks';

export type { RunOptions, RunResult } from './result';

export const DEFAULT_MAX_STEPS = 2_000_000;

function encodeNumber(x: number, isBool: boolean, isInt: boolean): EncodedNumber {
  if (isBool) return x !== 0;
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  return isInt ? x : x;
}

/** A Python value in the golden JSON shape, or undefined for what golden.py skips. */
export function encodeValue(v: PyValue): EncodedValue | undefined {
  if (v instanceof NumpyScalar) {
    const x = v.t.item();
    return { type: v.typeName as 'int', value: encodeNumber(x, v.t.dtype === 'bool', !v.t.isFloating) };
  }
  if (v instanceof ArrayValue) {
    const t = v.t;
    const isBool = t.dtype === 'bool';
    const isInt = !t.isFloating && !isBool;
    const data = Array.from(t.values(), (x) => encodeNumber(x, isBool, isInt));
    const type = v.library === 'torch' ? 'torch.Tensor' : v.library === 'numpy' ? 'numpy.ndarray' : 'tf.Tensor';
    return { type, dtype: v.library === 'torch' ? `torch.${t.dtype}` : t.dtype, shape: [...t.shape], data };
  }
  if (typeof v === 'boolean') return { type: 'bool', value: v };
  if (typeof v === 'bigint') return { type: 'int', value: Number(v) };
  if (typeof v === 'number') return { type: 'float', value: encodeNumber(v, false, false) };
  if (typeof v === 'string') return { type: 'str', value: v };
  if ((v instanceof PyList || v instanceof PyTuple) && !(v instanceof PyNamedTuple && v.fullName !== 'torch.Size')) {
    const items = v.items.map(encodeValue);
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
  };
}

/** Evaluate a snippet. Never throws: Python errors are part of the result. */
export function evaluate(source: string, options: RunOptions = {}): RunResult {
  const warnings: string[] = [];
  setElementBudget(options.maxElements ?? 1 << 27);
  const load = frameworkLoader();
  let interp!: Interpreter;
  const builtins = makeBuiltins((op, a, b) => interp.binary(op as never, a, b));
  interp = new Interpreter(builtins, (name) => load(name), {
    maxSteps: options.maxSteps ?? DEFAULT_MAX_STEPS,
    maxDepth: 200,
    deadline: options.timeBudgetMs === undefined ? Infinity : performance.now() + options.timeBudgetMs,
  }, unsupportedName);
  setWarningSink((m) => interp.warn(m));
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
  // storage of each snapshot's tensor: consumers are known only after later statements run
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
        const exc = interp.asPyException(e) ?? internalError(e);
        errors.push(errorInfo(exc, stmt.span));
        if (!continueAfterError) break;
      }
      if (options.recordTimeline) snapshot(stmt, scope, interp, timeline, storages);
    }
  }

  const variables: Record<string, EncodedValue> = {};
  for (const [name, v] of scope.vars) {
    if (name.startsWith('_')) continue;
    const enc = encodeValue(v);
    if (enc) variables[name] = enc;
  }
  warnings.push(...interp.warnings);
  const findings = analyzeMasks(timeline, (s) => {
    const storage = storages.get(s);
    return storage !== undefined && (hasMaskEvidence(storage) || consumerOf(storage) !== undefined || isRandom(storage));
  });
  for (const s of timeline) {
    const storage = storages.get(s);
    if (storage && isRandom(storage)) markRandom(s);
    const use = storage && consumerOf(storage);
    const named = use ? undefined : nameLegend(s.name, s.value);
    if (use) Object.assign(s, { consumer: use.consumer, legend: consumerLegend(use.consumer, use.dtype) });
    else if (named) Object.assign(s, { consumer: named.consumer, legend: { on: named.on, off: named.off } });
  }
  attachDerivations(timeline, storages);
  recordDerivations(false);
  recordMaskEvidence(false);
  setWarningSink(() => {});
  setDiagnosticSink(null);
  return {
    variables,
    stdout: interp.stdout,
    warnings: [...new Set(warnings)].sort(),
    error: errors[0] ?? null,
    errors,
    timeline,
    diagnostics: [...consumed, ...findings].sort((a, b) => a.line - b.line),
  };
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

function internalError(e: unknown): PyException {
  // A bug in Mask Lens must not take the preview down; report it as Python would an unknown failure.
  const message = e instanceof Error ? e.message : String(e);
  return pyError('RuntimeError', `Mask Lens internal error: ${message}`);
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

function snapshot(stmt: Stmt, scope: Scope, interp: Interpreter, timeline: Snapshot[], storages: Map<Snapshot, object>): void {
  for (const name of assignedNames(stmt)) {
    const v = scope.vars.get(name);
    if (v === undefined) continue;
    const value = encodeValue(v);
    if (!value) continue;
    let repr: string;
    try {
      repr = interp.repr(v);
    } catch {
      repr = '<unprintable>';
    }
    const s: Snapshot = {
      line: stmt.span.line, endLine: stmt.span.endLine, name, value, repr,
      ...(v instanceof TorchTensor && v.requiresGrad ? {} : {}),
    };
    timeline.push(s);
    if (v instanceof ArrayValue) storages.set(s, v.t.storage);
  }
}
