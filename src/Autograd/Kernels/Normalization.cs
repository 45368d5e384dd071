using System.Numerics;
using System.Runtime.InteropServices;

namespace Autograd.Kernels;

/// <summary>
/// Fused layer normalisation over the last <c>cols</c> elements of each row (float32 and float64): one pass for the
/// row statistics and the normalised, scaled output, and one for all three gradients.
/// </summary>
internal static class Normalization
{
    /// <summary>
    /// yᵢⱼ = (xᵢⱼ − μᵢ)·rᵢ·wⱼ + bⱼ with μᵢ the row mean and rᵢ = 1/√(σᵢ² + ε) (biased variance), accumulated in
    /// double. <paramref name="weight"/> and <paramref name="bias"/> may be empty (1 and 0).
    /// </summary>
    internal static void LayerNormForward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> weight, ReadOnlySpan<T> bias, int cols, double eps, Span<T> y, Span<T> mean, Span<T> rstd)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int rows = mean.Length;
        for (int i = 0; i < rows; i++)
        {
            ReadOnlySpan<T> row = x.Slice(i * cols, cols);
            double sum = 0;
            foreach (T v in row)
            {
                sum += double.CreateTruncating(v);
            }

            double mu = cols == 0 ? double.NaN : sum / cols;
            double squares = 0;
            foreach (T v in row)
            {
                double d = double.CreateTruncating(v) - mu;
                squares += d * d;
            }

            double r = 1 / Math.Sqrt((squares / cols) + eps);
            mean[i] = T.CreateTruncating(mu);
            rstd[i] = T.CreateTruncating(r);
            Span<T> output = y.Slice(i * cols, cols);
            for (int j = 0; j < cols; j++)
            {
                double value = (double.CreateTruncating(row[j]) - mu) * r;
                if (!weight.IsEmpty)
                {
                    value *= double.CreateTruncating(weight[j]);
                }

                if (!bias.IsEmpty)
                {
                    value += double.CreateTruncating(bias[j]);
                }

                output[j] = T.CreateTruncating(value);
            }
        }
    }

    /// <summary>
    /// With x̂ = (x − μ)·r and d = g·w per row: ∂L/∂x = r·(d − mean(d) − x̂·mean(d·x̂)), ∂L/∂w = Σᵢ g·x̂, ∂L/∂b = Σᵢ g.
    /// <paramref name="weightGrad"/> and <paramref name="biasGrad"/> may be empty (not wanted); they are accumulated into.
    /// </summary>
    internal static void LayerNormBackward<T>(ReadOnlySpan<T> grad, ReadOnlySpan<T> x, ReadOnlySpan<T> mean, ReadOnlySpan<T> rstd, ReadOnlySpan<T> weight, int cols,
        Span<T> inputGrad, Span<double> weightGrad, Span<double> biasGrad)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int rows = mean.Length;
        for (int i = 0; i < rows; i++)
        {
            ReadOnlySpan<T> g = grad.Slice(i * cols, cols), row = x.Slice(i * cols, cols);
            double mu = double.CreateTruncating(mean[i]), r = double.CreateTruncating(rstd[i]);
            double sumD = 0, sumDX = 0;
            for (int j = 0; j < cols; j++)
            {
                double gj = double.CreateTruncating(g[j]);
                double xhat = (double.CreateTruncating(row[j]) - mu) * r;
                double d = weight.IsEmpty ? gj : gj * double.CreateTruncating(weight[j]);
                sumD += d;
                sumDX += d * xhat;
                if (!weightGrad.IsEmpty)
                {
                    weightGrad[j] += gj * xhat;
                }

                if (!biasGrad.IsEmpty)
                {
                    biasGrad[j] += gj;
                }
            }

            if (inputGrad.IsEmpty)
            {
                continue;
            }

            double meanD = sumD / cols, meanDX = sumDX / cols;
            Span<T> dx = inputGrad.Slice(i * cols, cols);
            for (int j = 0; j < cols; j++)
            {
                double xhat = (double.CreateTruncating(row[j]) - mu) * r;
                double d = weight.IsEmpty ? double.CreateTruncating(g[j]) : double.CreateTruncating(g[j]) * double.CreateTruncating(weight[j]);
                dx[j] = T.CreateTruncating(r * (d - meanD - (xhat * meanDX)));
            }
        }
    }

    /// <summary>The tensor-level forward: (output of x's shape, mean [rows], rstd [rows]) in x's dtype.</summary>
    internal static (Tensor Output, Tensor Mean, Tensor Rstd) LayerNorm(Tensor x, Tensor? weight, Tensor? bias, int rows, int cols, double eps) =>
        x.DType == DType.Float32 ? LayerNormTyped<float>(x, weight, bias, rows, cols, eps) : LayerNormTyped<double>(x, weight, bias, rows, cols, eps);

    /// <summary>The tensor-level backward: (∂L/∂x or null, ∂L/∂w or null, ∂L/∂b or null).</summary>
    internal static (Tensor? Input, Tensor? Weight, Tensor? Bias) LayerNormGrad(Tensor grad, Tensor x, Tensor mean, Tensor rstd, Tensor? weight, int cols, bool input, bool weightWanted, bool biasWanted) =>
        x.DType == DType.Float32
            ? LayerNormGradTyped<float>(grad, x, mean, rstd, weight, cols, input, weightWanted, biasWanted)
            : LayerNormGradTyped<double>(grad, x, mean, rstd, weight, cols, input, weightWanted, biasWanted);

    private static (Tensor, Tensor, Tensor) LayerNormTyped<T>(Tensor x, Tensor? weight, Tensor? bias, int rows, int cols, double eps)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T[] y = new T[x.Count], mean = new T[rows], rstd = new T[rows];
        LayerNormForward<T>(Read<T>(x), weight is null ? default : Read<T>(weight), bias is null ? default : Read<T>(bias), cols, eps, y, mean, rstd);
        return (Wrap(y, x.Shape.ToArray()), Wrap(mean, [rows]), Wrap(rstd, [rows]));
    }

    private static (Tensor?, Tensor?, Tensor?) LayerNormGradTyped<T>(Tensor grad, Tensor x, Tensor mean, Tensor rstd, Tensor? weight, int cols, bool input, bool weightWanted, bool biasWanted)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T[]? dx = input ? new T[x.Count] : null;
        double[]? dw = weightWanted ? new double[cols] : null, db = biasWanted ? new double[cols] : null;
        LayerNormBackward<T>(Read<T>(grad), Read<T>(x), Read<T>(mean), Read<T>(rstd), weight is null ? default : Read<T>(weight), cols, dx, dw, db);
        int[] weightShape = weight?.Shape.ToArray() ?? [cols];
        return (dx is null ? null : Wrap(dx, x.Shape.ToArray()), dw is null ? null : Wrap(Narrow<T>(dw), weightShape), db is null ? null : Wrap(Narrow<T>(db), weightShape));
    }

    /// <summary>max |xᵢⱼ| of each row of a [rows, cols] tensor (NaN if the row holds one; 0 for an empty row), in its dtype.</summary>
    internal static Tensor AbsMaxRows(Tensor x, int rows, int cols) =>
        x.DType == DType.Float32 ? AbsMaxRowsTyped<float>(x, rows, cols) : AbsMaxRowsTyped<double>(x, rows, cols);

    private static Tensor AbsMaxRowsTyped<T>(Tensor x, int rows, int cols)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ReadOnlySpan<T> values = Read<T>(x);
        var result = new T[rows];
        for (int i = 0; i < rows; i++)
        {
            T max = T.Zero;
            foreach (T v in values.Slice(i * cols, cols))
            {
                T magnitude = T.Abs(v);
                max = T.IsNaN(magnitude) || magnitude > max ? magnitude : max;
                if (T.IsNaN(max))
                {
                    break;
                }
            }

            result[i] = max;
        }

        return Wrap(result, [rows]);
    }

    private static T[] Narrow<T>(double[] values)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var result = new T[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            result[i] = T.CreateTruncating(values[i]);
        }

        return result;
    }

    private static ReadOnlySpan<T> Read<T>(Tensor t)
        where T : unmanaged =>
        typeof(T) == typeof(float)
            ? MemoryMarshal.Cast<float, T>(t.ContiguousData())
            : TypedElementwise.Operand<T>(t, DType.Float64, t._shape);

    private static Tensor Wrap<T>(T[] values, int[] shape)
        where T : unmanaged =>
        values is float[] floats ? new Tensor(floats, shape) : new Tensor(values, DType.Float64, shape);
}
