# Standard-library stand-ins used around mask code: os.environ/os.path,
# sys, json (exact formatting), seeded random (Mersenne Twister), math,
# logging (silent), inspect.signature, argparse defaults, time, pathlib.
import argparse
import inspect
import json
import logging
import math
import os
import random
import sys
import time
from pathlib import Path
import torch

logger = logging.getLogger(__name__)
logger.setLevel(logging.INFO)
logger.info("building masks")
logger.warning("this goes to stderr, not stdout")

device = os.environ.get("MASK_DEVICE", "cpu")
world = int(os.getenv("WORLD_SIZE", "1"))
ckpt = os.path.join("runs", "exp1", "model.pt")
print(device, world, ckpt, os.path.basename(ckpt), os.path.splitext(ckpt), os.path.dirname(ckpt))
print(sys.version_info >= (3, 8), sys.platform, Path("runs") / "exp1" / "mask.json", Path("a/b.tar.gz").suffix)

parser = argparse.ArgumentParser()
parser.add_argument("--max-len", type=int, default=6)
parser.add_argument("--causal", action="store_true")
parser.add_argument("--pad-id", type=int, default=0)
cfg = parser.parse_args([])
print(cfg.max_len, cfg.causal, cfg.pad_id)

random.seed(1234)
lengths = [random.randint(1, cfg.max_len) for _ in range(4)]
order = list(range(4))
random.shuffle(order)
drop = [random.random() < 0.3 for _ in range(6)]
noise = [round(random.gauss(0.0, 1.0), 12) for _ in range(3)]
pick = random.choice(["left", "right"])
sample = random.sample(range(20), 5)
weights = random.choices("abc", weights=[5, 1, 1], k=5)
print(lengths, order, drop, noise, pick, sample, weights, random.uniform(1, 2), random.getrandbits(40))

mask = torch.arange(cfg.max_len)[None, :] < torch.tensor(lengths)[:, None]
report = {"lengths": lengths, "masked": int((~mask).sum()), "ratio": float((~mask).float().mean()), "ok": True, "note": None, "name": "pad\u00e9"}
print(json.dumps(report))
print(json.dumps(report, indent=2, sort_keys=True))
back = json.loads(json.dumps(report))
print(back == report, back["ratio"], type(back["masked"]).__name__, json.dumps([1.0, 1e-7, float("inf")], separators=(",", ":")))

scale = 1 / math.sqrt(8)
print(scale, math.log(2), math.ceil(2.1), math.isinf(float("-inf")), math.pi)

def make_mask(lengths, max_len=None, *, causal=False, **extra):
    pass

sig = inspect.signature(make_mask)
print(sig, list(sig.parameters), inspect.isfunction(make_mask), inspect.isclass(torch.Tensor))
_t0 = time.time()
_elapsed = time.time() - _t0
print(_elapsed >= 0)
