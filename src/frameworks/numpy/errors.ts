// NumPy's own exception types.

import { EXCEPTION_CLASSES, makeException } from '../../python/exceptions';
import { PyClass, PyException, PyModule } from '../../python/values';

/** numpy.exceptions.AxisError: an axis out of range; both a ValueError and an IndexError, as in NumPy. */
export const AXIS_ERROR = new PyClass('AxisError', [EXCEPTION_CLASSES.get('ValueError')!, EXCEPTION_CLASSES.get('IndexError')!], 'numpy.exceptions.AxisError');

/** An AxisError carrying NumPy's message ("axis 5 is out of bounds for array of dimension 2"). */
export function axisError(message: string): PyException {
  return new PyException(makeException(AXIS_ERROR, [message], message));
}

/** The numpy.exceptions module (the exception types Mask Lens raises). */
export function makeExceptionsModule(): PyModule {
  const m = new PyModule('numpy.exceptions');
  m.dict.set('AxisError', AXIS_ERROR);
  return m;
}
