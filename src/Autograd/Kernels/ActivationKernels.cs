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

    /// <summary>erf x: the math family's implementation (<see cref="SpecialFunctions.Erf(double)"/>).</summary>
    internal static double Erf(double x) => SpecialFunctions.Erf(x);

    /// <summary>eˣ − 1 without cancellation near 0 (<see cref="MathKernels.Expm1(double)"/>).</summary>
    internal static double Expm1(double x) => MathKernels.Expm1(x);

    /// <summary>log(1 + x) without the rounding of 1 + x near 0 (<see cref="MathKernels.Log1p(double)"/>).</summary>
    internal static double Log1p(double x) => MathKernels.Log1p(x);
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
