namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>All dimensions of size 1 removed: a view sharing storage (PyTorch's <c>squeeze()</c>).</summary>
    public Tensor Squeeze()
    {
        ViewGeometry storage = ViewGeometry.Storage(this);
        var shape = new List<int>(Rank);
        var strides = new List<int>(Rank);
        for (int i = 0; i < Rank; i++)
        {
            if (_shape[i] != 1)
            {
                shape.Add(_shape[i]);
                strides.Add(storage.Strides[i]);
            }
        }

        return SqueezeView(new ViewGeometry(shape.Count == 0 ? Autograd.Shape.ScalarDims : [.. shape], [.. strides], _offset));
    }

    /// <summary>
    /// Dimension <paramref name="dim"/> removed if its size is 1; otherwise the same shape. Either way a view sharing
    /// storage (PyTorch's <c>squeeze(dim)</c>). A 0-d tensor accepts dim 0 or -1.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The dimension is out of range.</exception>
    public Tensor Squeeze(int dim)
    {
        int d = Autograd.Shape.NormalizeDim(dim, Rank);
        ViewGeometry storage = ViewGeometry.Storage(this);
        return SqueezeView(Rank > 0 && _shape[d] == 1 ? storage.WithoutDim(d, 0) : storage);
    }

    /// <summary>
    /// A dimension of size 1 inserted at <paramref name="dim"/> (in the result, so −1 appends one): a view sharing
    /// storage (PyTorch's <c>unsqueeze</c>).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="dim"/> is outside [−rank − 1, rank].</exception>
    public Tensor Unsqueeze(int dim)
    {
        int d = Autograd.Shape.NormalizeDim(dim, Rank + 1);
        ViewGeometry storage = ViewGeometry.Storage(this);

        // The stride of a size-1 dimension is never used to step; PyTorch picks size·stride of the next dimension (1 at the end).
        int stride = d < Rank ? _shape[d] * storage.Strides[d] : 1;
        int[] shape = [.. _shape.AsSpan(0, d), 1, .. _shape.AsSpan(d)];
        int[] strides = [.. storage.Strides.AsSpan(0, d), stride, .. storage.Strides.AsSpan(d)];
        Tensor output = ViewOf(new ViewGeometry(shape, strides, _offset));
        return GradMode.ShouldRecord(this) ? output.WithGradFn(new UnsqueezeBackward(this)) : output;
    }

    private Tensor SqueezeView(in ViewGeometry geometry)
    {
        Tensor output = ViewOf(geometry);
        return GradMode.ShouldRecord(this) ? output.WithGradFn(new SqueezeBackward(this)) : output;
    }
}

/// <summary><c>out = squeeze(x)</c> keeps the row-major order: ∂L/∂x = reshape(g, shape of x).</summary>
internal sealed class SqueezeBackward(Tensor x) : Node(x)
{
    private readonly int[] _inputShape = x._shape;

    protected internal override Tensor?[] Apply(Tensor grad) => [grad.Reshape(_inputShape)];
}

/// <summary><c>out = unsqueeze(x, d)</c> keeps the row-major order: ∂L/∂x = reshape(g, shape of x).</summary>
internal sealed class UnsqueezeBackward(Tensor x) : Node(x)
{
    private readonly int[] _inputShape = x._shape;

    protected internal override Tensor?[] Apply(Tensor grad) => [grad.Reshape(_inputShape)];
}
