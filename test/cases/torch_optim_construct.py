# torch.optim constructors in a training notebook: argument checks with
# PyTorch's wording, defaults, param_groups and zero_grad().
import torch
import torch.nn as nn

model = nn.Linear(4, 2)
opt = torch.optim.Adam(model.parameters(), lr=3e-4)
print(opt.defaults)
print(len(opt.param_groups), len(opt.param_groups[0]["params"]), opt.param_groups[0]["lr"])
sgd = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, nesterov=True)
print(sgd)
adamw = torch.optim.AdamW([{"params": [model.weight]}, {"params": [model.bias], "lr": 1e-2}], lr=1e-3)
print([g["lr"] for g in adamw.param_groups], adamw.param_groups[1]["weight_decay"], adamw.defaults["decoupled_weight_decay"])
print(adamw)  # two groups: a blank line between them
opt.zero_grad()
print(model.weight.grad)
for bad in [
    lambda: torch.optim.Adam(model.parameters(), lr=-1),
    lambda: torch.optim.Adam(model.parameters(), betas=(0.9, 1.0)),
    lambda: torch.optim.Adam(model.parameters(), eps=-1e-8),
    lambda: torch.optim.AdamW(model.parameters(), weight_decay=-0.5),
    lambda: torch.optim.SGD(model.parameters(), lr=-0.1),
    lambda: torch.optim.SGD(model.parameters(), lr=0.1, momentum=-1),
    lambda: torch.optim.SGD(model.parameters(), lr=0.1, nesterov=True),
    lambda: torch.optim.SGD([], lr=0.1),
    lambda: torch.optim.SGD([1, 2], lr=0.1),
    lambda: torch.optim.SGD(model.weight, lr=0.1),
    lambda: torch.optim.Adam(torch.ones(2, dtype=torch.long)),
]:
    try:
        bad()
    except (ValueError, TypeError) as e:
        print(type(e).__name__, e)
