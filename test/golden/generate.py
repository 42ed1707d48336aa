#!/usr/bin/env python3
"""Regenerate Mask Lens golden files from real PyTorch, NumPy, TensorFlow and Keras.

Each case is a Python snippet (test/cases/*.py, and the public seeds
examples/seed_*.py). This script runs every case in a fresh interpreter with
the pinned libraries of requirements-golden.txt and writes what the snippet
left behind to test/golden/CASE.json, the record `node test/conform.mjs`
compares Mask Lens against:

  case      the snippet's file name
  versions  the libraries that produced the record: python, torch, numpy
            always; tensorflow and keras when the snippet imported them
  reference a one-line summary of the same ("torch 2.13.0+cpu", or
            "keras 3.15.1, tensorflow 2.21.0")
  stdout    everything the snippet printed
  warnings  the first line of every distinct warning (recorded, not compared)
  error     the first exception: type, first line of the message, and the line
            of the innermost frame inside the snippet; null when it ran through
  variables every top-level tensor, array, number, string, list and tuple:
            {type, dtype, shape, data} for tensors and arrays, {type, value}
            for numbers and strings, {type, items} for lists and tuples
  values_not_compared
            the variables a `# values not compared: a, b` line in the snippet
            names (values that depend on an unseeded or framework-specific
            random initialiser, such as a Keras Embedding's weights), recorded
            without their values: type, dtype and shape only. Only present
            when the snippet has such a line.

Before each case the generator calls torch.manual_seed(0) and
np.random.seed(0) (Mask Lens's evaluator starts from the same state) and, for
TensorFlow cases, keras.utils.set_random_seed(0) so that regenerating a file
gives the same bytes.

Usage (from the repository root; Python 3.11, as the recorded error texts are
CPython 3.11's):

  python3 -m venv .venv-golden
  .venv-golden/bin/pip install -r requirements-golden.txt
  .venv-golden/bin/python test/golden/generate.py                  # every case
  .venv-golden/bin/python test/golden/generate.py test/cases/X.py  # some cases
  .venv-golden/bin/python test/golden/generate.py --out /tmp/g     # elsewhere

The golden files are committed; CI and `npm test` never run this script.
"""
import argparse
import contextlib
import io
import json
import math
import os
import platform
import subprocess
import sys
import tempfile
import traceback
import types
import warnings

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


# ---------------------------------------------------------------- encoding


def enc_num(x):
    """A Python or NumPy number as JSON: ints exact, nan/inf as strings."""
    import numpy as np

    if isinstance(x, (bool, np.bool_)):
        return bool(x)
    if isinstance(x, (int, np.integer)):
        return int(x)
    x = float(x)
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    return x


def tf_tensor_type():
    """tf.Tensor when the snippet imported TensorFlow, else a type nothing is."""
    tf = sys.modules.get("tensorflow")
    return tf.Tensor if tf is not None else ()


def encode(v):
    """The golden record of one value, or None for values the record skips
    (modules, functions, classes, layers, None...)."""
    import numpy as np
    import torch

    if isinstance(v, torch.Tensor):
        return {"type": "torch.Tensor", "dtype": str(v.dtype), "shape": list(v.shape),
                "data": [enc_num(x) for x in v.detach().reshape(-1).tolist()]}
    if isinstance(v, tf_tensor_type()):
        a = v.numpy()
        return {"type": "tf.Tensor", "dtype": v.dtype.name, "shape": list(v.shape),
                "data": [enc_num(x) for x in a.reshape(-1).tolist()]}
    if isinstance(v, np.ndarray):
        return {"type": "numpy.ndarray", "dtype": str(v.dtype), "shape": list(v.shape),
                "data": [enc_num(x) for x in v.reshape(-1).tolist()]}
    if isinstance(v, (bool, int, float, np.number, np.bool_)):
        return {"type": type(v).__name__, "value": enc_num(v)}
    if isinstance(v, (list, tuple)):
        items = [encode(x) for x in v]
        if any(i is None for i in items):
            return None
        return {"type": type(v).__name__, "items": items}
    if isinstance(v, str):
        return {"type": "str", "value": v}
    return None


def without_values(e):
    """An encoded value with its data and values removed (type, dtype, shape stay)."""
    if "items" in e:
        return {"type": e["type"], "items": [without_values(i) for i in e["items"]]}
    return {k: x for k, x in e.items() if k not in ("data", "value")}


# ---------------------------------------------------------------- one case


def uses_tensorflow(src):
    return "tensorflow" in src or "keras" in src


def not_compared(src):
    """Names listed on `# values not compared: a, b` lines."""
    names = set()
    for line in src.splitlines():
        if line.startswith("# values not compared:"):
            names |= {n.strip() for n in line.split(":", 1)[1].split(",") if n.strip()}
    return names


def versions():
    import numpy as np
    import torch

    v = {"python": platform.python_version(), "torch": torch.__version__, "numpy": np.__version__}
    if "tensorflow" in sys.modules:
        v["tensorflow"] = sys.modules["tensorflow"].__version__
    if "keras" in sys.modules:
        v["keras"] = sys.modules["keras"].__version__
    if "einops" in sys.modules:
        v["einops"] = sys.modules["einops"].__version__
    return v


def run_case(path):
    """Run one snippet in this interpreter and return its golden record."""
    src = open(path, encoding="utf-8").read()
    name = os.path.basename(path)
    if uses_tensorflow(src):
        # Quiet TensorFlow's C++ logging (stderr only; it never reaches the record).
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
        os.environ["KERAS_BACKEND"] = "tensorflow"
        try:
            import keras
            import tensorflow  # noqa: F401
        except ImportError as e:
            sys.exit(f"{name} needs TensorFlow and Keras ({e}); pip install -r requirements-golden.txt")
        keras.utils.set_random_seed(0)
    import numpy as np
    import torch

    torch.set_printoptions(profile="default")
    torch.manual_seed(0)
    np.random.seed(0)

    # the snippet runs as the __main__ module, as `python snippet.py` would
    # (sys.modules["__main__"] / sys.modules[__name__] is its namespace)
    main = types.ModuleType("__main__")
    sys.modules["__main__"] = main
    ns = main.__dict__
    out = io.StringIO()
    err = None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            with contextlib.redirect_stdout(out):
                exec(compile(src, name, "exec"), ns)
        except Exception as e:  # the snippet's own error is part of the record
            tb = traceback.extract_tb(e.__traceback__)
            line = next((f.lineno for f in reversed(tb) if f.filename == name), None)
            err = {"type": type(e).__name__, "message": str(e).split("\n")[0], "line": line}

    skip = not_compared(src)
    variables, shape_only = {}, {}
    for var, v in ns.items():
        if var.startswith("_"):
            continue
        e = encode(v)
        if e is None:
            continue
        if var in skip:
            shape_only[var] = without_values(e)
        else:
            variables[var] = e

    vers = versions()
    reference = (f"keras {vers['keras']}, tensorflow {vers['tensorflow']}" if "keras" in vers
                 else f"torch {vers['torch']}")
    record = {
        "case": name,
        "versions": vers,
        "reference": reference,
        "stdout": out.getvalue(),
        "warnings": sorted({str(w.message).split("\n")[0] for w in caught}),
        "error": err,
        "variables": variables,
    }
    if shape_only:
        record["values_not_compared"] = shape_only
    return record


# ---------------------------------------------------------------- driver


def default_cases():
    cases = sorted(os.path.join(ROOT, "test", "cases", n)
                   for n in os.listdir(os.path.join(ROOT, "test", "cases")) if n.endswith(".py"))
    seeds = sorted(os.path.join(ROOT, "examples", n)
                   for n in os.listdir(os.path.join(ROOT, "examples"))
                   if n.startswith("seed_") and n.endswith(".py"))
    return cases + seeds


def generate(case, out_dir):
    """Run `case` in a fresh interpreter (TORCH_WARN_ONCE warnings, print options
    and seeds do not leak from one case to the next) and write its golden file."""
    with tempfile.NamedTemporaryFile("r", suffix=".json") as tmp:
        p = subprocess.run([sys.executable, os.path.abspath(__file__), "--worker", os.path.abspath(case), tmp.name],
                           cwd=os.path.dirname(os.path.abspath(case)), stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True)
        if p.returncode != 0:
            raise SystemExit(f"{case}: the generator failed\n{p.stdout}{p.stderr}")
        record = json.load(tmp)
    target = os.path.join(out_dir, os.path.splitext(os.path.basename(case))[0] + ".json")
    with open(target, "w", encoding="utf-8") as f:
        json.dump(record, f, indent=1, ensure_ascii=False)
        f.write("\n")
    return record


def main(argv):
    if len(argv) == 3 and argv[0] == "--worker":
        record = run_case(argv[1])
        with open(argv[2], "w", encoding="utf-8") as f:
            json.dump(record, f)
        return 0
    ap = argparse.ArgumentParser(description="Regenerate golden files from real PyTorch/NumPy/Keras.")
    ap.add_argument("cases", nargs="*", help="case files (default: test/cases/*.py and examples/seed_*.py)")
    ap.add_argument("--out", default=HERE, help="output folder (default: test/golden)")
    args = ap.parse_args(argv)
    os.makedirs(args.out, exist_ok=True)
    for case in args.cases or default_cases():
        rec = generate(case, args.out)
        status = f"error {rec['error']['type']}" if rec["error"] else "ok"
        print(f"{rec['case']}: {status}, {len(rec['variables'])} variables ({rec['reference']})", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
