using FluentAssertions;
using Xunit;
using F = Autograd.NN.Functional;

namespace Autograd.Tests.Ops.Losses;

/// <summary>Values derived by hand (derivations in the comments), dropout's structure and statistics, and argument checks.</summary>
public class LossHandDerivedTests
{
    [Fact]
    public void SmoothL1AndHuber_AtBothSidesOfTheKnee()
    {
        // d = [0.5, 3] with β = δ = 1: smooth L1 = [0.5·0.25, 3 − 0.5] = [0.125, 2.5]; Huber = the same (δ = 1);
        // gradients d/β = 0.5 inside and sign(d) = 1 outside.
        var x = Tensor.From([0.5, 3.0], requiresGrad: true);
        var zero = Tensor.Zeros([2], DType.Float64);
        Tensor loss = F.SmoothL1Loss(x, zero, "none");
        loss.ToArray<double>().Should().Equal(0.125, 2.5);
        loss.Sum().Backward();
        x.Grad!.ToArray<double>().Should().Equal(0.5, 1.0);
        // Huber with δ = 2 at d = 3: δ·(|d| − δ/2) = 2·2 = 4.
        F.HuberLoss(Tensor.From([3.0]), Tensor.From([0.0]), "sum", delta: 2).Item<double>().Should().Be(4);
    }

    [Fact]
    public void BinaryCrossEntropy_ClampsTheLogAtMinus100()
    {
        // x = 0 with y = 1: −log 0 = ∞ clamps to 100; x = 1 with y = 1 is exactly 0. Mean of [100, 0] is 50.
        F.BinaryCrossEntropy(Tensor.From([0f, 1f]), Tensor.From([1f, 1f])).Item().Should().Be(50f);
    }

    [Fact]
    public void NllLoss_WeightedMeanDividesByTheWeightsOfKeptTargets()
    {
        // log-probabilities rows [−1, −2], [−3, −4], [−5, −6]; targets [1, 0, ignored]; weights [2, 3]:
        // Σ −w[t]·x[t] = 3·2 + 2·3 = 12, Σ w[t] = 3 + 2 = 5, mean 2.4. Gradient: −w[t]/5 at each kept target.
        var x = Tensor.From([-1.0, -2.0, -3.0, -4.0, -5.0, -6.0], [3, 2], requiresGrad: true);
        Tensor loss = F.NllLoss(x, Tensor.From([1L, 0L, -100L]), Tensor.From([2.0, 3.0]));
        loss.Item<double>().Should().BeApproximately(2.4, 1e-15);
        loss.Backward();
        x.Grad!.ToArray<double>().Should().Equal([0, -0.6, -0.4, 0, 0, 0], (p, q) => Math.Abs(p - q) < 1e-15);
    }

    [Fact]
    public void CrossEntropy_LabelSmoothingOfUniformLogits()
    {
        // Uniform logits over C = 4: log p = −ln 4 everywhere, so both the NLL and the smoothing term are ln 4.
        Tensor loss = F.CrossEntropy(Tensor.Zeros([2, 4], DType.Float64), Tensor.From([0L, 3L]), labelSmoothing: 0.3);
        loss.Item<double>().Should().BeApproximately(Math.Log(4), 1e-15);
    }

    [Fact]
    public void CrossEntropy_AllIgnoredMeanIsNaNWithZeroGradient()
    {
        var x = Tensor.From([1f, 2f, 3f, 4f], [2, 2], requiresGrad: true);
        Tensor loss = F.CrossEntropy(x, Tensor.From([-100L, -100L]));
        float.IsNaN(loss.Item()).Should().BeTrue();
        loss.Backward();
        x.Grad!.ToArray().Should().Equal(0f, 0f, 0f, 0f);
    }

    [Fact]
    public void LayerNorm_HandDerived()
    {
        // Row [1, 3]: μ = 2, σ² = 1, so x̂ = [−1, 1]/√(1 + ε) ≈ [−1, 1]; with w = 2, b = 1: y = [−1, 3].
        // ∂Σy/∂x = 0 (a layer norm is invariant to a shift, and Σ x̂ = 0 for any x): the gradient of a plain sum vanishes.
        var x = Tensor.From([1.0, 3.0], [1, 2], requiresGrad: true);
        Tensor y = F.LayerNorm(x, [2], Tensor.Full([2], 2.0, DType.Float64), Tensor.Full([2], 1.0, DType.Float64), eps: 0);
        y.ToArray<double>().Should().Equal(-1, 3);
        y.Sum().Backward();
        x.Grad!.ToArray<double>().Should().Equal(0, 0);
    }

    [Fact]
    public void LayerNorm_FusedBackwardMatchesTheGraphFormula()
    {
        // Without createGraph the fused kernel computes the gradients; with it, tensor ops on recomputed statistics.
        var generator = new Generator(11);
        Tensor x = Tensor.Randn([6, 7], generator: generator), w = Tensor.Randn([7], generator: generator), b = Tensor.Randn([7], generator: generator);
        Tensor g = Tensor.Randn([6, 7], generator: generator);
        Tensor[] fused = Gradients(x, w, b, g, createGraph: false), graph = Gradients(x, w, b, g, createGraph: true);
        for (int i = 0; i < 3; i++)
        {
            fused[i].AllClose(graph[i], rtol: 1e-5f, atol: 1e-6f).Should().BeTrue("gradient {0}", i);
        }

        static Tensor[] Gradients(Tensor x, Tensor w, Tensor b, Tensor g, bool createGraph)
        {
            Tensor[] leaves = [x.Detach().Clone(), w.Detach().Clone(), b.Detach().Clone()];
            foreach (Tensor leaf in leaves)
            {
                leaf.RequiresGrad = true;
            }

            F.LayerNorm(leaves[0], [7], leaves[1], leaves[2]).Backward(g, createGraph: createGraph);
            return [.. leaves.Select(l => l.Grad!.Detach())];
        }
    }

    [Fact]
    public void CrossEntropy_Int64TargetsOfThePlainCaseKeepTheFusedNode()
    {
        var x = Tensor.Randn([4, 3], requiresGrad: true);
        F.CrossEntropy(x, Tensor.From([0L, 2L, 1L, 2L])).GradFn!.Name.Should().Be("CrossEntropyBackward");
    }

    [Fact]
    public void BatchNorm_UpdatesRunningStatisticsWithTheUnbiasedVariance()
    {
        // One channel, values [1, 3]: mean 2, unbiased variance ((−1)² + 1²)/1 = 2. Momentum 0.5 from (0, 1):
        // running mean 0.5·0 + 0.5·2 = 1, running variance 0.5·1 + 0.5·2 = 1.5.
        var mean = Tensor.Zeros([1], DType.Float64);
        var variance = Tensor.Ones([1], DType.Float64);
        F.BatchNorm(Tensor.From([1.0, 3.0], [2, 1]), mean, variance, training: true, momentum: 0.5);
        mean.ToArray<double>().Should().Equal(1.0);
        variance.ToArray<double>().Should().Equal(1.5);
    }

    [Fact]
    public void Embedding_AccumulatesRepeatsAndSkipsThePaddingRow()
    {
        // Indices [1, 1, 0, 2] with padding row 0 and upstream 1: row 1 gets 2, row 2 gets 1, row 0 nothing.
        var weight = Tensor.From([1f, 2f, 3f, 4f, 5f, 6f], [3, 2], requiresGrad: true);
        Tensor rows = F.Embedding(Tensor.From([1L, 1L, 0L, 2L]), weight, paddingIdx: 0);
        rows.ToArray().Should().Equal(3f, 4f, 3f, 4f, 1f, 2f, 5f, 6f);
        rows.Sum().Backward();
        weight.Grad!.ToArray().Should().Equal(0f, 0f, 2f, 2f, 1f, 1f);
    }

    [Fact]
    public void Pad_ReflectReplicateCircular()
    {
        var x = Tensor.From([1f, 2f, 3f], [1, 3]);
        F.Pad(x, [2, 1], "reflect").ToArray().Should().Equal(3f, 2f, 1f, 2f, 3f, 2f);
        F.Pad(x, [2, 1], "replicate").ToArray().Should().Equal(1f, 1f, 1f, 2f, 3f, 3f);
        F.Pad(x.Reshape(1, 1, 3), [2, 1], "circular").ToArray().Should().Equal(2f, 3f, 1f, 2f, 3f, 1f);
        F.Pad(x, [-1, 1], value: 9).ToArray().Should().Equal(2f, 3f, 9f);
    }

    [Fact]
    public void Dropout2d_ZeroesWholeChannelsAndScalesTheRest()
    {
        var input = Tensor.Ones([8, 16, 3, 3]);
        float[] values = F.Dropout2d(input, 0.25, generator: new Generator(3)).ToArray();
        int kept = 0;
        for (int channel = 0; channel < 8 * 16; channel++)
        {
            float first = values[channel * 9];
            first.Should().BeOneOf(0f, 1f / 0.75f);
            values.AsSpan(channel * 9, 9).ToArray().Should().AllBeEquivalentTo(first, "a channel is kept or dropped as a whole");
            kept += first == 0f ? 0 : 1;
        }

        // 128 channels kept with probability 0.75: mean 96, standard deviation √(128·0.75·0.25) ≈ 4.9.
        kept.Should().BeInRange(96 - 20, 96 + 20);
        F.Dropout2d(input, 0.5, training: false).Should().BeSameAs(input);
        ((Action)(() => F.Dropout2d(Tensor.Ones(3), 0.5))).Should().Throw<ArgumentException>().WithMessage("Feature dropout requires at least 2 dimensions in the input*");
    }

    [Fact]
    public void AlphaDropout_KeepsMeanAndVarianceOfAStandardInput()
    {
        // For x ~ N(0, 1), alpha dropout is built to keep E[y] = 0 and Var[y] = 1.
        Tensor x = Tensor.Randn([200_000], DType.Float64, generator: new Generator(5));
        double[] y = F.AlphaDropout(x, 0.2, training: true, generator: new Generator(6)).ToArray<double>();
        double mean = y.Average();
        double variance = y.Select(v => (v - mean) * (v - mean)).Average();
        mean.Should().BeApproximately(0, 0.01);
        variance.Should().BeApproximately(1, 0.02);
        // For x = 0 a kept element is α'·a·p and a dropped one a·(−α') + α'·a·p: with p = 0.2, a = 1/√((α'²·0.2 + 1)·0.8).
        double a = 1 / Math.Sqrt(((1.7580993408473766 * 1.7580993408473766 * 0.2) + 1) * 0.8);
        double kept = 1.7580993408473766 * a * 0.2, dropped = (-1.7580993408473766 * a) + kept;
        double[] zeros = F.AlphaDropout(Tensor.Zeros([1000], DType.Float64), 0.2, training: true, generator: new Generator(1)).ToArray<double>();
        zeros.Should().OnlyContain(v => Math.Abs(v - dropped) < 1e-15 || Math.Abs(v - kept) < 1e-15);
        zeros.Count(v => Math.Abs(v - dropped) < 1e-15).Should().BeInRange(200 - 60, 200 + 60, "p = 0.2 of 1000");
        F.AlphaDropout(x, 0.2).Should().BeSameAs(x, "PyTorch's default is training = false");
    }

    [Fact]
    public void ScaledDotProductAttention_OneKeyCopiesItsValue()
    {
        // A causal mask lets query 0 see key 0 only, so its output is value row 0; query 1 averages rows 0 and 1 by
        // softmax([q₁·k₀, q₁·k₁]/√E) — with zero queries, uniformly: ([1, 2] + [3, 4])/2 = [2, 3].
        var q = Tensor.Zeros([2, 4]);
        var k = Tensor.Randn(2, 4);
        var v = Tensor.From([1f, 2f, 3f, 4f], [2, 2]);
        F.ScaledDotProductAttention(q, k, v, isCausal: true).ToArray().Should().Equal(1f, 2f, 2f, 3f);
        F.ScaledDotProductAttention(q, k, v, Tensor.From([true, false, true, true], [2, 2])).ToArray().Should().Equal(1f, 2f, 2f, 3f);
    }

    [Fact]
    public void Reduction_RejectsUnknownNames()
    {
        ((Action)(() => F.L1Loss(Tensor.Ones(2), Tensor.Ones(2), "average"))).Should().Throw<ArgumentException>().WithMessage("average is not a valid value for reduction*");
        ((Action)(() => F.KlDiv(Tensor.Ones(2), Tensor.Ones(2), "batch"))).Should().Throw<ArgumentException>().WithMessage("batch is not a valid value for reduction*");
    }
}
