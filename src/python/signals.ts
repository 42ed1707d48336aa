// Control flow that crosses statement boundaries travels as JS exceptions,
// like jlox's Return: break, continue and return. None of them is a Python
// exception, so error location and `except` clauses let them pass.

import type { PyValue } from './values';

export class BreakSignal {}
export class ContinueSignal {}
export class ReturnSignal {
  constructor(readonly value: PyValue) {}
}

export function isSignal(e: unknown): boolean {
  return e instanceof BreakSignal || e instanceof ContinueSignal || e instanceof ReturnSignal;
}
