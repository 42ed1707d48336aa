# int against float compares exactly in CPython (no rounding of the int to a
# double): sys.maxsize != float(sys.maxsize), 2**53 + 1 > 2.0**53.
import sys

big = 2**53 + 1
print(big == 2.0**53, big > 2.0**53, 2.0**53 < big, big >= 2.0**53 + 2)
print(sys.maxsize == float(sys.maxsize), sys.maxsize < float(sys.maxsize), float(sys.maxsize) > sys.maxsize)
print(2**64 + 1 != 2.0**64, -(2**60) - 1 < -(2.0**60), 3 < 3.5, -3 > -3.5, 7 == 7.0, True == 1.0)
print(10**400 > float('inf'), -10**400 < float('-inf'), 10**400 > 1e308, 5 == float('nan'), 5 < float('nan'))
print(sorted([2**53 + 1, 2.0**53, 2**53 - 1, 9007199254740992.5]))
print(max(2**53 + 1, 2.0**53), min(2.0**53, 2**53 + 1))
