using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace Autograd.Kernels;

/// <summary>
/// im2col / col2im, span-in, span-out. For an image [C, H, W] and a window geometry with output [Hout, Wout], the
/// column matrix is [C·kH·kW, Hout·Wout]: row (c, i, j), column (oh, ow) holds
/// x[c, oh·sH − pH + i·dH, ow·sW − pW + j·dW] (0 outside the image). A convolution is then W[O, C·kH·kW]·cols.
/// </summary>
internal static class Convolution
{
    /// <summary>
    /// Fills <paramref name="cols"/> [C·kH·kW, outH·outW] from <paramref name="image"/> [C, H, W]; consecutive rows of
    /// cols lie <paramref name="rowStride"/> elements apart (≥ outH·outW), so several images can share one matrix.
    /// </summary>
    internal static void Im2Col<T>(ReadOnlySpan<T> image, int channels, int height, int width, in ConvGeometry g, int outH, int outW, Span<T> cols, int rowStride)
        where T : unmanaged, INumber<T>
    {
        int plane = height * width, columns = outH * outW;
        int row = 0;
        for (int c = 0; c < channels; c++)
        {
            ReadOnlySpan<T> source = image.Slice(c * plane, plane);
            for (int i = 0; i < g.KernelH; i++)
            {
                for (int j = 0; j < g.KernelW; j++, row++)
                {
                    Span<T> destination = cols.Slice(row * rowStride, columns);
                    int dx = (j * g.DilationW) - g.PadW;
                    for (int oh = 0; oh < outH; oh++)
                    {
                        Span<T> line = destination.Slice(oh * outW, outW);
                        int ih = (oh * g.StrideH) - g.PadH + (i * g.DilationH);
                        if ((uint)ih >= (uint)height)
                        {
                            line.Clear();
                            continue;
                        }

                        ReadOnlySpan<T> input = source.Slice(ih * width, width);
                        if (g.StrideW == 1)
                        {
                            // iw = ow + dx: zeros where it falls left or right of the row, one copy in between.
                            int first = Math.Clamp(-dx, 0, outW), last = Math.Clamp(width - dx, first, outW);
                            line[..first].Clear();
                            if (last > first)
                            {
                                input.Slice(first + dx, last - first).CopyTo(line[first..last]);
                            }

                            line[last..].Clear();
                            continue;
                        }

                        for (int ow = 0; ow < outW; ow++)
                        {
                            int iw = (ow * g.StrideW) + dx;
                            line[ow] = (uint)iw < (uint)width ? input[iw] : T.Zero;
                        }
                    }
                }
            }
        }
    }

    /// <summary>The adjoint of <see cref="Im2Col"/>: adds every entry of <paramref name="cols"/> into the image element it was read from.</summary>
    internal static void Col2ImAdd<T>(ReadOnlySpan<T> cols, int rowStride, int channels, int height, int width, in ConvGeometry g, int outH, int outW, Span<T> image)
        where T : unmanaged, INumber<T>
    {
        int plane = height * width, columns = outH * outW;
        int row = 0;
        for (int c = 0; c < channels; c++)
        {
            Span<T> target = image.Slice(c * plane, plane);
            for (int i = 0; i < g.KernelH; i++)
            {
                for (int j = 0; j < g.KernelW; j++, row++)
                {
                    ReadOnlySpan<T> source = cols.Slice(row * rowStride, columns);
                    int dx = (j * g.DilationW) - g.PadW;
                    for (int oh = 0; oh < outH; oh++)
                    {
                        int ih = (oh * g.StrideH) - g.PadH + (i * g.DilationH);
                        if ((uint)ih >= (uint)height)
                        {
                            continue;
                        }

                        ReadOnlySpan<T> line = source.Slice(oh * outW, outW);
                        Span<T> output = target.Slice(ih * width, width);
                        if (g.StrideW == 1)
                        {
                            // iw = ow + dx: one vector add over the columns that land inside the row.
                            int first = Math.Clamp(-dx, 0, outW), last = Math.Clamp(width - dx, first, outW);
                            if (last > first)
                            {
                                Span<T> segment = output.Slice(first + dx, last - first);
                                TensorPrimitives.Add<T>(segment, line[first..last], segment);
                            }

                            continue;
                        }

                        for (int ow = 0; ow < outW; ow++)
                        {
                            int iw = (ow * g.StrideW) + dx;
                            if ((uint)iw < (uint)width)
                            {
                                output[iw] += line[ow];
                            }
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// [m, C, L] → [C, m·L]: the channels of m consecutive images side by side, so one GEMM covers them all.
    /// </summary>
    internal static void Interleave<T>(ReadOnlySpan<T> source, int images, int channels, int plane, Span<T> destination)
    {
        for (int b = 0; b < images; b++)
        {
            for (int c = 0; c < channels; c++)
            {
                source.Slice(((b * channels) + c) * plane, plane).CopyTo(destination.Slice(((c * images) + b) * plane, plane));
            }
        }
    }

    /// <summary>[C, m·L] → [m, C, L] (the inverse of <see cref="Interleave"/>), adding bias[c] to channel c when given.</summary>
    internal static void Deinterleave<T>(ReadOnlySpan<T> source, int images, int channels, int plane, ReadOnlySpan<T> bias, Span<T> destination)
        where T : unmanaged, INumber<T>
    {
        for (int b = 0; b < images; b++)
        {
            for (int c = 0; c < channels; c++)
            {
                ReadOnlySpan<T> line = source.Slice(((c * images) + b) * plane, plane);
                Span<T> target = destination.Slice(((b * channels) + c) * plane, plane);
                if (bias.IsEmpty)
                {
                    line.CopyTo(target);
                    continue;
                }

                TensorPrimitives.Add<T>(line, bias[c], target);
            }
        }
    }

    /// <summary>C = (accumulate ? C : 0) + op(A)·op(B) through the packed float32 or float64 GEMM.</summary>
    internal static void Gemm<T>(ReadOnlySpan<T> a, int lda, bool transA, ReadOnlySpan<T> b, int ldb, bool transB, Span<T> c, int ldc, int m, int n, int k, bool accumulate)
        where T : unmanaged
    {
        if (m == 0 || n == 0)
        {
            return;
        }

        if (k == 0)
        {
            if (!accumulate)
            {
                for (int r = 0; r < m; r++)
                {
                    c.Slice(r * ldc, n).Clear();
                }
            }

            return;
        }

        if (typeof(T) == typeof(float))
        {
            Kernels.Gemm.Multiply(MemoryMarshal.Cast<T, float>(a), lda, transA, MemoryMarshal.Cast<T, float>(b), ldb, transB, MemoryMarshal.Cast<T, float>(c), ldc, m, n, k, accumulate);
        }
        else
        {
            Gemm64.Multiply(MemoryMarshal.Cast<T, double>(a), lda, transA, MemoryMarshal.Cast<T, double>(b), ldb, transB, MemoryMarshal.Cast<T, double>(c), ldc, m, n, k, accumulate);
        }
    }
}
