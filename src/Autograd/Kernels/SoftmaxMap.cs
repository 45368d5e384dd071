namespace Autograd.Kernels;

/// <summary>Tensor-level dispatch of <see cref="SoftmaxBlocks"/> with PyTorch 1.13's CPU dtype rules.</summary>
internal static class SoftmaxMap
{
    /// <summary>
    /// softmax (or log-softmax) of <paramref name="x"/> over the normalised dimension <paramref name="dim"/> (a 0-d
    /// tensor is one line of one element): float32 and float64 in their own precision, bfloat16 through float32
    /// rounded once, other dtypes refused with PyTorch's kernel name.
    /// </summary>
    internal static Tensor Apply(Tensor x, int dim, bool log)
    {
        int[] shape = x._shape;
        int rank = shape.Length;
        int size = rank == 0 ? 1 : shape[dim];
        int outer = 1, inner = 1;
        for (int i = 0; i < dim; i++)
        {
            outer *= shape[i];
        }

        for (int i = dim + 1; i < rank; i++)
        {
            inner *= shape[i];
        }

        switch (x._dtype)
        {
            case DType.Float32:
                float[] result = BufferPool.RentUninitialized(x._count);
                SoftmaxBlocks.Apply(x.ContiguousData(), result.AsSpan(0, x._count), outer, size, inner, log);
                return new Tensor(result, shape);
            case DType.Float64:
                double[] values = TypedElementwise.Operand<double>(x, DType.Float64, shape);
                var output = new double[values.Length];
                SoftmaxBlocks.Apply<double>(values, output, outer, size, inner, log);
                return new Tensor(output, DType.Float64, shape);
            case DType.BFloat16:
                return Apply(x.ConvertedTo(DType.Float32), dim, log).ConvertedTo(DType.BFloat16);
            default:
                throw Tensor.NotImplementedFor(
                    x._dtype, inner != 1 ? "softmax_kernel_impl" : log ? "log_softmax_lastdim_kernel_impl" : "softmax_lastdim_kernel_impl");
        }
    }

    /// <summary>
    /// Whether <see cref="LogSoftmaxBackwardLastDim"/> and <see cref="SoftmaxBackwardLastDim"/> may serve: no graph is recorded, both float32, one shape, and the
    /// dimension is the last.
    /// </summary>
    internal static bool CanFuseLastDim(Tensor grad, Tensor output, int dim) =>
        dim == output.Rank - 1 && output._count > 0 && Elementwise.CanFuse(grad, output);

    /// <summary>
    /// Fused log-softmax backward over the last dimension: per row g − e^y·Σg in one pass (instead of exp, sum,
    /// multiply and subtract as separate tensors).
    /// </summary>
    internal static Tensor LogSoftmaxBackwardLastDim(Tensor grad, Tensor output)
    {
        int classes = output._shape[^1];
        ReadOnlySpan<float> g = grad.ContiguousData(), logP = output.ContiguousData();
        float[] result = BufferPool.RentUninitialized(output._count);
        for (int r = 0; r < output._count / classes; r++)
        {
            ReadOnlySpan<float> gRow = g.Slice(r * classes, classes);
            float total = System.Numerics.Tensors.TensorPrimitives.Sum(gRow);
            FusedBackward.LogSoftmaxRow(logP.Slice(r * classes, classes), gRow, total, result.AsSpan(r * classes, classes));
        }

        return new Tensor(result, output._shape);
    }

    /// <summary>
    /// Fused softmax backward over the last dimension: per row (g − g·y)⊙y with the dot product g·y, in two passes
    /// instead of multiply, sum, subtract and multiply as separate tensors.
    /// </summary>
    internal static Tensor SoftmaxBackwardLastDim(Tensor grad, Tensor output)
    {
        int classes = output._shape[^1];
        ReadOnlySpan<float> g = grad.ContiguousData(), y = output.ContiguousData();
        float[] result = BufferPool.RentUninitialized(output._count);
        for (int r = 0; r < output._count / classes; r++)
        {
            ReadOnlySpan<float> gRow = g.Slice(r * classes, classes), yRow = y.Slice(r * classes, classes);
            Span<float> row = result.AsSpan(r * classes, classes);
            System.Numerics.Tensors.TensorPrimitives.Subtract(gRow, System.Numerics.Tensors.TensorPrimitives.Dot(gRow, yRow), row);
            System.Numerics.Tensors.TensorPrimitives.Multiply(row, yRow, row);
        }

        return new Tensor(result, output._shape);
    }
}
