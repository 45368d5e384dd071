using FluentAssertions;
using Xunit;
using F = Autograd.NN.Functional;

namespace Autograd.Tests.Ops.Activations;

/// <summary>
/// Finite differences in float64 (PyTorch's gradcheck defaults) for every differentiable activation, first and second
/// order, on random shapes away from the kinks; and a few values derived by hand.
/// </summary>
public class ActivationGradCheckTests
{
    private static readonly Dictionary<string, Func<Tensor, Tensor>> Smooth = new()
    {
        ["elu"] = x => F.Elu(x, 0.7),
        ["selu"] = F.Selu,
        ["celu"] = x => F.Celu(x, 1.5),
        ["gelu"] = x => F.Gelu(x),
        ["gelu_tanh"] = x => F.Gelu(x, "tanh"),
        ["silu"] = F.Silu,
        ["mish"] = F.Mish,
        ["softplus"] = x => F.Softplus(x, 1.5, 2.0),
        ["softsign"] = F.Softsign,
        ["hardswish"] = F.Hardswish,
        ["logsigmoid"] = F.LogSigmoid,
        ["tanhshrink"] = F.Tanhshrink,
        ["glu"] = x => F.Glu(x, 0),
        ["softmax_0"] = x => F.Softmax(x, 0) * Weights(x),
        ["softmax_1"] = x => F.Softmax(x, 1) * Weights(x),
        ["softmax_2"] = x => F.Softmax(x, -1) * Weights(x),
        ["log_softmax_0"] = x => F.LogSoftmax(x, 0) * Weights(x),
        ["log_softmax_1"] = x => F.LogSoftmax(x, 1) * Weights(x),
        ["log_softmax_2"] = x => F.LogSoftmax(x, 2) * Weights(x),
    };

    /// <summary>Piecewise-linear ops: first order only (their second derivative is zero away from the kinks).</summary>
    private static readonly Dictionary<string, Func<Tensor, Tensor>> PiecewiseLinear = new()
    {
        ["leaky_relu"] = x => F.LeakyRelu(x, 0.3),
        ["hardtanh"] = x => F.Hardtanh(x, -0.9, 1.1),
        ["relu6"] = x => F.Relu6(x * 4),
        ["hardsigmoid"] = x => F.Hardsigmoid(x * 2),
        ["softshrink"] = x => F.Softshrink(x, 0.15),
        ["hardshrink"] = x => F.Hardshrink(x, 0.15),
    };

    public static TheoryData<string> SmoothNames => [.. Smooth.Keys];

    public static TheoryData<string> PiecewiseLinearNames => [.. PiecewiseLinear.Keys];

    [Theory]
    [MemberData(nameof(SmoothNames))]
    public void Smooth_PassesGradCheck_FirstAndSecondOrder(string name)
    {
        Tensor x = Inputs(seed: name.Length);
        GradCheck.Assert(t => Smooth[name](t[0]), [x]);
        GradCheck.Assert(OpTest.Gradient(t => Smooth[name](t[0]).Pow(2.0), 0), [x]);
    }

    [Theory]
    [MemberData(nameof(PiecewiseLinearNames))]
    public void PiecewiseLinear_PassesGradCheck(string name) =>
        GradCheck.Assert(t => PiecewiseLinear[name](t[0]) * Weights(t[0]), [Inputs(seed: 3 * name.Length)]);

    [Fact]
    public void HandDerivedValues()
    {
        // gelu'(0) = Φ(0) + 0·φ(0) = 1/2; gelu(1) = Φ(1) = 0.841344746068543 (the normal CDF at 1).
        Derivative(x => F.Gelu(x), 0).Should().BeApproximately(0.5, 1e-15);
        F.Gelu(Tensor.From([1.0])).ToArray<double>()[0].Should().BeApproximately(0.8413447460685429, 1e-15);

        // silu'(0) = σ(0)·(1 + 0) = 1/2; mish'(0) = tanh(log 2) + 0 = (2² − 1)/(2² + 1) = 3/5.
        Derivative(F.Silu, 0).Should().BeApproximately(0.5, 1e-15);
        Derivative(F.Mish, 0).Should().BeApproximately(0.6, 1e-15);

        // elu'(x) for x ≤ 0 is α·eˣ: at 0 the exponential branch gives α (PyTorch's x ≤ 0 choice); selu'(−1) = λα/e.
        Derivative(x => F.Elu(x, 0.5), 0).Should().Be(0.5);
        Derivative(F.Selu, -1).Should().BeApproximately(1.0507009873554805 * 1.6732632423543772 / Math.E, 1e-14);

        // leaky_relu'(0) is the slope (x > 0 is false); hardtanh'(±1) = 0 (strictly inside only); relu6'(6) = 0.
        Derivative(x => F.LeakyRelu(x, 0.25), 0).Should().Be(0.25);
        Derivative(x => F.Hardtanh(x), 1).Should().Be(0);
        Derivative(x => F.Hardtanh(x), -1).Should().Be(0);
        Derivative(F.Relu6, 6).Should().Be(0);
        Derivative(F.Relu6, 5.5).Should().Be(1);

        // softplus(0) = log 2 and softplus'(0) = σ(0) = 1/2; log σ(0) = −log 2, (log σ)'(0) = σ(−0) = 1/2.
        F.Softplus(Tensor.From([0.0])).ToArray<double>()[0].Should().BeApproximately(Math.Log(2), 1e-16);
        Derivative(x => F.Softplus(x), 0).Should().Be(0.5);
        F.LogSigmoid(Tensor.From([0.0])).ToArray<double>()[0].Should().BeApproximately(-Math.Log(2), 1e-16);

        // softsign'(0) = 1/(1 + 0)² = 1; hardswish'(0) = 0/3 + 1/2.
        Derivative(F.Softsign, 0).Should().Be(1);
        Derivative(F.Hardswish, 0).Should().Be(0.5);

        // log σ(−800) = −800 − log(1 + e⁻⁸⁰⁰) = −800 exactly: no overflow of e⁸⁰⁰.
        F.LogSigmoid(Tensor.From([-800.0])).ToArray<double>()[0].Should().Be(-800);
    }

    [Fact]
    public void Softmax_HandDerivedValues()
    {
        // softmax([0, ln 3]) = [1/4, 3/4]; along dim 0 of [[0], [ln 3]] the same; ±1000 shifted by the max is exact.
        Tensor.From([0.0, Math.Log(3)]).Softmax(0).ToArray<double>().Should().BeEquivalentTo(new[] { 0.25, 0.75 }, o => o.Using<double>(c => c.Subject.Should().BeApproximately(c.Expectation, 1e-15)).WhenTypeIs<double>());
        Tensor.From(new[,] { { 0.0 }, { Math.Log(3) } }).Softmax(0).ToArray<double>()[1].Should().BeApproximately(0.75, 1e-15);
        Tensor.From([1000f, 1000f]).LogSoftmax(0).ToArray().Should().Equal(-MathF.Log(2), -MathF.Log(2));

        // Gradient of softmax(x)₀ at x = [0, 0]: y₀(1 − y₀) = 1/4 and −y₀y₁ = −1/4.
        Tensor x = Tensor.From([0.0, 0.0], requiresGrad: true);
        x.Softmax(0).Select(0, 0).Backward();
        x.Grad!.ToArray<double>().Should().Equal(0.25, -0.25);

        // A row of −∞ has no probabilities: NaN, as PyTorch (−∞ − max = −∞ − (−∞)).
        Tensor.From([float.NegativeInfinity, float.NegativeInfinity]).Softmax(0).ToArray().Should().OnlyContain(v => float.IsNaN(v));
    }

    [Fact]
    public void Softmax_OverEachDim_EqualsTheLastDimKernelOnAPermutation()
    {
        Tensor x = Tensor.Uniform([3, 4, 5], -3, 3, generator: new Generator(7));
        for (int dim = 0; dim < 3; dim++)
        {
            Tensor moved = x.Transpose(dim, 2).Contiguous();
            Tensor expected = moved.Softmax(-1).Transpose(dim, 2);
            x.Softmax(dim).ToArray().Should().Equal(expected.Contiguous().ToArray(), (a, b) => Math.Abs(a - b) <= 1e-7f);
            x.Softmax(dim).Sum(dim).ToArray().Should().OnlyContain(v => Math.Abs(v - 1) < 1e-6f);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void SoftmaxBackward_FusedLastDimEqualsTheComposedFormula(bool log)
    {
        // Without createGraph the float32 last-dim backward is fused; with it, the tensor-op formula runs.
        float[] gradients = GradientOf(createGraph: false), composed = GradientOf(createGraph: true);
        gradients.Should().Equal(composed, (a, b) => Math.Abs(a - b) <= 1e-6f);
        gradients.Should().Contain(v => Math.Abs(v) > 1e-3f);

        float[] GradientOf(bool createGraph)
        {
            Tensor x = Tensor.Uniform([5, 7], -4, 4, requiresGrad: true, generator: new Generator(11));
            Tensor weights = Tensor.Uniform([5, 7], -1, 1, generator: new Generator(12));
            ((log ? x.LogSoftmax(-1) : x.Softmax(-1)) * weights).Sum().Backward(createGraph: createGraph);
            return x.Grad!.Detach().ToArray();
        }
    }

    private static double Derivative(Func<Tensor, Tensor> f, double at)
    {
        Tensor x = Tensor.From([at], requiresGrad: true);
        f(x).Sum().Backward();
        return x.Grad!.ToArray<double>()[0];
    }

    /// <summary>float64 leaves of shape [4, 3, 2] with |x| in [0.2, 2.5), off ±1 (kinks of hardtanh at −0.9, 1.1 stay clear too).</summary>
    private static Tensor Inputs(int seed)
    {
        double[] values = Tensor.Uniform([24], 0.2, 2.5, DType.Float64, generator: new Generator(seed)).ToArray<double>();
        double[] signs = Tensor.Uniform([24], -1, 1, DType.Float64, generator: new Generator(seed + 1)).ToArray<double>();
        for (int i = 0; i < values.Length; i++)
        {
            double v = Math.Abs(values[i] - 1) < 0.12 ? values[i] + 0.25 : values[i];
            v = Math.Abs(v - 1.5) < 0.05 ? v + 0.1 : v;   // relu6(4x) at 6
            values[i] = signs[i] < 0 ? -v : v;
        }

        return Tensor.From(values, [4, 3, 2], requiresGrad: true);
    }

    /// <summary>Fixed weights, so sums over a softmax (identically 1) do not hide its gradient.</summary>
    private static Tensor Weights(Tensor like) =>
        Tensor.Arange(1, like.Count + 1, 1, DType.Float64).Reshape([.. like.Shape.ToArray()]) / like.Count;
}
