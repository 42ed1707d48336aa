// Engine failures carry the Python exception type PyTorch would raise, so
// the interpreter can re-raise them with the snippet's line.

import { currentContext } from './context';

export class EngineError extends Error {
  constructor(
    readonly pyType: string,
    message: string,
  ) {
    super(message);
  }
}

export const runtimeError = (message: string) => new EngineError('RuntimeError', message);
export const indexError = (message: string) => new EngineError('IndexError', message);
export const typeError = (message: string) => new EngineError('TypeError', message);
export const valueError = (message: string) => new EngineError('ValueError', message);

/** Python `warnings.warn` from inside the engine, to the running evaluation's sink. */
export function warn(message: string): void {
  currentContext().warn(message);
}
