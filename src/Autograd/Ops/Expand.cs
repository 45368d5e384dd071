namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>
    /// A broadcast view of this tensor with the given (larger) shape: size-1 dimensions repeat with stride 0,
    /// no data is copied (PyTorch's <c>expand</c>). A size of -1 keeps that dimension's size (not allowed for new
    /// leading dimensions). Writing into the result is not allowed.
    /// </summary>
    public Tensor Expand(params ReadOnlySpan<int> shape)
    {
        if (shape.SequenceEqual(_shape))
        {
            return this;
        }

        int[] dims = shape.ToArray();
        int leading = dims.Length - Rank;
        for (int i = 0; i < dims.Length; i++)
        {
            if (dims[i] == -1)
            {
                if (i < leading)
                {
                    throw new ArgumentException($"The expanded size of the tensor (-1) isn't allowed in a leading, non-existing dimension {i}", nameof(shape));
                }

                dims[i] = _shape[i - leading];
            }
        }

        if (dims.AsSpan().SequenceEqual(_shape))
        {
            return this;
        }

        if (!Broadcasting.CanSumTo(dims, _shape))
        {
            throw new ArgumentException(ExpandError(dims, shape), nameof(shape));
        }

        int[] strides = Broadcasting.ExpandedStrides(_shape, _strides ?? Autograd.Shape.ContiguousStrides(_shape), dims);
        var output = new Tensor(this, _offset, dims, strides);
        return GradMode.ShouldRecord(this) ? output.WithGradFn(new ExpandBackward(this)) : output;
    }

    /// <summary>This tensor broadcast to <paramref name="other"/>'s shape, a view (PyTorch's <c>expand_as</c>).</summary>
    public Tensor ExpandAs(Tensor other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Expand(other._shape);
    }

    /// <summary>Sums this tensor down to <paramref name="shape"/>, the reverse of broadcasting to this tensor's shape.</summary>
    public Tensor SumTo(params ReadOnlySpan<int> shape)
    {
        if (shape.SequenceEqual(_shape))
        {
            return this;
        }

        int[] dims = shape.Length == 0 ? Autograd.Shape.ScalarDims : shape.ToArray();
        if (!Broadcasting.CanSumTo(_shape, dims))
        {
            // PyTorch's sum_to_size message.
            throw new ArgumentException(
                $"size {{{Autograd.Shape.Format(dims)}}} is not expandable to size {{{Autograd.Shape.Format(_shape)}}}.", nameof(shape));
        }

        Tensor output = Backend.SumTo(this, dims);
        return GradMode.ShouldRecord(this) ? output.WithGradFn(new SumToBackward(this)) : output;
    }

    /// <summary>
    /// PyTorch's message for an expand to <paramref name="dims"/> (<paramref name="requested"/> with -1 resolved) that
    /// this tensor's shape does not broadcast to.
    /// </summary>
    private string ExpandError(int[] dims, ReadOnlySpan<int> requested)
    {
        if (dims.Length < Rank)
        {
            return $"expand(torch.FloatTensor{{{Autograd.Shape.Format(_shape)}}}, size={Autograd.Shape.Format(requested)}): the number of sizes provided ({dims.Length}) must be greater or equal to the number of dimensions in the tensor ({Rank})";
        }

        int dim = dims.Length - 1;
        for (int i = 1; i <= Rank; i++, dim--)
        {
            if (_shape[^i] != 1 && _shape[^i] != dims[^i])
            {
                break;
            }
        }

        return $"The expanded size of the tensor ({dims[dim]}) must match the existing size ({_shape[dim - (dims.Length - Rank)]}) at non-singleton dimension {dim}.  Target sizes: {Autograd.Shape.Format(requested)}.  Tensor sizes: {Autograd.Shape.Format(_shape)}";
    }
}

/// <summary><c>out = expand(x)</c>: ∂L/∂x = g summed over the repeated dimensions.</summary>
internal sealed class ExpandBackward(Tensor x) : Node(x)
{
    private readonly int[] _inputShape = x._shape;

    protected internal override Tensor?[] Apply(Tensor grad) => [grad.SumTo(_inputShape)];
}

/// <summary><c>out = sum_to(x)</c>: ∂L/∂x = g broadcast back to x's shape.</summary>
internal sealed class SumToBackward(Tensor x) : Node(x)
{
    private readonly int[] _inputShape = x._shape;

    protected internal override Tensor?[] Apply(Tensor grad) => [grad.Expand(_inputShape)];
}
