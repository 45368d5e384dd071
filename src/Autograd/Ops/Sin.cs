using System.Numerics.Tensors;
using Autograd.Kernels;

namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>Element-wise sine.</summary>
    public static Tensor Sin(Tensor x)
    {
        Tensor output = Elementwise.Map(x, TensorPrimitives.Sin);
        return GradMode.ShouldRecord(x) ? output.WithGradFn(new SinBackward(x)) : output;
    }

    /// <inheritdoc cref="Sin(Tensor)"/>
    public Tensor Sin() => Sin(this);
}

/// <summary><c>out = sin x</c>: ∂L/∂x = g ⊙ cos x.</summary>
internal sealed class SinBackward(Tensor x) : Node(x)
{
    private Tensor? _x = x;

    protected internal override Tensor?[] Apply(Tensor grad) => [grad * Tensor.Cos(Saved(_x))];

    protected override void ReleaseSaved() => _x = null;
}
