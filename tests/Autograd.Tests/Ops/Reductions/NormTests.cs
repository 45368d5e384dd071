using FluentAssertions;
using Xunit;

namespace Autograd.Tests.Ops;

public class NormTests
{
    [Fact]
    public void Backward_HandDerived()
    {
        var x = Tensor.From([3f, 4f], requiresGrad: true);

        Tensor n = x.Norm();
        n.ShouldBeScalar(5f);
        n.Backward(Tensor.Scalar(2f));

        // ∂‖x‖/∂x = x/‖x‖ = [0.6, 0.8] → g·x/‖x‖ = [1.2, 1.6].
        x.Grad.ShouldBe([2], [1.2f, 1.6f]);
        n.GradFn!.ToString().Should().Be("<NormBackward>");
    }

    [Fact]
    public void Backward_Matrix_IsFrobenius()
    {
        var x = Tensor.From([1f, 2f, 2f, 4f], [2, 2], requiresGrad: true);

        Tensor n = x.Norm();

        // √(1 + 4 + 4 + 16) = 5;  gradient x/5.
        n.ShouldBeScalar(5f);
        n.Backward();
        x.Grad.ShouldBe([2, 2], [0.2f, 0.4f, 0.4f, 0.8f]);
    }

    [Fact]
    public void Backward_AtZero_IsZeroAsInPyTorch()
    {
        var x = Tensor.Zeros([3], requiresGrad: true);

        x.Norm().Backward();

        // ‖x‖ is not differentiable at 0; PyTorch returns the zero subgradient, not 0/0 = NaN.
        x.Grad.ShouldBe([3], [0f, 0f, 0f]);
    }

    [Fact]
    public void GradCheck_Random()
    {
        GradCheck.Assert(t => t[0].Norm(), [OpTest.Uniform([2, 3], -1f, 1f, 151)]);
        GradCheck.Assert(t => t[0].Norm(), [OpTest.AwayFromZero([], 0.5f, 2f, 152)]);
    }

    [Fact]
    public void SecondDerivative_CreateGraph()
    {
        var x = Tensor.From([3f, 4f], requiresGrad: true);

        x.Norm().Backward(createGraph: true);
        Tensor first = x.Grad!;
        x.Grad = null;
        first[0].Should().BeApproximately(0.6f, 1e-6f);
        (first * Tensor.From([1f, 0f])).Sum().Backward();

        // ∂²‖x‖/∂xᵢ∂xⱼ = (δᵢⱼ − xᵢxⱼ/‖x‖²)/‖x‖; row 0: [(1 − 9/25)/5, (−12/25)/5] = [0.128, −0.096].
        x.Grad.ShouldBe([2], [0.128f, -0.096f]);
    }

    [Fact]
    public void GradCheck_SecondDerivative() =>
        GradCheck.Assert(OpTest.Gradient(t => t[0].Norm(), wrt: 0), [OpTest.Uniform([2, 2], -1f, 1f, 154)]);

    [Fact]
    public void GradCheck_TransposedView() =>
        GradCheck.Assert(t => t[0].T.Norm(), [OpTest.Uniform([3, 2], -1f, 1f, 153)]);
}
