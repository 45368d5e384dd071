using Autograd.Testing;
using FluentAssertions;
using Xunit;
using Xunit.Sdk;

namespace Autograd.Tests.Testing;

/// <summary>The Autograd.Testing assertions: they pass on close values and fail naming the first mismatch.</summary>
public class TensorAssertionsTests
{
    [Fact]
    public void BeCloseTo_PassesWithinPyTorchsTolerances_AndNamesTheFirstMismatch()
    {
        var x = Tensor.From(new float[,] { { 1f, 2f }, { 3f, 4f } });
        x.Should().BeCloseTo(Tensor.From(new float[,] { { 1f, 2f + 1e-6f }, { 3f, 4f } }));
        x.Should().BeCloseTo([1.0, 2.0, 3.0, 4.0]).And.HaveShape(2, 2).And.HaveDType(DType.Float32);

        FluentActions.Invoking(() => x.Should().BeCloseTo(Tensor.From(new float[,] { { 1f, 2f }, { 3.1f, 4f } })))
            .Should().Throw<XunitException>().WithMessage("*element [1, 0] is 3 where 3.0999999* was expected*");
        FluentActions.Invoking(() => x.Should().BeCloseTo(Tensor.From([1f, 2f, 3f, 4f])))
            .Should().Throw<XunitException>().WithMessage("Expected tensor to have shape [4], but found [2, 2].");
        FluentActions.Invoking(() => x.Should().HaveDType(DType.Float64))
            .Should().Throw<XunitException>().WithMessage("Expected tensor to have dtype torch.float64, but found torch.float32.");
    }

    [Fact]
    public void BeCloseTo_TreatsNaNAsEqualToNaN_AndIntegersExactly()
    {
        Tensor.From([float.NaN, float.PositiveInfinity]).Should().BeCloseTo([double.NaN, double.PositiveInfinity]);
        FluentActions.Invoking(() => Tensor.From([1L, 2L]).Should().BeCloseTo([1.0, 2.0000001]))
            .Should().Throw<XunitException>();
    }

    [Fact]
    public void HaveGradientsMatchingFiniteDifferences_PassesForARightBackward_AndReportsAWrongOne()
    {
        var x = Tensor.Uniform([3], 0.5, 1.5, DType.Float64, generator: new Generator(9));
        x.Should().HaveGradientsMatchingFiniteDifferences(t => t.Sin() * t);

        // A wrong backward: value sin(x), gradient cos(x)·2 (the detached term contributes to the value's gradient only).
        FluentActions.Invoking(() => x.Should().HaveGradientsMatchingFiniteDifferences(t => t.Sin() + (t - t.Detach()) * Tensor.Cos(t.Detach())))
            .Should().Throw<XunitException>().WithMessage("Expected the gradients at tensor to match finite differences, but: Jacobian mismatch*");
    }
}
