# The Annotated Transformer's LabelSmoothing (harvardnlp/annotated-transformer):
# scatter_ the confidence, zero the padding column, index_fill_ the padded
# rows, then nn.KLDivLoss(reduction="sum"). With torch 2.x kl_div's
# xlogy(target, target) - target * input, log(0) inputs make the loss NaN.
import torch
import torch.nn as nn
import torch.nn.functional as F

class LabelSmoothing(nn.Module):
    "Implement label smoothing."

    def __init__(self, size, padding_idx, smoothing=0.0):
        super(LabelSmoothing, self).__init__()
        self.criterion = nn.KLDivLoss(reduction="sum")
        self.padding_idx = padding_idx
        self.confidence = 1.0 - smoothing
        self.smoothing = smoothing
        self.size = size
        self.true_dist = None

    def forward(self, x, target):
        assert x.size(1) == self.size
        true_dist = x.data.clone()
        true_dist.fill_(self.smoothing / (self.size - 2))
        true_dist.scatter_(1, target.data.unsqueeze(1), self.confidence)
        true_dist[:, self.padding_idx] = 0
        mask = torch.nonzero(target.data == self.padding_idx)
        if mask.dim() > 0:
            true_dist.index_fill_(0, mask.squeeze(), 0.0)
        self.true_dist = true_dist
        return self.criterion(x, true_dist.clone().detach())


crit = LabelSmoothing(5, 0, 0.4)
predict = torch.FloatTensor([[0, 0.2, 0.7, 0.1, 0]] * 5)
loss = crit(x=predict.log(), target=torch.LongTensor([2, 1, 0, 3, 3]))
true_dist = crit.true_dist
print(loss)
print(true_dist)
kl = nn.KLDivLoss(reduction="batchmean")
logits = torch.tensor([[1.0, 2.0, 0.5], [0.1, 0.2, 0.3]], requires_grad=True)
inp = torch.log_softmax(logits, dim=-1)
tgt = torch.tensor([[0.2, 0.5, 0.3], [0.0, 0.5, 0.5]])
batchmean = kl(inp, tgt)
mean = nn.KLDivLoss()(inp, tgt)
none = nn.KLDivLoss(reduction="none")(inp, tgt)
log_target = nn.KLDivLoss(reduction="sum", log_target=True)(inp, tgt.clamp_min(1e-3).log())
functional = F.kl_div(inp, tgt, reduction="sum")
print(batchmean, mean, none, log_target, functional, nn.KLDivLoss(reduction="sum"))
x = torch.arange(12.0).reshape(3, 4)
rows = x.clone().index_fill_(0, torch.tensor(2), 0.0)
cols = x.index_fill(1, torch.tensor([0, -1]), -1)
fn_form = torch.index_fill(x, 0, torch.tensor([0]), torch.tensor(9.0))
flags = torch.zeros(2, 3, dtype=torch.bool).index_fill(1, torch.tensor([1]), True)
print(rows, cols, fn_form, flags)
F.kl_div(inp, tgt, reduction="batch")
