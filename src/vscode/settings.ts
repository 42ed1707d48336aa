// The extension's settings (contributes.configuration in package.json).
import * as vscode from 'vscode';
import { DEFAULT_MAX_RECORDED_CALLS } from '../python/record';

export type BackendPreference = 'auto' | 'cpu' | 'gpu';

export interface MaskLensSettings {
  hoverEnabled: boolean;
  maxElements: number;
  backend: BackendPreference;
  gpuThreshold: number;
  /** Diagnostic codes (e.g. "suspicious-broadcast") not to show. */
  disabledDiagnostics: string[];
  /** maskLens.calls.maxRecorded: calls recorded per function (0: none). */
  maxRecordedCalls: number;
}

export const SETTINGS_SECTION = 'maskLens';

export function readSettings(): MaskLensSettings {
  const c = vscode.workspace.getConfiguration(SETTINGS_SECTION);
  const backend = c.get<string>('backend', 'auto');
  return {
    hoverEnabled: c.get<boolean>('hover.enabled', true),
    maxElements: positive(c.get<number>('hover.maxElements', 4096), 4096),
    backend: backend === 'cpu' || backend === 'gpu' ? backend : 'auto',
    gpuThreshold: positive(c.get<number>('gpu.threshold', 65536), 65536),
    disabledDiagnostics: stringList(c.get<unknown>('diagnostics.disabled', [])),
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
