// Adapter from the maskLens.backend / maskLens.gpu.threshold settings to the
// engine's backend selection.
import { setEnginePreference } from './evaluatorLoader';
import type { BackendPreference } from './settings';

let current: { pref: BackendPreference; threshold: number } = { pref: 'auto', threshold: 65536 };

export function applyBackendPreference(pref: BackendPreference, threshold: number): void {
  current = { pref, threshold };
  setEnginePreference(pref, threshold);
}

export function currentBackendPreference(): { pref: BackendPreference; threshold: number } {
  return current;
}
