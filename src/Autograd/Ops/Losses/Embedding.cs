namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>
    /// Rows of <paramref name="weight"/> [V, D] at int64 or int32 <paramref name="indices"/> (any shape S), giving
    /// [S…, D]; the gradient accumulates repeated indices and skips the row <paramref name="paddingIdx"/> (when ≥ 0).
    /// </summary>
    internal static Tensor EmbeddingLookup(Tensor indices, Tensor weight, long paddingIdx)
    {
        Tensor flat = indices.Reshape(indices._count);
        Tensor rows;
        using (GradMode.NoGrad())
        {
            rows = weight.IndexSelect(0, flat);
        }

        Tensor output = rows.Reshape([.. indices._shape, weight._shape[1]]);
        return GradMode.ShouldRecord(weight) ? output.WithGradFn(new EmbeddingBackward(weight, flat, paddingIdx)) : output;
    }
}

/// <summary>
/// out[s] = W[iₛ]: ∂L/∂W = Σₛ [iₛ = k]·gₛ for each row k (index_add of the gradient rows), with the padding row's
/// contributions masked out. Linear in g, written in tensor ops.
/// </summary>
internal sealed class EmbeddingBackward(Tensor weight, Tensor flat, long paddingIdx) : Node(weight)
{
    private readonly int[] _weightShape = weight._shape;
    private readonly DType _dtype = weight._dtype;

    protected internal override Tensor?[] Apply(Tensor grad)
    {
        Tensor rows = grad.Reshape(flat._count, _weightShape[1]);
        if (paddingIdx >= 0)
        {
            Tensor keep = flat.Ne(paddingIdx).ConvertedTo(rows._dtype).Reshape(flat._count, 1);
            rows = rows * keep;
        }

        return [Tensor.Zeros(_weightShape, _dtype).IndexAdd(0, flat, rows)];
    }
}
