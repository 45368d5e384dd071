#!/usr/bin/python3
"""Orchestrates the C#-vs-PyTorch comparison; run through compare.sh, which builds the C# side first.

Keeps one C# server (`Autograd.Benchmarks --serve`) and one PyTorch server (`torch_workloads.py --serve`) alive
and, round by round, runs every (workload, threads) configuration on C# then PyTorch alternately, so that drift
of a shared machine spreads over both sides. The samples of all rounds are pooled; the table gives the median
time per step of each side, the ratio PyTorch ÷ ours (> 1: we are faster) and the target. Raw JSON lines go to
artifacts/peers/.
"""
import argparse
import datetime
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
CSHARP = os.path.join(ROOT, "benchmarks/Autograd.Benchmarks/bin/Release/net10.0/Autograd.Benchmarks")
TORCH = os.path.join(HERE, "torch_workloads.py")

BASIC = ["tiny", "deep", "mlp", "mlp_sgd", "matmul_fb", "elementwise"]
# One workload per operator family (benchmarks/Autograd.Benchmarks/FamilyWorkloads.cs); run by name or with "families".
FAMILIES = ["transformer_mlp", "attention", "lenet", "gated_rnn"]
GEMM_SIZES = [256, 512, 1024, 2048]
GEMM_VARIANTS = ["ab", "atb", "abt"]
TARGETS = {"tiny": 50.0, "deep": 50.0, "mlp": 1.5, "mlp_sgd": 1.5, "matmul_fb": 1.2, "elementwise": 1.5}
ELEMENTWISE_PASSES = 36      # 16 MB passes per step, counted op by op (see RESULTS.md)
ELEMENTWISE_BYTES = 4_194_304 * 4


def target(workload, threads):
    if workload in TARGETS:
        return TARGETS[workload]
    n = int(workload.split("_")[2])
    return None if n < 512 else (0.95 if threads == 1 else 0.9)


def expand(names, sizes):
    out = []
    for name in names:
        if name == "gemm":
            out += [f"gemm_{v}_{n}" for n in sizes for v in GEMM_VARIANTS]
        elif name == "families":
            out.extend(FAMILIES)
        elif name in BASIC or name in FAMILIES or re.fullmatch(r"gemm_(ab|atb|abt)_\d+", name):
            out.append(name)
        else:
            raise SystemExit(f"unknown workload {name!r}; expected {', '.join(BASIC)}, gemm or gemm_{{ab|atb|abt}}_{{n}}")
    return out


class Server:
    def __init__(self, impl, argv, env):
        self.impl = impl
        self.proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env, bufsize=1)

    def run(self, request):
        self.proc.stdin.write(request + "\n")
        self.proc.stdin.flush()
        lines = []
        for line in self.proc.stdout:
            record = json.loads(line)
            if record.get("kind") == "done":
                return lines
            lines.append(record)
        raise SystemExit(f"{self.impl} server exited during {request!r}")

    def close(self):
        self.proc.stdin.close()
        self.proc.wait()


def fmt_time(seconds):
    if seconds is None:
        return "—"
    for unit, scale in (("s", 1), ("ms", 1e-3), ("µs", 1e-6), ("ns", 1e-9)):
        if seconds >= scale:
            return f"{seconds / scale:.3g} {unit}"
    return f"{seconds / 1e-9:.3g} ns"


def sh(cmd):
    try:
        return subprocess.run(cmd, shell=True, capture_output=True, text=True, check=False).stdout.strip()
    except OSError:
        return ""


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("workloads", nargs="*", help="tiny deep mlp matmul_fb elementwise gemm gemm_ab_512 … (default: all)")
    p.add_argument("--threads", default="1,2", help="comma-separated thread counts (default 1,2)")
    p.add_argument("--rounds", type=int, help="interleaved C#/PyTorch rounds (default 5; 2 with --quick)")
    p.add_argument("--reps", type=int, help="samples per run (default 5; 3 with --quick)")
    p.add_argument("--budget-s", type=float, default=3.0, help="stop a run's sampling after this many seconds (default 3)")
    p.add_argument("--gemm-sizes", help="comma-separated gemm sizes (default 256,512,1024,2048; 256,512 with --quick)")
    p.add_argument("--quick", action="store_true", help="2 rounds, 3 samples, gemm at 256 and 512 only")
    args = p.parse_args()
    quick = {"rounds": 2, "reps": 3, "gemm_sizes": "256,512"}
    full = {"rounds": 5, "reps": 5, "gemm_sizes": ",".join(map(str, GEMM_SIZES))}
    for key, value in (quick if args.quick else full).items():
        if getattr(args, key) is None:
            setattr(args, key, value)
    threads = [int(t) for t in args.threads.split(",")]
    configs = [(w, t) for w in expand(args.workloads or BASIC + ["gemm"], [int(n) for n in args.gemm_sizes.split(",")])
               for t in threads]

    torch_env = dict(os.environ)
    for var in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):   # only for the PyTorch side
        torch_env.pop(var, None)
    torch_config = json.loads(subprocess.run(["/usr/bin/python3", TORCH, "--config"], env=torch_env,
                                             capture_output=True, text=True, check=True).stdout)

    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    out_dir = os.path.join(ROOT, "artifacts/peers")
    os.makedirs(out_dir, exist_ok=True)
    raw_path = os.path.join(out_dir, f"compare-{stamp}.jsonl")
    load_start = os.getloadavg()
    started = time.time()

    csharp = Server("csharp", [CSHARP, "--serve"], dict(os.environ))
    torch = Server("torch", ["/usr/bin/python3", TORCH, "--serve"], torch_env)
    samples = {(w, t, impl): [] for w, t in configs for impl in ("csharp", "torch")}
    meta = {}
    skip = set()   # configurations whose C# run is so slow that one round is all the time budget allows
    with open(raw_path, "w", encoding="utf-8") as raw:
        for rnd in range(args.rounds):
            for workload, t in configs:
                if (workload, t) in skip:
                    continue
                request = f"{workload} {t} {args.reps} --budget-s {args.budget_s}"
                for server in (csharp, torch):
                    for record in server.run(request):
                        record["round"] = rnd
                        raw.write(json.dumps(record) + "\n")
                        if record.get("kind") == "sample":
                            samples[(workload, t, server.impl)].append(record["seconds_per_step"])
                        elif record.get("kind") == "meta":
                            meta[(workload, t, server.impl)] = record
                        elif record.get("kind") == "error":
                            raise SystemExit(f"{server.impl}: {record['message']}")
                cs = samples[(workload, t, "csharp")]
                if rnd == 0 and cs and statistics.median(cs) > 5.0:
                    skip.add((workload, t))
            print(f"round {rnd + 1}/{args.rounds} done after {time.time() - started:.0f} s", file=sys.stderr, flush=True)
    csharp.close()
    torch.close()
    elapsed = time.time() - started
    load_end = os.getloadavg()

    # ---- report ----
    model = sh("lscpu | sed -n 's/^Model name: *//p'")
    cores = sh("nproc")
    mhz = sh("grep -m1 'cpu MHz' /proc/cpuinfo | sed 's/.*: //'")
    dotnet = sh("dotnet --version")
    runtime = next((m["runtime"] for k, m in meta.items() if k[2] == "csharp"), "?")
    applied = all(m.get("threads_applied") for k, m in meta.items() if k[2] == "csharp")
    commit = sh(f"git -C {ROOT} rev-parse --short HEAD")
    print(f"- Date: {datetime.datetime.now().astimezone().isoformat(timespec='seconds')}, commit {commit}")
    print(f"- Machine: {model}, {cores} cores, {mhz} MHz (/proc/cpuinfo), {platform.system()} {platform.release()}; "
          f"load average {load_start[0]:.2f} at start, {load_end[0]:.2f} at end")
    print(f"- .NET: SDK {dotnet}, runtime {runtime}; C# thread count "
          + ("set through Autograd.Parallelism.NumThreads" if applied
             else "NOT applied (Autograd.Parallelism.NumThreads absent: both thread rows run the library's default)"))
    print(f"- PyTorch {torch_config['torch']} (Python {torch_config['python']}, ATen CPU capability "
          f"{torch_config['cpu_capability']}); BLAS {torch_config['openblas_config']} → core "
          f"{torch_config['openblas_core']} (OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset for PyTorch only); "
          "threads set with torch.set_num_threads and openblas_set_num_threads")
    print(f"- Protocol: {args.rounds} rounds, C# and PyTorch alternating per configuration; each run warms up "
          f"(≥ 0.5 s), then takes up to {args.reps} samples of ≥ 5 ms (sampling stops after {args.budget_s:g} s); "
          f"medians over the pooled samples of all rounds. Took {elapsed / 60:.1f} min. Raw: "
          f"{os.path.relpath(raw_path, ROOT)}")
    if skip:
        print(f"- Only one round (C# step > 5 s): {', '.join(f'{w}/{t}' for w, t in sorted(skip))}")
    print()
    print("| workload | threads | C# median | PyTorch median | ratio (PyTorch ÷ ours) | target | met? |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | :---: |")
    derived = []
    for workload, t in configs:
        cs, pt = samples[(workload, t, "csharp")], samples[(workload, t, "torch")]
        c = statistics.median(cs) if cs else None
        q = statistics.median(pt) if pt else None
        ratio = q / c if c and q else None
        goal = target(workload, t)
        met = "—" if goal is None or ratio is None else ("yes" if ratio >= goal else "no")
        print(f"| {workload} | {t} | {fmt_time(c)} | {fmt_time(q)} | "
              f"{'—' if ratio is None else f'{ratio:.3g}×'} | {'—' if goal is None else f'≥ {goal:g}×'} | {met} |")
        if workload.startswith("gemm") and c and q:
            n = int(workload.split("_")[2])
            derived.append(f"| {workload} | {t} | {2 * n ** 3 / c / 1e9:.1f} GFLOP/s | {2 * n ** 3 / q / 1e9:.1f} GFLOP/s |")
        if workload == "elementwise" and c and q:
            bytes_moved = ELEMENTWISE_PASSES * ELEMENTWISE_BYTES
            derived.append(f"| elementwise ({ELEMENTWISE_PASSES} × 16 MB) | {t} | {bytes_moved / c / 1e9:.1f} GB/s | "
                           f"{bytes_moved / q / 1e9:.1f} GB/s |")
    if derived:
        print()
        print("| derived | threads | C# | PyTorch |")
        print("| --- | ---: | ---: | ---: |")
        print("\n".join(derived))
    return 0


if __name__ == "__main__":
    sys.exit(main())
