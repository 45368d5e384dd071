using FluentAssertions;
using Xunit;

namespace Autograd.Tests.Ops;

public class DivTests
{
    [Fact]
    public void Backward_HandDerived()
    {
        var a = Tensor.From([6f, -3f], requiresGrad: true);
        var b = Tensor.From([2f, 4f], requiresGrad: true);

        Tensor c = a / b;
        c.ShouldBe([2], [3f, -0.75f]);
        c.Backward(Tensor.From([1f, 2f]));

        // ∂(a/b)/∂a = 1/b → g/b = [1/2, 2/4] = [0.5, 0.5].
        a.Grad.ShouldBe([2], [0.5f, 0.5f]);

        // ∂(a/b)/∂b = −a/b² → −g·a/b² = [−1·6/4, −2·(−3)/16] = [−1.5, 0.375].
        b.Grad.ShouldBe([2], [-1.5f, 0.375f]);
        c.GradFn!.ToString().Should().Be("<DivBackward>");
    }

    [Fact]
    public void Backward_BroadcastDenominator_SumsOverRows()
    {
        var a = Tensor.From([1f, 2f, 3f, 4f], [2, 2], requiresGrad: true);
        var b = Tensor.From([2f, 4f], requiresGrad: true);

        Tensor c = a / b;
        c.ShouldBe([2, 2], [0.5f, 0.5f, 1.5f, 1f]);
        c.Sum().Backward();

        // ∂/∂a[i, j] = 1/b[j] = [0.5, 0.25] per row.
        a.Grad.ShouldBe([2, 2], [0.5f, 0.25f, 0.5f, 0.25f]);

        // ∂/∂b[j] = −Σᵢ a[i, j]/b[j]² = [−(1 + 3)/4, −(2 + 4)/16] = [−1, −0.375].
        b.Grad.ShouldBe([2], [-1f, -0.375f]);
    }

    [Fact]
    public void Backward_FloatOperands()
    {
        var a = Tensor.From([3f, -1f], requiresGrad: true);
        Tensor quotient = a / 2f;
        quotient.ShouldBe([2], [1.5f, -0.5f]);
        quotient.Sum().Backward();

        // ∂(a/s)/∂a = 1/s = 0.5.
        a.Grad.ShouldBe([2], [0.5f, 0.5f]);

        var b = Tensor.From([4f, -2f], requiresGrad: true);
        Tensor reciprocal = 2f / b;
        reciprocal.ShouldBe([2], [0.5f, -1f]);
        reciprocal.Sum().Backward();

        // ∂(s/b)/∂b = −s/b² = [−2/16, −2/4] = [−0.125, −0.5].
        b.Grad.ShouldBe([2], [-0.125f, -0.5f]);
    }

    [Fact]
    public void DivisionByZero_FollowsIeee()
    {
        var a = Tensor.From([1f, -1f], requiresGrad: true);
        var b = Tensor.From([0f, 0f], requiresGrad: true);

        Tensor c = a / b;
        c.Sum().Backward();

        // As in PyTorch: 1/0 = +∞, −1/0 = −∞; ∂/∂a = 1/0 = ∞; ∂/∂b = −a/0 = ∓∞.
        c.ToArray().Should().Equal(float.PositiveInfinity, float.NegativeInfinity);
        a.Grad!.ToArray().Should().Equal(float.PositiveInfinity, float.PositiveInfinity);
        b.Grad!.ToArray().Should().Equal(float.NegativeInfinity, float.PositiveInfinity);
    }

    [Theory]
    [MemberData(nameof(OpTest.BroadcastShapes), MemberType = typeof(OpTest))]
    public void GradCheck_Broadcasting(int[] shapeA, int[] shapeB) =>
        GradCheck.Assert(t => t[0] / t[1], [OpTest.Uniform(shapeA, -1f, 1f, 31), OpTest.AwayFromZero(shapeB, 0.5f, 2f, 32)]);

    [Fact]
    public void GradCheck_FloatOperands()
    {
        GradCheck.Assert(t => t[0] / 2.5f, [OpTest.Uniform([2, 3], -1f, 1f, 33)]);
        GradCheck.Assert(t => 2.5f / t[0], [OpTest.AwayFromZero([2, 3], 0.5f, 2f, 34)]);
    }

    [Fact]
    public void SecondDerivative_CreateGraph()
    {
        var a = Tensor.Scalar(3f, requiresGrad: true);
        var b = Tensor.Scalar(2f, requiresGrad: true);

        (a / b).Backward(createGraph: true);
        Tensor db = b.Grad!;

        // ∂(a/b)/∂b = −a/b² = −¾;  ∂²/∂b² = 2a/b³ = ¾;  ∂²/∂a∂b = −1/b² = −¼.
        db.ShouldBeScalar(-0.75f);
        a.Grad = null;
        b.Grad = null;
        db.Backward();
        b.Grad.ShouldBeScalar(0.75f);
        a.Grad.ShouldBeScalar(-0.25f);
    }

    [Fact]
    public void GradCheck_SecondDerivative()
    {
        Tensor[] inputs = [OpTest.Uniform([2, 3], -1f, 1f, 35), OpTest.AwayFromZero([3], 0.5f, 2f, 36)];
        GradCheck.Assert(OpTest.Gradient(t => t[0] / t[1], wrt: 1), inputs);
        GradCheck.Assert(OpTest.Gradient(t => 2f / t[0], wrt: 0), [OpTest.AwayFromZero([3], 0.5f, 2f, 37)]);
    }

    [Fact]
    public void ShapeMismatch_ThrowsWithPyTorchMessage()
    {
        Action act = () => _ = Tensor.Ones(2, 3) / Tensor.Ones(3, 2);

        act.Should().Throw<ArgumentException>()
            .WithMessage("The size of tensor a (3) must match the size of tensor b (2) at non-singleton dimension 1*");
    }
}
