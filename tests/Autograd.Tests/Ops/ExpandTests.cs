using FluentAssertions;
using Xunit;

namespace Autograd.Tests.Ops;

public class ExpandTests
{
    [Fact]
    public void Backward_HandDerived()
    {
        var x = Tensor.From([1f, 2f, 3f], requiresGrad: true);

        Tensor y = x.Expand(2, 3);
        y.ShouldBe([2, 3], [1f, 2f, 3f, 1f, 2f, 3f]);
        y.Backward(Tensor.From([1f, 2f, 3f, 4f, 5f, 6f], [2, 3]));

        // y[i, j] = x[j] for both rows → ∂L/∂x[j] = Σᵢ g[i, j] = [5, 7, 9].
        x.Grad.ShouldBe([3], [5f, 7f, 9f]);
        y.GradFn!.ToString().Should().Be("<ExpandBackward>");
    }

    [Fact]
    public void Backward_SizeOneDimensions()
    {
        var x = Tensor.From([1f, 2f], [2, 1], requiresGrad: true);

        Tensor y = x.Expand(2, 2, 3);
        y.ShouldBe([2, 2, 3], [1f, 1f, 1f, 2f, 2f, 2f, 1f, 1f, 1f, 2f, 2f, 2f]);
        y.Sum().Backward();

        // Each x[i, 0] is repeated over the new leading dimension (2) and the last one (3): 6 copies.
        x.Grad.ShouldBe([2, 1], [6f, 6f]);
    }

    [Fact]
    public void Backward_ZeroDim()
    {
        var x = Tensor.Scalar(3f, requiresGrad: true);

        x.Expand(2, 2).Backward(Tensor.From([1f, 2f, 3f, 4f], [2, 2]));

        // A 0-d tensor expanded to 2×2 receives the sum of the upstream gradient.
        x.Grad.ShouldBeScalar(10f);
    }

    [Theory]
    [InlineData(new[] { 3 }, new[] { 2, 3 })]
    [InlineData(new[] { 2, 1 }, new[] { 2, 3 })]
    [InlineData(new[] { 1, 3 }, new[] { 2, 2, 3 })]
    [InlineData(new int[0], new[] { 2, 3 })]
    [InlineData(new[] { 2, 3 }, new[] { 2, 3 })]
    public void GradCheck_Shapes(int[] from, int[] to) =>
        GradCheck.Assert(t => t[0].Expand(to) * t[1], [OpTest.Uniform(from, -1f, 1f, 221), OpTest.Uniform(to, -1f, 1f, 222)]);

    [Fact]
    public void GradCheck_ExpandOfTransposedView() =>
        GradCheck.Assert(t => t[0].T.Expand(2, 3, 2).Sin(), [OpTest.Uniform([2, 3], -1f, 1f, 223)]);

    [Fact]
    public void GradCheck_ViewAsOutput() =>
        GradCheck.Assert(t => t[0].Expand(3, 2, 4), [OpTest.Uniform([2, 1], -1f, 1f, 224)]);

    [Fact]
    public void NonSingletonMismatch_ThrowsWithPyTorchMessage()
    {
        Action act = () => Tensor.Ones(3).Expand(2, 4);

        act.Should().Throw<ArgumentException>().WithMessage(
            "The expanded size of the tensor (4) must match the existing size (3) at non-singleton dimension 1.  Target sizes: [2, 4].  Tensor sizes: [3]*");
    }

    [Fact]
    public void TooFewDimensions_ThrowsWithPyTorchMessage()
    {
        Action act = () => Tensor.Ones(2, 3).Expand(3);

        act.Should().Throw<ArgumentException>().WithMessage(
            "expand(torch.FloatTensor{[2, 3]}, size=[3]): the number of sizes provided (1) must be greater or equal to the number of dimensions in the tensor (2)*");
    }

    [Fact]
    public void MinusOne_KeepsTheSize()
    {
        var x = Tensor.From([1f, 2f, 3f], [3, 1], requiresGrad: true);

        Tensor y = x.Expand(-1, 4);
        y.ShouldBe([3, 4], [1f, 1f, 1f, 1f, 2f, 2f, 2f, 2f, 3f, 3f, 3f, 3f]);
        y.Strides().Should().Equal(1, 0);

        // y[i, j] = x[i, 0] → ∂L/∂x[i, 0] = Σⱼ g[i, j].
        y.Backward(Tensor.From([1f, 2f, 3f, 4f, 10f, 20f, 30f, 40f, 0f, 0f, 0f, 1f], [3, 4]));
        x.Grad.ShouldBe([3, 1], [10f, 100f, 1f]);

        x.Expand(2, -1, 3).Shape.ToArray().Should().Equal(2, 3, 3);
        x.Expand(-1, -1).Should().BeSameAs(x);
    }

    [Fact]
    public void MinusOne_InANewLeadingDimension_ThrowsWithPyTorchMessage()
    {
        ((Action)(() => Tensor.Ones(3).Expand(-1, 3))).Should().Throw<ArgumentException>()
            .WithMessage("The expanded size of the tensor (-1) isn't allowed in a leading, non-existing dimension 0*");
        ((Action)(() => Tensor.Ones(2, 3).Expand(3, -1))).Should().Throw<ArgumentException>().WithMessage(
            "The expanded size of the tensor (3) must match the existing size (2) at non-singleton dimension 0.  Target sizes: [3, -1].  Tensor sizes: [2, 3]*");
    }

    [Fact]
    public void ExpandAs_HandDerived_AndGradCheck()
    {
        var x = Tensor.From([1f, 2f, 3f], [1, 3], requiresGrad: true);
        var other = Tensor.Zeros(2, 3);

        Tensor y = x.ExpandAs(other);
        y.ShouldBe([2, 3], [1f, 2f, 3f, 1f, 2f, 3f]);

        // Two copies of each element: ∂L/∂x[0, j] = g[0, j] + g[1, j].
        y.Backward(Tensor.From([1f, 2f, 3f, 10f, 20f, 30f], [2, 3]));
        x.Grad.ShouldBe([1, 3], [11f, 22f, 33f]);

        GradCheck.Assert(t => t[0].ExpandAs(t[1]) * t[1], [OpTest.Uniform([3, 1], -1f, 1f, 225), OpTest.Uniform([2, 3, 4], -1f, 1f, 226)]);
    }
}
