// Top-k selection in the exact order PyTorch's CPU kernel produces.
//
// ATen's topk (aten/src/ATen/native/TopKImpl.h, topk_impl_loop) fills a
// queue of (value, index) pairs and hands it to the C++ standard library:
// std::partial_sort when k * 64 <= n, else std::nth_element at k - 1 followed
// (when sorted) by std::sort of the first k - 1 pairs. None of these is
// stable, so among equal values the indices come out in whatever order
// libstdc++'s introselect / heap select / introsort leave them. Those
// algorithms are deterministic; this file follows their steps (stl_algo.h,
// stl_heap.h of GCC's libstdc++, the library the Linux wheels are built
// with) so that ties, e.g. the many zero probabilities of a top-k filtered
// multinomial, pick the same indices as PyTorch.

/** A strict weak order over queue positions' payloads: true when `a` goes before `b`. */
type Less = (a: number, b: number) => boolean;

/** floor(log2(n)) for n >= 1 (libstdc++'s std::__lg). */
function lg(n: number): number {
  return 31 - Math.clz32(n);
}

function swap(q: number[], i: number, j: number): void {
  const t = q[i];
  q[i] = q[j];
  q[j] = t;
}

// ---------------------------------------------------------------- heaps

function pushHeap(q: number[], first: number, hole: number, top: number, value: number, less: Less): void {
  let parent = Math.floor((hole - 1) / 2);
  while (hole > top && less(q[first + parent], value)) {
    q[first + hole] = q[first + parent];
    hole = parent;
    parent = Math.floor((hole - 1) / 2);
  }
  q[first + hole] = value;
}

function adjustHeap(q: number[], first: number, hole: number, len: number, value: number, less: Less): void {
  const top = hole;
  let child = hole;
  while (child < Math.floor((len - 1) / 2)) {
    child = 2 * (child + 1);
    if (less(q[first + child], q[first + child - 1])) child--;
    q[first + hole] = q[first + child];
    hole = child;
  }
  if ((len & 1) === 0 && child === Math.floor((len - 2) / 2)) {
    child = 2 * (child + 1);
    q[first + hole] = q[first + child - 1];
    hole = child - 1;
  }
  pushHeap(q, first, hole, top, value, less);
}

function makeHeap(q: number[], first: number, last: number, less: Less): void {
  const len = last - first;
  if (len < 2) return;
  for (let parent = Math.floor((len - 2) / 2); ; parent--) {
    adjustHeap(q, first, parent, len, q[first + parent], less);
    if (parent === 0) return;
  }
}

/** std::__pop_heap: the top goes to `result`, the value at `result` sinks into [first, last). */
function popHeap(q: number[], first: number, last: number, result: number, less: Less): void {
  const value = q[result];
  q[result] = q[first];
  adjustHeap(q, first, 0, last - first, value, less);
}

function heapSelect(q: number[], first: number, middle: number, last: number, less: Less): void {
  makeHeap(q, first, middle, less);
  for (let i = middle; i < last; i++) if (less(q[i], q[first])) popHeap(q, first, middle, i, less);
}

function sortHeap(q: number[], first: number, last: number, less: Less): void {
  while (last - first > 1) {
    last--;
    popHeap(q, first, last, last, less);
  }
}

/** std::partial_sort(first, middle, last). */
export function partialSort(q: number[], first: number, middle: number, last: number, less: Less): void {
  heapSelect(q, first, middle, last, less);
  sortHeap(q, first, middle, less);
}

// ---------------------------------------------------------------- partitions

function moveMedianToFirst(q: number[], result: number, a: number, b: number, c: number, less: Less): void {
  if (less(q[a], q[b])) {
    if (less(q[b], q[c])) swap(q, result, b);
    else if (less(q[a], q[c])) swap(q, result, c);
    else swap(q, result, a);
  } else if (less(q[a], q[c])) swap(q, result, a);
  else if (less(q[b], q[c])) swap(q, result, c);
  else swap(q, result, b);
}

function unguardedPartition(q: number[], first: number, last: number, pivot: number, less: Less): number {
  for (;;) {
    while (less(q[first], q[pivot])) first++;
    last--;
    while (less(q[pivot], q[last])) last--;
    if (!(first < last)) return first;
    swap(q, first, last);
    first++;
  }
}

function unguardedPartitionPivot(q: number[], first: number, last: number, less: Less): number {
  const mid = first + Math.floor((last - first) / 2);
  moveMedianToFirst(q, first, first + 1, mid, last - 1, less);
  return unguardedPartition(q, first + 1, last, first, less);
}

function unguardedLinearInsert(q: number[], last: number, less: Less): void {
  const val = q[last];
  let next = last - 1;
  while (less(val, q[next])) {
    q[last] = q[next];
    last = next;
    next--;
  }
  q[last] = val;
}

function insertionSort(q: number[], first: number, last: number, less: Less): void {
  if (first === last) return;
  for (let i = first + 1; i < last; i++) {
    if (less(q[i], q[first])) {
      const val = q[i];
      for (let j = i; j > first; j--) q[j] = q[j - 1];
      q[first] = val;
    } else {
      unguardedLinearInsert(q, i, less);
    }
  }
}

/** std::nth_element(first, nth, last): introselect, insertion sort below 4 elements. */
export function nthElement(q: number[], first: number, nth: number, last: number, less: Less): void {
  if (first === last || nth === last) return;
  let depth = lg(last - first) * 2;
  while (last - first > 3) {
    if (depth === 0) {
      heapSelect(q, first, nth + 1, last, less);
      swap(q, first, nth);
      return;
    }
    depth--;
    const cut = unguardedPartitionPivot(q, first, last, less);
    if (cut <= nth) first = cut;
    else last = cut;
  }
  insertionSort(q, first, last, less);
}

const SORT_THRESHOLD = 16;

function introsortLoop(q: number[], first: number, last: number, depth: number, less: Less): void {
  while (last - first > SORT_THRESHOLD) {
    if (depth === 0) {
      partialSort(q, first, last, last, less);
      return;
    }
    depth--;
    const cut = unguardedPartitionPivot(q, first, last, less);
    introsortLoop(q, cut, last, depth, less);
    last = cut;
  }
}

/** std::sort(first, last): introsort, then a final insertion sort. */
export function introsort(q: number[], first: number, last: number, less: Less): void {
  if (first === last) return;
  introsortLoop(q, first, last, lg(last - first) * 2, less);
  if (last - first > SORT_THRESHOLD) {
    insertionSort(q, first, first + SORT_THRESHOLD, less);
    for (let i = first + SORT_THRESHOLD; i < last; i++) unguardedLinearInsert(q, i, less);
  } else {
    insertionSort(q, first, last, less);
  }
}

/**
 * The indices of the top `k` of `values` (one row), in the order
 * torch.topk returns them on CPU: ATen's topk_impl_loop. NaN counts as the
 * largest value (numpy compatibility), as in ATen's comparators. With
 * `sorted` false the first k - 1 are left in nth_element's order, as ATen does.
 */
export function topkOrder(values: ArrayLike<number>, k: number, largest = true, sorted = true): number[] {
  const n = values.length;
  const q = Array.from({ length: n }, (_, i) => i);
  if (k === 0) return [];
  const nan = (i: number) => Number.isNaN(values[i]);
  const less: Less = largest
    ? (a, b) => (nan(a) && !nan(b)) || values[a] > values[b]
    : (a, b) => (!nan(a) && nan(b)) || values[a] < values[b];
  if (k * 64 <= n) {
    partialSort(q, 0, k, n, less);
  } else {
    nthElement(q, 0, k - 1, n, less);
    if (sorted) introsort(q, 0, k - 1, less);
  }
  return q.slice(0, k);
}
