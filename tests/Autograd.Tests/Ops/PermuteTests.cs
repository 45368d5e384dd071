using FluentAssertions;
using Xunit;

namespace Autograd.Tests.Ops;

/// <summary>Permute and MT (backward: the inverse permutation).</summary>
public class PermuteTests
{
    [Fact]
    public void Backward_HandDerived()
    {
        var leaf = Tensor.Arange(6f, requiresGrad: true);
        Tensor x = leaf.Reshape(1, 2, 3);

        // y[k, a, i] = x[a, i, k]: out dim 0 is x's dim 2, so y = [[[0, 3]], [[1, 4]], [[2, 5]]].
        Tensor y = x.Permute(2, 0, 1);
        y.ShouldBe([3, 1, 2], [0f, 3f, 1f, 4f, 2f, 5f]);
        y.GradFn!.ToString().Should().Be("<PermuteBackward>");

        // ∂L/∂x[a, i, k] = g[k, a, i]: g permuted by the inverse (1, 2, 0).
        y.Backward(Tensor.From([10f, 40f, 20f, 50f, 30f, 60f], [3, 1, 2]));
        leaf.Grad.ShouldBe([6], [10f, 20f, 30f, 40f, 50f, 60f]);
    }

    [Fact]
    public void NegativeDims_AndStorage()
    {
        var x = Tensor.Arange(24f).Reshape(2, 3, 4);
        Tensor y = x.Permute(-1, -3, -2);
        y.Shape.ToArray().Should().Equal(4, 2, 3);
        y.Strides().Should().Equal(1, 12, 4);
        y[3, 1, 2].Should().Be(x[1, 2, 3]);
        x[1, 2, 3] = -5f;
        y[3, 1, 2].Should().Be(-5f);

        // Permuting back gives a contiguous view again (strides normalised to row-major).
        y.Permute(1, 2, 0).IsContiguous.Should().BeTrue();
    }

    [Fact]
    public void MT_TransposesTheLastTwoDims()
    {
        var x = Tensor.Arange(12f, requiresGrad: true);
        Tensor batch = x.Reshape(2, 2, 3);
        Tensor y = batch.MT;
        y.ShouldBe([2, 3, 2], [0f, 3f, 1f, 4f, 2f, 5f, 6f, 9f, 7f, 10f, 8f, 11f]);
        y.GradFn!.ToString().Should().Be("<TransposeBackward>");

        // ∂/∂x of Σ yᵀ-weights: w[b, j, i] lands at x[b, i, j].
        (y * Tensor.From([1f, 2f, 3f, 4f, 5f, 6f], [3, 2])).Sum().Backward();
        x.Grad.ShouldBe([12], [1f, 3f, 5f, 2f, 4f, 6f, 1f, 3f, 5f, 2f, 4f, 6f]);
    }

    [Fact]
    public void GradCheck_AndSecondDerivative()
    {
        Tensor x = OpTest.Uniform([2, 3, 4], -1f, 1f, 461);
        GradCheck.Assert(t => t[0].Permute(2, 0, 1), [x]);
        GradCheck.Assert(t => t[0].Transpose(0, 2).Permute(1, 2, 0).Exp(), [x]);
        GradCheck.Assert(t => t[0].MT * 2f, [x]);
        GradCheck.Assert(OpTest.Gradient(t => t[0].Permute(1, 0, 2).Pow(3f), 0), [x]);
    }

    [Fact]
    public void Errors_HavePyTorchMessages()
    {
        var x = Tensor.Ones(2, 3);
        ((Action)(() => x.Permute(0))).Should().Throw<ArgumentException>().WithMessage(
            "permute(sparse_coo): number of dimensions in the tensor input does not match the length of the desired ordering of dimensions i.e. input.dim() = 2 is not equal to len(dims) = 1*");
        ((Action)(() => x.Permute(0, 0))).Should().Throw<ArgumentException>().WithMessage("permute(): duplicate dims are not allowed.*");
        ((Action)(() => x.Permute(0, -3))).Should().Throw<ArgumentOutOfRangeException>()
            .WithMessage("Dimension out of range (expected to be in range of [-2, 1], but got -3)*");
        ((Action)(() => _ = Tensor.Ones(3).MT)).Should().Throw<InvalidOperationException>()
            .WithMessage("tensor.mT is only supported on matrices or batches of matrices. Got 1-D tensor.");
    }
}
