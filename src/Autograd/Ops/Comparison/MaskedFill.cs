namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>
    /// A copy with <paramref name="value"/> (converted to this tensor's dtype, as PyTorch: 2.5 fills an int64 tensor
    /// with 2) where <paramref name="mask"/> is true (PyTorch's out-of-place <c>masked_fill</c>). The mask must be a
    /// bool tensor; this tensor and the mask broadcast together, so the result may be larger than this tensor, as in
    /// PyTorch. Differentiable in this tensor: ∂L/∂x = g where the mask is false, 0 where it is true.
    /// </summary>
    /// <remarks>
    /// PyTorch 1.13 accepts integer and float masks here without checking (a float mask fills nothing); this library
    /// refuses them with the message later PyTorch versions give.
    /// </remarks>
    public Tensor MaskedFill(Tensor mask, double value) => MaskedFill(mask, Scalar(value, _dtype), null);

    /// <summary>The same with a float (as the double overload; avoids ambiguity with the implicit float → Tensor conversion).</summary>
    public Tensor MaskedFill(Tensor mask, float value) => MaskedFill(mask, (double)value);

    /// <summary>The same with an integer, converted exactly to an int64 tensor (and as a C# cast to other dtypes).</summary>
    public Tensor MaskedFill(Tensor mask, long value) => MaskedFill(mask, Operands.Scalar(value, _dtype), null);

    /// <summary>
    /// The same with a 0-d tensor <paramref name="value"/> (PyTorch's <c>masked_fill(mask, Tensor value)</c>), converted
    /// to this tensor's dtype. Differentiable in the value too: ∂L/∂value = Σ g over the masked positions.
    /// </summary>
    public Tensor MaskedFill(Tensor mask, Tensor value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Rank != 0)
        {
            throw new ArgumentException(
                $"masked_fill_ only supports a 0-dimensional value tensor, but got tensor with {value.Rank} dimension(s).", nameof(value));
        }

        return MaskedFill(mask, value.ConvertedTo(_dtype), value);
    }

    private Tensor MaskedFill(Tensor mask, Tensor fill, Tensor? value)
    {
        ArgumentNullException.ThrowIfNull(mask);
        RequireBoolMask(mask, "masked_fill_ only supports boolean masks, but got mask with dtype ");
        Tensor output = WhereSelect(mask, fill, this, _dtype);
        bool record = _dtype.IsFloatingPoint() && (value is null ? GradMode.ShouldRecord(this) : GradMode.ShouldRecord(this, value));
        return record ? output.WithGradFn(new MaskedFillBackward(mask, this, value)) : output;
    }

    private static void RequireBoolMask(Tensor mask, string message)
    {
        if (mask._dtype != DType.Bool)
        {
            throw new ArgumentException(message + mask._dtype.ScalarTypeName(), nameof(mask));
        }
    }
}

/// <summary>
/// <c>out = where(m, v, x)</c> with v cast to x's dtype: ∂L/∂x = where(m, 0, g) (summed to x's shape by the engine),
/// ∂L/∂v = Σ where(m, g, 0) (a 0-d value receives the masked part of the gradient). Saves only the mask.
/// </summary>
internal sealed class MaskedFillBackward : Node
{
    private SavedTensor _mask;

    internal MaskedFillBackward(Tensor mask, Tensor x, Tensor? value)
        : base(value is null ? [x] : [x, value]) => _mask = mask;

    protected internal override Tensor?[] Apply(Tensor grad)
    {
        Tensor mask = Saved(_mask);
        Tensor? dx = NeedsInputGrad(0) ? Tensor.Where(mask, 0.0, grad) : null;
        return InputCount == 1 ? [dx] : [dx, NeedsInputGrad(1) ? Tensor.Where(mask, grad, 0.0).Sum() : null];
    }

    protected override void ReleaseSaved() => _mask = default;
}
