using FluentAssertions;
using Autograd.Tests.Ops;
using Xunit;

namespace Autograd.Tests.Float64;

/// <summary>
/// Every differentiable op in float64, checked by finite differences with PyTorch's float64 defaults (eps 1e-6,
/// atol 1e-5, rtol 1e-3): tight enough that a formula wrong by one part in a thousand fails, which float32 cannot see.
/// </summary>
public class Float64GradCheckTests
{
    /// <summary>A float64 leaf uniform in [low, high) from a fixed seed.</summary>
    internal static Tensor Leaf(int[] shape, double low, double high, int seed, bool requiresGrad = true) =>
        Tensor.Uniform(shape, low, high, DType.Float64, requiresGrad, new Generator(seed));

    /// <summary>A float64 leaf with |x| in [low, high) and random signs (away from relu's kink and 1/x's pole).</summary>
    internal static Tensor AwayFromZero(int[] shape, double low, double high, int seed)
    {
        var generator = new Generator(seed);
        double[] values = Tensor.Uniform(shape, low, high, DType.Float64, generator: generator).ToArray<double>();
        double[] signs = Tensor.Uniform(shape, -1, 1, DType.Float64, generator: generator).ToArray<double>();
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = signs[i] < 0 ? -values[i] : values[i];
        }

        return Tensor.From(values, shape, requiresGrad: true);
    }

    public static TheoryData<string> UnaryOps => new() { "exp", "log", "sin", "cos", "tanh", "sigmoid", "relu", "pow2", "pow3", "pow2.5", "pow-1", "pow_third", "sqrt", "mean", "mean0", "mean1keep", "norm", "max", "clone", "sum" };

    internal static Tensor Unary(string op, Tensor x) => op switch
    {
        "exp" => x.Exp(),
        "log" => x.Log(),
        "sin" => x.Sin(),
        "cos" => x.Cos(),
        "tanh" => x.Tanh(),
        "sigmoid" => x.Sigmoid(),
        "relu" => x.Relu(),
        "pow2" => x.Pow(2f),
        "pow3" => x.Pow(3f),
        "pow2.5" => x.Pow(2.5f),
        "pow-1" => x.Pow(-1f),
        "sqrt" => x.Sqrt(),
        "pow_third" => x.Pow(1.0 / 3),
        "mean" => x.Mean(),
        "mean0" => x.Mean(0),
        "mean1keep" => x.Mean(1, keepDim: true),
        "norm" => x.Norm(),
        "max" => x.Max(),
        "clone" => x.Clone(),
        "sum" => x.Sum(),
        _ => throw new ArgumentException(op),
    };

    /// <summary>Positive inputs for the ops with a restricted domain, signed ones away from 0 for the others.</summary>
    private static Tensor InputFor(string op, int seed) =>
        op is "log" or "pow2.5" or "pow_third" or "sqrt" ? Leaf([2, 3], 0.5, 2, seed) : AwayFromZero([2, 3], 0.2, 1.5, seed);

    [Theory]
    [MemberData(nameof(UnaryOps))]
    public void UnaryOp_IsFloat64_AndPassesGradCheckWithPyTorchDefaults(string op)
    {
        Tensor x = InputFor(op, 11);

        Tensor y = Unary(op, x);

        y.DType.Should().Be(DType.Float64);
        GradCheck.Check(t => Unary(op, t[0]), [x]).Passed.Should().BeTrue(GradCheck.Check(t => Unary(op, t[0]), [x]).Message);
    }

    [Theory]
    [InlineData("exp")]
    [InlineData("log")]
    [InlineData("sin")]
    [InlineData("tanh")]
    [InlineData("sigmoid")]
    [InlineData("pow2.5")]
    [InlineData("norm")]
    public void SecondDerivative_PassesGradCheckInFloat64(string op)
    {
        Tensor x = InputFor(op, 12);

        GradCheckResult result = GradCheck.Check(OpTest.Gradient(t => Unary(op, t[0]), 0), [x]);

        result.Passed.Should().BeTrue(result.Message);
    }

    [Theory]
    [InlineData(new[] { 3 }, new[] { 3 })]
    [InlineData(new[] { 2, 3 }, new[] { 3, 4 })]
    [InlineData(new[] { 3 }, new[] { 3, 2 })]
    [InlineData(new[] { 2, 3 }, new[] { 3 })]
    [InlineData(new[] { 2, 2, 3 }, new[] { 3, 2 })]
    [InlineData(new[] { 2, 1, 2, 3 }, new[] { 3, 3, 2 })]
    public void MatMul_PassesGradCheckInFloat64(int[] left, int[] right)
    {
        Tensor a = Leaf(left, -1, 1, 1), b = Leaf(right, -1, 1, 2);

        Tensor.MatMul(a, b).DType.Should().Be(DType.Float64);
        GradCheckResult result = GradCheck.Check(t => Tensor.MatMul(t[0], t[1]), [a, b]);

        result.Passed.Should().BeTrue(result.Message);
        GradCheck.Check(OpTest.Gradient(t => Tensor.MatMul(t[0], t[1]).Pow(2f), 1), [a, b]).Passed.Should().BeTrue();
    }

    [Fact]
    public void Dot_PassesGradCheckInFloat64()
    {
        Tensor a = Leaf([4], -1, 1, 3), b = Leaf([4], -1, 1, 4);

        GradCheck.Check(t => Tensor.Dot(t[0], t[1]), [a, b]).Passed.Should().BeTrue();
    }

    [Fact]
    public void Linear_PassesGradCheckInFloat64()
    {
        Tensor x = Leaf([3, 4], -1, 1, 5), w = Leaf([2, 4], -1, 1, 6), b = Leaf([2], -1, 1, 7);

        Tensor y = NN.Functional.Linear(x, w, b);

        y.DType.Should().Be(DType.Float64);
        GradCheck.Check(t => NN.Functional.Linear(t[0], t[1], t[2]), [x, w, b]).Passed.Should().BeTrue();
    }

    [Fact]
    public void Float64Check_UsesPyTorchDefaults_AndCatchesAnErrorFloat32CannotSee()
    {
        // y = 2x + (0.01x, detached): the true derivative is 2.01, the graph's 2. |2 − 2.01| = 0.01 exceeds float64's
        // atol + rtol·|n| = 1e-5 + 1e-3·2.01 ≈ 2.0e-3, but not float32's 1e-3 + 1e-2·2.01 ≈ 2.1e-2.
        Tensor x = Leaf([3], 0.5, 1.5, 8);
        var x32 = Tensor.From(x.ToArray(), [3], requiresGrad: true);
        static Tensor Wrong(Tensor t) => (t * 2.0) + (t * 0.01).Detach();

        GradCheckResult f64 = GradCheck.Check(t => Wrong(t[0]), [x]);
        GradCheckResult f32 = GradCheck.Check(t => Wrong(t[0]), [x32]);

        f64.Passed.Should().BeFalse();
        f64.Message.Should().Contain("analytical 2,").And.Contain("atol 1E-05 + rtol 0.001");
        f32.Passed.Should().BeTrue(f32.Message);

        // Explicit tolerances still win over the float64 defaults.
        GradCheck.Check(t => Wrong(t[0]), [x], atol: 1e-3, rtol: 1e-2).Passed.Should().BeTrue();
    }

    [Fact]
    public void Float64Check_NumericalValue_HasFloat64Precision()
    {
        // d(x³)/dx at x = 1.25 is 3·1.25² = 4.6875; with h = 1e-6 the central difference is off by h² = 1e-12 only.
        var x = Tensor.From([1.25], requiresGrad: true);
        static Tensor Wrong(Tensor t) => (t.Pow(3f) * 1.0000001).Detach() + (t - t.Detach());

        GradCheckResult result = GradCheck.Check(t => Wrong(t[0]), [x], atol: 0, rtol: 1e-9);

        result.Passed.Should().BeFalse();
        result.Message.Should().Contain("numerical 4.6875004");
    }

    [Fact]
    public void IntegerInputs_DoNotTakeTheCheckOutOfFloat64()
    {
        // Class targets as an int64 tensor: the check stays in float64 (tight defaults), and the targets are not perturbed.
        Tensor x = Leaf([3, 4], -2, 2, 9);
        Tensor targets = Tensor.From([1L, 3L, 0L]);

        GradCheckResult result = GradCheck.Check(t => NN.Functional.CrossEntropy(t[0], t[1]), [x, targets]);

        result.Passed.Should().BeTrue(result.Message);
        result.EntriesChecked.Should().Be(12);
    }

    [Fact]
    public void MixedFloat32AndFloat64Inputs_UseFloat32Defaults_AndPerturbEachInItsDType()
    {
        // w (float32) ⊙ x (float64) is float64; the float32 defaults apply because not every input is float64.
        var w = Tensor.From([0.5f, -1.5f, 2f], requiresGrad: true);
        Tensor x = Leaf([3], -1, 1, 10);

        GradCheckResult result = GradCheck.Check(t => (t[0] * t[1]).Exp(), [w, x]);

        result.Passed.Should().BeTrue(result.Message);
        result.EntriesChecked.Should().Be(18);
    }

    [Fact]
    public void BFloat16_ComputesInFloat32AndRoundsOnce_WithAGradientInBFloat16()
    {
        // exp(1) = 2.71828… rounds to bfloat16 2.71875 (8 significant bits: 2 + 92/128 = 2.71875).
        Tensor x = Tensor.From([1.0, 0.0]).To(DType.BFloat16);
        x.RequiresGrad = true;

        Tensor y = x.Exp();

        y.DType.Should().Be(DType.BFloat16);
        y.ToArray<double>().Should().Equal(2.71875, 1);
        y.Sum().Backward();
        x.Grad!.DType.Should().Be(DType.BFloat16);
        x.Grad!.ToArray<double>().Should().Equal(2.71875, 1);
    }
}
