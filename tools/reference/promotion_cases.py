"""Generates the type-promotion fixtures from PyTorch 1.13.

Run with the system interpreter that has torch 1.13:

    /usr/bin/python3 tools/reference/promotion_cases.py [output.json]

For every pair of dtypes and every arithmetic op (+, -, *, /, //) on two small tensors, and for every
dtype with a Python int and a Python float on either side, records the result's dtype and values
(as decimal strings of the values converted to float64, exact for every value used here), or the
start of PyTorch's error message. The C# test ``tests/Autograd.Tests/PromotionTests.cs`` replays
each case.
"""

import json
import os
import sys

import torch

assert torch.__version__.startswith("1.13"), torch.__version__

DEFAULT_OUT = os.path.join(
    os.path.dirname(os.path.abspath(__file__)),
    "..", "..", "tests", "Autograd.Tests", "Fixtures", "promotion_cases.json",
)

DTYPES = [torch.float32, torch.float64, torch.int64, torch.int32, torch.bool, torch.float16, torch.bfloat16]
# Values exact in every dtype (bool takes their truthiness); the right operand has no zero, so // and / are defined.
LEFT = [3.0, -7.0, 0.0, 5.0]
RIGHT = [2.0, 2.0, -3.0, 1.0]
OPS = {
    "add": lambda a, b: a + b,
    "sub": lambda a, b: a - b,
    "mul": lambda a, b: a * b,
    "div": lambda a, b: a / b,
    "floor_divide": lambda a, b: torch.floor_divide(a, b) if isinstance(a, torch.Tensor) else torch.floor_divide(torch.tensor(a), b) if False else a // b,
}


def name(dtype):
    return str(dtype).replace("torch.", "")


def make(values, dtype):
    return torch.tensor(values, dtype=torch.float64).to(dtype)


def record(case, fn):
    try:
        r = fn()
        case["dtype"] = name(r.dtype)
        case["values"] = [repr(float(v)) for v in r.to(torch.float64).tolist()]
    except Exception as e:  # noqa: BLE001 - the message is the fixture
        case["error"] = str(e).split("\n")[0]
    cases.append(case)


cases = []
for op, fn in OPS.items():
    for da in DTYPES:
        for db in DTYPES:
            a, b = make(LEFT, da), make(RIGHT, db)
            record({"op": op, "left": name(da), "right": name(db)}, lambda: fn(a, b))
        for scalar in (2, 2.5):
            kind = "int" if isinstance(scalar, int) else "float"
            a = make(LEFT, da)
            record({"op": op, "left": name(da), "right": "scalar_" + kind, "scalar": scalar}, lambda: fn(a, scalar))
            b = make(RIGHT, da)
            record({"op": op, "left": "scalar_" + kind, "right": name(da), "scalar": scalar}, lambda: fn(scalar, b))

out = sys.argv[1] if len(sys.argv) > 1 else DEFAULT_OUT
with open(out, "w") as f:
    json.dump({"torch_version": torch.__version__, "left": LEFT, "right": RIGHT, "cases": cases}, f, indent=1)
    f.write("\n")
print(f"wrote {len(cases)} cases to {out}")
