namespace Autograd.NN;

/// <summary>
/// Batch normalisation over dimension 1 of [N, C, …] (PyTorch's <c>_BatchNorm</c>):
/// <c>y = (x − μ)/√(σ² + ε)·γ + β</c> with μ, σ² the mean and biased variance over every dimension but 1.
/// </summary>
/// <remarks>
/// In training (or without running statistics) μ and σ² come from the batch, and with running statistics these move
/// as <c>r ← (1 − m)·r + m·s</c> with m the momentum (or 1/num_batches_tracked when the momentum is null: a
/// cumulative average), s the batch mean and the UNBIASED batch variance (n/(n−1)·σ²); num_batches_tracked counts the
/// training batches. In evaluation the running statistics replace the batch's. Parameters weight (γ = 1) and bias
/// (β = 0) exist when affine; buffers running_mean (0), running_var (1) and num_batches_tracked (0, int64) when
/// tracking running statistics; the absent ones are registered as null, as PyTorch does.
/// </remarks>
public abstract class BatchNorm : Module<Tensor, Tensor>
{
    /// <summary>Creates the layer with PyTorch's defaults.</summary>
    protected BatchNorm(int numFeatures, double eps, double? momentum, bool affine, bool trackRunningStats)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(numFeatures);
        NumFeatures = numFeatures;
        Eps = eps;
        Momentum = momentum;
        Affine = affine;
        TrackRunningStats = trackRunningStats;
        RegisterParameter("weight", affine ? Tensor.Ones(numFeatures) : null);
        RegisterParameter("bias", affine ? Tensor.Zeros(numFeatures) : null);
        RegisterBuffer("running_mean", trackRunningStats ? Tensor.Zeros(numFeatures) : null);
        RegisterBuffer("running_var", trackRunningStats ? Tensor.Ones(numFeatures) : null);
        RegisterBuffer("num_batches_tracked", trackRunningStats ? Tensor.Scalar(0, DType.Int64) : null);
    }

    /// <summary>Number of features C (the size of dimension 1).</summary>
    public int NumFeatures { get; }

    /// <summary>Added to the variance for numerical stability.</summary>
    public double Eps { get; }

    /// <summary>Weight of the newest batch in the running statistics; null for a cumulative average.</summary>
    public double? Momentum { get; }

    /// <summary>Whether the layer has the learned γ and β.</summary>
    public bool Affine { get; }

    /// <summary>Whether the layer keeps running statistics.</summary>
    public bool TrackRunningStats { get; }

    /// <summary>γ, the learned scale (null unless affine).</summary>
    public Tensor? Weight => GetParameter("weight");

    /// <summary>β, the learned shift (null unless affine).</summary>
    public Tensor? Bias => GetParameter("bias");

    /// <summary>Running mean used in evaluation mode (null without running statistics).</summary>
    public Tensor? RunningMean => GetBuffer("running_mean");

    /// <summary>Running unbiased variance used in evaluation mode (null without running statistics).</summary>
    public Tensor? RunningVar => GetBuffer("running_var");

    /// <summary>Number of training batches seen, a 0-d int64 tensor (null without running statistics).</summary>
    public Tensor? NumBatchesTracked => GetBuffer("num_batches_tracked");

    /// <summary>Resets the running statistics to mean 0, variance 1 and no batch (PyTorch's <c>reset_running_stats</c>).</summary>
    public void ResetRunningStats()
    {
        if (TrackRunningStats)
        {
            Init.Zeros_(RunningMean!);
            Init.Ones_(RunningVar!);
            Init.Zeros_(NumBatchesTracked!);
        }
    }

    /// <summary>Checks the input's rank (PyTorch's <c>_check_input_dim</c>).</summary>
    protected abstract void CheckInputDim(Tensor input);

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        CheckInputDim(input);
        if (input.Shape[1] != NumFeatures)
        {
            throw new ArgumentException($"running_mean should contain {input.Shape[1]} elements not {NumFeatures}", nameof(input));
        }

        double factor = Momentum ?? 0;
        if (Training && TrackRunningStats)
        {
            Tensor tracked = NumBatchesTracked!;
            using (GradMode.NoGrad())
            {
                tracked.CopyFrom(tracked + 1L);
            }

            factor = Momentum ?? (1.0 / tracked.Item<long>());
        }

        int[] reduce = [0, .. Enumerable.Range(2, input.Rank - 2)];
        int[] channelShape = [1, NumFeatures, .. Enumerable.Repeat(1, input.Rank - 2)];
        bool useBatch = Training || !TrackRunningStats;
        Tensor mean, invStd;
        if (useBatch)
        {
            int count = input.Count / Math.Max(1, NumFeatures);
            if (count <= 1)
            {
                throw new ArgumentException($"Expected more than 1 value per channel when training, got input size {Module.TorchSize(input.Shape)}", nameof(input));
            }

            mean = input.Mean(reduce, keepDim: true);
            Tensor variance = input.Var(reduce, correction: 0, keepDim: true);
            invStd = (variance + Eps).Rsqrt();
            if (Training && TrackRunningStats)
            {
                using (GradMode.NoGrad())
                {
                    Tensor runningMean = RunningMean!, runningVar = RunningVar!;
                    Tensor unbiased = variance.Reshape(NumFeatures) * ((double)count / (count - 1));
                    runningMean.CopyFrom((runningMean * (1 - factor)) + (mean.Reshape(NumFeatures) * factor));
                    runningVar.CopyFrom((runningVar * (1 - factor)) + (unbiased * factor));
                }
            }
        }
        else
        {
            mean = RunningMean!.Reshape(channelShape);
            invStd = (RunningVar! + Eps).Rsqrt().Reshape(channelShape);
        }

        Tensor y = (input - mean) * invStd;
        if (Weight is { } weight)
        {
            y = y * weight.Reshape(channelShape);
        }

        if (Bias is { } bias)
        {
            y = y + bias.Reshape(channelShape);
        }

        return y;
    }

    /// <inheritdoc/>
    public override string ExtraRepr() =>
        $"{PyRepr.Int(NumFeatures)}, eps={PyRepr.Float(Eps)}, momentum={(Momentum is { } m ? PyRepr.Float(m) : "None")}, affine={PyRepr.Bool(Affine)}, track_running_stats={PyRepr.Bool(TrackRunningStats)}";
}

/// <summary>Batch normalisation of [N, C] or [N, C, L] (PyTorch's <c>nn.BatchNorm1d</c>); see <see cref="BatchNorm"/>.</summary>
public sealed class BatchNorm1d(int numFeatures, double eps = 1e-5, double? momentum = 0.1, bool affine = true, bool trackRunningStats = true)
    : BatchNorm(numFeatures, eps, momentum, affine, trackRunningStats)
{
    /// <inheritdoc/>
    protected override void CheckInputDim(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank is not (2 or 3))
        {
            throw new ArgumentException($"expected 2D or 3D input (got {input.Rank}D input)", nameof(input));
        }
    }
}

/// <summary>Batch normalisation of [N, C, H, W] (PyTorch's <c>nn.BatchNorm2d</c>); see <see cref="BatchNorm"/>.</summary>
public sealed class BatchNorm2d(int numFeatures, double eps = 1e-5, double? momentum = 0.1, bool affine = true, bool trackRunningStats = true)
    : BatchNorm(numFeatures, eps, momentum, affine, trackRunningStats)
{
    /// <inheritdoc/>
    protected override void CheckInputDim(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank != 4)
        {
            throw new ArgumentException($"expected 4D input (got {input.Rank}D input)", nameof(input));
        }
    }
}

/// <summary>
/// Layer normalisation over the trailing <c>normalizedShape</c> dimensions (PyTorch's <c>nn.LayerNorm</c>):
/// <c>y = (x − μ)/√(σ² + ε)·γ + β</c> with μ, σ² the mean and biased variance of each sample's trailing block;
/// γ (ones) and β (zeros) have the normalized shape when <c>elementwiseAffine</c>.
/// </summary>
public sealed class LayerNorm : Module<Tensor, Tensor>
{
    /// <summary>Normalises over the trailing dimensions <paramref name="normalizedShape"/>.</summary>
    public LayerNorm(int[] normalizedShape, double eps = 1e-5, bool elementwiseAffine = true)
    {
        ArgumentNullException.ThrowIfNull(normalizedShape);
        NormalizedShape = [.. normalizedShape];
        Eps = eps;
        ElementwiseAffine = elementwiseAffine;
        RegisterParameter("weight", elementwiseAffine ? Tensor.Ones(normalizedShape) : null);
        RegisterParameter("bias", elementwiseAffine ? Tensor.Zeros(normalizedShape) : null);
    }

    /// <summary>Normalises over the last dimension, of size <paramref name="normalizedShape"/>.</summary>
    public LayerNorm(int normalizedShape, double eps = 1e-5, bool elementwiseAffine = true)
        : this([normalizedShape], eps, elementwiseAffine)
    {
    }

    /// <summary>The trailing shape normalised over.</summary>
    public IReadOnlyList<int> NormalizedShape { get; }

    /// <summary>Added to the variance for numerical stability.</summary>
    public double Eps { get; }

    /// <summary>Whether γ and β exist.</summary>
    public bool ElementwiseAffine { get; }

    /// <summary>γ, of the normalized shape (null unless elementwise affine).</summary>
    public Tensor? Weight => GetParameter("weight");

    /// <summary>β, of the normalized shape (null unless elementwise affine).</summary>
    public Tensor? Bias => GetParameter("bias");

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        int k = NormalizedShape.Count;
        if (input.Rank < k || !input.Shape.Skip(input.Rank - k).SequenceEqual(NormalizedShape))
        {
            throw new ArgumentException(
                $"Given normalized_shape={Shape.Format([.. NormalizedShape])}, expected input with shape [*, {string.Join(", ", NormalizedShape)}], but got input of size{input.Shape}",
                nameof(input));
        }

        int[] dims = [.. Enumerable.Range(input.Rank - k, k)];
        Tensor mean = input.Mean(dims, keepDim: true);
        Tensor y = (input - mean) * (input.Var(dims, correction: 0, keepDim: true) + Eps).Rsqrt();
        if (Weight is { } weight)
        {
            y = y * weight;
        }

        return Bias is { } bias ? y + bias : y;
    }

    /// <inheritdoc/>
    public override string ExtraRepr() =>
        $"{PyRepr.Tuple(NormalizedShape)}, eps={PyRepr.Float(Eps)}, elementwise_affine={PyRepr.Bool(ElementwiseAffine)}";
}

/// <summary>
/// Group normalisation of [N, C, …] (PyTorch's <c>nn.GroupNorm</c>): the C channels split into G groups of C/G, each
/// sample's group normalised by its own mean and biased variance, then a per-channel <c>γ·x̂ + β</c> (ones and zeros,
/// [C], when affine).
/// </summary>
public sealed class GroupNorm : Module<Tensor, Tensor>
{
    /// <summary>Creates the layer.</summary>
    public GroupNorm(int numGroups, int numChannels, double eps = 1e-5, bool affine = true)
    {
        if (numGroups <= 0 || numChannels % numGroups != 0)
        {
            throw new ArgumentException("num_channels must be divisible by num_groups", nameof(numChannels));
        }

        NumGroups = numGroups;
        NumChannels = numChannels;
        Eps = eps;
        Affine = affine;
        RegisterParameter("weight", affine ? Tensor.Ones(numChannels) : null);
        RegisterParameter("bias", affine ? Tensor.Zeros(numChannels) : null);
    }

    /// <summary>Number of groups G.</summary>
    public int NumGroups { get; }

    /// <summary>Number of channels C.</summary>
    public int NumChannels { get; }

    /// <summary>Added to the variance for numerical stability.</summary>
    public double Eps { get; }

    /// <summary>Whether γ and β exist.</summary>
    public bool Affine { get; }

    /// <summary>γ, [C] (null unless affine).</summary>
    public Tensor? Weight => GetParameter("weight");

    /// <summary>β, [C] (null unless affine).</summary>
    public Tensor? Bias => GetParameter("bias");

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank < 2 || input.Shape[1] % NumGroups != 0)
        {
            throw new ArgumentException(
                $"Expected number of channels in input to be divisible by num_groups, but got input of shape {input.Shape} and num_groups={NumGroups}", nameof(input));
        }

        if (input.Shape[1] != NumChannels)
        {
            throw new ArgumentException(
                $"Expected weight to be a vector of size equal to the number of channels in input, but got weight of shape [{NumChannels}] and input of shape {input.Shape}", nameof(input));
        }

        int batch = input.Shape[0];
        Tensor grouped = input.Reshape(batch, NumGroups, -1);
        Tensor mean = grouped.Mean([2], keepDim: true);
        Tensor y = ((grouped - mean) * (grouped.Var([2], correction: 0, keepDim: true) + Eps).Rsqrt()).Reshape(input.Shape);
        int[] channelShape = [1, NumChannels, .. Enumerable.Repeat(1, input.Rank - 2)];
        if (Weight is { } weight)
        {
            y = y * weight.Reshape(channelShape);
        }

        return Bias is { } bias ? y + bias.Reshape(channelShape) : y;
    }

    /// <inheritdoc/>
    public override string ExtraRepr() =>
        $"{PyRepr.Int(NumGroups)}, {PyRepr.Int(NumChannels)}, eps={PyRepr.Float(Eps)}, affine={PyRepr.Bool(Affine)}";
}
