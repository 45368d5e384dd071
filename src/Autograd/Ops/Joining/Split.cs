namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>
    /// Splits this tensor along <paramref name="dim"/> into pieces of <paramref name="splitSize"/> elements; the last
    /// one is smaller when the size does not divide evenly (PyTorch's <c>split</c>).
    /// </summary>
    /// <param name="splitSize">The size of each piece along <paramref name="dim"/>; 0 only when that dimension is empty.</param>
    /// <param name="dim">The dimension to split; negative values count from the end.</param>
    /// <returns>Views that share this tensor's storage, as PyTorch's.</returns>
    public Tensor[] Split(int splitSize, int dim = 0)
    {
        if (Rank == 0)
        {
            throw new ArgumentException("split expects at least a 1-dimensional tensor", nameof(dim));
        }

        if (splitSize < 0)
        {
            throw new ArgumentException($"split expects split_size be non-negative, but got split_size={splitSize}", nameof(splitSize));
        }

        int d = Autograd.Shape.NormalizeDim(dim, Rank);
        int size = _shape[d];
        if (splitSize == 0 && size != 0)
        {
            throw new ArgumentException($"split_size can only be 0 if dimension size is 0, but got dimension size of {size}", nameof(splitSize));
        }

        // PyTorch: max(ceil(size / splitSize), 1) pieces, so an empty dimension still gives one (empty) piece.
        int count = splitSize == 0 ? 1 : Math.Max((int)(((long)size + splitSize - 1) / splitSize), 1);
        var pieces = new Tensor[count];
        for (int i = 0; i < count; i++)
        {
            int start = (int)Math.Min((long)i * splitSize, size);
            pieces[i] = NarrowView(d, start, Math.Min(splitSize, size - start), squeeze: false, "SplitBackward");
        }

        return pieces;
    }

    /// <summary>
    /// Splits this tensor along <paramref name="dim"/> into pieces of the given sizes, which must add up to that
    /// dimension's size (PyTorch's <c>split</c> with a list, <c>split_with_sizes</c>).
    /// </summary>
    /// <param name="splitSizes">The size of each piece along <paramref name="dim"/>, in order; zeros give empty pieces.</param>
    /// <param name="dim">The dimension to split; negative values count from the end.</param>
    /// <returns>Views that share this tensor's storage, as PyTorch's.</returns>
    public Tensor[] Split(int[] splitSizes, int dim = 0)
    {
        ArgumentNullException.ThrowIfNull(splitSizes);
        if (Rank == 0)
        {
            throw new ArgumentException("split expects at least a 1-dimensional tensor", nameof(dim));
        }

        int d = Autograd.Shape.NormalizeDim(dim, Rank);
        long sum = 0;
        foreach (int s in splitSizes)
        {
            if (s < 0)
            {
                throw new ArgumentException(
                    $"split_with_sizes expects split_sizes have only non-negative entries, but got split_sizes={Autograd.Shape.Format(splitSizes)}", nameof(splitSizes));
            }

            sum += s;
        }

        if (sum != _shape[d])
        {
            throw new ArgumentException(
                $"split_with_sizes expects split_sizes to sum exactly to {_shape[d]} (input tensor's size at dimension {d}), but got split_sizes={Autograd.Shape.Format(splitSizes)}",
                nameof(splitSizes));
        }

        return SplitWithSizes(splitSizes, d);
    }

    /// <summary>
    /// Splits this tensor along <paramref name="dim"/> into at most <paramref name="chunks"/> pieces of
    /// <c>ceil(size / chunks)</c> elements, the last one smaller (PyTorch's <c>chunk</c>); fewer pieces come back when
    /// the size does not allow that many, e.g. 3 chunks of a size-4 dimension are of sizes 2 and 2.
    /// </summary>
    /// <param name="chunks">The greatest number of pieces; positive.</param>
    /// <param name="dim">The dimension to split; negative values count from the end.</param>
    /// <returns>Views that share this tensor's storage, as PyTorch's.</returns>
    public Tensor[] Chunk(int chunks, int dim = 0)
    {
        if (Rank == 0)
        {
            throw new ArgumentException("chunk expects at least a 1-dimensional tensor", nameof(dim));
        }

        if (chunks <= 0)
        {
            throw new ArgumentException($"chunk expects `chunks` to be greater than 0, got: {chunks}", nameof(chunks));
        }

        int d = Autograd.Shape.NormalizeDim(dim, Rank);
        int size = _shape[d];
        int splitSize = (int)(((long)size + chunks - 1) / chunks);
        if (size == 0)
        {
            // As PyTorch: split(0) would give one piece, so an empty dimension gives `chunks` empty pieces instead.
            return SplitWithSizes(new int[chunks], d);
        }

        return Split(splitSize, d);
    }

    /// <summary>
    /// The slices of this tensor along <paramref name="dim"/>, with that dimension removed (PyTorch's <c>unbind</c>):
    /// slice i of a [n, …] tensor is <c>x[i]</c>.
    /// </summary>
    /// <param name="dim">The dimension to remove; negative values count from the end.</param>
    /// <returns>Views that share this tensor's storage, as PyTorch's.</returns>
    public Tensor[] Unbind(int dim = 0)
    {
        int d = Joining.NormalizeDimOfNonScalar(dim, Rank);
        var pieces = new Tensor[_shape[d]];
        for (int i = 0; i < pieces.Length; i++)
        {
            pieces[i] = NarrowView(d, i, 1, squeeze: true, "UnbindBackward");
        }

        return pieces;
    }

    private Tensor[] SplitWithSizes(int[] sizes, int d)
    {
        var pieces = new Tensor[sizes.Length];
        int start = 0;
        for (int i = 0; i < sizes.Length; i++)
        {
            pieces[i] = NarrowView(d, start, sizes[i], squeeze: false, "SplitWithSizesBackward");
            start += sizes[i];
        }

        return pieces;
    }

    /// <summary>
    /// A view of elements <c>[start, start + length)</c> of dimension <paramref name="dim"/> (wrapped), with that
    /// dimension removed when <paramref name="squeeze"/> (length 1): same strides, offset moved by start·stride.
    /// </summary>
    private Tensor NarrowView(int dim, int start, int length, bool squeeze, string nodeName)
    {
        int[] strides = Joining.StridesOf(this);
        int offset = length == 0 ? _offset : _offset + (start * strides[dim]);
        int[] shape = (int[])_shape.Clone();
        shape[dim] = length;
        if (squeeze)
        {
            shape = Joining.Without(shape, dim);
            strides = Joining.Without(strides, dim);
        }

        var output = new Tensor(this, offset, shape, Joining.NullIfRowMajor(shape, strides));
        return GradMode.ShouldRecord(this) ? output.WithGradFn(new NarrowBackward(this, dim, start, squeeze, nodeName)) : output;
    }
}

/// <summary>
/// One piece of split, chunk or unbind: <c>out = x[…, start : start + n, …]</c> (a view; for unbind, with the dimension
/// removed): ∂L/∂x = g (with the dimension restored as size 1) padded with zeros to x's size along dim. Each piece is
/// its own node, so pieces that are never used contribute nothing, and a piece used several times has its gradients
/// summed by the engine before this runs. Nothing is saved.
/// </summary>
/// <remarks>
/// PyTorch records one node with an output per piece and concatenates the pieces' gradients once; the engine here
/// gives a node one output, so k used pieces cost k zero-padded gradients of x's size, summed by the engine.
/// </remarks>
internal sealed class NarrowBackward(Tensor x, int dim, int start, bool squeezed, string name) : Node(x)
{
    private readonly int _size = x._shape[dim];

    /// <summary>PyTorch's name for the node of the op that made the piece: SplitBackward, SplitWithSizesBackward or UnbindBackward.</summary>
    public override string Name => name;

    protected internal override Tensor?[] Apply(Tensor grad)
    {
        if (_size == (squeezed ? 1 : grad._shape[dim]))
        {
            return [squeezed ? grad.Reshape(Joining.With(grad._shape, dim, 1)) : grad];   // the piece is all of x
        }

        return [grad.PadNarrow(dim, start, _size, unsqueeze: squeezed)];
    }
}
