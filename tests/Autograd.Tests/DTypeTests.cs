using FluentAssertions;
using Xunit;

namespace Autograd.Tests;

/// <summary>Creation, conversion and element access for every dtype, with PyTorch's semantics and messages.</summary>
public class DTypeTests
{
    [Fact]
    public void From_TakesTheDTypeOfTheArray()
    {
        Tensor.From([1f, 2f]).DType.Should().Be(DType.Float32);
        Tensor.From([1.0, 2.0]).DType.Should().Be(DType.Float64);
        Tensor.From([1L, 2L]).DType.Should().Be(DType.Int64);
        Tensor.From([1, 2]).DType.Should().Be(DType.Int32);
        Tensor.From([true, false]).DType.Should().Be(DType.Bool);
        Tensor.From([(Half)1.5f]).DType.Should().Be(DType.Float16);
        Tensor.From(new long[,] { { 1, 2 }, { 3, 4 } }).Shape.ToArray().Should().Equal(2, 2);
        Tensor.From(new double[,,] { { { 1, 2 } }, { { 3, 4 } } }).ToArray<double>().Should().Equal(1, 2, 3, 4);
        Tensor.From(new bool[,] { { true }, { false } }).ToArray<bool>().Should().Equal(true, false);
    }

    [Theory]
    [InlineData(DType.Float32)]
    [InlineData(DType.Float64)]
    [InlineData(DType.Int64)]
    [InlineData(DType.Int32)]
    [InlineData(DType.Bool)]
    [InlineData(DType.Float16)]
    [InlineData(DType.BFloat16)]
    public void Creation_TakesADType(DType dtype)
    {
        Tensor.Zeros([2, 3], dtype).DType.Should().Be(dtype);
        Tensor.Ones([2], dtype).ToArray<double>().Should().Equal(1, 1);
        Tensor.Full([3], 2, dtype).ToArray<double>().Should().Equal(dtype == DType.Bool ? [1, 1, 1] : [2, 2, 2]);
        Tensor.Zeros([2], dtype).ToArray<double>().Should().Equal(0, 0);
        Tensor.Eye(2, dtype).ToArray<double>().Should().Equal(1, 0, 0, 1);
        Tensor.ZerosLike(Tensor.Ones(4), dtype).DType.Should().Be(dtype);
        Tensor.Scalar(1, dtype).Rank.Should().Be(0);
    }

    [Fact]
    public void Arange_Int64_CountsIndices()
    {
        Tensor indices = Tensor.Arange(5, DType.Int64);
        indices.DType.Should().Be(DType.Int64);
        indices.ToArray<long>().Should().Equal(0, 1, 2, 3, 4);
        indices.ToString().Should().Be("tensor([0, 1, 2, 3, 4])");
        Tensor.Arange(0.5, 2.0, 0.5, DType.Float64).ToArray<double>().Should().Equal(0.5, 1.0, 1.5);
    }

    [Fact]
    public void RandomFloat64_HasFullPrecisionAndTheRightMoments()
    {
        Tensor x = Tensor.Randn([20_000], DType.Float64, generator: new Generator(3));
        double[] values = x.ToArray<double>();
        double mean = values.Average();
        double variance = values.Select(v => (v - mean) * (v - mean)).Average();
        mean.Should().BeApproximately(0, 0.03);      // 4.2 standard errors of the mean (1/√20000 = 0.0071)
        variance.Should().BeApproximately(1, 0.06);  // 4.2 standard errors of the variance (√(2/20000) = 0.01)
        values.Count(v => v != (float)v).Should().BeGreaterThan(19_000, "float64 samples are not float32 values widened");

        double[] uniform = Tensor.Rand([1000], DType.Float64, generator: new Generator(4)).ToArray<double>();
        uniform.Should().OnlyContain(v => v >= 0 && v < 1);
    }

    [Fact]
    public void Random_IntegerDTypes_AreRefusedAsPyTorch()
    {
        FluentActions.Invoking(() => Tensor.Randn([2], DType.Int64)).Should().Throw<NotSupportedException>()
            .WithMessage("\"normal_kernel_cpu\" not implemented for 'Long'");
    }

    [Fact]
    public void To_ConvertsAsPyTorch()
    {
        Tensor x = Tensor.From([-2.7f, -0.5f, 0f, 0.5f, 2.7f, 1e10f]);
        x.Long().ToArray<long>().Should().Equal(-2, 0, 0, 0, 2, 10_000_000_000);   // truncation toward zero
        x.Int().ToArray<int>().Take(5).Should().Equal(-2, 0, 0, 0, 2);
        x.Bool().ToArray<bool>().Should().Equal(true, true, false, true, true, true);
        x.Double().ToArray<double>().Should().Equal(-2.7f, -0.5f, 0f, 0.5f, 2.7f, 1e10f);   // widening is exact
        Tensor.From([true, false]).Float().ToArray().Should().Equal(1f, 0f);

        // int64 → int32 keeps the low 32 bits: 2^32 + 5 → 5, 2^31 → -2^31.
        Tensor.From([(1L << 32) + 5, 1L << 31]).Int().ToArray<int>().Should().Equal(5, int.MinValue);

        // float64 → float32 rounds to nearest.
        Tensor.From([1.0 + 1e-9]).Float().ToArray().Should().Equal(1f);
        x.To(DType.Float32).Should().BeSameAs(x);
    }

    [Fact]
    public void HalfPrecision_StoresAndConvertsExactlyAsPyTorch()
    {
        // float16 has 11 significant bits: 1 + 2^-11 rounds to even (1), 1 + 3·2^-11 rounds up to 1 + 2^-9.
        Tensor h = Tensor.From([1f, 1f + MathF.Pow(2, -11), 1f + (3 * MathF.Pow(2, -11)), 65504f, 70000f]).Half();
        h.DType.Should().Be(DType.Float16);
        h.ToArray().Should().Equal(1f, 1f, 1f + MathF.Pow(2, -9), 65504f, float.PositiveInfinity);

        // bfloat16 keeps 8 significant bits: 1 + 2^-8 is a tie and rounds to even (1); 1 + 3·2^-8 rounds to 1 + 2^-6.
        Tensor b = Tensor.From([1f, 1f + MathF.Pow(2, -8), 1f + (3 * MathF.Pow(2, -8)), 3e38f, float.NaN]).BFloat16();
        b.DType.Should().Be(DType.BFloat16);
        float[] back = b.ToArray();
        back[..4].Should().Equal(1f, 1f, 1f + MathF.Pow(2, -6), 3.0040553E+38f);   // PyTorch 1.13: 3.00405527047391e+38
        float.IsNaN(back[4]).Should().BeTrue();
    }

    [Fact]
    public void ItemAndToArray_AreTyped()
    {
        Tensor.Scalar(2.5, DType.Float64).Item<double>().Should().Be(2.5);
        Tensor.From([long.MaxValue]).Item<long>().Should().Be(long.MaxValue);   // no detour through double
        Tensor.From([7]).Item<long>().Should().Be(7);
        Tensor.From([true]).ItemBool().Should().BeTrue();
        Tensor.From([3L]).Item().Should().Be(3f);
        Tensor.From([1.5, 2.5]).ToArray<float>().Should().Equal(1.5f, 2.5f);
        FluentActions.Invoking(() => Tensor.From([1L, 2L]).Item<long>()).Should().Throw<InvalidOperationException>()
            .WithMessage("a Tensor with 2 elements cannot be converted to Scalar");
    }

    [Fact]
    public void OnlyFloatingTensors_RequireGrad()
    {
        FluentActions.Invoking(() => Tensor.From([1L]).RequiresGrad = true).Should().Throw<InvalidOperationException>()
            .WithMessage("only Tensors of floating point and complex dtype can require gradients");
        FluentActions.Invoking(() => Tensor.Zeros([2], DType.Int32, requiresGrad: true)).Should().Throw<InvalidOperationException>();
        Tensor.Zeros([2], DType.Float64, requiresGrad: true).RequiresGrad.Should().BeTrue();
        Tensor.From([1L]).RequiresGrad = false;   // allowed, as in PyTorch
    }

    [Fact]
    public void OpsWithoutAKernelForADType_SayWhich()
    {
        Tensor ints = Tensor.From([1L, 2L]);
        FluentActions.Invoking(() => NN.Functional.LogSoftmax(ints)).Should().Throw<NotSupportedException>().WithMessage("*not implemented for 'Long'");

        // exp has one now: an integer tensor is promoted to the default float, as PyTorch's exp(int64) gives float32.
        ints.Exp().DType.Should().Be(DType.Float32);
    }

    /// <summary>
    /// y = Σ (2·to64(x)): ∂y/∂x = 2 for each element, converted back to float32 by ToCopyBackward; and the reverse.
    /// </summary>
    [Fact]
    public void To_BetweenFloatingTypes_IsDifferentiable()
    {
        var x = Tensor.From([1f, 2f], requiresGrad: true);
        Tensor y = x.Double();
        y.GradFn!.Name.Should().Be("ToCopyBackward");
        y.DType.Should().Be(DType.Float64);
        y.Float().Sum().Backward();
        x.Grad!.DType.Should().Be(DType.Float32);
        x.Grad!.ToArray().Should().Equal(1f, 1f);

        var z = Tensor.From([1f, 2f], requiresGrad: true);
        z.Long().RequiresGrad.Should().BeFalse("integer results are not differentiable");
    }

    [Fact]
    public void Promotion_FollowsPyTorchsTable()
    {
        DTypes.Promote(DType.Int64, DType.Float32).Should().Be(DType.Float32);
        DTypes.Promote(DType.Float32, DType.Float64).Should().Be(DType.Float64);
        DTypes.Promote(DType.Int32, DType.Int64).Should().Be(DType.Int64);
        DTypes.Promote(DType.Bool, DType.Int32).Should().Be(DType.Int32);
        DTypes.Promote(DType.Float16, DType.BFloat16).Should().Be(DType.Float32);
        DTypes.Promote(DType.Float16, DType.Float64).Should().Be(DType.Float64);
        DTypes.Promote(DType.Int64, DType.Float16).Should().Be(DType.Float16);
        DTypes.Promote(DType.Bool, DType.Bool).Should().Be(DType.Bool);
    }

    [Fact]
    public void Device_IsTheCpu()
    {
        Tensor.Ones(1).Device.Should().Be(Device.Cpu);
        Tensor.Ones(1).Device.ToString().Should().Be("cpu");
    }
}
