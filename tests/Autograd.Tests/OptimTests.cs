using Autograd.NN;
using Autograd.Optim;
using FluentAssertions;
using Xunit;

namespace Autograd.Tests;

public sealed class OptimTests
{
    [Fact]
    public void Step_SubtractsLearningRateTimesGradient()
    {
        // L = Σ 3p + Σ q²: ∇p = 3, ∇q = 2q = [2, −4]; one step with lr 0.1: p = [0.7, 1.7], q = [0.8, −1.6].
        var p = Tensor.From([1f, 2f], requiresGrad: true);
        var q = Tensor.From([1f, -2f], requiresGrad: true);
        var sgd = new SGD([p, q], learningRate: 0.1f);
        ((p * 3).Sum() + (q * q).Sum()).Backward();
        sgd.Step();
        p.ToArray().Should().Equal([0.7f, 1.7f], (a, b) => Math.Abs(a - b) < 1e-6f);
        q.ToArray().Should().Equal([0.8f, -1.6f], (a, b) => Math.Abs(a - b) < 1e-6f);
        p.IsLeaf.Should().BeTrue();
        p.GradFn.Should().BeNull();
    }

    [Fact]
    public void ZeroGrad_InPlaceReusesTheSameGradientBuffer()
    {
        var p = Tensor.From([1f, 2f], requiresGrad: true);
        var sgd = new SGD([p], learningRate: 0.5f);
        (p * p).Sum().Backward();
        Tensor grad = p.Grad!;
        sgd.ZeroGrad();
        p.Grad.Should().BeSameAs(grad);
        grad.ToArray().Should().Equal(0f, 0f);

        // Next pass accumulates into the zeroed buffer: ∇ Σ p² = 2p = [2, 4].
        (p * p).Sum().Backward();
        p.Grad.Should().BeSameAs(grad);
        grad.ToArray().Should().Equal(2f, 4f);
        sgd.ZeroGrad(setToNone: true);
        p.Grad.Should().BeNull();
    }

    [Fact]
    public void Step_SkipsParametersWithoutGradient()
    {
        var p = Tensor.From([1f], requiresGrad: true);
        new SGD([p], 1f).Step();
        p.ToArray().Should().Equal(1f);
    }

    [Fact]
    public void Construction_RejectsNonLeavesAndBadRates()
    {
        var p = Tensor.Ones([2], requiresGrad: true);
        ((Action)(() => _ = new SGD([p * 2], 0.1f))).Should().Throw<ArgumentException>().WithMessage("can't optimize a non-leaf Tensor*");
        ((Action)(() => _ = new SGD([p], -1f))).Should().Throw<ArgumentOutOfRangeException>().WithMessage("Invalid learning rate: -1*");
    }

    [Fact]
    public void TrainingLoop_ReducesTheLoss()
    {
        Tensor.ManualSeed(3);
        var model = new Sequential(new Linear(4, 8), new ReLU(), new Linear(8, 3));
        var x = Tensor.Randn(32, 4);
        // A learnable rule: the class is the index of the largest of the first three features.
        float[] values = x.ToArray();
        int[] targets = Enumerable.Range(0, 32).Select(i => values[(i * 4)..((i * 4) + 3)].AsSpan().IndexOf(values[(i * 4)..((i * 4) + 3)].Max())).ToArray();
        var sgd = new SGD(model.Parameters(), 0.1f);
        float first = 0f, last = 0f;
        for (int step = 0; step < 100; step++)
        {
            sgd.ZeroGrad();
            var loss = Functional.CrossEntropy(model.Forward(x), targets);
            loss.Backward();
            sgd.Step();
            if (step == 0)
            {
                first = loss.Item();
            }

            last = loss.Item();
        }

        last.Should().BeLessThan(first * 0.5f);
    }
}
