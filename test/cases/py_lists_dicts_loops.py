# Plain Python around masks: lists, dicts, comprehensions, loops, zip, enumerate, sorted.
import torch

batch = [[5, 9, 2], [7], [3, 3, 3, 3]]
lengths = [len(s) for s in batch]
max_len = max(lengths)
padded = [s + [0] * (max_len - len(s)) for s in batch]
mask_rows = [[1 if tok != 0 else 0 for tok in row] for row in padded]
order = sorted(range(len(batch)), key=lambda i: lengths[i], reverse=True)
vocab = {"<pad>": 0, "a": 1, "b": 2}
inverse = {v: k for k, v in vocab.items()}
total = 0
for i, (row, n) in enumerate(zip(padded, lengths)):
    if n == 1:
        continue
    total += sum(row)
count = 0
while count < 3:
    count += 1
evens = [x for x in range(10) if x % 2 == 0][1:4]
pairs = list(zip("ab", [1, 2]))
t = torch.tensor(padded)
m = torch.tensor(mask_rows).bool()
print(lengths, max_len, order)
print(padded)
print(inverse[2], len(vocab), "a" in vocab, sorted(vocab))
print(total, count, evens, pairs)
print(t, m, sep="\n")
