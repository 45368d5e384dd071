using FluentAssertions;
using Xunit;

namespace Autograd.Tests.Ops;

public class MulTests
{
    [Fact]
    public void Backward_HandDerived()
    {
        var x = Tensor.From([2f, -1f], requiresGrad: true);
        var y = Tensor.From([3f, 4f], requiresGrad: true);

        Tensor z = x * y;
        z.ShouldBe([2], [6f, -4f]);
        z.Backward(Tensor.From([1f, 0.5f]));

        // ∂(x·y)/∂x = y → g ⊙ y = [1·3, 0.5·4] = [3, 2];  ∂(x·y)/∂y = x → g ⊙ x = [2, −0.5].
        x.Grad.ShouldBe([2], [3f, 2f]);
        y.Grad.ShouldBe([2], [2f, -0.5f]);
        z.GradFn!.ToString().Should().Be("<MulBackward>");
    }

    [Fact]
    public void Backward_Broadcast_SumsProductsOverRepeatedDimensions()
    {
        var x = Tensor.From([1f, 2f], [2, 1], requiresGrad: true);
        var y = Tensor.From([3f, 4f, 5f], [1, 3], requiresGrad: true);

        Tensor z = x * y;
        z.ShouldBe([2, 3], [3f, 4f, 5f, 6f, 8f, 10f]);
        z.Sum().Backward();

        // z[i, j] = x[i]·y[j]:  ∂/∂x[i] = Σⱼ y[j] = 12;  ∂/∂y[j] = Σᵢ x[i] = 3.
        x.Grad.ShouldBe([2, 1], [12f, 12f]);
        y.Grad.ShouldBe([1, 3], [3f, 3f, 3f]);
    }

    [Fact]
    public void Backward_SameTensorTwice_Accumulates()
    {
        var x = Tensor.From([3f, -2f], requiresGrad: true);

        (x * x).Sum().Backward();

        // d(x²)/dx = 2x: both edges of MulBackward lead to x and add up.
        x.Grad.ShouldBe([2], [6f, -4f]);
    }

    [Fact]
    public void Backward_FloatOperand_OnEitherSide()
    {
        var x = Tensor.From([1f, -2f], requiresGrad: true);
        Tensor right = x * 2.5f;
        Tensor left = -3f * x;
        right.ShouldBe([2], [2.5f, -5f]);
        left.ShouldBe([2], [-3f, 6f]);

        // ∂(x·s)/∂x = s: 2.5 + (−3) = −0.5 per element.
        (right + left).Sum().Backward();
        x.Grad.ShouldBe([2], [-0.5f, -0.5f]);
    }

    [Fact]
    public void SecondDerivative_CreateGraph()
    {
        var x = Tensor.Scalar(2f, requiresGrad: true);
        var y = Tensor.Scalar(3f, requiresGrad: true);

        Tensor z = x * y * x;
        z.Backward(createGraph: true);

        // z = x²y:  ∂z/∂x = 2xy = 12,  ∂z/∂y = x² = 4.
        Tensor dx = x.Grad!;
        dx.ShouldBeScalar(12f);
        y.Grad.ShouldBeScalar(4f);
        dx.RequiresGrad.Should().BeTrue("createGraph records the backward pass");

        x.Grad = null;
        y.Grad = null;
        dx.Backward();

        // ∂²z/∂x² = 2y = 6,  ∂²z/∂y∂x = 2x = 4.
        x.Grad.ShouldBeScalar(6f);
        y.Grad.ShouldBeScalar(4f);
    }

    [Theory]
    [MemberData(nameof(OpTest.BroadcastShapes), MemberType = typeof(OpTest))]
    public void GradCheck_Broadcasting(int[] shapeA, int[] shapeB) =>
        GradCheck.Assert(t => t[0] * t[1], [OpTest.Uniform(shapeA, -1f, 1f, 21), OpTest.Uniform(shapeB, -1f, 1f, 22)]);

    [Fact]
    public void GradCheck_FloatOperandsAndSelfProduct()
    {
        GradCheck.Assert(t => t[0] * 2.5f, [OpTest.Uniform([2, 3], -1f, 1f, 23)]);
        GradCheck.Assert(t => -0.5f * t[0], [OpTest.Uniform([3], -1f, 1f, 24)]);
        GradCheck.Assert(t => t[0] * t[0], [OpTest.Uniform([2, 3], -1f, 1f, 25)]);
    }

    [Fact]
    public void GradCheck_SecondDerivative()
    {
        // ∂(Σ x ⊙ x ⊙ y)/∂x = 2x ⊙ y, itself checked by finite differences with respect to x and y.
        Tensor[] inputs = [OpTest.Uniform([3], -1f, 1f, 26), OpTest.Uniform([3], -1f, 1f, 27)];
        GradCheck.Assert(OpTest.Gradient(t => t[0] * t[0] * t[1], wrt: 0), inputs);
    }

    [Fact]
    public void GradCheck_SecondDerivative_ThroughBroadcast()
    {
        // ∂(Σ x ⊙ y ⊙ y)/∂y with y [3] broadcast over x [2, 3]: the engine's sum over the broadcast rows is recorded too.
        Tensor[] inputs = [OpTest.Uniform([2, 3], -1f, 1f, 28), OpTest.Uniform([3], -1f, 1f, 29)];
        GradCheck.Assert(OpTest.Gradient(t => t[0] * t[1] * t[1], wrt: 1), inputs);
    }

    [Fact]
    public void ShapeMismatch_ThrowsWithPyTorchMessage()
    {
        Action act = () => _ = Tensor.Ones(2, 3) * Tensor.Ones(2, 4);

        act.Should().Throw<ArgumentException>()
            .WithMessage("The size of tensor a (3) must match the size of tensor b (4) at non-singleton dimension 1*");
    }
}
