namespace Autograd.Kernels;

/// <summary>
/// The kernels behind linspace and logspace, reproducing PyTorch 1.13's CPU results bit for bit (AVX2 build, one
/// thread).
/// </summary>
/// <remarks>
/// PyTorch computes linspace from both ends: <c>step = (end − start)/(steps − 1)</c>, element i below
/// <c>steps/2</c> is <c>start + step·i</c> and the rest <c>end − step·(steps − 1 − i)</c>, so both ends are exact.
/// Its kernel runs vectorised in blocks of two vectors of W lanes (8 for 32-bit, 4 for 64-bit
/// elements): each vector takes its first lane from the formula above (contracted to one fused multiply-add by the
/// compiler) and the other lanes as <c>first + j·step</c> (two roundings); the tail past the last whole block uses the
/// fused formula per element. Above 32768 elements PyTorch splits the range over threads, which moves the vector
/// boundaries; these kernels match its one-thread result.
/// </remarks>
internal static class Ranges
{
    private const int Width32 = 8;
    private const int Width64 = 4;

    /// <summary>float32 linspace (PyTorch's <c>linspace_cpu</c> for Float), <c>steps ≥ 2</c>.</summary>
    internal static void Linspace(float start, float end, Span<float> destination)
    {
        int steps = destination.Length;
        float step = (end - start) / (steps - 1);
        int half = steps / 2;
        int blocked = steps / (2 * Width32) * (2 * Width32);
        for (int i = 0; i < blocked; i += Width32)
        {
            float first = i < half ? MathF.FusedMultiplyAdd(step, i, start) : MathF.FusedMultiplyAdd(-step, steps - i - 1, end);
            destination[i] = first;
            for (int j = 1; j < Width32; j++)
            {
                destination[i + j] = first + (j * step);
            }
        }

        for (int i = blocked; i < steps; i++)
        {
            destination[i] = i < half ? MathF.FusedMultiplyAdd(step, i, start) : MathF.FusedMultiplyAdd(-step, steps - i - 1, end);
        }
    }

    /// <summary>float64 linspace (PyTorch's <c>linspace_cpu</c> for Double), <c>steps ≥ 2</c>.</summary>
    internal static void Linspace(double start, double end, Span<double> destination)
    {
        int steps = destination.Length;
        double step = (end - start) / (steps - 1);
        int half = steps / 2;
        int blocked = steps / (2 * Width64) * (2 * Width64);
        for (int i = 0; i < blocked; i += Width64)
        {
            double first = i < half ? Math.FusedMultiplyAdd(step, i, start) : Math.FusedMultiplyAdd(-step, steps - i - 1, end);
            destination[i] = first;
            for (int j = 1; j < Width64; j++)
            {
                destination[i + j] = first + (j * step);
            }
        }

        for (int i = blocked; i < steps; i++)
        {
            destination[i] = i < half ? Math.FusedMultiplyAdd(step, i, start) : Math.FusedMultiplyAdd(-step, steps - i - 1, end);
        }
    }

    /// <summary>
    /// Integer linspace (PyTorch's <c>linspace_cpu</c> for Long and Int), <c>steps ≥ 2</c>: the step is a double
    /// <c>(end − start)/(steps − 1)</c>, each value is computed in double and truncated toward zero; a vector's other
    /// lanes are <c>trunc(first + j·step)</c> from the truncated first lane. <paramref name="narrow"/> selects int32's
    /// 8 lanes over int64's 4.
    /// </summary>
    internal static void Linspace(long start, long end, Span<long> destination, bool narrow)
    {
        int steps = destination.Length;
        int width = narrow ? Width32 : Width64;
        double step = ((double)end - start) / (steps - 1);
        int half = steps / 2;
        int blocked = steps / (2 * width) * (2 * width);
        for (int i = 0; i < blocked; i += width)
        {
            long first = (long)(i < half ? Math.FusedMultiplyAdd(step, i, start) : Math.FusedMultiplyAdd(-step, steps - i - 1, end));
            destination[i] = first;
            for (int j = 1; j < width; j++)
            {
                destination[i + j] = (long)(first + (j * step));
            }
        }

        for (int i = blocked; i < steps; i++)
        {
            destination[i] = (long)(i < half ? Math.FusedMultiplyAdd(step, i, start) : Math.FusedMultiplyAdd(-step, steps - i - 1, end));
        }
    }

    /// <summary>
    /// logspace (PyTorch's <c>logspace_cpu</c>), <c>steps ≥ 2</c>: <c>baseᵉ</c> for exponents from both ends as in
    /// linspace, in double without fused multiply-adds: <c>e = start + step·i</c> below the middle and
    /// <c>end − step·(steps − 1 − i)</c> after it, with <c>step = (end − start)/(steps − 1)</c>, where the difference
    /// <paramref name="difference"/> was taken in the result's dtype.
    /// </summary>
    internal static void Logspace(double start, double end, double difference, double @base, Span<double> destination)
    {
        int steps = destination.Length;
        double step = difference / (steps - 1);
        int half = steps / 2;
        for (int i = 0; i < steps; i++)
        {
            double exponent = i < half ? start + (step * i) : end - (step * (steps - i - 1));
            destination[i] = Math.Pow(@base, exponent);
        }
    }

    /// <summary>
    /// The coordinates of a <paramref name="rows"/>×<paramref name="columns"/> matrix's lower (j − i ≤ offset) or upper
    /// (j − i ≥ offset) triangle in row-major order, as a 2×N row-major array: row indices, then column indices.
    /// </summary>
    internal static long[] TriangleIndices(int rows, int columns, int offset, bool lower)
    {
        var row = new List<long>();
        var column = new List<long>();
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < columns; j++)
            {
                long diagonal = (long)j - i;
                if (lower ? diagonal <= offset : diagonal >= offset)
                {
                    row.Add(i);
                    column.Add(j);
                }
            }
        }

        return [.. row, .. column];
    }
}
