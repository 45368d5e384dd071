using FluentAssertions;
using Xunit;

namespace Autograd.Tests.Ops;

public class SelectTests
{
    [Fact]
    public void Backward_HandDerived()
    {
        var x = Tensor.From([1f, 2f, 3f, 4f, 5f, 6f], [2, 3], requiresGrad: true);

        Tensor y = x.Select(1, -1);

        // Column −1 = column 2: y[i] = x[i, 2] → ∂L/∂x[i, j] = g[i] if j = 2, else 0.
        y.ShouldBe([2], [3f, 6f]);
        y.GradFn!.ToString().Should().Be("<SelectBackward>");
        y.Backward(Tensor.From([10f, 20f]));
        x.Grad.ShouldBe([2, 3], [0f, 0f, 10f, 0f, 0f, 20f]);
    }

    [Fact]
    public void OfTransposedView_GradientLandsInTheInputsOwnIndices()
    {
        var x = Tensor.From([1f, 2f, 3f, 4f, 5f, 6f], [2, 3], requiresGrad: true);

        // xᵀ[1] is column 1 of x: y[i] = x[i, 1], so the gradient must land in column 1 (not in xᵀ's storage order).
        Tensor y = x.T.Select(0, 1);
        y.ShouldBe([2], [2f, 5f]);
        y.Backward(Tensor.From([10f, 20f]));
        x.Grad.ShouldBe([2, 3], [0f, 10f, 0f, 0f, 20f, 0f]);
    }

    [Fact]
    public void ToZeroD_AndSharesStorage()
    {
        var x = Tensor.From([1f, 2f, 3f]);
        Tensor y = x.Select(0, -2);
        y.Rank.Should().Be(0);
        y.Item().Should().Be(2f);

        // Writing through the base changes the view, and the two share one version counter.
        int version = y.Version;
        x[1] = 20f;
        y.Item().Should().Be(20f);
        y.Version.Should().Be(version + 1);
    }

    [Theory]
    [InlineData(new[] { 3, 4 }, 0, 1)]
    [InlineData(new[] { 3, 4 }, 1, -1)]
    [InlineData(new[] { 2, 3, 4 }, -2, 0)]
    [InlineData(new[] { 1 }, 0, 0)]
    public void GradCheck_Dims(int[] shape, int dim, int index) =>
        GradCheck.Assert(t => t[0].Select(dim, index).Exp(), [OpTest.Uniform(shape, -1f, 1f, 401)]);

    [Fact]
    public void GradCheck_OfTransposed_AndSecondDerivative()
    {
        Tensor x = OpTest.Uniform([3, 4], -1f, 1f, 402);
        GradCheck.Assert(t => t[0].T.Select(1, 2) * 3f, [x]);

        // y = Σ x[:, 2]³ → ∂y/∂x = 3x² on column 2; its derivative goes through the scatter's backward (AsStrided).
        GradCheck.Assert(OpTest.Gradient(t => t[0].Select(1, 2).Pow(3f), 0), [x]);
        GradCheck.Assert(t => OpTest.Gradient(u => u[0].T.Select(1, 2).Pow(3f), 0)(t).T, [x]);
    }

    [Fact]
    public void Errors_HavePyTorchMessages()
    {
        var x = Tensor.Ones(2, 3);
        ((Action)(() => x.Select(2, 0))).Should().Throw<ArgumentOutOfRangeException>()
            .WithMessage("Dimension out of range (expected to be in range of [-2, 1], but got 2)*");
        ((Action)(() => x.Select(1, 5))).Should().Throw<ArgumentOutOfRangeException>()
            .WithMessage("select(): index 5 out of range for tensor of size [2, 3] at dimension 1*");
        ((Action)(() => x.Select(-1, -4))).Should().Throw<ArgumentOutOfRangeException>()
            .WithMessage("select(): index -4 out of range for tensor of size [2, 3] at dimension 1*");
        ((Action)(() => Tensor.Scalar(1f).Select(0, 0))).Should().Throw<InvalidOperationException>()
            .WithMessage("select() cannot be applied to a 0-dim tensor.");
    }
}
