#!/usr/bin/env bash
# Compares Autograd with PyTorch 1.13 (system python3) on the six peer workloads and prints a Markdown table.
#   benchmarks/peers/compare.sh                  everything, threads 1 and 2, 5 rounds (~15 min)
#   benchmarks/peers/compare.sh tiny deep        a subset (names: tiny deep mlp matmul_fb elementwise gemm gemm_ab_512 …)
#   benchmarks/peers/compare.sh --quick          2 rounds, 3 samples, gemm at 256 and 512 only
#   benchmarks/peers/compare.sh --help           all options (--threads, --rounds, --reps, --budget-s, --gemm-sizes)
# Builds the C# side in Release first; the table goes to stdout, progress to stderr, raw samples to artifacts/peers/.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
for a in "$@"; do
    if [ "$a" = "--help" ] || [ "$a" = "-h" ]; then exec /usr/bin/python3 benchmarks/peers/compare.py --help; fi
done
echo "building benchmarks/Autograd.Benchmarks (Release)…" >&2
dotnet build -c Release benchmarks/Autograd.Benchmarks -nologo -v quiet -clp:ErrorsOnly >&2
exec /usr/bin/python3 benchmarks/peers/compare.py "$@"
