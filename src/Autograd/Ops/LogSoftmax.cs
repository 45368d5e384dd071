using System.Numerics.Tensors;
using Autograd.Kernels;

namespace Autograd.NN;

public static partial class Functional
{
    /// <summary>
    /// log softmax over the last dimension: <c>yᵢ = xᵢ − log Σⱼ e^(xⱼ)</c>, computed stably (the row maximum is
    /// subtracted first). Inputs of any rank ≥ 1 are treated as rows of the last dimension.
    /// </summary>
    public static Tensor LogSoftmax(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank == 0)
        {
            throw new ArgumentException("LogSoftmax expects a tensor of rank at least 1.", nameof(input));
        }

        int classes = input.Shape[-1];
        if (input._dtype != DType.Float32)
        {
            Tensor typed = LogSoftmaxTyped(input, classes);
            return GradMode.ShouldRecord(input) ? typed.WithGradFn(new LogSoftmaxBackward(input, typed)) : typed;
        }

        float[] result = BufferPool.RentUninitialized(input.Count);
        Softmax.LogSoftmaxRows(input.ContiguousData(), result, classes == 0 ? 0 : input.Count / classes, classes);
        GC.KeepAlive(input);   // the span was input's last use when no graph is recorded (see StorageLease)
        var output = new Tensor(result, input._shape);
        return GradMode.ShouldRecord(input) ? output.WithGradFn(new LogSoftmaxBackward(input, output)) : output;
    }

    /// <summary>
    /// LogSoftmax for other dtypes, with PyTorch 1.13's CPU rules: float64 in double, bfloat16 in float32 rounded once,
    /// float16, integers and bools refused with PyTorch's kernel name.
    /// </summary>
    private static Tensor LogSoftmaxTyped(Tensor input, int classes)
    {
        switch (input._dtype)
        {
            case DType.Float64:
                double[] values = TypedElementwise.Operand<double>(input, DType.Float64, input._shape);
                var result = new double[values.Length];
                for (int r = 0; classes > 0 && r < values.Length / classes; r++)
                {
                    // y = x − (max + log Σ e^(x − max)): the shift keeps every exponent ≤ 0.
                    ReadOnlySpan<double> row = values.AsSpan(r * classes, classes);
                    Span<double> destination = result.AsSpan(r * classes, classes);
                    double max = TensorPrimitives.Max(row);
                    TensorPrimitives.Subtract(row, max, destination);
                    double logSum = max + Math.Log(SumOfExp(destination));
                    TensorPrimitives.Subtract(row, logSum, destination);
                }

                return new Tensor(result, DType.Float64, input._shape);
            case DType.BFloat16:
                return LogSoftmax(input.ConvertedTo(DType.Float32)).ConvertedTo(DType.BFloat16);
            default:
                throw Tensor.NotImplementedFor(input._dtype, "log_softmax_lastdim_kernel_impl");
        }
    }

    /// <summary>Σ e^(xᵢ) for shifted values (all ≤ 0, so no term overflows).</summary>
    private static double SumOfExp(ReadOnlySpan<double> shifted)
    {
        double sum = 0;
        foreach (double v in shifted)
        {
            sum += Math.Exp(v);
        }

        return sum;
    }
}

/// <summary>
/// <c>y = x − logsumexp(x)</c> per row: ∂L/∂x = g − softmax(x) · Σⱼ gⱼ, with softmax(x) = e^y from the saved output.
/// </summary>
internal sealed class LogSoftmaxBackward(Tensor input, Tensor output) : Node(input)
{
    private SavedTensor _output = output;

    protected internal override Tensor?[] Apply(Tensor grad)
    {
        Tensor y = Saved(_output);
        int classes = y.Shape[-1];
        if (!GradMode.IsEnabled && classes > 0 && grad._dtype == DType.Float32 && y._dtype == DType.Float32)
        {
            // Fused: a sum and one pass per row (g − e^y·Σg) instead of exp, sum, multiply and subtract as separate tensors.
            ReadOnlySpan<float> g = grad.ContiguousData(), logP = y.ContiguousData();
            float[] result = BufferPool.RentUninitialized(y.Count);
            for (int r = 0; r < y.Count / classes; r++)
            {
                ReadOnlySpan<float> gRow = g.Slice(r * classes, classes);
                Span<float> row = result.AsSpan(r * classes, classes);
                float total = TensorPrimitives.Sum(gRow);
                FusedBackward.LogSoftmaxRow(logP.Slice(r * classes, classes), gRow, total, row);
            }

            return [new Tensor(result, y._shape)];
        }

        return [grad - (Tensor.Exp(y) * grad.Sum(-1, keepDim: true))];
    }

    protected override void ReleaseSaved() => _output = null;
}
