using FluentAssertions;
using Xunit;

namespace Autograd.Tests.Ops;

public class ExpTests
{
    private static readonly float s_ln2 = MathF.Log(2f);

    [Fact]
    public void Backward_HandDerived()
    {
        var x = Tensor.From([0f, s_ln2, -s_ln2], requiresGrad: true);

        Tensor y = Tensor.Exp(x);
        y.ShouldBe([3], [1f, 2f, 0.5f]);
        y.Backward(Tensor.From([1f, 3f, 2f]));

        // d/dx eˣ = eˣ → g ⊙ eˣ = [1·1, 3·2, 2·½] = [1, 6, 1].
        x.Grad.ShouldBe([3], [1f, 6f, 1f]);
        y.GradFn!.ToString().Should().Be("<ExpBackward>");
    }

    [Fact]
    public void SecondDerivative_CreateGraph()
    {
        var x = Tensor.Scalar(s_ln2, requiresGrad: true);

        x.Exp().Backward(createGraph: true);
        Tensor first = x.Grad!;
        x.Grad = null;
        first.Backward();

        // d/dx eˣ = d²/dx² eˣ = eˣ = 2 at x = ln 2.
        first.ShouldBeScalar(2f);
        x.Grad.ShouldBeScalar(2f);
    }

    [Fact]
    public void LargeArguments_OverflowToInfinityAsInFloat32()
    {
        var x = Tensor.From([100f, -200f], requiresGrad: true);
        Tensor y = x.Exp();
        y.Sum().Backward();

        // e¹⁰⁰ exceeds float32's range (≈ 3.4e38) and e⁻²⁰⁰ underflows: PyTorch gives [inf, 0] for both.
        y.ToArray().Should().Equal(float.PositiveInfinity, 0f);
        x.Grad!.ToArray().Should().Equal(float.PositiveInfinity, 0f);
    }

    [Fact]
    public void GradCheck_Random()
    {
        GradCheck.Assert(t => t[0].Exp(), [OpTest.Uniform([2, 3], -2f, 2f, 61)]);
        GradCheck.Assert(t => Tensor.Exp(t[0]), [OpTest.Uniform([], -2f, 2f, 62)]);
    }

    [Fact]
    public void GradCheck_SecondDerivative() =>
        GradCheck.Assert(OpTest.Gradient(t => t[0].Exp(), wrt: 0), [OpTest.Uniform([4], -2f, 2f, 63)]);

    [Fact]
    public void BackwardTwice_WithoutRetainGraph_Throws()
    {
        var x = Tensor.From([1f], requiresGrad: true);
        Tensor y = x.Exp().Sum();
        y.Backward();

        Action again = () => y.Backward();

        again.Should().Throw<InvalidOperationException>().WithMessage("Trying to backward through the graph a second time*");
    }
}
