using System.Runtime.Intrinsics;

namespace Autograd.Kernels;

/// <summary>
/// ln x in float arithmetic: x = 2ᵉ·m with m ∈ [√½, √2), f = m − 1 (exact), ln x = e·ln2 + f − f²/2 + f³·P(f) with
/// Cephes' logf polynomial P (degree 8), ln2 split into 0.693359375 (9 bits, so e·Ln2Hi is exact) and a tail.
/// Max error: see VectorMathTests.Log_UlpError.
/// </summary>
internal readonly struct LogOperator : IUnaryOperator
{
    private const int SqrtHalfBits = 0x3F3504F3;
    private const float MinNormal = 1.17549435e-38f;
    private const float Ln2Hi = 0.693359375f;
    private const float Ln2Lo = -2.12194440e-4f;

    private const float P8 = 7.0376836292E-2f;
    private const float P7 = -1.1514610310E-1f;
    private const float P6 = 1.1676998740E-1f;
    private const float P5 = -1.2420140846E-1f;
    private const float P4 = 1.4249322787E-1f;
    private const float P3 = -1.6668057665E-1f;
    private const float P2 = 2.0000714765E-1f;
    private const float P1 = -2.4999993993E-1f;
    private const float P0 = 3.3333331174E-1f;

    /// <summary>The scalar path is the Vector128 path on one lane, so every length gives identical values.</summary>
    public static float Invoke(float x) => Invoke(Vector128.CreateScalarUnsafe(x)).ToScalar();

    public static Vector128<float> Invoke(Vector128<float> x)
    {
        // Subnormal inputs are scaled by 2²³ into the normal range first.
        Vector128<float> isSubnormal = Vector128.LessThan(x, Vector128.Create(MinNormal));
        Vector128<float> xs = Vector128.ConditionalSelect(isSubnormal, x * Vector128.Create(8388608f), x);
        Vector128<float> bias = Vector128.ConditionalSelect(isSubnormal, Vector128.Create(-23f), Vector128<float>.Zero);

        // x = 2ᵉ·m with m ∈ [√½, √2): subtracting √½'s bits makes the exponent field e and the mantissa field m's offset.
        Vector128<int> ix = xs.AsInt32() - Vector128.Create(SqrtHalfBits);
        Vector128<float> e = Vector128.ConvertToSingle(Vector128.ShiftRightArithmetic(ix, 23)) + bias;
        Vector128<float> m = ((ix & Vector128.Create(0x007FFFFF)) + Vector128.Create(SqrtHalfBits)).AsSingle();
        Vector128<float> f = m - Vector128<float>.One;

        Vector128<float> z = f * f;
        Vector128<float> y = Vector128.Create(P8);
        y = Vector128.FusedMultiplyAdd(y, f, Vector128.Create(P7));
        y = Vector128.FusedMultiplyAdd(y, f, Vector128.Create(P6));
        y = Vector128.FusedMultiplyAdd(y, f, Vector128.Create(P5));
        y = Vector128.FusedMultiplyAdd(y, f, Vector128.Create(P4));
        y = Vector128.FusedMultiplyAdd(y, f, Vector128.Create(P3));
        y = Vector128.FusedMultiplyAdd(y, f, Vector128.Create(P2));
        y = Vector128.FusedMultiplyAdd(y, f, Vector128.Create(P1));
        y = Vector128.FusedMultiplyAdd(y, f, Vector128.Create(P0));
        y = y * f * z;
        y = Vector128.FusedMultiplyAdd(e, Vector128.Create(Ln2Lo), y);
        y = Vector128.FusedMultiplyAdd(z, Vector128.Create(-0.5f), y);
        Vector128<float> result = Vector128.FusedMultiplyAdd(e, Vector128.Create(Ln2Hi), f + y);

        // ln(±0) = −∞, ln(+∞) = +∞, ln(x < 0) = ln(NaN) = NaN.
        result = Vector128.ConditionalSelect(Vector128.Equals(x, Vector128<float>.Zero), Vector128.Create(float.NegativeInfinity), result);
        result = Vector128.ConditionalSelect(Vector128.Equals(x, Vector128.Create(float.PositiveInfinity)), x, result);
        return Vector128.ConditionalSelect(Vector128.GreaterThanOrEqual(x, Vector128<float>.Zero), result, Vector128.Create(float.NaN));
    }

    public static Vector256<float> Invoke(Vector256<float> x)
    {
        // Subnormal inputs are scaled by 2²³ into the normal range first.
        Vector256<float> isSubnormal = Vector256.LessThan(x, Vector256.Create(MinNormal));
        Vector256<float> xs = Vector256.ConditionalSelect(isSubnormal, x * Vector256.Create(8388608f), x);
        Vector256<float> bias = Vector256.ConditionalSelect(isSubnormal, Vector256.Create(-23f), Vector256<float>.Zero);

        // x = 2ᵉ·m with m ∈ [√½, √2): subtracting √½'s bits makes the exponent field e and the mantissa field m's offset.
        Vector256<int> ix = xs.AsInt32() - Vector256.Create(SqrtHalfBits);
        Vector256<float> e = Vector256.ConvertToSingle(Vector256.ShiftRightArithmetic(ix, 23)) + bias;
        Vector256<float> m = ((ix & Vector256.Create(0x007FFFFF)) + Vector256.Create(SqrtHalfBits)).AsSingle();
        Vector256<float> f = m - Vector256<float>.One;

        Vector256<float> z = f * f;
        Vector256<float> y = Vector256.Create(P8);
        y = Vector256.FusedMultiplyAdd(y, f, Vector256.Create(P7));
        y = Vector256.FusedMultiplyAdd(y, f, Vector256.Create(P6));
        y = Vector256.FusedMultiplyAdd(y, f, Vector256.Create(P5));
        y = Vector256.FusedMultiplyAdd(y, f, Vector256.Create(P4));
        y = Vector256.FusedMultiplyAdd(y, f, Vector256.Create(P3));
        y = Vector256.FusedMultiplyAdd(y, f, Vector256.Create(P2));
        y = Vector256.FusedMultiplyAdd(y, f, Vector256.Create(P1));
        y = Vector256.FusedMultiplyAdd(y, f, Vector256.Create(P0));
        y = y * f * z;
        y = Vector256.FusedMultiplyAdd(e, Vector256.Create(Ln2Lo), y);
        y = Vector256.FusedMultiplyAdd(z, Vector256.Create(-0.5f), y);
        Vector256<float> result = Vector256.FusedMultiplyAdd(e, Vector256.Create(Ln2Hi), f + y);

        // ln(±0) = −∞, ln(+∞) = +∞, ln(x < 0) = ln(NaN) = NaN.
        result = Vector256.ConditionalSelect(Vector256.Equals(x, Vector256<float>.Zero), Vector256.Create(float.NegativeInfinity), result);
        result = Vector256.ConditionalSelect(Vector256.Equals(x, Vector256.Create(float.PositiveInfinity)), x, result);
        return Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(x, Vector256<float>.Zero), result, Vector256.Create(float.NaN));
    }

    public static Vector512<float> Invoke(Vector512<float> x)
    {
        // Subnormal inputs are scaled by 2²³ into the normal range first.
        Vector512<float> isSubnormal = Vector512.LessThan(x, Vector512.Create(MinNormal));
        Vector512<float> xs = Vector512.ConditionalSelect(isSubnormal, x * Vector512.Create(8388608f), x);
        Vector512<float> bias = Vector512.ConditionalSelect(isSubnormal, Vector512.Create(-23f), Vector512<float>.Zero);

        // x = 2ᵉ·m with m ∈ [√½, √2): subtracting √½'s bits makes the exponent field e and the mantissa field m's offset.
        Vector512<int> ix = xs.AsInt32() - Vector512.Create(SqrtHalfBits);
        Vector512<float> e = Vector512.ConvertToSingle(Vector512.ShiftRightArithmetic(ix, 23)) + bias;
        Vector512<float> m = ((ix & Vector512.Create(0x007FFFFF)) + Vector512.Create(SqrtHalfBits)).AsSingle();
        Vector512<float> f = m - Vector512<float>.One;

        Vector512<float> z = f * f;
        Vector512<float> y = Vector512.Create(P8);
        y = Vector512.FusedMultiplyAdd(y, f, Vector512.Create(P7));
        y = Vector512.FusedMultiplyAdd(y, f, Vector512.Create(P6));
        y = Vector512.FusedMultiplyAdd(y, f, Vector512.Create(P5));
        y = Vector512.FusedMultiplyAdd(y, f, Vector512.Create(P4));
        y = Vector512.FusedMultiplyAdd(y, f, Vector512.Create(P3));
        y = Vector512.FusedMultiplyAdd(y, f, Vector512.Create(P2));
        y = Vector512.FusedMultiplyAdd(y, f, Vector512.Create(P1));
        y = Vector512.FusedMultiplyAdd(y, f, Vector512.Create(P0));
        y = y * f * z;
        y = Vector512.FusedMultiplyAdd(e, Vector512.Create(Ln2Lo), y);
        y = Vector512.FusedMultiplyAdd(z, Vector512.Create(-0.5f), y);
        Vector512<float> result = Vector512.FusedMultiplyAdd(e, Vector512.Create(Ln2Hi), f + y);

        // ln(±0) = −∞, ln(+∞) = +∞, ln(x < 0) = ln(NaN) = NaN.
        result = Vector512.ConditionalSelect(Vector512.Equals(x, Vector512<float>.Zero), Vector512.Create(float.NegativeInfinity), result);
        result = Vector512.ConditionalSelect(Vector512.Equals(x, Vector512.Create(float.PositiveInfinity)), x, result);
        return Vector512.ConditionalSelect(Vector512.GreaterThanOrEqual(x, Vector512<float>.Zero), result, Vector512.Create(float.NaN));
    }
}
