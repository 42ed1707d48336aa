# A small class that builds masks, with a subclass, a staticmethod and __repr__.
import torch


class MaskBuilder:
    def __init__(self, pad_id=0):
        self.pad_id = pad_id
        self.calls = 0

    def padding(self, ids):
        self.calls += 1
        return ids != self.pad_id

    @staticmethod
    def causal(n):
        return torch.tril(torch.ones(n, n, dtype=torch.bool))

    def __repr__(self):
        return f"MaskBuilder(pad_id={self.pad_id}, calls={self.calls})"


class DecoderMaskBuilder(MaskBuilder):
    def full(self, ids):
        pad = self.padding(ids)
        return pad.unsqueeze(1) & self.causal(ids.size(-1))


builder = DecoderMaskBuilder(pad_id=-1)
ids = torch.tensor([[4, 2, -1]])
dec = builder.full(ids)
print(builder)
print(dec)
print(isinstance(builder, MaskBuilder), MaskBuilder.causal(2))
