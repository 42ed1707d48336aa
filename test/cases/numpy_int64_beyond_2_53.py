# NumPy int64 past 2^53: print, repr and scalars show the exact digits
# (a double holds only the nearest), as NumPy 2.4 does.
import numpy as np

a = np.array([[2**53 + 1, -3], [2**62 + 3, -2**63]])
s = a[0, 0]
total = a.sum()
print(a)
print(repr(a))
print(s, repr(s), s + 2)
print(a[0])
