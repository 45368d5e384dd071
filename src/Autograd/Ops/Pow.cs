using Autograd.Kernels;

namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>Element-wise power with a constant exponent: <c>xᵖ</c>.</summary>
    public static Tensor Pow(Tensor x, float exponent)
    {
        float[] result = BufferPool.RentUninitialized(x._count);
        Powers.Pow(x.ContiguousData(), exponent, result);
        GC.KeepAlive(x);   // the span was x's last use when no graph is recorded (see StorageLease)
        var output = new Tensor(result, x._shape);
        return GradMode.ShouldRecord(x) ? output.WithGradFn(new PowBackward(x, exponent)) : output;
    }

    /// <inheritdoc cref="Pow(Tensor, float)"/>
    public Tensor Pow(float exponent) => Pow(this, exponent);

    /// <summary>Element-wise square root.</summary>
    public Tensor Sqrt() => Pow(this, 0.5f);
}

/// <summary><c>out = xᵖ</c>: ∂L/∂x = g ⊙ p·xᵖ⁻¹ (and 0 for p = 0, as PyTorch returns).</summary>
internal sealed class PowBackward(Tensor x, float exponent) : Node(x)
{
    private SavedTensor _x = x;

    protected internal override Tensor?[] Apply(Tensor grad) =>
        [exponent == 0f ? grad * 0f : grad * (Saved(_x).Pow(exponent - 1f) * exponent)];

    protected override void ReleaseSaved() => _x = null;
}
