using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace Autograd.Kernels;

/// <summary>Row-wise softmax kernels over a [rows, classes] row-major matrix.</summary>
internal static class Softmax
{
    /// <summary>
    /// destination row = x − max(x) − log Σ exp(x − max(x)): subtracting the row maximum keeps every exponent ≤ 0,
    /// so nothing overflows, and the largest term contributes exactly 1 to the sum, so the log never sees 0.
    /// </summary>
    internal static void LogSoftmaxRows(ReadOnlySpan<float> x, Span<float> destination, int rows, int classes)
    {
        if (classes == 0)
        {
            return;
        }

        Span<float> scratch = classes <= 1024 ? stackalloc float[classes] : new float[classes];
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<float> row = x.Slice(r * classes, classes);
            Span<float> output = destination.Slice(r * classes, classes);
            float max = TensorPrimitives.Max(row);
            TensorPrimitives.Subtract(row, max, output);
            VectorMath.Exp(output, scratch);
            float logSum = MathF.Log(TensorPrimitives.Sum(scratch));
            TensorPrimitives.Subtract(output, logSum, output);
        }
    }
}

/// <summary>
/// Softmax and log-softmax over the middle dimension of a row-major [outer, size, inner] block, in float32 or
/// float64: per line, m = max x, then eˣ⁻ᵐ / Σ eˣ⁻ᵐ or x − m − log Σ eˣ⁻ᵐ. The shift keeps every exponent ≤ 0 (so
/// logits of ±1000 are exact) and gives the largest term exactly 1 (so the log never sees 0). A line of −∞ (or one
/// holding +∞ or NaN) gives NaN, as PyTorch: −∞ − (−∞) is NaN.
/// </summary>
internal static class SoftmaxBlocks
{
    internal static void Apply<T>(ReadOnlySpan<T> x, Span<T> destination, int outer, int size, int inner, bool log)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (outer == 0 || size == 0 || inner == 0)
        {
            return;
        }

        if (inner == 1)
        {
            Rows(x, destination, outer, size, log);
            return;
        }

        var max = new T[inner];
        var sum = new T[inner];
        int block = size * inner;
        for (int o = 0; o < outer; o++)
        {
            ReadOnlySpan<T> source = x.Slice(o * block, block);
            Span<T> output = destination.Slice(o * block, block);
            source[..inner].CopyTo(max);
            for (int k = 1; k < size; k++)
            {
                TensorPrimitives.Max(max, source.Slice(k * inner, inner), max);
            }

            Array.Clear(sum);
            for (int k = 0; k < size; k++)
            {
                Span<T> line = output.Slice(k * inner, inner);
                TensorPrimitives.Subtract(source.Slice(k * inner, inner), max, line);
                Exp<T>(line, line);
                TensorPrimitives.Add(sum, line, sum);
            }

            if (log)
            {
                TensorPrimitives.Log(sum, sum);
                for (int k = 0; k < size; k++)
                {
                    Span<T> line = output.Slice(k * inner, inner);
                    TensorPrimitives.Subtract(source.Slice(k * inner, inner), max, line);
                    TensorPrimitives.Subtract(line, sum, line);
                }
            }
            else
            {
                for (int k = 0; k < size; k++)
                {
                    Span<T> line = output.Slice(k * inner, inner);
                    TensorPrimitives.Divide(line, sum, line);
                }
            }
        }
    }

    /// <summary>The contiguous case (the last dimension): one row at a time, PyTorch's lastdim kernels.</summary>
    private static void Rows<T>(ReadOnlySpan<T> x, Span<T> destination, int rows, int size, bool log)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T[]? scratch = log ? new T[size] : null;
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<T> row = x.Slice(r * size, size);
            Span<T> output = destination.Slice(r * size, size);
            T max = TensorPrimitives.Max(row);
            TensorPrimitives.Subtract(row, max, output);
            if (log)
            {
                Exp<T>(output, scratch);
                T logSum = T.Log(TensorPrimitives.Sum<T>(scratch));
                TensorPrimitives.Subtract(output, logSum, output);
            }
            else
            {
                Exp<T>(output, output);
                TensorPrimitives.Multiply(output, T.One / TensorPrimitives.Sum<T>(output), output);
            }
        }
    }

    /// <summary>eˣ: the library's float32 kernel (as <see cref="Softmax.LogSoftmaxRows"/>) or TensorPrimitives' float64 one.</summary>
    private static void Exp<T>(ReadOnlySpan<T> x, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float))
        {
            VectorMath.Exp(MemoryMarshal.Cast<T, float>(x), MemoryMarshal.Cast<T, float>(destination));
        }
        else
        {
            TensorPrimitives.Exp(x, destination);
        }
    }
}
