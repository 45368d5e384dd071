namespace Autograd;

/// <summary>Shape helpers shared by the joining ops (cat, stack, split, repeat, flip, roll).</summary>
internal static class Joining
{
    /// <summary>Whether an op on <paramref name="tensors"/> must record a node: grad mode is on and one of them requires grad.</summary>
    internal static bool ShouldRecord(ReadOnlySpan<Tensor> tensors)
    {
        foreach (Tensor t in tensors)
        {
            if (GradMode.ShouldRecord(t))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A private copy of a list of tensors (so that it cannot change under the op), refusing null entries.</summary>
    internal static Tensor[] ToArray(IReadOnlyList<Tensor> tensors)
    {
        var array = new Tensor[tensors.Count];
        for (int i = 0; i < array.Length; i++)
        {
            array[i] = tensors[i] ?? throw new ArgumentNullException(nameof(tensors), $"tensor number {i} in the list is null");
        }

        return array;
    }

    /// <inheritdoc cref="ToArray(IReadOnlyList{Tensor})"/>
    internal static Tensor[] ToArray(ReadOnlySpan<Tensor> tensors)
    {
        var array = new Tensor[tensors.Length];
        for (int i = 0; i < array.Length; i++)
        {
            array[i] = tensors[i] ?? throw new ArgumentNullException(nameof(tensors), $"tensor number {i} in the list is null");
        }

        return array;
    }

    /// <summary>
    /// Wraps a possibly negative dimension of a tensor that must have one (PyTorch's <c>maybe_wrap_dim</c> with
    /// <c>wrap_scalar=False</c>, as <c>unbind</c>, <c>roll</c> and <c>repeat_interleave</c> use it): a 0-d tensor has none.
    /// </summary>
    internal static int NormalizeDimOfNonScalar(int dim, int rank) =>
        rank == 0
            ? throw new ArgumentOutOfRangeException(nameof(dim), $"Dimension specified as {dim} but tensor has no dimensions")
            : Shape.NormalizeDim(dim, rank);

    /// <summary>A destination for a joining op's result, from the CPU backend's storage (see <see cref="CpuBackend.Storage"/>).</summary>
    internal static Array Allocate(DType dtype, int count, bool zeroed = false) => CpuBackend.Storage(dtype, count, zeroed);

    /// <summary>A fresh contiguous tensor over <paramref name="storage"/> from <see cref="Allocate"/>.</summary>
    internal static Tensor Wrap(Array storage, DType dtype, int[] shape) =>
        dtype == DType.Float32 ? new Tensor((float[])storage, shape) : new Tensor(storage, dtype, shape);

    /// <summary>
    /// <see cref="Kernels.StridedCopy.Copy{T}"/> for storage arrays of one element type, whichever it is: the copy
    /// kernel is generic, so every dtype moves its elements bit for bit.
    /// </summary>
    internal static void Copy(
        Array source, int sourceOffset, ReadOnlySpan<int> sourceStrides,
        Array destination, int destinationOffset, ReadOnlySpan<int> destinationStrides, ReadOnlySpan<int> shape)
    {
        switch (destination)
        {
            case float[] d:
                Kernels.StridedCopy.Copy<float>((float[])source, sourceOffset, sourceStrides, d, destinationOffset, destinationStrides, shape);
                break;
            case double[] d:
                Kernels.StridedCopy.Copy<double>((double[])source, sourceOffset, sourceStrides, d, destinationOffset, destinationStrides, shape);
                break;
            case long[] d:
                Kernels.StridedCopy.Copy<long>((long[])source, sourceOffset, sourceStrides, d, destinationOffset, destinationStrides, shape);
                break;
            case int[] d:
                Kernels.StridedCopy.Copy<int>((int[])source, sourceOffset, sourceStrides, d, destinationOffset, destinationStrides, shape);
                break;
            case bool[] d:
                Kernels.StridedCopy.Copy<bool>((bool[])source, sourceOffset, sourceStrides, d, destinationOffset, destinationStrides, shape);
                break;
            case Half[] d:
                Kernels.StridedCopy.Copy<Half>((Half[])source, sourceOffset, sourceStrides, d, destinationOffset, destinationStrides, shape);
                break;
            case ushort[] d:
                Kernels.StridedCopy.Copy<ushort>((ushort[])source, sourceOffset, sourceStrides, d, destinationOffset, destinationStrides, shape);
                break;
            default:
                throw new NotSupportedException($"no copy for storage {destination.GetType().Name}");
        }
    }

    /// <summary>
    /// The dtype cat and stack produce: PyTorch's promotion over every input (a float32 and a float64 tensor join as
    /// float64, an int64 and a float32 one as float32).
    /// </summary>
    internal static DType ResultType(Tensor[] tensors)
    {
        DType result = tensors[0]._dtype;
        for (int i = 1; i < tensors.Length; i++)
        {
            result = DTypes.Promote(result, tensors[i]._dtype);
        }

        return result;
    }

    /// <summary>The element strides of <paramref name="t"/> (row-major ones when it is contiguous).</summary>
    internal static int[] StridesOf(Tensor t) => t._strides ?? Shape.ContiguousStrides(t._shape);

    /// <summary>
    /// <paramref name="strides"/>, or null when a tensor of <paramref name="shape"/> with them is laid out row-major
    /// (strides of size-1 dimensions never matter, so they are not compared).
    /// </summary>
    internal static int[]? NullIfRowMajor(ReadOnlySpan<int> shape, int[] strides)
    {
        int expected = 1;
        for (int d = shape.Length - 1; d >= 0; d--)
        {
            if (shape[d] != 1 && strides[d] != expected)
            {
                return strides;
            }

            expected *= shape[d];
        }

        return null;
    }

    /// <summary><paramref name="shape"/> without dimension <paramref name="dim"/>.</summary>
    internal static int[] Without(ReadOnlySpan<int> shape, int dim)
    {
        if (shape.Length == 1)
        {
            return Shape.ScalarDims;
        }

        var result = new int[shape.Length - 1];
        shape[..dim].CopyTo(result);
        shape[(dim + 1)..].CopyTo(result.AsSpan(dim));
        return result;
    }

    /// <summary><paramref name="shape"/> with <paramref name="size"/> inserted as dimension <paramref name="dim"/>.</summary>
    internal static int[] With(ReadOnlySpan<int> shape, int dim, int size)
    {
        var result = new int[shape.Length + 1];
        shape[..dim].CopyTo(result);
        result[dim] = size;
        shape[dim..].CopyTo(result.AsSpan(dim + 1));
        return result;
    }
}
