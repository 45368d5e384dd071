namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>
    /// Linear interpolation start + weight·(end − start) element-wise with broadcasting (torch.lerp), computed as
    /// PyTorch does for accuracy at both ends: start + w·(end − start) when |w| &lt; ½, else end − (end − start)·(1 − w),
    /// so w = 1 gives end exactly. start and end must be floating and of one dtype, as in PyTorch.
    /// Gradients: ∂L/∂start = g·(1 − w), ∂L/∂end = g·w.
    /// </summary>
    public static Tensor Lerp(Tensor start, Tensor end, double weight)
    {
        CheckLerpOperands(start, end, null, "lerp_kernel_scalar");
        Tensor output;
        using (GradMode.NoGrad())
        {
            output = Math.Abs(weight) < 0.5 ? start + ((end - start) * weight) : end - ((end - start) * (1 - weight));
        }

        return GradMode.ShouldRecord(start, end) ? output.WithGradFn(new LerpBackward([start, end], weight)) : output;
    }

    /// <summary>The same with a float weight (as the double overload; avoids ambiguity with the implicit float → Tensor conversion).</summary>
    public static Tensor Lerp(Tensor start, Tensor end, float weight) => Lerp(start, end, (double)weight);

    /// <summary>
    /// Linear interpolation with a tensor weight, the three broadcast together (same formula as the number form, chosen
    /// per element). The weight must have start's dtype. Gradients: ∂L/∂start = g ⊙ (1 − w), ∂L/∂end = g ⊙ w,
    /// ∂L/∂weight = g ⊙ (end − start).
    /// </summary>
    public static Tensor Lerp(Tensor start, Tensor end, Tensor weight)
    {
        CheckLerpOperands(start, end, weight, "lerp_kernel_tensor");
        Tensor output;
        using (GradMode.NoGrad())
        {
            Tensor difference = end - start;
            output = Where(Lt(Abs(weight), 0.5), start + (weight * difference), end - (difference * (1.0 - weight)));
        }

        return GradMode.IsEnabled && (start.RequiresGrad || end.RequiresGrad || weight.RequiresGrad)
            ? output.WithGradFn(new LerpBackward([start, end, weight], 0))
            : output;
    }

    /// <inheritdoc cref="Lerp(Tensor, Tensor, double)"/>
    public Tensor Lerp(Tensor end, double weight) => Lerp(this, end, weight);

    /// <inheritdoc cref="Lerp(Tensor, Tensor, float)"/>
    public Tensor Lerp(Tensor end, float weight) => Lerp(this, end, weight);

    /// <inheritdoc cref="Lerp(Tensor, Tensor, Tensor)"/>
    public Tensor Lerp(Tensor end, Tensor weight) => Lerp(this, end, weight);

    private static void CheckLerpOperands(Tensor start, Tensor end, Tensor? weight, string kernelName)
    {
        ArgumentNullException.ThrowIfNull(start);
        ArgumentNullException.ThrowIfNull(end);
        if (end._dtype != start._dtype)
        {
            throw new ArgumentException($"expected dtype {CTypeName(start._dtype)} for `end` but got dtype {CTypeName(end._dtype)}");
        }

        if (weight is not null && weight._dtype != start._dtype)
        {
            throw new ArgumentException($"expected dtype {CTypeName(start._dtype)} for `weight` but got dtype {CTypeName(weight._dtype)}");
        }

        if (!start._dtype.IsFloatingPoint())
        {
            throw NotImplementedFor(start._dtype, kernelName);
        }

        // PyTorch broadcasts start with end (then weight) before computing; report a mismatch in that order.
        int[] shape = Broadcasting.Shapes(start._shape, end._shape);
        if (weight is not null)
        {
            Broadcasting.Shapes(shape, weight._shape);
        }

        // PyTorch names C++ types in these messages.
        static string CTypeName(DType dtype) => dtype switch
        {
            DType.Float32 => "float",
            DType.Float64 => "double",
            DType.Int64 => "long int",
            DType.Int32 => "int",
            DType.Bool => "bool",
            DType.Float16 => "c10::Half",
            DType.BFloat16 => "c10::BFloat16",
            _ => dtype.ToString(),
        };
    }
}

/// <summary>
/// <c>out = lerp(start, end, w)</c>: ∂L/∂start = g ⊙ (1 − w), ∂L/∂end = g ⊙ w, and with a tensor weight
/// ∂L/∂w = g ⊙ (end − start). Inputs are (start, end) with a number weight, (start, end, weight) with a tensor one.
/// </summary>
internal sealed class LerpBackward : Node
{
    private readonly double _weight;
    private SavedTensor _start;
    private SavedTensor _end;
    private SavedTensor _weightTensor;

    internal LerpBackward(Tensor[] inputs, double weight)
        : base(inputs)
    {
        _weight = weight;
        if (inputs.Length == 3)
        {
            _weightTensor = inputs[2];
            (_start, _end) = inputs[2].RequiresGrad ? (inputs[0], inputs[1]) : (null, null);
        }
    }

    protected internal override Tensor?[] Apply(Tensor grad)
    {
        if (InputCount == 2)
        {
            return [NeedsInputGrad(0) ? grad * (1 - _weight) : null, NeedsInputGrad(1) ? grad * _weight : null];
        }

        Tensor weight = Saved(_weightTensor);
        return
        [
            NeedsInputGrad(0) ? grad * (1.0 - weight) : null,
            NeedsInputGrad(1) ? grad * weight : null,
            NeedsInputGrad(2) ? grad * (Saved(_end) - Saved(_start)) : null,
        ];
    }

    protected override void ReleaseSaved() => (_start, _end, _weightTensor) = (null, null, null);
}
