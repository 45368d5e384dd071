namespace Autograd.NN;

/// <summary>
/// 2-d max pooling (PyTorch's <c>nn.MaxPool2d</c>) over [N, C, H, W] or [C, H, W]; the stride defaults to the kernel
/// size. See <see cref="Functional.MaxPool2d(Tensor, int[], int[], int[], int[], bool)"/>.
/// </summary>
public sealed class MaxPool2d : Module<Tensor, Tensor>
{
    private readonly int[] _kernelSize, _stride, _padding, _dilation;

    /// <summary>Creates the layer with the same sizes on both axes.</summary>
    public MaxPool2d(int kernelSize, int? stride = null, int padding = 0, int dilation = 1, bool ceilMode = false)
        : this([kernelSize], stride is { } s ? [s] : null, [padding], [dilation], ceilMode)
    {
    }

    /// <summary>Creates the layer with per-axis (height, width) sizes (one element applies to both axes).</summary>
    public MaxPool2d(int[] kernelSize, int[]? stride = null, int[]? padding = null, int[]? dilation = null, bool ceilMode = false)
    {
        ArgumentNullException.ThrowIfNull(kernelSize);
        _kernelSize = [.. kernelSize];
        _stride = stride is null ? [.. kernelSize] : [.. stride];
        _padding = padding is null ? [0] : [.. padding];
        _dilation = dilation is null ? [1] : [.. dilation];
        CeilMode = ceilMode;
    }

    /// <summary>Whether output sizes round up.</summary>
    public bool CeilMode { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Functional.MaxPool2d(input, _kernelSize, _stride, _padding, _dilation, CeilMode);

    /// <inheritdoc/>
    public override string ExtraRepr() =>
        $"kernel_size={Pooling.Repr(_kernelSize)}, stride={Pooling.Repr(_stride)}, padding={Pooling.Repr(_padding)}, dilation={Pooling.Repr(_dilation)}, ceil_mode={PyRepr.Bool(CeilMode)}";
}

/// <summary>
/// 2-d average pooling (PyTorch's <c>nn.AvgPool2d</c>) over [N, C, H, W] or [C, H, W]; the stride defaults to the
/// kernel size. See <see cref="Functional.AvgPool2d(Tensor, int[], int[], int[], bool, bool, int?)"/>.
/// </summary>
public sealed class AvgPool2d : Module<Tensor, Tensor>
{
    private readonly int[] _kernelSize, _stride, _padding;

    /// <summary>Creates the layer with the same sizes on both axes.</summary>
    public AvgPool2d(int kernelSize, int? stride = null, int padding = 0, bool ceilMode = false, bool countIncludePad = true, int? divisorOverride = null)
        : this([kernelSize], stride is { } s ? [s] : null, [padding], ceilMode, countIncludePad, divisorOverride)
    {
    }

    /// <summary>Creates the layer with per-axis (height, width) sizes (one element applies to both axes).</summary>
    public AvgPool2d(int[] kernelSize, int[]? stride = null, int[]? padding = null, bool ceilMode = false, bool countIncludePad = true, int? divisorOverride = null)
    {
        ArgumentNullException.ThrowIfNull(kernelSize);
        _kernelSize = [.. kernelSize];
        _stride = stride is null ? [.. kernelSize] : [.. stride];
        _padding = padding is null ? [0] : [.. padding];
        CeilMode = ceilMode;
        CountIncludePad = countIncludePad;
        DivisorOverride = divisorOverride;
    }

    /// <summary>Whether output sizes round up.</summary>
    public bool CeilMode { get; }

    /// <summary>Whether the zero padding counts in the divisor.</summary>
    public bool CountIncludePad { get; }

    /// <summary>A fixed divisor, or null for the window area.</summary>
    public int? DivisorOverride { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) =>
        Functional.AvgPool2d(input, _kernelSize, _stride, _padding, CeilMode, CountIncludePad, DivisorOverride);

    /// <inheritdoc/>
    public override string ExtraRepr() =>
        $"kernel_size={Pooling.Repr(_kernelSize)}, stride={Pooling.Repr(_stride)}, padding={Pooling.Repr(_padding)}";
}

/// <summary>
/// Adaptive average pooling to a fixed output size (PyTorch's <c>nn.AdaptiveAvgPool2d</c>), e.g. 1 for global
/// average pooling. See <see cref="Functional.AdaptiveAvgPool2d"/>.
/// </summary>
public sealed class AdaptiveAvgPool2d : Module<Tensor, Tensor>
{
    private readonly int[] _outputSize;

    /// <summary>Pools to <paramref name="outputSize"/>: one value for both axes, or (height, width).</summary>
    public AdaptiveAvgPool2d(params int[] outputSize)
    {
        ArgumentNullException.ThrowIfNull(outputSize);
        _outputSize = [.. outputSize];
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Functional.AdaptiveAvgPool2d(input, _outputSize);

    /// <inheritdoc/>
    public override string ExtraRepr() => $"output_size={Pooling.Repr(_outputSize)}";
}

/// <summary>
/// Adaptive max pooling to a fixed output size (PyTorch's <c>nn.AdaptiveMaxPool2d</c>). See
/// <see cref="Functional.AdaptiveMaxPool2d"/>.
/// </summary>
public sealed class AdaptiveMaxPool2d : Module<Tensor, Tensor>
{
    private readonly int[] _outputSize;

    /// <summary>Pools to <paramref name="outputSize"/>: one value for both axes, or (height, width).</summary>
    public AdaptiveMaxPool2d(params int[] outputSize)
    {
        ArgumentNullException.ThrowIfNull(outputSize);
        _outputSize = [.. outputSize];
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Functional.AdaptiveMaxPool2d(input, _outputSize);

    /// <inheritdoc/>
    public override string ExtraRepr() => $"output_size={Pooling.Repr(_outputSize)}";
}

internal static class Pooling
{
    /// <summary>An int for a single size, a tuple for per-axis sizes, as PyTorch prints what it was given.</summary>
    internal static string Repr(int[] values) => values.Length == 1 ? PyRepr.Int(values[0]) : PyRepr.Tuple(values);
}
