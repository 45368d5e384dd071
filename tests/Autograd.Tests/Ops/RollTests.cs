using FluentAssertions;
using Xunit;

namespace Autograd.Tests.Ops;

public class RollTests
{
    [Fact]
    public void RollDim_HandDerived()
    {
        var x = Tensor.From([1f, 2f, 3f, 4f, 5f, 6f], [2, 3], requiresGrad: true);

        Tensor y = x.Roll(1, 1);
        y.ShouldBe([2, 3], [3f, 1f, 2f, 6f, 4f, 5f]);
        y.GradFn!.ToString().Should().Be("<RollBackward>");

        // y[i, (j + 1) mod 3] = x[i, j] → ∂L/∂x[i, j] = g[i, (j + 1) mod 3]: g rolled back by one.
        y.Backward(Tensor.From([10f, 20f, 30f, 40f, 50f, 60f], [2, 3]));
        x.Grad.ShouldBe([2, 3], [20f, 30f, 10f, 50f, 60f, 40f]);
    }

    [Fact]
    public void RollFlattened_HandDerived()
    {
        var x = Tensor.From([1f, 2f, 3f, 4f, 5f, 6f], [2, 3], requiresGrad: true);

        // The six elements in row-major order shifted by −2 (= 4 mod 6), shape kept.
        Tensor y = x.Roll(-2);
        y.ShouldBe([2, 3], [3f, 4f, 5f, 6f, 1f, 2f]);
        y.Backward(Tensor.From([1f, 2f, 3f, 4f, 5f, 6f], [2, 3]));
        x.Grad.ShouldBe([2, 3], [5f, 6f, 1f, 2f, 3f, 4f]);
    }

    [Fact]
    public void RollSeveralDims_HandDerived()
    {
        var x = Tensor.From([1f, 2f, 3f, 4f, 5f, 6f], [2, 3], requiresGrad: true);

        // Rows by 1 (swap), columns by −1 (left): [[5, 6, 4], [2, 3, 1]].
        Tensor y = x.Roll([1, -1], [0, 1]);
        y.ShouldBe([2, 3], [5f, 6f, 4f, 2f, 3f, 1f]);

        // The inverse permutation applied to g = [[1, 2, 3], [4, 5, 6]]: rows back by 1, columns by +1.
        y.Backward(Tensor.From([1f, 2f, 3f, 4f, 5f, 6f], [2, 3]));
        x.Grad.ShouldBe([2, 3], [6f, 4f, 5f, 3f, 1f, 2f]);
    }

    [Fact]
    public void RepeatedDim_ShiftsAdd_AndLargeShiftsWrap()
    {
        var x = Tensor.Arange(5f);

        x.Roll([1, 1], [0, 0]).ShouldBe([5], [3f, 4f, 0f, 1f, 2f]);
        x.Roll(12, 0).ShouldBe([5], [3f, 4f, 0f, 1f, 2f]);
        x.Roll(-5, 0).ShouldBe([5], [0f, 1f, 2f, 3f, 4f]);
        Tensor.Zeros(0, 3).Roll(1, 0).ShouldBe([0, 3], []);
        Tensor.Scalar(7f).Roll(3).ShouldBeScalar(7f);
    }

    [Fact]
    public void RollOfNonContiguous_LargeOdd()
    {
        var x = OpTest.Uniform([131, 3], -1f, 1f, 361);

        // Rolling x.T along its columns by 7 is rolling x along its rows by 7, transposed.
        float[] viaTranspose = x.T.Roll(7, 1).ToArray();
        float[] direct = x.Roll(7, 0).T.Contiguous().ToArray();
        viaTranspose.Should().Equal(direct);
        float[] v = x.ToArray(), r = x.Roll(7, 0).ToArray();
        r.AsSpan(7 * 3, 3).ToArray().Should().Equal(v.AsSpan(0, 3).ToArray());
    }

    [Fact]
    public void GradCheck_Roll() =>
        GradCheck.Assert(t => t[0].Roll([2, -1], [-1, 0]) * t[1], [OpTest.Uniform([2, 3, 4], -1f, 1f, 362), OpTest.Uniform([2, 3, 4], -1f, 1f, 363)]);

    [Fact]
    public void GradCheck_RollFlattenedOfTransposed() =>
        GradCheck.Assert(t => t[0].T.Roll(4).Exp(), [OpTest.Uniform([2, 3], -1f, 1f, 364)]);

    [Fact]
    public void GradCheck_SecondDerivative() =>
        GradCheck.Assert(OpTest.Gradient(t => t[0].Roll(1, 0) * t[0] * t[0].Roll(-1), wrt: 0), [OpTest.Uniform([4], -1f, 1f, 365)]);

    [Fact]
    public void Errors_WithPyTorchMessages()
    {
        Action mismatch = () => Tensor.Zeros(2, 3).Roll([1, 2], [0]);
        mismatch.Should().Throw<ArgumentException>().WithMessage("shifts and dimensions must align. shifts: 2, dims:1*");
        Action none = () => Tensor.Zeros(2, 3).Roll([], []);
        none.Should().Throw<ArgumentException>().WithMessage("`shifts` required*");
        Action scalarDim = () => Tensor.Scalar(1f).Roll(1, 0);
        scalarDim.Should().Throw<ArgumentOutOfRangeException>().WithMessage("Dimension specified as 0 but tensor has no dimensions*");
        Action range = () => Tensor.Zeros(2, 3).Roll(1, 2);
        range.Should().Throw<ArgumentOutOfRangeException>().WithMessage("Dimension out of range (expected to be in range of [-2, 1], but got 2)*");
    }
}
