using FluentAssertions;
using Xunit;

namespace Autograd.Tests.Ops;

public class DotTests
{
    [Fact]
    public void Backward_HandDerived()
    {
        var a = Tensor.From([1f, 2f, 3f], requiresGrad: true);
        var b = Tensor.From([4f, -5f, 6f], requiresGrad: true);

        Tensor d = Tensor.Dot(a, b);
        d.ShouldBeScalar(12f);
        d.Backward(Tensor.Scalar(2f));

        // ∂(Σ aᵢbᵢ)/∂a = b → g·b = [8, −10, 12];  ∂/∂b = a → g·a = [2, 4, 6].
        a.Grad.ShouldBe([3], [8f, -10f, 12f]);
        b.Grad.ShouldBe([3], [2f, 4f, 6f]);
        d.GradFn!.ToString().Should().Be("<DotBackward>");
    }

    [Fact]
    public void Backward_WithItself()
    {
        var x = Tensor.Arange(4f);
        x.RequiresGrad = true;

        (2f * Tensor.Dot(x, x)).Backward();

        // d/dx 2 x·x = 4x = [0, 4, 8, 12] (the d2l example).
        x.Grad.ShouldBe([4], [0f, 4f, 8f, 12f]);
    }

    [Fact]
    public void GradCheck_Random()
    {
        GradCheck.Assert(t => Tensor.Dot(t[0], t[1]), [OpTest.Uniform([5], -1f, 1f, 161), OpTest.Uniform([5], -1f, 1f, 162)]);
        GradCheck.Assert(t => t[0].Dot(t[1]), [OpTest.Uniform([3], -1f, 1f, 163), OpTest.Uniform([3], -1f, 1f, 164, requiresGrad: false)]);
    }

    [Fact]
    public void GradCheck_StridedOperands() =>
        GradCheck.Assert(t => Tensor.Dot(t[0].T.Reshape(6), t[1]), [OpTest.Uniform([2, 3], -1f, 1f, 165), OpTest.Uniform([6], -1f, 1f, 166)]);

    [Fact]
    public void LengthMismatch_ThrowsWithPyTorchMessage()
    {
        Action act = () => Tensor.Dot(Tensor.Ones(3), Tensor.Ones(4));

        act.Should().Throw<ArgumentException>().WithMessage(
            "inconsistent tensor size, expected tensor [3] and src [4] to have the same number of elements, but got 3 and 4 elements respectively*");
    }

    [Fact]
    public void NonVector_ThrowsWithPyTorchMessage()
    {
        Action act = () => Tensor.Dot(Tensor.Ones(2, 3), Tensor.Ones(3));

        act.Should().Throw<ArgumentException>().WithMessage("1D tensors expected, but got 2D and 1D tensors*");
    }
}
