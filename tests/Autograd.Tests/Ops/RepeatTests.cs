using FluentAssertions;
using Xunit;

namespace Autograd.Tests.Ops;

/// <summary>Repeat (tiling) and RepeatInterleave (each element repeated in place).</summary>
public class RepeatTests
{
    [Fact]
    public void Repeat_2d_HandDerived()
    {
        var x = Tensor.From([1f, 2f], requiresGrad: true);

        // [2] padded to [1, 2], tiled 2×3 → [2, 6].
        Tensor y = x.Repeat(2, 3);
        y.ShouldBe([2, 6], [1f, 2f, 1f, 2f, 1f, 2f, 1f, 2f, 1f, 2f, 1f, 2f]);
        y.GradFn!.ToString().Should().Be("<RepeatBackward>");

        // g = 0..11: x[0] sits at even columns → Σ 0, 2, 4, 6, 8, 10 = 30; x[1] at odd → 1+3+…+11 = 36.
        y.Backward(Tensor.Arange(12f).Reshape(2, 6));
        x.Grad.ShouldBe([2], [30f, 36f]);
    }

    [Fact]
    public void Repeat_Matrix_HandDerived()
    {
        var x = Tensor.From([1f, 2f, 3f, 4f], [2, 2], requiresGrad: true);

        Tensor y = x.Repeat(2, 1);
        y.ShouldBe([4, 2], [1f, 2f, 3f, 4f, 1f, 2f, 3f, 4f]);

        // Rows i and i+2 are copies of x's row i: ∂L/∂x = g[0:2] + g[2:4].
        y.Backward(Tensor.From([1f, 2f, 3f, 4f, 10f, 20f, 30f, 40f], [4, 2]));
        x.Grad.ShouldBe([2, 2], [11f, 22f, 33f, 44f]);
    }

    [Fact]
    public void Repeat_OnesAndZeros()
    {
        var x = Tensor.From([1f, 2f, 3f], requiresGrad: true);

        x.Repeat(1).ShouldBe([3], [1f, 2f, 3f]);
        Tensor empty = x.Repeat(0, 2);
        empty.ShouldBe([0, 6], []);
        empty.Sum().Backward();
        x.Grad.ShouldBe([3], [0f, 0f, 0f]);
        Tensor.Scalar(5f).Repeat().ShouldBeScalar(5f);
        Tensor.Scalar(5f).Repeat(3).ShouldBe([3], [5f, 5f, 5f]);
    }

    [Fact]
    public void Repeat_OfTransposed()
    {
        var x = Tensor.From([1f, 2f, 3f, 4f, 5f, 6f], [2, 3]);

        // x.T = [[1, 4], [2, 5], [3, 6]], tiled twice along columns.
        x.T.Repeat(1, 2).ShouldBe([3, 4], [1f, 4f, 1f, 4f, 2f, 5f, 2f, 5f, 3f, 6f, 3f, 6f]);
    }

    [Fact]
    public void Repeat_LargeOdd_MatchesExpandOfNewDims()
    {
        var x = OpTest.Uniform([3, 37], -1f, 1f, 341);

        // repeat(5, 1, 1) of [3, 37] = expand of [1, 3, 37] to [5, 3, 37], copied.
        x.Repeat(5, 1, 1).ToArray().Should().Equal(x.Reshape(1, 3, 37).Expand(5, 3, 37).ToArray());
        x.Repeat(2, 3).Shape.ToArray().Should().Equal(6, 111);
    }

    [Fact]
    public void GradCheck_Repeat() =>
        GradCheck.Assert(t => t[0].Repeat(2, 1, 3) * t[1], [OpTest.Uniform([2, 2], -1f, 1f, 342), OpTest.Uniform([2, 2, 6], -1f, 1f, 343)]);

    [Fact]
    public void GradCheck_RepeatSecondDerivative() =>
        GradCheck.Assert(OpTest.Gradient(t => t[0].Repeat(3, 2).Pow(3f), wrt: 0), [OpTest.Uniform([2], -1f, 1f, 344)]);

    [Fact]
    public void Repeat_TooFewRepeats_ThrowsWithPyTorchMessage()
    {
        Action act = () => Tensor.Zeros(2, 3).Repeat(2);
        act.Should().Throw<ArgumentException>().WithMessage("Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor*");
        Action negative = () => Tensor.Zeros(2, 3).Repeat(2, -1);
        negative.Should().Throw<ArgumentException>().WithMessage("Trying to create tensor with negative dimension -3: [4, -3]*");
    }

    [Fact]
    public void TooLargeResult_Throws()
    {
        // 2²⁰ · 2¹² = 2³² elements along one dimension: refused before anything is allocated.
        Action repeat = () => Tensor.Zeros(1 << 20).Repeat(1 << 12);
        repeat.Should().Throw<ArgumentException>().WithMessage("A dimension of 4294967296 elements is more than a tensor can hold*");
        Action interleave = () => Tensor.Zeros(1 << 20).RepeatInterleave(1 << 12);
        interleave.Should().Throw<ArgumentException>().WithMessage("A dimension of 4294967296 elements*");
    }

    [Fact]
    public void RepeatInterleave_Flattened_HandDerived()
    {
        var x = Tensor.From([1f, 2f, 3f, 4f], [2, 2], requiresGrad: true);

        Tensor y = x.RepeatInterleave(2);
        y.ShouldBe([8], [1f, 1f, 2f, 2f, 3f, 3f, 4f, 4f]);

        // ∂L/∂x[k] = g[2k] + g[2k+1] for the row-major k, reshaped to x's [2, 2].
        y.Backward(Tensor.From([1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f]));
        x.Grad.ShouldBe([2, 2], [3f, 7f, 11f, 15f]);
    }

    [Fact]
    public void RepeatInterleave_Dim_HandDerived()
    {
        var x = Tensor.From([1f, 2f, 3f, 4f], [2, 2], requiresGrad: true);

        Tensor y = x.RepeatInterleave(3, dim: -1);
        y.ShouldBe([2, 6], [1f, 1f, 1f, 2f, 2f, 2f, 3f, 3f, 3f, 4f, 4f, 4f]);
        y.GradFn!.ToString().Should().Be("<RepeatInterleaveBackward>");

        // g = 0..11: ∂L/∂x[i, j] = Σ of three consecutive g's = [0+1+2, 3+4+5, 6+7+8, 9+10+11].
        y.Backward(Tensor.Arange(12f).Reshape(2, 6));
        x.Grad.ShouldBe([2, 2], [3f, 12f, 21f, 30f]);
    }

    [Fact]
    public void RepeatInterleave_OfScalarAndZero()
    {
        Tensor.Scalar(4f).RepeatInterleave(3).ShouldBe([3], [4f, 4f, 4f]);
        var x = Tensor.From([1f, 2f], requiresGrad: true);
        Tensor y = x.RepeatInterleave(0, 0);
        y.ShouldBe([0], []);
        y.Sum().Backward();
        x.Grad.ShouldBe([2], [0f, 0f]);
    }

    [Fact]
    public void GradCheck_RepeatInterleaveOfTransposed() =>
        GradCheck.Assert(t => t[0].T.RepeatInterleave(2, 0).Sin(), [OpTest.Uniform([2, 3], -1f, 1f, 345)]);

    [Fact]
    public void GradCheck_RepeatInterleaveSecondDerivative() =>
        GradCheck.Assert(OpTest.Gradient(t => t[0].RepeatInterleave(2, 1).Pow(2f) * t[0].Repeat(1, 2), wrt: 0), [OpTest.Uniform([2, 2], -1f, 1f, 346)]);

    [Fact]
    public void RepeatInterleave_Errors_WithPyTorchMessages()
    {
        Action negative = () => Tensor.Zeros(2).RepeatInterleave(-1);
        negative.Should().Throw<ArgumentException>().WithMessage("repeats can not be negative*");
        Action scalarDim = () => Tensor.Scalar(1f).RepeatInterleave(2, 0);
        scalarDim.Should().Throw<ArgumentOutOfRangeException>().WithMessage("Dimension specified as 0 but tensor has no dimensions*");
        Action range = () => Tensor.Zeros(2, 3).RepeatInterleave(2, 2);
        range.Should().Throw<ArgumentOutOfRangeException>().WithMessage("Dimension out of range (expected to be in range of [-2, 1], but got 2)*");
    }
}
