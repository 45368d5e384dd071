using FluentAssertions;
using Xunit;

namespace Autograd.Tests.Ops;

/// <summary>View, Flatten and Unflatten: reshapes that keep the row-major order (backward: reshape g back).</summary>
public class ViewTests
{
    [Fact]
    public void View_HandDerived_SharesStorage()
    {
        var x = Tensor.From([1f, 2f, 3f, 4f, 5f, 6f], [2, 3], requiresGrad: true);

        Tensor y = x.View(3, -1);
        y.ShouldBe([3, 2], [1f, 2f, 3f, 4f, 5f, 6f]);
        y.GradFn!.ToString().Should().Be("<ViewBackward>");

        // Same row-major order: ∂L/∂x is g read back in x's shape.
        y.Backward(Tensor.From([10f, 20f, 30f, 40f, 50f, 60f], [3, 2]));
        x.Grad.ShouldBe([2, 3], [10f, 20f, 30f, 40f, 50f, 60f]);

        var data = Tensor.From([1f, 2f, 3f, 4f, 5f, 6f], [2, 3]);
        Tensor view = data.View(6);
        data[1, 1] = 50f;
        view[4].Should().Be(50f);
        view.Version.Should().Be(data.Version);
    }

    [Fact]
    public void View_OfTransposed_SplitsOnlyWithinContiguousRuns()
    {
        // xᵀ (6×4, strides [1, 6]) has two runs: dim 0 (stride 1) and dim 1 (stride 6). Splitting dim 1 is a view …
        var x = Tensor.Arange(24f).Reshape(4, 6);
        Tensor split = x.T.View(6, 2, 2);
        split.Strides().Should().Equal(1, 12, 6);
        split[1, 1, 0].Should().Be(x[2, 1]);   // xᵀ[1, 2] = x[2, 1]

        // … merging the two runs is not.
        Action act = () => x.T.View(24);
        act.Should().Throw<InvalidOperationException>().WithMessage(
            "view size is not compatible with input tensor's size and stride (at least one dimension spans across two contiguous subspaces). Use .reshape(...) instead.");
    }

    [Fact]
    public void Flatten_Ranges()
    {
        var x = Tensor.Arange(24f).Reshape(2, 3, 4);
        x.Flatten().Shape.ToArray().Should().Equal(24);
        x.Flatten(1).Shape.ToArray().Should().Equal(2, 12);
        x.Flatten(0, 1).Shape.ToArray().Should().Equal(6, 4);
        x.Flatten(-3, -2).Shape.ToArray().Should().Equal(6, 4);
        x.Flatten(1, 1).Should().BeSameAs(x);
        Tensor.Scalar(2f).Flatten().ShouldBe([1], [2f]);
    }

    [Fact]
    public void Flatten_ViewsWhenPossible_CopiesOtherwise()
    {
        var x = Tensor.Arange(12f).Reshape(3, 4);

        // Rows 1..2 are contiguous: flattening them is a view (a write shows through).
        Tensor rows = x.Slice(0, 1).Flatten();
        x[1, 0] = 40f;
        rows[0].Should().Be(40f);

        // xᵀ flattened must be read column by column: a copy, so later writes do not show.
        Tensor columns = x.T.Flatten();
        columns.ShouldBe([12], [0f, 40f, 8f, 1f, 5f, 9f, 2f, 6f, 10f, 3f, 7f, 11f]);
        x[0, 0] = -1f;
        columns[0].Should().Be(0f);
    }

    [Fact]
    public void Unflatten_HandDerived()
    {
        var x = Tensor.From([1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f, 9f, 10f, 11f, 12f], [2, 6], requiresGrad: true);

        Tensor y = x.Unflatten(1, 2, -1);
        y.ShouldBe([2, 2, 3], [1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f, 9f, 10f, 11f, 12f]);
        y.GradFn!.ToString().Should().Be("<ViewBackward>");
        (y * Tensor.From([1f, 2f, 3f])).Sum().Backward();

        // ∂/∂x[i, 3a + b] = w[b]: the weights repeat every 3 columns.
        x.Grad.ShouldBe([2, 6], [1f, 2f, 3f, 1f, 2f, 3f, 1f, 2f, 3f, 1f, 2f, 3f]);
    }

    [Fact]
    public void GradCheck_AllThree()
    {
        Tensor x = OpTest.Uniform([2, 3, 4], -1f, 1f, 441);
        GradCheck.Assert(t => t[0].View(4, 6) * 2f, [x]);
        GradCheck.Assert(t => t[0].Transpose(0, 1).View(3, 2, 2, 2), [x]);
        GradCheck.Assert(t => t[0].Flatten(1), [x]);
        GradCheck.Assert(t => t[0].Transpose(1, 2).Flatten(0, 1), [x]);
        GradCheck.Assert(t => t[0].Unflatten(-1, 2, 2).Exp(), [x]);
        GradCheck.Assert(OpTest.Gradient(t => t[0].Transpose(0, 2).Flatten().Pow(3f), 0), [x]);
    }

    [Fact]
    public void Errors_HavePyTorchMessages()
    {
        var x = Tensor.Ones(2, 3);
        ((Action)(() => x.View(4))).Should().Throw<ArgumentException>().WithMessage("shape '[4]' is invalid for input of size 6*");
        ((Action)(() => x.View(-1, -1))).Should().Throw<ArgumentException>().WithMessage("only one dimension can be inferred*");
        ((Action)(() => x.Flatten(1, 0))).Should().Throw<ArgumentException>()
            .WithMessage("flatten() has invalid args: start_dim cannot come after end_dim*");
        ((Action)(() => x.Unflatten(1, 2, 2))).Should().Throw<ArgumentException>()
            .WithMessage("unflatten: Provided sizes [2, 2] don't multiply up to the size of dim 1 (3) in the input tensor*");
        ((Action)(() => x.Unflatten(-1, 2, 2))).Should().Throw<ArgumentException>()
            .WithMessage("unflatten: Provided sizes [2, 2] don't multiply up to the size of dim 1 (3) in the input tensor*");
        ((Action)(() => Tensor.Scalar(1f).Unflatten(0, 1))).Should().Throw<ArgumentOutOfRangeException>()
            .WithMessage("Dimension specified as 0 but tensor has no dimensions*");
        ((Action)(() => x.Unflatten(1))).Should().Throw<ArgumentException>().WithMessage("unflatten: sizes must be non-empty*");
        ((Action)(() => x.Unflatten(2, 3))).Should().Throw<ArgumentOutOfRangeException>()
            .WithMessage("Dimension out of range (expected to be in range of [-2, 1], but got 2)*");
    }
}
