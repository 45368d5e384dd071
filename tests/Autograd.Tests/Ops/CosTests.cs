using FluentAssertions;
using Xunit;

namespace Autograd.Tests.Ops;

public class CosTests
{
    [Fact]
    public void Backward_HandDerived()
    {
        var x = Tensor.From([0f, MathF.PI / 6f, MathF.PI / 2f, -MathF.PI / 2f], requiresGrad: true);

        Tensor y = Tensor.Cos(x);
        y.ShouldBe([4], [1f, 0.8660254f, 0f, 0f]);
        y.Backward(Tensor.From([1f, 2f, 3f, 4f]));

        // d/dx cos x = −sin x = [0, −½, −1, 1] → g ⊙ (−sin x) = [0, −1, −3, 4].
        x.Grad.ShouldBe([4], [0f, -1f, -3f, 4f]);
        y.GradFn!.ToString().Should().Be("<CosBackward>");
    }

    [Fact]
    public void SecondDerivative_CreateGraph()
    {
        var x = Tensor.Scalar(MathF.PI / 3f, requiresGrad: true);

        x.Cos().Backward(createGraph: true);
        Tensor first = x.Grad!;
        x.Grad = null;
        first.Backward();

        // d/dx cos x = −sin x = −√3/2;  d²/dx² cos x = −cos x = −½.
        first.ShouldBeScalar(-0.8660254f);
        x.Grad.ShouldBeScalar(-0.5f);
    }

    [Fact]
    public void GradCheck_Random()
    {
        GradCheck.Assert(t => t[0].Cos(), [OpTest.Uniform([2, 3], -3f, 3f, 91)]);
        GradCheck.Assert(t => Tensor.Cos(t[0]), [OpTest.Uniform([], -3f, 3f, 92)]);
    }

    [Fact]
    public void GradCheck_SecondDerivative() =>
        GradCheck.Assert(OpTest.Gradient(t => t[0].Cos(), wrt: 0), [OpTest.Uniform([4], -3f, 3f, 93)]);

    [Fact]
    public void BackwardTwice_WithoutRetainGraph_Throws()
    {
        var x = Tensor.From([1f], requiresGrad: true);
        Tensor y = x.Cos().Sum();
        y.Backward();

        Action again = () => y.Backward();

        again.Should().Throw<InvalidOperationException>().WithMessage("Trying to backward through the graph a second time*");
    }
}
