namespace Autograd.NN;

/// <summary>
/// A lookup table of <c>numEmbeddings</c> vectors of size <c>embeddingDim</c> (PyTorch's <c>nn.Embedding</c>):
/// <c>y[…, :] = W[idx[…], :]</c> for an integer index tensor of any shape. W starts N(0, 1); the row
/// <c>paddingIdx</c>, when given, starts at zero and receives no gradient.
/// </summary>
public sealed class Embedding : Module<Tensor, Tensor>
{
    /// <summary>Creates the table with PyTorch's default initialisation.</summary>
    public Embedding(int numEmbeddings, int embeddingDim, int? paddingIdx = null, Generator? generator = null)
        : this(numEmbeddings, embeddingDim, paddingIdx, null, generator)
    {
    }

    private Embedding(int numEmbeddings, int embeddingDim, int? paddingIdx, Tensor? weight, Generator? generator)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(numEmbeddings);
        ArgumentOutOfRangeException.ThrowIfNegative(embeddingDim);
        if (paddingIdx is { } p)
        {
            if (p >= numEmbeddings || p < -numEmbeddings)
            {
                throw new ArgumentOutOfRangeException(nameof(paddingIdx), "Padding_idx must be within num_embeddings");
            }

            paddingIdx = p < 0 ? p + numEmbeddings : p;
        }

        NumEmbeddings = numEmbeddings;
        EmbeddingDim = embeddingDim;
        PaddingIdx = paddingIdx;
        if (weight is null)
        {
            Tensor w = Init.Normal_(Tensor.Zeros(numEmbeddings, embeddingDim), generator: generator);
            if (paddingIdx is { } row)
            {
                w.Select(0, row).Clear();
            }

            RegisterParameter("weight", w);
        }
        else
        {
            RegisterParameter("weight", weight);
        }
    }

    /// <summary>
    /// A table holding <paramref name="embeddings"/> ([num, dim], used as the parameter itself, as PyTorch's
    /// <c>from_pretrained</c>), frozen (not requiring grad) unless <paramref name="freeze"/> is false.
    /// </summary>
    public static Embedding FromPretrained(Tensor embeddings, bool freeze = true, int? paddingIdx = null)
    {
        ArgumentNullException.ThrowIfNull(embeddings);
        if (embeddings.Rank != 2)
        {
            throw new ArgumentException("Embeddings parameter is expected to be 2-dimensional", nameof(embeddings));
        }

        var embedding = new Embedding(embeddings.Shape[0], embeddings.Shape[1], paddingIdx, Parameter.Create(embeddings), null);
        embedding.Weight.RequiresGrad = !freeze;
        return embedding;
    }

    /// <summary>Number of rows.</summary>
    public int NumEmbeddings { get; }

    /// <summary>Size of each row.</summary>
    public int EmbeddingDim { get; }

    /// <summary>The row that receives no gradient (non-negative), or null.</summary>
    public int? PaddingIdx { get; }

    /// <summary>The [num, dim] table.</summary>
    public Tensor Weight => GetParameter("weight")!;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.DType is not (DType.Int64 or DType.Int32))
        {
            throw new ArgumentException(
                $"Expected tensor for argument #1 'indices' to have one of the following scalar types: Long, Int; but got {TensorTypeName(input.DType)} instead (while checking arguments for embedding)",
                nameof(input));
        }

        Tensor rows = Weight.IndexSelect(0, input.Reshape(-1));
        if (PaddingIdx is { } padding)
        {
            // The padding row's entries are taken detached, so the backward pass adds nothing to that row.
            Tensor isPadding = Tensor.Eq(input.Reshape(-1, 1), (long)padding).Expand(rows.Shape);
            rows = Tensor.Where(isPadding, rows.Detach(), rows);
        }

        return rows.Reshape([.. input.Shape, EmbeddingDim]);
    }

    /// <inheritdoc/>
    public override string ExtraRepr() =>
        $"{PyRepr.Int(NumEmbeddings)}, {PyRepr.Int(EmbeddingDim)}" + (PaddingIdx is { } p ? $", padding_idx={PyRepr.Int(p)}" : string.Empty);

    private static string TensorTypeName(DType dtype) => dtype switch
    {
        DType.Float32 => "torch.FloatTensor",
        DType.Float64 => "torch.DoubleTensor",
        DType.Bool => "torch.BoolTensor",
        DType.Float16 => "torch.HalfTensor",
        DType.BFloat16 => "torch.BFloat16Tensor",
        _ => dtype.ToString(),
    };
}
