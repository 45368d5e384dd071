namespace Autograd.NN;

/// <summary>
/// Normalisation layers as functions (PyTorch's <c>F.layer_norm</c>, <c>F.group_norm</c>, <c>F.batch_norm</c>). Each
/// normalises rows to zero mean and unit (biased) variance, <c>x̂ = (x − μ)/√(σ² + ε)</c>, with one fused kernel for the
/// statistics, output and gradients, then applies an optional affine <c>x̂·w + b</c>.
/// </summary>
public static partial class Functional
{
    /// <summary>
    /// Layer normalisation over the last dimensions, which must equal <paramref name="normalizedShape"/>:
    /// <c>y = (x − μ)/√(σ² + ε)·w + b</c>, μ and σ² the mean and biased variance over those dimensions;
    /// <paramref name="weight"/> and <paramref name="bias"/> have shape <paramref name="normalizedShape"/> or are null.
    /// </summary>
    public static Tensor LayerNorm(Tensor input, int[] normalizedShape, Tensor? weight = null, Tensor? bias = null, double eps = 1e-5)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(normalizedShape);
        var normalized = new Shape(normalizedShape);
        int[] shape = input.Shape.ToArray();
        int leading = shape.Length - normalizedShape.Length;
        if (normalizedShape.Length == 0 || leading < 0 || !shape.AsSpan(leading).SequenceEqual(normalizedShape))
        {
            string starred = normalizedShape.Length == 0 ? "[*]" : $"[*, {string.Join(", ", normalizedShape)}]";
            throw new ArgumentException($"Given normalized_shape={Sizes(normalized)}, expected input with shape {starred}, but got input of size{Sizes(input.Shape)}", nameof(input));
        }

        if (weight is not null && !weight.Shape.Equals(normalized))
        {
            throw new ArgumentException($"Expected weight to be of same shape as normalized_shape, but got weight of shape {Sizes(weight.Shape)} and normalized_shape = {Sizes(normalized)}", nameof(weight));
        }

        if (bias is not null && !bias.Shape.Equals(normalized))
        {
            throw new ArgumentException($"Expected bias to be of same shape as normalized_shape, but got bias of shape {Sizes(bias.Shape)} and normalized_shape = {Sizes(normalized)}", nameof(bias));
        }

        int cols = normalized.ElementCount;
        int rows = Shape.ElementCountOf(shape.AsSpan(0, leading).ToArray());
        return Tensor.LayerNormRows(input, weight, bias, rows, cols, eps);
    }

    /// <summary>
    /// Group normalisation of [N, C, *] input: the C channels fall into <paramref name="numGroups"/> groups, each
    /// (sample, group) normalised over its channels and positions, then the per-channel affine
    /// <c>x̂·w_c + b_c</c> (<paramref name="weight"/>, <paramref name="bias"/>: [C] or null).
    /// </summary>
    public static Tensor GroupNorm(Tensor input, int numGroups, Tensor? weight = null, Tensor? bias = null, double eps = 1e-5)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank < 2)
        {
            throw new ArgumentException($"Expected at least 2 dimensions for input tensor but received {input.Rank}", nameof(input));
        }

        int n = input.Shape[0], channels = input.Shape[1];
        if (numGroups <= 0 || channels % numGroups != 0)
        {
            throw new ArgumentException($"Expected number of channels in input to be divisible by num_groups, but got input of shape {Sizes(input.Shape)} and num_groups={numGroups}", nameof(numGroups));
        }

        CheckChannelVector(weight, "weight", input);
        CheckChannelVector(bias, "bias", input);
        int rows = n * numGroups;
        int cols = n == 0 ? 0 : input.Count / rows;
        Tensor normalized = Tensor.LayerNormRows(input.Reshape(rows, cols), null, null, rows, cols, eps).Reshape(input.Shape.ToArray());
        return ChannelAffine(normalized, weight, bias);
    }

    /// <summary>
    /// Batch normalisation of [N, C, *] input per channel. In <paramref name="training"/>, the statistics are the
    /// channel's batch mean and biased variance over N and the positions, and the running statistics (when given) are
    /// updated in place: <c>r ← (1 − m)·r + m·s</c>, with the unbiased variance (÷ (n − 1)) for the running variance, as
    /// PyTorch's. Otherwise the running statistics normalise: <c>y = (x − r_μ)/√(r_σ² + ε)·w + b</c>.
    /// </summary>
    public static Tensor BatchNorm(Tensor input, Tensor? runningMean, Tensor? runningVar, Tensor? weight = null, Tensor? bias = null,
        bool training = false, double momentum = 0.1, double eps = 1e-5)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank < 2)
        {
            throw new ArgumentException($"Expected 2D or higher input (got {input.Rank}D input)", nameof(input));
        }

        int channels = input.Shape[1];
        foreach ((Tensor? stat, string name) in new[] { (runningMean, "running_mean"), (runningVar, "running_var"), (weight, "weight"), (bias, "bias") })
        {
            if (stat is not null && stat.Count != channels)
            {
                throw new ArgumentException($"{name} should contain {channels} elements not {stat.Count}");
            }
        }

        int[] channelShape = ChannelShape(input);
        if (!training)
        {
            if (runningMean is null || runningVar is null)
            {
                throw new ArgumentException($"{(runningMean is null ? "running_mean" : "running_var")} must be defined in evaluation mode");
            }

            Tensor mean = runningMean.Detach().Reshape(channelShape), variance = runningVar.Detach().Reshape(channelShape);
            return ChannelAffine((input - mean) / (variance + eps).Sqrt(), weight, bias);
        }

        int perChannel = channels == 0 ? 0 : input.Count / channels;
        if (perChannel <= 1)
        {
            throw new ArgumentException($"Expected more than 1 value per channel when training, got input size {TorchSize(input.Shape)}", nameof(input));
        }

        // Channels as rows [C, N·positions]: each row is normalised like a layer-norm row.
        Tensor channelFirst = input.Transpose(0, 1);
        Tensor rows = channelFirst.Reshape(channels, perChannel);
        if (runningMean is not null || runningVar is not null)
        {
            using (GradMode.NoGrad())
            {
                Tensor detached = rows.Detach();
                Tensor mean = detached.Mean(1, keepDim: true);
                Tensor centred = detached - mean;
                Tensor unbiased = (centred * centred).Sum(1) / (double)(perChannel - 1);
                runningMean?.CopyFrom(((runningMean * (1 - momentum)) + (mean.Reshape(channels).ConvertedTo(runningMean.DType) * momentum)).Reshape(runningMean.Shape.ToArray()));
                runningVar?.CopyFrom(((runningVar * (1 - momentum)) + (unbiased.ConvertedTo(runningVar.DType) * momentum)).Reshape(runningVar.Shape.ToArray()));
            }
        }

        Tensor normalized = Tensor.LayerNormRows(rows, null, null, channels, perChannel, eps)
            .Reshape(channelFirst.Shape.ToArray()).Transpose(0, 1);
        return ChannelAffine(normalized, weight, bias);
    }

    /// <summary>[1, C, 1, …] for input [N, C, *].</summary>
    private static int[] ChannelShape(Tensor input)
    {
        int[] shape = new int[input.Rank];
        Array.Fill(shape, 1);
        shape[1] = input.Shape[1];
        return shape;
    }

    /// <summary>x·w_c + b_c with w, b ([C] or null) broadcast along the channel dimension 1.</summary>
    private static Tensor ChannelAffine(Tensor x, Tensor? weight, Tensor? bias)
    {
        int[] shape = ChannelShape(x);
        Tensor y = weight is null ? x : x * weight.Reshape(shape);
        return bias is null ? y : y + bias.Reshape(shape);
    }

    private static void CheckChannelVector(Tensor? vector, string name, Tensor input)
    {
        if (vector is not null && (vector.Rank != 1 || vector.Count != input.Shape[1]))
        {
            throw new ArgumentException($"Expected {name} to be a vector of size equal to the number of channels in input, but got {name} of shape {Sizes(vector.Shape)} and input of shape {Sizes(input.Shape)}", name);
        }
    }
}
