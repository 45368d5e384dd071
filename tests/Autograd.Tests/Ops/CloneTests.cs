using FluentAssertions;
using Xunit;

namespace Autograd.Tests.Ops;

public class CloneTests
{
    [Fact]
    public void Backward_HandDerived()
    {
        var x = Tensor.From([1f, 2f], requiresGrad: true);

        Tensor y = x.Clone();
        y.ShouldBe([2], [1f, 2f]);
        y.Backward(Tensor.From([3f, -4f]));

        // d(copy of x)/dx = 1 → g.
        x.Grad.ShouldBe([2], [3f, -4f]);
        y.GradFn!.ToString().Should().Be("<CloneBackward>");
    }

    [Fact]
    public void Clone_OwnsItsStorage()
    {
        var x = Tensor.From([1f, 2f]);
        Tensor y = x.Clone();

        y[0] = 10f;

        x[0].Should().Be(1f);
        y.ToArray().Should().Equal(10f, 2f);
    }

    [Fact]
    public void Clone_OfTransposedView_IsContiguousAndDifferentiable()
    {
        var x = Tensor.From([1f, 2f, 3f, 4f, 5f, 6f], [2, 3], requiresGrad: true);

        Tensor y = x.T.Clone();
        y.ShouldBe([3, 2], [1f, 4f, 2f, 5f, 3f, 6f]);
        y.Strides().Should().Equal(2, 1);
        y.Backward(Tensor.From([1f, 4f, 2f, 5f, 3f, 6f], [3, 2]));

        // Clone passes g through; the transpose maps it back: x.Grad = gᵀ.
        x.Grad.ShouldBe([2, 3], [1f, 2f, 3f, 4f, 5f, 6f]);
    }

    [Fact]
    public void GradCheck_Random()
    {
        GradCheck.Assert(t => t[0].Clone(), [OpTest.Uniform([2, 3], -1f, 1f, 241)]);
        GradCheck.Assert(t => t[0].Clone(), [OpTest.Uniform([], -1f, 1f, 242)]);
        GradCheck.Assert(t => t[0].Expand(2, 3).Clone(), [OpTest.Uniform([3], -1f, 1f, 243)]);
    }
}
