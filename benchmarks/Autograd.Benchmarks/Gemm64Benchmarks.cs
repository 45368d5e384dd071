using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Autograd.Kernels;
using BenchmarkDotNet.Attributes;

namespace Autograd.Benchmarks;

/// <summary>
/// Square GEMM, n×n·n×n, float32 (<see cref="Gemm"/>) against float64 (<see cref="Gemm64"/>) on the same shapes and
/// layouts (A·B, Aᵀ·B, A·Bᵀ). GFLOP/s = 2n³ / mean time. The float64 peak is half the float32 one.
/// </summary>
[MemoryDiagnoser]
[SuppressMessage("Performance", "CA1515", Justification = "BenchmarkDotNet requires public benchmark classes.")]
public class Gemm64Benchmarks
{
    private float[] _af = [];
    private float[] _bf = [];
    private float[] _cf = [];
    private double[] _ad = [];
    private double[] _bd = [];
    private double[] _cd = [];
    private int _savedThreads;

    /// <summary>Gets or sets the matrix order n.</summary>
    [Params(256, 512, 1024)]
    public int N { get; set; }

    /// <summary>Gets or sets <see cref="Parallelism.NumThreads"/> for the run.</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    /// <summary>Gets or sets the layout: NN = A·B, TN = Aᵀ·B, NT = A·Bᵀ.</summary>
    [Params("NN", "TN", "NT")]
    public string Layout { get; set; } = "NN";

    /// <summary>Allocates the operands and applies the thread count.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _savedThreads = Parallelism.NumThreads;
        Parallelism.NumThreads = Threads;
        (_af, _ad) = Gemm64Probe.Fill(new Random(42), N * N);
        (_bf, _bd) = Gemm64Probe.Fill(new Random(43), N * N);
        _cf = new float[N * N];
        _cd = new double[N * N];
    }

    /// <summary>Restores the thread count.</summary>
    [GlobalCleanup]
    public void Cleanup() => Parallelism.NumThreads = _savedThreads;

    /// <summary>float32 product.</summary>
    [Benchmark(Baseline = true)]
    public void F32() => Gemm.Multiply(_af, N, Layout == "TN", _bf, N, Layout == "NT", _cf, N, N, N, N, false);

    /// <summary>float64 product.</summary>
    [Benchmark]
    public void F64() => Gemm64.Multiply(_ad, N, Layout == "TN", _bd, N, Layout == "NT", _cd, N, N, N, N, false);
}

/// <summary>
/// Stopwatch probe behind the float64 section of benchmarks/GEMM.md: <c>--gemm64 THREADS ROUNDS m,n,k[,ta,tb] …</c>.
/// Each round times float32 and float64 back to back (best of several repetitions of ≥ 0.1 s of work each), so host
/// noise hits both alike; prints per shape the best and the median over rounds, in GFLOP/s.
/// </summary>
public static class Gemm64Probe
{
    /// <summary>Runs the probe; see the class summary for the arguments.</summary>
    public static int Run(string[] args)
    {
        int threads = int.Parse(args[0], CultureInfo.InvariantCulture);
        int rounds = int.Parse(args[1], CultureInfo.InvariantCulture);
        Parallelism.NumThreads = threads;
        Console.WriteLine($"float64 kernel {Gemm64.KernelName}, float32 kernel {Gemm.KernelName}, threads {threads}");
        Console.WriteLine("shape            f32 best  f32 med  f64 best  f64 med  ratio(best)");
        foreach (string spec in args.Skip(2))
        {
            int[] s = [.. spec.Split(',').Select(x => int.Parse(x, CultureInfo.InvariantCulture))];
            int m = s[0], n = s[1], k = s[2];
            bool ta = s.Length > 3 && s[3] != 0, tb = s.Length > 4 && s[4] != 0;
            (float[] af, double[] ad) = Fill(new Random(1), m * k);
            (float[] bf, double[] bd) = Fill(new Random(2), k * n);
            float[] cf = new float[m * n];
            double[] cd = new double[m * n];
            int lda = ta ? m : k, ldb = tb ? k : n;
            double flops = 2.0 * m * n * k;
            int reps = (int)Math.Max(1, 1e8 / flops);
            var f32 = new List<double>();
            var f64 = new List<double>();
            for (int r = 0; r < rounds; r++)
            {
                f32.Add(flops / Best(reps, () => Gemm.Multiply(af, lda, ta, bf, ldb, tb, cf, n, m, n, k, false)) / 1e9);
                f64.Add(flops / Best(reps, () => Gemm64.Multiply(ad, lda, ta, bd, ldb, tb, cd, n, m, n, k, false)) / 1e9);
            }

            f32.Sort();
            f64.Sort();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{spec,-16} {f32[^1],8:F1} {f32[rounds / 2],8:F1} {f64[^1],9:F1} {f64[rounds / 2],8:F1} {f64[^1] / f32[^1],8:F2}"));
        }

        return 0;
    }

    /// <summary>The same uniform(-1, 1) values as float32 and float64 arrays.</summary>
    public static (float[] Single, double[] Double) Fill(Random rng, int length)
    {
        float[] x = new float[length];
        double[] y = new double[length];
        for (int i = 0; i < length; i++)
        {
            x[i] = (float)((rng.NextDouble() * 2) - 1);
            y[i] = x[i];
        }

        return (x, y);
    }

    /// <summary>Seconds per call: the fastest of 5 runs of <paramref name="reps"/> calls, after one warm-up call.</summary>
    private static double Best(int reps, Action f)
    {
        f();
        double best = double.MaxValue;
        for (int t = 0; t < 5; t++)
        {
            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < reps; i++)
            {
                f();
            }

            best = Math.Min(best, Stopwatch.GetElapsedTime(start).TotalSeconds / reps);
        }

        return best;
    }
}
