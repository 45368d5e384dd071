using Autograd.Kernels;
using FluentAssertions;
using Xunit;

namespace Autograd.Tests.Ops.ElementwiseMath;

/// <summary>Values and gradients derived by hand, node names, and the accuracy of the erf kernels against mpmath.</summary>
public class MathHandDerivedTests
{
    [Fact]
    public void Asinh_AtZero_HasSlopeOne()
    {
        var x = Tensor.From([0.0, 1.0], requiresGrad: true);
        Tensor y = x.Asinh();
        y.Backward(Tensor.OnesLike(y));

        // d/dx asinh x = 1/√(1 + x²): 1 at 0 and 1/√2 at 1; asinh 1 = ln(1 + √2).
        y.ToArray<double>().Should().Equal([0.0, Math.Log(1 + Math.Sqrt(2))], (p, q) => Math.Abs(p - q) < 1e-15);
        x.Grad!.ToArray<double>().Should().Equal([1.0, 1 / Math.Sqrt(2)], (p, q) => Math.Abs(p - q) < 1e-15);
        y.GradFn!.ToString().Should().Be("<AsinhBackward>");
    }

    [Fact]
    public void Atan2_Quadrants_AndGradient()
    {
        var a = Tensor.From([1.0, 1.0, -1.0, 0.0], requiresGrad: true);
        var b = Tensor.From([1.0, -1.0, -1.0, -1.0], requiresGrad: true);
        Tensor y = Tensor.Atan2(a, b);
        y.Backward(Tensor.OnesLike(y));

        // atan2 of (1,1), (1,−1), (−1,−1), (0,−1) = π/4, 3π/4, −3π/4, π. ∂/∂a = b/(a²+b²), ∂/∂b = −a/(a²+b²).
        y.ToArray<double>().Should().Equal([Math.PI / 4, 3 * Math.PI / 4, -3 * Math.PI / 4, Math.PI], (p, q) => Math.Abs(p - q) < 1e-15);
        a.Grad!.ToArray<double>().Should().Equal([0.5, -0.5, -0.5, -1.0]);
        b.Grad!.ToArray<double>().Should().Equal([-0.5, -0.5, 0.5, 0.0]);
        y.GradFn!.ToString().Should().Be("<Atan2Backward>");
    }

    [Fact]
    public void Maximum_SplitsTiesEvenly()
    {
        var a = Tensor.From([1f, 2f, 3f], requiresGrad: true);
        var b = Tensor.From([1f, 5f, 0f], requiresGrad: true);
        Tensor y = Tensor.Maximum(a, b);
        y.Backward(Tensor.From([4f, 4f, 4f]));

        // Tie at 0: each gets g/2 = 2; elsewhere the larger operand takes all of g.
        y.ToArray().Should().Equal([1f, 5f, 3f]);
        a.Grad!.ToArray().Should().Equal([2f, 0f, 4f]);
        b.Grad!.ToArray().Should().Equal([2f, 4f, 0f]);
        y.GradFn!.ToString().Should().Be("<MaximumBackward>");
    }

    [Fact]
    public void Clamp_TensorBounds_SendGradientToTheSelectedBound()
    {
        var x = Tensor.From([-2f, 0.5f, 3f], requiresGrad: true);
        var low = Tensor.From([0f, 0f, 0f], requiresGrad: true);
        var high = Tensor.From([1f, 1f, 1f], requiresGrad: true);
        Tensor y = x.Clamp(low, high);
        y.Backward(Tensor.From([1f, 2f, 3f]));

        // −2 → low (its g goes to low), 0.5 passes (to x), 3 → high (to high).
        y.ToArray().Should().Equal([0f, 0.5f, 1f]);
        x.Grad!.ToArray().Should().Equal([0f, 2f, 0f]);
        low.Grad!.ToArray().Should().Equal([1f, 0f, 0f]);
        high.Grad!.ToArray().Should().Equal([0f, 0f, 3f]);
        y.GradFn!.ToString().Should().Be("<ClampBackward>");
    }

    [Fact]
    public void Clamp_WithoutBounds_ThrowsPyTorchsMessage() =>
        FluentActions.Invoking(() => Tensor.Ones([2]).Clamp((double?)null, null)).Should().Throw<ArgumentException>()
            .WithMessage("torch.clamp: At least one of 'min' or 'max' must not be None");

    [Fact]
    public void Clamp_IntegerBounds_KeepIntegerDType()
    {
        Tensor y = Tensor.From([-5L, 1L, 9L]).Clamp(0, 3);
        y.DType.Should().Be(DType.Int64);
        y.ToArray<long>().Should().Equal([0L, 1L, 3L]);
    }

    [Fact]
    public void Pow_TensorExponent_GradientsToBoth()
    {
        var a = Tensor.From([2.0, 0.0, 0.0], requiresGrad: true);
        var b = Tensor.From([3.0, 2.0, 0.0], requiresGrad: true);
        Tensor y = Tensor.Pow(a, b);
        y.Backward(Tensor.OnesLike(y));

        // 2³ = 8: ∂/∂a = 3·2² = 12, ∂/∂b = 8·ln 2. 0² = 0: ∂/∂a = 2·0 = 0, ∂/∂b masked to 0 (a = 0, b ≥ 0).
        // 0⁰ = 1: ∂/∂a = 0 (b = 0), ∂/∂b masked to 0.
        y.ToArray<double>().Should().Equal([8.0, 0.0, 1.0]);
        a.Grad!.ToArray<double>().Should().Equal([12.0, 0.0, 0.0]);
        b.Grad!.ToArray<double>().Should().Equal([8 * Math.Log(2), 0.0, 0.0]);
        y.GradFn!.ToString().Should().Be("<PowBackward>");
    }

    [Fact]
    public void FmodAndRemainder_SignsAndDivisorGradient()
    {
        var a = Tensor.From([-7.0, 7.0], requiresGrad: true);
        var b = Tensor.From([2.0, -2.0], requiresGrad: true);
        Tensor f = Tensor.Fmod(a, b), r = Tensor.Remainder(a, b);

        // fmod keeps a's sign: −7 fmod 2 = −1, 7 fmod −2 = 1; remainder takes b's: 1, −1.
        f.ToArray<double>().Should().Equal([-1.0, 1.0]);
        r.ToArray<double>().Should().Equal([1.0, -1.0]);

        // ∂fmod/∂b = −trunc(a/b) = −trunc(−3.5), −trunc(−3.5) = 3, 3; ∂remainder/∂b = −floor(a/b) = 4, 4.
        (f.Sum() + (r.Sum() * 10.0)).Backward();
        b.Grad!.ToArray<double>().Should().Equal([3.0 + 40.0, 3.0 + 40.0]);
        a.Grad!.ToArray<double>().Should().Equal([11.0, 11.0]);
    }

    [Fact]
    public void IntegerDivisionByZero_Throws() =>
        FluentActions.Invoking(() => Tensor.Fmod(Tensor.From([1L]), 0L)).Should().Throw<DivideByZeroException>().WithMessage("ZeroDivisionError");

    [Fact]
    public void Remainder_OfMostNegativeByMinusOne_IsZero() =>
        Tensor.Remainder(Tensor.From([long.MinValue, 5L]), Tensor.From([-1L, -1L])).ToArray<long>().Should().Equal([0L, 0L]);

    [Fact]
    public void Lerp_EndpointsAreExact_AndGradients()
    {
        var start = Tensor.From([1f, -3f], requiresGrad: true);
        var end = Tensor.From([0.1f, 7f], requiresGrad: true);
        Tensor.Lerp(start, end, 1.0).ToArray().Should().Equal([0.1f, 7f]);
        Tensor y = Tensor.Lerp(start, end, 0.25);

        // 1 + ¼(0.1 − 1) = 0.775, −3 + ¼·10 = −0.5; ∂/∂start = 1 − ¼, ∂/∂end = ¼.
        y.Backward(Tensor.OnesLike(y));
        y.ToArray().Should().Equal([0.775f, -0.5f], (p, q) => Math.Abs(p - q) < 1e-6f);
        start.Grad!.ToArray().Should().Equal([0.75f, 0.75f]);
        end.Grad!.ToArray().Should().Equal([0.25f, 0.25f]);
        y.GradFn!.ToString().Should().Be("<LerpBackward>");
    }

    [Fact]
    public void Erf_HandValues_AndGradient()
    {
        var x = Tensor.From([0.0, 1.0], requiresGrad: true);
        Tensor y = x.Erf();
        y.Backward(Tensor.OnesLike(y));

        // d/dx erf x = (2/√π) e^(−x²): 2/√π at 0, (2/√π)/e at 1.
        x.Grad!.ToArray<double>().Should().Equal([2 / Math.Sqrt(Math.PI), 2 / Math.Sqrt(Math.PI) / Math.E], (p, q) => Math.Abs(p - q) < 1e-15);
        y.ToArray<double>()[0].Should().Be(0);
    }

    [Fact]
    public void NodeNames_FollowPyTorch()
    {
        var x = Tensor.From([0.5f], requiresGrad: true);
        x.Log1p().GradFn!.Name.Should().Be("Log1PBackward");
        x.Floor().GradFn!.Name.Should().Be("FloorBackward");
        x.Sgn().GradFn!.Name.Should().Be("SgnBackward");
        x.Square().GradFn!.Name.Should().Be("PowBackward");
        x.Sqrt().GradFn!.Name.Should().Be("SqrtBackward");
        x.ClampMin(0.0).GradFn!.Name.Should().Be("ClampMinBackward");
        x.Fmod(2.0).GradFn!.Name.Should().Be("FmodBackward");
        x.Round(2).GradFn!.Name.Should().Be("RoundBackward");
    }

    [Fact]
    public void IntegerInputs_PromoteOrKeepAsPyTorch()
    {
        Tensor ints = Tensor.From([-4L, 9L]);
        ints.Abs().DType.Should().Be(DType.Int64);
        ints.Sign().ToArray<long>().Should().Equal([-1L, 1L]);
        ints.Floor().DType.Should().Be(DType.Int64);
        ints.Sqrt().DType.Should().Be(DType.Float32);
        ints.Sqrt().ToArray()[1].Should().Be(3f);
        Tensor.From([-4, 9]).Abs().DType.Should().Be(DType.Int32);
    }

    /// <summary>
    /// The float64 kernels against mpmath at 40 digits (values printed by mpmath for these exact doubles). PyTorch 1.13's
    /// own float64 erfinv is off by up to 1e-8 relative in the far tails (erfinv(0.9999999999) = 4.572825001), so the
    /// tails are checked here rather than in the PyTorch fixture.
    /// </summary>
    [Theory]
    [InlineData("erfinv", -0.999999, -3.458910737275499)]
    [InlineData("erfinv", 0.9999999999, 4.572824958544925)]
    [InlineData("erfinv", 0.9999999999990905, 5.05125408524939)]
    [InlineData("erfinv", 0.3, 0.2724627147267543)]
    [InlineData("erfinv", 1e-300, 8.86226925452758e-301)]
    [InlineData("erfc", 0.5, 0.4795001221869535)]
    [InlineData("erfc", 1.5, 0.033894853524689274)]
    [InlineData("erfc", 2.4, 0.0006885138966450789)]
    [InlineData("erfc", 2.6, 0.00023603441652934908)]
    [InlineData("erfc", 3.0, 2.209049699858544e-05)]
    [InlineData("erfc", 5.0, 1.537459794428035e-12)]
    [InlineData("erfc", 10.0, 2.088487583762545e-45)]
    [InlineData("erfc", 26.0, 5.663192408856143e-296)]
    [InlineData("erf", 0.5, 0.5204998778130465)]
    [InlineData("erf", 1.5, 0.9661051464753108)]
    [InlineData("erf", 2.4, 0.999311486103355)]
    [InlineData("erf", 2.6, 0.9997639655834707)]
    [InlineData("erf", 1e-10, 1.1283791670955126e-10)]
    public void SpecialFunctions_AgreeWithMpmath(string function, double x, double expected)
    {
        double actual = function switch
        {
            "erf" => SpecialFunctions.Erf(x),
            "erfc" => SpecialFunctions.Erfc(x),
            _ => SpecialFunctions.Erfinv(x),
        };

        // 8 ulp relative.
        actual.Should().BeApproximately(expected, 8 * Math.BitIncrement(Math.Abs(expected)) - (8 * Math.Abs(expected)));
    }
}
