namespace Autograd.NN;

/// <summary>
/// What the loss modules share (PyTorch's <c>_Loss</c>): the reduction of the element-wise losses, <c>"mean"</c>
/// (the default), <c>"sum"</c> or <c>"none"</c>. A loss is a two-input module: <c>Forward(input, target)</c>.
/// </summary>
public abstract class Loss : Module<Tensor, Tensor, Tensor>
{
    /// <summary>Checks and stores the reduction.</summary>
    protected Loss(string reduction, bool allowBatchMean = false)
    {
        ArgumentNullException.ThrowIfNull(reduction);
        if (reduction is not ("mean" or "sum" or "none") && !(allowBatchMean && reduction == "batchmean"))
        {
            throw new ArgumentException($"{reduction} is not a valid value for reduction", nameof(reduction));
        }

        Reduction = reduction;
    }

    /// <summary>How the element-wise losses are reduced.</summary>
    public string Reduction { get; }

    /// <summary>The reduction as the functional API's enum.</summary>
    private protected NN.Reduction ReductionKind => Reduction switch
    {
        "none" => NN.Reduction.None,
        "sum" => NN.Reduction.Sum,
        _ => NN.Reduction.Mean,
    };

    /// <summary>Applies <see cref="Reduction"/> to element-wise losses.</summary>
    private protected Tensor Reduce(Tensor losses) => Reduction switch
    {
        "none" => losses,
        "sum" => losses.Sum(),
        _ => losses.Mean(),
    };
}

/// <summary>
/// Cross-entropy between logits [N, C] and class indices [N] (PyTorch's <c>nn.CrossEntropyLoss</c>):
/// <c>ℓᵢ = logsumexp(xᵢ) − xᵢ[tᵢ]</c>. Targets may be int64/int32 tensors or integer-valued floats.
/// </summary>
public sealed class CrossEntropyLoss(string reduction = "mean") : Loss(reduction)
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input1, Tensor input2)
    {
        ArgumentNullException.ThrowIfNull(input2);
        return input2.DType is DType.Int64 or DType.Int32
            ? Functional.CrossEntropy(input1, Losses.Indices(input2), ReductionKind)
            : Functional.CrossEntropy(input1, input2, ReductionKind);
    }
}

/// <summary>
/// Negative log-likelihood of log-probabilities [N, C] at class indices [N] (PyTorch's <c>nn.NLLLoss</c>):
/// <c>ℓᵢ = −xᵢ[tᵢ]</c>.
/// </summary>
public sealed class NLLLoss(string reduction = "mean") : Loss(reduction)
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input1, Tensor input2)
    {
        ArgumentNullException.ThrowIfNull(input2);
        return Functional.NllLoss(input1, Losses.Indices(input2), ReductionKind);
    }
}

/// <summary>
/// Binary cross-entropy on logits (PyTorch's <c>nn.BCEWithLogitsLoss</c>):
/// <c>ℓ = max(x, 0) − x·y + log(1 + e^(−|x|))</c>, stable for any x.
/// </summary>
public sealed class BCEWithLogitsLoss(string reduction = "mean") : Loss(reduction)
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input1, Tensor input2) => Functional.BinaryCrossEntropyWithLogits(input1, input2, ReductionKind);
}

/// <summary>
/// Binary cross-entropy on probabilities (PyTorch's <c>nn.BCELoss</c>):
/// <c>ℓ = −w·(y·log x + (1 − y)·log(1 − x))</c> with each log clamped at −100, as PyTorch does.
/// </summary>
public sealed class BCELoss(Tensor? weight = null, string reduction = "mean") : Loss(reduction)
{
    /// <summary>Per-element rescaling weight, broadcast to the input, or null.</summary>
    public Tensor? Weight { get; } = weight;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input1, Tensor input2)
    {
        ArgumentNullException.ThrowIfNull(input1);
        ArgumentNullException.ThrowIfNull(input2);
        if (input1.Shape != input2.Shape)
        {
            throw new ArgumentException(
                $"Using a target size ({Module.TorchSize(input2.Shape)}) that is different to the input size ({Module.TorchSize(input1.Shape)}) is deprecated. Please ensure they have the same size.",
                nameof(input2));
        }

        Tensor logX = Tensor.ClampMin(Tensor.Log(input1), -100.0);
        Tensor log1mX = Tensor.ClampMin(Tensor.Log(1.0 - input1), -100.0);
        Tensor losses = -((input2 * logX) + ((1.0 - input2) * log1mX));
        return Reduce(Weight is null ? losses : losses * Weight);
    }
}

/// <summary>Mean squared error (PyTorch's <c>nn.MSELoss</c>): <c>ℓ = (x − y)²</c>, with broadcasting.</summary>
public sealed class MSELoss(string reduction = "mean") : Loss(reduction)
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input1, Tensor input2)
    {
        Tensor difference = input1 - input2;
        return Reduce(difference * difference);
    }
}

/// <summary>Mean absolute error (PyTorch's <c>nn.L1Loss</c>): <c>ℓ = |x − y|</c>.</summary>
public sealed class L1Loss(string reduction = "mean") : Loss(reduction)
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input1, Tensor input2) => Reduce(Tensor.Abs(input1 - input2));
}

/// <summary>
/// Smooth L1 (PyTorch's <c>nn.SmoothL1Loss</c>): with d = |x − y|, <c>ℓ = ½d²/β</c> for d &lt; β, else <c>d − ½β</c>;
/// β = 0 is the L1 loss.
/// </summary>
public sealed class SmoothL1Loss(string reduction = "mean", double beta = 1.0) : Loss(reduction)
{
    /// <summary>The threshold β between the quadratic and linear parts.</summary>
    public double Beta { get; } = beta >= 0 ? beta : throw new ArgumentOutOfRangeException(nameof(beta), "smooth_l1_loss does not support negative values for beta.");

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input1, Tensor input2)
    {
        Tensor d = Tensor.Abs(input1 - input2);
        if (Beta == 0)
        {
            return Reduce(d);
        }

        return Reduce(Tensor.Where(Tensor.Lt(d, Beta), d * d * (0.5 / Beta), d - (0.5 * Beta)));
    }
}

/// <summary>
/// Huber loss (PyTorch's <c>nn.HuberLoss</c>): with d = |x − y|, <c>ℓ = ½d²</c> for d &lt; δ, else <c>δ·(d − ½δ)</c>.
/// </summary>
public sealed class HuberLoss(string reduction = "mean", double delta = 1.0) : Loss(reduction)
{
    /// <summary>The threshold δ between the quadratic and linear parts.</summary>
    public double Delta { get; } = delta > 0 ? delta : throw new ArgumentOutOfRangeException(nameof(delta), "huber_loss does not support non-positive values for delta.");

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input1, Tensor input2)
    {
        Tensor d = Tensor.Abs(input1 - input2);
        return Reduce(Tensor.Where(Tensor.Lt(d, Delta), d * d * 0.5, (d - (0.5 * Delta)) * Delta));
    }
}

/// <summary>
/// Kullback–Leibler divergence of a target distribution from log-probabilities x (PyTorch's <c>nn.KLDivLoss</c>):
/// <c>ℓ = y·(log y − x)</c> (0 where y = 0), or <c>eʸ·(y − x)</c> with <c>logTarget</c>. The reduction may also be
/// <c>"batchmean"</c>: the sum divided by the batch size, the true KL divergence per sample.
/// </summary>
public sealed class KLDivLoss(string reduction = "mean", bool logTarget = false) : Loss(reduction, allowBatchMean: true)
{
    /// <summary>Whether the target holds log-probabilities.</summary>
    public bool LogTarget { get; } = logTarget;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input1, Tensor input2)
    {
        ArgumentNullException.ThrowIfNull(input1);
        Tensor losses = LogTarget
            ? Tensor.Exp(input2) * (input2 - input1)
            : Tensor.Xlogy(input2, input2) - (input2 * input1);
        return Reduction == "batchmean"
            ? losses.Sum() / (input1.Rank == 0 ? 1 : input1.Shape[0])
            : Reduce(losses);
    }
}

internal static class Losses
{
    /// <summary>Class indices of an integer tensor (int64 or int32) or of integer-valued floats.</summary>
    internal static int[] Indices(Tensor target) =>
        [.. target.To(DType.Int64).ToArray<long>().Select(v => v is >= int.MinValue and <= int.MaxValue ? (int)v : -1)];
}
