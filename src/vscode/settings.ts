// The extension's settings (contributes.configuration in package.json).
import * as vscode from 'vscode';

export type BackendPreference = 'auto' | 'cpu' | 'gpu';

export interface MaskLensSettings {
  hoverEnabled: boolean;
  maxElements: number;
  backend: BackendPreference;
  gpuThreshold: number;
  /** Diagnostic codes (e.g. "suspicious-broadcast") not to show. */
  disabledDiagnostics: string[];
  /** Shape inlay hints after assignments (maskLens.inlayHints.enabled). */
  inlayHintsEnabled: boolean;
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
    inlayHintsEnabled: c.get<boolean>('inlayHints.enabled', false),
  };
}

function stringList(x: unknown): string[] {
  return Array.isArray(x) ? x.filter((s): s is string => typeof s === 'string') : [];
}

function positive(x: number | undefined, fallback: number): number {
  return typeof x === 'number' && Number.isFinite(x) && x > 0 ? Math.floor(x) : fallback;
}
