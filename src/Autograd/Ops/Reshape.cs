namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>
    /// The same elements with a new shape; one dimension may be -1 (inferred). A view sharing storage when this
    /// tensor is contiguous, else a copy (PyTorch's <c>reshape</c>).
    /// </summary>
    public Tensor Reshape(params ReadOnlySpan<int> shape)
    {
        int[] dims = InferShape(shape);
        if (dims.AsSpan().SequenceEqual(_shape))
        {
            dims = _shape;
        }

        Tensor source = Contiguous();
        var output = new Tensor(source, source._offset, dims, null);
        return GradMode.ShouldRecord(source) ? output.WithGradFn(new ReshapeBackward(source)) : output;
    }

    /// <summary>A 1-d view of all elements.</summary>
    public Tensor Flatten() => Reshape(-1);

    private int[] InferShape(ReadOnlySpan<int> shape)
    {
        int inferred = -1;
        long known = 1;
        for (int i = 0; i < shape.Length; i++)
        {
            if (shape[i] == -1)
            {
                if (inferred >= 0)
                {
                    throw new ArgumentException("only one dimension can be inferred", nameof(shape));
                }

                inferred = i;
            }
            else if (shape[i] < 0)
            {
                throw new ArgumentException($"invalid shape dimension {shape[i]}", nameof(shape));
            }
            else
            {
                known *= shape[i];
            }
        }

        int[] dims = shape.ToArray();
        if (inferred >= 0)
        {
            if (known == 0 || _count % known != 0)
            {
                throw new ArgumentException($"shape '{Autograd.Shape.Format(shape)}' is invalid for input of size {_count}", nameof(shape));
            }

            dims[inferred] = (int)(_count / known);
        }
        else if (known != _count)
        {
            throw new ArgumentException($"shape '{Autograd.Shape.Format(shape)}' is invalid for input of size {_count}", nameof(shape));
        }

        return dims.Length == 0 ? Autograd.Shape.ScalarDims : dims;
    }
}

/// <summary><c>out = reshape(x)</c>: ∂L/∂x = reshape(g, shape of x).</summary>
internal sealed class ReshapeBackward(Tensor x) : Node(x)
{
    private readonly int[] _inputShape = x._shape;

    protected internal override Tensor?[] Apply(Tensor grad) => [grad.Reshape(_inputShape)];
}
