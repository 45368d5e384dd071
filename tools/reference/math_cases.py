"""Reference cases for the element-wise math family (src/Autograd/Ops/Math), PyTorch 1.13.

Writes tests/Autograd.Tests/Fixtures/math_cases.json; replayed by tests/Autograd.Tests/Ops/Math/MathReferenceTests.cs.
"""

import math

import torch

import refcases
from refcases import Cases

# PyTorch returns sign's, floor's... gradient as an unmaterialized "zero tensor"; materialize it before encoding.
_hex = refcases._hex
refcases._hex = lambda x: _hex(torch.zeros(x.shape, dtype=x.dtype) if x._is_zerotensor() else x)

C = Cases(20261202)
f32, f64 = torch.float32, torch.float64
nan, inf = float("nan"), float("inf")


def t(values, dtype=f32):
    return torch.tensor(values, dtype=dtype)


# Unary floating ops: a random case per dtype (second order), an edge-value case without gradients checked where
# they are infinite or NaN, and an integer input (promotes to float32).
UNARY = {
    # name: (fn, (low, high) of random inputs, edge values)
    "sqrt": (torch.sqrt, (0.2, 3.0), [0.0, -0.0, -1.0, inf, nan, 1e-30, 1e30]),
    "rsqrt": (torch.rsqrt, (0.2, 3.0), [0.0, -0.0, -1.0, inf, nan, 1e-30, 1e30]),
    "reciprocal": (torch.reciprocal, (0.2, 3.0), [0.0, -0.0, inf, -inf, nan, 1e-30]),
    "exp2": (torch.exp2, (-3.0, 3.0), [0.0, -inf, inf, nan, 200.0, -200.0, 1e-10]),
    "expm1": (torch.expm1, (-2.0, 2.0), [0.0, -0.0, -inf, inf, nan, 1e-10, -1e-10, 100.0, -100.0]),
    "log2": (torch.log2, (0.2, 3.0), [0.0, -1.0, inf, nan, 1e-30, 1.0]),
    "log10": (torch.log10, (0.2, 3.0), [0.0, -1.0, inf, nan, 1e-30, 1.0]),
    "log1p": (torch.log1p, (-0.5, 3.0), [0.0, -0.0, -1.0, -2.0, inf, nan, 1e-10, -1e-10, 1e30]),
    "sinh": (torch.sinh, (-3.0, 3.0), [0.0, -0.0, inf, -inf, nan, 1e-10, 100.0]),
    "cosh": (torch.cosh, (-3.0, 3.0), [0.0, inf, -inf, nan, 100.0]),
    "tan": (torch.tan, (-1.2, 1.2), [0.0, -0.0, inf, nan, 1e-10, 1.5]),
    "asin": (torch.asin, (-0.9, 0.9), [0.0, -0.0, 1.0, -1.0, 1.5, nan, 1e-10]),
    "acos": (torch.acos, (-0.9, 0.9), [0.0, 1.0, -1.0, 1.5, nan]),
    "atan": (torch.atan, (-3.0, 3.0), [0.0, -0.0, inf, -inf, nan, 1e-10, 1e30]),
    "asinh": (torch.asinh, (-3.0, 3.0), [0.0, -0.0, inf, -inf, nan, 1e-10, 1e30]),
    "acosh": (torch.acosh, (1.2, 4.0), [1.0, 0.5, inf, nan, 1e30]),
    "atanh": (torch.atanh, (-0.9, 0.9), [0.0, -0.0, 1.0, -1.0, 1.5, nan, 1e-10]),
    "erf": (torch.erf, (-2.5, 2.5), [0.0, -0.0, inf, -inf, nan, 1e-10, 1e-300, 0.5, 1.5, 2.4, 2.6, 3.0, 4.0, 6.0, -5.0]),
    "erfc": (torch.erfc, (-2.5, 2.5), [0.0, inf, -inf, nan, 1e-10, 0.5, 1.4, 1.6, 2.0, 3.0, 5.0, 10.0, 26.0, 28.0, -3.0]),
    "erfinv": (torch.erfinv, (-0.9, 0.9), [0.0, -0.0, 1.0, -1.0, 1.5, nan, 1e-10, 0.5, 0.999, -0.99]),
}
for name, (fn, (low, high), edges) in UNARY.items():
    for dtype in (f32, f64):
        suffix = "f32" if dtype == f32 else "f64"
        C.case(f"{name}_{suffix}", fn, C.uniform([2, 3], low, high, dtype), second_order=True)
        C.case(f"{name}_edges_{suffix}", fn, (t(edges, dtype), False))
    C.case(f"{name}_int64", fn, t([0, 1, 2, -1, 5], torch.int64))
    C.case(f"{name}_empty", fn, torch.zeros(0, 3))
    C.case(f"{name}_0d_f64", fn, C.uniform([], low, high, f64))

# A dense erf/erfc/erfinv sweep in float64 for accuracy (values only).
C.case("erf_sweep_f64", torch.erf, (torch.linspace(-6, 6, 241, dtype=f64), False))
C.case("erfc_sweep_f64", torch.erfc, (torch.linspace(-3, 27, 301, dtype=f64), False))
C.case("erfinv_sweep_f64", torch.erfinv, (torch.linspace(-1, 1, 201, dtype=f64)[1:-1], False))
C.case("erf_sweep_f32", torch.erf, (torch.linspace(-6, 6, 241, dtype=f32), False))
C.case("erfc_sweep_f32", torch.erfc, (torch.linspace(-3, 12, 301, dtype=f32), False))
C.case("erfinv_sweep_f32", torch.erfinv, (torch.linspace(-1, 1, 201, dtype=f32)[1:-1], False))

# Integer-keeping ops.
ints = t([-7, -1, 0, 3, 2 ** 31 - 1], torch.int64)
ints32 = t([-7, -1, 0, 3], torch.int32)
for name, fn in {"abs": torch.abs, "sign": torch.sign, "sgn": torch.sgn, "floor": torch.floor, "ceil": torch.ceil,
                 "round": torch.round, "trunc": torch.trunc, "square": torch.square}.items():
    C.case(f"{name}_int64", fn, ints)
    C.case(f"{name}_int32", fn, ints32)
    for dtype in (f32, f64):
        suffix = "f32" if dtype == f32 else "f64"
        C.case(f"{name}_{suffix}", fn, C.away([2, 3], 0.2, 3.0, dtype), second_order=name == "square")
        C.case(f"{name}_edges_{suffix}", fn, t([0.0, -0.0, 0.5, -0.5, 1.5, 2.5, -2.5, inf, -inf, nan, 1e30, 1e-30, -1e-30], dtype))
C.case("abs_int64_min", torch.abs, t([-2 ** 63, 5], torch.int64))
C.case("sign_bool", torch.sign, t([True, False], torch.bool))
C.case("square_bool", torch.square, t([True, False], torch.bool))
C.case("sqrt_bool", torch.sqrt, t([True, False], torch.bool))
C.error("abs_bool", torch.abs, t([True, False], torch.bool))
C.error("floor_bool", torch.floor, t([True, False], torch.bool))
C.error("frac_int64", torch.frac, ints)
C.error("round_decimals_int64", lambda x: torch.round(x, decimals=1), ints)
for dtype in (f32, f64):
    suffix = "f32" if dtype == f32 else "f64"
    C.case(f"frac_{suffix}", torch.frac, C.uniform([2, 3], -3.0, 3.0, dtype))
    C.case(f"frac_edges_{suffix}", torch.frac, (t([0.0, -0.0, -1.5, 2.25, inf, -inf, nan, 1e30], dtype), False))
    C.case(f"round_decimals2_{suffix}", lambda x: torch.round(x, decimals=2), t([0.125, 1.155, 2.5, 1234.5678, -0.0051, nan, inf], dtype))
    C.case(f"round_decimals_neg2_{suffix}", lambda x: torch.round(x, decimals=-2), t([1234.5678, 1250.0, -1350.0, 49.0], dtype))
    C.case(f"sign_grad_nan_{suffix}", torch.sign, t([1.0, -2.0, 0.0], dtype), grad=t([nan, inf, 1.0], dtype))

# Binary ops with broadcasting.
BINARY = {
    "atan2": (torch.atan2, (-2.0, 2.0), (-2.0, 2.0)),
    "hypot": (torch.hypot, (-2.0, 2.0), (-2.0, 2.0)),
    "maximum": (torch.maximum, (-2.0, 2.0), (-2.0, 2.0)),
    "minimum": (torch.minimum, (-2.0, 2.0), (-2.0, 2.0)),
    "pow": (torch.pow, (0.3, 2.0), (-2.0, 2.0)),
    "fmod": (torch.fmod, (-5.0, 5.0), (0.7, 2.0)),
    "remainder": (torch.remainder, (-5.0, 5.0), (0.7, 2.0)),
    "xlogy": (torch.xlogy, (-2.0, 2.0), (0.3, 3.0)),
}
SHAPES = [([2, 3], [2, 3]), ([2, 3], [3]), ([2, 1], [1, 3]), ([], [2, 3]), ([4, 1, 3], [2, 1])]
for name, (fn, ra, rb) in BINARY.items():
    for dtype in (f32, f64):
        suffix = "f32" if dtype == f32 else "f64"
        for k, (sa, sb) in enumerate(SHAPES):
            a = C.uniform(sa, *ra, dtype)
            b = C.uniform(sb, *rb, dtype)
            if name in ("fmod", "remainder"):
                b = b * torch.where(torch.rand(sb, generator=C.gen) < 0.5, -1.0, 1.0).to(dtype)
            C.case(f"{name}_{suffix}_shape{k}", fn, a, b, second_order=(k < 2))
    C.case(f"{name}_int64_f64", fn, t([1, 2, 3], torch.int64), C.uniform([3], 0.5, 2.0, f64))
    C.error(f"{name}_bad_shapes", fn, torch.ones(3), torch.ones(4))
    C.case(f"{name}_empty", fn, torch.zeros(0, 3), torch.ones(3))
    C.case(f"{name}_f32_f64_mixed", fn, C.uniform([3], *ra, f32), C.uniform([3], *rb, f64) + 0.5)

# Edge values for the binary ops.
ea = t([0.0, -0.0, 1.0, -1.0, inf, -inf, nan, 2.0, 0.0, 3.0, -3.0, 1e30])
eb = t([0.0, 0.0, 0.0, inf, inf, 1.0, 1.0, nan, -1.0, -2.0, 2.0, 1e30])
for name, (fn, _, _) in BINARY.items():
    for dtype in (f32, f64):
        suffix = "f32" if dtype == f32 else "f64"
        C.case(f"{name}_edges_{suffix}", fn, (ea.to(dtype), False), (eb.to(dtype), False))

# Ties and NaN gradients of maximum/minimum (the split on ties, the whole gradient to both operands at NaN).
for name in ("maximum", "minimum"):
    fn = getattr(torch, name)
    for dtype in (f32, f64):
        suffix = "f32" if dtype == f32 else "f64"
        C.case(f"{name}_ties_{suffix}", fn, t([1.0, 2.0, 3.0, nan, 1.0, -0.0], dtype), t([1.0, 1.0, 4.0, 1.0, nan, 0.0], dtype))
    C.case(f"{name}_int64", fn, t([1, 5, -3], torch.int64), t([2, 5, -4], torch.int64))
    C.case(f"{name}_int32_int64", fn, t([1, 5], torch.int32), t([2, 4], torch.int64))
    C.case(f"{name}_bool", fn, t([True, True, False, False], torch.bool), t([True, False, True, False], torch.bool))

# Integer fmod/remainder/pow/atan2/xlogy and their errors.
ia, ib = t([-7, 7, -7, 7, 0, 5], torch.int64), t([2, 2, -2, -2, 3, 1], torch.int64)
for name in ("fmod", "remainder", "pow", "atan2", "xlogy"):
    C.case(f"{name}_int64", getattr(torch, name), ia, ib)
C.case("pow_int64_negative_exponent", torch.pow, t([1, -1, -1, 2, 0, 3], torch.int64), t([-1, -1, -2, -1, 2, 3], torch.int64))
C.case("pow_int32", torch.pow, t([3, -2, 10], torch.int32), t([2, 3, 9], torch.int32))
C.error("fmod_int_zero", torch.fmod, ia, t([1, 1, 0, 1, 1, 1], torch.int64))
C.error("remainder_int_zero", torch.remainder, ia, t([1, 1, 0, 1, 1, 1], torch.int64))
C.error("hypot_int64", torch.hypot, ia, ib)
C.error("fmod_bool", torch.fmod, t([True], torch.bool), t([True], torch.bool))
C.error("pow_bool", torch.pow, t([True], torch.bool), t([True], torch.bool))
C.case("atan2_bool", torch.atan2, t([True, False], torch.bool), t([True, True], torch.bool))

# Number divisors / bases / y.
for dtype in (f32, f64):
    suffix = "f32" if dtype == f32 else "f64"
    x = C.uniform([2, 3], -5.0, 5.0, dtype)
    C.case(f"fmod_scalar_{suffix}", lambda v: torch.fmod(v, 1.5), x)
    C.case(f"fmod_scalar_neg_{suffix}", lambda v: torch.fmod(v, -1.5), x)
    C.case(f"remainder_scalar_{suffix}", lambda v: torch.remainder(v, 1.5), x)
    C.case(f"remainder_scalar_neg_{suffix}", lambda v: torch.remainder(v, -1.5), x)
    C.case(f"fmod_scalar_int_{suffix}", lambda v: torch.fmod(v, 2), x)
    C.case(f"pow_scalar_base_{suffix}", lambda e: torch.pow(2.5, e), C.uniform([2, 3], -2.0, 2.0, dtype), second_order=True)
    C.case(f"pow_scalar_base_zero_{suffix}", lambda e: torch.pow(0.0, e), t([-1.0, 0.0, 2.0], dtype))
    C.case(f"pow_scalar_base_int_{suffix}", lambda e: torch.pow(3, e), C.uniform([3], -2.0, 2.0, dtype))
    C.case(f"pow_zero_base_{suffix}", torch.pow, t([0.0, 0.0, 0.0, 2.0], dtype), t([0.0, 2.0, -1.0, 0.0], dtype))
    C.case(f"xlogy_scalar_{suffix}", lambda v: torch.xlogy(v, 3.0), C.uniform([3], -2.0, 2.0, dtype))
    C.case(f"xlogy_zero_x_{suffix}", torch.xlogy, t([0.0, 0.0, 0.0, 1.0], dtype), t([0.0, -1.0, 2.0, 0.0], dtype))
C.case("fmod_int64_scalar_int", lambda v: torch.fmod(v, 3), ia)
C.case("fmod_int64_scalar_float", lambda v: torch.fmod(v, 2.5), ia)
C.case("remainder_int64_scalar_int", lambda v: torch.remainder(v, -3), ia)
C.case("pow_scalar_base_int_int64", lambda e: torch.pow(2, e), t([-1, 0, 3, 10], torch.int64))
C.case("pow_scalar_base_float_int64", lambda e: torch.pow(2.5, e), t([-1, 0, 3], torch.int64))

# Clamp.
for dtype in (f32, f64):
    suffix = "f32" if dtype == f32 else "f64"
    x = t([-2.0, -0.5, 0.0, 0.3, 0.5, 1.0, 2.0, nan, inf, -inf], dtype)
    C.case(f"clamp_scalar_{suffix}", lambda v: torch.clamp(v, -0.5, 0.5), x)
    C.case(f"clamp_scalar_min_only_{suffix}", lambda v: torch.clamp(v, min=0.0), x)
    C.case(f"clamp_scalar_max_only_{suffix}", lambda v: torch.clamp(v, max=0.3), x)
    C.case(f"clamp_scalar_min_gt_max_{suffix}", lambda v: torch.clamp(v, 1.0, 0.0), x)
    C.case(f"clamp_scalar_nan_bound_{suffix}", lambda v: torch.clamp(v, nan, 1.0), (x, False))
    C.case(f"clamp_min_scalar_{suffix}", lambda v: torch.clamp_min(v, 0.3), x)
    C.case(f"clamp_max_scalar_{suffix}", lambda v: torch.clamp_max(v, 0.3), x)
    C.case(f"clamp_random_{suffix}", lambda v: torch.clamp(v, -0.5, 0.5), C.uniform([3, 4], -1.0, 1.0, dtype), second_order=True)
    xs = C.uniform([2, 3], -1.0, 1.0, dtype)
    C.case(f"clamp_tensor_{suffix}", lambda v, lo, hi: torch.clamp(v, lo, hi), xs, C.uniform([3], -0.8, 0.0, dtype), C.uniform([2, 1], 0.0, 0.8, dtype))
    C.case(f"clamp_tensor_crossed_{suffix}", lambda v, lo, hi: torch.clamp(v, lo, hi), t([-1.0, 0.0, 1.0, 0.5, nan], dtype), t([0.5, 0.5, 0.5, 0.6, 0.0], dtype), t([-0.5, -0.5, -0.5, 0.6, 1.0], dtype))
    C.case(f"clamp_tensor_min_only_{suffix}", lambda v, lo: torch.clamp(v, min=lo), xs, C.uniform([3], -0.5, 0.5, dtype))
    C.case(f"clamp_tensor_max_only_{suffix}", lambda v, hi: torch.clamp(v, max=hi), xs, C.uniform([3], -0.5, 0.5, dtype))
    C.case(f"clamp_min_tensor_{suffix}", torch.clamp_min, xs, C.uniform([2, 1], -0.5, 0.5, dtype))
    C.case(f"clamp_max_tensor_{suffix}", torch.clamp_max, xs, C.uniform([2, 1], -0.5, 0.5, dtype))
    C.case(f"clamp_tensor_ties_{suffix}", lambda v, lo, hi: torch.clamp(v, lo, hi), t([0.0, 1.0, 0.5], dtype), t([0.0, 0.0, 0.5], dtype), t([1.0, 1.0, 0.5], dtype))
C.case("clamp_int64", lambda v: torch.clamp(v, -1, 2), ia)
C.case("clamp_int64_float_bounds", lambda v: torch.clamp(v, -1.5, 2.5), ia)
C.case("clamp_int64_tensor_f32_bound", lambda v, lo: torch.clamp(v, min=lo), ia, (C.uniform([6], -3.0, 3.0, f32), False))
C.case("clamp_f32_tensor_int_bound", lambda v, lo: torch.clamp(v, min=lo), C.uniform([3], -3.0, 3.0, f32), t([0, 1, -5], torch.int64))
C.case("clamp_empty", lambda v: torch.clamp(v, 0.0, 1.0), torch.zeros(0, 2))
C.error("clamp_no_bounds", lambda v: torch.clamp(v), torch.ones(2))
C.error("clamp_tensor_bad_shapes", lambda v, lo: torch.clamp(v, min=lo), torch.ones(3), torch.ones(4))

# Lerp.
for dtype in (f32, f64):
    suffix = "f32" if dtype == f32 else "f64"
    a, b = C.uniform([2, 3], -2.0, 2.0, dtype), C.uniform([2, 3], -2.0, 2.0, dtype)
    C.case(f"lerp_scalar_small_{suffix}", lambda s, e: torch.lerp(s, e, 0.25), a, b)
    C.case(f"lerp_scalar_large_{suffix}", lambda s, e: torch.lerp(s, e, 0.75), a, b)
    C.case(f"lerp_scalar_one_{suffix}", lambda s, e: torch.lerp(s, e, 1.0), a, b)
    C.case(f"lerp_scalar_broadcast_{suffix}", lambda s, e: torch.lerp(s, e, -0.5), C.uniform([3], -2.0, 2.0, dtype), C.uniform([2, 1], -2.0, 2.0, dtype))
    C.case(f"lerp_tensor_{suffix}", torch.lerp, a, b, C.uniform([2, 3], -1.0, 2.0, dtype), second_order=True)
    C.case(f"lerp_tensor_broadcast_{suffix}", torch.lerp, C.uniform([3], -2.0, 2.0, dtype), C.uniform([2, 1], -2.0, 2.0, dtype), C.uniform([2, 3], -1.0, 2.0, dtype), second_order=True)
C.error("lerp_end_dtype", lambda s, e: torch.lerp(s, e, 0.5), torch.ones(2), torch.ones(2, dtype=f64))
C.error("lerp_weight_dtype", torch.lerp, torch.ones(2), torch.ones(2), torch.ones(2, dtype=f64))
C.error("lerp_int64", lambda s, e: torch.lerp(s, e, 0.5), ia, ia)
C.error("lerp_bad_shapes", lambda s, e: torch.lerp(s, e, 0.5), torch.ones(3), torch.ones(4))

C.write("math_cases.json")
