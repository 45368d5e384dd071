namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>
    /// Elements <c>[start, start + length)</c> of dimension <paramref name="dim"/> (already wrapped), copied into a new
    /// contiguous tensor and recorded; with <paramref name="squeeze"/> (length 1) that dimension is dropped. The
    /// backward passes of cat and stack slice their gradient with it, so that a pass with <c>createGraph</c> can
    /// differentiate that slice again.
    /// </summary>
    internal Tensor NarrowCopy(int dim, int start, int length, bool squeeze = false)
    {
        int[] shape = (int[])_shape.Clone();
        shape[dim] = length;
        int[] strides = Joining.StridesOf(this);
        Array data = Joining.Allocate(_dtype, Autograd.Shape.ElementCountOf(shape));
        Joining.Copy(Storage, _offset + (start * strides[dim]), strides, data, 0, Autograd.Shape.ContiguousStrides(shape), shape);
        Tensor output = Joining.Wrap(data, _dtype, squeeze ? Joining.Without(shape, dim) : shape);
        return GradMode.ShouldRecord(this) ? output.WithGradFn(new NarrowCopyBackward(this, dim, start, squeeze)) : output;
    }

    /// <summary>
    /// Zeros of this tensor's shape with dimension <paramref name="dim"/> widened to <paramref name="size"/>, holding
    /// this tensor at <c>[start, start + this size)</c> of that dimension (recorded): the adjoint of a narrow. With
    /// <paramref name="unsqueeze"/>, this tensor lacks that dimension and is placed as the single slice
    /// <paramref name="start"/> (the adjoint of a select).
    /// </summary>
    internal Tensor PadNarrow(int dim, int start, int size, bool unsqueeze = false)
    {
        // Read this tensor as if it had the dimension (size 1, stride 0) when it lacks it.
        int[] sourceShape = unsqueeze ? Joining.With(_shape, dim, 1) : _shape;
        int[] sourceStrides = unsqueeze ? Joining.With(Joining.StridesOf(this), dim, 0) : Joining.StridesOf(this);
        int[] shape = (int[])sourceShape.Clone();
        shape[dim] = size;
        int[] outStrides = Autograd.Shape.ContiguousStrides(shape);
        Array data = Joining.Allocate(_dtype, Autograd.Shape.ElementCountOf(shape), zeroed: true);
        Joining.Copy(Storage, _offset, sourceStrides, data, start * outStrides[dim], outStrides, sourceShape);
        Tensor output = Joining.Wrap(data, _dtype, shape);
        return GradMode.ShouldRecord(this) ? output.WithGradFn(new PadNarrowBackward(this, dim, start, unsqueeze)) : output;
    }
}

/// <summary>
/// <c>out = x[…, start : start + n, …]</c> (copied; squeezed: <c>x[…, start, …]</c>): ∂L/∂x = g padded with zeros back to
/// x's size along dim.
/// </summary>
internal sealed class NarrowCopyBackward(Tensor x, int dim, int start, bool squeezed) : Node(x)
{
    private readonly int _size = x._shape[dim];

    protected internal override Tensor?[] Apply(Tensor grad) => [grad.PadNarrow(dim, start, _size, unsqueeze: squeezed)];
}

/// <summary>
/// <c>out = pad(x)</c> with x at <c>[start, start + n)</c> along dim (unsqueezed: at slice start), zeros elsewhere:
/// ∂L/∂x = g[…, start : start + n, …] (or g[…, start, …]).
/// </summary>
internal sealed class PadNarrowBackward(Tensor x, int dim, int start, bool unsqueezed) : Node(x)
{
    private readonly int _length = unsqueezed ? 1 : x._shape[dim];

    protected internal override Tensor?[] Apply(Tensor grad) => [grad.NarrowCopy(dim, start, _length, squeeze: unsqueezed)];
}
