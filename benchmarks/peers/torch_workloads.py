#!/usr/bin/python3
"""PyTorch side of the peer comparison (benchmarks/peers/compare.sh).

Usage: /usr/bin/python3 torch_workloads.py <workload> <threads> <reps>
           [--min-sample-ms 5] [--warmup-ms 500] [--budget-s 0]
       /usr/bin/python3 torch_workloads.py --config      # one JSON line: torch, OpenBLAS core/config, threads
       /usr/bin/python3 torch_workloads.py --serve       # one request (the arguments above) per stdin line,
                                                         # each answered by its JSON lines and {"kind": "done"}

Workloads: tiny, deep, mlp, matmul_fb, elementwise, gemm_{ab|atb|abt}_{n}. Same protocol as the C# runner
(`Autograd.Benchmarks --peer`, benchmarks/Autograd.Benchmarks/PeerRunner.cs): set the thread count, build the
workload (leaves once), warm up, then time <reps> samples; each sample runs the step `inner` times, `inner`
chosen from the warm-up so that a sample lasts at least --min-sample-ms; one JSON line per sample with the time
per step. The code of each workload mirrors benchmarks/Autograd.Benchmarks/Workloads.cs.

Run it with the system interpreter (Debian's python3-torch 1.13). compare.sh unsets OPENBLAS_CORETYPE and
OPENBLAS_L2_SIZE for this command only, so OpenBLAS picks its kernels for this CPU.
"""
import ctypes
import gc
import json
import math
import re
import sys
import time

import torch
import torch.nn.functional as F

SEED = 0


def _openblas():
    """The OpenBLAS library loaded into this process (torch links libblas.so.3), or None."""
    with open("/proc/self/maps", encoding="ascii", errors="replace") as maps:
        paths = sorted({line.split()[-1] for line in maps if "blas" in line and "/" in line})
    for path in paths:
        try:
            lib = ctypes.CDLL(path)
            lib.openblas_get_corename.restype = ctypes.c_char_p
            lib.openblas_get_config.restype = ctypes.c_char_p
            return path, lib
        except (OSError, AttributeError):
            continue
    return None, None


def set_threads(n):
    """torch.set_num_threads covers ATen's OpenMP pool; OpenBLAS (pthread build) has its own count."""
    torch.set_num_threads(n)
    _, lib = _openblas()
    if lib is not None:
        lib.openblas_set_num_threads(n)


def config():
    torch.ones(4, 4) @ torch.ones(4, 4)   # make sure BLAS is loaded
    path, lib = _openblas()
    return {
        "kind": "config",
        "torch": torch.__version__,
        "python": sys.version.split()[0],
        "torch_threads": torch.get_num_threads(),
        "cpu_capability": (re.findall(r"CPU capability usage: (\S+)", torch.__config__.show()) or [None])[0],
        "blas_library": path,
        "openblas_core": lib.openblas_get_corename().decode() if lib else None,
        "openblas_config": lib.openblas_get_config().decode() if lib else None,
        "openblas_threads": lib.openblas_get_num_threads() if lib else None,
    }


# ---- workloads: each returns the step as a closure over leaves created once --------------------------------

def tiny():
    torch.manual_seed(SEED)
    x = torch.ones(5)
    w = torch.randn(5, 3, requires_grad=True)
    b = torch.randn(3, requires_grad=True)
    target = torch.zeros(3)

    def step():
        w.grad = None
        b.grad = None
        z = torch.matmul(x, w) + b
        loss = F.binary_cross_entropy_with_logits(z, target)
        loss.backward()
        return loss
    return step


def deep():
    s = torch.tensor(1.0, requires_grad=True)

    def step():
        s.grad = None
        y = s
        for _ in range(10_000):
            y = y * 1.0001
        y.backward()
        return y
    return step


def _mlp_setup():
    """The 784-256-256-10 ReLU MLP (default init), a [64, 784] batch and 64 class targets."""
    torch.manual_seed(SEED)
    model = torch.nn.Sequential(
        torch.nn.Linear(784, 256), torch.nn.ReLU(),
        torch.nn.Linear(256, 256), torch.nn.ReLU(),
        torch.nn.Linear(256, 10))
    return model, torch.randn(64, 784), torch.randint(0, 10, (64,))


def mlp():
    model, x, targets = _mlp_setup()
    params = list(model.parameters())

    def step():
        for p in params:
            p.grad = None
        loss = F.cross_entropy(model(x), targets)
        loss.backward()
        with torch.no_grad():
            for p in params:
                p -= 0.01 * p.grad
        return loss
    return step


def mlp_sgd():
    """mlp with the optimizer idiom: zero_grad() in place (1.13's default) and a fused SGD step."""
    model, x, targets = _mlp_setup()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01)

    def step():
        optimizer.zero_grad(set_to_none=False)
        loss = F.cross_entropy(model(x), targets)
        loss.backward()
        optimizer.step()
        return loss
    return step


def matmul_fb():
    torch.manual_seed(SEED)
    a = torch.randn(512, 512, requires_grad=True)
    b = torch.randn(512, 512, requires_grad=True)

    def step():
        a.grad = None
        b.grad = None
        loss = torch.matmul(a, b).sum()
        loss.backward()
        return loss
    return step


def elementwise():
    torch.manual_seed(SEED)
    x = torch.randn(4_194_304, requires_grad=True)

    def step():
        x.grad = None
        loss = (torch.sin(x) * x + torch.exp(-x)).sum()
        loss.backward()
        return loss
    return step


def gemm(variant, n):
    torch.manual_seed(SEED)
    a = torch.randn(n, n)
    b = torch.randn(n, n)
    left, right = {"ab": (a, b), "atb": (a.T, b), "abt": (a, b.T)}[variant]

    def step():
        with torch.no_grad():
            return torch.matmul(left, right)
    return step


def _param(*shape):
    return (torch.randn(*shape) / shape[-1] ** 0.5).requires_grad_()


def _update(params):
    with torch.no_grad():
        for p in params:
            p -= 0.01 * p.grad
            p.grad = None


def transformer_mlp():
    """x + W2 GELU(W1 LayerNorm(x) + b1) + b2 over 256 tokens of width 256 (hidden 1024); loss = mean(y^2)."""
    torch.manual_seed(SEED)
    x = torch.randn(256, 256)
    gamma, beta = torch.ones(256, requires_grad=True), torch.zeros(256, requires_grad=True)
    w1, b1 = _param(1024, 256), torch.zeros(1024, requires_grad=True)
    w2, b2 = _param(256, 1024), torch.zeros(256, requires_grad=True)
    params = [gamma, beta, w1, b1, w2, b2]

    def step():
        h = F.layer_norm(x, [256], gamma, beta)
        y = x + F.linear(F.gelu(F.linear(h, w1, b1)), w2, b2)
        loss = (y * y).mean()
        loss.backward()
        _update(params)
        return loss
    return step


def attention():
    """softmax(q k^T / sqrt(d)) v: 8 sequences, 4 heads, 64 positions, head width 32; loss = sum."""
    torch.manual_seed(SEED)
    q, k, v = (torch.randn(8, 4, 64, 32, requires_grad=True) for _ in range(3))
    scale = 1 / 32 ** 0.5

    def step():
        q.grad = k.grad = v.grad = None
        out = torch.matmul(torch.softmax(torch.matmul(q, k.transpose(-2, -1)) * scale, -1), v)
        loss = out.sum()
        loss.backward()
        return loss
    return step


def lenet():
    """LeNet-5 on 64 28x28 images, cross-entropy, SGD with grads reset to None."""
    torch.manual_seed(SEED)
    images, targets = torch.randn(64, 1, 28, 28), torch.randint(0, 10, (64,))
    c1, c1b = _param(6, 1, 5, 5), torch.zeros(6, requires_grad=True)
    c2, c2b = _param(16, 6, 5, 5), torch.zeros(16, requires_grad=True)
    f1, f1b = _param(120, 256), torch.zeros(120, requires_grad=True)
    f2, f2b = _param(84, 120), torch.zeros(84, requires_grad=True)
    f3, f3b = _param(10, 84), torch.zeros(10, requires_grad=True)
    params = [c1, c1b, c2, c2b, f1, f1b, f2, f2b, f3, f3b]

    def step():
        h = F.max_pool2d(F.conv2d(images, c1, c1b).relu(), 2)
        h = F.max_pool2d(F.conv2d(h, c2, c2b).relu(), 2).flatten(1)
        h = F.linear(F.linear(F.linear(h, f1, f1b).relu(), f2, f2b).relu(), f3, f3b)
        loss = F.cross_entropy(h, targets)
        loss.backward()
        _update(params)
        return loss
    return step


def gated_rnn():
    """An LSTM cell unrolled over 20 steps: batch 32, input 64, hidden 128; loss = sum(h_T)."""
    torch.manual_seed(SEED)
    inputs = [torch.randn(32, 64) for _ in range(20)]
    wx, wh, b = _param(64, 512), _param(128, 512), torch.zeros(512, requires_grad=True)
    params = [wx, wh, b]

    def step():
        h, c = torch.zeros(32, 128), torch.zeros(32, 128)
        for x in inputs:
            i, f, g, o = (x @ wx + h @ wh + b).chunk(4, 1)
            c = f.sigmoid() * c + i.sigmoid() * g.tanh()
            h = o.sigmoid() * c.tanh()
        loss = h.sum()
        loss.backward()
        _update(params)
        return loss
    return step


WORKLOADS = {"tiny": tiny, "deep": deep, "mlp": mlp, "mlp_sgd": mlp_sgd, "matmul_fb": matmul_fb, "elementwise": elementwise,
             "transformer_mlp": transformer_mlp, "attention": attention, "lenet": lenet, "gated_rnn": gated_rnn}


def create(name):
    if name in WORKLOADS:
        return WORKLOADS[name]()
    parts = name.split("_")
    if len(parts) == 3 and parts[0] == "gemm" and parts[1] in ("ab", "atb", "abt") and parts[2].isdigit():
        return gemm(parts[1], int(parts[2]))
    raise SystemExit(f"unknown workload {name!r}: expected one of {', '.join(WORKLOADS)} or gemm_{{ab|atb|abt}}_{{n}}")


def run(name, threads, reps, min_sample=0.005, warmup_target=0.5, budget=0.0):
    set_threads(threads)
    step = create(name)

    # Warm-up: at least 5 steps and warmup_target seconds, except that a step slower than 1 s runs once only.
    t0 = time.perf_counter()
    step()
    first = time.perf_counter() - t0
    warmup_steps, last_batch = 1, first
    if first < 1.0:
        while warmup_steps < 5 or time.perf_counter() - t0 < warmup_target:
            batch = max(1, warmup_steps // 4)
            start = time.perf_counter()
            for _ in range(batch):
                step()
            last_batch = (time.perf_counter() - start) / batch
            warmup_steps += batch
    warmup = time.perf_counter() - t0
    inner = max(1, math.ceil(min_sample / max(last_batch, 1e-9)))
    print(json.dumps({"kind": "meta", "impl": "torch", "workload": name, "threads": threads,
                      "threads_applied": torch.get_num_threads() == threads, "warmup_steps": warmup_steps,
                      "warmup_s": warmup, "first_step_s": first, "inner": inner, "runtime": torch.__version__}),
          flush=True)

    measured = time.perf_counter()
    for rep in range(reps):
        if rep > 0 and budget > 0 and time.perf_counter() - measured > budget:
            break
        start = time.perf_counter()
        for _ in range(inner):
            step()
        per_step = (time.perf_counter() - start) / inner
        print(json.dumps({"kind": "sample", "impl": "torch", "workload": name, "threads": threads, "rep": rep,
                          "inner": inner, "seconds_per_step": per_step}), flush=True)


def serve():
    """One request per stdin line (the arguments of a run), answered like a run, then {"kind": "done"}."""
    for line in sys.stdin:
        request = line.split()
        if not request:
            continue
        gc.collect()
        code = 0
        try:
            main(request)
        except SystemExit as e:
            print(json.dumps({"kind": "error", "message": str(e)}))
            code = 2
        print(json.dumps({"kind": "done", "code": code}), flush=True)


def main(argv):
    if argv[:1] == ["--config"]:
        print(json.dumps(config()))
        return 0
    if argv[:1] == ["--serve"]:
        serve()
        return 0
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    options = {"--min-sample-ms": 5.0, "--warmup-ms": 500.0, "--budget-s": 0.0}
    rest = argv[3:]
    for key, value in zip(rest[::2], rest[1::2]):
        if key not in options:
            raise SystemExit(f"unknown option {key}")
        options[key] = float(value)
    run(argv[0], int(argv[1]), int(argv[2]), options["--min-sample-ms"] / 1000,
        options["--warmup-ms"] / 1000, options["--budget-s"])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
