// The one place an evaluation is composed: the interpreter (src/python),
// which knows no framework, with every framework registered into it
// (src/frameworks). The worker, the CLI, the bench and the tests evaluate
// through here.

import { registerFrameworks } from '../frameworks';
import * as interpreter from '../python';
import type { CellLayout } from '../python/notebook';
import type { RunOptions, RunResult } from '../python/result';

export { DEFAULT_MAX_ELEMENTS, DEFAULT_MAX_STEPS, encodeValue, type LiveEvaluation } from '../python';
export type { RunOptions, RunResult } from '../python/result';

/** The registration every evaluation gets (its loader builds fresh modules per evaluation). */
const FRAMEWORKS = registerFrameworks();

/** The interpreter's evaluate with every framework: a snippet's result; never throws. */
export function evaluate(source: string, options: RunOptions = {}): RunResult {
  return interpreter.evaluate(source, options, FRAMEWORKS);
}

/** The interpreter's evaluateLive with every framework: the result, and its values for later requests. */
export function evaluateLive(source: string, options: RunOptions = {}): interpreter.LiveEvaluation {
  return interpreter.evaluateLive(source, options, FRAMEWORKS);
}

/** A notebook's code cells in order, with every framework (see the interpreter's evaluateNotebook). */
export function evaluateNotebook(layout: CellLayout, options: RunOptions = {}): RunResult {
  return interpreter.evaluateNotebook(layout, options, FRAMEWORKS);
}
