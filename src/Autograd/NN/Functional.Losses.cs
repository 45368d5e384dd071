namespace Autograd.NN;

/// <summary>
/// Regression and divergence losses (PyTorch's <c>F.mse_loss</c>, <c>F.l1_loss</c>, <c>F.smooth_l1_loss</c>,
/// <c>F.huber_loss</c>, <c>F.binary_cross_entropy</c>, <c>F.kl_div</c>) and the distance functions
/// (<c>F.cosine_similarity</c>, <c>F.pairwise_distance</c>, <c>F.normalize</c>). Each composes tensor ops, so every
/// gradient is itself differentiable; input and target broadcast together as in PyTorch.
/// </summary>
public static partial class Functional
{
    /// <summary>Mean squared error: <c>ℓ = (x − y)²</c>, reduced by <paramref name="reduction"/> ("mean", "sum" or "none").</summary>
    public static Tensor MseLoss(Tensor input, Tensor target, string reduction = "mean")
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(target);
        Reduction r = ParseReduction(reduction);
        Tensor d = input - target;
        return Reduce(d * d, r);
    }

    /// <summary>Mean absolute error: <c>ℓ = |x − y|</c> (gradient sign(x − y), 0 at a tie), reduced by <paramref name="reduction"/>.</summary>
    public static Tensor L1Loss(Tensor input, Tensor target, string reduction = "mean")
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(target);
        Reduction r = ParseReduction(reduction);
        return Reduce(AbsOf(input - target), r);
    }

    /// <summary>
    /// Smooth L1 loss: with d = x − y, <c>ℓ = 0.5·d²/β</c> where |d| &lt; β and <c>|d| − 0.5·β</c> elsewhere; β = 0 is
    /// the L1 loss. β must not be negative.
    /// </summary>
    public static Tensor SmoothL1Loss(Tensor input, Tensor target, string reduction = "mean", double beta = 1.0)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(target);
        Reduction r = ParseReduction(reduction);
        if (beta < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(beta), "smooth_l1_loss does not support negative values for beta.");
        }

        if (beta == 0)
        {
            return L1Loss(input, target, reduction);
        }

        Tensor d = input - target;
        Tensor z = AbsOf(d);
        return Reduce(Tensor.Where(z < beta, d * d * (0.5 / beta), z - (0.5 * beta)), r);
    }

    /// <summary>
    /// Huber loss: with d = x − y, <c>ℓ = 0.5·d²</c> where |d| &lt; δ and <c>δ·(|d| − 0.5·δ)</c> elsewhere (δ·smooth-L1
    /// with β = δ). δ must be positive.
    /// </summary>
    public static Tensor HuberLoss(Tensor input, Tensor target, string reduction = "mean", double delta = 1.0)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(target);
        Reduction r = ParseReduction(reduction);
        if (!(delta > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(delta), "huber_loss does not support non-positive values for delta.");
        }

        Tensor d = input - target;
        Tensor z = AbsOf(d);
        return Reduce(Tensor.Where(z < delta, d * d * 0.5, (z - (0.5 * delta)) * delta), r);
    }

    /// <summary>
    /// Binary cross-entropy between probabilities x ∈ [0, 1] and targets y:
    /// <c>ℓ = −w·(y·max(log x, −100) + (1 − y)·max(log(1 − x), −100))</c> (the clamp keeps ℓ finite at x = 0 or 1, as
    /// PyTorch's). Gradients as PyTorch's: ∂ℓ/∂x = w·(x − y)/max((1 − x)·x, 1e-12), ∂ℓ/∂y = w·(log(1 − x) − log x).
    /// </summary>
    /// <param name="input">Probabilities in [0, 1].</param>
    /// <param name="target">Targets of the input's shape.</param>
    /// <param name="weight">Optional element weights, broadcast to the input's shape (no gradient).</param>
    /// <param name="reduction">"mean", "sum" or "none".</param>
    public static Tensor BinaryCrossEntropy(Tensor input, Tensor target, Tensor? weight = null, string reduction = "mean")
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(target);
        if (!input.Shape.Equals(target.Shape))
        {
            throw new ArgumentException(
                $"Using a target size ({TorchSize(target.Shape)}) that is different to the input size ({TorchSize(input.Shape)}) is deprecated. Please ensure they have the same size.",
                nameof(target));
        }

        Reduction r = ParseReduction(reduction);
        return Reduce(Tensor.BinaryCrossEntropyElements(input, target, weight), r);
    }

    /// <summary>
    /// Binary cross-entropy on logits with optional element <paramref name="weight"/> w and positive-class weight
    /// <paramref name="posWeight"/> p (broadcast over the last dimension, one per class):
    /// <c>ℓ = w·((1 − y)·x + (1 + (p − 1)·y)·softplus(−x))</c>, with softplus(−x) = max(−x, 0) + log(1 + e^(−|x|)) so
    /// that no logit overflows. Without weights this is the fused <see cref="BinaryCrossEntropyWithLogits(Tensor, Tensor, Reduction)"/>.
    /// </summary>
    public static Tensor BinaryCrossEntropyWithLogits(Tensor input, Tensor target, Tensor? weight = null, string reduction = "mean", Tensor? posWeight = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(target);
        Reduction r = ParseReduction(reduction);
        if (weight is null && posWeight is null)
        {
            return BinaryCrossEntropyWithLogits(input, target, r);
        }

        if (!input.Shape.Equals(target.Shape))
        {
            throw new ArgumentException($"Target size ({TorchSize(target.Shape)}) must be the same as input size ({TorchSize(input.Shape)})", nameof(target));
        }

        // softplus(−x) = max(−x, 0) + log(1 + e^(−|x|)), its pieces' kinks at 0 cancelling: |x| and max(−x, 0) must
        // take one-sided derivatives from the same side (here x → 0⁺: 1 and 0), so that the sum's derivative is −σ(−x).
        Tensor sign;
        using (GradMode.NoGrad())
        {
            sign = (input.Ge(0.0).ConvertedTo(input.DType) * 2.0) - 1.0;
        }

        Tensor softplusNegative = Tensor.Relu(-input) + Tensor.Log(Tensor.Exp(-(input * sign)) + 1.0);
        Tensor loss = posWeight is null
            ? ((1.0 - target) * input) + softplusNegative
            : ((1.0 - target) * input) + ((((posWeight - 1.0) * target) + 1.0) * softplusNegative);
        return Reduce(weight is null ? loss : loss * weight, r);
    }

    /// <summary>
    /// Kullback–Leibler divergence of the target distribution from the input's log-probabilities x:
    /// <c>ℓ = y·(log y − x)</c> (0 where y = 0), or with <paramref name="logTarget"/> <c>ℓ = e^y·(y − x)</c>.
    /// <paramref name="reduction"/>: "mean" (over all elements, as PyTorch's), "batchmean" (the sum ÷ the batch size,
    /// the true KL divergence), "sum" or "none".
    /// </summary>
    public static Tensor KlDiv(Tensor input, Tensor target, string reduction = "mean", bool logTarget = false)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(target);
        bool batchMean = reduction == "batchmean";
        Reduction r = batchMean ? Reduction.Sum : ParseReduction(reduction);
        Tensor loss;
        if (logTarget)
        {
            loss = Tensor.Exp(target) * (target - input);
        }
        else
        {
            // xlogy(y, y) = y·log y with 0 at y = 0: log of a 1 there keeps the gradient finite.
            Tensor zero = target.Eq(0.0);
            Tensor safe = Tensor.Where(zero, 1.0, target);
            loss = (target * Tensor.Log(safe)) - (target * input);
        }

        Tensor reduced = Reduce(loss, r);
        return batchMean && input.Rank > 0 ? reduced / (double)input.Shape[0] : reduced;
    }

    /// <summary>
    /// Cosine similarity along <paramref name="dim"/>, as PyTorch 1.13 computes it:
    /// <c>Σ (x₁ / max(‖x₁‖, ε)) · (x₂ / max(‖x₂‖, ε))</c>, the two broadcast together. As there, the clamp changes only
    /// the norm's value: its gradient stays x/max(‖x‖, ε) (PyTorch clamps the computed norm in place).
    /// </summary>
    public static Tensor CosineSimilarity(Tensor x1, Tensor x2, int dim = 1, double eps = 1e-8)
    {
        ArgumentNullException.ThrowIfNull(x1);
        ArgumentNullException.ThrowIfNull(x2);
        int rank = Math.Max(x1.Rank, x2.Rank);
        int[] shape = Broadcasting.Shapes(x1._shape, x2._shape);
        Tensor a = x1.Expand(shape), b = x2.Expand(shape);
        int d = Shape.NormalizeDim(dim, rank);
        return ((a / ClampedNorm(a, d, eps)) * (b / ClampedNorm(b, d, eps))).Sum(d);
    }

    /// <summary>√(max(Σx², ε²)) over <paramref name="dim"/> (kept): the value max(‖x‖, ε), the gradient x / max(‖x‖, ε).</summary>
    private static Tensor ClampedNorm(Tensor x, int dim, double eps)
    {
        Tensor squares = (x * x).Sum(dim, keepDim: true);
        return (squares + (ClampMin(squares, eps * eps) - squares).Detach()).Sqrt();
    }

    /// <summary>
    /// The p-norm distance between rows, over the last dimension: <c>‖x₁ − x₂ + ε‖ₚ</c> (ε keeps the gradient finite when
    /// the rows are equal), as PyTorch's <c>F.pairwise_distance</c>.
    /// </summary>
    public static Tensor PairwiseDistance(Tensor x1, Tensor x2, double p = 2, double eps = 1e-6, bool keepDim = false)
    {
        ArgumentNullException.ThrowIfNull(x1);
        ArgumentNullException.ThrowIfNull(x2);
        int rank = Math.Max(x1.Rank, x2.Rank);
        Tensor diff = x1 - x2 + eps;
        return rank == 0 ? VectorNorm(diff.Reshape(1), p, 0, keepDim: false) : VectorNorm(diff, p, rank - 1, keepDim);
    }

    /// <summary>
    /// Lp normalisation along <paramref name="dim"/>: <c>x / max(‖x‖ₚ, ε)</c>, as PyTorch's <c>F.normalize</c>.
    /// </summary>
    public static Tensor Normalize(Tensor input, double p = 2, int dim = 1, double eps = 1e-12)
    {
        ArgumentNullException.ThrowIfNull(input);
        int d = Shape.NormalizeDim(dim, input.Rank);
        if (input.Rank == 0)
        {
            return input / ClampMin(VectorNorm(input.Reshape(1), p, 0, keepDim: false), eps);
        }

        return input / ClampMin(VectorNorm(input, p, d, keepDim: true), eps);
    }

    /// <summary>PyTorch's reduction names: "none", "mean", "sum".</summary>
    internal static Reduction ParseReduction(string reduction) => reduction switch
    {
        "mean" => Reduction.Mean,
        "sum" => Reduction.Sum,
        "none" => Reduction.None,
        _ => throw new ArgumentException($"{reduction} is not a valid value for reduction", nameof(reduction)),
    };

    /// <summary>The element-wise loss reduced: itself, its sum, or its mean (NaN when empty).</summary>
    internal static Tensor Reduce(Tensor loss, Reduction reduction) => reduction switch
    {
        Reduction.None => loss,
        Reduction.Sum => loss.Sum(),
        _ => loss.Mean(),
    };

    /// <summary>
    /// |x| as x·sign(x) with sign a constant: the gradient is sign(x), 0 at x = 0 (PyTorch's choice), and the second
    /// derivative 0.
    /// </summary>
    internal static Tensor AbsOf(Tensor x)
    {
        Tensor sign;
        using (GradMode.NoGrad())
        {
            sign = x.Gt(0.0).ConvertedTo(x.DType) - x.Lt(0.0).ConvertedTo(x.DType);
        }

        return x * sign;
    }

    /// <summary>max(x, m): m where x &lt; m (no gradient there), x elsewhere (PyTorch's <c>clamp_min</c>).</summary>
    internal static Tensor ClampMin(Tensor x, double min) => Tensor.Where(x < min, min, x);

    /// <summary>The p-norm over one dimension (p &gt; 0), with PyTorch's gradient of 0 for an all-zero slice.</summary>
    internal static Tensor VectorNorm(Tensor x, double p, int dim, bool keepDim) => Tensor.VectorNormAlong(x, p, dim, keepDim);

    /// <summary>A shape as PyTorch prints it in messages: <c>torch.Size([2, 3])</c>.</summary>
    internal static string TorchSize(Shape shape) => $"torch.Size([{string.Join(", ", shape.ToArray())}])";

    /// <summary>A shape as PyTorch's C++ messages print it: <c>[2, 3]</c>.</summary>
    internal static string Sizes(Shape shape) => $"[{string.Join(", ", shape.ToArray())}]";
}
