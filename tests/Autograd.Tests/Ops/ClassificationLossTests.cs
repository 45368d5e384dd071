using Autograd.NN;
using FluentAssertions;
using Xunit;

namespace Autograd.Tests.Ops;

public sealed class ClassificationLossTests
{
    [Fact]
    public void CrossEntropy_HandDerived()
    {
        // Logits [0, ln 3] with target 1: softmax = [1/4, 3/4], loss = −ln(3/4) = 0.287682.
        // ∂ℓ/∂x = softmax − onehot = [1/4, −1/4].
        var x = Tensor.From([0f, MathF.Log(3f)], [1, 2], requiresGrad: true);
        var loss = Functional.CrossEntropy(x, [1]);
        loss.Item().Should().BeApproximately(0.287682f, 1e-6f);
        loss.GradFn!.Name.Should().Be("CrossEntropyBackward");
        loss.Backward();
        x.Grad!.ToArray().Should().Equal([0.25f, -0.25f], (p, q) => Math.Abs(p - q) < 1e-6f);
    }

    [Fact]
    public void CrossEntropy_IsStableForHugeLogits()
    {
        // Row [1e4, 0]: target 1 loses by 1e4 exactly (logsumexp = 1e4); softmax saturates to [1, 0].
        var x = Tensor.From([1e4f, 0f, -1e4f, 1e4f], [2, 2], requiresGrad: true);
        var loss = Functional.CrossEntropy(x, [1, 1], Reduction.None);
        loss.ToArray().Should().Equal(1e4f, 0f);
        loss.Sum().Backward();
        x.Grad!.ToArray().Should().Equal(1f, -1f, 0f, 0f);
    }

    [Fact]
    public void CrossEntropy_EqualsLogSoftmaxThenNll()
    {
        var x = Tensor.Randn([6, 5], requiresGrad: true, generator: new Generator(41));
        int[] targets = [0, 4, 2, 2, 1, 3];
        var fused = Functional.CrossEntropy(x, targets);
        var composite = Functional.NllLoss(Functional.LogSoftmax(x), targets);
        fused.Item().Should().BeApproximately(composite.Item(), 1e-6f);

        fused.Backward();
        float[] fusedGrad = x.Grad!.ToArray();
        x.Grad = null;
        composite.Backward();
        fusedGrad.Should().Equal(x.Grad!.ToArray(), (p, q) => Math.Abs(p - q) < 1e-6f);
    }

    [Fact]
    public void ClassificationLosses_MatchFiniteDifferences()
    {
        var x = Tensor.Randn([4, 3], requiresGrad: true, generator: new Generator(42));
        int[] targets = [2, 0, 1, 2];
        var weights = Tensor.From([1f, -2f, 0.5f, 3f]);
        GradCheck.Assert(t => Functional.CrossEntropy(t[0], targets), [x]);
        GradCheck.Assert(t => (Functional.CrossEntropy(t[0], targets, Reduction.None) * weights).Sum(), [x]);
        GradCheck.Assert(t => Functional.CrossEntropy(t[0], targets, Reduction.Sum), [x]);
        // Weights of order one keep the float32 sum small, so the finite-difference noise stays below atol.
        GradCheck.Assert(t => (Functional.LogSoftmax(t[0]) * (Tensor.Arange(12).Reshape(4, 3) / 12f)).Sum(), [x]);
        GradCheck.Assert(t => Functional.NllLoss(t[0], targets), [x]);
    }

    [Fact]
    public void CrossEntropy_SecondDerivative()
    {
        // One row [x0, x1] with target 0: ∂ℓ/∂x0 = σ(x0 − x1)·… = p0 − 1; ∂²ℓ/∂x0² = p0(1 − p0).
        var x = Tensor.From([0.3f, -0.4f], [1, 2], requiresGrad: true);
        Functional.CrossEntropy(x, [0]).Backward(createGraph: true);
        Tensor first = x.Grad!;
        x.Grad = null;
        first[0, 0].Should().BeApproximately((1f / (1f + MathF.Exp(-0.7f))) - 1f, 1e-6f);
        (first * Tensor.From([1f, 0f], [1, 2])).Sum().Backward();
        float p0 = 1f / (1f + MathF.Exp(-0.7f));
        x.Grad![0, 0].Should().BeApproximately(p0 * (1 - p0), 1e-6f);
    }

    [Fact]
    public void Targets_AreValidated()
    {
        var x = Tensor.Zeros(2, 3);
        ((Action)(() => Functional.CrossEntropy(x, [0]))).Should().Throw<ArgumentException>().WithMessage("Expected input batch_size (2) to match target batch_size (1).*");
        ((Action)(() => Functional.CrossEntropy(x, [0, 3]))).Should().Throw<ArgumentOutOfRangeException>().WithMessage("Target 3 is out of bounds.*");
        ((Action)(() => Functional.CrossEntropy(x, Tensor.From([0f, 1.5f]), Reduction.Mean))).Should().Throw<ArgumentException>().WithMessage("Class index 1.5 at position 1 is not a non-negative integer.*");
        ((Action)(() => Functional.CrossEntropy(Tensor.Zeros(3), [0]))).Should().Throw<ArgumentException>().WithMessage("Expected input of shape [N, C], got [3].*");
        Functional.CrossEntropy(x, Tensor.From([2f, 0f]), Reduction.Mean).Item().Should().BeApproximately(MathF.Log(3f), 1e-6f);
    }
}
