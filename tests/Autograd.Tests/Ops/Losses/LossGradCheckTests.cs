using Xunit;
using F = Autograd.NN.Functional;

namespace Autograd.Tests.Ops.Losses;

/// <summary>Finite differences in float64 (PyTorch's gradcheck defaults) for every differentiable loss and normalisation, away from kinks.</summary>
public class LossGradCheckTests
{
    private static readonly Generator s_generator = new(7);

    private static Tensor U(double low, double high, params int[] shape) =>
        Leaf((Tensor.Rand(shape, DType.Float64, generator: s_generator) * (high - low)) + low);

    private static Tensor Leaf(Tensor values) => Tensor.From(values.ToArray<double>(), values.Shape, requiresGrad: true);

    /// <summary>|x| in [0.3, 1.5) with random signs, so that |x − y| for small y stays away from 0.</summary>
    private static Tensor Away(params int[] shape)
    {
        Tensor magnitude = U(0.3, 1.5, shape).Detach();
        Tensor sign = ((Tensor.Rand(shape, DType.Float64, generator: s_generator) < 0.5).To(DType.Float64) * 2.0) - 1.0;
        return Leaf(magnitude * sign);
    }

    [Theory]
    [InlineData("mean")]
    [InlineData("sum")]
    [InlineData("none")]
    public void RegressionLosses(string reduction)
    {
        GradCheck.Assert(t => F.MseLoss(t[0], t[1], reduction), [U(-1, 1, 3, 4), U(-1, 1, 3, 4)]);
        GradCheck.Assert(t => F.L1Loss(t[0], t[1], reduction), [Away(3, 4), U(-0.1, 0.1, 3, 4)]);
        // |d| = |x − y| with x ∈ ±[0.3, 1.5) and y ∈ [−0.1, 0.1): away from β = 1 only by chance, so β = 2.5 and 0.1.
        GradCheck.Assert(t => F.SmoothL1Loss(t[0], t[1], reduction, beta: 2.5), [Away(3, 4), U(-0.1, 0.1, 3, 4)]);
        GradCheck.Assert(t => F.HuberLoss(t[0], t[1], reduction, delta: 0.1), [Away(3, 4), U(-0.1, 0.1, 3, 4)]);
    }

    [Fact]
    public void BinaryCrossEntropy()
    {
        GradCheck.Assert(t => F.BinaryCrossEntropy(t[0], t[1]), [U(0.1, 0.9, 3, 4), U(0, 1, 3, 4)]);
        Tensor weight = U(0.5, 2, 4).Detach();
        GradCheck.Assert(t => F.BinaryCrossEntropy(t[0], t[1], weight, "sum"), [U(0.1, 0.9, 3, 4), U(0, 1, 3, 4)]);
        Tensor posWeight = U(0.5, 3, 4).Detach();
        GradCheck.Assert(t => F.BinaryCrossEntropyWithLogits(t[0], t[1], weight, "mean", posWeight), [Away(3, 4), U(0, 1, 3, 4)]);
    }

    [Fact]
    public void KlDiv()
    {
        GradCheck.Assert(t => F.KlDiv(F.LogSoftmax(t[0]), t[1], "batchmean"), [U(-1, 1, 3, 4), U(0.1, 1, 3, 4)]);
        GradCheck.Assert(t => F.KlDiv(t[0], t[1], "sum", logTarget: true), [U(-1, 1, 3, 4), U(-3, 0, 3, 4)]);
    }

    [Fact]
    public void Distances()
    {
        GradCheck.Assert(t => F.CosineSimilarity(t[0], t[1]), [U(-1, 1, 3, 5), U(-1, 1, 3, 5)]);
        GradCheck.Assert(t => F.CosineSimilarity(t[0], t[1], dim: 0), [U(-1, 1, 4, 2), U(-1, 1, 4, 1)]);
        GradCheck.Assert(t => F.PairwiseDistance(t[0], t[1]), [U(-1, 1, 3, 4), U(-1, 1, 3, 4)]);
        GradCheck.Assert(t => F.PairwiseDistance(t[0], t[1], p: 3), [U(-1, 1, 3, 4), U(-1, 1, 3, 4)]);
        GradCheck.Assert(t => F.PairwiseDistance(t[0], t[1], p: 1), [Away(3, 4), U(-0.1, 0.1, 3, 4)]);
        GradCheck.Assert(t => F.Normalize(t[0]), [U(-1, 1, 3, 4)]);
        GradCheck.Assert(t => F.PairwiseDistance(t[0], t[1], double.PositiveInfinity), [U(-1, 1, 3, 4), U(-1, 1, 3, 4)]);
        GradCheck.Assert(t => F.Normalize(t[0], p: 1.5, dim: 0), [Away(3, 4)]);
    }

    [Theory]
    [InlineData("mean")]
    [InlineData("sum")]
    [InlineData("none")]
    public void Classification(string reduction)
    {
        Tensor weight = U(0.5, 2, 4).Detach();
        Tensor targets = Tensor.From([1L, -100L, 3L, 0L, 3L]);
        GradCheck.Assert(t => F.CrossEntropy(t[0], targets, weight, reduction: reduction, labelSmoothing: 0.2), [U(-2, 2, 5, 4)]);
        GradCheck.Assert(t => F.NllLoss(t[0], targets, weight, reduction: reduction), [U(-2, 0, 5, 4)]);
        Tensor spatial = Tensor.From([0L, 2L, 1L, 1L, 2L, 0L], [2, 3]);
        GradCheck.Assert(t => F.CrossEntropy(t[0], spatial, reduction: reduction), [U(-2, 2, 2, 3, 3)]);
        GradCheck.Assert(t => F.CrossEntropy(t[0], t[1], weight, reduction: reduction, labelSmoothing: 0.1), [U(-2, 2, 2, 4, 3), U(0, 1, 2, 4, 3)]);
    }

    [Fact]
    public void Normalisation()
    {
        GradCheck.Assert(t => F.LayerNorm(t[0], [4], t[1], t[2]), [U(-2, 2, 3, 4), U(-1, 1, 4), U(-1, 1, 4)]);
        GradCheck.Assert(t => F.LayerNorm(t[0], [2, 3]), [U(-2, 2, 2, 2, 3)]);
        GradCheck.Assert(t => F.GroupNorm(t[0], 2, t[1], t[2]), [U(-2, 2, 2, 4, 3), U(-1, 1, 4), U(-1, 1, 4)]);
        GradCheck.Assert(t => F.BatchNorm(t[0], null, null, t[1], t[2], training: true), [U(-2, 2, 4, 3, 2), U(-1, 1, 3), U(-1, 1, 3)]);
        Tensor mean = U(-1, 1, 3).Detach(), variance = U(0.5, 2, 3).Detach();
        GradCheck.Assert(t => F.BatchNorm(t[0], mean, variance, t[1], t[2]), [U(-2, 2, 4, 3), U(-1, 1, 3), U(-1, 1, 3)]);
    }

    [Fact]
    public void EmbeddingPadAttention()
    {
        Tensor indices = Tensor.From([0L, 2L, 2L, 1L], [2, 2]);
        // Without paddingIdx: the padding row's zero gradient is by definition not the derivative of the lookup.
        GradCheck.Assert(t => F.Embedding(indices, t[0]), [U(-1, 1, 3, 2)]);
        GradCheck.Assert(t => F.Pad(t[0], [2, 1, 1, 1], "reflect"), [U(-1, 1, 1, 2, 3, 3)]);
        GradCheck.Assert(t => F.Pad(t[0], [1, 2], "replicate"), [U(-1, 1, 2, 3)]);
        GradCheck.Assert(t => F.Pad(t[0], [1, -1], value: 3), [U(-1, 1, 2, 3)]);
        GradCheck.Assert(t => F.ScaledDotProductAttention(t[0], t[1], t[2], isCausal: true), [U(-1, 1, 2, 3, 4), U(-1, 1, 2, 3, 4), U(-1, 1, 2, 3, 2)]);
        Tensor additive = U(-1, 0, 3, 5).Detach();
        GradCheck.Assert(t => F.ScaledDotProductAttention(t[0], t[1], t[2], additive), [U(-1, 1, 3, 4), U(-1, 1, 5, 4), U(-1, 1, 5, 2)]);
    }
}
