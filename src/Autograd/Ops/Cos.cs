using System.Numerics.Tensors;
using Autograd.Kernels;

namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>Element-wise cosine.</summary>
    public static Tensor Cos(Tensor x)
    {
        Tensor output = Elementwise.Map(x, TensorPrimitives.Cos);
        return GradMode.ShouldRecord(x) ? output.WithGradFn(new CosBackward(x)) : output;
    }

    /// <inheritdoc cref="Cos(Tensor)"/>
    public Tensor Cos() => Cos(this);
}

/// <summary><c>out = cos x</c>: ∂L/∂x = -g ⊙ sin x.</summary>
internal sealed class CosBackward(Tensor x) : Node(x)
{
    private Tensor? _x = x;

    protected internal override Tensor?[] Apply(Tensor grad) => [-(grad * Tensor.Sin(Saved(_x)))];

    protected override void ReleaseSaved() => _x = null;
}
