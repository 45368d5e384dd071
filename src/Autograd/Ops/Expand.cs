namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>
    /// A broadcast view of this tensor with the given (larger) shape: size-1 dimensions repeat with stride 0,
    /// no data is copied (PyTorch's <c>expand</c>). Writing into the result is not allowed.
    /// </summary>
    public Tensor Expand(params ReadOnlySpan<int> shape)
    {
        if (shape.SequenceEqual(_shape))
        {
            return this;
        }

        int[] dims = shape.ToArray();
        if (!Broadcasting.CanSumTo(dims, _shape))
        {
            throw new ArgumentException(
                $"The expanded size of the tensor ({Autograd.Shape.Format(dims)}) must match the existing size {Autograd.Shape.Format(_shape)} at non-singleton dimensions.", nameof(shape));
        }

        int[] strides = Kernels.Broadcast.StridesAs(this, dims);
        var output = new Tensor(_data, _offset, dims, strides);
        return GradMode.ShouldRecord(this) ? output.WithGradFn(new ExpandBackward(this)) : output;
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
            throw new ArgumentException($"Shape {Autograd.Shape.Format(_shape)} cannot be summed to {Autograd.Shape.Format(dims)}.", nameof(shape));
        }

        var output = new Tensor(Kernels.Broadcast.SumTo(this, dims), dims);
        return GradMode.ShouldRecord(this) ? output.WithGradFn(new SumToBackward(this)) : output;
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
