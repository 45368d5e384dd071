namespace Autograd;

/// <summary>The element type of a tensor (PyTorch's <c>torch.dtype</c>).</summary>
public enum DType
{
    /// <summary>32-bit IEEE float (<c>torch.float32</c>), the default.</summary>
    Float32,

    /// <summary>64-bit IEEE float (<c>torch.float64</c>).</summary>
    Float64,

    /// <summary>64-bit signed integer (<c>torch.int64</c>, <c>torch.long</c>).</summary>
    Int64,

    /// <summary>32-bit signed integer (<c>torch.int32</c>, <c>torch.int</c>).</summary>
    Int32,

    /// <summary>Boolean (<c>torch.bool</c>).</summary>
    Bool,

    /// <summary>16-bit IEEE float (<c>torch.float16</c>): storage and conversion only.</summary>
    Float16,

    /// <summary>bfloat16 (<c>torch.bfloat16</c>), stored as the upper 16 bits of a float32: storage and conversion only.</summary>
    BFloat16,
}

/// <summary>Facts about each <see cref="DType"/> and PyTorch's type promotion.</summary>
public static class DTypes
{
    /// <summary>Whether tensors of <paramref name="dtype"/> hold floating-point values (and so may require grad).</summary>
    public static bool IsFloatingPoint(this DType dtype) =>
        dtype is DType.Float32 or DType.Float64 or DType.Float16 or DType.BFloat16;

    /// <summary>Bytes per element.</summary>
    public static int ElementSize(this DType dtype) => dtype switch
    {
        DType.Float32 or DType.Int32 => 4,
        DType.Float64 or DType.Int64 => 8,
        DType.Float16 or DType.BFloat16 => 2,
        DType.Bool => 1,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, null),
    };

    /// <summary>PyTorch's name, e.g. <c>torch.float64</c>.</summary>
    public static string TorchName(this DType dtype) => "torch." + dtype switch
    {
        DType.Float32 => "float32",
        DType.Float64 => "float64",
        DType.Int64 => "int64",
        DType.Int32 => "int32",
        DType.Bool => "bool",
        DType.Float16 => "float16",
        DType.BFloat16 => "bfloat16",
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, null),
    };

    /// <summary>PyTorch's scalar-type name used in error messages, e.g. <c>Float</c>, <c>Long</c>.</summary>
    public static string ScalarTypeName(this DType dtype) => dtype switch
    {
        DType.Float32 => "Float",
        DType.Float64 => "Double",
        DType.Int64 => "Long",
        DType.Int32 => "Int",
        DType.Bool => "Bool",
        DType.Float16 => "Half",
        DType.BFloat16 => "BFloat16",
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, null),
    };

    /// <summary>PyTorch's legacy tensor-type name used in some messages, e.g. <c>torch.FloatTensor</c>.</summary>
    internal static string LegacyTensorName(this DType dtype) => $"torch.{dtype.ScalarTypeName()}Tensor";

    /// <summary>
    /// The result type of a binary op on two tensors (PyTorch's <c>torch.promote_types</c>): bool &lt; integers &lt;
    /// floats, and within a kind the wider type; int32 with int64 is int64, float16 with bfloat16 is float32.
    /// </summary>
    public static DType Promote(DType a, DType b)
    {
        if (a == b)
        {
            return a;
        }

        int ka = Kind(a), kb = Kind(b);
        if (ka != kb)
        {
            return ka > kb ? a : b;
        }

        return ka switch
        {
            1 => DType.Int64,   // int32 with int64
            _ => (a, b) is (DType.Float16, DType.BFloat16) or (DType.BFloat16, DType.Float16)
                ? DType.Float32
                : Rank(a) > Rank(b) ? a : b,
        };
    }

    /// <summary>
    /// The result type of a binary op on two tensors (PyTorch's <c>torch.result_type</c>): as <see cref="Promote"/>,
    /// except that a 0-d tensor only lifts the category (bool, integer, float) of tensors with dimensions, never their
    /// width: a float32 vector plus a float64 0-d tensor is float32, an int32 vector plus a float64 0-d tensor float64.
    /// </summary>
    internal static DType ResultType(Tensor a, Tensor b)
    {
        bool aScalar = a.Rank == 0, bScalar = b.Rank == 0;
        if (aScalar == bScalar)
        {
            return Promote(a._dtype, b._dtype);
        }

        (DType dimensioned, DType zeroDim) = aScalar ? (b._dtype, a._dtype) : (a._dtype, b._dtype);
        return Kind(zeroDim) > Kind(dimensioned) ? zeroDim : dimensioned;
    }

    /// <summary>
    /// The result type of a tensor of <paramref name="tensor"/> with a C# number (PyTorch's wrapped-number rule): the
    /// number only lifts the kind (an integer tensor with a floating number gives the default float), never the width.
    /// </summary>
    internal static DType PromoteWithScalar(DType tensor, bool scalarIsFloatingPoint) =>
        scalarIsFloatingPoint && !tensor.IsFloatingPoint() ? DType.Float32
        : !scalarIsFloatingPoint && tensor == DType.Bool ? DType.Int64
        : tensor;

    /// <summary>
    /// Whether an op's result of <paramref name="from"/> may be written into a tensor of <paramref name="to"/> (PyTorch's
    /// <c>torch.can_cast</c>): never from floating to integral or bool, nor from integral to bool.
    /// </summary>
    public static bool CanCast(DType from, DType to) => Kind(from) <= Kind(to);

    /// <summary>0 for bool, 1 for integers, 2 for floats.</summary>
    private static int Kind(DType dtype) => dtype == DType.Bool ? 0 : dtype.IsFloatingPoint() ? 2 : 1;

    private static int Rank(DType dtype) => dtype switch
    {
        DType.Float16 or DType.BFloat16 => 0,
        DType.Float32 => 1,
        _ => 2,
    };

    /// <summary>The .NET array element type that stores <paramref name="dtype"/>.</summary>
    internal static Type StorageType(this DType dtype) => dtype switch
    {
        DType.Float32 => typeof(float),
        DType.Float64 => typeof(double),
        DType.Int64 => typeof(long),
        DType.Int32 => typeof(int),
        DType.Bool => typeof(bool),
        DType.Float16 => typeof(Half),
        DType.BFloat16 => typeof(ushort),
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, null),
    };

    /// <summary>The dtype whose storage element is <typeparamref name="T"/> (ushort is bfloat16's storage).</summary>
    internal static DType Of<T>() =>
        typeof(T) == typeof(float) ? DType.Float32
        : typeof(T) == typeof(double) ? DType.Float64
        : typeof(T) == typeof(long) ? DType.Int64
        : typeof(T) == typeof(int) ? DType.Int32
        : typeof(T) == typeof(bool) ? DType.Bool
        : typeof(T) == typeof(Half) ? DType.Float16
        : typeof(T) == typeof(ushort) ? DType.BFloat16
        : throw new NotSupportedException($"{typeof(T).Name} is not a tensor element type; use float, double, long, int, bool or Half.");

    /// <summary>A new zeroed array of <paramref name="count"/> elements of <paramref name="dtype"/>'s storage type.</summary>
    internal static Array NewArray(this DType dtype, int count) => dtype switch
    {
        DType.Float32 => new float[count],
        DType.Float64 => new double[count],
        DType.Int64 => new long[count],
        DType.Int32 => new int[count],
        DType.Bool => new bool[count],
        DType.Float16 => new Half[count],
        DType.BFloat16 => new ushort[count],
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, null),
    };
}
