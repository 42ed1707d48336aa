# callable() on a bound method, a plain function, a class, a built-in, an
# instance with and without __call__: a mask_mod passed as obj.method counts.
class MaskBuilder:
    def causal(self, q, k):
        return q >= k

class Callable:
    def __call__(self, x):
        return x

def plain(x):
    return x

b = MaskBuilder()
kinds = [callable(b.causal), callable(MaskBuilder.causal), callable(plain), callable(MaskBuilder), callable(len), callable(b), callable(Callable()), callable(1)]
