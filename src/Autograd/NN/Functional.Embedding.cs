namespace Autograd.NN;

/// <summary>Table lookup and padding (PyTorch's <c>F.embedding</c> and <c>F.pad</c>).</summary>
public static partial class Functional
{
    /// <summary>
    /// Rows of the table <paramref name="weight"/> [V, D] at the int64 or int32 <paramref name="input"/> indices (any
    /// shape S), giving [S…, D]. The gradient of the table adds up the gradient rows of repeated indices; the row
    /// <paramref name="paddingIdx"/> (negative counts from V) receives none.
    /// </summary>
    public static Tensor Embedding(Tensor input, Tensor weight, long? paddingIdx = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(weight);
        if (input.DType is not (DType.Int64 or DType.Int32))
        {
            throw new ArgumentException(
                $"Expected tensor for argument #1 'indices' to have one of the following scalar types: Long, Int; but got {input.DType.LegacyTensorName()} instead (while checking arguments for embedding)",
                nameof(input));
        }

        if (weight.Rank != 2)
        {
            throw new ArgumentException("'weight' must be 2-D", nameof(weight));
        }

        int rows = weight.Shape[0];
        long padding = -1;
        if (paddingIdx is long p)
        {
            if (p >= rows || p < -rows)
            {
                throw new ArgumentOutOfRangeException(nameof(paddingIdx), "Padding_idx must be within num_embeddings");
            }

            padding = p < 0 ? p + rows : p;
        }

        foreach (long index in input.ToArray<long>())
        {
            if ((ulong)index >= (ulong)rows)
            {
                throw new ArgumentOutOfRangeException(nameof(input), "index out of range in self");
            }
        }

        return Tensor.EmbeddingLookup(input.DType == DType.Int64 ? input : input.To(DType.Int64), weight, padding);
    }

    /// <summary>
    /// Pads the last dimensions: <paramref name="pad"/> holds (left, right) pairs from the last dimension backwards.
    /// Modes: "constant" (filled with <paramref name="value"/>; negative amounts crop), "reflect" (mirrored without the
    /// edge: [a b c] padded by 2 on the left is [c b a b c]), "replicate" (the edge repeated) and "circular" (wrapped
    /// around); the last three pad 1–3 dimensions of a batched or unbatched input (circular: batched only, as PyTorch 1.13).
    /// </summary>
    public static Tensor Pad(Tensor input, int[] pad, string mode = "constant", double value = 0)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(pad);
        if (pad.Length % 2 != 0)
        {
            throw new ArgumentException("Padding length must be divisible by 2", nameof(pad));
        }

        int dims = pad.Length / 2;
        if (dims > input.Rank)
        {
            throw new ArgumentException("Padding length too large", nameof(pad));
        }

        if (mode is not ("constant" or "reflect" or "replicate" or "circular"))
        {
            throw new NotSupportedException($"Unrecognised padding mode {mode}");
        }

        if (mode != "constant" && (dims is < 1 or > 3 || (input.Rank != dims + 1 && input.Rank != dims + 2)))
        {
            throw new NotSupportedException("Only 2D, 3D, 4D, 5D padding with non-constant padding are supported for now");
        }

        if (mode == "circular" && input.Rank == dims + 1)
        {
            throw new ArgumentException($"Invalid padding size, expected {2 * (input.Rank - 2)} but got {pad.Length}", nameof(pad));
        }

        Tensor result = input;
        for (int k = 0; k < dims; k++)
        {
            int dim = input.Rank - 1 - k;
            int left = pad[2 * k], right = pad[(2 * k) + 1];
            int size = result.Shape[dim];
            if (mode == "reflect" && (left >= size || right >= size))
            {
                throw new ArgumentException(
                    $"Argument #{4 + (2 * k)}: Padding size should be less than the corresponding input dimension, but got: padding ({left}, {right}) at dimension {dim} of input {Sizes(input.Shape)}",
                    nameof(pad));
            }

            if (mode == "circular" && (left > size || right > size))
            {
                throw new ArgumentException("Padding value causes wrapping around more than once.", nameof(pad));
            }

            result = PadDim(result, dim, left, right, mode, value);
        }

        return result;
    }

    /// <summary>One dimension of <see cref="Pad"/>: [left piece, x, right piece] joined along <paramref name="dim"/>.</summary>
    private static Tensor PadDim(Tensor x, int dim, int left, int right, string mode, double value)
    {
        if (left < 0)
        {
            x = x.Narrow(dim, -left, x.Shape[dim] + left);
            left = 0;
        }

        if (right < 0)
        {
            x = x.Narrow(dim, 0, x.Shape[dim] + right);
            right = 0;
        }

        if (left == 0 && right == 0)
        {
            return x;
        }

        int size = x.Shape[dim];
        var pieces = new List<Tensor>(3);
        if (left > 0)
        {
            pieces.Add(Piece(x, dim, left, size, mode, value, leftSide: true));
        }

        pieces.Add(x);
        if (right > 0)
        {
            pieces.Add(Piece(x, dim, right, size, mode, value, leftSide: false));
        }

        return Tensor.Cat(pieces, dim);
    }

    private static Tensor Piece(Tensor x, int dim, int amount, int size, string mode, double value, bool leftSide)
    {
        int[] shape = x.Shape.ToArray();
        shape[dim] = amount;
        switch (mode)
        {
            case "constant":
                return Tensor.Full(shape, value, x.DType);
            case "replicate":
                return x.Narrow(dim, leftSide ? 0 : size - 1, 1).Expand(shape);
            case "reflect":
                return x.Narrow(dim, leftSide ? 1 : size - 1 - amount, amount).Flip(dim);
            default:
                return x.Narrow(dim, leftSide ? size - amount : 0, amount);
        }
    }
}
