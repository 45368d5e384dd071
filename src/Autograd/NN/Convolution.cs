namespace Autograd.NN;

/// <summary>
/// What the convolution layers share (PyTorch's <c>_ConvNd</c>): the channel counts, per-axis kernel size, stride,
/// padding, dilation, output padding (transposed only) and groups; the weight, [out, in/groups, k…] (transposed:
/// [in, out/groups, k…]), starts Kaiming-uniform with a = √5, i.e. U(±1/√fan_in), and the bias [out] U(±1/√fan_in),
/// with fan_in = weight.size(1)·Πk. Only zero padding is supported (PyTorch's default <c>padding_mode='zeros'</c>).
/// </summary>
public abstract class ConvNd : Module<Tensor, Tensor>
{
    /// <summary>Validates the settings and registers the parameters with PyTorch's default initialisation.</summary>
    private protected ConvNd(
        int inChannels, int outChannels, int[] kernelSize, int[] stride, int[] padding, string? paddingText, int[] dilation,
        bool transposed, int[] outputPadding, int groups, bool bias, Generator? generator)
    {
        if (groups <= 0)
        {
            throw new ArgumentException("groups must be a positive integer", nameof(groups));
        }

        if (inChannels % groups != 0)
        {
            throw new ArgumentException("in_channels must be divisible by groups", nameof(inChannels));
        }

        if (outChannels % groups != 0)
        {
            throw new ArgumentException("out_channels must be divisible by groups", nameof(outChannels));
        }

        if (paddingText is not null && paddingText is not ("same" or "valid"))
        {
            throw new ArgumentException($"Invalid padding string '{paddingText}', should be one of {{'valid', 'same'}}", nameof(paddingText));
        }

        if (paddingText == "same" && stride.Any(s => s != 1))
        {
            throw new ArgumentException("padding='same' is not supported for strided convolutions", nameof(stride));
        }

        InChannels = inChannels;
        OutChannels = outChannels;
        KernelSize = kernelSize;
        Stride = stride;
        Padding = padding;
        PaddingText = paddingText;
        Dilation = dilation;
        Transposed = transposed;
        OutputPadding = outputPadding;
        Groups = groups;
        int[] weightShape = transposed
            ? [inChannels, outChannels / groups, .. kernelSize]
            : [outChannels, inChannels / groups, .. kernelSize];
        RegisterParameter("weight", Tensor.Zeros(weightShape));
        RegisterParameter("bias", bias ? Tensor.Zeros(outChannels) : null);
        ResetParameters(generator);
    }

    /// <summary>Input channels.</summary>
    public int InChannels { get; }

    /// <summary>Output channels.</summary>
    public int OutChannels { get; }

    /// <summary>Kernel size per spatial axis.</summary>
    public IReadOnlyList<int> KernelSize { get; }

    /// <summary>Stride per spatial axis.</summary>
    public IReadOnlyList<int> Stride { get; }

    /// <summary>Zero padding per spatial axis (unused when <see cref="PaddingText"/> is set).</summary>
    public IReadOnlyList<int> Padding { get; }

    /// <summary><c>"same"</c> or <c>"valid"</c> when the padding was given by name, else null.</summary>
    public string? PaddingText { get; }

    /// <summary>Dilation per spatial axis.</summary>
    public IReadOnlyList<int> Dilation { get; }

    /// <summary>Whether this is a transposed convolution.</summary>
    public bool Transposed { get; }

    /// <summary>Extra size added to one side of each output axis (transposed convolutions only).</summary>
    public IReadOnlyList<int> OutputPadding { get; }

    /// <summary>Number of blocked connections from input to output channels.</summary>
    public int Groups { get; }

    /// <summary>The weight.</summary>
    public Tensor Weight => GetParameter("weight")!;

    /// <summary>The [out] bias, or null.</summary>
    public Tensor? Bias => GetParameter("bias");

    /// <summary>Draws the weight and bias again as the constructor does (PyTorch's <c>reset_parameters</c>).</summary>
    public void ResetParameters(Generator? generator = null)
    {
        Init.KaimingUniform_(Weight, Math.Sqrt(5), generator: generator);
        if (Bias is { } bias)
        {
            (int fanIn, _) = Init.CalculateFanInAndFanOut(Weight);
            double bound = fanIn > 0 ? 1 / Math.Sqrt(fanIn) : 0;
            Init.Uniform_(bias, -bound, bound, generator);
        }
    }

    /// <inheritdoc/>
    public override string ExtraRepr()
    {
        var s = new System.Text.StringBuilder();
        s.Append($"{PyRepr.Int(InChannels)}, {PyRepr.Int(OutChannels)}, kernel_size={PyRepr.Tuple(KernelSize)}, stride={PyRepr.Tuple(Stride)}");
        if (PaddingText is not null)
        {
            s.Append(", padding=").Append(PaddingText);
        }
        else if (Padding.Any(p => p != 0))
        {
            s.Append(", padding=").Append(PyRepr.Tuple(Padding));
        }

        if (Dilation.Any(d => d != 1))
        {
            s.Append(", dilation=").Append(PyRepr.Tuple(Dilation));
        }

        if (OutputPadding.Any(p => p != 0))
        {
            s.Append(", output_padding=").Append(PyRepr.Tuple(OutputPadding));
        }

        if (Groups != 1)
        {
            s.Append(", groups=").Append(PyRepr.Int(Groups));
        }

        if (Bias is null)
        {
            s.Append(", bias=False");
        }

        return s.ToString();
    }

    private protected static int[] Repeat(int value, int count) => [.. Enumerable.Repeat(value, count)];

    private protected static int[] Pair(int[] values, string name)
    {
        ArgumentNullException.ThrowIfNull(values, name);
        return values.Length == 2 ? [.. values] : throw new ArgumentException($"{name} must have 2 elements, got {values.Length}", name);
    }
}

/// <summary>1-d convolution over [N, C, L] or [C, L] (PyTorch's <c>nn.Conv1d</c>); see <see cref="ConvNd"/>.</summary>
public sealed class Conv1d : ConvNd
{
    /// <summary>Creates the layer with integer padding.</summary>
    public Conv1d(int inChannels, int outChannels, int kernelSize, int stride = 1, int padding = 0, int dilation = 1, int groups = 1, bool bias = true, Generator? generator = null)
        : base(inChannels, outChannels, [kernelSize], [stride], [padding], null, [dilation], false, [0], groups, bias, generator)
    {
    }

    /// <summary>Creates the layer with <c>"same"</c> or <c>"valid"</c> padding.</summary>
    public Conv1d(int inChannels, int outChannels, int kernelSize, int stride, string padding, int dilation = 1, int groups = 1, bool bias = true, Generator? generator = null)
        : base(inChannels, outChannels, [kernelSize], [stride], [0], padding, [dilation], false, [0], groups, bias, generator)
    {
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => PaddingText is { } text
        ? Functional.Conv1d(input, Weight, Bias, Stride[0], text, Dilation[0], Groups)
        : Functional.Conv1d(input, Weight, Bias, Stride[0], Padding[0], Dilation[0], Groups);
}

/// <summary>2-d convolution over [N, C, H, W] or [C, H, W] (PyTorch's <c>nn.Conv2d</c>); see <see cref="ConvNd"/>.</summary>
public sealed class Conv2d : ConvNd
{
    /// <summary>Creates the layer with the same size on both axes.</summary>
    public Conv2d(int inChannels, int outChannels, int kernelSize, int stride = 1, int padding = 0, int dilation = 1, int groups = 1, bool bias = true, Generator? generator = null)
        : base(inChannels, outChannels, [kernelSize, kernelSize], [stride, stride], [padding, padding], null, [dilation, dilation], false, [0, 0], groups, bias, generator)
    {
    }

    /// <summary>Creates the layer with per-axis (height, width) sizes.</summary>
    public Conv2d(int inChannels, int outChannels, int[] kernelSize, int[]? stride = null, int[]? padding = null, int[]? dilation = null, int groups = 1, bool bias = true, Generator? generator = null)
        : base(inChannels, outChannels, Pair(kernelSize, nameof(kernelSize)), Pair(stride ?? [1, 1], nameof(stride)), Pair(padding ?? [0, 0], nameof(padding)), null,
              Pair(dilation ?? [1, 1], nameof(dilation)), false, [0, 0], groups, bias, generator)
    {
    }

    /// <summary>Creates the layer with <c>"same"</c> or <c>"valid"</c> padding.</summary>
    public Conv2d(int inChannels, int outChannels, int kernelSize, int stride, string padding, int dilation = 1, int groups = 1, bool bias = true, Generator? generator = null)
        : base(inChannels, outChannels, [kernelSize, kernelSize], [stride, stride], [0, 0], padding, [dilation, dilation], false, [0, 0], groups, bias, generator)
    {
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => PaddingText is { } text
        ? Functional.Conv2d(input, Weight, Bias, [.. Stride], text, [.. Dilation], Groups)
        : Functional.Conv2d(input, Weight, Bias, [.. Stride], [.. Padding], [.. Dilation], Groups);
}

/// <summary>
/// 2-d transposed convolution (PyTorch's <c>nn.ConvTranspose2d</c>): the gradient of <see cref="Conv2d"/> with
/// respect to its input; the weight is [in, out/groups, kH, kW]; see <see cref="ConvNd"/>.
/// </summary>
public sealed class ConvTranspose2d : ConvNd
{
    /// <summary>Creates the layer with the same size on both axes.</summary>
    public ConvTranspose2d(int inChannels, int outChannels, int kernelSize, int stride = 1, int padding = 0, int outputPadding = 0, int groups = 1, bool bias = true, int dilation = 1, Generator? generator = null)
        : base(inChannels, outChannels, [kernelSize, kernelSize], [stride, stride], [padding, padding], null, [dilation, dilation], true, [outputPadding, outputPadding], groups, bias, generator)
    {
    }

    /// <summary>Creates the layer with per-axis (height, width) sizes.</summary>
    public ConvTranspose2d(int inChannels, int outChannels, int[] kernelSize, int[]? stride = null, int[]? padding = null, int[]? outputPadding = null, int groups = 1, bool bias = true, int[]? dilation = null, Generator? generator = null)
        : base(inChannels, outChannels, Pair(kernelSize, nameof(kernelSize)), Pair(stride ?? [1, 1], nameof(stride)), Pair(padding ?? [0, 0], nameof(padding)), null,
              Pair(dilation ?? [1, 1], nameof(dilation)), true, Pair(outputPadding ?? [0, 0], nameof(outputPadding)), groups, bias, generator)
    {
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) =>
        Functional.ConvTranspose2d(input, Weight, Bias, [.. Stride], [.. Padding], [.. OutputPadding], Groups, [.. Dilation]);
}
