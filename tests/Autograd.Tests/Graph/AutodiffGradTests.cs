using FluentAssertions;
using Xunit;

namespace Autograd.Tests.Graph;

/// <summary><see cref="Autodiff.Grad(IReadOnlyList{Tensor}, IReadOnlyList{Tensor}, IReadOnlyList{Tensor}, bool?, bool, bool?, bool)"/> and backward with roots and inputs.</summary>
public class AutodiffGradTests
{
    [Fact]
    public void Grad_ReturnsTheGradientsAndTouchesNoGrad()
    {
        // y = Σ x²·w: ∂y/∂x = 2xw = [2·1·3, 2·2·4] = [6, 16]; ∂y/∂w = x² = [1, 4].
        var x = Tensor.From([1f, 2f], requiresGrad: true);
        var w = Tensor.From([3f, 4f], requiresGrad: true);
        Tensor y = (x * x * w).Sum();

        Tensor?[] grads = Autodiff.Grad(y, [x, w]);

        grads[0]!.ToArray().Should().Equal(6f, 16f);
        grads[1]!.ToArray().Should().Equal(1f, 4f);
        x.Grad.Should().BeNull();
        w.Grad.Should().BeNull();
    }

    [Fact]
    public void Grad_OfANonLeaf_RunsOnlyTheGraphBelowIt()
    {
        // a = eˣ; a's own graph is freed by the first backward. Then c = a·a and ∂Σc/∂a = 2a needs only MulBackward:
        // PyTorch succeeds without touching ExpBackward, and so must we.
        var x = Tensor.From([0f, 1f], requiresGrad: true);
        Tensor a = x.Exp();
        a.Sum().Backward();

        Tensor c = a * a;
        Tensor? grad = Autodiff.Grad(c.Sum(), a);

        float e = MathF.Exp(1f);
        grad!.ToArray().Should().Equal(2f, 2f * e);
        x.Grad!.ToArray().Should().Equal(1f, e);   // unchanged by Grad
    }

    [Fact]
    public void Grad_WithCreateGraph_GivesSecondDerivatives()
    {
        // y = x³: y' = 3x², y'' = 6x; at x = [1, -2]: y' = [3, 12], y'' = [6, -12].
        var x = Tensor.From([1f, -2f], requiresGrad: true);
        Tensor? first = Autodiff.Grad(x.Pow(3f).Sum(), x, createGraph: true);
        first!.ToArray().Should().Equal(3f, 12f);
        first.RequiresGrad.Should().BeTrue();

        Tensor? second = Autodiff.Grad(first.Sum(), x);
        second!.ToArray().Should().Equal(6f, -12f);
    }

    [Fact]
    public void GradientPenalty_DifferentiatesThroughTheGradient()
    {
        // f = (w·x)², ∂f/∂x = 2w²x, penalty p = (∂f/∂x)² = 4w⁴x², ∂p/∂w = 16w³x² = 16·3.375·0.25 = 13.5 at w = 1.5, x = 0.5.
        var x = Tensor.From([0.5f], requiresGrad: true);
        var w = Tensor.From([1.5f], requiresGrad: true);
        Tensor f = (w * x).Pow(2f).Sum();
        Tensor? dx = Autodiff.Grad(f, x, createGraph: true);
        dx!.Item().Should().BeApproximately(2f * 2.25f * 0.5f, 1e-6f);

        dx.Pow(2f).Sum().Backward();

        w.Grad!.Item().Should().BeApproximately(13.5f, 1e-5f);
    }

    [Fact]
    public void Grad_OfAnUnusedInput_ThrowsUnlessAllowed()
    {
        var x = Tensor.From([1f, 2f], requiresGrad: true);
        var unused = Tensor.From([1f], requiresGrad: true);
        Tensor y = (x * 2f).Sum();

        FluentActions.Invoking(() => Autodiff.Grad(y, [x, unused], retainGraph: true))
            .Should().Throw<InvalidOperationException>()
            .WithMessage("One of the differentiated Tensors appears to not have been used in the graph*");

        Tensor?[] allowed = Autodiff.Grad(y, [x, unused], retainGraph: true, allowUnused: true);
        allowed[0]!.ToArray().Should().Equal(2f, 2f);
        allowed[1].Should().BeNull();

        Tensor?[] materialized = Autodiff.Grad(y, [x, unused], materializeGrads: true);
        materialized[1]!.ToArray().Should().Equal(0f);
    }

    [Fact]
    public void Grad_RejectsInputsThatDoNotRequireGrad_AndOutputsWithoutGraph()
    {
        var x = Tensor.From([1f], requiresGrad: true);
        var constant = Tensor.From([1f]);
        FluentActions.Invoking(() => Autodiff.Grad((x * constant).Sum(), constant))
            .Should().Throw<InvalidOperationException>().WithMessage("One of the differentiated Tensors does not require grad");
        FluentActions.Invoking(() => Autodiff.Grad(constant.Sum(), x))
            .Should().Throw<InvalidOperationException>().WithMessage("element 0 of tensors does not require grad and does not have a grad_fn");
    }

    [Fact]
    public void Grad_FreesTheGraphUnlessRetained_AsPyTorch()
    {
        var x = Tensor.From([1f, 2f], requiresGrad: true);
        Tensor y = x.Exp().Sum();
        Autodiff.Grad(y, x, retainGraph: true);
        Autodiff.Grad(y, x)!.ToArray().Should().Equal(MathF.Exp(1f), MathF.Exp(2f));
        FluentActions.Invoking(() => Autodiff.Grad(y, x)).Should().Throw<InvalidOperationException>().WithMessage("Trying to backward through the graph a second time*");
    }

    [Fact]
    public void Grad_WithSeveralOutputsAndHeadGradients_SumsTheirProducts()
    {
        // y1 = 2x, y2 = x²; with heads v1 = [1, 1], v2 = [0.5, 2]: v1·2 + v2·2x = [2 + 0.5·2, 2 + 2·6] = [3, 14] at x = [1, 3].
        var x = Tensor.From([1f, 3f], requiresGrad: true);
        Tensor?[] grads = Autodiff.Grad([x * 2f, x * x], [x], [Tensor.From([1f, 1f]), Tensor.From([0.5f, 2f])]);
        grads[0]!.ToArray().Should().Equal(3f, 14f);
    }

    [Fact]
    public void Grad_OfTheOutputItself_IsTheHeadGradient_AndDuplicatesGetTheSameGradient()
    {
        var x = Tensor.From([1f, 3f], requiresGrad: true);
        Tensor y = x * 2f;
        Autodiff.Grad(y, y, Tensor.From([4f, 5f]), retainGraph: true)!.ToArray().Should().Equal(4f, 5f);
        Tensor?[] twice = Autodiff.Grad(y.Sum(), [x, x]);
        twice[0]!.ToArray().Should().Equal(2f, 2f);
        twice[1]!.ToArray().Should().Equal(2f, 2f);
    }

    [Fact]
    public void Grad_OfALeafRoot_WithRespectToItself_IsOnes()
    {
        var x = Tensor.From([1f], requiresGrad: true);
        Autodiff.Grad(x, x)!.ToArray().Should().Equal(1f);
        x.Grad.Should().BeNull();
    }

    [Fact]
    public void BackwardWithInputs_AccumulatesOnlyIntoThem()
    {
        // y = Σ x·w: only w accumulates (∂y/∂w = x); x.Grad stays null.
        var x = Tensor.From([1f, 2f], requiresGrad: true);
        var w = Tensor.From([3f, 4f], requiresGrad: true);
        (x * w).Sum().Backward(inputs: [w]);
        w.Grad!.ToArray().Should().Equal(1f, 2f);
        x.Grad.Should().BeNull();
    }

    [Fact]
    public void BackwardWithANonLeafInput_FillsItsGrad()
    {
        var x = Tensor.From([1f, 2f], requiresGrad: true);
        Tensor z = x * 3f;
        (z * z).Sum().Backward(inputs: [z]);
        z.Grad!.ToArray().Should().Equal(6f, 12f);   // 2z
        x.Grad.Should().BeNull();
    }

    [Fact]
    public void BackwardFromSeveralRoots_SumsWhereTheyMeet()
    {
        // r1 = Σ 2x, r2 = Σ x²; heads 1 and 3: ∂ = 2 + 3·2x = [8, 14] at x = [1, 2]. r2 also depends on r1's graph? No:
        // they share only the leaf; a root that is reachable from another (r3 = r1·r1) waits for it.
        var x = Tensor.From([1f, 2f], requiresGrad: true);
        Tensor r1 = (x * 2f).Sum();
        Tensor r2 = (x * x).Sum();
        Autodiff.Backward([r1, r2], [null, Tensor.Scalar(3f)]);
        x.Grad!.ToArray().Should().Equal(8f, 14f);

        // r = Σ 2x and s = r²; heads 1 for both: ∂s/∂x = 2r·2 = 2·6·2 = 24 plus ∂r/∂x = 2: 26 each at x = [1, 2].
        var y = Tensor.From([1f, 2f], requiresGrad: true);
        Tensor r = (y * 2f).Sum();
        Tensor s = r * r;
        Autodiff.Backward([r, s]);
        y.Grad!.ToArray().Should().Equal(26f, 26f);
    }

    [Fact]
    public void Backward_RetainGraphDefaultsToCreateGraph()
    {
        var x = Tensor.From([2f], requiresGrad: true);
        Tensor y = x.Pow(3f).Sum();
        y.Backward(createGraph: true);
        y.Backward();   // the graph was retained because createGraph was set
        x.Grad!.Item().Should().Be(24f);   // 3x² twice
    }
}
