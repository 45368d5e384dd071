using FluentAssertions;
using Xunit;

namespace Autograd.Tests;

/// <summary>
/// The engine hands a leaf, as its <see cref="Tensor.Grad"/>, only storage it created itself during the pass, and
/// recycles only such storage. A tensor the user made (on any thread, before or during the pass) is never adopted,
/// mutated or recycled, whatever its size: the sizes cover every pooling threshold (unpooled below 2,048 floats,
/// tracked from 2,048, large-object storage from 21,250).
/// </summary>
[Collection(nameof(FullCollections))]
public sealed class OwnershipTests
{
    public static TheoryData<int> Sizes => new() { 1, 3, 1000, 2047, 2048, 4096, 21_249, 21_250, 65_536 };

    private static Tensor MadeOnAnotherThread(Func<Tensor> make, int tensorsBefore)
    {
        Tensor? made = null;
        var thread = new Thread(() =>
        {
            for (int i = 0; i < tensorsBefore; i++)
            {
                _ = Tensor.Zeros(1);
            }

            made = make();
        });
        thread.Start();
        thread.Join();
        return made!;
    }

    private static void ShouldAllBe(Tensor tensor, float value, string what)
    {
        float[] values = tensor.ToArray();
        for (int i = 0; i < values.Length; i++)
        {
            if (values[i] != value)
            {
                values[i].Should().Be(value, "element {0} of {1}", i, what);
            }
        }
    }

    /// <summary>Rents and writes storage of every size the test uses, as unrelated work after a collection would.</summary>
    private static void ChurnThePools(int size)
    {
        for (int round = 0; round < 4; round++)
        {
            _ = Tensor.Randn([3]);
            _ = Tensor.Randn([size]);
            var scratch = Tensor.Randn([size], requiresGrad: true);
            (scratch * scratch).Sum().Backward();
            _ = Tensor.Full([size], -7f) * 3f;
        }
    }

    /// <summary>The program: Σ w ⊙ one twice gives w.Grad = 2 (∂/∂w Σ w·1 = 1 per pass), and `one` stays ones.</summary>
    [Theory]
    [MemberData(nameof(Sizes))]
    public void ConstantFromAnotherThread_IsNeitherAdoptedNorRecycled(int size)
    {
        Tensor one = MadeOnAnotherThread(() => Tensor.Ones(size), tensorsBefore: 20_000);
        var w = Tensor.Randn([size], requiresGrad: true);

        (w * one).Sum().Backward();
        (w * one).Sum().Backward();

        ReferenceEquals(w.Grad, one).Should().BeFalse();
        w.Grad!.Data.Should().NotBeSameAs(one.Data);
        ShouldAllBe(one, 1f, "one after two passes");
        ShouldAllBe(w.Grad!, 2f, "w.Grad");

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        ChurnThePools(size);

        ShouldAllBe(one, 1f, "one after a collection and new tensors");
        ShouldAllBe(w.Grad!, 2f, "w.Grad after a collection and new tensors");
        GC.KeepAlive(w);
    }

    /// <summary>The same with the constant made on this thread, before the pass and after many other tensors.</summary>
    [Theory]
    [MemberData(nameof(Sizes))]
    public void ConstantFromThisThread_IsNeitherAdoptedNorRecycled(int size)
    {
        Tensor one = Tensor.Ones(size);
        for (int i = 0; i < 20_000; i++)
        {
            _ = Tensor.Zeros(1);
        }

        var w = Tensor.Randn([size], requiresGrad: true);
        (w * one).Sum().Backward();
        (w * one).Sum().Backward();

        w.Grad!.Data.Should().NotBeSameAs(one.Data);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        ChurnThePools(size);
        ShouldAllBe(one, 1f, "one");
        ShouldAllBe(w.Grad!, 2f, "w.Grad");
    }

    /// <summary>
    /// A tensor made on another thread, mid-way through a long run of tensors there, and then used as a saved factor
    /// and as a user head gradient: neither may become a leaf's gradient. y = w ⊙ c, head gradient h:
    /// ∂/∂w = h ⊙ c, ∂/∂c = h ⊙ w; with h = 1 everywhere both are the other factor's values.
    /// </summary>
    [Theory]
    [MemberData(nameof(Sizes))]
    public void HeadGradientAndFactorFromAnotherThread_AreCopied(int size)
    {
        Tensor head = MadeOnAnotherThread(() => Tensor.Ones(size), tensorsBefore: 50_000);
        Tensor c = MadeOnAnotherThread(() => Tensor.Full([size], 3f), tensorsBefore: 70_000);
        c.RequiresGrad = true;
        var w = Tensor.Full([size], 5f, requiresGrad: true);

        (w * c).Backward(head);
        (w * c).Backward(head);

        w.Grad!.Data.Should().NotBeSameAs(c.Data);
        c.Grad!.Data.Should().NotBeSameAs(w.Data);
        w.Grad!.Data.Should().NotBeSameAs(head.Data);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        ChurnThePools(size);
        ShouldAllBe(head, 1f, "head");
        ShouldAllBe(c.Detach(), 3f, "c");
        ShouldAllBe(w.Detach(), 5f, "w");
        ShouldAllBe(w.Grad!, 6f, "w.Grad = 2 passes × c");
        ShouldAllBe(c.Grad!, 10f, "c.Grad = 2 passes × w");
    }

    /// <summary>A pass-through gradient (Add passes g to both inputs) that is the user's own head gradient.</summary>
    [Theory]
    [MemberData(nameof(Sizes))]
    public void UserHeadGradientPassedThrough_IsCopiedIntoEachLeaf(int size)
    {
        Tensor head = MadeOnAnotherThread(() => Tensor.Full([size], 2f), tensorsBefore: 30_000);
        var a = Tensor.Zeros([size], requiresGrad: true);
        var b = Tensor.Zeros([size], requiresGrad: true);

        (a + b).Backward(head);
        (a + b).Backward(head);

        a.Grad!.Data.Should().NotBeSameAs(head.Data);
        b.Grad!.Data.Should().NotBeSameAs(head.Data);
        a.Grad!.Data.Should().NotBeSameAs(b.Grad!.Data);
        ShouldAllBe(head, 2f, "head");
        ShouldAllBe(a.Grad!, 4f, "a.Grad");
        ShouldAllBe(b.Grad!, 4f, "b.Grad");
    }
}
