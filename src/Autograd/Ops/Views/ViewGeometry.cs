namespace Autograd;

/// <summary>
/// Where a view's elements sit: element <c>i</c> of a view of shape <see cref="Shape"/> is element
/// <c>Offset + Σₖ iₖ·Strides[k]</c> of some flat layout. The same geometry function of a view op is applied twice:
/// to a tensor's storage layout (the forward view) and to the row-major layout of its shape (the logical layout the
/// backward scatters into), so a view of a non-contiguous tensor gets a backward expressed in its input's own indices.
/// </summary>
/// <remarks>Independent of the element type: only sizes, strides and offsets in elements.</remarks>
internal readonly record struct ViewGeometry(int[] Shape, int[] Strides, int Offset)
{
    /// <summary>The row-major layout of <paramref name="shape"/>, offset 0.</summary>
    internal static ViewGeometry Logical(int[] shape) => new(shape, Autograd.Shape.ContiguousStrides(shape), 0);

    /// <summary>Where <paramref name="tensor"/>'s elements sit in its storage.</summary>
    internal static ViewGeometry Storage(Tensor tensor) =>
        new(tensor._shape, tensor._strides ?? Autograd.Shape.ContiguousStrides(tensor._shape), tensor._offset);

    /// <summary>Dimension <paramref name="dim"/> removed from the shape and strides, the offset moved by <paramref name="delta"/>.</summary>
    internal ViewGeometry WithoutDim(int dim, int delta) =>
        new([.. Shape.AsSpan(0, dim), .. Shape.AsSpan(dim + 1)], [.. Strides.AsSpan(0, dim), .. Strides.AsSpan(dim + 1)], Offset + delta);

    /// <summary>Dimension <paramref name="dim"/> resized to <paramref name="size"/> with stride <paramref name="stride"/>, the offset moved by <paramref name="delta"/>.</summary>
    internal ViewGeometry WithDim(int dim, int size, int stride, int delta)
    {
        int[] shape = (int[])Shape.Clone(), strides = (int[])Strides.Clone();
        shape[dim] = size;
        strides[dim] = stride;
        return new(shape, strides, Offset + delta);
    }
}

public sealed partial class Tensor
{
    /// <summary>
    /// A view of this tensor's storage with <paramref name="geometry"/> (taken from <see cref="ViewGeometry.Storage"/>).
    /// A view taken under no-grad of a tensor that requires grad is marked, so that writing through it with grad
    /// mode on is refused (see <see cref="CheckInPlace"/>).
    /// </summary>
    internal Tensor ViewOf(in ViewGeometry geometry)
    {
        var view = new Tensor(this, geometry.Offset, geometry.Shape, geometry.Strides);
        view._noGradViewOfGradBase = _noGradViewOfGradBase || (!GradMode.IsEnabled && _requiresGrad);
        return view;
    }
}
