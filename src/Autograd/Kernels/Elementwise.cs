using System.Numerics.Tensors;

namespace Autograd.Kernels;

/// <summary>A binary element-wise operator in the shape of TensorPrimitives' operator structs.</summary>
internal interface IBinaryOperator
{
    static abstract float Invoke(float x, float y);

    static abstract void Invoke(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> destination);

    static abstract void Invoke(ReadOnlySpan<float> x, float y, Span<float> destination);

    static abstract void Invoke(float x, ReadOnlySpan<float> y, Span<float> destination);
}

internal readonly struct AddOperator : IBinaryOperator
{
    public static float Invoke(float x, float y) => x + y;

    public static void Invoke(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> destination) => TensorPrimitives.Add(x, y, destination);

    public static void Invoke(ReadOnlySpan<float> x, float y, Span<float> destination) => TensorPrimitives.Add(x, y, destination);

    public static void Invoke(float x, ReadOnlySpan<float> y, Span<float> destination) => TensorPrimitives.Add(y, x, destination);
}

internal readonly struct SubtractOperator : IBinaryOperator
{
    public static float Invoke(float x, float y) => x - y;

    public static void Invoke(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> destination) => TensorPrimitives.Subtract(x, y, destination);

    public static void Invoke(ReadOnlySpan<float> x, float y, Span<float> destination) => TensorPrimitives.Subtract(x, y, destination);

    public static void Invoke(float x, ReadOnlySpan<float> y, Span<float> destination) => TensorPrimitives.Subtract(x, y, destination);
}

internal readonly struct MultiplyOperator : IBinaryOperator
{
    public static float Invoke(float x, float y) => x * y;

    public static void Invoke(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> destination) => TensorPrimitives.Multiply(x, y, destination);

    public static void Invoke(ReadOnlySpan<float> x, float y, Span<float> destination) => TensorPrimitives.Multiply(x, y, destination);

    public static void Invoke(float x, ReadOnlySpan<float> y, Span<float> destination) => TensorPrimitives.Multiply(y, x, destination);
}

internal readonly struct DivideOperator : IBinaryOperator
{
    public static float Invoke(float x, float y) => x / y;

    public static void Invoke(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> destination) => TensorPrimitives.Divide(x, y, destination);

    public static void Invoke(ReadOnlySpan<float> x, float y, Span<float> destination) => TensorPrimitives.Divide(x, y, destination);

    public static void Invoke(float x, ReadOnlySpan<float> y, Span<float> destination) => TensorPrimitives.Divide(x, y, destination);
}

/// <summary>Takes the right operand: the in-place kernels use it for fill and copy.</summary>
internal readonly struct CopyOperator : IBinaryOperator
{
    public static float Invoke(float x, float y) => y;

    public static void Invoke(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> destination) => y.CopyTo(destination);

    public static void Invoke(ReadOnlySpan<float> x, float y, Span<float> destination) => destination[..x.Length].Fill(y);

    public static void Invoke(float x, ReadOnlySpan<float> y, Span<float> destination) => y.CopyTo(destination);
}

/// <summary>A span-in, span-out unary kernel such as <c>TensorPrimitives.Exp</c>.</summary>
internal delegate void SpanMap(ReadOnlySpan<float> x, Span<float> destination);

/// <summary>A span-in, span-out kernel over two equally long inputs, such as <see cref="FusedBackward.Sigmoid"/>.</summary>
internal delegate void SpanMap2(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> destination);

/// <summary>Element-wise kernels over tensors: broadcasting binary operators and unary maps.</summary>
internal static class Elementwise
{
    /// <summary><c>op(a, b)</c> with NumPy broadcasting, into a new contiguous tensor.</summary>
    internal static Tensor Binary<TOperator>(Tensor a, Tensor b)
        where TOperator : IBinaryOperator
    {
        if (a._dtype != DType.Float32 || b._dtype != DType.Float32)
        {
            return Typed<TOperator>(a, b);
        }

        Tensor output = BinaryCore<TOperator>(a, b);
        return output;
    }

    private static Tensor BinaryCore<TOperator>(Tensor a, Tensor b)
        where TOperator : IBinaryOperator
    {
        int[] shape = Broadcasting.Shapes(a._shape, b._shape);
        int count = Shape.ElementCountOf(shape);
        float[] result = BufferPool.RentUninitialized(count);
        if (a.IsContiguous && b.IsContiguous)
        {
            bool aIsScalar = a._count == 1 && count > 1, bIsScalar = b._count == 1 && count > 1;
            if (ChunkedParallel.ShouldSplit(count) && (a._count == count || aIsScalar) && (b._count == count || bIsScalar))
            {
                ChunkedParallel.Binary<TOperator>(a.Data, a._offset, aIsScalar, b.Data, b._offset, bIsScalar, result, count);
                return new Tensor(result, shape);
            }

            if (a._count == count && b._count == count)
            {
                TOperator.Invoke(a.AsReadOnlySpan(), b.AsReadOnlySpan(), result);
                return new Tensor(result, shape);
            }

            if (b._count == 1 && a._count == count)
            {
                TOperator.Invoke(a.AsReadOnlySpan(), b.Data[b._offset], result);
                return new Tensor(result, shape);
            }

            if (a._count == 1 && b._count == count)
            {
                TOperator.Invoke(a.Data[a._offset], b.AsReadOnlySpan(), result);
                return new Tensor(result, shape);
            }
        }

        var rows = new BinaryRows<TOperator>(a.Data, b.Data, result);
        Broadcast.ForEachRow(shape, Broadcast.StridesAs(a, shape), a._offset, Broadcast.StridesAs(b, shape), b._offset, ref rows);
        return new Tensor(result, shape);
    }

    /// <summary><c>op(x, scalar)</c> into a new contiguous tensor.</summary>
    internal static Tensor BinaryScalar<TOperator>(Tensor x, float scalar, bool scalarFirst)
        where TOperator : IBinaryOperator
    {
        if (x._dtype != DType.Float32)
        {
            return TypedScalar<TOperator>(x, scalar, scalarIsFloatingPoint: true, scalarFirst);
        }

        Tensor output = BinaryScalarCore<TOperator>(x, scalar, scalarFirst);
        return output;
    }

    /// <summary>The same operator on tensors of other dtypes, with PyTorch's promotion (see <see cref="TypedElementwise"/>).</summary>
    internal static Tensor Typed<TOperator>(Tensor a, Tensor b)
        where TOperator : IBinaryOperator =>
        typeof(TOperator) == typeof(AddOperator) ? TypedElementwise.Binary<TypedAdd>(a, b)
        : typeof(TOperator) == typeof(SubtractOperator) ? TypedElementwise.Binary<TypedSubtract>(a, b)
        : typeof(TOperator) == typeof(MultiplyOperator) ? TypedElementwise.Binary<TypedMultiply>(a, b)
        : typeof(TOperator) == typeof(DivideOperator) ? TypedElementwise.Binary<TypedDivide>(a, b)
        : throw Tensor.NotImplementedFor(a._dtype == DType.Float32 ? b._dtype : a._dtype, typeof(TOperator).Name);

    /// <summary><c>op(x, scalar)</c> for tensors of other dtypes, with PyTorch's wrapped-number promotion.</summary>
    internal static Tensor TypedScalar<TOperator>(Tensor x, double scalar, bool scalarIsFloatingPoint, bool scalarFirst)
        where TOperator : IBinaryOperator =>
        typeof(TOperator) == typeof(AddOperator) ? TypedElementwise.BinaryScalar<TypedAdd>(x, scalar, scalarIsFloatingPoint, scalarFirst)
        : typeof(TOperator) == typeof(SubtractOperator) ? TypedElementwise.BinaryScalar<TypedSubtract>(x, scalar, scalarIsFloatingPoint, scalarFirst)
        : typeof(TOperator) == typeof(MultiplyOperator) ? TypedElementwise.BinaryScalar<TypedMultiply>(x, scalar, scalarIsFloatingPoint, scalarFirst)
        : typeof(TOperator) == typeof(DivideOperator) ? TypedElementwise.BinaryScalar<TypedDivide>(x, scalar, scalarIsFloatingPoint, scalarFirst)
        : throw Tensor.NotImplementedFor(x._dtype, typeof(TOperator).Name);

    private static Tensor BinaryScalarCore<TOperator>(Tensor x, float scalar, bool scalarFirst)
        where TOperator : IBinaryOperator
    {
        float[] result = BufferPool.RentUninitialized(x._count);
        if (x.IsContiguous && ChunkedParallel.ShouldSplit(x._count))
        {
            float[] scalarBox = [scalar];
            if (scalarFirst)
            {
                ChunkedParallel.Binary<TOperator>(scalarBox, 0, true, x.Data, x._offset, false, result, x._count);
            }
            else
            {
                ChunkedParallel.Binary<TOperator>(x.Data, x._offset, false, scalarBox, 0, true, result, x._count);
            }

            return new Tensor(result, x._shape);
        }

        ReadOnlySpan<float> source = x.ContiguousData();
        if (scalarFirst)
        {
            TOperator.Invoke(scalar, source, result);
        }
        else
        {
            TOperator.Invoke(source, scalar, result);
        }

        return new Tensor(result, x._shape);
    }

    /// <summary>Applies a span kernel to every element, into a new contiguous tensor.</summary>
    internal static Tensor Map(Tensor x, SpanMap kernel)
    {
        float[] result = BufferPool.RentUninitialized(x._count);
        if (x.IsContiguous && ChunkedParallel.ShouldSplit(x._count))
        {
            ChunkedParallel.Map(kernel, x.Data, x._offset, result, x._count);
        }
        else
        {
            kernel(x.ContiguousData(), result);
        }

        return new Tensor(result, x._shape);
    }

    /// <summary>Applies a two-input span kernel to tensors of one shape, into a new contiguous tensor.</summary>
    internal static Tensor Map(Tensor x, Tensor y, SpanMap2 kernel)
    {
        float[] result = BufferPool.RentUninitialized(x._count);
        if (x.IsContiguous && y.IsContiguous && ChunkedParallel.ShouldSplit(x._count))
        {
            ChunkedParallel.Map(kernel, x.Data, x._offset, y.Data, y._offset, result, x._count);
        }
        else
        {
            kernel(x.ContiguousData(), y.ContiguousData(), result);
        }

        return new Tensor(result, x._shape);
    }

    /// <summary>
    /// Whether a backward node may use its fused kernel: no graph is being recorded (the engine turns grad mode off
    /// during backward unless createGraph), so the gradient needs no nodes of its own, and the incoming gradient has
    /// the saved tensor's shape. The fused kernels are float32; other dtypes take the composed formula.
    /// </summary>
    internal static bool CanFuse(Tensor grad, Tensor saved) =>
        !GradMode.IsEnabled && grad._dtype == DType.Float32 && saved._dtype == DType.Float32 && grad._shape.AsSpan().SequenceEqual(saved._shape);

    /// <summary>In place: <c>target = op(target, other)</c>, with <paramref name="other"/> broadcast to <paramref name="target"/>'s shape.</summary>
    internal static void BinaryInPlace<TOperator>(Tensor target, Tensor other)
        where TOperator : IBinaryOperator
    {
        BinaryInPlaceCore<TOperator>(target, other);
    }

    private static void BinaryInPlaceCore<TOperator>(Tensor target, Tensor other)
        where TOperator : IBinaryOperator
    {
        int[] shape = Broadcasting.Shapes(target._shape, other._shape);
        if (!shape.AsSpan().SequenceEqual(target._shape))
        {
            throw new ArgumentException(
                $"output with shape {Shape.Format(target._shape)} doesn't match the broadcast shape {Shape.Format(shape)}", nameof(other));
        }

        if (target.IsContiguous)
        {
            Span<float> span = target.AsSpan();
            if (other._count == 1)
            {
                TOperator.Invoke(span, other.Data[other._offset], span);
            }
            else
            {
                ReadOnlySpan<float> source = other._count == target._count && other.IsContiguous ? other.AsReadOnlySpan() : Broadcast.Materialize(other, shape);
                TOperator.Invoke(span, source, span);
            }

            return;
        }

        var rows = new InPlaceRows<TOperator>(target.Data, Broadcast.Materialize(other, shape));
        int[] strides = Broadcast.StridesAs(target, shape);
        Broadcast.ForEachRow(shape, strides, target._offset, strides, target._offset, ref rows);
    }

    /// <summary>In place: <c>target = op(target, scalar)</c>.</summary>
    internal static void ScalarInPlace<TOperator>(Tensor target, float scalar)
        where TOperator : IBinaryOperator
    {
        if (target.IsContiguous)
        {
            Span<float> span = target.AsSpan();
            TOperator.Invoke(span, scalar, span);
            return;
        }

        BinaryInPlace<TOperator>(target, Tensor.Scalar(scalar));
    }

    private readonly struct BinaryRows<TOperator>(float[] a, float[] b, float[] result) : IRowVisitor
        where TOperator : IBinaryOperator
    {
        public void Visit(int offsetA, int offsetB, int offsetOut, int length, int strideA, int strideB)
        {
            Span<float> dest = result.AsSpan(offsetOut, length);
            if (strideA == 1 && strideB == 1)
            {
                TOperator.Invoke(a.AsSpan(offsetA, length), b.AsSpan(offsetB, length), dest);
            }
            else if (strideA == 1 && strideB == 0)
            {
                TOperator.Invoke(a.AsSpan(offsetA, length), b[offsetB], dest);
            }
            else if (strideA == 0 && strideB == 1)
            {
                TOperator.Invoke(a[offsetA], b.AsSpan(offsetB, length), dest);
            }
            else
            {
                for (int i = 0; i < length; i++)
                {
                    dest[i] = TOperator.Invoke(a[offsetA + (i * strideA)], b[offsetB + (i * strideB)]);
                }
            }
        }
    }

    private readonly struct InPlaceRows<TOperator>(float[] target, float[] source) : IRowVisitor
        where TOperator : IBinaryOperator
    {
        public void Visit(int offsetA, int offsetB, int offsetOut, int length, int strideA, int strideB)
        {
            for (int i = 0; i < length; i++)
            {
                int at = offsetA + (i * strideA);
                target[at] = TOperator.Invoke(target[at], source[offsetOut + i]);
            }
        }
    }
}
