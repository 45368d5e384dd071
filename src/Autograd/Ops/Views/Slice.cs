namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>
    /// Elements <c>start, start + step, …</c> (before <paramref name="end"/>) along <paramref name="dim"/>: a view sharing
    /// storage, Python's <c>x[start:end:step]</c> on that dimension. Bounds follow Python: null means the whole extent,
    /// negative bounds count from the end, and out-of-range bounds clamp (so an empty range gives an empty view).
    /// </summary>
    /// <param name="dim">The dimension to slice; negative counts from the end.</param>
    /// <param name="start">First index (inclusive); null for 0.</param>
    /// <param name="end">Last index (exclusive); null for the size of the dimension.</param>
    /// <param name="step">Distance between taken indices; must be positive.</param>
    /// <exception cref="ArgumentException"><paramref name="step"/> is not positive.</exception>
    public Tensor Slice(int dim, int? start = null, int? end = null, int step = 1)
    {
        if (Rank == 0)
        {
            throw new InvalidOperationException("slice() cannot be applied to a 0-dim tensor.");
        }

        int d = Autograd.Shape.NormalizeDim(dim, Rank);
        if (step <= 0)
        {
            throw new ArgumentException("slice step must be positive", nameof(step));
        }

        int size = _shape[d];
        int from = ClampSliceBound(start ?? 0, size);
        int to = ClampSliceBound(end ?? size, size);

        // ⌈(to − from) / step⌉ indices, none when the range is empty.
        int length = to > from ? ((to - from - 1) / step) + 1 : 0;
        return SliceView(d, from, length, step);
    }

    /// <summary>
    /// The <paramref name="length"/> elements from <paramref name="start"/> along <paramref name="dim"/>: a view sharing
    /// storage (PyTorch's <c>narrow</c>, the same as <c>Slice(dim, start, start + length)</c> but without clamping).
    /// </summary>
    /// <exception cref="InvalidOperationException">This tensor is 0-d.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The dimension, or <paramref name="start"/>, is out of range.</exception>
    /// <exception cref="ArgumentException">The range does not fit in the dimension.</exception>
    public Tensor Narrow(int dim, int start, int length)
    {
        if (Rank == 0)
        {
            throw new InvalidOperationException("narrow() cannot be applied to a 0-dim tensor.");
        }

        int d = Autograd.Shape.NormalizeDim(dim, Rank);
        int size = _shape[d];

        // start == size is a valid (empty) start but not a valid index, so it is not wrapped (PyTorch words the
        // error as for a dimension, and so does this).
        int from = start == size ? start : Autograd.Shape.NormalizeDim(start, size);
        if (length < 0 || from > size - length)
        {
            throw new ArgumentException($"start ({from}) + length ({length}) exceeds dimension size ({size}).", nameof(length));
        }

        return SliceView(d, from, length, 1);
    }

    /// <summary>Python's clamping of a slice bound to [0, size].</summary>
    private static int ClampSliceBound(int bound, int size) =>
        bound < 0 ? Math.Max(bound + size, 0) : Math.Min(bound, size);

    /// <summary>The view of <paramref name="length"/> elements from <paramref name="start"/> every <paramref name="step"/> along d (all validated).</summary>
    private Tensor SliceView(int d, int start, int length, int step)
    {
        Tensor output = ViewOf(SliceGeometry(ViewGeometry.Storage(this), d, start, length, step));
        return GradMode.ShouldRecord(this)
            ? output.WithGradFn(new SliceBackward(this, SliceGeometry(ViewGeometry.Logical(_shape), d, start, length, step)))
            : output;
    }

    /// <summary>Slice: dimension d keeps <c>length</c> elements, <c>step</c> apart, from element <c>start</c>.</summary>
    private static ViewGeometry SliceGeometry(in ViewGeometry g, int d, int start, int length, int step) =>
        g.WithDim(d, length, g.Strides[d] * step, start * g.Strides[d]);
}

/// <summary>
/// <c>out = x[…, start:end:step, …]</c> (also <c>narrow</c>): ∂L/∂x is zero except at the taken indices, which receive
/// g (a scatter into the slice's window of x's row-major layout).
/// </summary>
internal sealed class SliceBackward(Tensor x, ViewGeometry logical) : StridedViewBackward(x, logical);
