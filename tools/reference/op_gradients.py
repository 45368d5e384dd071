"""Generates the op-gradient reference fixtures from PyTorch 1.13.

Run with the system interpreter that has torch 1.13:

    /usr/bin/python3 tools/reference/op_gradients.py [output.json]

Every case builds float32 leaves, applies one op (or a short chain) in torch, back-propagates a fixed,
stored upstream gradient and records the output and the gradient of every leaf that requires grad.
All float32 values are stored as 8-digit hex bit patterns (lossless). The C# test
``tests/Autograd.Tests/Ops/OpReferenceTests.cs`` maps each case name to the same computation written
with the library's API; the two lists must name exactly the same cases.
"""

import json
import os
import sys

import torch
import torch.nn.functional as F

assert torch.__version__.startswith("1.13"), torch.__version__

DEFAULT_OUT = os.path.join(
    os.path.dirname(os.path.abspath(__file__)),
    "..", "..", "tests", "Autograd.Tests", "Fixtures", "op_gradients.json",
)

GEN = torch.Generator().manual_seed(20240613)


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


def away(shape, low=0.2, high=1.0):
    """|x| in [low, high) with random signs: away from kinks at 0 and poles of 1/x."""
    magnitude = uniform(shape, low, high)
    sign = torch.where(torch.rand(shape, generator=GEN) < 0.5, -1.0, 1.0)
    return magnitude * sign


def fixed(values, shape=None):
    t = torch.tensor(values, dtype=torch.float32)
    return t if shape is None else t.reshape(shape)


def leaf(t, requires_grad=True):
    return (t.clone().detach().to(torch.float32), requires_grad)


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
    grads = [encode(l.grad) if rg else None for l, (_, rg) in zip(leaves, inputs)]
    for l, (_, rg) in zip(leaves, inputs):
        if rg:
            assert l.grad is not None, name
            assert torch.isfinite(l.grad).all(), name
    cases.append({
        "name": name,
        "inputs": [encode(t, rg) for t, rg in inputs],
        "upstream": encode(upstream),
        "output": encode(out),
        "grads": grads,
    })


def u(*shape, low=-1.0, high=1.0, rg=True):
    return leaf(uniform(shape, low, high), rg)


def a(*shape, low=0.2, high=1.0, rg=True):
    return leaf(away(shape, low, high), rg)


# ---- Element-wise binary ops: equal shapes, broadcasting, 0-d, constant operands ----------------
BROADCASTS = [
    ("2x3_2x3", (2, 3), (2, 3)),
    ("2x3_3", (2, 3), (3,)),
    ("3_2x3", (3,), (2, 3)),
    ("2x1_1x3", (2, 1), (1, 3)),
    ("0d_2x3", (), (2, 3)),
    ("2x3_0d", (2, 3), ()),
    ("0d_0d", (), ()),
    ("2x1x4_3x1", (2, 1, 4), (3, 1)),
]
for suffix, sa, sb in BROADCASTS:
    case(f"add_{suffix}", lambda x, y: x + y, u(*sa), u(*sb))
    case(f"sub_{suffix}", lambda x, y: x - y, u(*sa), u(*sb))
    case(f"mul_{suffix}", lambda x, y: x * y, u(*sa), u(*sb))
    case(f"div_{suffix}", lambda x, y: x / y, u(*sa), a(*sb, low=0.5, high=2.0))

case("add_only_left_requires_grad", lambda x, y: x + y, u(2, 3), u(3, rg=False))
case("mul_only_right_requires_grad", lambda x, y: x * y, u(2, 3, rg=False), u(3))
case("div_only_right_requires_grad", lambda x, y: x / y, u(2, 3, rg=False), a(3, low=0.5, high=2.0))
case("mul_self", lambda x: x * x, u(2, 3))

case("add_tensor_float", lambda x: x + 1.5, u(2, 3))
case("add_float_tensor", lambda x: 1.5 + x, u(2, 3))
case("sub_tensor_float", lambda x: x - 1.5, u(2, 3))
case("sub_float_tensor", lambda x: 1.5 - x, u(2, 3))
case("mul_tensor_float", lambda x: x * 2.5, u(2, 3))
case("mul_float_tensor", lambda x: 2.5 * x, u(2, 3))
case("div_tensor_float", lambda x: x / 2.5, u(2, 3))
case("div_float_tensor", lambda x: 2.5 / x, a(2, 3, low=0.5, high=2.0))

# ---- Unary ops ---------------------------------------------------------------------------------
case("neg", lambda x: -x, u(2, 3))
for p in [0.0, 1.0, 2.0, 3.0, 0.5, -0.5, -1.0, -2.0, 1.7]:
    case(f"pow_{p:g}", lambda x, p=p: x.pow(p), u(2, 3, low=0.5, high=2.0))
for p in [2.0, 3.0, -1.0, -2.0]:
    case(f"pow_{p:g}_signed", lambda x, p=p: x.pow(p), a(2, 3, low=0.5, high=2.0))
case("exp", torch.exp, u(2, 3, low=-2.0, high=2.0))
case("log", torch.log, u(2, 3, low=0.1, high=3.0))
case("sin", torch.sin, u(2, 3, low=-3.0, high=3.0))
case("cos", torch.cos, u(2, 3, low=-3.0, high=3.0))
case("sigmoid", torch.sigmoid, u(2, 3, low=-4.0, high=4.0))
case("relu", torch.relu, a(2, 3))
case("clone", lambda x: x.clone(), u(2, 3))

# ---- Reductions ---------------------------------------------------------------------------------
case("sum_all", lambda x: x.sum(), u(2, 3))
case("sum_all_0d", lambda x: x.sum(), u())
case("sum_dim0", lambda x: x.sum(0), u(2, 3))
case("sum_dim1_keepdim", lambda x: x.sum(1, keepdim=True), u(2, 3))
case("sum_dimneg1_3d", lambda x: x.sum(-1), u(2, 3, 4))
case("sum_dim1_3d_keepdim", lambda x: x.sum(1, keepdim=True), u(2, 3, 4))
case("mean_all", lambda x: x.mean(), u(2, 3))
case("mean_dim0", lambda x: x.mean(0), u(2, 3))
case("mean_dim1_keepdim", lambda x: x.mean(1, keepdim=True), u(2, 3))
case("mean_dim1_3d", lambda x: x.mean(1), u(2, 3, 4))
case("max", lambda x: x.max(), leaf(torch.randperm(6, generator=GEN).to(torch.float32).reshape(2, 3) * 0.25 - 0.5))
case("max_ties", lambda x: x.max(), leaf(fixed([0.5, 2.0, -1.0, 2.0, 2.0, 1.5], (2, 3))))
case("norm", lambda x: x.norm(), u(2, 3))
case("norm_vector", lambda x: x.norm(), u(5))
case("dot", lambda x, y: torch.dot(x, y), u(4), u(4))

# ---- Matrix products ----------------------------------------------------------------------------
case("matmul_1d_1d", torch.matmul, u(3), u(3))
case("matmul_1d_2d", torch.matmul, u(3), u(3, 4))
case("matmul_2d_1d", torch.matmul, u(2, 3), u(3))
case("matmul_2d_2d", torch.matmul, u(2, 3), u(3, 4))
case("matmul_3d_3d", torch.matmul, u(2, 2, 3), u(2, 3, 4))
case("matmul_3d_2d", torch.matmul, u(2, 2, 3), u(3, 4))
case("matmul_2d_3d", torch.matmul, u(2, 3), u(2, 3, 4))
case("matmul_1d_3d", torch.matmul, u(3), u(2, 3, 4))
case("matmul_3d_1d", torch.matmul, u(2, 2, 3), u(3))
case("matmul_4d_3d_broadcast", torch.matmul, u(2, 1, 2, 3), u(3, 3, 2))
case("matmul_3d_batch1_broadcast", torch.matmul, u(1, 2, 3), u(2, 3, 4))
case("matmul_left_T", lambda x, y: x.T @ y, u(3, 2), u(3, 4))
case("matmul_right_T", lambda x, y: x @ y.T, u(2, 3), u(4, 3))
case("matmul_both_T", lambda x, y: x.T @ y.T, u(3, 2), u(4, 3))
case("matmul_3d_transposed", lambda x, y: x.transpose(1, 2) @ y, u(2, 3, 2), u(2, 3, 4))
case("matmul_3d_2d_right_transposed", lambda x, y: x @ y.transpose(0, 1), u(2, 2, 3), u(4, 3))
case("matmul_only_left_requires_grad", torch.matmul, u(2, 3), u(3, 4, rg=False))
case("matmul_only_right_requires_grad", torch.matmul, u(2, 3, rg=False), u(3, 4))

# ---- Views and shape ops ------------------------------------------------------------------------
case("reshape_2x3_to_3x2", lambda x: x.reshape(3, 2), u(2, 3))
case("reshape_infer", lambda x: x.reshape(-1, 2, 2), u(2, 2, 2))
case("reshape_to_0d", lambda x: x.reshape(()), u(1))
case("reshape_of_transposed", lambda x: x.T.reshape(6), u(2, 3))
case("transpose_2d", lambda x: x.transpose(0, 1), u(2, 3))
case("transpose_3d_0_2", lambda x: x.transpose(0, 2), u(2, 3, 4))
case("transpose_T", lambda x: x.T, u(2, 3))
case("transpose_then_mul", lambda x, y: x.T * y, u(2, 3), u(3, 2))
case("expand_3_to_2x3", lambda x: x.expand(2, 3), u(3))
case("expand_2x1_to_2x3", lambda x: x.expand(2, 3), u(2, 1))
case("expand_1x3_to_2x2x3", lambda x: x.expand(2, 2, 3), u(1, 3))
case("expand_0d_to_2x3", lambda x: x.expand(2, 3), u())
case("sum_to_2x3_to_3", lambda x: x.sum_to_size(3), u(2, 3))
case("sum_to_2x3_to_2x1", lambda x: x.sum_to_size(2, 1), u(2, 3))
case("sum_to_2x3x4_to_3x1", lambda x: x.sum_to_size(3, 1), u(2, 3, 4))
case("sum_to_2x3_to_1x1", lambda x: x.sum_to_size(1, 1), u(2, 3))

# ---- Binary cross-entropy with logits ----------------------------------------------------------
targets = lambda *shape: leaf(uniform(shape, 0.0, 1.0), False)
case("bce_mean", lambda x, y: F.binary_cross_entropy_with_logits(x, y), u(2, 3, low=-3.0, high=3.0), targets(2, 3))
case("bce_sum", lambda x, y: F.binary_cross_entropy_with_logits(x, y, reduction="sum"), u(2, 3, low=-3.0, high=3.0), targets(2, 3))
case("bce_none", lambda x, y: F.binary_cross_entropy_with_logits(x, y, reduction="none"), u(2, 3, low=-3.0, high=3.0), targets(2, 3))
case("bce_target_grad_mean", lambda x, y: F.binary_cross_entropy_with_logits(x, y),
     u(2, 3, low=-3.0, high=3.0), leaf(uniform((2, 3), 0.0, 1.0), True))
case("bce_target_grad_none", lambda x, y: F.binary_cross_entropy_with_logits(x, y, reduction="none"),
     u(4, low=-3.0, high=3.0), leaf(uniform((4,), 0.0, 1.0), True))
LARGE = [100.0, -100.0, 1e4, -1e4, 100.0, -100.0, 1e4, -1e4]
LARGE_TARGETS = [0.0, 0.0, 0.0, 0.0, 1.0, 1.0, 0.3, 0.7]
for reduction in ["mean", "sum", "none"]:
    case(f"bce_large_logits_{reduction}",
         lambda x, y, r=reduction: F.binary_cross_entropy_with_logits(x, y, reduction=r),
         leaf(fixed(LARGE)), leaf(fixed(LARGE_TARGETS), True))

# ---- Classification losses and the fused linear layer ------------------------------------------
CLASSES = [2, 0, 3, 3, 1]
case("log_softmax_2d", lambda x: F.log_softmax(x, dim=-1), u(3, 4, low=-3.0, high=3.0))
case("log_softmax_3d", lambda x: F.log_softmax(x, dim=-1), u(2, 3, 5, low=-3.0, high=3.0))
case("log_softmax_large_logits", lambda x: F.log_softmax(x, dim=-1), leaf(fixed([100.0, -100.0, 1e4, 0.0, -1e4, 50.0], (2, 3))))
for reduction in ["mean", "sum", "none"]:
    case(f"cross_entropy_{reduction}", lambda x, r=reduction: F.cross_entropy(x, torch.tensor(CLASSES), reduction=r),
         u(5, 4, low=-3.0, high=3.0))
    case(f"nll_loss_{reduction}", lambda x, r=reduction: F.nll_loss(x, torch.tensor(CLASSES), reduction=r),
         u(5, 4, low=-3.0, high=0.0))
case("cross_entropy_large_logits", lambda x: F.cross_entropy(x, torch.tensor([0, 2])),
     leaf(fixed([100.0, -100.0, 1e4, 0.0, -1e4, 50.0], (2, 3))))
case("linear_addmm", lambda x, w, b: F.linear(x, w, b), u(4, 3), u(5, 3), u(5))
case("linear_no_bias", lambda x, w: F.linear(x, w), u(4, 3), u(5, 3))
case("linear_input_only", lambda x, w, b: F.linear(x, w, b), u(4, 3), u(5, 3, rg=False), u(5, rg=False))

# ---- Wide inputs: long enough for the SIMD paths of the kernels (and their remainders) -------------
W = (5, 37)
case("exp_wide", torch.exp, u(*W, low=-3.0, high=3.0))
case("log_wide", torch.log, u(*W, low=0.01, high=10.0))
case("sin_wide", torch.sin, u(*W, low=-10.0, high=10.0))
case("cos_wide", torch.cos, u(*W, low=-10.0, high=10.0))
case("sigmoid_wide", torch.sigmoid, u(*W, low=-8.0, high=8.0))
case("relu_wide", torch.relu, a(*W))
case("neg_wide", lambda x: -x, u(*W))
for p in [0.5, -0.5, 1.7, -2.0]:
    case(f"pow_{p:g}_wide", lambda x, p=p: x.pow(p), u(*W, low=0.1, high=3.0))
case("add_wide_broadcast", lambda x, y: x + y, u(*W), u(37))
case("sub_wide_broadcast", lambda x, y: x - y, u(5, 1), u(*W))
case("mul_wide_broadcast", lambda x, y: x * y, u(*W), u(5, 1))
case("div_wide_broadcast", lambda x, y: x / y, u(*W), a(37, low=0.5, high=2.0))
case("sum_dim1_wide", lambda x: x.sum(1), u(*W))
case("mean_dim0_wide", lambda x: x.mean(0), u(*W))
case("mean_all_wide", lambda x: x.mean(), u(*W))
case("norm_wide", lambda x: x.norm(), u(*W))
case("max_wide", lambda x: x.max(), leaf(torch.randperm(185, generator=GEN).to(torch.float32).reshape(W) / 100.0))
case("dot_wide", lambda x, y: torch.dot(x, y), u(100), u(100))
case("matmul_wide", torch.matmul, u(17, 33), u(33, 19))
case("matmul_wide_batched_T", lambda x, y: x.transpose(1, 2) @ y, u(3, 33, 17), u(33, 19))
case("bce_wide", lambda x, y: F.binary_cross_entropy_with_logits(x, y), u(*W, low=-6.0, high=6.0), leaf(uniform(W, 0.0, 1.0), True))

# ---- Expanded (stride-0) operands -----------------------------------------------------------------
case("matmul_expanded_vector_left", lambda x, y: x.expand(3) @ y, u(1), u(3, 2))
case("matmul_expanded_vector_right", lambda x, y: x @ y.expand(3), u(2, 2, 3), u())
case("mul_expanded_operand", lambda x, y: x.expand(2, 3) * y, u(3), u(2, 3))
case("exp_of_expanded", lambda x: x.expand(2, 3).exp(), u(2, 1))

# ---- A short chain (engine accumulation over a reused input) ------------------------------------
case("chain_linear_sigmoid_bce", lambda x, w, b, y: F.binary_cross_entropy_with_logits(torch.sigmoid(x @ w + b) * 4 - 2, y),
     u(4, 3), u(3, 2), u(2), targets(4, 2))
case("chain_reused_input", lambda x: (x.exp() * x.sin() + x.pow(2)).mean(0).sum(), u(3, 2))


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
