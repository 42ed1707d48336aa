// The printers' row-major view of a tensor, shared by the torch and NumPy formatters.

import type { Tensor } from '../tensor';

/** A row-major view of the values for the printer: element at a multi-index. */
export interface Grid<T = number> {
  shape: readonly number[];
  strides: number[];
  data: ArrayLike<T>;
}

export function gridOf(t: Tensor): Grid {
  const shape = t.shape;
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i];
  }
  return { shape, strides, data: t.values() };
}

/**
 * The edge items of every dimension, as torch's get_summarized_data and
 * NumPy's _leading_trailing keep when a tensor is summarised.
 */
export function edgeValues<T>(g: Grid<T>, edge: number): T[] {
  const out: T[] = [];
  const walk = (dim: number, base: number) => {
    if (dim === g.shape.length) {
      out.push(g.data[base]);
      return;
    }
    const n = g.shape[dim];
    const st = g.strides[dim];
    if (n > 2 * edge) {
      for (let i = 0; i < edge; i++) walk(dim + 1, base + i * st);
      for (let i = n - edge; i < n; i++) walk(dim + 1, base + i * st);
    } else for (let i = 0; i < n; i++) walk(dim + 1, base + i * st);
  };
  walk(0, 0);
  return out;
}
