# Device strings as c10 parses them: x.to("float32") (a dtype name passed
# where a device goes) and malformed indexes are "Invalid device string",
# an unknown type lists the known ones; good strings work.
import torch

x = torch.ones(2, 3)
on_cpu = x.to("cpu")
on_cpu0 = x.to("cpu:0", torch.float64)
dev = torch.device("cpu:0")
errors = []
for bad in ["float32", "cuda:01", "cpu:", "cpu:0:1", "CPU", "gpu"]:
    try:
        torch.device(bad)
    except RuntimeError as e:
        errors.append(str(e))
try:
    x.to("float32")
except RuntimeError as e:
    to_error = str(e)
y = x.to("float32")
