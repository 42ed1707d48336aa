// The extension's settings (contributes.configuration in package.json).
import * as vscode from 'vscode';
import { DEFAULT_MAX_RECORDED_CALLS } from '../python/result';

/** maskLens.backend. "gpu" was removed (the extension host has no GPU to give the engine): read as "auto" (warnRemovedSettings). */
export type BackendPreference = 'auto' | 'cpu';

export interface MaskLensSettings {
  hoverEnabled: boolean;
  maxElements: number;
  backend: BackendPreference;
  /** maskLens.gpu.threshold: a softmax with more elements than this computes its inspector views on the GPU (protocol.ts gpuThreshold). */
  gpuThreshold: number;
  /** Diagnostic codes (e.g. "suspicious-broadcast") not to show. */
  disabledDiagnostics: string[];
  /** Shape inlay hints after assignments (maskLens.inlayHints.enabled). */
  inlayHintsEnabled: boolean;
  /** maskLens.evaluation.timeBudgetMs: past it the evaluation stops with TimeoutError. */
  timeBudgetMs: number;
  /** maskLens.evaluation.maxElements: largest single allocation (MemoryError past it). */
  evaluationMaxElements: number;
  /** maskLens.evaluation.maxHeapMb: the evaluation worker's heap cap. */
  maxHeapMb: number;
  /** maskLens.calls.maxRecorded: calls recorded per function (0: none). */
  maxRecordedCalls: number;
  /** maskLens.inspector.gpu: where the inspector computes a large softmax view (protocol.ts InspectorGpu). */
  inspectorGpu: 'auto' | 'on' | 'off';
}

export const DEFAULT_TIME_BUDGET_MS = 1500;
/** 2^27 elements, as src/python/index.ts's DEFAULT_MAX_ELEMENTS explains (package.json repeats it). */
export const DEFAULT_EVALUATION_MAX_ELEMENTS = 1 << 27;
export const DEFAULT_MAX_HEAP_MB = 1024;
/** maskLens.gpu.threshold's default and least value: INLINE_ELEMENTS (documentEvaluations.ts), above which a softmax's views are served as operands the webview can compute on. */
export const DEFAULT_GPU_THRESHOLD = 65536;

export const SETTINGS_SECTION = 'maskLens';

export function readSettings(): MaskLensSettings {
  const c = vscode.workspace.getConfiguration(SETTINGS_SECTION);
  const backend = c.get<string>('backend', 'auto');
  const inspectorGpu = c.get<string>('inspector.gpu', 'auto');
  return {
    hoverEnabled: c.get<boolean>('hover.enabled', true),
    maxElements: positive(c.get<number>('hover.maxElements', 4096), 4096),
    backend: backend === 'cpu' ? backend : 'auto',
    // smaller softmaxes are sent whole and drawn as computed (INLINE_ELEMENTS): never below that
    gpuThreshold: Math.max(positive(c.get<number>('gpu.threshold', DEFAULT_GPU_THRESHOLD), DEFAULT_GPU_THRESHOLD), DEFAULT_GPU_THRESHOLD),
    disabledDiagnostics: stringList(c.get<unknown>('diagnostics.disabled', [])),
    inlayHintsEnabled: c.get<boolean>('inlayHints.enabled', false),
    timeBudgetMs: positive(c.get<number>('evaluation.timeBudgetMs', DEFAULT_TIME_BUDGET_MS), DEFAULT_TIME_BUDGET_MS),
    evaluationMaxElements: positive(c.get<number>('evaluation.maxElements', DEFAULT_EVALUATION_MAX_ELEMENTS), DEFAULT_EVALUATION_MAX_ELEMENTS),
    maxHeapMb: positive(c.get<number>('evaluation.maxHeapMb', DEFAULT_MAX_HEAP_MB), DEFAULT_MAX_HEAP_MB),
    inspectorGpu: inspectorGpu === 'on' || inspectorGpu === 'off' ? inspectorGpu : 'auto',
    maxRecordedCalls: nonNegative(c.get<number>('calls.maxRecorded', DEFAULT_MAX_RECORDED_CALLS), DEFAULT_MAX_RECORDED_CALLS),
  };
}

function stringList(x: unknown): string[] {
  return Array.isArray(x) ? x.filter((s): s is string => typeof s === 'string') : [];
}

function nonNegative(x: number | undefined, fallback: number): number {
  return typeof x === 'number' && Number.isFinite(x) && x >= 0 ? Math.floor(x) : fallback;
}

function positive(x: number | undefined, fallback: number): number {
  return typeof x === 'number' && Number.isFinite(x) && x > 0 ? Math.floor(x) : fallback;
}

/**
 * Say once, at activation, that a setting value the user chose no longer does
 * anything: maskLens.backend "gpu" (evaluations compute as "auto"; the only
 * GPU work is the inspector's, under maskLens.inspector.gpu and
 * maskLens.gpu.threshold).
 */
export function warnRemovedSettings(): void {
  if (vscode.workspace.getConfiguration(SETTINGS_SECTION).get<string>('backend') !== 'gpu') return;
  void vscode.window.showWarningMessage(
    'Mask Lens: maskLens.backend "gpu" was removed and reads as "auto": evaluations run on the CPU and WebAssembly, as the extension host has no GPU. The Tensor Inspector computes a large masked softmax on the GPU: see maskLens.inspector.gpu and maskLens.gpu.threshold.',
    'Open Settings',
  ).then((pick) => {
    if (pick) void vscode.commands.executeCommand('workbench.action.openSettings', 'maskLens.backend');
  });
}
