using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Autograd.Kernels;

/// <summary>
/// σ(x) = 1 / (1 + e⁻ˣ), evaluated in double with t = e^(−|x|) ∈ (0, 1] so nothing overflows: σ = 1/(1 + t) for
/// x ≥ 0 and t/(1 + t) for x &lt; 0 (full relative accuracy for tiny results, down into the subnormals). The only
/// sizeable error is the final rounding to float. In float arithmetic the same formula measured 2.3 ulp (the roundings
/// of t, 1 + t and the quotient add up), hence double. Saturates to exactly 0 and 1 at ∓∞; NaN stays NaN.
/// Max error: see VectorMathTests.
/// </summary>
internal readonly struct SigmoidOperator : IUnaryOperator
{
    /// <summary>The scalar path is the Vector128 path on one lane, so every length gives identical values.</summary>
    public static float Invoke(float x) => Invoke(Vector128.CreateScalarUnsafe(x)).ToScalar();

    public static Vector128<float> Invoke(Vector128<float> x)
    {
        (Vector128<double> lower, Vector128<double> upper) = Vector128.Widen(x);
        Vector128<float> result = Vector128.Narrow(Core(lower), Core(upper));
        return Vector128.ConditionalSelect(Vector128.Equals(x, x), result, x);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<double> Core(Vector128<double> x)
    {
        Vector128<double> t = DoubleExp.ExpNonPositive(-Vector128.Abs(x));
        Vector128<double> numerator = Vector128.ConditionalSelect(Vector128.LessThan(x, Vector128<double>.Zero), t, Vector128<double>.One);
        return numerator / (Vector128<double>.One + t);
    }

    public static Vector256<float> Invoke(Vector256<float> x)
    {
        (Vector256<double> lower, Vector256<double> upper) = Vector256.Widen(x);
        Vector256<float> result = Vector256.Narrow(Core(lower), Core(upper));
        return Vector256.ConditionalSelect(Vector256.Equals(x, x), result, x);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> Core(Vector256<double> x)
    {
        Vector256<double> t = DoubleExp.ExpNonPositive(-Vector256.Abs(x));
        Vector256<double> numerator = Vector256.ConditionalSelect(Vector256.LessThan(x, Vector256<double>.Zero), t, Vector256<double>.One);
        return numerator / (Vector256<double>.One + t);
    }

    public static Vector512<float> Invoke(Vector512<float> x)
    {
        (Vector512<double> lower, Vector512<double> upper) = Vector512.Widen(x);
        Vector512<float> result = Vector512.Narrow(Core(lower), Core(upper));
        return Vector512.ConditionalSelect(Vector512.Equals(x, x), result, x);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<double> Core(Vector512<double> x)
    {
        Vector512<double> t = DoubleExp.ExpNonPositive(-Vector512.Abs(x));
        Vector512<double> numerator = Vector512.ConditionalSelect(Vector512.LessThan(x, Vector512<double>.Zero), t, Vector512<double>.One);
        return numerator / (Vector512<double>.One + t);
    }
}
