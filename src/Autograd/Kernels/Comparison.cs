using System.Numerics;

namespace Autograd.Kernels;

/// <summary>An element-wise comparison <c>x op y</c> giving a bool, IEEE semantics for floats (NaN compares unequal).</summary>
internal interface IComparisonOperator
{
    /// <summary>PyTorch's name of the op, for its errors.</summary>
    static abstract string Name { get; }

    static abstract bool Invoke<T>(T x, T y)
        where T : INumber<T>;
}

/// <summary><c>x == y</c> (PyTorch's <c>eq</c>): false whenever either is NaN.</summary>
internal readonly struct EqualOperator : IComparisonOperator
{
    public static string Name => "eq";

    public static bool Invoke<T>(T x, T y)
        where T : INumber<T> => x == y;
}

/// <summary><c>x != y</c> (PyTorch's <c>ne</c>): true whenever either is NaN.</summary>
internal readonly struct NotEqualOperator : IComparisonOperator
{
    public static string Name => "ne";

    public static bool Invoke<T>(T x, T y)
        where T : INumber<T> => x != y;
}

/// <summary><c>x &lt; y</c> (PyTorch's <c>lt</c>).</summary>
internal readonly struct LessThanOperator : IComparisonOperator
{
    public static string Name => "lt";

    public static bool Invoke<T>(T x, T y)
        where T : INumber<T> => x < y;
}

/// <summary><c>x &lt;= y</c> (PyTorch's <c>le</c>).</summary>
internal readonly struct LessThanOrEqualOperator : IComparisonOperator
{
    public static string Name => "le";

    public static bool Invoke<T>(T x, T y)
        where T : INumber<T> => x <= y;
}

/// <summary><c>x &gt; y</c> (PyTorch's <c>gt</c>).</summary>
internal readonly struct GreaterThanOperator : IComparisonOperator
{
    public static string Name => "gt";

    public static bool Invoke<T>(T x, T y)
        where T : INumber<T> => x > y;
}

/// <summary><c>x &gt;= y</c> (PyTorch's <c>ge</c>).</summary>
internal readonly struct GreaterThanOrEqualOperator : IComparisonOperator
{
    public static string Name => "ge";

    public static bool Invoke<T>(T x, T y)
        where T : INumber<T> => x >= y;
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
        where T : INumber<T>
    {
        if (x.Length != destination.Length || y.Length != destination.Length)
        {
            throw new ArgumentException("spans of different lengths");
        }

        for (int i = 0; i < destination.Length; i++)
        {
            destination[i] = TOperator.Invoke(x[i], y[i]);
        }
    }

    /// <summary><c>destination[i] = x[i] op y</c>.</summary>
    internal static void Compare<TOperator, T>(ReadOnlySpan<T> x, T y, Span<bool> destination)
        where TOperator : IComparisonOperator
        where T : INumber<T>
    {
        if (x.Length != destination.Length)
        {
            throw new ArgumentException("spans of different lengths");
        }

        for (int i = 0; i < destination.Length; i++)
        {
            destination[i] = TOperator.Invoke(x[i], y);
        }
    }
}
