using FluentAssertions;
using Xunit;

namespace Autograd.Tests.Ops;

public class LogTests
{
    [Fact]
    public void Backward_HandDerived()
    {
        var x = Tensor.From([0.5f, 1f, 4f], requiresGrad: true);

        Tensor y = Tensor.Log(x);
        y.ShouldBe([3], [-0.6931472f, 0f, 1.3862944f]);
        y.Backward(Tensor.From([1f, 2f, 2f]));

        // d/dx ln x = 1/x → g/x = [1/0.5, 2/1, 2/4] = [2, 2, 0.5].
        x.Grad.ShouldBe([3], [2f, 2f, 0.5f]);
        y.GradFn!.ToString().Should().Be("<LogBackward>");
    }

    [Fact]
    public void SecondDerivative_CreateGraph()
    {
        var x = Tensor.Scalar(2f, requiresGrad: true);

        x.Log().Backward(createGraph: true);
        Tensor first = x.Grad!;
        x.Grad = null;
        first.Backward();

        // d/dx ln x = 1/x = ½;  d²/dx² ln x = −1/x² = −¼.
        first.ShouldBeScalar(0.5f);
        x.Grad.ShouldBeScalar(-0.25f);
    }

    [Fact]
    public void AtZeroAndBelow_MatchesPyTorch()
    {
        var x = Tensor.From([0f, -1f], requiresGrad: true);
        Tensor y = x.Log();
        y.Sum().Backward();

        // ln 0 = −∞ with gradient 1/0 = +∞; ln(−1) = NaN with gradient 1/(−1) = −1.
        y[0].Should().Be(float.NegativeInfinity);
        float.IsNaN(y[1]).Should().BeTrue();
        x.Grad!.ToArray().Should().Equal(float.PositiveInfinity, -1f);
    }

    [Fact]
    public void GradCheck_Random()
    {
        GradCheck.Assert(t => t[0].Log(), [OpTest.Uniform([2, 3], 0.1f, 3f, 71)]);
        GradCheck.Assert(t => Tensor.Log(t[0]), [OpTest.Uniform([], 0.5f, 3f, 72)]);
    }

    [Fact]
    public void GradCheck_SecondDerivative() =>
        GradCheck.Assert(OpTest.Gradient(t => t[0].Log(), wrt: 0), [OpTest.Uniform([4], 0.5f, 3f, 73)]);

    [Fact]
    public void BackwardTwice_WithoutRetainGraph_Throws()
    {
        var x = Tensor.From([1f], requiresGrad: true);
        Tensor y = x.Log().Sum();
        y.Backward();

        Action again = () => y.Backward();

        again.Should().Throw<InvalidOperationException>().WithMessage("Trying to backward through the graph a second time*");
    }
}
