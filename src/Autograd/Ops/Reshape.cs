namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>
    /// The same elements with a new shape; one dimension may be -1 (inferred). A view sharing storage when the
    /// strides allow it (always for a contiguous tensor; see <see cref="View"/>), else a copy (PyTorch's <c>reshape</c>).
    /// </summary>
    public Tensor Reshape(params ReadOnlySpan<int> shape)
    {
        int[] dims = InferShape(shape);
        if (dims.AsSpan().SequenceEqual(_shape))
        {
            dims = _shape;
        }

        int[]? strides = _strides is null ? null : Autograd.Shape.ComputeViewStrides(_shape, _strides, dims);
        Tensor source = _strides is null || strides is not null ? this : Contiguous();
        Tensor output = source.ViewOf(new ViewGeometry(dims, strides ?? Autograd.Shape.ContiguousStrides(dims), source._offset));
        return GradMode.ShouldRecord(source) ? output.WithGradFn(new ReshapeBackward(source)) : output;
    }

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
