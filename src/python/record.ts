// Call recording: what the hover, the inspector and `masklens run` show for
// names that live inside functions and methods. The interpreter reports calls
// and finished statements (ExecObserver); the Recorder turns them into
// snapshots: the module's timeline, and one CallRecord per recorded call.
//
// Memory is bounded twice over: only the first `maxRecorded` calls of each
// function are recorded (later ones only bump a counter), and all recorded
// calls together hold at most `elementBudget` tensor elements. A loop in a
// call replaces its own snapshots (one per line and name) instead of adding.

import { currentContext, untimed } from '../engine/context';
import { cast } from '../engine/ops/core';
import type { Tensor } from '../engine/tensor';
import type * as A from './ast';
import { childBodies } from './outline';
import { encodeShown, encodeValue } from './encode';
import type { ExecObserver, Interpreter } from './evaluator';
import type { CallRecord, EncodedValue, PyErrorInfo, Snapshot } from './result';
import type { Scope } from './scope';
import { PyClass, PyDict, PyException, PyFunction, PyInstance, PyList, PyModule, PyTuple, TensorValue, type PyValue } from './values';

/** Calls recorded per function unless the caller says otherwise (maskLens.calls.maxRecorded). */
import { DEFAULT_MAX_RECORDED_CALLS, DICT_ENTRIES_SHOWN } from './result';

export { DEFAULT_MAX_RECORDED_CALLS };
/** Tensor elements all recorded calls may hold together: about 8-16 MB of JSON numbers. */
export const DEFAULT_CALL_ELEMENT_BUDGET = 1 << 20;

/** A snapshot past the recorded calls' element budget: its dtype and shape only. */
export const BUDGET_SPENT_NOTE = 'not recorded: the element budget of recorded calls is spent';

/** Python container methods that change their object in place (tensor ones end in `_`). */
const MUTATORS = new Set(['append', 'extend', 'insert', 'pop', 'remove', 'clear', 'sort', 'reverse', 'update', 'setdefault', 'add', 'discard']);

/** `a`, `self.mask`: the dotted path an expression names, if it is one. */
function pathOf(e: A.Expr): string | undefined {
  if (e.kind === 'Name') return e.id;
  if (e.kind === 'Attribute') {
    const base = pathOf(e.value);
    return base === undefined ? undefined : `${base}.${e.attr}`;
  }
  return undefined;
}

/** The variable a write through `e` changes: `labels` for `labels[m]`, `self.mask` for `self.mask[0]`. */
function rootOf(e: A.Expr): string | undefined {
  return e.kind === 'Subscript' ? rootOf(e.value) : pathOf(e);
}

function targetPaths(t: A.Target): string[] {
  switch (t.kind) {
    case 'Name':
      return [t.id];
    case 'Attribute': {
      // `args.dim = 8` changes `args` too: a dataclass instance is recorded whole, by its repr
      const path = pathOf(t);
      return path === undefined ? [] : [path, path.slice(0, path.indexOf('.'))];
    }
    case 'Subscript':
      return [rootOf(t.value)].filter((p): p is string => p !== undefined);
    case 'Tuple':
    case 'List':
      return t.elts.flatMap(targetPaths);
    case 'Starred':
      return targetPaths(t.value);
    default:
      return [];
  }
}

/**
 * Functions that change their first argument in place: np.random.shuffle(x), rng.shuffle(x),
 * random.shuffle(xs), np.put_along_axis(mask, idx, 1, -1) (wav2vec2's span masks).
 */
const ARGUMENT_MUTATORS = new Set(['shuffle', 'put_along_axis']);

/** `x.masked_fill_(m, 0)`, `xs.append(1)`, `rng.shuffle(x)`: the object an in-place call changes. */
function inPlaceRoot(e: A.Expr | null): string | undefined {
  if (!e || e.kind !== 'Call' || e.func.kind !== 'Attribute') return undefined;
  const attr = e.func.attr;
  if (ARGUMENT_MUTATORS.has(attr)) return e.args.length && e.args[0].kind !== 'Starred' ? rootOf(e.args[0]) : undefined;
  const inPlace = (attr.endsWith('_') && !attr.startsWith('_')) || MUTATORS.has(attr);
  return inPlace ? rootOf(e.func.value) : undefined;
}

/** `torch.arange(n, out=buf)`: the tensor an `out=` argument writes into. */
function outRoot(e: A.Expr | null): string | undefined {
  if (!e || e.kind !== 'Call') return undefined;
  const out = e.keywords.find((k) => k.name === 'out');
  return out ? rootOf(out.value) : undefined;
}

/**
 * Names and attribute paths whose object a statement changes in place (a
 * subscript write, `x += 1`, an in-place method call, an `out=` argument):
 * other names holding a view of the same storage change with them.
 */
export function inPlacePaths(stmt: A.Stmt): string[] {
  let paths = inPlaceCache.get(stmt);
  if (!paths) inPlaceCache.set(stmt, (paths = computeInPlacePaths(stmt)));
  return paths;
}

const inPlaceCache = new WeakMap<A.Stmt, string[]>();

function subscriptRoots(t: A.Target): (string | undefined)[] {
  if (t.kind === 'Subscript') return [rootOf(t.value)];
  if (t.kind === 'Tuple' || t.kind === 'List') return t.elts.flatMap(subscriptRoots);
  if (t.kind === 'Starred') return subscriptRoots(t.value);
  return [];
}

function computeInPlacePaths(stmt: A.Stmt): string[] {
  return statementPaths(stmt, subscriptRoots, false);
}

/**
 * Names and attribute paths a statement binds or changes: assignment targets
 * (a subscript or attribute write changes its root), loop and `with` targets,
 * the object of an in-place method call, and the tensor an `out=` argument fills.
 */
export function writtenPaths(stmt: A.Stmt): string[] {
  let paths = writtenCache.get(stmt);
  if (!paths) writtenCache.set(stmt, (paths = computeWrittenPaths(stmt)));
  return paths;
}

/** A loop runs the same statements again and again: their paths are worked out once. */
const writtenCache = new WeakMap<A.Stmt, string[]>();

function computeWrittenPaths(stmt: A.Stmt): string[] {
  return statementPaths(stmt, targetPaths, true);
}

/**
 * The paths a statement writes: its assignment targets as `target` reads
 * them (every target, or only subscript roots for in-place writes), `x op=`
 * targets, the object of an in-place method call, the tensor an `out=`
 * argument fills, and with `bindings` loop and `with` targets.
 */
function statementPaths(stmt: A.Stmt, target: (t: A.Target) => (string | undefined)[], bindings: boolean): string[] {
  const out: (string | undefined)[] = [];
  switch (stmt.kind) {
    case 'Assign':
      out.push(...stmt.targets.flatMap(target), inPlaceRoot(stmt.value), outRoot(stmt.value));
      break;
    case 'AugAssign':
      out.push(...targetPaths(stmt.target));
      break;
    case 'AnnAssign':
      if (stmt.value) out.push(...target(stmt.target), inPlaceRoot(stmt.value));
      break;
    case 'For':
      if (bindings) out.push(...targetPaths(stmt.target));
      break;
    case 'With':
      if (bindings) for (const item of stmt.items) if (item.target) out.push(...targetPaths(item.target));
      break;
    case 'Expr':
      out.push(inPlaceRoot(stmt.value), outRoot(stmt.value));
      break;
  }
  return [...new Set(out.filter((p): p is string => p !== undefined))];
}

/** The value at a dotted path, reading instance, class and module attributes without running code. */
function readPath(scope: Scope, path: string): PyValue | undefined {
  const [head, ...attrs] = path.split('.');
  let v = scope.lookup(head);
  for (const a of attrs) {
    if (v instanceof PyInstance || v instanceof PyModule || v instanceof PyClass) v = v.dict.get(a);
    else return undefined;
  }
  return v;
}

/**
 * Tensors of more elements than this are not copied for the timeline (a
 * copy of the [8, 8, 1024, 1024] scores would double the 256 MiB the snippet
 * holds; issue #15): their snapshot is printed at once, and its data is read
 * later from the tensor itself for as long as the tensor is unchanged
 * (SnapshotTensors checks a fingerprint of its storage). 2^20 elements
 * (4 MiB of float32) cost about 1 ms to copy; a 1024 × 1024 mask stays a copy.
 */
export const TIMELINE_COPY_LIMIT = 1 << 20;

/**
 * A 64-bit fingerprint of a storage's bytes (two 32-bit FNV-style lanes
 * over 32-bit words, then the tail bytes): an in-place write anywhere in
 * it changes the fingerprint except by a 2^-64 chance. About 60 ms for
 * 256 MiB, where a copy costs as long and 256 MiB more.
 */
export function storageFingerprint(data: ArrayBufferView): string {
  const words = data.byteOffset % 4 === 0 ? new Int32Array(data.buffer, data.byteOffset, data.byteLength >> 2) : new Int32Array(0);
  let a = 0x811c9dc5 | 0, b = 0x01000193 ^ data.byteLength;
  let i = 0;
  for (; i + 1 < words.length; i += 2) {
    a = Math.imul(a ^ words[i], 0x01000193);
    b = Math.imul(b ^ words[i + 1], 0x5bd1e995);
  }
  if (i < words.length) a = Math.imul(a ^ words[i], 0x01000193);
  const bytes = new Uint8Array(data.buffer, data.byteOffset + words.length * 4, data.byteLength - words.length * 4);
  for (const x of bytes) b = Math.imul(b ^ x, 0x5bd1e995);
  return `${(a >>> 0).toString(16)}:${(b >>> 0).toString(16)}`;
}

/**
 * The tensors behind snapshots whose data was not inlined, by snapshot:
 * a copy (small tensors), or the tensor itself with its storage's
 * fingerprint (big ones, see TIMELINE_COPY_LIMIT), which `get` returns
 * only while the storage still holds the bytes it held at the snapshot.
 */
export class SnapshotTensors extends Map<Snapshot, Tensor> {
  private readonly fingerprints = new Map<Snapshot, string>();

  /** Keep `t` itself for `s` (not a copy): readable while its storage is unchanged. */
  setLive(s: Snapshot, t: Tensor): void {
    this.set(s, t);
    this.fingerprints.set(s, storageFingerprint(t.storage.data));
  }

  override get(s: Snapshot): Tensor | undefined {
    const t = super.get(s);
    const print = this.fingerprints.get(s);
    if (!t || print === undefined) return t;
    // changed in place since (x.masked_fill_(...), x[m] = v, through a view): its data at the snapshot is gone
    return storageFingerprint(t.storage.data) === print ? t : undefined;
  }

  /**
   * The evaluation is over and nothing writes to its tensors any more:
   * check each big tensor once, forget those changed since their snapshot,
   * and serve the rest without checking again.
   */
  settle(): void {
    for (const s of this.fingerprints.keys()) if (!this.get(s)) super.delete(s);
    this.fingerprints.clear();
  }

  override delete(s: Snapshot): boolean {
    this.fingerprints.delete(s);
    return super.delete(s);
  }
}

/** The same tensor value with its own copy of the data (its grad_fn and requires_grad kept for printing). */
function frozenCopy(v: TensorValue): TensorValue {
  const t = cast(v.t, v.t.dtype);
  t.grad = { ...v.t.grad };
  return Object.assign(Object.create(Object.getPrototypeOf(v) as object) as TensorValue, v, { t });
}

/** Two tensor values print alike when this matches: class, autograd suffix, dtype, shape and data. */
function printKey(v: TensorValue, value: EncodedValue): string {
  const g = v.t.grad;
  // flags a wrapper prints from (a Parameter's "Parameter containing:", say)
  const flags = Object.entries(v).filter(([k, x]) => k !== 't' && (x === null || typeof x !== 'object')).map(([k, x]) => `${k}=${String(x)}`);
  return `${v.constructor.name}|${flags.join(',')}|${g.gradFn ?? ''}|${g.requiresGrad}|${JSON.stringify(value)}`;
}

/** The repr of a value whose __repr__ raised. */
const UNPRINTABLE = '<unprintable>';

/** Elements a value holds once encoded (what the element budget counts). */
function elementsOf(v: PyValue): number {
  if (v instanceof TensorValue) return v.t.shape.reduce((a, b) => a * b, 1);
  if (v instanceof PyList || v instanceof PyTuple) return v.items.reduce((n: number, x) => n + elementsOf(x), 0);
  return 1;
}

/** Tensor elements a dict's repr would print past which the snapshot keeps no repr (its entries' summaries stand). */
const DICT_REPR_ELEMENTS = 256;

/** Elements a dict's values hold (tensors, and lists and tuples of them), one level down. */
function dictElements(d: PyDict): number {
  let n = 0;
  for (const [, value] of d.entries.values()) n += elementsOf(value);
  return n;
}

function encodedElements(v: EncodedValue): number {
  if ('data' in v) return v.data.length;
  if ('items' in v) return v.items.reduce((n, x) => n + encodedElements(x), 0);
  return 1;
}

/** Where an error happened, for a CallRecord (same shape as RunResult.errors). */
export function errorInfo(e: PyException, fallback?: A.Span): PyErrorInfo {
  const span = e.span ?? fallback;
  return {
    // the whole message: the hover and Problems show PyTorch's indented detail lines
    // (arg-parser signatures, load_state_dict's key lists); --json keeps the first (cli.ts)
    type: e.pyType, message: e.pyMessage, line: span?.line ?? 0, column: span?.column, endLine: span?.endLine, endColumn: span?.endColumn,
    // the JavaScript text of an internal error, kept for bug reports and never shown (see jsErrors.ts)
    ...(e.detail ? { detail: e.detail } : {}),
  };
}

interface Frame {
  record: CallRecord;
  /** timeline index of each (line, name): a loop replaces instead of appending */
  keys: Map<string, number>;
  /** each local's latest snapshot (CallRecord.variables) */
  latest: Map<string, Snapshot>;
  /** writeSeq when this frame's latest statement ended: storages written after it were written by the statement running now */
  checked: number;
  /** The names whose latest snapshot shows a dict (recordDictWrites checks these only). */
  dictNames: Set<string>;
}

export interface RecorderOptions {
  maxRecorded?: number;
  elementBudget?: number;
  /** Tensors larger than this keep shape and dtype only; their data is fetched later (RunOptions.inlineElements). */
  inlineElements?: number;
}

/** Records the module timeline and the first calls of each function; see the file header. */
export class Recorder implements ExecObserver {
  /** Module-level snapshots, in the order first recorded. */
  readonly timeline: Snapshot[] = [];
  readonly calls: CallRecord[] = [];
  /** Calls per qualified name, recorded or not. */
  readonly counts = new Map<string, number>();
  /** Each tensor snapshot's storage: its consumers are known only once later statements ran. */
  readonly storages = new Map<Snapshot, object>();
  /** Reprs not printed yet: a loop replaces most snapshots before anyone reads them (see finish). */
  private readonly pendingRepr = new Map<Snapshot, { key: () => string; print: () => string }>();
  private readonly moduleKeys = new Map<string, number>();
  private readonly frames = new WeakMap<Scope, Frame>();
  /**
   * In-place writes, in order: each written storage's latest sequence number.
   * A frame's statement changed every storage written after the frame's
   * previous statement ended, in a callee as well (a view made there).
   */
  private writeSeq = 0;
  private readonly writtenAt = new WeakMap<object, number>();
  /** The module's frame-like state: its latest snapshot of each name, and its writeSeq checkpoint. */
  private readonly moduleLatest = new Map<string, Snapshot>();
  private moduleChecked = 0;
  /** The tensors of snapshots whose data was not inlined (fetched by address later): copies, or unchanged big tensors. */
  readonly elided = new SnapshotTensors();
  private readonly maxRecorded: number;
  private readonly inline: number;
  private elementsLeft: number;
  /** The note later values carry once the editor went on past an error. */
  private note: string | undefined;
  /** Set while Mask Lens itself makes a call (Preview with Arguments) until the previewed function is entered: its call site is no source line. */
  previewing = false;
  /** The dict each dict snapshot shows, and its state then (dictState): a callee's change to it is seen at the calling line. */
  private readonly dicts = new WeakMap<Snapshot, { dict: PyDict; state: string }>();
  private readonly ids = new WeakMap<object, number>();
  private lastId = 0;
  private readonly moduleDictNames = new Set<string>();
  /**
   * The function Preview with Arguments calls: its first call from then on
   * is recorded past maxRecorded (a file that called LayerNorm.forward eight
   * times still previews it).
   */
  previewTarget: string | undefined;
  /**
   * The latest function or class each `def`/`class` inside a function made,
   * by qualified name ("outer.<locals>.inner"): Preview with Arguments…
   * reaches nested functions through them, closures and all.
   */
  readonly nested = new Map<string, PyValue>();
  /** Each running call's qualified name, by its scope (recorded or not): names what its body defines. */
  private readonly owners = new WeakMap<Scope, string>();

  constructor(
    private readonly interp: Interpreter,
    private readonly module: Scope,
    private readonly qualnames: Map<A.FunctionDef, string>,
    options: RecorderOptions = {},
  ) {
    this.maxRecorded = Math.max(0, options.maxRecorded ?? DEFAULT_MAX_RECORDED_CALLS);
    this.elementsLeft = options.elementBudget ?? DEFAULT_CALL_ELEMENT_BUDGET;
    this.inline = options.inlineElements ?? Infinity;
  }

  /** An error was reported (at `where`: "line 7", "cell 2, line 3") and evaluation goes on: later values differ from what Python would show. */
  errorContinued(where: string): void {
    this.note ??= `after an error at ${where}; Python would have stopped`;
  }

  /** A new notebook cell: an earlier cell's error no longer stands in the way. */
  newCell(): void {
    this.note = undefined;
  }

  enterCall(fn: PyFunction, scope: Scope, site: A.Span | undefined): Frame | undefined {
    if (fn.def.kind !== 'FunctionDef') return undefined;
    const def = fn.def;
    const qualname = this.qualnames.get(def) ?? fn.name;
    const n = (this.counts.get(qualname) ?? 0) + 1;
    this.counts.set(qualname, n);
    this.owners.set(scope, qualname);
    // maxRecorded 0 records no call at all, a preview's included (the setting's "none")
    const target = this.previewing && qualname === this.previewTarget && this.maxRecorded > 0;
    if (target) this.previewTarget = undefined;
    if (n > this.maxRecorded && !target) return undefined;
    const fromSource = site && !this.previewing;
    // the calls the previewed function makes have call sites in the file, as in any run
    if (target) this.previewing = false;
    const record: CallRecord = {
      function: qualname, line: def.span.line, endLine: def.span.endLine, call: n,
      calledFrom: fromSource ? site.line : 0,
      ...(fromSource ? { site: { line: site.line, column: site.column, endLine: site.endLine, endColumn: site.endColumn } } : {}),
      timeline: [], variables: {},
    };
    this.calls.push(record);
    const frame: Frame = { record, keys: new Map(), latest: new Map(), checked: this.writeSeq, dictNames: new Set() };
    this.frames.set(scope, frame);
    const p = def.params;
    const params = [...p.posonly, ...p.args, ...(p.vararg ? [p.vararg] : []), ...p.kwonly, ...(p.kwarg ? [p.kwarg] : [])];
    for (const param of params) this.add(frame, param.name, scope.vars.get(param.name), def.span.line, def.span.line);
    // `self.mask` hovers in any method: the instance's tensors as the call found them
    const self = fn.definingClass && params[0] ? scope.vars.get(params[0].name) : undefined;
    if (self instanceof PyInstance) {
      for (const [k, v] of self.dict) if (v instanceof TensorValue) this.add(frame, `${params[0].name}.${k}`, v, def.span.line, def.span.line);
    }
    return frame;
  }

  afterStatement(stmt: A.Stmt, scope: Scope): void {
    if ((stmt.kind === 'FunctionDef' || stmt.kind === 'ClassDef') && scope !== this.module) {
      const owner = this.owners.get(scope);
      const made = scope.vars.get(stmt.name);
      if (owner !== undefined && made !== undefined) this.nested.set(`${owner}.<locals>.${stmt.name}`, made);
    }
    this.noteInPlaceWrites(stmt, scope);
    const frame = scope === this.module ? undefined : this.frames.get(scope);
    if (scope !== this.module && !frame) return;
    const written = writtenPaths(stmt);
    for (const path of written) {
      try {
        untimed(() => {
          const v = readPath(scope, path);
          this.add(frame, path, v, stmt.span.line, stmt.span.endLine);
          // what a tensor carries (a Keras layer output's mask) is recorded beside it, as `x.<attribute>`
          if (v instanceof TensorValue) for (const [attribute, carried] of v.carriedTensors()) this.add(frame, `${path}.${attribute}`, carried, stmt.span.line, stmt.span.endLine);
        });
      } catch {
        // a value that cannot be recorded is left out of the timeline; the evaluation goes on
      }
    }
    this.recordAliasWrites(frame, scope, stmt, written);
    this.recordDictWrites(frame, scope, stmt, written);
  }

  /** A dict's contents as far as a snapshot shows them: its size and its shown entries' keys and values, by identity. */
  private dictState(d: PyDict): string {
    const parts = [String(d.entries.size)];
    for (const [hash, [, value]] of d.entries) {
      if (parts.length > DICT_ENTRIES_SHOWN) break;
      parts.push(hash, typeof value === 'object' && value !== null ? `#${this.identity(value)}` : String(value));
    }
    return parts.join('\u0000');
  }

  private identity(o: object): number {
    let id = this.ids.get(o);
    if (id === undefined) this.ids.set(o, (id = ++this.lastId));
    return id;
  }

  /**
   * Names of this frame (or the module) bound to a dict the statement just
   * ended changed without writing the name (a callee filled it: whisper's
   * kv_cache hooks, `fill(cache)`): a new snapshot at this line.
   */
  private recordDictWrites(frame: Frame | undefined, scope: Scope, stmt: A.Stmt, written: readonly string[]): void {
    const latest = frame ? frame.latest : this.moduleLatest;
    const changed: string[] = [];
    for (const name of frame ? frame.dictNames : this.moduleDictNames) {
      const seen = this.dicts.get(latest.get(name)!);
      if (seen && !written.includes(name) && this.dictState(seen.dict) !== seen.state) changed.push(name);
    }
    for (const name of changed) {
      try {
        untimed(() => this.add(frame, name, readPath(scope, name), stmt.span.line, stmt.span.endLine));
      } catch {
        // as above: left out
      }
    }
  }

  /** Mark the storages this statement wrote in place (in any call, recorded or not). */
  private noteInPlaceWrites(stmt: A.Stmt, scope: Scope): void {
    for (const path of inPlacePaths(stmt)) {
      try {
        const v = readPath(scope, path);
        if (v instanceof TensorValue) this.writtenAt.set(v.t.storage, ++this.writeSeq);
      } catch {
        // a path that cannot be read marks nothing; the evaluation goes on
      }
    }
  }

  /**
   * Names of this frame (or the module) whose tensor shares a storage that
   * the statement just ended wrote in place, here or in a callee (`X[~mask] =
   * value` on a reshape of the caller's X), and that the statement did not
   * record itself: a new snapshot at this line, as Python sees them now.
   */
  private recordAliasWrites(frame: Frame | undefined, scope: Scope, stmt: A.Stmt, written: readonly string[]): void {
    const since = frame ? frame.checked : this.moduleChecked;
    if (frame) frame.checked = this.writeSeq;
    else this.moduleChecked = this.writeSeq;
    if (since === this.writeSeq) return;
    const latest = frame ? frame.latest : this.moduleLatest;
    const stale = [...latest].filter(([name, s]) => {
      const storage = this.storages.get(s);
      return !written.includes(name) && storage !== undefined && (this.writtenAt.get(storage) ?? 0) > since;
    });
    for (const [name] of stale) {
      try {
        untimed(() => this.add(frame, name, readPath(scope, name), stmt.span.line, stmt.span.endLine));
      } catch {
        // as above: left out
      }
    }
  }

  exitCall(token: unknown, scope: Scope, returned: PyValue | undefined, error: unknown): void {
    if (!token) return;
    const frame = token as Frame;
    this.frames.delete(scope);
    const record = frame.record;
    if (error !== undefined) {
      const exc = this.interp.asPyException(error);
      if (exc) record.error = errorInfo(exc);
    } else if (returned !== undefined) {
      const line = this.interp.currentLine ?? record.line;
      const s = this.snapshot(frame, 'return', returned, line, line);
      if (s) record.returned = s;
    }
    // CallRecord.variables is --json's (golden-shaped) record: None and dataclass instances stay in the timeline
    for (const [name, s] of frame.latest) if (!name.includes('.') && !name.startsWith('_') && s.value.type !== 'object' && s.value.type !== 'dict') record.variables[name] = s.value;
  }

  /** Record `name`'s value after a statement on lines line..endLine: in a call's timeline, or the module's. */
  private add(frame: Frame | undefined, name: string, v: PyValue | undefined, line: number, endLine: number): void {
    if (v === undefined) return;
    const s = this.snapshot(frame, name, v, line, endLine);
    if (!s) return;
    const timeline = frame ? frame.record.timeline : this.timeline;
    const keys = frame ? frame.keys : this.moduleKeys;
    const key = `${line}\u0000${name}`;
    const at = keys.get(key);
    if (at === undefined) keys.set(key, timeline.push(s) - 1);
    else {
      const old = timeline[at];
      this.storages.delete(old);
      this.pendingRepr.delete(old);
      this.elided.delete(old);
      if (frame) this.elementsLeft += encodedElements(old.value);
      timeline[at] = s;
    }
    (frame ? frame.latest : this.moduleLatest).set(name, s);
    const dictNames = frame ? frame.dictNames : this.moduleDictNames;
    if (this.dicts.has(s)) dictNames.add(name);
    else dictNames.delete(name);
  }

  private snapshot(frame: Frame | undefined, name: string, v: PyValue, line: number, endLine: number): Snapshot | undefined {
    if (frame) {
      const n = elementsOf(v);
      if (n > this.elementsLeft) {
        frame.record.truncated = true;
        // the name's dtype and shape at this line without its data: skipping it would
        // leave an older snapshot (another shape, other values) standing for this line
        const value = v instanceof TensorValue ? encodeValue(v, 0) : undefined;
        return value ? { line, endLine, name, value, repr: '', note: BUDGET_SPENT_NOTE } : undefined;
      }
      this.elementsLeft -= n;
    }
    const value = encodeShown(v, this.inline, (x) => this.printed(x));
    if (!value) return undefined;
    const note = this.note ?? (v instanceof TensorValue ? v.valueNote : undefined);
    const s: Snapshot = { line, endLine, name, value, repr: '', ...(note ? { note } : {}) };
    if (v instanceof TensorValue && v.t.numel > Math.min(TIMELINE_COPY_LIMIT, currentContext().maxElements)) {
      // a big tensor (or an expand()ed view past the budget): printed now (a summary of its corners), its data kept only while unchanged
      this.storages.set(s, v.t.storage);
      s.repr = this.printed(v);
      if ('elided' in value) this.elided.setLive(s, v.t);
    } else if (v instanceof TensorValue) {
      this.storages.set(s, v.t.storage);
      // printing is most of a snapshot's cost: keep a copy (later in-place writes must not show) and print it at the end
      const frozen = frozenCopy(v);
      if ('elided' in value) this.elided.set(s, frozen.t);
      // the key too is made at the end: a loop replaces most snapshots, and keying reads every element
      this.pendingRepr.set(s, { key: () => printKey(frozen, value), print: () => this.interp.repr(frozen) });
    } else if (v instanceof PyDict) {
      this.dicts.set(s, { dict: v, state: this.dictState(v) });
      // Python's repr prints every tensor in it whole: for a kv_cache, the entries' summaries say it better
      s.repr = dictElements(v) <= DICT_REPR_ELEMENTS ? this.printed(v) : '';
    } else {
      s.repr = this.printed(v);
      // an object is shown by its repr alone: one that cannot print (a dataclass mid-__init__) is not shown
      if (value.type === 'object' && s.repr === UNPRINTABLE) return undefined;
    }
    return s;
  }

  private printed(v: PyValue): string {
    // a dataclass's repr reprs its fields, and a field's own __repr__ may print: that output is no part of the run's
    const stdout = this.interp.stdout;
    try {
      return this.interp.repr(v);
    } catch {
      return UNPRINTABLE;
    } finally {
      this.interp.stdout = stdout;
    }
  }

  /** Print the reprs of the snapshots that survived; call once, after evaluation. */
  finish(): void {
    // an argument is often the caller's variable, a return value the callee's local: print each value once
    const printed = new Map<string, string>();
    for (const [s, { key: keyOf, print }] of this.pendingRepr) {
      const key = keyOf();
      let text = printed.get(key);
      if (text === undefined) {
        try {
          text = print();
        } catch {
          text = UNPRINTABLE;
        }
        printed.set(key, text);
      }
      s.repr = text;
    }
    this.pendingRepr.clear();
  }
}
