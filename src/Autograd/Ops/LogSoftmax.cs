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
        float[] result = BufferPool.RentUninitialized(input.Count);
        Softmax.LogSoftmaxRows(input.ContiguousData(), result, classes == 0 ? 0 : input.Count / classes, classes);
        GC.KeepAlive(input);   // the span was input's last use when no graph is recorded (see StorageLease)
        var output = new Tensor(result, input._shape);
        return GradMode.ShouldRecord(input) ? output.WithGradFn(new LogSoftmaxBackward(input, output)) : output;
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
        if (!GradMode.IsEnabled && classes > 0)
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
