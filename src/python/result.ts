// What one evaluation of a snippet leaves behind. The JSON form of
// `RunResult` (minus `timeline`/`errors`/`diagnostics`) is exactly the
// golden-file schema in ../shared/golden, and is the CLI's output contract.

import type { MemoryProbe } from '../engine/context';

export type EncodedNumber = number | boolean | 'nan' | 'inf' | '-inf';

export type EncodedValue =
  | {
      type: 'torch.Tensor' | 'numpy.ndarray' | 'tf.Tensor';
      dtype: string;
      shape: number[];
      data: EncodedNumber[];
      /** Data not inlined (more than RunOptions.inlineElements): `data` is empty; fetch slices through src/service. */
      elided?: true;
      /**
       * int64 elements beyond 2^53, exactly: [flat index, decimal digits]
       * (`data` holds their nearest doubles). Tables show the digits; --json
       * writes them as its number literals, as golden.py does.
       */
      exact?: [number, string][];
    }
  | {
      type: 'int' | 'float' | 'bool' | 'str';
      value: EncodedNumber | string;
      /** An int beyond 2^53, exactly (`value` is its nearest double). */
      exact?: string;
    }
  /** A list or tuple; a named tuple carries its class name (`Size`, `max` for torch.return_types.max) as its type. */
  | { type: 'list' | 'tuple'; items: EncodedValue[] }
  /**
   * A value the golden record skips but an editor shows by its repr (the
   * snapshot's): None, a @dataclass instance. Only in snapshots (timelines,
   * a call's return), never in `variables`. `class` is `type(v).__name__`.
   */
  | { type: 'object'; class: string }
  /**
   * A dict (a kv_cache, a config): its size and its first DICT_ENTRIES_SHOWN
   * entries, each key's repr and its value's summary (`torch.float32 [2,
   * 4, 8]`, `2`, `list (3 items)`). Only in snapshots, like 'object'.
   */
  | { type: 'dict'; class: string; size: number; entries: { key: string; summary: string }[] };

/** How many entries a dict's snapshot keeps (EncodedValue 'dict'). */
export const DICT_ENTRIES_SHOWN = 16;

/** A dict's size as its hover, badge and summaries say it: `1 entry`, `3 entries`. */
export function entriesText(size: number): string {
  return `${size} entr${size === 1 ? 'y' : 'ies'}`;
}

/** A Python exception as the snippet would have raised it. Lines are 1-based. */
export interface PyErrorInfo {
  type: string; // "AttributeError"
  message: string; // "'Tensor' object has no attribute 'unsequeeze'"
  line: number;
  column?: number; // 0-based, where known
  endLine?: number;
  endColumn?: number;
  /** InternalError only: the JavaScript failure behind it, for bug reports; never shown to users. */
  detail?: string;
  /**
   * A knock-on NameError: `name` was never bound because the statement that
   * binds it failed at `line` (directly or through another knock-on). An
   * editor shows it as information ("not evaluated"), the cause as the error.
   */
  consequenceOf?: { line: number; name: string };
}

/**
 * An exception as Python's traceback ends with it: `AssertionError: msg`, or the bare
 * type when str(exc) is empty (`assert x`, `raise ValueError()`), as
 * traceback.format_exception_only writes it.
 */
export function errorText(e: Pick<PyErrorInfo, 'type' | 'message'>): string {
  return e.message ? `${e.type}: ${e.message}` : e.type;
}

/**
 * `constant`: every element alike (all False, all True, all -inf): what it masks depends on its reader's polarity.
 * `selection`: a bool matrix of whole rows True or False that nothing built or read as a mask (whisper's
 * alignment-heads `all_heads`): it picks rows, it masks no attention.
 */
export type MaskKind = 'padding' | 'causal' | 'anti-causal' | 'sliding-window' | 'prefix-lm' | 'block-diagonal' | 'chunked-causal' | 'combined' | 'additive' | 'random' | 'constant' | 'selection' | 'other';

/** How a mask kind reads in a hover or badge: `causal mask`, and `bool selection` for a selection (no mask). */
export function maskKindLabel(kind: MaskKind): string {
  return kind === 'selection' ? 'bool selection' : `${kind} mask`;
}

/** What a mask grid's ■ (True / non-zero) and ⬚ (False / zero) mean to the code that reads the mask. */
export interface MaskLegend {
  on: string;
  off: string;
}

/** Something worth telling an ML engineer about a mask (see issue #6). */
export interface Diagnostic {
  code: string; // e.g. "fully-masked-row"
  severity: 'error' | 'warning' | 'info';
  message: string;
  line: number;
  variable?: string;
}

/**
 * A binding as it stood right after the statement on `line`: a module-level
 * name, or (in a CallRecord's timeline) a local, an argument or `self.attr`.
 * Writes that rebind nothing (`x[m] = v`, `x.add_(1)`, `self.mask = m`)
 * record a new snapshot of what they change. `name` is a dotted path for
 * attributes (`self.mask`).
 */
export interface Snapshot {
  line: number;
  endLine: number;
  name: string;
  value: EncodedValue;
  repr: string; // what print(value) would show
  mask?: MaskKind;
  /** Human summary of the mask's form and masked fraction, e.g. "padding (right, lengths 3, 2) · 37.5% masked". */
  maskSummary?: string;
  /** Who reads this value as a mask (masked_fill, scaled_dot_product_attention, ...), or a name convention (attention_mask). */
  consumer?: string;
  /** The consumer's meaning of ■ and ⬚; absent when nothing says. */
  legend?: MaskLegend;
  /** A mask's parts, so a viewer can say which part masked a cell: padding lengths (per batch row), causal. */
  maskParts?: MaskParts;
  /** How the value was computed, where the inspector has a view for it. */
  derived?: Derived;
  /** Set when the editor went on past an error: "after an error at line 7; Python would have stopped". */
  note?: string;
}

/** One recorded call of a user-defined function or method. Lines are 1-based. */
export interface CallRecord {
  /** Qualified name, as Python's __qualname__: "create_padding_mask", "Attn.forward", "outer.<locals>.inner". */
  function: string;
  /** Line of the `def` (of its first decorator-less line), and the last line of its body. */
  line: number;
  endLine: number;
  /** 1-based index among this function's calls, counting the unrecorded ones. */
  call: number;
  /** Line of the call expression; 0 when Mask Lens made the call (Preview with Arguments). */
  calledFrom: number;
  /** The call expression's span, where there is one (hover on a call shows what it returned). */
  site?: { line: number; column: number; endLine: number; endColumn: number };
  /** Arguments and `self` attributes (at the def line), then every write in the body, in order. */
  timeline: Snapshot[];
  /** The locals' values when the call ended. */
  variables: Record<string, EncodedValue>;
  /** What it returned (absent for values the golden schema cannot hold, such as None, and when it raised). */
  returned?: Snapshot;
  /** The error the call ended with. */
  error?: PyErrorInfo;
  /** The element budget ran out: some values of this call were not recorded. */
  truncated?: boolean;
}

/** A function or method the file defines, called or not. */
export interface FunctionInfo {
  function: string; // qualified name
  name: string;
  line: number;
  endLine: number;
  /** Each parameter's source text, e.g. "seq: Tensor", "pad_token=0", "*args". */
  params: string[];
  /** Defined directly in a class body (its first parameter is the instance). */
  method: boolean;
  /** How many times it was called (recorded or not). */
  calls: number;
  /** A `@x.setter` / `@x.deleter` def: it shares its property's qualified name, and Preview with Arguments reaches the getter. */
  accessor?: 'fset' | 'fdel';
}

export interface MaskParts {
  /** Real length of each batch row; keys past it (before it, with left padding) are padding. */
  lengths?: number[];
  side?: 'left' | 'right';
  /** Padding on both sides in one batch: each batch row's side, instead of `side`. */
  sides?: ('left' | 'right')[];
  /** Keys after the query are masked. */
  causal?: boolean;
  /** A causal sliding window: keys more than window - 1 before the query are masked too. */
  window?: number;
  /** Polarity: True / 1 means attend (a keep-mask); false: True / 1 / -inf means masked. */
  keep?: boolean;
  /** causal: query r sees keys up to r + offset (cols - rows for a bottom-right-aligned mask); 0 when absent. */
  offset?: number;
  /** The (query, key) dims when they are not the last two (a `[query, key, batch]` mask). */
  dims?: [number, number];
  /**
   * A seq-first [T, B] padding mask (pad_sequence's default batch_first=False,
   * nn.Transformer's layout): keys (time steps) run down dim 0 and batch rows
   * along dim 1, so `lengths` are per column.
   */
  seqFirst?: true;
}

/** A mask applied by masked_fill: which positions it filled, with what, and the values before. */
export interface MaskedBy {
  /** torch.bool, broadcast to the filled tensor's shape: True where the fill was written. */
  mask: EncodedValue;
  fill: EncodedNumber;
  /** The variable that holds the mask, where one does. */
  name?: string;
  /** The tensor before filling (attention scores, say). */
  before: EncodedValue;
}

/**
 * How a value was computed, for the inspector's views: a softmax (over `dim`,
 * of `scores`, maybe masked), a masked_fill, or a class-index loss with each
 * target's contribution. Recorded only for tensors small enough to send.
 */
export type Derived =
  | { op: 'softmax' | 'log_softmax'; dim: number; scores: EncodedValue; scoresName?: string; masked?: MaskedBy }
  | { op: 'masked_fill'; masked: MaskedBy }
  | {
      op: 'cross_entropy' | 'nll_loss';
      /** Each target's loss, as reduction='none' gives it (0 where ignored). */
      perToken: EncodedValue;
      target: EncodedValue;
      ignoreIndex: number;
      reduction: 'none' | 'mean' | 'sum';
      /** Targets that count (not equal to ignore_index), of `total`. */
      counted: number;
      total: number;
    };

export interface RunResult {
  variables: Record<string, EncodedValue>;
  stdout: string;
  warnings: string[];
  error: PyErrorInfo | null; // the first error, where Python would have stopped
  errors: PyErrorInfo[]; // every error met when continuing past failed statements
  timeline: Snapshot[];
  diagnostics: Diagnostic[];
  /**
   * Set when Python stopped at an error on the file's last line of code (not
   * a syntax error): going past errors would run nothing more, so the values
   * the editor shows are `variables` (the CLI's --json then skips its second run).
   */
  failedAtEnd?: boolean;
  /**
   * A notebook's (with cellStartLines) Out[] values: each cell whose last
   * statement is an expression not ending in `;` and not None, as Jupyter's
   * displayhook shows it. `line` is the statement's line, `repr` its repr,
   * `stdoutAt` the length of `stdout` when it was shown (the cell's prints come before).
   */
  outputs?: { line: number; repr: string; stdoutAt: number }[];
  /** Recorded calls of user functions, in the order they started (with recordTimeline). */
  calls?: CallRecord[];
  /** Every function the source defines (with recordTimeline). */
  functions?: FunctionInfo[];
}

/**
 * Where a value of one evaluation lives, so a host can ask for it later
 * (src/service): a top-level variable's final value, or the value a timeline
 * snapshot recorded. Per-call snapshots get their own kind when RunResult
 * records them.
 */
export type SnapshotAddress =
  | { kind: 'variable'; name: string }
  | { kind: 'timeline'; index: number }
  /** calls[call].timeline[index]; index -1 is what the call returned */
  | { kind: 'call'; call: number; index: number };

export interface RunOptions {
  /** Keep evaluating later top-level statements after one fails (editor previews). */
  continueAfterError?: boolean;
  /** Interpreter steps before raising a TimeoutError-like error (infinite loops). */
  maxSteps?: number;
  /** Wall-clock budget in ms (editor previews must not block the extension host). */
  timeBudgetMs?: number;
  /** Largest single allocation (tensor or list elements, string characters, int bits); over it is MemoryError. */
  maxElements?: number;
  /** The setting `maxElements` comes from, named in MemoryError messages (e.g. "--max-elements"). */
  budgetSetting?: string;
  /** Record `timeline` snapshots (editor previews). */
  recordTimeline?: boolean;
  /** Called with each top-level error as it happens (a host that may stop the evaluation keeps them). */
  onError?: (error: PyErrorInfo) => void;
  /**
   * Where the line executing now is written (progress[0]), for a host that
   * may stop the evaluation; progress[FINISHING_CELL], where the array has
   * it, is set to 1 once the evaluation is past its statements.
   */
  progress?: Int32Array;
  /** The bound on the total memory the evaluation's worker holds (MemoryError past it); none by default. */
  memory?: MemoryProbe;
  /** Tensors with more elements are returned without data (`elided`); default: all inlined. */
  inlineElements?: number;
  /** Stop after the statement that ends on this 1-based line (preview at cursor). */
  stopAfterLine?: number;
  /** With recordTimeline: calls recorded per function (maskLens.calls.maxRecorded); 0 records none. Default 8. */
  maxRecordedCalls?: number;
  /** With recordTimeline: elements all recorded calls may hold together (memory bound). */
  callElementBudget?: number;
  /**
   * 1-based lines where notebook cells start (the source is the cells joined
   * in order). Each cell parses on its own, and an error ends only its cell,
   * as running the cells one after another would.
   */
  cellStartLines?: number[];
  /** After the source runs, call this function with these argument expressions (Preview with Arguments…). */
  previewCall?: { function: string; args: string };
}

/** How many calls of each function are recorded by default (setting maskLens.calls.maxRecorded). */
export const DEFAULT_MAX_RECORDED_CALLS = 8;

/**
 * Whether an error is Mask Lens's own limit rather than a fault of the code:
 * the NotImplementedError of a name it does not model or of a side effect it
 * does not perform ("flask.Flask is not modelled by Mask Lens", "open() is not
 * supported: Mask Lens does not read files"). Python would run that line, so an
 * editor shows it as information, not as an error in the code; a user's own
 * `raise NotImplementedError(...)` does not name Mask Lens and stays an error.
 */
export function isMaskLensLimit(e: Pick<PyErrorInfo, 'type' | 'message'>): boolean {
  return e.type === 'NotImplementedError' && /\bMask Lens\b/.test(e.message);
}

/**
 * What an editor says on a knock-on error's line: "not evaluated: `x` was not
 * bound because line 2 failed"; `at` names a line otherwise ("cell 1, line 2").
 */
export function notEvaluatedMessage(e: PyErrorInfo, at: (line: number) => string = (line) => `line ${line}`): string | undefined {
  return e.consequenceOf && `not evaluated: \`${e.consequenceOf.name}\` was not bound because ${at(e.consequenceOf.line)} failed`;
}

/**
 * The progress cell (RunOptions.progress) the evaluation sets to 1 once it is
 * past its statements: binding the definitions after a time-budget stop
 * (within their own small allowance) or doing its bookkeeping (recording,
 * encoding: bounded by the element budget, not the clock). A host that
 * would terminate it at the end of its grace waits for that result instead.
 */
export const FINISHING_CELL = 1;
