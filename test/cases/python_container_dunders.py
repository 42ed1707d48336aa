# The subscript operators as bound methods (whisper.timing's
# `QKs.__setitem__(index, ...)` in a hook lambda), KeyError's args, and
# Python 3's aliases IOError / EnvironmentError of OSError (the Annotated
# Transformer's `except IOError:` around spacy.load).
QKs = [None] * 3
QKs.__setitem__(1, "w")
table = {"a": 1}
table.__setitem__("b", 2)
pair = (4, 5)
print(QKs.__getitem__(1), QKs.__len__(), QKs.__contains__("w"))
print(table.__getitem__("b"), table.__contains__("a"), table.__len__())
print(pair.__getitem__(-1), pair.__len__(), pair.__contains__(6))

try:
    table["missing"]
except KeyError as e:
    print(repr(e), e.args, str(e))

try:
    table.__getitem__(("x", 1))
except LookupError as e:
    print(repr(e), e)

try:
    raise IOError("no model")
except EnvironmentError as e:
    print(type(e).__name__, e, IOError is OSError)

try:
    QKs.__setitem__(0)
except TypeError as e:
    print(repr(str(e)))

QKs.__getitem__()
