// How TensorFlow 2.x prints an eager tensor: str / print gives
// `tf.Tensor(<numpy str>, shape=(2, 2), dtype=bool)` and repr gives
// `<tf.Tensor: shape=(2, 2), dtype=bool, numpy=<numpy repr>>`; a multi-line
// value starts on its own line (tensorflow/python/framework/ops.py numpy_text).

import type { Tensor } from '../tensor';
import { formatNumpyArray } from './numpy';
import { pyTupleStr } from './torch';

function numpyText(t: Tensor, isRepr: boolean): string {
  const text = formatNumpyArray(t, isRepr ? 'repr' : 'str');
  return text.includes('\n') ? '\n' + text : text;
}

/** `print(t)` / `str(t)` for a tf.Tensor. */
export function formatTfTensor(t: Tensor): string {
  return `tf.Tensor(${numpyText(t, false)}, shape=${pyTupleStr(t.shape)}, dtype=${t.dtype})`;
}

/** `repr(t)` for a tf.Tensor (what a notebook echoes). */
export function formatTfTensorRepr(t: Tensor): string {
  return `<tf.Tensor: shape=${pyTupleStr(t.shape)}, dtype=${t.dtype}, numpy=${numpyText(t, true)}>`;
}
