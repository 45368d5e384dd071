using FluentAssertions;
using Xunit;

namespace Autograd.Tests.Ops;

public class UnfoldTests
{
    [Fact]
    public void OverlappingWindows_AccumulateTheirGradients()
    {
        var x = Tensor.From([1f, 2f, 3f, 4f, 5f], requiresGrad: true);

        // out[w, j] = x[w + j], w, j ∈ {0, 1, 2}: three overlapping windows, stride 1 both ways.
        Tensor y = x.Unfold(0, 3, 1);
        y.ShouldBe([3, 3], [1f, 2f, 3f, 2f, 3f, 4f, 3f, 4f, 5f]);
        y.Strides().Should().Equal(1, 1);
        y.GradFn!.ToString().Should().Be("<UnfoldBackward>");

        // ∂L/∂x[i] = Σ_{w + j = i} g[w, j]; with g[w, j] = 10^w·(j + 1) the sums are easy to read off.
        y.Backward(Tensor.From([1f, 2f, 3f, 10f, 20f, 30f, 100f, 200f, 300f], [3, 3]));
        x.Grad.ShouldBe([5], [1f, 2f + 10f, 3f + 20f + 100f, 30f + 200f, 300f]);
    }

    [Fact]
    public void StepLargerThanSize_LeavesGapsWithZeroGradient()
    {
        var x = Tensor.Arange(7f, requiresGrad: true);

        // (7 − 2) / 3 + 1 = 2 windows, at 0 and 3: elements 2, 5 and 6 are in none.
        Tensor y = x.Unfold(0, 2, 3);
        y.ShouldBe([2, 2], [0f, 1f, 3f, 4f]);
        y.Sum().Backward();
        x.Grad.ShouldBe([7], [1f, 1f, 0f, 1f, 1f, 0f, 0f]);
    }

    [Fact]
    public void OfTransposed_AndSharesStorage()
    {
        var x = Tensor.From([1f, 2f, 3f, 4f, 5f, 6f], [2, 3]);

        // xᵀ = [[1, 4], [2, 5], [3, 6]]; windows of 2 along dim 0: [[1, 2], [4, 5]] then [[2, 3], [5, 6]].
        Tensor y = x.T.Unfold(0, 2, 1);
        y.ShouldBe([2, 2, 2], [1f, 2f, 4f, 5f, 2f, 3f, 5f, 6f]);
        x[0, 1] = 20f;
        y[0, 0, 1].Should().Be(20f);
        y[1, 0, 0].Should().Be(20f);
    }

    [Fact]
    public void GradCheck_AndSecondDerivative()
    {
        Tensor x = OpTest.Uniform([5, 4], -1f, 1f, 421);
        GradCheck.Assert(t => t[0].Unfold(0, 3, 1), [x]);
        GradCheck.Assert(t => t[0].Unfold(-1, 2, 2).Exp(), [x]);
        GradCheck.Assert(t => t[0].T.Unfold(1, 3, 2).Unfold(0, 2, 1), [x]);

        // Σ unfold(x)²: overlaps make ∂/∂x[i] = 2·x[i]·(number of windows holding i), a scatter-add whose adjoint is checked too.
        GradCheck.Assert(OpTest.Gradient(t => t[0].Unfold(0, 3, 1).Pow(2f), 0), [x]);
    }

    [Fact]
    public void ZeroD_GivesOneWindowOfOne()
    {
        var x = Tensor.Scalar(3f, requiresGrad: true);
        Tensor y = x.Unfold(0, 1, 1);
        y.ShouldBe([1], [3f]);
        (y * 2f).Sum().Backward();
        x.Grad.ShouldBeScalar(2f);
    }

    [Fact]
    public void Errors_HavePyTorchMessages()
    {
        var x = Tensor.Ones(5);
        ((Action)(() => x.Unfold(0, 6, 1))).Should().Throw<ArgumentException>()
            .WithMessage("maximum size for tensor at dimension 0 is 5 but size is 6*");
        ((Action)(() => x.Unfold(0, 2, 0))).Should().Throw<ArgumentException>().WithMessage("step is 0 but must be > 0*");
        ((Action)(() => x.Unfold(1, 2, 1))).Should().Throw<ArgumentOutOfRangeException>()
            .WithMessage("Dimension out of range (expected to be in range of [-1, 0], but got 1)*");
    }
}
