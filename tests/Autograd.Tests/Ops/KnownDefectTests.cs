using FluentAssertions;
using Xunit;

namespace Autograd.Tests.Ops;

/// <summary>Defects found by testing against PyTorch 1.13 (issue 9), each against PyTorch's values.</summary>
public class KnownDefectTests
{
    /// <summary>
    /// d(a/b)/db = −g·((a/b)/b), formed without b²: at a = 0, b = 1e-30 PyTorch gives −0 (b² would underflow to 0 and
    /// give NaN); at a = 1e10, b = 1e20 it gives −1e-30 (b² would overflow to ∞ and give −0).
    /// </summary>
    [Theory]
    [InlineData(0f, 1e-30f, 1e30f, -0f)]
    [InlineData(1e10f, 1e20f, 1e-20f, -1e-30f)]
    public void DivisionGradient_AtExtremeDivisors_MatchesPyTorch(float a, float b, float expectedA, float expectedB)
    {
        var x = Tensor.From([a], requiresGrad: true);
        var y = Tensor.From([b], requiresGrad: true);
        (x / y).Sum().Backward();
        x.Grad!.ToArray()[0].Should().Be(expectedA);
        float gradB = y.Grad!.ToArray()[0];
        gradB.Should().Be(expectedB);
        float.IsNegative(gradB).Should().BeTrue("PyTorch's gradient is negative (−0 included)");
    }

    /// <summary>
    /// s / b = reciprocal(b)·s: ∂/∂b = −(g·s)·(1/b)²; PyTorch 1.13 gives [−inf, −0.75, −3e-40] at b = [1e-30, 2, 1e20]
    /// with s = 3 (the first because (1/b)² overflows float32, the last a subnormal).
    /// </summary>
    [Fact]
    public void ScalarOverTensorGradient_MatchesPyTorch()
    {
        var b = Tensor.From([1e-30f, 2f, 1e20f], requiresGrad: true);
        (3f / b).Sum().Backward();
        float[] grad = b.Grad!.ToArray();
        grad[0].Should().Be(float.NegativeInfinity);
        grad[1].Should().Be(-0.75f);
        grad[2].Should().BeApproximately(-3e-40f, 1e-45f);
    }

    /// <summary>
    /// y = 1/exp(x) at x = 30: y' = −exp(−30) = −9.3576e-14 and y'' = exp(−30) = 9.3576e-14 (PyTorch 1.13: the same);
    /// the old b²-based rule gave the second derivative the wrong sign.
    /// </summary>
    [Fact]
    public void SecondDerivativeOfOneOverExp_HasPyTorchsSign()
    {
        var x = Tensor.From([30f], requiresGrad: true);
        (1f / x.Exp()).Sum().Backward(createGraph: true);
        Tensor first = x.Grad!;
        ((double)first.ToArray()[0]).Should().BeApproximately(-Math.Exp(-30), 1e-19);
        x.Grad = null;
        first.Sum().Backward();
        ((double)x.Grad!.ToArray()[0]).Should().BeApproximately(Math.Exp(-30), 1e-19);
    }

    /// <summary>relu's gradient passes through NaN: x = [NaN, 1, 0, −1] gives [1, 1, 0, 0] (PyTorch 1.13: the same).</summary>
    [Theory]
    [InlineData(DType.Float32)]
    [InlineData(DType.Float64)]
    public void ReluGradient_PassesThroughNaN(DType dtype)
    {
        var x = Tensor.From([float.NaN, 1f, 0f, -1f]).To(dtype);
        x.RequiresGrad = true;
        Tensor y = x.Relu();
        float.IsNaN(y.ToArray()[0]).Should().BeTrue("relu keeps NaN");
        y.Sum().Backward();
        x.Grad!.ToArray().Should().Equal(1f, 1f, 0f, 0f);

        // The unfused path (a recorded backward) gives the same mask.
        var z = Tensor.From([float.NaN, 2f, -3f], requiresGrad: true);
        z.Relu().Sum().Backward(createGraph: true);
        z.Grad!.ToArray().Should().Equal(1f, 1f, 0f);
    }

    [Theory]
    [InlineData(0f, float.NaN, "unsupported range: 0 -> nan")]
    [InlineData(0f, float.PositiveInfinity, "unsupported range: 0 -> inf")]
    [InlineData(float.NaN, 3f, "unsupported range: nan -> 3")]
    public void Arange_WithANonFiniteBound_IsPyTorchsError(float start, float end, string message) =>
        FluentActions.Invoking(() => Tensor.Arange(start, end)).Should().Throw<ArgumentException>().WithMessage(message + "*");
}
