using System.Numerics.Tensors;

namespace Autograd.NN;

public static partial class Functional
{
    /// <summary>
    /// Cross-entropy between logits [N, C] and class indices (PyTorch's <c>F.cross_entropy</c>):
    /// <c>ℓᵢ = −log softmax(xᵢ)[tᵢ] = logsumexp(xᵢ) − xᵢ[tᵢ]</c>, computed stably in one fused node.
    /// </summary>
    /// <param name="input">Logits, [N, C].</param>
    /// <param name="targets">N class indices in [0, C).</param>
    /// <param name="reduction">How to reduce the N losses; the mean by default.</param>
    public static Tensor CrossEntropy(Tensor input, ReadOnlySpan<int> targets, Reduction reduction = Reduction.Mean)
    {
        ArgumentNullException.ThrowIfNull(input);
        (int rows, int classes) = CheckClassification(input, targets);
        if (input._dtype != DType.Float32)
        {
            // As PyTorch composes it: nll_loss(log_softmax(x)), so other dtypes need no fused node of their own.
            return NllLoss(LogSoftmax(input), targets, reduction);
        }

        Tensor logProbabilities = input.Backend.LogSoftmaxRows(input);
        Tensor output = PickNegated(logProbabilities.ContiguousData(), targets, rows, classes, reduction);
        return GradMode.ShouldRecord(input)
            ? output.WithGradFn(new CrossEntropyBackward(input, logProbabilities, targets.ToArray(), reduction))
            : output;
    }

    /// <summary>
    /// Cross-entropy with class indices held as integer-valued floats in a 1-d tensor (PyTorch wants int64 indices:
    /// see <see cref="CrossEntropy(Tensor, Tensor, Tensor?, long, string, double)"/>).
    /// </summary>
    public static Tensor CrossEntropy(Tensor input, Tensor target, Reduction reduction) =>
        CrossEntropy(input, ClassIndices(target), reduction);

    /// <summary>
    /// Negative log-likelihood of log-probabilities [N, C] at class indices (PyTorch's <c>F.nll_loss</c>):
    /// <c>ℓᵢ = −xᵢ[tᵢ]</c>.
    /// </summary>
    public static Tensor NllLoss(Tensor input, ReadOnlySpan<int> targets, Reduction reduction = Reduction.Mean)
    {
        ArgumentNullException.ThrowIfNull(input);
        (int rows, int classes) = CheckClassification(input, targets);
        if (input._dtype != DType.Float32)
        {
            Tensor typed = input._dtype switch
            {
                DType.Float64 => PickNegated64(input, targets, rows, classes, reduction),
                DType.BFloat16 => NllLoss(input.ConvertedTo(DType.Float32), targets, reduction).ConvertedTo(DType.BFloat16),
                _ => throw Tensor.NotImplementedFor(input._dtype, "nll_loss_out_frame"),
            };
            return GradMode.ShouldRecord(input) ? typed.WithGradFn(new NllLossBackward(input, targets.ToArray(), reduction)) : typed;
        }

        Tensor output = PickNegated(input.ContiguousData(), targets, rows, classes, reduction);
        return GradMode.ShouldRecord(input)
            ? output.WithGradFn(new NllLossBackward(input, targets.ToArray(), reduction))
            : output;
    }

    private static (int Rows, int Classes) CheckClassification(Tensor input, ReadOnlySpan<int> targets)
    {
        if (input.Rank != 2)
        {
            throw new ArgumentException($"Expected input of shape [N, C], got {input.Shape}.", nameof(input));
        }

        int rows = input.Shape[0], classes = input.Shape[1];
        if (targets.Length != rows)
        {
            throw new ArgumentException($"Expected input batch_size ({rows}) to match target batch_size ({targets.Length}).", nameof(targets));
        }

        foreach (int t in targets)
        {
            if ((uint)t >= (uint)classes)
            {
                throw new ArgumentOutOfRangeException(nameof(targets), $"Target {t} is out of bounds.");
            }
        }

        return (rows, classes);
    }

    private static int[] ClassIndices(Tensor target)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (target.Rank != 1)
        {
            throw new ArgumentException($"Expected a 1-d tensor of class indices, got shape {target.Shape}.", nameof(target));
        }

        float[] values = target.ToArray();
        int[] indices = new int[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            if (values[i] != MathF.Floor(values[i]) || values[i] < 0 || values[i] > int.MaxValue)
            {
                throw new ArgumentException($"Class index {values[i]} at position {i} is not a non-negative integer.", nameof(target));
            }

            indices[i] = (int)values[i];
        }

        return indices;
    }

    /// <summary>−x[i, tᵢ] per row, reduced.</summary>
    private static Tensor PickNegated(ReadOnlySpan<float> x, ReadOnlySpan<int> targets, int rows, int classes, Reduction reduction)
    {
        float[] losses = new float[rows];
        for (int i = 0; i < rows; i++)
        {
            losses[i] = -x[(i * classes) + targets[i]];
        }

        return reduction switch
        {
            Reduction.None => new Tensor(losses, [rows]),
            Reduction.Sum => Tensor.Scalar(TensorPrimitives.Sum(losses)),
            _ => Tensor.Scalar(rows == 0 ? float.NaN : TensorPrimitives.Sum(losses) / rows),
        };
    }

    /// <summary><see cref="PickNegated"/> in float64.</summary>
    private static Tensor PickNegated64(Tensor input, ReadOnlySpan<int> targets, int rows, int classes, Reduction reduction)
    {
        double[] x = input.ToArray<double>();
        double[] losses = new double[rows];
        for (int i = 0; i < rows; i++)
        {
            losses[i] = -x[(i * classes) + targets[i]];
        }

        return reduction switch
        {
            Reduction.None => new Tensor(losses, DType.Float64, [rows]),
            Reduction.Sum => Tensor.Scalar(TensorPrimitives.Sum<double>(losses), DType.Float64),
            _ => Tensor.Scalar(rows == 0 ? double.NaN : TensorPrimitives.Sum<double>(losses) / rows, DType.Float64),
        };
    }

    /// <summary>The per-row scale of a loss gradient: g/N for the mean, g for the sum, gᵢ for no reduction.</summary>
    internal static float RowScale(ReadOnlySpan<float> grad, Reduction reduction, int row, int rows) =>
        reduction switch
        {
            Reduction.None => grad[row],
            Reduction.Sum => grad[0],
            _ => grad[0] / rows,
        };
}

/// <summary>
/// ℓᵢ = logsumexp(xᵢ) − xᵢ[tᵢ]: ∂ℓᵢ/∂xᵢⱼ = softmax(xᵢ)ⱼ − [j = tᵢ], times g/N (mean), g (sum) or gᵢ (none).
/// Without a graph to record, one fused pass per row; with one, the same formula in tensor operations on the saved input.
/// </summary>
internal sealed class CrossEntropyBackward(Tensor input, Tensor logProbabilities, int[] targets, Reduction reduction) : Node(input)
{
    private SavedTensor _input = input;
    private SavedTensor _logProbabilities = logProbabilities;

    protected internal override Tensor?[] Apply(Tensor grad)
    {
        Tensor x = Saved(_input);
        int rows = x.Shape[0], classes = x.Shape[1];
        if (GradMode.IsEnabled)
        {
            Tensor scale = reduction switch
            {
                Reduction.None => grad.Reshape(rows, 1),
                Reduction.Sum => grad,
                _ => grad / rows,
            };
            return [(Tensor.Exp(Functional.LogSoftmax(x)) - OneHot(targets, classes)) * scale];
        }

        return [grad.Backend.CrossEntropyBackward(grad, Saved(_logProbabilities), targets, reduction)];
    }

    internal static Tensor OneHot(int[] targets, int classes)
    {
        float[] values = new float[targets.Length * classes];
        for (int i = 0; i < targets.Length; i++)
        {
            values[(i * classes) + targets[i]] = 1f;
        }

        return new Tensor(values, [targets.Length, classes]);
    }

    protected override void ReleaseSaved() => (_input, _logProbabilities) = (null, null);
}

/// <summary>ℓᵢ = −xᵢ[tᵢ]: ∂ℓᵢ/∂xᵢⱼ = −[j = tᵢ] times g/N (mean), g (sum) or gᵢ (none).</summary>
internal sealed class NllLossBackward(Tensor input, int[] targets, Reduction reduction) : Node(input)
{
    private readonly int[] _shape = input._shape;

    protected internal override Tensor?[] Apply(Tensor grad)
    {
        int rows = _shape[0];
        Tensor scale = reduction switch
        {
            Reduction.None => grad.Reshape(rows, 1),
            Reduction.Sum => grad,
            _ => grad / rows,
        };
        // The one-hot mask in the gradient's dtype: a float32 mask times a 0-d float64 scale would compute in float32
        // (PyTorch's 0-d promotion rule), rounding the scale.
        return [-(CrossEntropyBackward.OneHot(targets, _shape[1]).ConvertedTo(grad._dtype) * scale)];
    }
}
