using FluentAssertions;
using Xunit;

namespace Autograd.Tests.Ops;

public class FlipTests
{
    [Fact]
    public void FlipRows_HandDerived()
    {
        var x = Tensor.From([1f, 2f, 3f, 4f, 5f, 6f], [2, 3], requiresGrad: true);

        Tensor y = x.Flip(0);
        y.ShouldBe([2, 3], [4f, 5f, 6f, 1f, 2f, 3f]);
        y.GradFn!.ToString().Should().Be("<FlipBackward>");

        // y[i, j] = x[1 − i, j] → ∂L/∂x[i, j] = g[1 − i, j].
        y.Backward(Tensor.From([10f, 20f, 30f, 40f, 50f, 60f], [2, 3]));
        x.Grad.ShouldBe([2, 3], [40f, 50f, 60f, 10f, 20f, 30f]);
    }

    [Fact]
    public void FlipBothDims_NegativeDim_HandDerived()
    {
        var x = Tensor.From([1f, 2f, 3f, 4f, 5f, 6f], [2, 3], requiresGrad: true);

        Tensor y = x.Flip(-1, 0);
        y.ShouldBe([2, 3], [6f, 5f, 4f, 3f, 2f, 1f]);

        // Reversing both dims reverses the row-major order: ∂L/∂x = reversed g.
        y.Backward(Tensor.From([1f, 2f, 3f, 4f, 5f, 6f], [2, 3]));
        x.Grad.ShouldBe([2, 3], [6f, 5f, 4f, 3f, 2f, 1f]);
    }

    [Fact]
    public void NoDims_ScalarsAndEmpty_AreCopies()
    {
        Tensor.From([1f, 2f]).Flip().ShouldBe([2], [1f, 2f]);
        Tensor.Scalar(3f).Flip(0).ShouldBeScalar(3f);
        Tensor.Zeros(0, 2).Flip(0, 1).ShouldBe([0, 2], []);
    }

    [Fact]
    public void FlipOfNonContiguous()
    {
        var x = Tensor.From([1f, 2f, 3f, 4f, 5f, 6f], [2, 3]);

        // x.T = [[1, 4], [2, 5], [3, 6]] flipped along its columns; a broadcast row flipped along its length.
        x.T.Flip(1).ShouldBe([3, 2], [4f, 1f, 5f, 2f, 6f, 3f]);
        Tensor.From([1f, 2f]).Reshape(2, 1).Expand(2, 3).Flip(0, 1).ShouldBe([2, 3], [2f, 2f, 2f, 1f, 1f, 1f]);
    }

    [Fact]
    public void LargeOdd_IsTheReverseOfEachRow()
    {
        var x = OpTest.Uniform([3, 257], -1f, 1f, 351);

        float[] y = x.Flip(1).ToArray(), v = x.ToArray();
        for (int i = 0; i < 3; i++)
        {
            y.AsSpan(i * 257, 257).ToArray().Should().Equal(v.AsSpan(i * 257, 257).ToArray().Reverse());
        }
    }

    [Fact]
    public void GradCheck_Flip() =>
        GradCheck.Assert(t => t[0].Flip(0, 2) * t[1], [OpTest.Uniform([2, 3, 2], -1f, 1f, 352), OpTest.Uniform([2, 3, 2], -1f, 1f, 353)]);

    [Fact]
    public void GradCheck_SecondDerivative() =>
        GradCheck.Assert(OpTest.Gradient(t => t[0].Flip(0) * t[0] * t[0], wrt: 0), [OpTest.Uniform([3], -1f, 1f, 354)]);

    [Fact]
    public void RepeatedDim_ThrowsWithPyTorchMessage()
    {
        Action act = () => Tensor.Zeros(2, 3).Flip(0, -2);
        act.Should().Throw<ArgumentException>().WithMessage("dim 0 appears multiple times in the list of dims*");
        Action range = () => Tensor.Zeros(2, 3).Flip(2);
        range.Should().Throw<ArgumentOutOfRangeException>().WithMessage("Dimension out of range (expected to be in range of [-2, 1], but got 2)*");
    }
}
