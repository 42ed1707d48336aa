# Sparse COO tensors as whisper's model.py keeps its alignment heads:
# `all_heads.to_sparse()` registered as a buffer, read back through
# `.indices().T` (whisper/timing.py); printing, metadata, values, to_dense.
import torch


def main():
    n_text_layer, n_text_head = 4, 3
    all_heads = torch.zeros(n_text_layer, n_text_head, dtype=torch.bool)
    all_heads[n_text_layer // 2 :] = True
    alignment_heads = all_heads.to_sparse()
    print(alignment_heads)
    pairs = [(l.item(), h.item()) for l, h in alignment_heads.indices().T]
    print(pairs)
    heads_dense = alignment_heads.to_dense()
    print(alignment_heads.is_sparse, all_heads.is_sparse, alignment_heads.layout, all_heads.layout, alignment_heads.layout == torch.sparse_coo)
    print(alignment_heads.shape, alignment_heads.dtype, alignment_heads._nnz(), alignment_heads.sparse_dim(), alignment_heads.dense_dim())
    print(torch.tensor([[0.0, 1.5], [0, 0]]).to_sparse())
    print(torch.tensor([[0, 2], [3, 0]], dtype=torch.float64).to_sparse())
    print(torch.zeros(3, 4).to_sparse())
    print(torch.arange(24).reshape(2, 3, 4).remainder(5).to_sparse())
    print(torch.tensor([[1, 0], [0, 0]]).to_sparse(1))
    print(torch.tensor([float("nan"), 0.0, -0.0, 2.0]).to_sparse())
    x = torch.tensor([[0.0, 1.0], [2.0, 0.0]], requires_grad=True)
    sx = x.to_sparse()
    print(sx)
    sparse_values = sx.values()
    print(sparse_values)
    same = torch.zeros(2, 2).to_sparse(layout=torch.strided)
    print(same)
    torch.zeros(2).to_sparse(3)


main()
