using BenchmarkDotNet.Attributes;

namespace Autograd.Benchmarks;

// The six peer-comparison workloads under BenchmarkDotNet; each runs the setup and step of Workloads, the same code
// as the PyTorch comparison (benchmarks/peers/compare.sh). Thread count is a parameter; until
// Autograd.Parallelism.NumThreads exists, setting it is a no-op (see Threads) and both rows measure the default.
// Run all with --filter '*Workload*', or one with e.g. --filter '*MlpWorkload*'.

[MemoryDiagnoser]
public class TinyWorkload
{
    private Workloads.TinyState _state = null!;

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        Benchmarks.Threads.TrySet(Threads);
        _state = Workloads.TinySetup();
    }

    [Benchmark]
    public Tensor Tiny() => Workloads.TinyStep(_state);
}

[MemoryDiagnoser]
public class DeepWorkload
{
    private Tensor _s = null!;

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        Benchmarks.Threads.TrySet(Threads);
        _s = Workloads.DeepSetup();
    }

    [Benchmark]
    public Tensor Deep() => Workloads.DeepStep(_s);
}

[MemoryDiagnoser]
public class MlpWorkload
{
    private Workloads.MlpState _state = null!;
    private Optim.SGD _optimizer = null!;

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        Benchmarks.Threads.TrySet(Threads);
        _state = Workloads.MlpSetup();
        _optimizer = new Optim.SGD(_state.Parameters, Workloads.MlpLearningRate);
    }

    /// <summary>Grads reset to null, update written as <c>p -= lr * p.Grad</c>: the workload as specified.</summary>
    [Benchmark(Baseline = true)]
    public Tensor Mlp() => Workloads.MlpStep(_state);

    /// <summary>The optimizer idiom: gradients zeroed in place, one fused update pass.</summary>
    [Benchmark]
    public Tensor MlpSgd() => Workloads.MlpSgdStep(_state, _optimizer);
}

[MemoryDiagnoser]
public class MatMulFbWorkload
{
    private (Tensor A, Tensor B) _state;

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        Benchmarks.Threads.TrySet(Threads);
        _state = Workloads.MatMulSetup();
    }

    [Benchmark]
    public Tensor MatMulFb() => Workloads.MatMulStep(_state);
}

[MemoryDiagnoser]
public class ElementwiseWorkload
{
    private Tensor _x = null!;

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        Benchmarks.Threads.TrySet(Threads);
        _x = Workloads.ElementwiseSetup();
    }

    [Benchmark]
    public Tensor Elementwise() => Workloads.ElementwiseStep(_x);
}

[MemoryDiagnoser]
public class GemmWorkload
{
    private Workloads.GemmState _state = null!;

    [Params(1, 2)]
    public int Threads { get; set; }

    [Params(256, 512, 1024, 2048)]
    public int N { get; set; }

    [Params(Workloads.GemmVariant.AB, Workloads.GemmVariant.AtB, Workloads.GemmVariant.ABt)]
    public Workloads.GemmVariant Variant { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        Benchmarks.Threads.TrySet(Threads);
        _state = Workloads.GemmSetup(N, Variant);
    }

    [Benchmark]
    public Tensor Gemm() => Workloads.GemmStep(_state);
}
