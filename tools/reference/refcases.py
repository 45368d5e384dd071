"""Shared helpers for the per-family reference generators (PyTorch 1.13, system interpreter).

A generator imports this module, declares cases with ``case(...)`` and ends with ``write(path)``.
Each case stores its inputs, output, upstream gradient and every leaf's gradient with its dtype.
Floating values are stored losslessly as hex bit patterns (8 digits for float32, 16 for float64),
integers and bools as JSON numbers/booleans. ``tests/Autograd.Tests/Reference/ReferenceFixture.cs``
reads the same schema; each C# test class maps the case names to the library's API.
"""

import json
import math
import os
import struct
import sys

import torch

assert torch.__version__.startswith("1.13"), torch.__version__

FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tests", "Autograd.Tests", "Fixtures")

NAMES = {
    torch.float32: "float32",
    torch.float64: "float64",
    torch.int64: "int64",
    torch.int32: "int32",
    torch.bool: "bool",
}


def _hex(t):
    flat = t.detach().contiguous().view(-1)
    if t.dtype == torch.float32:
        return [format(v & 0xFFFFFFFF, "08x") for v in flat.view(torch.int32).tolist()]
    return [struct.pack(">d", v).hex() for v in flat.tolist()]


def encode(t, requires_grad=None):
    """A tensor as {shape, dtype, data[, requires_grad]}."""
    entry = {"shape": list(t.shape), "dtype": NAMES[t.dtype]}
    entry["data"] = _hex(t) if t.is_floating_point() else t.detach().contiguous().view(-1).tolist()
    if requires_grad is not None:
        entry["requires_grad"] = requires_grad
    return entry


class Cases:
    """A fixture file under construction: ``case`` adds one entry, ``write`` saves them all."""

    def __init__(self, seed):
        self.gen = torch.Generator().manual_seed(seed)
        self.cases = {}

    def uniform(self, shape, low=-1.0, high=1.0, dtype=torch.float32):
        return (torch.rand(shape, generator=self.gen, dtype=torch.float64) * (high - low) + low).to(dtype)

    def away(self, shape, low=0.2, high=1.5, dtype=torch.float32):
        """|x| in [low, high) with random signs: away from kinks at 0 and poles of 1/x."""
        magnitude = self.uniform(shape, low, high, torch.float64)
        sign = torch.where(torch.rand(shape, generator=self.gen) < 0.5, -1.0, 1.0).double()
        return (magnitude * sign).to(dtype)

    def case(self, name, fn, *inputs, grad=None, second_order=False):
        """Runs ``fn`` on copies of ``inputs`` and records the result.

        inputs: tensors (leaves requiring grad when floating) or (tensor, requires_grad) pairs.
        The output may be floating (then an upstream gradient is drawn or taken from ``grad`` and
        propagated when something requires grad) or integer/bool (recorded without backward).
        With ``second_order`` the case also records ``grads2``: d(sum(grads · upstream2))/d(inputs), a
        double-backward through the first-order gradients that depend on the inputs (createGraph in the
        library); nothing is recorded when no gradient does (a linear op).
        """
        assert name not in self.cases, name
        leaves = []
        for spec in inputs:
            t, rg = spec if isinstance(spec, tuple) else (spec, spec.is_floating_point())
            leaves.append(t.clone().detach().requires_grad_(rg))
        out = fn(*leaves)
        entry = {"inputs": [encode(l.detach(), l.requires_grad) for l in leaves], "output": encode(out.detach())}
        differentiable = [l for l in leaves if l.requires_grad]
        if out.requires_grad and differentiable:
            upstream = self.uniform(out.shape, -1.0, 1.0, out.dtype) if grad is None else grad.to(out.dtype)
            grads = torch.autograd.grad(out, differentiable, upstream, allow_unused=True, create_graph=second_order)
            by_leaf = dict(zip(map(id, differentiable), grads))
            entry["upstream"] = encode(upstream)
            entry["grads"] = [None if not l.requires_grad else
                              encode(by_leaf[id(l)].detach() if by_leaf[id(l)] is not None else torch.zeros_like(l))
                              for l in leaves]
            present = [(l, g) for l, g in zip(differentiable, grads) if g is not None and g.requires_grad]
            if second_order and present:
                upstream2 = [self.uniform(g.shape, -1.0, 1.0, g.dtype) for _, g in present]
                total = sum((g * u).sum() for (_, g), u in zip(present, upstream2))
                grads2 = torch.autograd.grad(total, differentiable, allow_unused=True)
                by_leaf2 = dict(zip(map(id, differentiable), grads2))
                entry["upstream2"] = [encode(u) for u in upstream2]
                entry["grads2"] = [None if not l.requires_grad else
                                   encode(by_leaf2[id(l)] if by_leaf2[id(l)] is not None else torch.zeros_like(l))
                                   for l in leaves]
        self.cases[name] = entry

    def error(self, name, fn, *inputs):
        """Records PyTorch's error message for a call that must fail (the C# side checks the message prefix)."""
        assert name not in self.cases, name
        try:
            fn(*inputs)
        except Exception as e:  # noqa: BLE001 - any torch error is what we record
            self.cases[name] = {"inputs": [encode(t) for t in inputs], "error": str(e).split("\n")[0]}
            return
        raise AssertionError(f"{name}: torch did not raise")

    def write(self, file_name):
        path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(FIXTURES, file_name)
        cases = [dict(name=k, **v) for k, v in self.cases.items()]
        with open(path, "w") as f:
            json.dump({"torch_version": torch.__version__, "cases": cases}, f, separators=(",", ":"))
            f.write("\n")
        print(f"wrote {len(cases)} cases to {os.path.normpath(path)}")
