// Every JavaScript exception that escapes the engine or the interpreter
// becomes the Python exception CPython would raise at that point, so no JS
// wording ever reaches a user. What Python would not raise at all is a bug
// in Mask Lens: it becomes `InternalError` (with the line, like any error) and
// keeps the JS text only in `detail`, for bug reports and the fuzz harness.

import { EngineError } from '../engine/errors';
import { pyError } from './exceptions';
import { PyException } from './values';

/** The exception type for failures of Mask Lens itself (not a Python built-in). */
export const INTERNAL_ERROR = 'InternalError';

// V8's messages, compared exactly where possible: near a stack overflow even
// compiling a regular expression can overflow again.
const STACK_OVERFLOW = 'Maximum call stack size exceeded';
const OUT_OF_MEMORY = [
  'Invalid typed array length',
  'Array buffer allocation failed',
  'Invalid array length',
  'Invalid string length',
  'Maximum BigInt size exceeded',
  'Invalid array buffer length',
  'Out of memory',
];

/** The Python exception for any thrown value; never throws itself. */
export function toPyException(e: unknown): PyException {
  if (e instanceof PyException) return e;
  if (e instanceof EngineError) return pyError(e.pyType, e.message);
  const message = e instanceof Error ? String(e.message) : String(e);
  if (e instanceof RangeError) {
    if (message === STACK_OVERFLOW) return pyError('RecursionError', 'maximum recursion depth exceeded');
    // CPython raises a bare MemoryError when an allocation fails.
    if (OUT_OF_MEMORY.some((m) => message.startsWith(m))) return pyError('MemoryError', '');
    // BigInt(x) of a non-finite float: int(inf), int(nan), math.floor(inf)
    if (message.includes('cannot be converted to a BigInt')) {
      if (message.startsWith('The number NaN')) return pyError('ValueError', 'cannot convert float NaN to integer');
      if (message.startsWith('The number Infinity') || message.startsWith('The number -Infinity')) {
        return pyError('OverflowError', 'cannot convert float infinity to integer');
      }
    }
    if (message === 'Division by zero') return pyError('ZeroDivisionError', 'integer division or modulo by zero');
  }
  return internalError(e);
}

/** A failure Python would not have: reported with its line, JS text kept out of the message. */
export function internalError(e: unknown): PyException {
  const exc = pyError(INTERNAL_ERROR, 'Mask Lens failed to evaluate this line (a bug in Mask Lens; please report it)');
  exc.detail = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  return exc;
}
