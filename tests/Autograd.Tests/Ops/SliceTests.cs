using FluentAssertions;
using Xunit;

namespace Autograd.Tests.Ops;

/// <summary>Slice (Python's start:end:step) and Narrow, which share SliceBackward.</summary>
public class SliceTests
{
    [Fact]
    public void Backward_HandDerived_WithStep()
    {
        var x = Tensor.Arange(10f, requiresGrad: true);

        // x[1:8:3] takes indices 1, 4, 7 (⌈7/3⌉ = 3 of them): ∂L/∂x[i] = g[k] where i = 1 + 3k, else 0.
        Tensor y = x.Slice(0, 1, 8, 3);
        y.ShouldBe([3], [1f, 4f, 7f]);
        y.GradFn!.ToString().Should().Be("<SliceBackward>");
        y.Backward(Tensor.From([10f, 20f, 30f]));
        x.Grad.ShouldBe([10], [0f, 10f, 0f, 0f, 20f, 0f, 0f, 30f, 0f, 0f]);
    }

    [Theory]
    [InlineData(-3, null, 1, new[] { 7f, 8f, 9f })]
    [InlineData(null, -8, 1, new[] { 0f, 1f })]
    [InlineData(-100, 100, 4, new[] { 0f, 4f, 8f })]
    [InlineData(5, 2, 1, new float[0])]
    [InlineData(10, null, 1, new float[0])]
    [InlineData(8, null, 5, new[] { 8f })]
    public void PythonBounds_ClampAndCountFromTheEnd(int? start, int? end, int step, float[] expected) =>
        Tensor.Arange(10f).Slice(0, start, end, step).ShouldBe([expected.Length], expected);

    [Fact]
    public void EmptySlice_GivesZeroGradient()
    {
        var x = Tensor.From([1f, 2f, 3f, 4f, 5f, 6f], [3, 2], requiresGrad: true);
        Tensor y = x.Slice(0, 2, 1);
        y.Shape.ToArray().Should().Equal(3 - 3, 2);
        y.Sum().Backward();
        x.Grad.ShouldBe([3, 2], [0f, 0f, 0f, 0f, 0f, 0f]);
    }

    [Fact]
    public void ColumnSlice_IsANonContiguousViewSharingStorage()
    {
        var x = Tensor.From([0f, 1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f, 9f, 10f, 11f], [3, 4]);

        Tensor rows = x.Slice(0, 1, 3), columns = x.Slice(1, 1, 3);
        rows.IsContiguous.Should().BeTrue();
        columns.IsContiguous.Should().BeFalse();
        columns.Strides().Should().Equal(4, 1);
        columns.ShouldBe([3, 2], [1f, 2f, 5f, 6f, 9f, 10f]);

        x[2, 2] = 100f;
        columns[2, 1].Should().Be(100f);
        rows[1, 2].Should().Be(100f);
    }

    [Fact]
    public void Narrow_HandDerived()
    {
        var x = Tensor.From([0f, 1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f, 9f, 10f, 11f], [3, 4], requiresGrad: true);

        // narrow(0, −2, 2) = rows 1 and 2: ∂L/∂x is g on those rows, 0 on row 0.
        Tensor y = x.Narrow(0, -2, 2);
        y.ShouldBe([2, 4], [4f, 5f, 6f, 7f, 8f, 9f, 10f, 11f]);
        y.GradFn!.ToString().Should().Be("<SliceBackward>");
        y.Backward(Tensor.Full([2, 4], 2f));
        x.Grad.ShouldBe([3, 4], [0f, 0f, 0f, 0f, 2f, 2f, 2f, 2f, 2f, 2f, 2f, 2f]);

        // start == size is a valid start for an empty range.
        x.Narrow(1, 4, 0).Shape.ToArray().Should().Equal(3, 0);
    }

    [Fact]
    public void GradCheck_SlicesOfViews()
    {
        Tensor x = OpTest.Uniform([3, 5], -1f, 1f, 411);
        GradCheck.Assert(t => t[0].Slice(1, step: 2), [x]);
        GradCheck.Assert(t => t[0].Slice(1, -4, -1).Exp(), [x]);
        GradCheck.Assert(t => t[0].T.Slice(0, 1, null, 2).Slice(1, 1), [x]);
        GradCheck.Assert(t => t[0].Narrow(1, 1, 3) * t[0].Narrow(1, 2, 3), [x]);
    }

    [Fact]
    public void GradCheck_SecondDerivative()
    {
        // Σ (x[:, ::2])² · x[:, 1:4:2]: the gradient is built by two overlapping-free scatters; its derivative by their adjoints.
        Tensor x = OpTest.Uniform([2, 5], -1f, 1f, 412);
        GradCheck.Assert(OpTest.Gradient(t => t[0].Slice(1, 0, 4, 2).Pow(2f) * t[0].Slice(1, 1, 4, 2), 0), [x]);
    }

    [Fact]
    public void Errors_HavePyTorchMessages()
    {
        var x = Tensor.Ones(3, 4);
        ((Action)(() => x.Slice(0, step: 0))).Should().Throw<ArgumentException>().WithMessage("slice step must be positive*");
        ((Action)(() => x.Slice(0, step: -1))).Should().Throw<ArgumentException>().WithMessage("slice step must be positive*");
        ((Action)(() => x.Slice(2))).Should().Throw<ArgumentOutOfRangeException>()
            .WithMessage("Dimension out of range (expected to be in range of [-2, 1], but got 2)*");
        ((Action)(() => x.Narrow(0, 1, 5))).Should().Throw<ArgumentException>()
            .WithMessage("start (1) + length (5) exceeds dimension size (3).*");
        ((Action)(() => x.Narrow(0, 1, -1))).Should().Throw<ArgumentException>()
            .WithMessage("start (1) + length (-1) exceeds dimension size (3).*");
        ((Action)(() => x.Narrow(0, 5, 1))).Should().Throw<ArgumentOutOfRangeException>()
            .WithMessage("Dimension out of range (expected to be in range of [-3, 2], but got 5)*");
        ((Action)(() => Tensor.Scalar(1f).Narrow(0, 0, 1))).Should().Throw<InvalidOperationException>()
            .WithMessage("narrow() cannot be applied to a 0-dim tensor.");
    }
}
