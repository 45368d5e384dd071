"""Generates the view-op reference fixtures from PyTorch 1.13.

Run with the system interpreter that has torch 1.13:

    /usr/bin/python3 tools/reference/view_cases.py [output.json]

Same schema as ``op_gradients.py`` (whose encoding it follows): float32 leaves, one view op or a short chain of
them (often of a non-contiguous input: a view of a transpose), a fixed stored upstream gradient, and the output and
every leaf gradient as 8-digit hex bit patterns. ``tests/Autograd.Tests/Ops/ViewReferenceTests.cs`` maps each case
name to the same computation written with the library's API; the two lists must name exactly the same cases.
"""

import json
import os
import sys

import torch

assert torch.__version__.startswith("1.13"), torch.__version__

DEFAULT_OUT = os.path.join(
    os.path.dirname(os.path.abspath(__file__)),
    "..", "..", "tests", "Autograd.Tests", "Fixtures", "view_gradients.json",
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


def case(name, fn, *shapes):
    """shapes: one per leaf (each requires grad); fn receives the leaves in order."""
    assert name not in names, name
    names.add(name)
    inputs = [uniform(s) for s in shapes]
    leaves = [t.clone().requires_grad_(True) for t in inputs]
    out = fn(*leaves)
    upstream = uniform(tuple(out.shape), -1.0, 1.0)
    out.backward(upstream)
    for l in leaves:
        assert l.grad is not None, name
    cases.append({
        "name": name,
        "inputs": [encode(t, True) for t in inputs],
        "upstream": encode(upstream),
        "output": encode(out),
        "grads": [encode(l.grad) for l in leaves],
    })


# ---- view / flatten / unflatten -------------------------------------------------------------------
case("view_2x3_to_3x2", lambda x: x.view(3, 2), (2, 3))
case("view_infer", lambda x: x.view(2, -1), (2, 3, 2))
case("view_to_0d", lambda x: x.view(()), (1,))
case("view_transposed_split_last", lambda x: x.t().view(6, 2, 2), (4, 6))
case("view_of_column_slice", lambda x: x[:, 1:3].view(4, 1, 2), (4, 3))
case("flatten_all", lambda x: x.flatten(), (2, 3, 2))
case("flatten_1_2", lambda x: x.flatten(1, 2), (2, 3, 4))
case("flatten_neg", lambda x: x.flatten(-3, -2), (2, 3, 4))
case("flatten_transposed_copies", lambda x: x.transpose(0, 1).flatten(1), (2, 3, 4))
case("flatten_0d", lambda x: x.flatten(), ())
case("unflatten_dim1", lambda x: x.unflatten(1, (2, 3)), (2, 6))
case("unflatten_infer_neg_dim", lambda x: x.unflatten(-1, (-1, 2)), (3, 4))
case("unflatten_of_transposed", lambda x: x.t().unflatten(0, (2, 2)), (3, 4))

# ---- squeeze / unsqueeze ----------------------------------------------------------------------------
case("squeeze_all", lambda x: x.squeeze(), (1, 3, 1, 2))
case("squeeze_dim", lambda x: x.squeeze(2), (1, 3, 1, 2))
case("squeeze_dim_not_1", lambda x: x.squeeze(1), (1, 3, 1, 2))
case("squeeze_neg_dim", lambda x: x.squeeze(-4), (1, 3, 1, 2))
case("unsqueeze_0", lambda x: x.unsqueeze(0), (2, 3))
case("unsqueeze_neg1", lambda x: x.unsqueeze(-1), (2, 3))
case("unsqueeze_middle_of_transposed", lambda x: x.t().unsqueeze(1), (2, 3))
case("unsqueeze_0d", lambda x: x.unsqueeze(0), ())

# ---- permute / mT / expand --------------------------------------------------------------------------
case("permute_3d", lambda x: x.permute(2, 0, 1), (2, 3, 4))
case("permute_neg_dims", lambda x: x.permute(-1, -3, -2), (2, 3, 4))
case("permute_of_transposed", lambda x: x.transpose(0, 2).permute(1, 2, 0), (2, 3, 4))
case("mT_3d", lambda x: x.mT, (2, 3, 4))
case("expand_keep_size", lambda x: x.expand(-1, 4), (3, 1))
case("expand_new_leading_keep", lambda x: x.expand(2, -1, 3), (4, 1))
case("expand_as", lambda x, y: x.expand_as(y) * y, (1, 3), (2, 3))

# ---- select / narrow / slice ------------------------------------------------------------------------
case("select_dim0", lambda x: x.select(0, 1), (3, 4))
case("select_dim1_neg_index", lambda x: x.select(1, -1), (3, 4))
case("select_neg_dim", lambda x: x.select(-2, 0), (2, 3, 4))
case("select_of_transposed", lambda x: x.t().select(0, 2), (2, 3))
case("select_to_0d", lambda x: x.select(0, 2), (3,))
case("narrow_dim1", lambda x: x.narrow(1, 1, 2), (3, 4))
case("narrow_neg_start", lambda x: x.narrow(0, -2, 2), (3, 4))
case("narrow_empty", lambda x: x.narrow(1, 4, 0), (3, 4))
case("slice_step2", lambda x: x[:, ::2], (3, 5))
case("slice_step3_bounds", lambda x: x[1:6:3], (7, 2))
case("slice_neg_bounds", lambda x: x[:, -3:-1], (2, 5))
case("slice_clamped", lambda x: x[-10:10], (3, 2))
case("slice_empty", lambda x: x[2:1], (3, 2))
case("slice_of_transposed", lambda x: x.t()[1:, ::2], (3, 4))

# ---- unfold / diagonal ------------------------------------------------------------------------------
case("unfold_overlapping", lambda x: x.unfold(0, 3, 1), (5,))
case("unfold_step2", lambda x: x.unfold(1, 2, 2), (2, 5))
case("unfold_gap", lambda x: x.unfold(0, 2, 3), (7, 2))
case("unfold_neg_dim_of_transposed", lambda x: x.t().unfold(-1, 2, 1), (3, 2))
case("unfold_0d", lambda x: x.unfold(0, 1, 1), ())
case("unfold_twice", lambda x: x.unfold(0, 3, 1).unfold(1, 2, 1), (5, 4))
case("diagonal_main", lambda x: x.diagonal(), (3, 4))
case("diagonal_above", lambda x: x.diagonal(1), (3, 4))
case("diagonal_below", lambda x: x.diagonal(-1), (3, 4))
case("diagonal_empty", lambda x: x.diagonal(5), (3, 4))
case("diagonal_3d_last_dims", lambda x: x.diagonal(0, 1, 2), (2, 3, 3))
case("diagonal_3d_neg_dims_reversed", lambda x: x.diagonal(1, -1, 0), (3, 2, 3))
case("diagonal_of_transposed", lambda x: x.t().diagonal(-1), (3, 4))

# ---- indexing ----------------------------------------------------------------------------------------
case("index_int", lambda x: x[1], (3, 4))
case("index_last", lambda x: x[-1], (3, 4))
case("index_ellipsis_last", lambda x: x[..., 0], (2, 3, 4))
case("index_range_dim1", lambda x: x[:, 1:3], (3, 4))
case("index_row_step", lambda x: x[1, ::2], (3, 5))
case("index_newaxis", lambda x: x[None, :, None], (2, 3))
case("index_mixed", lambda x: x[1:, None, ::2, -1], (3, 5, 2))
case("index_ellipsis_middle", lambda x: x[0, ..., 1:], (2, 3, 4))
case("index_of_transposed", lambda x: x.t()[1:, 0], (3, 4))

# ---- chains: views of views, reuse of one input by several views -------------------------------------
case("chain_views_of_views", lambda x: x.transpose(0, 2)[1:, ::2].unsqueeze(0).permute(3, 1, 0, 2).flatten(1), (2, 3, 4))
case("chain_overlapping_reuse", lambda x: x.narrow(0, 0, 2) * x.narrow(0, 1, 2) + x.unfold(0, 2, 1).sum(1), (3, 2))
case("chain_diagonal_sum_select", lambda x: x.diagonal().sum() * x.select(1, 0), (3, 3))


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
