using Autograd.NN;
using FluentAssertions;
using Xunit;

namespace Autograd.Tests;

public sealed class NNTests
{
    [Fact]
    public void Linear_InitialisesWithinPyTorchBoundAndComputesAffineMap()
    {
        var layer = new Linear(16, 4, generator: new Generator(3));
        float bound = 1f / MathF.Sqrt(16);
        layer.Weight.Shape.Should().Equal(4, 16);
        layer.Weight.ToArray().Should().OnlyContain(v => v >= -bound && v <= bound);
        layer.Bias!.ToArray().Should().OnlyContain(v => v >= -bound && v <= bound);
        layer.Weight.RequiresGrad.Should().BeTrue();
        layer.Weight.IsLeaf.Should().BeTrue();

        // y = x Wᵀ + b for x = e_0: the first column of W plus b.
        var x = Tensor.Zeros(1, 16);
        x[0, 0] = 1f;
        float[] y = layer.Forward(x).ToArray();
        for (int o = 0; o < 4; o++)
        {
            y[o].Should().BeApproximately(layer.Weight[o, 0] + layer.Bias[o], 1e-6f);
        }
    }

    [Fact]
    public void Linear_GradientsMatchFiniteDifferences()
    {
        var layer = new Linear(3, 2, generator: new Generator(5));
        var x = Tensor.Randn([4, 3], generator: new Generator(6));
        GradCheck.Assert(t => Functional.Linear(t[0], t[1], t[2]).Pow(2).Sum(), [x, layer.Weight, layer.Bias!]);
    }

    [Fact]
    public void FusedLinear_MatchesMatMulPlusBias()
    {
        var x = Tensor.Randn([6, 5], requiresGrad: true, generator: new Generator(31));
        var w = Tensor.Randn([4, 5], requiresGrad: true, generator: new Generator(32));
        var b = Tensor.Randn([4], requiresGrad: true, generator: new Generator(33));
        var fused = Functional.Linear(x, w, b);
        fused.GradFn!.Name.Should().Be("AddmmBackward");
        var composite = Tensor.MatMul(x, w.T) + b;
        fused.ToArray().Should().Equal(composite.ToArray(), (p, q) => Math.Abs(p - q) <= 1e-5f);

        var upstream = Tensor.Randn([6, 4], generator: new Generator(34));
        fused.Backward(upstream);
        float[] gx = x.Grad!.ToArray(), gw = w.Grad!.ToArray(), gb = b.Grad!.ToArray();
        x.Grad = w.Grad = b.Grad = null;
        composite.Backward(upstream);
        gx.Should().Equal(x.Grad!.ToArray(), (p, q) => Math.Abs(p - q) <= 1e-5f);
        gw.Should().Equal(w.Grad!.ToArray(), (p, q) => Math.Abs(p - q) <= 1e-5f);
        gb.Should().Equal(b.Grad!.ToArray(), (p, q) => Math.Abs(p - q) <= 1e-5f);

        // ∂L/∂b = column sums of the upstream gradient.
        gb.Should().Equal(upstream.Sum(0).ToArray(), (p, q) => Math.Abs(p - q) <= 1e-5f);
        GradCheck.Assert(t => Functional.Linear(t[0], t[1], t[2]).Sin().Sum(), [x, w, b]);
    }

    [Fact]
    public void BatchNorm_TrainingUsesBatchStatisticsAndUpdatesRunningOnes()
    {
        // Feature 0: values 1, 3 → mean 2, biased var 1, unbiased var 2. Feature 1: 0, 0 → mean 0, var 0.
        var bn = new BatchNorm1d(2);
        var x = Tensor.From([1f, 0f, 3f, 0f], [2, 2]);
        float[] y = bn.Forward(x).ToArray();

        // (1 - 2) / sqrt(1 + 1e-5) = -0.999995; feature 1 is 0 / sqrt(0 + eps) = 0.
        y.Should().Equal([-0.999995f, 0f, 0.999995f, 0f], (p, q) => Math.Abs(p - q) < 1e-6f);

        // running = 0.9 · old + 0.1 · batch: mean (0.2, 0), var (0.9 + 0.2, 0.9 + 0).
        bn.RunningMean!.ToArray().Should().Equal([0.2f, 0f], (p, q) => Math.Abs(p - q) < 1e-6f);
        bn.RunningVar!.ToArray().Should().Equal([1.1f, 0.9f], (p, q) => Math.Abs(p - q) < 1e-6f);
        bn.NumBatchesTracked!.Item<long>().Should().Be(1);
    }

    [Fact]
    public void BatchNorm_EvalUsesRunningStatistics()
    {
        var bn = new BatchNorm1d(1);
        bn.Eval();
        var x = Tensor.From([3f, 5f], [2, 1]);

        // Running mean 0, var 1: y = x / sqrt(1 + 1e-5).
        bn.Forward(x).ToArray().Should().Equal([3f / MathF.Sqrt(1.00001f), 5f / MathF.Sqrt(1.00001f)], (p, q) => Math.Abs(p - q) < 1e-6f);
        bn.RunningMean!.ToArray().Should().Equal(0f);
    }

    [Fact]
    public void BatchNorm_GradientsMatchFiniteDifferences()
    {
        var x = Tensor.Randn([5, 3], generator: new Generator(11));
        x.RequiresGrad = true;
        var upstream = Tensor.Arange(15).Reshape(5, 3);
        GradCheck.Assert(t => (new BatchNorm1d(3).Forward(t[0]) * upstream).Sum(), [x], eps: 1e-2, atol: 2e-3);

        // dL/dγ_j = Σ_i x̂_ij · g_ij and dL/dβ_j = Σ_i g_ij, with x̂ the normalised input.
        var bn = new BatchNorm1d(3);
        (bn.Forward(x) * upstream).Sum().Backward();
        Tensor normalised;
        using (GradMode.NoGrad())
        {
            normalised = new BatchNorm1d(3).Forward(x);
        }

        bn.Weight!.Grad!.ToArray().Should().Equal((normalised * upstream).Sum(0).ToArray(), (p, q) => Math.Abs(p - q) < 1e-4f);
        bn.Bias!.Grad!.ToArray().Should().Equal(30f, 35f, 40f);
    }

    [Fact]
    public void BatchNorm_RejectsSingleSampleBatchesInTraining()
    {
        var bn = new BatchNorm1d(2);
        Action act = () => bn.Forward(Tensor.Ones(1, 2));
        act.Should().Throw<ArgumentException>().WithMessage("Expected more than 1 value per channel when training*");
    }

    [Fact]
    public void Sequential_NamesParametersAndPropagatesMode()
    {
        var model = new Sequential(new Linear(3, 4), new BatchNorm1d(4), new ReLU(), new Dropout(0.5f), new Linear(4, 1));
        model.NamedParameters().Select(p => p.Name).Should().Equal("0.weight", "0.bias", "1.weight", "1.bias", "4.weight", "4.bias");
        model.Eval();
        model.Layers.Should().OnlyContain(l => !l.Training);
        model.Train();
        model.Layers.Should().OnlyContain(l => l.Training);

        var output = model.Forward(Tensor.Randn(8, 3));
        output.Shape.Should().Equal(8, 1);
        output.Sum().Backward();
        model.Parameters().Should().OnlyContain(p => p.Grad != null);
        Tensor firstGrad = model.Parameters().First().Grad!;
        model.ZeroGrad();
        model.Parameters().Should().OnlyContain(p => p.Grad != null && p.Grad.ToArray().All(v => v == 0f));
        model.Parameters().First().Grad.Should().BeSameAs(firstGrad);
        model.ZeroGrad(setToNone: true);
        model.Parameters().Should().OnlyContain(p => p.Grad == null);
    }

    [Fact]
    public void Dropout_ZeroesAndRescalesInTrainingOnly()
    {
        var x = Tensor.Ones(10_000);
        float[] dropped = Functional.Dropout(x, 0.25f, training: true, generator: new Generator(9)).ToArray();
        dropped.Should().OnlyContain(v => v == 0f || Math.Abs(v - (1f / 0.75f)) < 1e-6f);
        dropped.Count(v => v == 0f).Should().BeInRange(2_300, 2_700);
        Functional.Dropout(x, 0.25f, training: false).Should().BeSameAs(x);
    }
}
