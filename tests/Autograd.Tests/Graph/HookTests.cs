using FluentAssertions;
using Xunit;

namespace Autograd.Tests.Graph;

/// <summary>Tensor hooks, post-accumulate hooks, node hooks and end-of-pass callbacks, with PyTorch's semantics.</summary>
public class HookTests
{
    [Fact]
    public void LeafHook_SeesThePassTotal_Once()
    {
        // y = Σ (2x + 3x): the two paths meet at x, and the hook sees their sum, 5, once per pass (as PyTorch's
        // AccumulateGrad runs once with the summed gradient).
        var x = Tensor.From([1f, 1f], requiresGrad: true);
        var seen = new List<float[]>();
        using RemovableHandle handle = x.RegisterHook(g => seen.Add(g.ToArray()));

        ((x * 2f) + (x * 3f)).Sum().Backward();

        seen.Should().ContainSingle().Which.Should().Equal(5f, 5f);
        x.Grad!.ToArray().Should().Equal(5f, 5f);
    }

    [Fact]
    public void Hooks_CanReplaceTheGradient_OnLeavesAndNonLeaves()
    {
        // z = 2x, y = Σ z²: ∂y/∂z = 2z = 4x; the hook on z multiplies it by 10, the hook on x adds 1:
        // x.Grad = 10·4x·2 + 1 = 80x + 1 = [81, 161] at x = [1, 2].
        var x = Tensor.From([1f, 2f], requiresGrad: true);
        Tensor z = x * 2f;
        z.RegisterHook(g => g * 10f);
        x.RegisterHook(g => g + 1f);

        (z * z).Sum().Backward();

        x.Grad!.ToArray().Should().Equal(81f, 161f);
    }

    [Fact]
    public void DisposingTheHandle_RemovesTheHook()
    {
        var x = Tensor.From([1f], requiresGrad: true);
        int calls = 0;
        RemovableHandle handle = x.RegisterHook(g =>
        {
            calls++;
            return g * 2f;
        });
        (x * 3f).Sum().Backward();
        handle.Dispose();
        handle.Remove();   // twice is harmless
        (x * 3f).Sum().Backward();

        calls.Should().Be(1);
        x.Grad!.Item().Should().Be(6f + 3f);
    }

    [Fact]
    public void RetainedGradient_IsTheOneAfterTheTensorsHooks()
    {
        var x = Tensor.From([1f], requiresGrad: true);
        Tensor z = x * 2f;
        z.RetainGrad();
        z.RegisterHook(g => g * 10f);
        (z * 3f).Sum().Backward();
        z.Grad!.Item().Should().Be(30f);
        x.Grad!.Item().Should().Be(60f);
    }

    [Fact]
    public void PostAccumulateHook_RunsAfterTheGradIsComplete_WithGradModeOff_AndCanStepTheOptimizer()
    {
        // Optimizer in backward: p ← p − 0.1·∂L/∂p as soon as p's gradient is final, then the gradient is dropped.
        // L = Σ (p·x) with p used twice (p·x + p·x): ∂L/∂p = 2x = [2, 4] at x = [1, 2]; p = [1, 1] → [0.8, 0.6].
        var p = Tensor.From([1f, 1f], requiresGrad: true);
        var x = Tensor.From([1f, 2f]);
        int calls = 0;
        bool gradModeInHook = true;
        p.RegisterPostAccumulateGradHook(param =>
        {
            calls++;
            gradModeInHook = GradMode.IsEnabled;
            param.Grad!.ToArray().Should().Equal(2f, 4f);
            param -= param.Grad! * 0.1f;
            param.Grad = null;
        });

        ((p * x) + (p * x)).Sum().Backward();

        calls.Should().Be(1);
        gradModeInHook.Should().BeFalse();
        p.ToArray().Should().BeEquivalentTo([0.8f, 0.6f], o => o.Using<float>(c => c.Subject.Should().BeApproximately(c.Expectation, 1e-6f)).WhenTypeIs<float>());
        p.Grad.Should().BeNull();
    }

    [Fact]
    public void NodeHooks_SeeAndReplaceGradients()
    {
        // y = a·b: MulBackward's post-hook zeroes a's gradient; its pre-hook doubles the incoming one.
        var a = Tensor.From([2f], requiresGrad: true);
        var b = Tensor.From([5f], requiresGrad: true);
        Tensor y = a * b;
        Node node = y.GradFn!;
        Tensor? seenOutputGrad = null;
        node.RegisterPrehook(g => g * 2f);
        node.RegisterHook((inputs, output) =>
        {
            seenOutputGrad = output;
            return [inputs[0]! * 0f, inputs[1]];
        });

        y.Sum().Backward();

        seenOutputGrad!.ToArray().Should().Equal(2f);
        a.Grad!.ToArray().Should().Equal(0f);
        b.Grad!.ToArray().Should().Equal(4f);   // 2 (pre-hook) · a
    }

    [Fact]
    public void HooksOnAnInput_ApplyInGrad_AndGradTouchesNoGrad()
    {
        var x = Tensor.From([1f], requiresGrad: true);
        x.RegisterHook(g => g * 3f);
        Autodiff.Grad((x * 2f).Sum(), x)!.Item().Should().Be(6f);
        x.Grad.Should().BeNull();
    }

    [Fact]
    public void QueuedCallbacks_RunAtTheEndOfThePass_InOrder()
    {
        var x = Tensor.From([1f], requiresGrad: true);
        var log = new List<string>();
        x.RegisterHook(g =>
        {
            log.Add("hook");
            Autodiff.QueueCallback(() =>
            {
                log.Add($"first, grad {x.Grad!.Item()}");
                Autodiff.QueueCallback(() => log.Add("queued by a callback"));
            });
            Autodiff.QueueCallback(() => log.Add("second"));
        });

        (x * 4f).Sum().Backward();

        log.Should().Equal("hook", "first, grad 4", "second", "queued by a callback");
        FluentActions.Invoking(() => Autodiff.QueueCallback(() => { }))
            .Should().Throw<InvalidOperationException>().WithMessage("Final callbacks can only be installed during backward pass.");
    }

    [Fact]
    public void Registering_OnTensorsThatCannotTakeHooks_ThrowsPyTorchsMessages()
    {
        var constant = Tensor.From([1f]);
        FluentActions.Invoking(() => constant.RegisterHook(g => g))
            .Should().Throw<InvalidOperationException>().WithMessage("cannot register a hook on a tensor that doesn't require gradient");
        var x = Tensor.From([1f], requiresGrad: true);
        FluentActions.Invoking(() => (x * 2f).RegisterPostAccumulateGradHook(_ => { }))
            .Should().Throw<InvalidOperationException>().WithMessage("post accumulate grad hooks cannot be registered on non-leaf tensors");
    }

    [Fact]
    public void AHookReturningTheWrongShape_IsRefused()
    {
        var x = Tensor.From([1f, 2f], requiresGrad: true);
        x.RegisterHook(_ => Tensor.From([1f]));
        FluentActions.Invoking(() => (x * 2f).Sum().Backward())
            .Should().Throw<InvalidOperationException>().WithMessage("hook returned a gradient of shape [1]*");
    }
}

/// <summary>Gradients a hook was shown stay the hook's: the engine never recycles or adds into them afterwards.</summary>
public class HookOwnershipTests
{
    [Theory]
    [InlineData(16)]
    [InlineData(4096)]
    [InlineData(40_000)]
    public void AGradientKeptByAHook_IsNeverOverwritten(int n)
    {
        // z = 2x feeds two products, so z's gradient is the engine's own sum (2·1 + 3·1 = 5 everywhere), the kind it
        // recycles or adds into; the hook keeps it. Later passes of other sizes must not change it.
        var kept = new List<Tensor>();
        var seenByNode = new List<Tensor>();
        var x = Tensor.Ones([n], requiresGrad: true);
        Tensor z = x * 2f;
        z.RegisterHook(g => kept.Add(g));
        Tensor y = (z * 2f) + (z * 3f);
        y.GradFn!.RegisterHook((inputs, _) =>
        {
            seenByNode.AddRange(inputs.Where(t => t is not null)!);
            return null;
        });
        y.Sum().Backward();

        for (int pass = 0; pass < 3; pass++)
        {
            var w = Tensor.Randn([n], requiresGrad: true);
            ((w * 7f) + (w * 1f)).Sum().Backward();
        }

        kept.Should().ContainSingle();
        kept[0].ToArray().Should().AllBeEquivalentTo(5f);
        seenByNode.Should().HaveCount(2);
        seenByNode[0].ToArray().Should().AllBeEquivalentTo(1f);
        x.Grad!.ToArray().Should().AllBeEquivalentTo(10f);
    }
}
