// Adapter from the maskLens.backend / maskLens.gpu.threshold settings to the
// engine. The engine will export
//   setBackendPreference(pref: 'auto' | 'cpu' | 'gpu', threshold: number)
// from src/engine/index.ts; until that module exists this adapter records the
// preference and does nothing else, so wiring it is a one-line change here.
import type { BackendPreference } from './settings';

let current: { pref: BackendPreference; threshold: number } = { pref: 'auto', threshold: 65536 };

export function applyBackendPreference(pref: BackendPreference, threshold: number): void {
  current = { pref, threshold };
  // Not yet wired: src/engine/index.ts (setBackendPreference) has not landed.
}

export function currentBackendPreference(): { pref: BackendPreference; threshold: number } {
  return current;
}
