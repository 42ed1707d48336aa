// Names real PyTorch 1.13 / NumPy 1.24 define (dir() of each namespace, in
// known_names.json). A missing attribute that the real library has is a gap
// in Mask Lens, not a typo in the snippet, so it gets NotImplementedError
// rather than Python's AttributeError.
import known from './known_names.json';

const NAMESPACES: Record<string, string> = {
  torch: 'torch', 'torch.nn': 'torch.nn', 'torch.nn.functional': 'torch.nn.functional',
  Tensor: 'torch.Tensor', Parameter: 'torch.Tensor', numpy: 'numpy', ndarray: 'numpy.ndarray',
};

const sets = new Map(Object.entries(known as Record<string, string[]>).map(([k, v]) => [k, new Set(v)]));

/** A message for `owner.name` when the real library has it, else undefined. */
export function unsupportedName(owner: string, name: string): string | undefined {
  if (owner === 'import') return unsupportedModule(name);
  const ns = NAMESPACES[owner];
  if (!ns || !sets.get(ns)?.has(name)) return undefined;
  return `${ns}.${name} is not supported by Mask Lens yet`;
}

/** A submodule of a library Mask Lens models (torch.optim, numpy.linalg, ...) that it does not provide. */
export function unsupportedModule(name: string): string | undefined {
  const top = name.split('.')[0];
  return ['torch', 'numpy', 'tensorflow', 'keras'].includes(top) ? `${name} is not supported by Mask Lens yet` : undefined;
}
