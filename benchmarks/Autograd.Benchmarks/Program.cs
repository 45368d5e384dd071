using System.Globalization;
using Autograd.Benchmarks;
using BenchmarkDotNet.Running;

// Modes besides BenchmarkDotNet (used by benchmarks/peers/compare.sh and benchmarks/RESULTS.md):
//   --peer <workload> <threads> <reps> [options]   time one workload, JSON lines (see PeerRunner)
//   --serve                                       the same, one request per stdin line (used by compare.sh)
//   --bandwidth                                   memory-bandwidth probe over 64 MB arrays
//   --tracking-cost on|off [workload]             cost of the large-object storage leases
//   --alloc-mlp [steps] [threads] [mlp|mlp_sgd|mlp_sgd_none]  bytes allocated per mlp step and collections
//   --gemm64 <threads> <rounds> m,n,k[,ta,tb]…    float32 vs float64 GEMM GFLOP/s (see Gemm64Probe)
// Otherwise pick benchmarks with --filter, e.g.
//   dotnet run -c Release --project benchmarks/Autograd.Benchmarks -- --filter '*SeedGraph*'
//   dotnet run -c Release --project benchmarks/Autograd.Benchmarks -- --filter '*Workload*Tiny*'
return args switch
{
    ["--peer", .. var rest] => PeerRunner.Run(rest),
    ["--serve"] => PeerRunner.Serve(),
    ["--bandwidth"] => Probes.Bandwidth(),
    ["--gemm64", .. var rest] => Gemm64Probe.Run(rest),
    ["--tracking-cost", var mode] => Probes.TrackingCost(mode == "on"),
    ["--tracking-cost", var mode, var workload] => Probes.TrackingCost(mode == "on", workload),
    ["--alloc-mlp", .. var rest] => Probes.AllocMlp(
        rest.Length > 0 ? int.Parse(rest[0], CultureInfo.InvariantCulture) : 1000,
        rest.Length > 1 ? int.Parse(rest[1], CultureInfo.InvariantCulture) : 1,
        rest.Length > 2 ? rest[2] : "mlp"),
    _ => RunBenchmarks(args),
};

static int RunBenchmarks(string[] args)
{
    BenchmarkSwitcher.FromAssembly(typeof(Workloads).Assembly).Run(args);
    return 0;
}
