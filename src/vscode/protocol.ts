// Every message between the extension host and the tensor inspector webview.
// Both sides import this file, so a message that one side sends and the other
// does not handle is a type error (see the exhaustive switches).
import type { Diagnostic, EncodedValue, MaskKind, MaskLegend, PyErrorInfo } from '../python/result';

/** One variable the inspector can show. */
export interface InspectorVariable {
  name: string;
  /** 1-based line of the statement that bound this value, where known. */
  line?: number;
  value: EncodedValue;
  /** What print(value) shows, where the evaluator recorded it. */
  repr?: string;
  mask?: MaskKind;
  /** Kind, form and fraction masked, e.g. "padding (right, lengths 3, 2) · 37.5% masked". */
  maskSummary?: string;
  /** Who reads this value as a mask; the legend follows its convention. */
  consumer?: string;
  legend?: MaskLegend;
  /** Mask warnings about this variable. */
  diagnostics?: Diagnostic[];
}

/** One recorded call's locals, arguments and `self` attributes (issue #10), for the inspector's scope picker. */
export interface InspectorScope {
  /** "create_padding_mask#1" (function and call index), or "cell:2" for a notebook cell. */
  id: string;
  /** "create_padding_mask · call 1 of 3 · from line 22", "cell 3" */
  label: string;
  function?: string;
  call?: number;
  /** Line of the def, or where the cell starts. */
  line: number;
  variables: InspectorVariable[];
}

/** Everything the inspector shows for one evaluation of one document. */
export interface InspectorState {
  documentUri: string;
  /** Short name of the document, for the title line. */
  fileName: string;
  /** 'all': the whole file; 'cursor': evaluated up to `stopAfterLine`. */
  mode: 'all' | 'cursor';
  stopAfterLine?: number;
  variables: InspectorVariable[];
  /** Each recorded function call's values, after the module's `variables`, in call order. */
  scopes?: InspectorScope[];
  /** The scope the host wants shown now (the chosen call, the active notebook cell); absent: the webview keeps its own. */
  scope?: string;
  /** The variable to show first (the one at the cursor, say). */
  selected?: string;
  stdout: string;
  warnings: string[];
  errors: PyErrorInfo[];
  diagnostics: Diagnostic[];
  /** Milliseconds the evaluation took. */
  elapsedMs: number;
}

export type HostToWebviewMessage =
  | { type: 'showState'; state: InspectorState }
  | { type: 'showEmpty'; reason: string }
  | { type: 'selectVariable'; name: string };

export type WebviewToHostMessage =
  | { type: 'ready' }
  | { type: 'revealLine'; documentUri: string; line: number }
  | { type: 'variableSelected'; name: string }
  | { type: 'refresh' };

export function isWebviewToHostMessage(x: unknown): x is WebviewToHostMessage {
  if (typeof x !== 'object' || x === null) return false;
  const m = x as { type?: unknown; documentUri?: unknown; line?: unknown; name?: unknown };
  switch (m.type) {
    case 'ready':
    case 'refresh':
      return true;
    case 'revealLine':
      return typeof m.documentUri === 'string' && typeof m.line === 'number';
    case 'variableSelected':
      return typeof m.name === 'string';
    default:
      return false;
  }
}

export function isHostToWebviewMessage(x: unknown): x is HostToWebviewMessage {
  if (typeof x !== 'object' || x === null) return false;
  const m = x as { type?: unknown; state?: unknown; reason?: unknown; name?: unknown };
  switch (m.type) {
    case 'showState':
      return typeof m.state === 'object' && m.state !== null;
    case 'showEmpty':
      return typeof m.reason === 'string';
    case 'selectVariable':
      return typeof m.name === 'string';
    default:
      return false;
  }
}
