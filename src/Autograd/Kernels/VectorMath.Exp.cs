using System.Runtime.Intrinsics;

namespace Autograd.Kernels;

/// <summary>
/// eˣ in float arithmetic. x = n·ln2 + r with n = round(x/ln2) and |r| ≤ ln2/2 (Cody–Waite: ln2 split into a 16-bit
/// head, so n·Ln2Hi is exact for |n| ≤ 256, and a tail); eʳ = 1 + r + r²·P(r) with SLEEF's degree-5 minimax P
/// (xexpf); eˣ = eʳ·2ⁿ. exp(0) is exactly 1 (n = 0, r = 0). Max error: see VectorMathTests.Exp_UlpError.
/// FMA is used for the reduction and the polynomial; without FMA hardware it is emulated (correct, slow).
/// </summary>
internal readonly struct ExpOperator : IUnaryOperator
{
    private const float Log2E = 1.44269504088896341f;
    private const float Ln2Hi = 0.693145751953125f;
    private const float Ln2Lo = 1.428606765330187045e-06f;

    // e^89 > float.MaxValue and e^-104 < float.Epsilon / 2, so clamping to these loses nothing.
    private const float MaxInput = 89f;
    private const float MinInput = -104f;

    private const float C6 = 0.000198527617612853646278381f;
    private const float C5 = 0.00139304355252534151077271f;
    private const float C4 = 0.00833336077630519866943359f;
    private const float C3 = 0.0416664853692054748535156f;
    private const float C2 = 0.166666671633720397949219f;

    /// <summary>The scalar path is the Vector128 path on one lane, so every length gives identical values.</summary>
    public static float Invoke(float x) => Invoke(Vector128.CreateScalarUnsafe(x)).ToScalar();

    public static Vector128<float> Invoke(Vector128<float> x)
    {
        // Clamp first so that n stays in [-150, 128] and every intermediate is finite; ±∞ then fall out of the
        // scaling (e^89 overflows to +∞, e^-104 rounds to 0) and NaN is restored at the end.
        Vector128<float> xc = Vector128.MinNative(Vector128.MaxNative(x, Vector128.Create(MinInput)), Vector128.Create(MaxInput));
        Vector128<float> n = Vector128.Round(xc * Vector128.Create(Log2E));
        Vector128<float> r = Vector128.FusedMultiplyAdd(n, Vector128.Create(-Ln2Hi), xc);
        r = Vector128.FusedMultiplyAdd(n, Vector128.Create(-Ln2Lo), r);

        Vector128<float> u = Vector128.Create(C6);
        u = Vector128.FusedMultiplyAdd(u, r, Vector128.Create(C5));
        u = Vector128.FusedMultiplyAdd(u, r, Vector128.Create(C4));
        u = Vector128.FusedMultiplyAdd(u, r, Vector128.Create(C3));
        u = Vector128.FusedMultiplyAdd(u, r, Vector128.Create(C2));
        u = Vector128.FusedMultiplyAdd(u, r, Vector128.Create(0.5f));
        Vector128<float> p = Vector128.FusedMultiplyAdd(r * r, u, r) + Vector128<float>.One;

        // 2ⁿ as two normal factors 2^⌊n/2⌋ · 2^(n−⌊n/2⌋), so subnormal results are rounded once, at the last product.
        Vector128<int> ni = Vector128.ConvertToInt32Native(n);
        Vector128<int> n1 = Vector128.ShiftRightArithmetic(ni, 1);
        Vector128<int> n2 = ni - n1;
        Vector128<float> scale1 = Vector128.ShiftLeft(n1 + Vector128.Create(127), 23).AsSingle();
        Vector128<float> scale2 = Vector128.ShiftLeft(n2 + Vector128.Create(127), 23).AsSingle();
        Vector128<float> result = p * scale1 * scale2;
        return Vector128.ConditionalSelect(Vector128.Equals(x, x), result, x);
    }

    public static Vector256<float> Invoke(Vector256<float> x)
    {
        // Clamp first so that n stays in [-150, 128] and every intermediate is finite; ±∞ then fall out of the
        // scaling (e^89 overflows to +∞, e^-104 rounds to 0) and NaN is restored at the end.
        Vector256<float> xc = Vector256.MinNative(Vector256.MaxNative(x, Vector256.Create(MinInput)), Vector256.Create(MaxInput));
        Vector256<float> n = Vector256.Round(xc * Vector256.Create(Log2E));
        Vector256<float> r = Vector256.FusedMultiplyAdd(n, Vector256.Create(-Ln2Hi), xc);
        r = Vector256.FusedMultiplyAdd(n, Vector256.Create(-Ln2Lo), r);

        Vector256<float> u = Vector256.Create(C6);
        u = Vector256.FusedMultiplyAdd(u, r, Vector256.Create(C5));
        u = Vector256.FusedMultiplyAdd(u, r, Vector256.Create(C4));
        u = Vector256.FusedMultiplyAdd(u, r, Vector256.Create(C3));
        u = Vector256.FusedMultiplyAdd(u, r, Vector256.Create(C2));
        u = Vector256.FusedMultiplyAdd(u, r, Vector256.Create(0.5f));
        Vector256<float> p = Vector256.FusedMultiplyAdd(r * r, u, r) + Vector256<float>.One;

        // 2ⁿ as two normal factors 2^⌊n/2⌋ · 2^(n−⌊n/2⌋), so subnormal results are rounded once, at the last product.
        Vector256<int> ni = Vector256.ConvertToInt32Native(n);
        Vector256<int> n1 = Vector256.ShiftRightArithmetic(ni, 1);
        Vector256<int> n2 = ni - n1;
        Vector256<float> scale1 = Vector256.ShiftLeft(n1 + Vector256.Create(127), 23).AsSingle();
        Vector256<float> scale2 = Vector256.ShiftLeft(n2 + Vector256.Create(127), 23).AsSingle();
        Vector256<float> result = p * scale1 * scale2;
        return Vector256.ConditionalSelect(Vector256.Equals(x, x), result, x);
    }

    public static Vector512<float> Invoke(Vector512<float> x)
    {
        // Clamp first so that n stays in [-150, 128] and every intermediate is finite; ±∞ then fall out of the
        // scaling (e^89 overflows to +∞, e^-104 rounds to 0) and NaN is restored at the end.
        Vector512<float> xc = Vector512.MinNative(Vector512.MaxNative(x, Vector512.Create(MinInput)), Vector512.Create(MaxInput));
        Vector512<float> n = Vector512.Round(xc * Vector512.Create(Log2E));
        Vector512<float> r = Vector512.FusedMultiplyAdd(n, Vector512.Create(-Ln2Hi), xc);
        r = Vector512.FusedMultiplyAdd(n, Vector512.Create(-Ln2Lo), r);

        Vector512<float> u = Vector512.Create(C6);
        u = Vector512.FusedMultiplyAdd(u, r, Vector512.Create(C5));
        u = Vector512.FusedMultiplyAdd(u, r, Vector512.Create(C4));
        u = Vector512.FusedMultiplyAdd(u, r, Vector512.Create(C3));
        u = Vector512.FusedMultiplyAdd(u, r, Vector512.Create(C2));
        u = Vector512.FusedMultiplyAdd(u, r, Vector512.Create(0.5f));
        Vector512<float> p = Vector512.FusedMultiplyAdd(r * r, u, r) + Vector512<float>.One;

        // 2ⁿ as two normal factors 2^⌊n/2⌋ · 2^(n−⌊n/2⌋), so subnormal results are rounded once, at the last product.
        Vector512<int> ni = Vector512.ConvertToInt32Native(n);
        Vector512<int> n1 = Vector512.ShiftRightArithmetic(ni, 1);
        Vector512<int> n2 = ni - n1;
        Vector512<float> scale1 = Vector512.ShiftLeft(n1 + Vector512.Create(127), 23).AsSingle();
        Vector512<float> scale2 = Vector512.ShiftLeft(n2 + Vector512.Create(127), 23).AsSingle();
        Vector512<float> result = p * scale1 * scale2;
        return Vector512.ConditionalSelect(Vector512.Equals(x, x), result, x);
    }
}
