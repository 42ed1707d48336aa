// Names real PyTorch 2.13 / NumPy 2.4 / Keras 3.15 / TensorFlow 2.21 define (dir() of each namespace, in
// known_names.json, written by scripts/known_names.py). A missing attribute
// that the real library has is a gap in Mask Lens, not a typo in the snippet,
// so it gets NotImplementedError rather than Python's AttributeError.
import { pyError } from '../python/exceptions';
import known from './known_names.json';

const NAMESPACES: Record<string, string> = {
  torch: 'torch', 'torch.nn': 'torch.nn', 'torch.nn.functional': 'torch.nn.functional',
  Tensor: 'torch.Tensor', Parameter: 'torch.Tensor', numpy: 'numpy', ndarray: 'numpy.ndarray', 'numpy.random': 'numpy.random',
  'numpy.linalg': 'numpy.linalg', 'keras.ops': 'keras.ops',
  // tf.keras is the keras module itself (Keras 3), so one entry serves both spellings
  keras: 'keras', 'keras.layers': 'keras.layers', 'keras.utils': 'keras.utils', 'keras.losses': 'keras.losses',
  'keras.optimizers': 'keras.optimizers', 'keras.preprocessing': 'keras.preprocessing',
  tensorflow: 'tensorflow', 'tensorflow.nn': 'tensorflow.nn', 'tensorflow.math': 'tensorflow.math', 'tensorflow.linalg': 'tensorflow.linalg',
  'tensorflow.random': 'tensorflow.random',
};

const sets = new Map(Object.entries(NAMESPACES).map(([, ns]) => [ns, new Set((known as unknown as Record<string, string[]>)[ns])]));

/** NumPy 2.0's removed attributes (np.float_, np.Inf, ...) and the advice NumPy gives for each. */
const numpyExpired: Record<string, string> = known['numpy.expired'];

/**
 * A message for `owner.name` when the real library has it, else undefined.
 * Raises NumPy 2's own AttributeError for the names NumPy 2.0 removed
 * ("`np.float_` was removed in the NumPy 2.0 release. Use `np.float64` instead.").
 */
export function unsupportedName(owner: string, name: string): string | undefined {
  if (owner === 'import') return unsupportedModule(name);
  if (owner === 'numpy' && Object.hasOwn(numpyExpired, name)) {
    throw pyError('AttributeError', `\`np.${name}\` was removed in the NumPy 2.0 release. ${numpyExpired[name]}`);
  }
  const ns = NAMESPACES[owner];
  if (!ns || !sets.get(ns)?.has(name)) return undefined;
  return `${ns}.${name} is not supported by Mask Lens yet`;
}

/** A submodule of a library Mask Lens models (torch.optim, numpy.linalg, ...) that it does not provide. */
export function unsupportedModule(name: string): string | undefined {
  const top = name.split('.')[0];
  return ['torch', 'numpy', 'tensorflow', 'keras'].includes(top) ? `${name} is not supported by Mask Lens yet` : undefined;
}
