using FluentAssertions;
using Xunit;

namespace Autograd.Tests.Ops;

public class StackTests
{
    [Fact]
    public void Dim0_HandDerived()
    {
        var a = Tensor.From([1f, 2f], requiresGrad: true);
        var b = Tensor.From([3f, 4f], requiresGrad: true);

        Tensor y = Tensor.Stack(a, b);
        y.ShouldBe([2, 2], [1f, 2f, 3f, 4f]);
        y.GradFn!.ToString().Should().Be("<StackBackward>");

        // y[0] = a, y[1] = b: each gets its row of g.
        y.Backward(Tensor.From([5f, 6f, 7f, 8f], [2, 2]));
        a.Grad.ShouldBe([2], [5f, 6f]);
        b.Grad.ShouldBe([2], [7f, 8f]);
    }

    [Fact]
    public void LastDim_Interleaves_HandDerived()
    {
        var a = Tensor.From([1f, 2f, 3f, 4f], [2, 2], requiresGrad: true);
        var b = Tensor.From([5f, 6f, 7f, 8f], [2, 2], requiresGrad: true);

        Tensor y = Tensor.Stack([a, b], -1);
        y.ShouldBe([2, 2, 2], [1f, 5f, 2f, 6f, 3f, 7f, 4f, 8f]);

        // y[i, j, 0] = a[i, j], y[i, j, 1] = b[i, j]: ∂L/∂a = g[..., 0], ∂L/∂b = g[..., 1].
        y.Backward(Tensor.From([1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f], [2, 2, 2]));
        a.Grad.ShouldBe([2, 2], [1f, 3f, 5f, 7f]);
        b.Grad.ShouldBe([2, 2], [2f, 4f, 6f, 8f]);
    }

    [Fact]
    public void ZeroDTensors_GiveAVector()
    {
        var x = Tensor.Scalar(2f, requiresGrad: true);

        // The same scalar three times: ∂L/∂x = g₀ + g₁ + g₂ = 6.
        Tensor y = Tensor.Stack(x, x * 3f, x);
        y.ShouldBe([3], [2f, 6f, 2f]);
        y.Backward(Tensor.From([1f, 1f, 2f]));
        x.Grad.ShouldBeScalar(6f);
    }

    [Fact]
    public void NonContiguousInputs()
    {
        var a = Tensor.From([1f, 2f, 3f, 4f, 5f, 6f], [2, 3], requiresGrad: true);

        Tensor y = Tensor.Stack([a.T, a.T], 1);
        y.ShouldBe([3, 2, 2], [1f, 4f, 1f, 4f, 2f, 5f, 2f, 5f, 3f, 6f, 3f, 6f]);
        y.Sum().Backward();
        a.Grad.ShouldBe([2, 3], [2f, 2f, 2f, 2f, 2f, 2f]);
    }

    [Fact]
    public void BroadcastUpstreamGradient_HandDerived()
    {
        var a = Tensor.From([1f, 2f, 3f], requiresGrad: true);
        var b = Tensor.From([4f, 5f, 6f], requiresGrad: true);

        // L = 2·Σ stack(a, b; 1): the upstream gradient is one value broadcast (stride 0), each input gets 2s.
        (Tensor.Stack([a, b], 1).Sum() * 2f).Backward();
        a.Grad.ShouldBe([3], [2f, 2f, 2f]);
        b.Grad.ShouldBe([3], [2f, 2f, 2f]);
    }

    [Fact]
    public void EmptyTensors_StackToEmpty()
    {
        var x = Tensor.Zeros([0, 2], requiresGrad: true);
        Tensor y = Tensor.Stack([x, x], 1);
        y.ShouldBe([0, 2, 2], []);
        y.Sum().Backward();
        x.Grad.ShouldBe([0, 2], []);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(-2)]
    public void GradCheck_Dims(int dim) =>
        GradCheck.Assert(
            t => Tensor.Stack([t[0], t[1].Exp(), t[0]], dim) * t[2],
            [OpTest.Uniform([2, 3], -1f, 1f, 321), OpTest.Uniform([2, 3], -1f, 1f, 322),
             OpTest.Uniform(dim is 0 or -3 ? [3, 2, 3] : dim is 1 or -2 ? [2, 3, 3] : [2, 3, 3], -1f, 1f, 323)]);

    [Fact]
    public void GradCheck_SecondDerivative() =>
        GradCheck.Assert(
            OpTest.Gradient(t => Tensor.Stack([t[0] * t[0], t[1]], 1).Pow(2f), wrt: 0),
            [OpTest.Uniform([3], -1f, 1f, 324), OpTest.Uniform([3], -1f, 1f, 325)]);

    [Fact]
    public void DifferentShapes_ThrowsWithPyTorchMessage()
    {
        Action act = () => Tensor.Stack(Tensor.Zeros(2, 3), Tensor.Zeros(2, 4));
        act.Should().Throw<ArgumentException>().WithMessage(
            "stack expects each tensor to be equal size, but got [2, 3] at entry 0 and [2, 4] at entry 1*");
    }

    [Fact]
    public void EmptyList_ThrowsWithPyTorchMessage()
    {
        Action act = () => Tensor.Stack(new List<Tensor>());
        act.Should().Throw<ArgumentException>().WithMessage("stack expects a non-empty TensorList*");
    }

    [Fact]
    public void DimOutOfRange_ThrowsWithPyTorchMessage()
    {
        Action act = () => Tensor.Stack([Tensor.Zeros(2, 3)], 3);
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("Dimension out of range (expected to be in range of [-3, 2], but got 3)*");
    }
}
