using System.Numerics.Tensors;

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
