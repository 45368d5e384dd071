using FluentAssertions;
using Xunit;

namespace Autograd.Tests.Ops;

public class MaxTests
{
    [Fact]
    public void Backward_HandDerived_UniqueMaximum()
    {
        var x = Tensor.From([1f, 5f, -2f, 3f], [2, 2], requiresGrad: true);

        Tensor m = x.Max();
        m.ShouldBeScalar(5f);
        m.Backward(Tensor.Scalar(2f));

        // max picks x[0, 1]: ∂max/∂x = one-hot at the maximum → g there, 0 elsewhere.
        x.Grad.ShouldBe([2, 2], [0f, 2f, 0f, 0f]);
        m.GradFn!.ToString().Should().Be("<MaxBackward>");
    }

    [Fact]
    public void Backward_Ties_ShareGradientEvenly()
    {
        var x = Tensor.From([3f, 1f, 3f], requiresGrad: true);

        x.Max().Backward();

        // PyTorch's full max() distributes the gradient evenly over ties: ½ each.
        x.Grad.ShouldBe([3], [0.5f, 0f, 0.5f]);
    }

    [Fact]
    public void GradCheck_DistinctValues()
    {
        // A permutation of well-separated values: no ties within the finite-difference step.
        Tensor x = Tensor.From([0.3f, -0.9f, 0.7f, 0.1f, -0.4f, 0.5f], [2, 3], requiresGrad: true);
        GradCheck.Assert(t => t[0].Max(), [x]);
        GradCheck.Assert(t => t[0].Max(), [OpTest.Uniform([], -1f, 1f, 141)]);
    }

    [Fact]
    public void Empty_ThrowsWithPyTorchMessage()
    {
        Action act = () => Tensor.Zeros(0).Max();

        act.Should().Throw<InvalidOperationException>()
            .WithMessage("max(): Expected reduction dim to be specified for input.numel() == 0.*");
    }
}
