using Autograd.NN;
using BenchmarkDotNet.Attributes;

namespace Autograd.Benchmarks;

/// <summary>
/// The graph of seed 000/001: z = x·W + b, loss = BCEWithLogits(z, 0), then loss.Backward().
/// Leaves are created once; each iteration builds the graph, runs backward and resets the
/// gradients to null so that every iteration accumulates into fresh buffers.
/// </summary>
[MemoryDiagnoser]
public class SeedGraphBenchmarks
{
    private Tensor _x = null!;
    private Tensor _y = null!;
    private Tensor _w = null!;
    private Tensor _b = null!;

    [GlobalSetup]
    public void Setup()
    {
        Tensor.ManualSeed(0);
        _x = Tensor.Ones(5);
        _y = Tensor.Zeros(3);
        _w = Tensor.Randn([5, 3], requiresGrad: true);
        _b = Tensor.Randn([3], requiresGrad: true);
    }

    [Benchmark]
    public Tensor ForwardBackward()
    {
        _w.Grad = null;
        _b.Grad = null;
        Tensor z = Tensor.MatMul(_x, _w) + _b;
        Tensor loss = Functional.BinaryCrossEntropyWithLogits(z, _y);
        loss.Backward();
        return loss;
    }
}
