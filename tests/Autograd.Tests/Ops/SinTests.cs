using FluentAssertions;
using Xunit;

namespace Autograd.Tests.Ops;

public class SinTests
{
    [Fact]
    public void Backward_HandDerived()
    {
        var x = Tensor.From([0f, MathF.PI / 3f, MathF.PI / 2f, MathF.PI], requiresGrad: true);

        Tensor y = Tensor.Sin(x);
        y.ShouldBe([4], [0f, 0.8660254f, 1f, 0f]);
        y.Backward(Tensor.From([1f, 2f, 5f, 3f]));

        // d/dx sin x = cos x = [1, ½, 0, −1] at [0, π/3, π/2, π] → g ⊙ cos x = [1, 1, 0, −3].
        x.Grad.ShouldBe([4], [1f, 1f, 0f, -3f]);
        y.GradFn!.ToString().Should().Be("<SinBackward>");
    }

    [Fact]
    public void SecondDerivative_CreateGraph()
    {
        var x = Tensor.From([MathF.PI / 2f, MathF.PI / 6f], requiresGrad: true);

        x.Sin().Sum().Backward(createGraph: true);
        Tensor first = x.Grad!;
        x.Grad = null;
        first.Sum().Backward();

        // d/dx sin x = cos x = [0, √3/2];  d²/dx² sin x = −sin x = [−1, −½].
        first.ShouldBe([2], [0f, 0.8660254f]);
        x.Grad.ShouldBe([2], [-1f, -0.5f]);
    }

    [Fact]
    public void GradCheck_Random()
    {
        GradCheck.Assert(t => t[0].Sin(), [OpTest.Uniform([2, 3], -3f, 3f, 81)]);
        GradCheck.Assert(t => Tensor.Sin(t[0]), [OpTest.Uniform([], -3f, 3f, 82)]);
    }

    [Fact]
    public void GradCheck_SecondDerivative() =>
        GradCheck.Assert(OpTest.Gradient(t => t[0].Sin(), wrt: 0), [OpTest.Uniform([4], -3f, 3f, 83)]);

    [Fact]
    public void BackwardTwice_WithoutRetainGraph_Throws()
    {
        var x = Tensor.From([1f], requiresGrad: true);
        Tensor y = x.Sin().Sum();
        y.Backward();

        Action again = () => y.Backward();

        again.Should().Throw<InvalidOperationException>().WithMessage("Trying to backward through the graph a second time*");
    }
}
