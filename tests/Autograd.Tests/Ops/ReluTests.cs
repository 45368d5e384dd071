using FluentAssertions;
using Xunit;

namespace Autograd.Tests.Ops;

public class ReluTests
{
    [Fact]
    public void Backward_HandDerived()
    {
        var x = Tensor.From([-2f, -0.5f, 0f, 0.5f, 3f], requiresGrad: true);

        Tensor y = Tensor.Relu(x);
        y.ShouldBe([5], [0f, 0f, 0f, 0.5f, 3f]);
        y.Backward(Tensor.From([1f, 2f, 3f, 4f, 5f]));

        // d/dx max(x, 0) = [x > 0]; at the kink x = 0 PyTorch takes 0 → g ⊙ [0, 0, 0, 1, 1].
        x.Grad.ShouldBe([5], [0f, 0f, 0f, 4f, 5f]);
        y.GradFn!.ToString().Should().Be("<ReluBackward>");
    }

    [Fact]
    public void SecondDerivative_IsZero()
    {
        var x = Tensor.From([-1f, 2f], requiresGrad: true);

        (x.Relu() * x).Sum().Backward(createGraph: true);
        Tensor first = x.Grad!;
        x.Grad = null;
        first.Sum().Backward();

        // f = relu(x)·x = x² for x > 0, 0 below:  f' = [0, 2x] = [0, 4],  f'' = [0, 2] (the step mask is constant).
        first.ShouldBe([2], [0f, 4f]);
        x.Grad.ShouldBe([2], [0f, 2f]);
    }

    [Fact]
    public void GradCheck_AwayFromKink()
    {
        GradCheck.Assert(t => t[0].Relu(), [OpTest.AwayFromZero([3, 4], 0.1f, 1f, 111)]);
        GradCheck.Assert(t => Tensor.Relu(t[0]), [OpTest.AwayFromZero([], 0.1f, 1f, 112)]);
    }

    [Fact]
    public void BackwardTwice_WithoutRetainGraph_Throws()
    {
        var x = Tensor.From([1f], requiresGrad: true);
        Tensor y = x.Relu().Sum();
        y.Backward();

        Action again = () => y.Backward();

        again.Should().Throw<InvalidOperationException>().WithMessage("Trying to backward through the graph a second time*");
    }
}
