"""Generates the float64 op-gradient reference fixtures from PyTorch 1.13.

Run with the system interpreter that has torch 1.13:

    /usr/bin/python3 tools/reference/f64_cases.py [output.json]

Every case builds float64 leaves (a few mixed cases add a float32 one), applies one op in torch,
back-propagates a fixed, stored float64 upstream gradient and records the output and the gradient of
every leaf that requires grad, each with its dtype. Every floating value is stored as the 16-digit hex
bit pattern of a float64 (float32 values are widened exactly), so nothing is lost in the JSON. The C#
test ``tests/Autograd.Tests/Float64/Float64ReferenceTests.cs`` maps each case name to the same
computation written with the library's API; the two lists must name exactly the same cases.
"""

import json
import os
import struct
import sys

import torch
import torch.nn.functional as F

assert torch.__version__.startswith("1.13"), torch.__version__

DEFAULT_OUT = os.path.join(
    os.path.dirname(os.path.abspath(__file__)),
    "..", "..", "tests", "Autograd.Tests", "Fixtures", "f64_gradients.json",
)

GEN = torch.Generator().manual_seed(20261201)
NAMES = {torch.float64: "float64", torch.float32: "float32", torch.int64: "int64"}


def bits(t):
    flat = t.detach().contiguous().view(-1).double().tolist()
    return [struct.pack(">d", v).hex() for v in flat]


def encode(t, requires_grad=None):
    entry = {"shape": list(t.shape), "dtype": NAMES[t.dtype]}
    entry["data"] = t.view(-1).tolist() if t.dtype == torch.int64 else bits(t)
    if requires_grad is not None:
        entry["requires_grad"] = requires_grad
    return entry


def uniform(shape, low=-1.0, high=1.0, dtype=torch.float64):
    return (torch.rand(shape, generator=GEN, dtype=torch.float64) * (high - low) + low).to(dtype)


def away(shape, low=0.2, high=1.5):
    """|x| in [low, high) with random signs: away from kinks at 0 and poles of 1/x."""
    magnitude = uniform(shape, low, high)
    sign = torch.where(torch.rand(shape, generator=GEN) < 0.5, -1.0, 1.0).double()
    return magnitude * sign


CASES = {}


def case(name, fn, *inputs, grad=None):
    """inputs: tensors (leaves requiring grad when floating) or (tensor, requires_grad) pairs."""
    leaves = []
    for spec in inputs:
        t, rg = spec if isinstance(spec, tuple) else (spec, spec.is_floating_point())
        leaves.append(t.clone().requires_grad_(rg))
    out = fn(*leaves)
    upstream = uniform(out.shape, -1.0, 1.0, out.dtype) if grad is None else grad
    out.backward(upstream)
    CASES[name] = {
        "inputs": [encode(l.detach(), l.requires_grad) for l in leaves],
        "output": encode(out.detach()),
        "upstream": encode(upstream),
        "grads": [encode(l.grad) if l.requires_grad else None for l in leaves],
    }


x23 = away([2, 3])
pos = uniform([2, 3], 0.5, 2.0)
case("exp", torch.exp, x23)
case("log", torch.log, pos)
case("sin", torch.sin, x23)
case("cos", torch.cos, x23)
case("tanh", torch.tanh, x23)
case("sigmoid", torch.sigmoid, x23)
case("relu", torch.relu, x23)
case("pow2", lambda x: x.pow(2.0), x23)
case("pow3", lambda x: x.pow(3.0), x23)
case("pow2.5", lambda x: x.pow(2.5), pos)
case("pow-1", lambda x: x.pow(-1.0), x23)
case("sqrt", torch.sqrt, pos)
case("pow_third", lambda x: x.pow(1 / 3), pos)
case("mean", lambda x: x.mean(), x23)
case("mean_dim1", lambda x: x.mean(1), x23)
case("norm", lambda x: x.norm(), x23)
case("max", lambda x: x.max(), x23)
case("clone", lambda x: x.clone(), x23)
case("dot", torch.dot, uniform([5]), uniform([5]))
case("matmul_2d", torch.matmul, uniform([3, 4]), uniform([4, 2]))
case("matmul_vec_mat", torch.matmul, uniform([4]), uniform([4, 3]))
case("matmul_mat_vec", torch.matmul, uniform([3, 4]), uniform([4]))
case("matmul_batched", torch.matmul, uniform([2, 1, 3, 4]), uniform([3, 4, 2]))
case("linear", F.linear, uniform([3, 4]), uniform([2, 4]), uniform([2]))
case("linear_3d", F.linear, uniform([2, 3, 4]), uniform([2, 4]), uniform([2]))
case("log_softmax", lambda x: F.log_softmax(x, -1), uniform([3, 4], -2, 2))
targets = torch.tensor([2, 0, 3])
case("cross_entropy", lambda x, t: F.cross_entropy(x, t), uniform([3, 4], -2, 2), targets)
case("cross_entropy_sum", lambda x, t: F.cross_entropy(x, t, reduction="sum"), uniform([3, 4], -2, 2), targets)
case("cross_entropy_none", lambda x, t: F.cross_entropy(x, t, reduction="none"), uniform([3, 4], -2, 2), targets)
case("nll_loss", lambda x, t: F.nll_loss(x, t), uniform([3, 4], -2, 0), targets)
case("bce_logits", F.binary_cross_entropy_with_logits, uniform([2, 3], -3, 3), uniform([2, 3], 0, 1))
case("bce_logits_none", lambda x, y: F.binary_cross_entropy_with_logits(x, y, reduction="none"),
     uniform([2, 3], -3, 3), uniform([2, 3], 0, 1))
case("cat", lambda a, b: torch.cat([a, b], 1), uniform([2, 3]), uniform([2, 2]))
case("stack", lambda a, b: torch.stack([a, b], 0), uniform([2, 3]), uniform([2, 3]))
case("flip", lambda x: x.flip(1), x23)
case("roll", lambda x: x.roll(1, 1), x23)
case("repeat", lambda x: x.repeat(2, 1), x23)
case("transpose_reshape", lambda x: x.t().reshape(6), x23)
case("expand_sum", lambda x: x.reshape(2, 1, 3).expand(2, 4, 3), x23)

# Mixed dtypes: element-wise ops and cat promote; each gradient comes back in its input's dtype.
case("mixed_mul", lambda w, x: w * x, uniform([2, 3], dtype=torch.float32), uniform([2, 3]))
case("mixed_cat", lambda a, b: torch.cat([a, b]), uniform([2], dtype=torch.float32), uniform([3]))
case("mixed_bce_target32", F.binary_cross_entropy_with_logits, uniform([3], -2, 2), uniform([3], 0, 1, torch.float32))

out = sys.argv[1] if len(sys.argv) > 1 else DEFAULT_OUT
with open(out, "w") as f:
    json.dump({"torch": torch.__version__, "cases": CASES}, f, indent=1)
    f.write("\n")
print(f"wrote {len(CASES)} cases to {out}")
