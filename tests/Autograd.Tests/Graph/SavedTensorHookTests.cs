using Autograd.NN;
using FluentAssertions;
using Xunit;

namespace Autograd.Tests.Graph;

/// <summary>Saved-tensor hooks and checkpointing.</summary>
public class SavedTensorHookTests
{
    [Fact]
    public void PackAndUnpack_SeeEverySavedTensor_AndGradientsStayRight()
    {
        // y = Σ sin(x)·w: SinBackward saves x, MulBackward saves sin(x) and w. The pack hook stores copies (as an
        // offloading hook would); gradients come out as without hooks: ∂/∂x = cos(x)·w, ∂/∂w = sin(x).
        var x = Tensor.From([0.5f, 1f], requiresGrad: true);
        var w = Tensor.From([2f, 3f], requiresGrad: true);
        int packed = 0, unpacked = 0;
        Tensor y;
        using (Autodiff.SavedTensorHooks(t => { packed++; return t.Detach().Clone(); }, o => { unpacked++; return (Tensor)o; }))
        {
            y = (x.Sin() * w).Sum();
        }

        packed.Should().Be(3);
        y.Backward();
        unpacked.Should().Be(3);
        x.Grad!.ToArray().Should().Equal(MathF.Cos(0.5f) * 2f, MathF.Cos(1f) * 3f);
        w.Grad!.ToArray().Should().Equal(MathF.Sin(0.5f), MathF.Sin(1f));
    }

    [Fact]
    public void Scopes_Nest_TheInnermostApplies_AndNothingAppliesAfterDisposal()
    {
        var x = Tensor.From([1f], requiresGrad: true);
        var log = new List<string>();
        using (Autodiff.SavedTensorHooks(t => { log.Add("outer"); return t; }, o => (Tensor)o))
        {
            using (Autodiff.SavedTensorHooks(t => { log.Add("inner"); return t; }, o => (Tensor)o))
            {
                _ = x.Sin();
            }

            _ = x.Sin();
        }

        _ = x.Sin();
        log.Should().Equal("inner", "outer");
    }

    [Fact]
    public void APackedTensorModifiedInPlace_IsReadAsPacked()
    {
        // The pack hook copied h, so the in-place change after saving does not reach the backward: ∂Σsin(h)/∂x = cos(1).
        var x = Tensor.From([1f], requiresGrad: true);
        Tensor h = x * 1f;
        Tensor y;
        using (Autodiff.SavedTensorHooks(t => t.Detach().Clone(), o => (Tensor)o))
        {
            y = h.Sin();
        }

        using (GradMode.NoGrad())
        {
            h += 5f;
        }

        y.Sum().Backward();
        x.Grad!.Item().Should().Be(MathF.Cos(1f));
    }
}

public class CheckpointTests
{
    private static Tensor Block(Tensor h, Tensor w, Tensor b) =>
        Functional.Dropout(Tensor.Tanh(Tensor.MatMul(h, w) + b), p: 0.3f);

    [Fact]
    public void Checkpoint_GivesTheSameValuesAndGradients_WithTheSameDropoutMask()
    {
        var generator = new Generator(7);
        Tensor x = Tensor.Randn([4, 3], generator: generator);
        Tensor w = Tensor.Randn([3, 3], generator: generator, requiresGrad: true);
        Tensor b = Tensor.Randn([3], generator: generator, requiresGrad: true);
        var xr = x.Clone();
        xr.RequiresGrad = true;

        Tensor.ManualSeed(11);
        Tensor plain = Block(Block(xr, w, b), w, b).Sum();
        plain.Backward();
        float[] wGrad = w.Grad!.ToArray(), bGrad = b.Grad!.ToArray(), xGrad = xr.Grad!.ToArray();
        w.Grad = null;
        b.Grad = null;

        var xc = x.Clone();
        xc.RequiresGrad = true;
        Tensor.ManualSeed(11);
        Tensor h = Autodiff.Checkpoint(t => Block(t[0], w, b), xc);
        Tensor checkpointed = Autodiff.Checkpoint(t => Block(t[0], w, b), h).Sum();
        checkpointed.Item().Should().Be(plain.Item());
        Tensor.Randn([5]);   // draws between the forward and the backward do not change the recomputed masks
        checkpointed.Backward();

        xc.Grad!.ToArray().Should().Equal(xGrad);
        w.Grad!.ToArray().Should().Equal(wGrad);
        b.Grad!.ToArray().Should().Equal(bGrad);
    }

    [Fact]
    public void Checkpoint_SavesNothingDuringTheForward()
    {
        var w = Tensor.Randn([3, 3], requiresGrad: true);
        var x = Tensor.Randn([2, 3]);
        int saved = 0;
        using (Autodiff.SavedTensorHooks(t => { saved++; return t; }, o => (Tensor)o))
        {
            Autodiff.Checkpoint(t => Tensor.Tanh(Tensor.MatMul(t[0], w)), x).Sum().Backward();
            int withCheckpoint = saved;
            saved = 0;
            Tensor.Tanh(Tensor.MatMul(x, w)).Sum().Backward();
            withCheckpoint.Should().Be(2, "only the recomputation during backward saves (matmul's input and tanh's output)");
            saved.Should().Be(2);
        }
    }

    [Fact]
    public void Checkpoint_InsideGrad_IsRefusedAsPyTorch()
    {
        var x = Tensor.From([1f], requiresGrad: true);
        Tensor y = Autodiff.Checkpoint(t => t[0] * 2f, x);
        FluentActions.Invoking(() => Autodiff.Grad(y.Sum(), x))
            .Should().Throw<InvalidOperationException>().WithMessage("Checkpointing is not compatible with .grad()*");
    }
}
