using FluentAssertions;
using Xunit;

namespace Autograd.Tests.Ops;

public class MeanTests
{
    [Fact]
    public void MeanAll_Backward_HandDerived()
    {
        var x = Tensor.From([1f, 2f, 3f, 4f], [2, 2], requiresGrad: true);

        Tensor m = x.Mean();
        m.ShouldBeScalar(2.5f);
        m.Backward(Tensor.Scalar(2f));

        // ∂((1/n) Σ x)/∂xᵢ = 1/n = ¼ → g/n = 0.5 everywhere.
        x.Grad.ShouldBe([2, 2], [0.5f, 0.5f, 0.5f, 0.5f]);
        m.GradFn!.ToString().Should().Be("<MeanBackward>");
    }

    [Fact]
    public void MeanDim_Backward_HandDerived()
    {
        var x = Tensor.From([1f, 2f, 3f, 4f, 5f, 6f], [2, 3], requiresGrad: true);

        Tensor m = x.Mean(0);
        m.ShouldBe([3], [2.5f, 3.5f, 4.5f]);
        m.Backward(Tensor.From([2f, 4f, 6f]));

        // out[j] = ½ Σᵢ x[i, j]: x.Grad[i, j] = g[j]/2.
        x.Grad.ShouldBe([2, 3], [1f, 2f, 3f, 1f, 2f, 3f]);
    }

    [Fact]
    public void MeanDim_KeepDim_Backward_HandDerived()
    {
        var x = Tensor.From([1f, 2f, 3f, 4f, 5f, 6f], [2, 3], requiresGrad: true);

        Tensor m = x.Mean(-1, keepDim: true);
        m.ShouldBe([2, 1], [2f, 5f]);
        m.Backward(Tensor.From([3f, -6f], [2, 1]));

        // out[i, 0] = ⅓ Σⱼ x[i, j]: x.Grad[i, j] = g[i]/3.
        x.Grad.ShouldBe([2, 3], [1f, 1f, 1f, -2f, -2f, -2f]);
    }

    [Fact]
    public void Mean_Empty_IsNaNAsInPyTorch() => float.IsNaN(Tensor.Zeros(0).Mean().Item()).Should().BeTrue();

    [Theory]
    [InlineData(new[] { 2, 3 }, 0, false)]
    [InlineData(new[] { 2, 3 }, 1, true)]
    [InlineData(new[] { 2, 3, 4 }, 1, false)]
    [InlineData(new[] { 2, 3, 4 }, -1, true)]
    public void GradCheck_MeanDim(int[] shape, int dim, bool keepDim) =>
        GradCheck.Assert(t => t[0].Mean(dim, keepDim), [OpTest.Uniform(shape, -1f, 1f, 131)]);

    [Fact]
    public void GradCheck_MeanAll()
    {
        GradCheck.Assert(t => t[0].Mean(), [OpTest.Uniform([3, 4], -1f, 1f, 132)]);
        GradCheck.Assert(t => t[0].Mean(), [OpTest.Uniform([], -1f, 1f, 133)]);
    }

    [Fact]
    public void DimOutOfRange_ThrowsWithPyTorchMessage()
    {
        Action act = () => Tensor.Ones(2, 3).Mean(-3);

        act.Should().Throw<ArgumentException>()
            .WithMessage("Dimension out of range (expected to be in range of [-2, 1], but got -3)*");
    }
}
