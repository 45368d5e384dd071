using System.Numerics;

namespace Autograd.Kernels;

/// <summary>Max and average pooling over planes [H, W], span-in, span-out.</summary>
internal static class Pooling
{
    /// <summary>
    /// out[p, r, c] = max over window (r, c) of plane p, and indices[p, r, c] = h·W + w of that maximum: the first
    /// maximum on ties, NaN winning (the last NaN), as PyTorch's CPU kernel (<c>val &gt; max || isnan(val)</c>).
    /// </summary>
    internal static void Max<T>(ReadOnlySpan<T> input, int planes, PoolAxis rows, PoolAxis cols, Span<T> output, Span<long> indices)
        where T : unmanaged, INumber<T>, IFloatingPointIeee754<T>
    {
        int height = rows.Size, width = cols.Size, outPlane = rows.Length * cols.Length;
        for (int p = 0; p < planes; p++)
        {
            ReadOnlySpan<T> plane = input.Slice(p * height * width, height * width);
            int at = p * outPlane;
            for (int r = 0; r < rows.Length; r++)
            {
                (int rFirst, int rEnd) = rows.Taps(r);
                for (int c = 0; c < cols.Length; c++, at++)
                {
                    (int cFirst, int cEnd) = cols.Taps(c);
                    int h0 = rows.Start[r] + (rFirst * rows.Dilation), w0 = cols.Start[c] + (cFirst * cols.Dilation);
                    T best = T.NegativeInfinity;
                    long index = ((long)h0 * width) + w0;
                    for (int i = rFirst; i < rEnd; i++)
                    {
                        int h = rows.Start[r] + (i * rows.Dilation);
                        for (int j = cFirst; j < cEnd; j++)
                        {
                            int w = cols.Start[c] + (j * cols.Dilation);
                            T value = plane[(h * width) + w];
                            if (value > best || T.IsNaN(value))
                            {
                                best = value;
                                index = ((long)h * width) + w;
                            }
                        }
                    }

                    output[at] = best;
                    indices[at] = index;
                }
            }
        }
    }

    /// <summary>The adjoint of <see cref="Max"/>: input[p, indices[p, k]] += grad[p, k] (input zeroed by the caller).</summary>
    internal static void MaxAdjoint<T>(ReadOnlySpan<T> grad, ReadOnlySpan<long> indices, int planes, int outPlane, int inPlane, Span<T> input)
        where T : unmanaged, INumber<T>
    {
        for (int p = 0; p < planes; p++)
        {
            Span<T> plane = input.Slice(p * inPlane, inPlane);
            ReadOnlySpan<T> g = grad.Slice(p * outPlane, outPlane);
            ReadOnlySpan<long> index = indices.Slice(p * outPlane, outPlane);
            for (int k = 0; k < outPlane; k++)
            {
                plane[(int)index[k]] += g[k];
            }
        }
    }

    /// <summary>
    /// out[p, r, c] = (Σ over window (r, c) of plane p) / divisor[r·C + c]: average pooling with the divisor PyTorch
    /// uses (window area with or without padding, or an override).
    /// </summary>
    internal static void Average<T>(ReadOnlySpan<T> input, int planes, PoolAxis rows, PoolAxis cols, ReadOnlySpan<int> divisor, Span<T> output)
        where T : unmanaged, INumber<T>
    {
        int height = rows.Size, width = cols.Size, outPlane = rows.Length * cols.Length;
        for (int p = 0; p < planes; p++)
        {
            ReadOnlySpan<T> plane = input.Slice(p * height * width, height * width);
            for (int r = 0; r < rows.Length; r++)
            {
                (int rFirst, int rEnd) = rows.Taps(r);
                for (int c = 0; c < cols.Length; c++)
                {
                    (int cFirst, int cEnd) = cols.Taps(c);
                    T sum = T.Zero;
                    for (int i = rFirst; i < rEnd; i++)
                    {
                        int row = (rows.Start[r] + i) * width;
                        for (int j = cFirst; j < cEnd; j++)
                        {
                            sum += plane[row + cols.Start[c] + j];
                        }
                    }

                    int o = (r * cols.Length) + c;
                    output[(p * outPlane) + o] = sum / T.CreateChecked(divisor[o]);
                }
            }
        }
    }

    /// <summary>The adjoint of <see cref="Average"/>: grad[p, r, c] / divisor[r·C + c] added to every element of window (r, c).</summary>
    internal static void AverageAdjoint<T>(ReadOnlySpan<T> grad, int planes, PoolAxis rows, PoolAxis cols, ReadOnlySpan<int> divisor, Span<T> input)
        where T : unmanaged, INumber<T>
    {
        int height = rows.Size, width = cols.Size, outPlane = rows.Length * cols.Length;
        for (int p = 0; p < planes; p++)
        {
            Span<T> plane = input.Slice(p * height * width, height * width);
            for (int r = 0; r < rows.Length; r++)
            {
                (int rFirst, int rEnd) = rows.Taps(r);
                for (int c = 0; c < cols.Length; c++)
                {
                    (int cFirst, int cEnd) = cols.Taps(c);
                    int o = (r * cols.Length) + c;
                    T share = grad[(p * outPlane) + o] / T.CreateChecked(divisor[o]);
                    for (int i = rFirst; i < rEnd; i++)
                    {
                        int row = (rows.Start[r] + i) * width;
                        for (int j = cFirst; j < cEnd; j++)
                        {
                            plane[row + cols.Start[c] + j] += share;
                        }
                    }
                }
            }
        }
    }
}

/// <summary>Tensor-level entry points of the pooling kernels, for float32 and float64 inputs [N, C, H, W].</summary>
internal static class Poolings
{
    /// <summary>Max pooling: the maxima [N, C, R, C'] and their int64 indices h·W + w within each plane.</summary>
    internal static (Tensor Values, Tensor Indices) Max(Tensor x, PoolAxis rows, PoolAxis cols)
    {
        int planes = x.Shape[0] * x.Shape[1];
        int[] shape = [x.Shape[0], x.Shape[1], rows.Length, cols.Length];
        var indices = new long[planes * rows.Length * cols.Length];
        Tensor values;
        if (x.DType == DType.Float64)
        {
            double[] source = TypedElementwise.Operand<double>(x, DType.Float64, x._shape);
            var output = new double[indices.Length];
            Pooling.Max<double>(source, planes, rows, cols, output, indices);
            values = new Tensor(output, DType.Float64, shape);
        }
        else
        {
            float[] output = BufferPool.RentUninitialized(indices.Length);
            Pooling.Max(x.ContiguousData(), planes, rows, cols, output, indices);
            values = new Tensor(output, shape);
        }

        return (values, new Tensor(indices, DType.Int64, shape));
    }

    /// <summary>The input gradient of max pooling, [N, C, H, W], from the gradient of the maxima and their indices.</summary>
    internal static Tensor MaxBackward(Tensor grad, Tensor indices, ReadOnlySpan<int> inputShape)
    {
        int planes = inputShape[0] * inputShape[1], inPlane = inputShape[2] * inputShape[3];
        int outPlane = planes == 0 ? 0 : indices._count / planes;
        int[] shape = inputShape.ToArray();
        long[] index = TypedElementwise.Operand<long>(indices, DType.Int64, indices._shape);
        Tensor result;
        if (grad.DType == DType.Float64)
        {
            double[] source = TypedElementwise.Operand<double>(grad, DType.Float64, grad._shape);
            var output = new double[planes * inPlane];
            Pooling.MaxAdjoint<double>(source, index, planes, outPlane, inPlane, output);
            result = new Tensor(output, DType.Float64, shape);
        }
        else
        {
            float[] output = BufferPool.RentZeroed(planes * inPlane);
            Pooling.MaxAdjoint(grad.ContiguousData(), index, planes, outPlane, inPlane, output);
            result = new Tensor(output, shape);
        }

        return result;
    }

    /// <summary>Average pooling of [N, C, H, W] with per-output divisors.</summary>
    internal static Tensor Average(Tensor x, PoolAxis rows, PoolAxis cols, int[] divisor)
    {
        int planes = x.Shape[0] * x.Shape[1];
        int[] shape = [x.Shape[0], x.Shape[1], rows.Length, cols.Length];
        int count = planes * rows.Length * cols.Length;
        Tensor result;
        if (x.DType == DType.Float64)
        {
            double[] source = TypedElementwise.Operand<double>(x, DType.Float64, x._shape);
            var output = new double[count];
            Pooling.Average<double>(source, planes, rows, cols, divisor, output);
            result = new Tensor(output, DType.Float64, shape);
        }
        else
        {
            float[] output = BufferPool.RentUninitialized(count);
            Pooling.Average(x.ContiguousData(), planes, rows, cols, divisor, output);
            result = new Tensor(output, shape);
        }

        return result;
    }

    /// <summary>The adjoint of <see cref="Average"/>: [N, C, R, C'] spread back onto [N, C, H, W].</summary>
    internal static Tensor AverageAdjoint(Tensor grad, PoolAxis rows, PoolAxis cols, int[] divisor)
    {
        int planes = grad.Shape[0] * grad.Shape[1];
        int[] shape = [grad.Shape[0], grad.Shape[1], rows.Size, cols.Size];
        int count = planes * rows.Size * cols.Size;
        Tensor result;
        if (grad.DType == DType.Float64)
        {
            double[] source = TypedElementwise.Operand<double>(grad, DType.Float64, grad._shape);
            var output = new double[count];
            Pooling.AverageAdjoint<double>(source, planes, rows, cols, divisor, output);
            result = new Tensor(output, DType.Float64, shape);
        }
        else
        {
            float[] output = BufferPool.RentZeroed(count);
            Pooling.AverageAdjoint(grad.ContiguousData(), planes, rows, cols, divisor, output);
            result = new Tensor(output, shape);
        }

        return result;
    }
}
