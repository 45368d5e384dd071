using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Autograd.Kernels;

/// <summary>An element-wise comparison <c>x op y</c> giving a bool, IEEE semantics for floats (NaN compares unequal).</summary>
internal interface IComparisonOperator
{
    /// <summary>PyTorch's name of the op, for its errors.</summary>
    static abstract string Name { get; }

    static abstract bool Invoke<T>(T x, T y)
        where T : INumber<T>;

    /// <summary>The comparison on four float32 lanes: all bits set where it holds, zero elsewhere.</summary>
    static abstract Vector128<float> Invoke(Vector128<float> x, Vector128<float> y);
}

/// <summary><c>x == y</c> (PyTorch's <c>eq</c>): false whenever either is NaN.</summary>
internal readonly struct EqualOperator : IComparisonOperator
{
    public static string Name => "eq";

    public static bool Invoke<T>(T x, T y)
        where T : INumber<T> => x == y;

    public static Vector128<float> Invoke(Vector128<float> x, Vector128<float> y) => Vector128.Equals(x, y);
}

/// <summary><c>x != y</c> (PyTorch's <c>ne</c>): true whenever either is NaN.</summary>
internal readonly struct NotEqualOperator : IComparisonOperator
{
    public static string Name => "ne";

    public static bool Invoke<T>(T x, T y)
        where T : INumber<T> => x != y;

    public static Vector128<float> Invoke(Vector128<float> x, Vector128<float> y) => ~Vector128.Equals(x, y);
}

/// <summary><c>x &lt; y</c> (PyTorch's <c>lt</c>).</summary>
internal readonly struct LessThanOperator : IComparisonOperator
{
    public static string Name => "lt";

    public static bool Invoke<T>(T x, T y)
        where T : INumber<T> => x < y;

    public static Vector128<float> Invoke(Vector128<float> x, Vector128<float> y) => Vector128.LessThan(x, y);
}

/// <summary><c>x &lt;= y</c> (PyTorch's <c>le</c>).</summary>
internal readonly struct LessThanOrEqualOperator : IComparisonOperator
{
    public static string Name => "le";

    public static bool Invoke<T>(T x, T y)
        where T : INumber<T> => x <= y;

    public static Vector128<float> Invoke(Vector128<float> x, Vector128<float> y) => Vector128.LessThanOrEqual(x, y);
}

/// <summary><c>x &gt; y</c> (PyTorch's <c>gt</c>).</summary>
internal readonly struct GreaterThanOperator : IComparisonOperator
{
    public static string Name => "gt";

    public static bool Invoke<T>(T x, T y)
        where T : INumber<T> => x > y;

    public static Vector128<float> Invoke(Vector128<float> x, Vector128<float> y) => Vector128.GreaterThan(x, y);
}

/// <summary><c>x &gt;= y</c> (PyTorch's <c>ge</c>).</summary>
internal readonly struct GreaterThanOrEqualOperator : IComparisonOperator
{
    public static string Name => "ge";

    public static bool Invoke<T>(T x, T y)
        where T : INumber<T> => x >= y;

    public static Vector128<float> Invoke(Vector128<float> x, Vector128<float> y) => Vector128.GreaterThanOrEqual(x, y);
}

/// <summary>
/// Element-wise comparisons, span in, bool span out. <c>TensorPrimitives</c> (System.Numerics.Tensors 10) has no
/// element-wise comparison with a bool destination (only predicates such as <c>IsNaN</c>), so these are plain loops
/// over a generic operator, which the JIT specialises per element type.
/// </summary>
internal static class Comparison
{
    /// <summary><c>destination[i] = x[i] op y[i]</c>.</summary>
    internal static void Compare<TOperator, T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<bool> destination)
        where TOperator : IComparisonOperator
        where T : unmanaged, INumber<T>
    {
        if (x.Length != destination.Length || y.Length != destination.Length)
        {
            throw new ArgumentException("spans of different lengths");
        }

        int i = 0;
        if (typeof(T) == typeof(float) && Vector128.IsHardwareAccelerated)
        {
            i = CompareVectorized<TOperator>(MemoryMarshal.Cast<T, float>(x), MemoryMarshal.Cast<T, float>(y), default, scalar: false, destination);
        }

        for (; i < destination.Length; i++)
        {
            destination[i] = TOperator.Invoke(x[i], y[i]);
        }
    }

    /// <summary><c>destination[i] = x[i] op y</c>.</summary>
    internal static void Compare<TOperator, T>(ReadOnlySpan<T> x, T y, Span<bool> destination)
        where TOperator : IComparisonOperator
        where T : unmanaged, INumber<T>
    {
        if (x.Length != destination.Length)
        {
            throw new ArgumentException("spans of different lengths");
        }

        int i = 0;
        if (typeof(T) == typeof(float) && Vector128.IsHardwareAccelerated)
        {
            i = CompareVectorized<TOperator>(MemoryMarshal.Cast<T, float>(x), default, Unsafe.As<T, float>(ref y), scalar: true, destination);
        }

        for (; i < destination.Length; i++)
        {
            destination[i] = TOperator.Invoke(x[i], y);
        }
    }

    /// <summary>
    /// The float32 comparison 16 elements at a time: four 4-lane masks (all ones or zero) are narrowed, in element
    /// order, int32 → int16 → int8, and kept to their low bit, giving 16 bools of 0 or 1. Returns how many elements it
    /// wrote (a multiple of 16); the caller finishes the tail with the scalar loop. NaN lanes compare as the scalar
    /// operators do (ordered comparisons false, not-equal true).
    /// </summary>
    private static int CompareVectorized<TOperator>(ReadOnlySpan<float> x, ReadOnlySpan<float> y, float scalarY, bool scalar, Span<bool> destination)
        where TOperator : IComparisonOperator
    {
        int n = destination.Length - (destination.Length % 16);
        Span<byte> bytes = MemoryMarshal.AsBytes(destination);
        Vector128<float> broadcast = Vector128.Create(scalarY);
        Vector128<sbyte> one = Vector128.Create((sbyte)1);
        for (int i = 0; i < n; i += 16)
        {
            Vector128<int> m0 = TOperator.Invoke(Vector128.Create(x.Slice(i, 4)), scalar ? broadcast : Vector128.Create(y.Slice(i, 4))).AsInt32();
            Vector128<int> m1 = TOperator.Invoke(Vector128.Create(x.Slice(i + 4, 4)), scalar ? broadcast : Vector128.Create(y.Slice(i + 4, 4))).AsInt32();
            Vector128<int> m2 = TOperator.Invoke(Vector128.Create(x.Slice(i + 8, 4)), scalar ? broadcast : Vector128.Create(y.Slice(i + 8, 4))).AsInt32();
            Vector128<int> m3 = TOperator.Invoke(Vector128.Create(x.Slice(i + 12, 4)), scalar ? broadcast : Vector128.Create(y.Slice(i + 12, 4))).AsInt32();
            Vector128<sbyte> packed = Vector128.Narrow(Vector128.Narrow(m0, m1), Vector128.Narrow(m2, m3)) & one;
            packed.AsByte().CopyTo(bytes.Slice(i, 16));
        }

        return n;
    }
}
