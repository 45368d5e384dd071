using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Autograd.Kernels;

/// <summary>
/// Double-precision vector pieces of the widened activation kernels: the logistic pair σ(z), 1 − σ(z) without
/// cancellation, and log(1 + u) for 0 ≤ u ≤ 1.
/// </summary>
internal static class WidenedMath
{
    /// <summary>s = σ(z), c = 1 − σ(z), from e = e^(−|z|): 1/(1 + e) and e/(1 + e), each to a few double ulp.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Sigmoid(Vector128<double> z, out Vector128<double> s, out Vector128<double> c)
    {
        Vector128<double> e = DoubleExp.ExpNonPositive(-Vector128.Abs(z));
        Vector128<double> r = Vector128<double>.One / (Vector128<double>.One + e);
        Vector128<double> er = e * r;
        Vector128<double> positive = Vector128.GreaterThanOrEqual(z, Vector128<double>.Zero);
        s = Vector128.ConditionalSelect(positive, r, er);
        c = Vector128.ConditionalSelect(positive, er, r);
    }

    /// <summary>
    /// log(1 + u) for 0 ≤ u ≤ 1 as 2·atanh(s), s = u/(2 + u) ≤ ⅓: 2s·Σ s²ᵏ/(2k + 1) to k = 10 (truncation below
    /// (1/9)¹¹ relative, 3e-11).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector128<double> Log1pUnit(Vector128<double> u)
    {
        Vector128<double> s = u / (Vector128.Create(2.0) + u);
        Vector128<double> s2 = s * s;
        Vector128<double> p = Vector128.Create(1.0 / 21);
        p = Vector128.FusedMultiplyAdd(p, s2, Vector128.Create(1.0 / 19));
        p = Vector128.FusedMultiplyAdd(p, s2, Vector128.Create(1.0 / 17));
        p = Vector128.FusedMultiplyAdd(p, s2, Vector128.Create(1.0 / 15));
        p = Vector128.FusedMultiplyAdd(p, s2, Vector128.Create(1.0 / 13));
        p = Vector128.FusedMultiplyAdd(p, s2, Vector128.Create(1.0 / 11));
        p = Vector128.FusedMultiplyAdd(p, s2, Vector128.Create(1.0 / 9));
        p = Vector128.FusedMultiplyAdd(p, s2, Vector128.Create(1.0 / 7));
        p = Vector128.FusedMultiplyAdd(p, s2, Vector128.Create(1.0 / 5));
        p = Vector128.FusedMultiplyAdd(p, s2, Vector128.Create(1.0 / 3));
        p = Vector128.FusedMultiplyAdd(p, s2, Vector128<double>.One);
        return (s + s) * p;
    }

    /// <summary>
    /// tanh(log(1 + eˣ)), Mish's gate, without cancellation: with e = e^(−|x|), for x ≤ 0 n = e(e + 2) and
    /// t = n/(n + 2); for x &gt; 0 n = 1 + 2e and t = n/(n + 2e²) (both are ((1 + eˣ)² − 1)/((1 + eˣ)² + 1)).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector128<double> MishGate(Vector128<double> x, Vector128<double> e)
    {
        Vector128<double> two = Vector128.Create(2.0);
        Vector128<double> negative = Vector128.FusedMultiplyAdd(e, e, e + e);
        Vector128<double> positive = Vector128.FusedMultiplyAdd(e, two, Vector128<double>.One);
        Vector128<double> nonPositive = Vector128.LessThanOrEqual(x, Vector128<double>.Zero);
        Vector128<double> n = Vector128.ConditionalSelect(nonPositive, negative, positive);
        Vector128<double> d = Vector128.ConditionalSelect(nonPositive, negative + two, Vector128.FusedMultiplyAdd(e * e, two, positive));
        return n / d;
    }

    /// <summary>s = σ(z), c = 1 − σ(z), from e = e^(−|z|): 1/(1 + e) and e/(1 + e), each to a few double ulp.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Sigmoid(Vector256<double> z, out Vector256<double> s, out Vector256<double> c)
    {
        Vector256<double> e = DoubleExp.ExpNonPositive(-Vector256.Abs(z));
        Vector256<double> r = Vector256<double>.One / (Vector256<double>.One + e);
        Vector256<double> er = e * r;
        Vector256<double> positive = Vector256.GreaterThanOrEqual(z, Vector256<double>.Zero);
        s = Vector256.ConditionalSelect(positive, r, er);
        c = Vector256.ConditionalSelect(positive, er, r);
    }

    /// <summary>
    /// log(1 + u) for 0 ≤ u ≤ 1 as 2·atanh(s), s = u/(2 + u) ≤ ⅓: 2s·Σ s²ᵏ/(2k + 1) to k = 10 (truncation below
    /// (1/9)¹¹ relative, 3e-11).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<double> Log1pUnit(Vector256<double> u)
    {
        Vector256<double> s = u / (Vector256.Create(2.0) + u);
        Vector256<double> s2 = s * s;
        Vector256<double> p = Vector256.Create(1.0 / 21);
        p = Vector256.FusedMultiplyAdd(p, s2, Vector256.Create(1.0 / 19));
        p = Vector256.FusedMultiplyAdd(p, s2, Vector256.Create(1.0 / 17));
        p = Vector256.FusedMultiplyAdd(p, s2, Vector256.Create(1.0 / 15));
        p = Vector256.FusedMultiplyAdd(p, s2, Vector256.Create(1.0 / 13));
        p = Vector256.FusedMultiplyAdd(p, s2, Vector256.Create(1.0 / 11));
        p = Vector256.FusedMultiplyAdd(p, s2, Vector256.Create(1.0 / 9));
        p = Vector256.FusedMultiplyAdd(p, s2, Vector256.Create(1.0 / 7));
        p = Vector256.FusedMultiplyAdd(p, s2, Vector256.Create(1.0 / 5));
        p = Vector256.FusedMultiplyAdd(p, s2, Vector256.Create(1.0 / 3));
        p = Vector256.FusedMultiplyAdd(p, s2, Vector256<double>.One);
        return (s + s) * p;
    }

    /// <summary>
    /// tanh(log(1 + eˣ)), Mish's gate, without cancellation: with e = e^(−|x|), for x ≤ 0 n = e(e + 2) and
    /// t = n/(n + 2); for x &gt; 0 n = 1 + 2e and t = n/(n + 2e²) (both are ((1 + eˣ)² − 1)/((1 + eˣ)² + 1)).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<double> MishGate(Vector256<double> x, Vector256<double> e)
    {
        Vector256<double> two = Vector256.Create(2.0);
        Vector256<double> negative = Vector256.FusedMultiplyAdd(e, e, e + e);
        Vector256<double> positive = Vector256.FusedMultiplyAdd(e, two, Vector256<double>.One);
        Vector256<double> nonPositive = Vector256.LessThanOrEqual(x, Vector256<double>.Zero);
        Vector256<double> n = Vector256.ConditionalSelect(nonPositive, negative, positive);
        Vector256<double> d = Vector256.ConditionalSelect(nonPositive, negative + two, Vector256.FusedMultiplyAdd(e * e, two, positive));
        return n / d;
    }

    /// <summary>s = σ(z), c = 1 − σ(z), from e = e^(−|z|): 1/(1 + e) and e/(1 + e), each to a few double ulp.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Sigmoid(Vector512<double> z, out Vector512<double> s, out Vector512<double> c)
    {
        Vector512<double> e = DoubleExp.ExpNonPositive(-Vector512.Abs(z));
        Vector512<double> r = Vector512<double>.One / (Vector512<double>.One + e);
        Vector512<double> er = e * r;
        Vector512<double> positive = Vector512.GreaterThanOrEqual(z, Vector512<double>.Zero);
        s = Vector512.ConditionalSelect(positive, r, er);
        c = Vector512.ConditionalSelect(positive, er, r);
    }

    /// <summary>
    /// log(1 + u) for 0 ≤ u ≤ 1 as 2·atanh(s), s = u/(2 + u) ≤ ⅓: 2s·Σ s²ᵏ/(2k + 1) to k = 10 (truncation below
    /// (1/9)¹¹ relative, 3e-11).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<double> Log1pUnit(Vector512<double> u)
    {
        Vector512<double> s = u / (Vector512.Create(2.0) + u);
        Vector512<double> s2 = s * s;
        Vector512<double> p = Vector512.Create(1.0 / 21);
        p = Vector512.FusedMultiplyAdd(p, s2, Vector512.Create(1.0 / 19));
        p = Vector512.FusedMultiplyAdd(p, s2, Vector512.Create(1.0 / 17));
        p = Vector512.FusedMultiplyAdd(p, s2, Vector512.Create(1.0 / 15));
        p = Vector512.FusedMultiplyAdd(p, s2, Vector512.Create(1.0 / 13));
        p = Vector512.FusedMultiplyAdd(p, s2, Vector512.Create(1.0 / 11));
        p = Vector512.FusedMultiplyAdd(p, s2, Vector512.Create(1.0 / 9));
        p = Vector512.FusedMultiplyAdd(p, s2, Vector512.Create(1.0 / 7));
        p = Vector512.FusedMultiplyAdd(p, s2, Vector512.Create(1.0 / 5));
        p = Vector512.FusedMultiplyAdd(p, s2, Vector512.Create(1.0 / 3));
        p = Vector512.FusedMultiplyAdd(p, s2, Vector512<double>.One);
        return (s + s) * p;
    }

    /// <summary>
    /// tanh(log(1 + eˣ)), Mish's gate, without cancellation: with e = e^(−|x|), for x ≤ 0 n = e(e + 2) and
    /// t = n/(n + 2); for x &gt; 0 n = 1 + 2e and t = n/(n + 2e²) (both are ((1 + eˣ)² − 1)/((1 + eˣ)² + 1)).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<double> MishGate(Vector512<double> x, Vector512<double> e)
    {
        Vector512<double> two = Vector512.Create(2.0);
        Vector512<double> negative = Vector512.FusedMultiplyAdd(e, e, e + e);
        Vector512<double> positive = Vector512.FusedMultiplyAdd(e, two, Vector512<double>.One);
        Vector512<double> nonPositive = Vector512.LessThanOrEqual(x, Vector512<double>.Zero);
        Vector512<double> n = Vector512.ConditionalSelect(nonPositive, negative, positive);
        Vector512<double> d = Vector512.ConditionalSelect(nonPositive, negative + two, Vector512.FusedMultiplyAdd(e * e, two, positive));
        return n / d;
    }
}

/// <summary>x·σ(x), SiLU (<see cref="SiluFunction"/> for ±∞ and NaN).</summary>
internal readonly struct SiluKernel : IWidenedUnary
{
    public bool HasSpecials => true;

    public double Scalar(double x) => default(SiluFunction).Invoke(x);

    public Vector128<double> Invoke(Vector128<double> x)
    {
        WidenedMath.Sigmoid(x, out Vector128<double> s, out _);
        return x * s;
    }

    public Vector256<double> Invoke(Vector256<double> x)
    {
        WidenedMath.Sigmoid(x, out Vector256<double> s, out _);
        return x * s;
    }

    public Vector512<double> Invoke(Vector512<double> x)
    {
        WidenedMath.Sigmoid(x, out Vector512<double> s, out _);
        return x * s;
    }
}

/// <summary>g·σ(x)·(1 + x·(1 − σ(x))), SiLU's backward (specials: the same formula in double).</summary>
internal readonly struct SiluBackwardKernel : IWidenedBinary
{
    public bool HasSpecials => true;

    public double Scalar(double g, double x) => g * (1 / (1 + Math.Exp(-x))) * ((x * (1 - (1 / (1 + Math.Exp(-x))))) + 1);

    public Vector128<double> Invoke(Vector128<double> g, Vector128<double> x)
    {
        WidenedMath.Sigmoid(x, out Vector128<double> s, out Vector128<double> c);
        return g * s * Vector128.FusedMultiplyAdd(x, c, Vector128<double>.One);
    }

    public Vector256<double> Invoke(Vector256<double> g, Vector256<double> x)
    {
        WidenedMath.Sigmoid(x, out Vector256<double> s, out Vector256<double> c);
        return g * s * Vector256.FusedMultiplyAdd(x, c, Vector256<double>.One);
    }

    public Vector512<double> Invoke(Vector512<double> g, Vector512<double> x)
    {
        WidenedMath.Sigmoid(x, out Vector512<double> s, out Vector512<double> c);
        return g * s * Vector512.FusedMultiplyAdd(x, c, Vector512<double>.One);
    }
}

/// <summary>x·tanh(log(1 + eˣ)), Mish (<see cref="MishFunction"/> for ±∞ and NaN).</summary>
internal readonly struct MishKernel : IWidenedUnary
{
    public bool HasSpecials => true;

    public double Scalar(double x) => default(MishFunction).Invoke(x);

    public Vector128<double> Invoke(Vector128<double> x)
    {
        return x * WidenedMath.MishGate(x, DoubleExp.ExpNonPositive(-Vector128.Abs(x)));
    }

    public Vector256<double> Invoke(Vector256<double> x)
    {
        return x * WidenedMath.MishGate(x, DoubleExp.ExpNonPositive(-Vector256.Abs(x)));
    }

    public Vector512<double> Invoke(Vector512<double> x)
    {
        return x * WidenedMath.MishGate(x, DoubleExp.ExpNonPositive(-Vector512.Abs(x)));
    }
}

/// <summary>g·(t + x·σ(x)·(1 − t²)), t = tanh(log(1 + eˣ)): Mish's backward.</summary>
internal readonly struct MishBackwardKernel : IWidenedBinary
{
    public bool HasSpecials => true;

    public double Scalar(double g, double x) => g * (Math.Tanh(ActivationKernels.Log1p(Math.Exp(x))) + (x / (1 + Math.Exp(-x)) * (1 - (Math.Tanh(ActivationKernels.Log1p(Math.Exp(x))) * Math.Tanh(ActivationKernels.Log1p(Math.Exp(x)))))));

    public Vector128<double> Invoke(Vector128<double> g, Vector128<double> x)
    {
        Vector128<double> e = DoubleExp.ExpNonPositive(-Vector128.Abs(x));
        Vector128<double> t = WidenedMath.MishGate(x, e);
        Vector128<double> r = Vector128<double>.One / (Vector128<double>.One + e);
        Vector128<double> s = Vector128.ConditionalSelect(Vector128.GreaterThanOrEqual(x, Vector128<double>.Zero), r, e * r);
        return g * Vector128.FusedMultiplyAdd(x * s, Vector128.FusedMultiplyAdd(-t, t, Vector128<double>.One), t);
    }

    public Vector256<double> Invoke(Vector256<double> g, Vector256<double> x)
    {
        Vector256<double> e = DoubleExp.ExpNonPositive(-Vector256.Abs(x));
        Vector256<double> t = WidenedMath.MishGate(x, e);
        Vector256<double> r = Vector256<double>.One / (Vector256<double>.One + e);
        Vector256<double> s = Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(x, Vector256<double>.Zero), r, e * r);
        return g * Vector256.FusedMultiplyAdd(x * s, Vector256.FusedMultiplyAdd(-t, t, Vector256<double>.One), t);
    }

    public Vector512<double> Invoke(Vector512<double> g, Vector512<double> x)
    {
        Vector512<double> e = DoubleExp.ExpNonPositive(-Vector512.Abs(x));
        Vector512<double> t = WidenedMath.MishGate(x, e);
        Vector512<double> r = Vector512<double>.One / (Vector512<double>.One + e);
        Vector512<double> s = Vector512.ConditionalSelect(Vector512.GreaterThanOrEqual(x, Vector512<double>.Zero), r, e * r);
        return g * Vector512.FusedMultiplyAdd(x * s, Vector512.FusedMultiplyAdd(-t, t, Vector512<double>.One), t);
    }
}

/// <summary>min(x, 0) − log(1 + e^(−|x|)) = log σ(x) (<see cref="LogSigmoidFunction"/> for ±∞ and NaN).</summary>
internal readonly struct LogSigmoidKernel : IWidenedUnary
{
    public bool HasSpecials => true;

    public double Scalar(double x) => default(LogSigmoidFunction).Invoke(x);

    public Vector128<double> Invoke(Vector128<double> x)
    {
        return Vector128.Min(x, Vector128<double>.Zero) - WidenedMath.Log1pUnit(DoubleExp.ExpNonPositive(-Vector128.Abs(x)));
    }

    public Vector256<double> Invoke(Vector256<double> x)
    {
        return Vector256.Min(x, Vector256<double>.Zero) - WidenedMath.Log1pUnit(DoubleExp.ExpNonPositive(-Vector256.Abs(x)));
    }

    public Vector512<double> Invoke(Vector512<double> x)
    {
        return Vector512.Min(x, Vector512<double>.Zero) - WidenedMath.Log1pUnit(DoubleExp.ExpNonPositive(-Vector512.Abs(x)));
    }
}

/// <summary>g·σ(−x) = g·(1 − σ(x)): log σ's backward.</summary>
internal readonly struct LogSigmoidBackwardKernel : IWidenedBinary
{
    public bool HasSpecials => true;

    public double Scalar(double g, double x) => g * (1 / (1 + Math.Exp(x)));

    public Vector128<double> Invoke(Vector128<double> g, Vector128<double> x)
    {
        WidenedMath.Sigmoid(x, out _, out Vector128<double> c);
        return g * c;
    }

    public Vector256<double> Invoke(Vector256<double> g, Vector256<double> x)
    {
        WidenedMath.Sigmoid(x, out _, out Vector256<double> c);
        return g * c;
    }

    public Vector512<double> Invoke(Vector512<double> g, Vector512<double> x)
    {
        WidenedMath.Sigmoid(x, out _, out Vector512<double> c);
        return g * c;
    }
}

/// <summary>βx &gt; τ ? x : (max(βx, 0) + log(1 + e^(−|βx|)))/β, softplus (<see cref="SoftplusFunction"/> for ±∞ and NaN; the op takes this kernel only for β &gt; 0 and τ ≤ 700, where e^(βx) cannot overflow the scalar formula's double).</summary>
internal readonly struct SoftplusKernel(double beta, double threshold) : IWidenedUnary
{
    public bool HasSpecials => true;

    public double Scalar(double x) => new SoftplusFunction(beta, threshold).Invoke(x);

    public Vector128<double> Invoke(Vector128<double> x)
    {
        Vector128<double> z = x * beta;
        Vector128<double> soft = (Vector128.Max(z, Vector128<double>.Zero) + WidenedMath.Log1pUnit(DoubleExp.ExpNonPositive(-Vector128.Abs(z)))) / Vector128.Create(beta);
        return Vector128.ConditionalSelect(Vector128.GreaterThan(z, Vector128.Create(threshold)), x, soft);
    }

    public Vector256<double> Invoke(Vector256<double> x)
    {
        Vector256<double> z = x * beta;
        Vector256<double> soft = (Vector256.Max(z, Vector256<double>.Zero) + WidenedMath.Log1pUnit(DoubleExp.ExpNonPositive(-Vector256.Abs(z)))) / Vector256.Create(beta);
        return Vector256.ConditionalSelect(Vector256.GreaterThan(z, Vector256.Create(threshold)), x, soft);
    }

    public Vector512<double> Invoke(Vector512<double> x)
    {
        Vector512<double> z = x * beta;
        Vector512<double> soft = (Vector512.Max(z, Vector512<double>.Zero) + WidenedMath.Log1pUnit(DoubleExp.ExpNonPositive(-Vector512.Abs(z)))) / Vector512.Create(beta);
        return Vector512.ConditionalSelect(Vector512.GreaterThan(z, Vector512.Create(threshold)), x, soft);
    }
}

/// <summary>βx &gt; τ ? g : g·σ(βx): softplus's backward.</summary>
internal readonly struct SoftplusBackwardKernel(double beta, double threshold) : IWidenedBinary
{
    public bool HasSpecials => true;

    public double Scalar(double g, double x) => x * beta > threshold ? g : g * (1 / (1 + Math.Exp(-(x * beta))));

    public Vector128<double> Invoke(Vector128<double> g, Vector128<double> x)
    {
        Vector128<double> z = x * beta;
        WidenedMath.Sigmoid(z, out Vector128<double> s, out _);
        return Vector128.ConditionalSelect(Vector128.GreaterThan(z, Vector128.Create(threshold)), g, g * s);
    }

    public Vector256<double> Invoke(Vector256<double> g, Vector256<double> x)
    {
        Vector256<double> z = x * beta;
        WidenedMath.Sigmoid(z, out Vector256<double> s, out _);
        return Vector256.ConditionalSelect(Vector256.GreaterThan(z, Vector256.Create(threshold)), g, g * s);
    }

    public Vector512<double> Invoke(Vector512<double> g, Vector512<double> x)
    {
        Vector512<double> z = x * beta;
        WidenedMath.Sigmoid(z, out Vector512<double> s, out _);
        return Vector512.ConditionalSelect(Vector512.GreaterThan(z, Vector512.Create(threshold)), g, g * s);
    }
}

/// <summary>x &gt; 0 ? x : x·slope, leaky_relu (exactly <see cref="LeakyReluFunction"/>; NaN stays NaN).</summary>
internal readonly struct LeakyReluKernel(double slope) : IWidenedUnary
{
    public bool HasSpecials => false;

    public double Scalar(double x) => new LeakyReluFunction(slope).Invoke(x);

    public Vector128<double> Invoke(Vector128<double> x)
    {
        return Vector128.ConditionalSelect(Vector128.GreaterThan(x, Vector128<double>.Zero), x, x * slope);
    }

    public Vector256<double> Invoke(Vector256<double> x)
    {
        return Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256<double>.Zero), x, x * slope);
    }

    public Vector512<double> Invoke(Vector512<double> x)
    {
        return Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512<double>.Zero), x, x * slope);
    }
}

/// <summary>x &gt; 0 ? g : g·slope, leaky_relu's backward (NaN x takes the slope).</summary>
internal readonly struct LeakyReluBackwardKernel(double slope) : IWidenedBinary
{
    public bool HasSpecials => false;

    public double Scalar(double g, double x) => x > 0 ? g : g * slope;

    public Vector128<double> Invoke(Vector128<double> g, Vector128<double> x)
    {
        return Vector128.ConditionalSelect(Vector128.GreaterThan(x, Vector128<double>.Zero), g, g * slope);
    }

    public Vector256<double> Invoke(Vector256<double> g, Vector256<double> x)
    {
        return Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256<double>.Zero), g, g * slope);
    }

    public Vector512<double> Invoke(Vector512<double> g, Vector512<double> x)
    {
        return Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512<double>.Zero), g, g * slope);
    }
}

/// <summary>x·clamp(x + 3, 0, 6)/6, hardswish (exactly <see cref="HardswishFunction"/>; NaN stays NaN).</summary>
internal readonly struct HardswishKernel : IWidenedUnary
{
    public bool HasSpecials => false;

    public double Scalar(double x) => default(HardswishFunction).Invoke(x);

    public Vector128<double> Invoke(Vector128<double> x)
    {
        Vector128<double> shifted = x + Vector128.Create(3.0);
        Vector128<double> c = Vector128.ConditionalSelect(Vector128.LessThan(shifted, Vector128<double>.Zero), Vector128<double>.Zero, Vector128.ConditionalSelect(Vector128.GreaterThan(shifted, Vector128.Create(6.0)), Vector128.Create(6.0), shifted));
        return x * c / Vector128.Create(6.0);
    }

    public Vector256<double> Invoke(Vector256<double> x)
    {
        Vector256<double> shifted = x + Vector256.Create(3.0);
        Vector256<double> c = Vector256.ConditionalSelect(Vector256.LessThan(shifted, Vector256<double>.Zero), Vector256<double>.Zero, Vector256.ConditionalSelect(Vector256.GreaterThan(shifted, Vector256.Create(6.0)), Vector256.Create(6.0), shifted));
        return x * c / Vector256.Create(6.0);
    }

    public Vector512<double> Invoke(Vector512<double> x)
    {
        Vector512<double> shifted = x + Vector512.Create(3.0);
        Vector512<double> c = Vector512.ConditionalSelect(Vector512.LessThan(shifted, Vector512<double>.Zero), Vector512<double>.Zero, Vector512.ConditionalSelect(Vector512.GreaterThan(shifted, Vector512.Create(6.0)), Vector512.Create(6.0), shifted));
        return x * c / Vector512.Create(6.0);
    }
}

/// <summary>x &lt; −3 ? 0 : x ≥ 3 ? g : g·(x/3 + ½), hardswish's backward (NaN x gives NaN).</summary>
internal readonly struct HardswishBackwardKernel : IWidenedBinary
{
    public bool HasSpecials => false;

    public double Scalar(double g, double x) => x < -3 ? 0 : x >= 3 ? g : g * ((x * (1.0 / 3)) + 0.5);

    public Vector128<double> Invoke(Vector128<double> g, Vector128<double> x)
    {
        Vector128<double> inner = g * ((x * (1.0 / 3)) + Vector128.Create(0.5));
        return Vector128.ConditionalSelect(Vector128.LessThan(x, Vector128.Create(-3.0)), Vector128<double>.Zero, Vector128.ConditionalSelect(Vector128.GreaterThanOrEqual(x, Vector128.Create(3.0)), g, inner));
    }

    public Vector256<double> Invoke(Vector256<double> g, Vector256<double> x)
    {
        Vector256<double> inner = g * ((x * (1.0 / 3)) + Vector256.Create(0.5));
        return Vector256.ConditionalSelect(Vector256.LessThan(x, Vector256.Create(-3.0)), Vector256<double>.Zero, Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(x, Vector256.Create(3.0)), g, inner));
    }

    public Vector512<double> Invoke(Vector512<double> g, Vector512<double> x)
    {
        Vector512<double> inner = g * ((x * (1.0 / 3)) + Vector512.Create(0.5));
        return Vector512.ConditionalSelect(Vector512.LessThan(x, Vector512.Create(-3.0)), Vector512<double>.Zero, Vector512.ConditionalSelect(Vector512.GreaterThanOrEqual(x, Vector512.Create(3.0)), g, inner));
    }
}
