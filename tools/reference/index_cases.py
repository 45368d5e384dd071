"""Generates the indexing-op reference fixtures (index_select, gather, scatter, scatter_add, index_add, index_put,
take, and x[...] with int64 and bool tensor indices) from PyTorch 1.13.

Run with the system interpreter that has torch 1.13:

    /usr/bin/python3 tools/reference/index_cases.py [output.json]

Schema as join_cases.py, plus "indices": the index tensors each case uses, as {"shape", "dtype", "data"} with the
values written out (int64, int32 or bool). A value case builds float32 leaves, applies the op in torch,
back-propagates a fixed, stored upstream gradient and records the output and every leaf gradient (8-digit hex
float32 bit patterns). An error case ("errors") records the start of PyTorch's message instead. The C# test
tests/Autograd.Tests/Ops/IndexReferenceTests.cs maps each case name to the same computation; the two lists must name
exactly the same cases.
"""

import json
import os
import sys

import torch

assert torch.__version__.startswith("1.13"), torch.__version__

DEFAULT_OUT = os.path.join(
    os.path.dirname(os.path.abspath(__file__)),
    "..", "..", "tests", "Autograd.Tests", "Fixtures", "index_cases.json",
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


def encode_index(t):
    dtype = {torch.int64: "int64", torch.int32: "int32", torch.bool: "bool"}[t.dtype]
    return {"shape": list(t.shape), "dtype": dtype, "data": t.reshape(-1).tolist()}


def uniform(shape, low=-1.0, high=1.0):
    return torch.rand(shape, generator=GEN, dtype=torch.float32) * (high - low) + low


cases = []
errors = []
names = set()


def L(*values, shape=None):
    t = torch.tensor(values, dtype=torch.int64)
    return t.reshape(shape) if shape is not None else t


def B(*values, shape=None):
    t = torch.tensor(values, dtype=torch.bool)
    return t.reshape(shape) if shape is not None else t


def case(name, fn, inputs, indices=()):
    """inputs: (tensor, requires_grad) pairs; fn receives the leaves then the index tensors, in order."""
    assert name not in names, name
    names.add(name)
    leaves = [t.clone().requires_grad_(rg) for t, rg in inputs]
    out = fn(*leaves, *indices)
    upstream = uniform(tuple(out.shape), -1.0, 1.0)
    if out.requires_grad:
        out.backward(upstream)
    cases.append({
        "name": name,
        "inputs": [encode(t, rg) for t, rg in inputs],
        "indices": [encode_index(i) for i in indices],
        "upstream": encode(upstream),
        "output": encode(out),
        "grads": [encode(l.grad) if rg else None for l, (_, rg) in zip(leaves, inputs)],
    })


def error(name, fn, inputs, indices=()):
    assert name not in names, name
    names.add(name)
    try:
        fn(*[t for t, _ in inputs], *indices)
    except (RuntimeError, IndexError) as e:
        message = str(e).split("\n")[0]
    else:
        raise AssertionError(f"{name} did not fail")
    errors.append({
        "name": name,
        "inputs": [encode(t, rg) for t, rg in inputs],
        "indices": [encode_index(i) for i in indices],
        "message": message,
    })


def u(*shape, rg=True):
    return (uniform(shape), rg)


def setitem(x, index, v):
    """x[index] = v on a clone. Its inputs do not require grad: the library does not record in-place writes (it
    refuses them on tensors in the graph), so these cases check values only."""
    y = x.clone()
    y[index] = v
    return y


# ---- index_select --------------------------------------------------------------------------------
case("index_select_dim0", lambda x, i: x.index_select(0, i), [u(4, 3)], [L(2, 0)])
case("index_select_dim1_repeated", lambda x, i: x.index_select(1, i), [u(2, 4)], [L(3, 1, 3, 3)])
case("index_select_negdim_3d", lambda x, i: x.index_select(-2, i), [u(2, 3, 2)], [L(1, 1, 0)])
case("index_select_0d_index", lambda x, i: x.index_select(0, i), [u(3, 2)], [torch.tensor(2)])
case("index_select_empty", lambda x, i: x.index_select(1, i), [u(2, 3)], [L(shape=(0,))])
case("index_select_int32", lambda x, i: x.index_select(0, i), [u(3, 2)], [torch.tensor([2, 2, 0], dtype=torch.int32)])
case("index_select_transposed", lambda x, i: x.T.index_select(0, i), [u(3, 4)], [L(3, 0)])

# ---- gather --------------------------------------------------------------------------------------
case("gather_dim0", lambda x, i: x.gather(0, i), [u(3, 2)], [L(2, 0, 1, 1, shape=(2, 2))])
case("gather_dim1_repeated", lambda x, i: x.gather(1, i), [u(2, 3)], [L(0, 0, 0, 2, 1, 2, shape=(2, 3))])
case("gather_smaller_index", lambda x, i: x.gather(1, i), [u(3, 4)], [L(3, 3, 0, 1, shape=(2, 2))])
case("gather_larger_along_dim", lambda x, i: x.gather(0, i), [u(2, 2)], [L(1, 0, 1, 1, 0, 0, shape=(3, 2))])
case("gather_3d_negdim", lambda x, i: x.gather(-1, i), [u(2, 2, 3)], [L(2, 1, 1, 0, 0, 0, 2, 2, shape=(2, 2, 2))])
case("gather_transposed", lambda x, i: x.T.gather(0, i), [u(2, 3)], [L(1, 0, 2, 2, shape=(2, 2))])

# ---- scatter / scatter_add -----------------------------------------------------------------------
case("scatter_src_dim0", lambda x, s, i: x.scatter(0, i, s), [u(3, 4), u(2, 4)], [L(2, 0, 1, 2, 0, 1, 0, 1, shape=(2, 4))])
case("scatter_src_dim1", lambda x, s, i: x.scatter(1, i, s), [u(2, 4), u(2, 2)], [L(3, 0, 1, 2, shape=(2, 2))])
case("scatter_only_src_grad", lambda x, s, i: x.scatter(1, i, s), [u(2, 3, rg=False), u(2, 3)], [L(2, 1, 0, 0, 1, 2, shape=(2, 3))])
case("scatter_value", lambda x, i: x.scatter(0, i, 2.5), [u(3, 3)], [L(0, 2, 1, shape=(1, 3))])
case("scatter_empty_index", lambda x, s, i: x.scatter(0, i, s), [u(2, 2), u(2, 2, rg=False)], [L(shape=(0, 2))])
case("scatter_add_repeated", lambda x, s, i: x.scatter_add(0, i, s), [u(3, 2), u(3, 2)], [L(0, 0, 0, 1, 0, 1, shape=(3, 2))])
case("scatter_add_3d", lambda x, s, i: x.scatter_add(1, i, s), [u(2, 3, 2), u(2, 2, 2)], [L(2, 2, 0, 2, 1, 1, 1, 0, shape=(2, 2, 2))])
case("scatter_add_transposed_src", lambda x, s, i: x.scatter_add(1, i, s.T), [u(2, 3), u(3, 2)], [L(0, 0, 2, 1, 1, 1, shape=(2, 3))])

# ---- index_add -----------------------------------------------------------------------------------
case("index_add_dim0", lambda x, s, i: x.index_add(0, i, s), [u(3, 2), u(2, 2)], [L(2, 0)])
case("index_add_repeated_alpha", lambda x, s, i: x.index_add(1, i, s, alpha=-1.5), [u(2, 3), u(2, 4)], [L(1, 1, 2, 1)])
case("index_add_int32_3d", lambda x, s, i: x.index_add(-1, i, s), [u(2, 2, 3), u(2, 2, 2)], [torch.tensor([0, 0], dtype=torch.int32)])
case("index_add_empty", lambda x, s, i: x.index_add(0, i, s), [u(2, 3), u(0, 3)], [L(shape=(0,))])

# ---- take ----------------------------------------------------------------------------------------
case("take_2d_index_negative", lambda x, i: x.take(i), [u(3, 4)], [L(0, -1, 5, 5, -12, 7, shape=(2, 3))])
case("take_transposed", lambda x, i: x.T.take(i), [u(2, 3)], [L(1, 2, 4)])

# ---- index_put -----------------------------------------------------------------------------------
case("index_put_one_index", lambda x, v, i: x.index_put((i,), v), [u(4, 2), u(2, 2)], [L(3, -4)])
case("index_put_two_broadcast_value", lambda x, v, i, j: x.index_put((i, j), v), [u(3, 4), u(1)], [L(0, 2, 1), L(-1)])
case("index_put_accumulate_repeated", lambda x, v, i, j: x.index_put((i, j), v, accumulate=True), [u(3, 3), u(4)], [L(0, 0, 2, 0), L(1, 1, 2, 1)])
case("index_put_accumulate_broadcast", lambda x, v, i: x.index_put((i,), v, accumulate=True), [u(3, 2), u(2)], [L(1, 1, 1, 0)])
case("index_put_mask", lambda x, v, m: x.index_put((m,), v), [u(2, 3), u(1)], [B(True, False, True, False, False, True, shape=(2, 3))])
case("index_put_broadcast_indices", lambda x, v, i, j: x.index_put((i, j), v, accumulate=True), [u(3, 4), u(2, 3)], [L(0, 2, shape=(2, 1)), L(1, 3, 1)])
case("index_put_only_values_grad", lambda x, v, i: x.index_put((i,), v), [u(3, 2, rg=False), u(2)], [L(2)])

# ---- x[tensor] -----------------------------------------------------------------------------------
case("getitem_long_dim0", lambda x, i: x[i], [u(4, 3)], [L(3, 1, -1, 1)])
case("getitem_long_2d_index", lambda x, i: x[i], [u(3, 2)], [L(0, 2, 2, 1, shape=(2, 2))])
case("getitem_long_after_slice", lambda x, i: x[:, i], [u(2, 4)], [L(-1, 0, 0)])
case("getitem_long_middle_3d", lambda x, i: x[:, i, 1:], [u(2, 3, 3)], [L(2, 0)])
case("getitem_two_adjacent", lambda x, i, j: x[:, i, j], [u(2, 3, 4)], [L(0, 2, 1), L(3, 3, 0)])
case("getitem_two_broadcast", lambda x, i, j: x[i, j], [u(3, 4)], [L(0, 2, shape=(2, 1)), L(1, 3, 0)])
case("getitem_separated_move_front", lambda x, i, j: x[i, :, j], [u(3, 2, 4)], [L(2, 0), L(1, -1)])
case("getitem_separated_by_newaxis", lambda x, i, j: x[i, None, j], [u(3, 4)], [L(2, 0), L(1, 3)])
case("getitem_int_and_tensor", lambda x, i: x[1, :, i], [u(2, 3, 4)], [L(0, 3, 3)])
case("getitem_ellipsis_tensor", lambda x, i: x[..., i], [u(2, 2, 3)], [L(2, 0)])
case("getitem_empty_index", lambda x, i: x[i], [u(3, 2)], [L(shape=(0,))])
case("getitem_mask_rows", lambda x, m: x[m], [u(3, 2)], [B(True, False, True)])
case("getitem_mask_full", lambda x, m: x[m], [u(2, 3)], [B(False, True, True, True, False, True, shape=(2, 3))])
case("getitem_mask_after_slice", lambda x, m: x[:, m], [u(2, 3)], [B(True, False, True)])
case("getitem_mask_and_long", lambda x, m, i: x[m, i], [u(3, 4)], [B(True, False, True), L(3, 0)])
case("getitem_mask_none_true", lambda x, m: x[m], [u(2, 2)], [B(False, False)])
case("getitem_bool_scalar", lambda x, m: x[m], [u(2, 3)], [torch.tensor(True)])
case("getitem_long_0d_alone", lambda x, i: x[i], [u(3, 2)], [torch.tensor(-2)])
case("getitem_transposed", lambda x, i: x.T[i], [u(2, 3)], [L(2, 2, 0)])
case("getitem_chain_exp", lambda x, i: (x[i] * x[i]).exp(), [u(3)], [L(0, 0, 2)])

# ---- x[tensor] = v -------------------------------------------------------------------------------
case("setitem_long", lambda x, v, i: setitem(x, i, v), [u(4, 2, rg=False), u(2, rg=False)], [L(1, -1)])
case("setitem_mask_scalar", lambda x, m: setitem(x, m, 0.5), [u(2, 3, rg=False)], [B(True, False, False, True, True, False, shape=(2, 3))])
case("setitem_slice_and_tensor", lambda x, v, i: setitem(x, (slice(None), i), v), [u(3, 4, rg=False), u(3, 1, rg=False)], [L(2, 0)])
case("setitem_two_tensors", lambda x, v, i, j: setitem(x, (i, j), v), [u(3, 3, rg=False), u(3, rg=False)], [L(0, 1, 2), L(2, 1, 0)])

# ---- errors --------------------------------------------------------------------------------------
error("err_index_select_out_of_range", lambda x, i: x.index_select(0, i), [u(3, 2)], [L(3)])
error("err_index_select_negative", lambda x, i: x.index_select(0, i), [u(3, 2)], [L(-1)])
error("err_index_select_dim1", lambda x, i: x.index_select(1, i), [u(3, 2)], [L(2)])
error("err_index_select_matrix", lambda x, i: x.index_select(0, i), [u(3, 2)], [L(0, shape=(1, 1))])
error("err_gather_out_of_range", lambda x, i: x.gather(0, i), [u(3, 4)], [L(5, shape=(1, 1))])
error("err_gather_negative", lambda x, i: x.gather(1, i), [u(3, 4)], [L(-1, shape=(1, 1))])
error("err_gather_int32", lambda x, i: x.gather(0, i), [u(3, 4)], [torch.tensor([[0]], dtype=torch.int32)])
error("err_gather_rank", lambda x, i: x.gather(0, i), [u(3, 4)], [L(0)])
error("err_gather_size", lambda x, i: x.gather(0, i), [u(3, 4)], [torch.zeros(2, 5, dtype=torch.long)])
error("err_scatter_out_of_range", lambda x, s, i: x.scatter(1, i, s), [u(3, 4), u(1, 1)], [L(4, shape=(1, 1))])
error("err_scatter_src_small", lambda x, s, i: x.scatter(0, i, s), [u(3, 4), u(1, 1)], [torch.zeros(2, 2, dtype=torch.long)])
error("err_scatter_add_out_of_range", lambda x, s, i: x.scatter_add(0, i, s), [u(3, 4), u(1, 1)], [L(-4, shape=(1, 1))])
error("err_index_add_out_of_range", lambda x, s, i: x.index_add(0, i, s), [u(3, 4), u(1, 4)], [L(3)])
error("err_index_add_count", lambda x, s, i: x.index_add(0, i, s), [u(3, 4), u(1, 4)], [L(0, 1)])
error("err_index_add_shape", lambda x, s, i: x.index_add(0, i, s), [u(3, 4), u(1, 3)], [L(0)])
error("err_take_out_of_range", lambda x, i: x.take(i), [u(3, 4)], [L(12)])
error("err_take_negative", lambda x, i: x.take(i), [u(3, 4)], [L(-13)])
error("err_index_put_out_of_range", lambda x, v, i: x.index_put((i,), v), [u(3, 4), u(1)], [L(5)])
error("err_index_put_value_shape", lambda x, v, i: x.index_put((i,), v), [u(3, 4), u(2)], [L(0)])
error("err_getitem_out_of_range", lambda x, i: x[i], [u(3, 4)], [L(0, 5)])
error("err_getitem_negative", lambda x, i: x[i], [u(3, 4)], [L(-4)])
error("err_getitem_after_slice", lambda x, i: x[:, i], [u(3, 4)], [L(4)])
error("err_getitem_int32", lambda x, i: x[i], [u(3, 4)], [torch.tensor([0], dtype=torch.int32)])
error("err_getitem_mask_shape", lambda x, m: x[m], [u(3, 4)], [B(True, False)])
error("err_getitem_mask_shape_dim1", lambda x, m: x[:, m], [u(3, 4)], [B(True, False, True)])
error("err_getitem_broadcast", lambda x, i, j: x[i, j], [u(3, 4)], [L(0, 1), L(0, 1, 2)])
error("err_setitem_out_of_range", lambda x, i: setitem(x, i, 1.0), [u(3, 4)], [L(3)])


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else DEFAULT_OUT
    with open(out, "w", encoding="utf-8") as f:
        # One case per line: readable diffs when a case changes, without one line per element.
        f.write('{"torch_version": %s, "cases": [\n' % json.dumps(torch.__version__))
        f.write(",\n".join(json.dumps(c, separators=(",", ":")) for c in cases))
        f.write('\n], "errors": [\n')
        f.write(",\n".join(json.dumps(c, separators=(",", ":")) for c in errors))
        f.write("\n]}\n")
    print(f"wrote {len(cases)} cases and {len(errors)} errors to {os.path.normpath(out)}")


if __name__ == "__main__":
    main()
