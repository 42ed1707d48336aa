# np.set_printoptions / get_printoptions / printoptions as tutorials use them
# (suppress=True before printing attention weights, precision, threshold with
# sys.maxsize or np.inf, floatmode, sign, nanstr/infstr) and their argument checks.
import numpy as np
a = np.array([[1e-8, 0.5, 123.456789], [1.0, -2.5, 3.0]])
print(a)
np.set_printoptions(suppress=True)
print(a)
np.set_printoptions(precision=3)
print(a, repr(a))
print(np.float64(1e-8), np.float32(0.123456789))
np.set_printoptions(threshold=5, edgeitems=2)
print(np.arange(10), repr(np.arange(10.0)))
np.set_printoptions(linewidth=20)
print(np.arange(12))
print(np.get_printoptions())
with np.printoptions(precision=1, sign='+') as opts:
    print(np.array([1.25, -3.5, 0.0]), opts['precision'], opts['sign'])
print(np.array([1.25, -3.5]))
np.set_printoptions(floatmode='fixed', precision=2, linewidth=75, threshold=1000, edgeitems=3)
print(np.array([1.0, 2.5, np.nan, np.inf]))
np.set_printoptions(nanstr='NaN', infstr='Inf', floatmode='maxprec')
print(np.array([1.0, np.nan, -np.inf]))
for bad in [dict(precision=1.5), dict(threshold='x'), dict(threshold=float('nan')), dict(floatmode='x'), dict(sign='x')]:
    try:
        np.set_printoptions(**bad)
    except (TypeError, ValueError) as e:
        print(type(e).__name__, e)
np.set_printoptions(precision=8, suppress=False, nanstr='nan', infstr='inf', floatmode='maxprec')
import sys
np.set_printoptions(threshold=sys.maxsize)
print(np.get_printoptions()['threshold'] == sys.maxsize)
np.set_printoptions(threshold=np.inf)
print(np.get_printoptions()['threshold'])
print(np.arange(1001)[-3:])
