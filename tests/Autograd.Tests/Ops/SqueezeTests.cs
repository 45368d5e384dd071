using FluentAssertions;
using Xunit;

namespace Autograd.Tests.Ops;

/// <summary>Squeeze and Unsqueeze: size-1 dimensions removed or inserted (backward: reshape g back).</summary>
public class SqueezeTests
{
    [Fact]
    public void Squeeze_HandDerived()
    {
        var x = Tensor.From([1f, 2f, 3f, 4f, 5f, 6f], [1, 3, 1, 2], requiresGrad: true);

        Tensor all = x.Squeeze();
        all.ShouldBe([3, 2], [1f, 2f, 3f, 4f, 5f, 6f]);
        all.GradFn!.ToString().Should().Be("<SqueezeBackward>");
        x.Squeeze(2).Shape.ToArray().Should().Equal(1, 3, 2);
        x.Squeeze(-4).Shape.ToArray().Should().Equal(3, 1, 2);

        // Size 3 ≠ 1: no-op (as PyTorch), still a view.
        x.Squeeze(1).Shape.ToArray().Should().Equal(1, 3, 1, 2);

        // Same row-major order: ∂L/∂x is g in x's shape.
        (all * Tensor.From([1f, 2f])).Sum().Backward();
        x.Grad.ShouldBe([1, 3, 1, 2], [1f, 2f, 1f, 2f, 1f, 2f]);
    }

    [Fact]
    public void Unsqueeze_HandDerived_AndPyTorchStrides()
    {
        var x = Tensor.From([1f, 2f, 3f, 4f, 5f, 6f], [2, 3], requiresGrad: true);

        Tensor y = x.Unsqueeze(1);
        y.Shape.ToArray().Should().Equal(2, 1, 3);
        y.Strides().Should().Equal(3, 3, 1);
        x.Unsqueeze(-1).Shape.ToArray().Should().Equal(2, 3, 1);
        x.Unsqueeze(-3).Shape.ToArray().Should().Equal(1, 2, 3);
        y.GradFn!.ToString().Should().Be("<UnsqueezeBackward>");

        // Inserting into a transposed view keeps it strided; the new stride is size·stride of the dimension after
        // it, as PyTorch picks: xᵀ (3×2, strides [1, 3]) → [1, 2·3, 3].
        Tensor t = x.T.Unsqueeze(1);
        t.Strides().Should().Equal(1, 6, 3);
        t.IsContiguous.Should().BeFalse();

        (y * Tensor.From([1f, 10f, 100f])).Sum().Backward();
        x.Grad.ShouldBe([2, 3], [1f, 10f, 100f, 1f, 10f, 100f]);
        Tensor.Scalar(5f).Unsqueeze(0).ShouldBe([1], [5f]);
    }

    [Fact]
    public void SharesStorage()
    {
        var x = Tensor.Zeros(3, 1);
        Tensor squeezed = x.Squeeze(), unsqueezed = squeezed.Unsqueeze(0);
        x[2, 0] = 7f;
        squeezed[2].Should().Be(7f);
        unsqueezed[0, 2].Should().Be(7f);
    }

    [Fact]
    public void GradCheck_Both()
    {
        Tensor x = OpTest.Uniform([1, 3, 1, 2], -1f, 1f, 451);
        GradCheck.Assert(t => t[0].Squeeze().Exp(), [x]);
        GradCheck.Assert(t => t[0].Squeeze(2).Unsqueeze(0), [x]);
        GradCheck.Assert(t => t[0].Transpose(1, 3).Squeeze() * 2f, [x]);
        GradCheck.Assert(OpTest.Gradient(t => t[0].Squeeze().Unsqueeze(-1).Pow(3f), 0), [x]);
    }

    [Fact]
    public void Errors_HavePyTorchMessages()
    {
        var x = Tensor.Ones(2, 3);
        ((Action)(() => x.Squeeze(2))).Should().Throw<ArgumentOutOfRangeException>()
            .WithMessage("Dimension out of range (expected to be in range of [-2, 1], but got 2)*");
        ((Action)(() => x.Unsqueeze(3))).Should().Throw<ArgumentOutOfRangeException>()
            .WithMessage("Dimension out of range (expected to be in range of [-3, 2], but got 3)*");
    }
}
