// Every message between the extension host and the tensor inspector webview.
// Both sides import this file, so a message that one side sends and the other
// does not handle is a type error (see the exhaustive switches).
import type { Derived, Diagnostic, EncodedNumber, EncodedValue, MaskKind, MaskLegend, MaskParts, PyErrorInfo, SnapshotAddress } from '../python/result';
import type { SliceRequest, TensorSlice } from './tensorSlice';

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
  /** Padding lengths / causal part of a mask: the cell tooltip says which part masked a cell. */
  maskParts?: MaskParts;
  /** How the value was computed (softmax, masked_fill, loss): picks the inspector's view. */
  derived?: Derived;
  /** Where the evaluation worker holds this value, for a scope's variable whose data the state does not carry. */
  address?: SnapshotAddress;
}

/** The scope id of the module's (or a whole notebook's) variables: `InspectorState.variables`. */
export const MODULE_SCOPE = 'module';

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
  /** The scope the host wants shown now (MODULE_SCOPE, the chosen call, the active notebook cell); absent: the webview keeps its own. */
  scope?: string;
  /** The variable to show first (the one at the cursor, say). */
  selected?: string;
  stdout: string;
  warnings: string[];
  errors: PyErrorInfo[];
  diagnostics: Diagnostic[];
  /** Milliseconds the evaluation took. */
  elapsedMs: number;
  /**
   * maskLens.inspector.gpu: where the webview computes a large softmax view
   * ('auto': on gpu.js where the GL renderer is hardware; 'on': on gpu.js
   * whatever the renderer, software GL included; 'off': the worker's CPU result).
   */
  gpu?: InspectorGpu;
  /**
   * maskLens.gpu.threshold: a large softmax computes its views on the GPU
   * (as `gpu` allows) only when it has more elements than this; smaller ones
   * show the worker's CPU values (gpuView.ts probabilitiesOnGpu).
   */
  gpuThreshold?: number;
  /** The evaluation service's id: tensors too large to inline (`elided`) are sliced through it. */
  evaluation?: number;
  /**
   * A notebook's: where each code cell starts in the joined source its lines
   * count in; the webview names a line as lineLabel does ("cell 2, line 3").
   */
  cellStartLines?: number[];
}

/**
 * A pooled 2-D view as it crosses postMessage: values as base64 of a
 * little-endian Float32Array (NaN and ±inf survive, and a million cells
 * travel as 5 MB of text instead of 15 MB of JSON numbers), or of a
 * Float64Array (`float64`) when float32 would round them; masked as 0/1;
 * exact int64 digits as [cell, digits] pairs.
 */
export type WireSlice = Omit<TensorSlice, 'values' | 'masked' | 'exact'> & { values: string; float64?: true; masked?: number[]; exact?: [number, string][] };

export type InspectorGpu = 'auto' | 'on' | 'off';

/**
 * A view's softmax operands as they cross postMessage (the service's
 * SoftmaxViewOperands): scores as base64 of a little-endian Float32Array,
 * the mask as base64 of 0/1 bytes, the CPU reference's row checksums as
 * base64 of a Float64Array.
 */
export interface WireOperands {
  rows: number;
  cols: number;
  scores: string;
  mask?: string;
  fill: EncodedNumber;
  reference: string;
}

export type HostToWebviewMessage =
  | { type: 'showState'; state: InspectorState }
  | { type: 'showEmpty'; reason: string }
  | { type: 'selectVariable'; name: string }
  /** Show this scope (and this variable in it): the cursor moved into a call or a cell, or a call was chosen elsewhere. */
  | { type: 'showScope'; scope: string; selected?: string }
  /** The answer to requestSlice (null: the value is gone, e.g. the file was evaluated again). */
  | { type: 'slice'; id: number; slice: WireSlice | null }
  /** The answer to requestOperands (null: not a large softmax over the last dim, or gone). */
  | { type: 'operands'; id: number; operands: WireOperands | null };

export type WebviewToHostMessage =
  | { type: 'ready' }
  | { type: 'revealLine'; documentUri: string; line: number }
  | { type: 'variableSelected'; name: string }
  /** The user picked a scope (MODULE_SCOPE or an InspectorScope id): the hover and CodeLens follow a picked call. */
  | { type: 'scopeSelected'; scope: string }
  | { type: 'refresh' }
  /** A pooled 2-D view of a variable whose data the state does not carry. */
  | { type: 'requestSlice'; id: number; request: SliceRequest }
  /** The softmax operands of one view of a large softmax (a module variable), for the webview to compute on the GPU. */
  | { type: 'requestOperands'; id: number; variable: string; index: number[] }
  /** Save an export: text (Python literal, CSV) or a PNG as a data: URL. */
  | { type: 'export'; format: ExportFormat; fileName: string; content: string };

export type ExportFormat = 'python' | 'csv' | 'png';

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
    case 'scopeSelected':
      return typeof (x as { scope?: unknown }).scope === 'string';
    case 'requestSlice': {
      const r = (x as { id?: unknown; request?: Record<string, unknown> }).request;
      return typeof (x as { id?: unknown }).id === 'number' && typeof r === 'object' && r !== null && typeof r.variable === 'string' && Array.isArray(r.index);
    }
    case 'requestOperands': {
      const r = x as { id?: unknown; variable?: unknown; index?: unknown };
      return typeof r.id === 'number' && typeof r.variable === 'string' && Array.isArray(r.index) && r.index.every((i) => typeof i === 'number');
    }
    case 'export': {
      const e = x as { format?: unknown; fileName?: unknown; content?: unknown };
      return (e.format === 'python' || e.format === 'csv' || e.format === 'png') && typeof e.fileName === 'string' && typeof e.content === 'string';
    }
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
    case 'showScope':
      return typeof (x as { scope?: unknown }).scope === 'string';
    case 'slice':
    case 'operands':
      return typeof (x as { id?: unknown }).id === 'number';
    default:
      return false;
  }
}
