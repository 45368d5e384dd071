using FluentAssertions;
using Xunit;

namespace Autograd.Tests;

public sealed class EngineTests
{
    [Fact]
    public void Diamond_SumsBothPathsBeforeRunningTheSharedNode()
    {
        // a = 2x, out = a·a + 3a: d out/da = 2a + 3 = 4x + 3; d out/dx = 2(4x + 3) = 8x + 6 = 22 at x = 2.
        var x = Tensor.Scalar(2f, requiresGrad: true);
        var a = x * 2;
        var output = (a * a) + (a * 3);
        output.Backward();
        x.Grad!.Item().Should().Be(22f);
    }

    [Fact]
    public void TensorUsedTwiceInOneOp_GetsBothContributions()
    {
        // d/dx (x ⊙ x) = 2x.
        var x = Tensor.From([1f, -2f, 3f], requiresGrad: true);
        (x * x).Sum().Backward();
        x.Grad!.ToArray().Should().Equal(2f, -4f, 6f);
    }

    [Fact]
    public void RetainGraph_AllowsASecondPassThatAccumulates()
    {
        // d/dx sum(exp x) = exp x, twice.
        var x = Tensor.From([0f, 1f], requiresGrad: true);
        var y = Tensor.Exp(x).Sum();
        y.Backward(retainGraph: true);
        y.Backward();
        x.Grad!.ToArray().Should().Equal([2f, 2f * MathF.E], (p, q) => Math.Abs(p - q) < 1e-6f);
    }

    [Fact]
    public void SecondPassWithoutRetainGraph_Throws()
    {
        var x = Tensor.From([0f, 1f], requiresGrad: true);
        var y = Tensor.Exp(x).Sum();
        y.Backward();
        Action again = () => y.Backward();
        again.Should().Throw<InvalidOperationException>().WithMessage("Trying to backward through the graph a second time*retain_graph=True*");
    }

    [Fact]
    public void SecondPassThroughNodesThatSaveNothing_Works()
    {
        // As in PyTorch, only nodes with saved tensors fail after release: AddBackward and SumBackward save none.
        var x = Tensor.From([1f, 2f], requiresGrad: true);
        var y = (x + 1).Sum();
        y.Backward();
        y.Backward();
        x.Grad!.ToArray().Should().Equal(2f, 2f);
    }

    [Fact]
    public void NonScalarWithoutGradient_Throws()
    {
        var x = Tensor.Ones([3], requiresGrad: true);
        Action act = () => (x * 2).Backward();
        act.Should().Throw<InvalidOperationException>().WithMessage("grad can be implicitly created only for scalar outputs");
    }

    [Fact]
    public void NothingRequiresGrad_Throws()
    {
        Action act = () => (Tensor.Ones(3) * 2).Sum().Backward();
        act.Should().Throw<InvalidOperationException>().WithMessage("element 0 of tensors does not require grad and does not have a grad_fn");
    }

    [Fact]
    public void GradientOfWrongShape_ThrowsNamingBothShapes()
    {
        var x = Tensor.Ones([3], requiresGrad: true);
        Action act = () => (x * 2).Backward(Tensor.Ones(2));
        act.Should().Throw<ArgumentException>().WithMessage("Mismatch in shape: grad_output[0] has a shape of [2] and output[0] has a shape of [3].*");
    }

    [Fact]
    public void Leaves_AccumulateAndNonLeaves_KeepNoGradUnlessRetained()
    {
        var x = Tensor.Scalar(3f, requiresGrad: true);
        var hidden = x * x;
        var kept = x * 4;
        kept.RetainGrad();
        var output = (hidden + kept) * 2;
        output.Backward();

        // d/dx 2(x² + 4x) = 4x + 8 = 20; d output/d kept = 2.
        x.Grad!.Item().Should().Be(20f);
        hidden.Grad.Should().BeNull();
        kept.Grad!.Item().Should().Be(2f);
        hidden.IsLeaf.Should().BeFalse();
        x.IsLeaf.Should().BeTrue();
    }

    [Fact]
    public void BackwardOnALeaf_SetsItsGradToTheGradient()
    {
        var x = Tensor.From([1f, 2f], requiresGrad: true);
        x.Backward(Tensor.From([5f, 6f]));
        x.Grad!.ToArray().Should().Equal(5f, 6f);
    }

    [Fact]
    public void LeafGrad_IsACopy_NotTheCallersGradientTensor()
    {
        var x = Tensor.From([1f, 2f], requiresGrad: true);
        var head = Tensor.Ones(2);
        (x + 1).Backward(head);
        x.Grad!.Clear();
        head.ToArray().Should().Equal(1f, 1f);
    }

    [Fact]
    public void RequiresGrad_OnNonLeaf_CannotBeTurnedOff()
    {
        var x = Tensor.Ones([2], requiresGrad: true);
        var y = x * 2;
        Action act = () => y.RequiresGrad = false;
        act.Should().Throw<InvalidOperationException>().WithMessage("you can only change requires_grad flags of leaf variables.*");
    }

    [Fact]
    public void Detach_SharesStorageAndCutsTheGraph()
    {
        var x = Tensor.From([1f, 2f], requiresGrad: true);
        var d = x.Detach();
        d.RequiresGrad.Should().BeFalse();
        d.GradFn.Should().BeNull();
        using (GradMode.NoGrad())
        {
            x += 1f;
        }

        d.ToArray().Should().Equal(2f, 3f);
    }

    [Fact]
    public void NoGrad_NestsAndRestoresOnExceptions()
    {
        GradMode.IsEnabled.Should().BeTrue();
        try
        {
            using (GradMode.NoGrad())
            {
                using (GradMode.EnableGrad())
                {
                    GradMode.IsEnabled.Should().BeTrue();
                    using (GradMode.NoGrad())
                    {
                        GradMode.IsEnabled.Should().BeFalse();
                        throw new InvalidOperationException("boom");
                    }
                }
            }
        }
        catch (InvalidOperationException)
        {
        }

        GradMode.IsEnabled.Should().BeTrue();
        var x = Tensor.Ones([2], requiresGrad: true);
        (x * 2).RequiresGrad.Should().BeTrue();
    }

    [Fact]
    public void NoGrad_IsThreadLocal()
    {
        using var entered = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var worker = new Thread(() =>
        {
            using (GradMode.NoGrad())
            {
                entered.Set();
                release.Wait(TimeSpan.FromSeconds(10));
            }
        });
        worker.Start();
        entered.Wait(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken).Should().BeTrue();
        try
        {
            GradMode.IsEnabled.Should().BeTrue();
            var x = Tensor.Ones([2], requiresGrad: true);
            (x * 2).GradFn.Should().NotBeNull();
        }
        finally
        {
            release.Set();
            worker.Join();
        }
    }

    [Fact]
    public void Record_SetsTrainingAndRecording()
    {
        GradMode.IsTraining.Should().BeFalse();
        using (GradMode.NoGrad())
        {
            using (GradMode.Record())
            {
                GradMode.IsTraining.Should().BeTrue();
                GradMode.IsEnabled.Should().BeTrue();
            }

            GradMode.IsEnabled.Should().BeFalse();
        }

        GradMode.IsTraining.Should().BeFalse();
    }

    [Fact]
    public void InPlaceOnLeafThatRequiresGrad_ThrowsUnlessNoGrad()
    {
        var w = Tensor.Ones([2], requiresGrad: true);
        Action act = () => w -= 1f;
        act.Should().Throw<InvalidOperationException>().WithMessage("a leaf Variable that requires grad is being used in an in-place operation.");
        using (GradMode.NoGrad())
        {
            w *= 3f;
        }

        w.ToArray().Should().Equal(3f, 3f);
        w.IsLeaf.Should().BeTrue();
    }

    [Fact]
    public void InPlaceBroadcast_MustKeepTheTargetShape()
    {
        var t = Tensor.Zeros(3);
        t += Tensor.From([1f, 2f, 3f]);
        t.ToArray().Should().Equal(1f, 2f, 3f);
        Action act = () => t += Tensor.Ones(2, 3);
        act.Should().Throw<ArgumentException>().WithMessage("output with shape [3] doesn't match the broadcast shape [2, 3]*");
    }

    [Fact]
    public void MillionNodeChain_BuildsBackPropagatesAndIsCollected()
    {
        WeakReference head = BuildAndBackPropagateChain(1_000_000);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        head.IsAlive.Should().BeFalse("the released graph is unreachable once the output is dropped");
    }

    /// <summary>Kept out of line so that no stack slot of the test method holds the graph.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static WeakReference BuildAndBackPropagateChain(int length)
    {
        // y = x · c^n built as a chain of n MulBackward nodes, c = 1.000001f (= 1.00000095367…):
        // dy/dx = c^1e6 ≈ e^0.9537 ≈ 2.595. The backward pass multiplies 1 by c n times, the very float
        // products the forward pass made from x = 1, so the gradient equals y bit for bit.
        var x = Tensor.Scalar(1f, requiresGrad: true);
        Tensor y = x;
        for (int i = 0; i < length; i++)
        {
            y = y * 1.000001f;
        }

        y.Backward();
        x.Grad!.Item().Should().Be(y.Item());
        x.Grad!.Item().Should().BeApproximately((float)Math.Pow(1.000001f, length), 0.01f);
        return new WeakReference(y.GradFn);
    }

    [Fact]
    public void NodeReturningWrongNumberOfGradients_IsNamed()
    {
        var x = Tensor.Ones([2], requiresGrad: true);
        var y = Tensor.Ones(2).WithGradFn(new BrokenNode(x, returnTwo: true));
        Action act = () => y.Sum().Backward();
        act.Should().Throw<InvalidOperationException>().WithMessage("Function BrokenNode returned an invalid number of gradients - expected 1, but got 2");
    }

    [Fact]
    public void NodeReturningWrongShape_IsNamed()
    {
        var x = Tensor.Ones([2], requiresGrad: true);
        var y = Tensor.Ones(2).WithGradFn(new BrokenNode(x, returnTwo: false));
        Action act = () => y.Sum().Backward();
        act.Should().Throw<InvalidOperationException>().WithMessage("Function BrokenNode returned an invalid gradient at index 0 - got [3] but expected shape compatible with [2]");
    }

    [Fact]
    public void BroadcastGradients_AreSummedToTheInputShapeByTheEngine()
    {
        // out = a + b with a [2,3], b [3]: d sum/db_j = 2 (two rows).
        var a = Tensor.Ones([2, 3], requiresGrad: true);
        var b = Tensor.Ones([3], requiresGrad: true);
        (a + b).Sum().Backward();
        b.Grad!.ToArray().Should().Equal(2f, 2f, 2f);
        a.Grad!.Shape.Should().Equal(2, 3);
    }

    [Fact]
    public void CreateGraph_GivesDifferentiableGradients()
    {
        // y = x³: dy/dx = 3x² = 12 at 2, d²y/dx² = 6x = 12.
        var x = Tensor.Scalar(2f, requiresGrad: true);
        x.Pow(3).Backward(createGraph: true);
        Tensor first = x.Grad!;
        first.Item().Should().Be(12f);
        first.GradFn.Should().NotBeNull();
        x.Grad = null;
        first.Backward();
        x.Grad!.Item().Should().Be(12f);
    }

    [Fact]
    public void AttachGrad_OverwritesInsteadOfAccumulating()
    {
        var x = Tensor.From([1f, 2f]);
        x.AttachGrad();
        (x * 3).Sum().Backward();
        (x * 5).Sum().Backward();
        x.Grad!.ToArray().Should().Equal(5f, 5f);
    }

    [Fact]
    public void PassesOverSeparateGraphsOnTwoThreads_DoNotInterfere()
    {
        float[] results = new float[2];
        Parallel.For(0, 2, i =>
        {
            for (int round = 0; round < 200; round++)
            {
                var x = Tensor.Scalar(i + 1f, requiresGrad: true);
                (x * x * x).Backward();
                results[i] = x.Grad!.Item();
            }
        });

        // d/dx x³ = 3x²: 3 and 12.
        results.Should().Equal(3f, 12f);
    }

    [Fact]
    public void PassesOnTwoThreads_MayShareLeaves()
    {
        // Each pass adds ∂ Σᵢ Σ(w ⊙ 1)/∂w = 30 (thirty terms) to the shared w.Grad; 2 threads × 300 passes add 18,000.
        // Leaves take gradients under a lock and keep no per-pass counters, so no contribution is lost.
        var w = Tensor.Zeros([4], requiresGrad: true);
        using var start = new Barrier(2);
        void Train()
        {
            var one = Tensor.Ones(4);
            start.SignalAndWait();
            for (int round = 0; round < 300; round++)
            {
                Tensor loss = (w * one).Sum();
                for (int term = 1; term < 30; term++)
                {
                    loss = loss + (w * one).Sum();
                }

                loss.Backward();
            }
        }

        var other = new Thread(Train);
        other.Start();
        Train();
        other.Join();

        w.Grad!.ToArray().Should().OnlyContain(v => v == 18000f);
    }

    private sealed class BrokenNode(Tensor input, bool returnTwo) : Node(input)
    {
        protected internal override Tensor?[] Apply(Tensor grad) =>
            returnTwo ? [grad, grad] : [Tensor.Ones(3)];
    }
}
