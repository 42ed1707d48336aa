# TypeError: concatenating a str and a tensor inside a logging helper.
import torch


def report(lengths):
    return "lengths: " + lengths


lengths = torch.tensor([3, 1])
ok = "n = " + str(len(lengths))
msg = report(lengths)
