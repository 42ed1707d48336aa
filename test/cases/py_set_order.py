# Sets iterate, print and pop in CPython's hash-table order
# (Objects/setobject.c), not in insertion order. Only int, float and tuple
# elements: their hashes are the same in every process.
small = {3, 1, 2}
print(small)
print({10, 1, 100, 33})
print(set(range(20)) - {5})
print({17, 5, -2, 8, 9, -1})
print({0.5, 1.5, 2.25, 3, 1e-300, -7.125})
print({(1, 2), (3, 4), (0, 0), (5,)})
print({1, 1.0, True})
a = {1, 2, 3, 40, 50, 60, 700, 800}
first = a.pop()
second = a.pop()
print(first, second, a)
print(set(range(100, 0, -7)))
print({i * 8 for i in range(12)})
b = set(range(30))
b.discard(3)
b.add(1000)
print(b)
as_list = list({9, 17, 25, 33})
print(as_list, sorted({9, 17, 25}))
print(frozenset({64, 0, 128, 8}))
print({5, 6, 7} | {100, 2}, {5, 6, 7, 8, 9} & {9, 8, 70}, {1, 2, 64} ^ {64, 3, 128})
d = {40: 1, 8: 2, 16: 3}
print(d.keys() - {8}, d.keys() | {0}, d.keys() & {16, 40}, set(d))
for x in {33, 1, 65}:
    print(x)
c = set()
for i in range(40):
    c.add(i * 37 % 101)
print(c)
c -= set(range(0, 101, 3))
print(c)
print(c.copy() == c, set(c), c.union({5000}))
e = {64, 128, 256, 1, 2}
e.difference_update({2, 64})
e.update([1024, 7, 512])
print(e, e.intersection({7, 512, 1}, [1, 512, 7]), e.symmetric_difference([0, 7]))
order = [v for v in {2 ** 40, 2 ** 61, -(2 ** 70), 7, 6}]
print(order)
