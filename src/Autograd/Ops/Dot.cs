namespace Autograd;

public sealed partial class Tensor
{
    /// <summary>The inner product of two 1-d tensors of equal length, as a 0-d tensor.</summary>
    public static Tensor Dot(Tensor a, Tensor b)
    {
        if (a.Rank != 1 || b.Rank != 1)
        {
            throw new ArgumentException($"1D tensors expected, but got {a.Rank}D and {b.Rank}D tensors");
        }

        if (a._count != b._count)
        {
            throw new ArgumentException(
                $"inconsistent tensor size, expected tensor [{a._count}] and src [{b._count}] to have the same number of elements, but got {a._count} and {b._count} elements respectively");
        }

        Tensor output = SameDeviceBackend(a, b).Dot(a, b);
        return GradMode.ShouldRecord(a, b) ? output.WithGradFn(new DotBackward(a, b)) : output;
    }

    /// <inheritdoc cref="Dot(Tensor, Tensor)"/>
    public Tensor Dot(Tensor other) => Dot(this, other);
}

/// <summary><c>out = Σᵢ aᵢbᵢ</c>: ∂L/∂a = g·b, ∂L/∂b = g·a (g is 0-d).</summary>
internal sealed class DotBackward : Node
{
    private SavedTensor _a;
    private SavedTensor _b;

    internal DotBackward(Tensor a, Tensor b)
        : base(a, b)
    {
        _a = b.RequiresGrad ? a : null;
        _b = a.RequiresGrad ? b : null;
    }

    protected internal override Tensor?[] Apply(Tensor grad) =>
        [NeedsInputGrad(0) ? grad * Saved(_b) : null, NeedsInputGrad(1) ? grad * Saved(_a) : null];

    protected override void ReleaseSaved() => (_a, _b) = (null, null);
}
