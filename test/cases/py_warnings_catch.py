# Model files silence or record warnings around a call: warnings.catch_warnings() (record=True gives the list
# of WarningMessage objects: .category, .message), simplefilter / filterwarnings inside and outside it.
import warnings
import torch
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    x = torch.ones(2)
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    warnings.warn("careful", UserWarning)
    warnings.warn(DeprecationWarning("old api"))
    warnings.warn("plain")
    print(len(caught), caught[0].category, str(caught[0].message), caught[1].category.__name__, caught[2].category)
    print(isinstance(caught[1].message, DeprecationWarning), caught[0].message.args)
with warnings.catch_warnings(record=False) as nothing:
    print(nothing)
warnings.filterwarnings("ignore", category=UserWarning)
warnings.filterwarnings("ignore", message=".*nested tensor.*")
print(x)
