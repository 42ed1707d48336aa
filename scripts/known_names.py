#!/usr/bin/env python3
"""Write src/frameworks/known_names.json: the public names real PyTorch, NumPy and
Keras / TensorFlow (keras, keras.ops, keras.layers, ..., tensorflow, tf.nn, tf.math,
tf.linalg, when installed) define (dir() of each namespace), so that Mask Lens answers a name it lacks with
NotImplementedError instead of a misleading AttributeError, plus the attributes
NumPy 2.0 removed with the message NumPy raises for each.

Run it with the golden-file environment (requirements-golden.txt), with Keras:
  .venv-golden/bin/python scripts/known_names.py
"""
import json
import os

import numpy as np
import numpy.linalg
import torch
import torch.nn
import torch.nn.functional

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def public(obj):
    return sorted(n for n in dir(obj) if not n.startswith("_"))


def main():
    from numpy._expired_attrs_2_0 import __expired_attributes__ as expired

    known = {
        "torch": public(torch),
        "torch.Tensor": public(torch.Tensor),
        "torch.nn": public(torch.nn),
        "torch.nn.functional": public(torch.nn.functional),
        "numpy": public(np),
        "numpy.ndarray": public(np.ndarray),
        "numpy.random": public(np.random),
        "numpy.linalg": public(np.linalg),
        # numpy/__init__.py __getattr__: `np.{name}` was removed in the NumPy 2.0 release. {advice}
        "numpy.expired": dict(sorted(expired.items())),
        "versions": {"torch": torch.__version__, "numpy": np.__version__},
    }
    try:
        import keras
        known["keras.ops"] = public(keras.ops)
        # the Keras namespaces Mask Lens models (tf.keras.X is the same module in Keras 3)
        for sub in ("layers", "utils", "losses", "optimizers", "preprocessing"):
            known[f"keras.{sub}"] = public(getattr(keras, sub))
        known["keras"] = public(keras)
        known["versions"]["keras"] = keras.__version__
    except ImportError:
        pass
    try:
        import tensorflow as tf
        known["tensorflow"] = public(tf)
        for sub in ("nn", "math", "linalg", "random"):
            known[f"tensorflow.{sub}"] = public(getattr(tf, sub))
        known["versions"]["tensorflow"] = tf.__version__
    except ImportError:
        pass
    with open(os.path.join(ROOT, "src", "frameworks", "known_names.json"), "w") as f:
        json.dump(known, f, separators=(",", ":"))
    print({k: len(v) for k, v in known.items()})


if __name__ == "__main__":
    main()
