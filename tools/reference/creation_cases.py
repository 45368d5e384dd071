"""Reference cases for the deterministic creation ops (linspace, logspace, full_like, empty_like's shape and dtype,
one_hot) and PyTorch's error messages for the creation and random ops. Random values are not compared (the library's
generator is not PyTorch's); their distributions are tested statistically in C#.

Parameters travel as inputs that do not require grad (float64 0-d tensors for start/end/base, int64 for counts), so the
C# side reads them back from the case. Linspace runs on one thread: above 32768 elements PyTorch splits the range over
threads, which moves the vector boundaries and so the rounding of some elements (the cases stay below that)."""

import math

import torch

from refcases import Cases

torch.set_num_threads(1)
C = Cases(20240607)
F = torch.nn.functional
DTYPES = {"float32": torch.float32, "float64": torch.float64, "int64": torch.int64, "int32": torch.int32}


def d(v):
    return (torch.tensor(v, dtype=torch.float64), False)


def n(v):
    return (torch.tensor(v, dtype=torch.int64), False)


LINSPACE = {
    "unit5": (0.0, 1.0, 5),
    "steps0": (0.0, 1.0, 0),
    "steps1": (2.5, 7.0, 1),
    "steps2": (-3.0, 3.0, 2),
    "steps3": (0.1, 0.7, 3),
    "steps15": (0.3, 7.9, 15),
    "steps16": (0.3, 7.9, 16),
    "steps17": (0.3, 7.9, 17),
    "steps31": (-1.7, 2.3, 31),
    "steps33": (-1.7, 2.3, 33),
    "steps37": (0.3, 7.9, 37),
    "steps100": (-12.345, 67.89, 100),
    "descending": (10.0, -3.3, 23),
    "equal_ends": (4.2, 4.2, 9),
    "tiny": (1e-30, 3e-30, 19),
    "huge": (-1e38, 1e38, 41),
    "wide": (-1e300, 1e300, 11),
    "thirds": (0.0, 1.0, 1001),
    "long": (-5.5, 1234.5, 5003),
    "fraction_ends": (2.7, 9.9, 4),
    "negative_fraction": (-2.7, 3.9, 14),
    "int_range": (-1e15, 1e15, 21),
}

for label, (s, e, k) in LINSPACE.items():
    for name, dt in DTYPES.items():
        if dt == torch.int32 and abs(s) > 2**31:
            continue
        if dt != torch.float64 and label == "wide":
            continue
        if dt in (torch.int64, torch.int32) and label in ("tiny", "huge"):
            continue
        C.case(f"linspace:{name}:{label}", lambda a, b, c, dt=dt: torch.linspace(a.item(), b.item(), int(c.item()), dtype=dt), d(s), d(e), n(k))

LOGSPACE = {
    "unit5": (0.0, 1.0, 5, 10.0),
    "steps0": (0.0, 1.0, 0, 10.0),
    "steps1": (0.5, 2.0, 1, 10.0),
    "steps2": (-2.0, 2.0, 2, 10.0),
    "base2": (-3.0, 10.0, 14, 2.0),
    "base_e": (-1.5, 1.5, 17, math.e),
    "base_half": (0.0, 8.0, 9, 0.5),
    "descending": (3.0, -3.0, 25, 10.0),
    "fraction": (0.1, 2.9, 33, 3.3),
    "overflow": (30.0, 45.0, 16, 10.0),
    "underflow": (-50.0, -30.0, 11, 10.0),
    "long": (-4.0, 4.0, 1000, 10.0),
}

for label, (s, e, k, b) in LOGSPACE.items():
    for name, dt in DTYPES.items():
        if dt in (torch.int64, torch.int32) and label in ("overflow", "underflow", "base_e", "descending", "fraction", "steps2", "long"):
            continue
        C.case(f"logspace:{name}:{label}", lambda a, c_, k_, b_, dt=dt: torch.logspace(a.item(), c_.item(), int(k_.item()), base=b_.item(), dtype=dt), d(s), d(e), n(k), d(b))

# Integer logspace with exponents that stay small (the powers fit the dtype).
for name in ("int64", "int32"):
    C.case(f"logspace:{name}:small", lambda a, c_, k_, b_, dt=DTYPES[name]: torch.logspace(a.item(), c_.item(), int(k_.item()), base=b_.item(), dtype=dt), d(0.0), d(9.0), n(7), d(3.0))

C.error("linspace_error:negative_steps", lambda: torch.linspace(0.0, 1.0, -1))
C.error("logspace_error:negative_steps", lambda: torch.logspace(0.0, 1.0, -1))
C.error("linspace_error:bool", lambda: torch.linspace(0.0, 1.0, 5, dtype=torch.bool))
C.error("logspace_error:bool", lambda: torch.logspace(0.0, 1.0, 5, dtype=torch.bool))

# full_like / empty_like / zeros_like / ones_like: value, shape and dtype (empty_like's values are unspecified in
# PyTorch, so only a zeroed result is compared after zeroing on both sides).
x32 = C.uniform((2, 3))
x64 = C.uniform((4,), dtype=torch.float64)
xi = torch.tensor([[1, 2], [3, 4]])
xb = torch.tensor([True, False, True])
C.case("full_like:float32", lambda x: torch.full_like(x, 2.5), (x32, False))
C.case("full_like:float64", lambda x: torch.full_like(x, -1.0 / 3.0), (x64, False))
C.case("full_like:int64", lambda x: torch.full_like(x, 2.7), xi)
C.case("full_like:int64_negative", lambda x: torch.full_like(x, -2.7), xi)
C.case("full_like:bool", lambda x: torch.full_like(x, 1.0), xb)
C.case("full_like:to_float64", lambda x: torch.full_like(x, 0.1, dtype=torch.float64), xi)
C.case("full_like:to_int32", lambda x: torch.full_like(x, 7.9, dtype=torch.int32), (x32, False))
C.case("full_like:inf", lambda x: torch.full_like(x, math.inf), (x32, False))
C.case("full_like:nan", lambda x: torch.full_like(x, math.nan), (x64, False))
C.case("full_like:empty", lambda x: torch.full_like(x, 3.0), (torch.zeros(0, 3), False))
C.case("zeros_like:int64_to_float64", lambda x: torch.zeros_like(x, dtype=torch.float64), xi)
C.case("ones_like:bool", lambda x: torch.ones_like(x), xb)
C.case("empty_like:float64", lambda x: torch.empty_like(x).zero_(), (x64, False))
C.case("empty_like:to_int32", lambda x: torch.empty_like(x, dtype=torch.int32).zero_(), (x32, False))

# one_hot
C.case("one_hot:inferred", lambda t: F.one_hot(t), torch.tensor([0, 3, 1, 1]))
C.case("one_hot:classes5", lambda t: F.one_hot(t, 5), torch.tensor([0, 3, 1, 4]))
C.case("one_hot:matrix", lambda t: F.one_hot(t, 3), torch.tensor([[0, 2], [1, 1], [2, 0]]))
C.case("one_hot:scalar", lambda t: F.one_hot(t, 4), torch.tensor(2))
C.case("one_hot:empty", lambda t: F.one_hot(t, 3), torch.zeros(0, dtype=torch.int64))
C.case("one_hot:empty_matrix", lambda t: F.one_hot(t, 2), torch.zeros(2, 0, dtype=torch.int64))
C.case("one_hot:zeros", lambda t: F.one_hot(t), torch.zeros(3, dtype=torch.int64))
C.error("one_hot:too_large", lambda t: F.one_hot(t, 3), torch.tensor([0, 3]))
C.error("one_hot:negative", lambda t: F.one_hot(t, 3), torch.tensor([0, -1]))
C.error("one_hot:negative_inferred", lambda t: F.one_hot(t), torch.tensor([-2, 1]))
C.error("one_hot:float", lambda t: F.one_hot(t), torch.tensor([0.0, 1.0]))
C.error("one_hot:int32", lambda t: F.one_hot(t), torch.tensor([0, 1], dtype=torch.int32))
C.error("one_hot:empty_inferred", lambda t: F.one_hot(t), torch.zeros(0, dtype=torch.int64))
C.error("one_hot:classes_minus2", lambda t: F.one_hot(t, -2), torch.tensor([1, 2]))

# tril_indices / triu_indices
TRI = {"3x3": (3, 3, 0), "3x3_above": (3, 3, 1), "3x3_below": (3, 3, -1), "4x2": (4, 2, 0), "2x5_far": (2, 5, 3),
       "2x5_far_below": (2, 5, -4), "0x3": (0, 3, 0), "3x0": (3, 0, 0), "1x1": (1, 1, 0), "5x5_out": (5, 5, 7)}
for label, (r, c_, off) in TRI.items():
    C.case(f"tril_indices:{label}", lambda r_, c2, o: torch.tril_indices(int(r_), int(c2), int(o)), n(r), n(c_), n(off))
    C.case(f"triu_indices:{label}", lambda r_, c2, o: torch.triu_indices(int(r_), int(c2), int(o)), n(r), n(c_), n(off))
C.case("tril_indices_int32:4x3", lambda: torch.tril_indices(4, 3, dtype=torch.int32))
C.error("tril_indices_error:row", lambda: torch.tril_indices(-1, 3))
C.error("triu_indices_error:col", lambda: torch.triu_indices(3, -1))
C.error("triu_indices_error:float", lambda: torch.triu_indices(3, 4, 1, dtype=torch.float32))
C.error("tril_indices_error:bool", lambda: torch.tril_indices(3, 3, dtype=torch.bool))

# meshgrid: the outputs (all of one shape) stacked, with the gradient summed back to each input.
a, b, c3 = C.uniform((2,)), C.uniform((3,)), C.uniform((4,))
C.case("meshgrid:ij2", lambda x, y: torch.stack(torch.meshgrid(x, y, indexing="ij")), a, b)
C.case("meshgrid:xy2", lambda x, y: torch.stack(torch.meshgrid(x, y, indexing="xy")), a, b)
C.case("meshgrid:ij3", lambda x, y, z: torch.stack(torch.meshgrid(x, y, z, indexing="ij")), a, b, c3)
C.case("meshgrid:xy3", lambda x, y, z: torch.stack(torch.meshgrid(x, y, z, indexing="xy")), a.double(), b.double(), c3.double())
C.case("meshgrid:xy1", lambda x: torch.stack(torch.meshgrid(x, indexing="xy")), b)
C.case("meshgrid:scalar", lambda x, y: torch.stack(torch.meshgrid(x, y, indexing="ij")), torch.tensor(0.5), b)
C.case("meshgrid:int64", lambda x, y: torch.stack(torch.meshgrid(x, y, indexing="xy")), torch.tensor([1, 2]), torch.tensor([3, 4, 5]))
C.case("meshgrid:empty", lambda x, y: torch.stack(torch.meshgrid(x, y, indexing="ij")), torch.zeros(0), b)
C.error("meshgrid_error:dtypes", lambda x, y: torch.meshgrid(x, y, indexing="ij"), torch.zeros(2), torch.zeros(3, dtype=torch.float64))
C.error("meshgrid_error:indexing", lambda x, y: torch.meshgrid(x, y, indexing="foo"), torch.zeros(2), torch.zeros(3))
C.error("meshgrid_error:empty", lambda: torch.meshgrid([], indexing="ij"))

# Errors of the random ops (their messages; the values are not PyTorch's).
p = torch.tensor
C.error("multinomial:negative", lambda t: torch.multinomial(t, 1), p([0.5, -0.1]))
C.error("multinomial:inf", lambda t: torch.multinomial(t, 1), p([1.0, math.inf]))
C.error("multinomial:nan", lambda t: torch.multinomial(t, 1), p([1.0, math.nan]))
C.error("multinomial:zero_sum", lambda t: torch.multinomial(t, 1), p([0.0, 0.0]))
C.error("multinomial:zero_row", lambda t: torch.multinomial(t, 1), p([[1.0, 0.0], [0.0, 0.0]]))
C.error("multinomial:too_many", lambda t: torch.multinomial(t, 3), p([1.0, 1.0]))
C.error("multinomial:zero_samples", lambda t: torch.multinomial(t, 0), p([1.0, 1.0]))
C.error("multinomial:3d", lambda t: torch.multinomial(t, 1), torch.ones(2, 2, 2))
C.error("multinomial:0d", lambda t: torch.multinomial(t, 1), p(1.0))
C.error("multinomial:int", lambda t: torch.multinomial(t, 1), p([1, 1]))
C.error("multinomial:empty", lambda t: torch.multinomial(t, 1), torch.ones(0))
C.error("multinomial:replacement_negative", lambda t: torch.multinomial(t, 3, True), p([0.5, -0.1]))
C.error("multinomial:replacement_nan", lambda t: torch.multinomial(t, 3, True), p([0.5, math.nan]))
C.error("multinomial:replacement_inf", lambda t: torch.multinomial(t, 3, True), p([0.5, math.inf]))
C.error("multinomial:replacement_zero_sum", lambda t: torch.multinomial(t, 3, True), p([0.0, 0.0]))
C.error("bernoulli:above_one", lambda t: torch.bernoulli(t), p([0.5, 1.5]))
C.error("bernoulli:negative", lambda t: torch.bernoulli(t), p([0.5, -0.5]))
C.error("bernoulli:int", lambda t: torch.bernoulli(t), p([1, 0]))
C.error("bernoulli:scalar_p", lambda t: torch.bernoulli(t, 1.5), torch.zeros(2))
C.error("bernoulli_:scalar_p", lambda t: t.bernoulli_(-0.5), torch.zeros(2))
C.error("bernoulli_:tensor_p", lambda t, q: t.bernoulli_(q), torch.zeros(2), p([0.2, 2.0]))
C.error("normal:negative_std", lambda: torch.normal(0.0, -1.0, (2,)))
C.error("normal:tensor_mean_negative_std", lambda t: torch.normal(t, -1.0), torch.zeros(2))
C.error("normal:tensor_std_negative", lambda t, s: torch.normal(t, s), torch.zeros(2), p([1.0, -1.0]))
C.error("normal:scalar_mean_tensor_std_negative", lambda s: torch.normal(0.5, s), p([1.0, -1.0]))
C.error("normal:shapes", lambda t, s: torch.normal(t, s), torch.zeros(2), torch.ones(3))
C.error("normal:int_mean", lambda t: torch.normal(t, 1.0), p([0, 1]))
C.error("normal:int_dtype", lambda: torch.normal(0.0, 1.0, (2,), dtype=torch.int64))
C.error("normal_:negative_std", lambda t: t.normal_(0, -1), torch.zeros(2))
C.error("normal_:int", lambda t: t.normal_(), torch.zeros(2, dtype=torch.int64))
C.error("uniform_:reversed", lambda t: t.uniform_(2, 1), torch.zeros(2))
C.error("uniform_:int", lambda t: t.uniform_(), torch.zeros(2, dtype=torch.int64))
C.error("exponential_:negative", lambda t: t.exponential_(-1), torch.zeros(2))
C.error("exponential_:int", lambda t: t.exponential_(), torch.zeros(2, dtype=torch.int64))
C.error("randint:equal", lambda: torch.randint(5, 5, (2,)))
C.error("randint:reversed", lambda: torch.randint(6, 5, (2,)))
C.error("randint:high_zero", lambda: torch.randint(0, (2,)))
C.error("randint_like:reversed", lambda t: torch.randint_like(t, 3, 1), torch.zeros(2))
C.error("randperm:negative", lambda: torch.randperm(-1))
C.error("randperm:bool", lambda: torch.randperm(3, dtype=torch.bool))
C.error("rand_like:int", lambda t: torch.rand_like(t), torch.zeros(2, dtype=torch.int64))
C.error("randn_like:int", lambda t: torch.randn_like(t), torch.zeros(2, dtype=torch.int64))
C.error("randn:int", lambda: torch.randn(2, dtype=torch.int64))
C.error("rand:int", lambda: torch.rand(2, dtype=torch.int64))
C.write("creation_cases.json")
