using Autograd.Kernels;

namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>Element-wise rectifier max(x, 0).</summary>
    public static Tensor Relu(Tensor x)
    {
        Tensor output = Elementwise.Map(x, Activations.Relu);
        return GradMode.ShouldRecord(x) ? output.WithGradFn(new ReluBackward(x, output)) : output;
    }

    /// <inheritdoc cref="Relu(Tensor)"/>
    public Tensor Relu() => Relu(this);
}

/// <summary>
/// <c>out = max(x, 0)</c>: ∂L/∂x = g ⊙ [out &gt; 0]. The step mask is a constant (its own derivative is zero
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
            : [grad * Elementwise.Map(output, Activations.Step)];
    }

    protected override void ReleaseSaved() => _output = null;
}
