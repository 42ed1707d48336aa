// Loads evaluator.ts on first use and keeps the engine's backend preference
// (maskLens.backend) applied to it, whenever it loads.
import type * as EvaluatorModule from './evaluator';
import type { BackendPreference } from './settings';

let loaded: typeof EvaluatorModule | undefined;
let preference: { pref: BackendPreference; threshold: number } | undefined;

/** The evaluator module, loaded now if it is not yet (tens of ms, once). */
export function evaluator(): typeof EvaluatorModule {
  if (!loaded) {
    // A plain require, so esbuild can leave the module out of the host bundle (see scripts/build.mjs).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    loaded = require('./evaluator') as typeof EvaluatorModule;
    if (preference) loaded.setBackendPreference(preference.pref, preference.threshold);
  }
  return loaded;
}

/** Apply the backend preference now if the engine is loaded, else when it loads. */
export function setEnginePreference(pref: BackendPreference, threshold: number): void {
  preference = { pref, threshold };
  loaded?.setBackendPreference(pref, threshold);
}
