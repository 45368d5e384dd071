"""Generates the fixtures for comparisons, logic, where and masks from PyTorch 1.13.

Run with the system interpreter that has torch 1.13:

    /usr/bin/python3 tools/reference/compare_cases.py [output.json]

Each case names an op, its tensor inputs (dtype, shape, values as float64 strings) and any scalar or dim arguments,
and records the result's dtype, shape and values, or the first line of PyTorch's error. Cases of differentiable ops
(where, masked_fill, masked_select) on floating inputs also record each input's gradient of sum(out * upstream), with
upstream = 1, 2, 3, ... over the output. Replayed by tests/Autograd.Tests/Ops/CompareReferenceTests.cs.
"""

import json
import math
import os
import sys

import torch

assert torch.__version__.startswith("1.13"), torch.__version__

DEFAULT_OUT = os.path.join(
    os.path.dirname(os.path.abspath(__file__)),
    "..", "..", "tests", "Autograd.Tests", "Fixtures", "compare_cases.json",
)

DTYPES = [torch.float32, torch.float64, torch.int64, torch.int32, torch.bool, torch.float16, torch.bfloat16]
FLOATS = [torch.float32, torch.float64, torch.float16, torch.bfloat16]
# Exact in every dtype; bool takes their truthiness. Pairs hit <, = and > in every dtype, bool included.
LEFT = [1.0, -2.0, 3.0, 0.0, 2.0]
RIGHT = [1.0, 2.0, -3.0, 0.0, 0.0]
NAN = float("nan")
INF = float("inf")

cases = []


def name(dtype):
    return str(dtype).replace("torch.", "")


def num(v):
    v = float(v)
    if math.isnan(v):
        return "NaN"
    if math.isinf(v):
        return "Infinity" if v > 0 else "-Infinity"
    return repr(v)


def make(values, dtype, shape=None, requires_grad=False):
    t = torch.tensor(values, dtype=torch.float64).to(dtype)
    if shape is not None:
        t = t.reshape(shape)
    if requires_grad:
        t.requires_grad_(True)
    return t


def describe(t):
    return {"dtype": name(t.dtype), "shape": list(t.shape), "values": [num(v) for v in t.detach().to(torch.float64).reshape(-1).tolist()],
            "requires_grad": t.requires_grad}


def record(op, inputs, fn, **args):
    case = {"name": f"{op}#{len(cases)}", "op": op, "inputs": [describe(t) for t in inputs], **args}
    try:
        r = fn(*inputs)
        case["dtype"] = name(r.dtype)
        case["shape"] = list(r.shape)
        case["values"] = [num(v) for v in r.detach().to(torch.float64).reshape(-1).tolist()]
        case["requires_grad"] = r.requires_grad
        if r.requires_grad:
            upstream = torch.arange(1, r.numel() + 1, dtype=torch.float64).reshape(r.shape).to(r.dtype)
            grads = torch.autograd.grad((r * upstream).sum(), [t for t in inputs if t.requires_grad], allow_unused=True)
            it = iter(grads)
            case["grads"] = [([num(v) for v in next(it).to(torch.float64).reshape(-1).tolist()] if t.requires_grad else None) for t in inputs]
    except Exception as e:  # noqa: BLE001 - the message is the fixture
        case["error"] = str(e).split("\n")[0]
    cases.append(case)


CMP = {"eq": torch.eq, "ne": torch.ne, "lt": torch.lt, "le": torch.le, "gt": torch.gt, "ge": torch.ge}

# Every dtype pair, every comparison: promotion decides the compare type.
for op, fn in CMP.items():
    for da in DTYPES:
        for db in DTYPES:
            record(op, [make(LEFT, da), make(RIGHT, db)], fn)
        for scalar in (2, 2.5, -3):
            kind = "int" if isinstance(scalar, int) else "float"
            record(op + "_scalar", [make(LEFT, da)], lambda a: fn(a, scalar), scalar=scalar, scalar_kind=kind)

# NaN and infinities, broadcasting, 0-d operands, empty tensors, errors.
for op, fn in CMP.items():
    for da in FLOATS:
        record(op, [make([NAN, 1.0, NAN, INF, -INF], da), make([NAN, NAN, 1.0, INF, INF], torch.float64)], fn)
        record(op + "_scalar", [make([NAN, 1.0, INF], da)], lambda a: fn(a, float("nan")), scalar="NaN", scalar_kind="float")
    record(op, [make([1.0, 2.0], torch.float32, [2, 1]), make([0.0, 1.0, 2.0], torch.int64)], fn)
    record(op, [make([1.0, 2.0, 3.0], torch.float32), make(2.0, torch.float64)], fn)
    record(op, [make([1.0, 2.0, 3.0], torch.int32), make(2.5, torch.float64)], fn)
    record(op, [make(2.0, torch.int64), make([1.0, 2.0, 3.0], torch.float16)], fn)
    record(op, [make(2.0, torch.float64), make(2.0, torch.int32)], fn)
    record(op, [make([], torch.float32, [0, 3]), make([1.0, 2.0, 3.0], torch.int64)], fn)
    record(op, [make([1.0, 2.0], torch.float32), make([1.0, 2.0, 3.0], torch.float32)], fn)
    record(op + "_scalar", [make([16777216.0, 16777217.0], torch.int64)], lambda a: fn(a, 16777217.0), scalar=16777217.0, scalar_kind="float")
    record(op + "_scalar", [make([2.0, -1.0], torch.int32)], lambda a: fn(a, 2 ** 33 + 2), scalar=2 ** 33 + 2, scalar_kind="int")

# Logic: any dtypes in, bool out.
LOGIC = {"logical_and": torch.logical_and, "logical_or": torch.logical_or, "logical_xor": torch.logical_xor}
for op, fn in LOGIC.items():
    for da in DTYPES:
        for db in (torch.float32, torch.int64, torch.bool, torch.bfloat16):
            record(op, [make(LEFT, da), make(RIGHT, db)], fn)
    record(op, [make([NAN, 0.0], torch.float32, [2, 1]), make([1.0, 0.0, 2.0], torch.int32)], fn)
    record(op, [make([1.0, 0.0], torch.float32), make([1.0, 0.0, 2.0], torch.int32)], fn)
for da in DTYPES:
    record("logical_not", [make(LEFT, da)], torch.logical_not)
record("logical_not", [make([NAN, 0.0, -0.0, INF], torch.float64)], torch.logical_not)

# Bitwise: bools and integers, floats refused.
BITS = {"bitwise_and": torch.bitwise_and, "bitwise_or": torch.bitwise_or, "bitwise_xor": torch.bitwise_xor}
IVALS = [12.0, -7.0, 0.0, 5.0, -1.0]
JVALS = [10.0, 3.0, -9.0, 5.0, 0.0]
for op, fn in BITS.items():
    for da in DTYPES:
        for db in DTYPES:
            record(op, [make(IVALS, da), make(JVALS, db)], fn)
        record(op + "_scalar", [make(IVALS, da)], lambda a: fn(a, 6), scalar=6, scalar_kind="int")
        record(op + "_scalar", [make(IVALS, da)], lambda a: fn(a, True), scalar=1, scalar_kind="bool")
    record(op, [make([12.0, 3.0], torch.int32, [2, 1]), make(5.0, torch.int64)], fn)
for da in DTYPES:
    record("bitwise_not", [make(IVALS, da)], torch.bitwise_not)

# any / all / count_nonzero / nonzero / isnan / isinf / isfinite.
GRID = [[0.0, 1.0, 0.0], [0.0, 0.0, 0.0], [2.0, NAN, -1.0], [0.0, 0.0, 3.0]]
for da in DTYPES:
    x = make([v if not (math.isnan(v) and not da.is_floating_point) else 4.0 for row in GRID for v in row], da, [4, 3])
    record("any", [x], torch.any)
    record("all", [x], torch.all)
    for dim in (0, 1, -1):
        for keep in (False, True):
            record("any_dim", [x], lambda t: torch.any(t, dim, keepdim=keep), dim=dim, keepdim=keep)
            record("all_dim", [x], lambda t: torch.all(t, dim, keepdim=keep), dim=dim, keepdim=keep)
    record("count_nonzero", [x], torch.count_nonzero)
    record("count_nonzero_dim", [x], lambda t: torch.count_nonzero(t, 1), dim=1)
    record("nonzero", [x], torch.nonzero)
    record("nonzero", [make([1.0, 0.0, 0.0, 1.0, 1.0, 0.0, 0.0, 1.0], da, [2, 2, 2])], torch.nonzero)
for shape in ([0, 3], [3, 0]):
    e = make([], torch.float32, shape)
    record("any", [e], torch.any)
    record("all", [e], torch.all)
    for dim in (0, 1):
        record("any_dim", [e], lambda t: torch.any(t, dim), dim=dim, keepdim=False)
        record("all_dim", [e], lambda t: torch.all(t, dim), dim=dim, keepdim=False)
    record("nonzero", [e], torch.nonzero)
for v in (5.0, 0.0):
    s = make(v, torch.float32)
    record("any_dim", [s], lambda t: torch.any(t, 0), dim=0, keepdim=False)
    record("all_dim", [s], lambda t: torch.all(t, -1, keepdim=True), dim=-1, keepdim=True)
    record("nonzero", [s], torch.nonzero)
    record("count_nonzero", [s], torch.count_nonzero)
record("any_dim", [make(GRID[0], torch.float32)], lambda t: torch.any(t, 1), dim=1, keepdim=False)
SPECIAL = [NAN, INF, -INF, 0.0, -1.5, 65504.0]
for da in DTYPES:
    vals = SPECIAL if da.is_floating_point else [0.0, -1.0, 3.0]
    for op, fn in (("isnan", torch.isnan), ("isinf", torch.isinf), ("isfinite", torch.isfinite)):
        record(op, [make(vals, da)], fn)

# where: condition dtype, promotion, broadcasting, scalars, gradients.
COND = [True, False, True, False, False]
for dc in DTYPES:
    if dc == torch.bool:
        continue
    record("where", [make(COND, dc), make(LEFT, torch.float32), make(RIGHT, torch.float32)], torch.where)
for da in DTYPES:
    for db in DTYPES:
        record("where", [make(COND, torch.bool), make(LEFT, da), make(RIGHT, db)], torch.where)
record("where", [make([True, False, False], torch.bool, [3, 1]), make([1.0, 2.0], torch.float32, [1, 2], True),
                 make([5.0, 6.0, 7.0], torch.float64, [3, 1], True)], torch.where)
record("where", [make([True, False], torch.bool), make([[1.0, 2.0], [3.0, 4.0]], torch.float32, None, True),
                 make(9.0, torch.float32, None, True)], torch.where)
record("where", [make([True, False], torch.bool), make([1.0, 2.0, 3.0], torch.float32), make([1.0, 2.0], torch.float32)], torch.where)
record("where", [make([], torch.bool, [0]), make([], torch.float32, [0], True), make(1.0, torch.float32, None, True)], torch.where)
record("where", [make(True, torch.bool), make(1.0, torch.float32, None, True), make([2.0, 3.0], torch.float32, None, True)], torch.where)
for da in (torch.float32, torch.float64, torch.int64, torch.int32, torch.bool):
    for scalar in (2, 2.5):
        kind = "int" if isinstance(scalar, int) else "float"
        rg = da.is_floating_point
        record("where_scalar_b", [make(COND, torch.bool), make(LEFT, da, None, rg)], lambda c, a: torch.where(c, a, scalar), scalar=scalar, scalar_kind=kind)
        record("where_scalar_a", [make(COND, torch.bool), make(RIGHT, da, None, rg)], lambda c, b: torch.where(c, scalar, b), scalar=scalar, scalar_kind=kind)
record("where_scalars", [make(COND, torch.bool)], lambda c: torch.where(c, 2.5, -1.0), scalar=2.5, scalar_kind="float")
record("where_scalars", [make(COND, torch.bool)], lambda c: torch.where(c, 2, -1), scalar=2, scalar_kind="int")

# masked_fill and masked_select: broadcast masks, dtypes, 0-d value tensors, gradients, errors.
X = [1.0, -2.0, 3.0, 4.0, -5.0, 6.0]
for da in DTYPES:
    rg = da in (torch.float32, torch.float64)
    record("masked_fill", [make(X, da, [2, 3], rg), make([True, False, True], torch.bool)], lambda x, m: x.masked_fill(m, 2.5), scalar=2.5, scalar_kind="float")
    record("masked_select", [make(X, da, [2, 3], rg), make([[True], [False]], torch.bool)], lambda x, m: x.masked_select(m))
record("masked_fill", [make([1.0, 2.0, 3.0], torch.float32, None, True), make([[True, False, True], [False, False, True]], torch.bool)],
       lambda x, m: x.masked_fill(m, -1.0), scalar=-1.0, scalar_kind="float")
record("masked_fill", [make([1.0, 2.0, 3.0], torch.float32, None, True), make([True, False], torch.bool)],
       lambda x, m: x.masked_fill(m, -1.0), scalar=-1.0, scalar_kind="float")
record("masked_fill", [make(X, torch.float32, [2, 3], True), make([], torch.bool, [0, 1])], lambda x, m: x.masked_fill(m, 7.0), scalar=7.0, scalar_kind="float")
record("masked_fill_tensor", [make(X, torch.float32, [2, 3], True), make([[True], [False]], torch.bool), make(9.0, torch.float64, None, True)],
       lambda x, m, v: x.masked_fill(m, v))
record("masked_fill_tensor", [make(X, torch.int64, [2, 3]), make([[True], [False]], torch.bool), make(2.5, torch.float32)],
       lambda x, m, v: x.masked_fill(m, v))
record("masked_fill_tensor", [make(X, torch.float32, [2, 3]), make([[True], [False]], torch.bool), make([9.0], torch.float32)],
       lambda x, m, v: x.masked_fill(m, v))
record("masked_select", [make([1.0, 2.0, 3.0], torch.float32, None, True), make([[True, False, True], [False, False, True]], torch.bool)],
       lambda x, m: x.masked_select(m))
record("masked_select", [make(X, torch.float32, [2, 3], True), make([False, False, False], torch.bool)], lambda x, m: x.masked_select(m))
record("masked_select", [make(X, torch.float32, [2, 3]), make([1.0, 0.0, 1.0], torch.int64)], lambda x, m: x.masked_select(m))
record("masked_select", [make(X, torch.float32, [2, 3]), make([True, False], torch.bool)], lambda x, m: x.masked_select(m))
record("masked_select", [make(4.0, torch.float64, None, True), make([True, False, True], torch.bool)], lambda x, m: x.masked_select(m))

out = sys.argv[1] if len(sys.argv) > 1 else DEFAULT_OUT
with open(out, "w") as f:
    json.dump({"torch_version": torch.__version__, "cases": cases}, f, indent=None, separators=(",", ":"))
    f.write("\n")
print(f"wrote {len(cases)} cases to {out}")
