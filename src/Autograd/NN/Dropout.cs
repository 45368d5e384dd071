namespace Autograd.NN;

/// <summary>
/// Inverted dropout (PyTorch's <c>nn.Dropout</c>): in training each element is zeroed with probability p and the rest
/// scaled by 1/(1 − p); the identity in evaluation mode.
/// </summary>
public sealed class Dropout : Module<Tensor, Tensor>
{
    /// <summary>Creates the layer.</summary>
    public Dropout(double p = 0.5)
    {
        if (p is < 0 or > 1 || double.IsNaN(p))
        {
            throw new ArgumentOutOfRangeException(nameof(p), $"dropout probability has to be between 0 and 1, but got {PyRepr.Float(p)}");
        }

        P = p;
    }

    /// <summary>Probability of zeroing an element.</summary>
    public double P { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Functional.Dropout(input, (float)P, Training);

    /// <inheritdoc/>
    public override string ExtraRepr() => $"p={PyRepr.Float(P)}, inplace=False";
}

/// <summary>
/// Flattens dimensions <c>startDim</c> … <c>endDim</c> into one (PyTorch's <c>nn.Flatten</c>; by default every
/// dimension but the batch's).
/// </summary>
public sealed class Flatten(int startDim = 1, int endDim = -1) : Module<Tensor, Tensor>
{
    /// <summary>First dimension flattened.</summary>
    public int StartDim { get; } = startDim;

    /// <summary>Last dimension flattened.</summary>
    public int EndDim { get; } = endDim;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return input.Flatten(StartDim, EndDim);
    }

    /// <inheritdoc/>
    public override string ExtraRepr() => $"start_dim={PyRepr.Int(StartDim)}, end_dim={PyRepr.Int(EndDim)}";
}

/// <summary>Splits dimension <c>dim</c> into <c>unflattenedSize</c> (PyTorch's <c>nn.Unflatten</c>); one size may be −1.</summary>
public sealed class Unflatten : Module<Tensor, Tensor>
{
    private readonly int[] _sizes;

    /// <summary>Creates the layer.</summary>
    public Unflatten(int dim, params int[] unflattenedSize)
    {
        ArgumentNullException.ThrowIfNull(unflattenedSize);
        Dim = dim;
        _sizes = [.. unflattenedSize];
    }

    /// <summary>The dimension split.</summary>
    public int Dim { get; }

    /// <summary>The sizes it is split into.</summary>
    public IReadOnlyList<int> UnflattenedSize => _sizes;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return input.Unflatten(Dim, _sizes);
    }

    /// <inheritdoc/>
    public override string ExtraRepr() => $"dim={PyRepr.Int(Dim)}, unflattened_size={PyRepr.Tuple(_sizes)}";
}
