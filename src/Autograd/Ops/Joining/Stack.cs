namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>
    /// Joins tensors of equal shape along a new dimension <paramref name="dim"/> (PyTorch's <c>torch.stack</c>): the
    /// result has shape <c>shape[..dim] + [n] + shape[dim..]</c>, and its slice <c>i</c> along dim is tensor <c>i</c>.
    /// </summary>
    /// <param name="tensors">The tensors to stack, in order; at least one, all of the same shape.</param>
    /// <param name="dim">Where the new dimension goes, in <c>[-(rank + 1), rank]</c>.</param>
    /// <returns>A new contiguous tensor.</returns>
    public static Tensor Stack(IReadOnlyList<Tensor> tensors, int dim = 0)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        return StackCore(Joining.ToArray(tensors), dim);
    }

    /// <summary>Stacks <paramref name="tensors"/> along a new dimension 0: <c>Tensor.Stack(a, b)</c> is <c>torch.stack([a, b])</c>.</summary>
    /// <param name="tensors">The tensors to stack, in order; at least one, all of the same shape.</param>
    public static Tensor Stack(params ReadOnlySpan<Tensor> tensors) => StackCore(Joining.ToArray(tensors), 0);

    private static Tensor StackCore(Tensor[] tensors, int dim)
    {
        if (tensors.Length == 0)
        {
            throw new ArgumentException("stack expects a non-empty TensorList", nameof(tensors));
        }

        int[] inputShape = tensors[0]._shape;
        int d = Autograd.Shape.NormalizeDim(dim, inputShape.Length + 1);
        for (int i = 1; i < tensors.Length; i++)
        {
            if (!tensors[i]._shape.AsSpan().SequenceEqual(inputShape))
            {
                throw new ArgumentException(
                    $"stack expects each tensor to be equal size, but got {Autograd.Shape.Format(inputShape)} at entry 0 and {Autograd.Shape.Format(tensors[i]._shape)} at entry {i}",
                    nameof(tensors));
            }
        }

        // Tensor i is written at offset i·stride(dim) of the output, with the output's strides minus the new one.
        int[] shape = Autograd.Shape.Validate(Joining.With(inputShape, d, tensors.Length));
        int[] outStrides = Autograd.Shape.ContiguousStrides(shape);
        int[] slabStrides = Joining.Without(outStrides, d);
        DType dtype = Joining.ResultType(tensors);
        Array data = Joining.Allocate(dtype, Autograd.Shape.ElementCountOf(shape));
        for (int i = 0; i < tensors.Length; i++)
        {
            Tensor t = tensors[i].ConvertedTo(dtype);   // promoted as cat's inputs are
            Joining.Copy(t.Storage, t._offset, Joining.StridesOf(t), data, i * outStrides[d], slabStrides, inputShape);
        }

        Tensor output = Joining.Wrap(data, dtype, shape);
        return Joining.ShouldRecord(tensors) ? output.WithGradFn(new StackBackward(tensors, d)) : output;
    }
}

/// <summary><c>out = stack(x₀, …, xₙ₋₁; dim)</c>: ∂L/∂xᵢ = g[…, i, …] (slice i of the new dimension). Nothing is saved.</summary>
internal sealed class StackBackward(Tensor[] inputs, int dim) : Node(inputs)
{
    protected internal override Tensor?[] Apply(Tensor grad)
    {
        var grads = new Tensor?[InputCount];
        for (int i = 0; i < grads.Length; i++)
        {
            if (NeedsInputGrad(i))
            {
                grads[i] = grad.NarrowCopy(dim, i, 1, squeeze: true);
            }
        }

        return grads;
    }
}
