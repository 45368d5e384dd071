using FluentAssertions;
using Xunit;

namespace Autograd.Tests.Ops;

public class TransposeTests
{
    [Fact]
    public void Backward_HandDerived()
    {
        var x = Tensor.From([1f, 2f, 3f, 4f, 5f, 6f], [2, 3], requiresGrad: true);

        Tensor y = x.Transpose(0, 1);
        y.ShouldBe([3, 2], [1f, 4f, 2f, 5f, 3f, 6f]);
        y.Backward(Tensor.From([10f, 40f, 20f, 50f, 30f, 60f], [3, 2]));

        // y[j, i] = x[i, j] → ∂L/∂x[i, j] = g[j, i], i.e. gᵀ.
        x.Grad.ShouldBe([2, 3], [10f, 20f, 30f, 40f, 50f, 60f]);
        y.GradFn!.ToString().Should().Be("<TransposeBackward>");
    }

    [Fact]
    public void T_IsTheMatrixTranspose()
    {
        var x = Tensor.From([1f, 2f, 3f, 4f], [2, 2], requiresGrad: true);

        (x.T * Tensor.From([1f, 10f, 100f, 1000f], [2, 2])).Sum().Backward();

        // Σ xᵀ[j, i]·w[j, i] = Σ x[i, j]·w[j, i] → ∂/∂x[i, j] = w[j, i] = wᵀ.
        x.Grad.ShouldBe([2, 2], [1f, 100f, 10f, 1000f]);
    }

    [Fact]
    public void Backward_Rank3()
    {
        var x = Tensor.From([1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f], [2, 2, 2], requiresGrad: true);

        Tensor y = x.Transpose(0, 2);

        // y[k, j, i] = x[i, j, k].
        y.ShouldBe([2, 2, 2], [1f, 5f, 3f, 7f, 2f, 6f, 4f, 8f]);
        y.Backward(Tensor.From([1f, 5f, 3f, 7f, 2f, 6f, 4f, 8f], [2, 2, 2]));
        x.Grad.ShouldBe([2, 2, 2], [1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f]);
    }

    [Theory]
    [InlineData(new[] { 2, 3 }, 0, 1)]
    [InlineData(new[] { 2, 3, 4 }, 0, 2)]
    [InlineData(new[] { 2, 3, 4 }, -1, -2)]
    [InlineData(new[] { 1, 3 }, 0, 1)]
    public void GradCheck_Dims(int[] shape, int dim0, int dim1) =>
        GradCheck.Assert(t => t[0].Transpose(dim0, dim1) * t[1], [OpTest.Uniform(shape, -1f, 1f, 211), OpTest.Uniform([.. TransposedShape(shape, dim0, dim1)], -1f, 1f, 212)]);

    [Fact]
    public void GradCheck_TransposeOfTranspose() =>
        GradCheck.Assert(t => t[0].T.Exp().T, [OpTest.Uniform([2, 3], -1f, 1f, 213)]);

    [Fact]
    public void GradCheck_ViewAsOutput()
    {
        // The checked function returns the strided view itself: Jacobian rows and columns are read in row-major order.
        GradCheck.Assert(t => t[0].T, [OpTest.Uniform([2, 3], -1f, 1f, 214)]);
        GradCheck.Assert(t => t[0].Transpose(0, 2), [OpTest.Uniform([2, 3, 2], -1f, 1f, 215)]);
    }

    [Fact]
    public void DimOutOfRange_ThrowsWithPyTorchMessage()
    {
        Action act = () => Tensor.Ones(2, 3).Transpose(0, 2);

        act.Should().Throw<ArgumentException>()
            .WithMessage("Dimension out of range (expected to be in range of [-2, 1], but got 2)*");
    }

    [Fact]
    public void T_OnRank3_Throws()
    {
        Action act = () => _ = Tensor.Ones(2, 3, 4).T;

        act.Should().Throw<InvalidOperationException>();
    }

    private static int[] TransposedShape(int[] shape, int dim0, int dim1)
    {
        int[] result = (int[])shape.Clone();
        int d0 = dim0 < 0 ? dim0 + shape.Length : dim0, d1 = dim1 < 0 ? dim1 + shape.Length : dim1;
        (result[d0], result[d1]) = (result[d1], result[d0]);
        return result;
    }
}
