using Autograd.Kernels;
using Autograd.NN;
using FluentAssertions;
using Xunit;

namespace Autograd.Tests;

/// <summary>
/// The engine recycles gradient buffers it created and consumed; these tests hold every kind of tensor a user can
/// reach and show that none of them is ever handed out again.
/// </summary>
public sealed class BufferRecyclingTests
{
    /// <summary>A pooled length; the hand-derived values below assume exactly this many elements.</summary>
    private const int Length = 8192;

    [Fact]
    public void Length_IsPooled() => Length.Should().BeGreaterThanOrEqualTo(BufferPool.MinimumPooledLength);

    /// <summary>Rents every pooled array of this length and scribbles on it, as later ops would; returns them.</summary>
    private static List<float[]> ScribbleOverPool(int length = Length)
    {
        var rented = new List<float[]>();
        while (BufferPool.CountFor(length) > 0)
        {
            float[] array = BufferPool.RentUninitialized(length);
            array.AsSpan().Fill(-12345f);
            rented.Add(array);
        }

        return rented;
    }

    [Fact]
    public void IntermediateGradients_AreRecycled()
    {
        BufferPool.Clear();
        var x = Tensor.Ones([Length], requiresGrad: true);

        // (x·2)·3 with head gradient h: the outer node's result h·3 is consumed by the inner MulBackward and becomes free.
        var head = Tensor.Full([Length], 0.5f);
        ((x * 2) * 3).Backward(head);
        BufferPool.CountFor(Length).Should().BeGreaterThan(0);
        x.Grad!.ToArray().Should().OnlyContain(v => v == 3f);
    }

    [Fact]
    public void TensorsTheUserHolds_AreNeverRecycled()
    {
        BufferPool.Clear();
        var x = Tensor.Ones([Length], requiresGrad: true);
        var head = Tensor.Full([Length], 2f);
        var hidden = x * 3;                // forward intermediate held by the user
        var kept = hidden * 1;
        kept.RetainGrad();                 // retained non-leaf gradient
        var output = (kept * kept) + hidden;
        output.Backward(head, retainGraph: true);
        Tensor firstGrad = x.Grad!;        // the leaf gradient of the first pass
        float[] expectedFirst = firstGrad.ToArray();
        float[] expectedRetained = kept.Grad!.ToArray();

        x.Grad = null;
        output.Backward(head);
        ScribbleOverPool();

        // out = kept² + hidden with kept = hidden = 3x: d out/dx = (2·kept + 1)·3 = 21, times the head gradient 2.
        expectedFirst.Should().OnlyContain(v => v == 42f);
        firstGrad.ToArray().Should().Equal(expectedFirst);
        x.Grad!.ToArray().Should().Equal(expectedFirst);
        head.ToArray().Should().OnlyContain(v => v == 2f);
        hidden.ToArray().Should().OnlyContain(v => v == 3f);
        kept.ToArray().Should().OnlyContain(v => v == 3f);

        // d out/d kept = 2·kept = 6, times 2, accumulated over the two passes.
        expectedRetained.Should().OnlyContain(v => v == 12f);
        kept.Grad!.ToArray().Should().OnlyContain(v => v == 24f);
    }

    [Fact]
    public void GradientsPassedThroughToSeveralInputs_AreNotRecycledEarly()
    {
        BufferPool.Clear();
        var a = Tensor.Ones([Length], requiresGrad: true);
        var b = Tensor.Full([Length], 2f, requiresGrad: true);

        // AddBackward hands one gradient tensor to both of its inputs, which then feed two MulBackward nodes.
        var s = (a * b) + (b * 5);
        (s * 2).Sum().Backward();
        ScribbleOverPool();

        // d/da 2(ab + 5b) = 2b = 4; d/db = 2(a + 5) = 12.
        a.Grad!.ToArray().Should().OnlyContain(v => v == 4f);
        b.Grad!.ToArray().Should().OnlyContain(v => v == 12f);
    }

    [Fact]
    public void CreateGraph_RecyclesNothing()
    {
        BufferPool.Clear();
        var x = Tensor.Full([Length], 2f, requiresGrad: true);
        (x * x * x).Sum().Backward(createGraph: true);
        Tensor first = x.Grad!;
        ScribbleOverPool().Should().NotContain(array => ReferenceEquals(array, first.Data));
        x.Grad = null;
        first.Sum().Backward();

        // d/dx x³ = 3x² = 12; d²/dx² = 6x = 12.
        first.ToArray().Should().OnlyContain(v => v == 12f);
        x.Grad!.ToArray().Should().OnlyContain(v => v == 12f);
    }

    [Fact]
    public void GradientsOfOne_PassSavedFactorsThroughWithoutCorruptingThem()
    {
        // sum(x ⊙ y + exp(x)): ∂/∂x = y + exp(x), ∂/∂y = x. The backward pass hands y, x and exp(x) themselves on as
        // gradients (multiplying by the sum's gradient 1 is exact); the engine must copy or add, never write into them.
        BufferPool.Clear();
        var x = Tensor.Full([Length], 0.5f, requiresGrad: true);
        var y = Tensor.Full([Length], 2f, requiresGrad: true);
        var e = Tensor.Exp(x);
        ((x * y) + e).Sum().Backward();
        ScribbleOverPool();

        x.Grad!.ToArray().Should().OnlyContain(v => v == 2f + MathF.Exp(0.5f));
        y.Grad!.ToArray().Should().OnlyContain(v => v == 0.5f);
        x.ToArray().Should().OnlyContain(v => v == 0.5f);
        y.ToArray().Should().OnlyContain(v => v == 2f);
        e.ToArray().Should().OnlyContain(v => v == MathF.Exp(0.5f));
        x.Grad.Should().NotBeSameAs(y);
        y.Grad.Should().NotBeSameAs(x);
    }

    [Fact]
    public void BiasGradientPassedThroughAndReduced_IsRecycled()
    {
        // Linear's AddmmBackward hands its incoming gradient G on as the bias gradient; the engine sums it to [out]
        // and G is free afterwards. x = 1 [64, 128], W = 0.5, b = 0: y = 0.5·128 = 64; L = Σ y², so G = 2y = 128,
        // ∂L/∂b_j = Σ_rows G = 128·64 = 8192 and ∂L/∂W_jk = Σ_rows G·x = 8192.
        const int rows = 64, features = Length / rows;
        BufferPool.Clear();
        var x = Tensor.Ones([rows, features]);
        var w = Tensor.Full([features, features], 0.5f, requiresGrad: true);
        var b = Tensor.Zeros([features], requiresGrad: true);
        Tensor y = Functional.Linear(x, w, b);
        (y * y).Sum().Backward();

        BufferPool.CountFor(rows * features).Should().BeGreaterThan(0);
        ScribbleOverPool();
        b.Grad!.ToArray().Should().OnlyContain(v => v == 8192f);
        w.Grad!.ToArray().Should().OnlyContain(v => v == 8192f);
        y.ToArray().Should().OnlyContain(v => v == 64f);
    }

    [Fact]
    public void BiasGradientOfAUserHeldHeadGradient_IsNotRecycled()
    {
        // The same pass-through with the user's own head gradient: it is not the engine's, so it stays intact.
        const int rows = 64, features = Length / rows;
        BufferPool.Clear();
        var w = Tensor.Full([features, features], 0.5f, requiresGrad: true);
        var b = Tensor.Zeros([features], requiresGrad: true);
        var head = Tensor.Full([rows, features], 3f);
        Functional.Linear(Tensor.Ones([rows, features]), w, b).Backward(head);

        ScribbleOverPool(rows * features).Should().NotContain(array => ReferenceEquals(array, head.Data));
        head.ToArray().Should().OnlyContain(v => v == 3f);
        b.Grad!.ToArray().Should().OnlyContain(v => v == 3f * rows);
    }
}
