using Autograd.Kernels;

namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>Element-wise rectifier max(x, 0).</summary>
    public static Tensor Relu(Tensor x)
    {
        Tensor output = x._dtype switch
        {
            DType.Float32 => Elementwise.Map(x, Activations.Relu),
            DType.Int64 => TypedUnary.ReluInteger<long>(x),
            DType.Int32 => TypedUnary.ReluInteger<int>(x),
            DType.Bool => throw new InvalidOperationException("Boolean inputs not supported for relu"),
            _ => TypedUnary.Floating(x, "clamp_min_cpu", Activations.Relu, TypedUnary.Relu),
        };
        return GradMode.ShouldRecord(x) ? output.WithGradFn(new ReluBackward(x, output)) : output;
    }

    /// <inheritdoc cref="Relu(Tensor)"/>
    public Tensor Relu() => Relu(this);
}

/// <summary>
/// <c>out = max(x, 0)</c>: ∂L/∂x = g ⊙ [not (out ≤ 0)] (PyTorch's threshold_backward: a NaN input passes its gradient). The step mask is a constant (its own derivative is zero
/// almost everywhere), so the output is saved and the mask rebuilt from it; at x = 0 the gradient is 0, as in PyTorch.
/// </summary>
internal sealed class ReluBackward(Tensor x, Tensor output) : Node(x)
{
    private SavedTensor _output = output;

    protected internal override Tensor?[] Apply(Tensor grad)
    {
        Tensor output = Saved(_output);
        return Elementwise.CanFuse(grad, output)
            ? [Elementwise.Map(grad, output, FusedBackward.Relu)]
            : [grad * Step(output)];
    }

    /// <summary>The constant mask [out &gt; 0] in the output's dtype (computed in float32 for float16 and bfloat16, exactly).</summary>
    private static Tensor Step(Tensor output) => output._dtype == DType.Float32
        ? Elementwise.Map(output, Activations.Step)
        : output._dtype == DType.Float64
            ? TypedUnary.Map64(output, TypedUnary.Step)
            : Elementwise.Map(output.ConvertedTo(DType.Float32), Activations.Step).ConvertedTo(output._dtype);

    protected override void ReleaseSaved() => _output = null;
}
