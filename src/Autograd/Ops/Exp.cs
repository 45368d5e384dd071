using System.Numerics.Tensors;
using Autograd.Kernels;

namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>Element-wise eˣ.</summary>
    public static Tensor Exp(Tensor x)
    {
        Tensor output = Elementwise.Map(x, TensorPrimitives.Exp);
        return GradMode.ShouldRecord(x) ? output.WithGradFn(new ExpBackward(x, output)) : output;
    }

    /// <inheritdoc cref="Exp(Tensor)"/>
    public Tensor Exp() => Exp(this);
}

/// <summary><c>out = eˣ</c>: ∂L/∂x = g ⊙ out (the output is saved, not x).</summary>
internal sealed class ExpBackward(Tensor x, Tensor output) : Node(x)
{
    private Tensor? _output = output;

    protected internal override Tensor?[] Apply(Tensor grad) => [grad * Saved(_output)];

    protected override void ReleaseSaved() => _output = null;
}
