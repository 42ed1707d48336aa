// How TensorFlow 2.x prints an eager tensor: str / print gives
// `tf.Tensor(<numpy str>, shape=(2, 2), dtype=bool)` and repr gives
// `<tf.Tensor: shape=(2, 2), dtype=bool, numpy=<numpy repr>>`; a multi-line
// value starts on its own line (tensorflow/python/framework/ops.py numpy_text).

import { isFloating } from '../dtype';
import type { Tensor } from '../tensor';
import { formatPyFloat } from './pyfloat';
import { DEFAULT_NUMPY_PRINT_OPTIONS, type NumpyPrintOptions, formatNumpyArray } from './numpy';
import { pyTupleStr } from './torch';

function numpyText(t: Tensor, isRepr: boolean, opts: Readonly<NumpyPrintOptions>): string {
  // a 0-d repr shows the value as the Python scalar it holds (numpy=0.10000000149011612 for float32 0.1)
  if (isRepr && t.ndim === 0) {
    const x = t.item();
    return t.dtype === 'bool' ? (x ? 'True' : 'False') : isFloating(t.dtype) ? formatPyFloat(x) : formatNumpyArray(t, 'str', opts);
  }
  const text = formatNumpyArray(t, isRepr ? 'repr' : 'str', opts);
  return text.includes('\n') ? '\n' + text : text;
}

/** `print(t)` / `str(t)` for a tf.Tensor, under NumPy's print options (np.set_printoptions). */
export function formatTfTensor(t: Tensor, opts: Readonly<NumpyPrintOptions> = DEFAULT_NUMPY_PRINT_OPTIONS): string {
  return `tf.Tensor(${numpyText(t, false, opts)}, shape=${pyTupleStr(t.shape)}, dtype=${t.dtype})`;
}

/** `repr(t)` for a tf.Tensor (what a notebook echoes). */
export function formatTfTensorRepr(t: Tensor, opts: Readonly<NumpyPrintOptions> = DEFAULT_NUMPY_PRINT_OPTIONS): string {
  return `<tf.Tensor: shape=${pyTupleStr(t.shape)}, dtype=${t.dtype}, numpy=${numpyText(t, true, opts)}>`;
}
