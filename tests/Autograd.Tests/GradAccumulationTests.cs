using Autograd.NN;
using FluentAssertions;
using Xunit;

namespace Autograd.Tests;

/// <summary>
/// Nodes add a product straight into the gradient an input already holds (GradAccumulation): a leaf's existing Grad or
/// a node's pending gradient. The values chosen make the fused result differ from the unfused one: with y = 1/3 in
/// float (0.33333334), 3·y is 1.0000000298 exactly, which rounds to 1 on its own, so c = −1 gives
/// fma(3, y, −1) = 2.98e−8 fused and 0 unfused.
/// </summary>
public sealed class GradAccumulationTests
{
    private const float Third = 0.33333334f;
    private const int Length = 3000;

    [Fact]
    public void LeafGradient_TakesTheProductInPlaceWithOneRounding()
    {
        // L = 3·Σ xᵢyᵢ: ∂L/∂x = 3y, added to the existing −1.
        var x = Tensor.Ones([Length], requiresGrad: true);
        var y = Tensor.Full([Length], Third);
        Tensor existing = Tensor.Full([Length], -1f);
        x.Grad = existing;
        int version = existing.Version;
        long fused = GradAccumulation.FusedCount;

        ((x * y).Sum() * 3f).Backward();

        GradAccumulation.FusedCount.Should().Be(fused + 1);
        x.Grad.Should().BeSameAs(existing, "the leaf's gradient is accumulated in place, as PyTorch does");
        existing.Version.Should().Be(version + 1);
        x.Grad!.ToArray().Should().OnlyContain(v => v == MathF.FusedMultiplyAdd(3f, Third, -1f) && v != 0f);
    }

    [Fact]
    public void PendingGradientOfANode_TakesTheSecondProductInPlace()
    {
        // h = x + 0 feeds two products: L = 3·Σ h·b + 2·Σ h·a, so ∂L/∂h = 2a + 3b. The engine runs the right-hand
        // operand of a sum first, so 2a = −1 arrives first as the node's pending gradient (owned by the engine) and
        // 3b is added into it: fma(3, b, −1).
        var x = Tensor.Ones([Length], requiresGrad: true);
        var a = Tensor.Full([Length], -0.5f);
        var b = Tensor.Full([Length], Third);
        Tensor h = x + 0f;
        long fused = GradAccumulation.FusedCount;

        (((h * b).Sum() * 3f) + ((h * a).Sum() * 2f)).Backward();

        GradAccumulation.FusedCount.Should().Be(fused + 1);
        x.Grad!.ToArray().Should().OnlyContain(v => v == MathF.FusedMultiplyAdd(3f, Third, -1f) && v != 0f);
    }

    [Fact]
    public void LinearWeightGradient_AccumulatesThroughTheGemm()
    {
        // Y = X·Wᵀ + b with X = 1 [64, 32] and L = Σ Y⊙C with C = 1 (a stored tensor, so G = C is not a broadcast
        // view, which takes the repeated-row product instead): ∂L/∂W = Gᵀ·X = 64 everywhere. Two passes without
        // resetting give 128, and the second is added by the GEMM into the same tensor (the bias's Σ_rows G = 64 row
        // by row into its gradient).
        var x = Tensor.Ones([64, 32]);
        var c = Tensor.Ones([64, 48]);
        var w = Tensor.Full([48, 32], 0.25f, requiresGrad: true);
        var bias = Tensor.Zeros([48], requiresGrad: true);
        (Functional.Linear(x, w, bias) * c).Sum().Backward();
        Tensor first = w.Grad!;
        first.ToArray().Should().OnlyContain(v => v == 64f);
        long fused = GradAccumulation.FusedCount;

        Tensor firstBias = bias.Grad!;
        (Functional.Linear(x, w, bias) * c).Sum().Backward();

        GradAccumulation.FusedCount.Should().Be(fused + 2, "the weight's product and the bias's row sum");
        w.Grad.Should().BeSameAs(first);
        bias.Grad.Should().BeSameAs(firstBias);
        w.Grad!.ToArray().Should().OnlyContain(v => v == 128f);
        bias.Grad!.ToArray().Should().OnlyContain(v => v == 128f);   // Σ_rows 1, twice
    }

    [Fact]
    public void MatMulGradients_AccumulateIntoBothLeaves()
    {
        // L = Σ (A·B)⊙C with A [5, 7], B [7, 3], C = 1 stored: ∂L/∂A = C·Bᵀ (row sums of B), ∂L/∂B = Aᵀ·C (column
        // sums of A).
        var a = Tensor.Full([5, 7], 2f, requiresGrad: true);
        var b = Tensor.Full([7, 3], 0.5f, requiresGrad: true);
        a.Grad = Tensor.Full([5, 7], 10f);
        b.Grad = Tensor.Full([7, 3], 20f);
        long fused = GradAccumulation.FusedCount;

        (Tensor.MatMul(a, b) * Tensor.Ones([5, 3])).Sum().Backward();

        GradAccumulation.FusedCount.Should().Be(fused + 2);
        a.Grad!.ToArray().Should().OnlyContain(v => v == 10f + (3 * 0.5f));
        b.Grad!.ToArray().Should().OnlyContain(v => v == 20f + (5 * 2f));
    }

    [Fact]
    public void AttachedGradient_IsOverwrittenNotAccumulated()
    {
        // After AttachGrad each pass overwrites the gradient: the offer is withheld until the pass's first gradient.
        var x = Tensor.Ones([Length]);
        x.AttachGrad();
        var y = Tensor.Full([Length], 2f);
        (x * y).Sum().Backward();
        (x * y * 3f).Sum().Backward();
        x.Grad!.ToArray().Should().OnlyContain(v => v == 6f);
    }

    [Fact]
    public void CreateGraph_KeepsTheAccumulationRecorded()
    {
        // With createGraph the sum must stay a graph of its own (x.Grad = old + 2x), so nothing is fused.
        var x = Tensor.Full([4], 3f, requiresGrad: true);
        x.Grad = Tensor.Full([4], 1f);
        long fused = GradAccumulation.FusedCount;
        (x * x).Sum().Backward(createGraph: true);
        GradAccumulation.FusedCount.Should().Be(fused);
        x.Grad!.ToArray().Should().OnlyContain(v => v == 7f);   // 1 + 2·3
    }

    [Fact]
    public void SquaredInput_GetsBothProducts()
    {
        // L = Σ x·x: both inputs of the product are x, so both products go into the one existing gradient: 0.5 + 2x.
        var x = Tensor.Full([Length], 3f, requiresGrad: true);
        x.Grad = Tensor.Full([Length], 0.5f);
        (x * x).Sum().Backward();
        x.Grad!.ToArray().Should().OnlyContain(v => v == 6.5f);
    }

    [Fact]
    public void ConcurrentPassesSharingAWeight_AddUpExactly()
    {
        // Two threads run 50 passes each through the same Linear weight, whose gradient exists from the start: each
        // pass adds 64 (see LinearWeightGradient_AccumulatesThroughTheGemm) under the leaf's lock.
        var w = Tensor.Full([48, 32], 0.25f, requiresGrad: true);
        var bias = Tensor.Zeros([48], requiresGrad: true);
        w.Grad = Tensor.Zeros([48, 32]);
        bias.Grad = Tensor.Zeros([48]);
        Parallel.For(0, 2, new ParallelOptions { MaxDegreeOfParallelism = 2 }, _ =>
        {
            var x = Tensor.Ones([64, 32]);
            var c = Tensor.Ones([64, 48]);
            for (int i = 0; i < 50; i++)
            {
                (Functional.Linear(x, w, bias) * c).Sum().Backward();
            }
        });

        w.Grad!.ToArray().Should().OnlyContain(v => v == 100 * 64f);
        bias.Grad!.ToArray().Should().OnlyContain(v => v == 100 * 64f);
    }
}
