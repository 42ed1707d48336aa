# Reduced from torchtune modules/attention_utils.py (packed block causal masks) and
# generation/_generation.py: get_causal_mask_from_padding_mask writes through mask.diagonal(),
# stop tokens are tracked with torch.isin, sampling uses exponential_ with a generator.
from typing import Callable, List, Optional, Tuple, Union
import torch
from torch import nn

_SUPPORTS_FLEX_ATTENTION = False
_MaskType = torch.Tensor


def _get_document_ids_from_seq_lens(seq_lens: List[torch.Tensor]) -> torch.Tensor:
    batch_size = len(seq_lens)
    batch_document_ids = []
    for sample_idx in range(batch_size):
        document_ids = torch.cat(
            [torch.full((seq_len,), i, dtype=torch.long, device=seq_len.device)
             for i, seq_len in enumerate(seq_lens[sample_idx])]
        )
        batch_document_ids.append(document_ids)
    batch_document_ids = torch.stack(batch_document_ids)
    return batch_document_ids


def create_block_causal_mask(seq_lens: List[torch.Tensor]) -> torch.Tensor:
    batch_block_attn_masks = []
    batch_size = len(seq_lens)
    for sample_idx in range(batch_size):
        block_attn_masks = [
            torch.tril(torch.ones(seq_len, seq_len, dtype=torch.bool, device=seq_len.device))
            for i, seq_len in enumerate(seq_lens[sample_idx])
        ]
        batch_block_attn_masks.append(torch.block_diag(*block_attn_masks))
    return torch.stack(batch_block_attn_masks)


def packed_block_causal_mask(seq_lens: List[torch.Tensor]) -> _MaskType:
    return create_block_causal_mask(seq_lens=seq_lens)


def _sdpa_or_flex_attention() -> Callable:
    def _attention_call(q, k, v, mask: Optional[_MaskType], dropout_p: float, is_causal: bool) -> torch.Tensor:
        if mask is not None:
            mask = mask[:, None, :, :]
        return nn.functional.scaled_dot_product_attention(q, k, v, attn_mask=mask, dropout_p=dropout_p, is_causal=is_causal)
    return _attention_call


def multinomial_sample_one(probs: torch.Tensor, q: torch.Tensor) -> torch.Tensor:
    return torch.argmax(probs / q, dim=-1, keepdim=True).to(dtype=torch.int)


def sample(logits, *, temperature: float = 1.0, top_k: Optional[int] = None, q: Optional[torch.Tensor] = None):
    logits = logits / max(temperature, 1e-5)
    if top_k is not None:
        v, _ = torch.topk(logits, min(top_k, logits.size(-1)))
        pivot = v.select(-1, -1).unsqueeze(-1)
        logits = torch.where(logits < pivot, -float("Inf"), logits)
    probs = torch.nn.functional.softmax(logits, dim=-1)
    if q is None:
        q = torch.empty_like(probs).exponential_(1)
    return multinomial_sample_one(probs, q)


def update_stop_tokens_tracker(tokens, stop_tokens, stop_token_reached):
    stop_token_reached_curr = torch.isin(tokens, stop_tokens).flatten()
    stop_token_reached |= stop_token_reached_curr
    return stop_token_reached


def get_causal_mask_from_padding_mask(padding_mask: torch.Tensor, target_seq_len: Optional[int] = None) -> torch.Tensor:
    bsz, seq_len = padding_mask.shape
    target_seq_len = seq_len if target_seq_len is None else target_seq_len
    if target_seq_len < seq_len:
        raise AssertionError("target_seq_len cannot be shorter than the sequence length of the padding mask.")
    mask = torch.tril(torch.ones(seq_len, target_seq_len, device=padding_mask.device, dtype=bool), diagonal=0).repeat(bsz, 1, 1)
    mask.narrow(2, 0, seq_len).mul_(padding_mask[:, None, :].expand(-1, seq_len, -1))
    mask.diagonal(dim1=1, dim2=2).copy_(torch.Tensor([True]))
    return mask


def get_position_ids_from_padding_mask(padding_mask: torch.Tensor):
    return ((padding_mask.cumsum(-1) - 1) * padding_mask).to(torch.int)


class TinyDecoder(nn.Module):
    def __init__(self, vocab=11, dim=8, heads=2):
        super().__init__()
        self.tok_embeddings = nn.Embedding(vocab, dim)
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.output = nn.Linear(dim, vocab)
        self.attn = _sdpa_or_flex_attention()

    def caches_are_enabled(self):
        return False

    def forward(self, tokens, *, mask=None, input_pos=None):
        b, s = tokens.shape
        h = self.tok_embeddings(tokens)
        q, k, v = self.qkv(h).view(b, s, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        o = self.attn(q, k, v, mask=mask, dropout_p=0.0, is_causal=mask is None)
        return self.output(o.transpose(1, 2).reshape(b, s, -1))


@torch.no_grad()
def generate(model, prompt, *, max_generated_tokens: int, pad_id: int = 0, top_k=None, stop_tokens=None, rng=None):
    bsz, prompt_length = prompt.size()
    total_response_length = prompt_length + max_generated_tokens
    generated_tokens = prompt.clone()
    max_seq_len = total_response_length
    padding_masks = generated_tokens != pad_id
    if not padding_masks.all():
        padding_masks = torch.nn.functional.pad(padding_masks, (0, max_generated_tokens), value=True)
        masks = get_causal_mask_from_padding_mask(padding_masks, target_seq_len=max_seq_len)
        input_pos = get_position_ids_from_padding_mask(padding_masks)
    else:
        masks = torch.tril(torch.ones(total_response_length, max_seq_len, dtype=torch.bool)).unsqueeze(0)
        input_pos = torch.arange(0, total_response_length).unsqueeze(0)
    curr_masks = masks[:, :prompt_length, :prompt_length]
    q = torch.empty((bsz, model.tok_embeddings.num_embeddings)).exponential_(1, generator=rng)
    logits = model(prompt, input_pos=input_pos[:, :prompt_length].squeeze(), mask=curr_masks)[:, -1]
    tokens = sample(logits.clone(), top_k=top_k, q=q)
    generated_tokens = torch.cat([generated_tokens, tokens], dim=-1)
    curr_pos = prompt_length
    stop_token_reached = torch.zeros(bsz, dtype=torch.bool)
    stop_tokens = torch.tensor(stop_tokens, dtype=tokens.dtype) if stop_tokens else None
    stop_token_mask = torch.ones((bsz, prompt_length + 1), dtype=torch.int32)
    if stop_tokens is not None:
        stop_token_reached = update_stop_tokens_tracker(tokens, stop_tokens, stop_token_reached)
    for _ in range(max_generated_tokens - 1):
        if stop_tokens is not None:
            stop_token_mask = torch.cat([stop_token_mask, ~stop_token_reached.reshape(bsz, 1)], dim=-1)
        tokens = generated_tokens.clone()
        curr_masks = masks[:, : curr_pos + 1, : curr_pos + 1]
        q = torch.empty((bsz, model.tok_embeddings.num_embeddings)).exponential_(1, generator=rng)
        logits = model(tokens, input_pos=input_pos[:, : curr_pos + 1], mask=curr_masks)[:, -1]
        tokens = sample(logits.clone(), top_k=top_k, q=q)
        generated_tokens = torch.cat([generated_tokens, tokens], dim=-1)
        curr_pos += 1
        if stop_tokens is not None:
            stop_token_reached = update_stop_tokens_tracker(tokens, stop_tokens, stop_token_reached)
            if stop_token_reached.all():
                break
    if stop_tokens is not None:
        generated_tokens *= stop_token_mask
    return generated_tokens, stop_token_mask


seq_lens = [torch.tensor([2, 3, 1]), torch.tensor([4, 2])]
doc_ids = _get_document_ids_from_seq_lens(seq_lens)
print(doc_ids)
block = packed_block_causal_mask(seq_lens)
print(block.int())
pad = torch.tensor([[False, True, True, True], [True, True, True, True]])
cm = get_causal_mask_from_padding_mask(pad, target_seq_len=6)
print(cm)
pos = get_position_ids_from_padding_mask(torch.tensor([False, False, False, True, True, True, True, True]))
print(pos)
try:
    get_causal_mask_from_padding_mask(pad, target_seq_len=2)
except AssertionError as e:
    print("AssertionError:", e)
torch.manual_seed(0)
model = TinyDecoder()
rng = torch.Generator().manual_seed(42)
prompt = torch.tensor([[0, 3, 4, 5], [6, 7, 8, 9]])
out, stop_mask = generate(model, prompt, max_generated_tokens=4, top_k=3, stop_tokens=[2, 7], rng=rng)
print(out, stop_mask)
