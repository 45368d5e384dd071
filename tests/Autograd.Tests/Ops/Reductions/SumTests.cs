using FluentAssertions;
using Xunit;

namespace Autograd.Tests.Ops;

public class SumTests
{
    [Fact]
    public void SumAll_Backward_HandDerived()
    {
        var x = Tensor.From([1f, 2f, 3f, 4f, 5f, 6f], [2, 3], requiresGrad: true);

        Tensor s = x.Sum();
        s.ShouldBeScalar(21f);
        s.Backward(Tensor.Scalar(2.5f));

        // ∂(Σ x)/∂xᵢ = 1 → every element receives the upstream scalar g = 2.5.
        x.Grad.ShouldBe([2, 3], [2.5f, 2.5f, 2.5f, 2.5f, 2.5f, 2.5f]);
        s.GradFn!.ToString().Should().Be("<SumBackward>");
    }

    [Fact]
    public void SumDim_Backward_HandDerived()
    {
        var x = Tensor.From([1f, 2f, 3f, 4f, 5f, 6f], [2, 3], requiresGrad: true);

        Tensor columns = x.Sum(0);
        columns.ShouldBe([3], [5f, 7f, 9f]);
        columns.Backward(Tensor.From([1f, 2f, 3f]));

        // out[j] = Σᵢ x[i, j]: ∂out[j]/∂x[i, j] = 1 → x.Grad[i, j] = g[j] in every row.
        x.Grad.ShouldBe([2, 3], [1f, 2f, 3f, 1f, 2f, 3f]);
    }

    [Fact]
    public void SumDim_KeepDim_Backward_HandDerived()
    {
        var x = Tensor.From([1f, 2f, 3f, 4f, 5f, 6f], [2, 3], requiresGrad: true);

        Tensor rows = x.Sum(1, keepDim: true);
        rows.ShouldBe([2, 1], [6f, 15f]);
        rows.Backward(Tensor.From([10f, -1f], [2, 1]));

        // out[i, 0] = Σⱼ x[i, j]: x.Grad[i, j] = g[i] across row i.
        x.Grad.ShouldBe([2, 3], [10f, 10f, 10f, -1f, -1f, -1f]);
    }

    [Fact]
    public void SumDim_NegativeDim_OnRank3()
    {
        var x = Tensor.From([1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f], [2, 2, 2], requiresGrad: true);

        Tensor s = x.Sum(-1);
        s.ShouldBe([2, 2], [3f, 7f, 11f, 15f]);
        s.Backward(Tensor.From([1f, 2f, 3f, 4f], [2, 2]));

        // The last dimension is summed: x.Grad[i, j, k] = g[i, j].
        x.Grad.ShouldBe([2, 2, 2], [1f, 1f, 2f, 2f, 3f, 3f, 4f, 4f]);
    }

    [Fact]
    public void Sum_OfTransposedView()
    {
        var x = Tensor.From([1f, 2f, 3f, 4f, 5f, 6f], [2, 3], requiresGrad: true);

        Tensor s = x.T.Sum(1);
        s.ShouldBe([3], [5f, 7f, 9f]);
        s.Backward(Tensor.From([1f, 2f, 3f]));

        // xᵀ[j, i] = x[i, j]; summing xᵀ over i sums x over its rows: x.Grad[i, j] = g[j].
        x.Grad.ShouldBe([2, 3], [1f, 2f, 3f, 1f, 2f, 3f]);
    }

    [Fact]
    public void Sum_ZeroDim()
    {
        var x = Tensor.Scalar(4f, requiresGrad: true);

        x.Sum().Backward(Tensor.Scalar(3f));
        x.Grad.ShouldBeScalar(3f);
        x.Sum(0).ShouldBeScalar(4f);
    }

    [Theory]
    [InlineData(new[] { 2, 3 }, 0, false)]
    [InlineData(new[] { 2, 3 }, 1, true)]
    [InlineData(new[] { 2, 3, 4 }, -1, false)]
    [InlineData(new[] { 2, 3, 4 }, 1, true)]
    [InlineData(new[] { 5 }, 0, false)]
    public void GradCheck_SumDim(int[] shape, int dim, bool keepDim) =>
        GradCheck.Assert(t => t[0].Sum(dim, keepDim), [OpTest.Uniform(shape, -1f, 1f, 121)]);

    [Fact]
    public void GradCheck_SumAll()
    {
        GradCheck.Assert(t => t[0].Sum(), [OpTest.Uniform([2, 3, 2], -1f, 1f, 122)]);
        GradCheck.Assert(t => t[0].Sum(), [OpTest.Uniform([], -1f, 1f, 123)]);
    }

    [Fact]
    public void DimOutOfRange_ThrowsWithPyTorchMessage()
    {
        Action act = () => Tensor.Ones(2, 3).Sum(2);

        act.Should().Throw<ArgumentException>()
            .WithMessage("Dimension out of range (expected to be in range of [-2, 1], but got 2)*");
    }
}
