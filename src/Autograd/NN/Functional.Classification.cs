namespace Autograd.NN;

/// <summary>
/// PyTorch's <c>F.nll_loss</c> and <c>F.cross_entropy</c> in full: int64 class-index targets of any extra dims
/// ([N, C, d₁, …] input with [N, d₁, …] target, or an unbatched [C] input with a 0-d target), class weights, an
/// ignored index, probability targets and label smoothing. The plain [N, C] case without weights or ignored targets
/// runs the fused kernels of <see cref="CrossEntropy(Tensor, ReadOnlySpan{int}, Reduction)"/>.
/// </summary>
public static partial class Functional
{
    /// <summary>
    /// Negative log-likelihood at class indices: <c>ℓᵢ = −w[tᵢ]·x[i, tᵢ]</c>, 0 for a target equal to
    /// <paramref name="ignoreIndex"/>. "mean" divides the sum by Σ w[tᵢ] over the targets not ignored (NaN when all
    /// are), as PyTorch's.
    /// </summary>
    /// <param name="input">Log-probabilities [N, C], [N, C, d₁, …] or [C].</param>
    /// <param name="target">int64 class indices [N], [N, d₁, …] or 0-d, each in [0, C) or equal to <paramref name="ignoreIndex"/>.</param>
    /// <param name="weight">Optional per-class weights [C] (no gradient).</param>
    /// <param name="ignoreIndex">A target value that contributes nothing (PyTorch's default −100).</param>
    /// <param name="reduction">"mean", "sum" or "none" (then the loss has the target's shape).</param>
    public static Tensor NllLoss(Tensor input, Tensor target, Tensor? weight = null, long ignoreIndex = -100, string reduction = "mean")
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(target);
        Reduction r = ParseReduction(reduction);
        return ClassIndexLoss(input, target, weight, ignoreIndex, r, 0, logSoftmax: false);
    }

    /// <summary>
    /// Cross-entropy of logits against class indices or class probabilities (PyTorch's <c>F.cross_entropy</c>).
    /// Indices: <c>nll_loss(log_softmax(x), t)</c>, with label smoothing ε mixing in the uniform distribution:
    /// <c>(1 − ε)·nll + (ε/C)·Σ_c −w_c·log p_c</c> (ignored targets contribute nothing). Probabilities (a floating
    /// target of the input's shape): <c>ℓ = −Σ_c w_c·y_c·log p_c</c> with y smoothed to <c>(1 − ε)·y + ε/C</c>;
    /// "mean" divides by the number of rows (N·d₁·…), and the target gets a gradient too.
    /// </summary>
    /// <param name="input">Logits [N, C], [N, C, d₁, …] or [C].</param>
    /// <param name="target">int64 class indices (see <see cref="NllLoss(Tensor, Tensor, Tensor?, long, string)"/>) or probabilities of the input's shape.</param>
    /// <param name="weight">Optional per-class weights [C] (no gradient).</param>
    /// <param name="ignoreIndex">A class-index target value that contributes nothing.</param>
    /// <param name="reduction">"mean", "sum" or "none".</param>
    /// <param name="labelSmoothing">ε in [0, 1].</param>
    public static Tensor CrossEntropy(Tensor input, Tensor target, Tensor? weight = null, long ignoreIndex = -100, string reduction = "mean", double labelSmoothing = 0)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(target);
        Reduction r = ParseReduction(reduction);
        if (!(labelSmoothing is >= 0 and <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(labelSmoothing), FormattableString.Invariant($"label_smoothing must be between 0.0 and 1.0. Got: {labelSmoothing}"));
        }

        return target.DType.IsFloatingPoint() && input.Shape.Equals(target.Shape)
            ? ProbabilityCrossEntropy(input, target, weight, r, labelSmoothing)
            : ClassIndexLoss(input, target, weight, ignoreIndex, r, labelSmoothing, logSoftmax: true);
    }

    private static Tensor ClassIndexLoss(Tensor input, Tensor target, Tensor? weight, long ignoreIndex, Reduction reduction, double labelSmoothing, bool logSoftmax)
    {
        CheckClassTargetShape(input, target);
        if (target.DType != DType.Int64)
        {
            throw new ArgumentException($"expected scalar type Long but found {target.DType.ScalarTypeName()}", nameof(target));
        }

        int classes = input.Rank == 1 ? input.Shape[0] : input.Shape[1];
        if (weight is not null && (weight.Rank != 1 || weight.Count != classes))
        {
            throw new ArgumentException($"weight tensor should be defined either for all {classes} classes or no classes but got weight tensor of shape: {Sizes(weight.Shape)}", nameof(weight));
        }

        long[] targets = target.ToArray<long>();
        bool anyIgnored = false;
        foreach (long t in targets)
        {
            if (t == ignoreIndex)
            {
                anyIgnored = true;
            }
            else if ((ulong)t >= (ulong)classes)
            {
                throw new ArgumentOutOfRangeException(nameof(target), $"Target {t} is out of bounds.");
            }
        }

        if (input.Rank == 2 && weight is null && !anyIgnored && labelSmoothing == 0 && input.DType is DType.Float32 or DType.Float64)
        {
            int[] indices = Array.ConvertAll(targets, t => (int)t);
            return logSoftmax ? CrossEntropy(input, indices, reduction) : NllLoss(input, indices, reduction);
        }

        // Rows of class scores [M, C], the class dimension last; each row has one target.
        int rows = targets.Length;
        Tensor scores = input.Rank switch
        {
            1 => input.Reshape(1, classes),
            2 => input,
            _ => input.Permute(ClassLastOrder(input.Rank)).Reshape(rows, classes),
        };
        Tensor logP = logSoftmax ? LogSoftmax(scores) : scores;

        double[] classWeights = weight?.ToArray<double>() ?? [];
        long[] safe = new long[rows];
        double[] rowWeights = new double[rows];
        double[] kept = new double[rows];
        double totalWeight = 0, keptCount = 0;
        for (int i = 0; i < rows; i++)
        {
            bool ignored = targets[i] == ignoreIndex;
            safe[i] = ignored ? 0 : targets[i];
            kept[i] = ignored ? 0 : 1;
            rowWeights[i] = ignored ? 0 : weight is null ? 1 : classWeights[safe[i]];
            totalWeight += rowWeights[i];
            keptCount += kept[i];
        }

        DType dtype = input.DType;
        Tensor picked = logP.Gather(1, Tensor.From(safe, [rows, 1])).Reshape(rows);
        Tensor nll = -(picked * Tensor.From(rowWeights).ConvertedTo(dtype));
        int[] targetShape = target.Shape.ToArray();
        Tensor loss = reduction switch
        {
            Reduction.None => nll.Reshape(targetShape),
            Reduction.Sum => nll.Sum(),
            _ => MeanOver(nll.Sum(), totalWeight),
        };
        if (labelSmoothing == 0)
        {
            return loss;
        }

        Tensor smooth = weight is null
            ? -logP.Sum(1)
            : -(logP * weight.Detach().ConvertedTo(dtype).Reshape(1, classes)).Sum(1);
        smooth = smooth * Tensor.From(kept).ConvertedTo(dtype);
        Tensor smoothReduced = reduction switch
        {
            Reduction.None => smooth.Reshape(targetShape),
            Reduction.Sum => smooth.Sum(),
            _ => MeanOver(smooth.Sum(), weight is null ? keptCount : totalWeight),
        };
        return (loss * (1 - labelSmoothing)) + (smoothReduced * (labelSmoothing / classes));
    }

    private static Tensor ProbabilityCrossEntropy(Tensor input, Tensor target, Tensor? weight, Reduction reduction, double labelSmoothing)
    {
        int classes = input.Rank == 1 ? input.Shape[0] : input.Shape[1];
        if (weight is not null && (weight.Rank != 1 || weight.Count != classes))
        {
            throw new ArgumentException($"cross_entropy: weight tensor should be defined either for all {classes} classes or no classes but got weight tensor of shape: {Sizes(weight.Shape)}", nameof(weight));
        }

        // The class dimension last, for log_softmax over it; every reduction below is invariant to the permutation.
        int[] order = ClassLastOrder(input.Rank);
        Tensor x = input.Rank > 2 ? input.Permute(order) : input;
        Tensor y = input.Rank > 2 ? target.Permute(order) : target;
        if (labelSmoothing > 0)
        {
            y = (y * (1 - labelSmoothing)) + (labelSmoothing / classes);
        }

        Tensor product = LogSoftmax(x) * y;
        if (weight is not null)
        {
            product = product * weight.Detach();
        }

        return reduction switch
        {
            Reduction.None => -product.Sum(-1),
            Reduction.Sum => -product.Sum(),
            _ => -product.Sum() / (double)(classes == 0 ? 0 : input.Count / classes),
        };
    }

    /// <summary>
    /// sum / denominator, except that a zero denominator (every target ignored) gives NaN with a zero gradient, as
    /// PyTorch's nll_loss backward writes nothing for ignored targets (sum/0 would send NaN = ∞·0 back).
    /// </summary>
    private static Tensor MeanOver(Tensor sum, double denominator) =>
        denominator == 0 ? (sum * 0.0) + double.NaN : sum / denominator;

    /// <summary>The permutation [0, 2, 3, …, 1]: moves the class dimension of [N, C, d₁, …] last.</summary>
    private static int[] ClassLastOrder(int rank)
    {
        int[] order = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            order[i] = i == 0 ? 0 : i == rank - 1 ? 1 : i + 1;
        }

        return rank < 2 ? [.. Enumerable.Range(0, rank)] : order;
    }

    /// <summary>PyTorch 1.13's checks of a class-index target against the input (nll_loss_nd and its 2-d kernels).</summary>
    private static void CheckClassTargetShape(Tensor input, Tensor target)
    {
        if (input.Rank == 0)
        {
            throw new ArgumentException("Expected 1 or more dimensions (got 0)", nameof(input));
        }

        if (input.Rank == 1)
        {
            if (target.Rank != 0)
            {
                throw new ArgumentException($"size mismatch (got input: {Sizes(input.Shape)}, target: {Sizes(target.Shape)})", nameof(target));
            }

            return;
        }

        if (input.Rank == 2 && target.Rank != 1)
        {
            throw new ArgumentException("0D or 1D target tensor expected, multi-target not supported", nameof(target));
        }

        if (target.Rank == 0 || input.Shape[0] != target.Shape[0])
        {
            throw new ArgumentException($"Expected input batch_size ({input.Shape[0]}) to match target batch_size ({(target.Rank == 0 ? 0 : target.Shape[0])}).", nameof(target));
        }

        if (input.Rank == 2)
        {
            return;
        }

        int[] expected = [input.Shape[0], .. input.Shape.ToArray().AsSpan(2)];
        bool matches = expected.AsSpan().SequenceEqual(target.Shape.AsSpan());
        if (input.Rank == 4)
        {
            if (target.Rank != 3)
            {
                throw new ArgumentException($"only batches of spatial targets supported (3D tensors) but got targets of dimension: {target.Rank}", nameof(target));
            }

            if (!matches)
            {
                throw new ArgumentException($"size mismatch (got input: {Sizes(input.Shape)} , target: {Sizes(target.Shape)}", nameof(target));
            }
        }
        else if (!matches)
        {
            throw new ArgumentException($"Expected target size {Sizes(new Shape(expected))}, got {Sizes(target.Shape)}", nameof(target));
        }
    }
}
