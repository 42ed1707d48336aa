# frozensets as dict keys and set elements, and hash(frozenset): CPython 3.11's frozenset_hash
# (Objects/setobject.c), which also orders a set of frozensets; tuple keys holding commas stay apart.
d = {frozenset({1, 2}): 1, frozenset(): 0}
print(d, d[frozenset([2, 1])], frozenset({1, 2}) in d)
s = {frozenset({1, 2}), frozenset({3}), frozenset({2, 1}), frozenset()}
print(s, len(s))
print(hash(frozenset({1, 2})), hash(frozenset()), hash(frozenset({frozenset({1}), 2.5, (1, 2)})), hash(frozenset(range(100))))
print(hash(frozenset({-1, -2})), hash(frozenset({True, 1.0})))
print({frozenset({i}) for i in range(10)})
print({frozenset({1, 2}), frozenset({3})} == {frozenset({3}), frozenset({1, 2})})
t = {("a", "b"): 1, ("a,sb",): 2}
print(t)
print({frozenset({"a,b"}), frozenset({"a", "b"})} == {frozenset({"a", "b"})})
try:
    {frozenset({1}): 1}[{1}]
except TypeError as e:
    print(e)
try:
    frozenset({1, [2]})
except TypeError as e:
    print(e)
fs = frozenset({3, 1, 2})
print(hash(fs) == hash(frozenset({1, 2, 3})), {fs: "x"}[frozenset([1, 2, 3])])
# a set looked up in a set stands for the frozenset of its elements (in, discard, remove); a dict does not
s = {frozenset({1, 2}), 3}
print({1, 2} in s, {9} in s, {2, 1} not in s)
s.discard({1, 2})
print(s)
try:
    s.remove({3})
except KeyError as e:
    print("KeyError", e)
try:
    {1: 2}[{1}]
except TypeError as e:
    print(e)
