# IndexError: a plain Python list indexed past its end while building a mask.
lengths = [3, 2]
mask = []
for b in range(3):
    mask.append([1] * lengths[b])
