"""Generates the per-dtype printing fixtures from PyTorch 1.13's own printer.

Run with the system interpreter that has torch 1.13:

    /usr/bin/python3 tools/reference/dtype_print_cases.py [output.json]

Each case stores a tensor's dtype, shape and elements losslessly (float64 as 16-digit hex bit patterns,
float16 and bfloat16 as 4-digit hex bit patterns, integers as decimal strings, bools as JSON booleans),
whether it requires grad, and the exact ``repr(tensor)`` PyTorch produced. The C# test
``tests/Autograd.Tests/DTypePrintingTests.cs`` rebuilds each tensor and compares ``ToString()``.
"""

import json
import os
import sys

import torch

assert torch.__version__.startswith("1.13"), torch.__version__

DEFAULT_OUT = os.path.join(
    os.path.dirname(os.path.abspath(__file__)),
    "..", "..", "tests", "Autograd.Tests", "Fixtures", "dtype_print_cases.json",
)

GEN = torch.Generator().manual_seed(20261201)
cases = []


def encode(t):
    flat = t.detach().contiguous().view(-1)
    if t.dtype == torch.float64:
        return [format(v & 0xFFFFFFFFFFFFFFFF, "016x") for v in flat.view(torch.int64).tolist()]
    if t.dtype in (torch.float16, torch.bfloat16):
        return [format(v & 0xFFFF, "04x") for v in flat.view(torch.int16).tolist()]
    if t.dtype == torch.bool:
        return flat.tolist()
    return [str(v) for v in flat.tolist()]


def add(name, t, requires_grad=False):
    if requires_grad:
        t = t.clone().requires_grad_(True)
    cases.append({
        "name": name,
        "dtype": str(t.dtype).replace("torch.", ""),
        "shape": list(t.shape),
        "data": encode(t),
        "requires_grad": requires_grad,
        "expected": repr(t),
    })


def randn(shape, dtype, scale=1.0):
    return (torch.randn(shape, generator=GEN, dtype=torch.float64) * scale).to(dtype)


def randint(shape, low, high, dtype):
    return torch.randint(low, high, shape, generator=GEN, dtype=torch.int64).to(dtype)


for dtype in (torch.float64, torch.float16, torch.bfloat16):
    n = str(dtype).replace("torch.", "")
    add(f"{n}_vector", randn([5], dtype))
    add(f"{n}_matrix", randn([3, 4], dtype))
    add(f"{n}_rank3", randn([2, 2, 3], dtype, 10.0))
    add(f"{n}_scalar", torch.tensor(1.5, dtype=dtype))
    add(f"{n}_ints", torch.tensor([1.0, -2.0, 300.0], dtype=dtype))
    add(f"{n}_sci", torch.tensor([1e-5, 3.0, 1e4], dtype=dtype))
    add(f"{n}_nonfinite", torch.tensor([float("nan"), float("inf"), -float("inf"), -0.0, 2.5], dtype=dtype))
    add(f"{n}_requires_grad", randn([3], dtype), requires_grad=True)
    add(f"{n}_empty", torch.zeros(0, dtype=dtype))
    add(f"{n}_empty_2d", torch.zeros(0, 3, dtype=dtype))
    add(f"{n}_summarized", randn([40, 40], dtype))
add("float64_precise", torch.tensor([0.1, 1.0 / 3.0, 2.0 ** -30, 123456789.123456789], dtype=torch.float64))
add("float64_wide", randn([30], torch.float64, 1e3))
add("float64_wide_requires_grad", randn([2, 30], torch.float64), requires_grad=True)

for dtype in (torch.int64, torch.int32):
    n = str(dtype).replace("torch.", "")
    add(f"{n}_vector", randint([6], -50, 50, dtype))
    add(f"{n}_matrix", randint([3, 4], -1000, 1000, dtype))
    add(f"{n}_rank3", randint([2, 3, 2], 0, 10, dtype))
    add(f"{n}_scalar", torch.tensor(-7, dtype=dtype))
    add(f"{n}_empty", torch.zeros(0, dtype=dtype))
    add(f"{n}_empty_2d", torch.zeros(2, 0, dtype=dtype))
    add(f"{n}_summarized", randint([1200], -5, 5, dtype))
    add(f"{n}_long_rows", randint([40], -100000, 100000, dtype))
add("int64_extremes", torch.tensor([2 ** 62 + 1, -(2 ** 63), 2 ** 63 - 1, 0], dtype=torch.int64))
add("int32_extremes", torch.tensor([2 ** 31 - 1, -(2 ** 31)], dtype=torch.int32))

add("bool_vector", torch.tensor([True, False, True]))
add("bool_all_true", torch.tensor([True, True]))
add("bool_matrix", torch.rand([3, 3], generator=GEN) < 0.5)
add("bool_scalar", torch.tensor(False))
add("bool_empty", torch.zeros(0, dtype=torch.bool))
add("bool_summarized", torch.rand([1100], generator=GEN) < 0.5)
add("bool_long_row", torch.rand([30], generator=GEN) < 0.5)

out = sys.argv[1] if len(sys.argv) > 1 else DEFAULT_OUT
with open(out, "w") as f:
    json.dump({"torch_version": torch.__version__, "cases": cases}, f, indent=1)
    f.write("\n")
print(f"wrote {len(cases)} cases to {out}")
