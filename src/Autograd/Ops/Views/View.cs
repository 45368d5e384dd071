namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>
    /// The same elements with a new shape, always as a view sharing storage (PyTorch's <c>view</c>); one dimension may
    /// be -1 (inferred). Possible whenever each run of new dimensions falls inside a run of old dimensions that is
    /// contiguous among itself (always for a contiguous tensor); otherwise use <see cref="Reshape"/>, which copies.
    /// </summary>
    /// <exception cref="ArgumentException">The shape does not have this tensor's element count.</exception>
    /// <exception cref="InvalidOperationException">The strides do not allow the view.</exception>
    public Tensor View(params ReadOnlySpan<int> shape)
    {
        int[] dims = InferShape(shape);
        int[] strides = Autograd.Shape.ComputeViewStrides(_shape, ViewGeometry.Storage(this).Strides, dims)
            ?? throw new InvalidOperationException(
                "view size is not compatible with input tensor's size and stride (at least one dimension spans across two contiguous subspaces). Use .reshape(...) instead.");
        Tensor output = ViewOf(new ViewGeometry(dims, strides, _offset));
        return GradMode.ShouldRecord(this) ? output.WithGradFn(new ViewBackward(this)) : output;
    }

    /// <summary>A view with the shape of <paramref name="other"/> (PyTorch's <c>view_as</c>).</summary>
    public Tensor ViewAs(Tensor other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return View(other._shape);
    }

    /// <summary>
    /// Dimensions <paramref name="startDim"/> to <paramref name="endDim"/> (inclusive) merged into one (PyTorch's
    /// <c>flatten</c>): a view when the strides allow it, else a copy, like <see cref="Reshape"/>. The defaults give a
    /// 1-d tensor of all elements; a 0-d tensor becomes shape [1].
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="startDim"/> comes after <paramref name="endDim"/>.</exception>
    public Tensor Flatten(int startDim = 0, int endDim = -1)
    {
        if (Rank == 0)
        {
            return Reshape(1);
        }

        int start = Autograd.Shape.NormalizeDim(startDim, Rank), end = Autograd.Shape.NormalizeDim(endDim, Rank);
        if (start > end)
        {
            throw new ArgumentException("flatten() has invalid args: start_dim cannot come after end_dim", nameof(startDim));
        }

        if (start == end)
        {
            return this;
        }

        int merged = Autograd.Shape.ElementCountOf(_shape.AsSpan(start, end - start + 1));
        return Reshape([.. _shape.AsSpan(0, start), merged, .. _shape.AsSpan(end + 1)]);
    }

    /// <summary>
    /// Dimension <paramref name="dim"/> split into <paramref name="sizes"/>, whose product must be its size (one may be
    /// -1, inferred): a view sharing storage (PyTorch's <c>unflatten</c>).
    /// </summary>
    /// <exception cref="ArgumentException">The sizes are empty or do not multiply up to the dimension's size.</exception>
    public Tensor Unflatten(int dim, params ReadOnlySpan<int> sizes)
    {
        if (Rank == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(dim), $"Dimension specified as {dim} but tensor has no dimensions");
        }

        int d = Autograd.Shape.NormalizeDim(dim, Rank);
        if (sizes.IsEmpty)
        {
            throw new ArgumentException("unflatten: sizes must be non-empty", nameof(sizes));
        }

        int[] split = sizes.ToArray();
        int inferred = -1;
        long known = 1;
        for (int i = 0; i < split.Length; i++)
        {
            if (split[i] == -1)
            {
                if (inferred >= 0)
                {
                    throw new ArgumentException("only one dimension can be inferred", nameof(sizes));
                }

                inferred = i;
            }
            else
            {
                known *= split[i];
            }
        }

        int size = _shape[d];
        if (inferred >= 0 && known != 0 && size % known == 0)
        {
            split[inferred] = (int)(size / known);
        }
        else if (inferred >= 0 || known != size)
        {
            throw new ArgumentException(
                $"unflatten: Provided sizes {Autograd.Shape.Format(sizes)} don't multiply up to the size of dim {d} ({size}) in the input tensor", nameof(sizes));
        }

        return View([.. _shape.AsSpan(0, d), .. split, .. _shape.AsSpan(d + 1)]);
    }
}

/// <summary><c>out = view(x)</c> keeps the row-major order: ∂L/∂x = reshape(g, shape of x).</summary>
internal sealed class ViewBackward(Tensor x) : Node(x)
{
    private readonly int[] _inputShape = x._shape;

    protected internal override Tensor?[] Apply(Tensor grad) => [grad.Reshape(_inputShape)];
}
