# A class decorator that rewrites cls.__bases__ (fairseq with_incremental_state style): MRO, lookup,
# super() and isinstance follow; CPython's TypeErrors for a non-tuple, an empty tuple, a non-class, a cycle.
class A:
    def __init__(self, *a, **k):
        super().__init__(*a, **k)
        self.tag = "A-init"
    def hello(self):
        return "hello from A"

class Base:
    def __init__(self):
        super().__init__()
        self.base = True

def deco(cls):
    cls.__bases__ = (A,) + tuple(b for b in cls.__bases__ if b != A)
    return cls

@deco
class C(Base):
    def __init__(self):
        super().__init__()

c = C()
print(C.__bases__, [k.__name__ for k in C.__mro__[:3]])
print(c.hello(), c.tag, c.base, isinstance(c, A), issubclass(C, A))
class D:
    pass
try:
    D.__bases__ = []
except TypeError as e:
    print(e)
try:
    D.__bases__ = ()
except TypeError as e:
    print(e)
try:
    Base.__bases__ = (3,)
except TypeError as e:
    print(e)
try:
    A.__bases__ = (C,)
except TypeError as e:
    print(e)
