# PyTorch 2.x accepts only bool masks: masked_fill, masked_select and masked_scatter reject uint8, int and float masks.
import torch

scores = torch.tensor([[0.5, 1.5, -0.3], [1.0, 0.0, 0.25]])
messages = []
for dtype in [torch.uint8, torch.int8, torch.int32, torch.int64, torch.float32, torch.float64]:
    mask = torch.tensor([[0, 0, 1], [0, 1, 1]], dtype=dtype)
    for op in ["masked_fill", "masked_select", "masked_scatter"]:
        try:
            if op == "masked_fill":
                scores.masked_fill(mask, float("-inf"))
            elif op == "masked_select":
                scores.masked_select(mask)
            else:
                scores.masked_scatter(mask, torch.zeros(6))
            messages.append(f"{op} {dtype}: ok")
        except RuntimeError as e:
            messages.append(f"{op} {dtype}: {e}")
for line in messages:
    print(line)

bool_mask = torch.tensor([[0, 0, 1], [0, 1, 1]]).bool()
filled = scores.masked_fill(bool_mask, float("-inf"))
selected = scores.masked_select(~bool_mask)
scattered = scores.masked_scatter(bool_mask, torch.arange(6.0))
byte_picked = scores[torch.tensor([[0, 0, 1], [0, 1, 1]], dtype=torch.uint8)]
try:
    scores[torch.tensor([0, 1], dtype=torch.int8)]
except IndexError as e:
    index_error = str(e)
try:
    torch.triu(torch.ones(3))
except RuntimeError as e:
    triu_error = str(e)
print(filled)
print(selected, scattered, byte_picked, index_error, triu_error, sep="\n")
