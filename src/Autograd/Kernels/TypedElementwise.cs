using System.Numerics;
using System.Numerics.Tensors;

namespace Autograd.Kernels;

/// <summary>A binary element-wise operator for every numeric storage type (the float32 path has its own, tuned one).</summary>
internal interface ITypedBinaryOperator
{
    /// <summary>PyTorch's name of the op, for its errors.</summary>
    static abstract string Name { get; }

    /// <summary>The dtype the op computes in for operands promoted to <paramref name="promoted"/> (true division lifts integers to float).</summary>
    static abstract DType ResultType(DType promoted);

    static abstract void Invoke<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination)
        where T : unmanaged, INumber<T>;

    /// <summary>Throws PyTorch's error when the op refuses these operand dtypes (subtraction refuses bools).</summary>
    static virtual void CheckOperands(DType a, DType b)
    {
    }

    /// <summary>The op on bools (PyTorch: + is or, * is and), or an exception when it has none.</summary>
    static abstract void InvokeBool(ReadOnlySpan<bool> x, ReadOnlySpan<bool> y, Span<bool> destination);
}

internal readonly struct TypedAdd : ITypedBinaryOperator
{
    public static string Name => "add";

    public static DType ResultType(DType promoted) => promoted;

    public static void Invoke<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination)
        where T : unmanaged, INumber<T> => TensorPrimitives.Add(x, y, destination);

    public static void InvokeBool(ReadOnlySpan<bool> x, ReadOnlySpan<bool> y, Span<bool> destination)
    {
        for (int i = 0; i < destination.Length; i++)
        {
            destination[i] = x[i] | y[i];
        }
    }
}

internal readonly struct TypedSubtract : ITypedBinaryOperator
{
    public static string Name => "sub";

    public static void CheckOperands(DType a, DType b)
    {
        if (a == DType.Bool && b == DType.Bool)
        {
            throw new InvalidOperationException(
                "Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` or `logical_xor()` operator instead.");
        }

        if (a == DType.Bool || b == DType.Bool)
        {
            throw new InvalidOperationException(
                "Subtraction, the `-` operator, with a bool tensor is not supported. If you are trying to invert a mask, use the `~` or `logical_not()` operator instead.");
        }
    }

    public static DType ResultType(DType promoted) => promoted == DType.Bool
        ? throw new InvalidOperationException(
            "Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` or `logical_xor()` operator instead.")
        : promoted;

    public static void Invoke<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination)
        where T : unmanaged, INumber<T> => TensorPrimitives.Subtract(x, y, destination);

    public static void InvokeBool(ReadOnlySpan<bool> x, ReadOnlySpan<bool> y, Span<bool> destination) =>
        throw new InvalidOperationException("Subtraction, the `-` operator, with two bool tensors is not supported.");
}

internal readonly struct TypedMultiply : ITypedBinaryOperator
{
    public static string Name => "mul";

    public static DType ResultType(DType promoted) => promoted;

    public static void Invoke<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination)
        where T : unmanaged, INumber<T> => TensorPrimitives.Multiply(x, y, destination);

    public static void InvokeBool(ReadOnlySpan<bool> x, ReadOnlySpan<bool> y, Span<bool> destination)
    {
        for (int i = 0; i < destination.Length; i++)
        {
            destination[i] = x[i] & y[i];
        }
    }
}

/// <summary>True division: integers and bools divide as the default float (PyTorch's <c>div</c>).</summary>
internal readonly struct TypedDivide : ITypedBinaryOperator
{
    public static string Name => "div";

    public static DType ResultType(DType promoted) => promoted.IsFloatingPoint() ? promoted : DType.Float32;

    public static void Invoke<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination)
        where T : unmanaged, INumber<T> => TensorPrimitives.Divide(x, y, destination);

    public static void InvokeBool(ReadOnlySpan<bool> x, ReadOnlySpan<bool> y, Span<bool> destination) =>
        throw new InvalidOperationException("div on bool is computed in float");
}

/// <summary>
/// Floor division (PyTorch's <c>floor_divide</c>, Python's <c>//</c>): the quotient rounded toward −∞, for integers
/// (exact, with PyTorch's error for a zero divisor) and floats (<c>floor(a / b)</c>).
/// </summary>
internal readonly struct TypedFloorDivide : ITypedBinaryOperator
{
    public static string Name => "floor_divide";

    public static DType ResultType(DType promoted) =>
        promoted == DType.Bool ? throw Tensor.NotImplementedFor(DType.Bool, "div_floor_cpu") : promoted;

    public static void Invoke<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination)
        where T : unmanaged, INumber<T>
    {
        if (typeof(T) == typeof(double) || typeof(T) == typeof(float))
        {
            TensorPrimitives.Divide(x, y, destination);
            for (int i = 0; i < destination.Length; i++)
            {
                destination[i] = T.CreateTruncating(Math.Floor(double.CreateTruncating(destination[i])));
            }

            return;
        }

        for (int i = 0; i < destination.Length; i++)
        {
            T a = x[i], b = y[i];
            if (T.IsZero(b))
            {
                throw new DivideByZeroException("ZeroDivisionError");
            }

            T q = a / b;   // truncates toward zero
            if (!T.IsZero(a - (q * b)) && (T.IsNegative(a) != T.IsNegative(b)))
            {
                q -= T.One;
            }

            destination[i] = q;
        }
    }

    public static void InvokeBool(ReadOnlySpan<bool> x, ReadOnlySpan<bool> y, Span<bool> destination) =>
        throw Tensor.NotImplementedFor(DType.Bool, "div_floor_cpu");
}

/// <summary>
/// Element-wise binary ops on tensors of any dtype, with PyTorch's type promotion and broadcasting. Operands are
/// converted to the result type and broadcast into contiguous buffers, then one span kernel runs. float16 and bfloat16
/// compute in float32 and round once at the end, as PyTorch does on the CPU.
/// </summary>
internal static class TypedElementwise
{
    internal static Tensor Binary<TOperator>(Tensor a, Tensor b)
        where TOperator : ITypedBinaryOperator
    {
        TOperator.CheckOperands(a._dtype, b._dtype);
        return Binary<TOperator>(a, b, DTypes.ResultType(a, b));
    }

    /// <summary><c>op(x, scalar)</c> (or <c>op(scalar, x)</c>) with PyTorch's wrapped-number promotion.</summary>
    internal static Tensor BinaryScalar<TOperator>(Tensor x, double scalar, bool scalarIsFloatingPoint, bool scalarFirst)
        where TOperator : ITypedBinaryOperator
    {
        TOperator.CheckOperands(x._dtype, scalarIsFloatingPoint ? DType.Float64 : DType.Int64);
        DType promoted = DTypes.PromoteWithScalar(x._dtype, scalarIsFloatingPoint);
        Tensor s = Tensor.Scalar(scalar, promoted);
        return scalarFirst ? Binary<TOperator>(s, x, promoted) : Binary<TOperator>(x, s, promoted);
    }

    private static Tensor Binary<TOperator>(Tensor a, Tensor b, DType promoted)
        where TOperator : ITypedBinaryOperator
    {
        DType result = TOperator.ResultType(promoted);
        int[] shape = Broadcasting.Shapes(a._shape, b._shape);
        switch (result)
        {
            case DType.Float32:
                return Compute<TOperator, float>(a, b, shape, DType.Float32);
            case DType.Float64:
                return Compute<TOperator, double>(a, b, shape, DType.Float64);
            case DType.Int64:
                return Compute<TOperator, long>(a, b, shape, DType.Int64);
            case DType.Int32:
                return Compute<TOperator, int>(a, b, shape, DType.Int32);
            case DType.Float16:
            case DType.BFloat16:
                return Compute<TOperator, float>(a, b, shape, DType.Float32).To(result);
            case DType.Bool:
                {
                    bool[] x = Operand<bool>(a, DType.Bool, shape), y = Operand<bool>(b, DType.Bool, shape);
                    var output = new bool[x.Length];
                    TOperator.InvokeBool(x, y, output);
                    return new Tensor(output, DType.Bool, shape);
                }

            default:
                throw Tensor.NotImplementedFor(result, TOperator.Name);
        }
    }

    private static Tensor Compute<TOperator, T>(Tensor a, Tensor b, int[] shape, DType dtype)
        where TOperator : ITypedBinaryOperator
        where T : unmanaged, INumber<T>
    {
        T[] x = Operand<T>(a, dtype, shape);
        T[] y = Operand<T>(b, dtype, shape);
        var output = new T[x.Length];
        TOperator.Invoke<T>(x, y, output);
        return dtype == DType.Float32 ? new Tensor((float[])(object)output, shape) : new Tensor(output, dtype, shape);
    }

    /// <summary>The elements of <paramref name="t"/> as <paramref name="dtype"/>, broadcast to <paramref name="shape"/>, in a new contiguous array.</summary>
    internal static Array OperandArray(Tensor t, DType dtype, int[] shape) => dtype switch
    {
        DType.Float32 => Operand<float>(t, dtype, shape),
        DType.Float64 => Operand<double>(t, dtype, shape),
        DType.Int64 => Operand<long>(t, dtype, shape),
        DType.Int32 => Operand<int>(t, dtype, shape),
        DType.Bool => Operand<bool>(t, dtype, shape),
        DType.Float16 => Operand<Half>(t, dtype, shape),
        DType.BFloat16 => Operand<ushort>(t, dtype, shape),
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, null),
    };

    /// <summary>The elements of <paramref name="t"/> as <paramref name="dtype"/>, broadcast to <paramref name="shape"/>, contiguous.</summary>
    internal static T[] Operand<T>(Tensor t, DType dtype, int[] shape)
    {
        Tensor typed = t.ConvertedTo(dtype);
        int count = Shape.ElementCountOf(shape);
        if (typed.IsContiguous && typed._count == count && typed._offset == 0 && typed.Storage.Length == count && !ReferenceEquals(typed, t))
        {
            return (T[])typed.Storage;   // a fresh conversion of the right shape: no copy needed
        }

        var values = new T[count];
        int[] strides = Broadcast.StridesAs(typed, shape);
        Conversion.CopyStrided((T[])typed.Storage, typed._offset, shape, strides, values);
        return values;
    }
}
