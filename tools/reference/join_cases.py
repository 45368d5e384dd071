"""Generates the joining-op reference fixtures (cat, stack, split, chunk, unbind, repeat, repeat_interleave,
flip, roll) from PyTorch 1.13.

Run with the system interpreter that has torch 1.13:

    /usr/bin/python3 tools/reference/join_cases.py [output.json]

Same schema as op_gradients.py (whose helpers are repeated here rather than imported: importing that module would
build all of its cases and advance its generator). Every case builds float32 leaves, applies the op in torch,
back-propagates a fixed, stored upstream gradient and records the output and every leaf gradient, as 8-digit hex
float32 bit patterns. Ops with several outputs (split, chunk, unbind) are reduced to one tensor by a fixed weighted
concatenation: out = cat([w_k * piece_k.reshape(-1) for the pieces used]), which can leave pieces out (their
gradient is zero) and use a piece twice. The C# test tests/Autograd.Tests/Ops/JoinReferenceTests.cs maps each case
name to the same computation; the two lists must name exactly the same cases.
"""

import json
import os
import sys

import torch

assert torch.__version__.startswith("1.13"), torch.__version__

DEFAULT_OUT = os.path.join(
    os.path.dirname(os.path.abspath(__file__)),
    "..", "..", "tests", "Autograd.Tests", "Fixtures", "join_gradients.json",
)

GEN = torch.Generator().manual_seed(20261201)


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
names = set()


def case(name, fn, *inputs):
    """inputs: (tensor, requires_grad) pairs; fn receives the leaves in order."""
    assert name not in names, name
    names.add(name)
    leaves = [t.clone().requires_grad_(rg) for t, rg in inputs]
    out = fn(*leaves)
    upstream = uniform(tuple(out.shape), -1.0, 1.0)
    out.backward(upstream)
    for l, (_, rg) in zip(leaves, inputs):
        if rg:
            assert l.grad is not None, name
    cases.append({
        "name": name,
        "inputs": [encode(t, rg) for t, rg in inputs],
        "upstream": encode(upstream),
        "output": encode(out),
        "grads": [encode(l.grad) if rg else None for l, (_, rg) in zip(leaves, inputs)],
    })


def u(*shape, rg=True):
    return (uniform(shape), rg)


def weighted(pieces, used):
    """cat([(k + 1) * pieces[i].reshape(-1) for k, i in enumerate(used)]): fixed weights, pieces left out or repeated."""
    return torch.cat([(k + 1) * pieces[i].reshape(-1) for k, i in enumerate(used)])


# ---- cat ---------------------------------------------------------------------------------------
case("cat_dim0", lambda a, b: torch.cat([a, b]), u(2, 3), u(1, 3))
case("cat_dim1_three", lambda a, b, c: torch.cat([a, b, c], 1), u(2, 1), u(2, 3), u(2, 2))
case("cat_negdim_3d", lambda a, b: torch.cat([a, b], -2), u(2, 3, 2), u(2, 1, 2))
case("cat_one_tensor", lambda a: torch.cat([a], 1), u(2, 3))
case("cat_same_tensor_twice", lambda a: torch.cat([a, a * 2, a], 0), u(2, 2))
case("cat_legacy_empty", lambda e, a: torch.cat([e, a, e], 1), u(0), u(2, 2))
case("cat_zero_size_part", lambda z, a: torch.cat([z, a, z], 1), u(3, 0), u(3, 2))
case("cat_transposed", lambda a, b: torch.cat([a.T, b], 0), u(3, 2), u(1, 3))
case("cat_expanded", lambda a, b: torch.cat([a.expand(2, 3), b], 1), u(1, 3), u(2, 2))
case("cat_only_second_requires_grad", lambda a, b: torch.cat([a, b]), u(2, rg=False), u(3))
case("cat_wide_odd", lambda a, b: torch.cat([a, b], 1), u(3, 37, 5), u(3, 129, 5))

# ---- stack -------------------------------------------------------------------------------------
case("stack_dim0", lambda a, b: torch.stack([a, b]), u(2, 3), u(2, 3))
case("stack_dim1", lambda a, b, c: torch.stack([a, b, c], 1), u(2, 3), u(2, 3), u(2, 3))
case("stack_negdim", lambda a, b: torch.stack([a, b], -1), u(2, 3), u(2, 3))
case("stack_0d", lambda a, b: torch.stack([a, b, a]), u(), u())
case("stack_transposed", lambda a, b: torch.stack([a.T, b], 1), u(2, 3), u(3, 2))
case("stack_wide_odd", lambda a, b: torch.stack([a, b], 2), u(5, 67), u(5, 67))

# ---- split, chunk, unbind (several outputs, reduced by `weighted`) ----------------------------
case("split_size_uneven", lambda x: weighted(x.split(2), [0, 1, 2]), u(5, 2))
case("split_size_dim1_partial", lambda x: weighted(x.split(2, 1), [2, 0]), u(3, 7))
case("split_sizes_zero_parts", lambda x: weighted(x.split([0, 2, 0, 1], -1), [0, 1, 3, 2]), u(2, 3))
case("split_sizes_reuse", lambda x: weighted(x.split([1, 3], 0), [1, 0, 1]), u(4, 2))
case("split_transposed", lambda x: weighted(x.T.split(1, 1), [1, 2]), u(3, 2))
case("chunk_4_of_5", lambda x: weighted(x.chunk(4), [0, 1, 2]), u(5))
case("chunk_dim1_partial", lambda x: weighted(x.chunk(3, 1), [1]), u(2, 6))
case("chunk_wide_odd", lambda x: weighted(x.chunk(4, 0), [3, 1, 0]), u(131, 3))
case("unbind_dim0", lambda x: weighted(x.unbind(), [0, 1, 2]), u(3, 2))
case("unbind_dim1_partial", lambda x: weighted(x.unbind(1), [2, 2, 0]), u(2, 4))
case("unbind_negdim_3d", lambda x: weighted(x.unbind(-1), [1, 0]), u(2, 3, 2))
case("unbind_expanded", lambda x: weighted(x.expand(3, 2).unbind(0), [0, 2]), u(2))

# ---- repeat, repeat_interleave --------------------------------------------------------------------
case("repeat_1d_to_2d", lambda x: x.repeat(2, 3), u(2))
case("repeat_2d", lambda x: x.repeat(3, 2), u(2, 3))
case("repeat_3d_new_dims", lambda x: x.repeat(2, 1, 2, 1), u(2, 1, 3))
case("repeat_zero", lambda x: x.repeat(0, 2), u(3))
case("repeat_transposed", lambda x: x.T.repeat(2, 2), u(2, 3))
case("repeat_0d", lambda x: x.repeat(4), u())
case("repeat_wide_odd", lambda x: x.repeat(3, 5), u(7, 37))
case("repeat_interleave_flat", lambda x: x.repeat_interleave(3), u(2, 2))
case("repeat_interleave_dim0", lambda x: x.repeat_interleave(2, 0), u(3, 2))
case("repeat_interleave_negdim", lambda x: x.repeat_interleave(3, -1), u(2, 2, 2))
case("repeat_interleave_transposed", lambda x: x.T.repeat_interleave(2, 1), u(2, 3))
case("repeat_interleave_wide_odd", lambda x: x.repeat_interleave(5, 1), u(3, 53))

# ---- flip ----------------------------------------------------------------------------------------
case("flip_dim0", lambda x: x.flip(0), u(3, 2))
case("flip_both", lambda x: x.flip(0, -1), u(2, 3))
case("flip_3d_0_2", lambda x: x.flip(0, 2), u(2, 3, 4))
case("flip_no_dims", lambda x: x.flip([]), u(2, 3))
case("flip_transposed", lambda x: x.T.flip(1), u(2, 3))
case("flip_expanded", lambda x: x.expand(2, 3).flip(1), u(3))
case("flip_wide_odd", lambda x: x.flip(1), u(3, 257))

# ---- roll ----------------------------------------------------------------------------------------
case("roll_flat", lambda x: x.roll(2), u(2, 3))
case("roll_flat_negative", lambda x: x.roll(-7), u(2, 3))
case("roll_dim1", lambda x: x.roll(1, 1), u(2, 3))
case("roll_two_dims", lambda x: x.roll((1, -2), (0, 2)), u(3, 2, 4))
case("roll_repeated_dim", lambda x: x.roll((1, 3), (0, 0)), u(5, 2))
case("roll_large_shift", lambda x: x.roll(1003, -1), u(2, 7))
case("roll_transposed_flat", lambda x: x.T.roll(4), u(2, 3))
case("roll_transposed_dim", lambda x: x.T.roll(-1, 0), u(2, 3))
case("roll_wide_odd", lambda x: x.roll((17, 1), (0, 1)), u(131, 3))

# ---- chains --------------------------------------------------------------------------------------
case("chain_split_cat_reversed", lambda x: torch.cat(list(reversed(x.split([2, 1, 3], 1))), 1).exp(), u(2, 6))
case("chain_unbind_stack", lambda x: torch.stack(x.unbind(1), 0) * x.T, u(3, 2))
case("chain_repeat_flip_roll", lambda x, y: (x.repeat(2, 1).flip(0).roll(1, 1) * y).sin(), u(2, 3), u(4, 3))


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else DEFAULT_OUT
    with open(out, "w", encoding="utf-8") as f:
        # One case per line: readable diffs when a case changes, without one line per element.
        f.write('{"torch_version": %s, "cases": [\n' % json.dumps(torch.__version__))
        f.write(",\n".join(json.dumps(c, separators=(",", ":")) for c in cases))
        f.write("\n]}\n")
    print(f"wrote {len(cases)} cases to {os.path.normpath(out)}")


if __name__ == "__main__":
    main()
