# NumPy scalar and array printing near the per-dtype scientific cutoffs: scalars switch at 1e3
# (float16), 1e6 (float32), 1e16 (float64); arrays at 1e3, 1e6, 1e8. f'{x}' on float16/float32
# formats the Python float of the value.
import numpy as np
for name, t in (('float16', np.float16), ('float32', np.float32), ('float64', np.float64)):
    for v in (999.5, 1000.0, 65504.0, 999999.94, 1e6, 1234567.0, 1e7, 1e8, 1e15, 1e16, 1e-4, 9.99e-5, 0.1, -1000.0, 0.0):
        if name == 'float16' and abs(v) > 65504:
            continue
        x = t(v)
        print(name, v, str(x), repr(x), f'{x}', f'{x!s}', x, [x], np.array([x]), np.array([x, 1.5], t), repr(np.array([x])))
print(np.float32(1.5), repr(np.float32(1.5)), np.float16(np.nan), np.float32(-np.inf), f'{np.float16(np.nan)}')
print(np.array([1e-4, 0.099], np.float32), np.array([1e-4, 0.099], np.float16), np.array([1e-4, 0.099]))
print(np.array(np.float16(65504)), repr(np.array(np.float16(65504))), np.array([[1000.0, 0.5]], np.float16))
print('%s %r' % (np.float16(65504), np.float32(1e15)), '{!s} {!r} {:g}'.format(np.float16(65504), np.float32(1e15), np.float16(65504)))
