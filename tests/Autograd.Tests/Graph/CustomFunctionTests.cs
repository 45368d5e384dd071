using FluentAssertions;
using Xunit;

namespace Autograd.Tests.Graph;

/// <summary><see cref="CustomFunction"/>: user-written forward and backward, used in graphs like built-in ops.</summary>
public class CustomFunctionTests
{
    /// <summary>eˣ with its own backward: ∂/∂x = g·eˣ, written with tensor ops (so it differentiates again).</summary>
    private sealed class MyExp : CustomFunction
    {
        protected override Tensor Forward(FunctionContext ctx, Tensor[] inputs)
        {
            Tensor result = inputs[0].Exp();
            ctx.SaveForBackward(result);
            return result;
        }

        protected override Tensor?[] Backward(FunctionContext ctx, Tensor gradOutput) => [gradOutput * ctx.SavedTensors[0]];
    }

    /// <summary>The straight-through estimator: the forward rounds to ±1, the backward passes the gradient where |x| ≤ 1.</summary>
    private sealed class StraightThroughSign : CustomFunction
    {
        protected override Tensor Forward(FunctionContext ctx, Tensor[] inputs)
        {
            ctx.SaveForBackward(inputs[0]);
            return Tensor.Where(inputs[0] >= 0f, Tensor.Scalar(1f), Tensor.Scalar(-1f));
        }

        protected override Tensor?[] Backward(FunctionContext ctx, Tensor gradOutput)
        {
            Tensor x = ctx.SavedTensors[0];
            return [Tensor.Where((x * x) <= 1f, gradOutput, Tensor.Scalar(0f))];
        }
    }

    /// <summary>a·b + scale·a, with a non-tensor parameter as a field.</summary>
    private sealed class ScaledProduct(float scale) : CustomFunction
    {
        protected override Tensor Forward(FunctionContext ctx, Tensor[] inputs)
        {
            ctx.SaveForBackward(inputs[0], inputs[1]);
            return (inputs[0] * inputs[1]) + (inputs[0] * scale);
        }

        protected override Tensor?[] Backward(FunctionContext ctx, Tensor gradOutput)
        {
            IReadOnlyList<Tensor> saved = ctx.SavedTensors;
            return [ctx.NeedsInputGrad(0) ? gradOutput * (saved[1] + scale) : null, ctx.NeedsInputGrad(1) ? gradOutput * saved[0] : null];
        }
    }

    private sealed class OnceDifferentiableSquare : CustomFunction
    {
        protected override bool OnceDifferentiable => true;

        protected override Tensor Forward(FunctionContext ctx, Tensor[] inputs)
        {
            ctx.SaveForBackward(inputs[0]);
            return inputs[0] * inputs[0];
        }

        protected override Tensor?[] Backward(FunctionContext ctx, Tensor gradOutput) => [gradOutput * ctx.SavedTensors[0] * 2f];
    }

    private sealed class DoubleInPlace : CustomFunction
    {
        protected override Tensor Forward(FunctionContext ctx, Tensor[] inputs)
        {
            inputs[0] *= 2f;
            ctx.MarkDirty(inputs[0]);
            return inputs[0];
        }

        protected override Tensor?[] Backward(FunctionContext ctx, Tensor gradOutput) => [gradOutput * 2f];
    }

    private sealed class WrongCount : CustomFunction
    {
        protected override Tensor Forward(FunctionContext ctx, Tensor[] inputs) => inputs[0] * 1f;

        protected override Tensor?[] Backward(FunctionContext ctx, Tensor gradOutput) => [gradOutput, gradOutput];
    }

    [Fact]
    public void MatchesTheBuiltInOp_InValueGradientAndSecondDerivative()
    {
        var x = Tensor.From([-1f, 0f, 0.5f], requiresGrad: true);
        var reference = Tensor.From([-1f, 0f, 0.5f], requiresGrad: true);

        Tensor y = new MyExp().Apply(x);
        y.ToArray().Should().Equal(reference.Exp().ToArray());
        y.GradFn!.Name.Should().Be("MyExpBackward");

        Tensor? first = Autodiff.Grad(y.Sum(), x, createGraph: true);
        Tensor? firstReference = Autodiff.Grad(reference.Exp().Sum(), reference, createGraph: true);
        first!.ToArray().Should().Equal(firstReference!.ToArray());

        // d²/dx² eˣ = eˣ: the backward was written with tensor ops, so it is recorded too.
        Autodiff.Grad(first.Sum(), x)!.ToArray().Should().Equal(Autodiff.Grad(firstReference.Sum(), reference)!.ToArray());
    }

    [Fact]
    public void PassesAFiniteDifferenceCheckInFloat64()
    {
        var a = Tensor.Uniform([3], -1, 1, DType.Float64, requiresGrad: true, generator: new Generator(1));
        var b = Tensor.Uniform([3], -1, 1, DType.Float64, requiresGrad: true, generator: new Generator(2));
        GradCheck.Assert(t => new ScaledProduct(1.5f).Apply(t[0], t[1]), [a, b]);
        GradCheck.Assert(t => new MyExp().Apply(t[0]), [a]);
    }

    [Fact]
    public void StraightThroughEstimator_PassesTheGradientWhereTheInputIsInRange()
    {
        // forward: sign with sign(0) = 1; backward: g where |x| ≤ 1, else 0. With y = Σ 3·ste(x): g = 3.
        var x = Tensor.From([-2f, -0.5f, 0f, 0.7f, 1.5f], requiresGrad: true);
        Tensor y = new StraightThroughSign().Apply(x);
        y.ToArray().Should().Equal(-1f, -1f, 1f, 1f, 1f);
        (y * 3f).Sum().Backward();
        x.Grad!.ToArray().Should().Equal(0f, 3f, 3f, 3f, 0f);
    }

    [Fact]
    public void NeedsInputGrad_TellsWhichInputsNeedOne()
    {
        // ∂(a·b + 1.5a)/∂a = b + 1.5 = [3.5]; b needs none.
        var a = Tensor.From([4f], requiresGrad: true);
        var b = Tensor.From([2f]);
        new ScaledProduct(1.5f).Apply(a, b).Sum().Backward();
        a.Grad!.Item().Should().Be(3.5f);
        b.Grad.Should().BeNull();
    }

    [Fact]
    public void ASavedTensorModifiedInPlace_GivesPyTorchsError()
    {
        var x = Tensor.From([1f, 2f], requiresGrad: true);
        Tensor h = x * 1f;
        Tensor y = new ScaledProduct(1f).Apply(h, h);
        using (GradMode.NoGrad())
        {
            h += 1f;
        }

        FluentActions.Invoking(() => y.Sum().Backward())
            .Should().Throw<InvalidOperationException>().WithMessage("one of the variables needed for gradient computation has been modified by an inplace operation*");
    }

    [Fact]
    public void OnceDifferentiable_WorksOnce_AndRefusesASecondDerivative()
    {
        // L = Σ f(x)·x with f(x) = x²: f's backward receives g = x, which requires grad, so its result is recorded as
        // one that must not be differentiated. ∂L/∂x = 2x·x + x² = 27 at x = 3. (With a head gradient that needs no
        // grad, PyTorch, like us, simply returns an untracked result.)
        var x = Tensor.From([3f], requiresGrad: true);
        Tensor? first = Autodiff.Grad((new OnceDifferentiableSquare().Apply(x) * x).Sum(), x, createGraph: true);
        first!.Item().Should().Be(27f);
        FluentActions.Invoking(() => first.Sum().Backward())
            .Should().Throw<InvalidOperationException>().WithMessage("trying to differentiate twice a function that was marked with @once_differentiable");
    }

    [Fact]
    public void MarkDirty_GivesTheInputTheNewHistory()
    {
        // h = 3x; the function doubles h in place: h = 6x, ∂Σh/∂x = 2·3 = 6.
        var x = Tensor.From([1f, 2f], requiresGrad: true);
        Tensor h = x * 3f;
        int version = h.Version;
        Tensor y = new DoubleInPlace().Apply(h);
        ReferenceEquals(y, h).Should().BeTrue();
        h.ToArray().Should().Equal(6f, 12f);
        h.Version.Should().BeGreaterThan(version);
        h.GradFn!.Name.Should().Be("DoubleInPlaceBackward");
        y.Sum().Backward();
        x.Grad!.ToArray().Should().Equal(6f, 6f);
    }

    [Fact]
    public void MarkDirty_OnALeafThatRequiresGrad_IsRefused()
    {
        var x = Tensor.From([1f], requiresGrad: true);
        FluentActions.Invoking(() => new DoubleInPlace().Apply(x))
            .Should().Throw<InvalidOperationException>().WithMessage("a leaf Variable that requires grad is being used in an in-place operation.");
    }

    [Fact]
    public void ABackwardReturningTheWrongNumberOfGradients_IsRefused()
    {
        var x = Tensor.From([1f], requiresGrad: true);
        FluentActions.Invoking(() => new WrongCount().Apply(x).Sum().Backward())
            .Should().Throw<InvalidOperationException>().WithMessage("function WrongCountBackward returned an incorrect number of gradients (expected 1, got 2)");
    }

    [Fact]
    public void WithoutRecording_TheOutputHasNoHistory()
    {
        var x = Tensor.From([1f], requiresGrad: true);
        using (GradMode.NoGrad())
        {
            new MyExp().Apply(x).RequiresGrad.Should().BeFalse();
        }

        new MyExp().Apply(Tensor.From([1f])).GradFn.Should().BeNull();
    }
}
