using Autograd.Kernels;
using FluentAssertions;
using Xunit;

namespace Autograd.Tests.Ops;

/// <summary>
/// The joining ops' backward nodes pass gradients through whole (cat of one tensor, a split piece that is all of its
/// input) or as views (unbind of a size-1 dimension): the engine may recycle a gradient it owns once consumed. These
/// tests scribble over every free pooled buffer after the pass and check that no tensor a user holds changed.
/// </summary>
public sealed class JoiningRecyclingTests
{
    private const int Length = 8192;

    private static void ScribbleOverPool(int length)
    {
        var rented = new List<float[]>();
        while (BufferPool.CountFor(length) > 0)
        {
            float[] array = BufferPool.RentUninitialized(length);
            array.AsSpan().Fill(-12345f);
            rented.Add(array);
        }

        GC.KeepAlive(rented);
    }

    [Fact]
    public void PassThroughGradients_SurviveRecycling()
    {
        BufferPool.Clear();
        var x = Tensor.Full([2, Length], 1f, requiresGrad: true);
        var y = Tensor.Full([1, Length], 2f, requiresGrad: true);

        // x·3 split in one piece (all of it), joined with y·5; the head gradient is 0.5 everywhere.
        Tensor whole = (x * 3f).Split(2)[0];
        Tensor joined = Tensor.Cat([whole, y * 5f]);
        Tensor stacked = Tensor.Stack([joined.Unbind(0)[2], joined.Unbind(0)[0]]);
        Tensor head = Tensor.Full([2, Length], 0.5f);
        float[] joinedBefore = joined.ToArray();
        stacked.Backward(head);
        ScribbleOverPool(Length);
        ScribbleOverPool(2 * Length);
        ScribbleOverPool(3 * Length);

        // stacked = [5·y[0], 3·x[0]]: ∂/∂y = 0.5·5, ∂/∂x[0] = 0.5·3, ∂/∂x[1] = 0 (row 1 of joined unused).
        y.Grad!.ToArray().Should().OnlyContain(v => v == 2.5f);
        float[] gx = x.Grad!.ToArray();
        gx.AsSpan(0, Length).ToArray().Should().OnlyContain(v => v == 1.5f);
        gx.AsSpan(Length, Length).ToArray().Should().OnlyContain(v => v == 0f);
        head.ToArray().Should().OnlyContain(v => v == 0.5f);
        joined.ToArray().Should().Equal(joinedBefore);
    }

    [Fact]
    public void RepeatedPassesWithRetainedGraph_GiveTheSameGradient()
    {
        BufferPool.Clear();
        var x = OpTest.Uniform([4, Length / 4], -1f, 1f, 371);
        Tensor[] chunks = x.Chunk(4, 1);
        Tensor loss = (Tensor.Cat([chunks[3], chunks[1].Flip(1), chunks[1]], 1).Roll(7, 1).Repeat(2, 1) * 2f).Sum();

        loss.Backward(retainGraph: true);
        float[] first = x.Grad!.ToArray();
        ScribbleOverPool(Length);
        x.Grad = null;
        loss.Backward();

        // Chunk 3 appears twice (repeat 2) with weight 2 → 4; chunk 1 four times → 8; chunks 0 and 2 unused → 0.
        x.Grad!.ToArray().Should().Equal(first);
        int w = Length / 16;
        float[] row = first.AsSpan(0, Length / 4).ToArray();
        row.AsSpan(0, w).ToArray().Should().OnlyContain(v => v == 0f);
        row.AsSpan(w, w).ToArray().Should().OnlyContain(v => v == 8f);
        row.AsSpan(2 * w, w).ToArray().Should().OnlyContain(v => v == 0f);
        row.AsSpan(3 * w, w).ToArray().Should().OnlyContain(v => v == 4f);
    }
}
