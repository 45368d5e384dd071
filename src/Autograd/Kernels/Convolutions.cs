using System.Numerics;
using System.Numerics.Tensors;

namespace Autograd.Kernels;

/// <summary>
/// Tensor-level entry points of the 2-d convolution kernels (float32 and float64, same dtype throughout): the
/// convolution, its transpose and the weight gradient, each an im2col / col2im (<see cref="Convolution"/>) and one
/// GEMM per image and group. Inputs are read in place when contiguous, else copied once; results are contiguous.
/// </summary>
internal static class Convolutions
{
    /// <summary>
    /// out[n, o] = bias[o] + Σ W[o, c, i, j]·x[n, g·Cg + c, oh·sH − pH + i·dH, ow·sW − pW + j·dW] over the Cg channels of
    /// o's group g: per image and group, W_g [Og, Cg·kH·kW] · im2col(x_n)_g [Cg·kH·kW, outH·outW].
    /// </summary>
    internal static Tensor Forward(Tensor x, Tensor w, Tensor? bias, in ConvGeometry g, int outH, int outW) =>
        x.DType == DType.Float64 ? Forward<double>(x, w, bias, g, outH, outW) : Forward<float>(x, w, bias, g, outH, outW);

    /// <summary>
    /// The adjoint of <see cref="Forward"/> in x, with weight [Cin, Og, kH, kW]: per image and group,
    /// col2im(W_gᵀ [Og·kH·kW, Cin_g] · x_n,g [Cin_g, Hin·Win]) into an image [Og·groups, outH, outW], plus bias.
    /// </summary>
    internal static Tensor Transposed(Tensor x, Tensor w, Tensor? bias, in ConvGeometry g, int outH, int outW) =>
        x.DType == DType.Float64 ? Transposed<double>(x, w, bias, g, outH, outW) : Transposed<float>(x, w, bias, g, outH, outW);

    /// <summary>
    /// Σₙ other_n,g [Co_g, Ho·Wo] · im2col(image_n)_gᵀ [Ho·Wo, Ci_g·kH·kW] per group g, shaped [Co, Ci/groups, kH, kW]:
    /// the weight gradient of a convolution (image = input, other = output gradient) and of a transposed one
    /// (image = output gradient, other = input).
    /// </summary>
    internal static Tensor WeightGrad(Tensor image, Tensor other, in ConvGeometry g) =>
        image.DType == DType.Float64 ? WeightGrad<double>(image, other, g) : WeightGrad<float>(image, other, g);

    /// <summary>
    /// Images per GEMM: enough that a chunk spans about 4096 output positions (small images such as LeNet's 8×8 maps
    /// then share one product instead of 64 tiny ones), while the column buffer stays near 4M elements at most.
    /// </summary>
    private static int ChunkOf(int images, int plane, int rows)
    {
        int byWidth = (4096 + Math.Max(plane, 1) - 1) / Math.Max(plane, 1);
        int bySize = (int)Math.Clamp((1L << 22) / Math.Max((long)rows * plane, 1), 1, int.MaxValue);
        return Math.Clamp(Math.Min(byWidth, bySize), 1, Math.Max(images, 1));
    }

    private static Tensor Forward<T>(Tensor x, Tensor w, Tensor? bias, ConvGeometry g, int outH, int outW)
        where T : unmanaged, INumber<T>
    {
        int n = x.Shape[0], c = x.Shape[1], h = x.Shape[2], width = x.Shape[3], o = w.Shape[0];
        int cg = c / g.Groups, og = o / g.Groups, plane = outH * outW, rows = cg * g.KernelH * g.KernelW, image = c * h * width;
        T[] xs = Dense<T>(x, out int xOffset), ws = Dense<T>(w, out int wOffset);
        ReadOnlySpan<T> bs = bias is null ? default : Dense<T>(bias, out int bOffset).AsSpan(bOffset, o);
        T[] result = Allocate<T>(n * o * plane, zeroed: false);

        // A 1×1 window with unit stride and no padding reads each image as it is: cols = x_n, one GEMM per image.
        bool direct = g.KernelH == 1 && g.KernelW == 1 && g.StrideH == 1 && g.StrideW == 1 && g.PadH == 0 && g.PadW == 0 && outH == h && outW == width;
        int chunk = direct ? 1 : ChunkOf(n, plane, c * g.KernelH * g.KernelW);
        T[] cols = direct ? [] : Allocate<T>(c * g.KernelH * g.KernelW * chunk * plane, zeroed: false);
        T[] product = chunk > 1 ? Allocate<T>(o * chunk * plane, zeroed: false) : [];
        for (int n0 = 0; n0 < n; n0 += chunk)
        {
            int m = Math.Min(chunk, n - n0), ld = m * plane;
            ReadOnlySpan<T> source = direct ? xs.AsSpan(xOffset + (n0 * image), image) : cols;
            for (int b = 0; b < m && !direct; b++)
            {
                Convolution.Im2Col(xs.AsSpan(xOffset + ((n0 + b) * image), image), c, h, width, g, outH, outW, cols.AsSpan(b * plane), ld);
            }

            // One image writes its [O, L] block in place; several go through [O, m·L] and are laid out per image.
            Span<T> output = m == 1 ? result.AsSpan(n0 * o * plane, o * plane) : product;
            for (int group = 0; group < g.Groups; group++)
            {
                Convolution.Gemm<T>(
                    ws.AsSpan(wOffset + (group * og * rows)), Math.Max(rows, 1), false,
                    source[(group * rows * ld)..], Math.Max(ld, 1), false,
                    output[(group * og * ld)..], Math.Max(ld, 1), og, ld, rows, accumulate: false);
            }

            if (m > 1 || !bs.IsEmpty)
            {
                Convolution.Deinterleave<T>(output[..(o * ld)], m, o, plane, bs, result.AsSpan(n0 * o * plane, m * o * plane));
            }
        }

        Release(cols);
        Release(product);
        return Wrap(result, [n, o, outH, outW]);
    }

    private static Tensor Transposed<T>(Tensor x, Tensor w, Tensor? bias, ConvGeometry g, int outH, int outW)
        where T : unmanaged, INumber<T>
    {
        int n = x.Shape[0], cin = x.Shape[1], plane = x.Shape[2] * x.Shape[3];
        int cing = cin / g.Groups, og = w.Shape[1], o = og * g.Groups, kk = g.KernelH * g.KernelW, rows = og * kk;
        T[] xs = Dense<T>(x, out int xOffset), ws = Dense<T>(w, out int wOffset);
        ReadOnlySpan<T> bs = bias is null ? default : Dense<T>(bias, out int bOffset).AsSpan(bOffset, o);
        int outPlane = outH * outW;
        T[] result = Allocate<T>(n * o * outPlane, zeroed: true);
        int chunk = ChunkOf(n, plane, o * kk);
        T[] cols = Allocate<T>(o * kk * chunk * plane, zeroed: false);
        T[] input = chunk > 1 ? Allocate<T>(cin * chunk * plane, zeroed: false) : [];
        for (int n0 = 0; n0 < n; n0 += chunk)
        {
            int m = Math.Min(chunk, n - n0), ld = m * plane;
            ReadOnlySpan<T> source = xs.AsSpan(xOffset + (n0 * cin * plane), m * cin * plane);
            if (m > 1)
            {
                Convolution.Interleave(source, m, cin, plane, input);
                source = input;
            }

            for (int group = 0; group < g.Groups; group++)
            {
                Convolution.Gemm<T>(
                    ws.AsSpan(wOffset + (group * cing * rows)), Math.Max(rows, 1), true,
                    source[(group * cing * ld)..], Math.Max(ld, 1), false,
                    cols.AsSpan(group * rows * ld), Math.Max(ld, 1), rows, ld, cing, accumulate: false);
            }

            for (int b = 0; b < m; b++)
            {
                Span<T> output = result.AsSpan((n0 + b) * o * outPlane, o * outPlane);
                Convolution.Col2ImAdd<T>(cols.AsSpan(b * plane), ld, o, outH, outW, g, x.Shape[2], x.Shape[3], output);
                for (int ch = 0; ch < bs.Length; ch++)
                {
                    Span<T> line = output.Slice(ch * outPlane, outPlane);
                    TensorPrimitives.Add<T>(line, bs[ch], line);
                }
            }
        }

        Release(cols);
        Release(input);
        return Wrap(result, [n, o, outH, outW]);
    }

    private static Tensor WeightGrad<T>(Tensor image, Tensor other, ConvGeometry g)
        where T : unmanaged, INumber<T>
    {
        int n = image.Shape[0], ci = image.Shape[1], h = image.Shape[2], width = image.Shape[3];
        int co = other.Shape[1], outH = other.Shape[2], outW = other.Shape[3], plane = outH * outW, size = ci * h * width;
        int cig = ci / g.Groups, cog = co / g.Groups, rows = cig * g.KernelH * g.KernelW;
        T[] xs = Dense<T>(image, out int xOffset), os = Dense<T>(other, out int oOffset);
        T[] result = Allocate<T>(co * rows, zeroed: true);
        int chunk = ChunkOf(n, plane, ci * g.KernelH * g.KernelW);
        T[] cols = Allocate<T>(ci * g.KernelH * g.KernelW * chunk * plane, zeroed: false);
        T[] gathered = chunk > 1 ? Allocate<T>(co * chunk * plane, zeroed: false) : [];
        for (int n0 = 0; n0 < n && plane > 0; n0 += chunk)
        {
            int m = Math.Min(chunk, n - n0), ld = m * plane;
            for (int b = 0; b < m; b++)
            {
                Convolution.Im2Col<T>(xs.AsSpan(xOffset + ((n0 + b) * size), size), ci, h, width, g, outH, outW, cols.AsSpan(b * plane), ld);
            }

            ReadOnlySpan<T> gradient = os.AsSpan(oOffset + (n0 * co * plane), m * co * plane);
            if (m > 1)
            {
                Convolution.Interleave(gradient, m, co, plane, gathered);
                gradient = gathered;
            }

            for (int group = 0; group < g.Groups; group++)
            {
                Convolution.Gemm<T>(
                    gradient[(group * cog * ld)..], ld, false,
                    cols.AsSpan(group * rows * ld), ld, true,
                    result.AsSpan(group * cog * rows), Math.Max(rows, 1), cog, rows, ld, accumulate: true);
            }
        }

        Release(cols);
        Release(gathered);
        return Wrap(result, [co, cig, g.KernelH, g.KernelW]);
    }

    /// <summary>The storage of a contiguous tensor of element type T and its offset, else a contiguous copy.</summary>
    private static T[] Dense<T>(Tensor t, out int offset)
        where T : unmanaged, INumber<T>
    {
        if (t.IsContiguous && t.Storage is T[] storage)
        {
            offset = t._offset;
            return storage;
        }

        offset = 0;
        return TypedElementwise.Operand<T>(t, t.DType, t._shape);
    }

    private static T[] Allocate<T>(int length, bool zeroed)
    {
        if (typeof(T) == typeof(float))
        {
            return (T[])(object)(zeroed ? BufferPool.RentZeroed(length) : BufferPool.RentUninitialized(length));
        }

        return zeroed ? new T[length] : GC.AllocateUninitializedArray<T>(length);
    }

    private static void Release<T>(T[] scratch)
    {
        if (scratch is float[] floats && floats.Length > 0)
        {
            BufferPool.Return(floats);
        }
    }

    private static Tensor Wrap<T>(T[] data, int[] shape) =>
        data is float[] floats ? new Tensor(floats, shape) : new Tensor(data, DType.Float64, shape);
}
