using FluentAssertions;
using Xunit;

namespace Autograd.Tests.Ops;

public class NegTests
{
    [Fact]
    public void Backward_HandDerived()
    {
        var x = Tensor.From([1f, -2f, 0f], requiresGrad: true);

        Tensor y = -x;
        y.ShouldBe([3], [-1f, 2f, 0f]);
        y.Backward(Tensor.From([3f, 4f, -5f]));

        // d(−x)/dx = −1 → −g.
        x.Grad.ShouldBe([3], [-3f, -4f, 5f]);
        y.GradFn!.ToString().Should().Be("<NegBackward>");
        x.Neg().ShouldBe([3], [-1f, 2f, 0f]);
    }

    [Fact]
    public void GradCheck_RandomAndZeroDim()
    {
        GradCheck.Assert(t => -t[0], [OpTest.Uniform([2, 3], -1f, 1f, 41)]);
        GradCheck.Assert(t => t[0].Neg(), [OpTest.Uniform([], -1f, 1f, 42)]);
    }

    [Fact]
    public void BackwardTwice_SavesNothing_SoItAccumulatesAsInPyTorch()
    {
        var x = Tensor.From([1f, 2f], requiresGrad: true);
        Tensor y = -x;

        // NegBackward keeps no tensors, so a second pass without retainGraph is legal (PyTorch agrees).
        y.Backward(Tensor.OnesLike(y));
        y.Backward(Tensor.OnesLike(y));

        x.Grad.ShouldBe([2], [-2f, -2f]);
    }
}
