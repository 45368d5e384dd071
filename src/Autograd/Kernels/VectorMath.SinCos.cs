using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Autograd.Kernels;

/// <summary>
/// sin and cos of floats, evaluated in double: r = x − n·π/2 with n = round(x·2/π) and π/2 in two parts
/// (33 + 53 bits, FMA), then Taylor polynomials for sin r and cos r on |r| ≤ π/4 (truncation &lt; 2⁻³⁵ relative), so the
/// only sizeable error is the final rounding to float. Lanes with |x| &gt; 2²⁰ (and ±∞) go to the scalar
/// <see cref="MathF.Sin(float)"/>/<see cref="MathF.Cos(float)"/>, whose reduction is exact for every float.
/// Max error: see VectorMathTests.Sin_UlpError and Cos_UlpError.
/// </summary>
internal static class SinCos
{
    internal const float VectorLimit = 1048576f;

    private const double TwoOverPi = 0.636619772367581343075535053490057448;
    private const double Shifter = 6755399441055744.0;
    private const double PiOver2Hi = 1.57079632673412561417e+00;
    private const double PiOver2Lo = 6.07710050650619224932e-11;

    private const double S1 = -1.0 / 6;
    private const double S2 = 1.0 / 120;
    private const double S3 = -1.0 / 5040;
    private const double S4 = 1.0 / 362880;
    private const double S5 = -1.0 / 39916800;
    private const double S6 = 1.0 / 6227020800;

    private const double C1 = -1.0 / 2;
    private const double C2 = 1.0 / 24;
    private const double C3 = -1.0 / 720;
    private const double C4 = 1.0 / 40320;
    private const double C5 = -1.0 / 3628800;
    private const double C6 = 1.0 / 479001600;
    private const double C7 = -1.0 / 87178291200;

    /// <summary>sin x (quadrantOffset 0) or cos x = sin(x + π/2) (quadrantOffset 1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector128<float> Evaluate(Vector128<float> x, long quadrantOffset)
    {
        (Vector128<double> lower, Vector128<double> upper) = Vector128.Widen(x);
        Vector128<float> result = Vector128.Narrow(Core(lower, quadrantOffset), Core(upper, quadrantOffset));
        if (Vector128.GreaterThanAny(Vector128.Abs(x), Vector128.Create(VectorLimit)))
        {
            result = Fallback(x, result, quadrantOffset);
        }

        return result;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<double> Core(Vector128<double> x, long quadrantOffset)
    {
        // k = x·2/π + 1.5·2⁵², so n = k − 1.5·2⁵² = round(x·2/π) and k's low mantissa bits hold n mod 4.
        Vector128<double> k = Vector128.FusedMultiplyAdd(x, Vector128.Create(TwoOverPi), Vector128.Create(Shifter));
        Vector128<double> n = k - Vector128.Create(Shifter);
        Vector128<double> r = Vector128.FusedMultiplyAdd(n, Vector128.Create(-PiOver2Hi), x);
        r = Vector128.FusedMultiplyAdd(n, Vector128.Create(-PiOver2Lo), r);
        Vector128<long> quadrant = k.AsInt64() + Vector128.Create(quadrantOffset);

        Vector128<double> r2 = r * r;
        Vector128<double> s = Vector128.Create(S6);
        s = Vector128.FusedMultiplyAdd(s, r2, Vector128.Create(S5));
        s = Vector128.FusedMultiplyAdd(s, r2, Vector128.Create(S4));
        s = Vector128.FusedMultiplyAdd(s, r2, Vector128.Create(S3));
        s = Vector128.FusedMultiplyAdd(s, r2, Vector128.Create(S2));
        s = Vector128.FusedMultiplyAdd(s, r2, Vector128.Create(S1));
        Vector128<double> sine = Vector128.FusedMultiplyAdd(s * r2, r, r);

        Vector128<double> c = Vector128.Create(C7);
        c = Vector128.FusedMultiplyAdd(c, r2, Vector128.Create(C6));
        c = Vector128.FusedMultiplyAdd(c, r2, Vector128.Create(C5));
        c = Vector128.FusedMultiplyAdd(c, r2, Vector128.Create(C4));
        c = Vector128.FusedMultiplyAdd(c, r2, Vector128.Create(C3));
        c = Vector128.FusedMultiplyAdd(c, r2, Vector128.Create(C2));
        c = Vector128.FusedMultiplyAdd(c, r2, Vector128.Create(C1));
        Vector128<double> cosine = Vector128.FusedMultiplyAdd(c, r2, Vector128<double>.One);

        // Quadrant q: sin(r + qπ/2) = sin r, cos r, −sin r, −cos r.
        Vector128<double> odd = Vector128.Equals(quadrant & Vector128<long>.One, Vector128<long>.One).AsDouble();
        Vector128<double> result = Vector128.ConditionalSelect(odd, cosine, sine);
        return result ^ Vector128.ShiftLeft(quadrant >> 1, 63).AsDouble();
    }

    private static Vector128<float> Fallback(Vector128<float> x, Vector128<float> result, long quadrantOffset)
    {
        Span<float> xs = stackalloc float[Vector128<float>.Count];
        Span<float> rs = stackalloc float[Vector128<float>.Count];
        x.CopyTo(xs);
        result.CopyTo(rs);
        for (int j = 0; j < xs.Length; j++)
        {
            if (!(MathF.Abs(xs[j]) <= VectorLimit))
            {
                rs[j] = quadrantOffset == 0 ? MathF.Sin(xs[j]) : MathF.Cos(xs[j]);
            }
        }

        return Vector128.Create((ReadOnlySpan<float>)rs);
    }

    /// <summary>sin x (quadrantOffset 0) or cos x = sin(x + π/2) (quadrantOffset 1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<float> Evaluate(Vector256<float> x, long quadrantOffset)
    {
        (Vector256<double> lower, Vector256<double> upper) = Vector256.Widen(x);
        Vector256<float> result = Vector256.Narrow(Core(lower, quadrantOffset), Core(upper, quadrantOffset));
        if (Vector256.GreaterThanAny(Vector256.Abs(x), Vector256.Create(VectorLimit)))
        {
            result = Fallback(x, result, quadrantOffset);
        }

        return result;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> Core(Vector256<double> x, long quadrantOffset)
    {
        // k = x·2/π + 1.5·2⁵², so n = k − 1.5·2⁵² = round(x·2/π) and k's low mantissa bits hold n mod 4.
        Vector256<double> k = Vector256.FusedMultiplyAdd(x, Vector256.Create(TwoOverPi), Vector256.Create(Shifter));
        Vector256<double> n = k - Vector256.Create(Shifter);
        Vector256<double> r = Vector256.FusedMultiplyAdd(n, Vector256.Create(-PiOver2Hi), x);
        r = Vector256.FusedMultiplyAdd(n, Vector256.Create(-PiOver2Lo), r);
        Vector256<long> quadrant = k.AsInt64() + Vector256.Create(quadrantOffset);

        Vector256<double> r2 = r * r;
        Vector256<double> s = Vector256.Create(S6);
        s = Vector256.FusedMultiplyAdd(s, r2, Vector256.Create(S5));
        s = Vector256.FusedMultiplyAdd(s, r2, Vector256.Create(S4));
        s = Vector256.FusedMultiplyAdd(s, r2, Vector256.Create(S3));
        s = Vector256.FusedMultiplyAdd(s, r2, Vector256.Create(S2));
        s = Vector256.FusedMultiplyAdd(s, r2, Vector256.Create(S1));
        Vector256<double> sine = Vector256.FusedMultiplyAdd(s * r2, r, r);

        Vector256<double> c = Vector256.Create(C7);
        c = Vector256.FusedMultiplyAdd(c, r2, Vector256.Create(C6));
        c = Vector256.FusedMultiplyAdd(c, r2, Vector256.Create(C5));
        c = Vector256.FusedMultiplyAdd(c, r2, Vector256.Create(C4));
        c = Vector256.FusedMultiplyAdd(c, r2, Vector256.Create(C3));
        c = Vector256.FusedMultiplyAdd(c, r2, Vector256.Create(C2));
        c = Vector256.FusedMultiplyAdd(c, r2, Vector256.Create(C1));
        Vector256<double> cosine = Vector256.FusedMultiplyAdd(c, r2, Vector256<double>.One);

        // Quadrant q: sin(r + qπ/2) = sin r, cos r, −sin r, −cos r.
        Vector256<double> odd = Vector256.Equals(quadrant & Vector256<long>.One, Vector256<long>.One).AsDouble();
        Vector256<double> result = Vector256.ConditionalSelect(odd, cosine, sine);
        return result ^ Vector256.ShiftLeft(quadrant >> 1, 63).AsDouble();
    }

    private static Vector256<float> Fallback(Vector256<float> x, Vector256<float> result, long quadrantOffset)
    {
        Span<float> xs = stackalloc float[Vector256<float>.Count];
        Span<float> rs = stackalloc float[Vector256<float>.Count];
        x.CopyTo(xs);
        result.CopyTo(rs);
        for (int j = 0; j < xs.Length; j++)
        {
            if (!(MathF.Abs(xs[j]) <= VectorLimit))
            {
                rs[j] = quadrantOffset == 0 ? MathF.Sin(xs[j]) : MathF.Cos(xs[j]);
            }
        }

        return Vector256.Create((ReadOnlySpan<float>)rs);
    }

    /// <summary>sin x (quadrantOffset 0) or cos x = sin(x + π/2) (quadrantOffset 1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<float> Evaluate(Vector512<float> x, long quadrantOffset)
    {
        (Vector512<double> lower, Vector512<double> upper) = Vector512.Widen(x);
        Vector512<float> result = Vector512.Narrow(Core(lower, quadrantOffset), Core(upper, quadrantOffset));
        if (Vector512.GreaterThanAny(Vector512.Abs(x), Vector512.Create(VectorLimit)))
        {
            result = Fallback(x, result, quadrantOffset);
        }

        return result;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<double> Core(Vector512<double> x, long quadrantOffset)
    {
        // k = x·2/π + 1.5·2⁵², so n = k − 1.5·2⁵² = round(x·2/π) and k's low mantissa bits hold n mod 4.
        Vector512<double> k = Vector512.FusedMultiplyAdd(x, Vector512.Create(TwoOverPi), Vector512.Create(Shifter));
        Vector512<double> n = k - Vector512.Create(Shifter);
        Vector512<double> r = Vector512.FusedMultiplyAdd(n, Vector512.Create(-PiOver2Hi), x);
        r = Vector512.FusedMultiplyAdd(n, Vector512.Create(-PiOver2Lo), r);
        Vector512<long> quadrant = k.AsInt64() + Vector512.Create(quadrantOffset);

        Vector512<double> r2 = r * r;
        Vector512<double> s = Vector512.Create(S6);
        s = Vector512.FusedMultiplyAdd(s, r2, Vector512.Create(S5));
        s = Vector512.FusedMultiplyAdd(s, r2, Vector512.Create(S4));
        s = Vector512.FusedMultiplyAdd(s, r2, Vector512.Create(S3));
        s = Vector512.FusedMultiplyAdd(s, r2, Vector512.Create(S2));
        s = Vector512.FusedMultiplyAdd(s, r2, Vector512.Create(S1));
        Vector512<double> sine = Vector512.FusedMultiplyAdd(s * r2, r, r);

        Vector512<double> c = Vector512.Create(C7);
        c = Vector512.FusedMultiplyAdd(c, r2, Vector512.Create(C6));
        c = Vector512.FusedMultiplyAdd(c, r2, Vector512.Create(C5));
        c = Vector512.FusedMultiplyAdd(c, r2, Vector512.Create(C4));
        c = Vector512.FusedMultiplyAdd(c, r2, Vector512.Create(C3));
        c = Vector512.FusedMultiplyAdd(c, r2, Vector512.Create(C2));
        c = Vector512.FusedMultiplyAdd(c, r2, Vector512.Create(C1));
        Vector512<double> cosine = Vector512.FusedMultiplyAdd(c, r2, Vector512<double>.One);

        // Quadrant q: sin(r + qπ/2) = sin r, cos r, −sin r, −cos r.
        Vector512<double> odd = Vector512.Equals(quadrant & Vector512<long>.One, Vector512<long>.One).AsDouble();
        Vector512<double> result = Vector512.ConditionalSelect(odd, cosine, sine);
        return result ^ Vector512.ShiftLeft(quadrant >> 1, 63).AsDouble();
    }

    private static Vector512<float> Fallback(Vector512<float> x, Vector512<float> result, long quadrantOffset)
    {
        Span<float> xs = stackalloc float[Vector512<float>.Count];
        Span<float> rs = stackalloc float[Vector512<float>.Count];
        x.CopyTo(xs);
        result.CopyTo(rs);
        for (int j = 0; j < xs.Length; j++)
        {
            if (!(MathF.Abs(xs[j]) <= VectorLimit))
            {
                rs[j] = quadrantOffset == 0 ? MathF.Sin(xs[j]) : MathF.Cos(xs[j]);
            }
        }

        return Vector512.Create((ReadOnlySpan<float>)rs);
    }
}

/// <summary>sin x; see <see cref="SinCos"/>. sin(−0) = −0.</summary>
internal readonly struct SinOperator : IUnaryOperator
{
    /// <summary>The scalar path is the Vector128 path on one lane, so every length gives identical values.</summary>
    public static float Invoke(float x) => Invoke(Vector128.CreateScalarUnsafe(x)).ToScalar();

    // r = x − 0·π/2 turns −0 into +0; x itself is the right answer for ±0.
    public static Vector128<float> Invoke(Vector128<float> x) =>
        Vector128.ConditionalSelect(Vector128.Equals(x, Vector128<float>.Zero), x, SinCos.Evaluate(x, 0));

    public static Vector256<float> Invoke(Vector256<float> x) =>
        Vector256.ConditionalSelect(Vector256.Equals(x, Vector256<float>.Zero), x, SinCos.Evaluate(x, 0));

    public static Vector512<float> Invoke(Vector512<float> x) =>
        Vector512.ConditionalSelect(Vector512.Equals(x, Vector512<float>.Zero), x, SinCos.Evaluate(x, 0));
}

/// <summary>cos x; see <see cref="SinCos"/>.</summary>
internal readonly struct CosOperator : IUnaryOperator
{
    /// <summary>The scalar path is the Vector128 path on one lane, so every length gives identical values.</summary>
    public static float Invoke(float x) => Invoke(Vector128.CreateScalarUnsafe(x)).ToScalar();

    public static Vector128<float> Invoke(Vector128<float> x) => SinCos.Evaluate(x, 1);

    public static Vector256<float> Invoke(Vector256<float> x) => SinCos.Evaluate(x, 1);

    public static Vector512<float> Invoke(Vector512<float> x) => SinCos.Evaluate(x, 1);
}
