namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>
    /// Coordinate grids (PyTorch's <c>torch.meshgrid</c>): for 0-d or 1-d inputs of sizes n₀ … n_{k−1}, output i has
    /// shape [n₀, …, n_{k−1}] and <c>out_i[c₀, …, c_{k−1}] = input_i[c_i]</c> (indexing "ij"). With "xy" the first
    /// two dimensions are swapped (shape [n₁, n₀, n₂, …], input 0 varying along dimension 1), as NumPy's Cartesian
    /// convention. The outputs are expanded views of the inputs (gradients sum back over the broadcast dimensions).
    /// </summary>
    /// <exception cref="ArgumentException">No inputs, an input of rank above 1, mixed dtypes, or an unknown indexing.</exception>
    public static Tensor[] Meshgrid(IReadOnlyList<Tensor> tensors, string indexing = "ij")
    {
        ArgumentNullException.ThrowIfNull(tensors);
        if (tensors.Count == 0)
        {
            throw new ArgumentException("meshgrid expects a non-empty TensorList", nameof(tensors));
        }

        if (indexing is not ("ij" or "xy"))
        {
            throw new ArgumentException($"torch.meshgrid: indexing must be one of \"xy\" or \"ij\", but received: {indexing}", nameof(indexing));
        }

        foreach (Tensor t in tensors)
        {
            ArgumentNullException.ThrowIfNull(t);
            if (t.Rank > 1)
            {
                throw new ArgumentException($"torch.meshgrid: Expected 0D or 1D tensor in the tensor list but got: {t.Rank}-d tensor of shape {t.Shape}", nameof(tensors));
            }

            if (t._dtype != tensors[0]._dtype)
            {
                throw new ArgumentException("meshgrid expects all tensors to have the same dtype", nameof(tensors));
            }
        }

        int k = tensors.Count;
        bool swap = indexing == "xy" && k >= 2;
        // The grid dimension that input i varies along.
        int DimOf(int i) => swap && i < 2 ? 1 - i : i;
        int[] shape = new int[k];
        for (int i = 0; i < k; i++)
        {
            shape[DimOf(i)] = tensors[i]._count;
        }

        var outputs = new Tensor[k];
        for (int i = 0; i < k; i++)
        {
            int[] viewShape = [.. Enumerable.Repeat(1, k)];
            viewShape[DimOf(i)] = tensors[i]._count;
            outputs[i] = tensors[i].Reshape(viewShape).Expand(shape);
        }

        return outputs;
    }

    /// <inheritdoc cref="Meshgrid(IReadOnlyList{Tensor}, string)"/>
    public static Tensor[] Meshgrid(params Tensor[] tensors) => Meshgrid(tensors, "ij");
}
