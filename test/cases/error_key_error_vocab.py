# KeyError: looking up a token the vocabulary does not contain.
vocab = {"<pad>": 0, "hello": 1, "world": 2}
sentence = ["hello", "there"]
ids = []
for tok in sentence:
    ids.append(vocab[tok])
