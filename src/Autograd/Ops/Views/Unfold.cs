namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>
    /// All windows of <paramref name="size"/> elements, <paramref name="step"/> apart, along <paramref name="dimension"/>:
    /// that dimension becomes the window count <c>(n − size) / step + 1</c> and a new last dimension of
    /// <paramref name="size"/> indexes within a window, <c>out[…, w, …, j] = x[…, w·step + j, …]</c>. A view sharing
    /// storage; windows overlap when step &lt; size (PyTorch's <c>Tensor.unfold</c>).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="size"/> exceeds the dimension, or <paramref name="step"/> is not positive.</exception>
    public Tensor Unfold(int dimension, int size, int step)
    {
        int d = Autograd.Shape.NormalizeDim(dimension, Rank);
        int maxSize = Rank == 0 ? 1 : _shape[d];
        if (size > maxSize)
        {
            throw new ArgumentException($"maximum size for tensor at dimension {d} is {maxSize} but size is {size}", nameof(size));
        }

        if (step <= 0)
        {
            throw new ArgumentException($"step is {step} but must be > 0", nameof(step));
        }

        if (size < 0)
        {
            throw new ArgumentException($"size is {size} but must be >= 0", nameof(size));
        }

        Tensor output = ViewOf(UnfoldGeometry(ViewGeometry.Storage(this), d, size, step));
        return GradMode.ShouldRecord(this)
            ? output.WithGradFn(new UnfoldBackward(this, UnfoldGeometry(ViewGeometry.Logical(_shape), d, size, step)))
            : output;
    }

    /// <summary>Unfold: dimension d steps over windows (stride·step), the appended dimension within one (stride).</summary>
    private static ViewGeometry UnfoldGeometry(in ViewGeometry g, int d, int size, int step)
    {
        if (g.Shape.Length == 0)
        {
            return new ViewGeometry([size], [1], g.Offset);
        }

        int stride = g.Strides[d];
        ViewGeometry windows = g.WithDim(d, ((g.Shape[d] - size) / step) + 1, stride * step, 0);
        return new ViewGeometry([.. windows.Shape, size], [.. windows.Strides, stride], windows.Offset);
    }
}

/// <summary>
/// <c>out[…, w, …, j] = x[…, w·step + j, …]</c>: ∂L/∂x[…, i, …] = Σ over the (w, j) with w·step + j = i of g[…, w, …, j]:
/// every window containing i contributes (a scatter-add into x's row-major layout that accumulates overlaps).
/// </summary>
internal sealed class UnfoldBackward(Tensor x, ViewGeometry logical) : StridedViewBackward(x, logical);
