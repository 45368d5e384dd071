using FluentAssertions;
using Xunit;

namespace Autograd.Tests.Ops;

public class SumToTests
{
    [Fact]
    public void Backward_HandDerived()
    {
        var x = Tensor.From([1f, 2f, 3f, 4f, 5f, 6f], [2, 3], requiresGrad: true);

        Tensor y = x.SumTo(3);

        // Sums the leading dimension away: [1 + 4, 2 + 5, 3 + 6].
        y.ShouldBe([3], [5f, 7f, 9f]);
        y.Backward(Tensor.From([1f, 2f, 3f]));

        // y[j] = Σᵢ x[i, j] → ∂L/∂x[i, j] = g[j] (g broadcast back).
        x.Grad.ShouldBe([2, 3], [1f, 2f, 3f, 1f, 2f, 3f]);
        y.GradFn!.ToString().Should().Be("<SumToBackward>");
    }

    [Fact]
    public void Backward_ToSizeOneDimension()
    {
        var x = Tensor.From([1f, 2f, 3f, 4f, 5f, 6f], [2, 3], requiresGrad: true);

        Tensor y = x.SumTo(2, 1);
        y.ShouldBe([2, 1], [6f, 15f]);
        y.Backward(Tensor.From([-1f, 2f], [2, 1]));

        x.Grad.ShouldBe([2, 3], [-1f, -1f, -1f, 2f, 2f, 2f]);
    }

    [Fact]
    public void Backward_ToScalar()
    {
        var x = Tensor.From([1f, 2f, 3f], requiresGrad: true);

        Tensor y = x.SumTo([]);
        y.ShouldBeScalar(6f);
        y.Backward(Tensor.Scalar(4f));
        x.Grad.ShouldBe([3], [4f, 4f, 4f]);
    }

    [Theory]
    [InlineData(new[] { 2, 3 }, new[] { 3 })]
    [InlineData(new[] { 2, 3 }, new[] { 2, 1 })]
    [InlineData(new[] { 2, 3, 4 }, new[] { 3, 1 })]
    [InlineData(new[] { 2, 3 }, new[] { 1, 1 })]
    [InlineData(new[] { 2, 3 }, new int[0])]
    public void GradCheck_Shapes(int[] from, int[] to) =>
        GradCheck.Assert(t => t[0].SumTo(to) * t[1], [OpTest.Uniform(from, -1f, 1f, 231), OpTest.Uniform(to, -1f, 1f, 232)]);

    [Fact]
    public void GradCheck_SumToOfTransposedView() =>
        GradCheck.Assert(t => t[0].T.SumTo(1, 2), [OpTest.Uniform([2, 3], -1f, 1f, 233)]);

    [Fact]
    public void NotExpandable_ThrowsWithPyTorchMessage()
    {
        Action act = () => Tensor.Ones(2, 3).SumTo(4);

        act.Should().Throw<ArgumentException>().WithMessage("size {[4]} is not expandable to size {[2, 3]}.*");
    }
}
