# return_aux=AuxRequest(lse=True): the logsumexp in an AuxOutput (fully masked rows -inf);
# AuxRequest() gives AuxOutput(lse=None, max_scores=None); max_scores is refused on the CPU
import torch
from torch.nn.attention.flex_attention import flex_attention, AuxRequest, AuxOutput, create_block_mask
print(AuxRequest(), AuxRequest(lse=True))
torch.manual_seed(0)
q = torch.randn(1, 2, 3, 4)
bm = create_block_mask(lambda b,h,i,j: (i >= j) & (i > 0), 1, 2, 3, 3, device="cpu")
out, aux = flex_attention(q, q, q, block_mask=bm, return_aux=AuxRequest(lse=True, ))
print(aux, aux.lse is not None, aux.max_scores)
out, aux2 = flex_attention(q, q, q, return_aux=AuxRequest())
print(aux2)
out, aux3 = flex_attention(q, q, q, return_aux=AuxRequest(lse=True, max_scores=True))
