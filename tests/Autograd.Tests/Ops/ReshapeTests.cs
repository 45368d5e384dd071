using FluentAssertions;
using Xunit;

namespace Autograd.Tests.Ops;

public class ReshapeTests
{
    [Fact]
    public void Backward_HandDerived()
    {
        var x = Tensor.From([1f, 2f, 3f, 4f, 5f, 6f], [2, 3], requiresGrad: true);

        Tensor y = x.Reshape(3, 2);
        y.ShouldBe([3, 2], [1f, 2f, 3f, 4f, 5f, 6f]);
        y.Backward(Tensor.From([10f, 20f, 30f, 40f, 50f, 60f], [3, 2]));

        // Reshape keeps the row-major order, so ∂L/∂x is g read back in x's shape.
        x.Grad.ShouldBe([2, 3], [10f, 20f, 30f, 40f, 50f, 60f]);
        y.GradFn!.ToString().Should().Be("<ReshapeBackward>");
    }

    [Fact]
    public void Backward_OfTransposedView_CopiesInTransposedOrder()
    {
        var x = Tensor.From([1f, 2f, 3f, 4f, 5f, 6f], [2, 3], requiresGrad: true);

        Tensor y = x.T.Reshape(-1);

        // xᵀ in row-major order is [x00, x10, x01, x11, x02, x12].
        y.ShouldBe([6], [1f, 4f, 2f, 5f, 3f, 6f]);
        y.Backward(Tensor.From([1f, 2f, 3f, 4f, 5f, 6f]));

        // y[2j + i] = x[i, j] → x.Grad[i, j] = g[2j + i].
        x.Grad.ShouldBe([2, 3], [1f, 3f, 5f, 2f, 4f, 6f]);
    }

    [Theory]
    [InlineData(new[] { 2, 3 }, new[] { 6 })]
    [InlineData(new[] { 2, 3 }, new[] { 3, -1 })]
    [InlineData(new[] { 2, 2, 2 }, new[] { 4, 1, 2 })]
    [InlineData(new[] { 1 }, new int[0])]
    [InlineData(new int[0], new[] { 1, 1 })]
    public void GradCheck_Shapes(int[] from, int[] to) =>
        GradCheck.Assert(t => t[0].Reshape(to) * 1f, [OpTest.Uniform(from, -1f, 1f, 201)]);

    [Fact]
    public void GradCheck_NonContiguousSource() =>
        GradCheck.Assert(t => t[0].Transpose(0, 2).Reshape(4, 6), [OpTest.Uniform([2, 3, 4], -1f, 1f, 202)]);

    [Fact]
    public void WrongElementCount_ThrowsWithPyTorchMessage()
    {
        Action act = () => Tensor.Ones(6).Reshape(4, 2);

        act.Should().Throw<ArgumentException>().WithMessage("shape '[4, 2]' is invalid for input of size 6*");
    }

    [Fact]
    public void TwoInferredDimensions_ThrowsWithPyTorchMessage()
    {
        Action act = () => Tensor.Ones(6).Reshape(-1, -1);

        act.Should().Throw<ArgumentException>().WithMessage("only one dimension can be inferred*");
    }

    [Fact]
    public void NonContiguousSource_IsAViewWhenTheStridesAllowIt()
    {
        // Columns 1..2 of a 3×4 matrix (strides [4, 1]): splitting a dimension keeps the runs, so no copy is made …
        var x = Tensor.Arange(12f).Reshape(3, 4);
        Tensor columns = x.Slice(1, 1, 3);
        Tensor split = columns.Reshape(3, 2, 1);
        split.Strides().Should().Equal(4, 1, 1);
        x[2, 2] = 100f;
        split[2, 1, 0].Should().Be(100f);

        // … merging rows and columns cannot be strided, so that reshape copies (and does not see later writes).
        Tensor merged = columns.Reshape(6);
        merged.ShouldBe([6], [1f, 2f, 5f, 6f, 9f, 100f]);
        x[0, 1] = -1f;
        merged[0].Should().Be(1f);
    }
}
