using System.Numerics;
using System.Numerics.Tensors;

namespace Autograd.Kernels;

/// <summary>A scalar function evaluated in double: the element-wise activations and their derivatives.</summary>
internal interface IPointwise
{
    /// <summary>f(x).</summary>
    double Invoke(double x);
}

/// <summary>
/// Span kernels for the element-wise activations. Each function is evaluated in double and rounded once to the
/// destination type, so float32 results are correctly rounded values of the formula PyTorch evaluates.
/// </summary>
internal static class ActivationKernels
{
    private const double TwoOverSqrtPi = 1.1283791670955126;

    /// <summary>A float32 span kernel applying <paramref name="f"/> to every element.</summary>
    internal static SpanMap Float32<T>(T f)
        where T : struct, IPointwise => (x, destination) =>
        {
            for (int i = 0; i < x.Length; i++)
            {
                destination[i] = (float)f.Invoke(x[i]);
            }
        };

    /// <summary>A float64 span kernel applying <paramref name="f"/> to every element.</summary>
    internal static SpanMap64 Float64<T>(T f)
        where T : struct, IPointwise => (x, destination) =>
        {
            for (int i = 0; i < x.Length; i++)
            {
                destination[i] = f.Invoke(x[i]);
            }
        };

    /// <summary>destination = clamp(x, low, high) for an integer type; the bounds are already in that type.</summary>
    internal static void ClampInteger<T>(ReadOnlySpan<T> x, T low, T high, Span<T> destination)
        where T : unmanaged, INumber<T>
    {
        TensorPrimitives.Max(x, low, destination);
        TensorPrimitives.Min(destination, high, destination);
    }

    /// <summary>
    /// The error function erf x = 2/√π ∫₀ˣ e^(−t²) dt, from the series of positive terms
    /// erf x = 2/√π · e^(−x²) · Σₙ x (2x²)ⁿ / (2n + 1)!! (no cancellation, so every term and the sum keep full
    /// relative precision); for |x| ≥ 6, 1 − |erf x| = erfc |x| &lt; 2.2e-17 is below half an ulp of 1.
    /// </summary>
    internal static double Erf(double x)
    {
        if (double.IsNaN(x))
        {
            return x;
        }

        if (Math.Abs(x) >= 6)
        {
            return Math.CopySign(1, x);
        }

        double x2 = x * x, term = x, sum = x;
        for (int n = 1; n < 400; n++)
        {
            term *= 2 * x2 / ((2 * n) + 1);
            sum += term;
            if (Math.Abs(term) <= 1e-17 * Math.Abs(sum))
            {
                break;
            }
        }

        return TwoOverSqrtPi * Math.Exp(-x2) * sum;
    }

    /// <summary>
    /// eˣ − 1 without the cancellation of the naive form near 0: with u = eˣ rounded, (u − 1)·x / log u is accurate
    /// to a few ulp (Kahan); away from 0 the subtraction loses nothing.
    /// </summary>
    internal static double Expm1(double x)
    {
        if (!(Math.Abs(x) < 0.5))
        {
            return Math.Exp(x) - 1;
        }

        double u = Math.Exp(x);
        return u == 1 ? x : (u - 1) * x / Math.Log(u);
    }

    /// <summary>log(1 + x) without the rounding of 1 + x near 0: with u = 1 + x rounded, log u · x / (u − 1) (Kahan).</summary>
    internal static double Log1p(double x)
    {
        if (!(Math.Abs(x) < 0.5))
        {
            return Math.Log(1 + x);
        }

        double u = 1 + x;
        return u == 1 ? x : Math.Log(u) * x / (u - 1);
    }
}

/// <summary>x &gt; 0 ? x : x·slope (PyTorch's leaky_relu; NaN stays NaN).</summary>
internal readonly struct LeakyReluFunction(double slope) : IPointwise
{
    public double Invoke(double x) => x > 0 ? x : x * slope;
}

/// <summary>
/// PyTorch's elu family: x ≤ 0 ? (e^(x·inputScale) − 1)·alpha·scale : x·scale (elu: scale = inputScale = 1; selu:
/// its fixed alpha and scale; celu: inputScale = 1/alpha).
/// </summary>
internal readonly struct EluFunction(double alpha, double scale, double inputScale) : IPointwise
{
    public double Invoke(double x) => x <= 0 ? ActivationKernels.Expm1(x * inputScale) * alpha * scale : x * scale;
}

/// <summary>x·Φ(x) = x/2 · (1 + erf(x/√2)).</summary>
internal readonly struct GeluFunction : IPointwise
{
    public double Invoke(double x) => 0.5 * x * (1 + ActivationKernels.Erf(x * 0.70710678118654752440));
}

/// <summary>d/dx x·Φ(x) = Φ(x) + x·φ(x), φ(x) = e^(−x²/2)/√(2π).</summary>
internal readonly struct GeluDerivativeFunction : IPointwise
{
    public double Invoke(double x) =>
        (0.5 * (1 + ActivationKernels.Erf(x * 0.70710678118654752440))) + (x * 0.39894228040143267794 * Math.Exp(-0.5 * x * x));
}

/// <summary>x/2 · (1 + tanh(√(2/π)·(x + 0.044715 x³))).</summary>
internal readonly struct GeluTanhFunction : IPointwise
{
    public double Invoke(double x) => 0.5 * x * (1 + Math.Tanh(0.79788456080286535588 * (x + (0.044715 * x * x * x))));
}

/// <summary>x·σ(x) = x / (1 + e⁻ˣ).</summary>
internal readonly struct SiluFunction : IPointwise
{
    public double Invoke(double x) => x / (1 + Math.Exp(-x));
}

/// <summary>x·tanh(log(1 + eˣ)) (PyTorch evaluates the softplus without a threshold).</summary>
internal readonly struct MishFunction : IPointwise
{
    public double Invoke(double x) => x * Math.Tanh(ActivationKernels.Log1p(Math.Exp(x)));
}

/// <summary>x·beta &gt; threshold ? x : log(1 + e^(x·beta))/beta.</summary>
internal readonly struct SoftplusFunction(double beta, double threshold) : IPointwise
{
    public double Invoke(double x) => x * beta > threshold ? x : ActivationKernels.Log1p(Math.Exp(x * beta)) / beta;
}

/// <summary>min(x, 0) − log(1 + e^(−|x|)) = log σ(x), without overflow for either sign.</summary>
internal readonly struct LogSigmoidFunction : IPointwise
{
    public double Invoke(double x) => double.IsNaN(x) ? x : Math.Min(x, 0) - ActivationKernels.Log1p(Math.Exp(-Math.Abs(x)));
}

/// <summary>min(max(x, low), high), PyTorch's clamp (high wins when low &gt; high); NaN stays NaN.</summary>
internal readonly struct ClampFunction(double low, double high) : IPointwise
{
    public double Invoke(double x)
    {
        double atLeastLow = x < low ? low : x;
        return atLeastLow > high ? high : atLeastLow;
    }
}

/// <summary>min(max(x + 3, 0), 6) / 6; NaN stays NaN.</summary>
internal readonly struct HardsigmoidFunction : IPointwise
{
    public double Invoke(double x) => (x + 3 < 0 ? 0 : x + 3 > 6 ? 6 : x + 3) / 6;
}

/// <summary>x · min(max(x + 3, 0), 6) / 6; NaN stays NaN.</summary>
internal readonly struct HardswishFunction : IPointwise
{
    public double Invoke(double x) => x * (x + 3 < 0 ? 0 : x + 3 > 6 ? 6 : x + 3) / 6;
}

/// <summary>x &gt; λ ? x − λ : x &lt; −λ ? x + λ : 0 (PyTorch's softshrink: NaN gives 0).</summary>
internal readonly struct SoftshrinkFunction(double lambda) : IPointwise
{
    public double Invoke(double x) => x > lambda ? x - lambda : x < -lambda ? x + lambda : 0;
}

/// <summary>−λ ≤ x ≤ λ ? 0 : x (NaN stays NaN).</summary>
internal readonly struct HardshrinkFunction(double lambda) : IPointwise
{
    public double Invoke(double x) => x >= -lambda && x <= lambda ? 0 : x;
}
