using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace Autograd.Kernels;

/// <summary>
/// Kernels and tensor-level dispatchers of the element-wise math family (src/Autograd/Ops/Math): floating unary maps
/// with PyTorch's integer promotion, the integer-keeping maps (abs, sign), and the small float kernels TensorPrimitives
/// lacks (sign, frac, round to decimals).
/// </summary>
internal static class MathKernels
{
    /// <summary>
    /// A floating unary op: float32 runs <paramref name="float32"/>, float64 <paramref name="float64"/>; float16 and
    /// bfloat16 compute in float32 and round once; integers and bools become float32, as PyTorch's unary float ops
    /// promote them.
    /// </summary>
    internal static Tensor Floating(Tensor x, SpanMap float32, SpanMap64 float64) =>
        x._dtype == DType.Float32 ? Elementwise.Map(x, float32) : TypedUnary.Floating(x, null, float32, float64);

    /// <summary>|x| of an int64 or int32 tensor, keeping its dtype; the most negative value wraps to itself, as PyTorch's.</summary>
    internal static Tensor AbsInteger(Tensor x) => x._dtype == DType.Int32 ? MapInteger<int>(x, static v => v < 0 ? unchecked(-v) : v) : MapInteger<long>(x, static v => v < 0 ? unchecked(-v) : v);

    /// <summary>sign x ∈ {−1, 0, 1} of an int64 or int32 tensor, keeping its dtype.</summary>
    internal static Tensor SignInteger(Tensor x) => x._dtype == DType.Int32 ? MapInteger<int>(x, static v => Math.Sign(v)) : MapInteger<long>(x, static v => Math.Sign(v));

    private static Tensor MapInteger<T>(Tensor x, Func<T, T> f)
        where T : unmanaged, IBinaryInteger<T>
    {
        T[] values = TypedElementwise.Operand<T>(x, x._dtype, x._shape);
        if (ReferenceEquals(values, x.Storage))
        {
            values = (T[])values.Clone();
        }

        for (int i = 0; i < values.Length; i++)
        {
            values[i] = f(values[i]);
        }

        return new Tensor(values, x._dtype, x._shape);
    }

    /// <summary>destination = (0 &lt; x) − (x &lt; 0): −1, 0 or 1; ±0 and NaN give 0, as PyTorch 1.13's sign kernel.</summary>
    internal static void Sign(ReadOnlySpan<float> x, Span<float> destination)
    {
        for (int i = 0; i < x.Length; i++)
        {
            float v = x[i];
            destination[i] = (v > 0 ? 1f : 0f) - (v < 0 ? 1f : 0f);
        }
    }

    /// <inheritdoc cref="Sign(ReadOnlySpan{float}, Span{float})"/>
    internal static void Sign(ReadOnlySpan<double> x, Span<double> destination)
    {
        for (int i = 0; i < x.Length; i++)
        {
            double v = x[i];
            destination[i] = (v > 0 ? 1.0 : 0.0) - (v < 0 ? 1.0 : 0.0);
        }
    }

    /// <summary>destination = x − trunc x (the sign of x; ±∞ give NaN, as PyTorch's frac).</summary>
    internal static void Frac(ReadOnlySpan<float> x, Span<float> destination)
    {
        TensorPrimitives.Truncate(x, destination);
        TensorPrimitives.Subtract(x, destination, destination);
    }

    /// <inheritdoc cref="Frac(ReadOnlySpan{float}, Span{float})"/>
    internal static void Frac(ReadOnlySpan<double> x, Span<double> destination)
    {
        TensorPrimitives.Truncate(x, destination);
        TensorPrimitives.Subtract(x, destination, destination);
    }

    /// <summary>
    /// x rounded to <paramref name="decimals"/> decimal places, half to even, as PyTorch 1.13 computes it in the
    /// tensor's own precision: nearbyint(x·10ᵈ)/10ᵈ, or for d &lt; 0 nearbyint(x/10⁻ᵈ)·10⁻ᵈ.
    /// </summary>
    internal static void RoundDecimals(ReadOnlySpan<float> x, int decimals, Span<float> destination)
    {
        float scale = (float)Math.Pow(10, Math.Abs(decimals));
        for (int i = 0; i < x.Length; i++)
        {
            destination[i] = decimals < 0 ? MathF.Round(x[i] / scale) * scale : MathF.Round(x[i] * scale) / scale;
        }
    }

    /// <inheritdoc cref="RoundDecimals(ReadOnlySpan{float}, int, Span{float})"/>
    internal static void RoundDecimals(ReadOnlySpan<double> x, int decimals, Span<double> destination)
    {
        double scale = Math.Pow(10, Math.Abs(decimals));
        for (int i = 0; i < x.Length; i++)
        {
            destination[i] = decimals < 0 ? Math.Round(x[i] / scale) * scale : Math.Round(x[i] * scale) / scale;
        }
    }

    /// <summary>
    /// log(1 + x) accurate for tiny x (TensorPrimitives.LogP1 is log(x + 1), which loses every digit there), by
    /// Goldberg's correction: with u = 1 ⊕ x, log1p x = log u · x / (u − 1), exact in the ratio x/(u − 1) that
    /// compensates the rounding of u. Computed in double for float32 too.
    /// </summary>
    internal static double Log1p(double x)
    {
        double u = 1 + x;
        return u == 1 || double.IsPositiveInfinity(u) ? (u == 1 ? x : u) : Math.Log(u) * x / (u - 1);
    }

    /// <summary>
    /// eˣ − 1 accurate for tiny x (TensorPrimitives.ExpM1 is exp(x) − 1), by Kahan's correction: with u = eˣ rounded,
    /// expm1 x = (u − 1)·x / log u. Computed in double for float32 too.
    /// </summary>
    internal static double Expm1(double x)
    {
        double u = Math.Exp(x);
        if (u == 1 || double.IsPositiveInfinity(u))
        {
            return u == 1 ? x : u;
        }

        double um1 = u - 1;
        return um1 == -1 ? -1 : um1 * x / Math.Log(u);
    }

    /// <summary>destination = log(1 + x).</summary>
    internal static void Log1p(ReadOnlySpan<float> x, Span<float> destination)
    {
        for (int i = 0; i < x.Length; i++)
        {
            destination[i] = (float)Log1p(x[i]);
        }
    }

    /// <inheritdoc cref="Log1p(ReadOnlySpan{float}, Span{float})"/>
    internal static void Log1p(ReadOnlySpan<double> x, Span<double> destination)
    {
        for (int i = 0; i < x.Length; i++)
        {
            destination[i] = Log1p(x[i]);
        }
    }

    /// <summary>destination = eˣ − 1.</summary>
    internal static void Expm1(ReadOnlySpan<float> x, Span<float> destination)
    {
        for (int i = 0; i < x.Length; i++)
        {
            destination[i] = (float)Expm1(x[i]);
        }
    }

    /// <inheritdoc cref="Expm1(ReadOnlySpan{float}, Span{float})"/>
    internal static void Expm1(ReadOnlySpan<double> x, Span<double> destination)
    {
        for (int i = 0; i < x.Length; i++)
        {
            destination[i] = Expm1(x[i]);
        }
    }

    /// <summary>Reinterprets a span of <typeparamref name="T"/> as one of <typeparamref name="TTo"/> (the caller has checked they are the same type).</summary>
    internal static ReadOnlySpan<TTo> As<T, TTo>(ReadOnlySpan<T> span)
        where T : unmanaged
        where TTo : unmanaged => MemoryMarshal.Cast<T, TTo>(span);

    /// <inheritdoc cref="As{T, TTo}(ReadOnlySpan{T})"/>
    internal static Span<TTo> As<T, TTo>(Span<T> span)
        where T : unmanaged
        where TTo : unmanaged => MemoryMarshal.Cast<T, TTo>(span);
}
