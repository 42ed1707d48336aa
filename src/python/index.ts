// Public entry of the snippet interpreter.
import type { RunOptions, RunResult } from './result';
export type { RunOptions, RunResult } from './result';

// Placeholder until the evaluator lands: returns an empty result.
export function evaluate(_source: string, _options: RunOptions = {}): RunResult {
  return { variables: {}, stdout: '', warnings: [], error: null, errors: [], timeline: [], diagnostics: [] };
}
