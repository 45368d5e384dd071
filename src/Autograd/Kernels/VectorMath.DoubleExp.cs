using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Autograd.Kernels;

/// <summary>
/// eᵃ in double for the float kernels that need more than float accuracy from it (sigmoid, tanh): a = n·ln2 + r,
/// |r| ≤ ln2/2, eʳ by its Taylor polynomial of degree 9 (truncation |r|¹⁰/10! &lt; 2⁻³⁷), times 2ⁿ.
/// </summary>
internal static class DoubleExp
{
    private const double Log2E = 1.44269504088896338700e+00;
    private const double Ln2Hi = 6.93147180369123816490e-01;
    private const double Ln2Lo = 1.90821492927058770002e-10;
    private const double Shifter = 6755399441055744.0;
    private const long ShifterBits = 0x4338000000000000;

    /// <summary>eᵃ for a ≤ 0 (or NaN, which gives an unspecified value the caller replaces), relative error &lt; 2⁻³⁶.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector128<double> ExpNonPositive(Vector128<double> a)
    {
        // Below −700 the result is far under float's range; clamping keeps 2ⁿ a normal double.
        a = Vector128.MaxNative(a, Vector128.Create(-700.0));
        Vector128<double> k = Vector128.FusedMultiplyAdd(a, Vector128.Create(Log2E), Vector128.Create(Shifter));
        Vector128<double> n = k - Vector128.Create(Shifter);
        Vector128<double> r = Vector128.FusedMultiplyAdd(n, Vector128.Create(-Ln2Hi), a);
        r = Vector128.FusedMultiplyAdd(n, Vector128.Create(-Ln2Lo), r);

        Vector128<double> p = Vector128.Create(1.0 / 362880);
        p = Vector128.FusedMultiplyAdd(p, r, Vector128.Create(1.0 / 40320));
        p = Vector128.FusedMultiplyAdd(p, r, Vector128.Create(1.0 / 5040));
        p = Vector128.FusedMultiplyAdd(p, r, Vector128.Create(1.0 / 720));
        p = Vector128.FusedMultiplyAdd(p, r, Vector128.Create(1.0 / 120));
        p = Vector128.FusedMultiplyAdd(p, r, Vector128.Create(1.0 / 24));
        p = Vector128.FusedMultiplyAdd(p, r, Vector128.Create(1.0 / 6));
        p = Vector128.FusedMultiplyAdd(p, r, Vector128.Create(0.5));
        p = Vector128.FusedMultiplyAdd(p, r, Vector128<double>.One);
        p = Vector128.FusedMultiplyAdd(p, r, Vector128<double>.One);

        // k's bit pattern is Shifter's plus n, so (n + 1023) << 52 is 2ⁿ.
        Vector128<long> exponent = k.AsInt64() - Vector128.Create(ShifterBits) + Vector128.Create(1023L);
        return p * Vector128.ShiftLeft(exponent, 52).AsDouble();
    }

    /// <summary>eᵃ for a ≤ 0 (or NaN, which gives an unspecified value the caller replaces), relative error &lt; 2⁻³⁶.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<double> ExpNonPositive(Vector256<double> a)
    {
        // Below −700 the result is far under float's range; clamping keeps 2ⁿ a normal double.
        a = Vector256.MaxNative(a, Vector256.Create(-700.0));
        Vector256<double> k = Vector256.FusedMultiplyAdd(a, Vector256.Create(Log2E), Vector256.Create(Shifter));
        Vector256<double> n = k - Vector256.Create(Shifter);
        Vector256<double> r = Vector256.FusedMultiplyAdd(n, Vector256.Create(-Ln2Hi), a);
        r = Vector256.FusedMultiplyAdd(n, Vector256.Create(-Ln2Lo), r);

        Vector256<double> p = Vector256.Create(1.0 / 362880);
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(1.0 / 40320));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(1.0 / 5040));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(1.0 / 720));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(1.0 / 120));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(1.0 / 24));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(1.0 / 6));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(0.5));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256<double>.One);
        p = Vector256.FusedMultiplyAdd(p, r, Vector256<double>.One);

        // k's bit pattern is Shifter's plus n, so (n + 1023) << 52 is 2ⁿ.
        Vector256<long> exponent = k.AsInt64() - Vector256.Create(ShifterBits) + Vector256.Create(1023L);
        return p * Vector256.ShiftLeft(exponent, 52).AsDouble();
    }

    /// <summary>eᵃ for a ≤ 0 (or NaN, which gives an unspecified value the caller replaces), relative error &lt; 2⁻³⁶.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<double> ExpNonPositive(Vector512<double> a)
    {
        // Below −700 the result is far under float's range; clamping keeps 2ⁿ a normal double.
        a = Vector512.MaxNative(a, Vector512.Create(-700.0));
        Vector512<double> k = Vector512.FusedMultiplyAdd(a, Vector512.Create(Log2E), Vector512.Create(Shifter));
        Vector512<double> n = k - Vector512.Create(Shifter);
        Vector512<double> r = Vector512.FusedMultiplyAdd(n, Vector512.Create(-Ln2Hi), a);
        r = Vector512.FusedMultiplyAdd(n, Vector512.Create(-Ln2Lo), r);

        Vector512<double> p = Vector512.Create(1.0 / 362880);
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(1.0 / 40320));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(1.0 / 5040));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(1.0 / 720));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(1.0 / 120));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(1.0 / 24));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(1.0 / 6));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(0.5));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512<double>.One);
        p = Vector512.FusedMultiplyAdd(p, r, Vector512<double>.One);

        // k's bit pattern is Shifter's plus n, so (n + 1023) << 52 is 2ⁿ.
        Vector512<long> exponent = k.AsInt64() - Vector512.Create(ShifterBits) + Vector512.Create(1023L);
        return p * Vector512.ShiftLeft(exponent, 52).AsDouble();
    }
}
