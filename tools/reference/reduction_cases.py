"""Reference cases for the reductions (sum/mean over dims, prod, max/min, amax/amin, argmax/argmin, var/std, norm,
logsumexp, cumsum/cumprod/cummax/cummin, sort/argsort/topk/kthvalue/median/mode, any/all), PyTorch 1.13.

Writes tests/Autograd.Tests/Fixtures/reduction_cases.json; replayed by tests/Autograd.Tests/Ops/Reductions/ReductionReferenceTests.cs.
Every floating case runs in float32 and float64 (suffix _float32/_float64). Ops returning (values, indices) are
recorded as two cases, <name> (values, with gradients) and <name>_idx (int64 indices).
"""

import torch

from refcases import NAMES, Cases

C = Cases(1301)
FLOATS = [torch.float32, torch.float64]
inf, nan = float("inf"), float("nan")


def both(name, fn, make, second_order=False):
    for dt in FLOATS:
        C.case(f"{name}_{NAMES[dt]}", fn, *make(dt), second_order=second_order)


def pair(name, fn, make, second_order=False):
    """fn returns (values, indices): values with gradients, indices exactly."""
    both(name, lambda *t: fn(*t)[0], make, second_order)
    for dt in FLOATS:
        C.case(f"{name}_idx_{NAMES[dt]}", lambda *t: fn(*t)[1], *make(dt))


def u(*shape):
    return lambda dt: (C.uniform(shape, dtype=dt),)


def away(*shape):
    return lambda dt: (C.away(shape, dtype=dt),)


def const(values):
    return lambda dt: (torch.tensor(values, dtype=dt),)


def ties(*shape):
    """Values on a grid of halves in [-1, 1]: many ties."""
    return lambda dt: ((C.uniform(shape, dtype=torch.float64) * 2).round().div(2).to(dt),)


def distinct(*shape):
    """A random permutation of well-separated values: no ties."""
    n = 1
    for s in shape:
        n *= s
    return lambda dt: ((torch.randperm(n, generator=C.gen).double() * 0.25 - n * 0.1).reshape(shape).to(dt),)


# sum / mean over several dims
both("sum_dims02", lambda x: x.sum((0, 2)), u(3, 4, 5))
both("sum_dims02_keep", lambda x: x.sum((0, 2), keepdim=True), u(3, 4, 5))
both("sum_dims12", lambda x: x.sum((1, 2)), u(3, 4, 5))
both("sum_dims_neg_keep", lambda x: x.sum((-1, -3), keepdim=True), u(3, 4, 5))
both("sum_dims_empty_all", lambda x: x.sum(()), u(3, 4))
both("sum_dims_outer_large", lambda x: x.sum((0,)), u(70, 37))
both("sum_dims_inner_large", lambda x: x.sum((1,)), u(37, 70))
both("sum_dims_transposed", lambda x: x.transpose(0, 1).sum((0,)), u(6, 5))
both("sum_dims_empty_tensor", lambda x: x.sum((0,)), lambda dt: (torch.zeros(0, 3, dtype=dt),))
both("sum_dims_scalar", lambda x: x.sum((0,)), u())
C.case("sum_dtype_float64_from_float32", lambda x: x.sum(dtype=torch.float64), C.uniform((4, 5)))
C.case("sum_dims_int64", lambda x: x.sum((0,)), torch.randint(-9, 9, (3, 4), generator=C.gen))
C.case("sum_dims_int32_to_int64", lambda x: x.sum((0, 1)), torch.randint(-9, 9, (3, 4), generator=C.gen).int())
C.case("sum_dims_bool_to_int64", lambda x: x.sum((1,)), torch.rand(3, 4, generator=C.gen) < 0.5)
both("mean_dims02_keep", lambda x: x.mean((0, 2), keepdim=True), u(3, 4, 5))
both("mean_dims_neg", lambda x: x.mean((-1,)), u(3, 4))
both("mean_dims_empty_slice", lambda x: x.mean((0,)), lambda dt: (torch.zeros(0, 3, dtype=dt),))
C.error("mean_dims_int64_error", lambda x: x.mean((0,)), torch.ones(3, dtype=torch.long))
C.error("sum_dims_repeated_error", lambda x: x.sum((0, 0)), torch.zeros(2, 3))
C.error("sum_dims_out_of_range_error", lambda x: x.sum((3,)), torch.zeros(2, 3))

# prod
both("prod_all", lambda x: x.prod(), away(2, 3), second_order=True)
both("prod_dim1", lambda x: x.prod(1), away(3, 4), second_order=True)
both("prod_dim0_keep", lambda x: x.prod(0, keepdim=True), away(3, 4), second_order=True)
both("prod_dim_one_zero", lambda x: x.prod(1), const([[1.5, 0.0, -2.0], [0.5, 2.0, 3.0]]), second_order=True)
both("prod_dim_two_zeros", lambda x: x.prod(1), const([[0.0, 0.0, -2.0, 1.5], [0.0, 2.0, 3.0, 0.5], [0.0, 0.0, 0.0, 2.0]]), second_order=True)
both("prod_all_one_zero", lambda x: x.prod(), const([[1.5, 0.0], [-2.0, 3.0]]), second_order=True)
both("prod_all_two_zeros", lambda x: x.prod(), const([[1.5, 0.0], [0.0, 3.0]]), second_order=True)
both("prod_empty", lambda x: x.prod(0), lambda dt: (torch.zeros(0, 3, dtype=dt),))
C.case("prod_int64", lambda x: x.prod(1), torch.randint(-5, 5, (3, 4), generator=C.gen))
C.case("prod_bool_to_int64", lambda x: x.prod(), torch.tensor([True, True]))

# max / min over everything, over a dim
both("max_all_ties", lambda x: x.max(), const([[3.0, 1.0], [3.0, -2.0]]))
both("min_all_ties", lambda x: x.min(), const([[-3.0, 1.0], [-3.0, -3.0]]))
both("min_all_nan", lambda x: x.min(), const([1.0, nan, -3.0, nan]))
both("min_all", lambda x: x.min(), distinct(3, 4))
C.error("max_empty_error", lambda x: x.max(), torch.zeros(0))
C.error("min_empty_error", lambda x: x.min(), torch.zeros(0))
pair("max_dim1", lambda x: x.max(1), distinct(3, 4))
pair("max_dim0_keep", lambda x: x.max(0, keepdim=True), distinct(3, 4))
pair("max_dim_neg", lambda x: x.max(-1), distinct(2, 3, 4))
pair("max_dim_ties_first", lambda x: x.max(1), const([[1.0, 3.0, 3.0, 0.0], [2.0, 2.0, 1.0, 2.0]]))
pair("max_dim_outer_ties", lambda x: x.max(0), ties(5, 6))
pair("max_dim_nan", lambda x: x.max(1), const([[1.0, nan, 3.0, nan], [1.0, 2.0, 3.0, 4.0]]))
pair("min_dim1", lambda x: x.min(1), distinct(3, 4))
pair("min_dim_ties_first", lambda x: x.min(0), ties(5, 6))
pair("max_dim_scalar", lambda x: x.max(0), u())
C.error("max_dim_zero_size_error", lambda x: x.max(0), torch.zeros(0, 3))
C.error("max_dim_out_of_range_error", lambda x: x.max(2), torch.zeros(2, 3))
C.case("max_dim_int64_idx", lambda x: x.max(1)[1], torch.randint(-3, 3, (3, 5), generator=C.gen))
C.case("max_dim_int64", lambda x: x.max(1)[0], torch.randint(-3, 3, (3, 5), generator=C.gen))

# amax / amin
both("amax_dims02_ties", lambda x: x.amax((0, 2)), ties(3, 4, 5))
both("amax_dims_keep", lambda x: x.amax((1,), keepdim=True), ties(4, 6))
both("amax_all", lambda x: x.amax(), ties(4, 6))
both("amin_dims_neg_ties", lambda x: x.amin((-1,)), ties(4, 6))
both("amin_dims01", lambda x: x.amin((0, 1)), ties(3, 4, 2))
both("amax_nan", lambda x: x.amax(1), const([[1.0, nan, 3.0], [1.0, 2.0, 0.0]]))
both("amax_nan_dim0", lambda x: x.amax(0), const([[1.0, nan, 3.0], [1.0, 2.0, nan], [0.0, 5.0, 1.0]]))
both("amin_nan_dim0", lambda x: x.amin(0), const([[1.0, nan, 3.0], [1.0, 2.0, nan], [0.0, 5.0, 1.0]]))
both("amax_empty_slice_ok", lambda x: x.amax(1), lambda dt: (torch.zeros(0, 3, dtype=dt),))
C.error("amax_empty_error", lambda x: x.amax(), torch.zeros(0))
C.case("amax_int64", lambda x: x.amax(0), torch.randint(-9, 9, (3, 4), generator=C.gen))

# argmax / argmin
for dt in FLOATS:
    n = NAMES[dt]
    C.case(f"argmax_all_{n}", lambda x: x.argmax(), ties(4, 5)(dt)[0])
    C.case(f"argmin_all_{n}", lambda x: x.argmin(), ties(4, 5)(dt)[0])
    C.case(f"argmax_dim1_{n}", lambda x: x.argmax(1), ties(4, 5)(dt)[0])
    C.case(f"argmax_dim0_keep_{n}", lambda x: x.argmax(0, keepdim=True), ties(4, 5)(dt)[0])
    C.case(f"argmin_dim_neg_{n}", lambda x: x.argmin(-1), ties(3, 4, 5)(dt)[0])
    C.case(f"argmin_dim0_{n}", lambda x: x.argmin(0), ties(3, 4, 5)(dt)[0])
    C.case(f"argmax_nan_{n}", lambda x: x.argmax(1), const([[1.0, nan, 3.0, nan], [inf, 2.0, inf, 4.0]])(dt)[0])
    C.case(f"argmin_nan_all_{n}", lambda x: x.argmin(), const([[1.0, 2.0, -inf, nan]])(dt)[0])
    C.case(f"argmax_signed_zero_{n}", lambda x: x.argmax(1), const([[-0.0, 0.0, -1.0], [0.0, -0.0, -1.0]])(dt)[0])
    C.case(f"argmin_signed_zero_dim0_{n}", lambda x: x.argmin(0), const([[-0.0, 0.0, 1.0], [0.0, -0.0, 1.0]])(dt)[0])
    C.case(f"argmax_nan_dim0_{n}", lambda x: x.argmax(0), const([[1.0, nan, 0.0], [nan, 2.0, 0.0], [3.0, nan, 0.0]])(dt)[0])
C.case("argmax_int64", lambda x: x.argmax(1), torch.randint(-3, 3, (3, 5), generator=C.gen))
C.error("argmax_empty_error", lambda x: x.argmax(), torch.zeros(0))
C.error("argmax_dim_zero_size_error", lambda x: x.argmax(0), torch.zeros(0, 3))

# var / std
both("var_all", lambda x: x.var(), u(3, 4), second_order=True)
both("var_dims1", lambda x: x.var(1), u(3, 4), second_order=True)
both("var_dims02_keep", lambda x: x.var((0, 2), keepdim=True), u(3, 4, 2), second_order=True)
both("var_correction0", lambda x: torch.var(x, 0, correction=0), u(3, 4))
both("var_correction2", lambda x: torch.var(x, (0, 1), correction=2), u(3, 4))
both("var_unbiased_false", lambda x: x.var(unbiased=False), u(5))
both("var_single_nan", lambda x: x.var(1), u(2, 1))
both("std_all", lambda x: x.std(), u(3, 4), second_order=True)
both("std_dims_keep", lambda x: x.std((1,), keepdim=True), u(3, 4), second_order=True)
both("std_correction0", lambda x: torch.std(x, (0,), correction=0), u(3, 4))
both("var_mean_var", lambda x: torch.var_mean(x, (1,))[0], u(3, 4))
both("var_mean_mean", lambda x: torch.var_mean(x, (1,))[1], u(3, 4))
both("std_mean_std", lambda x: torch.std_mean(x, (0,), keepdim=True)[0], u(3, 4))
C.error("var_int64_error", lambda x: x.var(), torch.ones(3, dtype=torch.long))

# norm
for p, tag in [(1, "1"), (2, "2"), (inf, "inf"), (-inf, "neginf"), (0.5, "half"), (3, "3"), (1.5, "1p5"), (0, "0")]:
    so = p in (2, 3, 1.5, 0.5)
    both(f"norm_p{tag}_all", lambda x, p=p: x.norm(p), away(3, 4), second_order=so)
    both(f"norm_p{tag}_dim1", lambda x, p=p: x.norm(p, dim=1), away(3, 4), second_order=so)
    both(f"norm_p{tag}_dims_keep", lambda x, p=p: x.norm(p, dim=(0, 2), keepdim=True), away(2, 3, 2))
    both(f"norm_p{tag}_zero_vector", lambda x, p=p: x.norm(p, dim=1), const([[0.0, 0.0, 0.0], [1.0, -2.0, 0.0]]))
both("norm_fro_dims", lambda x: x.norm(p="fro", dim=(0, 1)), u(3, 4))
both("norm_inf_ties", lambda x: x.norm(inf), const([1.0, -3.0, 3.0, 2.0]))
C.error("norm_int64_error", lambda x: x.norm(2.0, dim=0), torch.ones(3, dtype=torch.long))

# logsumexp
both("logsumexp_dim1", lambda x: x.logsumexp(1), u(3, 4), second_order=True)
both("logsumexp_dims02_keep", lambda x: x.logsumexp((0, 2), keepdim=True), u(3, 4, 2), second_order=True)
both("logsumexp_large", lambda x: x.logsumexp(1), const([[1000.0, 1000.0, 999.0], [-1000.0, -1000.0, -1001.0]]))
both("logsumexp_neginf_row", lambda x: x.logsumexp(1), const([[-inf, -inf], [-inf, 0.0]]))
both("logsumexp_posinf", lambda x: x.logsumexp(0), const([inf, 1.0]))
both("logsumexp_empty", lambda x: x.logsumexp(0), lambda dt: (torch.zeros(0, 2, dtype=dt),))
C.case("logsumexp_int64_to_float32", lambda x: x.logsumexp(0), torch.tensor([1, 2, 3]))

# cumulative
both("cumsum_dim0", lambda x: x.cumsum(0), u(4, 3), second_order=True)
both("cumsum_dim_neg", lambda x: x.cumsum(-1), u(2, 3, 5))
both("cumsum_scalar", lambda x: x.cumsum(0), u())
C.case("cumsum_int64", lambda x: x.cumsum(1), torch.randint(-9, 9, (3, 4), generator=C.gen))
C.case("cumsum_bool_to_int64", lambda x: x.cumsum(0), torch.tensor([True, False, True]))
both("cumprod_dim1", lambda x: x.cumprod(1), away(3, 4), second_order=True)
both("cumprod_dim0", lambda x: x.cumprod(0), away(4, 3), second_order=True)
both("cumprod_zeros", lambda x: x.cumprod(1), const([[1.5, 0.0, -2.0, 0.5], [0.0, 2.0, 0.0, 3.0], [2.0, 3.0, -1.0, 0.0]]), second_order=True)
both("cumprod_zeros_dim0", lambda x: x.cumprod(0), const([[1.5, 2.0], [0.0, 3.0], [2.0, 0.0], [0.5, 4.0]]), second_order=True)
C.case("cumprod_int64", lambda x: x.cumprod(1), torch.randint(-3, 4, (3, 4), generator=C.gen))
pair("cummax_ties_nan", lambda x: torch.cummax(x, 0), const([1.0, 3.0, 3.0, 2.0, nan, 5.0, nan]))
pair("cummax_dim1", lambda x: torch.cummax(x, 1), ties(3, 6))
pair("cummin_dim0", lambda x: torch.cummin(x, 0), ties(5, 3))

# sort, argsort, topk, kthvalue, median, mode
pair("sort_last", lambda x: x.sort(), distinct(3, 5))
pair("sort_dim0_desc", lambda x: x.sort(0, descending=True), distinct(4, 3))
pair("sort_stable_ties", lambda x: x.sort(dim=1, stable=True), ties(3, 8))
pair("sort_stable_ties_desc", lambda x: x.sort(dim=0, descending=True, stable=True), ties(8, 3))
pair("sort_nan", lambda x: x.sort(), const([2.0, nan, 1.0, -inf, 2.5]))
pair("sort_nan_desc", lambda x: x.sort(descending=True), const([2.0, nan, 1.0, -inf, 2.5]))
for dt in FLOATS:
    C.case(f"argsort_{NAMES[dt]}", lambda x: x.argsort(1), distinct(3, 5)(dt)[0])
    C.case(f"argsort_desc_{NAMES[dt]}", lambda x: x.argsort(0, descending=True), distinct(3, 5)(dt)[0])
pair("topk3", lambda x: x.topk(3), distinct(3, 6))
pair("topk2_smallest_dim0", lambda x: x.topk(2, 0, largest=False), distinct(5, 3))
pair("topk_nan", lambda x: x.topk(2), const([2.0, nan, 1.0]))
C.error("topk_k_error", lambda x: x.topk(4), torch.zeros(3))
pair("kthvalue2", lambda x: x.kthvalue(2, 1), distinct(3, 5))
pair("kthvalue_keep_dim0", lambda x: x.kthvalue(3, 0, keepdim=True), distinct(4, 3))
C.error("kthvalue_k_error", lambda x: x.kthvalue(4), torch.zeros(3))
both("median_all_odd", lambda x: x.median(), distinct(3, 5))
both("median_all_even_lower", lambda x: x.median(), distinct(2, 3))
both("median_all_ties", lambda x: x.median(), const([1.0, 2.0, 2.0, 2.0, 5.0]))
both("median_all_nan", lambda x: x.median(), const([1.0, nan, 3.0]))
both("median_all_empty", lambda x: x.median(), lambda dt: (torch.zeros(0, dtype=dt),))
pair("median_dim1", lambda x: x.median(1), distinct(3, 4))
pair("median_dim0_keep", lambda x: x.median(0, keepdim=True), distinct(5, 3))
pair("median_dim_nan", lambda x: x.median(0), const([1.0, nan, 3.0, nan, 5.0]))
pair("mode_dim", lambda x: x.mode(1), const([[5.0, 1.0, 5.0, 1.0, 3.0, 3.0, 1.0, 5.0], [2.0, 2.0, 7.0, -1.0, 7.0, 7.0, 0.0, 2.0]]))
pair("mode_dim0_keep", lambda x: x.mode(0, keepdim=True), ties(6, 4))

# empty tensors through the selecting and cumulative ops
pair("max_dim_empty_rows", lambda x: x.max(1), lambda dt: (torch.zeros(0, 3, dtype=dt),))
pair("sort_empty", lambda x: x.sort(0), lambda dt: (torch.zeros(0, dtype=dt),))
pair("topk_k0", lambda x: x.topk(0), u(2, 3))
pair("cummax_empty", lambda x: torch.cummax(x, 1), lambda dt: (torch.zeros(2, 0, dtype=dt),))
both("cumsum_empty", lambda x: x.cumsum(0), lambda dt: (torch.zeros(0, 2, dtype=dt),))
both("cumprod_empty", lambda x: x.cumprod(1), lambda dt: (torch.zeros(0, 2, dtype=dt),))
both("var_empty_nan", lambda x: x.var(0), lambda dt: (torch.zeros(0, 2, dtype=dt),))

# any / all over several dims (PyTorch 1.13 takes one dim: the reference chains them)
b = torch.rand(3, 4, 5, generator=C.gen) < 0.3
C.case("any_dims02", lambda x: x.any(2).any(0), b)
C.case("any_dims02_keep", lambda x: x.any(2, keepdim=True).any(0, keepdim=True), b)
C.case("all_dims12", lambda x: x.all(2).all(1), ~b)
C.case("all_dims_float", lambda x: x.all(1, keepdim=True).all(0, keepdim=True), torch.tensor([[1.0, nan], [0.0, 2.0]]))

C.write("reduction_cases.json")
