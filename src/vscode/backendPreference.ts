// Adapter from the maskLens.backend / maskLens.gpu.threshold settings to the
// engine's backend selection.
import { setBackendPreference } from '../engine';
import type { BackendPreference } from './settings';

let current: { pref: BackendPreference; threshold: number } = { pref: 'auto', threshold: 65536 };

export function applyBackendPreference(pref: BackendPreference, threshold: number): void {
  current = { pref, threshold };
  setBackendPreference(pref, threshold);
}

export function currentBackendPreference(): { pref: BackendPreference; threshold: number } {
  return current;
}
