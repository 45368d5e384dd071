namespace Autograd.Tests.Kernels;

/// <summary>Error of a float result in units in the last place of the exact (double) result.</summary>
internal static class Ulp
{
    /// <summary>
    /// |actual − expected| / ulp(expected), where ulp is the spacing of floats at expected's binade (2⁻¹⁴⁹ in the
    /// subnormal range). NaN must match NaN and an infinite expected value must be matched exactly; an infinite actual
    /// value against a finite expected one counts as 2¹²⁸ (the next float after float.MaxValue, were there one), and so does an expected value beyond it.
    /// </summary>
    internal static double Error(float actual, double expected)
    {
        if (double.IsNaN(expected) || float.IsNaN(actual))
        {
            return double.IsNaN(expected) && float.IsNaN(actual) ? 0 : double.PositiveInfinity;
        }

        if (double.IsInfinity(expected))
        {
            return actual == expected ? 0 : double.PositiveInfinity;
        }

        // Beyond 2¹²⁸ the correctly rounded float is ±∞; both are then measured as ±2¹²⁸.
        expected = Math.Clamp(expected, -Math.ScaleB(1.0, 128), Math.ScaleB(1.0, 128));
        double value = float.IsInfinity(actual) ? Math.CopySign(Math.ScaleB(1.0, 128), actual) : actual;
        int exponent = expected == 0 ? -126 : Math.Max(Math.ILogB(expected), -126);
        return Math.Abs(value - expected) / Math.ScaleB(1.0, exponent - 23);
    }
}
