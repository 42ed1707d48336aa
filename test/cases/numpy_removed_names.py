# NumPy 2.0 removed aliases such as np.float_ and np.Inf (AttributeError with advice); np.bool is back.
import numpy as np

messages = []
for name in ["float_", "Inf", "NaN", "infty", "round_", "alltrue", "product"]:
    try:
        getattr(np, name)
        messages.append(f"{name}: ok")
    except AttributeError as e:
        messages.append(str(e))
print("\n".join(messages))
mask = np.array([1, 0, 2]).astype(np.bool)
print(mask, mask.dtype, np.bool is np.bool_)
fill = np.float_(0.5)
