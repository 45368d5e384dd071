using System.Collections;
using System.Runtime.CompilerServices;

namespace Autograd;

/// <summary>
/// The dimensions of a tensor (PyTorch's <c>torch.Size</c>). Immutable; prints as <c>[2, 3]</c>.
/// Converts implicitly to <see cref="ReadOnlySpan{T}"/> so it can be passed wherever a shape is taken.
/// </summary>
public readonly struct Shape : IEquatable<Shape>, IReadOnlyList<int>
{
    internal static readonly int[] ScalarDims = [];

    private readonly int[]? _dims;

    internal Shape(int[] dims) => _dims = dims;

    internal int[] Dims => _dims ?? ScalarDims;

    /// <summary>Number of dimensions (0 for a scalar).</summary>
    public int Rank => Dims.Length;

    /// <inheritdoc/>
    public int Count => Dims.Length;

    /// <summary>Size of dimension <paramref name="index"/>; negative indices count from the end.</summary>
    public int this[int index]
    {
        get
        {
            int[] dims = Dims;
            int i = index < 0 ? index + dims.Length : index;
            if ((uint)i >= (uint)dims.Length)
            {
                throw new ArgumentOutOfRangeException(nameof(index), $"Dimension out of range (expected to be in range of [{-dims.Length}, {dims.Length - 1}], but got {index})");
            }

            return dims[i];
        }
    }

    /// <summary>Total number of elements (1 for a scalar).</summary>
    public int ElementCount => ElementCountOf(Dims);

    /// <summary>The dimensions as a span.</summary>
    public ReadOnlySpan<int> AsSpan() => Dims;

    /// <summary>Copies the dimensions into a new array.</summary>
    public int[] ToArray() => (int[])Dims.Clone();

    /// <summary>Views the shape as a span of dimensions.</summary>
    public static implicit operator ReadOnlySpan<int>(Shape shape) => shape.Dims;

    /// <inheritdoc/>
    public bool Equals(Shape other) => Dims.AsSpan().SequenceEqual(other.Dims);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Shape other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (int d in Dims)
        {
            hash.Add(d);
        }

        return hash.ToHashCode();
    }

    /// <summary>Equality of dimensions.</summary>
    public static bool operator ==(Shape left, Shape right) => left.Equals(right);

    /// <summary>Inequality of dimensions.</summary>
    public static bool operator !=(Shape left, Shape right) => !left.Equals(right);

    /// <summary>Formats as <c>[d0, d1, …]</c>.</summary>
    public override string ToString() => Format(Dims);

    /// <inheritdoc/>
    public IEnumerator<int> GetEnumerator() => ((IEnumerable<int>)Dims).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    internal static string Format(ReadOnlySpan<int> dims) => "[" + string.Join(", ", dims.ToArray()) + "]";

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int ElementCountOf(ReadOnlySpan<int> dims)
    {
        int count = 1;
        foreach (int d in dims)
        {
            count *= d;
        }

        return count;
    }

    /// <summary>Validates user-supplied dimensions and returns an owned copy.</summary>
    internal static int[] Validate(ReadOnlySpan<int> dims, string paramName = "shape")
    {
        if (dims.Length == 0)
        {
            return ScalarDims;
        }

        long count = 1;
        foreach (int d in dims)
        {
            if (d < 0)
            {
                throw new ArgumentException($"Trying to create tensor with negative dimension {d}: {Format(dims)}", paramName);
            }

            count *= d;
            if (count > Array.MaxLength)
            {
                throw new ArgumentException($"Shape {Format(dims)} has more elements than a tensor can hold ({Array.MaxLength}).", paramName);
            }
        }

        return dims.ToArray();
    }

    internal static int[] ContiguousStrides(ReadOnlySpan<int> dims)
    {
        var strides = new int[dims.Length];
        int stride = 1;
        for (int i = dims.Length - 1; i >= 0; i--)
        {
            strides[i] = stride;
            stride *= Math.Max(dims[i], 1);
        }

        return strides;
    }

    /// <summary>
    /// PyTorch's <c>is_contiguous()</c> rule: walking from the last dimension, every dimension of size other than 1 has
    /// the stride of a row-major layout (the product of the sizes after it). Size-1 dimensions are never stepped
    /// over, so their stride does not matter; a tensor with no elements is contiguous.
    /// </summary>
    internal static bool IsContiguous(ReadOnlySpan<int> dims, ReadOnlySpan<int> strides)
    {
        if (ElementCountOf(dims) == 0)
        {
            return true;
        }

        int expected = 1;
        for (int i = dims.Length - 1; i >= 0; i--)
        {
            if (dims[i] == 1)
            {
                continue;
            }

            if (strides[i] != expected)
            {
                return false;
            }

            expected *= dims[i];
        }

        return true;
    }

    /// <summary>
    /// The strides with which a tensor of <paramref name="oldShape"/>/<paramref name="oldStrides"/> can be viewed as
    /// <paramref name="newShape"/> without copying, or null when no such strides exist (PyTorch's <c>computeStride</c>).
    /// </summary>
    /// <remarks>
    /// The old dimensions are cut into chunks that are contiguous among themselves (dimension d-1 steps exactly over
    /// all of dimension d: stride[d-1] = size[d]·stride[d]); each chunk behaves like one flat run with the stride of its
    /// last dimension. A view exists iff the new dimensions can be grouped, in order, into runs with the same element
    /// counts as the chunks: within a run, each new dimension's stride is the chunk's base stride times the count of
    /// the new dimensions after it in that run. Size-1 dimensions fit anywhere.
    /// </remarks>
    internal static int[]? ComputeViewStrides(ReadOnlySpan<int> oldShape, ReadOnlySpan<int> oldStrides, ReadOnlySpan<int> newShape)
    {
        if (oldShape.Length == 0)
        {
            int[] ones = new int[newShape.Length];
            Array.Fill(ones, 1);
            return ones;
        }

        int count = ElementCountOf(oldShape);
        if (count == 0)
        {
            // The strides of an empty tensor are arbitrary: NumPy keeps them when the shape is unchanged, else uses row-major.
            return oldShape.SequenceEqual(newShape) ? oldStrides.ToArray() : ContiguousStrides(newShape);
        }

        var newStrides = new int[newShape.Length];
        int viewDim = newShape.Length - 1;
        long chunkBaseStride = oldStrides[^1];
        long tensorCount = 1, viewCount = 1;
        for (int tensorDim = oldShape.Length - 1; tensorDim >= 0; tensorDim--)
        {
            tensorCount *= oldShape[tensorDim];

            // The end of a chunk: the next dimension out does not step exactly over this whole chunk.
            if (tensorDim == 0 || (oldShape[tensorDim - 1] != 1 && oldStrides[tensorDim - 1] != tensorCount * chunkBaseStride))
            {
                while (viewDim >= 0 && (viewCount < tensorCount || newShape[viewDim] == 1))
                {
                    newStrides[viewDim] = (int)(viewCount * chunkBaseStride);
                    viewCount *= newShape[viewDim];
                    viewDim--;
                }

                if (viewCount != tensorCount)
                {
                    return null;
                }

                if (tensorDim > 0)
                {
                    chunkBaseStride = oldStrides[tensorDim - 1];
                    tensorCount = 1;
                    viewCount = 1;
                }
            }
        }

        return viewDim == -1 ? newStrides : null;
    }

    /// <summary>Normalises a possibly negative dimension index against <paramref name="rank"/>.</summary>
    internal static int NormalizeDim(int dim, int rank)
    {
        int r = Math.Max(rank, 1);
        int d = dim < 0 ? dim + r : dim;
        if ((uint)d >= (uint)r)
        {
            throw new ArgumentOutOfRangeException(nameof(dim), $"Dimension out of range (expected to be in range of [{-r}, {r - 1}], but got {dim})");
        }

        return d;
    }
}
