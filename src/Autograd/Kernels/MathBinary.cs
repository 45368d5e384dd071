using System.Numerics;
using System.Numerics.Tensors;

namespace Autograd.Kernels;

/// <summary>Floating-only helpers shared by the binary math operators.</summary>
internal static class FloatingBinary
{
    /// <summary>Runs <paramref name="float32"/> or <paramref name="float64"/> on the spans when <typeparamref name="T"/> is float or double; other types are the caller's to refuse.</summary>
    internal static void Invoke<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination, SpanMap2 float32, SpanMap64Binary float64)
        where T : unmanaged
    {
        if (typeof(T) == typeof(float))
        {
            float32(MathKernels.As<T, float>(x), MathKernels.As<T, float>(y), MathKernels.As<T, float>(destination));
        }
        else if (typeof(T) == typeof(double))
        {
            float64(MathKernels.As<T, double>(x), MathKernels.As<T, double>(y), MathKernels.As<T, double>(destination));
        }
        else
        {
            throw new NotSupportedException($"{typeof(T).Name} is not a floating type");
        }
    }

    /// <summary>The floating result type of an op that promotes integers and bools to the default float (atan2, xlogy).</summary>
    internal static DType Promoting(DType promoted) => promoted.IsFloatingPoint() ? promoted : DType.Float32;

    /// <summary>Bools have no kernel of their own: the ops above compute them as floats, so this is unreachable for them.</summary>
    internal static void NoBool(string name) => throw Tensor.NotImplementedFor(DType.Bool, name);
}

/// <summary>A span-in, span-out binary float64 kernel.</summary>
internal delegate void SpanMap64Binary(ReadOnlySpan<double> x, ReadOnlySpan<double> y, Span<double> destination);

/// <summary>atan2(a, b), the angle of the point (b, a); integers and bools compute as float32.</summary>
internal readonly struct TypedAtan2 : ITypedBinaryOperator
{
    public static string Name => "atan2_cpu";

    public static DType ResultType(DType promoted) => FloatingBinary.Promoting(promoted);

    public static void Invoke<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination)
        where T : unmanaged, INumber<T> => FloatingBinary.Invoke(x, y, destination, TensorPrimitives.Atan2, TensorPrimitives.Atan2);

    public static void InvokeBool(ReadOnlySpan<bool> x, ReadOnlySpan<bool> y, Span<bool> destination) => FloatingBinary.NoBool(Name);
}

/// <summary>√(a² + b²) without overflow; PyTorch 1.13 has no integer kernel ("hypot_cpu" not implemented for 'Long').</summary>
internal readonly struct TypedHypot : ITypedBinaryOperator
{
    public static string Name => "hypot_cpu";

    public static DType ResultType(DType promoted) => promoted.IsFloatingPoint() ? promoted : throw Tensor.NotImplementedFor(promoted, Name);

    public static void Invoke<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination)
        where T : unmanaged, INumber<T> => FloatingBinary.Invoke(x, y, destination, TensorPrimitives.Hypot, TensorPrimitives.Hypot);

    public static void InvokeBool(ReadOnlySpan<bool> x, ReadOnlySpan<bool> y, Span<bool> destination) => FloatingBinary.NoBool(Name);
}

/// <summary>The larger of a and b, NaN if either is NaN (torch.maximum); bools: a or b.</summary>
internal readonly struct TypedMaximum : ITypedBinaryOperator
{
    public static string Name => "maximum_cpu";

    public static DType ResultType(DType promoted) => promoted;

    public static void Invoke<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination)
        where T : unmanaged, INumber<T> => TensorPrimitives.Max(x, y, destination);   // IEEE 754:2019 maximum: NaN propagates

    public static void InvokeBool(ReadOnlySpan<bool> x, ReadOnlySpan<bool> y, Span<bool> destination)
    {
        for (int i = 0; i < destination.Length; i++)
        {
            destination[i] = x[i] | y[i];
        }
    }
}

/// <summary>The smaller of a and b, NaN if either is NaN (torch.minimum); bools: a and b.</summary>
internal readonly struct TypedMinimum : ITypedBinaryOperator
{
    public static string Name => "minimum_cpu";

    public static DType ResultType(DType promoted) => promoted;

    public static void Invoke<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination)
        where T : unmanaged, INumber<T> => TensorPrimitives.Min(x, y, destination);   // IEEE 754:2019 minimum: NaN propagates

    public static void InvokeBool(ReadOnlySpan<bool> x, ReadOnlySpan<bool> y, Span<bool> destination)
    {
        for (int i = 0; i < destination.Length; i++)
        {
            destination[i] = x[i] & y[i];
        }
    }
}

/// <summary>
/// C's fmod: a − trunc(a/b)·b, with the sign of a. Integers exactly (a zero divisor raises PyTorch's ZeroDivisionError);
/// floats by IEEE remainder-toward-zero (C#'s %), NaN for a zero divisor.
/// </summary>
internal readonly struct TypedFmod : ITypedBinaryOperator
{
    public static string Name => "fmod_cpu";

    public static DType ResultType(DType promoted) => promoted == DType.Bool ? throw Tensor.NotImplementedFor(DType.Bool, Name) : promoted;

    public static void Invoke<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination)
        where T : unmanaged, INumber<T>
    {
        bool integer = typeof(T) != typeof(float) && typeof(T) != typeof(double);
        for (int i = 0; i < destination.Length; i++)
        {
            T b = y[i];
            if (integer && T.IsZero(b))
            {
                throw new DivideByZeroException("ZeroDivisionError");
            }

            // b = −1 divides everything exactly; MinValue % −1 would overflow in .NET.
            destination[i] = integer && b == -T.One ? T.Zero : x[i] % b;
        }
    }

    public static void InvokeBool(ReadOnlySpan<bool> x, ReadOnlySpan<bool> y, Span<bool> destination) => FloatingBinary.NoBool(Name);
}

/// <summary>
/// Python's modulus: a − floor(a/b)·b, with the sign of b (torch.remainder), computed as PyTorch does from fmod:
/// r = fmod(a, b), plus b when r ≠ 0 and r, b differ in sign. Integers raise ZeroDivisionError for a zero divisor.
/// </summary>
internal readonly struct TypedRemainder : ITypedBinaryOperator
{
    public static string Name => "remainder_cpu";

    public static DType ResultType(DType promoted) => promoted == DType.Bool ? throw Tensor.NotImplementedFor(DType.Bool, Name) : promoted;

    public static void Invoke<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination)
        where T : unmanaged, INumber<T>
    {
        TypedFmod.Invoke(x, y, destination);
        for (int i = 0; i < destination.Length; i++)
        {
            T r = destination[i], b = y[i];
            if (!T.IsZero(r) && ((r < T.Zero) != (b < T.Zero)))
            {
                destination[i] = r + b;
            }
        }
    }

    public static void InvokeBool(ReadOnlySpan<bool> x, ReadOnlySpan<bool> y, Span<bool> destination) => FloatingBinary.NoBool(Name);
}

/// <summary>
/// aᵇ element-wise. Floats by IEEE pow; integers exactly by repeated squaring, wrapping on overflow, and for b &lt; 0
/// as PyTorch's integer pow: 1 for a = 1, ±1 for a = −1, else 0 (the truncated 1/aⁿ).
/// </summary>
internal readonly struct TypedPow : ITypedBinaryOperator
{
    public static string Name => "pow";

    public static DType ResultType(DType promoted) => promoted == DType.Bool ? throw Tensor.NotImplementedFor(DType.Bool, Name) : promoted;

    public static void Invoke<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination)
        where T : unmanaged, INumber<T>
    {
        if (typeof(T) == typeof(float) || typeof(T) == typeof(double))
        {
            FloatingBinary.Invoke(x, y, destination, TensorPrimitives.Pow, TensorPrimitives.Pow);
            return;
        }

        for (int i = 0; i < destination.Length; i++)
        {
            long a = long.CreateTruncating(x[i]), e = long.CreateTruncating(y[i]);
            destination[i] = T.CreateTruncating(IntegerPow(a, e));
        }
    }

    public static void InvokeBool(ReadOnlySpan<bool> x, ReadOnlySpan<bool> y, Span<bool> destination) => FloatingBinary.NoBool(Name);

    /// <summary>aᵉ for integers, wrapping; negative e as described on the type.</summary>
    internal static long IntegerPow(long a, long e)
    {
        if (e < 0)
        {
            return a == 1 ? 1 : a == -1 ? ((e & 1) != 0 ? -1 : 1) : 0;
        }

        long r = 1;
        for (; e > 0; e >>= 1, a = unchecked(a * a))
        {
            if ((e & 1) != 0)
            {
                r = unchecked(r * a);
            }
        }

        return r;
    }
}

/// <summary>a·log b, 0 where a = 0 unless b is NaN (torch.xlogy); integers and bools compute as float32.</summary>
internal readonly struct TypedXlogy : ITypedBinaryOperator
{
    public static string Name => "xlogy_cpu";

    public static DType ResultType(DType promoted) => FloatingBinary.Promoting(promoted);

    public static void Invoke<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination)
        where T : unmanaged, INumber<T> => FloatingBinary.Invoke(x, y, destination, Xlogy, Xlogy);

    public static void InvokeBool(ReadOnlySpan<bool> x, ReadOnlySpan<bool> y, Span<bool> destination) => FloatingBinary.NoBool(Name);

    private static void Xlogy(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> destination)
    {
        for (int i = 0; i < destination.Length; i++)
        {
            float a = x[i], b = y[i];
            destination[i] = float.IsNaN(b) ? float.NaN : a == 0 ? 0 : a * MathF.Log(b);
        }
    }

    private static void Xlogy(ReadOnlySpan<double> x, ReadOnlySpan<double> y, Span<double> destination)
    {
        for (int i = 0; i < destination.Length; i++)
        {
            double a = x[i], b = y[i];
            destination[i] = double.IsNaN(b) ? double.NaN : a == 0 ? 0 : a * Math.Log(b);
        }
    }
}
