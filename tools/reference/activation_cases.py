"""PyTorch 1.13 reference cases for the activation family (tests/Autograd.Tests/Ops/Activations/).

Case names are "<op>:<variant>"; the C# test maps each <op> to the library call with the same arguments.
Second-order cases are recorded where the first derivative depends on x (not for the piecewise-linear ops, whose
gradients are masks of g), with values away from the kinks.
"""

import math

import torch
import torch.nn.functional as F

from refcases import Cases

C = Cases(20261202)
f32, f64 = torch.float32, torch.float64
inf, nan = math.inf, math.nan

EDGES = [0.0, -0.0, 1.0, -1.0, 0.5, -0.5, 2.0, -2.0, 3.0, -3.0, 6.0, -6.0, 1e-30, -1e-30, 1e-6, -1e-6,
         10.0, -10.0, 19.9, 20.1, 50.0, -50.0, 100.0, -100.0, 1000.0, -1000.0, inf, -inf, nan]


def padded(values, dtype=f32):
    """values followed by zeros up to 64 elements: PyTorch's vectorised kernels then serve every value (its scalar
    tail, used for the last len % (2 * vector width) elements, differs for NaN and at some kinks)."""
    return torch.tensor(values + [0.0] * (64 - len(values)), dtype=dtype)

# op key -> (function, smooth: second order recorded, kinks to keep random values away from)
POINTWISE = {
    "leaky_relu": (lambda x: F.leaky_relu(x), False),
    "leaky_relu_0.2": (lambda x: F.leaky_relu(x, 0.2), False),
    "elu": (lambda x: F.elu(x), True),
    "elu_0.5": (lambda x: F.elu(x, 0.5), True),
    "selu": (lambda x: F.selu(x), True),
    "celu": (lambda x: F.celu(x), True),
    "celu_2": (lambda x: F.celu(x, 2.0), True),
    "gelu": (lambda x: F.gelu(x), True),
    "gelu_tanh": (lambda x: F.gelu(x, approximate="tanh"), True),
    "silu": (lambda x: F.silu(x), True),
    "mish": (lambda x: F.mish(x), True),
    "softplus": (lambda x: F.softplus(x), True),
    "softplus_2_5": (lambda x: F.softplus(x, beta=2.0, threshold=5.0), True),
    "softsign": (lambda x: F.softsign(x), True),
    "hardtanh": (lambda x: F.hardtanh(x), False),
    "hardtanh_-2_0.5": (lambda x: F.hardtanh(x, -2.0, 0.5), False),
    "relu6": (lambda x: F.relu6(x), False),
    "hardsigmoid": (lambda x: F.hardsigmoid(x), False),
    "hardswish": (lambda x: F.hardswish(x), True),
    "logsigmoid": (lambda x: F.logsigmoid(x), True),
    "tanhshrink": (lambda x: F.tanhshrink(x), True),
    "softshrink": (lambda x: F.softshrink(x), False),
    "softshrink_1": (lambda x: F.softshrink(x, 1.0), False),
    "hardshrink": (lambda x: F.hardshrink(x), False),
    "hardshrink_method_1": (lambda x: x.hardshrink(1.0), False),
}

for name, (fn, smooth) in POINTWISE.items():
    for dtype, tag in ((f32, "f32"), (f64, "f64")):
        # |x| in [0.1, 4) with random signs, then nudged off the kinks at ±0.5, ±1, ±2, ±3 and 6.
        x = C.away([4, 5], 0.1, 4.0, torch.float64)
        for k in (0.5, 1.0, 2.0, 3.0):
            x = torch.where((x.abs() - k).abs() < 0.05, x + 0.1, x)
        C.case(f"{name}:random_{tag}", fn, x.to(dtype), second_order=smooth)
        C.case(f"{name}:edges_{tag}", fn, padded(EDGES, dtype))
    C.case(f"{name}:empty", fn, torch.zeros(0, 3))
    C.case(f"{name}:scalar", fn, torch.tensor(0.75, dtype=f64), second_order=smooth)
    C.case(f"{name}:wide_f64", fn, C.uniform([64], -30.0, 30.0, f64))

# Kinks, one value at a time, where PyTorch's one-sided choices decide the gradient.
C.case("leaky_relu:at_zero", lambda x: F.leaky_relu(x), padded([0.0, -0.0, nan]))
C.case("hardtanh:at_bounds", lambda x: F.hardtanh(x), padded([-1.0, 1.0, -1.0000001, 0.9999999, nan]))
C.case("relu6:at_bounds", lambda x: F.relu6(x), padded([0.0, 6.0, 5.999, 1e-7, nan]))
C.case("hardsigmoid:at_bounds", lambda x: F.hardsigmoid(x), padded([-3.0, 3.0, -2.999, 2.999, nan]))
C.case("hardswish:at_bounds", lambda x: F.hardswish(x), padded([-3.0, 3.0, -2.999, 2.999, nan]))
C.case("softshrink:at_bounds", lambda x: F.softshrink(x), padded([-0.5, 0.5, 0.50001, -0.50001, nan]))
C.case("hardshrink:at_bounds", lambda x: F.hardshrink(x), padded([-0.5, 0.5, 0.50001, -0.50001, nan]))
C.case("elu:at_zero", lambda x: F.elu(x), padded([0.0, -0.0, nan]))
C.case("softplus_2_5:at_threshold", lambda x: F.softplus(x, beta=2.0, threshold=5.0), padded([2.5, 2.5001, 2.4999], f64))

# Integer inputs: hardtanh keeps the dtype, softsign and tanhshrink promote, the rest refuse.
C.case("hardtanh:int64", lambda x: F.hardtanh(x), torch.tensor([-3, -1, 0, 1, 5]))
C.case("hardtanh_-2_0.5:int64", lambda x: F.hardtanh(x, -2.0, 0.5), torch.tensor([-3, -1, 0, 1, 5]))
C.case("relu6:int32", lambda x: F.relu6(x), torch.tensor([-3, 0, 4, 6, 9], dtype=torch.int32))
C.case("softsign:int64", lambda x: F.softsign(x), torch.tensor([-3, 0, 4]))
C.case("tanhshrink:int64", lambda x: F.tanhshrink(x), torch.tensor([-3, 0, 4]))
for name in ("leaky_relu", "elu", "selu", "celu", "gelu", "gelu_tanh", "silu", "mish", "softplus", "hardsigmoid",
             "hardswish", "logsigmoid", "softshrink", "hardshrink"):
    C.error(f"{name}:int64_error", POINTWISE[name][0], torch.tensor([1, 2]))
C.error("hardtanh:bool_error", lambda x: F.hardtanh(x), torch.tensor([True, False]))
C.error("relu6:bool_error", lambda x: F.relu6(x), torch.tensor([True, False]))
C.error("softsign:bool_error", lambda x: F.softsign(x), torch.tensor([True, False]))
C.error("softshrink_-0.25:negative_lambda", lambda x: F.softshrink(x, -0.25), torch.ones(2))
C.error("gelu_bad:approximate", lambda x: F.gelu(x, approximate="sigmoid"), torch.ones(2))
C.error("celu_0:alpha_zero", lambda x: F.celu(x, 0.0), torch.ones(2))

# glu over each dimension.
x = C.uniform([4, 6, 2], -2.0, 2.0)
C.case("glu:last_f32", lambda t: F.glu(t), x, second_order=True)
C.case("glu:last_f64", lambda t: F.glu(t), x.double(), second_order=True)
C.case("glu_0:f64", lambda t: F.glu(t, 0), x.double(), second_order=True)
C.case("glu_1:f32", lambda t: F.glu(t, 1), x, second_order=True)
C.case("glu_-2:f64", lambda t: F.glu(t, -2), x.double(), second_order=True)
C.case("glu:empty", lambda t: F.glu(t), torch.zeros(0, 4))
C.error("glu_1:odd", lambda t: F.glu(t, 1), torch.ones(3, 3))
C.error("glu_-2:odd_negative_dim", lambda t: F.glu(t, -2), torch.ones(3, 4))
C.error("glu:scalar", lambda t: F.glu(t), torch.tensor(1.0))
C.error("glu_3:dim_out_of_range", lambda t: F.glu(t, 3), torch.ones(2, 2, 2))
C.error("glu:int64", lambda t: F.glu(t), torch.ones(2, 2, dtype=torch.long))

# softmax / log_softmax over every dimension.
SOFTMAX = {
    "softmax": lambda t, d: F.softmax(t, d),
    "log_softmax": lambda t, d: F.log_softmax(t, d),
    "softmax_method": lambda t, d: t.softmax(d),
    "log_softmax_method": lambda t, d: t.log_softmax(d),
    "torch_softmax": lambda t, d: torch.softmax(t, d),
}
x3 = C.uniform([3, 4, 5], -3.0, 3.0, f64)
for name in ("softmax", "log_softmax"):
    fn = SOFTMAX[name]
    for d in (0, 1, 2, -1, -2, -3):
        C.case(f"{name}_{d}:f32", lambda t, d=d: fn(t, d), x3.float(), second_order=True)
        C.case(f"{name}_{d}:f64", lambda t, d=d: fn(t, d), x3, second_order=True)
    C.case(f"{name}_0:vector", lambda t: fn(t, 0), C.uniform([7], -2.0, 2.0, f64), second_order=True)
    C.case(f"{name}_0:scalar", lambda t: fn(t, 0), torch.tensor(1.5, dtype=f64), second_order=True)
    C.case(f"{name}_-1:scalar", lambda t: fn(t, -1), torch.tensor(-1.5))
    C.case(f"{name}_1:4d_f64", lambda t: fn(t, 1), C.uniform([2, 3, 2, 4], -2.0, 2.0, f64), second_order=True)
    C.case(f"{name}_-1:large_logits", lambda t: fn(t, -1), torch.tensor([[1000.0, -1000.0, 999.0], [-1000.0, -999.0, -1000.0]]))
    C.case(f"{name}_0:large_logits_f64", lambda t: fn(t, 0), torch.tensor([[1000.0, -1000.0, 999.0], [-1000.0, -999.0, -1000.0]], dtype=f64))
    rows = torch.tensor([[-inf, -inf, -inf], [1.0, -inf, 2.0], [inf, 1.0, 2.0], [nan, 0.0, 1.0], [0.0, 0.0, 0.0]])
    C.case(f"{name}_1:inf_rows", lambda t: fn(t, 1), rows)
    C.case(f"{name}_0:inf_columns_f64", lambda t: fn(t, 0), rows.t().contiguous().double())
    C.case(f"{name}_-1:masked_attention", lambda t: fn(t, -1),
           torch.where(torch.rand(2, 4, 4, generator=C.gen) < 0.3, -inf, C.uniform([2, 4, 4])).tril().masked_fill(
               torch.ones(4, 4).triu(1).bool(), -inf))
    C.case(f"{name}_1:empty_rows", lambda t: fn(t, 1), torch.zeros(0, 3))
    C.case(f"{name}_1:empty_dim", lambda t: fn(t, 1), torch.zeros(3, 0))
    C.case(f"{name}_0_t:transposed_input", lambda t: fn(t.t(), 0), C.uniform([4, 3], -2.0, 2.0, f64), second_order=True)
    C.error(f"{name}_2:dim_out_of_range", lambda t: fn(t, 2), torch.ones(3, 4))
    C.error(f"{name}_-3:dim_out_of_range", lambda t: fn(t, -3), torch.ones(3, 4))
    C.error(f"{name}_1:int64_lastdim", lambda t: fn(t, 1), torch.ones(3, 4, dtype=torch.long))
    C.error(f"{name}_0:int64_innerdim", lambda t: fn(t, 0), torch.ones(3, 4, dtype=torch.long))
for name in ("softmax_method", "log_softmax_method", "torch_softmax"):
    C.case(f"{name}_1:f32", lambda t, n=name: SOFTMAX[n](t, 1), x3.float(), second_order=True)
C.case("softmax_dtype_f64:f32_input", lambda t: F.softmax(t, 1, dtype=torch.float64), x3.float())
C.case("log_softmax_dtype_f64:int64_input", lambda t: F.log_softmax(t, 0, dtype=torch.float64), torch.tensor([[1, 2], [3, 5]]))
C.case("log_softmax_implicit:3d_lastdim", lambda t: F.log_softmax(t, -1), x3)

C.write("activation_cases.json")
