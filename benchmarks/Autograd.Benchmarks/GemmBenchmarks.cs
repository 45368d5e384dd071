using System.Diagnostics.CodeAnalysis;
using Autograd.Kernels;
using BenchmarkDotNet.Attributes;

namespace Autograd.Benchmarks;

/// <summary>
/// Square single-precision GEMM, n×n·n×n, in the three layouts autograd issues: the forward product
/// A·B, the weight gradient Aᵀ·B and the input gradient A·Bᵀ. GFLOP/s = 2n³ / mean time.
/// </summary>
[MemoryDiagnoser]
[SuppressMessage("Performance", "CA1515", Justification = "BenchmarkDotNet requires public benchmark classes.")]
public class GemmBenchmarks
{
    private float[] _a = [];
    private float[] _b = [];
    private float[] _c = [];
    private int _savedThreads;

    /// <summary>Gets or sets the matrix order n.</summary>
    [Params(256, 512, 1024, 2048)]
    public int N { get; set; }

    /// <summary>Gets or sets <see cref="Parallelism.NumThreads"/> for the run.</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    /// <summary>Allocates the operands and applies the thread count.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _savedThreads = Parallelism.NumThreads;
        Parallelism.NumThreads = Threads;
        var rng = new Random(42);
        _a = Fill(rng, N * N);
        _b = Fill(rng, N * N);
        _c = new float[N * N];
    }

    /// <summary>Restores the thread count.</summary>
    [GlobalCleanup]
    public void Cleanup() => Parallelism.NumThreads = _savedThreads;

    /// <summary>C = A·B.</summary>
    [Benchmark(Baseline = true, Description = "A·B")]
    public void NN() => Gemm.Multiply(_a, N, false, _b, N, false, _c, N, N, N, N, false);

    /// <summary>C = Aᵀ·B, A read transposed in place.</summary>
    [Benchmark(Description = "Aᵀ·B")]
    public void TN() => Gemm.Multiply(_a, N, true, _b, N, false, _c, N, N, N, N, false);

    /// <summary>C = A·Bᵀ, B read transposed in place.</summary>
    [Benchmark(Description = "A·Bᵀ")]
    public void NT() => Gemm.Multiply(_a, N, false, _b, N, true, _c, N, N, N, N, false);

    private static float[] Fill(Random rng, int length)
    {
        float[] x = new float[length];
        for (int i = 0; i < length; i++)
        {
            x[i] = (float)((rng.NextDouble() * 2) - 1);
        }

        return x;
    }
}
