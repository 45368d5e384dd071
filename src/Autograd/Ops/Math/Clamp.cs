using Autograd.Kernels;

namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>
    /// min(max(x, min), max) element-wise (torch.clamp) with number bounds, either of which may be null (not both:
    /// PyTorch's "At least one of 'min' or 'max' must not be None"). NaN in x, or a NaN bound, gives NaN; min &gt; max
    /// gives max everywhere. A floating tensor keeps its type (the bounds rounded to it), an integer one becomes float32
    /// (PyTorch's wrapped-number rule for a floating bound). Gradient: g where min ≤ x ≤ max, else 0.
    /// </summary>
    public static Tensor Clamp(Tensor x, double? min, double? max) => ClampScalar(x, min, max, scalarIsFloatingPoint: true, "ClampBackward");

    /// <summary>The same with both number bounds (see <see cref="Clamp(Tensor, double?, double?)"/>).</summary>
    public static Tensor Clamp(Tensor x, double min, double max) => ClampScalar(x, min, max, scalarIsFloatingPoint: true, "ClampBackward");

    /// <summary>The same with float bounds (as the double overload; avoids ambiguity with the implicit float → Tensor conversion).</summary>
    public static Tensor Clamp(Tensor x, float min, float max) => ClampScalar(x, min, max, scalarIsFloatingPoint: true, "ClampBackward");

    /// <summary>The same with integer bounds: the tensor's dtype is kept (an int32 tensor compares with the bounds' low 32 bits, as PyTorch).</summary>
    public static Tensor Clamp(Tensor x, long min, long max) => ClampScalar(x, min, max, scalarIsFloatingPoint: false, "ClampBackward");

    /// <summary>
    /// Clamp with tensor bounds, broadcast with x, either of which may be null (not both). The result has the promoted
    /// type of all three. NaN anywhere gives NaN. Gradients as PyTorch's: x gets g where min ≤ x ≤ max; min gets g where
    /// x &lt; min and min &lt; max; max gets g where x &gt; max or max &lt; min (the bound that is selected). With one
    /// bound: x gets g where x ≥ min (x ≤ max), the bound where x &lt; min (x &gt; max).
    /// </summary>
    public static Tensor Clamp(Tensor x, Tensor? min, Tensor? max) => ClampTensor(x, min, max, "ClampBackward");

    /// <inheritdoc cref="Clamp(Tensor, double?, double?)"/>
    public Tensor Clamp(double? min, double? max) => Clamp(this, min, max);

    /// <inheritdoc cref="Clamp(Tensor, double, double)"/>
    public Tensor Clamp(double min, double max) => Clamp(this, min, max);

    /// <inheritdoc cref="Clamp(Tensor, float, float)"/>
    public Tensor Clamp(float min, float max) => Clamp(this, min, max);

    /// <inheritdoc cref="Clamp(Tensor, long, long)"/>
    public Tensor Clamp(long min, long max) => Clamp(this, min, max);

    /// <inheritdoc cref="Clamp(Tensor, Tensor?, Tensor?)"/>
    public Tensor Clamp(Tensor? min, Tensor? max) => Clamp(this, min, max);

    /// <summary>max(x, min) element-wise (torch.clamp_min), NaN propagating; promotion as <see cref="Clamp(Tensor, double?, double?)"/>. Gradient: g where x ≥ min, else 0.</summary>
    public static Tensor ClampMin(Tensor x, double min) => ClampScalar(x, min, null, scalarIsFloatingPoint: true, "ClampMinBackward");

    /// <inheritdoc cref="ClampMin(Tensor, double)"/>
    public static Tensor ClampMin(Tensor x, float min) => ClampScalar(x, min, null, scalarIsFloatingPoint: true, "ClampMinBackward");

    /// <summary>max(x, min) with an integer bound: the tensor's dtype is kept.</summary>
    public static Tensor ClampMin(Tensor x, long min) => ClampScalar(x, min, null, scalarIsFloatingPoint: false, "ClampMinBackward");

    /// <summary>max(x, min) with a tensor bound, broadcast: x gets g where x ≥ min, min gets g where x &lt; min.</summary>
    public static Tensor ClampMin(Tensor x, Tensor min)
    {
        ArgumentNullException.ThrowIfNull(min);
        return ClampTensor(x, min, null, "ClampMinBackward");
    }

    /// <summary>min(x, max) element-wise (torch.clamp_max), NaN propagating; promotion as <see cref="Clamp(Tensor, double?, double?)"/>. Gradient: g where x ≤ max, else 0.</summary>
    public static Tensor ClampMax(Tensor x, double max) => ClampScalar(x, null, max, scalarIsFloatingPoint: true, "ClampMaxBackward");

    /// <inheritdoc cref="ClampMax(Tensor, double)"/>
    public static Tensor ClampMax(Tensor x, float max) => ClampScalar(x, null, max, scalarIsFloatingPoint: true, "ClampMaxBackward");

    /// <summary>min(x, max) with an integer bound: the tensor's dtype is kept.</summary>
    public static Tensor ClampMax(Tensor x, long max) => ClampScalar(x, null, max, scalarIsFloatingPoint: false, "ClampMaxBackward");

    /// <summary>min(x, max) with a tensor bound, broadcast: x gets g where x ≤ max, max gets g where x &gt; max.</summary>
    public static Tensor ClampMax(Tensor x, Tensor max)
    {
        ArgumentNullException.ThrowIfNull(max);
        return ClampTensor(x, null, max, "ClampMaxBackward");
    }

    /// <inheritdoc cref="ClampMin(Tensor, double)"/>
    public Tensor ClampMin(double min) => ClampMin(this, min);

    /// <inheritdoc cref="ClampMin(Tensor, float)"/>
    public Tensor ClampMin(float min) => ClampMin(this, min);

    /// <inheritdoc cref="ClampMin(Tensor, long)"/>
    public Tensor ClampMin(long min) => ClampMin(this, min);

    /// <inheritdoc cref="ClampMin(Tensor, Tensor)"/>
    public Tensor ClampMin(Tensor min) => ClampMin(this, min);

    /// <inheritdoc cref="ClampMax(Tensor, double)"/>
    public Tensor ClampMax(double max) => ClampMax(this, max);

    /// <inheritdoc cref="ClampMax(Tensor, float)"/>
    public Tensor ClampMax(float max) => ClampMax(this, max);

    /// <inheritdoc cref="ClampMax(Tensor, long)"/>
    public Tensor ClampMax(long max) => ClampMax(this, max);

    /// <inheritdoc cref="ClampMax(Tensor, Tensor)"/>
    public Tensor ClampMax(Tensor max) => ClampMax(this, max);

    private const string ClampNoBoundMessage = "torch.clamp: At least one of 'min' or 'max' must not be None";

    private static Tensor ClampScalar(Tensor x, double? min, double? max, bool scalarIsFloatingPoint, string nodeName)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (min is null && max is null)
        {
            throw new ArgumentException(ClampNoBoundMessage);
        }

        // IEEE maximum then minimum: NaN in x or in a bound propagates, as PyTorch's clamp.
        Tensor output = x;
        if (min is { } low)
        {
            output = TypedElementwise.BinaryScalar<TypedMaximum>(output, low, scalarIsFloatingPoint, scalarFirst: false);
        }

        if (max is { } high)
        {
            output = TypedElementwise.BinaryScalar<TypedMinimum>(output, high, scalarIsFloatingPoint, scalarFirst: false);
        }

        return GradMode.ShouldRecord(x) && output._dtype.IsFloatingPoint() ? output.WithGradFn(new ClampScalarBackward(x, min, max, nodeName)) : output;
    }

    private static Tensor ClampTensor(Tensor x, Tensor? min, Tensor? max, string nodeName)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (min is null && max is null)
        {
            throw new ArgumentException(ClampNoBoundMessage);
        }

        Tensor output = x;
        if (min is not null)
        {
            output = TypedElementwise.Binary<TypedMaximum>(output, min);
        }

        if (max is not null)
        {
            output = TypedElementwise.Binary<TypedMinimum>(output, max);
        }

        Tensor[] inputs = [x, .. min is null ? Array.Empty<Tensor>() : [min], .. max is null ? Array.Empty<Tensor>() : [max]];
        return GradMode.IsEnabled && Array.Exists(inputs, t => t.RequiresGrad) && output._dtype.IsFloatingPoint() ? output.WithGradFn(new ClampTensorBackward(inputs, min is not null, max is not null, nodeName)) : output;
    }
}

/// <summary>
/// <c>out = clamp(x, min, max)</c> with number bounds (either may be absent): ∂L/∂x = g where min ≤ x ≤ max, 0
/// elsewhere (and where x is NaN), as PyTorch's clamp_backward. Saves x.
/// </summary>
internal sealed class ClampScalarBackward(Tensor x, double? min, double? max, string name) : Node(x)
{
    private SavedTensor _x = x;

    /// <summary>ClampBackward, ClampMinBackward or ClampMaxBackward.</summary>
    public override string Name => name;

    protected internal override Tensor?[] Apply(Tensor grad)
    {
        Tensor x = Saved(_x);
        Tensor? inside = min is { } low ? Tensor.Ge(x, low) : null;
        if (max is { } high)
        {
            inside = inside is null ? Tensor.Le(x, high) : inside & Tensor.Le(x, high);
        }

        return [Tensor.Where(inside!, grad, 0.0)];
    }

    protected override void ReleaseSaved() => _x = null;
}

/// <summary>
/// <c>out = clamp(x, min, max)</c> with tensor bounds (PyTorch's clamp_backward_min_max): ∂L/∂x = g where
/// min ≤ x ≤ max; ∂L/∂min = g where x &lt; min and min &lt; max; ∂L/∂max = g where x &gt; max or max &lt; min; 0
/// elsewhere. With one bound: ∂L/∂x = g where x ≥ min (x ≤ max), ∂L/∂min = g where x &lt; min (∂L/∂max where x &gt; max).
/// The inputs are x and the bounds present, in that order; each gradient is summed back to its input's shape.
/// </summary>
internal sealed class ClampTensorBackward : Node
{
    private readonly bool _hasMin;
    private readonly bool _hasMax;
    private readonly string _name;
    private SavedTensor _x;
    private SavedTensor _min;
    private SavedTensor _max;

    internal ClampTensorBackward(Tensor[] inputs, bool hasMin, bool hasMax, string name)
        : base(inputs)
    {
        (_hasMin, _hasMax, _name) = (hasMin, hasMax, name);
        _x = inputs[0];
        _min = hasMin ? inputs[1] : null;
        _max = hasMax ? inputs[^1] : null;
    }

    /// <summary>ClampBackward, ClampMinBackward or ClampMaxBackward.</summary>
    public override string Name => _name;

    protected internal override Tensor?[] Apply(Tensor grad)
    {
        Tensor x = Saved(_x);
        Tensor? min = _hasMin ? Saved(_min) : null, max = _hasMax ? Saved(_max) : null;
        Tensor selfMask, minMask = null!, maxMask = null!;
        if (min is not null && max is not null)
        {
            selfMask = Tensor.Ge(x, min) & Tensor.Le(x, max);
            minMask = Tensor.Lt(x, min) & Tensor.Lt(min, max);
            maxMask = Tensor.Gt(x, max) | Tensor.Lt(max, min);
        }
        else if (min is not null)
        {
            selfMask = Tensor.Ge(x, min);
            minMask = Tensor.Lt(x, min);
        }
        else
        {
            selfMask = Tensor.Le(x, max!);
            maxMask = Tensor.Gt(x, max!);
        }

        var grads = new List<Tensor?> { NeedsInputGrad(0) ? Tensor.Where(selfMask, grad, 0.0) : null };
        if (min is not null)
        {
            grads.Add(NeedsInputGrad(1) ? Tensor.Where(minMask, grad, 0.0) : null);
        }

        if (max is not null)
        {
            grads.Add(NeedsInputGrad(grads.Count) ? Tensor.Where(maxMask, grad, 0.0) : null);
        }

        return [.. grads];
    }

    protected override void ReleaseSaved() => (_x, _min, _max) = (null, null, null);
}
