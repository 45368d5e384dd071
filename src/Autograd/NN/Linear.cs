namespace Autograd.NN;

/// <summary>
/// <c>y = x·Wᵀ + b</c> (PyTorch's <c>nn.Linear</c>), over the last dimension of an input of any rank. W is
/// [out, in] and starts Kaiming-uniform with a = √5, i.e. U(±1/√in); b is [out] and starts U(±1/√in).
/// </summary>
public class Linear : Module<Tensor, Tensor>
{
    /// <summary>Creates the layer with PyTorch's default initialisation.</summary>
    public Linear(int inFeatures, int outFeatures, bool bias = true, Generator? generator = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(inFeatures);
        ArgumentOutOfRangeException.ThrowIfNegative(outFeatures);
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        RegisterParameter("weight", Tensor.Zeros(outFeatures, inFeatures));
        RegisterParameter("bias", bias ? Tensor.Zeros(outFeatures) : null);
        ResetParameters(generator);
    }

    /// <summary>Input size.</summary>
    public int InFeatures { get; }

    /// <summary>Output size.</summary>
    public int OutFeatures { get; }

    /// <summary>The [out, in] weight matrix.</summary>
    public Tensor Weight => GetParameter("weight")!;

    /// <summary>The [out] bias, or null.</summary>
    public Tensor? Bias => GetParameter("bias");

    /// <summary>Draws the weight and bias again as the constructor does (PyTorch's <c>reset_parameters</c>).</summary>
    public void ResetParameters(Generator? generator = null)
    {
        Init.KaimingUniform_(Weight, Math.Sqrt(5), generator: generator);
        if (Bias is { } bias)
        {
            double bound = InFeatures > 0 ? 1 / Math.Sqrt(InFeatures) : 0;
            Init.Uniform_(bias, -bound, bound, generator);
        }
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Functional.Linear(input, Weight, Bias);

    /// <inheritdoc/>
    public override string ExtraRepr() =>
        $"in_features={PyRepr.Int(InFeatures)}, out_features={PyRepr.Int(OutFeatures)}, bias={PyRepr.Bool(Bias is not null)}";
}

/// <summary>
/// <c>yₖ = x₁ᵀ·Aₖ·x₂ + bₖ</c> (PyTorch's <c>nn.Bilinear</c>) over the last dimensions of two inputs with the same
/// leading dimensions. A is [out, in1, in2], b is [out]; both start U(±1/√in1).
/// </summary>
public sealed class Bilinear : Module<Tensor, Tensor, Tensor>
{
    /// <summary>Creates the layer with PyTorch's default initialisation.</summary>
    public Bilinear(int in1Features, int in2Features, int outFeatures, bool bias = true, Generator? generator = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(in1Features);
        ArgumentOutOfRangeException.ThrowIfNegative(in2Features);
        ArgumentOutOfRangeException.ThrowIfNegative(outFeatures);
        In1Features = in1Features;
        In2Features = in2Features;
        OutFeatures = outFeatures;
        RegisterParameter("weight", Tensor.Zeros(outFeatures, in1Features, in2Features));
        RegisterParameter("bias", bias ? Tensor.Zeros(outFeatures) : null);
        ResetParameters(generator);
    }

    /// <summary>Size of the first input's last dimension.</summary>
    public int In1Features { get; }

    /// <summary>Size of the second input's last dimension.</summary>
    public int In2Features { get; }

    /// <summary>Output size.</summary>
    public int OutFeatures { get; }

    /// <summary>The [out, in1, in2] weight.</summary>
    public Tensor Weight => GetParameter("weight")!;

    /// <summary>The [out] bias, or null.</summary>
    public Tensor? Bias => GetParameter("bias");

    /// <summary>Draws the weight and bias again from U(±1/√in1) (PyTorch's <c>reset_parameters</c>).</summary>
    public void ResetParameters(Generator? generator = null)
    {
        double bound = In1Features > 0 ? 1 / Math.Sqrt(In1Features) : 0;
        Init.Uniform_(Weight, -bound, bound, generator);
        if (Bias is { } bias)
        {
            Init.Uniform_(bias, -bound, bound, generator);
        }
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input1, Tensor input2)
    {
        ArgumentNullException.ThrowIfNull(input1);
        ArgumentNullException.ThrowIfNull(input2);
        if (input1.Rank == 0 || input1.Shape[-1] != In1Features)
        {
            throw new ArgumentException($"Input1 size does not match. Expected {In1Features}, got {(input1.Rank == 0 ? 0 : input1.Shape[-1])}", nameof(input1));
        }

        if (input2.Rank == 0 || input2.Shape[-1] != In2Features)
        {
            throw new ArgumentException($"Input2 size does not match. Expected {In2Features}, got {(input2.Rank == 0 ? 0 : input2.Shape[-1])}", nameof(input2));
        }

        if (input1.Rank != input2.Rank || !input1.Shape.Take(input1.Rank - 1).SequenceEqual(input2.Shape.Take(input2.Rank - 1)))
        {
            throw new ArgumentException($"bilinear(): input batch dimensions do not match: got {input1.Shape} and {input2.Shape}");
        }

        int[] leading = [.. input1.Shape.Take(input1.Rank - 1)];
        Tensor x1 = input1.Reshape(-1, In1Features), x2 = input2.Reshape(-1, In2Features);
        Tensor y = Tensor.Einsum("bi,oij,bj->bo", x1, Weight, x2);
        if (Bias is { } bias)
        {
            y = y + bias;
        }

        return y.Reshape([.. leading, OutFeatures]);
    }

    /// <inheritdoc/>
    public override string ExtraRepr() =>
        $"in1_features={PyRepr.Int(In1Features)}, in2_features={PyRepr.Int(In2Features)}, out_features={PyRepr.Int(OutFeatures)}, bias={PyRepr.Bool(Bias is not null)}";
}

/// <summary>
/// The output projection of <see cref="MultiheadAttention"/> (PyTorch's <c>NonDynamicallyQuantizableLinear</c>): an
/// ordinary <see cref="Linear"/> under another name, so that the module tree, its repr and its state dict are PyTorch's.
/// </summary>
public sealed class NonDynamicallyQuantizableLinear(int inFeatures, int outFeatures, bool bias = true, Generator? generator = null)
    : Linear(inFeatures, outFeatures, bias, generator);

/// <summary>Returns its input unchanged (PyTorch's <c>nn.Identity</c>), e.g. to replace a layer in a model.</summary>
public sealed class Identity : Module<Tensor, Tensor>
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => input;
}
