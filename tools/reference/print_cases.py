"""Generates the TensorFormatter fixtures from PyTorch 1.13's own printer.

Run with the system interpreter that has torch 1.13:

    /usr/bin/python3 tools/reference/print_cases.py [output.json]

Each case stores the float32 elements as 8-digit hex bit patterns (lossless, keeps -0.0, inf and nan),
the shape, the suffixes our library passes in, and the exact ``str(tensor)`` PyTorch produced.

PyTorch names backward nodes with a numeric suffix (``AddBackward0``); the library uses digitless
names. The rename is done inside PyTorch's suffix placement (``_add_suffixes``) rather than on the
finished string, so whether a suffix wraps onto its own line is decided with the name we print.
"""

import json
import math
import os
import re
import sys

import torch
import torch._tensor_str as tensor_str

assert torch.__version__.startswith("1.13"), torch.__version__

_GRAD_FN_DIGITS = re.compile(r"^(grad_fn=<.*?)\d+>$")
_original_add_suffixes = tensor_str._add_suffixes


def _digitless(suffix):
    return _GRAD_FN_DIGITS.sub(r"\1>", suffix)


def _add_suffixes_digitless(text, suffixes, indent, force_newline):
    return _original_add_suffixes(text, [_digitless(s) for s in suffixes], indent, force_newline)


tensor_str._add_suffixes = _add_suffixes_digitless

DEFAULT_OUT = os.path.join(
    os.path.dirname(os.path.abspath(__file__)),
    "..", "..", "tests", "Autograd.Tests", "Fixtures", "print_cases.json",
)

cases = []
names = set()


def _caller_suffixes(t):
    """The suffixes the library hands to TensorFormatter.Format (size= is the formatter's own job)."""
    if t.grad_fn is not None:
        return ["grad_fn=<{}>".format(re.sub(r"\d+$", "", type(t.grad_fn).__name__))]
    if t.requires_grad:
        return ["requires_grad=True"]
    return []


def add(name, t):
    assert name not in names, name
    assert t.dtype == torch.float32, (name, t.dtype)
    names.add(name)
    flat = t.detach().contiguous().reshape(-1)
    bits = flat.view(torch.int32).tolist() if flat.numel() else []
    cases.append(
        {
            "name": name,
            "shape": list(t.shape),
            "data": ["{:08x}".format(b & 0xFFFFFFFF) for b in bits],
            "suffixes": _caller_suffixes(t),
            "expected": str(t),
        }
    )


def f32(values, shape=None):
    t = torch.tensor(values, dtype=torch.float32)
    return t.reshape(shape) if shape is not None else t


def randn(*shape, seed, scale=1.0):
    g = torch.Generator().manual_seed(seed)
    return torch.randn(*shape, generator=g) * scale


inf = math.inf
nan = math.nan

# --- The examples from the brief -------------------------------------------------------------
add("scalar_11_9447", f32(11.9447))
add("scalar_int_10", f32(10.0))
add("scalar_negative", f32(-0.2968))
add("vector_ints_4_2", f32([4.0, 2.0]))
add("vector_ints_aligned", torch.arange(0.0, 16.0, 4.0))
add("vector_negative_ones", f32([-1.0, -1.0]))
add("vector_sci_2048", f32([204.8, 2048.0, 0.2048]))
add("vector_requires_grad", f32([-0.3206, 0.7642, -0.7820]).requires_grad_())

# --- 0-d -------------------------------------------------------------------------------------
for i, v in enumerate([0.0, -0.0, 1.0, -3.0, 0.5, 1e-5, 1.5e9, 123456.0, 1e8, inf, -inf, nan, 9.99999, 3.4e38, 1e-45]):
    add("scalar_{}".format(i), f32(v))
add("scalar_requires_grad", f32(2.5).requires_grad_())
logits = f32([0.3, -1.2, 2.0]).requires_grad_()
target = f32([1.0, 0.0, 1.0])
add("scalar_grad_fn_bce", torch.nn.functional.binary_cross_entropy_with_logits(logits, target))
add("scalar_grad_fn_sum", (randn(4, seed=1).requires_grad_() * 3).sum())
add("scalar_grad_fn_mean", randn(4, 4, seed=2).requires_grad_().mean())

# --- integer-valued floats ------------------------------------------------------------------
add("ints_mixed_sign_widths", f32([-100.0, 5.0, 0.0, 42.0]))
add("ints_arange_20", torch.arange(20.0))
add("ints_negative_arange", torch.arange(-5.0, 5.0))
add("ints_ratio_exactly_1000", f32([1.0, 1000.0]))
add("ints_ratio_above_1000_sci", f32([1.0, 1001.0]))
add("ints_max_exactly_1e8", f32([1e8, 5e7]))
add("ints_max_above_1e8_sci", f32([2e8, 3e8]))
add("ints_large_no_sci", f32([12345678.0, 99999.0]))
add("ints_with_zero_only", f32([0.0, 0.0, 0.0]))
add("ints_matrix", torch.arange(12.0).reshape(3, 4))
add("ints_with_inf", f32([1.0, inf, -inf, nan, 100.0]))
add("ints_sci_with_inf", f32([1.0, 5000.0, inf, nan]))
add("ints_single_big", f32([1e8]))
add("ints_rank3", torch.arange(-12.0, 12.0).reshape(2, 3, 4))

# --- fixed point ----------------------------------------------------------------------------
add("fixed_half", f32([1.0, 2.5]))
add("fixed_min_exactly_1e4_float", f32([1e-4, 0.5]))
add("fixed_min_1_1e4", f32([1.1e-4, 0.1]))
add("fixed_ratio_below_1000", f32([0.001, 0.9]))
add("fixed_wide_values", f32([1234.5678, -999.9999, 0.9999]))
add("fixed_rounding_to_ten", f32([9.99999, 0.5]))
add("fixed_ties_half_even", f32([0.03125, 0.15625, 0.46875, 0.84375, 1.40625]))
add("fixed_ties_negative", f32([-0.03125, -0.15625, -0.46875, 2.5]))
add("fixed_float32_artifacts", f32([0.1, 0.2, 0.3, 0.7, 1.1]))
add("fixed_with_nan_inf", f32([1.5, inf, nan, -inf, -2.25]))
add("fixed_negative_zero_first", f32([-0.0, 1.5]))
add("fixed_negative_zero_wider", f32([-0.0, 10.5, -3.25]))

# --- scientific ----------------------------------------------------------------------------
add("sci_small_min", f32([1e-5, 0.5]))
add("sci_huge", f32([1.5e9, 2.25]))
add("sci_ratio", f32([0.5, 501.5]))
add("sci_ties_half_even", f32([1.03125, 12344.5, 1e-5]))
add("sci_rounding_carry", f32([9.99999, 99999.5, 1e-5]))
add("sci_extremes", f32([3.4028234663852886e38, 1.1754943508222875e-38, 1e-45, -1e-45]))
add("sci_with_nonfinite", f32([1e-5, inf, -inf, nan, 1.0]))
add("sci_negative_zero", f32([-0.0, 1e-5, -2e10]))
add("sci_tiny_values", randn(6, seed=3, scale=1e-7))
add("sci_huge_values", randn(6, seed=4, scale=1e12))
add("sci_matrix", randn(3, 4, seed=5, scale=1e5))
add("sci_rank3", randn(2, 2, 3, seed=6, scale=1e-6))
add("sci_exponent_boundaries", f32([1e-10, 1e10, 9.9999e9, 1.00005e-3, 12345.6]))

# --- special values only -------------------------------------------------------------------
add("special_inf", f32([inf]))
add("special_nan", f32([nan]))
add("special_all_nonfinite", f32([inf, -inf, nan]))
add("special_negative_nan", torch.tensor([0.0]) / torch.tensor([0.0]))
add("special_zero_and_inf", f32([0.0, inf, -0.0]))
add("special_negative_zeros", f32([-0.0, 0.0, -0.0]))
add("special_negative_zero_scalar_vector", f32([-0.0]))
add("special_zeros_matrix", torch.zeros(2, 3))

# --- empty tensors ---------------------------------------------------------------------------
for shape in [(0,), (0, 3), (3, 0), (2, 0, 3), (0, 0), (1, 0), (0, 1, 2, 3)]:
    add("empty_" + "x".join(str(d) for d in shape), torch.zeros(shape))
add("empty_1d_requires_grad", torch.zeros(0).requires_grad_())
add("empty_2d_requires_grad", torch.zeros(0, 3).requires_grad_())
add("empty_grad_fn", torch.zeros(0, 3).requires_grad_() * 2)
add("empty_long_size_wraps", torch.zeros(0, 1000000, 1000000, 1000000, 1000000, 1000000, 1000000, 100000).requires_grad_())
add("empty_size_exactly_fits", torch.zeros(0, 10000000, 10000000, 1000, 1000).requires_grad_())

# --- ranks 1 to 4 with random data ----------------------------------------------------------
shapes = [(1,), (5,), (1, 1), (2, 3), (4, 2), (3, 1), (1, 4), (2, 2, 2), (3, 1, 2), (1, 1, 1),
          (2, 2, 2, 2), (1, 2, 1, 3), (2, 1, 3, 1), (1, 1, 1, 1)]
for i, shape in enumerate(shapes):
    add("randn_" + "x".join(str(d) for d in shape), randn(*shape, seed=100 + i))
for i, scale in enumerate([1e-3, 1e-2, 10.0, 100.0, 999.0, 1e4, 1e6]):
    add("randn_scaled_{}".format(i), randn(7, seed=200 + i, scale=scale))
for i, scale in enumerate([1e-3, 30.0, 1e5]):
    add("randn_scaled_matrix_{}".format(i), randn(3, 3, seed=210 + i, scale=scale))

# --- wide rows that wrap at linewidth 80 -----------------------------------------------------
add("wrap_vector_100", randn(100, seed=300))
add("wrap_vector_ints_50", torch.arange(50.0))
add("wrap_vector_ints_big", torch.arange(0.0, 1e7, 1e7 / 40))
add("wrap_vector_sci", randn(30, seed=301, scale=1e-6))
add("wrap_matrix_3x30", randn(3, 30, seed=302))
add("wrap_rank3_2x3x25", randn(2, 3, 25, seed=303))
add("wrap_rank4_2x2x2x20", randn(2, 2, 2, 20, seed=304))
add("wrap_exact_line_fit", randn(8, seed=305))
add("wrap_exact_line_fit_plus_one", randn(9, seed=306))
add("wrap_wide_elements", f32([12345678.0 + i for i in range(20)]))
add("wrap_mixed_nonfinite", torch.cat([randn(20, seed=307), f32([inf, nan, -inf])]))

# --- summarization (numel > 1000) ------------------------------------------------------------
add("summary_vector_1001", randn(1001, seed=400))
add("summary_vector_1000_not", randn(1000, seed=401))
add("summary_vector_ints", torch.arange(2000.0))
add("summary_vector_sci", randn(5000, seed=402, scale=1e-6))
add("summary_matrix_40x40", randn(40, 40, seed=403))
add("summary_matrix_10x200", randn(10, 200, seed=404))
add("summary_matrix_200x10", randn(200, 10, seed=405))
add("summary_matrix_6x200", randn(6, 200, seed=406))
add("summary_matrix_7x200", randn(7, 200, seed=407))
add("summary_matrix_1001x1", randn(1001, 1, seed=408))
add("summary_matrix_1x1001", randn(1, 1001, seed=409))
add("summary_rank3_20x20x20", randn(20, 20, 20, seed=410))
add("summary_rank3_4x4x100", randn(4, 4, 100, seed=411))
add("summary_rank3_100x4x4", randn(100, 4, 4, seed=412))
add("summary_rank4_10x10x10x10", randn(10, 10, 10, 10, seed=413))
add("summary_rank4_2x3x20x20", randn(2, 3, 20, 20, seed=414))
add("summary_requires_grad", randn(30, 40, seed=415).requires_grad_())
add("summary_grad_fn", randn(30, 40, seed=416).requires_grad_() + 1)

hidden_huge = torch.ones(2000)
hidden_huge[1000] = 1e10
add("summary_hidden_huge_ignored", hidden_huge)
hidden_fraction = torch.arange(2000.0)
hidden_fraction[500] = 0.5
add("summary_hidden_fraction_ignored", hidden_fraction)
visible_huge = torch.ones(2000)
visible_huge[-1] = 1e10
add("summary_visible_huge_sci", visible_huge)
hidden_tiny = randn(50, 50, seed=417)
hidden_tiny[25, 25] = 1e-9
hidden_tiny[0, 25] = 1e-9
add("summary_matrix_hidden_tiny_ignored", hidden_tiny)
visible_tiny = randn(50, 50, seed=418)
visible_tiny[49, 49] = 1e-9
add("summary_matrix_visible_tiny_sci", visible_tiny)
hidden_nan = randn(1500, seed=419)
hidden_nan[700] = nan
add("summary_hidden_nan", hidden_nan)
add("summary_with_nonfinite_edges", torch.cat([f32([inf, nan]), randn(1500, seed=420), f32([-inf])]))
add("summary_zeros", torch.zeros(1001))
add("summary_negative_zero_edges", torch.cat([f32([-0.0]), randn(1200, seed=421), f32([-0.0])]))

# --- suffix placement --------------------------------------------------------------------------
for n in range(1, 10):
    add("suffix_requires_grad_len_{}".format(n), randn(n, seed=500 + n).requires_grad_())
for n in range(5, 10):
    add("suffix_grad_fn_len_{}".format(n), randn(n, seed=510 + n).requires_grad_() * 2)
add("suffix_long_grad_fn_wraps", torch.nn.functional.binary_cross_entropy_with_logits(
    randn(6, seed=520).requires_grad_(), torch.ones(6), reduction="none"))
add("suffix_matrix_requires_grad", randn(3, 4, seed=521).requires_grad_())
add("suffix_matrix_wide_last_line", randn(2, 8, seed=522).requires_grad_())
add("suffix_matrix_grad_fn", randn(2, 8, seed=523).requires_grad_().exp())
add("suffix_rank3_grad_fn", randn(2, 2, 3, seed=524).requires_grad_().tanh())
add("suffix_int_requires_grad", torch.arange(6.0).requires_grad_())
add("suffix_wrapped_vector", randn(40, seed=525).requires_grad_())
add("suffix_sci_requires_grad", randn(7, seed=526, scale=1e-6).requires_grad_())
add("suffix_sci_grad_fn_wraps", (randn(7, seed=527, scale=1e-6).requires_grad_() - 1e-9))
add("suffix_scalar_grad_fn_mul", f32(3.0).requires_grad_() * f32(2.0))
# PyTorch itself wraps "grad_fn=<AddBackward0>" here, while the digitless name still fits the line.
add("suffix_digitless_name_fits", torch.full((6,), 1.5).requires_grad_() + 0)
add("suffix_relu", torch.relu(randn(5, seed=528).requires_grad_()))
add("suffix_matmul", randn(2, 3, seed=529).requires_grad_() @ randn(3, 2, seed=530))

out = sys.argv[1] if len(sys.argv) > 1 else DEFAULT_OUT
with open(out, "w", encoding="utf-8") as fh:
    # One case per line keeps the file compact and its diffs readable.
    fh.write("[\n" + ",\n".join(json.dumps(case) for case in cases) + "\n]\n")
print("wrote {} cases to {}".format(len(cases), os.path.normpath(out)))
