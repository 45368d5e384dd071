using FluentAssertions;
using Xunit;

namespace Autograd.Tests.Ops;

public class SigmoidTests
{
    [Fact]
    public void Backward_HandDerived()
    {
        var x = Tensor.From([0f, MathF.Log(3f), -MathF.Log(3f)], requiresGrad: true);

        Tensor y = Tensor.Sigmoid(x);

        // σ(0) = ½, σ(ln 3) = 3/(3 + 1) = ¾, σ(−ln 3) = ¼.
        y.ShouldBe([3], [0.5f, 0.75f, 0.25f]);
        y.Backward(Tensor.From([4f, 16f, 1f]));

        // dσ/dx = σ(1 − σ) = [¼, 3/16, 3/16] → g ⊙ σ(1 − σ) = [1, 3, 0.1875].
        x.Grad.ShouldBe([3], [1f, 3f, 0.1875f]);
        y.GradFn!.ToString().Should().Be("<SigmoidBackward>");
    }

    [Fact]
    public void Saturated_GivesZeroGradientNotNaN()
    {
        var x = Tensor.From([100f, -100f, 1e4f, -1e4f], requiresGrad: true);
        Tensor y = x.Sigmoid();
        y.Sum().Backward();

        // σ → 1 or 0 and σ(1 − σ) → 0, with no ∞/∞ on the way.
        y.ShouldBe([4], [1f, 0f, 1f, 0f]);
        x.Grad.ShouldBe([4], [0f, 0f, 0f, 0f]);
    }

    [Fact]
    public void SecondDerivative_CreateGraph()
    {
        var x = Tensor.Scalar(MathF.Log(3f), requiresGrad: true);

        x.Sigmoid().Backward(createGraph: true);
        Tensor first = x.Grad!;
        x.Grad = null;
        first.Backward();

        // σ'' = σ(1 − σ)(1 − 2σ) = ¾·¼·(−½) = −3/32.
        x.Grad.ShouldBeScalar(-0.09375f);
    }

    [Fact]
    public void GradCheck_Random()
    {
        GradCheck.Assert(t => t[0].Sigmoid(), [OpTest.Uniform([2, 3], -4f, 4f, 101)]);
        GradCheck.Assert(t => Tensor.Sigmoid(t[0]), [OpTest.Uniform([], -4f, 4f, 102)]);
    }

    [Fact]
    public void GradCheck_SecondDerivative() =>
        GradCheck.Assert(OpTest.Gradient(t => t[0].Sigmoid(), wrt: 0), [OpTest.Uniform([4], -4f, 4f, 103)]);

    [Fact]
    public void BackwardTwice_WithoutRetainGraph_Throws()
    {
        var x = Tensor.From([1f], requiresGrad: true);
        Tensor y = x.Sigmoid().Sum();
        y.Backward();

        Action again = () => y.Backward();

        again.Should().Throw<InvalidOperationException>().WithMessage("Trying to backward through the graph a second time*");
    }
}
