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

/// <summary>Transforms against hand-derived matrices.</summary>
public class AutodiffFunctionalTests
{
    [Fact]
    public void HigherDerivativesOfXCubedSinX()
    {
        // f = x³ sin x; f' = 3x² sin x + x³ cos x; f'' = 6x sin x + 6x² cos x − x³ sin x;
        // f''' = 6 sin x + 18x cos x − 9x² sin x − x³ cos x. At x = 0.7 (double precision).
        double x0 = 0.7, s = Math.Sin(x0), c = Math.Cos(x0);
        var x = Tensor.From([x0], requiresGrad: true);
        Tensor f = (x.Pow(3) * x.Sin()).Sum();
        Tensor d1 = Autodiff.Grad(f, x, createGraph: true)!;
        Tensor d2 = Autodiff.Grad(d1.Sum(), x, createGraph: true)!;
        Tensor d3 = Autodiff.Grad(d2.Sum(), x)!;
        d1.Item<double>().Should().BeApproximately((3 * x0 * x0 * s) + (x0 * x0 * x0 * c), 1e-12);
        d2.Item<double>().Should().BeApproximately((6 * x0 * s) + (6 * x0 * x0 * c) - (x0 * x0 * x0 * s), 1e-12);
        d3.Item<double>().Should().BeApproximately((6 * s) + (18 * x0 * c) - (9 * x0 * x0 * s) - (x0 * x0 * x0 * c), 1e-12);
    }

    [Fact]
    public void JacobianOfALinearMap_IsItsMatrix_AndHessianOfAQuadratic_IsSymmetricPart()
    {
        // y = A·x: J = A. f = xᵀ·A·x: H = A + Aᵀ.
        var a = Tensor.From(new double[,] { { 1, 2 }, { 3, 4 }, { 5, 6 } });
        var x = Tensor.From([0.5, -1.0]);
        Autodiff.Jacobian(v => Tensor.MatMul(a, v), x).ToArray<double>().Should().Equal(1, 2, 3, 4, 5, 6);

        var square = Tensor.From(new double[,] { { 1, 2 }, { 3, 4 } });
        Tensor h = Autodiff.Hessian(v => Tensor.MatMul(v, Tensor.MatMul(square, v)), x);
        h.Shape.ToArray().Should().Equal(2, 2);
        h.ToArray<double>().Should().Equal(2, 5, 5, 8);
        x.RequiresGrad.Should().BeFalse();   // the caller's tensor is untouched
    }

    [Fact]
    public void Strict_RefusesAnOutputIndependentOfAnInput_OtherwiseZeros()
    {
        var x = Tensor.From([1.0, 2.0]);
        var y = Tensor.From([3.0]);
        Tensor[] jac = Autodiff.Jacobian(t => t[0] * 2.0, [x, y]);
        jac[0].ToArray<double>().Should().Equal(2, 0, 0, 2);
        jac[1].ToArray<double>().Should().Equal(0, 0);
        FluentActions.Invoking(() => Autodiff.Jacobian(t => t[0] * 2.0, [x, y], strict: true))
            .Should().Throw<InvalidOperationException>().WithMessage("Output 0 of the user-provided function is independent of input 1. This is not allowed in strict mode.");
    }

    [Fact]
    public void VjpAndJvp_AreTheTwoProductsWithTheJacobian()
    {
        // y = [x0·x1, x0 + x1²] at x = [2, 3]: J = [[3, 2], [1, 6]]. vᵀJ with v = [1, -1]: [2, -4]. J·u with u = [1, 2]: [7, 13].
        var x = Tensor.From([2.0, 3.0]);
        Func<Tensor, Tensor> f = t => Tensor.Stack([t.Select(0, 0) * t.Select(0, 1), t.Select(0, 0) + t.Select(0, 1).Pow(2)]);
        (Tensor output, Tensor vjp) = Autodiff.Vjp(f, x, Tensor.From([1.0, -1.0]));
        output.ToArray<double>().Should().Equal(6, 11);
        vjp.ToArray<double>().Should().Equal(2, -4);
        Autodiff.Jvp(f, x, Tensor.From([1.0, 2.0])).Jvp.ToArray<double>().Should().Equal(7, 13);
    }

    [Fact]
    public void HessianOfANonScalarFunction_IsRefused()
    {
        FluentActions.Invoking(() => Autodiff.Hessian(t => t * 2.0, Tensor.From([1.0, 2.0])))
            .Should().Throw<InvalidOperationException>().WithMessage("The Tensor returned by the function given to hessian should contain a single element");
    }
}
