"""Self-test cases for the shared fixture schema (refcases.py) and its C# replayer (ReferenceFixture.cs).

    /usr/bin/python3 tools/reference/refcases_selftest.py
"""

import torch

from refcases import Cases

C = Cases(20261202)
x64 = C.uniform([2, 3], dtype=torch.float64)
x32 = C.uniform([3])
C.case("sin_float64_second_order", torch.sin, x64, second_order=True)
C.case("nonzero_int64_output", lambda a: (a > 0).nonzero(), x64)
C.case("mul_by_constant_linear", lambda a, b: a * b, x32, (C.uniform([3]), False), second_order=True)
C.case("gt_bool_output", lambda a, b: a > b, x32, C.uniform([3]))
C.case("int64_input_promotes", lambda a, b: a * b, (torch.tensor([1, 2, 3]), False), x32)
C.case("nan_and_inf_survive", lambda a: a / torch.tensor([0.0, 1.0, 0.0]), torch.tensor([1.0, float("nan"), -1.0]))
C.error("sum_dim_out_of_range", lambda a: a.sum(5), x64)
C.write("refcases_selftest.json")
