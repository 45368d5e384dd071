"""Reference values for Autodiff.Grad and the functional transforms (torch.autograd.functional), PyTorch 1.13.

    /usr/bin/python3 tools/reference/autodiff_cases.py

Each case is a function of float64 leaves whose single output is the transform's result (several results are
flattened and concatenated); tests/Autograd.Tests/Graph/AutodiffReferenceTests.cs writes the same with the library.
"""

import torch
import torch.autograd.functional as AF

from refcases import Cases

C = Cases(20261203)
f64 = torch.float64


def cat(*ts):
    return torch.cat([t.reshape(-1) for t in ts])


def f_vec(x):  # R^3 -> R^2
    return torch.stack([x[0] * x[1].sin() + x[2] ** 2, (x[0] * x[2]).exp() - x[1]])


def f_scalar(x):  # R^3 -> R
    return (x.sin() * x.pow(2)).sum() + x[0] * x[1] * x[2]


def f_two(a, b):  # (R^2, R^{2x2}) -> R^2
    return (b @ a).tanh() * a


x3 = C.uniform([3], -1.0, 1.0, f64)
a2 = C.uniform([2], -1.0, 1.0, f64)
b22 = C.uniform([2, 2], -1.0, 1.0, f64)
v2 = C.uniform([2], -1.0, 1.0, f64)
v3 = C.uniform([3], -1.0, 1.0, f64)

C.case("jacobian_vector_function", lambda x: AF.jacobian(f_vec, x), x3)
C.case("jacobian_two_inputs", lambda a, b: cat(*AF.jacobian(f_two, (a, b))), a2, b22)
C.case("hessian_scalar_function", lambda x: AF.hessian(f_scalar, x), x3)
C.case("hessian_two_inputs", lambda a, b: cat(*[h for row in AF.hessian(lambda p, q: f_two(p, q).sum(), (a, b)) for h in row]), a2, b22)
C.case("vjp", lambda x: cat(*AF.vjp(f_vec, x, v2)), x3)
C.case("jvp", lambda x: cat(*AF.jvp(f_vec, x, v3)), x3)
C.case("vhp", lambda x: cat(*AF.vhp(f_scalar, x, v3)), x3)
C.case("hvp", lambda x: cat(*AF.hvp(f_scalar, x, v3)), x3)
C.case("jacobian_create_graph_then_backward", lambda x: AF.jacobian(f_vec, x, create_graph=True).sum(dim=0), x3)


def pinn_residual(w1, b1, w2, x):
    """u(x) = w2 · tanh(w1 x + b1); residual of u'' = -sin(x) at the points x, mean squared."""
    xs = x.clone().requires_grad_(True)
    u = (torch.tanh(xs.unsqueeze(1) * w1 + b1) * w2).sum(dim=1)
    du = torch.autograd.grad(u.sum(), xs, create_graph=True)[0]
    d2u = torch.autograd.grad(du.sum(), xs, create_graph=True)[0]
    return ((d2u + torch.sin(xs)) ** 2).mean()


C.case("pinn_residual", pinn_residual,
       C.uniform([4], -1.0, 1.0, f64), C.uniform([4], -1.0, 1.0, f64), C.uniform([4], -1.0, 1.0, f64),
       (torch.linspace(-1.0, 1.0, 5, dtype=f64), False))
from refcases import encode  # noqa: E402

C.cases["vjp"]["vectors"] = {"v2": encode(v2), "v3": encode(v3)}
C.write("autodiff_cases.json")
