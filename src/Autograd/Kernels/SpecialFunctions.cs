namespace Autograd.Kernels;

/// <summary>
/// The error function and its relatives in float64, from their series and continued fraction (no table of fitted
/// coefficients). Relative error, against mpmath: erf ≤ ~3 ulp for |x| &lt; 2.5 and ~1 ulp of 1 beyond; erfc ≤ ~8 ulp
/// (its continued fraction for x ≥ 1.5, 1 − erf below, where erfc ≥ 0.03); erfinv ≤ ~3 ulp. float32 computes in
/// double and rounds once, so it is correctly rounded almost everywhere. Scalar loops: these functions have no
/// TensorPrimitives counterpart and are not on any hot path of the library.
/// </summary>
internal static class SpecialFunctions
{
    private const double TwoOverSqrtPi = 1.1283791670955126;   // 2/√π
    private const double OneOverSqrtPi = 0.5641895835477563;   // 1/√π

    /// <summary>erf x = (2/√π) ∫₀ˣ e^(−t²) dt; NaN stays NaN.</summary>
    internal static double Erf(double x)
    {
        if (double.IsNaN(x))
        {
            return x;
        }

        double ax = Math.Abs(x);
        return ax < 2.5 ? ErfSeries(x) : Math.CopySign(1 - ErfcFraction(ax), x);
    }

    /// <summary>erfc x = 1 − erf x, without the cancellation of that difference for large x.</summary>
    internal static double Erfc(double x) => double.IsNaN(x) ? x : x < 1.5 ? 1 - Erf(x) : ErfcFraction(x);

    /// <summary>
    /// The inverse of erf on [−1, 1] (±1 give ±∞, outside is NaN): Winitzki's closed-form estimate (relative error
    /// ~2e-3), then three Halley steps on f(y) = erf y − x, f′ = (2/√π)e^(−y²), f″ = −2y f′, which triple the correct
    /// digits each. For |x| ≥ ½ the residual is taken as (1 − |x|) − erfc y, exact in its first term, so the steps keep
    /// converging where erf y is within an ulp of 1.
    /// </summary>
    internal static double Erfinv(double x)
    {
        double ax = Math.Abs(x);
        if (double.IsNaN(x) || ax > 1)
        {
            return double.NaN;
        }

        if (ax == 1)
        {
            return Math.CopySign(double.PositiveInfinity, x);
        }

        if (x == 0)
        {
            return x;
        }

        const double a = 0.147;
        double l = Math.Log((1 - ax) * (1 + ax));
        double t = (2 / (Math.PI * a)) + (l / 2);
        double y = Math.Sqrt(Math.Sqrt((t * t) - (l / a)) - t);
        for (int step = 0; step < 3; step++)
        {
            double f = ax < 0.5 ? ErfSeries(y) - ax : (1 - ax) - Erfc(y);
            double newton = f / (TwoOverSqrtPi * ExpMinusSquare(y));
            y -= newton / (1 + (y * newton));
        }

        return Math.CopySign(y, x);
    }

    /// <summary>destination = erf x.</summary>
    internal static void Erf(ReadOnlySpan<double> x, Span<double> destination)
    {
        for (int i = 0; i < x.Length; i++)
        {
            destination[i] = Erf(x[i]);
        }
    }

    /// <summary>destination = erf x, computed in double.</summary>
    internal static void Erf(ReadOnlySpan<float> x, Span<float> destination)
    {
        for (int i = 0; i < x.Length; i++)
        {
            destination[i] = (float)Erf(x[i]);
        }
    }

    /// <summary>destination = erfc x.</summary>
    internal static void Erfc(ReadOnlySpan<double> x, Span<double> destination)
    {
        for (int i = 0; i < x.Length; i++)
        {
            destination[i] = Erfc(x[i]);
        }
    }

    /// <summary>destination = erfc x, computed in double.</summary>
    internal static void Erfc(ReadOnlySpan<float> x, Span<float> destination)
    {
        for (int i = 0; i < x.Length; i++)
        {
            destination[i] = (float)Erfc(x[i]);
        }
    }

    /// <summary>destination = erfinv x.</summary>
    internal static void Erfinv(ReadOnlySpan<double> x, Span<double> destination)
    {
        for (int i = 0; i < x.Length; i++)
        {
            destination[i] = Erfinv(x[i]);
        }
    }

    /// <summary>destination = erfinv x, computed in double.</summary>
    internal static void Erfinv(ReadOnlySpan<float> x, Span<float> destination)
    {
        for (int i = 0; i < x.Length; i++)
        {
            destination[i] = (float)Erfinv(x[i]);
        }
    }

    /// <summary>
    /// erf x = (2/√π) x e^(−x²) Σₙ (2x²)ⁿ / (1·3·…·(2n+1)): every term positive, so no cancellation; about 40 terms at
    /// |x| = 2.5.
    /// </summary>
    private static double ErfSeries(double x)
    {
        double twoX2 = 2 * x * x, term = 1, sum = 1;
        for (int n = 1; term > sum * 1e-17; n++)
        {
            term *= twoX2 / ((2 * n) + 1);
            sum += term;
        }

        return TwoOverSqrtPi * x * ExpMinusSquare(x) * sum;
    }

    /// <summary>
    /// erfc x for x ≥ 1.5 from Laplace's continued fraction erfc x = (e^(−x²)/√π) / (x + (1/2)/(x + 1/(x + (3/2)/(x + …)))),
    /// evaluated by the modified Lentz method (about 90 terms at 1.5, 20 at 5).
    /// </summary>
    private static double ErfcFraction(double x)
    {
        if (x > 27.3)
        {
            return 0;   // below the smallest subnormal
        }

        const double tiny = 1e-300;
        double f = x, c = x, d = 0;
        for (int n = 1; n < 1000; n++)
        {
            double a = n * 0.5;
            d = x + (a * d);
            d = 1 / (d == 0 ? tiny : d);
            c = x + (a / c);
            c = c == 0 ? tiny : c;
            double delta = c * d;
            f *= delta;
            if (Math.Abs(delta - 1) < 1e-16)
            {
                break;
            }
        }

        return ExpMinusSquare(x) * OneOverSqrtPi / f;
    }

    /// <summary>e^(−x²) with x² split exactly into hi + lo (a fused multiply-add), so the rounding of x² costs nothing: e^(−hi)·(1 − lo).</summary>
    private static double ExpMinusSquare(double x)
    {
        double hi = x * x;
        double lo = Math.FusedMultiplyAdd(x, x, -hi);
        return Math.Exp(-hi) * (1 - lo);
    }
}
