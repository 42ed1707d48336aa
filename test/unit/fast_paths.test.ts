// Fast paths of the engine must give exactly what the plain element-by-element
// definitions give: each is checked here against a reference written the
// slow, obvious way, over views of many layouts and sizes (issue: real model
// files run fast enough to preview whole).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cast, contiguous } from '../../src/engine/ops/core';
import { expand, permute, reshape, transpose } from '../../src/engine/ops/shape';
import { matmul } from '../../src/engine/ops/reduce';
import { getItem } from '../../src/engine/ops/indexing';
import { Tensor, allocate, forEachOffset, gatherStrided, type TypedData } from '../../src/engine/tensor';
import type { DType } from '../../src/engine/dtype';

/** A seeded LCG, so a failure reproduces. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function filled(dtype: DType, shape: number[], next: () => number): Tensor {
  const t = Tensor.empty(dtype, shape);
  const d = t.storage.data;
  for (let i = 0; i < d.length; i++) d[i] = dtype === 'float32' || dtype === 'float64' ? next() * 200 - 100 : Math.floor(next() * 250);
  return t;
}

/** The reference: one element at a time through forEachOffset. */
function slowValues(t: Tensor, out: TypedData): TypedData {
  const data = t.storage.data;
  forEachOffset(t.shape, t.strides, t.offset, (off, i) => {
    out[i] = data[off];
  });
  return out;
}

test('gatherStrided copies every view layout as the element-by-element walk does', () => {
  const next = rng(7);
  const views: [string, (x: Tensor) => Tensor][] = [
    ['transpose last two', (x) => transpose(x, -2, -1)],
    ['transpose first two', (x) => transpose(x, 0, 1)],
    ['permute reversed', (x) => permute(x, [...x.shape.keys()].reverse())],
    ['slice with step', (x) => getItem(x, [{ kind: 'slice', start: 1, stop: null, step: 2 }])],
    ['transpose of a slice', (x) => transpose(getItem(x, [{ kind: 'slice', start: 0, stop: null, step: 3 }]), 0, -1)],
    ['expand a size-1 dim', (x) => expand(getItem(x, [{ kind: 'slice', start: 0, stop: 1, step: 1 }]), [5, ...x.shape.slice(1)])],
  ];
  const shapes = [[3, 4], [40, 70], [33, 32], [2, 64, 40], [3, 5, 37, 33], [1, 1, 65], [64, 1], [2, 1, 3, 1, 40]];
  for (const dtype of ['float32', 'float64', 'int64', 'bool'] as DType[]) {
    for (const shape of shapes) {
      const x = filled(dtype, shape, next);
      for (const [name, make] of views) {
        let v: Tensor;
        try {
          v = make(x);
        } catch {
          continue; // a view this shape cannot take (expand of a dim that is not 1)
        }
        const expected = slowValues(v, allocate(dtype, v.numel));
        assert.deepEqual(v.values(), expected, `${dtype} ${JSON.stringify(shape)} ${name}`);
        // into a wider and a narrower array: stored as assignment converts
        for (const target of ['float64', 'float32', 'int32', 'uint8'] as DType[]) {
          const got = allocate(target, v.numel), want = allocate(target, v.numel);
          gatherStrided(v.storage.data, v.shape, v.strides, v.offset, got);
          assert.deepEqual(got, slowValues(v, want), `${dtype}->${target} ${JSON.stringify(shape)} ${name}`);
        }
      }
    }
  }
});

test('cast of a transposed view gathers straight into its result', () => {
  const x = filled('float64', [50, 48], rng(3));
  const v = transpose(x, 0, 1);
  const c = cast(v, 'float32');
  assert.deepEqual(c.values(), Float32Array.from(slowValues(v, allocate('float64', v.numel))));
  assert.deepEqual(cast(v, 'float64').values(), slowValues(v, allocate('float64', v.numel)));
});

test('a batched input against a matrix or vector is one product of all its rows, as ATen folds it', () => {
  const next = rng(11);
  const cases: [number[], number[]][] = [
    [[3, 5, 7], [7, 4]], //          gemm
    [[2, 3, 6, 5], [5, 1]], //       gemv (one column): rows grouped by four across the batches
    [[4, 3, 5], [5]], //              gemv through a vector
    [[3, 2, 1], [1, 6]], //           outer (k = 1)
    [[2, 9, 64], [64, 300]], //       past the wasm threshold (m * n * k >= 65536 per batch product)
    [[3, 5, 700], [700, 3]], //       k past MKL's 384-chunk
  ];
  for (const dtype of ['float32', 'float64', 'int64'] as DType[]) {
    for (const [as, bs] of cases) {
      const a = filled(dtype, as, next), b = filled(dtype, bs, next);
      // b.t().t(): a strided view, as a linear layer's weight.t() is
      const got = matmul(a, b.ndim === 2 ? transpose(contiguous(transpose(b, 0, 1)), 0, 1) : b);
      // the reference: the 2-D product of every row (ATen's should_fold), whose order matmul_order.test.ts pins
      const rows = as.slice(0, -1).reduce((p, q) => p * q, 1);
      const want = matmul(reshape(a, [rows, as[as.length - 1]]), b);
      assert.deepEqual(got.shape, [...as.slice(0, -1), ...bs.slice(1)]);
      assert.deepEqual(got.values(), want.values(), `${dtype} ${JSON.stringify(as)} @ ${JSON.stringify(bs)}`);
    }
  }
});
