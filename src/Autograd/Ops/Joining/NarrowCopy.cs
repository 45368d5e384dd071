using Autograd.Kernels;

namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>
    /// Elements <c>[start, start + length)</c> of dimension <paramref name="dim"/> (already wrapped), copied into a new
    /// contiguous tensor and recorded. The backward passes of cat and stack slice their gradient with it, so that a
    /// pass with <c>createGraph</c> can differentiate that slice again.
    /// </summary>
    internal Tensor NarrowCopy(int dim, int start, int length)
    {
        int[] shape = (int[])_shape.Clone();
        shape[dim] = length;
        int[] strides = Joining.StridesOf(this);
        float[] data = BufferPool.RentUninitialized(Autograd.Shape.ElementCountOf(shape));
        StridedCopy.Copy<float>(_data, _offset + (start * strides[dim]), strides, data, 0, Autograd.Shape.ContiguousStrides(shape), shape);
        GC.KeepAlive(this);   // the copy read this tensor's storage through spans (see StorageLease)
        var output = new Tensor(data, shape);
        return GradMode.ShouldRecord(this) ? output.WithGradFn(new NarrowCopyBackward(this, dim, start)) : output;
    }

    /// <summary>
    /// Zeros of this tensor's shape with dimension <paramref name="dim"/> widened to <paramref name="size"/>, holding
    /// this tensor at <c>[start, start + this size)</c> of that dimension (recorded): the adjoint of a narrow, used by
    /// the backward of the split views.
    /// </summary>
    internal Tensor PadNarrow(int dim, int start, int size)
    {
        int[] shape = (int[])_shape.Clone();
        shape[dim] = size;
        int[] outStrides = Autograd.Shape.ContiguousStrides(shape);
        float[] data = BufferPool.RentZeroed(Autograd.Shape.ElementCountOf(shape));
        StridedCopy.Copy<float>(_data, _offset, Joining.StridesOf(this), data, start * outStrides[dim], outStrides, _shape);
        GC.KeepAlive(this);
        var output = new Tensor(data, shape);
        return GradMode.ShouldRecord(this) ? output.WithGradFn(new PadNarrowBackward(this, dim, start)) : output;
    }
}

/// <summary><c>out = x[…, start : start + n, …]</c> (copied): ∂L/∂x = g padded with zeros back to x's size along dim.</summary>
internal sealed class NarrowCopyBackward(Tensor x, int dim, int start) : Node(x)
{
    private readonly int _size = x._shape[dim];

    protected internal override Tensor?[] Apply(Tensor grad) => [grad.PadNarrow(dim, start, _size)];
}

/// <summary><c>out = pad(x)</c> with x at <c>[start, start + n)</c> along dim, zeros elsewhere: ∂L/∂x = g[…, start : start + n, …].</summary>
internal sealed class PadNarrowBackward(Tensor x, int dim, int start) : Node(x)
{
    private readonly int _length = x._shape[dim];

    protected internal override Tensor?[] Apply(Tensor grad) => [grad.NarrowCopy(dim, start, _length)];
}
