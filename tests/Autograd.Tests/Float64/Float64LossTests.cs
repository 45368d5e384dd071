using Autograd.NN;
using Autograd.Tests.Ops;
using FluentAssertions;
using Xunit;
using static Autograd.Tests.Float64.Float64GradCheckTests;

namespace Autograd.Tests.Float64;

/// <summary>The classification losses and log-softmax in float64, by finite differences with PyTorch's float64 defaults.</summary>
public class Float64LossTests
{
    private static readonly int[] Targets = [2, 0, 1];

    [Fact]
    public void LogSoftmax_PassesGradCheckInFloat64_FirstAndSecondOrder()
    {
        Tensor x = Leaf([3, 4], -2, 2, 21);

        Functional.LogSoftmax(x).DType.Should().Be(DType.Float64);
        GradCheck.Check(t => Functional.LogSoftmax(t[0]), [x]).Passed.Should().BeTrue();
        GradCheck.Check(OpTest.Gradient(t => Functional.LogSoftmax(t[0]).Pow(2f), 0), [x]).Passed.Should().BeTrue();
    }

    [Theory]
    [InlineData(Reduction.Mean)]
    [InlineData(Reduction.Sum)]
    [InlineData(Reduction.None)]
    public void CrossEntropyAndNll_PassGradCheckInFloat64(Reduction reduction)
    {
        Tensor x = Leaf([3, 4], -2, 2, 22);

        Functional.CrossEntropy(x, Targets, reduction).DType.Should().Be(DType.Float64);
        GradCheck.Check(t => Functional.CrossEntropy(t[0], Targets, reduction), [x]).Passed.Should().BeTrue();
        GradCheck.Check(t => Functional.NllLoss(t[0], Targets, reduction), [x]).Passed.Should().BeTrue();
        GradCheck.Check(OpTest.Gradient(t => Functional.CrossEntropy(t[0], Targets, reduction), 0), [x]).Passed.Should().BeTrue();
    }

    [Theory]
    [InlineData(Reduction.Mean)]
    [InlineData(Reduction.Sum)]
    [InlineData(Reduction.None)]
    public void BinaryCrossEntropyWithLogits_PassesGradCheckInFloat64(Reduction reduction)
    {
        Tensor x = Leaf([2, 3], -3, 3, 23), y = Leaf([2, 3], 0, 1, 24);

        Functional.BinaryCrossEntropyWithLogits(x, y, reduction).DType.Should().Be(DType.Float64);
        GradCheckResult result = GradCheck.Check(t => Functional.BinaryCrossEntropyWithLogits(t[0], t[1], reduction), [x, y]);

        result.Passed.Should().BeTrue(result.Message);
        GradCheck.Check(OpTest.Gradient(t => Functional.BinaryCrossEntropyWithLogits(t[0], t[1], reduction), 0), [x, y]).Passed.Should().BeTrue();
    }
}
