using System.Numerics.Tensors;
using Autograd.Kernels;
using Autograd.NN;

namespace Autograd;

/// <summary>The fused loss kernels on the CPU: one pass over a row or the elements where the composed formula would take several.</summary>
internal sealed partial class CpuBackend
{
    /// <inheritdoc/>
    public Tensor LogSoftmaxRows(Tensor input)
    {
        int classes = input._shape[^1];
        Tensor output = Empty(input._shape);
        Kernels.Softmax.LogSoftmaxRows(input.ContiguousData(), output.AsSpan(), classes == 0 ? 0 : input._count / classes, classes);
        return output;
    }

    /// <inheritdoc/>
    public Tensor CrossEntropyBackward(Tensor grad, Tensor logProbabilities, int[] targets, Reduction reduction)
    {
        int rows = logProbabilities._shape[0], classes = logProbabilities._shape[1];
        ReadOnlySpan<float> g = grad.ContiguousData();
        ReadOnlySpan<float> logP = logProbabilities.ContiguousData();
        Tensor output = Empty(logProbabilities._shape);
        Span<float> result = output.AsSpan();
        for (int i = 0; i < rows; i++)
        {
            Span<float> row = result.Slice(i * classes, classes);
            float scale = Functional.RowScale(g, reduction, i, rows);
            ReadOnlySpan<float> logPRow = logP.Slice(i * classes, classes);
            FusedBackward.ExpScale(logPRow, scale, row);

            // The target's entry is (p − 1)·scale, as in the formula, not p·scale − scale.
            int t = targets[i];
            row[t] = (ExpOperator.Invoke(logPRow[t]) - 1f) * scale;
        }

        return output;
    }

    /// <inheritdoc/>
    public Tensor BinaryCrossEntropyWithLogitsInputGrad(Tensor x, Tensor target, float scale, Tensor? grad)
    {
        Tensor output = Empty(x._shape);
        Span<float> result = output.AsSpan();
        FusedBackward.BinaryCrossEntropyWithLogits(x.ContiguousData(), target.ContiguousData(), scale, result);
        if (grad is not null)
        {
            TensorPrimitives.Multiply(result, grad.ContiguousData(), result);
        }

        return output;
    }

    /// <inheritdoc/>
    /// <remarks>(−x)·s = x·(−s) exactly, as sign changes are exact.</remarks>
    public Tensor BinaryCrossEntropyWithLogitsTargetGrad(Tensor x, float scale, Tensor? grad)
    {
        Tensor output = Empty(x._shape);
        Span<float> result = output.AsSpan();
        if (grad is null)
        {
            TensorPrimitives.Multiply(x.ContiguousData(), -scale, result);
        }
        else
        {
            TensorPrimitives.Multiply(x.ContiguousData(), grad.ContiguousData(), result);
            TensorPrimitives.Negate(result, result);
        }

        return output;
    }
}
