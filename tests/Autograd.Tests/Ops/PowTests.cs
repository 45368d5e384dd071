using FluentAssertions;
using Xunit;

namespace Autograd.Tests.Ops;

public class PowTests
{
    /// <summary>
    /// d/dx xᵖ = p·xᵖ⁻¹, at x = 4:
    /// p = 0: 4⁰ = 1, gradient 0 (the constant);  p = 1: 4, 1;  p = 2: 16, 2·4 = 8;  p = 3: 64, 3·16 = 48;
    /// p = ½: 2, ½·4^−½ = ¼;  p = −½: ½, −½·4^−³ᐟ² = −1/16;  p = −1: ¼, −1/16;  p = −2: 1/16, −2·4⁻³ = −1/32;
    /// p = 1.7: 4^1.7 = 2^3.4 ≈ 10.556063, 1.7·4^0.7 = 1.7·2^1.4 ≈ 4.4863268.
    /// </summary>
    [Theory]
    [InlineData(0f, 1f, 0f)]
    [InlineData(1f, 4f, 1f)]
    [InlineData(2f, 16f, 8f)]
    [InlineData(3f, 64f, 48f)]
    [InlineData(0.5f, 2f, 0.25f)]
    [InlineData(-0.5f, 0.5f, -0.0625f)]
    [InlineData(-1f, 0.25f, -0.0625f)]
    [InlineData(-2f, 0.0625f, -0.03125f)]
    [InlineData(1.7f, 10.556063f, 4.4863268f)]
    public void Backward_HandDerived_AtFour(float exponent, float expectedValue, float expectedGrad)
    {
        var x = Tensor.From([4f], requiresGrad: true);

        Tensor y = x.Pow(exponent);
        y.ShouldBe([1], [expectedValue], 1e-6);
        y.Backward(Tensor.From([1f]));

        x.Grad.ShouldBe([1], [expectedGrad], 1e-6);
        y.GradFn!.ToString().Should().Be("<PowBackward>");
    }

    /// <summary>
    /// Integer exponents of negative bases: p = 2 at −3: 9, 2·(−3) = −6;  p = 3 at −3: −27, 3·9 = 27;
    /// p = −1 at −2: −½, −(−2)⁻² = −¼;  p = −2 at −2: ¼, −2·(−2)⁻³ = ¼.
    /// </summary>
    [Theory]
    [InlineData(2f, -3f, 9f, -6f)]
    [InlineData(3f, -3f, -27f, 27f)]
    [InlineData(-1f, -2f, -0.5f, -0.25f)]
    [InlineData(-2f, -2f, 0.25f, 0.25f)]
    public void Backward_HandDerived_NegativeBase(float exponent, float at, float expectedValue, float expectedGrad)
    {
        var x = Tensor.Scalar(at, requiresGrad: true);

        Tensor y = Tensor.Pow(x, exponent);
        y.ShouldBeScalar(expectedValue);
        y.Backward();

        x.Grad.ShouldBeScalar(expectedGrad);
    }

    [Fact]
    public void Backward_AtZero_MatchesPyTorch()
    {
        // x⁰ is the constant 1 (gradient 0 even at 0); x¹ has gradient 1; x² and x³ have 2x = 0 and 3x² = 0.
        foreach ((float p, float value, float grad) in new[] { (0f, 1f, 0f), (1f, 0f, 1f), (2f, 0f, 0f), (3f, 0f, 0f) })
        {
            var x = Tensor.Scalar(0f, requiresGrad: true);
            Tensor y = x.Pow(p);
            y.Backward();
            y.ShouldBeScalar(value);
            x.Grad.ShouldBeScalar(grad);
        }

        // √x at 0: ½·0^−½ = +∞, as PyTorch gives.
        var root = Tensor.Scalar(0f, requiresGrad: true);
        root.Sqrt().Backward();
        root.Grad!.Item().Should().Be(float.PositiveInfinity);
    }

    [Fact]
    public void SecondAndThirdDerivative_CreateGraph()
    {
        var x = Tensor.Scalar(2f, requiresGrad: true);

        x.Pow(3f).Backward(createGraph: true);

        // d/dx x³ = 3x² = 12.
        Tensor first = x.Grad!;
        first.ShouldBeScalar(12f);

        x.Grad = null;
        first.Backward(createGraph: true);

        // d²/dx² x³ = 6x = 12.
        Tensor second = x.Grad!;
        second.ShouldBeScalar(12f);

        x.Grad = null;
        second.Backward();

        // d³/dx³ x³ = 6.
        x.Grad.ShouldBeScalar(6f);
    }

    [Fact]
    public void SecondDerivative_OfSquareRoot()
    {
        var x = Tensor.Scalar(4f, requiresGrad: true);

        x.Pow(0.5f).Backward(createGraph: true);
        Tensor first = x.Grad!;

        // d/dx √x = ½x^−½ = ¼;  d²/dx² √x = −¼x^−³ᐟ² = −1/32.
        first.ShouldBeScalar(0.25f);
        x.Grad = null;
        first.Backward();
        x.Grad.ShouldBeScalar(-0.03125f);
    }

    [Theory]
    [InlineData(0f)]
    [InlineData(1f)]
    [InlineData(2f)]
    [InlineData(3f)]
    [InlineData(0.5f)]
    [InlineData(-0.5f)]
    [InlineData(-1f)]
    [InlineData(-2f)]
    [InlineData(1.7f)]
    public void GradCheck_PositiveBase(float exponent) =>
        GradCheck.Assert(t => t[0].Pow(exponent), [OpTest.Uniform([2, 3], 0.5f, 2f, 51)]);

    [Theory]
    [InlineData(2f)]
    [InlineData(3f)]
    [InlineData(-1f)]
    [InlineData(-2f)]
    public void GradCheck_SignedBase_IntegerExponent(float exponent) =>
        GradCheck.Assert(t => t[0].Pow(exponent), [OpTest.AwayFromZero([2, 3], 0.5f, 2f, 52)]);

    [Theory]
    [InlineData(3f)]
    [InlineData(0.5f)]
    [InlineData(-2f)]
    [InlineData(1.7f)]
    public void GradCheck_SecondDerivative(float exponent) =>
        GradCheck.Assert(OpTest.Gradient(t => t[0].Pow(exponent), wrt: 0), [OpTest.Uniform([3], 0.5f, 2f, 53)]);

    [Fact]
    public void NegativeBase_FractionalExponent_IsNaNAsInPyTorch()
    {
        var x = Tensor.Scalar(-4f, requiresGrad: true);
        Tensor y = x.Pow(0.5f);
        y.Backward();

        float.IsNaN(y.Item()).Should().BeTrue();
        float.IsNaN(x.Grad!.Item()).Should().BeTrue();
    }

    [Fact]
    public void BackwardTwice_WithoutRetainGraph_Throws()
    {
        var x = Tensor.From([2f], requiresGrad: true);
        Tensor y = x.Pow(2f).Sum();
        y.Backward();

        Action again = () => y.Backward();

        again.Should().Throw<InvalidOperationException>().WithMessage("Trying to backward through the graph a second time*");
    }
}
