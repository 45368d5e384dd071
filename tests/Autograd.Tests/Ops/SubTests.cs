using FluentAssertions;
using Xunit;

namespace Autograd.Tests.Ops;

public class SubTests
{
    [Fact]
    public void Backward_HandDerived()
    {
        var a = Tensor.From([5f, 7f], requiresGrad: true);
        var b = Tensor.From([1f, 10f], requiresGrad: true);

        Tensor c = a - b;
        c.ShouldBe([2], [4f, -3f]);
        c.Backward(Tensor.From([2f, -3f]));

        // ∂(a − b)/∂a = 1 → g = [2, −3];  ∂(a − b)/∂b = −1 → −g = [−2, 3].
        a.Grad.ShouldBe([2], [2f, -3f]);
        b.Grad.ShouldBe([2], [-2f, 3f]);
        c.GradFn!.ToString().Should().Be("<SubBackward>");
    }

    [Fact]
    public void Backward_Broadcast_SumsAndNegates()
    {
        var a = Tensor.From([1f, 2f, 3f, 4f, 5f, 6f], [2, 3], requiresGrad: true);
        var b = Tensor.From([1f, 1f, 1f], requiresGrad: true);

        Tensor c = a - b;
        c.ShouldBe([2, 3], [0f, 1f, 2f, 3f, 4f, 5f]);
        c.Backward(Tensor.From([1f, 2f, 3f, 4f, 5f, 6f], [2, 3]));

        // ∂L/∂a = g;  b[j] is subtracted from both rows: ∂L/∂b[j] = −Σᵢ g[i, j] = −[5, 7, 9].
        a.Grad.ShouldBe([2, 3], [1f, 2f, 3f, 4f, 5f, 6f]);
        b.Grad.ShouldBe([3], [-5f, -7f, -9f]);
    }

    [Fact]
    public void Backward_FloatOperand_SignDependsOnSide()
    {
        var a = Tensor.From([1f, 2f], requiresGrad: true);
        Tensor right = a - 5f;
        right.ShouldBe([2], [-4f, -3f]);
        right.Backward(Tensor.From([1f, 2f]));

        // ∂(a − s)/∂a = 1.
        a.Grad.ShouldBe([2], [1f, 2f]);

        var b = Tensor.From([1f, 2f], requiresGrad: true);
        Tensor left = 5f - b;
        left.ShouldBe([2], [4f, 3f]);
        left.Backward(Tensor.From([1f, 2f]));

        // ∂(s − b)/∂b = −1.
        b.Grad.ShouldBe([2], [-1f, -2f]);
    }

    [Theory]
    [MemberData(nameof(OpTest.BroadcastShapes), MemberType = typeof(OpTest))]
    public void GradCheck_Broadcasting(int[] shapeA, int[] shapeB) =>
        GradCheck.Assert(t => t[0] - t[1], [OpTest.Uniform(shapeA, -1f, 1f, 11), OpTest.Uniform(shapeB, -1f, 1f, 12)]);

    [Fact]
    public void GradCheck_FloatOperands()
    {
        GradCheck.Assert(t => t[0] - 1.5f, [OpTest.Uniform([2, 3], -1f, 1f, 13)]);
        GradCheck.Assert(t => 1.5f - t[0], [OpTest.Uniform([2, 3], -1f, 1f, 14)]);
    }

    [Fact]
    public void ShapeMismatch_ThrowsWithPyTorchMessage()
    {
        Action act = () => _ = Tensor.Ones(2, 3) - Tensor.Ones(4);

        act.Should().Throw<ArgumentException>()
            .WithMessage("The size of tensor a (3) must match the size of tensor b (4) at non-singleton dimension 1*");
    }
}
