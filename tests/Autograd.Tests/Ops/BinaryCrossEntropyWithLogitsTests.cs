using Autograd.NN;
using FluentAssertions;
using Xunit;
using F = Autograd.NN.Functional;

namespace Autograd.Tests.Ops;

public class BinaryCrossEntropyWithLogitsTests
{
    // Logits x = [0, 2], targets y = [1, 0.5].
    // ℓ = max(x, 0) − x·y + ln(1 + e^(−|x|)):  ℓ₀ = ln 2 = 0.6931472,  ℓ₁ = 2 − 1 + ln(1 + e⁻²) = 1.1269280.
    // ∂ℓ/∂x = σ(x) − y = [½ − 1, σ(2) − ½] = [−0.5, 0.3807971];  ∂ℓ/∂y = −x = [0, −2].
    private const float Loss0 = 0.6931472f;
    private const float Loss1 = 1.1269280f;
    private const float DLossDx1 = 0.3807971f;

    private static (Tensor X, Tensor Y) Inputs() =>
        (Tensor.From([0f, 2f], requiresGrad: true), Tensor.From([1f, 0.5f], requiresGrad: true));

    [Fact]
    public void Mean_HandDerived()
    {
        (Tensor x, Tensor y) = Inputs();

        Tensor loss = F.BinaryCrossEntropyWithLogits(x, y);
        loss.ShouldBeScalar((Loss0 + Loss1) / 2f);
        loss.Backward();

        // The mean divides every element's gradient by n = 2.
        x.Grad.ShouldBe([2], [-0.25f, DLossDx1 / 2f]);
        y.Grad.ShouldBe([2], [0f, -1f]);
        loss.GradFn!.ToString().Should().Be("<BCEWithLogitsBackward>");
    }

    [Fact]
    public void Sum_HandDerived()
    {
        (Tensor x, Tensor y) = Inputs();

        Tensor loss = F.BinaryCrossEntropyWithLogits(x, y, Reduction.Sum);
        loss.ShouldBeScalar(Loss0 + Loss1);
        loss.Backward(Tensor.Scalar(3f));

        // g·(σ(x) − y) and g·(−x) with g = 3.
        x.Grad.ShouldBe([2], [-1.5f, 3f * DLossDx1]);
        y.Grad.ShouldBe([2], [0f, -6f]);
    }

    [Fact]
    public void None_HandDerived()
    {
        (Tensor x, Tensor y) = Inputs();

        Tensor loss = F.BinaryCrossEntropyWithLogits(x, y, Reduction.None);
        loss.ShouldBe([2], [Loss0, Loss1]);
        loss.Backward(Tensor.From([2f, -1f]));

        // Element-wise: gᵢ·(σ(xᵢ) − yᵢ) and gᵢ·(−xᵢ).
        x.Grad.ShouldBe([2], [-1f, -DLossDx1]);
        y.Grad.ShouldBe([2], [0f, 2f]);
    }

    [Fact]
    public void TargetOnlyRequiresGrad()
    {
        var x = Tensor.From([0f, 2f]);
        var y = Tensor.From([1f, 0.5f], requiresGrad: true);

        F.BinaryCrossEntropyWithLogits(x, y, Reduction.Sum).Backward();

        y.Grad.ShouldBe([2], [0f, -2f]);
        x.Grad.Should().BeNull();
    }

    [Theory]
    [InlineData(Reduction.Mean)]
    [InlineData(Reduction.Sum)]
    [InlineData(Reduction.None)]
    public void LargeLogits_FiniteLossAndGradient(Reduction reduction)
    {
        // x = ±100, ±1e4 with targets 0 and 1: ℓ = max(x, 0) − x·y + ln(1 + e^(−|x|)) is |x| when the sign is wrong,
        // ≈ 0 (e^(−100) ≈ 3.7e−44, e^(−1e4) = 0) when it is right; ∂ℓ/∂x = σ(x) − y ∈ {0, ±1}; ∂ℓ/∂y = −x.
        var x = Tensor.From([100f, -100f, 1e4f, -1e4f, 100f, -100f, 1e4f, -1e4f], requiresGrad: true);
        var y = Tensor.From([0f, 0f, 0f, 0f, 1f, 1f, 1f, 1f], requiresGrad: true);
        float[] losses = [100f, 0f, 1e4f, 0f, 0f, 100f, 0f, 1e4f];
        float[] dx = [1f, 0f, 1f, 0f, 0f, -1f, 0f, -1f];
        float scale = reduction == Reduction.Mean ? 1f / 8f : 1f;

        Tensor loss = F.BinaryCrossEntropyWithLogits(x, y, reduction);
        loss.Backward(reduction == Reduction.None ? Tensor.OnesLike(loss) : null);

        if (reduction == Reduction.None)
        {
            loss.ShouldBe([8], losses);
        }
        else
        {
            loss.ShouldBeScalar(losses.Sum() * scale);
        }

        x.Grad.ShouldBe([8], [.. dx.Select(d => d * scale)]);
        y.Grad.ShouldBe([8], [.. x.ToArray().Select(v => -v * scale)]);
        loss.ToArray().Should().OnlyContain(v => float.IsFinite(v));
    }

    [Theory]
    [InlineData(Reduction.Mean)]
    [InlineData(Reduction.Sum)]
    [InlineData(Reduction.None)]
    public void GradCheck_InputAndTarget(Reduction reduction) =>
        GradCheck.Assert(
            t => F.BinaryCrossEntropyWithLogits(t[0], t[1], reduction),
            [OpTest.Uniform([2, 3], -3f, 3f, 251), OpTest.Uniform([2, 3], 0f, 1f, 252)]);

    [Fact]
    public void GradCheck_TransposedLogits() =>
        GradCheck.Assert(
            t => F.BinaryCrossEntropyWithLogits(t[0].T, t[1]),
            [OpTest.Uniform([3, 2], -3f, 3f, 253), OpTest.Uniform([2, 3], 0f, 1f, 254, requiresGrad: false)]);

    [Fact]
    public void SecondDerivative_CreateGraph()
    {
        var x = Tensor.From([0f, 2f], requiresGrad: true);
        var y = Tensor.From([1f, 0.5f]);

        F.BinaryCrossEntropyWithLogits(x, y, Reduction.Sum).Backward(createGraph: true);
        Tensor first = x.Grad!;
        x.Grad = null;
        first.Sum().Backward();

        // ∂²ℓ/∂x² = σ(x)(1 − σ(x)) = [¼, σ(2)σ(−2) = 0.1049936].
        x.Grad.ShouldBe([2], [0.25f, 0.1049936f]);
    }

    [Fact]
    public void GradCheck_SecondDerivative() =>
        GradCheck.Assert(
            OpTest.Gradient(t => F.BinaryCrossEntropyWithLogits(t[0], t[1]), wrt: 0),
            [OpTest.Uniform([2, 3], -3f, 3f, 255), OpTest.Uniform([2, 3], 0f, 1f, 256)]);

    [Fact]
    public void ShapeMismatch_Throws()
    {
        Action act = () => F.BinaryCrossEntropyWithLogits(Tensor.Ones(3), Tensor.Ones(4));

        act.Should().Throw<ArgumentException>().WithMessage("Target size (*4*) must be the same as input size (*3*)*");
    }
}
