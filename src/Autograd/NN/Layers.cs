namespace Autograd.NN;

/// <summary>
/// <c>y = x·Wᵀ + b</c> (PyTorch's <c>nn.Linear</c>). W is [out, in]; W and b start uniform in ±1/√in, which is
/// PyTorch's default (Kaiming-uniform with a = √5 gives exactly that bound).
/// </summary>
public sealed class Linear : Module
{
    /// <summary>Creates the layer with PyTorch's default initialisation.</summary>
    public Linear(int inFeatures, int outFeatures, bool bias = true, Generator? generator = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(inFeatures);
        ArgumentOutOfRangeException.ThrowIfNegative(outFeatures);
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        float bound = inFeatures > 0 ? 1f / MathF.Sqrt(inFeatures) : 0f;
        Weight = RegisterParameter("weight", Tensor.Uniform([outFeatures, inFeatures], -bound, bound, generator: generator));
        Bias = bias ? RegisterParameter("bias", Tensor.Uniform([outFeatures], -bound, bound, generator: generator)) : null;
    }

    /// <summary>Input size.</summary>
    public int InFeatures { get; }

    /// <summary>Output size.</summary>
    public int OutFeatures { get; }

    /// <summary>The [out, in] weight matrix.</summary>
    public Tensor Weight { get; }

    /// <summary>The bias, or null.</summary>
    public Tensor? Bias { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank == 0 || input.Shape[-1] != InFeatures)
        {
            throw new ArgumentException($"Linear expects inputs whose last dimension is {InFeatures}, got shape {input.Shape}.", nameof(input));
        }

        return Functional.Linear(input, Weight, Bias);
    }
}

/// <summary>
/// Batch normalisation over a [batch, features] input (PyTorch's <c>nn.BatchNorm1d</c>):
/// <c>y = (x − μ) / √(σ² + ε) · γ + β</c>. In training μ, σ² are the batch mean and biased variance and the running
/// statistics move by <c>momentum</c> (the running variance uses the unbiased batch variance); in evaluation the
/// running statistics are used.
/// </summary>
public sealed class BatchNorm1d : Module
{
    /// <summary>Creates the layer with γ = 1, β = 0, running mean 0 and running variance 1.</summary>
    public BatchNorm1d(int numFeatures, float eps = 1e-5f, float momentum = 0.1f)
    {
        NumFeatures = numFeatures;
        Eps = eps;
        Momentum = momentum;
        Weight = RegisterParameter("weight", Tensor.Ones(numFeatures));
        Bias = RegisterParameter("bias", Tensor.Zeros(numFeatures));
        RunningMean = Tensor.Zeros(numFeatures);
        RunningVar = Tensor.Ones(numFeatures);
    }

    /// <summary>Number of features (the size of dimension 1).</summary>
    public int NumFeatures { get; }

    /// <summary>Added to the variance for numerical stability.</summary>
    public float Eps { get; }

    /// <summary>Weight of the newest batch in the running statistics.</summary>
    public float Momentum { get; }

    /// <summary>γ, the learned scale.</summary>
    public Tensor Weight { get; }

    /// <summary>β, the learned shift.</summary>
    public Tensor Bias { get; }

    /// <summary>Running mean used in evaluation mode.</summary>
    public Tensor RunningMean { get; }

    /// <summary>Running (unbiased) variance used in evaluation mode.</summary>
    public Tensor RunningVar { get; }

    /// <summary>Number of training batches seen.</summary>
    public long NumBatchesTracked { get; private set; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank != 2 || input.Shape[1] != NumFeatures)
        {
            throw new ArgumentException($"BatchNorm1d({NumFeatures}) expects input of shape [batch, {NumFeatures}], got {input.Shape}.", nameof(input));
        }

        if (!Training)
        {
            return ((input - RunningMean) * (RunningVar + Eps).Pow(-0.5f) * Weight) + Bias;
        }

        int batch = input.Shape[0];
        if (batch < 2)
        {
            throw new ArgumentException($"Expected more than 1 value per channel when training, got input size {input.Shape}", nameof(input));
        }

        Tensor mean = input.Mean(0);
        Tensor centered = input - mean;
        Tensor variance = (centered * centered).Mean(0);
        using (GradMode.NoGrad())
        {
            RunningMean.CopyFrom((RunningMean * (1f - Momentum)) + (mean * Momentum));
            RunningVar.CopyFrom((RunningVar * (1f - Momentum)) + (variance * (Momentum * batch / (batch - 1))));
        }

        NumBatchesTracked++;
        return (centered * (variance + Eps).Pow(-0.5f) * Weight) + Bias;
    }
}

/// <summary>Inverted dropout (PyTorch's <c>nn.Dropout</c>); the identity in evaluation mode.</summary>
public sealed class Dropout(float p = 0.5f) : Module
{
    /// <summary>Probability of zeroing an element.</summary>
    public float P { get; } = p;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Functional.Dropout(input, P, Training);
}

/// <summary>Element-wise max(x, 0) as a module (PyTorch's <c>nn.ReLU</c>).</summary>
public sealed class ReLU : Module
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Tensor.Relu(input);
}

/// <summary>Applies modules in order (PyTorch's <c>nn.Sequential</c>).</summary>
public sealed class Sequential : Module
{
    private readonly Module[] _layers;

    /// <summary>Chains <paramref name="layers"/>; their parameters are named by position (<c>0.weight</c>, …).</summary>
    public Sequential(params Module[] layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        _layers = layers;
        for (int i = 0; i < layers.Length; i++)
        {
            RegisterModule(i.ToString(System.Globalization.CultureInfo.InvariantCulture), layers[i]);
        }
    }

    /// <summary>The layers in order.</summary>
    public IReadOnlyList<Module> Layers => _layers;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        Tensor x = input;
        foreach (Module layer in _layers)
        {
            x = layer.Forward(x);
        }

        return x;
    }
}
