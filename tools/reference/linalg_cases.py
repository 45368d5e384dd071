"""PyTorch 1.13 reference cases for the linear-algebra family (tests/Autograd.Tests/Ops/LinearAlgebra/).

Case names are "<op>:<variant>"; the C# test maps each <op> to the library call with the same arguments (for einsum,
the op is the equation).
"""

import math

import torch

from refcases import Cases

C = Cases(20261203)
f32, f64 = torch.float32, torch.float64
inf, nan = math.inf, math.nan
U = C.uniform

# outer, mm, mv, bmm
for dtype, tag in ((f32, "f32"), (f64, "f64")):
    C.case(f"outer:{tag}", torch.outer, U([3], dtype=dtype), U([4], dtype=dtype), second_order=True)
    C.case(f"mm:{tag}", torch.mm, U([3, 5], dtype=dtype), U([5, 2], dtype=dtype), second_order=True)
    C.case(f"mv:{tag}", torch.mv, U([3, 5], dtype=dtype), U([5], dtype=dtype), second_order=True)
    C.case(f"bmm:{tag}", torch.bmm, U([2, 3, 4], dtype=dtype), U([2, 4, 5], dtype=dtype), second_order=True)
    C.case(f"addmm:{tag}", torch.addmm, U([3, 2], dtype=dtype), U([3, 5], dtype=dtype), U([5, 2], dtype=dtype), second_order=True)
    C.case(f"baddbmm:{tag}", torch.baddbmm, U([2, 3, 5], dtype=dtype), U([2, 3, 4], dtype=dtype), U([2, 4, 5], dtype=dtype), second_order=True)
C.case("outer:int_float", torch.outer, torch.tensor([1, 2, 3]), U([2]))
C.case("outer:empty", torch.outer, torch.zeros(0), U([2]))
C.case("outer_method:f32", lambda a, b: a.outer(b), U([2]), U([3]))
C.case("mm:int64", torch.mm, torch.tensor([[1, 2], [3, 4]]), torch.tensor([[5], [6]]))
C.case("mm:empty_inner", torch.mm, torch.zeros(2, 0), torch.zeros(0, 3))
C.case("mm:inf_nan", torch.mm, torch.tensor([[inf, 1.0], [nan, 0.0]]), torch.tensor([[1.0, 0.0], [2.0, 1.0]]))
C.case("mm_method:f64", lambda a, b: a.mm(b), U([2, 3], dtype=f64), U([3, 2], dtype=f64))
C.case("mv_method:f32", lambda a, b: a.mv(b), U([2, 3]), U([3]))
C.case("bmm_method:f32", lambda a, b: a.bmm(b), U([2, 1, 3]), U([2, 3, 2]))
C.case("bmm_t:transposed", lambda a, b: torch.bmm(a.transpose(1, 2), b), U([2, 4, 3], dtype=f64), U([2, 4, 5], dtype=f64), second_order=True)
C.error("outer:2d_self", torch.outer, torch.ones(2, 3), torch.ones(3))
C.error("outer:2d_vec2", torch.outer, torch.ones(3), torch.ones(2, 3))
C.error("mm:vector_self", torch.mm, torch.ones(3), torch.ones(3, 2))
C.error("mm:vector_mat2", torch.mm, torch.ones(2, 3), torch.ones(3))
C.error("mm:shapes", torch.mm, torch.ones(2, 3), torch.ones(4, 5))
C.error("mm:dtypes", torch.mm, torch.ones(2, 3), torch.ones(3, 2, dtype=f64))
C.error("mv:matrix_vector", torch.mv, torch.ones(2, 3), torch.ones(2, 3))
C.error("mv:sizes", torch.mv, torch.ones(2, 3), torch.ones(4))
C.error("bmm:2d_batch1", torch.bmm, torch.ones(2, 3), torch.ones(2, 3, 4))
C.error("bmm:2d_batch2", torch.bmm, torch.ones(2, 3, 4), torch.ones(3, 4))
C.error("bmm:batch_size", torch.bmm, torch.ones(2, 3, 4), torch.ones(3, 4, 5))
C.error("bmm:inner_size", torch.bmm, torch.ones(2, 3, 4), torch.ones(2, 5, 5))
C.error("bmm:4d", torch.bmm, torch.ones(1, 2, 3, 4), torch.ones(1, 2, 4, 5))
C.error("bmm:dtypes", torch.bmm, torch.ones(2, 3, 4), torch.ones(2, 4, 5, dtype=f64))

# addmm / baddbmm: broadcast input, beta and alpha, beta = 0 ignoring NaN.
C.case("addmm:row_bias", torch.addmm, U([2]), U([3, 4]), U([4, 2]), second_order=True)
C.case("addmm:scalar_bias_f64", torch.addmm, U([], dtype=f64), U([3, 4], dtype=f64), U([4, 2], dtype=f64))
C.case("addmm_b0.5_a2:f64", lambda i, a, b: torch.addmm(i, a, b, beta=0.5, alpha=2.0), U([3, 1], dtype=f64), U([3, 4], dtype=f64), U([4, 2], dtype=f64), second_order=True)
C.case("addmm_b0_a-1:nan_input", lambda i, a, b: torch.addmm(i, a, b, beta=0.0, alpha=-1.0), torch.tensor([[nan, inf], [1.0, 2.0]]), U([2, 3]), U([3, 2]))
C.case("addmm_method_b2:f32", lambda i, a, b: i.addmm(a, b, beta=2.0), U([2, 2]), U([2, 3]), U([3, 2]))
C.case("baddbmm:bias", torch.baddbmm, U([5]), U([2, 3, 4]), U([2, 4, 5]), second_order=True)
C.case("baddbmm_b0.5_a2:f64", lambda i, a, b: torch.baddbmm(i, a, b, beta=0.5, alpha=2.0), U([1, 3, 5], dtype=f64), U([2, 3, 4], dtype=f64), U([2, 4, 5], dtype=f64), second_order=True)
C.case("baddbmm_b0_a-1:nan_input", lambda i, a, b: torch.baddbmm(i, a, b, beta=0.0, alpha=-1.0), torch.tensor([nan, 1.0]), U([2, 2, 3]), U([2, 3, 2]))
C.case("baddbmm_method_a3:f64", lambda i, a, b: i.baddbmm(a, b, alpha=3.0), U([3, 5], dtype=f64), U([2, 3, 4], dtype=f64), U([2, 4, 5], dtype=f64))
C.error("addmm:input_shape", torch.addmm, torch.ones(3), torch.ones(2, 3), torch.ones(3, 5))
C.error("addmm:input_rank", torch.addmm, torch.ones(2, 3, 5), torch.ones(2, 3), torch.ones(3, 5))
C.error("addmm:vector_mat1", torch.addmm, torch.ones(5), torch.ones(3), torch.ones(3, 5))
C.error("addmm:vector_mat2", torch.addmm, torch.ones(5), torch.ones(2, 3), torch.ones(3))
C.error("addmm:shapes", torch.addmm, torch.ones(5), torch.ones(2, 3), torch.ones(4, 5))
C.error("addmm:input_dtype", torch.addmm, torch.ones(5, dtype=f64), torch.ones(2, 3), torch.ones(3, 5))
C.error("baddbmm:input_shape", torch.baddbmm, torch.ones(3), torch.ones(2, 3, 4), torch.ones(2, 4, 5))
C.error("baddbmm:2d", torch.baddbmm, torch.ones(5), torch.ones(2, 3), torch.ones(2, 3))
C.error("baddbmm:batch_size", torch.baddbmm, torch.ones(5), torch.ones(2, 3, 4), torch.ones(3, 4, 5))

# tril / triu / diag / trace / kron
for op, fn in (("tril", torch.tril), ("triu", torch.triu)):
    for k in (0, 1, -1, 3, -4):
        C.case(f"{op}_{k}:f32", lambda x, k=k, fn=fn: fn(x, k), U([3, 4]))
    C.case(f"{op}_0:batched_f64", lambda x, fn=fn: fn(x), U([2, 3, 3], dtype=f64), second_order=False)
    C.case(f"{op}_1:wide_f64", lambda x, fn=fn: fn(x, 1), U([2, 5], dtype=f64))
    C.case(f"{op}_0:nan_above", lambda x, fn=fn: fn(x), torch.tensor([[1.0, nan], [nan, 2.0]]))
    C.case(f"{op}_0:int64", lambda x, fn=fn: fn(x), torch.arange(9).reshape(3, 3))
    C.case(f"{op}_0:bool", lambda x, fn=fn: fn(x), torch.ones(2, 3, dtype=torch.bool))
    C.case(f"{op}_0:empty", lambda x, fn=fn: fn(x), torch.zeros(0, 3))
    C.case(f"{op}_method_-1:f32", lambda x, fn=fn, op=op: getattr(x, op)(-1), U([4, 4]))
    C.error(f"{op}_0:vector", lambda x, fn=fn: fn(x), torch.ones(3))
for k in (0, 1, 2, -1, -3):
    C.case(f"diag_{k}:vector_f32", lambda x, k=k: torch.diag(x, k), U([3]), second_order=False)
    C.case(f"diag_{k}:matrix_f64", lambda x, k=k: torch.diag(x, k), U([3, 4], dtype=f64))
C.case("diag_4:matrix_past_the_corner", lambda x: torch.diag(x, 4), U([3, 4]))
C.case("diag_0:vector_int64", lambda x: torch.diag(x), torch.tensor([1, 2, 3]))
C.case("diag_0:empty_vector", lambda x: torch.diag(x), torch.zeros(0))
C.case("diag_method_1:f64", lambda x: x.diag(1), U([3], dtype=f64))
C.error("diag_0:3d", lambda x: torch.diag(x), torch.ones(2, 2, 2))
C.error("diag_0:scalar", lambda x: torch.diag(x), torch.tensor(1.0))
C.case("trace:f32", torch.trace, U([3, 3]))
C.case("trace:rect_f64", torch.trace, U([2, 4], dtype=f64))
C.case("trace:int32", torch.trace, torch.arange(6, dtype=torch.int32).reshape(2, 3))
C.case("trace_method:f64", lambda x: x.trace(), U([4, 4], dtype=f64))
C.error("trace:3d", torch.trace, torch.ones(2, 2, 2))
C.error("trace:vector", torch.trace, torch.ones(3))
C.case("kron:2d_f32", torch.kron, U([2, 3]), U([2, 2]), second_order=False)
C.case("kron:mixed_rank_f64", torch.kron, U([2, 3], dtype=f64), U([4], dtype=f64))
C.case("kron:3d_2d_f64", torch.kron, U([2, 1, 2], dtype=f64), U([3, 2], dtype=f64))
C.case("kron:int_float", torch.kron, torch.tensor([1, 2]), U([2]))
C.case("kron_method:f32", lambda a, b: a.kron(b), U([2]), U([3]))

# einsum: the patterns of real models, implicit output, ellipsis, repeated labels, broadcasting.
EINSUM = [
    ("bij,bjk->bik", [[2, 3, 4], [2, 4, 5]]),
    ("bhqd,bhkd->bhqk", [[2, 3, 4, 5], [2, 3, 6, 5]]),
    ("bhqk,bhkd->bhqd", [[2, 3, 4, 6], [2, 3, 6, 5]]),
    ("ij->ji", [[3, 4]]),
    ("ii->", [[4, 4]]),
    ("ii->i", [[4, 4]]),
    ("i,j->ij", [[3], [4]]),
    ("ij,ij->", [[3, 4], [3, 4]]),
    ("ij,ij->ij", [[3, 4], [3, 4]]),
    ("bij->bji", [[2, 3, 4]]),
    ("ijk,jk->i", [[3, 4, 5], [4, 5]]),
    ("ijk,kj->i", [[3, 4, 5], [5, 4]]),
    ("ij,jk", [[3, 4], [4, 5]]),
    ("ba", [[3, 4]]),
    ("ij,jk,kl->il", [[2, 3], [3, 4], [4, 5]]),
    ("i,i->", [[5], [5]]),
    ("i,i->i", [[5], [5]]),
    ("ij->", [[3, 4]]),
    ("ij->j", [[3, 4]]),
    ("iij->ij", [[3, 3, 2]]),
    ("iji->j", [[3, 2, 3]]),
    ("...ij,...jk->...ik", [[2, 3, 4, 5], [2, 3, 5, 2]]),
    ("...ij,...jk", [[5, 2, 3], [3, 2]]),
    ("...ij,...jk->...ik:broadcast", [[5, 1, 2, 3], [4, 3, 2]]),
    ("...ij->...ji", [[2, 3, 4]]),
    ("...ij->ij", [[5, 2, 3]]),
    ("i...->...", [[3, 2, 4]]),
    ("ij...,jk...->ik...", [[2, 3, 4], [3, 5, 4]]),
    ("Ba,a", [[2, 3], [3]]),
    ("bn,anm,bm->ba", [[2, 3], [4, 3, 5], [2, 5]]),
    ("ij,ij->ij:broadcast", [[2, 1], [2, 3]]),
    ("ij,jk->ik:broadcast_contracted", [[2, 1], [3, 4]]),
    ("i j , j k -> i k", [[2, 3], [3, 4]]),
    (",->", [[], []]),
    ("i", [[3]]),
    ("ij->...ij", [[2, 3]]),
    ("bqhd,bkhd->bhqk", [[2, 4, 3, 5], [2, 6, 3, 5]]),
]
for spec, shapes in EINSUM:
    eq = spec.split(":")[0]
    variant = spec.split(":")[1] if ":" in spec else "f64"
    C.case(f"{eq}:{variant}", lambda *t, eq=eq: torch.einsum(eq, *t), *[U(s, dtype=f64) for s in shapes], second_order=len(shapes) > 1)
    if variant == "f64":
        C.case(f"{eq}:f32", lambda *t, eq=eq: torch.einsum(eq, *t), *[U(s) for s in shapes])
C.case("ij,jk->ik:int64", lambda a, b: torch.einsum("ij,jk->ik", a, b), torch.arange(6).reshape(2, 3), torch.arange(12).reshape(3, 4))
C.case("ij,jk->ik:empty", lambda a, b: torch.einsum("ij,jk->ik", a, b), torch.zeros(2, 0), torch.zeros(0, 3))
ERRORS = [
    ("ij,jk->ik", [[2, 3]], "fewer_operands"),
    ("ij->ij", [[2, 3], [3, 4]], "more_operands"),
    ("ijk->i", [[2, 3]], "subscript_count"),
    ("i1,jk->ik", [[2, 3], [3, 4]], "invalid_subscript"),
    ("ij-ji", [[2, 3]], "bad_arrow"),
    ("ij,jk->ii", [[2, 3], [3, 4]], "output_repeated"),
    ("ij,jk->iz", [[2, 3], [3, 4]], "output_missing"),
    ("ij,jk->i1", [[2, 3], [3, 4]], "output_invalid"),
    ("ij,jk->ik", [[2, 3], [4, 4]], "sizes"),
    ("ii->i", [[2, 3]], "diagonal_sizes"),
    ("...i...->i", [[2, 3]], "two_ellipses"),
    ("..ij->ij", [[2, 3]], "broken_ellipsis"),
    ("ij->.", [[2, 3]], "broken_output_ellipsis"),
    ("...ijk->i", [[2, 3]], "ellipsis_too_few_dims"),
    ("ij,jk->ik", [[2, 3], [3, 4]], "dtypes"),
]
for eq, shapes, variant in ERRORS:
    ts = [torch.ones(s) for s in shapes]
    if variant == "dtypes":
        ts[1] = ts[1].double()
    C.error(f"{eq}:{variant}", lambda *t, eq=eq: torch.einsum(eq, *t), *ts)

C.write("linalg_cases.json")
