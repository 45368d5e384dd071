using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Autograd.Kernels;

/// <summary>
/// tanh x, evaluated in double: the Taylor series x − x³/3 + 2x⁵/15 − 17x⁷/315 + 62x⁹/2835 for |x| &lt; 1/8
/// (remainder &lt; 2⁻³⁶ relative), where (1 − t)/(1 + t) would cancel, and that quotient with t = e^(−2|x|) beyond. The
/// only sizeable error is the final rounding to float; Cephes' float tanhf measured 1.24 ulp here, hence double.
/// Saturates to exactly ±1; NaN stays NaN. Max error: see VectorMathTests.
/// </summary>
internal readonly struct TanhOperator : IUnaryOperator
{
    private const double SmallLimit = 0.125;
    private const double T3 = -1.0 / 3;
    private const double T5 = 2.0 / 15;
    private const double T7 = -17.0 / 315;
    private const double T9 = 62.0 / 2835;

    /// <summary>The scalar path is the Vector128 path on one lane, so every length gives identical values.</summary>
    public static float Invoke(float x) => Invoke(Vector128.CreateScalarUnsafe(x)).ToScalar();

    public static Vector128<float> Invoke(Vector128<float> x)
    {
        (Vector128<double> lower, Vector128<double> upper) = Vector128.Widen(x);
        Vector128<float> result = Vector128.Narrow(Core(lower), Core(upper));

        // NaN stays NaN, and ±0 stays ±0 (the series' x + x·z·P(z) turns −0 into +0).
        Vector128<float> passThrough = ~Vector128.Equals(x, x) | Vector128.Equals(x, Vector128<float>.Zero);
        return Vector128.ConditionalSelect(passThrough, x, result);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<double> Core(Vector128<double> x)
    {
        // |x| < 1/8: the odd series.
        Vector128<double> z = x * x;
        Vector128<double> p = Vector128.Create(T9);
        p = Vector128.FusedMultiplyAdd(p, z, Vector128.Create(T7));
        p = Vector128.FusedMultiplyAdd(p, z, Vector128.Create(T5));
        p = Vector128.FusedMultiplyAdd(p, z, Vector128.Create(T3));
        Vector128<double> small = Vector128.FusedMultiplyAdd(p * z, x, x);

        // |x| ≥ 1/8: (1 − t)/(1 + t) with t = e^(−2|x|); 1 − t ≥ 0.22, so t's relative error 2⁻³⁶ stays below 2⁻³⁴.
        Vector128<double> ax = Vector128.Abs(x);
        Vector128<double> t = DoubleExp.ExpNonPositive(-(ax + ax));
        Vector128<double> large = (Vector128<double>.One - t) / (Vector128<double>.One + t);
        large |= x & Vector128.Create(-0.0);
        return Vector128.ConditionalSelect(Vector128.LessThan(ax, Vector128.Create(SmallLimit)), small, large);
    }

    public static Vector256<float> Invoke(Vector256<float> x)
    {
        (Vector256<double> lower, Vector256<double> upper) = Vector256.Widen(x);
        Vector256<float> result = Vector256.Narrow(Core(lower), Core(upper));

        // NaN stays NaN, and ±0 stays ±0 (the series' x + x·z·P(z) turns −0 into +0).
        Vector256<float> passThrough = ~Vector256.Equals(x, x) | Vector256.Equals(x, Vector256<float>.Zero);
        return Vector256.ConditionalSelect(passThrough, x, result);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> Core(Vector256<double> x)
    {
        // |x| < 1/8: the odd series.
        Vector256<double> z = x * x;
        Vector256<double> p = Vector256.Create(T9);
        p = Vector256.FusedMultiplyAdd(p, z, Vector256.Create(T7));
        p = Vector256.FusedMultiplyAdd(p, z, Vector256.Create(T5));
        p = Vector256.FusedMultiplyAdd(p, z, Vector256.Create(T3));
        Vector256<double> small = Vector256.FusedMultiplyAdd(p * z, x, x);

        // |x| ≥ 1/8: (1 − t)/(1 + t) with t = e^(−2|x|); 1 − t ≥ 0.22, so t's relative error 2⁻³⁶ stays below 2⁻³⁴.
        Vector256<double> ax = Vector256.Abs(x);
        Vector256<double> t = DoubleExp.ExpNonPositive(-(ax + ax));
        Vector256<double> large = (Vector256<double>.One - t) / (Vector256<double>.One + t);
        large |= x & Vector256.Create(-0.0);
        return Vector256.ConditionalSelect(Vector256.LessThan(ax, Vector256.Create(SmallLimit)), small, large);
    }

    public static Vector512<float> Invoke(Vector512<float> x)
    {
        (Vector512<double> lower, Vector512<double> upper) = Vector512.Widen(x);
        Vector512<float> result = Vector512.Narrow(Core(lower), Core(upper));

        // NaN stays NaN, and ±0 stays ±0 (the series' x + x·z·P(z) turns −0 into +0).
        Vector512<float> passThrough = ~Vector512.Equals(x, x) | Vector512.Equals(x, Vector512<float>.Zero);
        return Vector512.ConditionalSelect(passThrough, x, result);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<double> Core(Vector512<double> x)
    {
        // |x| < 1/8: the odd series.
        Vector512<double> z = x * x;
        Vector512<double> p = Vector512.Create(T9);
        p = Vector512.FusedMultiplyAdd(p, z, Vector512.Create(T7));
        p = Vector512.FusedMultiplyAdd(p, z, Vector512.Create(T5));
        p = Vector512.FusedMultiplyAdd(p, z, Vector512.Create(T3));
        Vector512<double> small = Vector512.FusedMultiplyAdd(p * z, x, x);

        // |x| ≥ 1/8: (1 − t)/(1 + t) with t = e^(−2|x|); 1 − t ≥ 0.22, so t's relative error 2⁻³⁶ stays below 2⁻³⁴.
        Vector512<double> ax = Vector512.Abs(x);
        Vector512<double> t = DoubleExp.ExpNonPositive(-(ax + ax));
        Vector512<double> large = (Vector512<double>.One - t) / (Vector512<double>.One + t);
        large |= x & Vector512.Create(-0.0);
        return Vector512.ConditionalSelect(Vector512.LessThan(ax, Vector512.Create(SmallLimit)), small, large);
    }
}
