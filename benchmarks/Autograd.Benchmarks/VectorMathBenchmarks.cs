using System.Numerics.Tensors;
using Autograd.Kernels;
using BenchmarkDotNet.Attributes;

namespace Autograd.Benchmarks;

/// <summary>
/// Our <see cref="VectorMath"/> kernels against <see cref="TensorPrimitives"/> on the same inputs. Inputs are
/// uniform in a range where each function does real work (no saturated lanes). Results: benchmarks/VECTOR_MATH.md.
/// </summary>
[MemoryDiagnoser]
public class VectorMathBenchmarks
{
    private float[] _wide = null!;
    private float[] _positive = null!;
    private float[] _other = null!;
    private float[] _destination = null!;

    [Params(1024, 65536, 4194304)]
    public int Length { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        _wide = new float[Length];
        _positive = new float[Length];
        _other = new float[Length];
        _destination = new float[Length];
        for (int i = 0; i < Length; i++)
        {
            _wide[i] = (float)((random.NextDouble() * 20) - 10);
            _positive[i] = (float)(random.NextDouble() * 100);
            _other[i] = (float)random.NextDouble();
        }
    }

    [Benchmark]
    public void ExpOurs() => VectorMath.Exp(_wide, _destination);

    [Benchmark]
    public void ExpTensorPrimitives() => TensorPrimitives.Exp(_wide, _destination);

    [Benchmark]
    public void LogOurs() => VectorMath.Log(_positive, _destination);

    [Benchmark]
    public void LogTensorPrimitives() => TensorPrimitives.Log(_positive, _destination);

    [Benchmark]
    public void SigmoidOurs() => VectorMath.Sigmoid(_wide, _destination);

    [Benchmark]
    public void SigmoidTensorPrimitives() => TensorPrimitives.Sigmoid(_wide, _destination);

    [Benchmark]
    public void TanhOurs() => VectorMath.Tanh(_wide, _destination);

    [Benchmark]
    public void TanhTensorPrimitives() => TensorPrimitives.Tanh(_wide, _destination);

    [Benchmark]
    public void SinOurs() => VectorMath.Sin(_wide, _destination);

    [Benchmark]
    public void SinTensorPrimitives() => TensorPrimitives.Sin(_wide, _destination);

    [Benchmark]
    public void CosOurs() => VectorMath.Cos(_wide, _destination);

    [Benchmark]
    public void CosTensorPrimitives() => TensorPrimitives.Cos(_wide, _destination);

    [Benchmark]
    public void MultiplyAddOurs() => FusedBackward.MultiplyAdd(_wide, 0.5f, _other, _destination);

    [Benchmark]
    public void MultiplyAddTensorPrimitives() => TensorPrimitives.MultiplyAdd(_wide, 0.5f, _other, _destination);
}
