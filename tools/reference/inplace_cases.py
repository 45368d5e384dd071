"""Generates the in-place-autograd reference fixtures from PyTorch 1.13: writes into non-leaf tensors and through
their views (CopySlices), in-place arithmetic on non-leaves, writes through index tensors and masks, and a write into
a leaf that does not require grad.

Run with the system interpreter that has torch 1.13:

    /usr/bin/python3 tools/reference/inplace_cases.py [output.json]

Same schema as op_gradients.py. Every case builds float32 leaves, runs a short program with in-place writes in torch,
back-propagates a fixed, stored upstream gradient and records the output and every leaf gradient (null when the leaf
got none), as 8-digit hex float32 bit patterns. The C# test tests/Autograd.Tests/InPlaceReferenceTests.cs writes the
same programs with the library's API; the two lists must name exactly the same cases.
"""

import json
import os
import sys

import torch

assert torch.__version__.startswith("1.13"), torch.__version__

DEFAULT_OUT = os.path.join(
    os.path.dirname(os.path.abspath(__file__)),
    "..", "..", "tests", "Autograd.Tests", "Fixtures", "inplace_gradients.json",
)

GEN = torch.Generator().manual_seed(20261202)


def bits(t):
    flat = t.detach().contiguous().view(-1)
    return [format(v & 0xFFFFFFFF, "08x") for v in flat.view(torch.int32).tolist()]


def encode(t, requires_grad=None):
    entry = {"shape": list(t.shape), "data": bits(t)}
    if requires_grad is not None:
        entry["requires_grad"] = requires_grad
    return entry


def uniform(shape, low=-1.0, high=1.0):
    return torch.rand(shape, generator=GEN, dtype=torch.float32) * (high - low) + low


cases = []


def case(name, fn, *inputs):
    leaves = [t.clone().requires_grad_(rg) for t, rg in inputs]
    out = fn(*leaves)
    upstream = uniform(tuple(out.shape))
    out.backward(upstream)
    cases.append({
        "name": name,
        "inputs": [encode(t, rg) for t, rg in inputs],
        "upstream": encode(upstream),
        "output": encode(out),
        "grads": [encode(l.grad) if rg and l.grad is not None else None for l, (_, rg) in zip(leaves, inputs)],
    })


def u(*shape, rg=True, low=-1.0, high=1.0):
    return (uniform(shape, low, high), rg)


def column_write(x, y):
    h = x * 2
    h[:, 0] = y
    return h * x


def row_scale(x):
    h = x * x + 0
    v = h[1]
    v *= 3
    return h


def add_through_transpose(x, y):
    h = x * 2
    h.t().add_(y)
    return h * h


def strided_slice_write(x, y):
    h = x + 1
    h[::2] = y.sin()
    return h * h


def mul_non_leaf(x, y):
    h = x * 1
    h *= y
    return h * x


def div_non_leaf(x, y):
    h = x + 0
    h /= y
    return h


def fill_row(x):
    h = x * 3
    h[1].fill_(0.5)
    return h * x


def index_tensor_write(x, y):
    h = x * 2
    h[torch.tensor([0, 3])] = y
    return h * x


def mask_write(x, y):
    h = x * 2
    h[torch.tensor([True, False, True, False])] = y
    return h * x


def write_into_plain_leaf(y):
    base = torch.zeros(3, 4)
    base[1] = y
    return base * 2


def nested_views(x, y):
    h = x * 2
    v = h[1][:, 1:3]
    v += y
    return h * h


def two_writes(x, y):
    h = x * 2
    h[0] = y
    h[1] += y * y
    return h.exp()


def scalar_ops_on_view(x):
    h = x * 1
    v = h[:, 1]
    v += 2
    v *= -3
    v -= 1
    v /= 4
    return h * x


case("column_write", column_write, u(2, 3), u(2))
case("row_scale", row_scale, u(3, 4))
case("add_through_transpose", add_through_transpose, u(3, 4), u(4, 3))
case("strided_slice_write", strided_slice_write, u(6), u(3))
case("mul_non_leaf", mul_non_leaf, u(4), u(4))
case("div_non_leaf", div_non_leaf, u(4), u(4, low=0.5, high=2.0))
case("fill_row", fill_row, u(3, 3))
case("index_tensor_write", index_tensor_write, u(5), u(2))
case("mask_write", mask_write, u(4), u(2))
case("write_into_plain_leaf", write_into_plain_leaf, u(4))
case("nested_views", nested_views, u(2, 3, 4), u(3, 2))
case("two_writes", two_writes, u(2, 3), u(3))
case("scalar_ops_on_view", scalar_ops_on_view, u(3, 3))

out = sys.argv[1] if len(sys.argv) > 1 else DEFAULT_OUT
with open(out, "w") as f:
    json.dump({"torch_version": torch.__version__, "cases": cases}, f, indent=1)
    f.write("\n")
print(f"wrote {len(cases)} cases to {out}")
