using FluentAssertions;
using Xunit;

namespace Autograd.Tests.Ops;

public class AddTests
{
    [Fact]
    public void Backward_HandDerived()
    {
        var a = Tensor.From([1f, 2f, 3f], requiresGrad: true);
        var b = Tensor.From([10f, 20f, 30f], requiresGrad: true);

        Tensor c = a + b;
        c.ShouldBe([3], [11f, 22f, 33f]);
        c.Backward(Tensor.From([0.5f, -1f, 2f]));

        // ∂(a + b)/∂a = 1 and ∂(a + b)/∂b = 1: both gradients are the upstream gradient g = [0.5, -1, 2].
        a.Grad.ShouldBe([3], [0.5f, -1f, 2f]);
        b.Grad.ShouldBe([3], [0.5f, -1f, 2f]);
        c.GradFn!.ToString().Should().Be("<AddBackward>");
    }

    [Fact]
    public void Backward_Broadcast_SumsOverRepeatedDimensions()
    {
        var a = Tensor.From([1f, 2f], [2, 1], requiresGrad: true);
        var b = Tensor.From([10f, 20f, 30f], [1, 3], requiresGrad: true);

        Tensor c = a + b;
        c.ShouldBe([2, 3], [11f, 21f, 31f, 12f, 22f, 32f]);
        c.Backward(Tensor.From([1f, 2f, 3f, 4f, 5f, 6f], [2, 3]));

        // a[i] feeds row i: ∂L/∂a[i] = Σⱼ g[i, j] = [1 + 2 + 3, 4 + 5 + 6] = [6, 15].
        a.Grad.ShouldBe([2, 1], [6f, 15f]);

        // b[j] feeds column j: ∂L/∂b[j] = Σᵢ g[i, j] = [1 + 4, 2 + 5, 3 + 6] = [5, 7, 9].
        b.Grad.ShouldBe([1, 3], [5f, 7f, 9f]);
    }

    [Fact]
    public void Backward_ZeroDimOperand_ReceivesSumOfGradient()
    {
        var s = Tensor.Scalar(2f, requiresGrad: true);
        var v = Tensor.From([1f, 2f, 3f], requiresGrad: true);

        Tensor c = s + v;
        c.ShouldBe([3], [3f, 4f, 5f]);
        c.Backward(Tensor.From([1f, 10f, 100f]));

        // s is broadcast to all three elements: ∂L/∂s = Σ g = 111, kept 0-d.
        s.Grad.ShouldBeScalar(111f);
        v.Grad.ShouldBe([3], [1f, 10f, 100f]);
    }

    [Fact]
    public void Backward_FloatOperand_OnEitherSide()
    {
        var a = Tensor.From([1f, 2f], requiresGrad: true);

        Tensor right = a + 5f;
        Tensor left = 5f + a;
        right.ShouldBe([2], [6f, 7f]);
        left.ShouldBe([2], [6f, 7f]);

        // ∂(a + s)/∂a = ∂(s + a)/∂a = 1, so the two passes accumulate g₁ + g₂ = [1 + 2, 1 + 3].
        right.Backward(Tensor.From([1f, 1f]));
        left.Backward(Tensor.From([2f, 3f]));
        a.Grad.ShouldBe([2], [3f, 4f]);
    }

    [Theory]
    [MemberData(nameof(OpTest.BroadcastShapes), MemberType = typeof(OpTest))]
    public void GradCheck_Broadcasting(int[] shapeA, int[] shapeB) =>
        GradCheck.Assert(t => t[0] + t[1], [OpTest.Uniform(shapeA, -1f, 1f, 1), OpTest.Uniform(shapeB, -1f, 1f, 2)]);

    [Fact]
    public void GradCheck_FloatOperands()
    {
        GradCheck.Assert(t => t[0] + 1.5f, [OpTest.Uniform([2, 3], -1f, 1f, 3)]);
        GradCheck.Assert(t => -0.5f + t[0], [OpTest.Uniform([], -1f, 1f, 4)]);
    }

    [Fact]
    public void GradCheck_OnlyOneInputRequiresGrad() =>
        GradCheck.Assert(t => t[0] + t[1], [OpTest.Uniform([2, 3], -1f, 1f, 5, requiresGrad: false), OpTest.Uniform([3], -1f, 1f, 6)]);

    [Fact]
    public void ShapeMismatch_ThrowsWithPyTorchMessage()
    {
        Action act = () => _ = Tensor.Ones(2, 3) + Tensor.Ones(2, 4);

        act.Should().Throw<ArgumentException>()
            .WithMessage("The size of tensor a (3) must match the size of tensor b (4) at non-singleton dimension 1*");
    }

    [Fact]
    public void ShapeMismatch_Leading_ThrowsNamingTheDimension()
    {
        Action act = () => _ = Tensor.Add(Tensor.Ones(3, 1, 2), Tensor.Ones(4, 2, 2));

        act.Should().Throw<ArgumentException>()
            .WithMessage("The size of tensor a (3) must match the size of tensor b (4) at non-singleton dimension 0*");
    }
}
