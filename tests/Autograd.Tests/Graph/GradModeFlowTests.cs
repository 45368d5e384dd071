using FluentAssertions;
using Xunit;

namespace Autograd.Tests.Graph;

/// <summary>Grad mode follows the logical flow of control (await, Task.Run, Parallel.For), and threads stay independent.</summary>
public class GradModeFlowTests
{
    [Fact]
    public async Task NoGrad_AroundAnAwait_StaysInForceAfterTheContinuationMovesThread()
    {
        var w = Tensor.From([1f], requiresGrad: true);
        var threads = new HashSet<int>();
        await Task.Run(async () =>
        {
            using (GradMode.NoGrad())
            {
                // Without a synchronization context each continuation runs on whichever pool thread is free; a
                // thread-static mode would be lost (or leak into unrelated work) whenever that is another thread.
                for (int i = 0; i < 20; i++)
                {
                    threads.Add(Environment.CurrentManagedThreadId);
                    await Task.Delay(1);
                    GradMode.IsEnabled.Should().BeFalse();
                    (w * 2f).RequiresGrad.Should().BeFalse();
                }
            }

            GradMode.IsEnabled.Should().BeTrue();
            (w * 2f).RequiresGrad.Should().BeTrue();
        }, TestContext.Current.CancellationToken);

        GradMode.IsEnabled.Should().BeTrue();
    }

    [Fact]
    public async Task WorkStartedInsideAScope_InheritsIt_AndItsChangesDoNotLeakBack()
    {
        using (GradMode.NoGrad())
        {
            (await Task.Run(() => GradMode.IsEnabled)).Should().BeFalse("Task.Run flows the execution context");

            var seen = new bool[8];
            Parallel.For(0, seen.Length, i => seen[i] = GradMode.IsEnabled);
            seen.Should().AllBeEquivalentTo(false, "Parallel.For bodies inherit the scope");

            bool inThread = true;
            var thread = new Thread(() => inThread = GradMode.IsEnabled);
            thread.Start();
            thread.Join();
            inThread.Should().BeFalse("a thread started inside the scope inherits it");

            bool suppressed = false;
            using (ExecutionContext.SuppressFlow())
            {
                var fresh = new Thread(() => suppressed = GradMode.IsEnabled);
                fresh.Start();
                fresh.Join();
            }

            suppressed.Should().BeTrue("with the flow suppressed, a new thread starts with the defaults");

            await Task.Run(() =>
            {
                GradMode.EnableGrad();   // never disposed: confined to the task's flow
                GradMode.IsEnabled.Should().BeTrue();
            }, TestContext.Current.CancellationToken);
            GradMode.IsEnabled.Should().BeFalse("a change inside the task does not leak back");
        }
    }

    [Fact]
    public void TwoThreads_HaveIndependentModes()
    {
        using var enteredNoGrad = new ManualResetEventSlim();
        using var checkedOther = new ManualResetEventSlim();
        bool otherSawEnabled = false;
        var holder = new Thread(() =>
        {
            using (GradMode.NoGrad())
            {
                enteredNoGrad.Set();
                checkedOther.Wait();
            }
        });
        var observer = new Thread(() =>
        {
            enteredNoGrad.Wait();
            otherSawEnabled = GradMode.IsEnabled;
            checkedOther.Set();
        });
        using (ExecutionContext.SuppressFlow())
        {
            holder.Start();
            observer.Start();
        }

        holder.Join();
        observer.Join();
        otherSawEnabled.Should().BeTrue();
    }

    [Fact]
    public void InsideABackwardPass_ScopesOpenedByHooksChangeThePassMode_AndThePassRestoresTheCallersMode()
    {
        // y = (w·3)·w: the hook on the intermediate runs while the pass (no createGraph) records nothing. A scope the
        // hook opens and closes must leave recording off for the rest of the pass, and the caller's mode untouched.
        var w = Tensor.From([2f], requiresGrad: true);
        Tensor h = w * 3f;
        bool? enabledInHook = null, enabledInsideScope = null, scopedResultRequiresGrad = null;
        h.RegisterHook(g =>
        {
            enabledInHook = GradMode.IsEnabled;
            using (GradMode.EnableGrad())
            {
                enabledInsideScope = GradMode.IsEnabled;
                scopedResultRequiresGrad = (w * g).RequiresGrad;
            }

            return null;
        });
        (h * w).Backward();

        enabledInHook.Should().BeFalse();
        enabledInsideScope.Should().BeTrue();
        scopedResultRequiresGrad.Should().BeTrue();
        w.Grad!.RequiresGrad.Should().BeFalse();      // the rest of the pass recorded nothing
        w.Grad.Item().Should().Be(12f);               // d/dw 3w² = 6w
        GradMode.IsEnabled.Should().BeTrue();
        using (GradMode.NoGrad())
        {
            var v = Tensor.From([1f], requiresGrad: true);
            using (GradMode.EnableGrad())
            {
                (v * v).Backward(createGraph: true);   // the pass records: the gradient 2v carries a graph
            }

            v.Grad!.RequiresGrad.Should().BeTrue();
            GradMode.IsEnabled.Should().BeFalse();    // and the caller's no-grad scope is back in force
        }
    }

    [Fact]
    public void Scopes_Nest_AndRestoreOnExceptions()
    {
        try
        {
            using (GradMode.NoGrad())
            {
                using (GradMode.EnableGrad())
                {
                    GradMode.IsEnabled.Should().BeTrue();
                    throw new InvalidOperationException("unwind");
                }
            }
        }
        catch (InvalidOperationException)
        {
        }

        GradMode.IsEnabled.Should().BeTrue();
        using (GradMode.Set(false))
        {
            GradMode.IsEnabled.Should().BeFalse();
        }
    }
}

/// <summary>Inference mode: nothing records, and inference tensors refuse to join a graph later, with PyTorch's messages.</summary>
public class InferenceModeTests
{
    [Fact]
    public void NothingRecords_AndTensorsMadeInsideCannotBeSavedLater()
    {
        var w = Tensor.From([1f, 2f], requiresGrad: true);
        Tensor t;
        using (GradMode.InferenceMode())
        {
            GradMode.IsInferenceModeEnabled.Should().BeTrue();
            GradMode.IsEnabled.Should().BeFalse();
            t = Tensor.Ones(2) * 3f;
            (w * t).RequiresGrad.Should().BeFalse();
        }

        GradMode.IsInferenceModeEnabled.Should().BeFalse();
        (w + t).RequiresGrad.Should().BeTrue("a sum saves nothing, so PyTorch allows it too");
        FluentActions.Invoking(() => w * t).Should().Throw<InvalidOperationException>()
            .WithMessage("Inference tensors cannot be saved for backward. To work around you can make a clone to get a normal tensor and use it in autograd.");
        (w * t.Clone()).Sum().Backward();
        w.Grad!.ToArray().Should().Equal(3f, 3f);
    }

    [Fact]
    public void InferenceTensors_RefuseRequiresGradAndInPlaceWritesOutsideTheMode_AndCountNoVersions()
    {
        Tensor t;
        using (GradMode.InferenceMode())
        {
            t = Tensor.Zeros(2);
            t += 1f;
            t.Version.Should().Be(0);
        }

        FluentActions.Invoking(() => t.RequiresGrad = true).Should().Throw<InvalidOperationException>()
            .WithMessage("Setting requires_grad=True on inference tensor outside InferenceMode is not allowed.");
        FluentActions.Invoking(() => t.Fill(2f)).Should().Throw<InvalidOperationException>()
            .WithMessage("Inplace update to inference tensor outside InferenceMode is not allowed.*");
        t.ToArray().Should().Equal(1f, 1f);
    }
}

/// <summary>Anomaly detection names the failing node and the line of the user's code that created it.</summary>
public class AnomalyDetectionTests
{
    [Fact]
    public void ANonFiniteBackwardResult_RaisesNamingTheNodeAndThisFile()
    {
        // d√x/dx = 1/(2√x) is infinite at 0.
        var x = Tensor.From([0f, 1f], requiresGrad: true);
        using (GradMode.DetectAnomaly())
        {
            Tensor y = x.Sqrt();
            FluentActions.Invoking(() => y.Sum().Backward())
                .Should().Throw<InvalidOperationException>()
                .WithMessage($"Function '{y.GradFn!.Name}' returned inf values in its 0th output. The node was created at *GradModeFlowTests.cs:line *");
        }
    }

    [Fact]
    public void TheInPlaceError_NamesWhereTheFailingNodeWasCreated()
    {
        var x = Tensor.From([1f, 2f], requiresGrad: true);
        using (GradMode.DetectAnomaly())
        {
            Tensor h = x * 1f;
            Tensor y = h.Sin();   // saves h
            h += 1f;
            FluentActions.Invoking(() => y.Sum().Backward())
                .Should().Throw<InvalidOperationException>()
                .WithMessage("one of the variables needed for gradient computation has been modified by an inplace operation*The failing node*was created at*GradModeFlowTests.cs:line*");
        }
    }

    [Fact]
    public void WithoutTheMode_NoSiteIsRecorded_AndNonFiniteGradientsPass()
    {
        var x = Tensor.From([0f], requiresGrad: true);
        Tensor y = x.Sqrt();
        Anomaly.SiteOf(y.GradFn!).Should().BeNull();
        y.Sum().Backward();
        float.IsPositiveInfinity(x.Grad!.Item()).Should().BeTrue();
    }
}
