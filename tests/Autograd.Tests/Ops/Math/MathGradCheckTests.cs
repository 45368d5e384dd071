using Xunit;

namespace Autograd.Tests.Ops.ElementwiseMath;

/// <summary>Finite differences in float64 (PyTorch's gradcheck defaults) for every differentiable math op, first and second order, away from kinks and poles.</summary>
public class MathGradCheckTests
{
    public static TheoryData<string> UnaryOps => new()
    {
        "sqrt", "rsqrt", "reciprocal", "exp2", "expm1", "log2", "log10", "log1p", "sinh", "cosh", "tan", "asin", "acos",
        "atan", "asinh", "acosh", "atanh", "erf", "erfc", "erfinv", "abs", "square", "frac",
    };

    public static TheoryData<string> BinaryOps => new() { "atan2", "hypot", "maximum", "minimum", "pow", "fmod", "remainder", "xlogy" };

    [Theory]
    [MemberData(nameof(UnaryOps))]
    public void Unary(string name)
    {
        (Func<Tensor, Tensor> f, double low, double high) = UnaryOp(name);
        Tensor x = name is "abs" or "reciprocal" ? Away([2, 3], low, high, 11) : Uniform([2, 3], low, high, 11);
        if (name == "frac")
        {
            x = Tensor.From([0.3, -1.6, 2.2, -0.4, 3.7, 1.1], [2, 3], requiresGrad: true);
        }

        GradCheck.Assert(t => f(t[0]), [x]);
        if (name is not "abs" and not "frac")
        {
            GradCheck.Assert(OpTest.Gradient(t => f(t[0]), wrt: 0), [x]);
        }
    }

    [Theory]
    [MemberData(nameof(BinaryOps))]
    public void Binary_Broadcasting(string name)
    {
        Func<Tensor, Tensor, Tensor> f = BinaryOp(name);
        (double aLow, double aHigh, double bLow, double bHigh) = name switch
        {
            "pow" => (0.3, 2.0, -2.0, 2.0),
            "fmod" or "remainder" => (0.1, 0.9, 1.1, 2.0),   // |a| < |b|: far from the jumps of trunc/floor(a/b)
            "xlogy" => (-2.0, 2.0, 0.3, 3.0),
            _ => (-2.0, 2.0, -2.0, 2.0),
        };
        Tensor a = Uniform([2, 3], aLow, aHigh, 21), b = Uniform([3], bLow, bHigh, 22);
        if (name is "maximum" or "minimum")
        {
            b = Tensor.From([-1.5, 0.1, 1.7], requiresGrad: true);   // no ties with a (drawn on a grid away from these)
            a = Tensor.From([-1.0, 0.5, 1.0, -2.0, -0.5, 1.9], [2, 3], requiresGrad: true);
        }

        GradCheck.Assert(t => f(t[0], t[1]), [a, b]);
        GradCheck.Assert(OpTest.Gradient(t => f(t[0], t[1]), wrt: 0), [a, b]);
        GradCheck.Assert(OpTest.Gradient(t => f(t[0], t[1]), wrt: 1), [a, b]);
    }

    [Fact]
    public void PowScalarBase() => GradCheck.Assert(t => Tensor.Pow(2.5, t[0]), [Uniform([4], -2, 2, 31)]);

    [Fact]
    public void Clamp_ScalarAndTensorBounds()
    {
        var x = Tensor.From([-1.2, -0.3, 0.1, 0.45, 0.9, 2.0], requiresGrad: true);
        GradCheck.Assert(t => t[0].Clamp(-0.5, 0.5), [x]);
        GradCheck.Assert(t => t[0].ClampMin(0.2), [x]);
        GradCheck.Assert(t => t[0].ClampMax(0.2), [x]);
        var low = Tensor.From([-0.5, 0.0, 0.3, 0.2, -1.0, 1.0], requiresGrad: true);
        var high = Tensor.From([0.5], requiresGrad: true);
        GradCheck.Assert(t => t[0].Clamp(t[1], t[2]), [x, low, high]);
        GradCheck.Assert(t => t[0].ClampMin(t[1]), [x, low]);
        GradCheck.Assert(t => t[0].ClampMax(t[1]), [x, high]);
    }

    [Fact]
    public void Lerp_ScalarAndTensorWeight()
    {
        Tensor start = Uniform([2, 3], -2, 2, 41), end = Uniform([3], -2, 2, 42), weight = Uniform([2, 1], -1, 2, 43);
        GradCheck.Assert(t => t[0].Lerp(t[1], 0.3), [start, end]);
        GradCheck.Assert(t => t[0].Lerp(t[1], 0.8), [start, end]);
        GradCheck.Assert(t => t[0].Lerp(t[1], t[2]), [start, end, weight]);
        GradCheck.Assert(OpTest.Gradient(t => t[0].Lerp(t[1], t[2]), wrt: 2), [start, end, weight]);
    }

    internal static (Func<Tensor, Tensor> F, double Low, double High) UnaryOp(string name) => name switch
    {
        "sqrt" => (Tensor.Sqrt, 0.2, 3),
        "rsqrt" => (Tensor.Rsqrt, 0.2, 3),
        "reciprocal" => (Tensor.Reciprocal, 0.2, 3),
        "exp2" => (Tensor.Exp2, -3, 3),
        "expm1" => (Tensor.Expm1, -2, 2),
        "log2" => (Tensor.Log2, 0.2, 3),
        "log10" => (Tensor.Log10, 0.2, 3),
        "log1p" => (Tensor.Log1p, -0.5, 3),
        "sinh" => (Tensor.Sinh, -3, 3),
        "cosh" => (Tensor.Cosh, -3, 3),
        "tan" => (Tensor.Tan, -1.2, 1.2),
        "asin" => (Tensor.Asin, -0.9, 0.9),
        "acos" => (Tensor.Acos, -0.9, 0.9),
        "atan" => (Tensor.Atan, -3, 3),
        "asinh" => (Tensor.Asinh, -3, 3),
        "acosh" => (Tensor.Acosh, 1.2, 4),
        "atanh" => (Tensor.Atanh, -0.9, 0.9),
        "erf" => (Tensor.Erf, -2.5, 2.5),
        "erfc" => (Tensor.Erfc, -1, 3),
        "erfinv" => (Tensor.Erfinv, -0.9, 0.9),
        "abs" => (Tensor.Abs, 0.2, 3),
        "square" => (Tensor.Square, -3, 3),
        "frac" => (Tensor.Frac, 0, 1),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };

    private static Func<Tensor, Tensor, Tensor> BinaryOp(string name) => name switch
    {
        "atan2" => Tensor.Atan2,
        "hypot" => Tensor.Hypot,
        "maximum" => Tensor.Maximum,
        "minimum" => Tensor.Minimum,
        "pow" => Tensor.Pow,
        "fmod" => Tensor.Fmod,
        "remainder" => Tensor.Remainder,
        "xlogy" => Tensor.Xlogy,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };

    private static Tensor Uniform(int[] shape, double low, double high, int seed) =>
        Tensor.Uniform(shape, low, high, DType.Float64, requiresGrad: true, generator: new Generator(seed));

    private static Tensor Away(int[] shape, double low, double high, int seed)
    {
        double[] values = Tensor.Uniform(shape, low, high, DType.Float64, generator: new Generator(seed)).ToArray<double>();
        for (int i = 0; i < values.Length; i += 2)
        {
            values[i] = -values[i];
        }

        return Tensor.From(values, shape, requiresGrad: true);
    }
}
