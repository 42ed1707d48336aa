// Sparse COO tensors (whisper's alignment heads): what is modelled matches
// torch (golden case torch_to_sparse); everything else on a sparse tensor
// says it is not supported, never computes as if the tensor were dense.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluate } from '../../src/service/evaluate';

const errorOf = (src: string) => evaluate(src.trim() + '\n').error;

test('an op Mask Lens does not model on a sparse tensor is NotImplementedError, not a dense result', () => {
  const pre = 'import torch\ns = torch.eye(2).to_sparse()\n';
  assert.deepEqual(
    [errorOf(pre + 'y = s + 1')?.type, errorOf(pre + 'y = s + 1')?.message],
    ['NotImplementedError', 'the + operator on a sparse COO tensor is not supported by Mask Lens yet'],
  );
  assert.equal(errorOf(pre + 'y = s.sum()')?.message, 'torch.Tensor.sum on a sparse COO tensor is not supported by Mask Lens yet');
  assert.equal(errorOf(pre + 'y = s.softmax(-1)')?.type, 'NotImplementedError');
});

test('a name no tensor has is still an AttributeError on a sparse tensor', () => {
  const e = errorOf('import torch\ns = torch.eye(2).to_sparse()\ny = s.indicies()');
  assert.deepEqual([e?.type, e?.message], ['AttributeError', "'Tensor' object has no attribute 'indicies'"]);
});

test('metadata and the dense form come back unchanged', () => {
  const r = evaluate('import torch\nm = torch.tensor([[0, 1], [2, 0]])\ns = m.to_sparse()\nd = s.to_dense()\nprint(torch.equal(d, m), s.shape, s.dtype, s.size(0), s.dim())\n');
  assert.equal(r.error, null);
  assert.equal(r.stdout, 'True torch.Size([2, 2]) torch.int64 2 2\n');
});
