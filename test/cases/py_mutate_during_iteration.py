# Changing a set's or dict's size while iterating it raises CPython's RuntimeError at the next
# step (sticky for that iterator); same-size updates and a break after the change do not.
s = {1, 2, 3}
try:
    for x in s:
        s.add(x + 10)
except RuntimeError as e:
    print(type(e).__name__, e, sorted(s))
d = {"a": 1, "b": 2}
try:
    for k in d:
        d[k + "x"] = 0
except RuntimeError as e:
    print(type(e).__name__, e, d)
d = {"a": 1, "b": 2}
try:
    for k, v in d.items():
        del d[k]
except RuntimeError as e:
    print(e, d)
d = {1: 1}
try:
    for k in d:
        d[2] = 2
except RuntimeError as e:
    print(e, d)
s = {1, 2}
try:
    print([s.discard(x) for x in s])
except RuntimeError as e:
    print(e, s)
d = {"a": 1}
for k in d:
    d[k] = 5  # same size: fine
print(d)
s = {1, 2, 3}
for x in s:
    if x == 2:
        s.add(99)
        break
print(sorted(s))
d = {"a": 1, "b": 2}
try:
    for v in d.values():
        d.pop("b", None)
except RuntimeError as e:
    print(e, d)
d = {"a": 1, "b": 2}
it = iter(d)
next(it)
d["c"] = 3
try:
    next(it)
except RuntimeError as e:
    print(e)
try:
    next(it)
except RuntimeError as e:
    print("again:", e)
s = {1, 2}
it = iter(s)
s.add(3)
try:
    next(it)
except RuntimeError as e:
    print(e)
try:
    print(list(it))
except RuntimeError as e:
    print("again:", e)
it = iter({1: 2})
print(list(it), list(it))
# same-size changes: a dict is walked live (a deleted key skipped, an added one reached), and a walk
# that would yield more keys than the dict had raises 'dictionary keys changed during iteration'
d = {"a": 1, "b": 2, "c": 3}
out = []
for k in d:
    out.append(k)
    if k == "a":
        del d["b"]
        d["z"] = 0
print(out, d)
d = {"a": 1, "b": 2}
seen = []
try:
    for k in d:
        seen.append(k)
        del d[k]
        d[k + "x"] = 1
except RuntimeError as e:
    print(type(e).__name__, e, seen, d)
d = {"a": 1, "b": 2}
for k, v in d.items():
    d[k] = v * 10
print(d, [v for v in d.values()])
