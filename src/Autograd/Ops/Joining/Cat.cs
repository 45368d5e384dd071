namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>
    /// Concatenates <paramref name="tensors"/> along dimension <paramref name="dim"/> (PyTorch's <c>torch.cat</c>). All
    /// must have the same shape except in that dimension; as in PyTorch, 1-d empty tensors (shape <c>[0]</c>) are
    /// accepted alongside tensors of any shape and contribute nothing.
    /// </summary>
    /// <param name="tensors">The tensors to join, in order; at least one. Any of them may be a non-contiguous view.</param>
    /// <param name="dim">The dimension to join along; negative values count from the end.</param>
    /// <returns>A new contiguous tensor.</returns>
    public static Tensor Cat(IReadOnlyList<Tensor> tensors, int dim = 0)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        return CatCore(Joining.ToArray(tensors), dim);
    }

    /// <summary>Concatenates <paramref name="tensors"/> along dimension 0: <c>Tensor.Cat(a, b)</c> is <c>torch.cat([a, b])</c>.</summary>
    /// <param name="tensors">The tensors to join, in order; at least one.</param>
    public static Tensor Cat(params ReadOnlySpan<Tensor> tensors) => CatCore(Joining.ToArray(tensors), 0);

    private static Tensor CatCore(Tensor[] tensors, int dim)
    {
        if (tensors.Length == 0)
        {
            throw new ArgumentException("torch.cat(): expected a non-empty list of Tensors", nameof(tensors));
        }

        // PyTorch's legacy rule: a 1-d tensor of size 0 is skipped by every check and by the copy. The first other
        // tensor fixes the rank (the dim is wrapped against it) and every size but the joined one.
        Tensor? reference = null;
        for (int i = 0; i < tensors.Length; i++)
        {
            if (tensors[i].Rank == 0)
            {
                throw new ArgumentException($"zero-dimensional tensor (at position {i}) cannot be concatenated", nameof(tensors));
            }

            if (reference is null && !IsSkippedByCat(tensors[i]))
            {
                reference = tensors[i];
            }
        }

        if (reference is null)
        {
            // Only [0] tensors: the result is one too (PyTorch does not even check dim then).
            Tensor empty = Joining.Wrap(Joining.Allocate(Joining.ResultType(tensors), 0), Joining.ResultType(tensors), [0]);
            return Joining.ShouldRecord(tensors) ? empty.WithGradFn(new CatBackward(tensors, 0, [.. tensors.Select(_ => -1)])) : empty;
        }

        int d = Autograd.Shape.NormalizeDim(dim, reference.Rank);
        int[] starts = new int[tensors.Length];
        int total = 0;
        for (int i = 0; i < tensors.Length; i++)
        {
            Tensor t = tensors[i];
            if (IsSkippedByCat(t))
            {
                starts[i] = -1;
                continue;
            }

            if (t.Rank != reference.Rank)
            {
                throw new ArgumentException($"Tensors must have same number of dimensions: got {reference.Rank} and {t.Rank}", nameof(tensors));
            }

            for (int k = 0; k < t.Rank; k++)
            {
                if (k != d && t._shape[k] != reference._shape[k])
                {
                    throw new ArgumentException(
                        $"Sizes of tensors must match except in dimension {d}. Expected size {reference._shape[k]} but got size {t._shape[k]} for tensor number {i} in the list.",
                        nameof(tensors));
                }
            }

            starts[i] = total;
            total = checked(total + t._shape[d]);
        }

        int[] shape = (int[])reference._shape.Clone();
        shape[d] = total;
        int[] dims = Autograd.Shape.Validate(shape);
        int[] outStrides = Autograd.Shape.ContiguousStrides(dims);
        DType dtype = Joining.ResultType(tensors);
        Array data = Joining.Allocate(dtype, Autograd.Shape.ElementCountOf(dims));
        for (int i = 0; i < tensors.Length; i++)
        {
            // Input i fills the slab [starts[i], starts[i] + size) of the joined dimension: the output's strides, offset.
            // An input of another dtype is converted first (a contiguous copy), as PyTorch promotes cat's inputs.
            Tensor t = tensors[i].ConvertedTo(dtype);
            if (starts[i] >= 0)
            {
                Joining.Copy(t.Storage, t._offset, Joining.StridesOf(t), data, starts[i] * outStrides[d], outStrides, t._shape);
            }
        }

        Tensor output = Joining.Wrap(data, dtype, dims);
        return Joining.ShouldRecord(tensors) ? output.WithGradFn(new CatBackward(tensors, d, starts)) : output;
    }

    /// <summary>PyTorch's legacy exception: a 1-d tensor with no elements may join tensors of any shape.</summary>
    private static bool IsSkippedByCat(Tensor t) => t.Rank == 1 && t._shape[0] == 0;
}

/// <summary>
/// <c>out = cat(x₀, …, xₙ₋₁; dim)</c>, xᵢ occupying <c>[startᵢ, startᵢ + sizeᵢ)</c> of dim:
/// ∂L/∂xᵢ = g[…, startᵢ : startᵢ + sizeᵢ, …]. Only the offsets are saved, no tensor. A skipped <c>[0]</c> input gets an
/// empty gradient.
/// </summary>
internal sealed class CatBackward : Node
{
    private readonly int _dim;
    private readonly int[] _starts;

    internal CatBackward(Tensor[] inputs, int dim, int[] starts)
        : base(inputs)
    {
        _dim = dim;
        _starts = starts;
    }

    protected internal override Tensor?[] Apply(Tensor grad)
    {
        var grads = new Tensor?[InputCount];
        for (int i = 0; i < grads.Length; i++)
        {
            if (!NeedsInputGrad(i))
            {
                continue;
            }

            ReadOnlySpan<int> shape = InputShape(i);
            grads[i] = _starts[i] < 0 ? Tensor.Zeros([0], grad._dtype)
                : shape[_dim] == grad._shape[_dim] ? grad   // the only input with elements: g passes through whole
                : grad.NarrowCopy(_dim, _starts[i], shape[_dim]);
        }

        return grads;
    }
}
