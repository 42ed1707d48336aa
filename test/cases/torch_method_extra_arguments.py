# Elementwise Tensor methods and their torch.* functions refuse extra arguments with torch's
# TypeError wording (METH_NOARGS methods, keyword-only methods, one-input functions) instead of
# ignoring them; the calls that are valid still run.
import torch

x = torch.tensor([0.5, -2.0, 3.0])
calls = {
    "x.exp(3)": lambda: x.exp(3),
    "x.sigmoid(1)": lambda: x.sigmoid(1),
    "x.tanh(None)": lambda: x.tanh(None),
    "x.abs(1, 2)": lambda: x.abs(1, 2),
    "x.relu(inplace=True)": lambda: x.relu(inplace=True),
    "x.sqrt(out=x)": lambda: x.sqrt(out=x),
    "x.exp_(2)": lambda: x.exp_(2),
    "x.numel(0)": lambda: x.numel(0),
    "x.clone(1)": lambda: x.clone(1),
    "x.float(torch.float16)": lambda: x.float(torch.float16),
    "torch.Tensor.exp(x, 3)": lambda: torch.Tensor.exp(x, 3),
    "torch.exp(x, 3)": lambda: torch.exp(x, 3),
    "torch.sigmoid(x, x)": lambda: torch.sigmoid(x, x),
    "torch.exp(x, foo=1)": lambda: torch.exp(x, foo=1),
    "torch.exp()": lambda: torch.exp(),
    "torch.exp(x, input=x)": lambda: torch.exp(x, input=x),
    "torch.clone(x, 1)": lambda: torch.clone(x, 1),
}
for text, call in calls.items():
    try:
        call()
        print(text, "ran")
    except TypeError as e:
        print(text, "->", e)
still = x  # untouched by the refused in-place call
ok_exp = torch.exp(x)
ok_sig = x.sigmoid()
ok_out = torch.exp(x, out=torch.empty(3))
ok_input = torch.tanh(input=x)
print(ok_exp, ok_sig, ok_out, ok_input)
x.sigmoid(2)
